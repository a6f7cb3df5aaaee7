"""Open data: every meeting and every decision as JSON (with JSON Schemas) and CSV.

Field names are documented in docs/open-data.md and in the schemas published beside the
files (/data/meetings.schema.json, /data/decisions.schema.json).
"""

from __future__ import annotations

import csv
import io
import json

from typing import Iterable, Iterator

from .archive import DecisionRef
from .model import AgendaItem, Attendee, Meeting, Registry

DECISION_FIELDS = (
    "id", "citation", "url", "meeting", "date", "body", "body_name", "item_number", "item_title",
    "item_anchor", "ordinal", "anchor", "text", "topics", "municipalities",
)


FILES = ("meetings.json", "decisions.json", "decisions.csv")


def meeting_records(registry: Registry, meeting: Meeting) -> dict[str, str]:
    """The meeting's part of each open data file, by file name. A part depends on the
    meeting and the registry alone, so it is made once, when the minutes are parsed."""
    decisions = [decision_record(registry, ref) for ref in _decisions_of(registry, meeting)]
    return {
        "meetings.json": _line(_meeting(registry, meeting)),
        "decisions.json": ",\n".join(_line(record) for record in decisions),
        "decisions.csv": _csv_rows(decisions),
    }


def open_data_file(name: str, parts: Iterable[str]) -> Iterator[str]:
    """The text of the open data file name, given each meeting's part (newest meeting first:
    the order of the register too), made part by part as it is written: the whole file of
    a large archive would be hundreds of MB."""
    if name == "decisions.csv":
        header = io.StringIO()
        csv.DictWriter(header, fieldnames=DECISION_FIELDS, lineterminator="\r\n").writeheader()
        yield header.getvalue()
        yield from parts
        return
    # {key: [records]}, one compact record a line: the C encoder is used (indent= would make
    # it ten times slower), and a diff of two builds still shows changed records line by line.
    yield f'{{"{name.removesuffix(".json")}":[\n'
    separator = ""
    for part in parts:
        if part:
            yield separator
            yield part
            separator = ",\n"
    yield "\n]}\n"


def _line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _csv_rows(records: list[dict]) -> str:
    """Decisions as CSV rows, lists joined with '; '."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=DECISION_FIELDS, lineterminator="\r\n")
    for record in records:
        writer.writerow({k: "; ".join(v) if isinstance(v, list) else v for k, v in record.items()})
    return out.getvalue()


def _decisions_of(registry: Registry, meeting: Meeting):
    body_name = registry.bodies[meeting.body].name
    return (DecisionRef(meeting, item, decision, body_name) for item in meeting.items for decision in item.decisions)


def decision_record(registry: Registry, ref: DecisionRef) -> dict:
    base = registry.site.base_url
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


def _meeting(registry: Registry, meeting: Meeting) -> dict:
    base = registry.site.base_url
    return {
        "id": meeting.slug,
        "url": base + meeting.url.lstrip("/"),
        "date": meeting.date.isoformat(),
        "time": meeting.time,
        "place": meeting.place,
        "body": meeting.body,
        "body_name": registry.bodies[meeting.body].name,
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
