// Search page glue for Pagefind's Component UI:
// - a visible label for the search input;
// - no search before three characters (one or two letters match most of the archive,
//   since å, ä and ö fold to a and o, and make Pagefind fetch most of the index);
// - the query and the filters in the URL (?q=…&kommun=…&år=…), so that the header's
//   search box lands here with results, and a search can be bookmarked and shared;
// - with the filter "typ: beslut", only the decisions of each result are listed, and a
//   result whose decisions the query did not find says so (see noteResultsWithoutDecisions);
// - a large archive's search shards (data-older-shards on pagefind-config) are searched
//   after the newest one, whose results show first (see searchingOlderShardsAfter), and only
//   those that hold every word of the query (see shardsHolding);
// - a query with a word that no page holds gets no results, and says which word (Pagefind
//   would answer with a shorter word that the word begins with; see answerOnlyWordsHeld),
//   with the query of the nearest listed words ("Menade du ”kollektivtrafikplan”?");
// - results are listed 50 at a time, with a button for more;
// - the filter menus get accessible names, in Swedish (Pagefind 1.5.2 gives the combobox
//   buttons none, and labels the options "Haninge, 4 results");
// - the hidden search words of the meeting pages (between ⟦ and ⟧: parts of compound words,
//   topic synonyms) are taken out of the excerpts, which show only what the page shows, and
//   the compounds that hold a word of the query or a matched hidden word are marked; an
//   excerpt found by a topic's synonym alone names the topic ("Hittad genom ämnet Covid-19");
// - a sub-result's excerpt does not repeat the heading shown above it (removeRepeatedHeadings).

// With the version this script was asked for (search.js?v=…, a digest of the assets), so
// that a browser never pairs this script with a cached word-list.js of another build.
const { folded, wordList } = await import(`./word-list.js${new URL(import.meta.url).search}`);

const LABEL = "Sök i arkivet";
const MIN_LENGTH = 3;
const FILTERS = ["typ", "kommun", "ämne", "år", "organ"];

