"""The build cache: rebuilds skip what did not change, and every input that matters invalidates it."""

import gc
import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest

import minutes_archive.parallel as parallel
import minutes_archive.pipeline as pipeline
import minutes_archive.render as render
from minutes_archive.cache import STORE, BuildCache
from minutes_archive.errors import BuildError
from minutes_archive.index import index_pages
from minutes_archive.open_data import FILES as OPEN_DATA_FILES
from minutes_archive.pipeline import BuildOptions, build
from minutes_archive.shard_words import read_words

from conftest import MINUTES, SITE_YAML, TEMPLATES

SECOND = MINUTES.replace("2020-11-20", "2020-12-04").replace("Välkommen", "Budget")


@pytest.fixture
def parses(monkeypatch):
    """Count the minutes files actually parsed (not taken from the cache)."""
    calls = []
    original = pipeline.parse_minutes_files

    def counting(parser, paths):
        calls.extend(p.name for p in paths)
        return original(parser, paths)

    monkeypatch.setattr(pipeline, "parse_minutes_files", counting)
    return calls


@pytest.fixture
def setup(make_content, tmp_path):
    content = make_content({"minutes/2020/2020-12-04-ledningsgruppen.md": SECOND})
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)

    def run(search=False, base_url=None, workers=1):
        return build(BuildOptions(content, templates, tmp_path / "site", search=search, base_url=base_url,
                                  workers=workers, cache_dir=tmp_path / "cache"))

    return content, templates, tmp_path / "site", run


def test_nothing_changed_stops_at_once(setup, parses):
    content, templates, site, run = setup
    run()
    assert sorted(parses) == ["2020-11-20-ledningsgruppen.md", "2020-12-04-ledningsgruppen.md"]
    parses.clear()
    assert run().search_summary == "nothing changed since the last build"
    assert parses == []


def test_a_file_edited_while_the_build_reads_it_is_not_kept_under_its_old_key(setup, monkeypatch):
    """The key of a file is taken from its bytes before it is parsed: an edit in between was
    parsed and kept under the old key, and came back when the edit was undone (a review:
    "Zebrafink", in no file, published until the cache was deleted)."""
    content, templates, site, run = setup
    path = content / "minutes/2020/2020-12-04-ledningsgruppen.md"
    original = path.read_text(encoding="utf-8")
    parse = pipeline.parse_minutes_files

    def edited_meanwhile(parser, paths):
        if path in paths and "Zebrafink" not in path.read_text(encoding="utf-8"):
            path.write_text(original + "\nZebrafink.\n", encoding="utf-8")
        return parse(parser, paths)

    monkeypatch.setattr(pipeline, "parse_minutes_files", edited_meanwhile)
    with pytest.raises(BuildError) as caught:
        run()
    assert [e.message for e in caught.value.errors] == ["changed while the build read it; build again"]
    monkeypatch.setattr(pipeline, "parse_minutes_files", parse)
    path.write_text(original, encoding="utf-8")  # the edit undone
    run()
    assert "Zebrafink" not in (site / "moten/2020/2020-12-04-ledningsgruppen/index.html").read_text(encoding="utf-8")


def test_folders_given_relative_or_absolute_are_the_same_folders(setup, parses, monkeypatch):
    """'--content content' and the CLI's default (an absolute path) share the cache."""
    content, templates, site, _ = setup
    root = content.parent
    monkeypatch.chdir(root)

    def run(relative):
        def given(folder):
            return folder.relative_to(root) if relative else folder
        return build(BuildOptions(given(content), given(templates), given(site), search=False,
                                  workers=1, cache_dir=given(root / "cache")))

    run(relative=True)
    assert len(parses) == 2
    parses.clear()
    assert run(relative=False).search_summary == "nothing changed since the last build"
    assert parses == []


@pytest.mark.parametrize("workers", [1, 2])
def test_a_build_leaves_nothing_kept_out_of_garbage_collection(setup, monkeypatch, workers):
    """The live preview builds again and again in one process: what a build froze (its
    archive, its record) must be collectable once it is done, or each build would leak."""
    content, templates, site, run = setup
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 1)
    for edit in ("", "Ny text."):
        if edit:
            path = content / "minutes/2020/2020-12-04-ledningsgruppen.md"
            path.write_text(path.read_text(encoding="utf-8").replace("Text.", edit), encoding="utf-8")
        run(workers=workers)
        assert gc.get_freeze_count() == 0


