"""The words each search shard holds, and the bundle that tells the search page which
shards hold all the words of a query.

Where a word of a query is in no page of an index, Pagefind answers with the rest of the
query, or with the longest word that the query's word begins with (2015 matched 20, the
meetings of the 20th). In one index of the whole archive that happens only for words the
archive lacks; in shards it happened for every word that one shard lacked and another
held: "Haninge 2015" found every Haninge meeting of 2006-2010.

So a sharded archive gets one more bundle, the vocabulary, of one page per shard holding
every word that Pagefind read in the shard's pages. Pagefind stems and matches a query
there as in the shards, so the shards whose page it finds are those that hold each word
of the query (or, for a word the whole archive lacks, the same shorter word one index
would fall back to). The search page searches only those (templates/assets/search.js).

A shard's words are kept beside its bundle (WORDS_FILE), so that the vocabulary is made
again from the shards as they are published when one of them is indexed again.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from html import escape, unescape
from pathlib import Path
from typing import Iterable, Mapping

from .shards import INDEXED_END, INDEXED_START

WORDS_FILE = "ord.txt.gz"
"""A shard's words, one a line with the number of its pages that hold it after a tab, in
its bundle's folder."""
SHARD_KEY = "_shard"
"""The filter that names a vocabulary page's shard; search.js gives each merged shard the same."""
VOCABULARY_KEY = "_vocabulary"
"""The filter of every vocabulary page, by which search.js leaves them out of the results."""

# What Pagefind 1.5.2 reads of a page (pagefind/src/fossick/parser.rs): the text of the
# data-pagefind-body element, without the elements marked data-pagefind-ignore and those
# it always leaves out; the text of a block element (and a <br>) kept apart by a space,
# of any other element run together with its neighbours'.
LEFT_OUT = "head|style|script|noscript|label|form|svg|footer|nav|iframe|template"
LEFT_OUT_TAG = re.compile(rf"<({LEFT_OUT})[\s/>]")  # our templates write tags in lower case
IGNORE = "data-pagefind-ignore"
TAG_NAME = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
SPACED_TAG = re.compile(r"</?(?:h[1-6]|p|td|div|ul|li|article|section|br)\b[^>]*>")
OTHER_TAG = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)
IMAGE = re.compile(r"<img\b[^>]*>")  # Pagefind makes metadata of an image's alt and src (image, image_alt)
IMAGE_TEXT = re.compile(r'\b(?:alt|src)="([^"]*)"')
META = re.compile(r'data-pagefind-meta="[^":\[]*"[^>]*>([^<]*)<')  # the form our templates use: <span data-pagefind-meta="dag">…</span>
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


def page_words(html: str) -> set[str]:
    """The words (as whitespace separates them) of the text Pagefind indexes of a page: its
    indexed element's, and its metadata's (searchable since Pagefind 1.5, wherever it is),
    its images' alt texts and addresses among them."""
    start = html.find(INDEXED_START)
    if start < 0:
        return set()
    start = html.find(">", start) + 1
    end = html.rfind(INDEXED_END)
    text = OTHER_TAG.sub("", SPACED_TAG.sub(" ", _without_left_out(html[start:end if end > start else len(html)])))
    metadata = [*META.findall(html), *(value for image in IMAGE.findall(html) for value in IMAGE_TEXT.findall(image))]
    words = set(text.split()) | {word for value in metadata for word in value.split()}
    escaped = {word for word in words if "&" in word}
    return words - escaped | {w for word in escaped for w in unescape(word).split()}  # &nbsp; parts words


def _without_left_out(html: str) -> str:
    kept, position = [], 0
    for start, name in _left_out_starts(html):
        if start < position:
            continue  # inside an element already left out
        kept.append(html[position:start])
        opening_end = html.find(">", start) + 1 or len(html)
        self_closing = name in VOID or html[opening_end - 2:opening_end] == "/>"
        position = opening_end if self_closing else _end_of(html, name, opening_end)
    kept.append(html[position:])
    return "".join(kept)  # as Pagefind: what it leaves out parts no words


def _left_out_starts(html: str) -> list[tuple[int, str]]:
    """Where the elements to leave out open, and their names, in order."""
    starts = [(tag.start(), tag.group(1)) for tag in LEFT_OUT_TAG.finditer(html)]
    found = html.find(IGNORE)
    while found >= 0:
        start = html.rfind("<", 0, found)
        tag = TAG_NAME.match(html, start) if start >= 0 and ">" not in html[start:found] else None
        if tag:  # the attribute of a tag, not words of a text
            starts.append((start, tag.group(1).lower()))
        found = html.find(IGNORE, found + len(IGNORE))
    return sorted(starts)


def _end_of(html: str, name: str, position: int) -> int:
    """Where the element named name that opens before position ends (its nested namesakes
    counted); the end of html if it does not."""
    depth = 1
    for tag in re.compile(rf"<(/?){name}[\s/>]").finditer(html, position):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return html.find(">", tag.start()) + 1 or len(html)
    return len(html)


def shard_words(pages: Iterable[Path]) -> Counter[str]:
    """The words of the text Pagefind indexes of these pages (files), each with the number
    of pages that hold it (by which the search page ranks near words: word_list.py)."""
    words: Counter[str] = Counter()
    for page in pages:
        words.update(page_words(page.read_text(encoding="utf-8")))
    return words


def write_words(bundle: Path, words: Mapping[str, int]) -> None:
    # mtime=0: the same words give the same file
    text = "".join(f"{word}\t{words[word]}\n" for word in sorted(words))
    (bundle / WORDS_FILE).write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def read_words(bundle: Path) -> Counter[str] | None:
    """A bundle's words with their numbers of pages, or None if it has none kept (a bundle
    of an older build)."""
    try:
        text = gzip.decompress((bundle / WORDS_FILE).read_bytes()).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError):
        return None
    lines = [line.split("\t") for line in text.split("\n")[:-1]]
    if (text and not text.endswith("\n")) or any(len(line) != 2 or not line[1].isdecimal() for line in lines):
        return None  # of an older form (a word a line, no numbers)
    return Counter({word: int(count) for word, count in lines})


def vocabulary_pages(words_by_shard: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """One page per shard (by its name, also the page's file name), holding its words."""
    return {name: (
        '<!doctype html>\n<html lang="sv"><head><meta charset="utf-8"><title>' + escape(name) + "</title></head>\n"
        f'<body data-pagefind-filter="{VOCABULARY_KEY}:ja">\n<div data-pagefind-ignore data-pagefind-filter="{SHARD_KEY}:{escape(name)}"></div>\n<p>'
        + " ".join(escape(word, quote=False) for word in sorted(words)) + "</p>\n</body></html>\n")
        for name, words in words_by_shard.items()}
