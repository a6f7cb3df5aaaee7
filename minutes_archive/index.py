"""Index stage: run the Pagefind CLI over the built site, one run per search shard (and
one over the shards' vocabulary pages, shard_words.py).

The CLI, not Pagefind's Python API: in 1.5.2 the API sleeps 0.1 s per page and
can leave empty files under load (see DESIGN.md, section 3).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Mapping

from .shards import Shard


PAGES_INDEXED = re.compile(r"Indexed (\d+) pages?\b")


class SearchIndexError(Exception):
    """Pagefind failed or produced a broken bundle."""


def index_shard(site_dir: Path, shard: Shard, output_folder: str | None = None) -> int:
    """Index the pages of one shard into site_dir/output_folder (default: the shard's own
    folder); return the number of pages indexed."""
    folder = output_folder or shard.folder
    return _pagefind(["--site", str(site_dir), "--glob", shard.glob, "--output-subdir", folder], site_dir / folder)


def index_pages(pages: Mapping[str, str], bundle: Path) -> int:
    """Index these pages (their HTML, by file name without .html) into the folder bundle;
    return the number of pages indexed."""
    with tempfile.TemporaryDirectory(prefix="pages-") as site:
        for name, html in pages.items():
            (Path(site) / f"{name}.html").write_text(html, encoding="utf-8")
        return _pagefind(["--site", site, "--output-path", str(bundle.resolve())], bundle)


def _pagefind(arguments: list[str], bundle: Path) -> int:
    result = subprocess.run([sys.executable, "-m", "pagefind", *arguments], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError(f"pagefind failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}".strip())
    check_bundle(bundle)
    counted = PAGES_INDEXED.search(result.stdout)
    if not counted:
        raise SearchIndexError(f"pagefind did not say how many pages it indexed:\n{result.stdout}".strip())
    return int(counted.group(1))


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
