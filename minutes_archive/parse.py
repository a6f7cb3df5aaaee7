"""Parse stage: YAML and Markdown sources to the frozen model, collecting every error."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from .compounds import CompoundSplitter, ordered_words, part_frequencies, rare_words
from .errors import ContentError, ErrorCollector, did_you_mean
from .markdown_body import item_anchor, new_markdown, parse_body
from .model import AccessibilityStatement, AgendaItem, Attendee, Body, HiddenTerms, Meeting, Municipality, Registry, SiteConfig, Topic
from .personal_numbers import find_personal_numbers
from .read import REGISTRY_FILES, ContentSources, MinutesSource, RegistrySource, read_minutes
from .vocabulary import Lookup, TextMatcher
from .yaml_source import LineDict, LineList

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
BASE_URL = re.compile(r"^https?://[^/\s]+(/[^\s]*)?$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DOCUMENT_KINDS = ("minnesanteckningar", "protokoll")
STATUSES = ("justerat", "utkast")

SITE_KEYS = {"title", "description", "base_url", "language", "organisation", "contact_email", "accessibility"}
SITE_TEXT_KEYS = SITE_KEYS - {"accessibility"}
ACCESSIBILITY_KEYS = {"status", "known_problems", "assessed", "method"}
COMPLIANCE = ("fullt förenlig", "delvis förenlig", "inte förenlig")
SITE_REQUIRED = {"title", "base_url", "language"}
MINUTES_KEYS = {
    "date", "time", "place", "body", "document", "status", "title",
    "chair", "secretary", "adjusters", "attendees", "absent", "topics", "allow_personal_numbers",
}
MINUTES_REQUIRED = ("date", "body", "attendees")
PERSON_KEYS = {"name", "municipality", "role", "note"}
# Longer text in a front matter field is almost certainly a mistake (or an attack).
MAX_FIELD_LENGTH = {"title": 300}
MAX_TEXT_LENGTH = 1000


@dataclass(frozen=True)
class ParsedContent:
    registry: Registry | None
    meetings: tuple[Meeting, ...]
    errors: tuple[ContentError, ...]
    warnings: tuple[ContentError, ...] = ()


def parse_content(sources: ContentSources, base_url: str | None = None) -> ParsedContent:
    """Turn read sources into the model; a meeting with errors is left out and its errors kept.

    base_url, when given, replaces the one in site.yaml.
    """
    errors = list(sources.errors)
    registry = parse_registries(sources.registries, base_url, errors)
    if registry is None:
        return ParsedContent(None, (), tuple(sorted(errors)))
    parser = MeetingParser(registry)
    meetings, warnings = [], []
    for source in sources.minutes:
        parsed = parser.parse_source(source)
        errors.extend(parsed.errors)
        warnings.extend(parsed.warnings)
        if parsed.meeting is not None:
            meetings.append(parsed.meeting)
    return ParsedContent(registry, tuple(meetings), tuple(sorted(errors)), tuple(sorted(warnings)))


@dataclass(frozen=True)
class ParsedFile:
    """One minutes file: its meeting (None when it has errors), errors and warnings."""

    meeting: Meeting | None
    errors: tuple[ContentError, ...]
    warnings: tuple[ContentError, ...]


def parse_minutes_files(parser: "MeetingParser", paths: list[Path]) -> list[ParsedFile]:
    """Read and parse minutes files; the unit of work of one process."""
    results = []
    for path in paths:
        read_errors: list[ContentError] = []
        source = read_minutes(path, read_errors)
        parsed = parser.parse_source(source) if source is not None else ParsedFile(None, (), ())
        if read_errors:  # none, or the file's read problems and what parsing it found besides
            parsed = ParsedFile(None, (*read_errors, *parsed.errors), parsed.warnings)
        results.append(parsed)
    return results


def parse_registries(sources: dict[str, RegistrySource], base_url: str | None, errors: list[ContentError]) -> Registry | None:
    """The registry, with base_url (from the command line) replacing site.yaml's when given."""
    registry = parse_registry(sources, errors)
    if registry is None or base_url is None:
        return registry
    if not BASE_URL.match(base_url):
        errors.append(ContentError("--base-url", 1, f"must be an absolute http(s) URL such as https://example.org/ (got '{base_url}')"))
        return None
    site = dataclasses.replace(registry.site, base_url=base_url if base_url.endswith("/") else base_url + "/")
    return dataclasses.replace(registry, site=site)


