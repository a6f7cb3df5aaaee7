"""Where a meeting page puts its hidden search terms (see model.HiddenTerms).

Each compound's parts go at the nearer end of the clause of the compound's first
appearance in the text, so that a result found by a part ("konferensen") has an excerpt
centred near the compound (planeringskonferensen) rather than on a list of words after the
text. What has no place in the text (topic synonyms, a compound only in a title) goes
after the item's text, or after the decision's. Only the meeting page holds them: the decisions' HTML in the
register, the feeds and the open data stays as written.
"""

from __future__ import annotations

import bisect
import re

from markupsafe import Markup, escape

from .compounds import ordered_words
from .model import Meeting, Prose

# Hidden on the page, counted half by Pagefind (a visible mention ranks first), and between
# ⟦ and ⟧, which the search page removes from excerpts. The spaces keep the words before and
# after it apart from the hidden ones in the index.
_HIDDEN_OPEN, _HIDDEN_CLOSE = '<span hidden class="search-terms" data-pagefind-weight="0.5"> ⟦ ', " ⟧ </span>"
_TAG = re.compile(r"(<[^>]*>)")
_HEADING = re.compile(r"<(/?)h[1-6][\s>]", re.IGNORECASE)
_BLOCK = re.compile(r"</?(?:p|li|ul|ol|dl|dt|dd|table|tr|td|th|blockquote|pre|div|h[1-6]|br|hr)[\s/>]", re.IGNORECASE)
"""A tag that ends a clause and begins the next."""
_STOP = re.compile(r"[.,:!?]")
"""A mark that ends a sentence or a clause where a space or a tag follows it (not in 2.5)."""


def hidden(words: str) -> Markup:
    return Markup(_hidden_html(words))


def _hidden_html(words: str) -> str:
    # a format string, not Markup's format or +: those escape again, and took a tenth of
    # the time of rendering a meeting page
    return f"{_HIDDEN_OPEN}{escape(words)}{_HIDDEN_CLOSE}" if words else ""


class PlacedTerms:
    """A meeting's HTML with the hidden terms placed, for its page's template: html(anchor,
    html) gives an item's or a decision's HTML with its compounds' parts placed, rest(anchor)
    the hidden words that go after its text."""

    def __init__(self, meeting: Meeting):
        self._html: dict[tuple[str, str], Markup] = {}
        self._rest: dict[str, Markup] = {}
        for item in meeting.items:
            chunks = [html for section in item.sections
                      for html in ((section.html,) if isinstance(section, Prose) else (section.intro_html, section.outro_html))]
            # a compound of one of its decisions is placed there, not again after the item's text
            in_decisions = set().union(*(ordered_words(d.text) for d in item.decisions))
            self._place(meeting, item.anchor, chunks, in_decisions)
            for decision in item.decisions:
                self._place(meeting, decision.anchor, [decision.html])

    def html(self, anchor: str, html: str) -> Markup:
        return self._html.get((anchor, html), Markup(html))

    def rest(self, anchor: str) -> Markup:
        return self._rest.get(anchor, Markup(""))

    def _place(self, meeting: Meeting, anchor: str, chunks: list[str], placed_elsewhere: set[str] = frozenset()) -> None:
        terms = meeting.search_terms.get(anchor)
        if terms is None:
            return
        pending = dict(terms.compounds)
        for html in chunks:
            if pending and html and (anchor, html) not in self._html:
                self._html[anchor, html] = Markup(place_parts(html, pending))
        rest = [parts for word, parts in pending.items() if word not in placed_elsewhere]
        self._rest[anchor] = hidden(" ".join(filter(None, [*rest, terms.others])))


