"""Content that tries to break the build (reliability notes, section 7): one line per problem,
naming file and line, a non-zero exit, and a previously built site left byte-identical."""

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from minutes_archive.errors import BuildError
from minutes_archive.pipeline import BuildOptions, check

from conftest import ROOT, TEMPLATES

FILE = "minutes/2021/x.md"


def minutes(front: str = "", body: str = "## 1. Punkt\n\nText.\n") -> str:
    return f"---\ndate: 2021-01-22\nbody: ledningsgruppen\nattendees: []\n{front}---\n\n{body}"


def errors_for(make_content, files: dict) -> list[str]:
    content = make_content(files)
    with pytest.raises(BuildError) as caught:
        check(BuildOptions(content, TEMPLATES, content.parent / "site", search=False))
    return [f"{e.path.rsplit('content/', 1)[-1]}:{e.line}: {e.message}" for e in caught.value.errors]


def manifest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- files -------------------------------------------------------------------------------


def test_unreadable_file_is_named(make_content):
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    content = make_content({FILE: minutes()})
    (content / FILE).chmod(0)
    assert errors_for(make_content, {})[0].startswith(f"{FILE}:1: cannot read file")


# --- front matter ------------------------------------------------------------------------


@pytest.mark.parametrize("front, expected", [
    ("title: \"\"\n", None),  # an empty title falls back to the default
    ("title: " + "x" * 301 + "\n", f"{FILE}:5: 'title' is too long (301 characters; at most 300)"),
    ("place: " + "x" * 1001 + "\n", f"{FILE}:5: 'place' is too long (1001 characters; at most 1000)"),
    ("title: !!python/name:os.system\n", f"{FILE}:5: YAML tag 'tag:yaml.org,2002:python/name:os.system' is not allowed"),
    ("\ttitle: tab\n", f"{FILE}:5: YAML syntax error: a tab cannot indent YAML; use spaces"),
    ("date2: 2021-01-22\n", f"{FILE}:5: unknown key 'date2'; did you mean 'date'? (allowed: absent, adjusters, allow_personal_numbers, attendees, body, chair, date, document, place, secretary, status, time, title, topics)"),
])
def test_front_matter_traps(make_content, front, expected):
    if expected is None:
        content = make_content({FILE: minutes(front)})
        check(BuildOptions(content, TEMPLATES, content.parent / "site", search=False))
    else:
        assert errors_for(make_content, {FILE: minutes(front)}) == [expected]


def test_empty_and_scalar_front_matter(make_content):
    assert errors_for(make_content, {"minutes/a.md": "---\n---\n", "minutes/b.md": "---\njust text\n---\n"}) == [
        "minutes/a.md:2: front matter must be a mapping of keys to values (date: …, body: …)",
        "minutes/b.md:2: front matter must be a mapping of keys to values (date: …, body: …)",
    ]


def test_a_later_horizontal_rule_is_body_text(make_content):
    content = make_content({FILE: minutes(body="## 1. Punkt\n\nFöre.\n\n---\n\nEfter.\n")})
    check(BuildOptions(content, TEMPLATES, content.parent / "site", search=False))


def test_alias_bomb_is_refused_fast(make_content):
    bomb = "lol: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"l{i}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9))
    started = time.perf_counter()
    errors = errors_for(make_content, {FILE: f"---\n{bomb}---\n"})
    assert time.perf_counter() - started < 1
    assert errors == [f"{FILE}:3: YAML aliases (*name) are not allowed; write the value out"]


# --- Markdown ----------------------------------------------------------------------------


@pytest.mark.parametrize("body, expected", [
    ("![Karta över Norvik hamn](norvik.png)\n", f"{FILE}:7: image 'norvik.png': the archive publishes no image files, so the page could not show it; describe what it shows in the text, or link to where it is published"),
    ("![Karta](https://tracker.example/x.png)\n", f"{FILE}:7: image 'https://tracker.example/x.png' is on another host, which would be sent every visitor's address: describe what it shows in the text, or link to it"),
    ("![Karta](#bild)\n", f"{FILE}:7: image '#bild': the archive publishes no image files, so the page could not show it; describe what it shows in the text, or link to where it is published"),
    ("[x](//evil.example/x)\n", f"{FILE}:7: link '//evil.example/x' has no scheme; write it with https://"),
    ("[x](vbscript:msgbox)\n", f"{FILE}:7: link scheme 'vbscript:' is not allowed (only http, https, mailto and relative links): 'vbscript:msgbox'"),
    ("[x](file:///etc/passwd)\n", f"{FILE}:7: link scheme 'file:' is not allowed (only http, https, mailto and relative links): 'file:///etc/passwd'"),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)\n", f"{FILE}:7: link scheme 'data:' is not allowed (only http, https, mailto and relative links): 'data:text/html;base64,PHNjcmlwdD4='"),
    ("[saknas](../../2019/2019-01-01-ledningsgruppen/)\n", f"{FILE}:7: link '../../2019/2019-01-01-ledningsgruppen/' leads to /moten/2019/2019-01-01-ledningsgruppen/, which is not a page of the site"),
    ("[fel ankare](../../2020/2020-11-20-ledningsgruppen/#p9)\n", f"{FILE}:7: link '../../2020/2020-11-20-ledningsgruppen/#p9': /moten/2020/2020-11-20-ledningsgruppen/ has no '#p9'"),
    ("> " * 60 + "djupt\n", f"{FILE}:1: Markdown nested too deeply (more than 20 levels of lists or quotes)"),
    ("Text med NUL \x00 i.\n", f"{FILE}:7: control character U+0000 is not allowed"),
])
def test_markdown_traps(make_content, body, expected):
    assert errors_for(make_content, {FILE: minutes(body=body)}) == [expected]


