"""Search shards: which years go in which Pagefind bundle, and what counts as indexed text."""

from minutes_archive.shards import Shard, indexed_digest, plan_shards, shard_fingerprints


def test_a_small_archive_has_one_bundle_at_pagefind():
    [shard] = plan_shards({2019: 40, 2020: 60}, max_pages=100)
    assert (shard.bundle, shard.glob) == ("/pagefind/", "**/*.{html}")
    assert shard.holds("/moten/2019/2019-05-17-ledningsgruppen/") and shard.holds("/")


def test_years_are_packed_oldest_first_and_listed_newest_first():
    shards = plan_shards({2018: 30, 2019: 30, 2020: 30, 2021: 50, 2022: 10}, max_pages=60)
    assert [s.years for s in shards] == [(2021, 2022), (2020,), (2018, 2019)]
    assert [s.bundle for s in shards] == ["/pagefind/2021-2022/", "/pagefind/2020/", "/pagefind/2018-2019/"]
    assert shards[0].glob == "moten/{2021,2022}/**/*.html"
    assert shards[1].glob == "moten/2020/**/*.html"


def test_a_year_larger_than_a_shard_is_a_shard_of_its_own():
    assert [s.years for s in plan_shards({2019: 10, 2020: 500, 2021: 10}, max_pages=100)] == [(2021,), (2020,), (2019,)]


def test_new_meetings_change_only_the_newest_shards():
    before = plan_shards({year: 40 for year in range(2006, 2026)}, max_pages=100)
    after = plan_shards({**{year: 40 for year in range(2006, 2026)}, 2025: 60}, max_pages=100)
    assert before[1:] == after[1:]


def test_a_shard_holds_the_meeting_pages_of_its_years_only():
    shard = Shard((2019, 2020))
    assert shard.holds("/moten/2020/2020-03-13-ledningsgruppen/")
    assert not shard.holds("/moten/2021/2021-02-05-ledningsgruppen/")
    assert not shard.holds("/ar/2020/")


PAGE = '<html lang="sv"><body><header>{header}</header><article class="meeting" data-pagefind-body>{text}</article><footer>{footer}</footer></body></html>'


def test_the_indexed_digest_ignores_header_and_footer():
    page = PAGE.format(header="Arkivet", text="<h1>Möte</h1>", footer="Byggd 1 december")
    assert indexed_digest(page) == indexed_digest(PAGE.format(header="Arkivet", text="<h1>Möte</h1>", footer="Byggd 2 december"))
    assert indexed_digest(page) != indexed_digest(PAGE.format(header="Arkivet", text="<h1>Mötet</h1>", footer="Byggd 1 december"))
    assert indexed_digest("<html><body>Start</body></html>") == ""


def test_a_shard_fingerprint_changes_only_with_its_own_pages():
    shards = (Shard((2020,)), Shard((2019,)))
    digests = {"/moten/2019/a/": "1", "/moten/2020/b/": "2", "/": ""}
    before = shard_fingerprints(shards, digests)
    after = shard_fingerprints(shards, {**digests, "/moten/2020/b/": "3"})
    assert before["pagefind/2019"] == after["pagefind/2019"]
    assert before["pagefind/2020"] != after["pagefind/2020"]
