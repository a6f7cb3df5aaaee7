"""Render stage: dates, paths, escaping and the site-wide page contract."""

import datetime as dt
import re
import shutil

from minutes_archive.hidden_terms import place_parts
from minutes_archive.pipeline import load_archive, render_archive
from minutes_archive import render
from minutes_archive.render import Page, by_month, by_year, long_date

from conftest import FIXTURE_ARCHIVE, MINUTES, SITE_YAML, TEMPLATES


def test_swedish_dates():
    assert long_date(dt.date(2020, 11, 20)) == "20 november 2020"
    assert long_date(dt.date(2020, 11, 20), weekday=True) == "fredag 20 november 2020"


def test_entries_newest_first_split_into_years():
    class Entry:
        def __init__(self, day):
            self.meeting = type("Meeting", (), {"date": dt.date.fromisoformat(day)})

    entries = [Entry(day) for day in ("2021-03-01", "2021-01-05", "2019-12-31", "2019-01-01", "2019-01-01", "2015-06-30")]
    years = by_year(entries)
    assert list(years) == [2021, 2019, 2015]
    assert [len(run) for run in years.values()] == [2, 3, 1]
    assert sum(years.values(), ()) == tuple(entries)
    assert by_year([]) == {}


def test_entries_of_a_year_split_into_months():
    class Entry:
        def __init__(self, day):
            self.meeting = type("Meeting", (), {"date": dt.date.fromisoformat(day)})

    entries = [Entry(day) for day in ("2021-12-01", "2021-03-31", "2021-03-01", "2021-01-05")]
    months = by_month(entries)
    assert list(months) == [12, 3, 1] and [len(run) for run in months.values()] == [1, 2, 1]
    assert sum(months.values(), ()) == tuple(entries)


def test_a_long_year_has_a_page_per_month(monkeypatch):
    """A year's page that would list more than MONTHS_FROM entries shows the newest and links
    to a page per month, which together list every entry of the year once."""
    monkeypatch.setattr(render, "MONTHS_FROM", 2)
    monkeypatch.setattr(render, "LATEST_DECISIONS", 2)
    pages = pages_of(FIXTURE_ARCHIVE)
    year = pages["/beslut/ar/2020/"]
    assert 'aria-label="Beslut månad för månad"' in year
    months = re.findall(r'<a href="/beslut/ar/2020/(\d\d)/">(\w+) <span class="count">\((\d+)\)', year)
    assert [(number, name) for number, name, _ in months] == [("09", "september"), ("03", "mars")]
    anchors = lambda html: re.findall(r'class="register-cite"><a href="([^"]+)"', html)  # noqa: E731
    assert len(anchors(year)) == 2 and "Alla finns på sidorna för varje månad." in year  # the newest, as the first page
    listed = [anchors(pages[f"/beslut/ar/2020/{number}/"]) for number, _, _ in months]
    assert [len(urls) for urls in listed] == [int(count) for _, _, count in months]
    assert all(url.startswith(f"/moten/2020/2020-{number}-") for (number, _, _), urls in zip(months, listed) for url in urls)
    assert sum(map(int, (count for _, _, count in months))) == int(re.search(r"av (\d+) beslut", year)[1])
    march = pages["/beslut/ar/2020/03/"]
    assert "<h1>Beslut mars 2020</h1>" in march and 'href="/beslut/ar/2020/03/" aria-current="page"' in march
    assert '<a href="/beslut/ar/2020/">2020</a>' in march  # the breadcrumbs lead back to the year
    # A month's page counts its year's months only: a meeting added recounts its own year's.
    assert 'class="facets"' not in march and "Beslut år för år" not in march and 'class="facets"' in year
    # The narrower lists, the topics' and the municipalities' years are split the same way.
    for url in ("/beslut/organ/ledningsgruppen/2020/03/", "/amnen/covid-19/2020/03/", "/kommuner/tyreso/2020/03/"):
        assert "mars 2020</h1>" in pages[url], url
    assert "/beslut/ar/2019/05/" in pages
    # A year's meetings: two in 2020, one page; more than MONTHS_FROM, a page per month.
    assert "/ar/2020/03/" not in pages
    monkeypatch.setattr(render, "MONTHS_FROM", 1)
    monkeypatch.setattr(render, "LATEST_LIST", 1)
    pages = pages_of(FIXTURE_ARCHIVE)
    meetings = lambda html: re.findall(r'<a href="(/moten/[^"#]+)">', html)  # noqa: E731
    assert meetings(pages["/ar/2020/"]) == ["/moten/2020/2020-09-24-samarbetskommitten/"]
    assert "<h1>Möten mars 2020</h1>" in pages["/ar/2020/03/"]
    assert meetings(pages["/ar/2020/03/"]) == ["/moten/2020/2020-03-13-ledningsgruppen/"]


