"""Feeds, calendars, open data and the sitemap of the built fixture archive, read by real tools."""

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import feedparser
import icalendar
import jsonschema
import pytest
from lxml import etree

from minutes_archive import render
from minutes_archive.pipeline import load_archive

from conftest import FIXTURE_ARCHIVE

SCHEMAS = Path(__file__).parent / "schemas"
BASE = "https://example.org/"


def feeds(site: Path) -> list[Path]:
    return sorted(site.rglob("atom.xml"))


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{name} is needed (apt-get install -y {name}); CI=true: may not be skipped")
    pytest.skip(f"{name} is not installed (apt-get install -y {name})")


def test_every_feed_is_valid_atom(fixture_site):
    jing = require_tool("jing")
    paths = feeds(fixture_site)
    assert len(paths) == 2 + 9 + 9 + 2  # minutes, decisions, each municipality, topic, body
    result = subprocess.run([jing, "-c", str(SCHEMAS / "atom.rnc"), *map(str, paths)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_feeds_read_by_feedparser_and_linked_from_their_pages(fixture_site):
    for path in feeds(fixture_site):
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        page = path.parent / "index.html"
        relative = "/" + path.relative_to(fixture_site).as_posix()
        html = page.read_text(encoding="utf-8")
        assert '<link rel="alternate" type="application/atom+xml"' in html and f'href="{relative}"' in html, page
    decisions = feedparser.parse((fixture_site / "beslut" / "atom.xml").read_bytes())
    assert decisions.entries[0].title == "Samarbetskommittén 2021-04-22 § 3, beslut 1"
    assert decisions.entries[0].link == BASE + "moten/2021/2021-04-22-samarbetskommitten/#p3-b1"
    assert "vaccinationssamordning" in decisions.entries[0].content[0].value


def test_calendars_are_read_by_icalendar(fixture_site):
    everything = icalendar.Calendar.from_ical((fixture_site / "moten.ics").read_bytes())
    events = [e for e in everything.walk("VEVENT")]
    assert len(events) == 6
    first = next(e for e in events if str(e["UID"]).startswith("2020-03-13-ledningsgruppen"))
    assert first.decoded("DTSTART").isoformat() == "2020-03-13T08:30:00+01:00"
    assert str(first["URL"]) == BASE + "moten/2020/2020-03-13-ledningsgruppen/"
    body = icalendar.Calendar.from_ical((fixture_site / "organ" / "samarbetskommitten" / "moten.ics").read_bytes())
    assert len(list(body.walk("VEVENT"))) == 3
    assert b"\r\n" in (fixture_site / "moten.ics").read_bytes()
    assert all(len(line) <= 75 for line in (fixture_site / "moten.ics").read_bytes().split(b"\r\n"))


def test_a_calendar_holds_the_newest_meetings(monkeypatch):
    monkeypatch.setattr(render, "CALENDAR_MEETINGS", 2)
    archive = load_archive(FIXTURE_ARCHIVE)
    calendars = {page.url: icalendar.Calendar.from_ical(page.content) for page in render.render_calendars(archive)}
    days = lambda url: sorted(str(e.decoded("DTSTART"))[:10] for e in calendars[url].walk("VEVENT"))  # noqa: E731
    assert days("/moten.ics") == ["2021-02-05", "2021-04-22"]
    assert days("/organ/samarbetskommitten/moten.ics") == ["2020-09-24", "2021-04-22"]


def test_open_data_matches_its_schemas(fixture_site):
    for name in ("meetings", "decisions"):
        schema = json.loads((fixture_site / "data" / f"{name}.schema.json").read_text(encoding="utf-8"))
        data = json.loads((fixture_site / "data" / f"{name}.json").read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)


def test_the_register_can_be_rebuilt_from_open_data(fixture_site):
    archive = load_archive(FIXTURE_ARCHIVE)
    expected = [(d.citation, BASE + d.url.lstrip("/"), d.decision.text, list(d.item.topics)) for d in archive.decisions]
    from_json = [(d["citation"], d["url"], d["text"], d["topics"])
                 for d in json.loads((fixture_site / "data" / "decisions.json").read_text(encoding="utf-8"))["decisions"]]
    assert from_json == expected
    rows = list(csv.DictReader(io.StringIO((fixture_site / "data" / "decisions.csv").read_text(encoding="utf-8"))))
    assert [(r["citation"], r["url"], r["text"], r["topics"].split("; ") if r["topics"] else []) for r in rows] == expected
    meetings = json.loads((fixture_site / "data" / "meetings.json").read_text(encoding="utf-8"))["meetings"]
    rebuilt = [d["url"] for m in meetings for item in m["items"] for d in item["decisions"]]
    assert rebuilt == [e[1] for e in expected]


def test_sitemap_is_valid_and_every_location_exists(fixture_site):
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap.xsd")))
    document = etree.parse(str(fixture_site / "sitemap.xml"))
    schema.assertValid(document)
    locations = [e.text for e in document.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert BASE in locations and BASE + "moten/2021/2021-04-22-samarbetskommitten/" in locations
    for location in locations:
        assert (fixture_site / location.removeprefix(BASE) / "index.html").is_file(), location
    assert (fixture_site / "robots.txt").read_text() == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"
    assert (fixture_site / "404.html").is_file()
