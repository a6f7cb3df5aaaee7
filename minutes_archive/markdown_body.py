"""Markdown body of a minutes file to agenda items and decisions.

An agenda item is an H2 that starts with its number (`## 3. Titel`, `## § 3 Titel`).
A decision lives under an H3 `### Beslut` inside an item: each list item of that
section is one decision; a section without a list is one decision.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .errors import ErrorCollector
from .model import Decision, DecisionSection, Prose

_NUMBER = r"\d+(?:\.\d+)*[a-z]?"
_ITEM_HEADING = re.compile(
    rf"^(?:§\s*(?P<a>{_NUMBER})\.?|(?P<b>{_NUMBER})\.|(?P<c>\d+(?:\.\d+)+[a-z]?))\s+(?P<title>\S.*)$"
)
_DECISION_HEADING = re.compile(r"^beslut\s*:?$", re.IGNORECASE)
_ALLOWED_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# What browsers ignore inside a URL scheme (tabs, newlines, controls, spaces).
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
MAX_NESTING = 20


def new_markdown() -> MarkdownIt:
    """A CommonMark parser with raw HTML off; links are checked by us, not dropped silently."""
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING + 20})
    md.enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # every link reaches check_links, which reports bad ones
    # A wide table scrolls in its own keyboard-reachable box, so the page never scrolls sideways.
    md.add_render_rule("table_open", lambda *args: '<div class="table-wrap" tabindex="0" role="region" aria-label="Tabell">\n<table>\n')
    md.add_render_rule("table_close", lambda *args: "</table>\n</div>\n")
    return md


@dataclass(frozen=True)
class ParsedItem:
    number: str | None
    title: str
    line: int
    sections: tuple[Prose | DecisionSection, ...]
    text: str


@dataclass(frozen=True)
class ParsedBody:
    preamble_html: str
    preamble_text: str
    items: tuple[ParsedItem, ...]
    links: tuple[tuple[str, int], ...] = ()
    """Links to pages of the site (relative or starting with /), with their file lines."""


def item_anchor(number: str | None, title: str) -> str:
    """The id of an agenda item: p3, p3a, p10-1; unnumbered sections get a slug of the title."""
    if number:
        return "p" + number.replace(".", "-")
    return "avsnitt-" + (re.sub(r"[^a-z0-9]+", "-", _ascii(title).lower()).strip("-") or "utan-rubrik")


def parse_body(md: MarkdownIt, body: str, first_line: int, errors: ErrorCollector, base_path: str = "/") -> ParsedBody:
    """Split the body into agenda items and decisions, reporting problems with file lines.

    Links that start with / are links within the site: they get the site's base path.
    """
    tokens = md.parse(body)
    line_of = lambda token: (token.map[0] if token.map else 0) + first_line  # noqa: E731
    links = check_tokens(tokens, line_of, errors, base_path)
    render = lambda part: md.renderer.render(part, md.options, {})  # noqa: E731

    segments = _split(tokens, "h2")
    preamble = segments.pop(0) if segments and segments[0][0].tag != "h2" else []
    items = []
    seen: dict[str, int] = {}
    for segment in segments:
        heading = segment[1].content.strip()
        line = line_of(segment[0])
        match = _ITEM_HEADING.match(heading)
        number, title = (match.group("a") or match.group("b") or match.group("c"), match.group("title").strip()) if match else (None, heading)
        anchor = item_anchor(number, title)
        if anchor in seen:
            errors.add(line, f"agenda item '{heading}' repeats the number of the item on line {seen[anchor]}")
            continue
        seen[anchor] = line
        sections = _parse_sections(segment[3:], anchor, render, line_of, errors)
        items.append(ParsedItem(number, title, line, sections, plain_text(segment)))
    return ParsedBody(render(preamble), plain_text(preamble), tuple(items), tuple(links))


def _parse_sections(tokens, anchor, render, line_of, errors) -> tuple[Prose | DecisionSection, ...]:
    sections: list[Prose | DecisionSection] = []
    ordinal = 0
    for part in _split(tokens, "h3"):
        if part[0].tag == "h3" and _DECISION_HEADING.match(part[1].content.strip()):
            content = part[3:]
            if not content:
                errors.add(line_of(part[0]), "'### Beslut' has no decision under it")
                continue
            intro, groups, outro = _decision_groups(content)
            decisions = []
            for group in groups:
                ordinal += 1
                decisions.append(Decision(f"{anchor}-b{ordinal}", ordinal, render(group).strip(), plain_text(group)))
            sections.append(DecisionSection(render(intro).strip(), tuple(decisions), render(outro).strip()))
        elif sections and isinstance(sections[-1], Prose):
            sections[-1] = Prose(sections[-1].html + render(part))
        else:
            sections.append(Prose(render(part)))
    return tuple(s for s in sections if not isinstance(s, Prose) or s.html.strip())


def _decision_groups(tokens: list[Token]):
    """Return (intro, [tokens of each decision], outro): list items are decisions, else the whole section."""
    lists = [i for i, t in enumerate(tokens) if t.level == 0 and t.type in ("bullet_list_open", "ordered_list_open")]
    if not lists:
        return [], [tokens], []
    intro, decisions, outro = tokens[: lists[0]], [], []
    i = lists[0]
    while i < len(tokens):
        token = tokens[i]
        if token.level == 0 and token.type in ("bullet_list_open", "ordered_list_open"):
            close = _closing(tokens, i)
            decisions.extend(_list_items(tokens[i + 1 : close]))
            i = close + 1
        else:
            outro.append(token)
            i += 1
    return intro, decisions, outro


def _list_items(tokens: list[Token]) -> list[list[Token]]:
    items, i = [], 0
    while i < len(tokens):
        if tokens[i].type == "list_item_open":
            close = _closing(tokens, i)
            inner = tokens[i + 1 : close]
            for t in inner:
                if t.type.startswith("paragraph_") and t.level == tokens[i].level + 1:
                    t.hidden = False  # a decision is a paragraph of its own, tight list or not
            items.append(inner)
            i = close + 1
        else:
            i += 1
    return items


def _closing(tokens: list[Token], start: int) -> int:
    opener = tokens[start]
    for j in range(start + 1, len(tokens)):
        t = tokens[j]
        if t.level == opener.level and t.nesting == -1 and t.tag == opener.tag:
            return j
    return len(tokens) - 1


def _split(tokens: list[Token], tag: str) -> list[list[Token]]:
    """Split a token stream at top-level headings of the given tag; each part starts at its heading."""
    parts: list[list[Token]] = [[]]
    for token in tokens:
        if token.type == "heading_open" and token.tag == tag and token.level == 0:
            parts.append([])
        parts[-1].append(token)
    return [p for p in parts if p]


def plain_text(tokens: list[Token]) -> str:
    """The words of a token stream, for keyword matching and search."""
    words = []
    for token in tokens:
        if token.type == "inline":
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    words.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    words.append(" ")
            words.append("\n")
        elif token.type in ("code_block", "fence"):
            words.append(token.content)
    return " ".join("".join(words).split())


def check_tokens(tokens: list[Token], line_of: Callable[[Token], int], errors: ErrorCollector, base_path: str = "/") -> list[tuple[str, int]]:
    """Report what may not be published, and return the links within the site with their lines.

    Refused: links with schemes other than http, https and mailto; images (see
    image_problem); a body H1; deep nesting. Skipped heading levels are warnings.
    """
    deepest, previous_heading, internal = 0, 2, []
    for token in tokens:
        deepest = max(deepest, token.level)
        if token.type == "heading_open":
            level = int(token.tag[1])
            if level == 1:
                errors.add(line_of(token), "a '# ' heading is not allowed: the page title comes from the front matter; agenda items are '## 1. Titel'")
            elif level > previous_heading + 1:
                errors.warn(line_of(token), f"heading level jumps from h{previous_heading} to h{level}: use {'#' * (previous_heading + 1)}")
            previous_heading = level
        for child in token.children or []:
            attr = "href" if child.type == "link_open" else "src" if child.type == "image" else None
            if not attr or attr not in child.attrs:
                continue
            url = str(child.attrs[attr])
            problem = link_problem(url) or (image_problem(url) if attr == "src" else None)
            if problem:
                errors.add(line_of(token), problem)
                child.attrs[attr] = ""  # never rendered anyway: the build stops on errors
            elif is_internal(url):
                internal.append((url, line_of(token)))
                if url.startswith("/"):
                    child.attrs[attr] = base_path + url[1:]
    if deepest > MAX_NESTING:
        errors.add(1, f"Markdown nested too deeply (more than {MAX_NESTING} levels of lists or quotes)")
    return internal


def is_internal(url: str) -> bool:
    """A link to a page of this site: relative, or starting with one /; not a bare #anchor."""
    return not _SCHEME.match(url.lower()) and not url.startswith(("//", "#")) and url.strip() != ""


def image_problem(src: str) -> str:
    """Every image is refused: the build publishes no files but its pages (a relative image
    would be missing from the site), and an image from another host would send every
    visitor's address there."""
    if _SCHEME.match(src.lower()) or src.startswith("//"):
        return f"image '{src}' is on another host, which would be sent every visitor's address: describe what it shows in the text, or link to it"
    return f"image '{src}': the archive publishes no image files, so the page could not show it; describe what it shows in the text, or link to where it is published"


def link_problem(url: str) -> str | None:
    """Return why a link target is not allowed, or None if it is."""
    cleaned = _URL_NOISE.sub("", url).lower()
    if cleaned.startswith("//"):
        return f"link '{url}' has no scheme; write it with https://"
    scheme = _SCHEME.match(cleaned)
    if scheme and scheme.group(1) not in _ALLOWED_SCHEMES:
        return f"link scheme '{scheme.group(1)}:' is not allowed (only http, https, mailto and relative links): '{url}'"
    if not scheme and ":" in cleaned.split("/", 1)[0] and not cleaned.startswith(("#", ".", "/")):
        return f"link '{url}' looks like an unknown scheme; only http, https, mailto and relative links are allowed"
    return None


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