def test_one_edited_file_is_parsed_again(setup, parses):
    content, templates, site, run = setup
    run()
    parses.clear()
    path = content / "minutes/2020/2020-12-04-ledningsgruppen.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Text.", "Ny text om Norvik."), encoding="utf-8")
    run()
    assert parses == ["2020-12-04-ledningsgruppen.md"]
    assert "Ny text om Norvik." in (site / "moten/2020/2020-12-04-ledningsgruppen/index.html").read_text(encoding="utf-8")


def test_a_template_change_rebuilds(setup, parses):
    content, templates, site, run = setup
    run()
    parses.clear()
    page = templates / "404.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Sidan finns inte", "Sidan saknas"), encoding="utf-8")
    report = run()
    assert report.search_summary != "nothing changed since the last build"
    assert parses == []  # templates do not change what the minutes say
    assert "Sidan saknas" in (site / "404.html").read_text(encoding="utf-8")


def test_a_registry_change_parses_everything_again(setup, parses):
    content, templates, site, run = setup
    run()
    parses.clear()
    topics = content / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8") + "budget: {name: Budget, keywords: [budget]}\n", encoding="utf-8")
    run()
    assert sorted(parses) == ["2020-11-20-ledningsgruppen.md", "2020-12-04-ledningsgruppen.md"]
    assert (site / "amnen/budget/index.html").is_file()


def test_a_setting_change_rebuilds(setup, parses):
    content, templates, site, run = setup
    run()
    parses.clear()
    run(base_url="https://example.org/arkiv/")
    assert sorted(parses) == ["2020-11-20-ledningsgruppen.md", "2020-12-04-ledningsgruppen.md"]
    assert 'href="/arkiv/assets/style.css?v=' in (site / "index.html").read_text(encoding="utf-8")


def test_a_code_change_parses_everything_again(setup, parses, monkeypatch):
    content, templates, site, run = setup
    run()
    parses.clear()
    monkeypatch.setattr(pipeline, "code_fingerprint", lambda: "another version of the generator")
    run()
    assert sorted(parses) == ["2020-11-20-ledningsgruppen.md", "2020-12-04-ledningsgruppen.md"]


@pytest.mark.parametrize("damage", ["whole", "middle"])
def test_a_damaged_cache_entry_is_ignored(setup, parses, damage):
    """Bytes overwritten in the middle of a pickle raised UnicodeDecodeError on every build (a review)."""
    content, templates, site, run = setup
    run()
    for entry in (site.parent / "cache" / "parsed").rglob("*.pickle"):
        data = entry.read_bytes()
        entry.write_bytes(b"not a pickle" if damage == "whole" else data[:len(data) // 2] + b"\xff" * 32 + data[len(data) // 2 + 32:])
    parses.clear()
    (site / "index.html").unlink()  # the output changed too, so the build runs
    run()
    assert sorted(parses) == ["2020-11-20-ledningsgruppen.md", "2020-12-04-ledningsgruppen.md"]


@pytest.mark.parametrize("damage", [b"", b"not marshalled code", None, "middle"])
def test_a_damaged_compiled_template_is_compiled_again(setup, tmp_path, damage):
    """Bytes overwritten in the middle of the marshalled code made the build crash (a review:
    a segfault on every build until the cache was deleted)."""
    content, templates, site, run = setup
    run()
    compiled = list((tmp_path / "cache/templates").iterdir())
    assert compiled
    for entry in compiled:
        data = entry.read_bytes()
        if damage == "middle":
            entry.write_bytes(data[:len(data) // 2] + b"Z" * 32 + data[len(data) // 2 + 32:])
        elif damage is None:
            entry.write_bytes(entry.read_bytes()[:40])  # cut short
        else:
            entry.write_bytes(entry.read_bytes()[:8] + damage)  # Jinja's own header, then not code
    (site / "index.html").unlink()  # the output changed, so the build runs
    run()
    assert site_files(site) == clean_build(content, templates, tmp_path / "clean")


def test_the_search_index_is_reused_only_while_indexed_text_is_unchanged(setup):
    content, templates, site, run = setup
    assert "Indexed 2 pages" in run(search=True).search_summary
    page = templates / "404.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Sidan finns inte", "Sidan saknas"), encoding="utf-8")
    assert run(search=True).search_summary.endswith("search index reused: no indexed text changed")
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    path = content / "minutes/2020/2020-12-04-ledningsgruppen.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Text.", "Annan text."), encoding="utf-8")
    assert "Indexed 2 pages" in run(search=True).search_summary


