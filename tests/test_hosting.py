"""Hosting: every link resolves at a domain root and under a subpath, and search works there."""

import time
from pathlib import Path

import pytest

from browser_support import chromium_driver, read_all, serve
from link_check import broken_links
from minutes_archive.pipeline import BuildOptions, build

from conftest import FIXTURE_ARCHIVE, TEMPLATES

SUBPATH_BASE = "https://example.org/motesarkiv/"


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory) -> Path:
    """The fixture archive built for a GitHub Pages project site, served from /motesarkiv/."""
    root = tmp_path_factory.mktemp("subpath")
    build(BuildOptions(FIXTURE_ARCHIVE, TEMPLATES, root / "motesarkiv", base_url=SUBPATH_BASE))
    return root


def test_every_internal_link_and_anchor_resolves_at_the_root(fixture_site):
    assert broken_links(fixture_site, "https://example.org/") == []


def test_every_internal_link_and_anchor_resolves_under_a_subpath(subpath_site):
    site = subpath_site / "motesarkiv"
    assert broken_links(site, SUBPATH_BASE) == []
    html = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="/motesarkiv/assets/style.css?v=' in html and 'action="/motesarkiv/sok/"' in html
    assert 'href="/assets/' not in html and 'href="/kommuner/' not in html


@pytest.mark.browser
def test_search_works_under_a_subpath(subpath_site):
    with serve(subpath_site) as url, chromium_driver() as browser:
        browser.get(url + "motesarkiv/sok/?q=albybergsterminalen")
        deadline, links = time.time() + 20, []
        while time.time() < deadline and not links:
            links = read_all(browser, "pagefind-results a.pf-result-link", "href")
            time.sleep(0.2)
        assert links == [url + "motesarkiv/moten/2021/2021-02-05-ledningsgruppen/"]
        subs = read_all(browser, "pagefind-results a.pf-heading-link", "href")
        assert url + "motesarkiv/moten/2021/2021-02-05-ledningsgruppen/#p2" in subs
        assert [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
