"""Open data: every meeting and every decision as JSON (with JSON Schemas) and CSV.

Field names are documented in docs/open-data.md and in the schemas published beside the
files (/data/meetings.schema.json, /data/decisions.schema.json).
"""

from __future__ import annotations

import csv
import io
import json

from .archive import Archive, DecisionRef
from .model import AgendaItem, Attendee, Meeting

DECISION_FIELDS = (
    "id", "citation", "url", "meeting", "date", "body", "body_name", "item_number", "item_title",
    "item_anchor", "ordinal", "anchor", "text", "topics", "municipalities",
)


# Each function returns its file's text in parts, written one after another: the whole of
# a large archive's file would be hundreds of MB held twice (as text and as UTF-8).


def meetings_json(archive: Archive, pieces: "Pieces | None" = None) -> tuple[str, ...]:
    """All meetings, newest first, with their agenda items and decisions."""
    make = lambda meeting: _line(_meeting(archive, meeting))  # noqa: E731
    return _json("meetings", _each_meeting(archive, pieces or Pieces(), make))


def decisions_json(archive: Archive, pieces: "Pieces | None" = None) -> tuple[str, ...]:
    """The decision register, newest first."""
    make = lambda meeting: ",\n".join(_line(decision_record(archive, ref)) for ref in _decisions_of(archive, meeting))  # noqa: E731
    return _json("decisions", _each_meeting(archive, pieces or Pieces(), make))


def _json(key: str, pieces) -> tuple[str, ...]:
    """{key: [records]}, one compact record a line: the C encoder is used (indent= would make it
    ten times slower), and a diff of two builds still shows changed records line by line."""
    records = [piece for piece in pieces if piece]
    separated = [part for record in records for part in (",\n", record)][1:]
    return (f'{{"{key}":[\n', *separated, "\n]}\n")


def _line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def decisions_csv(archive: Archive, pieces: "Pieces | None" = None) -> tuple[str, ...]:
    """The decision register as CSV: one decision per row, lists joined with '; '."""
    def make(meeting: Meeting) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=DECISION_FIELDS, lineterminator="\r\n")
        for ref in _decisions_of(archive, meeting):
            record = decision_record(archive, ref)
            writer.writerow({k: "; ".join(v) if isinstance(v, list) else v for k, v in record.items()})
        return out.getvalue()

    header = io.StringIO()
    csv.DictWriter(header, fieldnames=DECISION_FIELDS, lineterminator="\r\n").writeheader()
    return (header.getvalue(), *_each_meeting(archive, pieces or Pieces(), make))


class Pieces:
    """Each meeting's part of a file, made by make(meeting); this one keeps nothing. The
    render memo keeps them between builds (memo.py), since the open data files hold every
    meeting and an edit changes one."""

    def get(self, meeting: Meeting, make) -> str:
        return make(meeting)

    def save(self) -> None:
        """Nothing is kept."""


def _each_meeting(archive: Archive, pieces: Pieces, make):
    """The meetings' pieces, newest meeting first: the order of the register too."""
    return (pieces.get(meeting, make) for meeting in archive.meetings)


def _decisions_of(archive: Archive, meeting: Meeting):
    body_name = archive.registry.bodies[meeting.body].name
    return (DecisionRef(meeting, item, decision, body_name) for item in meeting.items for decision in item.decisions)


def decision_record(archive: Archive, ref: DecisionRef) -> dict:
    base = archive.registry.site.base_url
    return {
        "id": f"{ref.meeting.slug}#{ref.decision.anchor}",
        "citation": ref.citation,
        "url": base + ref.url.lstrip("/"),
        "meeting": ref.meeting.slug,
        "date": ref.meeting.date.isoformat(),
        "body": ref.meeting.body,
        "body_name": ref.body_name,
        "item_number": ref.item.number,
        "item_title": ref.item.title,
        "item_anchor": ref.item.anchor,
        "ordinal": ref.decision.ordinal,
        "anchor": ref.decision.anchor,
        "text": ref.decision.text,
        "topics": list(ref.item.topics),
        "municipalities": list(ref.meeting.municipalities),
    }


def _meeting(archive: Archive, meeting: Meeting) -> dict:
    base = archive.registry.site.base_url
    return {
        "id": meeting.slug,
        "url": base + meeting.url.lstrip("/"),
        "date": meeting.date.isoformat(),
        "time": meeting.time,
        "place": meeting.place,
        "body": meeting.body,
        "body_name": archive.registry.bodies[meeting.body].name,
        "title": meeting.title,
        "document": meeting.document,
        "status": meeting.status,
        "chair": meeting.chair,
        "secretary": meeting.secretary,
        "adjusters": list(meeting.adjusters),
        "attendees": [_person(a) for a in meeting.attendees],
        "absent": [_person(a) for a in meeting.absent],
        "topics": list(meeting.topics),
        "municipalities": list(meeting.municipalities),
        "items": [_item(meeting, item, base) for item in meeting.items],
    }


def _person(person: Attendee) -> dict:
    return {"name": person.name, "municipality": person.municipality, "role": person.role, "note": person.note}


def _item(meeting: Meeting, item: AgendaItem, base: str) -> dict:
    return {
        "number": item.number,
        "title": item.title,
        "anchor": item.anchor,
        "url": f"{base}{meeting.url.lstrip('/')}#{item.anchor}",
        "topics": list(item.topics),
        "municipalities": list(item.municipalities),
        "text": item.text,
        "decisions": [
            {"ordinal": d.ordinal, "anchor": d.anchor, "url": f"{base}{meeting.url.lstrip('/')}#{d.anchor}", "text": d.text}
            for d in item.decisions
        ],
    }
