"""Real Pagefind searches in headless Chromium against built sites."""

import json
import re
import shutil
import time

from selenium.webdriver.common.keys import Keys

import pytest

from browser_support import QuietHandler, chromium_driver, pagefind_search, read_all, serve
from search_queries import M2019_LG, QUERIES, random_queries

pytestmark = pytest.mark.browser

SEED_MEETING = "/moten/2020/2020-11-20-ledningsgruppen/"
EXCERPTS = ".pf-result-excerpt, .pf-heading-excerpt"
"""Where Pagefind shows what a result matched (the page's and each heading's)."""


@pytest.fixture(scope="module")
def browser():
    with chromium_driver() as driver:
        yield driver


@pytest.fixture(scope="module")
def content_url(content_site):
    with serve(content_site) as url:
        yield url


@pytest.fixture(scope="module")
def fixture_url(fixture_site):
    with serve(fixture_site) as url:
        yield url


def test_typed_without_diacritics_sodertorn_finds_the_seed_meeting(browser, content_url):
    found = pagefind_search(browser, content_url, "sodertorn")
    assert [r["url"] for r in found["results"]] == [SEED_MEETING]


def test_a_word_only_in_item_3_gives_the_p3_sub_result(browser, content_url):
    found = pagefind_search(browser, content_url, "beredskapslager")
    [result] = found["results"]
    assert [s["url"] for s in result["sub_results"]] == [SEED_MEETING + "#p3"]
    assert result["sub_results"][0]["title"] == "3. Uppdatering av läget kring Covid-19"


def test_a_decision_is_its_own_sub_result(browser, content_url):
    found = pagefind_search(browser, content_url, "varumärke")
    assert SEED_MEETING + "#p5-b4" in [s["url"] for s in found["results"][0]["sub_results"]]


def test_an_items_text_after_its_decisions_is_not_found_as_a_decision(browser, content_url):
    """"Diskussion kring Södertörnskonferensens genomförande" follows § 5's first decisions:
    it was found under the heading of decision 3, and cited as it (a review)."""
    found = pagefind_search(browser, content_url, "genomförande")
    sub_results = [(s["url"].removeprefix(SEED_MEETING), s["title"]) for s in found["results"][0]["sub_results"]]
    assert ("#p5-forts", "§ 5 Kommande möten, fortsättning") in sub_results
    assert "#p5-b3" not in [url for url, _ in sub_results], sub_results  # its text has no "genomför…"


def test_filter_kommun_narrows_results(browser, fixture_url):
    everything = pagefind_search(browser, fixture_url, "södertörn")
    haninge = pagefind_search(browser, fixture_url, "södertörn", {"kommun": "Haninge"})
    assert 0 < haninge["count"] < everything["count"]
    kept = {r["url"] for r in haninge["results"]}
    for result in everything["results"]:
        assert (result["url"] in kept) == ("Haninge" in result["filters"].get("kommun", [])), result["url"]


def test_filters_year_body_and_topic_are_indexed(browser, fixture_url):
    found = pagefind_search(browser, fixture_url, "beredskapslager")
    [result] = found["results"]
    assert result["url"] == "/moten/2020/2020-03-13-ledningsgruppen/"
    assert result["filters"]["år"] == ["2020"]
    assert result["filters"]["organ"] == ["Ledningsgruppen"]
    assert "Covid-19" in result["filters"]["ämne"]


def test_index_pages_are_not_results(browser, fixture_url):
    found = pagefind_search(browser, fixture_url, "beslut")
    assert found["count"] > 0
    assert all(r["url"].startswith("/moten/") for r in found["results"])


def test_search_page_shows_results_for_the_query_in_the_url(browser, content_url):
    browser.get(content_url + "sok/?q=sodertorn")
    deadline = time.time() + 20
    links = []
    while time.time() < deadline and not links:
        links = read_all(browser, "pagefind-results a", "href")
        time.sleep(0.2)
    assert any(link.endswith(SEED_MEETING) for link in links), links
    input_id = browser.find_element("css selector", "pagefind-input input").get_attribute("id")
    label = browser.find_element("css selector", f'label[for="{input_id}"]')
    assert label.is_displayed() and label.text == "Sök i arkivet"
    # One search landmark, named for what it searches (Pagefind's name is "Sök på denna sida").
    assert [e.get_attribute("aria-label") for e in browser.find_elements("css selector", "[role=search]")] == ["Sök i arkivet"]
    assert browser.find_element("css selector", "pagefind-input input").get_attribute("value") == "sodertorn"
    # The tips, below the filters so that the box is in view on a phone, describe the box.
    tips = browser.find_element("css selector", "pagefind-input input").get_attribute("aria-describedby")
    assert browser.find_element("id", tips).text.startswith("Du kan skriva utan å, ä och ö")
    problems = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert problems == []


def test_an_address_whose_path_begins_with_two_slashes_still_searches(browser, content_url):
    """A link made by joining ".../" and "/sok/" gives "//sok/": its path alone would read as
    another host's address, and writing the query into it once threw, and nothing was searched."""
    origin = content_url.rstrip("/")
    browser.get(origin + "//sok/?q=sodertorn")
    links = [link.get_attribute("href") for link in wait_for(browser, "pagefind-results a")]
    assert any(link.endswith(SEED_MEETING) for link in links), links
    assert browser.current_url == origin + "//sok/?q=sodertorn"
    problems = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert problems == []


def test_header_search_box_leads_to_the_search_page(browser, content_url):
    browser.get(content_url)
    box = browser.find_element("id", "sidhuvud-sok")
    box.send_keys("beredskapslager")
    box.submit()
    deadline = time.time() + 20
    while time.time() < deadline and "/sok/" not in browser.current_url:
        time.sleep(0.1)
    assert browser.current_url.endswith("/sok/?q=beredskapslager")


def test_search_waits_for_three_characters(browser, content_url):
    browser.get(content_url + "sok/")
    box = None
    deadline = time.time() + 20
    while time.time() < deadline and box is None:
        found = browser.find_elements("css selector", "pagefind-input input")
        box = found[0] if found else None
        time.sleep(0.1)
    box.send_keys("so")
    time.sleep(1.5)
    assert browser.find_elements("css selector", "pagefind-results a") == []
    box.send_keys("d")
    deadline = time.time() + 20
    links = []
    while time.time() < deadline and not links:
        links = browser.find_elements("css selector", "pagefind-results a")
        time.sleep(0.2)
    assert links


def test_the_index_holds_the_text_the_page_shows(browser, fixture_url):
    """The filters' hidden values are not indexed as text (a search for "möte" would find every
    meeting, and excerpts would show a list of municipalities and topics), and a fact's label
    stays apart from its value ("Plats Botkyrka kommunhus", not "PlatsBotkyrka"), and the
    label "Beslut" over each item's decisions is not in it (excerpts read "… Beslut. …")."""
    found = pagefind_search(browser, fixture_url, "Tumba")
    assert [r["url"] for r in found["results"]] == [M2019_LG]
    content = found["results"][0]["content"]
    # the kicker (the body), the title, the facts
    assert content.startswith("Ledningsgruppen. Minnesanteckningar från ledningsgruppens möte i maj. "
                              "Datum fredag 17 maj 2019. Tid 09.00–12.00. Plats Botkyrka kommunhus, Tumba."), content[:200]
    assert found["results"][0]["filters"]["kommun"]  # the filters are still there
    # the label over each item's decisions is not indexed: the decisions' headings say "beslut"
    assert " Beslut. " not in content and "beslut 1." in content


