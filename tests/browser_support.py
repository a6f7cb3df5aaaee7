"""Headless Chromium (Debian's chromium + chromium-driver) against a site served on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMEDRIVER_CANDIDATES = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")

# Run the Pagefind JS API in the search page and return plain data for assertions. The
# bundles are the page's own: the primary one, and the search shards merged into it.
SEARCH_SCRIPT = """
const [term, filters, sort, done] = [arguments[0], arguments[1], arguments[3], arguments[arguments.length - 1]];
(async () => {
  const config = document.querySelector("pagefind-config");
  const pagefind = await import(config.getAttribute("bundle-path") + "pagefind.js");
  window.shardsMerged = window.shardsMerged || (async () => {
    await pagefind.options({});
    for (const bundle of (config.dataset.olderShards || "").split(" ").filter(Boolean)) await pagefind.mergeIndex(bundle);
  })();
  await window.shardsMerged;
  await pagefind.filters();
  const search = await pagefind.search(term, sort ? { filters: filters || {}, sort } : { filters: filters || {} });
  const data = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
  return {
    count: search.results.length,
    unfiltered: search.unfilteredResultCount,
    results: data.map((d) => ({
      url: d.url, title: d.meta.title, filters: d.filters, excerpt: d.excerpt, content: d.content,
      sub_results: d.sub_results.map((s) => ({ url: s.url, title: s.title })),
    })),
  };
})().then(done, (error) => done({ error: String(error) }));
"""


def find_executable(candidates: tuple[str, ...], name: str) -> str | None:
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which(name)


def require_browser() -> tuple[str, str]:
    """Return (chromium, chromedriver); skip without them, but fail under CI=true."""
    chromium = find_executable(CHROMIUM_CANDIDATES, "chromium")
    driver = find_executable(CHROMEDRIVER_CANDIDATES, "chromedriver")
    if chromium and driver:
        return chromium, driver
    message = "headless Chromium is needed: apt-get install -y chromium chromium-driver"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message + " (CI=true: browser tests may not be skipped)")
    pytest.skip(message)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


@contextmanager
def serve(folder: Path, handler: type[QuietHandler] = QuietHandler) -> Iterator[str]:
    """Serve folder on 127.0.0.1 on a free port, each request by handler; yield the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium_driver(width: int = 1280, height: int = 900):
    """A fresh headless Chromium driven by Selenium; no network beyond 127.0.0.1."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, chromedriver = require_browser()
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={profile}", f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def pagefind_search(driver, base_url: str, term: str, filters: dict | None = None, sort: dict | None = None) -> dict:
    """Run one search through Pagefind's JS API from the site's search page."""
    if not driver.current_url.startswith(base_url + "sok/"):
        driver.get(base_url + "sok/")
    result = driver.execute_async_script(SEARCH_SCRIPT, term, filters or {}, base_url, sort)
    if "error" in result:
        raise AssertionError(f"search for {term!r} failed in the browser: {result['error']}")
    return result


def read_all(driver, selector: str, attribute: str) -> list[str]:
    """attribute (a property: href, innerHTML) of every element that matches selector, read
    in one script. Pagefind may make its results list anew at any moment while results
    load, so reading element by element could meet one that is gone (a stale element)."""
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map((element) => element[arguments[1]])", selector, attribute)