def place_parts(html: str, pending: dict[str, str]) -> str:
    """html with the hidden parts of each pending word's first appearance in its text put at
    an end of its clause, the one nearer the word: the clause runs from a full stop or comma
    (or colon, ...; not a semicolon, which also ends an entity) or the start of a paragraph,
    list item or cell to the next. Not right after the word, which would part it from the
    next in the index and break a quoted search ("Trafikverkets tidplan"); at the nearer
    end, so that the excerpt Pagefind centres on them shows the word, even at the end of a
    decision, where the excerpt stops. Words in a tag, an entity (&amp;) or a heading (a
    heading's text is a search result's title) do not count. The words placed leave
    pending."""
    if not pending:
        return html
    tags = [(m.start(), m.end()) for m in _TAG.finditer(html)]
    found = _first_appearances(html, pending, tags)
    if not found:
        return html
    starts, ends = _clause_edges(html, tags)
    text_before = _text_lengths(tags)
    inserts: dict[int, list[str]] = {}  # where in html, the parts that go there
    for start, end, parts in found:
        before = starts[bisect.bisect_right(starts, start) - 1]
        after = ends[bisect.bisect_left(ends, end)]
        nearer = before if text_before(start) - text_before(before) <= text_before(after) - text_before(end) else after
        inserts.setdefault(nearer, []).append(parts)
    pieces, at = [], 0
    for position in sorted(inserts):
        pieces += [html[at:position], _hidden_html(" ".join(inserts[position]))]
        at = position
    pieces.append(html[at:])
    return "".join(pieces)


def _text_lengths(tags: list[tuple[int, int]]):
    """A function of a position in the html (not in a tag) that gives the length of the text
    before it, tags left out: distances in a clause are counted in what the reader sees."""
    tag_ends = [end for _, end in tags]
    tag_chars = [0]
    for start, end in tags:
        tag_chars.append(tag_chars[-1] + end - start)
    return lambda position: position - tag_chars[bisect.bisect_right(tag_ends, position)]


def _first_appearances(html: str, pending: dict[str, str], tags: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Where each pending word first appears in html's text, outside headings, with its parts
    (taken out of pending): (start, end, parts), in html's order. A search for each word
    (str.find), not a pass over every word of the text, nor a pattern of them all: a
    meeting's items hold thousands of words and a few compounds, and compiling a pattern
    for each item took longer than the rest of this."""
    lowered = html.lower()
    if len(lowered) != len(html):  # a letter whose lower case is longer (İ): positions would differ
        lowered = html
    tag_starts = [start for start, _ in tags]
    found = []
    for word in list(pending):
        at = lowered.find(word)
        while at != -1:
            end = at + len(word)
            if (not _is_letter(lowered, at - 1) and not _is_letter(lowered, end) and html[at - 1:at] != "&"
                    and not _in_tag_or_heading(html, tags, tag_starts, at)):
                found.append((at, end, pending.pop(word)))
                break
            at = lowered.find(word, at + 1)
    return sorted(found)


def _is_letter(text: str, position: int) -> bool:
    return 0 <= position < len(text) and text[position].isalpha()


def _in_tag_or_heading(html: str, tags: list[tuple[int, int]], tag_starts: list[int], position: int) -> bool:
    tag = bisect.bisect_right(tag_starts, position) - 1
    return tag >= 0 and (position < tags[tag][1] or _in_heading(html, tags, tag))


def _in_heading(html: str, tags: list[tuple[int, int]], last_tag: int) -> bool:
    """Whether the text after tags[last_tag] is in a heading: the nearest block tag before it
    opens one."""
    for index in range(last_tag, -1, -1):
        start, end = tags[index]
        tag = html[start:end]
        if _BLOCK.match(tag):
            heading = _HEADING.match(tag)
            return bool(heading) and not heading.group(1)
    return False


def _clause_edges(html: str, tags: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Where in html clauses may start and end, in order: after a full stop or comma in
    text (both), after a block tag (start) and before one (end), and html's own ends."""
    starts, ends = [0], []
    text_from = 0
    for start, end in [*tags, (len(html), len(html))]:
        for stop in _STOP.finditer(html, text_from, start):
            if stop.end() == start or html[stop.end()].isspace():
                starts.append(stop.end())
                ends.append(stop.end())
        if start < len(html) and _BLOCK.match(html, start, end):
            ends.append(start)
            starts.append(end)
        text_from = end
    ends.append(len(html))
    return starts, ends