# --- registries ------------------------------------------------------------------


def parse_registry(sources: dict[str, RegistrySource], errors: list[ContentError]) -> Registry | None:
    """Build the registry from site.yaml, municipalities.yaml, topics.yaml and bodies.yaml."""
    if any(name not in sources for name in REGISTRY_FILES):
        return None  # read stage already reported the missing or broken file
    found_before = len(errors)
    site = _parse_site(sources["site.yaml"], errors)
    municipalities = _parse_entries(sources["municipalities.yaml"], {"name", "aliases"}, errors, _municipality)
    _check_names_unique(sources["municipalities.yaml"], municipalities, errors)
    topics = _parse_entries(sources["topics.yaml"], {"name", "description", "keywords", "synonyms"}, errors, _topic)
    bodies = _parse_entries(sources["bodies.yaml"], {"name", "description"}, errors, _body)
    compounds = _parse_compounds(sources["compounds.yaml"], errors) if "compounds.yaml" in sources else {}
    if site is None or len(errors) > found_before:
        return None
    return Registry(site, municipalities, topics, bodies, compounds)


def _parse_site(source: RegistrySource, errors: list[ContentError]) -> SiteConfig | None:
    data, out = source.data, ErrorCollector(source.path)
    if not isinstance(data, LineDict):
        out.add(1, "site.yaml must be a mapping of settings")
        errors.extend(out.errors)
        return None
    _check_keys(data, SITE_KEYS, out)
    for key in sorted(SITE_REQUIRED - set(data)):
        out.add(data.line, f"missing required setting '{key}'")
    values = {key: _text(data, key, out) or "" for key in SITE_TEXT_KEYS}
    if values["language"] and values["language"] != "sv":
        out.add(data.key_lines["language"], f"language must be 'sv' (got '{values['language']}'): search and templates are Swedish")
    base_url = values["base_url"]
    if base_url and not BASE_URL.match(base_url):
        out.add(data.key_lines["base_url"], f"base_url must be an absolute http(s) URL such as https://example.org/ (got '{base_url}')")
    accessibility = _parse_accessibility(data, out)
    errors.extend(out.errors)
    if out.errors:
        return None
    if not base_url.endswith("/"):
        values["base_url"] = base_url + "/"
    return SiteConfig(**values, accessibility=accessibility)


def _parse_accessibility(data: LineDict, out: ErrorCollector) -> AccessibilityStatement:
    """The accessibility statement's facts; without them the statement says 'delvis förenlig'."""
    section = data.get("accessibility")
    if section is None:
        return AccessibilityStatement()
    if not isinstance(section, LineDict):
        out.add(data.key_lines["accessibility"], "accessibility must be a mapping: status, known_problems, assessed, method")
        return AccessibilityStatement()
    _check_keys(section, ACCESSIBILITY_KEYS, out)
    status = _text(section, "status", out) or "delvis förenlig"
    if status not in COMPLIANCE:
        out.add(section.key_lines["status"], f"accessibility status must be one of {', '.join(COMPLIANCE)} (got '{status}')")
    written = _text(section, "assessed", out)
    assessed = _iso_date(written) if written else None
    if written and assessed is None:
        out.add(section.key_lines["assessed"], f"assessed must be a date written YYYY-MM-DD (got '{written}')")
    return AccessibilityStatement(status, tuple(_text_list(section, "known_problems", out)), assessed, _text(section, "method", out))