def test_a_body_has_a_page_per_year(monkeypatch):
    """A body's page shows its newest meetings and links to a page per year, which lists every
    meeting of the year (and, if the year is long, to a page per month)."""
    monkeypatch.setattr(render, "LATEST_LIST", 1)
    pages = pages_of(FIXTURE_ARCHIVE)
    meetings = lambda html: re.findall(r'<a href="(/moten/[^"#]+)">', html)  # noqa: E731
    body = pages["/organ/ledningsgruppen/"]
    assert meetings(body) == ["/moten/2021/2021-02-05-ledningsgruppen/"]
    assert "De 1 senaste av 3 möten. Äldre möten finns på sidorna för varje år." in body
    years = re.findall(r'<a href="/organ/ledningsgruppen/(\d{4})/">\d{4} <span class="count">\((\d+)\)', body)
    assert years == [("2021", "1"), ("2020", "1"), ("2019", "1")]
    year = pages["/organ/ledningsgruppen/2020/"]
    assert "<h1>Ledningsgruppen 2020</h1>" in year and meetings(year) == ["/moten/2020/2020-03-13-ledningsgruppen/"]
    assert '<a href="/organ/ledningsgruppen/">Ledningsgruppen</a>' in year  # the breadcrumbs lead back to the body
    assert "/organ/ledningsgruppen/2020/03/" not in pages
    monkeypatch.setattr(render, "MONTHS_FROM", 0)
    pages = pages_of(FIXTURE_ARCHIVE)
    assert meetings(pages["/organ/ledningsgruppen/2020/03/"]) == ["/moten/2020/2020-03-13-ledningsgruppen/"]
    assert "<h1>Ledningsgruppen mars 2020</h1>" in pages["/organ/ledningsgruppen/2020/03/"]


def test_counts_are_written_as_swedish_numbers():
    """Groups of three digits with a no-break space, as the search page writes its counts."""
    assert [render.swedish_number(n) for n in (7, 999, 1000, 74708, 100000)] == ["7", "999", "1\u00a0000", "74\u00a0708", "100\u00a0000"]
    link = render.count_link(lambda url: "/arkiv" + url, "2020", "/beslut/ar/2020/", 3598)
    assert link == '<a href="/arkiv/beslut/ar/2020/">2020 <span class="count">(3\u00a0598)</span></a>'
    env = render.new_environment(TEMPLATES, load_archive(FIXTURE_ARCHIVE).registry)
    assert env.from_string("{{ 12345|number }} beslut").render() == "12\u00a0345 beslut"


def test_output_paths():
    assert Page("/", "").output_path == "index.html"
    assert Page("/kommuner/haninge/", "").output_path == "kommuner/haninge/index.html"
    assert Page("/404.html", "").output_path == "404.html"


def pages_of(content, base_url=None):
    return {p.url: p.content for p in render_archive(load_archive(content, base_url), TEMPLATES)}


def test_every_page_keeps_the_site_contract(make_content):
    pages = pages_of(make_content())
    assert set(pages) >= {"/", "/kommuner/", "/kommuner/haninge/", "/amnen/", "/amnen/covid-19/", "/ar/", "/ar/2020/",
                          "/organ/", "/organ/ledningsgruppen/", "/beslut/", "/sok/", "/tillganglighet/", "/404.html",
                          "/moten/2020/2020-11-20-ledningsgruppen/", "/data/"}
    for url, html in pages.items():
        if not url.endswith(("/", ".html")):
            continue  # feeds, calendars, open data, sitemap
        assert html.startswith('<!DOCTYPE html>\n<html lang="sv">'), url
        assert len(re.findall(r"<h1[ >]", html)) == 1, url
        assert 'class="skip-link" href="#innehall"' in html and 'id="innehall"' in html, url
        # The header's search box on every page but the search page, whose own box is the search.
        assert ('action="/sok/"' in html) == (url != "/sok/"), url
        assert "<script>" not in html and "style=" not in html, url
        assert 'href="/tillganglighet/"' in html, url
        assert "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self' 'wasm-unsafe-eval';" in html, url
        if url != "/":
            assert 'aria-label="Du är här"' in html, url


def test_only_meeting_pages_are_indexed(make_content):
    for url, html in pages_of(make_content()).items():
        if url.endswith(("/", ".html")):
            assert ("data-pagefind-body" in html) == url.startswith("/moten/"), url


