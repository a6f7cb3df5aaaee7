"""When and from which commit a site was built, without reading the clock.

Two builds of one commit must be byte-identical, so the build time is SOURCE_DATE_EPOCH
when set (the reproducible-builds convention), else the time of the commit being built.
Outside a git checkout, and with neither, the site says nothing about when it was built.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BuildInfo:
    time: dt.datetime | None
    """UTC time the site stands for: SOURCE_DATE_EPOCH or the commit time."""
    commit: str | None
    """Full hash of the commit built, None outside git."""
    modified: bool = False
    """True when the work tree differed from the commit."""

    @property
    def short_commit(self) -> str | None:
        return self.commit[:10] if self.commit else None


def _git(folder: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=False, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def read_build_info(folder: Path, environ: dict[str, str] | None = None) -> BuildInfo:
    """Provenance of a build of the checkout that holds folder."""
    environ = os.environ if environ is None else environ
    commit = _git(folder, "rev-parse", "HEAD")
    modified = bool(_git(folder, "status", "--porcelain")) if commit else False
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch and commit:
        epoch = _git(folder, "log", "-1", "--format=%ct") or ""
    time = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch.isdigit() else None
    return BuildInfo(time, commit, modified)
