"""Shared fixtures: small content trees written inline, and the fixture archive built once."""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from minutes_archive.pipeline import BuildOptions, build

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_ARCHIVE = ROOT / "tests" / "fixtures" / "archive"
TEMPLATES = ROOT / "templates"

SITE_YAML = """\
title: Testarkiv
description: Ett arkiv för tester.
base_url: https://example.org/
language: sv
organisation: Testkommunerna
contact_email: test@example.org
"""
MUNICIPALITIES_YAML = """\
haninge: {name: Haninge, aliases: [Haninges, Haninge kommun]}
nynashamn: {name: Nynäshamn, aliases: [Nynäshamns kommun]}
tyreso: {name: Tyresö, aliases: [Tyresö kommun]}
"""
TOPICS_YAML = """\
covid-19: {name: Covid-19, description: Pandemin., keywords: [covid, corona, pandemi]}
naringsliv: {name: Näringsliv, description: Företag., keywords: [näringsliv, företag]}
"""
BODIES_YAML = """\
ledningsgruppen: {name: Ledningsgruppen, description: Kommundirektörerna.}
samarbetskommitten: {name: Samarbetskommittén, description: Politikerna.}
"""
MINUTES = """\
---
date: 2020-11-20
time: "08.30–11.00"
body: ledningsgruppen
attendees:
  - {name: Anna Andersson, municipality: haninge}
---

## 1. Välkommen

Text.
"""


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write files (relative path -> text, dedented) below root and return root."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def make_content(tmp_path):
    """Return a function that writes a content tree: the defaults plus or minus the given files."""

    def make(files: dict[str, str | None] | None = None, with_default_minutes: bool = True) -> Path:
        tree: dict[str, str | None] = {
            "site.yaml": SITE_YAML,
            "municipalities.yaml": MUNICIPALITIES_YAML,
            "topics.yaml": TOPICS_YAML,
            "bodies.yaml": BODIES_YAML,
        }
        if with_default_minutes:
            tree["minutes/2020/2020-11-20-ledningsgruppen.md"] = MINUTES
        tree.update(files or {})
        return write_tree(tmp_path / "content", {k: v for k, v in tree.items() if v is not None})

    return make


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The fixture archive built once, search index included."""
    output = tmp_path_factory.mktemp("fixture-build") / "site"
    build(BuildOptions(FIXTURE_ARCHIVE, TEMPLATES, output, search=True))
    return output


@pytest.fixture(scope="session")
def fixture_site_in_months(tmp_path_factory) -> Path:
    """The fixture archive built with every year of more than one entry on a list split
    into one page per month (as a year of more than render.MONTHS_FROM entries is)."""
    from minutes_archive import render

    output = tmp_path_factory.mktemp("fixture-build-in-months") / "site"
    months_from, render.MONTHS_FROM = render.MONTHS_FROM, 1
    try:
        build(BuildOptions(FIXTURE_ARCHIVE, TEMPLATES, output, search=False))
    finally:
        render.MONTHS_FROM = months_from
    return output


@pytest.fixture(scope="session")
def content_site(tmp_path_factory) -> Path:
    """The real content/ built once, at the domain root, search index included."""
    output = tmp_path_factory.mktemp("content-build") / "site"
    build(BuildOptions(ROOT / "content", TEMPLATES, output, search=True, base_url="http://127.0.0.1/"))
    return output


@pytest.fixture(scope="session")
def generated_sharded_site(tmp_path_factory) -> Path:
    """120 synthetic meetings (bench/generate.py) over 20 years, the search index in shards
    of at most ten pages: the newest shard (one year) holds enough pages for a common word
    to show its results first, and a common word finds more than the 50 listed at once."""
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate

    work = tmp_path_factory.mktemp("generated-sharded")
    output = work / "site"
    build(BuildOptions(generate(120, 1, work / "content"), TEMPLATES, output, search=True, shard_pages=10,
                       base_url="http://127.0.0.1/"))
    assert len(list((output / "pagefind").glob("*/pagefind-entry.json"))) > 3
    return output


@pytest.fixture
def copy_of(tmp_path):
    """Copy a folder into tmp_path and return the copy."""

    def copy(source: Path, name: str = "copy") -> Path:
        target = tmp_path / name
        shutil.copytree(source, target)
        return target

    return copy
