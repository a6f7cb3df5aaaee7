#!/usr/bin/env python3
"""Build benchmark (not a test): this generator against Hugo on the same synthetic minutes.

    python bench/build_bench.py --sizes 1000 10000 [--repeat 2]
    python bench/build_bench.py --sizes 100000 --clean-only   (the two clean builds alone)

For each size N: generates N meetings (bench/generate.py, seed 1) unless present, then,
interleaved so both see the same machine load, times
  - ours, clean:      python build.py --no-search --no-cache  (a cold build, both cores)
  - hugo, clean:      hugo over the same minutes (bench/hugo: a page per meeting, list pages)
                      (both clean builds start with no output folder)
  - ours, no change:  a second build with the cache, nothing edited
  - ours, one edit:   one minutes file's text changed (an addendum at its end, on the
                      meeting's page and in the open data only), then a build with the cache
  - ours, one decision: one decision's wording changed (on the meeting's page, the register,
                      the topic and municipality pages, feeds and open data), then a build
                      (each kind of edit five times, in turn with the other: median and range)
  - ours, a meeting added: a copy of the newest minutes file four days later, then a build;
                      then the same removed, then a build (three times, in turn: median
                      and range of each)
Wall time, CPU time (user + system) and pages per second, and where our clean build spent its
time (build.py --timings: each stage's wall and CPU time, the render CPU time of each section
of the site; the timing itself costs a getrusage call per stage and per render job); then, in a second clean build of
each, the peak memory of the whole process tree (the sum of proportional set sizes, sampled
from /proc every 20 ms, or three times as long as a sample takes). The sampling is a run of
its own because it is not free: reading the proportional set size of a process of some
hundred MB takes the kernel 30-70 ms, so a sampler at a fixed 20 ms kept 40-60 % of a core
busy, and on two cores that slowed the build it measured. Prints a Markdown table for the
README.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402


def tree_memory_kib(root_pid: int) -> int:
    """Memory of a process and all its descendants, in KiB: the sum of their proportional set
    sizes (PSS), so pages that forked workers share with their parent count once."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    children.setdefault(int(handle.read().rsplit(")", 1)[1].split()[1]), []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                total += next(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
        except (OSError, StopIteration, ValueError):
            pass
        stack += children.get(pid, [])
    return total


