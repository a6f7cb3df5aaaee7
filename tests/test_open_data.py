"""The open data files spliced by a rebuild: the pairs of open_data.splices turn the file
of one archive into the file of the other, byte for byte."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minutes_archive.open_data import FILES, merged, open_data_file, splices


def whole_file(name: str, archive: list[tuple[str, str]], parts: dict[str, str]) -> str:
    return "".join(open_data_file(name, [parts[key] for _, key in archive]))


def spliced(text: str, pairs: list[tuple[str, str]]) -> str:
    """text with each pair's old text replaced, as write.write_spliced does it: each old text
    must be found exactly once, and no two may overlap."""
    spans = []
    for old, new in pairs:
        start = text.find(old)
        assert start >= 0 and text.find(old, start + 1) < 0, f"{old!r} is not in the file once"
        spans.append((start, start + len(old), new))
    spans.sort()
    assert all(end <= next_start for (_, end, _), (next_start, _, _) in zip(spans, spans[1:])), "overlapping"
    out, position = [], 0
    for start, end, new in spans:
        out += [text[position:start], new]
        position = end
    return "".join(out + [text[position:]])


def part(name: str, url: str, version: int, decisions: int) -> str:
    """A meeting's part as open_data.meeting_records makes it: empty without decisions."""
    if name == "meetings.json":
        return f'{{"id":"{url}","v":{version}}}'
    rows = [f'{{"id":"{url}#b{n}","v":{version}}}' if name.endswith(".json") else f"{url}#b{n},{version}\r\n" for n in range(decisions)]
    return ",\n".join(rows) if name.endswith(".json") else "".join(rows)


def check(before: list[tuple[str, int, int]], after: list[tuple[str, int, int]]) -> None:
    """before and after: meetings as (URL, version, decisions); the key is the three."""
    for name in FILES:
        parts = {f"{url}/{version}/{count}": part(name, url, version, count) for url, version, count in [*before, *after]}
        old = [(url, f"{url}/{version}/{count}") for url, version, count in before]
        new = [(url, f"{url}/{version}/{count}") for url, version, count in after]
        pairs = splices(name, merged(old, new), parts.__getitem__)
        assert spliced(whole_file(name, old, parts), pairs) == whole_file(name, new, parts)


def test_a_meeting_added_as_the_newest_goes_in_at_the_start():
    before = [("/b/", 1, 2), ("/a/", 1, 1)]
    check(before, [("/c/", 1, 3), *before])


@pytest.mark.parametrize("before, after", [
    ([("/b/", 1, 2), ("/a/", 1, 1)], [("/b/", 1, 2), ("/a/", 1, 1), ("/0/", 1, 1)]),  # added as the oldest
    ([("/c/", 1, 2), ("/a/", 1, 1)], [("/c/", 1, 2), ("/b/", 1, 0), ("/a/", 1, 1)]),  # added without decisions
    ([("/c/", 1, 2), ("/b/", 1, 1), ("/a/", 1, 1)], [("/c/", 1, 2), ("/a/", 1, 1)]),  # removed from the middle
    ([("/b/", 1, 1), ("/a/", 1, 1)], []),  # every meeting removed
    ([], [("/a/", 1, 2)]),  # the first meeting
    ([("/c/", 1, 0), ("/b/", 1, 0), ("/a/", 1, 0)], [("/c/", 1, 0), ("/b/", 2, 1), ("/a/", 1, 0)]),  # the only decision
    ([("/c/", 1, 1), ("/b/", 1, 1), ("/a/", 1, 1)], [("/c/", 2, 1), ("/b/", 1, 1), ("/a/", 2, 1)]),  # windows that share /b/
])
def test_meetings_added_removed_and_edited_anywhere(before, after):
    check(before, after)


def test_nothing_changed_is_no_pairs():
    assert splices("meetings.json", merged([("/a/", "k")], [("/a/", "k")]), {"k": "{}"}.__getitem__) == []


def test_meetings_in_another_order_are_not_merged():
    assert merged([("/b/", "b"), ("/a/", "a")], [("/a/", "a"), ("/b/", "b")]) is None


def test_merged_pairs_each_meeting_with_its_keys_in_both():
    assert merged([("/c/", "c"), ("/a/", "a")], [("/c/", "c2"), ("/b/", "b"), ("/a/", "a")]) == [("c", "c2"), ("", "b"), ("a", "a")]
    assert merged([("/b/", "b"), ("/a/", "a")], [("/b/", "b2"), ("/a/", "a")]) == [("b", "b2"), ("a", "a")]


def test_a_part_that_is_gone_from_the_store_is_raised():
    def gone(key: str) -> str:
        raise LookupError(key)

    with pytest.raises(LookupError):
        splices("meetings.json", merged([("/a/", "old")], [("/a/", "new")]), gone)


meetings = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 3)), min_size=0, max_size=12)


@settings(max_examples=300, deadline=None)
@given(meetings, st.lists(st.sampled_from(["keep", "edit", "remove", "add"]), max_size=12))
def test_any_few_changes_splice_to_the_whole_file(versions, changes):
    """Archives of up to 12 meetings with 0-3 decisions each, and any mix of edits,
    additions and removals (an added meeting goes in after the one it is drawn for)."""
    before = [(f"/{n:02d}/", version, count) for n, (version, count) in enumerate(versions)]
    after = []
    for (url, version, count), change in zip(before, changes + ["keep"] * len(before)):
        if change == "keep":
            after.append((url, version, count))
        elif change == "edit":
            after.append((url, version + 1, (count + 1) % 4))
        elif change == "add":
            after += [(url, version, count), (url.rstrip("/") + "x/", 0, count % 2)]
    check(before, after)
