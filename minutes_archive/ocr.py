"""Repair of Swedish OCR text: lost or misread å, ä, ö and a few other misread letters.

A word is left alone when it is a known word: in wordfreq's Swedish list, in the
archive's registries (municipality, body and topic names), or in Hunspell's Swedish
dictionary (hunspell-sv), which knows inflections and compounds ("vägplan",
"målstrukturen") that a word list lacks. An unknown word is replaced by the most likely
known word within a few OCR confusions (d for å, 6 for ö, I for l …) or one dropped å, ä
or ö. A known word is replaced only when a form with å/ä/ö is far more common ("for" is
rare beside "för"), when the dictionary does not know it but does know such a form, or
when the other form occurs elsewhere in the same text; every such change is marked, and
the review report lists every change and every word left in doubt.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from .compounds import CompoundSplitter

# What OCR reads for a letter (misread -> the letters it may stand for).
CONFUSIONS = {
    "a": "äå", "i": "äåöl", "d": "åäö", "o": "ö", "6": "ö", "é": "öå", "è": "ö", "S": "ö", "3": "Ö", "4": "å",
    "0": "ö", "I": "lÄ", "l": "i", "]": "li", "j": "i", "n": "u", "e": "ö", "t": "r", "(": "Ö", "A": "ÅÄ", "O": "Ö",
    "¢": "ö", "ë": "ö", "ä": "å", "å": "ä",
}
# Two marks read where there was one letter: "Folkhidlsomyndigheten", "Soédertörn".
SPLIT_LETTERS = {"id": "ä", "di": "ä", "oé": "ö", "6é": "ö", "(3": "Ö"}
# Letters OCR drops altogether ("Kommundirektrerna" for "Kommundirektörerna").
DROPPED_LETTERS = "öäå"
DIACRITIC_ONLY = {"a": "äå", "o": "ö", "A": "ÅÄ", "O": "Ö"}
# The confusions that may turn one known word into another: a lost ring or dots, ä/å read
# as i or d ("ir" for "är", "frin" for "från"), or å/ö read as a digit ("p4" for "på").
CONTEXT_CONFUSIONS = {**DIACRITIC_ONLY, "i": "äå", "d": "äå", "I": "l", "4": "å", "6": "ö", "0": "ö"}
MIN_FREQUENCY = 1e-7
# Each confusion makes a candidate this much less likely.
CHANGE_PENALTY = 0.05
# A known word gives way to a near form only when that form is this much more common
# ("for" beside "för", "ir" beside "är"); a near form that is merely as common is reported.
CONTEXT_RATIO = 20.0
DOUBT_RATIO = 0.5
MAX_CHANGES = 3
# A dictionary look-up of a word it lacks takes up to about a millisecond (compounds are
# tried): enough for the likeliest candidates of a word, not for every one of a long word.
MAX_DICTIONARY_CHECKS = 150
TOKEN = re.compile(r"(?:\(3)?[\w\]¢]+(?:-[\w\]¢]+)*")

# The reasons in the review report, in Swedish like the rest of it. A change of a known
# word (one that was a real word before) starts with KNOWN_WORD, so the report can count them.
UNKNOWN = "okänt ord"
KNOWN_WORD = "känt ord"
LIKELIER = f"{KNOWN_WORD}, men långt vanligare så här"
NOT_IN_DICTIONARY = f"{KNOWN_WORD}, men inte i ordboken, som har denna form"
IN_THIS_TEXT = f"{KNOWN_WORD}, men denna form finns på andra ställen i texten"


@dataclass(frozen=True)
class Repair:
    before: str
    after: str
    reason: str
    """UNKNOWN, or one starting with KNOWN_WORD for a known word that was changed."""
    alternative: str = ""
    """For a known word left in doubt: the other word it may be."""

    @property
    def changes_a_known_word(self) -> bool:
        return self.after != self.before and self.reason.startswith(KNOWN_WORD)


class SwedishDictionary:
    """Hunspell's Swedish dictionary (the hunspell-sv package) read by the Hunspell library
    (chunspell): it knows inflected forms and compounds. Answers are cached."""

    def __init__(self, hunspell):
        self._hunspell = hunspell

    @functools.lru_cache(maxsize=None)
    def knows(self, word: str) -> bool:
        return bool(word) and bool(self._hunspell.spell(word))


@functools.lru_cache(maxsize=1)
def swedish_dictionary() -> SwedishDictionary:
    """The Swedish dictionary, loaded once (about half a second)."""
    from hunspell import Hunspell

    folder = _hunspell_sv_folder()
    return SwedishDictionary(Hunspell("sv_SE", hunspell_data_dir=str(folder)))


def _hunspell_sv_folder() -> Path:
    """Where pip put hunspell-sv's sv_SE.dic and sv_SE.aff (share/hunspell of the environment)."""
    from importlib.metadata import distribution

    package = distribution("hunspell-sv")
    for file in package.files or ():
        if file.name == "sv_SE.dic" and file.parent.name == "hunspell":
            return Path(package.locate_file(file)).resolve().parent
    raise FileNotFoundError("hunspell-sv is installed without sv_SE.dic")


