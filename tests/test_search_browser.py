"""Real Pagefind searches in headless Chromium against built sites."""

import time

import pytest

from browser_support import chromium_driver, pagefind_search, serve

pytestmark = pytest.mark.browser

SEED_MEETING = "/moten/2020/2020-11-20-ledningsgruppen/"


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
        links = [a.get_attribute("href") for a in browser.find_elements("css selector", "pagefind-results a")]
        time.sleep(0.2)
    assert any(link.endswith(SEED_MEETING) for link in links), links
    input_id = browser.find_element("css selector", "pagefind-input input").get_attribute("id")
    label = browser.find_element("css selector", f'label[for="{input_id}"]')
    assert label.is_displayed() and label.text == "Sök i arkivet"
    assert browser.find_element("css selector", "pagefind-input input").get_attribute("value") == "sodertorn"
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


def test_results_sort_by_date(browser, fixture_url):
    found = pagefind_search(browser, fixture_url, "södertörn", sort={"datum": "desc"})
    urls = [r["url"] for r in found["results"]]
    assert len(urls) > 2 and urls == sorted(urls, reverse=True)
