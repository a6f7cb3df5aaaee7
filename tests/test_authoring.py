"""Authoring: `build.py new` and the live preview `build.py serve`."""

import json
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from browser_support import chromium_driver
from minutes_archive.pipeline import BuildOptions, check

from conftest import FIXTURE_ARCHIVE, ROOT, TEMPLATES


def run(*args):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *map(str, args)], capture_output=True, text=True)


def test_new_writes_a_prefilled_file_that_builds(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_ARCHIVE, content)
    result = run("new", "--content", content, "--body", "Ledningsgruppen", "--date", "2021-06-01")
    assert result.returncode == 0, result.stderr
    path = content / "minutes/2021/2021-06-01-ledningsgruppen.md"
    text = path.read_text(encoding="utf-8")
    # the attendees, chair and secretary of the body's latest meeting (2021-02-05)
    assert "  - {name: Johan Berggren, municipality: sodertalje, role: ordförande}\n" in text
    assert "chair: Johan Berggren\nsecretary: Sara Ekström\n" in text
    assert re.findall(r"^## (\d+)\. ", text, re.M) == ["1", "2", "3", "4"]
    assert "status: utkast" in text
    report = check(BuildOptions(content, TEMPLATES, tmp_path / "site", search=False))
    # It builds, for the live preview; its placeholder decision warns (an error under --strict, as CI builds).
    assert "warning: decision 1 of § 3 is still 'Att …', as 'build.py new' wrote it: write the decision, or remove it" in [
        w.message for w in report.warnings if w.path.endswith("2021-06-01-ledningsgruppen.md")]


def test_new_never_overwrites(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_ARCHIVE, content)
    existing = content / "minutes/2021/2021-02-05-ledningsgruppen.md"
    before = existing.read_bytes()
    result = run("new", "--content", content, "--body", "ledningsgruppen", "--date", "2021-02-05")
    assert result.returncode == 1
    assert result.stderr.strip().endswith("minutes/2021/2021-02-05-ledningsgruppen.md:1: the file already exists; it is never overwritten")
    assert existing.read_bytes() == before


def test_new_reports_an_unknown_body_and_a_bad_date(tmp_path):
    assert run("new", "--content", FIXTURE_ARCHIVE, "--body", "ledningsgrupen", "--date", "2021-06-01").stderr.strip() == \
        "--body:1: unknown body 'ledningsgrupen'; did you mean 'ledningsgruppen'?"
    assert run("new", "--content", FIXTURE_ARCHIVE, "--body", "ledningsgruppen", "--date", "2021-13-01").stderr.strip() == \
        "--date:1: invalid date '2021-13-01': month must be in 1..12"
    assert run("new", "--content", FIXTURE_ARCHIVE, "--body", "ledningsgruppen", "--date", "22/1 2021").stderr.strip() == \
        "--date:1: date must be written YYYY-MM-DD, such as 2021-01-22 (got '22/1 2021')"


@pytest.fixture
def preview(tmp_path):
    """build.py serve on a free port over a copy of the fixture archive; stopped with Ctrl-C."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_ARCHIVE, content)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", "--content", str(content),
         "--output", str(tmp_path / "site"), "--cache", str(tmp_path / "cache")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        # As in a terminal: a shell that runs the tests in the background (`pytest &`) ignores
        # Ctrl-C in them, and the preview would inherit that.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    address = None
    deadline = time.time() + 120
    while time.time() < deadline and address is None:
        line = process.stdout.readline()
        match = re.search(r"Serving (http://127\.0\.0\.1:\d+/)", line)
        address = match.group(1) if match else None
    assert address, "the preview did not start"
    yield content, address, process
    if process.poll() is None:
        process.kill()


def status(address):
    with urllib.request.urlopen(address + "__status") as response:
        return json.loads(response.read())


def wait_for(condition, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_serve_rebuilds_keeps_the_last_good_site_and_stops_on_ctrl_c(preview):
    content, address, process = preview
    assert status(address) == {"build": 1, "errors": []}
    meeting = content / "minutes/2020/2020-03-13-ledningsgruppen.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("## 4. Nästa möte", "## 4. Nästa möte flyttas"), encoding="utf-8")
    wait_for(lambda: status(address)["build"] == 2)
    page = urllib.request.urlopen(address + "moten/2020/2020-03-13-ledningsgruppen/").read().decode()
    assert "Nästa möte flyttas" in page and '<script src="/__live-reload.js" defer></script>' in page
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("date: 2020-03-13", "date: 2020-02-30"), encoding="utf-8")
    errors = wait_for(lambda: status(address)["errors"])
    assert errors == [f"{meeting}:2: invalid date '2020-02-30': day is out of range for month"]
    assert "Nästa möte flyttas" in urllib.request.urlopen(address + "moten/2020/2020-03-13-ledningsgruppen/").read().decode()
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=20) == 0


@pytest.mark.browser
def test_serve_reloads_the_open_page_and_shows_errors(preview):
    content, address, process = preview
    with chromium_driver() as browser:
        browser.get(address + "moten/2021/2021-02-05-ledningsgruppen/")
        meeting = content / "minutes/2021/2021-02-05-ledningsgruppen.md"
        meeting.write_text(meeting.read_text(encoding="utf-8").replace("## 5. Övriga frågor", "## 5. Övriga frågor och nyheter"), encoding="utf-8")
        # read through script: the page is replaced under us when it reloads
        wait_for(lambda: "Övriga frågor och nyheter" in browser.execute_script("return document.body ? document.body.innerText : ''"))
        meeting.write_text(meeting.read_text(encoding="utf-8").replace("body: ledningsgruppen", "body: ledningsgrupen"), encoding="utf-8")
        alert = wait_for(lambda: browser.execute_script("const box = document.getElementById('__build-errors'); return box && box.innerText"))
        assert "unknown body 'ledningsgrupen'" in alert
