"""The meeting store: the whole of each meeting on disk, while the build holds outlines.

The views across meetings (lists, register, feeds) need each meeting's outline only
(Meeting.outlined): titles, topics, attendees, the decisions' HTML. The text of the items
is needed by the meeting's own page and by the open data files, one meeting at a time. So
the parse stage keeps each whole meeting here, with its part of each open data file, under
the cache key of its minutes file, and the build holds outlines: half the memory, and every
process that renders gets its own copy of what it reads of the archive.

In a build with a cache the store lives in the cache folder, so an unchanged meeting is
not parsed again; without one it lives in a temporary folder for the length of the build.
An entry that is missing or unreadable is made again from the minutes file.

One file per meeting holds its parts of the open data files (UTF-8) and the pickled
meeting, after a header of their lengths: each open data file reads only its part, and
a build makes one file per meeting, not four (this disk takes about 0.4 ms to create a
file, and as long to delete it).
"""

from __future__ import annotations

import pickle
import struct
from pathlib import Path
from typing import Callable, Mapping

from .cache import write_whole
from .model import Meeting, Registry
from .open_data import FILES, meeting_records

HEADER = struct.Struct(f"<{len(FILES) + 1}Q")  # byte lengths: each open data part, then the meeting
MEETING = len(FILES)


class MeetingStore:
    def __init__(self, folder: Path | None, registry: Registry, keys: Mapping[str, str] | None = None,
                 reparse: Callable[[Path], Meeting | None] | None = None):
        self.folder = folder
        """None: nothing is stored, and every meeting of the archive must be whole."""
        self.registry = registry
        self.keys = keys or {}
        """The cache key of each meeting's minutes file, by meeting URL."""
        self.reparse = reparse
        """Parses one minutes file again, for an entry that went missing."""

    def keep(self, key: str, meeting: Meeting) -> None:
        """Store a whole meeting (parsed from the minutes file with cache key key) and its
        parts of the open data files."""
        if self.folder is not None and key:
            records = meeting_records(self.registry, meeting)
            parts = [records[name].encode("utf-8") for name in FILES] + [pickle.dumps(meeting, pickle.HIGHEST_PROTOCOL)]
            write_whole(self._path(key), HEADER.pack(*map(len, parts)) + b"".join(parts))

    def whole(self, meeting: Meeting) -> Meeting:
        """The meeting with the text of its items."""
        if not meeting.outline:
            return meeting
        key = self._key(meeting)
        try:
            stored = pickle.loads(self._part(key, MEETING))
        except (LookupError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            stored = None
        if isinstance(stored, Meeting) and stored.url == meeting.url:
            return stored
        return self._made_again(meeting, key)

    def records(self, meeting: Meeting, name: str) -> str:
        """The meeting's part of the open data file name."""
        if not meeting.outline:
            return meeting_records(self.registry, meeting)[name]
        try:
            return self._part(self._key(meeting), FILES.index(name)).decode("utf-8")
        except (LookupError, UnicodeDecodeError):
            return meeting_records(self.registry, self.whole(meeting))[name]

    def _key(self, meeting: Meeting) -> str:
        return self.keys.get(meeting.url, "")

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.meeting"

    def _part(self, key: str, index: int) -> bytes:
        """One part of a meeting's file; LookupError if it is missing or cut short."""
        if self.folder is None or not key:
            raise LookupError(key)
        try:
            with open(self._path(key), "rb") as handle:
                lengths = HEADER.unpack(handle.read(HEADER.size))
                handle.seek(HEADER.size + sum(lengths[:index]))
                data = handle.read(lengths[index])
        except (OSError, struct.error) as exc:
            raise LookupError(key) from exc
        if len(data) != lengths[index]:
            raise LookupError(key)
        return data

    def _made_again(self, meeting: Meeting, key: str) -> Meeting:
        whole = self.reparse(Path(meeting.source)) if self.reparse is not None else None
        if whole is None or whole.url != meeting.url:
            raise LookupError(f"{meeting.source}: the whole meeting is neither stored nor readable; build again")
        self.keep(key, whole)
        return whole
