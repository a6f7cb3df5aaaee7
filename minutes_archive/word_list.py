"""The archive's word list, by which the search page tells a word of a query that no page
holds.

Pagefind matches a query word to the indexed words that begin with its stem; where none
does, it answers as if the query had the longest indexed word that the query word begins
with, or had not that word at all: "ikjhgfd" found every page with "i", and "Haninge
xyzzy" every Haninge meeting. Staff would take that for an answer. So the search page
(templates/assets/search.js) first looks up each word of a query here, and answers a
query with a word that no page's words begin with by no results, saying which word.

The list holds, folded as Pagefind folds them (lower case, without diacritics), the words
of the text Pagefind indexes (shard_words.page_words), and the runs of letters and digits
in them and their joins (Pagefind indexes "KS 2024/123" as 2024123, 2024 and 123). It is
split into files by the first two characters of a word (sok/ord/ko.txt), or more where
many words begin alike (sok/ord/2015.txt), so that a query fetches at most one small
file per word. Each file is the sorted words, one a line; the file FILES lists the files,
so that a word that begins as a file's name does is held without fetching it, and a file
not there means no words, not a list not there (then the search page looks up nothing).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Iterable

WORD_LIST_FOLDER = "sok/ord"
"""Below the site root; its URL is the same path."""
RUN = re.compile(r"[^\W_]+")
"""A run of letters and digits."""
MOST_RUNS = 8
"""A word with more runs than this has only each run and their whole join listed."""
FILES = "filer.json"
"""The names of the list's files, without .txt: {"files": ["00", "ko", ...]}. Written last."""
MOST_WORDS = 1000
"""At most this many words a file (about 10 KB), but those no longer than its name."""
FILE_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def folded(text: str) -> str:
    """text as Pagefind indexes it and as search.js looks it up: without its diacritics
    (the combining marks of its canonical decomposition), in lower case."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.category(c).startswith("M")).lower()


def word_forms(word: str) -> set[str]:
    """The forms of a word of a page that the list holds: the joins of consecutive runs of
    its letters and digits, folded, of two characters or more (the search page looks up
    no shorter start of a word)."""
    runs = RUN.findall(folded(word))
    if len(runs) > MOST_RUNS:
        forms = {*runs, "".join(runs)}
    else:
        forms = {"".join(runs[start:end]) for start in range(len(runs)) for end in range(start + 1, len(runs) + 1)}
    return {form for form in forms if len(form) >= 2}


def file_key(form: str, length: int) -> str:
    """The first length characters of form, each one outside a-z and 0-9 written _ (as
    word-list.js writes them)."""
    return "".join(c if c in FILE_CHARACTERS else "_" for c in form[:length])


def word_list_files(words: Iterable[str], most: int = MOST_WORDS) -> dict[str, str]:
    """The word list of pages with these words, by file name: a file for each first two
    characters of the words; one of more than most words split into a file for each
    first three characters, and so on, the words no longer than its name kept in it."""
    forms = {form for word in words for form in word_forms(word)}
    files: dict[str, set[str]] = {}
    groups = [(2, _grouped(forms, 2))]
    while groups:
        length, grouped = groups.pop()
        for key, group in grouped.items():
            if len(group) <= most:
                files[key] = group
                continue
            short = {form for form in group if len(form) <= length}
            if short:
                files[key] = short
            groups.append((length + 1, _grouped(group - short, length + 1)))
    return {f"{key}.txt": "\n".join(sorted(group)) + "\n" for key, group in sorted(files.items())}


def _grouped(forms: Iterable[str], length: int) -> dict[str, set[str]]:
    grouped: dict[str, set[str]] = {}
    for form in forms:
        grouped.setdefault(file_key(form, length), set()).add(form)
    return grouped


def write_word_list(folder: Path, words: Iterable[str], most: int = MOST_WORDS) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    files = word_list_files(words, most)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / FILES).write_text(json.dumps({"files": [name.removesuffix(".txt") for name in files]}), encoding="utf-8")
