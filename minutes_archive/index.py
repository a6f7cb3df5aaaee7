"""Index stage: run the Pagefind CLI over the built site.

The CLI, not Pagefind's Python API: in 1.5.2 the API sleeps 0.1 s per page and
can leave empty files under load (see DESIGN.md, section 3).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


class SearchIndexError(Exception):
    """Pagefind failed or produced a broken bundle."""


def index_site(site_dir: Path) -> str:
    """Build the search index in site_dir/pagefind/ and return Pagefind's summary line."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError(f"pagefind failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}".strip())
    check_bundle(site_dir / "pagefind")
    return " ".join(line.strip() for line in result.stdout.splitlines() if line.strip().startswith("Indexed"))


def check_bundle(bundle: Path) -> None:
    """Refuse a bundle with a missing or empty entry file, script or index file."""
    entry = bundle / "pagefind-entry.json"
    try:
        languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
    except (OSError, ValueError, KeyError) as exc:
        raise SearchIndexError(f"search index is broken: {entry} unreadable ({exc})") from None
    if "sv" not in languages:
        raise SearchIndexError(f"search index has no Swedish index (languages: {', '.join(languages) or 'none'})")
    for required in ("pagefind.js", "pagefind-component-ui.js", "wasm.sv.pagefind"):
        path = bundle / required
        if not path.is_file() or path.stat().st_size == 0:
            raise SearchIndexError(f"search index is broken: {path} is missing or empty")
