"""Rebuilds in place: an edit that keeps each edited meeting in its place on the lists
(archive.placement) makes the edited meetings' pages again and splices their entries into
the published files. Each such rebuild must give the site a clean build gives."""

import shutil

import pytest

from minutes_archive import render
from minutes_archive.cache import BuildCache
from minutes_archive.pipeline import BuildOptions, build, load_archive
from minutes_archive.render import Page, pages_listing

from conftest import FIXTURE_ARCHIVE, TEMPLATES
from test_cache import clean_build, site_files

EDITED = "minutes/2020/2020-03-13-ledningsgruppen.md"


@pytest.fixture
def archive(tmp_path):
    """The fixture archive, built once with a cache; returns its content folder, the site
    and a function that builds it again."""
    return built_archive(tmp_path)


@pytest.fixture
def archive_in_months(tmp_path, monkeypatch):
    """The same, with every year that has more than one entry on a list split into months,
    whose pages show the newest entry only: the others are on the months' pages alone."""
    for name in ("MONTHS_FROM", "LATEST_DECISIONS", "LATEST_LIST"):
        monkeypatch.setattr(render, name, 1)
    return built_archive(tmp_path)


def built_archive(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_ARCHIVE, content)

    def run():
        return build(BuildOptions(content, TEMPLATES, tmp_path / "site", search=False, workers=1, cache_dir=tmp_path / "cache"))

    run()
    return content, tmp_path / "site", run


def edit(content, old: str, new: str) -> None:
    path = content / EDITED
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


IN_PLACE = {
    "a decision's wording": ("- Att Eva Norberg samordnar", "- Att Eva Norberg och Maria Lindholm samordnar"),
    "an item's title": ("## 3. Smittskydd och skyddsutrustning", "## 3. Smittskydd, skyddsutrustning och lager"),
    "the meeting's title": ("title: Extra möte med", "title: Extrainsatt möte med"),
    "an attendee's name": ("Per Åkesson, municipality: Haninge", "Per Åkeson, municipality: Haninge"),
    "a role": ("Sara Ekström, municipality: sodertornskommunerna, role: sekreterare", "Sara Ekström, municipality: sodertornskommunerna, role: sekreterare och notarie"),
    "an absentee": ("Anders Sjöberg", "Anders Sjöström"),
    "the place": ("place: Digitalt via Teams", "place: Digitalt, via Teams"),
    "the time": ('time: "08.30–10.30"', 'time: "08.30–11.30"'),
    "the prose": ("Kommunerna ser ännu ingen påverkan", "Kommunerna ser ännu ingen större påverkan"),
}


@pytest.mark.parametrize("change", IN_PLACE)
def test_an_edit_that_keeps_the_meeting_in_its_place_is_made_in_place(archive, tmp_path, change):
    content, site, run = archive
    edit(content, *IN_PLACE[change])
    report = run()
    assert "(1 edited meeting, in place)" in report.search_summary
    assert not list(tmp_path.glob(".site.*"))  # nothing left beside the site: staging, the replaced files
    assert site_files(site) == clean_build(content, TEMPLATES, tmp_path / "clean")
    assert run().search_summary == "nothing changed since the last build"


@pytest.mark.parametrize("change", ["a decision's wording", "an item's title", "an attendee's name", "the meeting's title"])
def test_an_edit_in_place_finds_the_entries_on_the_pages_of_each_month(archive_in_months, tmp_path, change):
    content, site, run = archive_in_months
    assert (site / "beslut/ar/2020/03/index.html").is_file()
    edit(content, *IN_PLACE[change])
    assert "(1 edited meeting, in place)" in run().search_summary
    assert site_files(site) == clean_build(content, TEMPLATES, tmp_path / "clean")


def test_an_edit_in_place_of_a_meeting_too_old_for_the_calendars(tmp_path, monkeypatch):
    """The calendars hold the newest meetings (render.CALENDAR_MEETINGS): an older one's
    event is in none of them, and its edit is still made in place."""
    monkeypatch.setattr(render, "CALENDAR_MEETINGS", 1)
    content, site, run = built_archive(tmp_path)
    assert b"2020-03-13" not in (site / "moten.ics").read_bytes()
    edit(content, *IN_PLACE["the time"])
    assert "(1 edited meeting, in place)" in run().search_summary
    assert site_files(site) == clean_build(content, TEMPLATES, tmp_path / "clean")


WHOLE_WAY = {
    "a decision added": ("- Att kommunerna delar sina", "- Att mötet avslutas.\n- Att kommunerna delar sina"),
    "a topic named": ("## 4. Nästa möte", "## 4. Nästa möte om näringslivet"),
    "a municipality named": ("## 4. Nästa möte", "## 4. Nästa möte i Salem"),
    "an attendee for another municipality": ("Per Åkesson, municipality: Haninge", "Per Åkesson, municipality: salem"),
    "an attendee with no one else for the municipality absent": ("absent:\n  - {name: Anders Sjöberg, municipality: salem}", "absent:\n  - {name: Anders Sjöberg, municipality: haninge}"),
}


