"""The search query suite over the fixture archive: what staff type, and where it must lead.

Each query names the meeting that must come first and, with '#', the agenda item or decision
that must be among that result's sub-results. Run by tests/test_search_browser.py, which
prints success@1 and the mean reciprocal rank.
"""

import collections
import random
import re
import unicodedata
from pathlib import Path

M2019_LG = "/moten/2019/2019-05-17-ledningsgruppen/"
M2019_SK = "/moten/2019/2019-10-24-samarbetskommitten/"
M2020_LG = "/moten/2020/2020-03-13-ledningsgruppen/"
M2020_SK = "/moten/2020/2020-09-24-samarbetskommitten/"
M2021_LG = "/moten/2021/2021-02-05-ledningsgruppen/"
M2021_SK = "/moten/2021/2021-04-22-samarbetskommitten/"

QUERIES = [
    # typed without å, ä, ö
    {"kind": "diacritics", "q": "sodertaljebron", "first": M2019_LG + "#p2"},
    {"kind": "diacritics", "q": "naringslivschefer", "first": M2019_LG + "#p3"},
    {"kind": "diacritics", "q": "kompetensforsorjning", "first": M2021_LG + "#p4"},
    {"kind": "diacritics", "q": "vagplanen", "first": M2019_LG + "#p2"},
    {"kind": "diacritics", "q": "sjoberg", "first": M2021_LG + "#p4"},
    # inflected forms
    {"kind": "inflection", "q": "kombiterminaler", "first": M2021_LG + "#p2"},
    {"kind": "inflection", "q": "busslinjerna", "first": M2019_SK + "#p3"},
    {"kind": "inflection", "q": "undersköterska", "first": M2021_LG + "#p4"},
    {"kind": "inflection", "q": "verksamhetsberättelsen", "first": M2021_SK + "#p4"},
    {"kind": "inflection", "q": "budgeten", "first": M2019_SK + "#p2-b2"},
    # a part of a compound word
    {"kind": "compound", "q": "trafikplan", "first": M2020_SK + "#p3"},
    {"kind": "compound", "q": "bron", "first": M2019_LG + "#p2"},
    {"kind": "compound", "q": "konferensen", "first": M2019_SK + "#p2-b3"},
    {"kind": "compound", "q": "utrustning", "first": M2020_LG + "#p3"},
    {"kind": "compound", "q": "förstärkning", "first": M2019_LG + "#p2"},
    {"kind": "compound", "q": "enkät", "first": M2019_LG + "#p3"},
    {"kind": "compound", "q": "stationen", "first": M2019_SK + "#p3"},
    {"kind": "compound", "q": "samordning", "first": M2021_SK + "#p3-b1"},
    # synonyms from topics.yaml
    {"kind": "synonym", "q": "corona", "first": M2020_LG + "#p3"},
    {"kind": "synonym", "q": "coronapandemin", "filters": {"år": "2021", "organ": "Ledningsgruppen"}, "first": M2021_LG + "#p3"},
    {"kind": "synonym", "q": "lokaltrafik", "filters": {"år": "2019"}, "first": M2019_SK + "#p3"},
    # filters
    {"kind": "filter", "q": "södertörn", "filters": {"kommun": "Haninge"}, "first": M2019_LG + "#p2"},
    {"kind": "filter", "q": "näringsliv", "filters": {"organ": "Samarbetskommittén"}, "first": M2020_SK + "#p4"},
    {"kind": "filter", "q": "arbetsmarknaden", "filters": {"år": "2019"}, "first": M2019_SK + "#p4"},
    {"kind": "filter", "q": "trafikverket", "filters": {"år": "2021"}, "first": M2021_LG + "#p2-b1"},
    {"kind": "filter", "q": "pandemin", "filters": {"ämne": "Covid-19", "år": "2021"}, "first": M2021_SK + "#p3"},
    # quoted phrases
    {"kind": "phrase", "q": '"Region Stockholm senast"', "first": M2020_SK + "#p3-b2"},
    {"kind": "phrase", "q": '"Trafikverkets tidplan"', "first": M2019_LG + "#p2-b3"},
    {"kind": "phrase", "q": '"nationella restriktionerna"', "first": M2021_LG + "#p3"},
    # the meeting's facts: the place and the weekday are found like any other words
    {"kind": "facts", "q": "digitalt", "filters": {"år": "2021", "organ": "Samarbetskommittén"}, "first": M2021_SK},
    {"kind": "facts", "q": "fredag", "filters": {"år": "2019"}, "first": M2019_LG},
    # decisions
    {"kind": "decision", "q": "vaccinationssamordning", "first": M2021_SK + "#p3-b1"},
    {"kind": "decision", "q": "redaktionella", "first": M2020_SK + "#p3-b3"},
    {"kind": "decision", "q": "inventerar", "first": M2020_LG + "#p3-b1"},
    {"kind": "decision", "q": "beredskapslager", "first": M2020_LG + "#p3"},
    {"kind": "decision", "q": "albybergsterminalen", "first": M2021_LG + "#p2"},
]


def random_queries(archive: Path, seed: int, count: int) -> list[tuple[str, dict]]:
    """Queries made of an archive's own words, the same for a seed: single words (many in
    one meeting only), two words of one meeting or of any two, the start of a long word,
    two neighbouring words quoted, a word without its å, ä, ö, a word in capitals; some
    with a filter. For comparing a sharded search with one index's, where hand-picked
    queries cover only the cases someone thought of."""
    rng = random.Random(seed)
    texts = [path.read_text(encoding="utf-8") for path in sorted(archive.glob("**/*.md"))]
    word = re.compile(r"[^\W\d_]{3,}|\d{4}")
    in_meetings = collections.Counter(w for text in texts for w in {w.lower() for w in word.findall(text)})
    words = sorted(in_meetings)
    long_words = [w for w in words if len(w) > 6]
    with_diacritics = [w for w in words if _without_diacritics(w) != w]

    def neighbours() -> str:
        found = word.findall(rng.choice(texts))
        at = rng.randrange(len(found) - 1)
        return f'"{found[at]} {found[at + 1]}"'

    makers = [
        lambda: rng.choice(words),
        lambda: rng.choice([w for w in words if in_meetings[w] == 1]),
        lambda: " ".join(rng.sample(sorted({w.lower() for w in word.findall(rng.choice(texts))}), 2)),
        lambda: f"{rng.choice(words)} {rng.choice(words)}",
        lambda: (lambda w: w[: max(3, len(w) * 2 // 3)])(rng.choice(long_words)),
        neighbours,
        lambda: _without_diacritics(rng.choice(with_diacritics)),
        lambda: rng.choice(words).upper(),
    ]
    municipalities = ["Botkyrka", "Haninge", "Huddinge", "Nykvarn", "Nynäshamn", "Salem", "Södertälje", "Tyresö"]
    queries = []
    for _ in range(count):
        term, chance = rng.choice(makers)(), rng.random()
        filters = {"kommun": [rng.choice(municipalities)]} if chance < 0.15 else {"typ": [rng.choice(["beslut", "möte"])]} if chance < 0.25 else {}
        queries.append((term, filters))
    return queries


def _without_diacritics(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