def test_excerpts_show_only_what_the_pages_show(browser, fixture_url):
    """The hidden search words (compound parts, topic synonyms) are found but never shown:
    'coronapandemin' is a synonym of Covid-19 in the fixture's topics, in no minutes' text."""
    excerpts = _excerpts(browser, fixture_url + "sok/?q=pandemin")
    assert len(excerpts) > 5
    assert [e for e in excerpts if "⟦" in e or "⟧" in e or "coronapandemin" in e.lower()] == []
    assert any("<mark>pandemin" in e for e in excerpts)


def test_a_result_found_by_a_part_of_a_compound_shows_the_compound_marked(browser, content_url):
    """"konferensen" is only a hidden part of planeringskonferensen and Södertörnskonferensen,
    placed at the nearer end of the clause of the compound's first appearance: every excerpt
    shows a compound, marked, even a decision's whose compound is far from its end, and
    the hidden words leave no gap before punctuation."""
    excerpts = _excerpts(browser, content_url + "sok/?q=konferensen")
    assert len(excerpts) >= 5
    for excerpt in excerpts:
        marked = re.findall(r"<mark>([^<]*)</mark>", excerpt)
        assert marked and all(word.lower().endswith(("konferensen", "konferensens")) for word in marked), excerpt
        assert not re.search(r"\s[.,;:]", excerpt), excerpt


def test_a_compound_is_marked_where_pagefind_matched_its_hidden_part(browser, content_url):
    """"direktörerna" matches the hidden part "direktörer" of kommundirektörer by its stem:
    the compound is marked, though it does not hold the word of the query."""
    excerpts = _excerpts(browser, content_url + "sok/?q=direktörerna")
    assert any("<mark>kommundirektörer</mark>" in excerpt for excerpt in excerpts), excerpts


def test_a_sub_results_excerpt_does_not_repeat_its_heading(browser, content_url):
    """Pagefind begins a sub-result's excerpt with its section's heading, which the result
    shows above it; it stays where a word of the query is marked in it."""
    chips = _sub_results(browser, content_url + "sok/?q=varumärke")
    assert chips == [("Ledningsgruppen 2020-11-20 § 5, beslut 4", "Att genomföra en Södertörnskonferensen under våren 2021 som riktar sig "
                      "både internt och externt i syfte att stärka vårt varumärke")]
    chips = dict(_sub_results(browser, content_url + "sok/?q=läget"))
    assert chips["3. Uppdatering av läget kring Covid-19"].startswith("Uppdatering av läget kring Covid-19. Kommundirektörerna")


def _sub_results(browser, url: str) -> list[tuple[str, str]]:
    """(heading, excerpt text) of each sub-result, once the excerpts are stable."""
    _excerpts(browser, url)
    return [tuple(text) for text in browser.execute_script(
        "return [...document.querySelectorAll('.pf-heading-chip')].map((chip) => [chip.querySelector('.pf-heading-link').textContent.trim(), "
        "chip.querySelector('.pf-heading-excerpt').textContent.trim()])")]


def _excerpts(browser, url: str) -> list[str]:
    """The excerpts of a search's results, once every result listed has its excerpt (a
    result shows an empty one until its data has loaded) and they have stayed the same for
    half a second, since the search page cleans them after Pagefind shows them."""
    browser.get(url)
    deadline, excerpts, since = time.time() + 20, [], time.time()
    while time.time() < deadline:
        time.sleep(0.2)
        now = read_all(browser, EXCERPTS, "innerHTML")
        if now != excerpts:
            excerpts, since = now, time.time()
        elif excerpts and all(excerpts) and time.time() - since >= 0.5:
            break
    return excerpts


def test_results_sort_by_date(browser, fixture_url):
    found = pagefind_search(browser, fixture_url, "södertörn", sort={"datum": "desc"})
    urls = [r["url"] for r in found["results"]]
    assert len(urls) > 2 and urls == sorted(urls, reverse=True)


def test_query_suite(browser, fixture_url, capsys):
    """Every query of the suite finds its meeting first, with the expected item or decision."""
    failures, reciprocal_ranks = [], []
    for query in QUERIES:
        page, _, anchor = query["first"].partition("#")
        found = pagefind_search(browser, fixture_url, query["q"], query.get("filters"))
        urls = [r["url"] for r in found["results"]]
        rank = urls.index(page) + 1 if page in urls else None
        reciprocal_ranks.append(1 / rank if rank else 0.0)
        subs = [s["url"] for s in found["results"][0]["sub_results"]] if found["results"] else []
        if rank != 1 or (anchor and query["first"] not in subs):
            failures.append(f"{query['kind']}: {query['q']!r} {query.get('filters', '')} -> {urls[:3]} {subs[:5]}")
    successes = len(QUERIES) - len(failures)
    with capsys.disabled():
        print(f"\nsearch query suite: {len(QUERIES)} queries, success@1 {successes / len(QUERIES):.3f}, "
              f"MRR {sum(reciprocal_ranks) / len(QUERIES):.3f}")
    assert failures == []


@pytest.mark.parametrize("term, anchor", [
    ("Norvik", "#p2"),
    ("beredskapslager", "#p3"),
    ("trafikplan", "#p4"),
    ("corona", "#p3"),
    ("pandemin", "#p3"),
    ("broarna", "#p4"),
    ("konferensen", "#p5-b3"),
    ("Haninge 2020", "#p2"),
])
def test_half_remembered_words_find_the_seed_minutes(browser, content_url, term, anchor):
    found = pagefind_search(browser, content_url, term)
    assert [r["url"] for r in found["results"]] == [SEED_MEETING]
    assert SEED_MEETING + anchor in [s["url"] for s in found["results"][0]["sub_results"]]


def wait_for(browser, selector, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = browser.find_elements("css selector", selector)
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"nothing matched {selector} within {timeout} s")


def test_query_and_filters_live_in_the_url(browser, fixture_url):
    browser.get(fixture_url + "sok/?q=trafikverket&%C3%A5r=2021")
    wait_for(browser, "pagefind-results a.pf-result-link")
    assert read_all(browser, "pagefind-results a.pf-result-link", "href") == [fixture_url + "moten/2021/2021-02-05-ledningsgruppen/"]
    box = browser.find_element("css selector", "pagefind-input input")
    box.send_keys(Keys.BACKSPACE * 20 + "kombiterminal")
    deadline = time.time() + 10
    while time.time() < deadline and "kombiterminal" not in browser.current_url:
        time.sleep(0.1)
    assert browser.current_url == fixture_url + "sok/?q=kombiterminal&%C3%A5r=2021"


def test_back_returns_to_the_query_before(browser, fixture_url):
    """Typing on from a query replaces the address; another query adds one to the history. The
    address was only ever replaced, and Back left the search page (a review)."""
    def settled(term):
        deadline = time.time() + 15
        while time.time() < deadline and not (browser.current_url.endswith(f"?q={term}")
                                              and browser.find_element("css selector", "pagefind-input input").get_attribute("value") == term
                                              and read_all(browser, "pagefind-results a.pf-result-link", "href")):
            time.sleep(0.1)
        return read_all(browser, "pagefind-results a.pf-result-link", "href")

    browser.get(fixture_url)
    browser.get(fixture_url + "sok/?q=trafikverket")
    first = settled("trafikverket")
    box = browser.find_element("css selector", "pagefind-input input")
    box.send_keys(Keys.BACKSPACE * 20 + "kombiterminal")  # emptied on the way: the address kept trafikverket
    second = settled("kombiterminal")
    assert first and second and first != second
    browser.back()
    assert settled("trafikverket") == first
    browser.forward()
    assert settled("kombiterminal") == second
    browser.back()
    browser.back()
    assert browser.current_url == fixture_url


