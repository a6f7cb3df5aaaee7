"""Links written in minutes to other pages of the site: each must lead to a page, and to
an element of that page when it names an #anchor. Checked after rendering, when every
page of the site is known, and reported at the line of the minutes file."""

from __future__ import annotations

import re
from posixpath import normpath
from urllib.parse import unquote, urljoin, urlsplit

from .archive import Archive
from .errors import ContentError
from .render import Page

_ID = re.compile(r'\sid="([^"]+)"')


def check_links(archive: Archive, pages: list[Page]) -> list[ContentError]:
    by_url = {page.url: page for page in pages}
    ids: dict[str, set[str]] = {}
    errors = []
    for meeting in archive.meetings:
        for link, line in meeting.links:
            target = urlsplit(urljoin(meeting.url, link))
            path = unquote(target.path)
            path = normpath(path) + ("/" if path.endswith("/") and path != "/" else "") if path else meeting.url
            page = by_url.get(path) or by_url.get(path + "/")
            if page is None:
                errors.append(ContentError(meeting.source, line, f"link '{link}' leads to {path}, which is not a page of the site"))
                continue
            fragment = unquote(target.fragment)
            if fragment:
                if page.url not in ids:
                    ids[page.url] = set(_ID.findall(page.content))
                if fragment not in ids[page.url]:
                    errors.append(ContentError(meeting.source, line, f"link '{link}': {page.url} has no '#{fragment}'"))
    return errors