def _parse_entries(source: RegistrySource, allowed: set[str], errors: list[ContentError], make) -> dict:
    """Parse a registry file: a mapping of slug keys to mappings of fields; report every bad entry."""
    data, out = source.data, ErrorCollector(source.path)
    if not isinstance(data, LineDict) or not data:
        errors.append(ContentError(source.path, 1, "expected a mapping of keys (lowercase slugs) to entries"))
        return {}
    entries = {}
    for key, entry in data.items():
        line = data.key_lines[key]
        if not SLUG.match(key):
            out.add(line, f"key '{key}' must be a lowercase ASCII slug (letters, digits, '-')")
            continue
        if not isinstance(entry, LineDict):
            out.add(line, f"'{key}' must be a mapping with {', '.join(sorted(allowed))}")
            continue
        _check_keys(entry, allowed, out)
        name = _text(entry, "name", out)
        if not name:
            out.add(entry.line, f"'{key}' needs a name")
            continue
        entries[key] = make(key, name, entry, out)
    errors.extend(out.errors)
    return entries


def _parse_compounds(source: RegistrySource, errors: list[ContentError]) -> dict[str, tuple[str, ...]]:
    """compounds.yaml: a compound word -> the parts a search should find it by."""
    data, out = source.data, ErrorCollector(source.path)
    if not isinstance(data, LineDict):
        errors.append(ContentError(source.path, 1, "expected a mapping: Kollektivtrafikplan: [kollektiv, trafik, plan]"))
        return {}
    compounds = {}
    for word in data:
        parts = _text_list(data, word, out)
        if len(parts) == 1:
            out.add(data.key_lines[word], f"'{word}' needs at least two parts ({word}: [första, andra]), or none to keep it whole ({word}: [])")
        compounds[word] = tuple(parts)
    errors.extend(out.errors)
    return compounds


def _municipality(key: str, name: str, entry: LineDict, out: ErrorCollector) -> Municipality:
    return Municipality(key, name, tuple(_text_list(entry, "aliases", out)))


def _topic(key: str, name: str, entry: LineDict, out: ErrorCollector) -> Topic:
    keywords = tuple(_text_list(entry, "keywords", out))
    for keyword, line in zip(keywords, getattr(entry.get("keywords"), "item_lines", [])):
        if len(keyword) < 3:
            out.add(line, f"keyword '{keyword}' is too short to match reliably (3 letters or more)")
    return Topic(key, name, _text(entry, "description", out) or "", keywords, tuple(_text_list(entry, "synonyms", out)))


def _body(key: str, name: str, entry: LineDict, out: ErrorCollector) -> Body:
    return Body(key, name, _text(entry, "description", out) or "")


def _check_names_unique(source: RegistrySource, municipalities: dict[str, Municipality], errors) -> None:
    owner: dict[str, str] = {}
    for key, municipality in municipalities.items():
        for name in (key, municipality.name, *municipality.aliases):
            folded = name.casefold()
            if owner.setdefault(folded, key) != key:
                line = source.data.key_lines[key]
                errors.append(ContentError(source.path, line, f"name '{name}' of '{key}' is already used by '{owner[folded]}'"))


# --- minutes -----------------------------------------------------------------------


