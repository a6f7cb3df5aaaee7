"""Render stage: the archive to HTML pages, one function per page kind with a small explicit context."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from functools import partial
from typing import Callable, Iterable, Iterator, NamedTuple, Sequence

import jinja2
from markupsafe import Markup, escape

from .archive import Archive, DecisionRef, ItemRef, Representation, representations
from .bounded import BoundedCache
from .cache import folder_fingerprint, write_whole
from .feeds import Feed, atom_entry, decision_feed_entry, feed_url, item_feed_entry, meeting_feed_entry, render_feed, site_feeds
from .hidden_terms import PlacedTerms
from .ical import calendar_text, event_text
from .memo import PageMemo
from .open_data import FILES as OPEN_DATA_FILES, open_data_file
from .provenance import BuildInfo
from .sitemap import robots_txt, sitemap_files
from .store import MeetingStore
from .model import Body, Meeting, Registry

MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december")
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
DOCUMENT_NAMES = {"minnesanteckningar": "Minnesanteckningar", "protokoll": "Protokoll"}
STATUS_NAMES = {"justerat": "Justerat", "utkast": "Utkast, ej justerat"}
LATEST_COUNT = 10
# Long lists are split into one page per year; the first page shows the newest entries.
LATEST_LIST = 100
LATEST_DECISIONS = 50
MONTHS_FROM = 400
"""A year's page that would list more entries than this (its decisions, items and meetings
together) shows the newest, as the first page does, and links to one page per month: a year
of the register lists 3,700 decisions (3.3 MB of HTML) at 10,000 meetings and 37,000 (34 MB)
at 100,000, more than a phone opens."""


@dataclass(frozen=True)
class Page:
    """One rendered file: its URL path below the site root and its text (HTML, XML, JSON, …)."""

    url: str
    content: str | Iterable[str] | bytes | None
    """The text, or for a long file its parts in order (made as they are written); None: the
    page is the same as in the last build, whose file is still in place; bytes: the page of
    the last build with other counts (_recounted), which is not indexed for search."""
    key: str = ""
    """The page's render memo key ('' for files that are always written)."""
    shape: str = ""
    """For a page with counts (count_links): the memo key of all but its counts."""
    counts: tuple[int, ...] = ()
    """Those counts, in the order of count_links."""

    @property
    def output_path(self) -> str:
        """Relative file path in the output folder: /kommuner/ -> kommuner/index.html."""
        path = self.url.lstrip("/")
        return path + "index.html" if path == "" or path.endswith("/") else path


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str | None
    """None for a page with no address of its own (the 404 page, served for any missing one)."""


def long_date(date: dt.date, weekday: bool = False) -> str:
    """'20 november 2020', or 'fredag 20 november 2020'."""
    text = f"{date.day} {MONTHS[date.month - 1]} {date.year}"
    return f"{WEEKDAYS[date.weekday()]} {text}" if weekday else text


class SiteEnvironment(jinja2.Environment):
    """Jinja's environment with the render memo of this build and the store of whole meetings."""

    memo: PageMemo
    store: MeetingStore
    published: Path | None
    """The output folder as the last build left it, where a page whose counts alone changed
    is taken from (_recounted); None: every changed page is rendered."""


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates kept compiled in the build cache, by name and source (Jinja checks both):
    compiling the meeting page's templates takes 0.1 s, a rebuild in place 2 s in all. A
    damaged entry, or a folder that cannot be written, is a miss, never an error."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__(str(folder))

    # Each entry starts with the SHA-256 of the rest: marshal, which Jinja loads the code with,
    # can crash the interpreter on damaged bytes (a review's damaged entries: a segfault).
    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = Path(self._get_cache_filename(bucket)).read_bytes()
        except OSError:
            return
        if hashlib.sha256(data[32:]).digest() != data[:32]:
            return
        try:
            bucket.load_bytecode(io.BytesIO(data[32:]))
        except Exception:  # noqa: BLE001 - an entry of another Jinja or Python: a miss
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = io.BytesIO()
        bucket.write_bytecode(code)
        try:
            write_whole(Path(self._get_cache_filename(bucket)), hashlib.sha256(code.getvalue()).digest() + code.getvalue())
        except OSError:
            pass


def assets_version(folder: Path) -> str:
    """A digest of the templates' assets (/assets/), which their URLs carry (asset() in the
    templates: /assets/style.css?v=…), so that a browser that keeps an asset for a while (GitHub
    Pages lets it for 10 minutes) fetches it again when a new build changes any of them: a
    cached search.js or word-list.js of an older build could misread a newer word list."""
    return folder_fingerprint(folder)[:10]


