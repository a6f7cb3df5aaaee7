#!/usr/bin/env python3
"""Rebuild benchmark (not a test): a meeting added, then removed, by two versions of the code.

    python bench/rebuild_ab.py --old 56b9e90 [--meetings 10000] [--rounds 4] [--search]

A change to how a rebuild works moves its time by a tenth, and one rebuild of the same code
moves by a fifth from one minute to the next on this machine: two versions can only be
told apart side by side. This checks out the old version (a git worktree in the work
folder) and builds the same archive with each version into its own output and cache folder
(`build.py --no-search --cache`; with --search, the search index too, in folders of their
own), then, round by round, adds a meeting (the newest minutes
file copied four days later, as build_bench.py does) and rebuilds with both versions, then
removes it and rebuilds with both; the order of the two versions alternates from round to
round. Prints each pair and, for each version, the mean of its rebuilds.

The builds' provenance includes the content folder's git commit, so commit nothing while
it runs: the next rebuild of each version would go the whole way.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path
from statistics import mean

from build_bench import ROOT, add_meeting, measure
from generate import generate


def worktree(revision: str, folder: Path) -> Path:
    """The code of revision, checked out in folder (made again if it holds another)."""
    if folder.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)], check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--force", str(folder), revision], check=True, capture_output=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--old", required=True, help="the git revision to compare this checkout with")
    parser.add_argument("--meetings", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "runs")
    parser.add_argument("--search", action="store_true",
                        help="build the search index too, as a build does by default (each version in output folders of its own)")
    args = parser.parse_args()
    content = args.work / f"archive-{args.meetings}"
    if not content.exists():
        generate(args.meetings, 1, content)
    code = {"old": worktree(args.old, args.work / "rebuild-ab-old"), "new": ROOT}

    kind = "-search" if args.search else ""

    def rebuild(version: str) -> dict:
        output, cache = args.work / f"rebuild-ab-site{kind}-{version}", args.work / f"rebuild-ab-cache{kind}-{version}"
        return measure([sys.executable, str(code[version] / "build.py"), "--content", str(content), "--output", str(output),
                        *([] if args.search else ["--no-search"]), "--cache", str(cache)], cwd=code[version])

    for version in code:  # the first builds go the whole way
        print(f"{version}: first build {rebuild(version)['wall']:.1f} s", flush=True)
    walls: dict[str, list[float]] = {"old": [], "new": []}
    for round_number in range(args.rounds):
        order = ["old", "new"] if round_number % 2 == 0 else ["new", "old"]
        added = add_meeting(content)
        try:
            for change in ("added", "removed"):
                if change == "removed":
                    added.unlink()
                    order.reverse()  # the version that went second goes first
                runs = {version: rebuild(version) for version in order}
                for version, run in runs.items():
                    walls[version].append(run["wall"])
                pair = ", ".join(f"{version} {runs[version]['wall']:.2f} s" for version in order)
                files = runs["new"]["output"].strip().split("; ")[-2]
                print(f"round {round_number + 1}, a meeting {change}: {pair} ({files})", flush=True)
        finally:
            added.unlink(missing_ok=True)
    for version, values in walls.items():
        print(f"{version} ({args.old if version == 'old' else 'this checkout'}): mean {mean(values):.2f} s, "
              f"{min(values):.2f}-{max(values):.2f} s over {len(values)} rebuilds")


if __name__ == "__main__":
    main()
