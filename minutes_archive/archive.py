"""Archive stage: views across meetings (by municipality, topic, year, body) and the decision register."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import ContentError
from .model import AgendaItem, Attendee, Decision, Meeting, Registry


@dataclass(frozen=True)
class ItemRef:
    """An agenda item in the context of its meeting."""

    meeting: Meeting
    item: AgendaItem

    @cached_property
    def url(self) -> str:
        return f"{self.meeting.url}#{self.item.anchor}"


@dataclass(frozen=True)
class DecisionRef:
    """A decision in the context of its meeting and agenda item: one row of the register."""

    meeting: Meeting
    item: AgendaItem
    decision: Decision
    body_name: str

    @cached_property
    def url(self) -> str:
        return f"{self.meeting.url}#{self.decision.anchor}"

    @cached_property
    def citation(self) -> str:
        """How the decision is cited: 'Ledningsgruppen 2020-11-20 § 5, beslut 2'."""
        return f"{self.body_name} {self.meeting.date.isoformat()} {self.item.label}, beslut {self.decision.ordinal}"


@dataclass(frozen=True)
class Representation:
    """Who attended one meeting for one municipality."""

    meeting: Meeting
    attendees: tuple[Attendee, ...]
    absent: tuple[Attendee, ...]


@dataclass(frozen=True)
class MunicipalityView:
    representations: tuple[Representation, ...]
    """Meetings with someone present or absent for the municipality, newest first."""
    items: tuple[ItemRef, ...]
    """Agenda items whose text names the municipality, newest first."""


@dataclass(frozen=True)
class TopicView:
    items: tuple[ItemRef, ...]
    decisions: tuple[DecisionRef, ...]


@dataclass(frozen=True)
class Neighbours:
    previous: Meeting | None
    next: Meeting | None


@dataclass(frozen=True)
class Archive:
    registry: Registry
    meetings: tuple[Meeting, ...]
    """Every meeting, newest first."""
    by_municipality: dict[str, MunicipalityView]
    by_topic: dict[str, TopicView]
    by_year: dict[int, tuple[Meeting, ...]]
    by_body: dict[str, tuple[Meeting, ...]]
    decisions: tuple[DecisionRef, ...]
    """The decision register: every decision, newest meeting first, in agenda order within a meeting."""
    decision_facets: dict[str, dict[str, tuple[DecisionRef, ...]]]
    """The register narrowed one way: by 'ar' (year), 'organ', 'amne' (topic) and 'kommun', then by key."""
    neighbours: dict[str, Neighbours]
    """Previous and next meeting of the same body, by meeting URL."""


def find_url_conflicts(meetings: tuple[Meeting, ...]) -> list[ContentError]:
    """Two files for one URL: report each but the first, naming the first. A file named
    as the page (2020-11-20-ledningsgruppen.md) comes first: a copy is the one to fix."""
    first: dict[str, Meeting] = {}
    errors = []
    for meeting in sorted(meetings, key=lambda m: (Path(m.source).name != f"{m.slug}.md", m.source)):
        other = first.setdefault(meeting.url, meeting)
        if other is not meeting:
            errors.append(ContentError(meeting.source, 1, f"{other.source} already makes the page {meeting.url} (same date and body)"))
    return errors


def build_archive(registry: Registry, meetings: tuple[Meeting, ...]) -> Archive:
    """Group meetings into every cross-meeting view the site shows. Each view is filled in
    one pass over the meetings, items and decisions (not one pass per municipality, topic
    or year), keeping the newest-first order of the register."""
    newest_first = tuple(sorted(meetings, key=lambda m: (m.date, m.body, m.slug), reverse=True))
    item_refs = [ItemRef(m, item) for m in newest_first for item in m.items]
    decisions = tuple(
        DecisionRef(ref.meeting, ref.item, d, registry.bodies[ref.meeting.body].name)
        for ref in item_refs
        for d in ref.item.decisions
    )
    decision_facets = _decision_facets(registry, decisions)
    by_year: dict[int, list[Meeting]] = defaultdict(list)
    by_body: dict[str, list[Meeting]] = {key: [] for key in registry.bodies}
    for meeting in newest_first:
        by_year[meeting.date.year].append(meeting)
        by_body[meeting.body].append(meeting)
    return Archive(
        registry=registry,
        meetings=newest_first,
        by_municipality=_municipality_views(registry, newest_first, item_refs),
        by_topic=_topic_views(registry, item_refs, decision_facets["amne"]),
        by_year={year: tuple(ms) for year, ms in sorted(by_year.items(), reverse=True)},
        by_body={key: tuple(ms) for key, ms in by_body.items()},
        decisions=decisions,
        decision_facets=decision_facets,
        neighbours=_neighbours(by_body),
    )


def _group(keys, pairs) -> dict[str, tuple]:
    """(key, value) pairs grouped by key, in the order of keys, each group in pair order."""
    groups: dict[str, list] = {key: [] for key in keys}
    for key, value in pairs:
        if key in groups:
            groups[key].append(value)
    return {key: tuple(values) for key, values in groups.items()}


def _decision_facets(registry: Registry, decisions: tuple[DecisionRef, ...]) -> dict[str, dict[str, tuple[DecisionRef, ...]]]:
    """Decisions by year, body, topic and municipality. A decision is on a topic, or
    concerns a municipality, when its agenda item is on the topic or names the municipality,
    as the municipality's own page lists the items that name it. (Not every municipality
    present at the meeting: all of them attend nearly every meeting, so that register would
    narrow nothing, eight copies of the whole.)"""
    years = sorted({str(d.meeting.date.year) for d in decisions}, reverse=True)
    return {
        "ar": _group(years, ((str(d.meeting.date.year), d) for d in decisions)),
        "organ": _group(registry.bodies, ((d.meeting.body, d) for d in decisions)),
        "amne": _group(registry.topics, ((k, d) for d in decisions for k in d.item.topics)),
        "kommun": _group(registry.municipalities, ((k, d) for d in decisions for k in d.item.municipalities)),
    }


def _topic_views(registry: Registry, item_refs: list[ItemRef], topic_decisions: dict[str, tuple[DecisionRef, ...]]) -> dict[str, TopicView]:
    """Each topic's items, and its decisions: those of the register narrowed by topic (the same tuples)."""
    items = _group(registry.topics, ((k, r) for r in item_refs for k in r.item.topics))
    return {key: TopicView(items[key], topic_decisions[key]) for key in registry.topics}


