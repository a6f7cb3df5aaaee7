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

An entry holds a meeting's parts of the open data files (UTF-8) and the pickled meeting,
after a header of their lengths: each open data file reads only its part. In the cache
each entry is a file of its own, named by its key, which later builds find and the cache's
clean-up deletes. A store that lasts one build (no cache) is packed instead: each process
appends its entries to one file, each after its key, since a file per meeting cost a clean
build 0.7 ms a meeting to create (this disk takes about as long to create a file as to
write 30 KB). A process finds the others' entries by reading the keys and headers of every
pack once, when it first needs one that it did not write, after the parsing.
"""

from __future__ import annotations

import os
import pickle
import struct
from pathlib import Path
from typing import BinaryIO, Callable, Mapping

from .cache import write_whole
from .model import Meeting, Registry
from .open_data import FILES, meeting_records

HEADER = struct.Struct(f"<{len(FILES) + 1}Q")  # byte lengths: each open data part, then the meeting
KEY = struct.Struct("<I")  # in a pack, the byte length of the key that comes before an entry
MEETING = len(FILES)


class MeetingStore:
    def __init__(self, folder: Path | None, registry: Registry, keys: Mapping[str, str] | None = None,
                 reparse: Callable[[Path], Meeting | None] | None = None, packed: bool = False):
        self.folder = folder
        """None: nothing is stored, and every meeting of the archive must be whole."""
        self.registry = registry
        self.keys = keys or {}
        """The cache key of each meeting's minutes file, by meeting URL."""
        self.reparse = reparse
        """Parses one minutes file again, for an entry that went missing."""
        self.packed = packed
        """Entries appended to a file per process (a store for one build), not a file each."""
        self._pack: tuple[int, BinaryIO] | None = None  # (the process that opened it, its pack)
        self._written: dict[str, tuple[str, int]] = {}  # where this process put entries: pack, offset
        self._index: dict[str, tuple[str, int]] | None = None  # every pack's, read once
        self._readers: dict[Path, BinaryIO] = {}  # each pack, opened once to read (a fork shares them: pread has no offset)

    def keep(self, key: str, meeting: Meeting) -> None:
        """Store a whole meeting (parsed from the minutes file with cache key key) and its
        parts of the open data files."""
        if self.folder is not None and key:
            records = meeting_records(self.registry, meeting)
            parts = [records[name].encode("utf-8") for name in FILES] + [pickle.dumps(meeting, pickle.HIGHEST_PROTOCOL)]
            entry = HEADER.pack(*map(len, parts)) + b"".join(parts)
            if self.packed:
                self._append(key, entry)
            else:
                write_whole(self._path(key), entry)

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
            return self.stored_part(self._key(meeting), name)
        except LookupError:
            return meeting_records(self.registry, self.whole(meeting))[name]

    def stored_part(self, key: str, name: str) -> str:
        """The part of the open data file name of the meeting whose minutes file has cache
        key key, as stored; LookupError if it is not (a rebuild then writes the file whole)."""
        try:
            return self._part(key, FILES.index(name)).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LookupError(key) from exc

    def _key(self, meeting: Meeting) -> str:
        return self.keys.get(meeting.url, "")

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.meeting"

    def _append(self, key: str, entry: bytes) -> None:
        assert self.folder is not None
        if self._pack is None or self._pack[0] != os.getpid():  # a forked process has a pack of its own
            self._pack = (os.getpid(), open(self.folder / f"{os.getpid()}.pack", "ab"))
        pack = self._pack[1]
        encoded = key.encode("utf-8")
        offset = pack.seek(0, os.SEEK_END) + KEY.size + len(encoded)
        pack.write(KEY.pack(len(encoded)) + encoded + entry)
        pack.flush()  # nothing left in the buffer for a forked process to write again
        self._written[key] = (os.path.basename(pack.name), offset)

    def _where(self, key: str) -> tuple[Path, int]:
        """The file that holds the entry of key and where in it the entry starts."""
        assert self.folder is not None
        if not self.packed:
            return self._path(key), 0
        if key in self._written:
            name, offset = self._written[key]
        else:
            if self._index is None:
                self._index = {key: (path.name, offset) for path in self.folder.glob("*.pack") for key, offset in _packed(path)}
            name, offset = self._index[key]
        return self.folder / name, offset

    def _part(self, key: str, index: int) -> bytes:
        """One part of a meeting's entry; LookupError if it is missing or cut short."""
        if self.folder is None or not key:
            raise LookupError(key)
        path, start = self._where(key)
        try:
            if self.packed:
                return _read_part(self._reader(path), start, index)
            with open(path, "rb", buffering=0) as handle:
                return _read_part(handle, start, index)
        except (OSError, struct.error, EOFError) as exc:
            raise LookupError(key) from exc

    def _reader(self, pack: Path) -> BinaryIO:
        """The pack, open to read: a build reads four parts of each meeting (its page, three
        open data files), and opening the pack for each, then seeking and reading through a
        buffer, took 8 µs a part against 1.6 µs for two preads on a file kept open."""
        if pack not in self._readers:
            self._readers[pack] = open(pack, "rb", buffering=0)
        return self._readers[pack]

    def _made_again(self, meeting: Meeting, key: str) -> Meeting:
        whole = self.reparse(Path(meeting.source)) if self.reparse is not None else None
        if whole is None or whole.url != meeting.url:
            raise LookupError(f"{meeting.source}: the whole meeting is neither stored nor readable; build again")
        self.keep(key, whole)
        return whole


def _read_part(handle: BinaryIO, start: int, index: int) -> bytes:
    """Part index of the entry at start: two reads at an offset, none through a buffer."""
    lengths = HEADER.unpack(os.pread(handle.fileno(), HEADER.size, start))
    data = os.pread(handle.fileno(), lengths[index], start + HEADER.size + sum(lengths[:index]))
    if len(data) != lengths[index]:
        raise EOFError(f"{handle.name} is cut short")
    return data


def _packed(path: Path) -> list[tuple[str, int]]:
    """The key of each entry of a pack and where the entry starts, up to the first one cut
    short (a process that stopped while writing it)."""
    found = []
    size = path.stat().st_size
    with open(path, "rb") as pack:
        while len(length := pack.read(KEY.size)) == KEY.size:
            key = pack.read(KEY.unpack(length)[0]).decode("utf-8")
            offset = pack.tell()
            header = pack.read(HEADER.size)
            end = offset + HEADER.size + sum(HEADER.unpack(header)) if len(header) == HEADER.size else size + 1
            if end > size:
                break
            found.append((key, offset))
            pack.seek(end)
    return found
