#!/usr/bin/env python3
"""Build the minutes archive: content/ (Markdown + YAML) to a searchable static site in site/.

Commands:
  python build.py                         build content/ into site/ (same as 'build')
  python build.py check                   read, parse and render everything, publish nothing
  python build.py new --body B --date D   write a new minutes file, pre-filled
  python build.py serve [--port P]        build, serve on 127.0.0.1, rebuild on every change
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from minutes_archive.errors import BuildError, counted, display_path
from minutes_archive.index import SearchIndexError
from minutes_archive.pipeline import BuildOptions, build, check
from minutes_archive.shards import SHARD_PAGES
from minutes_archive.timings import Timings
from minutes_archive.write import WriteError

ROOT = Path(__file__).resolve().parent


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build the minutes archive: Markdown minutes with YAML front matter in content/ "
        "become a searchable static HTML site in site/. A build writes into a temporary folder and "
        "replaces site/ (or, rebuilding, moves the changed pages into it) only when every step succeeded; "
        "content errors are listed as path:line: message.",
    )
    parser.add_argument(
        "command", nargs="?", default="build", choices=["build", "check", "new", "serve", "import"],
        help="build (default): build the site and its search index; "
        "check: read, parse and render everything but publish nothing (for CI and editors); "
        "new: write a new minutes file for --body and --date, with the attendees of the body's latest meeting "
        "and an agenda to fill in (never overwrites a file); "
        "serve: build for http://127.0.0.1:PORT/ into .preview/, serve it with search, rebuild on every change in content/ or "
        "templates/ and reload open pages (Ctrl-C stops); "
        "import FILE.txt: turn plain-text minutes (such as a scanned PDF's OCR text) into a draft minutes "
        "file, with Swedish OCR repair and a review report beside it",
    )
    parser.add_argument("file", nargs="?", type=Path, help="import: the text file to import")
    parser.add_argument("--body", metavar="BODY", help="new: the body that meets (key or name, e.g. ledningsgruppen)")
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="new: the date of the meeting")
    parser.add_argument("--port", type=int, default=8000, help="serve: the port on 127.0.0.1 (default: 8000; 0 picks a free one)")
    parser.add_argument("--content", type=Path, default=ROOT / "content", metavar="DIR", help="content folder (default: content/)")
    parser.add_argument("--templates", type=Path, default=ROOT / "templates", metavar="DIR", help="templates folder (default: templates/)")
    parser.add_argument("--output", type=Path, metavar="DIR",
                        help="output folder, replaced on success (default: site/; serve: .preview/, so that site/ never holds a build for 127.0.0.1)")
    parser.add_argument("--base-url", metavar="URL", help="override base_url from site.yaml, e.g. http://127.0.0.1:8000/ for a local preview")
    parser.add_argument("--strict", action="store_true", help="treat warnings (a decision with no topic, an attendee with no municipality, an agenda item with no number) as errors")
    parser.add_argument("--jobs", type=int, default=0, metavar="N", help="processes for parsing and rendering (default: one per core)")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache", metavar="DIR", help="build cache: parsed minutes and fingerprints of the last build (default: .cache/)")
    parser.add_argument("--no-cache", action="store_true", help="build everything from scratch, without reading or writing the cache")
    parser.add_argument("--timings", action="store_true",
                        help="build or check: print how long each stage took (wall and CPU time) and the CPU time of rendering each section of the site")
    parser.add_argument("--no-search", action="store_true", help="skip the Pagefind search index (faster; the search page will not work)")
    parser.add_argument("--shard-pages", type=int, default=SHARD_PAGES, metavar="N",
                        help=f"split the search index into shards of consecutive years with at most N meeting pages each, "
                        f"once the archive has more (default: {SHARD_PAGES})")
    args = parser.parse_args(argv)
    if args.output is None:
        args.output = ROOT / (".preview" if args.command == "serve" else "site")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    if args.command == "new":
        return new_command(args)
    if args.command == "import":
        return import_command(args)
    options = BuildOptions(args.content, args.templates, args.output, search=not args.no_search, base_url=args.base_url, strict=args.strict, workers=args.jobs,
                           cache_dir=None if args.no_cache else args.cache, shard_pages=args.shard_pages)
    if args.command == "serve":
        from minutes_archive.serve import serve  # here, as the other commands' modules: a rebuild starts sooner

        return serve(options, args.port, report=lambda line: print(line, flush=True))
    started = time.perf_counter()
    timings = Timings()
    try:
        report = check(options, timings) if args.command == "check" else build(options, timings)
    except BuildError as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        count = len(exc.errors)
        strict = " (--strict: warnings count as errors)" if args.strict and any(": warning: " in str(e) for e in exc.errors) else ""
        print(f"{counted(count, 'error')}{strict}; nothing was written", file=sys.stderr)
        return 1
    except (WriteError, SearchIndexError, OSError) as exc:
        print(f"build failed: {exc}; {display_path(args.output)} was left as it was", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        # A rebuild may have moved some pages in: it forgot its record first, so the next build makes the whole site.
        print(f"build interrupted; the next build makes {display_path(args.output)} whole again", file=sys.stderr)
        return 130
    seconds = time.perf_counter() - started
    for warning in report.warnings:
        print(warning, file=sys.stderr)
    if args.command == "check":
        print(f"ok: {counted(report.meetings, 'meeting')}, {counted(report.decisions, 'decision')}, {report.files} files checked in {seconds:.2f} s")
    else:
        print(f"built {report.files} files ({counted(report.meetings, 'meeting')}, {counted(report.decisions, 'decision')}) "
              f"into {display_path(args.output)} in {seconds:.2f} s; {report.search_summary}")
    if args.timings:
        print(timings.report())
    return 0


def import_command(args: argparse.Namespace) -> int:
    if args.file is None:
        print("import needs a file: python build.py import minutes.txt", file=sys.stderr)
        return 2
    from minutes_archive.authoring import import_file

    try:
        draft, report = import_file(args.file, args.content)
    except BuildError as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        return 1
    print(f"wrote {display_path(draft)} (status: utkast) and the review report {display_path(report)}; "
          "check the draft against the report, then run: python build.py check")
    return 0


def new_command(args: argparse.Namespace) -> int:
    if not args.body or not args.date:
        print("new needs --body and --date, e.g. python build.py new --body ledningsgruppen --date 2021-01-22", file=sys.stderr)
        return 2
    from minutes_archive.authoring import new_minutes

    try:
        path = new_minutes(args.content, args.body, args.date)
    except BuildError as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        return 1
    print(f"wrote {display_path(path)}; fill it in, then run: python build.py check")
    return 0


if __name__ == "__main__":
    status = main()
    # Leave without freeing the parsed archive object by object, which took 3.5 s of a
    # 17 s rebuild at 10,000 meetings; the system takes the memory back at once. Every
    # file is closed and every folder cleaned up by then; only the output needs flushing.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