def test_front_matter_text_is_escaped(make_content):
    content = make_content({"minutes/2021/x.md": "---\ndate: 2021-01-01\nbody: ledningsgruppen\n"
                            "title: \"<script>alert(1)</script>\"\nplace: \"<img src=x onerror=alert(1)>\"\n"
                            "attendees: []\n---\n\n## 1. <b>Punkt</b>\n"})
    html = pages_of(content)["/moten/2021/2021-01-01-ledningsgruppen/"]
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Punkt" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_links_follow_the_base_path(make_content):
    html = pages_of(make_content(), base_url="https://example.org/arkiv/")["/kommuner/"]
    assert 'href="/arkiv/kommuner/haninge/"' in html and 'href="/arkiv/assets/style.css?v=' in html
    assert 'href="/kommuner/' not in html


def test_an_assets_url_carries_a_digest_of_the_assets_that_any_change_of_them_changes(tmp_path):
    """So that a browser that keeps an asset a while fetches it anew after a build changes one
    (search.js asks for word-list.js with the same version: test_search_browser.py)."""
    from minutes_archive.render import assets_version

    shutil.copytree(TEMPLATES / "assets", tmp_path / "assets")
    first = assets_version(tmp_path / "assets")
    assert first == assets_version(TEMPLATES / "assets") and len(first) == 10
    (tmp_path / "assets" / "word-list.js").write_text("// changed\n", encoding="utf-8")
    assert assets_version(tmp_path / "assets") != first


HIDDEN = '<span hidden class="search-terms" data-pagefind-weight="0.5"> ⟦ {} ⟧ </span>'


def test_hidden_search_text_has_compound_parts_and_topic_synonyms(make_content):
    content = make_content({"topics.yaml": "covid-19: {name: Covid-19, keywords: [covid], synonyms: [corona, pandemi]}\n",
                            "minutes/2021/x.md": "---\ndate: 2021-01-01\nbody: ledningsgruppen\nattendees: []\n---\n\n"
                            "## 1. Om covid och cykelvägar\n\nRemissen om Kollektivtrafikplan 2050 och kollektivtrafikplanen.\n\n"
                            "### Beslut\n\n- Att svara om extrainsatta möten.\n"})
    pages = pages_of(content)
    html = pages["/moten/2021/2021-01-01-ledningsgruppen/"]
    # a compound's parts at the nearer end of its clause (not between two words, which would break a
    # quoted search), so that an excerpt found by one shows the compound
    assert ("<p>" + HIDDEN.format("trafik trafikplan plan") + "Remissen om Kollektivtrafikplan 2050 och kollektivtrafikplanen."
            + HIDDEN.format("trafikplanen planen") + "</p>") in html
    # the rest after the item's text, before its decisions: in the item's sub-result, not at the start
    # of its excerpt; a compound only in the title is there, one of a decision only in the decision
    rest = re.search(r'planen ⟧ </span></p>\s*<span hidden class="search-terms" data-pagefind-weight="0.5"> ⟦ ([^<]*) ⟧ </span>\s*'
                     r'<section class="decisions"', html)
    assert rest.group(1).split() == ["vägar", "covid-19", "corona", "pandemi"]
    assert "Att svara om extrainsatta möten." + HIDDEN.format("insatta") + "</p>" in html
    assert '<h4 id="p1-b1" class="decision-title">Ledningsgruppen 2021-01-01 § 1, beslut 1</h4>' in html
    assert '<span data-pagefind-filter="typ">beslut</span>' in html
    # only the meeting page: the register shows the decision as written
    assert "Att svara om extrainsatta möten." in pages["/beslut/"] and "search-terms" not in pages["/beslut/"]


def test_hidden_parts_go_at_the_nearer_end_of_the_clause_of_a_words_first_appearance():
    pending = {"trafikplan": "plan", "amp": "x", "rubrikord": "ord", "tidplan": "tid", "södertörnskonferensen": "konferensen"}
    html = ('<h4>Rubrikord</h4><p><a href="/trafikplan/" title="Trafikplan">Trafikplan</a> &amp; trafikplanen 2.5 kl 19.00, '
            'trafikplan. Tidplan</p><ul><li>Rubrikord</li></ul><p>Att genomföra en Södertörnskonferensen under våren 2021 '
            'som riktar sig både internt och externt i syfte att stärka vårt varumärke.</p>')
    assert place_parts(html, pending) == (
        '<h4>Rubrikord</h4><p>' + HIDDEN.format("plan") + '<a href="/trafikplan/" title="Trafikplan">Trafikplan</a> &amp; '
        'trafikplanen 2.5 kl 19.00, trafikplan. Tidplan' + HIDDEN.format("tid") + '</p><ul><li>' + HIDDEN.format("ord")
        + 'Rubrikord</li></ul><p>' + HIDDEN.format("konferensen") + 'Att genomföra en Södertörnskonferensen under våren 2021 '
        'som riktar sig både internt och externt i syfte att stärka vårt varumärke.</p>')
    assert pending == {"amp": "x"}  # what found no place goes after the text
    pending = {"varumärke": "märke"}
    assert place_parts("<p>Att stärka, i syfte att stärka vårt varumärke.</p>", pending) == (
        "<p>Att stärka, i syfte att stärka vårt varumärke." + HIDDEN.format("märke") + "</p>")