def test_typ_beslut_lists_only_decisions(browser, fixture_url):
    browser.get(fixture_url + "sok/?q=trafikverket&typ=beslut")
    wait_for(browser, "pagefind-results a.pf-heading-link")
    time.sleep(0.5)
    shown = browser.execute_script(  # in one script: the list may be made anew meanwhile (read_all)
        "return [...document.querySelectorAll('pagefind-results a.pf-heading-link')].filter((a) => a.checkVisibility()).map((a) => a.href)")
    assert shown and all("-b" in link.rsplit("#", 1)[1] for link in shown), shown


# Each listed result with all of its sub-results listed (fewer than five): its decisions that
# the query found, or the line that says there are none; visible, both of them.
LISTED_UNDER_RESULTS = """
  return [...document.querySelectorAll('pagefind-results li.pf-result')].filter((r) => r.querySelector('a.pf-result-link')).map((r) => ({
    links: [...r.querySelectorAll('a.pf-heading-link')].map((a) => a.getAttribute('href')),
    decisions: [...r.querySelectorAll('a.pf-heading-link')].filter((a) => a.checkVisibility() && /-b\\d+$/.test(a.href)).length,
    note: [...r.querySelectorAll('.no-decision-found')].filter((p) => p.checkVisibility()).map((p) => p.textContent)}))"""


def test_typ_beslut_says_when_the_query_found_none_of_a_meetings_decisions(browser, content_url, fixture_url):
    # "näringslivschefer" is in items 1 and 2 of the seed meeting, not in its decisions (items 3 and 5)
    browser.get(content_url + "sok/?q=n%C3%A4ringslivschefer&typ=beslut")
    wait_for(browser, "pagefind-results .no-decision-found")
    [result] = browser.execute_script(LISTED_UNDER_RESULTS)
    assert result["decisions"] == 0 and result["note"] == ["Sökorden finns i mötet men inte i något av dess beslut."], result
    for url in (content_url + "sok/?q=n%C3%A4ringslivschefer", fixture_url + "sok/?q=trafikverket&typ=beslut"):
        browser.get(url)  # no line without the filter; with it, none under results with a decision found
        wait_for(browser, "pagefind-results a.pf-result-link")
        time.sleep(1)
        listed = browser.execute_script(LISTED_UNDER_RESULTS)
        assert listed and all(not result["note"] for result in listed), listed
        if "typ=beslut" in url:
            assert all(result["decisions"] or len(result["links"]) >= 5 for result in listed), listed


# A large archive's search index is split into shards by year (shards.py); the fixture
# archive, with at most two meeting pages a shard, gives three (2021, 2020, 2019), and with
# one page a shard each year is split by month: six. A large archive's older shards are
# searched in runs, each in a web worker of its own (search.js, olderRuns): the fixture has
# too few shards for that, so the third build asks for two runs of its five older shards.

def with_older_workers(site, workers: int) -> None:
    """The search page of site made to search its older shards in as many workers."""
    page = site / "sok" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert html.count("<pagefind-config ") == 1
    page.write_text(html.replace("<pagefind-config ", f'<pagefind-config data-older-workers="{workers}" '), encoding="utf-8")


@pytest.fixture(scope="module", params=[(2, 0), (1, 0), (1, 2)], ids=["by-year", "by-month", "by-month-in-two-workers"])
def sharded_url(request, tmp_path_factory):
    from conftest import FIXTURE_ARCHIVE, TEMPLATES
    from minutes_archive.pipeline import BuildOptions, build

    shard_pages, workers = request.param
    output = tmp_path_factory.mktemp("sharded-build") / "site"
    build(BuildOptions(FIXTURE_ARCHIVE, TEMPLATES, output, search=True, shard_pages=shard_pages))
    expected = {2: ["2019", "2020", "2021"], 1: ["2019-maj", "2019-okt", "2020-mar", "2020-sep", "2021-apr", "2021-feb"]}
    assert sorted(p.name for p in (output / "pagefind").iterdir()) == [*expected[shard_pages], "ordlista"]
    if workers:
        with_older_workers(output, workers)
    with serve(output) as url:
        yield url


def test_shards_searched_together_find_what_one_index_finds(browser, fixture_url, sharded_url):
    for term, filters in [("södertörn", None), ("beslut", None), ("södertörn", {"kommun": "Haninge"}), ("trafikverket", {"år": "2021"})]:
        whole = pagefind_search(browser, fixture_url, term, filters)
        sharded = pagefind_search(browser, sharded_url, term, filters)
        assert sharded["count"] == whole["count"] > 0, term
        assert sorted(r["url"] for r in sharded["results"]) == sorted(r["url"] for r in whole["results"]), term


def test_the_search_page_merges_the_shards(browser, sharded_url):
    browser.get(sharded_url + "sok/?q=s%C3%B6dert%C3%B6rn")
    deadline = time.time() + 20
    years: set[str] = set()
    while time.time() < deadline and len(years) < 3:
        # read in one go in the page: results replace their placeholders as they load
        links = browser.execute_script("return [...document.querySelectorAll('pagefind-results a.pf-result-link')].map((a) => a.href)")
        years = {link.split("/moten/")[1][:4] for link in links if "/moten/" in link}
        time.sleep(0.2)
    assert years == {"2019", "2020", "2021"}
    browser.find_element("css selector", "pagefind-filter-dropdown[filter='år'] button").click()
    wait_for(browser, "pagefind-filter-dropdown[filter='år'] .pf-dropdown-option")
    options = browser.execute_script(
        "return [...document.querySelectorAll(\"pagefind-filter-dropdown[filter='år'] .pf-dropdown-option\")].map((o) => o.textContent)")
    assert {o.split()[0] for o in options} >= {"2019", "2020", "2021"}
    problems = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert problems == []


# The search page's own search, triggered as its search box does (with filters as its
# menus give them): the URLs of the whole answer, and its filter counts above zero.
FINAL_ANSWER_SCRIPT = """
const [term, filters, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
const instance = window.PagefindComponents.getInstanceManager().getInstance("default");
const list = document.querySelector("pagefind-results");
const counted = (all) => Object.fromEntries(Object.entries(all || {}).map(([key, values]) =>
  [key, Object.fromEntries(Object.entries(values).filter(([, count]) => count > 0))]));
instance.on("results", async (answer) => {
  if (instance.searchTerm !== term) return;  // the answer to an earlier query of the same page
  if (list.dataset.searched && list.dataset.searched !== "all") return;  // a sharded page's first answer
  const urls = (await Promise.all(answer.results.map((r) => r.data()))).map((d) => d.url);
  done({ urls: urls.sort(), filters: counted(answer.filters), total: counted(answer.totalFilters) });
}, "test");
instance.triggerSearchWithFilters(term, filters);
"""


def final_answer(browser, url, term, filters=None):
    browser.get(url + "sok/")
    wait_for(browser, "pagefind-input input")
    return browser.execute_async_script(FINAL_ANSWER_SCRIPT, term, filters or {})


def final_answer_here(browser, term, filters=None):
    """The whole answer to a query typed into the search page that is open."""
    return browser.execute_async_script(FINAL_ANSWER_SCRIPT, term, filters or {})


def final_answers(browser, url, queries):
    """The whole answers to queries typed one after another into one search page."""
    browser.get(url + "sok/")
    wait_for(browser, "pagefind-input input")
    return [browser.execute_async_script(FINAL_ANSWER_SCRIPT, term, filters) for term, filters in queries]


