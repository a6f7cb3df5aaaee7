"""The archive's word list, by which the search page tells a word of a query that no page
holds.

Pagefind matches a query word to the indexed words that begin with its stem; where none
does, it answers as if the query had the longest indexed word that the query word begins
with, or had not that word at all: "ikjhgfd" found every page with "i", and "Haninge
xyzzy" every Haninge meeting. Staff would take that for an answer. So the search page
(templates/assets/search.js) first looks up each word of a query here, and answers a
query with a word that no page's words begin with by no results, saying which word.

The list holds the words of the text Pagefind indexes (shard_words.page_words), and the
runs of letters and digits in them and their joins (Pagefind indexes "KS 2024/123" as
2024123, 2024 and 123), as the pages write them: the search page folds them as Pagefind
does (lower case, without diacritics) to look a word up, and offers the nearest as written
("Menade du ”Södertörn”?") for a word that no page holds. It is split into files by the
first two characters of a word folded (sok/ord/ko…), or more where many words begin alike
(sok/ord/2015…), so that a query fetches at most one small file per word. Each file is the
words sorted by their folded form, one a line; the file FILES lists the files by key, so
that a word that begins as a key does is held without fetching its file, and a file not
listed means no words, not a list not there (then the search page looks up nothing).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path
from typing import Iterable

WORD_LIST_FOLDER = "sok/ord"
"""Below the site root; its URL is the same path."""
RUN = re.compile(r"[^\W_]+")
"""A run of letters and digits."""
_UPPER, _LOWER = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"
PART = re.compile(rf"\d+|[{_UPPER}]+(?![{_LOWER}])|[{_UPPER}]?[^\W\d_{_UPPER}]+|[^\W\d_]+")
"""A part of a run: digits; capitals not followed by a small letter (COVID, the SKR of
SKRs); a word with at most its first letter a capital; else letters (of scripts without
case, or capitals beyond Latin-1)."""
MOST_PARTS = 8
"""A word with more parts than this has only each part and their whole join listed."""
FILES = "filer.json"
"""The list's files by key: {"files": {"ko": "ko.3f2a9c1e.txt", ...}}. Written last."""
FORMAT = 3
"""Of the list (the words it holds, its files): in its fingerprint, so that a list of an
older form is made again (shards.shard_fingerprints). 2: parts of words, hashed names;
3: the words as written, not folded."""
MOST_WORDS = 1000
"""At most this many words a file (about 10 KB), but those no longer than its name."""
FILE_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def folded(text: str) -> str:
    """text as Pagefind indexes it and as search.js looks it up: without its diacritics
    (the combining marks of its canonical decomposition), in lower case."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.category(c).startswith("M")).lower()


def word_forms(word: str) -> set[str]:
    """The forms of a word of a page that the list holds: the joins of consecutive parts of
    it, as written, of two characters or more folded (the search page looks up no shorter
    start of a word). Its parts are its runs of letters and digits, cut where a small letter
    meets a capital, a capital begins a small-letter word after capitals, or letters meet
    digits: Pagefind indexes InfoMentor as info and mentor, and COVID19 as covid and 19."""
    parts = [part for run in RUN.findall(word) for part in PART.findall(run)]
    if len(parts) > MOST_PARTS:
        forms = {*parts, "".join(parts)}
    else:
        forms = {"".join(parts[start:end]) for start in range(len(parts)) for end in range(start + 1, len(parts) + 1)}
    return {form for form in forms if len(folded(form)) >= 2}


def file_key(form: str, length: int) -> str:
    """The first length characters of a folded form, each one outside a-z and 0-9 written _
    (as word-list.js writes them)."""
    return "".join(c if c in FILE_CHARACTERS else "_" for c in form[:length])


def word_list_files(words: Iterable[str], most: int = MOST_WORDS) -> dict[str, str]:
    """The word list of pages with these words, by the key of each file: a file for each
    first two characters of the words folded; one of more than most words split into a file
    for each first three characters, and so on, the words no longer than its key kept in it."""
    fold = {form: folded(form) for word in words for form in word_forms(word)}
    files: dict[str, set[str]] = {}
    groups = [(2, _grouped(fold, fold, 2))]
    while groups:
        length, grouped = groups.pop()
        for key, group in grouped.items():
            if len(group) <= most:
                files[key] = group
                continue
            short = {form for form in group if len(fold[form]) <= length}
            if short:
                files[key] = short
            groups.append((length + 1, _grouped(group - short, fold, length + 1)))
    return {key: "\n".join(sorted(group, key=lambda form: (fold[form], form))) + "\n" for key, group in sorted(files.items())}


def _grouped(forms: Iterable[str], fold: dict[str, str], length: int) -> dict[str, set[str]]:
    grouped: dict[str, set[str]] = {}
    for form in forms:
        grouped.setdefault(file_key(fold[form], length), set()).add(form)
    return grouped


def write_word_list(folder: Path, words: Iterable[str], most: int = MOST_WORDS) -> None:
    """Each file under a name with a digest of its words (ko.3f2a9c1e.txt), so that a page
    opened before a new list was published, or a cached file, finds no file of another
    list (and then leaves the answer to Pagefind) rather than a wrong one; FILES names them
    by key, last."""
    folder.mkdir(parents=True, exist_ok=True)
    names = {}
    for key, text in word_list_files(words, most).items():
        names[key] = f"{key}.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:10]}.txt"
        (folder / names[key]).write_text(text, encoding="utf-8")
    (folder / FILES).write_text(json.dumps({"files": names}, sort_keys=True), encoding="utf-8")
