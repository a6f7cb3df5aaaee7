"""The command line as a user runs it: build, check, errors, and a site that survives bad content."""

import hashlib
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *map(str, args), "--no-cache"], capture_output=True, text=True, cwd=cwd)


def manifest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_help_explains_every_command_and_option():
    result = run("--help")
    assert result.returncode == 0
    for word in ("build", "check", "--content", "--templates", "--output", "--base-url", "--no-search"):
        assert word in result.stdout


def test_check_writes_nothing(make_content, tmp_path):
    result = run("check", "--content", make_content(), "--output", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 1 meeting, 0 decisions")
    assert not (tmp_path / "site").exists()


def test_timings_name_each_stage_and_section(make_content, tmp_path):
    """--timings adds a table of the stages (wall and CPU seconds) and of the sections
    rendered; the numbers themselves are the benchmark's business, not the tests'."""
    result = run("--content", make_content(), "--output", tmp_path / "site", "--no-search", "--timings")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("built ") and lines[1] == "timings (wall time, CPU time of all processes):"
    stages = {line.split("  ")[1].strip(): line for line in lines[2:] if line.startswith("  ") and not line.startswith("    ")}
    assert ["read and parse the minutes", "group the archive", "render, write, check links", "publish"] == [
        name for name in stages if name in ("read and parse the minutes", "group the archive", "render, write, check links", "publish")]
    assert re.search(r"whole build +\d+\.\d\d s +\d+\.\d\d s$", lines[-1])
    sections = {line.split()[0]: line for line in lines if line.startswith("    ")}
    assert re.search(r" 1 file$", sections["/moten/"]) and "/beslut/" in sections and "/data/" in sections
    assert "timings (wall" not in run("--content", make_content(), "--output", tmp_path / "other", "--no-search").stdout


def test_bad_content_lists_every_error_and_keeps_the_published_site(make_content, tmp_path):
    content = make_content()
    site = tmp_path / "site"
    assert run("--content", content, "--output", site, "--no-search").returncode == 0
    before = manifest(site)
    (content / "minutes/2020/bad.md").write_text("---\ndate: 2020-13-01\nbody: ledningsgrupen\nattendees: []\n---\n", encoding="utf-8")
    (content / "minutes/2020/worse.md").write_text("no front matter\n", encoding="utf-8")
    # A copy of a meeting: reported with the others, on the copy (named otherwise than the page).
    original = content / "minutes/2020/2020-11-20-ledningsgruppen.md"
    (content / "minutes/2020/2020-11-20-ledningsgruppen-kopia.md").write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("--content", content, "--output", site, "--no-search", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "content/minutes/2020/2020-11-20-ledningsgruppen-kopia.md:1: content/minutes/2020/2020-11-20-ledningsgruppen.md already makes "
        "the page /moten/2020/2020-11-20-ledningsgruppen/ (same date and body)",
        "content/minutes/2020/bad.md:2: invalid date '2020-13-01': month must be in 1..12",
        "content/minutes/2020/bad.md:3: unknown body 'ledningsgrupen'; did you mean 'ledningsgruppen'?",
        "content/minutes/2020/worse.md:1: missing front matter: a minutes file starts with a line '---', then YAML, then '---'",
        "4 errors; nothing was written",
    ]
    assert manifest(site) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_two_builds_are_byte_identical(make_content, tmp_path):
    content = make_content()
    assert run("--content", content, "--output", tmp_path / "one").returncode == 0
    assert run("--content", content, "--output", tmp_path / "two").returncode == 0
    one, two = manifest(tmp_path / "one"), manifest(tmp_path / "two")
    html = {k: v for k, v in one.items() if k.endswith(".html")}
    assert html and html == {k: v for k, v in two.items() if k.endswith(".html")}


def test_strict_turns_warnings_into_errors(make_content, tmp_path):
    content = make_content({
        "topics.yaml": "naringsliv: {name: Näringsliv, keywords: [företag]}\n",
        "minutes/2021/x.md": "---\ndate: 2021-01-01\nbody: ledningsgruppen\nattendees:\n  - Eva Ek\n  - {name: Olle, municipality: haninge}\n---\n\n"
                             "## Övrigt\n\nText.\n\n## 2. Budget\n\n### Beslut\n\n- Att anta budgeten.\n",
    })
    warnings = [
        "content/minutes/2021/x.md:5: warning: Eva Ek in attendees has no municipality: write {name: Eva Ek, municipality: …}",
        "content/minutes/2021/x.md:9: warning: agenda item 'Övrigt' has no number: write '## 1. Övrigt'",
        "content/minutes/2021/x.md:13: warning: the decisions of § 2 have no topic: add a keyword to topics.yaml or 'topics:' to the front matter",
    ]
    relaxed = run("--content", content, "--output", tmp_path / "site", "--no-search", cwd=tmp_path)
    assert relaxed.returncode == 0
    assert relaxed.stderr.splitlines() == warnings
    strict = run("--content", content, "--output", tmp_path / "site2", "--no-search", "--strict", cwd=tmp_path)
    assert strict.returncode == 1
    assert strict.stderr.splitlines() == warnings + ["3 errors (--strict: warnings count as errors); nothing was written"]
    assert not (tmp_path / "site2").exists()
    # A file with errors still has its warnings and every other error reported, in one run.
    (content / "minutes/2021/y.md").write_text("---\ndate: 2021-02-30\nbody: ledningsgruppen\nattendees: []\nplace: [a, b]\n---\n\n"
                                               "## 1. Budget\n\n## 3. Skatt\n\n## Övrigt\n\nText.\n", encoding="utf-8")
    both = run("--content", content, "--output", tmp_path / "site2", "--no-search", "--strict", cwd=tmp_path)
    assert both.stderr.splitlines() == warnings + [
        "content/minutes/2021/y.md:2: invalid date '2021-02-30': day is out of range for month",
        "content/minutes/2021/y.md:5: 'place' must be text, not a list",
        "content/minutes/2021/y.md:12: warning: agenda item 'Övrigt' has no number: write '## 4. Övrigt'",  # the next number free
        "6 errors (--strict: warnings count as errors); nothing was written",
    ]


def test_a_build_refuses_an_output_folder_it_would_wreck(make_content, tmp_path):
    """The build replaces its output folder whole: "--output ." once replaced the checkout,
    and "--output content" every minutes file, with the site."""
    content = make_content()
    notes = tmp_path / "documents"
    notes.mkdir()
    (notes / "notes.txt").write_text("mine", encoding="utf-8")
    repository = tmp_path / "repository"
    (repository / ".git").mkdir(parents=True)
    before = manifest(tmp_path)
    for output, reason in [
        (tmp_path, "it holds the content folder"),
        (content, "it holds the content folder"),
        (content / "minutes" / "site", "it is inside the content folder"),
        (ROOT / "templates" / "site", "it is inside the templates folder"),
        (notes, "it is not empty and holds no site (no index.html)"),
        (repository, "it is a git repository"),
        (notes / "notes.txt", "it is a file, not a folder"),
    ]:
        result = run("--content", content, "--output", output, "--no-search", cwd=tmp_path)
        assert result.returncode == 1, (output, result.stderr)
        assert result.stderr.startswith(f"build failed: refusing to build into {output}: {reason}"), result.stderr
        assert "Traceback" not in result.stderr
    assert manifest(tmp_path) == before
    assert not (ROOT / "templates" / "site").exists()
    # An empty folder, or one that holds a site, is built into.
    (tmp_path / "empty").mkdir()
    assert run("--content", content, "--output", tmp_path / "empty", "--no-search", cwd=tmp_path).returncode == 0
    assert run("--content", content, "--output", tmp_path / "empty", "--no-search", cwd=tmp_path).returncode == 0


def test_the_preview_builds_beside_the_site_not_into_it():
    """A build for 127.0.0.1 in site/ would be published by whoever copies site/ to a host."""
    script = "import build; print(build.parse_arguments(['serve']).output, build.parse_arguments([]).output)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.split() == [str(ROOT / ".preview"), str(ROOT / "site")], result.stderr


def test_a_file_that_is_no_minutes_is_reported_with_the_other_files_errors(make_content, tmp_path):
    """The finding of the minutes files and their parsing are one report, even when the last
    build is unchanged (the stray file changes no minutes file's key)."""
    content = make_content()
    site = tmp_path / "site"
    assert subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", content, "--output", site, "--no-search",
                           "--cache", tmp_path / "cache"], cwd=tmp_path).returncode == 0
    (content / "minutes/2020/notes.txt").write_text("mine", encoding="utf-8")
    for cached in (True, False):
        cache = ("--cache", tmp_path / "cache") if cached else ()
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", content, "--output", site, "--no-search", *map(str, cache)],
                                capture_output=True, text=True, cwd=tmp_path)
        assert result.returncode == 1 and result.stderr.splitlines() == [
            "content/minutes/2020/notes.txt:1: not a minutes file: minutes are Markdown files ending in '.md'",
            "1 error; nothing was written"], result.stderr
    (content / "minutes/2020/bad.md").write_text("---\ndate: 2020-13-01\nbody: ledningsgruppen\nattendees: []\n---\n", encoding="utf-8")
    result = run("--content", content, "--output", site, "--no-search", cwd=tmp_path)
    assert result.stderr.splitlines() == [
        "content/minutes/2020/bad.md:2: invalid date '2020-13-01': month must be in 1..12",
        "content/minutes/2020/notes.txt:1: not a minutes file: minutes are Markdown files ending in '.md'",
        "2 errors; nothing was written"], result.stderr


def test_a_second_build_of_one_output_folder_waits_for_the_first(make_content, tmp_path):
    """Two rebuilds at once moved pages into one folder and wrote its search index over each
    other (a review: a broken index, and Pagefind hung)."""
    import time

    from minutes_archive.cache import BuildCache
    from minutes_archive.write import held

    content, site, cache = make_content(), tmp_path / "site", tmp_path / "cache"
    with held(BuildCache(cache).build_lock(site)):  # as a build of site/ does
        second = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--output", str(site),
                                   "--no-search", "--cache", str(cache)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert second.poll() is None and not site.exists()
    assert second.wait(timeout=60) == 0, second.stderr.read()
    assert (site / "index.html").is_file()
