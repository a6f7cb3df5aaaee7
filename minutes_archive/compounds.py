"""Swedish compound splitting, so that a search for a part finds the whole word.

Pagefind matches words by prefix only: "trafikplan" never finds "Kollektivtrafikplan".
The generator therefore adds the parts of every compound (kollektiv, trafik, plan,
kollektivtrafik, trafikplan) as hidden searchable text in the agenda item.

A split is accepted only when every part is a known word of at least four letters:
known from wordfreq's Swedish word list, from the archive's own text, or from the
author's list in content/compounds.yaml, which always wins. Among the possible splits,
the one whose parts have the highest geometric mean frequency wins, the unsplit word
included (Koehn and Knight 2003), so that common words such as "diskussion" stay whole.
Swedish joins parts with a linking s (näringsliv-s-chefer) and drops a final e or a
of a first part (samarbet(e)-s-kommittén, skol(a)-buss); both are understood. A form of a
verb in -a is not cut in its ending: aviserat (avisera) is not avis + erat, nor justerare
(justera) juste + rare.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from importlib import metadata
from pathlib import Path
from typing import Collection, Iterable

from .cache import read_pickle, sha, write_pickle

MIN_PART = 4
MIN_COMPOUND = 2 * MIN_PART
MAX_PARTS = 4
# About one occurrence in ten million words: rarer entries in the list are mostly noise.
MIN_FREQUENCY = 1e-7
# A guessed dropped vowel (skol -> skola) is less certain than a part as written, and a
# short common word guessed so outscored the right cut: at 0.5, sammanställningen was
# samm(a) + anställningen (samma is 18 times as common as samman), not samman + ställningen.
DROPPED_VOWEL_WEIGHT = 0.1
# Words of the archive itself are known even where the general list lacks them.
VOCABULARY_FREQUENCY = 1e-6
# A word this common (about one in 50,000) is a word of its own, searched for as it is:
# förslaget, gemensamma, fortsatt, föreslår are not förs+laget, gemene+samma, fort+satt,
# före+slår, whose parts outscore them. The compounds worth splitting are rarer
# (arbetsmarknaden 1.5e-5, smittskydd 4e-7).
COMMON_WORD = 2e-5
_WORD = re.compile(r"[^\W\d_]+")
# The forms of a verb in -a that add to it (avisera: aviserat, aviserar, aviserade, justerare),
# and those that take its -a away (justera: justering, justeringen, justerare).
VERB_ENDINGS = ("t", "r", "s", "de", "re", "ts", "rs", "des", "nde", "ndes")
VERB_NOUN_ENDINGS = ("ing", "ingen", "ingens", "ingar", "ingarna", "are", "aren", "arens", "arna", "ares")
# Endings that the word list also holds as words of their own ("ande", "erna"), which
# would otherwise split inflected forms: kommun-erna, komm-ande.
NOT_A_FINAL_PART = frozenset(
    "erna arna orna ernas arnas ornas ingen ingens ingar ning ningen ningar ande ende else elsen "
    "heter liga ligt lighet ringar ringen".split()
)


@functools.lru_cache(maxsize=1)
def swedish_word_frequencies() -> dict[str, float]:
    """wordfreq's Swedish list (about 340,000 words), loaded once."""
    from wordfreq import get_frequency_dict

    return get_frequency_dict("sv", wordlist="best")


@functools.lru_cache(maxsize=4)
def part_frequencies(keep_in: Path | None = None) -> dict[str, float]:
    """The words of wordfreq's Swedish list that can be parts of a compound (MIN_PART letters
    or more, not rarer than MIN_FREQUENCY): about 99,000 of 340,000, all that the splitter
    looks up. Kept in the folder keep_in, if given: a rebuild that parses one file then
    loads them in 0.05 s, where importing wordfreq and loading its list takes 0.45 s."""
    return _kept(keep_in, "words-sv", dict, lambda: {
        word: f for word, f in swedish_word_frequencies().items() if len(word) >= MIN_PART and f >= MIN_FREQUENCY})