def site_files(site):
    """Every file of a built site but the search index, whose file names Pagefind 1.5.2 picks at random."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file() and "pagefind" not in p.parts}


def clean_build(content, templates, output):
    build(BuildOptions(content, templates, output, search=False, workers=1))
    return site_files(output)


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("change", ["edit text", "edit title", "name a municipality", "add meeting", "remove meeting"])
@pytest.mark.parametrize("months_from", [render.MONTHS_FROM, 1], ids=["years", "months"])
def test_a_build_that_renders_only_what_changed_equals_a_clean_build(setup, tmp_path, monkeypatch, change, workers, months_from):
    content, templates, site, run = setup
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 1)  # two processes even for this small archive
    monkeypatch.setattr(render, "MONTHS_FROM", months_from)  # 1: every year with two entries in pages per month
    run(workers=workers)
    second = content / "minutes/2020/2020-12-04-ledningsgruppen.md"
    if change == "edit text":
        second.write_text(second.read_text(encoding="utf-8").replace("Text.", "Ny text om Norvik."), encoding="utf-8")
    elif change == "edit title":
        second.write_text(second.read_text(encoding="utf-8").replace("## 1. Budget", "## 1. Budget och skatt"), encoding="utf-8")
    elif change == "name a municipality":
        second.write_text(second.read_text(encoding="utf-8").replace("## 1. Budget", "## 1. Budget för Tyresö"), encoding="utf-8")
    elif change == "add meeting":
        (content / "minutes/2021").mkdir()
        (content / "minutes/2021/2021-01-15-samarbetskommitten.md").write_text(
            MINUTES.replace("2020-11-20", "2021-01-15").replace("ledningsgruppen", "samarbetskommitten"), encoding="utf-8")
    else:
        second.unlink()
    report = run(workers=workers)
    assert " of " in report.search_summary  # built in place: "N of M files changed"
    assert_recorded_as_it_is(tmp_path / "cache", site)
    assert site_files(site) == clean_build(content, templates, tmp_path / "clean")
    changed = int(report.search_summary.split(" of ")[0])
    assert changed < len(site_files(site))


@pytest.fixture
def recounted(monkeypatch):
    """The URLs of the pages a build took from the last build with only their counts changed."""
    urls, real = [], render._recounted

    def spy(env, url, *args):
        html = real(env, url, *args)
        if html is not None:
            urls.append(url)
        return html

    monkeypatch.setattr(render, "_recounted", spy)
    return urls


DECIDED = MINUTES.replace("## 1. Välkommen\n\nText.\n", "## 1. Om näringsliv\n\nText.\n\n### Beslut\n\n- Att godkänna planen.\n")


OWN_COUNTS = {
    "its own way": ("{{ count_link(label, link, count, link == current or link == url_path) }}", '<a href="{{ url(link) }}">{{ label }}: {{ count }}</a>'),
    "twice": ("{% endblock %}", "{% for _, values in facets %}{% for link in values %}{{ count_link(*link) }}{% endfor %}{% endfor %}\n{% endblock %}"),
}


@pytest.mark.parametrize("months_from", [render.MONTHS_FROM, 1, 2], ids=["years", "months", "a year split by the meeting added"])
@pytest.mark.parametrize("own_counts", [None, *OWN_COUNTS], ids=["stock templates", *(f"a template that shows counts {k}" for k in OWN_COUNTS)])
def test_a_meeting_added_changes_only_the_counts_of_the_pages_that_do_not_list_it(make_content, tmp_path, recounted, own_counts,
                                                                                  monkeypatch, months_from):
    monkeypatch.setattr(render, "MONTHS_FROM", months_from)
    content = make_content({"minutes/2020/2020-11-20-ledningsgruppen.md": DECIDED,
                            "minutes/2020/2020-12-04-ledningsgruppen.md": DECIDED.replace("2020-11-20", "2020-12-04").replace("näringsliv", "covid")},
                           with_default_minutes=False)
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    if own_counts:
        register = templates / "register.html"
        register.write_text(register.read_text(encoding="utf-8").replace(*OWN_COUNTS[own_counts]), encoding="utf-8")
    options = BuildOptions(content, templates, tmp_path / "site", search=False, workers=1, cache_dir=tmp_path / "cache")
    build(options)
    # Another decision on näringsliv: the register's covid-19 pages do not list it, but count it.
    (content / "minutes/2020/2020-12-18-ledningsgruppen.md").write_text(DECIDED.replace("2020-11-20", "2020-12-18"), encoding="utf-8")
    assert " of " in build(options).search_summary  # only what changed: "N of M files changed"
    assert site_files(tmp_path / "site") == clean_build(content, templates, tmp_path / "clean")
    assert ("beslut/ar/2020/12/index.html" in site_files(tmp_path / "site")) == (months_from <= 2)
    if own_counts:
        # The old counts are not all where looked for: rendered. (A month's page shows no facets.)
        assert not [url for url in recounted if url.startswith("/beslut/") and not re.search(r"/\d{4}/\d\d/$", url)]
    else:
        assert {"/beslut/amne/covid-19/", "/beslut/amne/covid-19/2020/"} <= set(recounted)
        assert "/beslut/amne/naringsliv/" not in recounted  # it lists the new decision: rendered
        if months_from == 1:
            assert "/beslut/ar/2020/11/" in recounted and "/beslut/ar/2020/12/" not in recounted  # the month count of December


def test_an_edit_rewrites_only_the_pages_that_show_it(setup):
    content, templates, site, run = setup
    run()
    # The other meeting (the edited one's neighbour: its page links to it by date) and a
    # page that shows no meeting at all.
    others = [site / "moten/2020/2020-11-20-ledningsgruppen/index.html", site / "tillganglighet/index.html"]
    before = [(page.stat().st_mtime_ns, page.stat().st_ino) for page in others]
    path = content / "minutes/2020/2020-12-04-ledningsgruppen.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Text.", "Ny text om Norvik."), encoding="utf-8")
    report = run()
    changed, total = (int(n) for n in report.search_summary.split(" files changed")[0].split(" of "))
    assert 0 < changed < total
    assert [(page.stat().st_mtime_ns, page.stat().st_ino) for page in others] == before  # not written again
    assert "Ny text om Norvik." in (site / "moten/2020/2020-12-04-ledningsgruppen/index.html").read_text(encoding="utf-8")


def test_an_edit_with_an_error_leaves_the_site_as_it_was(setup):
    content, templates, site, run = setup
    run()
    before = site_files(site)
    path = content / "minutes/2020/2020-12-04-ledningsgruppen.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Text.", "Se [mötet](/moten/2020/finns-inte/)."), encoding="utf-8")
    with pytest.raises(BuildError, match="not a page of the site"):
        run()
    assert site_files(site) == before
    path.write_text(path.read_text(encoding="utf-8").replace("Se [mötet](/moten/2020/finns-inte/).", "Text."), encoding="utf-8")
    assert run().search_summary == "nothing changed since the last build"  # the failed build changed nothing


@pytest.fixture
def three_shards(make_content, tmp_path):
    """A meeting a year for three years, each year a search shard of its own: the minutes
    file of 2020, and a function that builds with search."""
    minutes = {f"minutes/{year}/{year}-03-01-ledningsgruppen.md": MINUTES.replace("2020-11-20", f"{year}-03-01").replace("Text.", f"Text om år {year}.")
               for year in (2019, 2020, 2021)}
    content = make_content(minutes, with_default_minutes=False)

    def run():
        return build(BuildOptions(content, TEMPLATES, tmp_path / "site", search=True, workers=1, cache_dir=tmp_path / "cache", shard_pages=1))

    return content / "minutes/2020/2020-03-01-ledningsgruppen.md", run


def listed_pages(site: Path) -> dict[str, int]:
    """The word list's words, each with how many pages hold it."""
    folder = site / "sok" / "ord"
    files = json.loads((folder / "filer.json").read_text(encoding="utf-8"))["files"]
    return {word: int(count or 1) for _, name in files
            for word, _, count in (line.partition("\t") for line in (folder / name).read_text(encoding="utf-8").splitlines())}