def test_register_is_narrowed_by_static_pages(make_content):
    content = make_content({"minutes/2021/x.md": "---\ndate: 2021-01-01\nbody: samarbetskommitten\n"
                            "attendees: [{name: A, municipality: tyreso}, {name: B, municipality: haninge}]\n---\n\n"
                            "## 1. Näringsliv\n\n### Beslut\n\n- Att stödja företag i Tyresö.\n"})
    pages = pages_of(content)
    assert {"/beslut/ar/2021/", "/beslut/organ/samarbetskommitten/", "/beslut/amne/naringsliv/", "/beslut/kommun/tyreso/"} <= set(pages)
    # A municipality's register is the decisions of the agenda items that name it, not of every
    # meeting it attended: Haninge was there, but no decision concerns it (no page, no link).
    assert "/beslut/kommun/haninge/" not in pages and 'href="/beslut/kommun/haninge/"' not in pages["/beslut/"]
    assert 'href="/beslut/kommun/tyreso/"' in pages["/beslut/"]
    assert "Beslut i punkter där Tyresö nämns" in pages["/beslut/kommun/tyreso/"]
    # With no decision naming a municipality, the register has no municipality facet (no empty list).
    content = make_content({"minutes/2021/x.md": "---\ndate: 2021-01-01\nbody: samarbetskommitten\nattendees: [{name: A, municipality: tyreso}]\n---\n\n"
                            "## 1. Näringsliv\n\n### Beslut\n\n- Att stödja företag.\n"})
    register = pages_of(content)["/beslut/"]
    assert '<h2 class="facet-name">Ämne</h2>' in register and '<h2 class="facet-name">Kommun</h2>' not in register
    assert not re.search(r"<ul[^>]*>\s*</ul>", register)
    assert 'href="https://example.org/moten/2021/2021-01-01-samarbetskommitten/#p1-b1"' in pages["/beslut/amne/naringsliv/"]


def test_accessibility_statement_comes_from_site_yaml(make_content):
    site = SITE_YAML + (
        "accessibility:\n  status: delvis förenlig\n  assessed: 2026-11-26\n  method: Självskattning.\n"
        "  known_problems: [Sökningen kräver JavaScript.]\n"
    )
    html = pages_of(make_content({"site.yaml": site}))["/tillganglighet/"]
    for expected in ("delvis förenlig med lagen om tillgänglighet till digital offentlig service",
                     "<li>Sökningen kräver JavaScript.</li>", 'href="mailto:test@example.org"',
                     'href="https://www.digg.se/tdosanmalan"', "Självskattning.", '<time datetime="2026-11-26">26 november 2026</time>'):
        assert expected in html


def test_the_footers_open_data_link_leads_to_a_page_that_describes_the_files(make_content):
    """Not to meetings.json itself: 110 MB at 10,000 meetings, on whatever device clicked it."""
    pages = pages_of(make_content())
    assert 'href="/data/">Öppna data</a>' in pages["/"] and "/data/meetings.json" not in pages["/"]
    page = pages["/data/"]
    for link in ("/data/meetings.json", "/data/decisions.json", "/data/decisions.csv", "/data/meetings.schema.json",
                 "/data/decisions.schema.json", "/atom.xml", "/beslut/atom.xml", "/moten.ics"):
        assert f'href="{link}"' in page and link in pages, link
    assert "<td>Arkivets möte med deltagare" in page and re.search(r"Alla \d+ beslut, beslutsregistret", page)
    two = pages_of(make_content({"minutes/2020/2020-12-04-ledningsgruppen.md": MINUTES.replace("2020-11-20", "2020-12-04")}))["/data/"]
    assert "<td>Alla 2 möten, det nyaste först, med deltagare" in two


def test_the_not_found_page_does_not_link_its_own_crumb(make_content):
    """It is served for any missing address: a link to /404.html from there leads nowhere useful."""
    html = pages_of(make_content())["/404.html"]
    assert '<li><span aria-current="page">Sidan finns inte</span></li>' in html and 'href="/404.html"' not in html
