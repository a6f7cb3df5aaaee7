// The archive's word list (word_list.py), by which the search page (search.js) tells a
// word of a query that no page holds, and offers the nearest word that one does.
//
// Pagefind matches a word of a query to the indexed words that begin with its stem; where
// none does, it answers as if the query had the longest indexed word that the word begins
// with ("ikjhgfd" found every page with "i"), or had not the word ("Haninge xyzzy" found
// every Haninge meeting). The archive's word list (word_list.py, data-word-list on
// pagefind-config) holds every word of the pages as they write them, sorted by their
// folded forms in files of consecutive words, which filer.json lists with the first word
// of each: a query with a word that no listed word begins with, folded (its shortest stem,
// see shortestStem), gets no results, and the status line names the word; where a listed
// word is within an edit or two of it (see nearest), the line offers the query with that
// word. Where the list cannot tell (a phrase, a word with punctuation inside, a list that
// does not load), Pagefind answers as it would.

// Where the region of a word whose end the Snowball Swedish stemmer may take off begins:
// after the first consonant that follows a vowel, and not in its first three letters.
// (Pagefind stems a word folded, so that å, ä and ö are a and o by then.)
const VOWELS = "aeiouyåäö";
function regionOne(word) {
  const vowel = [...word].findIndex((c) => VOWELS.includes(c));
  const consonant = vowel < 0 ? -1 : [...word].findIndex((c, i) => i > vowel && !VOWELS.includes(c));
  return Math.max(3, consonant < 0 ? word.length : consonant + 1);
}

// Snowball's Swedish stemmer (which Pagefind's is), taking off at least as much as it does
// in any of its versions (version 3 takes off -et and -ets after some words, and -s after
// some letters; this takes them off always): the stem it gives begins with this one, so a
// word that no listed word begins with this way is one that Pagefind matched to nothing.
// (A test checks it against Snowball's own, snowballstemmer.)
const MAIN_SUFFIXES = ["heterna", "hetens", "anden", "andes", "andet", "arens", "arnas", "ernas", "heten", "heter", "ornas",
  "ades", "ande", "aren", "arna", "arne", "aste", "erna", "erns", "orna", "ade", "are", "ast", "ens", "ern", "het",
  "ad", "ar", "as", "at", "en", "er", "es", "et", "or", "a", "e", "s"]; // longest first
const CONSONANT_PAIRS = ["dd", "gd", "nn", "dt", "gt", "kt", "tt"];
// How much each takes off: fullt -> full, öst -> ös (ost: the words come folded; öst too, to be safe).
const OTHER_SUFFIXES = [["fullt", 1], ["lig", 3], ["els", 3], ["ost", 1], ["öst", 1], ["ig", 2]];

export function shortestStem(word) {
  const start = regionOne(word);
  const ends = (stem, suffix) => stem.endsWith(suffix) && stem.length - suffix.length >= start;
  let stem = word;
  const main = MAIN_SUFFIXES.find((suffix) => ends(stem, suffix));
  if (main) stem = stem.slice(0, main === "s" && stem.endsWith("ets") ? -3 : -main.length); // -ets: even where -et is before the region
  if (CONSONANT_PAIRS.some((pair) => ends(stem, pair))) stem = stem.slice(0, -1);
  const other = OTHER_SUFFIXES.find(([suffix]) => ends(stem, suffix));
  return other ? stem.slice(0, -other[1]) : stem;
}

// The words of a query that the list can look up: the words without the punctuation
// around them, of minLength letters or more, with only letters and digits.
export function wordsToLookUp(term, minLength) {
  if (!term || term.includes('"')) return []; // a phrase: Pagefind does not fall back on it
  return term.split(/\s+/).map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""))
    .filter((word) => [...word].length >= minLength && /^[\p{L}\p{N}]+$/u.test(word));
}

