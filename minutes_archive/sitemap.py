"""sitemap.xml (sitemaps.org 0.9) and robots.txt."""

from __future__ import annotations

import html

# The protocol's limit per file; beyond it the site gets a sitemap index.
MAX_URLS = 50_000
HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_files(base_url: str, paths: list[str]) -> dict[str, str]:
    """File name -> XML: one sitemap.xml, or an index and numbered parts for large sites."""
    urls = [base_url + p.lstrip("/") for p in paths]
    if len(urls) <= MAX_URLS:
        return {"sitemap.xml": _urlset(urls)}
    parts = {f"sitemap-{n + 1}.xml": _urlset(urls[i:i + MAX_URLS]) for n, i in enumerate(range(0, len(urls), MAX_URLS))}
    index = "".join(f"  <sitemap><loc>{escape(base_url + name)}</loc></sitemap>\n" for name in parts)
    return {"sitemap.xml": f'{HEADER}<sitemapindex xmlns="{NAMESPACE}">\n{index}</sitemapindex>\n', **parts}


def escape(text: str) -> str:
    """&, < and > escaped, as in XML's text (xml.sax.saxutils.escape, whose import takes
    urllib.request and http.client along: 25 ms of every build's start)."""
    return html.escape(text, quote=False)


def robots_txt(base_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n"


def _urlset(urls: list[str]) -> str:
    body = "".join(f"  <url><loc>{escape(url)}</loc></url>\n" for url in urls)
    return f'{HEADER}<urlset xmlns="{NAMESPACE}">\n{body}</urlset>\n'
