"""Read stage: files to checked text and front matter."""

import os

from minutes_archive.read import MAX_FILE_BYTES, read_content

from conftest import MINUTES

MINUTES_PATH = "minutes/2020/2020-11-20-ledningsgruppen.md"


def errors_of(content):
    return [f"{e.path.rsplit('content/', 1)[-1]}:{e.line}: {e.message}" for e in read_content(content).errors]


def test_reads_registries_and_minutes(make_content):
    sources = read_content(make_content())
    assert sorted(sources.registries) == ["bodies.yaml", "municipalities.yaml", "site.yaml", "topics.yaml"]
    [minutes] = sources.minutes
    assert minutes.front_matter["date"] == "2020-11-20"
    assert minutes.front_matter.key_lines["body"] == 4
    assert minutes.body_line == 8
    assert minutes.body.startswith("\n## 1. Välkommen")
    assert sources.errors == ()


def test_bom_and_crlf_read_the_same_as_plain_lf(make_content, tmp_path):
    content = make_content()
    plain = read_content(content).minutes[0]
    path = content / MINUTES_PATH
    path.write_bytes(b"\xef\xbb\xbf" + MINUTES.replace("\n", "\r\n").encode("utf-8"))
    crlf = read_content(content).minutes[0]
    assert (crlf.front_matter, crlf.body, crlf.body_line) == (plain.front_matter, plain.body, plain.body_line)


def test_latin1_file_names_the_line_and_byte(make_content):
    content = make_content()
    (content / MINUTES_PATH).write_bytes(MINUTES.replace("–", "-").encode("latin-1"))
    assert errors_of(content) == [f"{MINUTES_PATH}:9: not valid UTF-8 (byte 0xE4 at offset 136); save the file as UTF-8"]


def test_missing_and_unterminated_front_matter(make_content):
    content = make_content({
        "minutes/2020/a.md": "# Ingen front matter\n",
        "minutes/2020/b.md": "---\ndate: 2020-01-01\n",
        "minutes/2020/c.md": "",
    })
    assert errors_of(content) == [
        "minutes/2020/a.md:1: missing front matter: a minutes file starts with a line '---', then YAML, then '---'",
        "minutes/2020/b.md:1: unterminated front matter: no closing '---' line",
        "minutes/2020/c.md:1: missing front matter: a minutes file starts with a line '---', then YAML, then '---'",
    ]


def test_front_matter_must_be_a_mapping(make_content):
    content = make_content({"minutes/2020/a.md": "---\n- a list\n---\n"})
    assert errors_of(content) == ["minutes/2020/a.md:2: front matter must be a mapping of keys to values (date: …, body: …)"]


def test_yaml_error_line_is_the_file_line(make_content):
    content = make_content({"minutes/2020/a.md": "---\ndate: 2020-01-01\ntitle: \"open\nbody: x\n---\n"})
    assert errors_of(content) == ["minutes/2020/a.md:3: YAML syntax error: found unexpected end of stream while scanning a quoted scalar"]


def test_control_character_is_an_error_with_its_line(make_content):
    content = make_content({"minutes/2020/a.md": "---\ndate: 2020-01-01\n---\n\nText \x1b[31m\n"})
    assert errors_of(content) == ["minutes/2020/a.md:5: control character U+001B is not allowed"]


def test_symlinks_are_refused_and_not_followed(make_content, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("---\ndate: 2020-01-01\n---\nhemligt\n", encoding="utf-8")
    content = make_content()
    os.symlink(secret, content / "minutes/2020/link.md")
    os.symlink(tmp_path, content / "minutes/dirlink")
    errors = errors_of(content)
    assert errors == [
        f"minutes/2020/link.md:1: symlinks are not allowed in content/ (points to {secret})",
        f"minutes/dirlink:1: symlinks are not allowed in content/ (points to {tmp_path})",
    ]


def test_oversized_file_is_refused_before_reading(make_content):
    content = make_content({"minutes/2020/big.md": "---\n---\n" + "x" * MAX_FILE_BYTES})
    assert errors_of(content) == [f"minutes/2020/big.md:1: file too large ({MAX_FILE_BYTES + 8} bytes > {MAX_FILE_BYTES})"]


def test_editor_leftovers_are_skipped_and_other_files_reported(make_content):
    content = make_content({
        "minutes/2020/.#lock.md": "junk",
        "minutes/2020/backup.md~": "junk",
        "minutes/.DS_Store": "junk",
        "minutes/2020/notes.txt": "junk",
        "minutes/2020/UPPER.MD": "junk",
    })
    assert errors_of(content) == [
        "minutes/2020/UPPER.MD:1: not a minutes file: minutes are Markdown files ending in '.md'",
        "minutes/2020/notes.txt:1: not a minutes file: minutes are Markdown files ending in '.md'",
    ]


def test_missing_registry_file_is_reported(make_content):
    content = make_content()
    (content / "topics.yaml").unlink()
    assert errors_of(content) == ["topics.yaml:1: file is missing"]