def test_an_edit_indexes_only_its_search_shard_again(three_shards, tmp_path):
    path, run = three_shards
    assert "3 of 3 search shards indexed (3 pages)" in run().search_summary
    assert listed_pages(tmp_path / "site")["Text"] == 3
    path.write_text(path.read_text(encoding="utf-8").replace("Text om år 2020.", "Ny text om Norvik."), encoding="utf-8")
    vocabulary = tmp_path / "site/pagefind/ordlista/pagefind-entry.json"
    before = {year: (tmp_path / f"site/pagefind/{year}/ord.txt.gz").stat().st_ino for year in (2019, 2021)}
    made = vocabulary.stat().st_ino
    assert "1 of 3 search shards indexed (1 page)" in run().search_summary
    assert_recorded_as_it_is(tmp_path / "cache", tmp_path / "site")
    assert sorted(p.name for p in (tmp_path / "site/pagefind").iterdir()) == ["2019", "2020", "2021", "ordlista"]
    # The vocabulary is made again, from the new words of 2020 and the kept words of the others.
    assert vocabulary.stat().st_ino != made
    assert "Norvik." in read_words(tmp_path / "site/pagefind/2020") and "2020." not in read_words(tmp_path / "site/pagefind/2020")
    # The word list too, its numbers of pages summed from the kept words and the new.
    assert [listed_pages(tmp_path / "site").get(word) for word in ("Text", "text", "Norvik", "om")] == [2, 1, 1, 3]
    assert {year: (tmp_path / f"site/pagefind/{year}/ord.txt.gz").stat().st_ino for year in (2019, 2021)} == before


