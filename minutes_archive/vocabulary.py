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


def municipality_pattern(municipalities: dict[str, Municipality]) -> re.Pattern[str]:
    """Match any name, genitive or alias of a municipality as a whole word; group name = key."""
    alternatives = []
    for key, municipality in municipalities.items():
        names = {municipality.name, *municipality.aliases}
        names |= {n + "s" for n in list(names) if not n.endswith("s")}
        # Longest first, so 'Haninge kommun' wins over 'Haninge'.
        words = "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))
        alternatives.append(f"(?P<{_group(key)}>{words})")
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def topic_patterns(topics: dict[str, Topic]) -> dict[str, re.Pattern[str]]:
    """One pattern per topic: any keyword at the start of a word (so stems match inflections)."""
    patterns = {}
    for key, topic in topics.items():
        words = "|".join(re.escape(k) for k in sorted(topic.keywords, key=lambda k: (-len(k), k)))
        patterns[key] = re.compile(r"(?<!\w)(?:" + words + r")", re.IGNORECASE) if words else None
    return {k: p for k, p in patterns.items() if p is not None}


def find_municipalities(text: str, pattern: re.Pattern[str]) -> set[str]:
    return {_key(m.lastgroup) for m in pattern.finditer(text) if m.lastgroup}


def find_topics(text: str, patterns: dict[str, re.Pattern[str]]) -> set[str]:
    return {key for key, pattern in patterns.items() if pattern.search(text)}


def _group(key: str) -> str:
    return "k_" + key.replace("-", "__")


def _key(group: str) -> str:
    return group[2:].replace("__", "-")