def test_links_within_the_site_that_resolve_are_fine(make_content):
    body = "## 1. Punkt\n\nSe [förra mötet](../../2020/2020-11-20-ledningsgruppen/#p1), [registret](/beslut/) och [data](/data/decisions.csv).\n"
    content = make_content({FILE: minutes(body=body)})
    check(BuildOptions(content, TEMPLATES, content.parent / "site", search=False))


@pytest.mark.parametrize("pattern", ["[" * 20000, "*_" * 20000, "![" * 20000, "|" + "a|" * 5000 + "\n|" + "-|" * 5000 + "\n", "`" * 40000])
def test_pathological_markdown_finishes_quickly(make_content, pattern):
    content = make_content({FILE: minutes(body="## 1. Punkt\n\n" + pattern + "\n")})
    started = time.perf_counter()
    check(BuildOptions(content, TEMPLATES, content.parent / "site", search=False))
    assert time.perf_counter() - started < 5


def test_skipped_heading_level_is_a_warning(make_content):
    content = make_content({FILE: minutes(body="## 1. Punkt\n\n#### Detalj\n\nText.\n")})
    report = check(BuildOptions(content, TEMPLATES, content.parent / "site", search=False))
    assert [f"{w.line}: {w.message}" for w in report.warnings] == ["9: warning: heading level jumps from h2 to h4: use ###"]


# --- personal identity numbers ----------------------------------------------------------


def test_personal_identity_numbers_are_errors_unless_allowed(make_content):
    body = "## 1. Punkt\n\nTestpersonen 19121212-1212 och samordningsnummer 121272-1219. Telefon 070-123 45 67, dnr 2020/1234.\n"
    assert errors_for(make_content, {FILE: minutes(body=body)}) == [
        f"{FILE}:9: this looks like a personnummer (19121212-****): remove it, or write 'allow_personal_numbers: true' in the front matter if it must be published",
        f"{FILE}:9: this looks like a samordningsnummer (121272-****): remove it, or write 'allow_personal_numbers: true' in the front matter if it must be published",
    ]
    content = make_content({FILE: minutes("allow_personal_numbers: true\n", body)})
    check(BuildOptions(content, TEMPLATES, content.parent / "site", search=False))


def test_a_number_with_a_wrong_check_digit_is_not_one(make_content):
    content = make_content({FILE: minutes(body="## 1. Punkt\n\nÄrende 19121212-1213.\n")})
    check(BuildOptions(content, TEMPLATES, content.parent / "site", search=False))


def test_the_marks_of_hidden_search_words_are_errors_in_minutes(make_content):
    # the search page removes what stands between them from excerpts
    body = "## 1. Punkt\n\nIntervallet ⟦0, 1⟧ och ⟦ till.\n\nSlut ⟧.\n"
    assert errors_for(make_content, {FILE: minutes(body=body)}) == [
        f"{FILE}:9: ⟦ and ⟧ cannot be used in minutes: the search marks its hidden words with them; write [ ] instead",
        f"{FILE}:11: ⟧ cannot be used in minutes: the search marks its hidden words with them; write [ ] instead",
    ]


# --- the published site survives ---------------------------------------------------------


def run(*args):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *map(str, args), "--no-cache"], capture_output=True, text=True)


def test_failure_while_writing_keeps_the_site(make_content, tmp_path):
    content = make_content()
    site = tmp_path / "site"
    assert run("--content", content, "--output", site, "--no-search").returncode == 0
    before = manifest(site)
    # Disk full in the middle of writing: the write stage raises OSError(ENOSPC).
    script = (
        "import errno, pathlib, sys, runpy\n"
        "calls = [0]\n"
        "original = pathlib.Path.write_text\n"
        "def failing(self, *a, **k):\n"
        "    calls[0] += 1\n"
        "    if calls[0] == 5: raise OSError(errno.ENOSPC, 'No space left on device')\n"
        "    return original(self, *a, **k)\n"
        "pathlib.Path.write_text = failing\n"
        f"sys.argv = ['build.py', '--content', {str(content)!r}, '--output', {str(site)!r}, '--no-search', '--no-cache']\n"
        f"runpy.run_path({str(ROOT / 'build.py')!r}, run_name='__main__')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith("build failed: [Errno 28] No space left on device")
    assert manifest(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


def test_a_removed_meeting_is_gone_after_the_next_build(make_content, tmp_path):
    content = make_content({FILE: minutes()})
    site = tmp_path / "site"
    assert run("--content", content, "--output", site, "--no-search").returncode == 0
    assert (site / "moten/2021/2021-01-22-ledningsgruppen/index.html").exists()
    (content / FILE).unlink()
    assert run("--content", content, "--output", site, "--no-search").returncode == 0
    assert not (site / "moten/2021").exists()


def test_a_broken_template_names_its_line(make_content, tmp_path):
    templates = tmp_path / "templates"
    subprocess.run(["cp", "-r", str(TEMPLATES), str(templates)], check=True)
    page = templates / "year.html"
    text = page.read_text(encoding="utf-8").replace("{{ year }}", "{{ year.nope }}", 1)
    page.write_text(text, encoding="utf-8")
    line = text[:text.index("{{ year.nope }}")].count("\n") + 1
    result = run("check", "--content", make_content(), "--templates", templates)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].endswith(f"templates/year.html:{line}: template error: 'int object' has no attribute 'nope'")
