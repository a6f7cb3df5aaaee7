"""WCAG 2.1 AA in a real browser (axe-core), valid HTML (the Nu Html Checker), reflow and keyboard."""

import json
import os
import shutil
import subprocess
import time

import pytest

from browser_support import chromium_driver, serve
from link_check import broken_links

from conftest import ROOT

pytestmark = pytest.mark.browser

TOOLS = ROOT / "tests" / "tools" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

FIXTURE_PAGES = [
    "", "moten/2020/2020-03-13-ledningsgruppen/", "kommuner/", "kommuner/haninge/", "kommuner/haninge/2020/",
    "amnen/", "amnen/covid-19/", "amnen/covid-19/2020/", "ar/", "ar/2020/", "organ/", "organ/samarbetskommitten/",
    "organ/samarbetskommitten/2020/",
    "beslut/", "beslut/ar/2021/", "beslut/kommun/haninge/", "beslut/amne/covid-19/2020/",
    "sok/?q=s%C3%B6dert%C3%B6rn", "sok/?q=corona", "tillganglighet/", "404.html", "data/",
]
CONTENT_PAGES = ["", "moten/2020/2020-11-20-ledningsgruppen/", "kommuner/haninge/", "amnen/covid-19/", "beslut/", "sok/?q=beredskapslager"]


def require(path, what):
    if path.exists():
        return path
    message = f"{what} is needed: npm ci --prefix tests/tools"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message + " (CI=true: may not be skipped)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    with chromium_driver() as driver:
        yield driver


def open_page(browser, url):
    browser.get(url)
    if "/sok/?q=" in url:  # the search page with its results open
        deadline = time.time() + 20
        while time.time() < deadline and not browser.find_elements("css selector", "pagefind-results a.pf-result-link"):
            time.sleep(0.1)
        time.sleep(0.3)


def axe_violations(browser) -> list[str]:
    browser.execute_script(require(AXE, "axe-core").read_text(encoding="utf-8"))
    violations = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))))",
        WCAG_TAGS,
    )
    return violations


@pytest.mark.parametrize("page", FIXTURE_PAGES)
def test_axe_finds_no_violation_in_the_fixture_archive(browser, fixture_site, page):
    with serve(fixture_site) as url:
        open_page(browser, url + page)
        assert axe_violations(browser) == []


@pytest.mark.parametrize("page", ["beslut/ar/2020/", "beslut/ar/2020/03/", "amnen/covid-19/2020/03/", "kommuner/tyreso/2020/03/", "ar/2020/03/"])
def test_axe_finds_no_violation_on_the_pages_of_a_long_years_months(browser, fixture_site_in_months, page):
    with serve(fixture_site_in_months) as url:
        open_page(browser, url + page)
        assert axe_violations(browser) == []


@pytest.mark.parametrize("page", CONTENT_PAGES)
def test_axe_finds_no_violation_in_the_real_archive(browser, content_site, page):
    with serve(content_site) as url:
        open_page(browser, url + page)
        assert axe_violations(browser) == []


def test_axe_finds_no_violation_with_a_filter_menu_open(browser, fixture_site):
    with serve(fixture_site) as url:
        open_page(browser, url + "sok/?q=s%C3%B6dert%C3%B6rn")
        browser.find_element("css selector", "pagefind-filter-dropdown[filter='kommun'] button").click()
        time.sleep(0.5)
        assert axe_violations(browser) == []


def test_axe_finds_no_violation_in_a_sharded_search_with_more_results(browser, generated_sharded_site):
    """The line on the search's progress, and the button for more results."""
    with serve(generated_sharded_site) as url:
        open_page(browser, url + "sok/?q=kommunerna")
        deadline = time.time() + 20
        while time.time() < deadline and not browser.find_element("id", "show-more").is_displayed():
            time.sleep(0.1)
        assert browser.find_element("id", "search-progress").text == "Alla år är genomsökta."
        assert axe_violations(browser) == []


