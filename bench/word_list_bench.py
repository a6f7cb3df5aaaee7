#!/usr/bin/env python3
"""Word list benchmark (not a test): the search page's word list (minutes_archive/word_list.py)
made from a real language's vocabulary, not the synthetic archive's small one.

    python bench/word_list_bench.py [--repeat 3] [--capitalised 5]

The synthetic archive repeats about 6,400 words, so its list (about 170 files at 100,000
meetings) says little of an archive of real minutes. This makes the list from wordfreq's
Swedish word list (every word of it, about 340,000, the compound splitter's dictionary),
one word in --capitalised also written with a capital (as at the start of a sentence, or
a name), and every date of 20 years written as the meeting pages write them (2015-03-14),
and prints the time to make the files (the words' forms, their grouping) and to write
them, the median of --repeat runs with the range, and the files: how many, their bytes in
all, the median, 90th percentile and largest file (a query fetches one a word), the
most words a file holds (the search page reads each word of a file it fetched, and goes
through three files' words for the nearest to a missing one), and the size of the list of
files (filer.json), which the search page fetches before its first lookup, and of the list
of the files of the words read backwards (bakifran.json), which it fetches to offer a
correction. The files of the words read backwards are as many and as large.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from minutes_archive.compounds import swedish_word_frequencies  # noqa: E402
from minutes_archive.word_list import BACKWARDS_FILES, FILES, word_list_files, write_word_list  # noqa: E402


def vocabulary(capitalised: int) -> tuple[list[str], list[str], list[str]]:
    """The words, those of them also written with a capital, and the dates."""
    words = sorted(swedish_word_frequencies())
    start = datetime.date(2006, 1, 1)
    dates = [(start + datetime.timedelta(days=day)).isoformat() for day in range(20 * 366)]
    return words, [word.capitalize() for word in words[::capitalised]], dates


def percentile(values: list[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(repeat: int, run) -> str:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return f"{statistics.median(times):.2f} s ({min(times):.2f}–{max(times):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--capitalised", type=int, default=5, help="one word in this many also with a capital")
    args = parser.parse_args()
    plain, capitals, dates = vocabulary(args.capitalised)
    words = [*plain, *capitals, *dates]
    files = word_list_files(words)
    sizes = [len(text.encode("utf-8")) for _, text in files]
    counts = [text.count("\n") for _, text in files]
    made = timed(args.repeat, lambda: word_list_files(words))
    with tempfile.TemporaryDirectory() as folder:
        written = timed(args.repeat, lambda: write_word_list(Path(folder) / "ord", words))
        listings = {name: (Path(folder) / "ord" / name).read_bytes() for name in (FILES, BACKWARDS_FILES)}
    print(f"{len(plain):,} words, {len(capitals):,} of them also with a capital, {len(dates):,} dates: {sum(counts):,} forms listed")
    print(f"files made in {made}; made and written, forwards and backwards, in {written}")
    print(f"{len(files):,} files, {sum(sizes) / 1e6:.1f} MB; a file {statistics.median(sizes) / 1e3:.1f} KB at the median, "
          f"{percentile(sizes, 0.9) / 1e3:.1f} KB at the 90th percentile, {max(sizes) / 1e3:.1f} KB at most; "
          f"at most {max(counts):,} words a file")
    for name, listing in listings.items():
        print(f"{name}: {len(listing) / 1e3:.1f} KB, {len(gzip.compress(listing)) / 1e3:.1f} KB gzipped")


if __name__ == "__main__":
    main()