def test_the_vocabulary_is_made_from_the_pages_of_a_shard_without_kept_words(three_shards, tmp_path, monkeypatch):
    """A bundle published by a build before the vocabulary has no words kept."""
    path, run = three_shards
    with monkeypatch.context() as before_the_vocabulary:
        before_the_vocabulary.setattr(pipeline, "write_words", lambda bundle, words: None)
        run()
    assert not (tmp_path / "site/pagefind/2019/ord.txt.gz").exists()
    vocabularies = []
    monkeypatch.setattr(pipeline, "index_pages", lambda pages, bundle: vocabularies.append(pages) or index_pages(pages, bundle))
    path.write_text(path.read_text(encoding="utf-8").replace("Text om år 2020.", "Ny text om Norvik."), encoding="utf-8")
    assert "1 of 3 search shards indexed (1 page)" in run().search_summary
    [pages] = vocabularies
    assert " 2019. " in pages["2019"] and " Norvik. " in pages["2020"] and " 2020. " not in pages["2020"]
    assert (tmp_path / "site/pagefind/ordlista/pagefind-entry.json").is_file()


def test_page_keys_do_not_depend_on_the_number_of_processes(make_content, tmp_path, monkeypatch):
    """The processes parse interleaved shares of the files; each meeting must still get its own file's key."""
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 1)
    content = make_content({f"minutes/2020/2020-0{month}-01-ledningsgruppen.md": MINUTES.replace("2020-11-20", f"2020-0{month}-01")
                            for month in range(1, 6)}, with_default_minutes=False)
    keys = []
    for workers in (1, 2):
        cache = BuildCache(tmp_path / f"cache-{workers}")
        output = tmp_path / f"site-{workers}"
        build(BuildOptions(content, TEMPLATES, output, search=False, workers=workers, cache_dir=cache.folder))
        keys.append({url: page.key for url, page in cache.last_build(output).pages.items()})
    assert keys[0] == keys[1]


def test_a_text_edit_makes_only_its_meeting_page_and_the_open_data_again(setup, tmp_path, parses):
    """Prose of an agenda item is on the meeting's page and in the open data, not on any list."""
    content, templates, site, run = setup
    run()
    lists = [site / "ar/2020/index.html", site / "index.html", site / "kommuner/haninge/index.html", site / "data/decisions.json"]
    before = [(page.stat().st_mtime_ns, page.stat().st_ino) for page in lists]
    parses.clear()
    path = content / "minutes/2020/2020-12-04-ledningsgruppen.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Text.", "Ny text om samverkan."), encoding="utf-8")
    report = run()
    assert report.search_summary.startswith("2 of 41 files changed (1 edited meeting, in place)")  # its page and meetings.json
    assert parses == ["2020-12-04-ledningsgruppen.md"]
    assert [(page.stat().st_mtime_ns, page.stat().st_ino) for page in lists] == before
    assert "Ny text om samverkan." in (site / "data/meetings.json").read_text(encoding="utf-8")
    assert site_files(site) == clean_build(content, templates, tmp_path / "clean")
    assert run().search_summary == "nothing changed since the last build"