@pytest.mark.parametrize("term, filters", [
    ("haninge terminalen", None),  # terminalen: in 2021 only; the other shards answered with haninge alone
    ("trafikverket", None),  # not in 2020, which answered with its shorter words (trafik)
    ("haninge terminalen", {"kommun": ["Haninge"]}),  # the counts without the filter too
    ('"kompetensförsörjning"', None),  # a phrase: Pagefind does not fall back on it
    ("södertörn", None),  # in every shard
])
def test_a_sharded_search_finds_what_one_index_finds_with_words_that_some_shards_lack(browser, fixture_url, sharded_url, term, filters):
    whole = final_answer(browser, fixture_url, term, filters)
    assert whole["urls"]
    assert final_answer(browser, sharded_url, term, filters) == whole


def test_a_sharded_search_answers_random_queries_as_one_index_does(browser, fixture_url, sharded_url):
    """Queries made of the archive's own words (search_queries.random_queries), one after
    another in one page, so that the instances of the few older shards a query needs
    replace each other as they do for someone searching: each whole answer is one index's."""
    from conftest import FIXTURE_ARCHIVE

    queries = random_queries(FIXTURE_ARCHIVE, seed=2026, count=60)
    whole = final_answers(browser, fixture_url, queries)
    assert sum(1 for answer in whole if answer["urls"]) >= len(queries) // 2  # most queries find something
    sharded = final_answers(browser, sharded_url, queries)
    assert [(query, answer) for query, answer in zip(queries, sharded)] == [(query, answer) for query, answer in zip(queries, whole)]


class RecordingHandler(QuietHandler):
    """Serves files and keeps the paths asked for."""

    paths: list[str] = []

    def do_GET(self):
        RecordingHandler.paths.append(self.path)
        super().do_GET()


def test_only_the_older_shards_that_hold_the_words_fetch_their_index(browser, fixture_url, tmp_path):
    """trafikverket is in two meetings, of February 2021 and May 2019: of the five older
    shards of the archive split by month, only those two are searched (in an instance of
    their own), so no other fetches a chunk of its index, and the answer is one index's.
    Then norvik, in the same page, in the shards of September 2020 and February 2021: an
    instance of those two replaces the first."""
    from conftest import FIXTURE_ARCHIVE, TEMPLATES
    from minutes_archive.pipeline import BuildOptions, build

    site = tmp_path / "site"
    build(BuildOptions(FIXTURE_ARCHIVE, TEMPLATES, site, search=True, shard_pages=1))
    with serve(site, RecordingHandler) as url:
        RecordingHandler.paths = []
        answer = final_answer(browser, url, "trafikverket")
        indexes = fetched_indexes(RecordingHandler.paths)
        RecordingHandler.paths = []
        then = browser.execute_async_script(FINAL_ANSWER_SCRIPT, "norvik", {})
        then_indexes = fetched_indexes(RecordingHandler.paths)
    assert answer == final_answer(browser, fixture_url, "trafikverket")
    assert indexes == {"2021-apr", "ordlista", "2021-feb", "2019-maj"}  # the newest, the vocabulary, the two
    assert then == final_answer(browser, fixture_url, "norvik")
    assert "2020-sep" in then_indexes <= {"2021-apr", "ordlista", "2021-feb", "2020-sep"}  # the rest may be cached


def test_older_shards_in_two_workers_are_searched_each_in_its_own(browser, fixture_url, tmp_path):
    """The five older shards of the archive split by month, in two runs: each run's instance
    is made by its first shard's pagefind.js (a worker of its own), and a word in every
    year fetches the index of every shard; the answer is one index's."""
    from conftest import FIXTURE_ARCHIVE, TEMPLATES
    from minutes_archive.pipeline import BuildOptions, build

    site = tmp_path / "site"
    build(BuildOptions(FIXTURE_ARCHIVE, TEMPLATES, site, search=True, shard_pages=1))
    with_older_workers(site, 2)
    with serve(site, RecordingHandler) as url:
        RecordingHandler.paths = []
        answer = final_answer(browser, url, "södertörn")
        paths = list(RecordingHandler.paths)
    assert answer == final_answer(browser, fixture_url, "södertörn")
    modules = {match.group(1) for path in paths if (match := re.match(r"/pagefind/([^/]+/)?pagefind\.js", path))}
    # the newest shard's (Pagefind's own instance) and the first of each run of older shards:
    # 2021-feb, 2020-sep, 2020-mar; 2019-okt, 2019-maj
    assert modules == {"2021-apr/", "2021-feb/", "2019-okt/"}, paths
    assert fetched_indexes(paths) >= {"2021-apr", "2021-feb", "2020-sep", "2020-mar", "2019-okt", "2019-maj"}


def fetched_indexes(paths: list[str]) -> set[str]:
    """The bundles of which a chunk of the index was fetched."""
    return {match.group(1) for path in paths if (match := re.match(r"/pagefind/([^/]+)/index/", path))}


# The search page of a sharded archive shows the newest shard's results first and the whole
# answer once the older shards are searched (search.js); conftest's generated_sharded_site.

@pytest.fixture(scope="module")
def generated_sharded_url(generated_sharded_site):
    with serve(generated_sharded_site) as url:
        yield url


# The page's own search, triggered as its search box does; each answer the results list
# gets, with the state of the search at that moment and the progress line.
ANSWERS_SCRIPT = """
const [term, done] = [arguments[0], arguments[arguments.length - 1]];
const instance = window.PagefindComponents.getInstanceManager().getInstance("default");
const list = document.querySelector("pagefind-results");
const answers = [];
instance.on("results", async (answer) => {
  const entry = { state: list.dataset.searched, progress: document.getElementById("search-progress").textContent,
                  ids: answer.results.map((r) => r.id), scores: answer.results.map((r) => r.score) };
  entry.urls = (await Promise.all(answer.results.map((r) => r.data()))).map((d) => d.url);
  answers.push(entry);
  if (entry.state === "all") done(answers);
}, "test");
instance.triggerSearch(term);
"""


def page_answers(browser, url, term):
    browser.get(url + "sok/")
    wait_for(browser, "pagefind-input input")
    return browser.execute_async_script(ANSWERS_SCRIPT, term)


def test_the_newest_shard_answers_first_then_all_of_them(browser, generated_sharded_url):
    first, whole = page_answers(browser, generated_sharded_url, "kommunerna")
    newest_years = {
        int(year) for year in re.search(r'bundle-path="/pagefind/([\d-]+)/"', browser.page_source).group(1).split("-")
    }
    newest = re.search(r'bundle-path="/pagefind/([\d-]+)/"', browser.page_source).group(1)
    assert first["state"] == "newest" and first["progress"] == f"Visar först träffar från {newest}. Söker i äldre år …"
    assert len(first["urls"]) >= 5 and {int(u.split("/")[2]) for u in first["urls"]} <= set(range(min(newest_years), max(newest_years) + 1))
    assert whole["progress"] == "Alla år är genomsökta." and set(first["ids"]) < set(whole["ids"])
    assert whole["scores"] == sorted(whole["scores"], reverse=True)
    problems = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert problems == []
    # the same pages as Pagefind's own search of the shards merged into one instance
    merged = browser.execute_async_script(MERGED_URLS_SCRIPT, "kommunerna")
    assert sorted(whole["urls"]) == sorted(merged) and len(merged) == 120


MERGED_URLS_SCRIPT = """
const [term, done] = [arguments[0], arguments[arguments.length - 1]];
(async () => {
  const config = document.querySelector("pagefind-config");
  const pagefind = (await import(config.getAttribute("bundle-path") + "pagefind.js")).createInstance({});
  for (const bundle of config.dataset.olderShards.split(" ")) await pagefind.mergeIndex(bundle);
  const search = await pagefind.search(term);
  return (await Promise.all(search.results.map((r) => r.data()))).map((d) => d.url);
})().then(done, (error) => done(String(error)));
"""


