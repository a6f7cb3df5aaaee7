"""Repair of Swedish OCR text: lost or misread å, ä, ö and a few other misread letters.

A word is left alone when it is a known word: in wordfreq's Swedish list (common enough),
in the archive's registries (municipality, body and topic names), or a compound of known
parts. An unknown word is replaced by the most likely known word within a few OCR
confusions (d for å, 6 for ö, I for l …). A known word is replaced only when a form with
å/ä/ö is far more common ("for" is rare beside "för"), and such a change is marked for
review; the review report lists every change and every word left in doubt.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from dataclasses import dataclass

from .compounds import CompoundSplitter

# What OCR reads for a letter (misread -> the letters it may stand for).
CONFUSIONS = {
    "a": "äå", "i": "äål", "d": "åäö", "o": "ö", "6": "ö", "é": "öå", "è": "ö", "S": "ö", "3": "Ö", "4": "å",
    "0": "ö", "I": "lÄ", "l": "i", "]": "li", "j": "i", "n": "u", "e": "ö", "t": "r", "(": "Ö", "A": "ÅÄ", "O": "Ö",
    "¢": "ö", "ë": "ö", "ä": "å", "å": "ä",
}
# Two marks read where there was one letter: "Folkhidlsomyndigheten", "Soédertörn".
SPLIT_LETTERS = {"id": "ä", "di": "ä", "oé": "ö", "6é": "ö", "(3": "Ö"}
DIACRITIC_ONLY = {"a": "äå", "o": "ö", "A": "ÅÄ", "O": "Ö"}
# The confusions that may turn one known word into another: a lost ring or dots, or ä/å
# read as i or d ("ir" for "är", "frin" for "från").
CONTEXT_CONFUSIONS = {**DIACRITIC_ONLY, "i": "äå", "d": "äå", "I": "l"}
MIN_FREQUENCY = 1e-7
# A known word gives way to a near form only when that form is this much more common
# ("for" beside "för", "ir" beside "är"); a near form that is merely as common is reported.
CONTEXT_RATIO = 20.0
DOUBT_RATIO = 0.5
MAX_CHANGES = 3
TOKEN = re.compile(r"(?:\(3)?[\w\]¢]+(?:-[\w\]¢]+)*")


@dataclass(frozen=True)
class Repair:
    before: str
    after: str
    reason: str
    """'unknown word', or 'likelier with å/ä/ö' for a known word that was changed."""


class OcrRepairer:
    def __init__(self, frequencies: dict[str, float], known_words: set[str], splitter: CompoundSplitter):
        self.frequencies = frequencies
        self.known_words = {w.casefold() for w in known_words}
        self.splitter = splitter
        self._cache: dict[str, tuple[str | None, str]] = {}

    def frequency(self, word: str) -> float:
        """How common a word is in the word list (registry names count as common)."""
        folded = word.casefold()
        if folded in self.known_words:
            return 1e-3
        return self.frequencies.get(folded, 0.0)

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
        after, reason = self._cache[word]
        return None if after is None else Repair(word, after, reason)

    def _repair(self, word: str) -> tuple[str | None, str]:
        if len(word) < 2 or not any(c.isalpha() for c in word) or any(c.isdigit() and c not in "0346" for c in word):
            return None, ""  # numbers, and names such as Covid-19 or E20
        own = self.frequency(word)
        if own == 0 and self.is_compound(word):
            # Known only as a compound of known parts ("foretags-omrade"): a dictionary word
            # near it, or a compound whose parts are far likelier, wins ("företags-område").
            best, _ = self._best(word, CONFUSIONS, 2, self.frequency)
            if best and self.frequency(best) >= CONTEXT_RATIO * MIN_FREQUENCY:
                return best, "unknown word"
            best, _ = self._best(word, CONTEXT_CONFUSIONS, 2, self.compound_score)
            if best and self.compound_score(best) >= CONTEXT_RATIO * self.compound_score(word):
                return best, "unknown word"
            return None, ""
        if own > 0:
            best, _ = self._best(word, CONTEXT_CONFUSIONS, 2, self.frequency)
            if best and self.frequency(best) >= CONTEXT_RATIO * max(own, MIN_FREQUENCY):
                return best, "a known word, but far likelier as this"
            near, _ = self._best(word, DIACRITIC_ONLY, 2, self.frequency)
            if near and own and self.frequency(near) >= DOUBT_RATIO * own:
                return word, f"a known word that may also be '{near}'"
            return None, ""
        best, _ = self._best(word, CONFUSIONS, MAX_CHANGES, self.frequency)
        if best is None:  # one letter read as two marks
            variants = [word.replace(pair, letter, 1) for pair, letter in SPLIT_LETTERS.items() if pair in word]
            scored = [self._best(v, CONFUSIONS, 2, self.frequency) if self.frequency(v) == 0 else (v, self.frequency(v)) for v in variants]
            best = max(scored, key=lambda pair: pair[1], default=(None, 0.0))[0] if any(b for b, _ in scored) else None
        if best is None:  # no word of the list: the likeliest compound of known words will do
            best, _ = self._best(word, CONFUSIONS, 2, self.compound_score)
        if best:
            return best, "unknown word"
        return word, "unknown word, no likely repair"

    def _best(self, word: str, confusions: dict[str, str], most: int, frequency) -> tuple[str | None, float]:
        """The likeliest known word within `most` confusions: frequency, less for each change."""
        positions = [i for i, char in enumerate(word) if char in confusions]
        best, best_score = None, 0.0
        for count in range(1, min(most, len(positions)) + 1):
            for chosen in itertools.combinations(positions, count):
                for letters in itertools.product(*(confusions[word[i]] for i in chosen)):
                    chars = list(word)
                    for i, letter in zip(chosen, letters):
                        chars[i] = letter
                    candidate = _case_like(word, "".join(chars))
                    score = frequency(candidate) * (0.05 ** count)
                    if score > best_score:
                        best, best_score = candidate, score
        return best, best_score


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


def repair_text(text: str, repairer: OcrRepairer) -> tuple[str, list[tuple[int, Repair]]]:
    """Repair every word of a text; return it and the changes with their lines (doubtful ones included)."""
    changes: list[tuple[int, Repair]] = []
    out_lines = []
    for number, line in enumerate(text.split("\n"), start=1):
        def fix(match: re.Match) -> str:
            repair = repairer.repair(match.group())
            if repair is None:
                return match.group()
            changes.append((number, repair))
            return repair.after
        out_lines.append(TOKEN.sub(fix, line))
    return "\n".join(out_lines), changes


def fold(word: str) -> str:
    """A word without diacritics and in lower case, to line OCR up with a correct text."""
    return unicodedata.normalize("NFKD", word.casefold()).encode("ascii", "ignore").decode()