class OcrRepairer:
    def __init__(self, frequencies: dict[str, float], known_words: set[str], splitter: CompoundSplitter,
                 dictionary: SwedishDictionary | None = None):
        self.frequencies = frequencies
        self.known_words = {w.casefold() for w in known_words}
        self.splitter = splitter
        self.dictionary = dictionary or swedish_dictionary()
        self.list_floor = min(frequencies.values(), default=MIN_FREQUENCY)
        self._cache: dict[str, tuple[str | None, str, str]] = {}

    def frequency(self, word: str) -> float:
        """How common a word is in the word list (registry names count as common)."""
        folded = word.casefold()
        if folded in self.known_words:
            return 1e-3
        return self.frequencies.get(folded, 0.0)

    def in_dictionary(self, word: str) -> bool:
        """Known to Hunspell's dictionary or the registries."""
        return word.casefold() in self.known_words or self.dictionary.knows(word)

    def is_compound(self, word: str) -> bool:
        return len(word) >= 8 and bool(self.splitter.split(word.casefold()))

    def compound_score(self, word: str) -> float:
        """How likely a compound is: the geometric mean frequency of its parts (0 if none)."""
        parts = self.splitter.split(word.casefold()) if len(word) >= 8 else ()
        if not parts:
            return 0.0
        return math.prod(self.frequencies.get(p, 0.0) or MIN_FREQUENCY for p in parts) ** (1 / len(parts))

    def repair(self, word: str) -> Repair | None:
        """The repair of one token, None to keep it; doubtful tokens come back with after == before."""
        if word not in self._cache:
            self._cache[word] = self._repair(word)
        after, reason, alternative = self._cache[word]
        return None if after is None else Repair(word, after, reason, alternative)

    def _repair(self, word: str) -> tuple[str | None, str, str]:
        if not _may_be_misread(word):
            return None, "", ""
        if "-" in word:
            return self._repair_parts(word)
        own = self.frequency(word)
        if own > 0 or self.in_dictionary(word):
            # A word the list lacks is rarer than the rarest word in it.
            return self._repair_known(word, own or self.list_floor)
        return self._repair_unknown(word)

    def _repair_parts(self, word: str) -> tuple[str | None, str, str]:
        """A hyphenated word ("Roro-terminalen", "leverans-företag") part by part: the
        dictionary does not know such words whole, and each part is a word of its own."""
        repairs = [self.repair(part) for part in word.split("-")]
        changed = [r for r in repairs if r and r.after != r.before]
        if not changed:
            return None, "", ""
        after = "-".join(r.after if r else part for r, part in zip(repairs, word.split("-")))
        return after, changed[0].reason, ""

    def _repair_known(self, word: str, own: float) -> tuple[str | None, str, str]:
        best = self._likeliest(word, CONTEXT_CONFUSIONS, 2, self.frequency)
        if best and self.frequency(best) >= CONTEXT_RATIO * own:
            return best, LIKELIER, ""
        if own <= self.list_floor:
            # Known to the dictionary only, often as a compound it allows ("kommun-direktorerna"):
            # a near compound whose parts are far more common wins ("kommun-direktörerna").
            best = self._likeliest(word, CONTEXT_CONFUSIONS, 2, self.compound_score)
            if best and self.dictionary.knows(best) and self.compound_score(best) >= CONTEXT_RATIO * max(self.compound_score(word), own):
                return best, LIKELIER, ""
        if not self.in_dictionary(word):
            # In the word list only, as the list holds common misspellings ("aterkopplar"):
            # a form with å/ä/ö that the dictionary knows and that is as common wins.
            best = self._likeliest_known(word, CONTEXT_CONFUSIONS, 2)
            if best and self._dictionary_frequency(best) >= own:
                return best, NOT_IN_DICTIONARY, ""
        near = self._likeliest(word, DIACRITIC_ONLY, 2, self.frequency)
        if near and own and self.frequency(near) >= DOUBT_RATIO * own:
            return word, f"{KNOWN_WORD} som också kan vara '{near}'", near
        return None, "", ""

    def _repair_unknown(self, word: str) -> tuple[str | None, str, str]:
        if self.is_compound(word):
            return self._repair_compound(word)
        best = self._likeliest_known(word, CONFUSIONS, MAX_CHANGES) or self._split_letter(word) or self._dropped_letter(word)
        if best:
            return best, UNKNOWN, ""
        # No known word near it: the likeliest compound of known parts will do (names such
        # as "Albybergs-terminalen"), but the dictionary's silence is worth a remark.
        best = self._likeliest(word, CONFUSIONS, 2, self.compound_score)
        if best:
            return best, f"{UNKNOWN}; rättningen är en sammansättning som ordboken inte känner", ""
        return word, f"{UNKNOWN}, ingen trolig rättning", ""

    def _repair_compound(self, word: str) -> tuple[str | None, str, str]:
        """A word known only as a compound of known parts ("foretags-omrade", but also
        "Albybergs-terminalen"): a dictionary word near it, or a compound whose parts are
        far likelier, wins ("företags-område"); otherwise it is kept."""
        best = self._likeliest(word, CONFUSIONS, 2, self.frequency)
        if best and self.frequency(best) >= CONTEXT_RATIO * MIN_FREQUENCY:
            return best, UNKNOWN, ""
        best = self._likeliest_known(word, CONTEXT_CONFUSIONS, 2)
        if best:
            return best, UNKNOWN, ""
        best = self._likeliest(word, CONTEXT_CONFUSIONS, 2, self.compound_score)
        if best and self.compound_score(best) >= CONTEXT_RATIO * self.compound_score(word):
            return best, UNKNOWN, ""
        return None, "", ""

    def _dictionary_frequency(self, word: str) -> float:
        """The word list's frequency, or self.list_floor for a word only the dictionary knows."""
        return self.frequency(word) or (self.list_floor if self.dictionary.knows(word) else 0.0)

    def _split_letter(self, word: str) -> str | None:
        """One letter read as two marks ("Folkhidlsomyndigheten")."""
        variants = [word.replace(pair, letter, 1) for pair, letter in SPLIT_LETTERS.items() if pair in word]
        scored = []
        for variant in variants:
            if self._dictionary_frequency(variant):
                scored.append((self._dictionary_frequency(variant), variant))
            else:
                best = self._likeliest_known(variant, CONFUSIONS, 2)
                if best:
                    scored.append((self._dictionary_frequency(best) * CHANGE_PENALTY, best))
        return max(scored, default=(0.0, None))[1]

    def _dropped_letter(self, word: str) -> str | None:
        """A dropped å, ä or ö; then the word may also have one confusion."""
        inserted = [word[:i] + letter + word[i:] for i in range(1, len(word)) for letter in DROPPED_LETTERS]
        return self._pick(((_case_like(word, c), 1) for c in inserted), self.frequency, ask_dictionary=True)

    def _likeliest(self, word: str, confusions: dict[str, str], most: int, frequency) -> str | None:
        """The likeliest word within `most` confusions by `frequency`, less for each change."""
        return self._pick(_candidates(word, confusions, most), frequency)

    def _likeliest_known(self, word: str, confusions: dict[str, str], most: int) -> str | None:
        """The likeliest word of the word list or the dictionary within `most` confusions."""
        return self._pick(_candidates(word, confusions, most), self.frequency, ask_dictionary=True)

    def _pick(self, candidates, frequency, ask_dictionary: bool = False) -> str | None:
        """The candidate (word, changes) with the highest frequency × CHANGE_PENALTY^changes.
        With ask_dictionary, a word the list lacks counts as list_floor if the
        dictionary knows it; the dictionary is asked only while such a word could still
        win, fewest changes first, at most MAX_DICTIONARY_CHECKS times."""
        best, best_score = None, 0.0
        unlisted = []
        for candidate, changes in candidates:
            score = frequency(candidate) * CHANGE_PENALTY ** changes
            if score > best_score:
                best, best_score = candidate, score
            elif ask_dictionary and score == 0:
                unlisted.append((changes, candidate))
        unlisted.sort(key=lambda pair: pair[0])
        for changes, candidate in unlisted[:MAX_DICTIONARY_CHECKS]:
            score = self.list_floor * CHANGE_PENALTY ** changes
            if score <= best_score:
                break
            if self.dictionary.knows(candidate):
                best, best_score = candidate, score
        return best