def test_few_results_in_the_newest_shard_wait_for_the_whole_answer(browser, generated_sharded_url):
    [only] = page_answers(browser, generated_sharded_url, "Norvik")
    assert only["state"] == "all" and only["progress"] == ""


def test_results_are_listed_fifty_at_a_time(browser, generated_sharded_url):
    browser.get(generated_sharded_url + "sok/?q=kommunerna")
    deadline = time.time() + 30
    while time.time() < deadline and browser.find_element("css selector", "pagefind-results").get_attribute("data-searched") != "all":
        time.sleep(0.2)
    button = wait_for(browser, "#show-more")[0]
    time.sleep(0.5)
    assert button.is_displayed() and button.text == "Visa fler träffar (50 av 120 visas)"
    assert len(browser.find_elements("css selector", "pagefind-results li.pf-result")) == 50
    summary = browser.find_element("css selector", "pagefind-summary").text
    assert "120" in summary, summary
    button.click()
    deadline = time.time() + 10
    while time.time() < deadline and browser.switch_to.active_element.get_attribute("class") != "pf-result-link":
        time.sleep(0.1)
    assert len(browser.find_elements("css selector", "pagefind-results li.pf-result")) == 100
    focused = browser.switch_to.active_element
    assert focused.get_attribute("class") == "pf-result-link"
    assert browser.execute_script(
        "return document.activeElement.closest('li.pf-result') === document.querySelectorAll('pagefind-results li.pf-result')[50]")
    assert button.text == "Visa fler träffar (100 av 120 visas)"


def test_older_shards_that_fail_to_load_leave_the_newest_results(browser, generated_sharded_site, copy_of):
    site = copy_of(generated_sharded_site)
    older = re.search(r'data-older-shards="([^" ]+)', (site / "sok" / "index.html").read_text(encoding="utf-8")).group(1)
    for name in ("pagefind.js", "pagefind-entry.json"):
        (site / older.strip("/") / name).unlink()
    with serve(site) as url:
        browser.get(url + "sok/?q=kommunerna")
        deadline = time.time() + 20
        while time.time() < deadline and browser.find_element("css selector", "pagefind-results").get_attribute("data-searched") != "all":
            time.sleep(0.1)
        time.sleep(0.5)
        progress = browser.find_element("id", "search-progress").text
        assert progress.startswith("De äldre åren kunde inte sökas: träffarna är bara från "), progress
        newest = browser.find_element("css selector", "pagefind-config").get_attribute("bundle-path").split("/")[-2]
        years = {link.get_attribute("href").split("/moten/")[1][:4] for link in browser.find_elements("css selector", "a.pf-result-link")}
        assert years and all(newest.split("-")[0] <= year <= newest.split("-")[-1] for year in years), years


def test_a_vocabulary_bundle_that_is_not_there_leaves_every_shard_searched(browser, generated_sharded_site, generated_sharded_url, copy_of):
    """Merged into the newest shard's instance, a bundle that fails to load broke its every search."""
    site = copy_of(generated_sharded_site)
    (site / "pagefind/ordlista/pagefind-entry.json").unlink()
    whole = final_answer(browser, generated_sharded_url, "kommunerna ledningsgruppen")
    with serve(site) as url:
        assert final_answer(browser, url, "kommunerna ledningsgruppen") == whole


class SlowOlderShards(QuietHandler):
    """Serves the older shards' files 0.2 s late, so that the whole answer comes seconds
    after the first."""

    newest = ""

    def do_GET(self):
        if self.path.startswith("/pagefind/") and not self.path.startswith(self.newest):
            time.sleep(0.2)
        super().do_GET()


def test_a_keyboard_user_in_the_first_results_goes_on_from_the_line_that_says_all_years_are_searched(browser, generated_sharded_site):
    html = (generated_sharded_site / "sok" / "index.html").read_text(encoding="utf-8")
    SlowOlderShards.newest = re.search(r'bundle-path="([^"]+)"', html).group(1)
    with serve(generated_sharded_site, SlowOlderShards) as url:
        browser.get(url + "sok/?q=kommunerna")
        first_link = wait_for(browser, "pagefind-results a.pf-result-link")[0]
        assert browser.find_element("css selector", "pagefind-results").get_attribute("data-searched") == "newest"
        first_link.send_keys("")  # the focus on the first result, as a keyboard user tabbing to it
        assert browser.switch_to.active_element == first_link
        deadline = time.time() + 60
        while time.time() < deadline and browser.find_element("css selector", "pagefind-results").get_attribute("data-searched") != "all":
            time.sleep(0.2)
        focused = browser.switch_to.active_element
        assert focused.get_attribute("id") == "search-progress" and focused.text == "Alla år är genomsökta."


def test_a_result_found_by_a_topic_synonym_alone_names_the_topic(browser, fixture_url):
    """"corona" is a synonym of Covid-19 in the fixture's topics: the item on smittskydd and its
    decisions are found by it alone, hidden after their text, and say which topic found them;
    the welcome item, which shows "coronaviruset", has it marked and no such line."""
    excerpts = _excerpts(browser, fixture_url + "sok/?q=corona")
    noted = [e for e in excerpts if 'class="topic-hit"' in e]
    assert noted and all(e.endswith('<span class="topic-hit">Hittad genom ämnet <mark>Covid-19</mark></span>') for e in noted), noted
    assert all("<mark>" in e for e in excerpts), excerpts  # every result shows why it was found
    assert any("<mark>coronaviruset.</mark>" in e or "<mark>coronaviruset</mark>" in e for e in excerpts if "topic-hit" not in e), excerpts


def test_an_excerpt_of_the_attendees_separates_municipalities_and_names(browser, content_url):
    """Pagefind ends a sentence after a paragraph, not after a dt or dd: the names and their
    municipalities are paragraphs, so an excerpt does not run them together."""
    excerpts = [re.sub(r"<[^>]+>", "", html) for html in _excerpts(browser, content_url + "sok/?q=Fridlund")]
    assert any("Botkyrka. Leif Eriksson. Gustav Fridlund (endast punkt 2). Haninge. Magnus Gyllestad." in text for text in excerpts), excerpts


def test_a_result_shows_its_date_in_swedish(browser, content_url):
    browser.get(content_url + "sok/?q=sodertorn")
    wait_for(browser, "pagefind-results a.pf-result-link")
    meta = browser.execute_script("return [...document.querySelectorAll('pagefind-results .result-meta')].map((p) => p.outerHTML)")
    assert meta == ['<p class="result-meta">Ledningsgruppen · <time datetime="2020-11-20">20 november 2020</time></p>'], meta


# The word list (word_list.py, assets/word-list.js): a query with a word that no page holds
# gets no results, where Pagefind alone answers with a shorter word that the word begins with.

WORD_LIST_SCRIPT = """
const [call, args, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
import(new URL("../assets/word-list.js", location.href).href)
  .then(async (module) => done({ value: await ({
    stems: (words) => words.map((word) => module.shortestStem(module.folded(word))),
    lacking: (url, terms) => Promise.all(terms.map(module.wordList(url, 3).lacking)),
    nearest: (url, words) => { const list = module.wordList(url, 3); return Promise.all(words.map(list.nearest)); },
  })[call](...args) }))
  .catch((error) => done({ error: String(error) }));
"""


def word_list_call(browser, url: str, call: str, *args):
    browser.get(url + "sok/")
    answer = browser.execute_async_script(WORD_LIST_SCRIPT, call, list(args))
    assert "error" not in answer, answer
    return answer["value"]


def status_line(browser) -> str:
    return browser.find_element("id", "search-progress").text


