"""Parse stage: front matter and registries to the model; every error with its line."""

import datetime as dt

from minutes_archive.parse import parse_content
from minutes_archive.read import read_content

from conftest import BODIES_YAML, MUNICIPALITIES_YAML, SITE_YAML, TOPICS_YAML

PATH = "minutes/2021/m.md"


def parse(content):
    return parse_content(read_content(content))


def errors_of(content):
    return [f"{e.path.rsplit('content/', 1)[-1]}:{e.line}: {e.message}" for e in parse(content).errors]


def minutes(front_matter: str, body: str = "## 1. Punkt\n\nText.\n") -> dict:
    return {PATH: f"---\n{front_matter}---\n\n{body}"}


def test_full_front_matter_becomes_a_meeting(make_content):
    content = make_content(minutes(
        "date: 2021-01-22\n"
        "time: 08.30–11.00\n"
        "place: Digitalt\n"
        "body: Samarbetskommittén\n"
        "document: protokoll\n"
        "status: Utkast\n"
        "chair: A\nsecretary: B\nadjusters: [C, D]\n"
        "attendees:\n"
        "  - {name: Eva, municipality: HANINGE, note: endast punkt 2}\n"
        "  - {name: Olle, municipality: Nynäshamns kommun, role: ordförande}\n"
        "  - Lisa\n"
        "absent:\n  - {name: Per, municipality: tyreso}\n"
        "topics: [Näringsliv]\n",
        "## 1. Om corona\n\nText.\n\n## 2. Annat\n\nI Tyresö.\n",
    ))
    meeting = next(m for m in parse(content).meetings if m.date.year == 2021)
    assert meeting.date == dt.date(2021, 1, 22)
    assert (meeting.body, meeting.document, meeting.status) == ("samarbetskommitten", "protokoll", "utkast")
    assert meeting.time == "08.30–11.00"
    assert meeting.title == "Samarbetskommittén 2021-01-22"
    assert meeting.adjusters == ("C", "D")
    assert [(a.name, a.municipality, a.role, a.note) for a in meeting.attendees] == [
        ("Eva", "haninge", None, "endast punkt 2"),
        ("Olle", "nynashamn", "ordförande", None),
        ("Lisa", None, None, None),
    ]
    assert meeting.absent[0].municipality == "tyreso"
    assert [i.topics for i in meeting.items] == [("covid-19", "naringsliv"), ("naringsliv",)]
    assert meeting.items[1].municipalities == ("tyreso",)
    assert meeting.topics == ("covid-19", "naringsliv")
    assert meeting.municipalities == ("haninge", "nynashamn", "tyreso")
    assert meeting.url == "/moten/2021/2021-01-22-samarbetskommitten/"


def test_the_names_of_the_meetings_people_are_not_split_into_search_words(make_content):
    content = make_content(minutes(
        "date: 2021-01-22\nbody: ledningsgruppen\nchair: Maria Lindholm\n"
        "attendees: [{name: Per Lindberg, municipality: haninge}]\n",
        "## 1. Smittskydd\n\nMaria Lindholm och Per Lindberg redogör för smittskyddsarbetet.\n",
    ))
    meeting = next(m for m in parse(content).meetings if m.date.year == 2021)
    terms = " ".join(parts for _, parts in meeting.search_terms["p1"].compounds).split()
    assert "skydd" in terms  # smittskyddsarbetet is split
    assert not {"linda", "holm", "berg"} & set(terms)  # a search for Linda must not find Lindholm


def test_unquoted_times_are_read_as_written(make_content):
    content = make_content(minutes("date: 2021-01-22\ntime: 18:30\nbody: ledningsgruppen\nattendees: []\n"))
    assert parse(content).errors == ()
    assert {m.time for m in parse(content).meetings} == {"18:30", "08.30–11.00"}


def test_every_front_matter_error_is_reported_at_once(make_content):
    content = make_content(minutes(
        "date: 2021-02-30\n"
        "body: ledningsgrupen\n"
        "tittle: Möte\n"
        "status: klart\n"
        "attendees:\n"
        "  - {name: Eva, municipality: hanige}\n"
        "  - {municipality: haninge}\n"
        "  - {name: Olle, kommun: haninge}\n"
        "topics: [covid]\n"
    ))
    assert errors_of(content) == [
        f"{PATH}:2: invalid date '2021-02-30': day is out of range for month",
        f"{PATH}:3: unknown body 'ledningsgrupen'; did you mean 'ledningsgruppen'?",
        f"{PATH}:4: unknown key 'tittle'; did you mean 'title'? (allowed: absent, adjusters, allow_personal_numbers, attendees, body, chair, date, document, place, secretary, status, time, title, topics)",
        f"{PATH}:5: status must be one of justerat, utkast (got 'klart')",
        f"{PATH}:7: unknown municipality 'hanige'; did you mean 'haninge'?",
        f"{PATH}:8: a person in attendees has no name",
        f"{PATH}:9: unknown key 'kommun' (allowed: municipality, name, note, role)",
        f"{PATH}:10: unknown topic 'covid'; did you mean 'covid-19'?",
    ]


def test_a_duplicate_key_is_reported_with_the_files_other_problems(make_content):
    content = make_content(minutes("date: 2021-02-30\nbody: ledningsgruppen\nplace: A\nplace: B\ntittle: Möte\nattendees: []\n",
                                   "## 1. Punkt\n\n[Länk](javascript:alert(1))\n"))
    assert errors_of(content) == [
        f"{PATH}:2: invalid date '2021-02-30': day is out of range for month",
        f"{PATH}:5: duplicate key 'place' (first on line 4)",
        f"{PATH}:6: unknown key 'tittle'; did you mean 'title'? (allowed: absent, adjusters, allow_personal_numbers, attendees, body, chair, date, document, place, secretary, status, time, title, topics)",
        f"{PATH}:12: link scheme 'javascript:' is not allowed (only http, https, mailto and relative links): 'javascript:alert(1)'",
    ]


