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
   loads Pagefind with every shard's metadata and filters, before anything is typed).
4. In another fresh Chromium on the search page, runs a first query (which loads Pagefind
   and merges every shard, without the filters) and then later queries through Pagefind's
   JS API, as the search page does: bytes fetched and time for each, and the number of
   places on the pages where a word of the query is (Pagefind's worker returns every
   result with all of them, so they, not the pages, set the time of a common word).

Prints a Markdown table for the README's performance section.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import shutil
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from browser_support import QuietHandler, chromium_driver  # noqa: E402
from build_bench import measure  # noqa: E402
from generate import generate  # noqa: E402

from minutes_archive.shards import SHARD_PAGES  # noqa: E402

# Pagefind fetches from a web worker, which the page's Resource Timing does not see:
# the bytes are counted by the server instead. The first query includes loading Pagefind.
QUERY_SCRIPT = """
const [term, done] = [arguments[0], arguments[arguments.length - 1]];
(async () => {
  const started = performance.now();
  if (!window.pagefind) {
    const config = document.querySelector("pagefind-config");
    window.pagefind = await import(config.getAttribute("bundle-path") + "pagefind.js");
    await window.pagefind.options({});
    for (const bundle of (config.dataset.mergeIndex || "").split(" ").filter(Boolean)) await window.pagefind.mergeIndex(bundle);
  }
  const search = await window.pagefind.search(term);
  const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  const ms = performance.now() - started;
  // the places on the pages where a word of the query is: Pagefind returns each with its result
  const places = search.results.reduce((sum, r) => sum + r.words.length, 0);
  return { results: search.results.length, places, shown: data.length, ms };
})().then(done, (e) => done({ error: String(e) }));
"""


# What Pagefind fetches, by file name: the bytes of a query go mostly to the first two.
KINDS = {".pf_meta": "meta", ".pf_index": "index", ".pf_fragment": "fragments", ".pf_filter": "filters",
         ".pagefind": "wasm", ".js": "scripts", ".css": "scripts"}


class CountingHandler(QuietHandler):
    """Serves files and counts the requests and bytes it sent, in all and by kind of file."""

    requests = 0
    bytes = 0
    kinds: dict[str, int] = {}

    def copyfile(self, source, outputfile):
        data = source.read()
        outputfile.write(data)
        CountingHandler.requests += 1
        CountingHandler.bytes += len(data)
        path = self.path.split("?")[0]
        kind = next((k for suffix, k in KINDS.items() if path.endswith(suffix)), "other")
        CountingHandler.kinds[kind] = CountingHandler.kinds.get(kind, 0) + len(data)


@contextmanager
def counting_server(folder: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(CountingHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _counted() -> dict:
    counted = {"requests": CountingHandler.requests, "bytes": CountingHandler.bytes, "kinds": CountingHandler.kinds}
    CountingHandler.requests = CountingHandler.bytes = 0
    CountingHandler.kinds = {}
    return counted


def open_search_page(site: Path) -> dict[str, dict]:
    """What the search page itself fetches, in a fresh Chromium: on opening, and once the
    search box has the focus (Pagefind's component loads then, with every shard's metadata
    and filters, before anything is typed). The queries below are not typed into it."""
    with counting_server(site) as url, chromium_driver() as driver:
        _counted()
        driver.get(url + "sok/")
        time.sleep(3)
        opened = _counted()
        driver.find_element("css selector", "pagefind-input input").click()
        for _ in range(120):  # until the filter menus are filled: the last thing the component loads
            time.sleep(0.5)
            if driver.find_elements("css selector", "pagefind-filter-dropdown .pf-dropdown-option"):
                break
        time.sleep(2)
        return {"open": opened, "focus": _counted()}


def run_queries(site: Path, queries: list[str]) -> list[dict]:
    results = []
    with counting_server(site) as url, chromium_driver() as driver:
        driver.set_script_timeout(120)
        driver.get(url + "sok/")
        time.sleep(1)  # let the page's own scripts and styles finish loading
        for term in queries:
            CountingHandler.requests = CountingHandler.bytes = 0
            CountingHandler.kinds = {}
            outcome = driver.execute_async_script(QUERY_SCRIPT, term)
            outcome.update(requests=CountingHandler.requests, bytes=CountingHandler.bytes, kinds=CountingHandler.kinds)
            if "error" in outcome:
                raise SystemExit(f"query {term!r} failed: {outcome['error']}")
            results.append({"query": term, **outcome})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--meetings", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shard-pages", type=int, default=SHARD_PAGES)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "runs")
    parser.add_argument("--queries", nargs="+", default=["kollektivtrafikplan", "Norvik", "trafikplan", "beslut", "Haninge 2015", "kommunerna"])
    args = parser.parse_args()

    content = args.work / f"archive-{args.meetings}"
    if not content.exists():
        generate(args.meetings, args.seed, content)
    site = args.work / f"site-{args.meetings}-search"
    shutil.rmtree(site, ignore_errors=True)  # a first build: not the deletion of the last run's site as well
    built = measure([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--output", str(site),
                     "--no-cache", "--shard-pages", str(args.shard_pages), "--base-url", "http://127.0.0.1/"],
                    memory=True)  # one build (at 100,000 meetings, 35 minutes): its time includes the sampler's cost
    bundles = [p.parent for p in (site / "pagefind").rglob("pagefind-entry.json")]
    size = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
    files = sum(1 for p in (site / "pagefind").rglob("*") if p.is_file())
    page = open_search_page(site)
    queries = run_queries(site, args.queries)

    print(f"\n{args.meetings} meetings: {built['output'].strip()}")
    print(f"Build with search: {built['wall']:.1f} s wall, {built['cpu']:.0f} s CPU, peak memory {built['peak_mib']:.0f} MiB "
          f"(whole process tree, Pagefind included); {len(bundles)} search {'bundles' if len(bundles) > 1 else 'bundle'}, "
          f"{size / 2**20:.1f} MiB in {files} files\n")
    for phase, what in (("open", "Opening the search page"), ("focus", "Then putting the focus in the search box")):
        counted = page[phase]
        kinds = ", ".join(f"{kind} {size / 1024:.0f} KiB" for kind, size in sorted(counted["kinds"].items(), key=lambda kv: -kv[1]))
        print(f"{what}: {counted['requests']} requests, {counted['bytes'] / 1024:.0f} KiB ({kinds})")
    print()
    print("| query | order | results | places | requests | bytes fetched | of which meta, index, fragments | time |")
    print("|---|---|---|---|---|---|---|---|")
    for i, q in enumerate(queries):
        kinds = ", ".join(f"{q['kinds'].get(kind, 0) / 1024:.0f}" for kind in ("meta", "index", "fragments"))
        print(f"| `{q['query']}` | {'first' if i == 0 else 'later'} | {q['results']} | {q['places']:,} | {q['requests']} | "
              f"{q['bytes'] / 1024:.0f} KiB | {kinds} KiB | {q['ms']:.0f} ms |")
    print("\n" + json.dumps({"meetings": args.meetings, "build_seconds": built["wall"], "peak_mib": built["peak_mib"],
                              "bundles": len(bundles), "search_page": page, "queries": queries}))


if __name__ == "__main__":
    main()
