// Search page glue for Pagefind's Component UI:
// - a visible label for the search input;
// - no search before three characters (one or two letters match most of the archive,
//   since å, ä and ö fold to a and o, and make Pagefind fetch most of the index);
// - the query and the filters in the URL (?q=…&kommun=…&år=…), so that the header's
//   search box lands here with results, and a search can be bookmarked and shared;
// - with the filter "typ: beslut", only the decisions of each result are listed;
// - a large archive's search shards (data-merge-index on pagefind-config) are merged into
//   one search, before Pagefind loads;
// - the filter menus get accessible names, in Swedish (Pagefind 1.5.2 gives the combobox
//   buttons none, and labels the options "Haninge, 4 results");
// - the hidden search words of the meeting pages (between ⟦ and ⟧: parts of compound words,
//   topic synonyms) are taken out of the excerpts, which show only what the page shows, and
//   the compounds that hold a word of the query or a matched hidden word are marked.

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

function writeUrl(term, filters) {
  const params = new URLSearchParams();
  if (term) params.set("q", term);
  for (const key of FILTERS) {
    for (const value of filters?.[key] || []) params.append(key, value);
  }
  const query = params.toString();
  window.history.replaceState(null, "", window.location.pathname + (query ? `?${query}` : ""));
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
}

function waitForThreeCharacters(input, instance) {
  input.closest("pagefind-input").addEventListener(
    "input",
    (event) => {
      const length = input.value.trim().length;
      if (length > 0 && length < MIN_LENGTH) {
        event.stopPropagation(); // captured before Pagefind's own listener on the input
        instance.triggerSearch("");
      }
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

function folded(text) {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
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

function removeHiddenWordsFromExcerpts(results, input) {
  const clean = () => {
    const terms = folded(input.value.replace(/"/g, " ")).split(/\s+/).filter((term) => term.length >= MIN_LENGTH);
    for (const excerpt of results.querySelectorAll(".pf-result-excerpt, .pf-heading-excerpt")) {
      if (!/[⟦⟧]/.test(excerpt.innerHTML)) continue; // as Pagefind made it, or cleaned already
      const hiddenMatches = markedHiddenWords(excerpt.innerHTML);
      excerpt.innerHTML = withoutHiddenWords(excerpt.innerHTML);
      markWordsContaining(excerpt, [...terms, ...hiddenMatches]);
    }
  };
  clean();
  new MutationObserver(clean).observe(results, { subtree: true, childList: true, characterData: true });
}

function mergeShards(instance) {
  const shards = (document.querySelector("pagefind-config")?.dataset.mergeIndex || "").split(" ").filter(Boolean);
  instance.options.mergeIndex = shards.map((bundlePath) => ({ bundlePath }));
}

async function start() {
  mergeShards(window.PagefindComponents.getInstanceManager().getInstance("default"));
  const input = await whenRendered("pagefind-input input");
  const instance = window.PagefindComponents.getInstanceManager().getInstance("default");
  const results = document.querySelector("pagefind-results");
  showLabel(input);
  nameFilterMenus();
  removeHiddenWordsFromExcerpts(results, input);
  waitForThreeCharacters(input, instance);

  instance.on("search", (term, filters) => {
    writeUrl((term || "").trim(), filters);
    results.classList.toggle("only-decisions", (filters?.typ || []).includes("beslut"));
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
