"""Walk every HTML page of a built site and check that each internal link and #anchor resolves."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        for name in ("href", "src"):
            if values.get(name) is not None:
                self.links.append(values[name])


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def broken_links(site: Path, base_url: str) -> list[str]:
    """Every internal link of every page that does not resolve, as 'page: link (why)'."""
    base = urlsplit(base_url)
    pages = {p: _parse(p) for p in sorted(site.rglob("*.html"))}
    problems = []
    for page, collected in pages.items():
        page_url = base_url + page.relative_to(site).as_posix().removesuffix("index.html")
        for link in collected.links:
            target = urlsplit(urljoin(page_url, link))
            if target.scheme not in ("http", "https") or target.netloc != base.netloc:
                continue  # mailto:, data:, other hosts
            if not target.path.startswith(base.path):
                problems.append(f"{page.relative_to(site)}: {link} (outside the site's path {base.path})")
                continue
            relative = unquote(target.path[len(base.path):])
            file = site / relative / "index.html" if relative == "" or relative.endswith("/") else site / relative
            if not file.is_file():
                problems.append(f"{page.relative_to(site)}: {link} (no file {file.relative_to(site)})")
            elif target.fragment and file.suffix == ".html":
                ids = pages[file].ids if file in pages else _parse(file).ids
                if unquote(target.fragment) not in ids:
                    problems.append(f"{page.relative_to(site)}: {link} (no id '{target.fragment}')")
    return problems
