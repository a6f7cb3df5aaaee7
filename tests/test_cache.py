"""The build cache: rebuilds skip what did not change, and every input that matters invalidates it."""

import shutil

import pytest

import minutes_archive.pipeline as pipeline
from minutes_archive.pipeline import BuildOptions, build

from conftest import MINUTES, TEMPLATES

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

    def run(search=False, base_url=None):
        return build(BuildOptions(content, templates, tmp_path / "site", search=search, base_url=base_url,
                                  workers=1, cache_dir=tmp_path / "cache"))

    return content, templates, tmp_path / "site", run


def test_nothing_changed_stops_at_once(setup, parses):
    content, templates, site, run = setup
    run()
    assert sorted(parses) == ["2020-11-20-ledningsgruppen.md", "2020-12-04-ledningsgruppen.md"]
    parses.clear()
    assert run().search_summary == "nothing changed since the last build"
    assert parses == []


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
    assert 'href="/arkiv/assets/style.css"' in (site / "index.html").read_text(encoding="utf-8")


def test_a_code_change_parses_everything_again(setup, parses, monkeypatch):
    content, templates, site, run = setup
    run()
    parses.clear()
    monkeypatch.setattr(pipeline, "code_fingerprint", lambda: "another version of the generator")
    run()
    assert sorted(parses) == ["2020-11-20-ledningsgruppen.md", "2020-12-04-ledningsgruppen.md"]


def test_a_damaged_cache_entry_is_ignored(setup, parses):
    content, templates, site, run = setup
    run()
    for entry in (site.parent / "cache" / "parsed").rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    parses.clear()
    (site / "index.html").unlink()  # the output changed too, so the build runs
    run()
    assert sorted(parses) == ["2020-11-20-ledningsgruppen.md", "2020-12-04-ledningsgruppen.md"]


def test_the_search_index_is_reused_only_while_meeting_pages_are_unchanged(setup):
    content, templates, site, run = setup
    assert run(search=True).search_summary.startswith("Indexed")
    page = templates / "404.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Sidan finns inte", "Sidan saknas"), encoding="utf-8")
    assert run(search=True).search_summary == "search index reused: no meeting page changed"
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    path = content / "minutes/2020/2020-12-04-ledningsgruppen.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Text.", "Annan text."), encoding="utf-8")
    assert run(search=True).search_summary.startswith("Indexed")