def test_a_text_edit_goes_the_whole_way_when_the_last_version_is_not_in_the_store(setup, tmp_path):
    content, templates, site, run = setup
    run()
    shutil.rmtree(tmp_path / "cache/meetings")
    path = content / "minutes/2020/2020-12-04-ledningsgruppen.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Text.", "Ny text om samverkan."), encoding="utf-8")
    report = run()
    assert " of " in report.search_summary and "in place" not in report.search_summary
    assert site_files(site) == clean_build(content, templates, tmp_path / "clean")


def test_a_text_edit_indexes_its_search_shard_again(three_shards, tmp_path):
    path, run = three_shards
    run()
    path.write_text(path.read_text(encoding="utf-8").replace("Text om år 2020.", "Ny text om samverkan."), encoding="utf-8")
    report = run()
    assert "(1 edited meeting, in place)" in report.search_summary
    assert "1 of 3 search shards indexed (1 page)" in report.search_summary
    assert_recorded_as_it_is(tmp_path / "cache", tmp_path / "site")
    assert run().search_summary == "nothing changed since the last build"


def test_rebuilds_with_search_record_the_output_folder_as_it_is(setup, tmp_path):
    """A rebuild records the output folder from what it changed (OutputChanges), not by
    walking it: the record must still be what a walk finds, search bundle included, or
    the next build would go the whole way."""
    content, templates, site, run = setup
    run(search=True)
    second = content / "minutes/2020/2020-12-04-ledningsgruppen.md"
    added = content / "minutes/2021/2021-01-15-samarbetskommitten.md"
    added.parent.mkdir()
    added.write_text(MINUTES.replace("2020-11-20", "2021-01-15").replace("ledningsgruppen", "samarbetskommitten"), encoding="utf-8")
    assert "search index: Indexed 3 pages" in run(search=True).search_summary
    assert_recorded_as_it_is(tmp_path / "cache", site)
    second.write_text(second.read_text(encoding="utf-8").replace("Text.", "Ny text om Norvik."), encoding="utf-8")
    assert "(1 edited meeting, in place); search index: Indexed 3 pages" in run(search=True).search_summary
    assert_recorded_as_it_is(tmp_path / "cache", site)
    added.unlink()  # its folder of 2021 goes with it, in content and in the site
    report = run(search=True)
    assert " of " in report.search_summary and "Indexed 2 pages" in report.search_summary
    assert not (site / "moten/2021").exists()
    assert_recorded_as_it_is(tmp_path / "cache", site)
    assert run(search=True).search_summary == "nothing changed since the last build"


def assert_recorded_as_it_is(cache_dir: Path, site: Path) -> None:
    """The last build's record of site is what a walk of site finds now."""
    from minutes_archive.cache import output_state

    recorded = BuildCache(cache_dir).last_build(site)
    assert recorded is not None, "the output folder is not as the last build recorded it"
    assert recorded.output.entries == output_state(site).entries


def settle(folder: Path, seconds_ago: int = 60) -> None:
    """Give every file below folder a modification time long past."""
    past = time.time_ns() - seconds_ago * 10**9
    for path in folder.rglob("*.md"):
        os.utime(path, ns=(past, past))


def test_a_file_is_read_again_only_when_its_size_or_time_changed(setup, monkeypatch):
    content, templates, site, run = setup
    settle(content)
    run()
    read = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or original(self))
    assert run().search_summary == "nothing changed since the last build"
    assert not [name for name in read if name.endswith(".md")]
    path = content / "minutes/2020/2020-12-04-ledningsgruppen.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Text.", "Txet."), encoding="utf-8")  # same size, new time
    run()
    assert "Txet." in (site / "moten/2020/2020-12-04-ledningsgruppen/index.html").read_text(encoding="utf-8")
    assert {name for name in read if name.endswith(".md")} == {"2020-12-04-ledningsgruppen.md"}  # hashed, then parsed