def test_missing_required_fields(make_content):
    content = make_content(minutes("place: Här\n"))
    assert errors_of(content) == [
        f"{PATH}:2: missing required field 'attendees'",
        f"{PATH}:2: missing required field 'body'",
        f"{PATH}:2: missing required field 'date'",
    ]


def test_dates_must_be_iso(make_content):
    content = make_content(minutes("date: 20/11 2020\nbody: ledningsgruppen\nattendees: []\n"))
    assert errors_of(content) == [f"{PATH}:2: date must be written YYYY-MM-DD, such as 2020-11-20 (got '20/11 2020')"]


def test_text_fields_refuse_lists(make_content):
    content = make_content(minutes("date: 2021-01-22\nbody: ledningsgruppen\nattendees: []\nplace: [a, b]\n"))
    assert errors_of(content) == [f"{PATH}:5: 'place' must be text, not a list"]


def test_errors_in_two_files_are_both_reported(make_content):
    content = make_content({
        "minutes/2021/a.md": "---\ndate: 2021-01-01\nbody: x\nattendees: []\n---\n",
        "minutes/2021/b.md": "---\ndate: 2021-01-02\nbody: y\nattendees: []\n---\n",
    })
    assert errors_of(content) == ["minutes/2021/a.md:3: unknown body 'x'", "minutes/2021/b.md:3: unknown body 'y'"]


def test_registry_errors(make_content):
    content = make_content({
        "site.yaml": SITE_YAML.replace("language: sv", "language: sv-SE") + "colour: blue\n",
        "municipalities.yaml": MUNICIPALITIES_YAML + "Botkyrka: {name: Botkyrka}\nsalem: {name: Haninge}\n",
        "topics.yaml": TOPICS_YAML + "kort: {name: Kort, keywords: [ab]}\n",
        "bodies.yaml": BODIES_YAML,
    })
    assert errors_of(content) == [
        "municipalities.yaml:4: key 'Botkyrka' must be a lowercase ASCII slug (letters, digits, '-')",
        "municipalities.yaml:5: name 'Haninge' of 'salem' is already used by 'haninge'",
        "site.yaml:4: language must be 'sv' (got 'sv-SE'): search and templates are Swedish",
        "site.yaml:7: unknown key 'colour' (allowed: accessibility, base_url, contact_email, description, language, organisation, title)",
        "topics.yaml:3: keyword 'ab' is too short to match reliably (3 letters or more)",
    ]


def test_base_url_override_replaces_site_yaml(make_content):
    parsed = parse_content(read_content(make_content()), base_url="http://127.0.0.1:8000/sub")
    assert parsed.registry.site.base_url == "http://127.0.0.1:8000/sub/"
    assert parsed.registry.site.base_path == "/sub/"


def test_compounds_yaml_is_optional_and_checked(make_content):
    content = make_content({"compounds.yaml": "Ekonomiutskottet: [ekonomi, utskottet]\nOrd: [ett]\n"})
    parsed = parse(content)
    assert [f"{e.line}: {e.message}" for e in parsed.errors] == ["2: 'Ord' needs at least two parts (Ord: [första, andra]), or none to keep it whole (Ord: [])"]
    content.joinpath("compounds.yaml").write_text("Ekonomiutskottet: [ekonomi, utskottet]\nHandskar: []\n", encoding="utf-8")
    assert parse(content).registry.compounds == {"Ekonomiutskottet": ("ekonomi", "utskottet"), "Handskar": ()}


def test_topic_synonyms(make_content):
    content = make_content({"topics.yaml": "covid-19: {name: Covid-19, keywords: [covid], synonyms: [corona, pandemin]}\n"})
    assert parse(content).registry.topics["covid-19"].synonyms == ("corona", "pandemin")


def test_municipalities_are_found_by_name_genitive_and_aliases_of_several_words():
    from minutes_archive.model import Municipality, Topic
    from minutes_archive.vocabulary import TextMatcher

    matcher = TextMatcher(
        {"stockholm": Municipality("stockholm", "Stockholm", ("Stockholms stad",)),
         "region": Municipality("region", "Region Stockholm", ("SLL",)),
         "salem": Municipality("salem", "Salem", ())},
        {"trafik": Topic("trafik", "Trafik", "", ("trafik", "väg och bana"))})
    assert matcher.find("Region Stockholm och Salems kommun") == ({"region", "stockholm", "salem"}, set())
    assert matcher.find("Regionstockholm, stockholmsregionen, salemska") == (set(), set())
    assert matcher.find("Region Stockholms trafikplan") == ({"region", "stockholm"}, {"trafik"})  # genitives
    assert matcher.find("region stockholmsområdet") == (set(), set())  # a phrase ends where a word does
    assert matcher.find("Kollektivtrafik, väg och banan") == (set(), {"trafik"})  # a keyword begins a word


def test_the_accessibility_statements_date_must_be_a_date(make_content):
    site = SITE_YAML + "accessibility:\n  status: delvis förenlig\n  assessed: 2026-02-30\n"
    errors = [e.message for e in parse(make_content({"site.yaml": site})).errors]
    assert errors == ["assessed must be a date written YYYY-MM-DD (got '2026-02-30')"]
