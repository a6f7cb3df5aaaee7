"""The archive's word list, by which the search page tells a word of a query that no page holds."""

import json

from minutes_archive.word_list import file_key, folded, word_forms, word_list_files, write_word_list


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


def test_a_file_holds_the_words_that_begin_with_its_two_characters():
    assert file_key("kommun", 2) == "ko"
    assert file_key("2020", 3) == "202"
    assert file_key("ßa", 2) == "_a"  # not folded away: written _
    files = word_list_files(["Kommunen", "kommunerna", "Kostnad.", "Salem", "i", "Åtgärd", "ater", "Öster"])
    # Sorted by their folded forms, as written.
    assert files == {"ko": "Kommunen\nkommunerna\nKostnad\n", "sa": "Salem\n", "at": "ater\nÅtgärd\n", "os": "Öster\n"}


def test_a_file_of_too_many_words_is_split_by_their_next_characters():
    # 2020-01-01 and its like: 20200101, 202001, 2020, 0101, ...
    words = ["20", "2019", "201901", "2020", "2021", "202101", "2022", "kommun"]
    files = word_list_files(words, most=3)
    assert files == {"20": "20\n", "201": "2019\n201901\n", "2020": "2020\n", "2021": "2021\n202101\n",
                     "2022": "2022\n", "ko": "kommun\n"}
    listed = [word for text in files.values() for word in text.split()]
    assert sorted(listed) == sorted({form for word in words for form in word_forms(word)})  # each word once


def test_the_list_is_written_with_the_names_of_its_files(tmp_path):
    write_word_list(tmp_path / "ord", ["Haninge", "Huddinge", "2020"])
    files = json.loads((tmp_path / "ord" / "filer.json").read_text())["files"]
    assert sorted(files) == ["20", "ha", "hu"]
    assert (tmp_path / "ord" / files["hu"]).read_text() == "Huddinge\n"
    assert sorted(path.name for path in (tmp_path / "ord").iterdir()) == sorted([*files.values(), "filer.json"])


def test_a_files_name_changes_with_its_words(tmp_path):
    write_word_list(tmp_path / "a", ["Haninge", "Huddinge"])
    write_word_list(tmp_path / "b", ["Haninge", "Hudiksvall"])
    first, second = (json.loads((tmp_path / name / "filer.json").read_text())["files"] for name in "ab")
    assert first["ha"] == second["ha"] and first["hu"] != second["hu"]
    assert first["hu"].startswith("hu.") and first["hu"].endswith(".txt")


def test_a_word_is_listed_in_the_parts_pagefind_cuts_it_into():
    assert word_forms("InfoMentor") == {"Info", "Mentor", "InfoMentor"}
    assert word_forms("COVID19") == {"COVID", "19", "COVID19"}
    assert word_forms("200tkr,") == {"200", "tkr", "200tkr"}
    assert word_forms("ÅRSredovisning") == {"ÅR", "Sredovisning", "ÅRSredovisning"}
    assert word_forms("SKRs") == {"SK", "Rs", "SKRs"}
    assert word_forms("Södertörn") == {"Södertörn"}