def test_a_query_with_a_word_that_no_page_holds_gets_no_results_and_names_the_word(browser, content_url):
    assert pagefind_search(browser, content_url, "ikjhgfd")["count"] == 1  # Pagefind alone: the pages with "i"
    assert pagefind_search(browser, content_url, "sodertorn xyzzyq")["count"] == 1  # and the rest of the query
    assert final_answer(browser, content_url, "ikjhgfd")["urls"] == []
    assert status_line(browser) == "Ordet ”ikjhgfd” finns inte i arkivet."
    assert final_answer(browser, content_url, "xyzzyq sodertorn budgetproposition")["urls"] == []
    assert status_line(browser) == "Orden ”xyzzyq” och ”budgetproposition” finns inte i arkivet."
    # The box cleared: no search, and the line says nothing.
    browser.execute_script('window.PagefindComponents.getInstanceManager().getInstance("default").triggerSearch("")')
    deadline = time.time() + 5
    while time.time() < deadline and status_line(browser):
        time.sleep(0.1)
    assert status_line(browser) == ""
    # Forms of the pages' words, and phrases, which Pagefind does not answer with shorter words, are searched.
    for term in ("besluten Södertörns", "kommunerna november", '"sodertorn xyzzyq"'):
        expected = [SEED_MEETING] if "xyzzyq" not in term else []
        assert final_answer(browser, content_url, term)["urls"] == expected, term
        assert status_line(browser) == "", term


def test_a_missing_word_near_a_listed_one_is_offered_the_query_with_that_word(browser, content_url):
    answer = final_answer(browser, content_url, "Södertörns Gylestad")
    assert answer["urls"] == []
    assert status_line(browser) == "Ordet ”Gylestad” finns inte i arkivet. Menade du ”Södertörns Gyllestad”?"
    link = browser.find_element("css selector", "#search-progress a")
    assert link.get_attribute("href").endswith("/sok/?q=S%C3%B6dert%C3%B6rns+Gyllestad")
    link.click()
    deadline = time.time() + 10
    while time.time() < deadline and not read_all(browser, "pagefind-results a.pf-result-link", "href"):
        time.sleep(0.1)
    assert [href.removeprefix(content_url.rstrip("/")) for href in read_all(browser, "pagefind-results a.pf-result-link", "href")] == [SEED_MEETING]
    assert status_line(browser) == ""
    box = browser.find_element("css selector", "pagefind-input input")
    assert box.get_attribute("value") == "Södertörns Gyllestad" and browser.switch_to.active_element == box
    assert browser.current_url.endswith("/sok/?q=S%C3%B6dert%C3%B6rns+Gyllestad")
    # Each missing word near a listed one, as the pages write it; none offered where one is not.
    final_answer(browser, content_url, "kommunrena, sodertorm")
    assert status_line(browser) == "Orden ”kommunrena” och ”sodertorm” finns inte i arkivet. Menade du ”kommunerna, Södertörn”?"
    final_answer(browser, content_url, "kommunrena xyzzyq")
    assert status_line(browser) == "Orden ”kommunrena” och ”xyzzyq” finns inte i arkivet."
    assert browser.find_elements("css selector", "#search-progress a") == []


RACE_SCRIPT = """
const [first, second, delay, done] = arguments;
const instance = window.PagefindComponents.getInstanceManager().getInstance("default");
instance.triggerSearch(first);
setTimeout(() => instance.triggerSearch(second), delay);
setTimeout(() => done(document.getElementById("search-progress").textContent), delay + 1500);
"""


def test_an_earlier_query_answered_late_leaves_the_status_line_of_a_later_one_with_a_missing_word(browser, generated_sharded_url):
    """A query whose newest shard answers after a later query with a missing word was
    answered used to say "Visar först träffar från …" over the later one's line."""
    browser.get(generated_sharded_url + "sok/")
    wait_for(browser, "pagefind-input input")
    final_answer_here(browser, "kommunen kommunrena")  # the word list's files fetched
    lines = {
        (word, delay): browser.execute_async_script(RACE_SCRIPT, word, "kommunen kommunrena", delay)
        for word in ("kommunen", "ordförande", "beslut", "trafik", "planen") for delay in (2, 20)
    }
    expected = "Ordet ”kommunrena” finns inte i arkivet. Menade du ”kommunen kommunerna”?"
    assert lines == dict.fromkeys(lines, expected)


def test_the_nearest_listed_word_is_within_one_edit_of_a_short_word_and_two_of_a_long_one(browser, content_url):
    """As the pages write it: in small letters if typed so and the pages write it so too."""
    words = {
        "Gylestad": "Gyllestad", "Gyllestdd": "Gyllestad", "Gylestdd": "Gyllestad", "Gylestdt": None,  # 3 edits
        "kommnuerna": "kommunerna", "kommnuernna": "kommunerna", "kommnuernnna": None,
        "Botkyka": "Botkyrka", "Botkka": None,  # two edits of a word of 7 letters
        "Btokyrka": "Botkyrka",  # among the words around where it would be: in a list this small, all of them
        "bergg": "berg", "Bergg": "Berg", "besltu": "beslut", "Besltu": "beslut",  # the pages write beslut only so
        "sodertorm": "Södertörn",
        "2023": None, "2019-11-20": None, "E5": None,  # another year, date or number is another thing: 2021, 2020-11-20, E4
    }
    assert dict(zip(words, word_list_call(browser, content_url, "nearest", "/sok/ord/", list(words)))) == words


def test_of_as_near_words_the_one_on_more_pages_is_offered_and_the_words_read_backwards_are_searched_too(browser, content_site, copy_of):
    """A list of files of two words, with the number of pages of each word."""
    from minutes_archive.word_list import write_word_list

    site = copy_of(content_site)
    shutil.rmtree(site / "sok" / "ord")
    between_norvik_and_salem = {f"p{letter * 3}": 1 for letter in "abcdefghij"}
    write_word_list(site / "sok" / "ord", {"trafik": 5, "träig": 1, "traktor": 1, "trams": 1, "salean": 2, "Salem": 2, "salens": 2,
                                           "Norvik": 1, "norvikens": 3, **between_norvik_and_salem}, most=2)
    words = {
        "traik": "trafik",  # as near as träig, the word's length, but on more pages
        "salen": "Salem",  # as near as salean (first in the list) and salens, on as many pages: the word's length
        "norvk": "Norvik",  # nearer than norvikens, which is on more pages
        "tramik": "trafik",  # would be in the file after trafik's
        "Sorvik": "Norvik",  # among the s… words, far from Norvik; read backwards, next to it
    }
    with serve(site) as url:
        assert dict(zip(words, word_list_call(browser, url, "nearest", "/sok/ord/", list(words)))) == words
    # The words read backwards, or their files, not there (a list of older code, a network
    # error): the words forwards alone. Each served anew, so that nothing comes from the cache.
    for missing in ("bakifran.json", "b*.txt"):
        broken = copy_of(site, f"without {missing}")
        for path in (broken / "sok" / "ord").glob(missing):
            path.unlink()
        with serve(broken) as url:
            assert dict(zip(words, word_list_call(browser, url, "nearest", "/sok/ord/", list(words)))) == {**words, "Sorvik": None}


def test_the_search_page_asks_for_its_scripts_with_the_version_of_the_assets(browser, content_site, content_url):
    """A browser never pairs a search.js with a cached word-list.js of another build."""
    from minutes_archive.render import assets_version

    final_answer(browser, content_url, "kommunerna")
    scripts = browser.execute_script("return performance.getEntriesByType('resource').map((entry) => entry.name)"
                                     ".filter((name) => name.includes('/assets/'))")
    version = assets_version(content_site / "assets")  # as copied from templates/assets
    assert {name.removeprefix(content_url) for name in scripts} >= {f"assets/search.js?v={version}", f"assets/word-list.js?v={version}"}


