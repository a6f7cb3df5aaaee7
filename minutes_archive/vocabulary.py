"""Finding municipalities and topics: by key, name or alias, and in running text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import did_you_mean
from .model import Municipality, Topic


def normalise(name: str) -> str:
    """Fold case and white space so that 'Nynäshamn ' and 'nynäshamn' are one name."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class Lookup:
    """Resolves what an author wrote (key, display name or alias, any case) to a key."""

    kind: str
    keys_by_name: dict[str, str]

    def resolve(self, written: str) -> str | None:
        return self.keys_by_name.get(normalise(written))

    def unknown_message(self, written: str) -> str:
        keys = sorted(set(self.keys_by_name.values()))
        return f"unknown {self.kind} '{written}'{did_you_mean(normalise(written), keys + list(self.keys_by_name))}"

    @classmethod
    def build(cls, kind: str, names_by_key: dict[str, list[str]]) -> "Lookup":
        keys_by_name: dict[str, str] = {}
        for key, names in names_by_key.items():
            for name in [key, *names]:
                keys_by_name.setdefault(normalise(name), key)
        return cls(kind, keys_by_name)


_WORD = re.compile(r"\w+")
_NONE: frozenset[str] = frozenset()


class TextMatcher:
    """Finds municipalities (whole words: name, genitive, alias) and topics (a keyword that
    begins a word) in text, from one pass over the text's distinct words."""

    def __init__(self, municipalities: dict[str, Municipality], topics: dict[str, Topic]):
        self.municipality_words: dict[str, str] = {}
        self.municipality_phrases: list[tuple[str, re.Pattern[str], str]] = []  # (phrase, pattern, key)
        for key, municipality in municipalities.items():
            forms = {municipality.name, *municipality.aliases}
            forms |= {f + "s" for f in list(forms) if not f.endswith("s")}
            for form in forms:
                folded = form.casefold()
                if _WORD.fullmatch(folded):
                    self.municipality_words.setdefault(folded, key)
                else:
                    pattern = re.compile(r"(?<!\w)" + re.escape(folded) + r"(?!\w)")
                    self.municipality_phrases.append((folded, pattern, key))
        self.topic_words: dict[str, set[str]] = {}
        self.topic_phrases: list[tuple[str, re.Pattern[str], str]] = []
        for key, topic in topics.items():
            for keyword in topic.keywords:
                folded = keyword.casefold()
                if _WORD.fullmatch(folded):
                    self.topic_words.setdefault(folded, set()).add(key)
                else:
                    self.topic_phrases.append((folded, re.compile(r"(?<!\w)" + re.escape(folded)), key))
        self.lengths = sorted({len(w) for w in self.topic_words})
        # Words seen before that begin with no keyword: the words of an archive repeat, so
        # after the first meetings a text's words are mostly taken out by one set difference.
        self.topicless: set[str] = set()

    def find(self, text: str) -> tuple[set[str], set[str]]:
        """(municipality keys, topic keys) found in text."""
        folded = text.casefold()
        words = set(_WORD.findall(folded))
        municipalities = {self.municipality_words[w] for w in words if w in self.municipality_words}
        # A phrase is looked for only for a municipality not found yet ("Haninge kommun" after
        # "Haninge"), and as a substring first, many times faster than the pattern.
        for phrase, pattern, key in self.municipality_phrases:
            if key not in municipalities and phrase in folded and pattern.search(folded):
                municipalities.add(key)
        topics: set[str] = set()
        for word in words - self.topicless:
            found = self._topics_begun(word)
            if found:
                topics |= found
            else:
                self.topicless.add(word)
        topics |= {key for phrase, pattern, key in self.topic_phrases if phrase in folded and pattern.search(folded)}
        return municipalities, topics

    def _topics_begun(self, word: str) -> set[str]:
        """The topics with a keyword that word begins with."""
        topics: set[str] = set()
        for length in self.lengths:
            if length > len(word):
                break
            topics |= self.topic_words.get(word[:length], _NONE)
        return topics