@pytest.mark.parametrize("change", WHOLE_WAY)
def test_an_edit_that_moves_the_meeting_on_the_lists_goes_the_whole_way(archive, tmp_path, change):
    content, site, run = archive
    edit(content, *WHOLE_WAY[change])
    report = run()
    assert " of " in report.search_summary and "in place" not in report.search_summary
    assert site_files(site) == clean_build(content, TEMPLATES, tmp_path / "clean")


@pytest.mark.parametrize("months_from", [render.MONTHS_FROM, 1], ids=["years", "months"])
def test_pages_listing_covers_every_file_with_the_meetings_address(tmp_path, monkeypatch, months_from):
    """pages_listing is where an edit in place looks for a meeting's entries: a file that
    shows the meeting and is not in it would keep the old entry. A file shows a meeting if
    it has its address; meeting pages show their neighbours' addresses and dates only (the
    placement's), the sitemap addresses only, and the open data is spliced by its own parts."""
    monkeypatch.setattr(render, "MONTHS_FROM", months_from)
    archive = load_archive(FIXTURE_ARCHIVE)
    files = clean_build(FIXTURE_ARCHIVE, TEMPLATES, tmp_path / "site")
    for meeting in archive.meetings:
        address = meeting.url.encode("utf-8")
        showing = {name for name, data in files.items() if address in data
                   and not name.startswith(("moten/", "data/", "sitemap")) and name != Page(meeting.url, "").output_path}
        listing = {Page(url, "").output_path for url in pages_listing(meeting)}
        assert showing and showing <= listing, meeting.url


def test_edits_of_several_meetings_on_the_same_lists_are_made_in_place_together(archive, tmp_path):
    content, site, run = archive
    edit(content, *IN_PLACE["a decision's wording"])
    other = content / "minutes/2021/2021-02-05-ledningsgruppen.md"
    other.write_text(other.read_text(encoding="utf-8").replace("möte i februari", "möte i början av februari")
                     .replace("- Att bjuda in Trafikverket", "- Att snarast bjuda in Trafikverket"), encoding="utf-8")
    report = run()
    assert "(2 edited meetings, in place)" in report.search_summary
    assert site_files(site) == clean_build(content, TEMPLATES, tmp_path / "clean")


def test_an_edit_in_place_keeps_the_new_lines_of_the_meetings_links(archive, tmp_path):
    """A link's line is for the message if it breaks later: the record must have the line it is on now."""
    content, site, run = archive
    link = "Se [förra mötet](/moten/2019/2019-10-24-samarbetskommitten/)."
    edit(content, "## 4. Nästa möte\n", f"## 4. Nästa möte\n\n{link}\n")
    assert "in place" not in run().search_summary  # a new link: the whole way
    edit(content, "## 2. Lägesbild från kommunerna\n", "## 2. Lägesbild från kommunerna\n\nEn rad till.\n")
    assert "in place" in run().search_summary
    text = (content / EDITED).read_text(encoding="utf-8")
    line = text[:text.index(link)].count("\n") + 1
    [linking] = [entry for entry in BuildCache(tmp_path / "cache").last_build(site).record["links"] if entry.source.endswith(EDITED)]
    assert [number for _, number in linking.links] == [line]
    assert site_files(site) == clean_build(content, TEMPLATES, tmp_path / "clean")


def test_a_template_that_lists_meetings_its_own_way_sends_an_edit_the_whole_way(tmp_path):
    """The year's page of these templates shows meetings without the meeting_list helper:
    an entry the splice looks for is not there, so the build goes the whole way rather
    than leave the old title on that page."""
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(FIXTURE_ARCHIVE, content)
    shutil.copytree(TEMPLATES, templates)
    year = templates / "year.html"
    year.write_text(year.read_text(encoding="utf-8").replace(
        "{{ meeting_list(meetings) }}", "{% for m in meetings %}<p>{{ m.title }}</p>\n{% endfor %}"), encoding="utf-8")

    def run(output):
        return build(BuildOptions(content, templates, output, search=False, workers=1, cache_dir=tmp_path / "cache"))

    run(tmp_path / "site")
    edit(content, *IN_PLACE["the meeting's title"])
    assert "in place" not in run(tmp_path / "site").search_summary
    assert "Extrainsatt möte med" in (tmp_path / "site/ar/2020/index.html").read_text(encoding="utf-8")
    assert site_files(tmp_path / "site") == clean_build(content, templates, tmp_path / "clean")
