"""The real archive in content/: it builds, and the seed minutes are complete."""

import re

import pytest

from minutes_archive.pipeline import load_archive

from conftest import ROOT

SEED = "/moten/2020/2020-11-20-ledningsgruppen/"


@pytest.fixture(scope="module")
def archive():
    return load_archive(ROOT / "content")


@pytest.fixture(scope="module")
def seed(archive):
    return next(m for m in archive.meetings if m.url == SEED)


def test_registries_cover_the_eight_municipalities_and_the_cooperation(archive):
    names = [m.name for m in archive.registry.municipalities.values()]
    assert names == ["Botkyrka", "Haninge", "Huddinge", "Nykvarn", "Nynäshamn", "Salem", "Södertälje", "Tyresö", "Södertörnskommunerna"]
    assert {"covid-19", "infrastruktur", "naringsliv"} <= set(archive.registry.topics)
    assert [b.name for b in archive.registry.bodies.values()] == ["Ledningsgruppen", "Samarbetskommittén"]


def test_seed_front_matter(seed):
    assert (seed.time, seed.place, seed.document, seed.status) == ("08.30–11.00", "Digitalt via Teams", "minnesanteckningar", "justerat")
    assert (seed.chair, seed.secretary, seed.adjusters) == ("Rickard Sundbom", "Anna Söderström", ("Helene Olofsson",))
    assert len(seed.attendees) == 15
    assert [a.name for a in seed.attendees if a.note == "endast punkt 2"] == [
        "Gustav Fridlund", "Anna Kowalska Lindberg", "Anna Berglund", "Pia Forsberg", "David Schubert", "Linnéa Gustavsson",
    ]
    assert [(a.name, a.municipality) for a in seed.absent] == [
        ("Carolina Pettersson", "nynashamn"), ("Rebecka Grunditz", "salem"), ("Jonas Karlsson", "sodertalje"), ("Gunilla Berg", "tyreso"),
    ]


def test_seed_agenda_and_decisions(seed):
    assert [(i.number, i.title) for i in seed.items] == [
        ("1", "Välkommen"), ("2", "Näringslivscheferna gästar"), ("3", "Uppdatering av läget kring Covid-19"),
        ("4", "Föregående möten"), ("5", "Kommande möten"), ("6", "Verksamhetsplan och budget"),
    ]
    assert [d.anchor for d in seed.decisions] == ["p3-b1", "p5-b1", "p5-b2", "p5-b3", "p5-b4", "p5-b5"]
    assert "covid-19" in seed.items[2].topics


def test_seed_is_spelled_correctly(seed):
    text = " ".join(i.text for i in seed.items)
    words = set(re.findall(r"\w+", text))
    for ocr_error in ("Sodertorn", "Nirvarande", "kI", "Besiut", "Besint", "Tyres6", "6ppnat", "f6r", "ir", "dr", "niringslivschefer"):
        assert ocr_error not in words
    for word in ("Södertörn", "Folkhälsomyndighetens", "beredskapslager", "Södertäljebroarna", "årsredovisning"):
        assert word in text