def test_a_sharded_search_names_the_word_no_page_holds(browser, generated_sharded_url):
    answer = final_answer(browser, generated_sharded_url, "kommunerna xyzzyq")
    assert answer["urls"] == [] and status_line(browser) == "Ordet ”xyzzyq” finns inte i arkivet."
    assert browser.find_element("css selector", "pagefind-results").get_attribute("data-searched") == "all"
    assert final_answer(browser, generated_sharded_url, "kommunerna")["urls"]


def test_a_sharded_answer_with_a_missing_word_keeps_a_chosen_older_year_in_its_menu(browser, generated_sharded_url):
    """The filter counts of the answer are every shard's, at 0, once the older shards are
    loaded: a year chosen from the older shards stays in its menu (not only the newest
    shard's years)."""
    browser.get(generated_sharded_url + "sok/?år=2010")
    wait_for(browser, "pagefind-input input")
    years = 'return Object.keys(window.PagefindComponents.getInstanceManager().getInstance("default").availableFilters?.["år"] || {}).length'
    deadline = time.time() + 30
    while time.time() < deadline and browser.execute_script(years) < 20:
        time.sleep(0.1)
    assert final_answer_here(browser, "kommunerna xyzzyq", {"år": ["2010"]})["urls"] == []
    assert status_line(browser) == "Ordet ”xyzzyq” finns inte i arkivet."
    browser.find_element("css selector", "pagefind-filter-dropdown[filter='år'] button").click()
    options = wait_for(browser, "pagefind-filter-dropdown[filter='år'] [role='option']")
    assert [option.text.split() for option in options] == [["2010", "0"]]


@pytest.mark.parametrize("most", [None, 5])
def test_every_word_of_the_archives_pages_is_in_its_word_list(browser, fixture_site, copy_of, most):
    """As built, and with files of at most 5 words (so that the words that begin as a word of
    a query does are often spread over files, or begin the next)."""
    from minutes_archive.shard_words import page_words
    from minutes_archive.word_list import write_word_list

    words = sorted({word for page in fixture_site.glob("moten/*/*/index.html") for word in page_words(page.read_text(encoding="utf-8"))})
    assert len(words) > 500
    site = fixture_site
    if most:
        site = copy_of(fixture_site)
        shutil.rmtree(site / "sok" / "ord")
        write_word_list(site / "sok" / "ord", words, most)
        assert len(json.loads((site / "sok" / "ord" / "filer.json").read_text(encoding="utf-8"))["files"]) > 100
    terms = [" ".join(words[start:start + 200]) for start in range(0, len(words), 200)]
    nowhere = ["xyzzyq", "20491231", "kommunx", "ikjhgfd", "budgetproposition", "2020-11-20x"]
    with serve(site) as url:
        assert word_list_call(browser, url, "lacking", "/sok/ord/", terms) == [[] for _ in terms]
        assert word_list_call(browser, url, "lacking", "/sok/ord/", ["kommunernas Ledningsgruppens 2020", " ".join(nowhere)]) == [
            [], ["xyzzyq", "20491231", "kommunx", "ikjhgfd", "budgetproposition"]]  # 2020-11-20x: punctuation inside, not looked up
        assert word_list_call(browser, url, "lacking", "/sok/ord/", ["xyzzyq kommunx xyzzyq Xyzzyq"]) == [["xyzzyq", "kommunx", "Xyzzyq"]]  # each once


ODD_WORDS_MINUTES = """\
---
date: 2022-03-14
time: "08.30–11.00"
place: Stadshuset, Ängsvägen 3b
body: ledningsgruppen
title: GD-möte om InfoMentor och COVID19-läget
attendees:
  - {name: José Müller-Ødegaard, municipality: haninge, role: ordförande}
  - {name: Zoë McAllister, municipality: tyreso, note: endast § 2}
---

## 1. Skolplattformen och e-tjänsterna

Systemet InfoMentor och e-tjänsten SkolPlattformen2 kostar 200tkr per år, dnr KS2024/123 och
2024-123. Hälso- och sjukvårdens (SKL:s) synpunkter; x86_64, naïve, café, Straße, ½-dag,
3:e kvartalet och 1:a halvåret, NorvikHamnen 2030 (utkast), 𝔘nicode och ﬁrman.
Frågor till info@example.org eller [webbplatsen](https://www.example.com/väg?x=1&y=ÅÄÖ).

### Beslut

- Att godkänna ÅÄÖ-frågorna och GD:ns förslag, kl. 10.15–10.45 den 3/4.
"""


@pytest.fixture(scope="module")
def odd_words_site(tmp_path_factory):
    """A meeting of words that Pagefind cuts, joins or folds: capitals inside a word,
    letters with digits, punctuation inside, diacritics."""
    from conftest import BODIES_YAML, MUNICIPALITIES_YAML, SITE_YAML, TEMPLATES, TOPICS_YAML, write_tree
    from minutes_archive.pipeline import BuildOptions, build

    work = tmp_path_factory.mktemp("odd-words")
    content = write_tree(work / "content", {"site.yaml": SITE_YAML, "municipalities.yaml": MUNICIPALITIES_YAML,
                                            "topics.yaml": TOPICS_YAML, "bodies.yaml": BODIES_YAML,
                                            "minutes/2022/2022-03-14-ledningsgruppen.md": ODD_WORDS_MINUTES})
    build(BuildOptions(content, TEMPLATES, work / "site", search=True, base_url="http://127.0.0.1/"))
    return work / "site"


@pytest.mark.parametrize("site_name", ["odd_words_site", "content_site", "fixture_site", "generated_sharded_site"])
def test_every_word_pagefind_indexed_is_held_by_the_word_list(browser, request, site_name):
    """Read from Pagefind's own index chunks, of every bundle that answers queries (not the
    vocabulary's, whose pages are the shards, named by their years and months): a word
    that Pagefind can match begins a listed word, so the list never calls it missing. The
    test above checks the list against our model of what Pagefind reads; this one against
    what it wrote. Pagefind's index holds stems: each must begin a listed word as it is,
    since the search page's lookup would stem it again (arbet to arb) and so find it in a
    list that lacks every arbet… word."""
    import bisect

    from minutes_archive.shards import VOCABULARY_FOLDER
    from minutes_archive.word_list import FILES, folded
    from pagefind_index import indexed_words

    site = request.getfixturevalue(site_name)
    bundles = [folder.parent for folder in (site / "pagefind").glob("**/index")
               if folder.is_dir() and folder.parent != site / VOCABULARY_FOLDER]
    assert len(bundles) == (16 if site_name == "generated_sharded_site" else 1)
    words = sorted(set().union(*(indexed_words(bundle) for bundle in bundles)))
    looked_up = [word for word in words if len(word) >= 3 and re.fullmatch(r"[^\W_]+", word)]  # as wordsToLookUp takes them
    assert len(looked_up) > (30 if site_name == "odd_words_site" else 300), looked_up
    folder = site / "sok" / "ord"
    listed = sorted({folded(line.partition("\t")[0]) for _, name in json.loads((folder / FILES).read_text(encoding="utf-8"))["files"]
                     for line in (folder / name).read_text(encoding="utf-8").split("\n") if line})

    def begins_a_listed_word(stem):
        at = bisect.bisect_left(listed, stem)
        return at < len(listed) and listed[at].startswith(stem)

    assert [word for word in looked_up if not begins_a_listed_word(folded(word))] == []
    terms = [" ".join(looked_up[start:start + 200]) for start in range(0, len(looked_up), 200)]
    with serve(site) as url:
        assert word_list_call(browser, url, "lacking", "/sok/ord/", terms) == [[] for _ in terms]