class MeetingParser:
    """Parses minutes files against one registry; holds what is shared between files."""

    def __init__(self, registry: Registry, md: MarkdownIt | None = None, words_in: Path | None = None):
        self.registry = registry
        self.words_in = words_in
        """Where the splitter's word list is kept between builds (see part_frequencies)."""
        self.md = md or new_markdown()
        self.municipalities = Lookup.build("municipality", {k: [m.name, *m.aliases] for k, m in registry.municipalities.items()})
        self.topics = Lookup.build("topic", {k: [t.name] for k, t in registry.topics.items()})
        self.bodies = Lookup.build("body", {k: [b.name] for k, b in registry.bodies.items()})
        self.matcher = TextMatcher(registry.municipalities, registry.topics)

    @functools.cached_property
    def splitter(self) -> CompoundSplitter:
        """Made on first use: loading the word list is wasted when every file comes from the cache."""
        return CompoundSplitter(part_frequencies(self.words_in), (), self.registry.compounds, rare_words(self.words_in))

    def parse_source(self, source: MinutesSource) -> ParsedFile:
        out = ErrorCollector(source.path)
        meeting = self.parse(source, out)
        return ParsedFile(meeting if not out.errors else None, tuple(out.errors), tuple(out.warnings))

    def parse(self, source: MinutesSource, out: ErrorCollector) -> Meeting | None:
        fm = source.front_matter
        _check_keys(fm, MINUTES_KEYS, out)
        for key in MINUTES_REQUIRED:
            if key not in fm:
                out.add(fm.line, f"missing required field '{key}'")
        date = self._date(fm, out)
        body = self._reference(fm, "body", self.bodies, out)
        attendees = self._people(fm, "attendees", out)
        absent = self._people(fm, "absent", out)
        meeting_topics = [self._resolve(self.topics, v, line, out) for v, line in _items(fm, "topics", out)]
        document = self._choice(fm, "document", DOCUMENT_KINDS, out)
        status = self._choice(fm, "status", STATUSES, out)
        parsed = parse_body(self.md, source.body, source.body_line, out, self.registry.site.base_path)
        self._check_personal_numbers(source, out)
        _check_reserved_marks(source, out)
        # Everything is checked before giving up on a file with errors, so that one run
        # reports every problem (and, with --strict, every warning) in it.
        title, time, place = _text(fm, "title", out), _text(fm, "time", out), _text(fm, "place", out)
        chair, secretary = _text(fm, "chair", out), _text(fm, "secretary", out)
        adjusters = tuple(v for v, _ in _items(fm, "adjusters", out))
        base_topics = {t for t in meeting_topics if t}
        items = tuple(self._item(parsed_item, base_topics) for parsed_item in parsed.items)
        used = {int(match.group()) for item in items if item.number and (match := re.match(r"\d+", item.number))}
        before = 0  # the number of the last numbered item so far
        for parsed_item, item in zip(parsed.items, items):
            if item.number is None:
                free = next(n for n in range(before + 1, before + len(items) + len(used) + 2) if n not in used)
                out.warn(parsed_item.line, f"agenda item '{item.title}' has no number: write '## {free}. {item.title}'")
            elif match := re.match(r"\d+", item.number):
                before = int(match.group())
            if item.decisions and not item.topics:
                out.warn(parsed_item.line, f"the decisions of {item.label} have no topic: add a keyword to topics.yaml or 'topics:' to the front matter")
            for decision in item.decisions:
                if decision.text.strip() in PLACEHOLDER_DECISIONS:
                    # A warning, not an error: the live preview of a new file must still build.
                    # CI builds with --strict, which stops it from being published.
                    out.warn(parsed_item.line, f"decision {decision.ordinal} of {item.label} is still '{decision.text.strip()}', "
                                               "as 'build.py new' wrote it: write the decision, or remove it")
        if out.errors or date is None or body is None:
            return None

        named = set(self.matcher.find(parsed.preamble_text)[0]).union(*(i.municipalities for i in items))
        present = {a.municipality for a in attendees if a.municipality}
        people = [*(a.name for a in (*attendees, *absent)), chair or "", secretary or "", *adjusters]
        return Meeting(
            source=source.path,
            slug=f"{date.isoformat()}-{body}",
            date=date,
            body=body,
            title=title or f"{self.registry.bodies[body].name} {date.isoformat()}",
            time=time,
            place=place,
            document=document,
            status=status,
            chair=chair,
            secretary=secretary,
            adjusters=adjusters,
            links=parsed.links,
            attendees=attendees,
            absent=absent,
            preamble_html=parsed.preamble_html,
            items=items,
            topics=self._ordered(base_topics.union(*(i.topics for i in items)), self.registry.topics),
            municipalities=self._ordered(present | named, self.registry.municipalities),
            search_terms=self._search_terms(items, set(ordered_words(" ".join(people)))),
        )

    @staticmethod
    def _check_personal_numbers(source: MinutesSource, out: ErrorCollector) -> None:
        """Personal identity numbers are errors unless the file says it may hold them."""
        allowed = source.front_matter.get("allow_personal_numbers")
        if allowed not in (None, "true", "false"):
            out.add(source.front_matter.key_lines["allow_personal_numbers"], f"allow_personal_numbers must be true or false (got {_shown(allowed)})")
        if allowed == "true":
            return
        for number in find_personal_numbers(source.text):
            line = source.text.count("\n", 0, number.start) + 1
            out.add(line, f"this looks like a {number.kind} ({number.masked}): remove it, or write 'allow_personal_numbers: true' in the front matter if it must be published")

    def _item(self, parsed, base_topics: set[str]) -> AgendaItem:
        text = f"{parsed.title} {parsed.text}"
        municipalities, topics = self.matcher.find(text)
        return AgendaItem(
            number=parsed.number,
            title=parsed.title,
            anchor=item_anchor(parsed.number, parsed.title),
            sections=parsed.sections,
            topics=self._ordered(base_topics | topics, self.registry.topics),
            municipalities=self._ordered(municipalities, self.registry.municipalities),
            text=text,
        )

    def _search_terms(self, items: tuple[AgendaItem, ...], names: set[str]) -> dict[str, HiddenTerms]:
        """Words a search should find each agenda item and decision by, beyond its own text:
        the parts of its compound words, and the names and synonyms of its topics ("corona"
        for Covid-19). A word already in the text is not added, nor a part twice. The
        meeting's own words count as known words for the splitter, so the terms depend only
        on the meeting and the registries. The words of its people's names (names,
        case-folded) are not split: a search for Linda must not find Lindholm."""
        # Each item's text and its decisions' (a part of it), with their distinct words.
        texts = {item.anchor: [(item.anchor, ordered_words(item.text)), *((d.anchor, ordered_words(d.text)) for d in item.decisions)]
                 for item in items}
        vocabulary = set().union(*(words for pairs in texts.values() for _, words in pairs))
        splitter = self.splitter.with_vocabulary(vocabulary)
        # Most words are no compound: each is asked about once, and only the compounds are
        # gone through for each text (a third of the parse time, when every word was).
        terms_of = {w: terms for w in vocabulary if w not in names and (terms := splitter.word_terms(w))}
        by_anchor = {}
        for item in items:
            synonyms = [w.casefold() for key in item.topics for w in (self.registry.topics[key].name, *self.registry.topics[key].synonyms)]
            for anchor, distinct in texts[item.anchor]:
                added = set(distinct)
                compounds = []
                for word in [w for w in distinct if w in terms_of]:
                    parts = [t for t in dict.fromkeys(terms_of[word]) if t not in added]
                    if parts:
                        added.update(parts)
                        compounds.append((word, " ".join(parts)))
                others = " ".join(w for w in dict.fromkeys(synonyms) if w not in added)
                if compounds or others:
                    by_anchor[anchor] = HiddenTerms(tuple(compounds), others)
        return by_anchor

    @staticmethod
    def _ordered(keys: set[str], registry_part: dict) -> tuple[str, ...]:
        """Keys in the order the registry lists them, so output never depends on set order."""
        return tuple(k for k in registry_part if k in keys)

    def _date(self, fm: LineDict, out: ErrorCollector) -> dt.date | None:
        value = fm.get("date")
        if value is None:
            return None
        line = fm.key_lines["date"]
        if not isinstance(value, str) or not ISO_DATE.match(value):
            out.add(line, f"date must be written YYYY-MM-DD, such as 2020-11-20 (got {_shown(value)})")
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            out.add(line, f"invalid date '{value}': {exc}")
            return None

    def _reference(self, fm: LineDict, key: str, lookup: Lookup, out: ErrorCollector) -> str | None:
        value = _text(fm, key, out)
        return self._resolve(lookup, value, fm.key_lines.get(key), out) if value else None

    @staticmethod
    def _resolve(lookup: Lookup, value: str, line: int | None, out: ErrorCollector) -> str | None:
        key = lookup.resolve(value)
        if key is None:
            out.add(line, lookup.unknown_message(value))
        return key

    def _choice(self, fm: LineDict, key: str, choices: tuple[str, ...], out: ErrorCollector) -> str | None:
        value = _text(fm, key, out)
        if value is None:
            return None
        if value.casefold() not in choices:
            out.add(fm.key_lines[key], f"{key} must be one of {', '.join(choices)} (got '{value}'){did_you_mean(value, choices)}")
            return None
        return value.casefold()

    def _people(self, fm: LineDict, key: str, out: ErrorCollector) -> tuple[Attendee, ...]:
        value = fm.get(key)
        if value is None:
            return ()
        if not isinstance(value, LineList):
            out.add(fm.key_lines[key], f"{key} must be a list of people: - {{name: …, municipality: …}}")
            return ()
        people = []
        for person, line in zip(value, value.item_lines):
            if isinstance(person, str):
                out.warn(line, f"{person.strip()} in {key} has no municipality: write {{name: {person.strip()}, municipality: …}}")
                people.append(Attendee(person.strip(), None))
                continue
            if not isinstance(person, LineDict):
                out.add(line, f"each entry in {key} must be a name or a mapping with name and municipality")
                continue
            _check_keys(person, PERSON_KEYS, out)
            name = _text(person, "name", out)
            if not name:
                out.add(line, f"a person in {key} has no name")
                continue
            written = _text(person, "municipality", out)
            municipality = self._resolve(self.municipalities, written, person.key_lines.get("municipality"), out) if written else None
            if not written:
                out.warn(line, f"{name} in {key} has no municipality")
            people.append(Attendee(name, municipality, _text(person, "role", out), _text(person, "note", out)))
        return tuple(people)


