"""The meeting store: whole meetings on disk while the build holds their outlines."""

import shutil
from functools import partial
from pathlib import Path

import pytest

from minutes_archive.model import DecisionSection, Prose
from minutes_archive.open_data import FILES, meeting_records
from minutes_archive.pipeline import BuildOptions, _reparse_file, build, load_archive, render_archive
from minutes_archive.provenance import read_build_info
from minutes_archive.store import MeetingStore

from conftest import FIXTURE_ARCHIVE, TEMPLATES


@pytest.fixture(scope="module")
def archive():
    return load_archive(FIXTURE_ARCHIVE)


def stored(archive, folder: Path, reparse=None, packed=False) -> MeetingStore:
    keys = {meeting.url: f"key-{meeting.slug}" for meeting in archive.meetings}
    store = MeetingStore(folder, archive.registry, keys, reparse, packed)
    for meeting in archive.meetings:
        store.keep(keys[meeting.url], meeting)
    return store


def test_an_outline_keeps_what_lists_show_and_leaves_out_the_text(archive):
    meeting = next(m for m in archive.meetings if m.decisions and m.search_terms)
    outline = meeting.outlined()
    assert outline.outline and not meeting.outline
    assert (outline.url, outline.title, outline.attendees, outline.topics) == (meeting.url, meeting.title, meeting.attendees, meeting.topics)
    assert [(i.title, i.anchor, i.topics, i.municipalities) for i in outline.items] == \
        [(i.title, i.anchor, i.topics, i.municipalities) for i in meeting.items]
    assert [(d.anchor, d.ordinal, d.html) for d in outline.decisions] == [(d.anchor, d.ordinal, d.html) for d in meeting.decisions]
    assert outline.search_terms == {} and outline.preamble_html == ""
    assert all(item.text == "" for item in outline.items)
    assert all(d.text == "" for d in outline.decisions)
    assert not any(isinstance(s, Prose) for item in outline.items for s in item.sections)
    assert all(isinstance(s, DecisionSection) and not s.intro_html for item in outline.items for s in item.sections)


def test_the_store_gives_back_each_whole_meeting_and_its_parts_of_the_open_data(archive, tmp_path):
    store = stored(archive, tmp_path)
    for meeting in archive.meetings:
        assert store.whole(meeting.outlined()) == meeting
        records = meeting_records(archive.registry, meeting)
        assert [store.records(meeting.outlined(), name) for name in FILES] == [records[name] for name in FILES]


def test_a_whole_meeting_is_its_own_whole(archive):
    store = MeetingStore(None, archive.registry)
    meeting = archive.meetings[0]
    assert store.whole(meeting) is meeting
    assert store.records(meeting, "meetings.json") == meeting_records(archive.registry, meeting)["meetings.json"]


def test_an_entry_that_went_missing_is_parsed_again_from_its_minutes_file(archive, tmp_path, monkeypatch):
    monkeypatch.chdir(FIXTURE_ARCHIVE.parent.parent.parent)  # meeting.source is relative to where the build ran
    store = stored(archive, tmp_path / "store", partial(_reparse_file, archive.registry))
    shutil.rmtree(tmp_path / "store")
    meeting = archive.meetings[0]
    assert store.whole(meeting.outlined()) == meeting
    assert store.records(archive.meetings[1].outlined(), "decisions.csv") == \
        meeting_records(archive.registry, archive.meetings[1])["decisions.csv"]


def test_without_an_entry_or_a_way_to_make_it_the_store_says_which_file(archive, tmp_path):
    store = MeetingStore(tmp_path, archive.registry, {})
    meeting = archive.meetings[0]
    with pytest.raises(LookupError, match=meeting.source):
        store.whole(meeting.outlined())


def test_a_build_from_outlines_writes_the_files_a_render_of_whole_meetings_makes(tmp_path):
    output = tmp_path / "site"
    build(BuildOptions(FIXTURE_ARCHIVE, TEMPLATES, output, search=False, workers=2))
    pages = render_archive(load_archive(FIXTURE_ARCHIVE), TEMPLATES, read_build_info(FIXTURE_ARCHIVE))
    assert pages
    for page in pages:
        assert (output / page.output_path).read_bytes() == page.content.encode("utf-8"), page.url


def test_a_damaged_entry_is_made_again(archive, tmp_path, monkeypatch):
    monkeypatch.chdir(FIXTURE_ARCHIVE.parent.parent.parent)
    store = stored(archive, tmp_path, partial(_reparse_file, archive.registry))
    files = sorted(tmp_path.rglob("*.meeting"))
    assert len(files) == len(archive.meetings)  # one file a meeting
    for path in files:
        path.write_bytes(path.read_bytes()[:40])  # cut short
    meeting = archive.meetings[0]
    assert store.records(meeting.outlined(), "decisions.json") == meeting_records(archive.registry, meeting)["decisions.json"]
    assert store.whole(archive.meetings[1].outlined()) == archive.meetings[1]


def test_a_packed_store_puts_a_process_s_entries_in_one_file_that_other_processes_find(archive, tmp_path):
    writer = stored(archive, tmp_path, packed=True)
    assert writer.whole(archive.meetings[0].outlined()) == archive.meetings[0]  # its own
    assert [p.suffix for p in sorted(tmp_path.iterdir())] == [".pack"]
    reader = MeetingStore(tmp_path, archive.registry, writer.keys, packed=True)
    for meeting in archive.meetings:
        assert reader.whole(meeting.outlined()) == meeting
        records = meeting_records(archive.registry, meeting)
        assert [reader.records(meeting.outlined(), name) for name in FILES] == [records[name] for name in FILES]


def test_a_packed_entry_cut_short_is_parsed_again(archive, tmp_path, monkeypatch):
    monkeypatch.chdir(FIXTURE_ARCHIVE.parent.parent.parent)
    writer = stored(archive, tmp_path, packed=True)
    [pack] = tmp_path.glob("*.pack")
    pack.write_bytes(pack.read_bytes()[:-10])  # as if its process had stopped while writing the last
    reader = MeetingStore(tmp_path, archive.registry, writer.keys, partial(_reparse_file, archive.registry), packed=True)
    assert reader.whole(archive.meetings[-1].outlined()) == archive.meetings[-1]
    assert reader.whole(archive.meetings[0].outlined()) == archive.meetings[0]
