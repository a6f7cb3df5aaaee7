"""The build cache: work a rebuild does not have to do again.

Four things are kept in a cache folder (default .cache/ beside build.py, safe to delete):

- each minutes file, parsed, under a key of its bytes, its path, the registries and the
  generator's code, so a rebuild parses only the files that changed: its meeting's
  outline here, the whole meeting and its open data parts in the meeting store beside it
  (store.py);
- a record of the last build of each output folder: a fingerprint of every input (content,
  templates, registries, code, options, provenance), so that a build with nothing changed
  stops at once; the render memo key of every page, so that a build renders only the pages
  whose inputs changed (see memo.py); and a fingerprint of the text each search shard
  indexes, so that a shard whose text is unchanged is not indexed again;
- the key each minutes file had when it was last read, with its size and modification
  time, so that a rebuild reads only the files whose size or time changed (file_keys).

A key covers everything its result depends on, so a stale entry is never used; a change
to the code, a template, a registry or a setting simply misses the cache. Entries that no
recorded build uses any more (earlier versions of edited files; every file, after a change
of code or registries) are deleted by prune.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections import Counter
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
PARSED, STORE, TEMPLATES = "parsed", "meetings", "templates"
"""The folders of the parsed minutes (here), of the meeting store (store.py) and of the
compiled templates (render.CompiledTemplates), in the cache folder."""
LIBRARIES = ("markdown-it-py", "Jinja2", "PyYAML", "wordfreq", "pagefind")
FORMAT = "2"  # bump when what is stored changes shape


def sha(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def code_fingerprint() -> str:
    """The generator's own code and the versions of the libraries that shape its output."""
    parts = [FORMAT]
    for path in sorted(PACKAGE.glob("*.py")):
        parts += [path.name, path.read_bytes()]
    for name in LIBRARIES:
        try:
            parts.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} missing")
    return sha(*parts)


def folder_fingerprint(folder: Path) -> str:
    """Every file below folder, by name and content."""
    parts = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return sha(*parts)


def read_pickle(path: Path):
    """What write_pickle kept at path; None if it is missing or unreadable (a damaged or old
    cache entry is a miss, never an error)."""
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # noqa: BLE001 - damaged bytes raise whatever the damage hits (UnicodeDecodeError, KeyError, ...)
        return None