def test_a_file_changed_within_the_clock_tick_it_was_read_in_is_read_again(setup):
    """An edit that keeps the size and the modification time can only happen right after the
    file was read: a file whose time had not settled then is always read again."""
    content, templates, site, run = setup
    path = content / "minutes/2020/2020-12-04-ledningsgruppen.md"
    now = time.time_ns()
    os.utime(path, ns=(now, now))
    run()
    path.write_text(path.read_text(encoding="utf-8").replace("Text.", "Txet."), encoding="utf-8")
    os.utime(path, ns=(now, now))
    run()
    assert "Txet." in (site / "moten/2020/2020-12-04-ledningsgruppen/index.html").read_text(encoding="utf-8")


def open_data_files_made(monkeypatch) -> list[str]:
    """The names of the open data files rendered whole from now on (not spliced)."""
    made: list[str] = []
    original = render.render_open_data
    monkeypatch.setattr(render, "render_open_data", lambda archive, name, env: made.append(name) or original(archive, name, env))
    return made


@pytest.mark.parametrize("change", ["name a municipality", "add a meeting", "remove a meeting", "add one, remove another"])
def test_open_data_is_spliced_when_few_meetings_changed(setup, tmp_path, monkeypatch, change):
    """Edited, added or removed, the changed meetings' parts are spliced into the published
    open data files (the build goes the whole way: the lists change), not all parts written."""
    content, templates, site, run = setup
    run()
    made = open_data_files_made(monkeypatch)
    if change == "name a municipality":
        path = content / "minutes/2020/2020-12-04-ledningsgruppen.md"
        path.write_text(path.read_text(encoding="utf-8").replace("## 1. Budget", "## 1. Budget för Tyresö"), encoding="utf-8")
    if change in ("add a meeting", "add one, remove another"):
        (content / "minutes/2021").mkdir()
        (content / "minutes/2021/2021-01-15-ledningsgruppen.md").write_text(MINUTES.replace("2020-11-20", "2021-01-15"), encoding="utf-8")
    if change in ("remove a meeting", "add one, remove another"):
        (content / "minutes/2020/2020-12-04-ledningsgruppen.md").unlink()
    before = (site / "data/meetings.json").read_bytes()
    run()
    assert made == []
    assert (site / "data/meetings.json").read_bytes() != before
    assert site_files(site) == clean_build(content, templates, tmp_path / "clean")


def test_open_data_is_written_whole_when_a_part_of_the_last_build_is_gone(setup, tmp_path, monkeypatch):
    content, templates, site, run = setup
    run()
    removed = content / "minutes/2020/2020-12-04-ledningsgruppen.md"
    removed_key = BuildCache(tmp_path / "cache").last_build(site).record["files"][str(removed)]
    for stored in (tmp_path / "cache" / STORE).rglob(f"{removed_key}.*"):
        stored.unlink()
    removed.unlink()
    made = open_data_files_made(monkeypatch)
    run()
    assert sorted(made) == sorted(OPEN_DATA_FILES)
    assert site_files(site) == clean_build(content, templates, tmp_path / "clean")


def test_an_edit_in_place_then_one_the_lists_show_still_splices_the_open_data(setup, tmp_path, monkeypatch):
    """The record of the edit in place names the meeting's new version, whose parts are published."""
    content, templates, site, run = setup
    run()
    path = content / "minutes/2020/2020-12-04-ledningsgruppen.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Text.", "Ny text om samverkan."), encoding="utf-8")
    assert "(1 edited meeting, in place)" in run().search_summary
    made = open_data_files_made(monkeypatch)
    path.write_text(path.read_text(encoding="utf-8").replace("## 1. Budget", "## 1. Budget för Tyresö"), encoding="utf-8")
    assert "in place" not in run().search_summary
    assert made == []
    assert site_files(site) == clean_build(content, templates, tmp_path / "clean")


def cache_entries(cache: Path) -> set[str]:
    """The keys of the parsed minutes and stored meetings in a cache folder."""
    return {path.name.split(".")[0] for folder in ("parsed", "meetings") for path in (cache / folder).glob("*/*")}


