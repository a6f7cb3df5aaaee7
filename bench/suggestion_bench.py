"""How often the search page's "Menade du …?" offers the word that was meant.

    python bench/suggestion_bench.py [--typos 3000] [--seed 1] [--without-pages] [--module FILE]

Makes the word list (minutes_archive/word_list.py) of the vocabulary of
bench/word_list_bench.py (wordfreq's Swedish words, a fifth also with a capital, and 20
years of dates), each word "on" as many pages as wordfreq's frequency of it in a million
words (at least one), as an archive's list says how many pages hold each word. Then it
makes one typing error in each of --typos words drawn from wordfreq's 20,000 most frequent
of 4-14 letters (a letter left out, added, changed, or two swapped, at a random place),
and asks the search page's own code (templates/assets/word-list.js, run by Node.js)
whether the list lacks the word so typed, and if so which word it offers.

It prints how many typed words the list holds a word beginning with (then Pagefind
answers, and nothing is offered), and of the others how many got the word meant, another
word, or none, for errors in the first two letters and after them. The words are drawn
from the frequent ones, so ranking by pages favours them: the figures are of what a
vocabulary of a language does, not of an archive's own words and its users' errors.
--without-pages writes the list without the numbers of pages, and --module runs another
version of word-list.js (git show REV:templates/assets/word-list.js > old.js), to compare.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from minutes_archive.compounds import swedish_word_frequencies  # noqa: E402
from minutes_archive.word_list import write_word_list  # noqa: E402
from word_list_bench import vocabulary  # noqa: E402

LETTERS = "abcdefghijklmnopqrstuvwxyzåäö"

# Node.js: word-list.js over the list's files, fetch() reading them from the folder.
ASK = """
import { readFileSync } from "node:fs";
const [folder, module, typos] = process.argv.slice(2);
globalThis.fetch = async (url) => {
  try {
    const text = readFileSync(folder + url.slice("list/".length), "utf8");
    return { ok: true, json: async () => JSON.parse(text), text: async () => text };
  } catch {
    return { ok: false, status: 404, url };
  }
};
const { wordList } = await import(module);
const list = wordList("list/", 3);
const answers = [];
for (const typo of JSON.parse(readFileSync(typos, "utf8"))) {
  answers.push((await list.lacking(typo)).length ? await list.nearest(typo) : "(held)");
}
console.log(JSON.stringify(answers));
"""


def typed_wrong(word: str, rng: random.Random) -> tuple[str, int] | None:
    """word with one typing error, and where; None for a swap of two like letters."""
    at = rng.randrange(len(word))
    kind = rng.choice("dist")
    if kind == "d":
        return word[:at] + word[at + 1:], at
    if kind == "i":
        return word[:at] + rng.choice(LETTERS) + word[at:], at
    if kind == "s":
        return word[:at] + rng.choice(LETTERS.replace(word[at], "")) + word[at + 1:], at
    if at == len(word) - 1 or word[at] == word[at + 1]:
        return None
    return word[:at] + word[at + 1] + word[at] + word[at + 2:], at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--typos", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--without-pages", action="store_true", help="a list without the numbers of pages")
    parser.add_argument("--module", type=Path, default=ROOT / "templates/assets/word-list.js", help="the word-list.js to run")
    args = parser.parse_args()
    node = shutil.which("node")
    if not node:
        sys.exit("suggestion_bench: needs Node.js (node) to run the search page's code")

    frequency = swedish_word_frequencies()
    plain, capitals, dates = vocabulary(5)
    pages = Counter({word: 1 for word in [*plain, *capitals, *dates]})
    if not args.without_pages:
        for word in pages:
            pages[word] = max(1, round(frequency.get(word.lower(), 0) * 1e6))
    rng = random.Random(args.seed)
    meant = [word for word in sorted(frequency, key=frequency.get, reverse=True)[:20000] if word.isalpha() and 4 <= len(word) <= 14]
    cases = [(word, *typo) for word in rng.sample(meant, args.typos) if (typo := typed_wrong(word, rng))]

    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "ord"
        write_word_list(folder, pages)
        (Path(work) / "typos.json").write_text(json.dumps([typo for _, typo, _ in cases]), encoding="utf-8")
        (Path(work) / "ask.mjs").write_text(ASK, encoding="utf-8")
        asked = subprocess.run([node, str(Path(work) / "ask.mjs"), f"{folder}/", args.module.resolve().as_uri(),
                                str(Path(work) / "typos.json")], check=True, capture_output=True, text=True)
    answers = json.loads(asked.stdout)

    tally: dict[str, Counter[str]] = {"in the first two letters": Counter(), "after them": Counter()}
    for (word, _, at), answer in zip(cases, answers):
        if answer == "(held)":
            outcome = "held"
        elif answer is None:
            outcome = "none"
        else:
            outcome = "meant" if answer.lower() == word.lower() else "other"
        tally["in the first two letters" if at < 2 else "after them"][outcome] += 1
    print(f"{len(cases):,} typing errors in wordfreq's frequent words; list {'without' if args.without_pages else 'with'} numbers of pages")
    for where, counts in tally.items():
        lacking = counts["meant"] + counts["other"] + counts["none"]
        print(f"errors {where}: {sum(counts.values()):,}, a listed word begins as the typed one does for {counts['held']:,}; "
              f"of the other {lacking:,}, offered the word meant {counts['meant']:,} ({counts['meant'] / max(lacking, 1):.0%}), "
              f"another {counts['other']:,} ({counts['other'] / max(lacking, 1):.0%}), none {counts['none']:,} ({counts['none'] / max(lacking, 1):.0%})")


if __name__ == "__main__":
    main()
