"""Search shards: which years go in which Pagefind bundle, and what counts as indexed text."""

from minutes_archive.shards import VOCABULARY_FOLDER, Shard, indexed_digest, meeting_months, plan_shards, shard_fingerprints
from minutes_archive.word_list import WORD_LIST_FOLDER


def by_year(pages_per_year: dict[int, int]) -> dict[tuple[int, int], int]:
    """The pages of each year, all in June."""
    return {(year, 6): pages for year, pages in pages_per_year.items()}


def test_a_small_archive_has_one_bundle_at_pagefind():
    [shard] = plan_shards(by_year({2019: 40, 2020: 60}), max_pages=100)
    assert (shard.bundle, shard.glob) == ("/pagefind/", "**/*.{html}")
    assert shard.holds("/moten/2019/2019-05-17-ledningsgruppen/") and shard.holds("/")


def test_years_are_packed_oldest_first_and_listed_newest_first():
    shards = plan_shards(by_year({2018: 30, 2019: 30, 2020: 30, 2021: 50, 2022: 10}), max_pages=60)
    assert [s.years for s in shards] == [(2021, 2022), (2020,), (2018, 2019)]
    assert [s.bundle for s in shards] == ["/pagefind/2021-2022/", "/pagefind/2020/", "/pagefind/2018-2019/"]
    assert shards[0].glob == "moten/{2021,2022}/**/*.html"
    assert shards[1].glob == "moten/2020/**/*.html"


def test_a_year_larger_than_a_shard_is_split_into_runs_of_months():
    pages = {(2019, 3): 10, **{(2020, month): 30 for month in range(1, 13)}, (2021, 1): 5, (2021, 2): 5}
    shards = plan_shards(pages, max_pages=100)
    assert [(s.years, s.months) for s in shards] == [
        ((2021,), ()), ((2020,), (10, 11, 12)), ((2020,), (7, 8, 9)), ((2020,), (4, 5, 6)), ((2020,), (1, 2, 3)), ((2019,), ())]
    assert [s.bundle for s in shards[:2]] == ["/pagefind/2021/", "/pagefind/2020-okt-dec/"]
    assert shards[1].glob == "moten/2020/2020-{10,11,12}-*/**/*.html"
    assert shards[1].holds("/moten/2020/2020-11-05-ledningsgruppen/")
    assert not shards[1].holds("/moten/2020/2020-09-05-ledningsgruppen/")
    assert not shards[1].holds("/moten/2021/2021-11-05-ledningsgruppen/")


def test_a_month_larger_than_a_shard_is_a_shard_of_its_own():
    [june, may] = plan_shards({(2020, 5): 10, (2020, 6): 500}, max_pages=100)
    assert (june.name, june.glob, may.name) == ("2020-jun", "moten/2020/2020-06-*/**/*.html", "2020-maj")


def test_pages_are_counted_by_month_from_the_meeting_urls():
    urls = ["/moten/2020/2020-03-13-ledningsgruppen/", "/moten/2020/2020-03-20-trafikgruppen/", "/moten/2021/2021-01-08-ledningsgruppen/",
            "/ar/2020/", "/moten/2020/2020-03-13-ledningsgruppen/#p3"]
    assert meeting_months(urls) == {(2020, 3): 2, (2021, 1): 1}


def test_new_meetings_change_only_the_newest_shards():
    before = plan_shards(by_year({year: 40 for year in range(2006, 2026)}), max_pages=100)
    after = plan_shards(by_year({**{year: 40 for year in range(2006, 2026)}, 2025: 60}), max_pages=100)
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


def test_the_vocabulary_of_several_shards_changes_with_any_of_them():
    shards = (Shard((2020,)), Shard((2019,)))
    digests = {"/moten/2019/a/": "1", "/moten/2020/b/": "2"}
    before = shard_fingerprints(shards, digests)
    assert before[VOCABULARY_FOLDER] != shard_fingerprints(shards, {**digests, "/moten/2019/a/": "3"})[VOCABULARY_FOLDER]
    assert VOCABULARY_FOLDER not in shard_fingerprints((Shard(()),), digests)


def test_the_word_list_changes_with_any_shard_and_a_single_bundle_has_one():
    shards = (Shard((2020,)), Shard((2019,)))
    digests = {"/moten/2019/a/": "1", "/moten/2020/b/": "2"}
    before = shard_fingerprints(shards, digests)
    assert before[WORD_LIST_FOLDER] != shard_fingerprints(shards, {**digests, "/moten/2019/a/": "3"})[WORD_LIST_FOLDER]
    single = shard_fingerprints((Shard(()),), digests)
    assert single[WORD_LIST_FOLDER] != shard_fingerprints((Shard(()),), {**digests, "/moten/2019/a/": "3"})[WORD_LIST_FOLDER]
    assert shard_fingerprints((), digests) == {}


def test_a_new_form_of_the_kept_words_changes_every_shards_fingerprint(monkeypatch):
    from minutes_archive import shards as module

    shards = (Shard((2020,)), Shard((2019,)))
    digests = {"/moten/2019/a/": "1", "/moten/2020/b/": "2"}
    before = shard_fingerprints(shards, digests)
    monkeypatch.setattr(module, "WORDS_FORMAT", module.WORDS_FORMAT + 1)
    after = shard_fingerprints(shards, digests)
    assert all(before[folder] != after[folder] for folder in before)
