"""`build.py import`: OCR text to a draft minutes file, measured against correct text.

Repair is measured on what the import produces: the whole text is repaired, its words
weighed against each other (repair_tokens), and the OCR tokens are then lined up with the
correct text by their letters without diacritics; a misspelled token (one that differs from
the correct word, ignoring case) is repaired when the output equals the correct word, and a
correct token is changed when the output differs."""

import difflib
import random
import re
import shutil
from pathlib import Path

import pytest

from minutes_archive.compounds import CompoundSplitter, swedish_word_frequencies
from minutes_archive.importer import import_text, known_words, review_report
from minutes_archive.ocr import TOKEN, OcrRepairer, fold, repair_text, repair_tokens
from minutes_archive.pipeline import BuildOptions, check, load_archive

from conftest import ROOT, TEMPLATES

# The targets of issue 7: at least 95 % of misspelled words repaired, at most 1 % of correct
# words changed, on the seed and on Swedish text written for the tests and damaged the same way.
TARGET_REPAIRED, TARGET_CHANGED = 0.95, 0.01
OCR = Path(__file__).parent / "fixtures" / "ocr"
SEED = OCR / "seed_ocr.txt"  # the OCR text of the 2020-11-20 PDF
TRUTH = ROOT / "content" / "minutes" / "2020" / "2020-11-20-ledningsgruppen.md"
# Written for the tests, not taken from the seed, so that the repair is not tuned to one
# document: a short meeting of a joint committee, and a longer one of a municipal executive
# (budget, traffic, schools, environment).
WRITTEN_TEXTS = [OCR / "clean_sv.txt", OCR / "clean_sv_2.txt"]


@pytest.fixture(scope="module")
def registry():
    return load_archive(ROOT / "content").registry


@pytest.fixture(scope="module")
def repairer(registry):
    frequencies = swedish_word_frequencies()
    return OcrRepairer(frequencies, known_words(registry), CompoundSplitter(frequencies, (), registry.compounds))


def repair_metrics(ocr_text: str, truth_text: str, repairer: OcrRepairer) -> dict:
    tokens = repair_tokens(ocr_text, repairer)
    ocr = [token.text for token in tokens]
    truth = TOKEN.findall(truth_text)
    matcher = difflib.SequenceMatcher(None, [fold(w) for w in ocr], [fold(w) for w in truth], autojunk=False)
    misspelled = repaired = correct = changed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag not in ("equal", "replace") or (i2 - i1) != (j2 - j1):
            continue
        for token, right in zip(tokens[i1:i2], truth[j1:j2]):
            after = token.output.casefold()
            if token.text.casefold() == right.casefold():
                correct += 1
                changed += after != right.casefold()
            else:
                misspelled += 1
                repaired += after == right.casefold()
    return {"misspelled": misspelled, "repaired": repaired / max(misspelled, 1),
            "correct": correct, "changed": changed / max(correct, 1)}


def corrupt(text: str, seed: int = 7) -> str:
    """OCR-like damage, the kinds seen in the seed: lost or misread å, ä, ö, and I for l."""
    rng = random.Random(seed)
    misreads = {"ä": "iad", "å": "ad4", "ö": "o6é", "Ä": "A", "Å": "A", "Ö": "O6"}
    out = []
    for char in text:
        if char in misreads and rng.random() < 0.9:
            out.append(rng.choice(misreads[char]))
        elif char == "l" and rng.random() < 0.02:
            out.append("I")
        else:
            out.append(char)
    return "".join(out)


def test_seed_structure_is_complete(registry, tmp_path):
    result = import_text(SEED.read_text(encoding="utf-8"), registry)
    text = result.markdown
    assert (result.date.isoformat(), result.body) == ("2020-11-20", "ledningsgruppen")
    assert 'time: "08.30–11.00"' in text and "place: Digitalt via Teams" in text
    assert "chair: Rickard Sundbom" in text and "secretary: Anna Söderström" in text
    assert text.count("municipality: ") == 15 + 4
    assert text.count("note: endast punkt 2") == 6
    assert re.findall(r"^## (\d+)\. ", text, re.M) == ["1", "2", "3", "4", "5", "6"]
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "minutes/2020/2020-11-20-ledningsgruppen.md").write_text(text, encoding="utf-8")
    report = check(BuildOptions(content, TEMPLATES, tmp_path / "site", search=False))
    assert report.decisions == 6  # item 3: one; item 5: three and two


def test_notes_with_commas_dash_bullets_and_an_iso_date_make_valid_minutes(registry, tmp_path):
    """Three things a review found: a note with a comma ended its flow mapping ("unknown key
    'digitalt'"), bullets written "- " ran into one paragraph, and "Tid: 2019-03-15" gave no date."""
    text = "\n".join([
        "Minnesanteckningar från Ledningsgruppen",
        "Tid: 2019-03-15 kl 08.30-11.00",
        "Plats: Haninge",
        "Närvarande: Leif Eriksson Botkyrka, endast punkt 2, digitalt",
        "Magnus Gyllestad Haninge, ordförande",
        "Anna Berglund Haninge, endast punkt 2, sekreterare",
        "",
        "1. Välkommen",
        "Följande togs upp:",
        "- punkt ett",
        "- punkt två",
        "",
        "e Vidare arbete med underlaget.",
        "- Nytt underlag har skickats ut.",
        "",
    ])
    result = import_text(text, registry)
    assert result.date.isoformat() == "2019-03-15" and 'time: "08.30–11.00"' in result.markdown
    assert '  - {name: Leif Eriksson, municipality: botkyrka, note: "endast punkt 2, digitalt"}' in result.markdown
    assert "  - {name: Magnus Gyllestad, municipality: haninge, role: ordförande}" in result.markdown
    assert "  - {name: Anna Berglund, municipality: haninge, role: sekreterare, note: endast punkt 2}" in result.markdown
    assert "Följande togs upp:\n\n- punkt ett\n- punkt två\n- Vidare arbete med underlaget.\n  - Nytt underlag har skickats ut." in result.markdown
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "minutes/2019").mkdir()
    (content / "minutes/2019/2019-03-15-ledningsgruppen.md").write_text(result.markdown, encoding="utf-8")
    assert check(BuildOptions(content, TEMPLATES, tmp_path / "site", search=False)).meetings == 2


