"""The page being scanned: its link base, the site's own host names, and how item and image URLs resolve."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from termreader.popular.elements import HtmlElement
from termreader.textutil import absolute_url, normalize_url

_WAYBACK = re.compile(r"^https?://web\.archive\.org/web/\d{4,14}[a-z_]*/+(?P<rest>.+)$", re.IGNORECASE)


def unwayback(url: str) -> str:
    """The original URL behind a Wayback Machine capture (`web.archive.org/web/<ts>/<url>`)."""
    match = _WAYBACK.match(url)
    if match is None:
        return url
    rest = match.group("rest")
    rest = re.sub(r"^(https?):/+", r"\1://", rest, flags=re.IGNORECASE)
    if not re.match(r"^https?://", rest, re.IGNORECASE):
        rest = "http://" + rest
    return rest


def bare_host(url: str) -> str:
    """The host name without `www.`, so `www.example.org` and `example.org` count as one site."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


@dataclass(slots=True)
class Page:
    """Per-call parsing context: the base for relative links and a cache of resolved hrefs."""

    base: str
    hosts: frozenset[str]
    """The site's host names without `www.`: the page's own, plus its canonical/og:url one (saved pages)."""
    resolved: dict[str, str | None]

    def url(self, href: str | None) -> str | None:
        """An item URL: absolute, Wayback prefix removed, no fragment, no Blogger `?m=1`."""
        if not href:
            return None
        if href in self.resolved:
            return self.resolved[href]
        absolute = absolute_url(self.base, href)
        result = None
        if absolute is not None and absolute.lower().startswith(("http://", "https://")):
            result = normalize_url(unwayback(absolute))
        self.resolved[href] = result
        return result

    def asset(self, href: str | None) -> str | None:
        """A thumbnail URL: absolute (protocol-relative gets the page's scheme); archived copies kept."""
        absolute = absolute_url(self.base, href)
        if absolute is None or not absolute.lower().startswith(("http://", "https://")):
            return None
        return absolute


def page_context(doc: HtmlElement, page_url: str) -> Page:
    """The page's link base (`<base href>` wins) and its hosts, with the canonical/og:url one."""
    base = page_url
    for base_el in doc.xpath("//head/base[@href]")[:1]:
        base = absolute_url(page_url, base_el.get("href")) or page_url
    hosts = {bare_host(unwayback(page_url))}
    own_urls: list[str] = doc.xpath(
        "//head/link[@rel='canonical']/@href | //head/meta[@property='og:url']/@content"
    )
    for ref in own_urls[:2]:
        resolved = absolute_url(page_url, str(ref))
        if resolved:
            hosts.add(bare_host(unwayback(resolved)))
    return Page(base=base, hosts=frozenset(hosts - {""}), resolved={})


def is_home(url: str) -> bool:
    """Whether `url` is a front page (path `/`, no query), which is never a popular post."""
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query