def _candidates(word: str, confusions: dict[str, str], most: int):
    """Every word within 1 to `most` confusions, as (candidate, changes), fewest changes first."""
    positions = [i for i, char in enumerate(word) if char in confusions]
    for count in range(1, min(most, len(positions)) + 1):
        for chosen in itertools.combinations(positions, count):
            for letters in itertools.product(*(confusions[word[i]] for i in chosen)):
                chars = list(word)
                for i, letter in zip(chosen, letters):
                    chars[i] = letter
                yield _case_like(word, "".join(chars)), count


def _may_be_misread(word: str) -> bool:
    """Not a number, a code in capitals ("E20", "P4") or a name with digits ("Covid-19")."""
    letters = [c for c in word if c.isalpha()]
    if len(word) < 2 or not letters or any(c.isdigit() and c not in "0346" for c in word):
        return False
    return not (any(c.isdigit() for c in word) and all(c.isupper() for c in letters))


def _case_like(model: str, word: str) -> str:
    """Give word the capitalisation of the OCR token: Title, UPPER or lower. A token that
    starts with a digit or mark ("6ppnat") takes the case of its letters after it."""
    letters = [c for c in model if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return word.upper()
    first = model[:1]
    if first.isupper() or (not first.isalpha() and model[1:2].isupper()):
        return word[:1].upper() + word[1:].lower()
    return word.lower()


@dataclass(frozen=True)
class Token:
    line: int
    start: int
    end: int
    text: str
    repair: Repair | None

    @property
    def output(self) -> str:
        return self.repair.after if self.repair else self.text


def repair_tokens(text: str, repairer: OcrRepairer) -> list[Token]:
    """Every word of a text with its repair, in order, the text's own words weighed in."""
    tokens = [
        Token(number, match.start(), match.end(), match.group(), repairer.repair(match.group()))
        for number, line in enumerate(text.split("\n"), start=1)
        for match in TOKEN.finditer(line)
    ]
    return resolve_doubts(tokens)


def resolve_doubts(tokens: list[Token]) -> list[Token]:
    """A known word that may also be another ("laget" or "läget") becomes the other when the
    text has the other elsewhere and has this one nowhere else. A text keeps to its words
    (the cache of Kuhn and De Mori's language model), while OCR damage strikes at random,
    so the other form read right elsewhere is evidence that this one was misread."""
    certain = Counter(token.output.casefold() for token in tokens if not _doubtful(token))
    every = Counter(token.text.casefold() for token in tokens)
    resolved = []
    for token in tokens:
        other = token.repair.alternative if _doubtful(token) else ""
        if other and certain[other.casefold()] and every[token.text.casefold()] == 1:
            token = replace(token, repair=Repair(token.text, _case_like(token.text, other), IN_THIS_TEXT))
        resolved.append(token)
    return resolved


def _doubtful(token: Token) -> bool:
    return token.repair is not None and token.repair.alternative != ""


def repair_text(text: str, repairer: OcrRepairer) -> tuple[str, list[tuple[int, Repair]]]:
    """Repair every word of a text; return it and the changes with their lines (doubtful ones included)."""
    lines = text.split("\n")
    changes: list[tuple[int, Repair]] = []
    for token in reversed(repair_tokens(text, repairer)):
        if token.repair is not None:
            line = lines[token.line - 1]
            lines[token.line - 1] = line[:token.start] + token.repair.after + line[token.end:]
            changes.append((token.line, token.repair))
    return "\n".join(lines), changes[::-1]


def fold(word: str) -> str:
    """A word without diacritics and in lower case, to line OCR up with a correct text."""
    return unicodedata.normalize("NFKD", word.casefold()).encode("ascii", "ignore").decode()