def test_entries_no_build_uses_are_deleted_once_they_outnumber_the_used_ones(setup, tmp_path):
    content, templates, site, run = setup
    cache = tmp_path / "cache"
    run()
    used = set(BuildCache(cache).last_build(site).record["files"].values())
    assert cache_entries(cache) == used and len(used) == 2
    for version in (2, 3):  # a change to a registry gives every minutes file a new key
        (content / "site.yaml").write_text(SITE_YAML + f"# version {version}\n", encoding="utf-8")
        run()
        if version == 2:
            assert len(cache_entries(cache)) == 4  # as many unused as used: kept
    used = set(BuildCache(cache).last_build(site).record["files"].values())
    assert cache_entries(cache) == used  # 4 unused against 2 used: deleted
    assert run().search_summary == "nothing changed since the last build"


def test_the_record_of_an_output_folder_that_is_gone_is_deleted(setup, tmp_path):
    content, templates, site, run = setup
    preview = tmp_path / "preview"
    build(BuildOptions(content, templates, preview, search=False, workers=1, cache_dir=tmp_path / "cache"))
    run()
    assert len(list((tmp_path / "cache/builds").glob("*.pickle"))) == 2
    shutil.rmtree(preview)
    path = content / "minutes/2020/2020-12-04-ledningsgruppen.md"
    path.write_text(path.read_text(encoding="utf-8").replace("## 1. Budget", "## 1. Budget för Tyresö"), encoding="utf-8")
    assert "in place" not in run().search_summary  # the whole way, which prunes the cache
    assert [p.name for p in (tmp_path / "cache/builds").glob("*.pickle")] == [BuildCache(tmp_path / "cache")._builds_path(site).name]


def test_an_output_folder_is_as_left_until_a_file_in_it_is_changed_added_or_removed(tmp_path):
    from minutes_archive.cache import as_left, output_state

    site = tmp_path / "site"
    (site / "a/b").mkdir(parents=True)
    for name in ("index.html", "a/index.html", "a/b/index.html"):
        (site / name).write_text("x", encoding="utf-8")
    hour_ago = time.time() - 3600
    for path in [site, *site.rglob("*")]:
        os.utime(path, (hour_ago, hour_ago))  # every time settled
    state = output_state(site)
    assert state.unsettled == frozenset() and set(state.entries) == {"", "a/", "a/b/", "index.html", "a/index.html", "a/b/index.html"}
    assert as_left(site, state)
    (site / "a/b/new.html").write_text("", encoding="utf-8")
    assert not as_left(site, state)  # its folder's time changed
    (site / "a/b/new.html").unlink()
    os.utime(site / "a/b", (hour_ago, hour_ago))
    assert as_left(site, state)
    (site / "a/index.html").write_text("y", encoding="utf-8")
    assert not as_left(site, state)  # same size, another time
    os.utime(site / "a/index.html", (hour_ago, hour_ago))
    assert as_left(site, state)
    (site / "a/index.html").unlink()
    os.utime(site / "a", (hour_ago, hour_ago))
    assert not as_left(site, state)  # gone


def test_a_file_added_within_the_clock_tick_its_folder_was_looked_at_in_is_noticed(tmp_path):
    from minutes_archive.cache import as_left, output_state

    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a/index.html").write_text("x", encoding="utf-8")
    state = output_state(site)  # just written: the times have not settled
    assert state.unsettled == frozenset({"", "a/"})
    folder_time = (site / "a").stat().st_mtime_ns
    (site / "a/new.html").write_text("", encoding="utf-8")
    os.utime(site / "a", ns=(folder_time, folder_time))  # as on a clock too coarse to tell the two apart
    assert not as_left(site, state)


@pytest.mark.parametrize("change", ["changed", "added", "removed"])
def test_a_site_changed_added_to_or_removed_from_by_hand_is_built_whole(setup, change):
    content, templates, site, run = setup
    run()
    if change == "changed":
        (site / "kommuner/index.html").write_text("changed by hand", encoding="utf-8")
    elif change == "added":
        (site / "kommuner/extra.html").write_text("added by hand", encoding="utf-8")
    else:
        (site / "kommuner/index.html").unlink()
    path = content / "minutes/2020/2020-12-04-ledningsgruppen.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Text.", "Annan text."), encoding="utf-8")
    report = run()
    assert " of " not in report.search_summary  # not in place: the output is not as the last build left it
    assert "by hand" not in (site / "kommuner/index.html").read_text(encoding="utf-8")
    assert not (site / "kommuner/extra.html").exists()
