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
split into files by the first two characters of a word (sok/ord/ko.txt), so that a
query fetches one small file per word. Each file is the sorted words, one a line; the
file FILES lists the files, so that a file not there means no words, not a list not
there (then the search page looks up nothing).
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


def file_name(form: str) -> str:
    """The file that holds words beginning as form does: its first two characters, each
    one outside a-z and 0-9 written _ (search.js names them the same way)."""
    return "".join(c if c in FILE_CHARACTERS else "_" for c in form[:2]) + ".txt"


def word_list_files(words: Iterable[str]) -> dict[str, str]:
    """The word list of pages with these words, by file name."""
    files: dict[str, set[str]] = {}
    for word in words:
        for form in word_forms(word):
            files.setdefault(file_name(form), set()).add(form)
    return {name: "\n".join(sorted(forms)) + "\n" for name, forms in sorted(files.items())}


def write_word_list(folder: Path, words: Iterable[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    files = word_list_files(words)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / FILES).write_text(json.dumps({"files": [name.removesuffix(".txt") for name in files]}), encoding="utf-8")
