"""Agenda items, decisions and link checks in the Markdown body."""

import pytest

from minutes_archive.errors import ErrorCollector
from minutes_archive.markdown_body import link_problem, new_markdown, parse_body
from minutes_archive.model import DecisionSection, Prose


def parse(body: str, first_line: int = 10):
    errors = ErrorCollector("m.md")
    parsed = parse_body(new_markdown(), body, first_line, errors)
    return parsed, [f"{e.line}: {e.message}" for e in errors.errors]


def test_item_heading_forms():
    parsed, errors = parse("## 1. Första\n\n## § 2 Andra\n\n## 3a. Tredje\n\n## 10.1 Fjärde\n\n## Övrigt\n")
    assert errors == []
    assert [(i.number, i.title) for i in parsed.items] == [
        ("1", "Första"), ("2", "Andra"), ("3a", "Tredje"), ("10.1", "Fjärde"), (None, "Övrigt"),
    ]


def test_a_year_is_not_an_item_number():
    parsed, _ = parse("## 2020 års budget\n")
    assert [(i.number, i.title) for i in parsed.items] == [(None, "2020 års budget")]


def test_each_list_item_under_beslut_is_one_decision():
    parsed, errors = parse(
        "## 5. Kommande möten\n\nText.\n\n### Beslut\n\nKommittén beslutar\n\n- Att a.\n- Att *b*.\n\n"
        "Diskussion.\n\n### Beslut\n\n1. Att c.\n"
    )
    assert errors == []
    [item] = parsed.items
    prose, first, second = item.sections
    assert isinstance(prose, Prose) and "Text." in prose.html
    assert isinstance(first, DecisionSection)
    assert first.intro_html == "<p>Kommittén beslutar</p>"
    assert [(d.anchor, d.html, d.text) for d in first.decisions] == [
        ("p5-b1", "<p>Att a.</p>", "Att a."),
        ("p5-b2", "<p>Att <em>b</em>.</p>", "Att b."),
    ]
    assert first.outro_html == "<p>Diskussion.</p>"
    assert [d.anchor for d in second.decisions] == ["p5-b3"]


def test_beslut_without_a_list_is_one_decision():
    parsed, _ = parse("## 3. Covid\n\n### Beslut\n\nAtt informera.\n\nOch mer.\n")
    [decision] = parsed.items[0].sections[0].decisions
    assert decision.html == "<p>Att informera.</p>\n<p>Och mer.</p>"


def test_other_h3_headings_stay_prose():
    parsed, _ = parse("## 6. Plan\n\n### Verksamhetsplan 2021\n\nText.\n")
    assert parsed.items[0].sections == (Prose("<h3>Verksamhetsplan 2021</h3>\n<p>Text.</p>\n"),)


def test_preamble_before_the_first_item():
    parsed, _ = parse("Mötet öppnades.\n\n## 1. Punkt\n")
    assert parsed.preamble_html == "<p>Mötet öppnades.</p>\n"


def test_problems_are_reported_with_file_lines():
    _, errors = parse("## 1. A\n\n### Beslut\n\n## 1. B\n\n# Rubrik\n\n[x](javascript:alert(1))\n")
    assert errors == [
        "16: a '# ' heading is not allowed: the page title comes from the front matter; agenda items are '## 1. Titel'",
        "18: link scheme 'javascript:' is not allowed (only http, https, mailto and relative links): 'javascript:alert(1)'",
        "12: '### Beslut' has no decision under it",
        "14: agenda item '1. B' repeats the number of the item on line 10",
    ]


def test_raw_html_is_escaped():
    parsed, errors = parse("<script>alert(1)</script>\n\n## 1. <b>Fet</b>\n")
    assert errors == []
    assert "<script>" not in parsed.preamble_html and "&lt;script&gt;" in parsed.preamble_html
    assert parsed.items[0].title == "<b>Fet</b>"  # escaped by the templates, which autoescape


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "data:text/html,<script>", "vbscript:msgbox", "file:///etc/passwd", "//evil.example/x",
])
def test_disallowed_links(url):
    assert link_problem(url) is not None


@pytest.mark.parametrize("url", ["https://example.org/", "http://x.se", "mailto:a@b.se", "../2020/", "#p3", "/beslut/", "sida.html"])
def test_allowed_links(url):
    assert link_problem(url) is None


@pytest.mark.parametrize("markdown", [
    "[x](javascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "<javascript:alert(1)>",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "![i](javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
])
def test_every_disguise_of_a_script_link_is_an_error(markdown):
    parsed, errors = parse(markdown + "\n")
    rendered = parsed.preamble_html.lower()
    assert errors or "javascript" not in rendered, rendered
    assert 'href="javascript' not in rendered and 'src="javascript' not in rendered
