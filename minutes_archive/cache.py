"""The build cache: work a rebuild does not have to do again.

Three things are kept in a cache folder (default .cache/ beside build.py, safe to delete):

- each minutes file, parsed, under a key of its bytes, its path, the registries and the
  generator's code, so a rebuild parses only the files that changed;
- a fingerprint of the last build of each output folder: every input (content, templates,
  registries, code, options, provenance). When nothing changed the build stops at once;
- a fingerprint of the text Pagefind indexes (the meeting pages): when a build leaves it
  unchanged, the previous search index is reused instead of indexing again.

A key covers everything its result depends on, so a stale entry is never used; a change
to the code, a template, a registry or a setting simply misses the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
LIBRARIES = ("markdown-it-py", "Jinja2", "PyYAML", "wordfreq", "pagefind")
FORMAT = "1"  # bump when what is stored changes shape


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


class BuildCache:
    def __init__(self, folder: Path | None):
        self.folder = folder

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    # --- parsed minutes ----------------------------------------------------------------

    def load_parsed(self, key: str):
        if not self.enabled:
            return None
        try:
            with open(self._parsed_path(key), "rb") as handle:
                return pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError):
            return None

    def store_parsed(self, key: str, value) -> None:
        if not self.enabled:
            return
        path = self._parsed_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with open(temporary, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)

    def _parsed_path(self, key: str) -> Path:
        return self.folder / "parsed" / key[:2] / f"{key}.pickle"

    # --- whole builds and the search index ------------------------------------------------

    def last_build(self, output: Path) -> dict:
        if not self.enabled:
            return {}
        try:
            return json.loads(self._builds_path(output).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def remember_build(self, output: Path, record: dict) -> None:
        if not self.enabled:
            return
        path = self._builds_path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")

    def _builds_path(self, output: Path) -> Path:
        return self.folder / "builds" / f"{sha(str(output.resolve()))[:16]}.json"


def output_summary(folder: Path) -> str:
    """A cheap check that an output folder is as a build left it: names, sizes and times."""
    if not folder.is_dir():
        return ""
    parts = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            stat = path.stat()
            parts.append(f"{path.relative_to(folder).as_posix()} {stat.st_size} {stat.st_mtime_ns}")
    return sha(*parts)


def indexed_fingerprint(site: Path) -> str:
    """The text Pagefind indexes: every meeting page."""
    return sha(*(part for path in sorted((site / "moten").rglob("index.html")) for part in (path.relative_to(site).as_posix(), path.read_bytes())))


def reuse_index(previous_site: Path, staging: Path) -> bool:
    """Link the previous search index into the new site; False if there is none."""
    source = previous_site / "pagefind"
    if not (source / "pagefind-entry.json").is_file():
        return False
    shutil.copytree(source, staging / "pagefind", copy_function=_link_or_copy)
    return True


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