# --- field helpers ---------------------------------------------------------------------


PLACEHOLDER_DECISIONS = frozenset({"Att …", "Att ..."})
"""What 'build.py new' writes under '### Beslut' (authoring.py), and its ASCII spelling."""


def _iso_date(text: str) -> dt.date | None:
    """The date text is, if it is one written YYYY-MM-DD."""
    if not ISO_DATE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _check_keys(data: LineDict, allowed: set[str], out: ErrorCollector) -> None:
    for key in data:
        if key not in allowed:
            out.add(data.key_lines[key], f"unknown key '{key}'{did_you_mean(key, allowed)} (allowed: {', '.join(sorted(allowed))})")


def _text(data: LineDict, key: str, out: ErrorCollector) -> str | None:
    """Return a text field stripped, None when absent or empty; report a list, a mapping or an overlong text."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        out.add(data.key_lines[key], f"'{key}' must be text, not a {'list' if isinstance(value, list) else 'mapping'}")
        return None
    limit = MAX_FIELD_LENGTH.get(key, MAX_TEXT_LENGTH)
    if len(value) > limit:
        out.add(data.key_lines[key], f"'{key}' is too long ({len(value)} characters; at most {limit})")
        return None
    return value.strip() or None


def _text_list(data: LineDict, key: str, out: ErrorCollector) -> list[str]:
    return [v for v, _ in _items(data, key, out)]


def _items(data: LineDict, key: str, out: ErrorCollector) -> list[tuple[str, int]]:
    """A list of text values with their lines; a single text value counts as a list of one."""
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [(value.strip(), data.key_lines[key])] if value.strip() else []
    if not isinstance(value, LineList):
        out.add(data.key_lines[key], f"'{key}' must be a list of text values")
        return []
    result = []
    for item, line in zip(value, value.item_lines):
        if isinstance(item, str) and item.strip():
            result.append((item.strip(), line))
        else:
            out.add(line, f"each entry in '{key}' must be text")
    return result


def _shown(value: object) -> str:
    return f"'{value}'" if isinstance(value, str) else ("a list" if isinstance(value, list) else "a mapping")


RESERVED_MARKS = "⟦⟧"
"""The marks around the hidden search words of a meeting page (hidden_terms.py), which the
search page removes from excerpts with what stands between them."""


def _check_reserved_marks(source: MinutesSource, out: ErrorCollector) -> None:
    """An error for each line of minutes text that holds ⟦ or ⟧: the search page would cut
    the text next to it out of excerpts."""
    if not any(mark in source.text for mark in RESERVED_MARKS):
        return
    for number, line in enumerate(source.text.split("\n"), start=1):
        marks = [mark for mark in RESERVED_MARKS if mark in line]
        if marks:
            out.add(number, f"{' and '.join(marks)} cannot be used in minutes: the search marks its hidden words with them; write [ ] instead")
