"""YAML loading: text as written, lines kept, traps refused."""

import pytest

from minutes_archive.yaml_source import YamlError, load_yaml


def test_plain_scalars_stay_the_text_the_author_wrote():
    data = load_yaml("time: 18:30\nnumber: 8.30\nanswer: no\ncountry: NO\ndate: 2020-11-20\nlead: 010\n")
    assert data == {"time": "18:30", "number": "8.30", "answer": "no", "country": "NO", "date": "2020-11-20", "lead": "010"}


def test_lines_of_keys_and_items_are_file_lines():
    data = load_yaml("a: 1\nlist:\n  - x\n  - {name: y}\n", first_line=2)
    assert data.key_lines == {"a": 2, "list": 3}
    assert data["list"].item_lines == [4, 5]
    assert data["list"][1].line == 5


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("a: 1\na: 2\n", 3, "duplicate key 'a' (first on line 2)"),
        ("a: &x [1]\nb: *x\n", 3, "YAML aliases (*name) are not allowed; write the value out"),
        ("a: &x [*x]\n", 2, "YAML aliases (*name) are not allowed; write the value out"),
        ("a: !!python/object/apply:os.system [echo hi]\n", 2, "YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
        ("a: !include secrets.yaml\n", 2, "YAML tag '!include' is not allowed"),
        ("a: \"open\nb: 1\n", 2, "YAML syntax error: found unexpected end of stream while scanning a quoted scalar"),
        ("a: b: c\n", 2, "YAML syntax error: mapping values are not allowed in this context (put text that contains ': ' in quotes)"),
        ("a: 1\nplace: &a Teams\n", 3,
         "YAML anchors (&name) are not allowed: YAML would leave '&name' out of the value; put the value in quotes"),
        ("a: 1\ntitle: [unclosed\nb: 2\n", 3, "YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence"),
        ("a: {x: 1\nb: 2\n", 2, "YAML syntax error: did not find expected ',' or '}' while parsing a flow mapping"),
    ],
)
def test_traps_are_errors_on_their_file_line(text, line, message):
    with pytest.raises(YamlError) as caught:
        load_yaml(text, first_line=2)
    assert (caught.value.line, caught.value.message) == (line, message)


def test_billion_laughs_is_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    with pytest.raises(YamlError, match="aliases"):
        load_yaml(bomb)


def test_deep_nesting_is_an_error_not_a_traceback():
    with pytest.raises(YamlError):
        load_yaml("a: " + "[" * 10000)


def test_an_ampersand_in_text_is_text():
    assert load_yaml('a: Trygghet & säkerhet\nb: "&x"\n') == {"a": "Trygghet & säkerhet", "b": "&x"}
