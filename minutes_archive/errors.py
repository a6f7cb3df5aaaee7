"""Content errors: collected across every file, reported all at once."""

from __future__ import annotations

import difflib
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
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return a '; did you mean ...?' suffix for the closest choice, or ''."""
    close = difflib.get_close_matches(word.lower(), sorted(set(choices)), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
