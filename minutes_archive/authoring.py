"""Authoring: a new minutes file, pre-filled from the body's latest meeting."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from .errors import BuildError, ContentError, display_path
from .model import Attendee, Meeting
from .parse import ISO_DATE, MeetingParser, parse_minutes_files, parse_registries
from .read import MINUTES_DIR, REVIEW_SUFFIX, find_minutes_files, read_registries
from .vocabulary import Lookup

AGENDA = ("Mötets öppnande", "Föregående möte", "Ärende", "Nästa möte")
_PLAIN = re.compile(r"^[\w][\w .,'’()/–-]*$")


def new_minutes(content_dir: Path, body: str, date: str) -> Path:
    """Write content/minutes/YYYY/DATE-BODY.md and return its path; never overwrite a file."""
    errors: list[ContentError] = []
    registry = parse_registries(read_registries(content_dir, errors), None, errors)
    if registry is None:
        raise BuildError(errors)
    bodies = Lookup.build("body", {k: [b.name] for k, b in registry.bodies.items()})
    key = bodies.resolve(body)
    if key is None:
        raise BuildError([ContentError("--body", 1, bodies.unknown_message(body))])
    if not ISO_DATE.match(date):
        raise BuildError([ContentError("--date", 1, f"date must be written YYYY-MM-DD, such as 2021-01-22 (got '{date}')")])
    try:
        day = dt.date.fromisoformat(date)
    except ValueError as exc:
        raise BuildError([ContentError("--date", 1, f"invalid date '{date}': {exc}")]) from None
    path = content_dir / MINUTES_DIR / str(day.year) / f"{day.isoformat()}-{key}.md"
    if path.exists():
        raise BuildError([ContentError(display_path(path), 1, "the file already exists; it is never overwritten")])
    latest = _latest_meeting(content_dir, registry, key, day)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as handle:  # "x": fail rather than overwrite
        handle.write(minutes_template(day, key, latest))
    return path


def _latest_meeting(content_dir: Path, registry, body: str, before: dt.date) -> Meeting | None:
    """The body's latest meeting before the date. Files are named DATE-BODY.md by custom, so
    those are tried first, newest first, and parsed one by one: a large archive is not
    parsed whole for one new file. Only if none of them will do is every file read."""
    parser = MeetingParser(registry)
    paths = sorted(find_minutes_files(content_dir / MINUTES_DIR, []), key=lambda p: p.name, reverse=True)
    likely = [p for p in paths if p.stem.endswith(f"-{body}") and p.stem[:10] < before.isoformat()]
    for path in likely:
        [parsed] = parse_minutes_files(parser, [path])
        if parsed.meeting is not None and parsed.meeting.body == body and parsed.meeting.date < before:
            return parsed.meeting
    meetings = [p.meeting for p in parse_minutes_files(parser, paths) if p.meeting is not None]
    return max((m for m in meetings if m.body == body and m.date < before), key=lambda m: m.date, default=None)


def minutes_template(day: dt.date, body: str, latest: Meeting | None) -> str:
    place = _yaml(latest.place) if latest and latest.place else '""'
    lines = [
        "---",
        f"date: {day.isoformat()}",
        'time: ""',
        f"place: {place}",
        f"body: {body}",
        "document: minnesanteckningar",
        "status: utkast",
    ]
    if latest and latest.chair:
        lines.append(f"chair: {_yaml(latest.chair)}")
    if latest and latest.secretary:
        lines.append(f"secretary: {_yaml(latest.secretary)}")
    lines.append("adjusters: []")
    attendees = latest.attendees if latest else ()
    lines.append("attendees:" if attendees else "attendees: []")
    lines += [f"  - {_person(a)}" for a in attendees]
    lines += ["absent: []", "---", ""]
    for number, title in enumerate(AGENDA, start=1):
        lines += [f"## {number}. {title}", ""]
        if title == "Ärende":
            lines += ["### Beslut", "", "- Att …", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _person(person: Attendee) -> str:
    fields = [f"name: {_yaml(person.name)}"]
    if person.municipality:
        fields.append(f"municipality: {person.municipality}")
    if person.role:
        fields.append(f"role: {_yaml(person.role)}")
    return "{" + ", ".join(fields) + "}"


def _yaml(text: str) -> str:
    """Text as YAML: plain where that is safe, else double-quoted (JSON is valid YAML)."""
    return text if _PLAIN.match(text) and ": " not in text else json.dumps(text, ensure_ascii=False)


def import_file(source: Path, content_dir: Path) -> tuple[Path, Path]:
    """Import a text file as a draft minutes file; return (draft, review report). Never overwrites."""
    from .importer import import_text, review_report

    errors: list[ContentError] = []
    registry = parse_registries(read_registries(content_dir, errors), None, errors)
    if registry is None:
        raise BuildError(errors)
    try:
        text = source.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BuildError([ContentError(display_path(source), 1, f"cannot read the file as UTF-8 text: {exc}")]) from None
    except OSError as exc:
        raise BuildError([ContentError(display_path(source), 1, f"cannot read the file: {exc.strerror}")]) from None
    result = import_text(text, registry)
    if result.date and result.body:
        draft = content_dir / MINUTES_DIR / str(result.date.year) / f"{result.date.isoformat()}-{result.body}.md"
    else:
        draft = content_dir / MINUTES_DIR / "import" / f"{source.stem}.md"  # date or body to fill in
    report = draft.with_name(draft.stem + REVIEW_SUFFIX)
    for path in (draft, report):
        if path.exists():
            raise BuildError([ContentError(display_path(path), 1, "the file already exists; it is never overwritten")])
    draft.parent.mkdir(parents=True, exist_ok=True)
    with open(draft, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(result.markdown)
    report.write_text(review_report(display_path(source), result), encoding="utf-8")
    return draft, report
