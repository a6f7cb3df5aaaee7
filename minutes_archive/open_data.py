"""Open data: every meeting and every decision as JSON (with JSON Schemas) and CSV.

Field names are documented in docs/open-data.md and in the schemas published beside the
files (/data/meetings.schema.json, /data/decisions.schema.json).
"""

from __future__ import annotations

import csv
import functools
import io
import json
from typing import Callable, Iterable, Iterator, Sequence

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
    head, separator, tail = _frame(name)
    yield head
    between = ""
    for part in parts:
        if part:
            yield between
            yield part
            between = separator
    yield tail


def _frame(name: str) -> tuple[str, str, str]:
    """What comes before the meetings' parts of the file name, between two of them, and after."""
    if name == "decisions.csv":  # each row ends its own line
        header = io.StringIO()
        csv.DictWriter(header, fieldnames=DECISION_FIELDS, lineterminator="\r\n").writeheader()
        return header.getvalue(), "", ""
    # {key: [records]}, one compact record a line: the C encoder is used (indent= would make
    # it ten times slower), and a diff of two builds still shows changed records line by line.
    return f'{{"{name.removesuffix(".json")}":[\n', ",\n", "\n]}\n"


def splices(name: str, meetings: Sequence[tuple[str, str]], part: Callable[[str], str]) -> list[tuple[str, str]]:
    """How the open data file name of one archive becomes that of another, for a rebuild
    that changes few meetings: pairs of (text of the old file, text that replaces it),
    which do not overlap and each hold a meeting's part that is in no other place (or the
    file's start or end). meetings are those of both archives in order, as the keys of
    their minutes files before and after ('' where a meeting is not in that archive; see
    merged); part(key) is the part of the meeting of that key (LookupError if it is gone).

    Each run of changed parts (edited, added or removed meetings) is replaced together with
    the unchanged parts on either side of it, so that what is replaced is found in the file
    even when the run was empty before (a meeting added) or is empty after (one removed)."""
    text = functools.lru_cache(maxsize=None)(lambda key: part(key) if key else "")
    changed = [n for n, (old, new) in enumerate(meetings) if old != new and text(old) != text(new)]
    windows: list[list[int]] = []
    for n in changed:
        low, high = _anchor(meetings, text, n, -1), _anchor(meetings, text, n, 1)
        if windows and low <= windows[-1][1]:  # they would share an unchanged part: one window
            windows[-1][1] = max(windows[-1][1], high)
        else:
            windows.append([low, high])
    head, separator, tail = _frame(name)

    def window_text(low: int, high: int, side: int) -> str:
        parts = [text(meetings[n][side]) for n in range(max(low, 0), min(high + 1, len(meetings)))]
        return (head if low < 0 else "") + separator.join(p for p in parts if p) + (tail if high >= len(meetings) else "")

    return [(window_text(low, high, 0), window_text(low, high, 1)) for low, high in windows]


def merged(before: Sequence[tuple[str, str]], after: Sequence[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """The meetings of two archives, each given as (URL, key of the minutes file) in order,
    as (key before, key after) in their order, '' where a meeting is not in one of them;
    None if the meetings in both are in another order."""
    if [url for url, _ in before] == [url for url, _ in after]:  # edits only: a tenth of the time at 100,000
        return [(old, new) for (_, old), (_, new) in zip(before, after)]
    in_before, in_after = {url for url, _ in before}, {url for url, _ in after}
    result, i, j = [], 0, 0
    while i < len(before) or j < len(after):
        if i < len(before) and j < len(after) and before[i][0] == after[j][0]:
            result.append((before[i][1], after[j][1]))
            i, j = i + 1, j + 1
        elif i < len(before) and before[i][0] not in in_after:
            result.append((before[i][1], ""))
            i += 1
        elif j < len(after) and after[j][0] not in in_before:
            result.append(("", after[j][1]))
            j += 1
        else:
            return None
    return result


def _anchor(meetings: list[tuple[str, str]], text: Callable[[str], str], n: int, step: int) -> int:
    """The nearest unchanged meeting with a part, from n in direction step; -1 or
    len(meetings) for the file's start or end."""
    n += step
    while 0 <= n < len(meetings):
        old, new = meetings[n]
        if old == new and text(old):
            return n
        n += step
    return n


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
