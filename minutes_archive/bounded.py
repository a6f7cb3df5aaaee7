"""A dictionary of bounded size for the per-process caches of the render stage."""

from __future__ import annotations

from typing import Callable, Generic, TypeVar

Key = TypeVar("Key")
Value = TypeVar("Value")

# Enough for every entry of an archive of 10,000 meetings (75,000 decisions), so that each
# is made once per process: clearing sooner cost a fifth more CPU time there, since an
# entry recurs on many list pages far apart in the order of rendering. Larger archives
# start over now and then rather than keep every entry (a render process of 100,000
# meetings grew to 7 GB).
CACHE_ENTRIES = 200_000


class BoundedCache(Generic[Key, Value]):
    """get and put, forgetting everything when full: a cache that never grows past its size."""

    def __init__(self, size: int = CACHE_ENTRIES):
        self.size = size
        self._entries: dict[Key, Value] = {}
        # The dictionary's own get, not a method around it: lookups are on the hot paths of
        # rendering (a call of a Python method costs more than the lookup).
        self.get: Callable[[Key], Value | None] = self._entries.get

    def put(self, key: Key, value: Value) -> Value:
        if len(self._entries) >= self.size:
            self._entries.clear()
        self._entries[key] = value
        return value

    def __len__(self) -> int:
        return len(self._entries)
