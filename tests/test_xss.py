"""59 known XSS payloads in front matter and Markdown: the built pages, opened in Chromium, run none.

Two independent guards are checked: escaping (the DOM holds no element, attribute or URL
that a payload wanted) and the Content-Security-Policy (no alert/confirm/prompt ran)."""

import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from browser_support import chromium_driver, serve
from minutes_archive.pipeline import BuildOptions, build

from conftest import BODIES_YAML, MUNICIPALITIES_YAML, SITE_YAML, TEMPLATES, write_tree

pytestmark = pytest.mark.browser
PAYLOADS = [line for line in (Path(__file__).parent / "fixtures" / "xss_payloads.txt").read_text(encoding="utf-8").splitlines() if line]
MEETING = "moten/2021/2021-03-01-ledningsgruppen/"

# Recorded before any page script runs; a payload that executes leaves its mark here.
HOOK = """
window.__xss = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => window.__xss.push(name + "(" + args.join(",") + ")");
}
"""
# What escaping must prevent, whatever the CSP does.
DOM_CHECK = """
const bad = [];
const ours = new Set(["pagefind-component-ui.js", "search.js"]);
for (const el of document.querySelectorAll("*")) {
  for (const attr of el.attributes) {
    if (/^on/i.test(attr.name)) bad.push(el.tagName + " " + attr.name);
    if (/^(href|src|action|formaction|data|xlink:href)$/i.test(attr.name) && /^\\s*(javascript|vbscript|data):/i.test(attr.value)) bad.push(el.tagName + " " + attr.name + "=" + attr.value);
  }
  const tag = el.tagName.toLowerCase();
  if (["iframe", "object", "embed", "frameset", "base", "isindex", "marquee", "xmp", "plaintext", "audio", "video", "svg", "math"].includes(tag)) bad.push(tag);
  if (tag === "script" && el.type !== "text/pagefind-template" && !ours.has((el.getAttribute("src") || "").split("?")[0].split("/").pop())) bad.push("script " + el.outerHTML.slice(0, 80));
  if (tag === "meta" && /refresh/i.test(el.getAttribute("http-equiv") || "")) bad.push("meta refresh");
}
return bad;
"""


def yaml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted string


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("xss")
    people = "".join(f"  - {{name: {yaml_text(p)}, municipality: haninge, note: {yaml_text(p)}}}\n" for p in PAYLOADS[:20])
    items = "".join(
        f"## {n}. {p}\n\n{p}\n\n*{p}*\n\n`{p}`\n\n| {p.replace('|', '/')} |\n|---|\n| text |\n\n### Beslut\n\n- Att {p}\n\n"
        for n, p in enumerate(PAYLOADS, start=1)
    )
    minutes = (
        "---\n"
        "date: 2021-03-01\nbody: ledningsgruppen\n"
        f"title: {yaml_text(PAYLOADS[0] + ' ' + PAYLOADS[1])}\n"
        f"place: {yaml_text(PAYLOADS[2])}\ntime: {yaml_text(PAYLOADS[3])}\n"
        f"chair: {yaml_text(PAYLOADS[4])}\nsecretary: {yaml_text(PAYLOADS[5])}\n"
        f"adjusters: [{yaml_text(PAYLOADS[6])}]\n"
        f"attendees:\n{people}"
        "---\n\n"
        f"{items}"
    )
    topics = "".join(f"t{i}: {{name: {yaml_text(p)}, description: {yaml_text(p)}, keywords: [{yaml_text('alert')}]}}\n" for i, p in enumerate(PAYLOADS[:5]))
    content = write_tree(root / "content", {
        "site.yaml": SITE_YAML.replace("title: Testarkiv", f"title: {yaml_text(PAYLOADS[7])}"),
        "municipalities.yaml": MUNICIPALITIES_YAML,
        "topics.yaml": topics,
        "bodies.yaml": BODIES_YAML,
        "minutes/2021/2021-03-01-ledningsgruppen.md": minutes,
    })
    build(BuildOptions(content, TEMPLATES, root / "site"))
    return root / "site"


@pytest.fixture(scope="module")
def hooked_browser():
    with chromium_driver() as browser:
        browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": HOOK})
        yield browser


def test_the_fixture_holds_enough_payloads():
    assert len(PAYLOADS) >= 50


@pytest.mark.parametrize("page", ["", MEETING, "beslut/", "amnen/t0/", "kommuner/haninge/", "ar/2021/", "sok/?q=onerror", "sok/?q=alert&typ=beslut"])
def test_no_payload_runs_or_reaches_the_dom(hooked_browser, xss_site, page):
    browser = hooked_browser
    with serve(xss_site) as url:
        browser.get(url + page)
        if page.startswith("sok/"):
            deadline = time.time() + 20
            while time.time() < deadline and not browser.find_elements("css selector", "pagefind-results a.pf-result-link"):
                time.sleep(0.1)
            assert browser.find_elements("css selector", "pagefind-results a.pf-result-link"), "the search found nothing"
        time.sleep(0.5)
        assert browser.execute_script("return window.__xss") == []
        assert browser.execute_script(DOM_CHECK) == []


def test_payloads_are_shown_as_text(xss_site):
    html = (xss_site / MEETING / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert re.findall(r"<script(?![^>]*(?:src=\"/assets/|src=\"/pagefind/|type=\"text/pagefind-template\"))", html) == []
    handlers = []

    class Attributes(HTMLParser):
        def handle_starttag(self, tag, attrs):
            handlers.extend(f"{tag} {name}" for name, _ in attrs if name.startswith("on"))

    Attributes().feed(html)
    assert handlers == []  # no real tag carries an event handler


def test_the_checks_catch_a_payload_that_gets_through(hooked_browser, tmp_path):
    (tmp_path / "index.html").write_text('<!DOCTYPE html><html lang="sv"><body><img src=x onerror="alert(2)"><script>alert(1)</script></body></html>', encoding="utf-8")
    with serve(tmp_path) as url:
        hooked_browser.get(url)
        time.sleep(0.5)
        assert sorted(hooked_browser.execute_script("return window.__xss")) == ["alert(1)", "alert(2)"]
        assert "IMG onerror" in hooked_browser.execute_script(DOM_CHECK)
