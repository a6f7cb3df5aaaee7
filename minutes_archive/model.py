"""The archive's model: frozen dataclasses shared by every stage after parsing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cached_property
from urllib.parse import urlsplit


@dataclass(frozen=True)
class AccessibilityStatement:
    """What the accessibility statement says (site.yaml, accessibility:), as DIGG requires."""

    status: str = "delvis förenlig"
    """Compliance with the law (DOS-lagen): fullt förenlig, delvis förenlig or inte förenlig."""
    known_problems: tuple[str, ...] = ()
    assessed: dt.date | None = None
    """Date (YYYY-MM-DD) of the latest review of the statement."""
    method: str | None = None
    """How the site was assessed."""


@dataclass(frozen=True)
class SiteConfig:
    """Settings from content/site.yaml."""

    title: str
    description: str
    base_url: str
    """Absolute URL of the site root, ending in '/'. Its path is where the site is served."""
    language: str
    organisation: str
    contact_email: str
    accessibility: AccessibilityStatement = field(default_factory=AccessibilityStatement)

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: '/' at a domain root, '/repo/' on a project site."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"


@dataclass(frozen=True)
class Municipality:
    key: str
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    key: str
    name: str
    description: str
    keywords: tuple[str, ...]
    """Words that put an agenda item on this topic when they begin a word of its text."""
    synonyms: tuple[str, ...] = ()
    """Other words people search by ("corona" for Covid-19): added to the item's search text."""


@dataclass(frozen=True)
class Body:
    key: str
    name: str
    description: str


@dataclass(frozen=True)
class Registry:
    """The archive's fixed vocabularies: site settings, municipalities, topics and bodies."""

    site: SiteConfig
    municipalities: dict[str, Municipality]
    topics: dict[str, Topic]
    bodies: dict[str, Body]
    compounds: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Author-given splits of compound words (content/compounds.yaml), for search."""


@dataclass(frozen=True)
class Attendee:
    """A person present at (or absent from) a meeting."""

    name: str
    municipality: str | None
    """Municipality key, or None when the minutes do not say."""
    role: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Decision:
    """One decision under a '### Beslut' heading; `anchor` is stable: p3-b1."""

    anchor: str
    ordinal: int
    html: str
    text: str


@dataclass(frozen=True)
class Prose:
    """Rendered Markdown of an agenda item that is not a decision."""

    html: str


@dataclass(frozen=True)
class DecisionSection:
    """A '### Beslut' section: its decisions, with any text written before or after the list."""

    intro_html: str
    decisions: tuple[Decision, ...]
    outro_html: str


@dataclass(frozen=True)
class AgendaItem:
    number: str | None
    """The item's number as written ('3', '3a', '10.1'); None for an unnumbered section."""
    title: str
    anchor: str
    sections: tuple[Prose | DecisionSection, ...]
    topics: tuple[str, ...]
    municipalities: tuple[str, ...]
    """Municipality keys named in the item's text."""
    text: str
    """Plain text of the item (title and body), for matching and search."""

    @cached_property
    def decisions(self) -> tuple[Decision, ...]:
        return tuple(d for s in self.sections if isinstance(s, DecisionSection) for d in s.decisions)

    @property
    def label(self) -> str:
        """How the item is cited: '§ 3', or its title when it has no number."""
        return f"§ {self.number}" if self.number else self.title


@dataclass(frozen=True)
class HiddenTerms:
    """Words a search should find an agenda item or a decision by, beyond its own text; its
    page holds them hidden (see hidden_terms.py)."""

    compounds: tuple[tuple[str, str], ...] = ()
    """Each compound word of the text (case-folded) with its parts, in order of appearance:
    they are put at the nearer end of the word's clause, so that an excerpt found by a part
    shows the word."""
    others: str = ""
    """The names and synonyms of its topics, put after its text."""


@dataclass(frozen=True)
class Meeting:
    """One minutes file, parsed."""

    source: str
    """Path of the Markdown file, as shown in error messages."""
    slug: str
    date: dt.date
    body: str
    """Body key."""
    title: str
    time: str | None
    place: str | None
    document: str | None
    status: str | None
    chair: str | None
    secretary: str | None
    adjusters: tuple[str, ...]
    attendees: tuple[Attendee, ...]
    absent: tuple[Attendee, ...]
    preamble_html: str
    """Markdown before the first agenda item."""
    items: tuple[AgendaItem, ...]
    topics: tuple[str, ...]
    """Topic keys: the front matter's plus those of every item."""
    municipalities: tuple[str, ...]
    """Municipality keys: those of attendees plus those named in the text."""
    links: tuple[tuple[str, int], ...] = ()
    """Links to other pages of the site written in the minutes, with their file lines."""
    search_terms: dict[str, HiddenTerms] = field(default_factory=dict)
    """Hidden words for search, by item or decision anchor: compound parts and topic synonyms."""
    outline: bool = False
    """True for a meeting without the text of its items (see outlined)."""

    def outlined(self) -> Meeting:
        """This meeting without what only its own page and the open data show: the preamble,
        the items' prose and plain text, the decisions' plain text and the search terms. The
        views across meetings need the rest (titles, topics, attendees, the decisions' HTML),
        and a large archive is held in memory as outlines (about half the size)."""
        items = tuple(
            replace(item, text="", sections=tuple(
                replace(s, intro_html="", outro_html="", decisions=tuple(replace(d, text="") for d in s.decisions))
                for s in item.sections if isinstance(s, DecisionSection)))
            for item in self.items
        )
        return replace(self, preamble_html="", items=items, search_terms={}, outline=True)

    @cached_property
    def url(self) -> str:
        """Site-relative URL path: /moten/2020/2020-11-20-ledningsgruppen/."""
        return f"/moten/{self.date.year}/{self.slug}/"

    @cached_property
    def decisions(self) -> tuple[Decision, ...]:
        return tuple(d for item in self.items for d in item.decisions)
