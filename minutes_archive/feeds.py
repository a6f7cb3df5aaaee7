"""Atom feeds: new minutes, new decisions, and one per municipality, topic and body."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator

import jinja2
from markupsafe import Markup, escape

from .archive import Archive, DecisionRef, ItemRef
from .model import Meeting, Registry

FEED_LENGTH = 50


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    updated: str
    url: str
    html: str
    """HTML of the entry's content; the template escapes it into Atom's type="html"."""


@dataclass(frozen=True)
class Feed:
    url: str
    """Site-relative URL of the feed file: /beslut/atom.xml."""
    page: str
    """Site-relative URL of the page the feed follows: /beslut/."""
    title: str
    entries: tuple[FeedEntry, ...]


def feed_url(page: str) -> str:
    """Where the feed of a page lives: /kommuner/haninge/ -> /kommuner/haninge/atom.xml."""
    return f"{page}atom.xml"


def atom_time(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def site_feeds(archive: Archive, absolute) -> Iterator[Feed]:
    """Every feed of the site; absolute(path) makes a site-relative path absolute."""
    registry = archive.registry
    yield Feed(feed_url("/"), "/", "Nya minnesanteckningar och protokoll", _meeting_entries(archive, archive.meetings, absolute))
    yield Feed(feed_url("/beslut/"), "/beslut/", "Nya beslut", _decision_entries(archive.decisions, absolute))
    for key, municipality in registry.municipalities.items():
        meetings = tuple(m for m in archive.meetings if key in m.municipalities)
        page = f"/kommuner/{key}/"
        yield Feed(feed_url(page), page, f"Möten: {municipality.name}", _meeting_entries(archive, meetings, absolute))
    for key, topic in registry.topics.items():
        page = f"/amnen/{key}/"
        yield Feed(feed_url(page), page, f"Ämne: {topic.name}", _item_entries(archive, archive.by_topic[key].items, absolute))
    for key, body in registry.bodies.items():
        page = f"/organ/{key}/"
        yield Feed(feed_url(page), page, f"Möten: {body.name}", _meeting_entries(archive, archive.by_body[key], absolute))


# An entry as the feed shows it, formatted here (escaped) rather than in the template: a
# rebuild that changes what the feeds show of a meeting replaces its entries (pipeline.py).
ATOM_ENTRY = (
    "  <entry>\n"
    "    <id>{id}</id>\n"
    "    <title>{title}</title>\n"
    "    <updated>{updated}</updated>\n"
    '    <link rel="alternate" type="text/html" href="{url}"/>\n'
    '    <content type="html">{html}</content>\n'
    "  </entry>\n"
)


def atom_entry(entry: FeedEntry) -> str:
    return ATOM_ENTRY.format(id=escape(entry.id), title=escape(entry.title), updated=escape(entry.updated),
                             url=escape(entry.url), html=escape(entry.html))


def render_feed(feed: Feed, env: jinja2.Environment, absolute) -> str:
    entries = feed.entries
    updated = max((e.updated for e in entries), default=atom_time(dt.date(1970, 1, 1)))
    context = {
        "id": absolute(feed.url), "title": feed.title, "updated": updated,
        "self_url": absolute(feed.url), "page_url": absolute(feed.page), "entries": Markup("".join(map(atom_entry, entries))),
    }
    return env.get_template("feed.xml").render(feed=context)


def meeting_feed_entry(registry: Registry, meeting: Meeting, absolute) -> FeedEntry:
    body = registry.bodies[meeting.body].name
    items = Markup("").join(Markup("<li>{}</li>").format(f"{item.label} {item.title}" if item.number else item.title) for item in meeting.items)
    html = Markup("<p>{} {}</p><ol>{}</ol>").format(body, meeting.date.isoformat(), items)
    return FeedEntry(absolute(meeting.url), meeting.title, atom_time(meeting.date), absolute(meeting.url), str(html))


def decision_feed_entry(ref: DecisionRef, absolute) -> FeedEntry:
    return FeedEntry(absolute(ref.url), ref.citation, atom_time(ref.meeting.date), absolute(ref.url),
                     str(Markup("<p>{}</p>{}").format(f"{ref.item.label} {ref.item.title}", Markup(ref.decision.html))))


def item_feed_entry(registry: Registry, ref: ItemRef, absolute) -> FeedEntry:
    body = registry.bodies[ref.meeting.body].name
    decisions = Markup("").join(Markup("<li>{}</li>").format(Markup(d.html)) for d in ref.item.decisions)
    html = Markup("<p>{}</p>").format(f"{body} {ref.meeting.date.isoformat()}") + (Markup("<p>Beslut:</p><ul>{}</ul>").format(decisions) if decisions else Markup(""))
    title = f"{body} {ref.meeting.date.isoformat()} {ref.item.label}" + (f": {ref.item.title}" if ref.item.number else "")
    return FeedEntry(absolute(ref.url), title, atom_time(ref.meeting.date), absolute(ref.url), str(html))


def _meeting_entries(archive: Archive, meetings: tuple[Meeting, ...], absolute) -> tuple[FeedEntry, ...]:
    return tuple(meeting_feed_entry(archive.registry, meeting, absolute) for meeting in meetings[:FEED_LENGTH])


def _decision_entries(decisions: tuple[DecisionRef, ...], absolute) -> tuple[FeedEntry, ...]:
    return tuple(decision_feed_entry(ref, absolute) for ref in decisions[:FEED_LENGTH])


def _item_entries(archive: Archive, refs: tuple[ItemRef, ...], absolute) -> tuple[FeedEntry, ...]:
    return tuple(item_feed_entry(archive.registry, ref, absolute) for ref in refs[:FEED_LENGTH])