function whenRendered(selector) {
  return new Promise((resolve) => {
    const found = document.querySelector(selector);
    if (found) return resolve(found);
    const observer = new MutationObserver(() => {
      const element = document.querySelector(selector);
      if (element) {
        observer.disconnect();
        resolve(element);
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
  });
}

function readUrl() {
  const params = new URLSearchParams(window.location.search);
  const filters = {};
  for (const key of FILTERS) {
    const values = params.getAll(key).filter(Boolean);
    if (values.length) filters[key] = values;
  }
  return { term: (params.get("q") || "").trim(), filters };
}

// The query and filters are written into the address. Typing on (or back) from the query
// shown replaces the address; another query or other filters add one to the history, so that
// Back returns to the query before (restored by restoreFromHistory), not to the page before.
// An emptied box leaves the address as it is.
function writeUrl(term, filters) {
  const params = new URLSearchParams();
  if (term) params.set("q", term);
  for (const key of FILTERS) {
    for (const value of filters?.[key] || []) params.append(key, value);
  }
  // A whole address: a path alone that begins "//" (a link written ".../" + "/sok/") would
  // be read as another host's, and replaceState would throw.
  const url = new URL(window.location.href);
  url.search = params.toString();
  url.hash = "";
  if (url.href === window.location.href) return;
  const shown = readUrl().term;
  if (!term && shown) return; // the box emptied: the last query stays, to come back to
  const typing = !shown || term.startsWith(shown) || shown.startsWith(term);
  const filtersOf = (search) => {
    const query = new URLSearchParams(search);
    query.delete("q");
    return query.toString();
  };
  if (typing && filtersOf(url.search) === filtersOf(window.location.search)) window.history.replaceState(null, "", url.href);
  else window.history.pushState(null, "", url.href);
}

// Back and Forward between the queries of this page: each searched again from its address.
function restoreFromHistory(input, instance) {
  window.addEventListener("popstate", () => {
    const { term, filters } = readUrl();
    input.value = term;
    instance.triggerSearchWithFilters(term.length >= MIN_LENGTH ? term : "", filters);
  });
}

function showLabel(input) {
  // Pagefind's own label is for screen readers only. Show it, above the component so
  // that the component's search icon stays inside the input.
  const label = document.querySelector(`label[for="${input.id}"]`);
  if (!label) return;
  label.removeAttribute("data-pf-sr-hidden");
  label.classList.add("search-label");
  label.textContent = LABEL;
  input.closest("pagefind-input").before(label);
  // Pagefind names the search landmark around the box as its label was, "Sök på denna sida"
  // ("search this page"): it searches the whole archive.
  input.closest("[role=search]")?.setAttribute("aria-label", LABEL);
  // The tips below the filters are the box's description, read with it by screen readers.
  if (document.getElementById("sok-tips")) input.setAttribute("aria-describedby", "sok-tips");
}

// Fewer characters are not searched, and an answer shown is cleared (by an empty search), but
// only once Pagefind has answered: it numbers a search only when it has loaded, so an empty
// search made while it loaded ("N", "No") could be numbered after the query typed next
// ("Norvik"), and its answer, nothing, was shown for "Norvik" to the end. An answer that
// arrives when the box holds fewer characters (a query typed and then deleted while Pagefind
// loaded) is cleared then.
function waitForThreeCharacters(input, instance) {
  const tooShort = () => input.value.trim().length > 0 && input.value.trim().length < MIN_LENGTH;
  let answered = false;
  instance.on("results", () => {
    answered = true;
    if (tooShort() && instance.searchTerm) instance.triggerSearch("");
  }, "three-characters");
  input.closest("pagefind-input").addEventListener(
    "input",
    (event) => {
      if (!tooShort()) return;
      event.stopPropagation(); // captured before Pagefind's own listener on the input
      if (answered) instance.triggerSearch("");
    },
    true,
  );
}

function nameFilterMenus() {
  const apply = () => {
    for (const dropdown of document.querySelectorAll("pagefind-filter-dropdown")) {
      const trigger = dropdown.querySelector(".pf-dropdown-trigger");
      if (trigger) {
        const badge = dropdown.querySelector(".pf-dropdown-selected-badge:not([data-pf-hidden])");
        const name = dropdown.getAttribute("label") + (badge ? ` ${badge.textContent} valda` : "");
        if (trigger.getAttribute("aria-label") !== name) trigger.setAttribute("aria-label", name);
      }
      // The option list scrolls; axe wants a scrolling region reachable by keyboard.
      const list = dropdown.querySelector(".pf-dropdown-options");
      if (list && list.getAttribute("tabindex") !== "0") list.setAttribute("tabindex", "0");
      for (const option of dropdown.querySelectorAll(".pf-dropdown-option[aria-label]")) {
        // A space between the name and the count, so that the visible text is "Haninge 4".
        const label = option.querySelector(".pf-dropdown-option-label");
        if (label && label.nextSibling && label.nextSibling.nodeType !== Node.TEXT_NODE) label.after(" ");
        // "Haninge, 4 results" -> "Haninge 4 träffar": Swedish, and starting with the visible text.
        const swedish = option.getAttribute("aria-label").replace(/, (\d+) (results?)$/, (_, n, word) => ` ${n} ${word === "result" ? "träff" : "träffar"}`);
        if (option.getAttribute("aria-label") !== swedish) option.setAttribute("aria-label", swedish);
      }
    }
  };
  apply();
  new MutationObserver(apply).observe(document.querySelector(".search-filters"), { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label", "data-pf-hidden", "tabindex"] });
}

// A run of hidden words with the space before it, and any after it before punctuation
// ("Kort paus ⟦ paus ⟧ ." in an excerpt), or the end of one cut off at the excerpt's start
// (with the punctuation that follows it), or the start of one cut off at its end. The
// excerpt is HTML; the markers never fall inside a tag.
const HIDDEN_WORDS = /\s*⟦[^⟧]*⟧(?:\s+(?=[.,;:!?)]))?|^[^⟦]*⟧[\s.,;:!?)]*|\s*⟦[^⟧]*$/g;

function withoutHiddenWords(html) {
  return html.replace(HIDDEN_WORDS, "").replace(/\s{2,}/g, " ").trim();
}

// The hidden words Pagefind marked in an excerpt (the parts of a compound in it, matched by
// their beginning or their stem): "direktörer", the part of kommundirektörer, for
// "direktörerna".
function markedHiddenWords(html) {
  return (html.match(HIDDEN_WORDS) || []).flatMap((run) => [...run.matchAll(/<mark>([^<]*)<\/mark>/g)].map((match) => folded(match[1])));
}

// Once the hidden words are gone, an excerpt found by them shows the compounds that hold
// them unmarked (planeringskonferensen for "konferensen", kommundirektörer for
// "direktörerna"): mark the words that contain a word of the query or a marked hidden word.
function markWordsContaining(excerpt, terms) {
  if (!terms.length) return;
  const matches = (word) => terms.some((term) => folded(word).includes(term));
  const walker = document.createTreeWalker(excerpt, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement.closest("mark") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const texts = [];
  while (walker.nextNode()) texts.push(walker.currentNode);
  for (const text of texts) {
    const pieces = text.textContent.split(/([\p{L}\p{M}\p{N}-]+)/u); // odd: a word, without its punctuation
    if (!pieces.some((piece, i) => i % 2 && matches(piece))) continue;
    const marked = document.createDocumentFragment();
    pieces.forEach((piece, i) => {
      if (i % 2 && matches(piece)) {
        const mark = document.createElement("mark");
        mark.textContent = piece;
        marked.append(mark);
      } else {
        marked.append(piece);
      }
    });
    text.replaceWith(marked);
  }
}

// A result found by a topic's synonym alone ("corona" for Covid-19) has nothing to mark in
// what the page shows: its excerpt says which topic found it instead. The words of the
// topics' names and synonyms, folded, come with the page (render.topic_words).
function topicWords() {
  try {
    return JSON.parse(document.querySelector("[data-topic-words]")?.dataset.topicWords || "{}");
  } catch {
    return {};
  }
}

function topicNote(names) {
  const note = document.createElement("span");
  note.className = "topic-hit";
  note.append(names.length > 1 ? "Hittad genom ämnena " : "Hittad genom ämnet ");
  names.forEach((name, i) => {
    if (i) note.append(i === names.length - 1 ? " och " : ", ");
    const mark = document.createElement("mark");
    mark.textContent = name;
    note.append(mark);
  });
  return note;
}

function removeHiddenWordsFromExcerpts(results, input) {
  const topics = topicWords();
  const clean = () => {
    const terms = folded(input.value.replace(/"/g, " ")).split(/\s+/).filter((term) => term.length >= MIN_LENGTH);
    for (const excerpt of results.querySelectorAll(".pf-result-excerpt, .pf-heading-excerpt")) {
      if (!/[⟦⟧]/.test(excerpt.innerHTML)) continue; // as Pagefind made it, or cleaned already
      const hiddenMatches = markedHiddenWords(excerpt.innerHTML);
      excerpt.innerHTML = withoutHiddenWords(excerpt.innerHTML);
      markWordsContaining(excerpt, [...terms, ...hiddenMatches]);
      const names = [...new Set(hiddenMatches.filter((word) => Object.hasOwn(topics, word)).map((word) => topics[word]))];
      if (names.length && !excerpt.querySelector("mark")) excerpt.append(topicNote(names));
    }
  };
  clean();
  new MutationObserver(clean).observe(results, { subtree: true, childList: true, characterData: true });
}

// A sub-result's excerpt begins where its section does, with its heading, so that it
// repeated the heading shown above it ("Ledningsgruppen 2020-11-20 § 5, beslut 4. Att
// genomföra …"): the heading, or the end of it of two words or more that begins the
// excerpt, is taken out (with the full stop Pagefind puts after it), unless a word of the
// query is marked there.
function headingEnds(heading) {
  const words = heading.split(" ");
  // The whole heading, and its ends of two words or more (one word could begin the text
  // of the section: "budget." of "Information om budget"), longest first.
  return words.map((_, i) => `${words.slice(i).join(" ")}.`).filter((end, i) => i === 0 || i <= words.length - 2);
}

function removeRepeatedHeadings(results) {
  const clean = () => {
    for (const chip of results.querySelectorAll(".pf-heading-chip")) {
      const excerpt = chip.querySelector(".pf-heading-excerpt");
      const heading = chip.querySelector(".pf-heading-link")?.textContent.trim().replace(/\s+/g, " ");
      // Once the hidden words are out (removeHiddenWordsFromExcerpts), and once per excerpt.
      if (!excerpt || !heading || excerpt.dataset.heading === heading || /[⟦⟧]/.test(excerpt.textContent)) continue;
      excerpt.dataset.heading = heading;
      const first = excerpt.firstChild;
      if (first?.nodeType !== Node.TEXT_NODE) continue;
      const repeated = headingEnds(heading).find((end) => first.textContent.startsWith(end));
      if (repeated) first.textContent = first.textContent.slice(repeated.length).trimStart();
    }
  };
  clean();
  new MutationObserver(clean).observe(results, { subtree: true, childList: true, characterData: true });
}

// Typ: beslut keeps the meetings that have decisions (Pagefind filters pages), and the
// stylesheet hides every sub-result but the decisions' (.only-decisions). A meeting the query
// found elsewhere than in its decisions would then show nothing under it: it says so instead.
// (Every sub-result is listed then, not the max-sub-results with the most hits: see the
// search hook in start.)
const DECISION_LINK = /#p[^#]*-b\d+$/;
const SUB_RESULTS = Number(document.querySelector("pagefind-results")?.getAttribute("max-sub-results")) || 5;
const ALL_SUB_RESULTS = 10000;
const NO_DECISION_FOUND = "Sökorden finns i mötet men inte i något av dess beslut.";

function noteResultsWithoutDecisions(results) {
  const note = () => {
    if (!results.classList.contains("only-decisions")) return;
    for (const result of results.querySelectorAll("li.pf-result")) {
      // Pagefind fills a result in (title, excerpt, sub-results) when its data has loaded.
      if (!result.querySelector("a.pf-result-link") || result.querySelector(".no-decision-found")) continue;
      const links = [...result.querySelectorAll("a.pf-heading-link")].map((link) => link.getAttribute("href") || "");
      if (links.length >= results.maxSubResults || links.some((href) => DECISION_LINK.test(href))) continue;
      const line = document.createElement("p");
      line.className = "no-decision-found";
      line.textContent = NO_DECISION_FOUND;
      result.querySelector(".pf-result-content")?.append(line);
    }
  };
  note();
  new MutationObserver(note).observe(results, { subtree: true, childList: true });
}

function quotedList(words) {
  const quoted = words.map((word) => `”${word}”`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(", ")} och ${quoted.at(-1)}` : quoted[0];
}

// Filter counts of 0 for every value, so that the filter menus show none.
function zeroed(filters) {
  return Object.fromEntries(Object.entries(filters || {}).map(([key, values]) => [key, Object.fromEntries(Object.keys(values).map((value) => [value, 0]))]));
}

// Wraps the search object (see wrapSearch) of the newest shard, or of the one index. A query
// typed while an earlier one's words were looked up supersedes it: the earlier one is not
// searched (Pagefind's UI ignores an answer of null), and the older shards' whole answer to
// a query before one with a missing word is not shown (supersede). Where each missing word
// has a listed word near it (a typing error), the line offers the query with those instead.
function answerOnlyWordsHeld(search, url, status) {
  const list = wordList(url, MIN_LENGTH);
  return {
    filters: () => search.filters(),
    supersede: () => search.supersede?.(),
    knownFilters: () => search.knownFilters?.(),
    async search(term, options) {
      const turn = status.claim();
      const words = await list.lacking(term).catch((error) => (console.error(error), []));
      if (!status.holds(turn)) return null;
      if (!words.length) {
        status.say(turn, "");
        return search.search(term, options);
      }
      search.supersede?.();
      const [known, nearest] = await Promise.all([
        search.knownFilters?.() || search.filters(),
        Promise.all(words.map((word) => list.nearest(word).catch((error) => (console.error(error), null)))),
      ]);
      const filters = zeroed(known);
      status.say(turn, `${words.length > 1 ? "Orden" : "Ordet"} ${quotedList(words)} finns inte i arkivet.`, "all");
      if (nearest.every(Boolean)) status.suggest(turn, withWordsReplaced(term, words, nearest));
      return { results: [], unfilteredResultCount: 0, filters, totalFilters: filters, timings: [] };
    },
  };
}

// term with each of words (as wordsToLookUp took them, without the punctuation around them)
// replaced by the word at its place in others.
function withWordsReplaced(term, words, others) {
  return term.replace(/[\p{L}\p{N}]+(?:[^\s\p{L}\p{N}]+[\p{L}\p{N}]+)*/gu, (word) => (words.includes(word) ? others[words.indexOf(word)] : word));
}

// A large archive's search index is in shards by year, newest first (shards.py). Merged
// into one Pagefind instance, they are searched one after another in its one web worker:
// a word on every page of 100,000 meetings took 8-14 s. So the newest shard answers first and
// its results show while the older shards are searched, in a worker of their own (each
// bundle's copy of pagefind.js is a module of its own, with its own worker); then the
// whole answer, ranked as Pagefind ranks merged indexes, replaces it. This wraps the
// newest shard's search object (see wrapSearch); a browser test checks it against
// Pagefind's own.
// (Two workers for the older shards were no faster on a 2-core machine: each ran at half
// speed.)
const ENOUGH_TO_SHOW_FIRST = 5; // fewer from the newest shard: wait for the whole answer
const FEW_SHARDS = 0.5; // of the older shards: searched alone, in an instance of their own
const OLDER_TOGETHER = 3; // merges at a time into the instances of all older shards (loadShards), shared by the runs (one each at least)
const SHARDS_PER_WORKER = 8; // at least, for the older shards to be split between web workers

// The older shards in consecutive runs, each searched by an instance in a web worker of its
// own: Pagefind's worker is where a search spends its time, and a worker uses one core. As
// many runs as the device has cores (the page's own thread and the newest shard's worker
// wait meanwhile), at most four, with SHARDS_PER_WORKER shards or more each: each worker
// fetches its bundle's pagefind.js and WebAssembly again (153 KiB). data-older-workers on
// pagefind-config sets the number of runs instead (the tests do). At 100,000 meetings in 51
// shards, two workers on two cores gave whole answers to words in every shard 10-30 % sooner
// (kommunerna 12.1-14.7 s against 17.4 s), first answers up to 110 ms later while the older
// shards load (bench/search_bench.py --repeat 3 --pause 2, medians; README, Search).
function olderRuns(older) {
  const set = Number(document.querySelector("pagefind-config")?.dataset.olderWorkers);
  const cores = Math.min(4, navigator.hardwareConcurrency || 1, Math.floor(older.length / SHARDS_PER_WORKER));
  const count = Math.max(1, Math.min(older.length, set || cores));
  return Array.from({ length: count }, (_, run) => older.slice(Math.round((run * older.length) / count), Math.round(((run + 1) * older.length) / count)));
}

function olderShards() {
  return (document.querySelector("pagefind-config")?.dataset.olderShards || "").split(" ").filter(Boolean);
}

// Where a word of the query is in none of a shard's pages, Pagefind answers there with the
// rest of the query, or with a shorter word that the word begins with (2015 found 20), so
// a word in one shard made the others answer with unrelated meetings. The vocabulary
// bundle (shard_words.py, data-vocabulary on pagefind-config) has a page for each shard
// with every word of its pages: searched there, a query finds the pages, named by the
// filter SHARD_KEY, of the shards that hold each of its words. It is merged into the
// newest shard's instance, whose searches leave its pages out by the filter VOCABULARY
// (an instance of its own in the same worker broke both: Pagefind's WebAssembly is one
// per worker; one in a worker of its own would cost another 156 KiB of scripts).
// Filters whose names begin with _ are never shown.
const SHARD_KEY = "_shard";
const VOCABULARY = { _vocabulary: "ja" }; // the filter of every vocabulary page
const NOT_VOCABULARY = { not: VOCABULARY };
const PHRASE = /^\s*".+"\s*$/; // Pagefind's exact search, which has no shorter words to fall back on

// A shard's name, as shards.py names its folder: "/pagefind/2021-2022/" is "2021-2022".
function nameOf(bundle) {
  return bundle.split("/").filter(Boolean).pop();
}

async function shardsHolding(pagefind, term) {
  if (PHRASE.test(term)) return null;
  const answer = await pagefind.search(term, { filters: VOCABULARY });
  const holding = Object.entries(answer.filters?.[SHARD_KEY] || {}).filter(([, count]) => count > 0).map(([name]) => name);
  return { names: new Set(holding), pages: answer.results.length };
}

// Whether the vocabulary bundle's files that merging it reads are there: a merge that
// fails leaves Pagefind's instance broken for every search.
async function vocabularyThere(bundle) {
  const entry = await fetch(`${bundle}pagefind-entry.json`).then((response) => (response.ok ? response.json() : null));
  const hash = entry?.languages?.sv?.hash;
  return Boolean(hash) && (await fetch(`${bundle}pagefind.${hash}.pf_meta`, { method: "HEAD" })).ok;
}

// The shards merged into one Pagefind instance, made by the pagefind.js of the bundle module
// (by default the first shard's): each module has a web worker of its own. A shard's merge
// fetches its entry, then its metadata; merges run side by side, at most `together` at a
// time (started in order, which orders results of equal score), so that the requests of a
// query are not queued behind every older shard's (a browser opens 6 connections a host).
// 10,000 meetings in 28 shards, 40 ms a request, a query typed at once into a fresh page:
// the whole answer to a common word came after 4.4-5.1 s with one merge at a time, 3.1-3.6 s
// with three (bench/search_bench.py --each-first --latency 40). All at once was a little
// faster for it (2.6 s), but made a query of a few shards wait 2.3-2.5 s instead of 1.1-1.2 s.
async function loadShards([first, ...rest], options, module = first, together = rest.length) {
  const pagefind = (await import(`${module}pagefind.js`)).createInstance({ ...options, basePath: first, mergeFilter: { [SHARD_KEY]: nameOf(first) } });
  await inTurn(rest, together, (bundle) => pagefind.mergeIndex(bundle, { mergeFilter: { [SHARD_KEY]: nameOf(bundle) } }));
  // A search loads only the filters it names, and counts by the others only if they are
  // loaded: all are, before the first search (a search in the URL started at once).
  await pagefind.filters();
  return pagefind;
}

// Calls start(item) for each item in order, with at most limit of their promises pending.
async function inTurn(items, limit, start) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await start(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

// The older shards' answer from their instance, from those of them that hold every word of
// the query (all of them for null). Left out by a filter, a shard is still searched (its
// chunk of the index for each word fetched, its results filtered away), and its pages would
// count in the totals that Pagefind gives without the user's filters: those come from a
// search without them.
async function searchOlder(pagefind, names, term, options, holding) {
  const searched = holding ? names.filter((name) => holding.names.has(name)) : names;
  if (searched.length === names.length) return pagefind.search(term, options);
  if (!searched.length) return { results: [], unfilteredResultCount: 0, filters: {}, totalFilters: {}, timings: [] };
  const only = { [SHARD_KEY]: { any: searched } };
  const answer = await pagefind.search(term, { ...options, filters: { ...options?.filters, ...only } });
  const unfiltered = Object.keys(options?.filters || {}).length ? await pagefind.search(term, { ...options, filters: only }) : answer;
  return { ...answer, totalFilters: unfiltered.filters, unfilteredResultCount: unfiltered.results.length };
}

// The newest shard's answer, as if it had no vocabulary pages merged, or with no results
// (every count 0, so that the filter menus show none) if it lacks a word of the query.
// (For a phrase, unfilteredResultCount, which the page does not show, still counts the
// vocabulary pages that hold all its words.)
function newestAnswer(answer, holding, name) {
  if (holding && !holding.names.has(name)) {
    return { ...answer, results: [], unfilteredResultCount: 0, filters: zeroed(answer.filters), totalFilters: zeroed(answer.totalFilters) };
  }
  return { ...answer, unfilteredResultCount: answer.unfilteredResultCount - (holding?.pages || 0) };
}

function mergeFilters(all) {
  const merged = {};
  for (const filters of all) {
    for (const [name, values] of Object.entries(filters || {})) {
      if (name.startsWith("_")) continue;
      merged[name] ??= {};
      for (const [value, count] of Object.entries(values)) merged[name][value] = (merged[name][value] || 0) + count;
    }
  }
  return merged;
}

// An answer without the filters that are not shown (the vocabulary's and the shards').
function visible(answer) {
  return { ...answer, filters: mergeFilters([answer.filters]), totalFilters: mergeFilters([answer.totalFilters]) };
}

function mergeAnswers(answers) {
  return {
    results: answers.flatMap((a) => a.results).sort((a, b) => b.score - a.score),
    unfilteredResultCount: answers.reduce((sum, a) => sum + a.unfilteredResultCount, 0),
    filters: mergeFilters(answers.map((a) => a.filters)),
    totalFilters: mergeFilters(answers.map((a) => a.totalFilters)),
    timings: answers.flatMap((a) => [a.timings].flat()),
  };
}

const MONTHS = {
  jan: "januari", feb: "februari", mar: "mars", apr: "april", maj: "maj", jun: "juni",
  jul: "juli", aug: "augusti", sep: "september", okt: "oktober", nov: "november", dec: "december",
};

// The years or months a shard holds, from its folder (shards.py): "/pagefind/2021-2022/"
// is "2021–2022", "/pagefind/2025-jul-dec/" is "juli–december 2025".
function periodOf(bundle) {
  const [year, ...rest] = bundle.split("/").filter(Boolean).pop().split("-");
  if (!rest.length) return year;
  if (/^\d{4}$/.test(rest[0])) return `${year}–${rest[0]}`;
  return `${rest.map((month) => MONTHS[month]).join("–")} ${year}`;
}

// Returns the wrapper of the newest shard's search object (see wrapSearch).
function searchingOlderShardsAfter(instance, older, report) {
  const progress = document.getElementById("search-progress");
  const results = document.querySelector("pagefind-results");
  return function progressive(newest) {
    const newestBundle = instance.options.bundlePath;
    const newestPeriod = periodOf(newestBundle);
    const runs = olderRuns(older);
    const vocabulary = document.querySelector("pagefind-config")?.dataset.vocabulary;
    // Merged, with its filters loaded (see loadShards), before the first search; without it
    // every shard is searched.
    const merged = vocabulary
      ? vocabularyThere(vocabulary)
          .then((there) => there && newest.mergeIndex(vocabulary).then(() => newest.filters()).then(() => true))
          .catch((error) => (console.error(error), false))
      : Promise.resolve(false);
    let generation = 0;
    let subset = null; // { key, made }: the instance of the few older shards the last query searched
    let rest = null; // the instances of the runs of older shards, loaded once the newest shard has its filters
    const loadOlder = () => {
      if (!rest) {
        const together = Math.max(1, Math.floor(OLDER_TOGETHER / runs.length));
        rest = Promise.all(runs.map((run) => loadShards(run, instance.pagefindOptions, run[0], together)));
        rest.catch(() => {
          rest = null; // tried again by the next search
        });
      }
      return rest;
    };
    // When the vocabulary names only a few of the older shards (FEW_SHARDS) as holding the
    // query's words, they alone are searched, in an instance of their own, so that the
    // others' chunks of the index are not fetched. It is made by the vocabulary bundle's
    // pagefind.js, whose worker nothing else uses, on the newest shard (whose WebAssembly,
    // metadata and index chunks the browser has already fetched; a shard not fetched before
    // cost 137 KiB of WebAssembly more), and kept for the next query with the same shards
    // (one such instance at a time: another query's shards replace it).
    const loadSubset = (bundles) => {
      const key = bundles.join(" ");
      if (subset?.key !== key) {
        const previous = subset?.made;
        const made = (previous ? previous.then((pagefind) => pagefind.destroy(), () => {}) : Promise.resolve())
          .then(() => loadShards([newestBundle, ...bundles], instance.pagefindOptions, vocabulary));
        subset = { key, made };
        made.catch(() => {
          if (subset?.made === made) subset = null; // made again by the next search
        });
      }
      return subset.made;
    };
    const searchOlderOnes = (term, options, holding) => {
      const few = holding && older.filter((bundle) => holding.names.has(nameOf(bundle)));
      const all = () =>
        loadOlder()
          .then((instances) => Promise.all(instances.map((pagefind, run) => searchOlder(pagefind, runs[run].map(nameOf), term, options, holding))))
          .then(mergeAnswers);
      if (!few?.length || few.length > older.length * FEW_SHARDS) return all();
      return loadSubset(few)
        .then((pagefind) => searchOlder(pagefind, [newestBundle, ...few].map(nameOf), term, options, { names: new Set(few.map(nameOf)) }))
        .catch((error) => (console.error(error), all()));
    };
    let known = null; // every shard's filters, once loaded
    return {
      supersede() {
        generation++; // the whole answer of the query before is not shown
      },
      knownFilters: () => known,
      async filters() {
        await merged;
        const first = mergeFilters([await newest.filters()]);
        loadOlder()
          .then((instances) => Promise.all(instances.map((pagefind) => pagefind.filters())))
          .then((others) => {
            const all = mergeFilters([first, ...others]);
            known = all;
            if (instance.searchTerm) return; // a search's answer brings its own counts
            instance.availableFilters = instance.totalFilters = all;
            instance.__dispatch__("filters", { available: all, total: all });
          }, console.error); // the year menu lists the newest shard's years until a search loads them
        return first;
      },
      async search(term, options) {
        const current = ++generation;
        report("", "searching");
        const withVocabulary = await merged;
        const [holding, answer] = await Promise.all([
          withVocabulary ? shardsHolding(newest, term).catch((error) => (console.error(error), null)) : null,
          newest.search(term, withVocabulary ? { ...options, filters: { ...options?.filters, ...NOT_VOCABULARY } } : options),
        ]);
        const first = visible(newestAnswer(answer, holding, nameOf(newestBundle)));
        // The data of the first results (those in view), before the older shards' search
        // takes the other core; Pagefind keeps it for the results list.
        await Promise.all(first.results.slice(0, ENOUGH_TO_SHOW_FIRST).map((result) => result.data()));
        const whole = searchOlderOnes(term, options, holding)
          .then(
            (answer) => ({ answer: mergeAnswers([first, answer]), note: "Alla år är genomsökta." }),
            (error) => {
              console.error(error);
              return { answer: first, note: `De äldre åren kunde inte sökas: träffarna är bara från ${newestPeriod}.` };
            },
          );
        if (first.results.length < ENOUGH_TO_SHOW_FIRST) {
          const { answer, note } = await whole;
          if (current === generation) report(answer === first ? note : "", "all");
          return answer;
        }
        if (current !== generation) return first; // a later query's status line stays
        report(`Visar först träffar från ${newestPeriod}. Söker i äldre år …`, "newest");
        whole.then(({ answer, note }) => {
          if (current !== generation) return;
          report(note, "all");
          if (answer === first) return;
          // The list is made anew: a keyboard user in it goes on from the line that says so.
          const inTheList = results.contains(document.activeElement);
          instance.searchResult = answer;
          instance.__dispatch__("filters", { available: answer.filters, total: answer.totalFilters });
          instance.__dispatch__("results", answer);
          if (inTheList) progress.focus();
        });
        return first;
      },
    };
  };
}

// The status line below the summary (what search.js says of the answer), and the state of
// the search (for tests and benchmarks: searching, newest, all). A query claims it for what
// it will say, which a later query's claim makes void.
function statusLine(choose) {
  const line = document.getElementById("search-progress");
  const list = document.querySelector("pagefind-results");
  let claims = 0;
  const report = (text, state) => {
    line.textContent = text;
    if (state) list.dataset.searched = state;
  };
  return {
    report,
    claim: () => ++claims,
    holds: (turn) => turn === claims,
    say(turn, text, state) {
      if (turn === claims) report(text, state);
    },
    // " Menade du ”term”?", term a link to the search page with it (the filters kept),
    // which searches it here.
    suggest(turn, term) {
      if (turn !== claims) return;
      const link = document.createElement("a");
      const params = new URLSearchParams(window.location.search);
      params.set("q", term);
      link.href = `?${params}`; // this page (a path beginning // would name another host)
      link.textContent = term;
      link.addEventListener("click", (event) => {
        if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return; // a new tab or window
        event.preventDefault();
        choose(term);
      });
      line.append(" Menade du ”", link, "”?");
    },
  };
}

// Pagefind's Component UI asks its instance's search object (__pagefind__, which it sets
// when it loads Pagefind) only for search() and filters(): wrap(search object) replaces it.
function wrapSearch(instance, wrap) {
  let wrapped = null;
  Object.defineProperty(instance, "__pagefind__", {
    configurable: true,
    get: () => wrapped,
    set: (search) => {
      wrapped = search && wrap(search);
    },
  });
}

// Pagefind's results list makes a placeholder for every result at once: 100,000 for a
// common word in a large archive, which held the page for a minute. It lists as many as
// max-results on pagefind-results says (50), and a button lists as many more.
function showMoreResults(instance) {
  const results = document.querySelector("pagefind-results");
  const button = document.getElementById("show-more");
  const step = Number(results.getAttribute("max-results")) || 50;
  let showingMore = false;
  // Pagefind announces the number of results it lists: announce how many were found, and
  // nothing when more are shown (the focus moves to the first of them).
  const announce = instance.announce.bind(instance);
  instance.announce = (key, values, priority) => {
    if (!/results?$/.test(key) || values?.COUNT === undefined) return announce(key, values, priority);
    if (!showingMore) announce(key, { ...values, COUNT: instance.searchResult?.results?.length ?? values.COUNT }, priority);
  };
  instance.on("search", () => {
    results.maxResults = step;
  }, "show-more");
  instance.on("results", (answer) => {
    const total = answer?.results?.length || 0;
    const shown = Math.min(total, results.maxResults);
    button.hidden = shown >= total;
    button.textContent = `Visa fler träffar (${shown.toLocaleString("sv-SE")} av ${total.toLocaleString("sv-SE")} visas)`;
  }, "show-more");
  button.addEventListener("click", async () => {
    const first = results.maxResults;
    results.maxResults += step;
    showingMore = true;
    instance.__dispatch__("results", instance.searchResult);
    showingMore = false;
    // The list is made anew, and Pagefind loads a result when it scrolls into view: bring
    // the first one added into view, and give its link the focus once it has one.
    const added = `pagefind-results li.pf-result:nth-child(${first + 1})`;
    document.querySelector(added)?.scrollIntoView({ block: "start" });
    (await whenRendered(`${added} a.pf-result-link`)).focus();
  });
}

async function start() {
  const manager = window.PagefindComponents.getInstanceManager();
  const older = olderShards();
  const instance = manager.getInstance("default");
  const status = statusLine((term) => {
    const box = document.querySelector("pagefind-input input");
    box.value = term;
    box.focus();
    instance.triggerSearch(term);
  });
  const progressive = older.length ? searchingOlderShardsAfter(instance, older, status.report) : (search) => search;
  const wordListUrl = document.querySelector("pagefind-config")?.dataset.wordList;
  wrapSearch(instance, wordListUrl ? (search) => answerOnlyWordsHeld(progressive(search), wordListUrl, status) : progressive);
  const input = await whenRendered("pagefind-input input");
  const results = document.querySelector("pagefind-results");
  showLabel(input);
  showMoreResults(instance);
  nameFilterMenus();
  removeHiddenWordsFromExcerpts(results, input);
  removeRepeatedHeadings(results);
  noteResultsWithoutDecisions(results);
  waitForThreeCharacters(input, instance);
  restoreFromHistory(input, instance);

  instance.on("search", (term, filters) => {
    if ((term || "").trim().length < MIN_LENGTH) {
      // The box cleared: no search, so no word missing, and no whole answer of the query before.
      status.say(status.claim(), "");
      instance.__pagefind__?.supersede?.();
    }
    writeUrl((term || "").trim(), filters);
    const onlyDecisions = (filters?.typ || []).includes("beslut");
    results.classList.toggle("only-decisions", onlyDecisions);
    // Pagefind lists a result's sub-results with the most hits, max-sub-results of them: with
    // only decisions shown, a decision that matched could be left out for its item's text.
    results.maxSubResults = onlyDecisions ? ALL_SUB_RESULTS : SUB_RESULTS;
  });

  const { term, filters } = readUrl();
  if (term.length >= MIN_LENGTH) {
    input.value = term;
    instance.triggerSearchWithFilters(term, filters);
  } else if (Object.keys(filters).length) {
    instance.triggerFilters(filters); // remembered for the first query; no filter-only search
  }
}

start();
