"""The words Pagefind reads of a page, kept per search shard for the vocabulary bundle."""

import gzip
import json

import pytest

from minutes_archive.shard_words import page_words, read_words, shard_words, vocabulary_pages, write_words


def page(body: str) -> str:
    return f'<html lang="sv"><body><header>Arkivet</header><article data-pagefind-body>{body}</article><footer>Byggd</footer></body></html>'


def test_the_words_are_those_of_the_indexed_element():
    assert page_words(page("<h1>Möte</h1><p>Beslut om Norvik.</p>")) == {"Möte", "Beslut", "om", "Norvik."}
    assert page_words("<html><body><p>Ingen</p></body></html>") == set()


def test_block_elements_part_words_and_inline_elements_do_not():
    # As Pagefind reads them: "Ledningsgruppen" and "2020" apart, "kommunstyrelsen" one word.
    assert page_words(page("<h2>Ledningsgruppen</h2><p>2020</p><p>kommun<em>styrelsen</em><br>X</p>")) == {"Ledningsgruppen", "2020", "kommunstyrelsen", "X"}


def test_ignored_and_left_out_elements_give_no_words():
    body = ('<div hidden data-pagefind-ignore><span data-pagefind-filter="år">2015</span><div>inre</div>kvar</div>'
            '<nav>Dagordning<nav>inre</nav>slut</nav><p>Text</p><footer>Ämnen</footer>'
            '<p class="permalink" data-pagefind-ignore><a href="#b">Länk</a></p><img data-pagefind-ignore src="x.png">Efter')
    assert page_words(page(body)) == {"Text", "Efter", "x.png"}  # but the image's address: Pagefind may make metadata of it


def test_what_is_left_out_parts_no_words():
    assert page_words(page('<p>kommun<span data-pagefind-ignore>(dold)</span>styrelsen</p>')) == {"kommunstyrelsen"}


def test_the_attribute_named_in_prose_is_a_word_not_a_cut():
    assert page_words(page("<p>Skriv data-pagefind-ignore på elementet.</p>")) == {"Skriv", "data-pagefind-ignore", "på", "elementet."}


def test_character_references_are_read_as_text():
    assert page_words(page("<p>Tyresö&nbsp;kommun &amp; Salem</p>")) == {"Tyresö", "kommun", "&", "Salem"}


def test_a_shards_words_are_kept_with_its_bundle_with_their_numbers_of_pages(tmp_path):
    assert read_words(tmp_path) is None
    write_words(tmp_path, {"Norvik": 3, "2020": 1})
    first = (tmp_path / "ord.txt.gz").read_bytes()
    assert read_words(tmp_path) == {"Norvik": 3, "2020": 1}
    write_words(tmp_path, {"2020": 1, "Norvik": 3})
    assert (tmp_path / "ord.txt.gz").read_bytes() == first  # the same words, the same file
    for older in (b"Norvik\n2020", b"Norvik"):  # of an older form: read from the pages instead
        (tmp_path / "ord.txt.gz").write_bytes(gzip.compress(older))
        assert read_words(tmp_path) is None
    write_words(tmp_path, {})
    assert read_words(tmp_path) == {}


def test_a_shards_words_are_counted_once_a_page(tmp_path):
    for name, text in {"a.html": "<p>Norvik Norvik hamn</p>", "b.html": "<p>Norvik</p>"}.items():
        (tmp_path / name).write_text(page(text), encoding="utf-8")
    assert shard_words(sorted(tmp_path.glob("*.html"))) == {"Norvik": 2, "hamn": 1}


def test_a_vocabulary_page_holds_its_shards_words_and_names_it_by_a_filter():
    pages = vocabulary_pages({"2019-2020": {"Norvik", "<a>&"}, "2021": {"Salem"}})
    assert sorted(pages) == ["2019-2020", "2021"]
    assert 'lang="sv"' in pages["2019-2020"]
    assert 'data-pagefind-filter="_vocabulary:ja"' in pages["2019-2020"]
    assert 'data-pagefind-filter="_shard:2019-2020"' in pages["2019-2020"]
    assert "<p>&lt;a&gt;&amp; Norvik</p>" in pages["2019-2020"]


@pytest.mark.parametrize("site", ["fixture_site", "content_site"])
def test_the_words_are_those_pagefind_read(site, request):
    """Pagefind keeps the text it read of each page in its fragment: the same words, but
    for the full stop it puts after a heading or a paragraph that ends without one."""
    site = request.getfixturevalue(site)
    fragments = list((site / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert fragments
    for fragment in fragments:
        read = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        html = (site / read["url"].strip("/") / "index.html").read_text(encoding="utf-8")
        assert {w.rstrip(".") for w in page_words(html)} == {w.rstrip(".") for w in read["content"].split()}, read["url"]


def test_the_words_of_the_metadata_count_wherever_it_is():
    # Pagefind 1.5 searches metadata: the date written out is found by "november".
    body = '<div hidden data-pagefind-ignore><span data-pagefind-meta="dag">20 november 2020</span></div><p>Text</p>'
    assert page_words(page(body)) == {"20", "november", "2020", "Text"}


def test_the_words_of_an_images_alt_text_and_address_count():
    # Pagefind makes metadata (image, image_alt) of them, which it searches.
    body = '<p>Karta</p><img alt="Karta över Flemingsberg" src="/bilder/schema.png">'
    assert page_words(page(body)) == {"Karta", "över", "Flemingsberg", "/bilder/schema.png"}