@functools.lru_cache(maxsize=4)
def rare_words(keep_in: Path | None = None) -> frozenset[str]:
    """The rest of the list's words that are long enough to be inflected into a compound's
    look-alike (about 220,000): too rare to be parts, but words (avisera), whose inflected
    forms (aviserat) are not compounds (avis + erat). Kept as part_frequencies is."""
    return _kept(keep_in, "rare-words-sv", frozenset, lambda: frozenset(
        word for word, f in swedish_word_frequencies().items() if len(word) > MIN_PART and f < MIN_FREQUENCY))


def _kept(keep_in: Path | None, name: str, kind: type, make):
    """make(), kept in the folder keep_in under name and the word list's version."""
    path = None
    if keep_in is not None:
        version = sha(metadata.version("wordfreq"), str(MIN_PART), repr(MIN_FREQUENCY))[:16]
        path = keep_in / f"{name}-{version}.pickle"
        kept = read_pickle(path)
        if isinstance(kept, kind):
            return kept
    made = make()
    if path is not None:
        write_pickle(path, made)
    return made


def ordered_words(text: str) -> dict[str, None]:
    """The distinct words of a text, case-folded, in order of first appearance."""
    return dict.fromkeys(_WORD.findall(text.casefold()))


class CompoundSplitter:
    """Splits Swedish compounds into known parts."""

    def __init__(
        self,
        frequencies: dict[str, float],
        vocabulary: Iterable[str] = (),
        fixed: dict[str, tuple[str, ...]] | None = None,
        rare: Collection[str] = frozenset(),
    ):
        self.frequencies = frequencies
        self.rare = rare
        """Words too rare to be parts, known as words all the same (see _inflected_ends)."""
        self.vocabulary = {w.casefold() for w in vocabulary}
        self.fixed = {k.casefold(): tuple(p.casefold() for p in v) for k, v in (fixed or {}).items()}
        self._splits: dict[str, tuple[str, ...]] = {}
        self._segments: dict[tuple[str, int], list] = {}
        self._terms: dict[str, tuple[str, ...]] = {}
        self._parent: CompoundSplitter | None = None
        self._affected: set[str] = set()

    def with_vocabulary(self, vocabulary: Iterable[str]) -> "CompoundSplitter":
        """A splitter that also knows these words (a meeting's own). Only words the word list
        lacks change anything, and only for words that contain one of them, so every other
        word is answered by this splitter and its shared cache."""
        vocabulary = set(vocabulary)
        rare = {w for w in vocabulary if len(w) >= MIN_PART and w not in self.vocabulary and self._frequency(w) == 0.0}
        affected = _containing(vocabulary, rare)
        if not affected:
            return self
        child = CompoundSplitter(self.frequencies, self.vocabulary | rare, {}, self.rare)
        child.fixed = self.fixed
        child._parent, child._affected = self, affected
        return child

    def split(self, word: str) -> tuple[str, ...]:
        """The parts of a compound in dictionary form, left to right; () if it is not one."""
        word = word.casefold()
        if word in self.fixed:
            return self.fixed[word]
        if word not in self._splits:
            self._splits[word] = self._best_split(word) if len(word) >= MIN_COMPOUND else ()
        return self._splits[word]

    def leaves(self, word: str) -> tuple[str, ...]:
        """The smallest parts of a compound: a part that is itself a compound is split too
        (kollektivtrafikplan -> kollektivtrafik, plan -> kollektiv, trafik, plan)."""
        parts = self.split(word)
        if len(parts) < 2:
            return parts
        return tuple(leaf for part in parts for leaf in (self.leaves(part) or (part,)))

    def search_terms(self, text: str) -> list[str]:
        """The parts and runs of adjacent parts of the compounds in text that Pagefind would
        not find them by already, in order, once each (word_terms of each of its words)."""
        return list(dict.fromkeys(term for word in ordered_words(text) for term in self.word_terms(word)))

    def word_terms(self, word: str) -> tuple[str, ...]:
        """The search terms of one (case-folded) word: its parts (in dictionary form:
        samarbete in samarbetskommittén) and the runs of adjacent parts written in it
        (trafikplan in kollektivtrafikplan), but those it starts with. Pagefind matches words
        by their beginning, so kollektiv and kollektivtrafik would find nothing that
        kollektivtrafikplan does not; they, and runs of dictionary forms no one writes
        (samarbetekommittén), would only be more hidden words in excerpts."""
        if self._parent is not None and word not in self._affected:
            return self._parent.word_terms(word)
        cached = self._terms.get(word)
        if cached is None:
            parts = self.leaves(word)
            runs = (("".join(parts[start:end]), end - start) for start in range(len(parts)) for end in range(start + 1, len(parts) + 1))
            cached = self._terms[word] = tuple(run for run, length in runs
                                               if not word.startswith(run) and (length == 1 or run in word))
        return cached

    def _best_split(self, word: str) -> tuple[str, ...]:
        best, best_score = (), self._frequency(word)
        if best_score >= COMMON_WORD:
            return ()
        inflected_ends = self._inflected_ends(word)
        for parts, frequencies in self._segmentations(word, MAX_PARTS):
            score = math.prod(frequencies) ** (1 / len(parts))
            final_start = len(word) - len(parts[-1])  # the final part is as written
            if len(parts) > 1 and score > best_score and all(end - final_start >= MIN_PART for end in inflected_ends):
                best, best_score = parts, score
        return best

    def _inflected_ends(self, word: str) -> list[int]:
        """Where the verb ends that word is a form of (aviserat of avisera, justering of
        justera): a split must leave MIN_PART letters of the verb to its final part, or the
        ending is taken for a word (avis + erat, juste + rare, juste + ring)."""
        ends = []
        for ending in VERB_ENDINGS:
            stem = word[:-len(ending)]
            if word.endswith(ending) and stem.endswith("a") and self._is_word(stem):
                ends.append(len(stem))
        for ending in VERB_NOUN_ENDINGS:
            stem = word[:-len(ending)]
            if word.endswith(ending) and self._is_word(stem + "a"):
                ends.append(len(stem) + 1)
        return ends

    def _is_word(self, word: str) -> bool:
        return word in self.frequencies or word in self.rare or word in self.vocabulary

    def _segmentations(self, rest: str, max_parts: int) -> list[tuple[tuple[str, ...], tuple[float, ...]]]:
        """Every way to cut rest into known parts, as (dictionary forms, frequencies)."""
        key = (rest, max_parts)
        if key not in self._segments:
            found = []
            final = self._frequency(rest) if rest not in NOT_A_FINAL_PART else 0.0
            if final > 0:
                found.append(((rest,), (final,)))
            if max_parts > 1:
                for cut in range(MIN_PART, len(rest) - MIN_PART + 1):
                    form, frequency = self._first_part(rest[:cut])
                    if form is not None:
                        for parts, frequencies in self._segmentations(rest[cut:], max_parts - 1):
                            found.append(((form, *parts), (frequency, *frequencies)))
            self._segments[key] = found
        return self._segments[key]

    def _first_part(self, written: str) -> tuple[str | None, float]:
        """The dictionary form a non-final part stands for, and its frequency (None if unknown)."""
        candidates = [(written, 1.0)]
        if written.endswith("s") and len(written) > MIN_PART:
            candidates.append((written[:-1], 1.0))
        candidates += [(form + vowel, DROPPED_VOWEL_WEIGHT) for form, _ in list(candidates) for vowel in ("e", "a")]
        best, best_frequency = None, 0.0
        for form, weight in candidates:
            frequency = self._frequency(form) * weight
            if frequency > best_frequency:
                best, best_frequency = form, frequency
        return best, best_frequency

    def _frequency(self, word: str) -> float:
        """How common a word is; 0 when too short or unknown."""
        if len(word) < MIN_PART:
            return 0.0
        frequency = self.frequencies.get(word, 0.0)
        if word in self.vocabulary:
            frequency = max(frequency, VOCABULARY_FREQUENCY)
        return frequency if frequency >= MIN_FREQUENCY else 0.0


def _containing(words: Iterable[str], parts: set[str]) -> set[str]:
    """The words that contain one of parts and are not it. Each part is looked for once in
    all the words joined (a word of the text has no line break), not in each word: a
    meeting's 600 words by its few unknown ones took 0.7 ms a meeting, compared one by one."""
    if not parts:
        return set()
    words = list(words)
    joined = "\n".join(words)
    ends = []  # where each word ends in joined
    end = -1
    for word in words:
        end += len(word) + 1
        ends.append(end)
    found = set()
    for part in parts:
        at = joined.find(part)
        while at != -1:
            word = words[bisect.bisect_left(ends, at)]
            if word != part:
                found.add(word)
            at = joined.find(part, at + 1)
    return found
