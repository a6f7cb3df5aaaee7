"""Safe YAML loading that keeps line numbers and refuses YAML's traps.

Every plain scalar is read as the text the author wrote: YAML 1.1 would turn
`18:30` into 1110, `8.30` into 8.3 and `no` into False. Typed values (dates)
are converted later, by the parse stage, where a bad value can be reported on
its line. Aliases and duplicate keys are refused.
"""

from __future__ import annotations

import re

import yaml

try:  # the C parser is about ten times faster; fall back if PyYAML lacks libyaml
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on the PyYAML wheel
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class YamlError(Exception):
    """A YAML problem at a 1-based line within the YAML text."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class LineDict(dict):
    """A mapping that remembers the line of itself and of each key."""

    line: int = 1
    key_lines: dict


class LineList(list):
    """A sequence that remembers the line of itself and of each item."""

    line: int = 1
    item_lines: list


class _AliasFound(Exception):
    """A node was reached twice: the document uses an alias."""


class _TextLoader(_BaseLoader):
    """SafeLoader without implicit typing, aliases or duplicate keys."""

    # No implicit resolvers: every plain scalar stays a string.
    yaml_implicit_resolvers: dict = {}
    first_line = 1
    duplicates: list | None = None
    """Where duplicate keys are collected (the first value kept), if not raised at once."""

    def _line(self, node) -> int:
        return node.start_mark.line + self.first_line

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _AliasFound()
        return super().construct_object(node, deep=deep)

    def construct_yaml_map(self, node):
        data = LineDict()
        data.line = self._line(node)
        data.key_lines = {}
        yield data
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            line = self._line(key_node)
            if not isinstance(key, str):
                raise YamlError(line, f"mapping keys must be text, not {type(key).__name__}")
            if key in data:
                duplicate = YamlError(line, f"duplicate key '{key}' (first on line {data.key_lines[key]})")
                if self.duplicates is None:
                    raise duplicate
                self.duplicates.append(duplicate)
                continue
            data.key_lines[key] = line
            data[key] = self.construct_object(value_node, deep=True)

    def construct_yaml_seq(self, node):
        data = LineList()
        data.line = self._line(node)
        data.item_lines = [self._line(child) for child in node.value]
        yield data
        data.extend(self.construct_object(child, deep=True) for child in node.value)


_TextLoader.add_constructor("tag:yaml.org,2002:map", _TextLoader.construct_yaml_map)
_TextLoader.add_constructor("tag:yaml.org,2002:seq", _TextLoader.construct_yaml_seq)


def load_yaml(text: str, first_line: int = 1, duplicates: list[YamlError] | None = None):
    """Parse YAML text into LineDict/LineList/str values; raise YamlError with a line.

    `first_line` is the line of the source file the YAML text starts on, so that
    every line reported (in values and errors) is a line of that file. With a list for
    `duplicates`, a duplicate key is put there and the first value kept, so that the
    rest of the document can still be checked.
    """
    loader = _TextLoader(text)
    loader.first_line = first_line
    loader.duplicates = duplicates
    try:
        data = loader.get_single_data()
        if "&" in text and (line := _first_anchor_line(text)):
            raise YamlError(line + first_line - 1, ANCHOR_MESSAGE)
        return data
    except YamlError:
        raise
    except _AliasFound:
        raise YamlError(_first_alias_line(text) + first_line - 1, ALIAS_MESSAGE) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + first_line
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YamlError(line, f"character U+{code:04X} is not allowed in YAML") from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        tag = re.search(r"tag '([^']*)'", exc.problem or "")
        message = f"YAML tag '{tag.group(1)}' is not allowed" if tag else f"YAML error: {exc.problem}"
        raise YamlError((mark.line if mark else 0) + first_line, message) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line_text = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
        if "cannot start any token" in problem and line_text[mark.column:mark.column + 1] == "\t":
            problem = "a tab cannot indent YAML; use spaces"
        elif exc.context and exc.context.startswith(("while scanning a quoted", "while parsing a flow")) and exc.context_mark:
            # An unclosed quote, [ or { is found only on a later line: point at where it opened.
            mark, problem = exc.context_mark, f"{problem} {exc.context}"
        if "mapping values are not allowed" in problem:
            problem += " (put text that contains ': ' in quotes)"
        raise YamlError((mark.line if mark else 0) + first_line, f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlError(first_line, f"YAML error: {exc}") from None
    except RecursionError:
        raise YamlError(first_line, "YAML nested too deeply") from None
    finally:
        loader.dispose()


ALIAS_MESSAGE = "YAML aliases (*name) are not allowed; write the value out"
ANCHOR_MESSAGE = "YAML anchors (&name) are not allowed: YAML would leave '&name' out of the value; put the value in quotes"


def _first_alias_line(text: str) -> int:
    """Return the line of the first alias; only called once an alias is known to exist."""
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line + 1
    return 1


def _first_anchor_line(text: str) -> int | None:
    """The line of the first anchor (&name before a value), if any."""
    for event in yaml.parse(text, Loader=_BaseLoader):
        if getattr(event, "anchor", None) is not None:
            return event.start_mark.line + 1
    return None
