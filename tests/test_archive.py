"""Archive stage: cross-meeting views and the decision register."""

from minutes_archive.archive import build_archive, find_url_conflicts
from minutes_archive.parse import parse_content
from minutes_archive.read import read_content


def meeting(date, body, attendees, text):
    people = "".join(f"  - {{name: {name}, municipality: {m}}}\n" for name, m in attendees)
    return f"---\ndate: {date}\nbody: {body}\nattendees:\n{people}---\n\n{text}"


FILES = {
    "minutes/2019/a.md": meeting("2019-05-01", "ledningsgruppen", [("Eva", "haninge")],
                                 "## 1. Pandemin\n\n### Beslut\n\n- Att a.\n- Att b.\n"),
    "minutes/2020/b.md": meeting("2020-02-01", "ledningsgruppen", [("Olle", "tyreso")],
                                 "## 1. Företag i Haninge\n\nText.\n\n## 2. Corona\n\n### Beslut\n\nAtt c.\n"),
    "minutes/2020/c.md": meeting("2020-03-01", "samarbetskommitten", [("Eva", "haninge")], "## 1. Övrigt\n\nText.\n"),
    "minutes/2020/d.md": meeting("2020-04-01", "ledningsgruppen", [("Eva", "haninge")], "## 1. Övrigt\n\nText.\n"),
}


def archive_of(content):
    parsed = parse_content(read_content(content))
    assert parsed.errors == ()
    return build_archive(parsed.registry, parsed.meetings)


def test_meetings_newest_first_and_grouped_by_year_and_body(make_content):
    archive = archive_of(make_content(FILES, with_default_minutes=False))
    assert [m.date.isoformat() for m in archive.meetings] == ["2020-04-01", "2020-03-01", "2020-02-01", "2019-05-01"]
    assert list(archive.by_year) == [2020, 2019]
    assert [m.date.isoformat() for m in archive.by_body["samarbetskommitten"]] == ["2020-03-01"]


def test_decision_register_is_newest_first_with_citations(make_content):
    archive = archive_of(make_content(FILES, with_default_minutes=False))
    assert [(d.citation, d.url) for d in archive.decisions] == [
        ("Ledningsgruppen 2020-02-01 § 2, beslut 1", "/moten/2020/2020-02-01-ledningsgruppen/#p2-b1"),
        ("Ledningsgruppen 2019-05-01 § 1, beslut 1", "/moten/2019/2019-05-01-ledningsgruppen/#p1-b1"),
        ("Ledningsgruppen 2019-05-01 § 1, beslut 2", "/moten/2019/2019-05-01-ledningsgruppen/#p1-b2"),
    ]


def test_municipality_view_has_representation_and_mentions(make_content):
    archive = archive_of(make_content(FILES, with_default_minutes=False))
    haninge = archive.by_municipality["haninge"]
    assert [r.meeting.date.isoformat() for r in haninge.representations] == ["2020-04-01", "2020-03-01", "2019-05-01"]
    assert [r.attendees[0].name for r in haninge.representations] == ["Eva", "Eva", "Eva"]
    assert [ref.url for ref in haninge.items] == ["/moten/2020/2020-02-01-ledningsgruppen/#p1"]
    assert archive.by_municipality["nynashamn"].representations == ()


def test_topic_view_has_items_and_decisions(make_content):
    archive = archive_of(make_content(FILES, with_default_minutes=False))
    covid = archive.by_topic["covid-19"]
    assert [ref.url for ref in covid.items] == ["/moten/2020/2020-02-01-ledningsgruppen/#p2", "/moten/2019/2019-05-01-ledningsgruppen/#p1"]
    assert len(covid.decisions) == 3
    assert [ref.url for ref in archive.by_topic["naringsliv"].items] == ["/moten/2020/2020-02-01-ledningsgruppen/#p1"]


def test_previous_and_next_meeting_of_the_same_body(make_content):
    archive = archive_of(make_content(FILES, with_default_minutes=False))
    middle = archive.neighbours["/moten/2020/2020-02-01-ledningsgruppen/"]
    assert (middle.previous.date.isoformat(), middle.next.date.isoformat()) == ("2019-05-01", "2020-04-01")
    only = archive.neighbours["/moten/2020/2020-03-01-samarbetskommitten/"]
    assert (only.previous, only.next) == (None, None)


def test_two_files_for_one_url_are_an_error(make_content):
    content = make_content({"minutes/2020/copy.md": FILES["minutes/2020/d.md"], **FILES}, with_default_minutes=False)
    parsed = parse_content(read_content(content))
    [error] = find_url_conflicts(parsed.meetings)
    assert error.path.endswith("minutes/2020/d.md")
    assert error.message.endswith("minutes/2020/copy.md already makes the page /moten/2020/2020-04-01-ledningsgruppen/ (same date and body)")
