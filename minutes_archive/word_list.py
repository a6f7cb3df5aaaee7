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
("Menade du ”Södertörn”?") for a word that no page holds; of as near words, the one on the
most pages, so each word is followed by a tab and about how many pages hold it, where more
than one. They are sorted by their folded forms and cut into files of at most MOST_WORDS,
each file known by its first word folded (and again read backwards: BACKWARDS_FILES):
the file FILES lists them in order, so that the search page finds the one file a word
would be in by a binary search, and fetches at most one small file a word (none when the
words that begin as it does start the next file: FILES shows that file's first word). A
list of no files, which a build with pages never writes, is taken by the search page as
a list it cannot read: then Pagefind answers alone, rather than every word be missing.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Iterable, Mapping

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
"""The list's files in order, each with its first word folded:
{"files": [["aaa", "0.3f2a9c1e4b.txt"], ["bokslut", "1.…"], …]}. Written last."""
BACKWARDS_FILES = "bakifran.json"
"""The same words in files sorted by their folded forms read backwards (b0.….txt), in
which the search page looks for the word meant by one misspelt in its first letters:
{"files": [["aaa", "b0.3f2a9c1e4b.txt"], …]}, each file with its first word folded and
read backwards. Written before FILES."""
FORMAT = 6
"""Of the list (the words it holds, its files): in its fingerprint, so that a list of an
older form is made again (shards.shard_fingerprints). 2: parts of words, hashed names;
3: the words as written, not folded; 4: files of consecutive words, not by first letters;
5: with the number of pages of each word on more than one; 6: also read backwards."""
MOST_WORDS = 500
"""At most this many words a file (about 5 KB, 2 KB compressed): the fewer, the more files
FILES lists (about 830 for wordfreq's 340,000 Swedish words: bench/word_list_bench.py)."""


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


def word_list_files(words: Mapping[str, int] | Iterable[str], most: int = MOST_WORDS, backwards: bool = False) -> list[tuple[str, str]]:
    """The files of the word list of pages with these words (each with the number of pages
    it is on, or once a page), in order, each as (its first word's key, its text): the
    words' forms sorted by their keys, their folded forms (read backwards, if backwards),
    by UTF-16 code units as JavaScript compares strings, then as written, and cut into runs
    of at most most, never between two ways of writing one folded form (Berg and berg). A
    form is on the pages of the words it is a part of, summed (a page with both Info and
    InfoMentor, or Info, and Info., counts twice for Info: the number only ranks near
    words)."""
    pages = listed_forms(words)
    return _runs(pages, {form: folded(form) for form in pages}, most, backwards)


def listed_forms(words: Mapping[str, int] | Iterable[str]) -> Counter[str]:
    """The forms the list holds of these words, each with the pages of the words it is a
    form of."""
    pages: Counter[str] = Counter()
    for word, count in (words if isinstance(words, Mapping) else Counter(words)).items():
        for form in word_forms(word):
            pages[form] += count
    return pages


def _runs(pages: Counter[str], fold: dict[str, str], most: int, backwards: bool) -> list[tuple[str, str]]:
    key = {form: folded_form[::-1] for form, folded_form in fold.items()} if backwards else fold
    runs: list[list[str]] = []
    for form in sorted(key, key=lambda form: (key[form].encode("utf-16-be"), form)):
        if not runs or (len(runs[-1]) >= most and key[form] != key[runs[-1][-1]]):
            runs.append([])
        runs[-1].append(form)
    return [(key[run[0]], "".join(f"{form}\t{pages[form]}\n" if pages[form] > 1 else f"{form}\n" for form in run)) for run in runs]


def write_word_list(folder: Path, words: Mapping[str, int] | Iterable[str], most: int = MOST_WORDS) -> None:
    """Each file under its number and a digest of its words (0.3f2a9c1e4b.txt; b0.… for
    the words read backwards), so that a page opened before a new list was published, or a
    cached file, finds no file of another list (and then leaves the answer to Pagefind)
    rather than a wrong one; BACKWARDS_FILES and then FILES list them, last."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = listed_forms(words)
    fold = {form: folded(form) for form in pages}
    for backwards, listing in ((True, BACKWARDS_FILES), (False, FILES)):
        files = []
        for number, (first, text) in enumerate(_runs(pages, fold, most, backwards)):
            name = f"{'b' if backwards else ''}{number}.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:10]}.txt"
            (folder / name).write_text(text, encoding="utf-8")
            files.append([first, name])
        (folder / listing).write_text(json.dumps({"files": files}, ensure_ascii=False), encoding="utf-8")
