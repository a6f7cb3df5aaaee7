"""Content errors: collected across every file, reported all at once."""

from __future__ import annotations

import difflib
import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in one source file, at one line (1-based)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class BuildError(Exception):
    """Raised when content errors stop the build; carries every error found."""

    def __init__(self, errors: Iterable[ContentError]):
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(e) for e in self.errors))


class ErrorCollector:
    """Gathers errors and warnings for one source file so a stage can keep going after the first."""

    def __init__(self, path: str):
        self.path = path
        self.errors: list[ContentError] = []
        self.warnings: list[ContentError] = []

    def add(self, line: int | None, message: str) -> None:
        self.errors.append(ContentError(self.path, max(line or 1, 1), message))

    def warn(self, line: int | None, message: str) -> None:
        """Something that builds but is probably a mistake; an error with --strict."""
        self.warnings.append(ContentError(self.path, max(line or 1, 1), f"warning: {message}"))


def display_path(path: Path) -> str:
    """Return the path as the user would type it: relative to the working directory if possible."""
    if path.name in ("", ".", ".."):
        return _shown_folder(str(path), os.getcwd()) or path.as_posix()
    # The folder is resolved once for all its files (a resolve is a system call per part
    # of the path: 1 ms a file at 10,000 minutes files). The file itself is not followed:
    # content/ allows no symlinks, and one is reported by the name it has there.
    folder = _shown_folder(str(path.parent), os.getcwd())
    if folder is None:
        return path.as_posix()
    return path.name if folder == "." else f"{folder}/{path.name}"


@functools.lru_cache(maxsize=1024)
def _shown_folder(folder: str, cwd: str) -> str | None:
    try:
        return Path(folder).resolve().relative_to(Path(cwd).resolve()).as_posix()
    except ValueError:
        return None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return a '; did you mean ...?' suffix for the closest choice, or ''."""
    close = difflib.get_close_matches(word.lower(), sorted(set(choices)), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def counted(number: int, noun: str) -> str:
    """'1 meeting', '2 meetings': a count with its noun, for the build's messages."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
