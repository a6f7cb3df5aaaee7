"""iCalendar (RFC 5545) files of meetings: one for all meetings and one per body."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .model import Meeting, Registry

# "08.30–11.00", "8:30-11", "13.00 - 15.30": a start and an end on the meeting day.
_TIME_SPAN = re.compile(r"^\s*(\d{1,2})[.:](\d{2})\s*[-–—]\s*(\d{1,2})(?:[.:](\d{2}))?\s*$")

# The meetings are in Sweden; times carry this zone, defined once per file.
_STOCKHOLM = (
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Stockholm",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)


def calendar_text(name: str, meetings: tuple[Meeting, ...], registry: Registry, events: dict[str, str] | None = None) -> str:
    """One VCALENDAR with a VEVENT per meeting, CRLF line ends and folded lines. events keeps
    each meeting's VEVENT, by meeting URL, for the next calendar: every meeting is in two."""
    host = _host(registry)
    events = {} if events is None else events
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//minutes-archive//SV",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(name)}",
        "X-WR-TIMEZONE:Europe/Stockholm",
        *_STOCKHOLM,
    ]
    parts = [_lines(head)]
    for meeting in sorted(meetings, key=lambda m: (m.date, m.slug)):
        event = events.get(meeting.url)
        if event is None:
            event = events[meeting.url] = _lines(_event(meeting, registry, host))
        parts.append(event)
    parts.append(_lines(["END:VCALENDAR"]))
    return "".join(parts)


def event_text(meeting: Meeting, registry: Registry) -> str:
    """The meeting's VEVENT as it is in every calendar that holds it."""
    return _lines(_event(meeting, registry, _host(registry)))


def _host(registry: Registry) -> str:
    """The site's host name, which makes each event's UID unique beyond the site."""
    return urlsplit(registry.site.base_url).hostname or "localhost"


def _lines(lines: list[str]) -> str:
    return "".join(_fold(line) + "\r\n" for line in lines)


def _event(meeting: Meeting, registry: Registry, host: str) -> list[str]:
    day = meeting.date.strftime("%Y%m%d")
    span = _TIME_SPAN.match(meeting.time or "")
    if span:
        start_h, start_m, end_h, end_m = span.group(1), span.group(2), span.group(3), span.group(4) or "00"
        when = [f"DTSTART;TZID=Europe/Stockholm:{day}T{int(start_h):02d}{start_m}00",
                f"DTEND;TZID=Europe/Stockholm:{day}T{int(end_h):02d}{end_m}00"]
    else:
        when = [f"DTSTART;VALUE=DATE:{day}"]
    url = registry.site.base_url + meeting.url.lstrip("/")
    agenda = "\n".join(f"{item.number}. {item.title}" if item.number else item.title for item in meeting.items)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{meeting.slug}@{host}",
        f"DTSTAMP:{day}T000000Z",
        *when,
        f"SUMMARY:{_escape(meeting.title)}",
        f"URL:{url}",
        f"DESCRIPTION:{_escape(registry.bodies[meeting.body].name + chr(10) + agenda + chr(10) + url)}",
    ]
    if meeting.place:
        lines.append(f"LOCATION:{_escape(meeting.place)}")
    lines.append("END:VEVENT")
    return lines


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    pieces, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte
            end -= 1
        pieces.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines start with a space
    return "\r\n ".join(pieces)