def test_the_shortest_stem_begins_the_snowball_stem(browser, fixture_site, fixture_url):
    """search.js's stemmer takes off at least what Snowball's Swedish stemmer (Pagefind's)
    takes off, so that it never takes a word Pagefind would find for one no page holds."""
    import snowballstemmer

    from minutes_archive.word_list import folded

    snowball = snowballstemmer.stemmer("swedish")
    listed = sorted({line.partition("\t")[0] for file in (fixture_site / "sok" / "ord").glob("*.txt") for line in file.read_text(encoding="utf-8").splitlines()})
    endings = ["", "a", "en", "et", "er", "ers", "erna", "arna", "ernas", "ens", "ets", "s", "es", "ande", "andet", "het", "heten",
               "heterna", "lig", "ligt", "ligen", "ig", "igt", "els", "ast", "aste", "ade", "at", "or", "orna", "t", "dd", "tt", "gt",
               "kt", "nn", "fullt", "löst", "öst", "ost"]
    words = [word + ending for word in listed if word.isalpha() for ending in endings] + ["frihet", "paket", "societet", "majoritet", "annat", "bröst"]
    stems = word_list_call(browser, fixture_url, "stems", words)
    for word, stem in zip(words, stems):
        # Pagefind folds a word before it stems it; either way, Snowball's stem begins with ours.
        assert snowball.stemWord(folded(word)).startswith(stem), (word, stem, snowball.stemWord(folded(word)))
        assert folded(snowball.stemWord(word.lower())).startswith(stem), (word, stem)


@pytest.mark.parametrize("list_files", [None, []])
def test_a_word_list_that_is_not_there_leaves_pagefind_to_answer(browser, content_site, copy_of, list_files):
    """Not there, or written with no files (which a build with pages never writes): not a
    list of no words, which would take every word of every query for missing."""
    site = copy_of(content_site)
    shutil.rmtree(site / "sok" / "ord")
    if list_files is not None:
        (site / "sok" / "ord").mkdir()
        (site / "sok" / "ord" / "filer.json").write_text(json.dumps({"files": list_files}), encoding="utf-8")
    with serve(site) as url:
        assert final_answer(browser, url, "sodertorn")["urls"] == [SEED_MEETING]
        assert final_answer(browser, url, "ikjhgfd")["urls"] == [SEED_MEETING]  # Pagefind's answer, unchecked


@pytest.mark.parametrize("width", [390, 320])
def test_every_filter_menu_opens_within_a_phones_screen(fixture_url, width):
    """Pagefind centres a menu as wide as the screen under its own button, and ours share rows:
    the menus of Typ and Ämne stuck out past the screen's edges, their names out of reach."""
    with chromium_driver(width, 844) as phone:
        phone.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": True})
        phone.get(fixture_url + "sok/?q=trafikverket")
        triggers = wait_for(phone, ".pf-dropdown-trigger")
        assert len(triggers) == 5
        wait_for(phone, "pagefind-results a.pf-result-link")
        for index in range(5):
            phone.execute_script("document.querySelectorAll('.pf-dropdown-trigger')[arguments[0]].click()", index)
            deadline = time.time() + 5
            menu = None
            while time.time() < deadline and not menu:
                menu = phone.execute_script(
                    "const menu = [...document.querySelectorAll('.pf-dropdown-menu')].find((m) => m.getBoundingClientRect().height > 0);"
                    "return menu && [menu.getBoundingClientRect().left, menu.getBoundingClientRect().right, document.documentElement.clientWidth]")
            assert menu, f"filter {index} opened no menu"
            left, right, screen = menu
            assert 0 <= left and right <= screen, (index, menu)
            phone.execute_script("document.querySelectorAll('.pf-dropdown-trigger')[arguments[0]].click()", index)  # closed again


def test_a_query_typed_while_pagefind_loads_keeps_its_answer(fixture_url):
    """The box's first two characters clear the results with an empty search; made while
    Pagefind loaded, those were numbered after the query and their nothing replaced its
    answer: "Norvik gav inga träffar" (a review, on a slow connection, 3 times of 3)."""
    with chromium_driver() as slow:
        slow.execute_cdp_cmd("Network.enable", {})
        slow.execute_cdp_cmd("Network.emulateNetworkConditions", {"offline": False, "latency": 600, "downloadThroughput": 1_000_000, "uploadThroughput": 500_000})
        slow.get(fixture_url + "sok/")
        box = wait_for(slow, "pagefind-input input")[0]
        time.sleep(2)  # the page settled; Pagefind itself loads at the first search
        box.click()
        for character in "Norvik":
            box.send_keys(character)
            time.sleep(0.12)
        links = wait_for(slow, "pagefind-results a.pf-result-link", timeout=30)
        time.sleep(3)  # the empty searches' answers, had they come after
        assert len(slow.find_elements("css selector", "pagefind-results a.pf-result-link")) == len(links) > 0
        # Deleted back to two characters while the answer is shown: cleared.
        box.send_keys(Keys.BACKSPACE * 4)
        deadline = time.time() + 10
        while time.time() < deadline and slow.find_elements("css selector", "pagefind-results a.pf-result-link"):
            time.sleep(0.1)
        assert slow.find_elements("css selector", "pagefind-results a.pf-result-link") == []


MANY_ITEMS_MINUTES = """\
---
date: 2022-05-06
body: ledningsgruppen
attendees:
  - {name: Anna Andersson, municipality: haninge}
---
""" + "".join(f"""
## {n}. Punkt {n}

Norvik Norvik Norvik hamn och Norvik igen, punkt {n}.
""" for n in range(1, 7)) + """
## 7. Beslut om hamnen

### Beslut

- Att ge Norvik ett yttrande.
"""


def test_with_only_decisions_shown_a_decision_that_matched_is_listed_however_many_items_matched_more(browser, tmp_path):
    """Pagefind lists the five sub-results with the most hits: the six items that name Norvik
    four times each came before the decision that names it once, which typ=beslut then hid,
    leaving the meeting with nothing under it (a review, in a synthetic archive)."""
    from conftest import BODIES_YAML, MUNICIPALITIES_YAML, SITE_YAML, TEMPLATES, TOPICS_YAML, write_tree
    from minutes_archive.pipeline import BuildOptions, build

    content = write_tree(tmp_path / "content", {"site.yaml": SITE_YAML, "municipalities.yaml": MUNICIPALITIES_YAML,
                                                "topics.yaml": TOPICS_YAML, "bodies.yaml": BODIES_YAML,
                                                "minutes/2022/2022-05-06-ledningsgruppen.md": MANY_ITEMS_MINUTES})
    build(BuildOptions(content, TEMPLATES, tmp_path / "site", search=True))
    with serve(tmp_path / "site") as url:
        browser.get(url + "sok/?q=Norvik&typ=beslut")
        wait_for(browser, "pagefind-results a.pf-heading-link")
        time.sleep(0.5)
        shown = [link.get_attribute("href") for link in browser.find_elements("css selector", "pagefind-results a.pf-heading-link") if link.is_displayed()]
        assert [link.rpartition("/")[2] for link in shown] == ["#p7-b1"]
        # Without the filter, the five with the most hits, as before.
        browser.get(url + "sok/?q=Norvik")
        wait_for(browser, "pagefind-results a.pf-heading-link")
        time.sleep(0.5)
        assert len(browser.find_elements("css selector", "pagefind-results a.pf-heading-link")) == 5
