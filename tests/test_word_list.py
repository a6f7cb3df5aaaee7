"""The archive's word list, by which the search page tells a word of a query that no page holds."""

import json

from minutes_archive.word_list import folded, word_forms, word_list_files, write_word_list


def test_words_are_folded_as_pagefind_folds_them():
    assert folded("Södertörns") == "sodertorns"
    assert folded("ÅRSREDOVISNING") == "arsredovisning"
    assert folded("Émile") == "emile"


def test_a_word_is_listed_as_written_without_its_punctuation_and_as_each_join_of_its_parts():
    assert word_forms("Norvik.") == {"Norvik"}
    assert word_forms("(Tyresö)") == {"Tyresö"}
    # As Pagefind indexes "KS 2024/123": 2024123, 2024 and 123.
    assert word_forms("2024/123") == {"2024123", "2024", "123"}
    assert word_forms("08.30–11.00") == {"08", "30", "11", "00", "0830", "3011", "1100", "083011", "301100", "08301100"}


def test_no_form_shorter_than_two_characters_is_listed():
    assert word_forms("i") == set()
    assert word_forms("§") == set()
    assert word_forms("a-b") == {"ab"}
    assert word_forms("Å") == set()  # two bytes, one character folded


def test_a_word_of_many_parts_lists_each_part_and_their_whole_join():
    parts = ["alfa", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"]
    assert word_forms("-".join(parts)) == {*parts, "".join(parts)}


def test_the_files_hold_the_words_sorted_by_their_folded_forms_each_known_by_its_first():
    files = word_list_files(["Kommunen", "kommunerna", "Kostnad.", "Salem", "i", "Åtgärd", "ater", "Öster"])
    assert files == [("ater", "ater\nÅtgärd\nKommunen\nkommunerna\nKostnad\nÖster\nSalem\n")]


def test_the_words_are_cut_into_files_of_at_most_so_many_never_between_two_ways_of_writing_one():
    words = ["Berg", "berg", "Bergs", "bergs", "beslut", "Botkyrka", "ßa", "2020", "𝔘nicode", "ﬁrma", "z"]
    files = word_list_files(words, most=2)
    assert files == [("2020", "2020\nBerg\nberg\n"), ("bergs", "Bergs\nbergs\n"), ("beslut", "beslut\nBotkyrka\n"),
                     # by UTF-16 code units, as JavaScript compares: 𝔘 (U+1D518, D835 DD18) before ﬁ (U+FB01)
                     ("ßa", "ßa\n𝔘nicode\n"), ("ﬁrma", "ﬁrma\n")]
    listed = [line.partition("\t")[0] for _, text in files for line in text.splitlines()]
    assert sorted(listed) == sorted({form for word in words for form in word_forms(word)})  # each word once


def test_a_form_on_more_than_one_page_is_listed_with_their_number():
    """Summed over the words it is a part of; none written for a form on one page."""
    files = word_list_files({"InfoMentor": 3, "Info": 2, "Salem": 1, "salem": 4})
    assert files == [("info", "Info\t5\nInfoMentor\t3\nMentor\t3\nSalem\nsalem\t4\n")]


def test_the_list_is_written_with_the_names_of_its_files_in_order(tmp_path):
    write_word_list(tmp_path / "ord", ["Haninge", "Huddinge", "2020", "Östra"], most=2)
    files = json.loads((tmp_path / "ord" / "filer.json").read_text(encoding="utf-8"))["files"]
    assert [first for first, _ in files] == ["2020", "huddinge"]
    assert (tmp_path / "ord" / files[1][1]).read_text() == "Huddinge\nÖstra\n"
    assert files[0][1].startswith("0.") and files[1][1].startswith("1.") and files[1][1].endswith(".txt")
    backwards = json.loads((tmp_path / "ord" / "bakifran.json").read_text(encoding="utf-8"))["files"]
    assert [first for first, _ in backwards] == ["0202", "egnidduh"]  # 0202, artso; egnidduh, egninah
    assert (tmp_path / "ord" / backwards[1][1]).read_text() == "Huddinge\nHaninge\n"
    assert backwards[0][1].startswith("b0.")
    assert sorted(path.name for path in (tmp_path / "ord").iterdir()) == sorted([name for _, name in files + backwards] + ["filer.json", "bakifran.json"])


def test_the_words_read_backwards_are_cut_into_runs_as_forwards():
    files = word_list_files({"Berg": 1, "berg": 2, "sorg": 1, "tåg": 3, "𝔘": 1, "Ö𝔘": 1}, most=1, backwards=True)
    assert files == [("gat", "tåg\t3\n"), ("greb", "Berg\nberg\t2\n"), ("gros", "sorg\n"), ("𝔘o", "Ö𝔘\n")]


def test_a_files_name_changes_with_its_words(tmp_path):
    write_word_list(tmp_path / "a", ["Haninge", "Huddinge"], most=1)
    write_word_list(tmp_path / "b", ["Haninge", "Hudiksvall"], most=1)
    first, second = (json.loads((tmp_path / name / "filer.json").read_text())["files"] for name in "ab")
    assert first[0] == second[0] and first[1][1] != second[1][1]


def test_a_word_is_listed_in_the_parts_pagefind_cuts_it_into():
    assert word_forms("InfoMentor") == {"Info", "Mentor", "InfoMentor"}
    assert word_forms("COVID19") == {"COVID", "19", "COVID19"}
    assert word_forms("200tkr,") == {"200", "tkr", "200tkr"}
    assert word_forms("ÅRSredovisning") == {"ÅR", "Sredovisning", "ÅRSredovisning"}
    assert word_forms("SKRs") == {"SK", "Rs", "SKRs"}
    assert word_forms("Södertörn") == {"Södertörn"}
