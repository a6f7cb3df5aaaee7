"""Links written in minutes to other pages of the site: each must lead to a page, and to
an element of that page when it names an #anchor. Checked after rendering, when every
page of the site is known, and reported at the line of the minutes file."""

from __future__ import annotations

import re
from posixpath import normpath
from dataclasses import dataclass
from typing import Callable, Iterable, Protocol
from urllib.parse import unquote, urljoin, urlsplit

from .errors import ContentError

_ID = re.compile(r'\sid="([^"]+)"')


class Linking(Protocol):
    """A meeting, or what a build keeps of one to check its links again (LinksOf)."""

    url: str
    source: str
    links: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class LinksOf:
    url: str
    source: str
    links: tuple[tuple[str, int], ...]
    """(link, line in the minutes file)"""


def check_links(meetings: Iterable[Linking], read_page: Callable[[str], str], urls: set[str]) -> list[ContentError]:
    """Every link a minutes file makes to the site leads to a written page, and to an element
    with the #anchor it names; ids are read (read_page(url)) from the pages that links point to."""
    ids: dict[str, set[str]] = {}
    errors = []
    for meeting in meetings:
        for link, line in meeting.links:
            target = urlsplit(urljoin(meeting.url, link))
            path = unquote(target.path)
            path = normpath(path) + ("/" if path.endswith("/") and path != "/" else "") if path else meeting.url
            url = path if path in urls else path + "/" if path + "/" in urls else None
            if url is None:
                errors.append(ContentError(meeting.source, line, f"link '{link}' leads to {path}, which is not a page of the site"))
                continue
            fragment = unquote(target.fragment)
            if fragment:
                if url not in ids:
                    ids[url] = set(_ID.findall(read_page(url)))
                if fragment not in ids[url]:
                    errors.append(ContentError(meeting.source, line, f"link '{link}': {url} has no '#{fragment}'"))
    return errors
