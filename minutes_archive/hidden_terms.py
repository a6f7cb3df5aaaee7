"""Where a meeting page puts its hidden search terms (see model.HiddenTerms).

Each compound's parts go at an end of the clause of the compound's first appearance in the
text, so that a result found by a part ("konferensen") has an excerpt centred near the
compound (planeringskonferensen) rather than on a list of words after the text. What has no place
in the text (topic synonyms, a compound only in a title) goes after the item's text, or
after the decision's. Only the meeting page holds them: the decisions' HTML in the
register, the feeds and the open data stays as written.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from .compounds import WORD, ordered_words
from .model import Meeting, Prose

HIDDEN = Markup('<span hidden class="search-terms" data-pagefind-weight="0.5"> ⟦ {} ⟧ </span>')
"""Hidden on the page, counted half by Pagefind (a visible mention ranks first), and between
⟦ and ⟧, which the search page removes from excerpts. The spaces keep the words before and
after it apart from the hidden ones in the index."""

_TAG = re.compile(r"(<[^>]*>)")
_HEADING = re.compile(r"<(/?)h[1-6][\s>]", re.IGNORECASE)
_BLOCK = re.compile(r"</?(?:p|li|ul|ol|dl|dt|dd|table|tr|td|th|blockquote|pre|div|h[1-6]|br|hr)[\s/>]", re.IGNORECASE)
"""A tag that ends a clause and begins the next."""
_TOKEN = re.compile(f"({WORD.pattern})" + r"|([.,:!?])(?=\s|$)")
"""A word, or a mark that ends a sentence or a clause (not the one in 2.5 or 19.00)."""


def hidden(words: str) -> Markup:
    return HIDDEN.format(words) if words else Markup("")


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
                self._html[anchor, html] = Markup(after_words(html, pending))
        rest = [parts for word, parts in pending.items() if word not in placed_elsewhere]
        self._rest[anchor] = hidden(" ".join(filter(None, [*rest, terms.others])))


def after_words(html: str, pending: dict[str, str]) -> str:
    """html with the hidden parts of each pending word's first appearance in its text put at
    an end of its clause, the one nearer the word: the clause runs from a full stop or comma
    (or colon, ...; not a semicolon, which also ends an entity) or the start of a paragraph,
    list item or cell to the next. Not right after the word, which would part it from the
    next in the index and break a quoted search ("Trafikverkets tidplan"); at the nearer
    end, so that the excerpt Pagefind centres on them shows the word, even at the end of a
    decision, where the excerpt stops. Words in a tag, an entity (&amp;) or a heading (a
    heading's text is a search result's title) do not count. The words placed leave
    pending."""
    out: list[str] = []  # the HTML: tags, words, marks and the text between them
    clause_start = 0  # where in out the clause begins
    clause_words = 0
    found: list[tuple[int, str]] = []  # the clause's compounds: how many words come before each, and its parts
    in_heading = False

    def end_clause() -> None:
        nonlocal clause_start, clause_words
        if found:
            nearer_start = [parts for before, parts in found if before <= clause_words - 1 - before]
            nearer_end = [parts for before, parts in found if before > clause_words - 1 - before]
            if nearer_end:
                out.append(str(hidden(" ".join(nearer_end))))
            if nearer_start:
                out.insert(clause_start, str(hidden(" ".join(nearer_start))))
            found.clear()
        clause_start, clause_words = len(out), 0

    for i, piece in enumerate(_TAG.split(html)):  # text, tag, text, tag, ..., text
        if i % 2:
            block = _BLOCK.match(piece)
            if block:
                end_clause()
                heading = _HEADING.match(piece)
                if heading:
                    in_heading = not heading.group(1)
            out.append(piece)
            if block:
                clause_start = len(out)
            continue
        if in_heading or not (pending or found):
            out.append(piece)
            continue
        at = 0
        for match in _TOKEN.finditer(piece):
            out.append(piece[at:match.start()])
            at = match.end()
            word, stop = match.group(1), match.group(2)
            out.append(match.group())
            if stop:
                end_clause()
                continue
            if word.casefold() in pending and piece[match.start() - 1:match.start()] != "&":
                found.append((clause_words, pending.pop(word.casefold())))
            clause_words += 1
        out.append(piece[at:])
    end_clause()
    return "".join(out)