def measure(command: list[str], cwd: Path | None = None, memory: bool = False) -> dict:
    """Run a command; its wall time and CPU time, or with memory=True the peak memory of
    its process tree (peak_mib; 0 without), sampled at a cost to the times (see above)."""
    before = os.times()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0]

    def sample():
        while process.poll() is None:
            taken = time.perf_counter()
            peak[0] = max(peak[0], tree_memory_kib(process.pid))
            time.sleep(max(0.02, 3 * (time.perf_counter() - taken)))  # the sampler's share of a core stays under a quarter

    sampler = threading.Thread(target=sample, daemon=True)
    if memory:
        sampler.start()
    output, _ = process.communicate()
    wall = time.perf_counter() - started
    if memory:
        sampler.join()
    after = os.times()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{output[-3000:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {"wall": wall, "cpu": cpu, "peak_mib": peak[0] / 1024, "output": output}


EDIT_RUNS = 5
"""Each kind of edit is timed this often, and reported by its median and range: a single
rebuild of 2 s moves by a third with what the disk is still writing of the build before."""
ADD_RUNS = 3
"""A meeting is added and removed this often, in turn: each rebuild takes some seconds at
10,000 meetings, and two of them of the same code differed by a fifth within minutes."""


def median_run(runs: list[dict]) -> dict:
    """The run of median wall time, with the range of all of them (low, high)."""
    ordered = sorted(runs, key=lambda run: run["wall"])
    return {**ordered[len(ordered) // 2], "low": ordered[0]["wall"], "high": ordered[-1]["wall"]}


def spread(run: dict) -> str:
    return f"{run['wall']:.1f} s ({run['low']:.1f}–{run['high']:.1f})"


def hugo_site(work: Path, content: Path) -> Path:
    site = work / f"hugo-{content.name}"
    if site.exists():
        shutil.rmtree(site)
    shutil.copytree(ROOT / "bench" / "hugo", site)
    (site / "content").symlink_to(content / "minutes")
    return site


def edit_one(content: Path) -> None:
    path = sorted((content / "minutes").rglob("*.md"))[len(list((content / "minutes").rglob("*.md"))) // 2]
    text = path.read_text(encoding="utf-8")
    marker = "\n\nTillägg efter justering."
    path.write_text(text[: -len(marker)] if text.endswith(marker) else text + marker, encoding="utf-8")


def edit_decision(content: Path) -> None:
    """Change the wording of the first decision of the first minutes file past the middle that has one."""
    paths = sorted((content / "minutes").rglob("*.md"))
    marker = " (justerat)"
    for path in paths[len(paths) // 2:]:
        text = path.read_text(encoding="utf-8")
        start = text.find("### Beslut\n\n- ")
        if start >= 0:
            end = text.index("\n", start + len("### Beslut\n\n- "))
            line = text[start:end]
            changed = line[: -len(marker)] if line.endswith(marker) else line + marker
            path.write_text(text[:start] + changed + text[end:], encoding="utf-8")
            return
    raise SystemExit("no minutes file with a decision")


def add_meeting(content: Path) -> Path:
    """A copy of the newest minutes file four days later: a meeting added at the end of the
    archive, as the minutes of each new meeting are. Returns its path, to remove it again."""
    newest = sorted((content / "minutes").rglob("*.md"))[-1]
    text = newest.read_text(encoding="utf-8")
    old = dt.date.fromisoformat(text.split("\ndate: ", 1)[1][:10])
    new = old + dt.timedelta(days=4)
    path = content / "minutes" / str(new.year) / newest.name.replace(old.isoformat(), new.isoformat())
    path.parent.mkdir(exist_ok=True)
    path.write_text(text.replace(f"\ndate: {old.isoformat()}", f"\ndate: {new.isoformat()}", 1), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "runs")
    parser.add_argument("--clean-only", action="store_true",
                        help="time only the two clean builds: no memory runs, no rebuilds (at 100,000 meetings those take hours)")
    args = parser.parse_args()
    hugo = shutil.which("hugo") or sys.exit("hugo is needed: apt-get install hugo")
    # The generator's bytecode, as a user's Python keeps it after the first run: with
    # PYTHONDONTWRITEBYTECODE set (as on the machine the figures come from) every build
    # would compile the package again, 0.1 s of each rebuild.
    compileall.compile_dir(ROOT / "minutes_archive", quiet=1)
    rows = []
    for size in args.sizes:
        content = args.work / f"archive-{size}"
        if not content.exists():
            generate(size, 1, content)
        ours_out, hugo_out, cache = args.work / f"site-{size}", args.work / f"hugo-out-{size}", args.work / f"cache-{size}"
        site = hugo_site(args.work, content)
        build = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--output", str(ours_out), "--no-search"]
        hugo_build = [hugo, "--quiet", "--source", str(site), "--destination", str(hugo_out)]
        for _ in range(args.repeat):
            # Both clean builds start from no output folder: otherwise ours would also delete the
            # last run's site (21,000 files and folders at 10,000 meetings, 8-10 s on this disk).
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(ours_out, ignore_errors=True)
            ours = measure(build + ["--no-cache", "--timings"])
            shutil.rmtree(hugo_out, ignore_errors=True)
            theirs = measure(hugo_build)
            if args.clean_only:
                pages = sum(1 for _ in ours_out.rglob("*.html"))
                rows.append((size, ours, theirs, None, None, None, None, None, pages, 0))
                print(f"{size}: ours {ours['wall']:.1f} s, hugo {theirs['wall']:.1f} s", flush=True)
                continue
            shutil.rmtree(ours_out, ignore_errors=True)
            ours["peak_mib"] = measure(build + ["--no-cache"], memory=True)["peak_mib"]
            shutil.rmtree(hugo_out, ignore_errors=True)
            theirs["peak_mib"] = measure(hugo_build, memory=True)["peak_mib"]
            measure(build + ["--cache", str(cache)])  # fills the cache
            unchanged = measure(build + ["--cache", str(cache)])
            edited, decision = [], []
            for _ in range(EDIT_RUNS):  # in turn: each kind sees the disk still busy with the other's writes
                edit_one(content)
                edited.append(measure(build + ["--cache", str(cache)]))
                edit_decision(content)
                decision.append(measure(build + ["--cache", str(cache)]))
            edited, decision = median_run(edited), median_run(decision)
            added, removed = [], []
            for _ in range(ADD_RUNS):
                added_path = add_meeting(content)
                added.append(measure(build + ["--cache", str(cache)]))
                added_path.unlink()
                removed.append(measure(build + ["--cache", str(cache)]))
            added, removed = median_run(added), median_run(removed)
            pages = sum(1 for _ in ours_out.rglob("*.html"))
            hugo_pages = sum(1 for _ in hugo_out.rglob("*.html"))
            rows.append((size, ours, theirs, unchanged, edited, decision, added, removed, pages, hugo_pages))
            print(f"{size}: ours {ours['wall']:.1f} s, hugo {theirs['wall']:.1f} s, no change {unchanged['wall']:.1f} s, "
                  f"one edit {spread(edited)} ({edited['output'].strip().split('; ')[-2]}), "
                  f"one decision {spread(decision)} ({decision['output'].strip().split('; ')[-2]}), "
                  f"a meeting added {spread(added)} ({added['output'].strip().split('; ')[-2]}), removed {spread(removed)}", flush=True)

    print("\n| meetings | ours, clean | Hugo, clean | ratio | ours: CPU, peak memory | Hugo: CPU, peak memory | ours: pages/s "
          "| no-change rebuild | one text edit (median, range of 5) | one decision edited (median, range of 5) | a meeting added, then removed (medians, ranges of 3) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for size, ours, theirs, unchanged, edited, decision, added, removed, pages, hugo_pages in rows:
        peaks = (f"{ours['peak_mib']:.0f} MiB", f"{theirs['peak_mib']:.0f} MiB") if unchanged is not None else ("not measured", "not measured")
        rebuilds = ("–",) * 4 if unchanged is None else (
            f"{unchanged['wall']:.1f} s ({unchanged['wall'] / ours['wall']:.0%})", spread(edited), spread(decision),
            f"{spread(added)}, {spread(removed)}")
        print(f"| {size:,} | {ours['wall']:.1f} s | {theirs['wall']:.1f} s | {ours['wall'] / theirs['wall']:.1f} | "
              f"{ours['cpu']:.0f} s, {peaks[0]} | {theirs['cpu']:.0f} s, {peaks[1]} | "
              f"{pages / ours['wall']:.0f} ({pages} pages) | {' | '.join(rebuilds)} |")
    print("\nWhere each clean build of ours spent its time (its --timings):")
    for size, ours, *_ in rows:
        print(f"\n{size:,} meetings, {ours['wall']:.1f} s:\n" + stage_table(ours["output"]))


def stage_table(output: str) -> str:
    """The table that build.py --timings prints after its summary line."""
    lines = output.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("timings (")), None)
    return "\n".join(lines[start:]) if start is not None else "(no timings printed)"


if __name__ == "__main__":
    main()
