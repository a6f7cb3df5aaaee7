"""Search shards: the meeting pages split by year into Pagefind bundles that the search page merges.

Pagefind holds a whole index in memory while it builds it (about 0.3-0.5 GiB per 1,000
pages here), and it cannot update an index in place. A large archive is therefore indexed
in shards of consecutive years, each a bundle of its own below /pagefind/; the search page
loads the newest as its primary bundle and merges the others (Pagefind's mergeIndex). An
edited meeting re-indexes only its shard. An archive that fits in one shard keeps the
single bundle at /pagefind/.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping

SHARD_PAGES = 2500
"""A shard holds at most this many meeting pages; a larger year is a shard of its own."""

MEETING_URL = re.compile(r"^/moten/(\d{4})/")
INDEXED_START = "data-pagefind-body"
INDEXED_END = "</article>"


@dataclass(frozen=True)
class Shard:
    years: tuple[int, ...]
    """The years it holds, oldest first; empty for the single bundle of a small archive."""

    @property
    def name(self) -> str:
        if not self.years:
            return ""
        first, last = self.years[0], self.years[-1]
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
        years = ",".join(str(year) for year in self.years)
        return f"moten/{{{years}}}/**/*.html" if len(self.years) > 1 else f"moten/{years}/**/*.html"

    def holds(self, url: str) -> bool:
        if not self.years:
            return True
        match = MEETING_URL.match(url)
        return bool(match) and int(match.group(1)) in self.years


MEETING_PAGE_URL = re.compile(r"^/moten/(\d{4})/[^/]+/$")


def meeting_years(urls: Iterable[str]) -> Counter[int]:
    """How many meeting pages of each year there are among urls (a site's pages)."""
    return Counter(int(match.group(1)) for url in urls if (match := MEETING_PAGE_URL.match(url)))


def plan_shards(pages_per_year: Mapping[int, int], max_pages: int = SHARD_PAGES) -> tuple[Shard, ...]:
    """Consecutive years packed oldest first, so that new meetings change only the newest
    shards; returned newest first, the first being the search page's primary bundle."""
    if sum(pages_per_year.values()) <= max_pages:
        return (Shard(()),)
    shards: list[Shard] = []
    years: list[int] = []
    count = 0
    for year in sorted(pages_per_year):
        if years and count + pages_per_year[year] > max_pages:
            shards.append(Shard(tuple(years)))
            years, count = [], 0
        years.append(year)
        count += pages_per_year[year]
    shards.append(Shard(tuple(years)))
    return tuple(reversed(shards))


def indexed_digest(html: str) -> str:
    """A digest of what Pagefind reads of a page: the data-pagefind-body element, so that a
    change to the header or footer (the build time, the commit) does not force re-indexing."""
    start = html.find(INDEXED_START)
    if start < 0:
        return ""
    end = html.rfind(INDEXED_END)
    return hashlib.sha256(html[start:end if end > start else len(html)].encode("utf-8")).hexdigest()


def shard_fingerprints(shards: Iterable[Shard], digests: Mapping[str, str]) -> dict[str, str]:
    """For each shard (by folder): a fingerprint of the indexed text of the pages it holds."""
    result = {}
    for shard in shards:
        digest = hashlib.sha256()
        for url in sorted(u for u, d in digests.items() if d and shard.holds(u)):
            digest.update(f"{url}\0{digests[url]}\0".encode("utf-8"))
        result[shard.folder] = digest.hexdigest()
    return result
