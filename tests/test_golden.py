"""Golden HTML for representative pages of the fixture archive.

When a change to the output is intended, refresh the files and review the diff:
    UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

import os
import re
from pathlib import Path

import pytest

from minutes_archive.pipeline import load_archive, render_archive

from conftest import FIXTURE_ARCHIVE, TEMPLATES

GOLDEN = Path(__file__).parent / "golden"
PAGES = {
    "home.html": "/",
    "meeting.html": "/moten/2020/2020-03-13-ledningsgruppen/",
    "municipality.html": "/kommuner/haninge/",
    "topic.html": "/amnen/covid-19/",
    "register.html": "/beslut/",
}


ASSETS_VERSION = re.compile(r"(/assets/[^\"?]+)\?v=[0-9a-f]{10}\"")
"""The digest of the assets in their URLs (render.assets_version), which any change to the
CSS or JS changes: tested on its own, written ?v=… here."""


@pytest.fixture(scope="module")
def rendered():
    return {page.url: ASSETS_VERSION.sub(r'\1?v=…"', page.content) for page in render_archive(load_archive(FIXTURE_ARCHIVE), TEMPLATES)}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_matches_golden(rendered, name):
    html = rendered[PAGES[name]]
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(html, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; create it with UPDATE_GOLDEN=1"
    assert html == golden.read_text(encoding="utf-8"), f"{PAGES[name]} differs from {golden}; if intended, refresh with UPDATE_GOLDEN=1"
