"""The words of a Pagefind bundle, read from its own index files: what the word list
(minutes_archive/word_list.py) must hold, checked against Pagefind rather than against our
model of what it reads (shard_words.page_words).

An index chunk (`index/*.pf_index`) is gzip of b"pagefind_dcd" and a CBOR document
(RFC 8949): [[[word, [[page, locations, metadata locations], ...], [[variant, pages], ...]], ...]],
where a variant is the word as a page wrote it, with its diacritics ("å" under "a").
Pagefind 1.5 writes only CBOR's integers, strings and arrays; the rest are refused."""

from __future__ import annotations

import gzip
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


def _decoded(data: bytes, at: int = 0) -> tuple[object, int]:
    """The CBOR item that begins at `at`, and where the next begins."""
    head = data[at]
    major, info = head >> 5, head & 0x1F
    at += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        argument, at = int.from_bytes(data[at:at + size], "big"), at + size
    else:
        raise ValueError(f"CBOR item of indefinite length at byte {at - 1}")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major == 3:
        return data[at:at + argument].decode("utf-8"), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _decoded(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"CBOR major type {major} at byte {at - 1}: not one Pagefind's index uses")


def index_chunk(path: Path) -> list:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path}: not a Pagefind index chunk")
    chunk, end = _decoded(data, len(SIGNATURE))
    if end != len(data):
        raise ValueError(f"{path}: {len(data) - end} bytes after the index")
    return chunk


def indexed_words(bundle: Path) -> set[str]:
    """Every word the bundle's index holds, as Pagefind stemmed it, and its variants."""
    words = set()
    for path in sorted((bundle / "index").glob("*.pf_index")):
        [entries] = index_chunk(path)
        for word, _pages, variants in entries:
            words.add(word)
            words.update(variant for variant, _ in variants)
    return words