def write_pickle(path: Path, value) -> None:
    """Keep value at path, to be read by read_pickle."""
    write_whole(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def write_whole(path: Path, data: bytes) -> None:
    """Write data to path so that a reader never sees half a file (written beside it, then renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


class BuildCache:
    def __init__(self, folder: Path | None):
        self.folder = folder

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    # --- parsed minutes ----------------------------------------------------------------

    def load_parsed(self, key: str):
        return read_pickle(self._parsed_path(key)) if self.enabled else None

    def store_parsed(self, key: str, value) -> None:
        if self.enabled:
            write_pickle(self._parsed_path(key), value)

    def _parsed_path(self, key: str) -> Path:
        return self.folder / PARSED / key[:2] / f"{key}.pickle"

    # --- the keys of minutes files ------------------------------------------------------

    def file_keys(self, context: str) -> dict[str, tuple[int, int, str]]:
        """(size, modification time in ns, cache key) of each minutes file by path, as it was
        when last read with this context; empty when there is none."""
        known = read_pickle(self.folder / "files.pickle") if self.enabled else None
        if not isinstance(known, dict) or known.get("context") != context:
            return {}
        return known["files"]

    def remember_file_keys(self, context: str, files: dict[str, tuple[int, int, str]]) -> None:
        if self.enabled:
            write_pickle(self.folder / "files.pickle", {"context": context, "files": files})

    # --- whole builds ----------------------------------------------------------------------

    def last_build(self, output: Path) -> "LastBuild | None":
        """The record of the last build of output, if output is still as that build left it."""
        if not self.enabled:
            return None
        last = read_pickle(self._builds_path(output))
        if not isinstance(last, LastBuild) or not isinstance(last.output, OutputState) or not as_left(output, last.output):
            return None
        return last

    def remember_build(self, output: Path, record: dict, pages: dict, changes: "OutputChanges | None" = None,
                       last: "LastBuild | None" = None) -> None:
        """Keep what a build did: its record (fingerprints, counts) and each page's memo record.
        With the last build and what was changed in output since (OutputChanges), only
        those files and folders are looked at again, not the whole output folder."""
        if self.enabled:
            state = output_state(output) if last is None or changes is None else _updated_state(output, last.output, changes)
            write_pickle(self._builds_path(output), LastBuild(record, pages, state))

    def prune(self) -> int:
        """Delete the parsed minutes and stored meetings that no recorded build uses, once
        they outnumber those in use, and the records of output folders that are gone.
        Returns how many entries were deleted.

        Deleting takes as long as writing (0.4 ms a file on this disk), so it waits until
        the unused entries are more than the used ones: the cache then stays within about
        twice what the builds use, and a build deletes seldom, but then many (all the
        entries of the code before last). A build running beside this one may lose entries
        it has not recorded yet: it parses those files again."""
        if not self.enabled:
            return 0
        used: set[str] = set()
        for record_path in (self.folder / "builds").glob("*.pickle"):
            last = read_pickle(record_path)
            if not isinstance(last, LastBuild) or not isinstance(last.record.get("output"), str) or not Path(last.record["output"]).is_dir():
                record_path.unlink(missing_ok=True)  # an output folder that is gone, or a record of an older shape
                continue
            used.update(last.record.get("files", {}).values())
        entries = [entry for folder in (PARSED, STORE) for entry in _entries(self.folder / folder)]
        unused = [path for key, path in entries if key not in used]
        if len(unused) <= len(entries) - len(unused):
            return 0
        for path in unused:
            Path(path).unlink(missing_ok=True)
        return len(unused)

    def built_into(self, output: Path) -> bool:
        """Whether a build into output was recorded (and not forgotten), as it is left or not."""
        return self.enabled and self._builds_path(output).exists()

    def build_lock(self, output: Path) -> Path:
        """The file whose lock a build of output holds (see pipeline.build)."""
        return self._builds_path(output).with_suffix(".lock")

    def forget_build(self, output: Path) -> None:
        if self.enabled:
            self._builds_path(output).unlink(missing_ok=True)

    def _builds_path(self, output: Path) -> Path:
        return self.folder / "builds" / f"{sha(str(output.resolve()))[:16]}.pickle"


def _entries(folder: Path) -> list[tuple[str, str]]:
    """(key, path) of each entry below a folder of entries by key (folder/ab/abcd….suffix);
    files half written (….tmp) are left alone."""
    found = []
    try:
        parts = [entry.path for entry in os.scandir(folder) if entry.is_dir(follow_symlinks=False)]
    except OSError:
        return []
    for part in parts:
        with os.scandir(part) as scan:
            found += [(entry.name.split(".", 1)[0], entry.path) for entry in scan if not entry.name.endswith(".tmp")]
    return found


@dataclass(frozen=True)
class OutputState:
    """What an output folder was like right after a build, to tell later that it is as the
    build left it: a stat of each file and folder by name (0.1 s at 10,000 meetings, where
    listing every folder took 0.3 s). A file that was changed or removed has another size or
    time, or none; one that was added has changed its folder's time."""

    entries: dict[str, tuple[int, int]]
    """The size and modification time of each file and folder, by path relative to the
    output folder (folders end in '/'; the output folder itself is '')."""
    unsettled: frozenset[str]
    """Folders whose time had not settled when they were listed: a file added within the
    same tick of the clock would leave it as it was, so they are listed again (as git does)."""


@dataclass(frozen=True)
class LastBuild:
    record: dict
    """output (the output folder's resolved path), fingerprint, settings, shards, indexed
    (fingerprint per shard), meetings, decisions, and what a rebuild of edits needs (pipeline.py)."""
    pages: dict
    """Each file's memo record (PageRecord) by URL."""
    output: OutputState
    """The output folder right after the build."""


SETTLED_NS = 2_000_000_000
"""A modification time tells changes apart only once the clock has moved past it by more
than the file system's time resolution (2 s on FAT): a change within the same tick would
leave the time as it was."""


def output_state(folder: Path) -> OutputState:
    """The state of an output folder as it is now, every folder listed."""
    entries: dict[str, tuple[int, int]] = {}
    now = time.time_ns()
    if folder.is_dir():
        stat = folder.stat()
        entries[""] = (stat.st_size, stat.st_mtime_ns)
        _state_of(str(folder), "", entries)
    return OutputState(entries, frozenset(name for name in entries if _is_folder(name) and _unsettled(entries[name], now)))


def _state_of(path: str, relative: str, entries: dict[str, tuple[int, int]]) -> None:
    with os.scandir(path) as scan:
        for entry in scan:
            stat = entry.stat(follow_symlinks=False)
            if entry.is_dir(follow_symlinks=False):
                entries[f"{relative}{entry.name}/"] = (stat.st_size, stat.st_mtime_ns)
                _state_of(entry.path, f"{relative}{entry.name}/", entries)
            else:
                entries[relative + entry.name] = (stat.st_size, stat.st_mtime_ns)


def _is_folder(name: str) -> bool:
    return not name or name.endswith("/")


def _unsettled(known: tuple[int, int], now: int) -> bool:
    return known[1] + SETTLED_NS >= now


def _parent(name: str) -> str:
    """The folder of a file or folder in OutputState.entries: a/b/c.html -> a/b/, a/ -> ''."""
    head, _, _ = name.rstrip("/").rpartition("/")
    return f"{head}/" if head else ""


def as_left(folder: Path, state: OutputState) -> bool:
    """Whether folder is as it was when state was taken."""
    if not state.entries:
        return False
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        stat = os.stat
        for relative, known in state.entries.items():
            found = stat(relative or ".", dir_fd=descriptor, follow_symlinks=False)
            if (found.st_size, found.st_mtime_ns) != known:
                return False
        if not state.unsettled:
            return True
        counts = Counter(_parent(name) for name in state.entries if name)
        for relative in state.unsettled:
            with os.scandir(folder / relative if relative else folder) as scan:
                names = [f"{relative}{e.name}/" if e.is_dir(follow_symlinks=False) else relative + e.name for e in scan]
            if len(names) != counts[relative] or not all(name in state.entries for name in names):
                return False
        return True
    except OSError:
        return False
    finally:
        os.close(descriptor)


@dataclass(frozen=True)
class OutputChanges:
    """What a rebuild changed in an output folder since the last build's state of it was
    taken, as paths relative to the folder."""

    written: tuple[str, ...] = ()
    """Files written or replaced."""
    removed: tuple[str, ...] = ()
    """Files deleted, with the folders they left empty."""
    replaced: tuple[str, ...] = ()
    """Folders replaced whole, such as a search shard's bundle ('pagefind/2020/')."""


def _updated_state(folder: Path, state: OutputState, changes: OutputChanges) -> OutputState:
    """state with what changed since it was taken looked at again: the files written and
    the folders they were written to (a rename into a folder changes its time), the folders
    of files removed, and each folder replaced, listed anew. At 10,000 meetings a walk of
    the whole output folder (50,000 files and folders with search) took 0.5–1.5 s; a
    rebuild's changes are a few thousand."""
    entries = dict(state.entries)
    now = time.time_ns()
    listed: list[str] = []
    for replaced in changes.replaced:
        for name in [name for name in entries if name.startswith(replaced)]:
            del entries[name]
        if (folder / replaced).is_dir():
            found = os.stat(folder / replaced, follow_symlinks=False)
            entries[replaced] = (found.st_size, found.st_mtime_ns)
            _state_of(str(folder / replaced), replaced, entries)
        listed += [name for name in entries if name.startswith(replaced) and _is_folder(name)]
    for path in changes.removed:
        entries.pop(path, None)
    touched = {*changes.written, *(name for path in (*changes.written, *changes.removed) for name in _folders_of(path)),
               *(name for replaced in changes.replaced for name in _folders_of(replaced.rstrip("/")))}
    for name in touched:
        try:
            found = os.stat(folder / name if name else folder, follow_symlinks=False)
        except FileNotFoundError:
            entries.pop(name, None)  # a folder a removed file left empty, deleted with it
            continue
        entries[name] = (found.st_size, found.st_mtime_ns)
    unsettled = {name for name in (*touched, *listed) if _is_folder(name) and name in entries and _unsettled(entries[name], now)}
    return OutputState(entries, frozenset(name for name in state.unsettled if name in entries) | unsettled)


def _folders_of(relative: str) -> list[str]:
    """The folders a relative path is in: a/b/c.html -> a/b/, a/, ''."""
    parts = relative.split("/")
    return ["/".join(parts[:n]) + "/" for n in range(len(parts) - 1, 0, -1)] + [""]
