"""Search shards: the meeting pages split by year into Pagefind bundles that the search page merges.

Pagefind holds a whole index in memory while it builds it (about 0.3-0.5 GiB per 1,000
pages here), and it cannot update an index in place. A large archive is therefore indexed
in shards of consecutive years, each a bundle of its own below /pagefind/; a year with
more pages than a shard holds is split into runs of consecutive months. The search page
searches the newest shard first and shows its results while it searches the others
(templates/assets/search.js), so the newest shard's size sets how soon the first results
show. An edited meeting re-indexes only its shard. An archive that fits in one shard keeps
the single bundle at /pagefind/.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping

from .word_list import FORMAT as WORD_LIST_FORMAT, WORD_LIST_FOLDER

SHARD_PAGES = 2500
"""A shard holds at most this many meeting pages; a larger year is a shard of its own."""

MEETING_URL = re.compile(r"^/moten/(\d{4})/(?:\d{4}-(\d{2})-)?")
INDEXED_START = "data-pagefind-body"
INDEXED_END = "</article>"
VOCABULARY_FOLDER = "pagefind/ordlista"
"""The bundle of a sharded archive that says which shards hold which words (shard_words.py);
no shard is named so."""
WORDS_FORMAT = 3
"""Of the words kept with a shard's bundle (shard_words.WORDS_FILE): 2 since they hold the
pages' metadata too, 3 since each has its number of pages. A new form makes every shard
indexed again, its words with it."""
MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


@dataclass(frozen=True)
class Shard:
    years: tuple[int, ...]
    """The years it holds, oldest first; empty for the single bundle of a small archive."""
    months: tuple[int, ...] = ()
    """The months (1-12) of its one year that it holds, when it holds part of a year."""

    @property
    def name(self) -> str:
        if not self.years:
            return ""
        first, last = self.years[0], self.years[-1]
        if self.months:
            months = [MONTHS[self.months[0] - 1], MONTHS[self.months[-1] - 1]]
            return f"{first}-{months[0]}" if len(self.months) == 1 else f"{first}-{months[0]}-{months[1]}"
        return str(first) if first == last else f"{first}-{last}"

    @property
    def folder(self) -> str:
        """Its folder below the site root, which is also its URL path without slashes."""
        return f"pagefind/{self.name}" if self.name else "pagefind"

    @property
    def bundle(self) -> str:
        return f"/{self.folder}/"

    @property
    def glob(self) -> str:
        """The pages Pagefind reads for it, relative to the site root."""
        if not self.years:
            return "**/*.{html}"
        if self.months:
            [year] = self.years
            months = ",".join(f"{month:02d}" for month in self.months)
            return f"moten/{year}/{year}-{{{months}}}-*/**/*.html" if len(self.months) > 1 else f"moten/{year}/{year}-{months}-*/**/*.html"
        years = ",".join(str(year) for year in self.years)
        return f"moten/{{{years}}}/**/*.html" if len(self.years) > 1 else f"moten/{years}/**/*.html"

    def holds(self, url: str) -> bool:
        if not self.years:
            return True
        match = MEETING_URL.match(url)
        if not match or int(match.group(1)) not in self.years:
            return False
        return not self.months or (match.group(2) is not None and int(match.group(2)) in self.months)


MEETING_PAGE_URL = re.compile(r"^/moten/(\d{4})/\d{4}-(\d{2})-[^/]+/$")


def meeting_months(urls: Iterable[str]) -> Counter[tuple[int, int]]:
    """How many meeting pages of each (year, month) there are among urls (a site's pages)."""
    return Counter((int(match.group(1)), int(match.group(2))) for url in urls if (match := MEETING_PAGE_URL.match(url)))


def plan_shards(pages_per_month: Mapping[tuple[int, int], int], max_pages: int = SHARD_PAGES) -> tuple[Shard, ...]:
    """Consecutive years packed oldest first, so that new meetings change only the newest
    shards, and a year larger than a shard split into consecutive months the same way (a
    month larger than a shard is one of its own); returned newest first, the first being
    the search page's primary bundle."""
    if sum(pages_per_month.values()) <= max_pages:
        return (Shard(()),)
    pages_per_year: Counter[int] = Counter()
    for (year, _), pages in pages_per_month.items():
        pages_per_year[year] += pages
    shards: list[Shard] = []
    fitting: dict[int, int] = {}  # consecutive years that fit in a shard, to be packed together

    def pack_fitting() -> None:
        shards.extend(Shard(years) for years in _runs(fitting, max_pages))
        fitting.clear()

    for year in sorted(pages_per_year):
        if pages_per_year[year] <= max_pages:
            fitting[year] = pages_per_year[year]
            continue
        pack_fitting()
        months = {month: pages for (y, month), pages in pages_per_month.items() if y == year}
        shards.extend(Shard((year,), run) for run in _runs(months, max_pages))
    pack_fitting()
    return tuple(reversed(shards))


def _runs(pages: Mapping[int, int], max_pages: int) -> list[tuple[int, ...]]:
    """Consecutive keys packed in order into runs of at most max_pages (a key larger than
    that is a run of its own)."""
    runs: list[tuple[int, ...]] = []
    run: list[int] = []
    count = 0
    for key in sorted(pages):
        if run and count + pages[key] > max_pages:
            runs.append(tuple(run))
            run, count = [], 0
        run.append(key)
        count += pages[key]
    if run:
        runs.append(tuple(run))
    return runs


def indexed_digest(html: str) -> str:
    """A digest of what Pagefind reads of a page: the data-pagefind-body element, so that a
    change to the header or footer (the build time, the commit) does not force re-indexing."""
    start = html.find(INDEXED_START)
    if start < 0:
        return ""
    end = html.rfind(INDEXED_END)
    return hashlib.sha256(html[start:end if end > start else len(html)].encode("utf-8")).hexdigest()


def shard_fingerprints(shards: Iterable[Shard], digests: Mapping[str, str]) -> dict[str, str]:
    """For each shard (by folder): a fingerprint of the indexed text of the pages it holds
    and of the form of the words kept with its bundle; with more than one shard, also for
    their vocabulary bundle (shard_words.py); and for the word list (word_list.py): of
    them all."""
    result = {}
    for shard in shards:
        digest = hashlib.sha256(f"{WORDS_FORMAT}\0".encode("utf-8"))
        for url in sorted(u for u, d in digests.items() if d and shard.holds(u)):
            digest.update(f"{url}\0{digests[url]}\0".encode("utf-8"))
        result[shard.folder] = digest.hexdigest()
    of_them_all = hashlib.sha256(repr(sorted(result.items())).encode("utf-8")).hexdigest()
    if len(result) > 1:
        result[VOCABULARY_FOLDER] = of_them_all
    if result:
        result[WORD_LIST_FOLDER] = hashlib.sha256(f"{WORD_LIST_FORMAT}\0{of_them_all}".encode("utf-8")).hexdigest()
    return result