// The archive's word list at url: lacking(term), the words of a query that no page holds
// (none if the list cannot tell), and nearest(word), the listed word nearest to one that is
// lacking, as the pages write it (or null).
export function wordList(url, minLength) {
  const fetched = new Map(); // file name -> a promise of its words, as written and folded
  // No stale list from a cache: a listing of files (filer.json, bakifran.json) is asked
  // again of the server (a 304 if it is the same), and names each file by a digest of its words.
  const listing = (name) => fetch(`${url}${name}`, { cache: "no-cache" })
    .then((response) => (response.ok ? response.json() : Promise.reject(new Error(`${response.status} ${response.url}`))))
    // A list written empty by mistake must not take every word for missing.
    .then((list) => (list.files.length ? list.files : Promise.reject(new Error(`no words in ${url}${name}`))))
    .then((list) => list.map(([first, name]) => ({ first, name })));
  const files = listing("filer.json");
  files.catch(console.error); // then every word is taken as held
  let backwards = null; // the files of the words read backwards, fetched when first needed
  const backwardsFiles = () => {
    backwards ||= listing("bakifran.json");
    backwards.catch(() => (backwards = null)); // fetched again by the next query
    return backwards;
  };
  const wordsIn = (file) => {
    if (!fetched.has(file.name)) {
      const loading = fetch(`${url}${file.name}`).then((response) => (response.ok ? response.text() : Promise.reject(new Error(`${response.status} ${response.url}`))))
        .then((text) => {
          const lines = text.split("\n").filter(Boolean).map((line) => line.split("\t"));
          const written = lines.map(([word]) => word);
          return { written, folded: written.map(folded), pages: lines.map(([, pages]) => Number(pages || 1)) };
        });
      loading.catch(() => fetched.delete(file.name)); // fetched again by the next query
      fetched.set(file.name, loading);
    }
    return fetched.get(file.name);
  };
  // Where word (folded) would be: the number of the last file whose first word is not after
  // it (-1 if every file's is). Strings compare by UTF-16 code units, as word_list.py sorts.
  const fileOf = (list, word) => {
    let [low, high] = [0, list.length];
    while (low < high) {
      const middle = (low + high) >> 1;
      if (list[middle].first <= word) low = middle + 1;
      else high = middle;
    }
    return low - 1;
  };
  // The words of the files around where key would be in list: its file and the ones before and after it.
  const around = async (list, key) => {
    const at = fileOf(list, key);
    const near = await Promise.all([list[at - 1], list[at], list[at + 1]].filter(Boolean).map(wordsIn));
    return Object.fromEntries(["written", "folded", "pages"].map((part) => [part, near.flatMap((words) => words[part])]));
  };
  // Whether a listed word begins with start: the words that do come right after where start
  // would be, in its file or first in the next.
  const held = async (start) => {
    const list = await files;
    const at = fileOf(list, start);
    if (list[at + 1]?.first.startsWith(start) || list[at]?.first === start) return true;
    return at >= 0 && (await wordsIn(list[at])).folded.some((listed) => listed.startsWith(start));
  };
  return {
    async lacking(term) {
      const lacking = [];
      for (const word of wordsToLookUp(term, minLength)) {
        const start = shortestStem(folded(word));
        if ([...start].length < 2) continue;
        if (!lacking.includes(word) && !(await held(start))) lacking.push(word);
      }
      return lacking;
    },
    // Looked for as a typing error among the words around where the word would be in the
    // list (its file, and the ones before and after it), and around where it would be among
    // the words read backwards, for an error in its first letters (which puts it far from
    // the word meant): within one edit (a letter added, left out, changed, or two swapped)
    // of a word of 4-7 letters, two of a longer word. Of as near words, the one on the most
    // pages (the list says how many), then of the word's length, then the first in the
    // list; of its ways of writing, the one in small letters if the word is so written.
    async nearest(word) {
      const target = folded(word);
      const most = nearEnough(target);
      if (!most) return null;
      const [forwards, backwards] = await Promise.all([
        files.then((list) => around(list, target)),
        backwardsFiles().then((list) => around(list, [...target].reverse().join(""))).catch(() => null), // then the forward words alone
      ]);
      const found = nearestAmong([forwards, backwards].filter(Boolean), target, most);
      if (!found) return null;
      const small = word === word.toLowerCase() && found.ways.find((way) => way === way.toLowerCase());
      return small || found.ways[0];
    },
  };
}

// Of the words of runs of the list ({ written, folded, pages } each), the nearest to target
// (folded) within most edits, as wordList's nearest ranks them: { candidate, ways } (its
// ways of writing), or null. A run holds every way of writing of each word it holds.
function nearestAmong(runs, target, most) {
  const words = new Map(); // folded form -> { pages, ways }, in the order of the runs
  for (const run of runs) {
    const inRun = new Map();
    run.folded.forEach((form, i) => {
      const word = inRun.get(form) || inRun.set(form, { pages: 0, ways: [] }).get(form);
      word.pages += run.pages[i];
      word.ways.push(run.written[i]);
    });
    inRun.forEach((word, form) => words.has(form) || words.set(form, word)); // the same in each run that holds it
  }
  const rank = (near) => [-near.distance, words.get(near.candidate).pages, near.candidate.length === target.length ? 1 : 0];
  let best = null;
  for (const candidate of words.keys()) {
    const distance = editDistance(target, candidate, most);
    if (distance > most) continue;
    const near = { distance, candidate };
    if (!best || isAfter(rank(near), rank(best))) best = near;
  }
  return best && { candidate: best.candidate, ways: words.get(best.candidate).ways };
}

// Whether the numbers a come after b, compared in turn.
function isAfter(a, b) {
  const differs = a.findIndex((value, i) => value !== b[i]);
  return differs >= 0 && a[differs] > b[differs];
}

// How many edits from word a correction may be; none for a word with a digit: another year,
// number or date is another thing ("Haninge 2015" was offered "Haninge 2019").
function nearEnough(word) {
  if (/\d/.test(word)) return 0;
  const length = [...word].length;
  return length >= 8 ? 2 : length >= 4 ? 1 : 0;
}

// The edits (a character added, left out, changed, or two next to each other swapped) that
// make a into b; most + 1 if more than most.
export function editDistance(a, b, most) {
  [a, b] = [[...a], [...b]];
  if (Math.abs(a.length - b.length) > most) return most + 1;
  let [before, previous] = [null, Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1);
    }
    if (Math.min(...row) > most) return most + 1;
    [before, previous] = [previous, row];
  }
  return Math.min(previous[b.length], most + 1);
}

// Text as Pagefind indexes it and as word_list.py lists it: without its diacritics, in lower case.
export function folded(text) {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}
