"""The render memo: which pages are the same as in the last build, without rendering them.

A page's key is a digest of everything its template is given: the template's name, the
page's URL and breadcrumbs, and its context, where a meeting stands for the cache key of
its minutes file (its bytes, path, the registries and the generator's code) and an agenda
item or decision for its meeting's key and its anchor. Everything all pages share (code,
templates, registries, settings, the build's provenance) is in the global key, which a
build compares before it uses the memo at all. A page whose key is the one it had in the
last build is already in the output folder, byte for byte.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from typing import Any, Callable, Mapping

from .archive import DecisionRef, ItemRef, Representation
from .bounded import CACHE_ENTRIES
from .model import Meeting, Registry


PLAIN = (str, int, float, bool, dt.date, tuple, list, dict)
SCALARS = frozenset({str, int, float, bool, dt.date, type(None)})
"""Types whose repr tells every value apart, without a Python call."""
KNOWN_OBJECTS = 4 * CACHE_ENTRIES
"""Descriptions kept at most (they are short): every meeting, item and decision of 10,000 meetings."""


class Unkeyable(TypeError):
    """A context value the memo cannot describe: the page is always rendered."""


@dataclasses.dataclass(frozen=True)
class PageRecord:
    """What a build remembers of one page it wrote."""

    key: str
    """The page's memo key ('' for files that are always written)."""
    indexed: str
    """Digest of the text Pagefind reads ('' for pages it does not index)."""
    shape: str = ""
    """For a page with counts: the key of all but its counts (render._recounted)."""
    counts: tuple[int, ...] = ()
    """Those counts."""


class PageMemo:
    def __init__(self, global_key: str, meeting_keys: Mapping[str, str], previous: Mapping[str, PageRecord] | None = None):
        self.global_key = global_key
        self.meeting_keys = meeting_keys
        """Cache key of each meeting's minutes file, by meeting URL."""
        self.previous = previous or {}
        # The description of each object described before, by id, and the objects
        # themselves, kept alive so that no other object can take their ids: put together
        # and cleared together, when there are KNOWN_OBJECTS of them.
        self._texts: dict[int, str] = {}
        self._kept: list[Any] = []
        # How the objects that recur on list pages are described, by their exact type: a
        # rebuild describes some 280,000 of them at 10,000 meetings.
        self._describers: dict[type, Callable[[Any], str]] = {
            Meeting: lambda meeting: "M" + self._meeting_key(meeting),
            ItemRef: lambda ref: f"I{self._meeting_key(ref.meeting)}#{ref.item.anchor}",
            DecisionRef: lambda ref: f"D{self._meeting_key(ref.meeting)}#{ref.decision.anchor}:{ref.body_name}",
            # Who came for a municipality: the municipality is on the same page.
            Representation: lambda rep: f"P{self._meeting_key(rep.meeting)}",
        }

    def key(self, template: str, url: str, crumbs: Any, context: Mapping[str, Any]) -> str:
        """The page's key, or '' when a context value cannot be described (or without a memo)."""
        if not self.global_key:
            return ""
        try:
            parts = [self.global_key, template, url, self.describe(crumbs)]
            parts += [f"{name}={self.describe(context[name])}" for name in sorted(context)]
        except Unkeyable:
            return ""
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()

    @staticmethod
    def with_counts(shape: str, counts: tuple[int, ...]) -> str:
        """The key of a page that is shape (a key) but for its counts; '' if shape is."""
        return hashlib.sha256(f"{shape}\0{counts}".encode("utf-8")).hexdigest() if shape else ""

    def unchanged(self, url: str, key: str) -> bool:
        previous = self.previous.get(url)
        return bool(key) and previous is not None and previous.key == key

    def describe(self, value: Any) -> str:
        """A string that changes whenever value changes as far as a template can see."""
        if type(value) in SCALARS or isinstance(value, (str, int, float, bool, dt.date)):
            return repr(value)
        if isinstance(value, (tuple, list)):
            # Long lists of objects described before (a decision is on twenty list pages or
            # more): looked up in C, element by element, without a Python loop.
            texts = list(map(self._texts.get, map(id, value)))
            if None in texts:
                texts = [text if text is not None else self._describe_known(v) for text, v in zip(texts, value)]
            return "[" + ",".join(texts) + "]"
        if isinstance(value, dict):
            return "{" + ",".join(f"{self.describe(k)}:{self.describe(v)}" for k, v in value.items()) + "}"
        return self._describe_known(value)

    def _describe_known(self, value: Any) -> str:
        # Objects recur on many pages: each is described once.
        texts = self._texts
        known = texts.get(id(value))
        if known is not None:
            return known
        kind = type(value)
        if kind in SCALARS:
            return repr(value)
        describer = self._describers.get(kind)
        if describer is None:
            if isinstance(value, tuple) and SCALARS.issuperset(map(type, value)):
                # A link and its count (render.CountLink), ten of them on each list page: made
                # anew for each, so never found above, and a Python call for each field cost a
                # rebuild of 10,000 meetings 1.5 s.
                return repr(tuple(value))
            if isinstance(value, PLAIN):
                return self.describe(value)
            describer = self._describe_object
        text = describer(value)
        if len(texts) >= KNOWN_OBJECTS:
            texts.clear()
            self._kept.clear()
        texts[id(value)] = text
        self._kept.append(value)
        return text

    def _describe_object(self, value: Any) -> str:
        """Any other object: the registry, or a dataclass by its fields."""
        if isinstance(value, Registry):
            return "R"  # part of the global key
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = ",".join(self.describe(getattr(value, f.name)) for f in dataclasses.fields(value))
            return f"{type(value).__name__}({fields})"
        raise Unkeyable(type(value).__name__)

    def _meeting_key(self, meeting: Meeting) -> str:
        key = self.meeting_keys.get(meeting.url)
        if not key:
            raise Unkeyable(f"no key for {meeting.url}")
        return key[:16]  # 64 bits tell versions of one file apart, and keep long lists short