def representations(registry: Registry, meeting: Meeting) -> list[tuple[str, Representation]]:
    """Who attended the meeting for each municipality (by key) with someone present or absent."""
    present: dict[str | None, list[Attendee]] = defaultdict(list)
    absent: dict[str | None, list[Attendee]] = defaultdict(list)
    for attendee in meeting.attendees:
        present[attendee.municipality].append(attendee)
    for attendee in meeting.absent:
        absent[attendee.municipality].append(attendee)
    return [(key, Representation(meeting, tuple(present.get(key, ())), tuple(absent.get(key, ()))))
            for key in registry.municipalities if key in present or key in absent]


def placement(meeting: Meeting) -> tuple:
    """Everything that decides which pages list a meeting, its agenda items and decisions,
    where in those lists, and under which counts and links. Two versions of a meeting with
    the same placement make the same site but for their own page, the open data and the
    entries that show them on lists, feeds and calendars (render.list_entries)."""
    items = tuple((item.number, item.anchor, item.topics, item.municipalities, tuple((d.anchor, d.ordinal) for d in item.decisions))
                  for item in meeting.items)
    links = tuple(link for link, _line in meeting.links)  # where they lead; their lines are only for messages
    return (meeting.url, meeting.date, meeting.body, meeting.slug, meeting.topics, meeting.municipalities, links,
            frozenset(a.municipality for a in meeting.attendees), frozenset(a.municipality for a in meeting.absent), items)


def _municipality_views(registry: Registry, meetings: tuple[Meeting, ...], item_refs: list[ItemRef]) -> dict[str, MunicipalityView]:
    by_key = _group(registry.municipalities, (pair for meeting in meetings for pair in representations(registry, meeting)))
    items = _group(registry.municipalities, ((k, r) for r in item_refs for k in r.item.municipalities))
    return {key: MunicipalityView(by_key[key], items[key]) for key in registry.municipalities}


def _neighbours(by_body: dict[str, list[Meeting]]) -> dict[str, Neighbours]:
    result = {}
    for meetings in by_body.values():
        oldest_first = meetings[::-1]
        for i, meeting in enumerate(oldest_first):
            previous = oldest_first[i - 1] if i > 0 else None
            following = oldest_first[i + 1] if i + 1 < len(oldest_first) else None
            result[meeting.url] = Neighbours(previous, following)
    return result
