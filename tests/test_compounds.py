"""Compound splitting for search."""

import random

import pytest

from minutes_archive.compounds import CompoundSplitter, _containing, part_frequencies, rare_words, swedish_word_frequencies

FREQUENCIES = {
    "kollektiv": 8e-6, "trafik": 3e-5, "plan": 1e-4, "kollektivtrafik": 5e-6,
    "samarbete": 5e-5, "kommittén": 5e-6, "diskussion": 5e-5, "disk": 5e-6, "skola": 3e-5, "buss": 2e-5,
}


def test_parts_are_found_with_linking_s_and_dropped_vowels():
    splitter = CompoundSplitter(FREQUENCIES)
    assert splitter.leaves("Kollektivtrafikplan") == ("kollektiv", "trafik", "plan")
    assert splitter.split("samarbetskommittén") == ("samarbete", "kommittén")
    assert splitter.split("skolbuss") == ("skola", "buss")


def test_common_words_and_short_parts_stay_whole():
    splitter = CompoundSplitter(FREQUENCIES)
    assert splitter.split("diskussion") == ()
    assert splitter.split("trafikal") == ()  # 'al' is no part of four letters


@pytest.mark.parametrize("word", ["förslaget", "gemensamma", "fortsatt", "föreslår", "genomföra"])
def test_a_common_word_is_not_split_however_common_its_seeming_parts(word):
    # förs + laget, gemene + samma, fort + satt: parts more common than the word itself
    assert CompoundSplitter(swedish_word_frequencies()).split(word) == ()


def test_search_terms_are_the_runs_of_parts_the_word_does_not_start_with():
    splitter = CompoundSplitter(FREQUENCIES)
    # kollektiv and kollektivtrafik: Pagefind finds the word by its beginning already
    assert splitter.search_terms("Remiss av Kollektivtrafikplan 2050") == ["trafik", "trafikplan", "plan"]
    # a part in another form than it is written in is kept, a run of such forms is not
    assert splitter.split("samarbetskommittén") == ("samarbete", "kommittén")
    assert splitter.search_terms("samarbetskommittén") == ["samarbete", "kommittén"]


def test_archive_vocabulary_and_author_splits_count():
    splitter = CompoundSplitter({}, vocabulary=["albyberg", "terminalen"], fixed={"Ekonomiutskottet": ["ekonomi", "utskottet"]})
    assert splitter.split("albybergsterminalen") == ("albyberg", "terminalen")
    assert splitter.split("ekonomiutskottet") == ("ekonomi", "utskottet")


def test_a_part_as_written_wins_over_a_more_common_word_with_a_guessed_vowel():
    splitter = CompoundSplitter(swedish_word_frequencies())
    assert splitter.split("sammanställningen") == ("samman", "ställningen")  # not samm(a) + anställningen
    assert splitter.split("testarkivets") == ("test", "arkivets")  # not test(a) + arkivets


@pytest.mark.parametrize("word, part", [
    ("Kollektivtrafikplan", "trafikplan"),
    ("Södertäljebroarna", "broarna"),
    ("planeringskonferensen", "konferensen"),
    ("transportinfrastrukturplaneringen", "infrastruktur"),
    ("beredskapslager", "lager"),
    ("Kommunfullmäktige", "fullmäktige"),
])
def test_swedish_word_list_splits_the_archive_compounds(word, part):
    assert part in CompoundSplitter(swedish_word_frequencies()).search_terms(word)


def test_words_containing_a_part_are_found_as_one_by_one_comparison_would():
    rng = random.Random(6)
    for _ in range(2000):
        words = {"".join(rng.choice("abå") for _ in range(rng.randint(1, 7))) for _ in range(rng.randint(0, 25))}
        parts = {"".join(rng.choice("abå") for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(0, 4))}
        assert _containing(words, parts) == {w for w in words if any(p in w and p != w for p in parts)}


@pytest.mark.parametrize("word", ["aviserat", "justerare", "justering", "riskeras", "debatterat", "kopplade", "värderingarna"])
def test_a_form_of_a_verb_is_not_split_at_its_ending(word):
    # avis + erat, juste + rare, juste + ring, risk + eras: the ending of avisera, justera, ...
    splitter = CompoundSplitter(part_frequencies(), (), {}, rare_words())
    assert splitter.split(word) == ()


def test_a_verb_form_keeps_the_split_of_its_verb():
    splitter = CompoundSplitter(part_frequencies(), (), {}, rare_words())
    assert splitter.split("misshandlade") == ("miss", "handlade")  # not miss + hand + lade
    assert "planeringen" in splitter.search_terms("regionplaneringen")  # regionplanera is no verb


def test_a_verb_known_only_as_rare_or_from_the_archive_counts():
    # avisera is rarer than any part; without the rare words, aviserat is avis + erat
    frequencies = {"avis": 3e-6, "erat": 5e-6}
    assert CompoundSplitter(frequencies).split("aviserat") == ("avis", "erat")
    assert CompoundSplitter(frequencies, rare=frozenset({"avisera"})).split("aviserat") == ()
    assert CompoundSplitter(frequencies, vocabulary=["avisera"]).split("aviserat") == ()
