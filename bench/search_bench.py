#!/usr/bin/env python3
"""Search benchmark (not a test): index a synthetic archive and time searches in Chromium.

    python bench/search_bench.py --meetings 10000

1. Generates a synthetic archive of N meetings (bench/generate.py) unless it exists.
2. Builds the site without search, then runs the Pagefind CLI alone: wall time and peak
   memory of the indexing.
3. Serves the site on 127.0.0.1 and, in a fresh headless Chromium, runs a first query
   and then later queries through Pagefind's JS API: bytes fetched and time for each.

Prints a Markdown table for the README's performance section.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import resource
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from browser_support import QuietHandler, chromium_driver  # noqa: E402
from generate import generate  # noqa: E402

from minutes_archive.pipeline import BuildOptions, build  # noqa: E402

# Pagefind fetches from a web worker, which the page's Resource Timing does not see:
# the bytes are counted by the server instead. The first query includes loading Pagefind.
QUERY_SCRIPT = """
const [term, done] = [arguments[0], arguments[arguments.length - 1]];
(async () => {
  const started = performance.now();
  window.pagefind = window.pagefind || await import("/pagefind/pagefind.js");
  const search = await window.pagefind.search(term);
  const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  return { results: search.results.length, shown: data.length, ms: performance.now() - started };
})().then(done, (e) => done({ error: String(e) }));
"""


class CountingHandler(QuietHandler):
    """Serves files and counts the requests and bytes it sent."""

    requests = 0
    bytes = 0

    def copyfile(self, source, outputfile):
        data = source.read()
        outputfile.write(data)
        CountingHandler.requests += 1
        CountingHandler.bytes += len(data)


@contextmanager
def counting_server(folder: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(CountingHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def index_with_peak_memory(site: Path) -> tuple[float, float]:
    """Run the Pagefind CLI over site; return (seconds, peak memory in MiB of the indexer)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--quiet"], check=True)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kib / 1024


def run_queries(site: Path, queries: list[str]) -> list[dict]:
    results = []
    with counting_server(site) as url, chromium_driver() as driver:
        driver.set_script_timeout(120)
        driver.get(url + "sok/")
        time.sleep(1)  # let the page's own scripts and styles finish loading
        for term in queries:
            CountingHandler.requests = CountingHandler.bytes = 0
            outcome = driver.execute_async_script(QUERY_SCRIPT, term)
            outcome.update(requests=CountingHandler.requests, bytes=CountingHandler.bytes)
            if "error" in outcome:
                raise SystemExit(f"query {term!r} failed: {outcome['error']}")
            results.append({"query": term, **outcome})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--meetings", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "runs")
    parser.add_argument("--queries", nargs="+", default=["kollektivtrafikplan", "Norvik", "trafikplan", "beslut", "Haninge 2015"])
    args = parser.parse_args()

    content = args.work / f"archive-{args.meetings}"
    if not content.exists():
        generate(args.meetings, args.seed, content)
    site = args.work / f"site-{args.meetings}"
    started = time.perf_counter()
    report = build(BuildOptions(content, ROOT / "templates", site, search=False))
    build_seconds = time.perf_counter() - started
    index_seconds, peak_mib = index_with_peak_memory(site)
    bundle = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
    files = sum(1 for p in (site / "pagefind").rglob("*") if p.is_file())
    queries = run_queries(site, args.queries)

    print(f"\n{args.meetings} meetings, {report.decisions} decisions, {report.files} files; "
          f"build without search {build_seconds:.1f} s")
    print(f"Pagefind index: {index_seconds:.1f} s, peak memory {peak_mib:.0f} MiB, bundle {bundle / 2**20:.1f} MiB in {files} files\n")
    print("| query | order | results | requests | bytes fetched | time |")
    print("|---|---|---|---|---|---|")
    for i, q in enumerate(queries):
        print(f"| `{q['query']}` | {'first' if i == 0 else 'later'} | {q['results']} | {q['requests']} | {q['bytes'] / 1024:.0f} KiB | {q['ms']:.0f} ms |")
    print("\n" + json.dumps({"meetings": args.meetings, "index_seconds": index_seconds, "peak_mib": peak_mib, "queries": queries}))


if __name__ == "__main__":
    main()