def test_seed_repair_rates(repairer, capsys):
    metrics = repair_metrics(SEED.read_text(encoding="utf-8"), TRUTH.read_text(encoding="utf-8"), repairer)
    with capsys.disabled():
        print(f"\nseed: {metrics['misspelled']} misspelled words, {metrics['repaired']:.1%} repaired; "
              f"{metrics['correct']} correct words, {metrics['changed']:.1%} changed")
    assert metrics["misspelled"] > 150
    assert metrics["repaired"] >= TARGET_REPAIRED and metrics["changed"] <= TARGET_CHANGED


@pytest.mark.parametrize("path", WRITTEN_TEXTS, ids=lambda path: path.name)
def test_other_swedish_text_repair_rates(repairer, capsys, path):
    clean = path.read_text(encoding="utf-8")
    metrics = repair_metrics(corrupt(clean), clean, repairer)
    with capsys.disabled():
        print(f"\n{path.name}: {metrics['misspelled']} misspelled words, {metrics['repaired']:.1%} repaired; "
              f"{metrics['correct']} correct words, {metrics['changed']:.1%} changed")
    assert metrics["misspelled"] > 50
    assert metrics["repaired"] >= TARGET_REPAIRED and metrics["changed"] <= TARGET_CHANGED


def test_dictionary_knows_compounds_with_short_parts(repairer):
    assert repairer.repair("vigplan").after == "vägplan"  # väg + plan: too short for the splitter
    assert repairer.repair("malstrukturen").after == "målstrukturen"
    assert repairer.repair("vägplan") is None and repairer.repair("målstrukturen") is None


def test_a_dropped_letter_is_put_back(repairer):
    assert repairer.repair("Kommundirektrerna").after == "Kommundirektörerna"


def test_the_registries_names_win_in_the_genitive_too(repairer, registry):
    """The topic Södertörnskonferensen, in the seed as "Sodertirnskonferensens" (ö read as i):
    not a compound of the word list's parts ("Södertårnskonferensens")."""
    assert {"Södertörnskonferensen", "Södertörnskonferensens", "Haninges", "pandemin"} <= known_words(registry)
    assert repairer.repair("Sodertirnskonferensens").after == "Södertörnskonferensens"


def test_codes_and_hyphenated_words(repairer):
    assert repairer.repair("P4") is None and repairer.repair("E20") is None
    assert repairer.repair("p4").after == "på"
    assert repairer.repair("leverans-foretag").after == "leverans-företag"


def test_a_doubtful_word_follows_the_other_form_used_elsewhere_in_the_text(repairer):
    # "laget" and "läget" are both words and about as common: alone, it is left and listed.
    alone, alone_changes = repair_text("Uppdatering av laget kring smittan.", repairer)
    assert alone == "Uppdatering av laget kring smittan."
    assert [(r.before, r.after) for _, r in alone_changes] == [("laget", "laget")]
    # When the text has "läget" elsewhere and "laget" nowhere else, it becomes "läget", marked.
    text, changes = repair_text("Uppdatering av laget kring smittan.\nSom läget är nu.", repairer)
    assert text == "Uppdatering av läget kring smittan.\nSom läget är nu."
    assert [(n, r.before, r.after) for n, r in changes] == [(1, "laget", "läget")]
    assert changes[0][1].changes_a_known_word
    # Both forms elsewhere: no evidence either way, so it is left and listed.
    text, _ = repair_text("Uppdatering av laget kring smittan.\nLaget spelar. Som läget är nu.", repairer)
    assert text.startswith("Uppdatering av laget")


def test_review_report_counts_and_marks_changes_of_known_words(registry):
    result = import_text(SEED.read_text(encoding="utf-8"), registry)
    report = review_report("seed_ocr.txt", result)
    assert "laget -> läget  (känt ord, men denna form finns på andra ställen i texten)" in report
    known = [r for _, r in result.changes if r.changes_a_known_word]
    assert f"varav {len(known)} av ord som" in report and len(known) >= 5


def test_import_command_writes_a_draft_and_a_report_and_never_overwrites(tmp_path):
    import subprocess
    import sys

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "minutes/2020/2020-11-20-ledningsgruppen.md").unlink()
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "import", str(SEED), "--content", str(content)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    report = (content / "minutes/2020/2020-11-20-ledningsgruppen.granskning.txt").read_text(encoding="utf-8")
    assert "  6: Nirvarande -> Närvarande  (okänt ord)" in report
    again = subprocess.run([sys.executable, str(ROOT / "build.py"), "import", str(SEED), "--content", str(content)], capture_output=True, text=True)
    assert again.returncode == 1 and "never overwritten" in again.stderr
    missing = subprocess.run([sys.executable, str(ROOT / "build.py"), "import", str(tmp_path / "nope.txt"), "--content", str(content)],
                             capture_output=True, text=True, cwd=tmp_path)
    assert missing.returncode == 1 and missing.stderr.startswith("nope.txt:1: cannot read the file: No such file or directory"), missing.stderr