def new_environment(templates_dir: Path, registry: Registry, build: BuildInfo | None = None,
                    memo: PageMemo | None = None, store: MeetingStore | None = None,
                    compiled: CompiledTemplates | None = None) -> SiteEnvironment:
    """A Jinja environment that escapes everything and fails on undefined names."""
    env = SiteEnvironment(
        loader=jinja2.FileSystemLoader(templates_dir),
        bytecode_cache=compiled,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    base_path = registry.site.base_path
    version = assets_version(templates_dir / "assets")
    env.globals.update(
        site=registry.site,
        url=lambda path: base_path + path.lstrip("/"),
        asset=lambda path: f"{base_path}{path.lstrip('/')}?v={version}",
        absolute_url=lambda path: registry.site.base_url + path.lstrip("/"),
        municipality_name=lambda key: registry.municipalities[key].name,
        topic_name=lambda key: registry.topics[key].name,
        body_name=lambda key: registry.bodies[key].name,
        document_name=lambda key: DOCUMENT_NAMES.get(key, key),
        status_name=lambda key: STATUS_NAMES.get(key, key),
        build=build or BuildInfo(None, None),
        subscriptions={},
        search_bundles=["/pagefind/"],
        search_vocabulary="",  # a sharded archive's vocabulary bundle (shard_words.py)
        search_word_list="",  # the archive's word list (word_list.py), if it has a search index
    )
    env.memo = memo or PageMemo("", {})
    env.store = store or MeetingStore(None, registry)
    env.published = None
    env.filters["long_date"] = long_date
    env.filters["number"] = swedish_number
    env.globals["topic_links"] = functools.lru_cache(maxsize=4096)(
        lambda keys: _tag_links("Ämnen", [(registry.topics[k].name, f"{base_path}amnen/{k}/") for k in keys]))
    env.globals["municipality_links"] = functools.lru_cache(maxsize=4096)(
        lambda keys: _tag_links("Kommuner", [(registry.municipalities[k].name, f"{base_path}kommuner/{k}/") for k in keys]))
    env.globals.update(_list_helpers(_entries(env)))
    env.globals["count_link"] = partial(count_link, env.globals["url"])
    return env


COUNT_MARK = ' <span class="count">('
COUNT_LINK = '<a href="{url}"{current}>{label}' + COUNT_MARK + '{count})</span></a>'


def count_link(url: Callable[[str], str], label: str | int, link: str, count: int, current: bool = False) -> Markup:
    """A link to a narrower list with its count, as the year and register navigation show
    it: formatted here so that a rebuild can tell its old text from its new (_recounted)."""
    return Markup(COUNT_LINK.format(url=escape(url(link)), current=' aria-current="page"' if current else "", label=escape(label),
                                    count=swedish_number(count)))


def swedish_number(number: int) -> str:
    """A count as Swedish writes it, in groups of three digits with a no-break space
    between them (74\u00a0708), as the search page's toLocaleString("sv-SE") does."""
    return f"{number:,}".replace(",", "\u00a0")


def _tag_links(label: str, links: list[tuple[str, str]]) -> Markup:
    """'Ämnen: Covid-19, Näringsliv' as links; the same few lists recur on thousands of pages."""
    if not links:
        return Markup("")
    items = Markup(",\n  ").join(Markup('<a href="{}">{}</a>').format(href, name) for name, href in links)
    return Markup('<p class="tags" data-pagefind-ignore><span class="tags-label">{}:</span>\n  {}\n</p>\n').format(label, items)


# The entries of the long lists (register, topic and municipality pages) are the same on
# every page they appear on, and there are hundreds of thousands of them in a large
# archive: they are formatted here, once each, rather than by a Jinja macro per use.
DECISION_ENTRY = (
    '  <li class="register-entry">\n'
    '    <p class="register-cite"><a href="{url}">{citation}</a></p>\n'
    '    <p class="register-item">{item}</p>\n'
    '    <div class="register-text">{html}</div>\n'
    '    <p class="permalink"><a href="{absolute}">Länk till beslutet<span class="visually-hidden"> {citation}</span></a></p>\n'
    "{topics}"
    "  </li>\n"
)
ITEM_ENTRY = (
    "  <li>\n"
    '    <a href="{url}">{label}</a>\n'
    '    <span class="meta">{body} <time datetime="{date}">{long_date}</time>{decisions}</span>\n'
    "  </li>\n"
)
MEETING_ENTRY = (
    "  <li>\n"
    '    <a href="{url}">{title}</a>\n'
    '    <span class="meta"><time datetime="{date}">{long_date}</time>{body}{decisions}</span>\n'
    "  </li>\n"
)
REPRESENTATION_ENTRY = (
    "    <li>\n"
    '      <a href="{url}">{title}</a>\n'
    '      <span class="meta"><time datetime="{date}">{long_date}</time> · {body}</span>\n'
    "{present}{absent}"
    "    </li>\n"
)


@dataclass(frozen=True)
class Entries:
    """How the lists show one meeting, representation, agenda item or decision: each entry
    is the whole of what a list shows of it (see list_entries), formatted once per process
    (escaped here), kept by URL and reused on every list."""

    meeting: Callable[[Meeting, bool], str]
    representation: Callable[[Representation], str]
    item: Callable[[ItemRef], str]
    decision: Callable[[DecisionRef, bool], str]


def _entries(env: jinja2.Environment) -> Entries:
    url, absolute, body_name, topic_links = env.globals["url"], env.globals["absolute_url"], env.globals["body_name"], env.globals["topic_links"]
    meetings: BoundedCache[tuple[str, bool], str] = BoundedCache()
    items: BoundedCache[str, str] = BoundedCache()
    decisions: BoundedCache[tuple[str, bool], str] = BoundedCache()

    def meeting_entry(meeting: Meeting, show_body: bool = True) -> str:
        key = (meeting.url, show_body)
        entry = meetings.get(key)
        if entry is None:
            count = len(meeting.decisions)
            entry = meetings.put(key, MEETING_ENTRY.format(
                url=escape(url(meeting.url)), title=escape(meeting.title), date=meeting.date.isoformat(), long_date=long_date(meeting.date),
                body=f" · {escape(body_name(meeting.body))}" if show_body else "", decisions=f" · {count}\u00a0beslut" if count else ""))
        return entry

    def representation_entry(rep: Representation) -> str:
        # Each is on two pages at most (the municipality's and its year's): not kept.
        meeting = rep.meeting
        present = ", ".join(escape(p.name) + (f" ({escape(p.role)})" if p.role else "") + (f" ({escape(p.note)})" if p.note else "")
                            for p in rep.attendees)
        absent = ", ".join(escape(p.name) for p in rep.absent)
        return REPRESENTATION_ENTRY.format(
            url=escape(url(meeting.url)), title=escape(meeting.title), date=meeting.date.isoformat(), long_date=long_date(meeting.date),
            body=escape(body_name(meeting.body)),
            present=f'      <span class="people">Närvarande: {present}</span>\n' if rep.attendees else "",
            absent=f'      <span class="people">Frånvarande: {absent}</span>\n' if rep.absent else "")

    def item_entry(ref: ItemRef) -> str:
        entry = items.get(ref.url)
        if entry is None:
            count = len(ref.item.decisions)
            entry = items.put(ref.url, ITEM_ENTRY.format(
                url=escape(url(ref.url)), label=escape(f"{ref.item.label} {ref.item.title}" if ref.item.number else ref.item.label),
                body=escape(body_name(ref.meeting.body)), date=ref.meeting.date.isoformat(), long_date=long_date(ref.meeting.date),
                decisions=f" · {count}\u00a0beslut" if count else ""))
        return entry

    def decision_entry(ref: DecisionRef, show_topics: bool = True) -> str:
        key = (ref.url, show_topics)
        entry = decisions.get(key)
        if entry is None:
            item = f"{ref.item.label} {ref.item.title}" if ref.item.number else f"{ref.item.label} "
            topics = "    " + topic_links(ref.item.topics) if show_topics and ref.item.topics else ""
            entry = decisions.put(key, DECISION_ENTRY.format(
                url=escape(url(ref.url)), citation=escape(ref.citation), item=escape(item), html=ref.decision.html,
                absolute=escape(absolute(ref.url)), topics=topics))
        return entry

    return Entries(meeting_entry, representation_entry, item_entry, decision_entry)


def _list_helpers(entries: Entries) -> dict:
    """The lists for the templates: entries joined as plain strings, marked safe once per list."""

    def meeting_list(meetings, show_body: bool = True) -> Markup:
        return Markup('<ul class="meeting-list">\n' + "".join([entries.meeting(m, show_body) for m in meetings]) + "</ul>\n")

    def representation_list(reps) -> Markup:
        return Markup('<ul class="meeting-list">\n' + "".join([entries.representation(r) for r in reps]) + "  </ul>")

    def item_list(refs) -> Markup:
        return Markup('<ul class="item-list">\n' + "".join([entries.item(r) for r in refs]) + "</ul>\n")

    def decision_list(refs, show_topics: bool = True) -> Markup:
        return Markup('<ol class="decision-register">\n' + "".join([entries.decision(r, show_topics) for r in refs]) + "</ol>\n")

    return {"meeting_list": meeting_list, "representation_list": representation_list, "item_list": item_list, "decision_list": decision_list}


# What a job renders, for the build to share jobs out between processes (pipeline.py).
MEETING_PAGE, DECISION_LISTS, OTHER_PAGES, OPEN_DATA = "meeting page", "decision lists", "other pages", "open data"


@dataclass(frozen=True)
class Job:
    """Some files of the site, made when the job is called."""

    kind: str
    """MEETING_PAGE; DECISION_LISTS (the register and the topic pages: long lists of decisions
    and items, whose entries a process keeps once formatted); OPEN_DATA (one open data file,
    which a rebuild may splice instead); or OTHER_PAGES."""
    make: Callable[[], list[Page]]

    def __call__(self) -> list[Page]:
        return self.make()


def render_site(archive: Archive, env: jinja2.Environment) -> Iterator[Page]:
    """Every file of the site in one process, in a stable order (render_jobs, then the sitemap)."""
    html_pages = []
    for job in render_jobs(archive, env):
        for page in job():
            if is_html(page.url):
                html_pages.append(page.url)
            yield page
    yield from render_sitemap(archive, html_pages)


def render_jobs(archive: Archive, env: jinja2.Environment) -> list[Job]:
    """Every file of the site but the sitemap, as small jobs that can run in any process:
    HTML pages, feeds, calendars and open data."""
    feeds = list(site_feeds(archive, env.globals["absolute_url"]))
    env.globals["subscriptions"] = _subscriptions(archive, feeds)
    registry = archive.registry
    jobs = [Job(OTHER_PAGES, partial(_listed, render_home, archive, env))]
    jobs += [Job(MEETING_PAGE, partial(_listed, render_meeting, archive, meeting, env)) for meeting in archive.meetings]
    jobs.append(Job(OTHER_PAGES, partial(_listed, render_municipalities, archive, env)))
    jobs += [Job(OTHER_PAGES, partial(list, render_municipality(archive, key, env))) for key in registry.municipalities]
    jobs.append(Job(OTHER_PAGES, partial(_listed, render_topics, archive, env)))
    jobs.append(Job(OTHER_PAGES, partial(_listed, render_years, archive, env)))
    jobs += [Job(OTHER_PAGES, partial(list, render_year(archive, year, env))) for year in archive.by_year]
    jobs.append(Job(OTHER_PAGES, partial(_listed, render_bodies, archive, env)))
    jobs += [Job(OTHER_PAGES, partial(list, render_body(archive, key, env))) for key in registry.bodies]
    jobs += [Job(DECISION_LISTS, partial(list, pages)) for pages in decision_list_parts(archive, env)]
    jobs.append(Job(OTHER_PAGES, partial(_listed, render_search, archive, env)))
    jobs.append(Job(OTHER_PAGES, partial(_listed, render_data_page, archive, env)))
    jobs += [Job(OTHER_PAGES, partial(_listed, render, env)) for render in (render_accessibility, render_not_found)]
    jobs += [Job(OTHER_PAGES, partial(_feed_page, feed, env)) for feed in feeds]
    jobs.append(Job(OTHER_PAGES, partial(list, render_calendars(archive))))
    jobs += [Job(OPEN_DATA, partial(_listed, render_open_data, archive, name, env)) for name in OPEN_DATA_FILES]
    jobs.append(Job(OTHER_PAGES, partial(_schemas, archive, env)))
    return jobs


@dataclass(frozen=True)
class ListEntry:
    text: str
    surely_on: tuple[str, ...]
    """The URLs of a list that always shows it, of which the site has the first it has (the
    page of the meeting's month if its year is long, else of its year, ...); () for entries
    that only some archives' lists show (the newest in the feeds, say)."""


def list_entries(meeting: Meeting, registry: Registry, env: jinja2.Environment) -> list[ListEntry]:
    """Every text by which a file other than the meeting's own page shows the meeting, its
    agenda items or decisions: their entries on the lists (each way a list shows them), in
    the feeds and in the calendars. Two versions of a meeting with the same placement
    (archive.placement) give as many, in the same order; a list that shows one version
    shows the other's entry in its place, and nothing else differs (the counts, the order
    and the links are the placement's)."""
    entries = _entries(env)  # of their own: the site's are kept by URL, which both versions share
    year, month = meeting.date.year, f"{meeting.date.month:02d}"
    body_name, absolute = registry.bodies[meeting.body].name, env.globals["absolute_url"]
    items = [ItemRef(meeting, item) for item in meeting.items]
    decisions = [DecisionRef(meeting, item, d, body_name) for item in meeting.items for d in item.decisions]

    def year_of(url: str) -> tuple[str, ...]:
        return (f"{url}{year}/{month}/", f"{url}{year}/")

    def topic_page(item) -> tuple[str, ...]:
        return year_of(f"/amnen/{item.topics[0]}/") if item.topics else ()

    def item_page(item) -> tuple[str, ...]:
        return topic_page(item) or (year_of(f"/kommuner/{item.municipalities[0]}/") if item.municipalities else ())

    return [
        ListEntry(entries.meeting(meeting, True), year_of("/ar/")),
        ListEntry(entries.meeting(meeting, False), year_of(f"/organ/{meeting.body}/")),
        *(ListEntry(entries.representation(rep), year_of(f"/kommuner/{key}/")) for key, rep in representations(registry, meeting)),
        *(ListEntry(entries.item(ref), item_page(ref.item)) for ref in items),
        *(entry for ref in decisions for entry in (ListEntry(entries.decision(ref, True), year_of("/beslut/ar/")),
                                                   ListEntry(entries.decision(ref, False), topic_page(ref.item)))),
        *(ListEntry(atom_entry(entry), ()) for entry in (meeting_feed_entry(registry, meeting, absolute),
                                                          *(item_feed_entry(registry, ref, absolute) for ref in items),
                                                          *(decision_feed_entry(ref, absolute) for ref in decisions))),
        ListEntry(event_text(meeting, registry), ()),  # an old meeting's is in no calendar (CALENDAR_MEETINGS)
    ]


def pages_listing(meeting: Meeting) -> set[str]:
    """The URLs of the files other than its own page that may show a meeting (render_jobs
    makes them; some of these may not exist): the lists of its year, body, municipalities
    and topics and their pages for its year and month, the register's, the feeds and the
    calendars."""
    year, month, body = meeting.date.year, f"{meeting.date.year}/{meeting.date.month:02d}/", meeting.body
    municipalities = {*meeting.municipalities, *(a.municipality for a in (*meeting.attendees, *meeting.absent) if a.municipality),
                      *(key for item in meeting.items for key in item.municipalities)}
    topics = {key for item in meeting.items for key in item.topics}
    pages = {"/", f"/ar/{year}/", f"/ar/{month}", "/beslut/", f"/beslut/ar/{year}/", f"/beslut/ar/{month}",
             ALL_MEETINGS_CALENDAR, f"/organ/{body}/moten.ics"}
    feeds = {feed_url("/"), feed_url("/beslut/")}
    for facet, keys in (("organ", {body}), ("amne", topics), ("kommun", municipalities)):
        pages |= {f"/beslut/{facet}/{key}/{part}" for key in keys for part in ("", f"{year}/", month)}
    for section, keys in (("organ", {body}), ("kommuner", municipalities), ("amnen", topics)):
        pages |= {f"/{section}/{key}/{part}" for key in keys for part in ("", f"{year}/", month)}
        feeds |= {feed_url(f"/{section}/{key}/") for key in keys}
    return pages | feeds


def render_sitemap(archive: Archive, html_pages: list[str]) -> Iterator[Page]:
    """sitemap.xml (with an index above 50,000 pages) and robots.txt."""
    site = archive.registry.site
    indexable = [url for url in html_pages if url.endswith("/")]
    for name, xml in sitemap_files(site.base_url, indexable).items():
        yield Page(f"/{name}", xml)
    yield Page("/robots.txt", robots_txt(site.base_url))


def is_html(url: str) -> bool:
    return url.endswith(("/", ".html"))


def _listed(render, *args) -> list[Page]:
    return [render(*args)]


def _feed_page(feed: Feed, env: jinja2.Environment) -> list[Page]:
    return [Page(feed.url, render_feed(feed, env, env.globals["absolute_url"]))]


ALL_MEETINGS_CALENDAR = "/moten.ics"
CALENDAR_MEETINGS = 1000
"""A calendar holds the newest meetings, this many at most: a calendar app reads the whole
of a subscribed file at every refresh, and every meeting of a large archive is more than
they take (72 MB at 100,000 meetings). The open data has every meeting."""


def render_calendars(archive: Archive) -> Iterator[Page]:
    """iCalendar files: the newest meetings (CALENDAR_MEETINGS), and those of each body."""
    registry = archive.registry
    events: dict[str, str] = {}
    yield Page(ALL_MEETINGS_CALENDAR, calendar_text(registry.site.title, archive.meetings[:CALENDAR_MEETINGS], registry, events))
    for key, body in registry.bodies.items():
        yield Page(f"/organ/{key}/moten.ics", calendar_text(body.name, archive.by_body[key][:CALENDAR_MEETINGS], registry, events))


def render_open_data(archive: Archive, name: str, env: SiteEnvironment) -> Page:
    """An open data file, made of each meeting's part (kept in the store since parsing)."""
    parts = (env.store.records(meeting, name) for meeting in archive.meetings)
    return Page(f"/data/{name}", open_data_file(name, parts))


def _schemas(archive: Archive, env) -> list[Page]:
    return [Page(f"/data/{name}", env.loader.get_source(env, f"data/{name}")[0]) for name in ("meetings.schema.json", "decisions.schema.json")]


def _subscriptions(archive: Archive, feeds: list[Feed]) -> dict[str, list[tuple[str, str, str]]]:
    """For each page URL: the feeds and calendars it offers, as (label, URL, kind)."""
    offers: dict[str, list[tuple[str, str, str]]] = {}
    for feed in feeds:
        offers.setdefault(feed.page, []).append((f"{feed.title} (Atom-flöde)", feed.url, "atom"))
    for page in ("/", "/ar/"):
        offers.setdefault(page, []).append(("Möten i kalendern (iCal)", ALL_MEETINGS_CALENDAR, "ical"))
    for key, body in archive.registry.bodies.items():
        offers.setdefault(f"/organ/{key}/", []).append((f"{body.name}s möten i kalendern (iCal)", f"/organ/{key}/moten.ics", "ical"))
    return offers


def by_year(refs: Sequence) -> dict[int, tuple]:
    """Entries (anything with .meeting, or meetings) newest first, as every list of the archive is, split
    into one run per year, newest year first. The runs are found by bisection, not by a look
    at each entry: the register's municipality pages list 600,000 entries at 10,000 meetings."""
    years: dict[int, tuple] = {}
    start = 0
    while start < len(refs):
        year = -_minus_year(refs[start])
        end = bisect.bisect_left(refs, 1 - year, lo=start, key=_minus_year)  # the first entry of an older year
        years[year] = tuple(refs[start:end])
        start = end
    return years


def _minus_year(ref) -> int:
    return -getattr(ref, "meeting", ref).date.year  # ascending along a list that is newest first


def year_links(groups: dict[int, tuple], base: str) -> list[CountLink]:
    """A link with its count to each year of a list that is split into one page per year."""
    return [CountLink(str(year), f"{base}{year}/", len(refs)) for year, refs in groups.items()]


def by_month(refs: Sequence) -> dict[int, tuple]:
    """Entries (anything with .meeting, or meetings) of one year, newest first, split into
    one run per month, newest month first."""
    months: dict[int, tuple] = {}
    start = 0
    while start < len(refs):
        month = -_minus_month(refs[start])
        end = bisect.bisect_left(refs, 1 - month, lo=start, key=_minus_month)
        months[month] = tuple(refs[start:end])
        start = end
    return months


def _minus_month(ref) -> int:
    return -getattr(ref, "meeting", ref).date.month  # a meeting is listed as itself


# A month's page shows the counts of its year's months only, not those of the years and of
# the register's facets: a meeting added then recounts the pages of its own year's months,
# not every month's page of every list it is on (8,941 files at 10,000 meetings).


@dataclass(frozen=True)
class Month:
    """One page of a long year (MONTHS_FROM): the month, its address and its part of each list."""

    number: int
    url: str
    lists: tuple[tuple, ...]

    @property
    def name(self) -> str:
        return MONTHS[self.number - 1]


def split_year(year_url: str, lists: Sequence[Sequence]) -> tuple[list[CountLink], list[Month]]:
    """The month links (with counts) and month pages of a year whose lists are long; ([], [])
    for a year that fits one page."""
    if sum(map(len, lists)) <= MONTHS_FROM:
        return [], []
    parts = [by_month(refs) for refs in lists]
    months = [Month(month, f"{year_url}{month:02d}/", tuple(part.get(month, ()) for part in parts))
              for month in sorted({month for part in parts for month in part}, reverse=True)]
    return [CountLink(m.name, m.url, sum(map(len, m.lists))) for m in months], months


HOME = Crumb("Start", "/")


def _page(env: SiteEnvironment, template: str, url: str, crumbs: list[Crumb], key_context: dict | None = None,
          make_context: Callable[[], dict] | None = None, **context) -> Page:
    """Render a page, unless the memo knows it is the same as in the last build. key_context,
    if given, is what the whole context is computed from, and the memo key is made of it;
    make_context, if given, makes the rest of the context (only when the page is rendered).
    A page whose counts alone changed (count_links) is the published one with them replaced."""
    links = count_links(context) if key_context is None else []
    shape, counts = "", ()
    if links:
        shape = env.memo.key(template, url, crumbs, {**context, **_uncounted(context)})
        counts = tuple(count for _, _, count in links)
        key = env.memo.with_counts(shape, counts)
    else:
        key = env.memo.key(template, url, crumbs, context if key_context is None else key_context)
    if env.memo.unchanged(url, key):
        return Page(url, None, key, shape, counts)
    html = _recounted(env, url, shape, links, context.get("current")) if shape else None
    if html is None:
        if make_context is not None:
            context = {**context, **make_context()}
        html = env.get_template(template).render(url_path=url, crumbs=crumbs, **context)
    return Page(url, html, key, shape, counts)


class CountLink(NamedTuple):
    """A link to a narrower list and how many it holds: a year of a list (years) or a way
    to narrow the register (facets: name and links)."""

    label: str
    link: str
    count: int


def count_links(context: dict) -> list[CountLink]:
    """Every count link of a page's context (its facets, then its years), in a fixed order."""
    links = [link for _, values in context.get("facets") or () for link in values] + [
        *(context.get("years") or ()), *(context.get("months") or ())]
    return links if all(isinstance(link, CountLink) for link in links) else []


def _uncounted(context: dict) -> dict:
    """The context values with count links, every count 0: what the page is but for its counts."""
    uncounted = {}
    if context.get("facets"):
        uncounted["facets"] = [(name, [link._replace(count=0) for link in values]) for name, values in context["facets"]]
    for name in ("years", "months"):
        if context.get(name):
            uncounted[name] = [link._replace(count=0) for link in context[name]]
    return uncounted


def _recounted(env: SiteEnvironment, url: str, shape: str, links: list[CountLink], current: str | None) -> bytes | None:
    """The published page with each changed count link replaced, if in the last build the page
    was the same but for its counts and not indexed for search; None if not, or if its count
    links are not where they are looked for (a template that shows counts its own way: the page
    is then rendered). A meeting added changes a count on every page of the register (the
    number of decisions of its year, body, topics and municipalities), whose lists stay as they
    were: about 1,100 pages, 89 MB, at 10,000 meetings. Bytes, never decoded: decoding and
    encoding a page of 1 MB took 9 ms each way, replacing the links in the head of it a tenth."""
    previous = env.memo.previous.get(url)
    if env.published is None or previous is None or previous.indexed or previous.shape != shape or len(previous.counts) != len(links):
        return None
    link_to = env.globals["count_link"]

    def text(link: CountLink, count: int) -> bytes:
        return str(link_to(link.label, link.link, count, link.link in (url, current))).encode("utf-8")

    try:
        data = (env.published / Page(url, None).output_path).read_bytes()
    except OSError:
        return None
    olds = [text(link, count) for link, count in zip(links, previous.counts)]
    starts = [data.find(old) for old in olds]
    if min(starts) < 0:
        return None
    head_end = max(start + len(old) for start, old in zip(starts, olds))  # all count links are in the head
    if data.find(COUNT_MARK.encode("utf-8"), head_end) >= 0:
        return None  # a count link of the template's own after them
    head = data[:head_end]
    for old, link, count in zip(olds, links, previous.counts):
        if link.count != count:
            head = head.replace(old, text(link, link.count))  # every time it is there: it is the same link
    return b"".join((head, memoryview(data)[head_end:]))


def render_home(archive: Archive, env) -> Page:
    return _page(
        env, "home.html", "/", [],
        meetings=archive.meetings[:LATEST_COUNT],
        decisions=archive.decisions[:LATEST_COUNT],
        years=list(archive.by_year),
        registry=archive.registry,
        meeting_count=len(archive.meetings),
        decision_count=len(archive.decisions),
    )


def render_meeting(archive: Archive, meeting: Meeting, env) -> Page:
    return render_meeting_page(meeting, archive.registry.bodies[meeting.body], meeting_pager(archive, meeting), env)


def render_meeting_page(meeting: Meeting, body: Body, pager: "Pager", env) -> Page:
    """A meeting's page, given what it shows of its neighbours (all it needs of the archive)."""
    # The same trail as the year's page it belongs to (Start › År › 2020), then the meeting.
    crumbs = [HOME, Crumb("År", "/ar/"), Crumb(str(meeting.date.year), f"/ar/{meeting.date.year}/"), Crumb(meeting.title, meeting.url)]

    def context() -> dict:
        whole = env.store.whole(meeting)  # the archive may hold the meeting's outline only
        by_municipality: dict[str | None, list] = {}
        for attendee in whole.attendees:
            by_municipality.setdefault(attendee.municipality, []).append(attendee)
        return {"meeting": whole, "body": body, "attendees_by_municipality": list(by_municipality.items()),
                "neighbours": pager, "placed": PlacedTerms(whole)}

    return _page(env, "meeting.html", meeting.url, crumbs, key_context={"meeting": meeting, "body": body, "neighbours": pager},
                 make_context=context)


@dataclass(frozen=True)
class PagerLink:
    url: str
    date: dt.date


@dataclass(frozen=True)
class Pager:
    """The links to the previous and next meeting: only what the page shows of them, so that
    an edit to a neighbouring meeting's text does not make this page change (see memo.py)."""

    previous: PagerLink | None
    next: PagerLink | None


    def plain(self) -> tuple:
        """The pager as strings and numbers, which a build record loads ten times faster."""
        return tuple(x for link in (self.previous, self.next) for x in ((link.url, link.date.toordinal()) if link else (None, 0)))

    @classmethod
    def from_plain(cls, plain: tuple) -> "Pager":
        previous_url, previous_day, next_url, next_day = plain
        link = lambda url, day: PagerLink(url, dt.date.fromordinal(day)) if url else None  # noqa: E731
        return cls(link(previous_url, previous_day), link(next_url, next_day))


def meeting_pager(archive: Archive, meeting: Meeting) -> Pager:
    neighbours = archive.neighbours[meeting.url]
    link = lambda m: PagerLink(m.url, m.date) if m else None  # noqa: E731
    return Pager(link(neighbours.previous), link(neighbours.next))


def render_municipalities(archive: Archive, env) -> Page:
    # Counts only: the overview shows no meeting, so an edit that keeps the counts keeps the page.
    rows = [(m, len(archive.by_municipality[key].representations), len(archive.by_municipality[key].items))
            for key, m in archive.registry.municipalities.items()]
    return _page(env, "municipalities.html", "/kommuner/", [HOME, Crumb("Kommuner", "/kommuner/")], rows=rows)


def render_municipality(archive: Archive, key: str, env) -> Iterator[Page]:
    """A municipality's page with its latest meetings and mentions, and one page per year."""
    municipality = archive.registry.municipalities[key]
    view = archive.by_municipality[key]
    url = f"/kommuner/{key}/"
    crumbs = [HOME, Crumb("Kommuner", "/kommuner/"), Crumb(municipality.name, url)]
    representations, items = by_year(view.representations), by_year(view.items)
    years = year_links({y: representations.get(y, ()) + items.get(y, ()) for y in sorted({*representations, *items}, reverse=True)}, url)
    yield _page(env, "municipality.html", url, crumbs, municipality=municipality, year=None, month=None, years=years, months=None,
                representations=view.representations[:LATEST_LIST], items=view.items[:LATEST_LIST],
                representation_count=len(view.representations), item_count=len(view.items))
    for year in (int(label) for label, _, _ in years):
        yield from _year_pages(env, "municipality.html", url, crumbs, year, years, municipality=municipality,
                               representations=(representations.get(year, ()), LATEST_LIST), items=(items.get(year, ()), LATEST_LIST))


def render_topics(archive: Archive, env) -> Page:
    rows = [(t, len(archive.by_topic[key].items), len(archive.by_topic[key].decisions)) for key, t in archive.registry.topics.items()]
    return _page(env, "topics.html", "/amnen/", [HOME, Crumb("Ämnen", "/amnen/")], rows=rows)


def _topic_parts(archive: Archive, key: str, env) -> list["YearPart"]:
    """A topic's pages, not yet made: its page with its latest decisions and agenda items,
    and the pages of each year (decision_list_parts puts them in order)."""
    topic = archive.registry.topics[key]
    view = archive.by_topic[key]
    url = f"/amnen/{key}/"
    crumbs = [HOME, Crumb("Ämnen", "/amnen/"), Crumb(topic.name, url)]
    items, decisions = by_year(view.items), by_year(view.decisions)
    years = year_links(items, url)
    start = _later(lambda: _page(env, "topic.html", url, crumbs, topic=topic, year=None, month=None, years=years, months=None,
                                 items=view.items[:LATEST_LIST], decisions=view.decisions[:LATEST_DECISIONS],
                                 item_count=len(view.items), decision_count=len(view.decisions)))
    return [(None, start), *((year, _year_pages(env, "topic.html", url, crumbs, year, years, topic=topic,
                                                items=(year_items, LATEST_LIST), decisions=(decisions.get(year, ()), LATEST_DECISIONS)))
                             for year, year_items in items.items())]


def _later(make: Callable[[], Page]) -> Iterator[Page]:
    """One page, made when it is asked for."""
    yield make()


def _year_pages(env, template: str, url: str, crumbs: list[Crumb], year: int, years: list[CountLink] | None,
                **context) -> Iterator[Page]:
    """A year's page of a list (below url) and, if the year is long (MONTHS_FROM), its months'
    pages. Each context value that is a pair (entries, shown) is a list of the year's entries,
    of which the year's page then shows the newest shown; the template gets it with its
    count as <name without its s>_count (items, item_count)."""
    lists = {name: value[0] for name, value in context.items() if isinstance(value, tuple)}
    shown = {name: value[1] for name, value in context.items() if isinstance(value, tuple)}
    fixed = {name: value for name, value in context.items() if name not in lists}
    year_url = f"{url}{year}/"
    year_crumbs = [*crumbs, Crumb(str(year), year_url)]
    months, month_pages = split_year(year_url, tuple(lists.values()))

    def page(page_url: str, page_crumbs: list[Crumb], month: str | None, parts: dict[str, tuple], limits: dict[str, int | None]):
        counts = {f"{name[:-1]}_count": len(part) for name, part in parts.items()}
        listed = {name: part[:limits[name]] for name, part in parts.items()}
        return _page(env, template, page_url, page_crumbs, **fixed, year=year, month=month, years=None if month else years,
                     months=months, **listed, **counts)

    yield page(year_url, year_crumbs, None, lists, shown if months else dict.fromkeys(lists))
    for month in month_pages:
        yield page(month.url, [*year_crumbs, Crumb(month.name, month.url)], month.name, dict(zip(lists, month.lists)), dict.fromkeys(lists))


def render_years(archive: Archive, env) -> Page:
    rows = [(year, len(meetings)) for year, meetings in archive.by_year.items()]
    return _page(env, "years.html", "/ar/", [HOME, Crumb("År", "/ar/")], rows=rows)


def render_year(archive: Archive, year: int, env) -> Iterator[Page]:
    """A year's meetings, and a page for each of its months if they are many."""
    yield from _year_pages(env, "year.html", "/ar/", [HOME, Crumb("År", "/ar/")], year, None, meetings=(archive.by_year[year], LATEST_LIST))


def render_bodies(archive: Archive, env) -> Page:
    rows = [(b, len(archive.by_body[key])) for key, b in archive.registry.bodies.items()]
    return _page(env, "bodies.html", "/organ/", [HOME, Crumb("Organ", "/organ/")], rows=rows)


def render_body(archive: Archive, key: str, env) -> Iterator[Page]:
    """A body's page with its latest meetings, and one page per year (and month, if long):
    a body that has met for twenty years has thousands of meetings."""
    body = archive.registry.bodies[key]
    meetings = archive.by_body[key]
    url = f"/organ/{key}/"
    crumbs = [HOME, Crumb("Organ", "/organ/"), Crumb(body.name, url)]
    meetings_by_year = by_year(meetings)
    years = year_links(meetings_by_year, url)
    yield _page(env, "body.html", url, crumbs, body=body, year=None, month=None, years=years, months=None,
                meetings=meetings[:LATEST_LIST], meeting_count=len(meetings))
    for year, year_meetings in meetings_by_year.items():
        yield from _year_pages(env, "body.html", url, crumbs, year, years, body=body, meetings=(year_meetings, LATEST_LIST))


REGISTER_FACETS = {"ar": "År", "organ": "Organ", "amne": "Ämne", "kommun": "Kommun"}


def decision_list_parts(archive: Archive, env) -> list[Iterator[Page]]:
    """The pages that list decisions (the register and the topics), in independent parts,
    not yet made: first the pages of the latest decisions, then year by year, newest first,
    every page of one year's decisions (the register's year and those of each body, topic
    and municipality, and the topics' years). A decision's entry is formatted once per
    process and kept (BoundedCache) for its other lists: in this order they come soon
    after, while the cache holds them, where list by list each of 750,000 decisions was
    formatted again on every list at 100,000 meetings (the register and the topics took
    104 s of CPU time against 65 s for ten times 10,000 meetings)."""
    parts = [*_register_parts(archive, env), *(part for key in archive.registry.topics for part in _topic_parts(archive, key, env))]
    # A stable sort: the start pages (year None) first, then the years, newest first.
    return [pages for _, pages in sorted(parts, key=lambda part: (part[0] is not None, -(part[0] or 0)))]


YearPart = tuple[int | None, Iterator[Page]]
"""Pages of a list, not yet made, with the year they list (None: the latest of all years)."""


def _register_parts(archive: Archive, env) -> list[YearPart]:
    """The register's pages: its start page, its years, and those of each body, topic and
    municipality."""
    register = Crumb("Beslut", "/beslut/")
    facets = _register_facets(archive)
    parts: list[YearPart] = [(None, _later(lambda: _page(
        env, "register.html", "/beslut/", [HOME, register], heading="Beslutsregister", facets=facets, current="/beslut/",
        decisions=archive.decisions[:LATEST_DECISIONS], total=len(archive.decisions), years=None, months=None)))]
    for year, refs in by_year(archive.decisions).items():
        url = f"/beslut/ar/{year}/"
        parts.append((year, _register_year(env, [HOME, register], "Beslut", url, url, year, refs, facets, None)))
    for facet, groups in archive.decision_facets.items():
        if facet != "ar":
            parts += [part for key, refs in groups.items() if refs for part in _register_facet(archive, env, facet, key, refs, facets)]
    return parts


def _register_facet(archive: Archive, env, facet: str, key: str, refs, facets) -> list[YearPart]:
    """The register narrowed to one body, topic or municipality: its page of the latest
    decisions, and the pages of each year."""
    register = Crumb("Beslut", "/beslut/")
    label = _facet_label(archive, facet, key)
    url = f"/beslut/{facet}/{key}/"
    heading = f"Beslut i punkter där {label} nämns" if facet == "kommun" else f"Beslut: {label}"
    years = by_year(refs)
    crumbs = [HOME, register, Crumb(label, url)]
    links = year_links(years, url)
    start = _later(lambda: _page(env, "register.html", url, crumbs, heading=heading, facets=facets, current=url,
                                 decisions=refs[:LATEST_DECISIONS], total=len(refs), years=links, months=None))
    return [(None, start), *((year, _register_year(env, crumbs, f"{heading},", url, f"{url}{year}/", year, year_refs, facets, links))
                             for year, year_refs in years.items())]


def _register_year(env, crumbs: list[Crumb], heading: str, current: str, url: str, year: int, refs: tuple, facets,
                   years: list[CountLink] | None) -> Iterator[Page]:
    """A year of the register or of one of its narrower lists, and its months if it is long."""
    months, month_pages = split_year(url, (refs,))
    year_crumbs = [*crumbs, Crumb(str(year), url)]
    yield _page(env, "register.html", url, year_crumbs, heading=f"{heading} {year}", facets=facets, current=current,
                decisions=refs[:LATEST_DECISIONS] if months else refs, total=len(refs), years=years, months=months)
    for month in month_pages:
        (month_refs,) = month.lists
        yield _page(env, "register.html", month.url, [*year_crumbs, Crumb(month.name, month.url)], heading=f"{heading} {month.name} {year}",
                    facets=[], current=current, decisions=month_refs, total=len(month_refs), years=None, months=months)


def _register_facets(archive: Archive) -> list[tuple[str, list[CountLink]]]:
    """For each way to narrow the register that has values (an archive whose agenda items
    name no municipality has no municipality facet): its name and a count link per value
    with decisions."""
    facets = [
        (REGISTER_FACETS[facet], [CountLink(_facet_label(archive, facet, key), f"/beslut/{facet}/{key}/", len(refs)) for key, refs in groups.items() if refs])
        for facet, groups in archive.decision_facets.items()
    ]
    return [(name, links) for name, links in facets if links]


def _facet_label(archive: Archive, facet: str, key: str) -> str:
    registry = archive.registry
    names = {"ar": lambda k: k, "organ": lambda k: registry.bodies[k].name,
             "amne": lambda k: registry.topics[k].name, "kommun": lambda k: registry.municipalities[k].name}
    return names[facet](key)


def render_search(archive: Archive, env) -> Page:
    return _page(env, "search.html", "/sok/", [HOME, Crumb("Sök", "/sok/")], topic_words=topic_words(archive.registry))


def topic_words(registry: Registry) -> dict[str, str]:
    """Each word of each topic's name and synonyms, folded as the search page folds words
    (lower case, no diacritics), with the topic's name. They are among a meeting page's
    hidden words: a result that a synonym alone found ("corona") shows nothing marked, and
    the search page names the topic instead."""
    words: dict[str, str] = {}
    for topic in registry.topics.values():
        for name in (topic.name, *topic.synonyms):
            for word in re.findall(r"[\w-]{4,}", _folded(name)):  # not "och" of "Klimat och elektrifiering"
                words.setdefault(word, topic.name)
    return words


def _folded(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.category(c).startswith("M")).lower()


def render_data_page(archive: Archive, env) -> Page:
    """What the open data files, feeds and calendars are, in Swedish: the footer's link to
    the data lands here, not on meetings.json (110 MB at 10,000 meetings, on a phone)."""
    return _page(env, "data.html", "/data/", [HOME, Crumb("Öppna data", "/data/")],
                 meetings=len(archive.meetings), decisions=len(archive.decisions))


def render_accessibility(env) -> Page:
    url = "/tillganglighet/"
    return _page(env, "accessibility.html", url, [HOME, Crumb("Tillgänglighet", url)])


def render_not_found(env) -> Page:
    return _page(env, "404.html", "/404.html", [HOME, Crumb("Sidan finns inte", None)])
