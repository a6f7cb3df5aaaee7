#!/usr/bin/env python3
"""Search benchmark (not a test): build a synthetic archive with search and time searches in Chromium.

    python bench/search_bench.py --meetings 10000 [--shard-pages 2500]

1. Generates a synthetic archive of N meetings (bench/generate.py) unless it exists.
2. Builds it from no output folder, search index included, as `python build.py --no-cache`
   does: wall time and peak memory of the whole process tree (Pagefind included), and the
   time of the index stage as the build reports it. Above --shard-pages meeting pages the
   index is split into shards by year (minutes_archive/shards.py). The memory is sampled
   during the timed build (one build at 100,000 meetings takes over half an hour), which
   slows it: see bench/build_bench.py.
3. Serves the site on 127.0.0.1 and, in a fresh headless Chromium, opens the search page
   and puts the focus in its search box: the bytes the page fetches for each (the focus
   loads Pagefind with the newest shard's metadata and filters, then the older shards').
4. In another fresh Chromium on the search page, runs the queries one after another as
   its search box does (the first also loads Pagefind). With shards, the newest answers
   first and its results show while the older ones are searched: the time and bytes until
   the first answer's results are shown, and until the whole answer's are; and the number
   of places on the pages where a word of the query is (Pagefind's worker returns every
   result with all of them, so they, not the pages, set the time of a common word).
   --no-build measures the site of the last run again, without building it.
   --each-first types each query into a fresh page instead, as a visitor's first query (the
   older shards still loading); --latency MS makes the server wait MS before each answer,
   as a network's round trip does (the browser opens 6 connections a host, so requests
   then queue behind each other; without it every request is answered at once).
   --repeat R runs the queries R times, each time in a fresh Chromium, and gives each time
   as the median and, in brackets, the range: one run's times move by a third and more.
   --pause S waits S seconds between the queries of one page, as someone reading an answer
   before typing the next does: without it a query starts as the whole answer before it
   arrives, while the page still lists that answer's results.

Prints a Markdown table for the README's performance section.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from browser_support import QuietHandler, chromium_driver, serve  # noqa: E402
from build_bench import measure  # noqa: E402
from generate import generate  # noqa: E402

from minutes_archive.shards import SHARD_PAGES  # noqa: E402

# A query as the search page runs it (search.js): typed into its search box, the newest
# shard answers first and its results show while the older shards are searched; then the
# whole answer replaces them. For each answer the results list gets: when it came, and when
# the data of its first 5 results (those in view) was loaded. The first query also loads
# Pagefind. Pagefind fetches from web workers, which the page's Resource Timing does not
# see: the server logs each request's time (the browser's clock is the machine's).
QUERY_SCRIPT = """
const [term, done] = [arguments[0], arguments[arguments.length - 1]];
const instance = window.PagefindComponents.getInstanceManager().getInstance("default");
const list = document.querySelector("pagefind-results");
const started = Date.now();
const answers = [];
instance.on("results", async (answer) => {
  const state = list.dataset.searched || "all"; // an archive in one bundle has one answer
  const came = Date.now();
  await Promise.all(answer.results.slice(0, 5).map((r) => r.data()));
  answers.push({ state, results: answer.results.length, came: came - started, shown: Date.now() - started,
                 shownAt: Date.now(), places: answer.results.reduce((sum, r) => sum + r.words.length, 0) });
  if (state === "all") done({ started, answers });
}, "bench");
instance.triggerSearch(term);
"""


# What Pagefind fetches, by file name: the bytes of a query go mostly to the first two.
KINDS = {".pf_meta": "meta", ".pf_index": "index", ".pf_fragment": "fragments", ".pf_filter": "filters",
         ".pagefind": "wasm", ".js": "scripts", ".css": "scripts"}


class CountingHandler(QuietHandler):
    """Serves files and counts the requests and bytes it sent, in all and by kind of file."""

    requests = 0
    bytes = 0
    kinds: dict[str, int] = {}

    log: list[tuple[float, int, str]] = []  # (when sent, in ms since the epoch; bytes; path)
    latency = 0.0  # seconds to wait before answering a request

    def do_GET(self):
        if self.latency:
            time.sleep(self.latency)
        super().do_GET()

    def copyfile(self, source, outputfile):
        data = source.read()
        outputfile.write(data)
        CountingHandler.requests += 1
        CountingHandler.bytes += len(data)
        path = self.path.split("?")[0]
        kind = next((k for suffix, k in KINDS.items() if path.endswith(suffix)), "other")
        CountingHandler.kinds[kind] = CountingHandler.kinds.get(kind, 0) + len(data)
        CountingHandler.log.append((time.time() * 1000, len(data), path))


def _counted() -> dict:
    counted = {"requests": CountingHandler.requests, "bytes": CountingHandler.bytes, "kinds": CountingHandler.kinds}
    CountingHandler.requests = CountingHandler.bytes = 0
    CountingHandler.kinds = {}
    return counted


def open_search_page(site: Path) -> dict[str, dict]:
    """What the search page itself fetches, in a fresh Chromium: on opening, and once the
    search box has the focus (Pagefind's component loads then, with every shard's metadata
    and filters, before anything is typed). The queries below are not typed into it."""
    with serve(site, CountingHandler) as url, chromium_driver() as driver:
        _counted()
        driver.get(url + "sok/")
        time.sleep(3)
        opened = _counted()
        driver.find_element("css selector", "pagefind-input input").click()
        CountingHandler.log = []
        for _ in range(240):  # until the filter menus are filled and nothing has been fetched for 2 s
            time.sleep(0.5)
            quiet = not CountingHandler.log or time.time() * 1000 - CountingHandler.log[-1][0] > 2000
            if quiet and driver.find_elements("css selector", "pagefind-filter-dropdown .pf-dropdown-option"):
                break
        return {"open": opened, "focus": _counted()}


def run_queries(site: Path, queries: list[str], pause: float = 0.0) -> list[dict]:
    """Each query through the search page's own search, one after another in one page: for
    the first answer (the newest shard's, or the whole one if the newest has too few results)
    and the whole answer, the time until its first results' data is loaded and the bytes
    fetched until then; for the first answer, also the bytes of the newest shard alone (the
    older shards' metadata loads beside the first query, and their search starts with it)."""
    results = []
    with serve(site, CountingHandler) as url, chromium_driver() as driver:
        driver.set_script_timeout(300)
        driver.get(url + "sok/")
        time.sleep(1)  # let the page's own scripts and styles finish loading
        newest = driver.find_element("css selector", "pagefind-config").get_attribute("bundle-path")
        for i, term in enumerate(queries):
            if i and pause:
                time.sleep(pause)  # as someone reads the answer and types the next query
            CountingHandler.log = []
            outcome = driver.execute_async_script(QUERY_SCRIPT, term)
            if "error" in outcome:
                raise SystemExit(f"query {term!r} failed: {outcome['error']}")
            log = CountingHandler.log
            answers = outcome["answers"]
            for answer in answers:
                answer["bytes"] = sum(size for sent, size, _ in log if sent <= answer["shownAt"])
            first, whole = answers[0], answers[-1]
            first["newest_bytes"] = sum(size for sent, size, path in log if sent <= first["shownAt"] and path.startswith(newest))
            results.append({"query": term, "first": first, "whole": whole, "requests": len(log),
                            "bytes": sum(size for _, size, _ in log)})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--meetings", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shard-pages", type=int, default=SHARD_PAGES)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "runs")
    parser.add_argument("--no-build", action="store_true", help="search the site of the last run again")
    parser.add_argument("--queries", nargs="+", default=["kollektivtrafikplan", "Norvik", "trafikplan", "beslut", "Haninge 2015", "kommunerna"])
    parser.add_argument("--each-first", action="store_true", help="type each query into a fresh search page")
    parser.add_argument("--latency", type=float, default=0.0, metavar="MS", help="wait MS before answering each request")
    parser.add_argument("--repeat", type=int, default=1, metavar="R", help="run the queries R times (median and range)")
    parser.add_argument("--pause", type=float, default=0.0, metavar="S", help="wait S seconds between queries typed into one page")
    args = parser.parse_args()
    CountingHandler.latency = args.latency / 1000

    content = args.work / f"archive-{args.meetings}"
    if not content.exists():
        generate(args.meetings, args.seed, content)
    site = args.work / f"site-{args.meetings}-search"
    if args.no_build:
        built = {"output": "(not built: the site of the last run)", "wall": 0.0, "cpu": 0.0, "peak_mib": 0.0}
    else:
        shutil.rmtree(site, ignore_errors=True)  # a first build: not the deletion of the last run's site as well
        built = measure([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--output", str(site),
                         "--no-cache", "--shard-pages", str(args.shard_pages), "--base-url", "http://127.0.0.1/"],
                        memory=True)  # one build (at 100,000 meetings, 35 minutes): its time includes the sampler's cost
    bundles = [p.parent for p in (site / "pagefind").rglob("pagefind-entry.json")]
    size = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
    files = sum(1 for p in (site / "pagefind").rglob("*") if p.is_file())
    page = open_search_page(site)
    rounds = [[run_queries(site, [q])[0] for q in args.queries] if args.each_first else run_queries(site, args.queries, args.pause)
              for _ in range(args.repeat)]

    print(f"\n{args.meetings} meetings: {built['output'].strip()}")
    print(f"Build with search: {built['wall']:.1f} s wall, {built['cpu']:.0f} s CPU, peak memory {built['peak_mib']:.0f} MiB "
          f"(whole process tree, Pagefind included); {len(bundles)} search {'bundles' if len(bundles) > 1 else 'bundle'}, "
          f"{size / 2**20:.1f} MiB in {files} files\n")
    for phase, what in (("open", "Opening the search page"), ("focus", "Then putting the focus in the search box")):
        counted = page[phase]
        kinds = ", ".join(f"{kind} {size / 1024:.0f} KiB" for kind, size in sorted(counted["kinds"].items(), key=lambda kv: -kv[1]))
        print(f"{what}: {counted['requests']} requests, {counted['bytes'] / 1024:.0f} KiB ({kinds})")
    if args.latency:
        print(f"Every request answered after {args.latency:.0f} ms.")
    print()
    print("| query | order | results | places | first answer: results, time, newest shard's bytes (all bytes) | whole answer: time, bytes |")
    print("|---|---|---|---|---|---|")
    for i, name in enumerate(args.queries):
        runs = [queries[i] for queries in rounds]
        firsts, wholes = [q["first"] for q in runs], [q["whole"] for q in runs]
        waits = any(q["first"] is q["whole"] for q in runs)
        shown_first = (f"{firsts[0]['results']:,}, {_spread([f['shown'] for f in firsts])}, {statistics.median([f['newest_bytes'] for f in firsts]) / 1024:,.0f} KiB "
                       f"({statistics.median([f['bytes'] for f in firsts]) / 1024:,.0f})" if not waits else "(waits for the whole)")
        print(f"| `{name}` | {'first' if i == 0 or args.each_first else 'later'} | {wholes[0]['results']:,} | {wholes[0]['places']:,} | {shown_first} | "
              f"{_spread([w['shown'] for w in wholes])}, {statistics.median([q['bytes'] for q in runs]) / 1024:,.0f} KiB |")
    if args.repeat > 1:
        print(f"\nMedians of {args.repeat} runs, each in a fresh Chromium; the times' ranges in brackets.")
    if args.pause and not args.each_first:
        print(f"{args.pause:g} s between the queries.")
    print("\n" + json.dumps({"meetings": args.meetings, "latency_ms": args.latency, "each_first": args.each_first, "pause": args.pause,
                              "build_seconds": built["wall"], "peak_mib": built["peak_mib"],
                              "bundles": len(bundles), "search_page": page, "rounds": rounds}))


def _spread(times: list[float]) -> str:
    """A time in ms, or the median of several with their range."""
    if len(times) == 1:
        return f"{times[0]:,} ms"
    return f"{statistics.median(times):,.0f} ms ({min(times):,}–{max(times):,})"


if __name__ == "__main__":
    main()