def test_every_page_is_valid_html(fixture_site, fixture_site_in_months, content_site, generated_sharded_site):
    java = shutil.which("java")
    if java is None:
        pytest.skip("java is needed for the Nu Html Checker")
    vnu = require(VNU, "vnu-jar")
    result = subprocess.run([java, "-jar", str(vnu), "--errors-only", "--skip-non-html", "--format", "json",
                             str(fixture_site), str(fixture_site_in_months / "beslut"), str(fixture_site_in_months / "amnen"),
                             str(fixture_site_in_months / "kommuner"), str(fixture_site_in_months / "ar"), str(content_site),
                             str(generated_sharded_site / "sok")],
                            capture_output=True, text=True)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    assert [f"{m.get('url', '')}:{m.get('lastLine', '')}: {m['message']}" for m in messages] == []
    assert result.returncode == 0


def test_every_link_of_the_real_archive_resolves(content_site):
    assert broken_links(content_site, "http://127.0.0.1/") == []


def metrics(browser, width, font_size=None):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False})
    if font_size:
        browser.execute_script("document.documentElement.style.fontSize = arguments[0]", font_size)
    return browser.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")


@pytest.mark.parametrize("width, font_size", [(320, None), (1280, "200%")])
def test_pages_reflow_without_horizontal_scrolling(browser, fixture_site, width, font_size):
    with serve(fixture_site) as url:
        try:
            for page in FIXTURE_PAGES:
                open_page(browser, url + page)
                scroll_width, client_width = metrics(browser, width, font_size)
                assert scroll_width <= client_width, f"{page or '/'} at {width}px, text {font_size or '100%'}: {scroll_width} > {client_width}"
        finally:
            browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


TEXT_SIZES = """
const sizes = new Map();
for (const element of document.querySelectorAll("body *")) {
  const text = [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
  const box = element.getBoundingClientRect();  // not one of the texts for screen readers only, 1 px wide
  if (text && box.width > 1 && box.height > 1) sizes.set(element, parseFloat(getComputedStyle(element).fontSize));
}
return sizes;
"""


def test_all_text_grows_with_the_browsers_text_size(browser, fixture_site):
    """WCAG 1.4.4: text set in px does not grow when the reader sets a larger text size (here,
    the root's size doubled). Pagefind sets its filters' texts in px; the search page's
    menu of a filter is opened, so that its options are measured too."""
    small = []
    with serve(fixture_site) as url:
        try:
            for page in FIXTURE_PAGES:
                open_page(browser, url + page)
                browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})
                if "/sok/" in page:
                    browser.execute_script("document.querySelector('.pf-dropdown-trigger').click()")
                    time.sleep(0.3)
                small += browser.execute_script(
                    "const before = (() => {" + TEXT_SIZES + "})();"
                    "document.documentElement.style.fontSize = '200%';"
                    "return [...before].filter(([element, size]) => parseFloat(getComputedStyle(element).fontSize) < 1.9 * size)"
                    ".map(([element, size]) => `${arguments[0]} ${element.tagName.toLowerCase()}.${element.className}: ${size}px`);",
                    page or "/")
        finally:
            browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert small == [], "\n".join(small)


def test_keyboard_skip_link_and_visible_focus(browser, fixture_site):
    from selenium.webdriver.common.keys import Keys

    with serve(fixture_site) as url:
        browser.get(url + "moten/2020/2020-03-13-ledningsgruppen/")
        body = browser.find_element("tag name", "body")
        body.send_keys(Keys.TAB)
        active = browser.switch_to.active_element
        assert active.get_attribute("class") == "skip-link"
        assert active.is_displayed() and active.rect["y"] >= 0
        assert browser.execute_script("return getComputedStyle(document.activeElement).outlineStyle") != "none"
        active.send_keys(Keys.ENTER)
        assert browser.switch_to.active_element.get_attribute("id") == "innehall"
        # the next Tab lands inside the main content, not back in the header
        browser.switch_to.active_element.send_keys(Keys.TAB)
        assert browser.execute_script("return document.querySelector('main').contains(document.activeElement)")
