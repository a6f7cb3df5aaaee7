"""The render memo: a page's key changes exactly when something its template is given changes."""

from minutes_archive.memo import PageMemo, PageRecord
from minutes_archive.pipeline import load_archive
from minutes_archive.render import CountLink

from conftest import MINUTES

SECOND = MINUTES.replace("2020-11-20", "2020-12-04").replace("Välkommen", "Budget")


def archive_and_keys(make_content):
    archive = load_archive(make_content({"minutes/2020/2020-12-04-ledningsgruppen.md": SECOND}))
    return archive, {m.url: f"key of {m.slug}" for m in archive.meetings}


def test_a_key_changes_with_a_meeting_it_lists_and_not_with_another(make_content):
    archive, keys = archive_and_keys(make_content)
    first, second = archive.meetings[1], archive.meetings[0]

    def key(meeting_keys, meetings):
        return PageMemo("global", meeting_keys).key("year.html", "/ar/2020/", [], {"meetings": meetings})

    assert key(keys, (second,)) == key(keys, (second,))
    assert key(keys, (second,)) != key({**keys, second.url: "edited"}, (second,))
    assert key(keys, (second,)) == key({**keys, first.url: "edited"}, (second,))
    assert key(keys, (second, first)) != key(keys, (first, second))


def test_a_key_changes_with_the_global_key_template_url_and_context(make_content):
    archive, keys = archive_and_keys(make_content)
    base = PageMemo("global", keys).key("year.html", "/ar/2020/", [], {"year": 2020})
    assert base != PageMemo("other code", keys).key("year.html", "/ar/2020/", [], {"year": 2020})
    assert base != PageMemo("global", keys).key("body.html", "/ar/2020/", [], {"year": 2020})
    assert base != PageMemo("global", keys).key("year.html", "/ar/2021/", [], {"year": 2020})
    assert base != PageMemo("global", keys).key("year.html", "/ar/2020/", [], {"year": 2021})


def test_decisions_and_items_stand_for_their_meeting_and_anchor(make_content):
    archive, keys = archive_and_keys(make_content)
    memo = PageMemo("global", keys)
    refs = [memo.key("t", "/", [], {"refs": (ref,)}) for ref in (*archive.decisions, *archive.by_municipality["haninge"].items)]
    assert len(set(refs)) == len(refs)


def test_a_value_it_cannot_describe_means_the_page_is_always_rendered(make_content):
    memo = PageMemo("global", {}, {"/": PageRecord("", "")})
    assert memo.key("home.html", "/", [], {"thing": object()}) == ""
    assert not memo.unchanged("/", "")


def test_without_a_global_key_there_is_no_memo(make_content):
    archive, keys = archive_and_keys(make_content)
    assert PageMemo("", keys).key("year.html", "/ar/2020/", [], {"meetings": archive.meetings}) == ""


def test_count_links_are_told_apart_by_each_field_in_lists_and_facets():
    memo = PageMemo("global", {})
    link = CountLink("Haninge", "/beslut/kommun/haninge/", 12)
    variants = [link, link._replace(label="Huddinge"), link._replace(link="/beslut/kommun/huddinge/"), link._replace(count=13),
                ("Haninge", "/beslut/kommun/haninge/", "12")]
    for context in ({"months": [v]} for v in variants), ({"facets": [("Kommun", [v])]} for v in variants):
        keys = [memo.key("register.html", "/beslut/", [], c) for c in context]
        assert len(set(keys)) == len(keys)
    assert memo.key("register.html", "/beslut/", [], {"months": [link]}) == memo.key("register.html", "/beslut/", [], {"months": [CountLink(*link)]})
