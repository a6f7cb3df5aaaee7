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
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
PARSED, STORE = "parsed", "meetings"
"""The folders of the parsed minutes (here) and of the meeting store (store.py), in the cache folder."""
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
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError):
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
        if not isinstance(last, LastBuild) or last.output != output_state(output):
            return None
        return last

    def remember_build(self, output: Path, record: dict, pages: dict, written: list[str] | None = None,
                       last: "LastBuild | None" = None) -> None:
        """Keep what a build did: its record (fingerprints, counts) and each page's memo record.
        With the last build and the files written since (paths relative to output), only
        those are looked at again, not the whole output folder."""
        if self.enabled:
            state = output_state(output) if last is None or written is None else _updated_state(output, last.output, written)
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
class LastBuild:
    record: dict
    """fingerprint, settings, shards, indexed (fingerprint per shard), meetings, decisions."""
    pages: dict
    """Each file's memo record (PageRecord) by URL."""
    output: dict[str, tuple[int, int]]
    """output_state() of the output folder right after the build."""


def output_state(folder: Path) -> dict[str, tuple[int, int]]:
    """A cheap check that an output folder is as a build left it: the size and modification
    time of each file, by path relative to folder (a stat each: 0.3 s at 10,000 meetings)."""
    state: dict[str, tuple[int, int]] = {}
    if folder.is_dir():
        _state_of(str(folder), "", state)
    return state


def _state_of(path: str, relative: str, state: dict[str, tuple[int, int]]) -> None:
    with os.scandir(path) as scan:
        for entry in scan:
            name = relative + entry.name
            if entry.is_dir(follow_symlinks=False):
                _state_of(entry.path, name + "/", state)
            else:
                stat = entry.stat(follow_symlinks=False)
                state[name] = (stat.st_size, stat.st_mtime_ns)


def _updated_state(folder: Path, state: dict[str, tuple[int, int]], written: list[str]) -> dict[str, tuple[int, int]]:
    updated = dict(state)
    for relative in written:
        stat = os.stat(folder / relative, follow_symlinks=False)
        updated[relative] = (stat.st_size, stat.st_mtime_ns)
    return updated
