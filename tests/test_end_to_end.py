"""The fixture archive built end to end, search index included."""

import json
import re

import pytest

import browser_support


def test_every_page_kind_is_written(fixture_site):
    expected = [
        "index.html", "404.html", "sok/index.html", "tillganglighet/index.html", "data/index.html", "beslut/index.html",
        "kommuner/index.html", "kommuner/haninge/index.html", "kommuner/sodertornskommunerna/index.html",
        "amnen/index.html", "amnen/covid-19/index.html", "ar/index.html", "ar/2019/index.html", "ar/2021/index.html",
        "organ/index.html", "organ/samarbetskommitten/index.html",
        "moten/2020/2020-03-13-ledningsgruppen/index.html", "assets/style.css", "assets/search.js",
    ]
    missing = [path for path in expected if not (fixture_site / path).is_file()]
    assert missing == []
    assert len(list((fixture_site / "moten").rglob("index.html"))) == 6


def test_search_index_holds_only_the_meetings_in_swedish(fixture_site):
    entry = json.loads((fixture_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["sv"]
    assert entry["languages"]["sv"]["page_count"] == 6


def test_no_staging_folders_are_left_behind(fixture_site):
    assert [p.name for p in fixture_site.parent.iterdir()] == ["site"]


def test_missing_browser_fails_under_ci(monkeypatch):
    monkeypatch.setattr(browser_support, "find_executable", lambda candidates, name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        browser_support.require_browser()
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception):
        browser_support.require_browser()


@pytest.mark.parametrize("site", ["fixture_site", "content_site"])
def test_no_page_has_an_empty_list(site, request):
    """An empty list is read out as "list, 0 items": a facet or section with nothing in it is left out."""
    folder = request.getfixturevalue(site)
    empty = [str(path.relative_to(folder)) for path in folder.rglob("*.html")
             if re.search(r"<(ul|ol|dl)\b[^>]*>\s*</\1>", path.read_text(encoding="utf-8"))]
    assert empty == []
