"""OPML subscription lists: import them (from newsboat and every other reader) and export ours."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Final
from xml.etree import ElementTree

import listparser
from lxml import etree

from termreader.config import default_name, unique_name, url_problem
from termreader.errors import OpmlError
from termreader.models import SourceConfig
from termreader.textutil import clean_text, normalize_url

_LXML_POSITION = re.compile(r",? line \d+(?:, column \d+)?$")
_HTML_KINDS = frozenset({"blogger", "wordpress", "ghost", "substack", "hugo", "jekyll", "medium", "html"})
# Same rule as unique_name: "Blog (2)" clashing again becomes "Blog (3)", not "Blog (2) (2)".
_NUMBER_SUFFIX = re.compile(r"(?: \(\d+\)|-\d+)$")

MAX_SOURCES: Final = 10_000
"""Most feeds one import adds: far above any real reading list, low enough that a hostile file cannot
turn the config into megabytes of sources."""
MAX_NAME_CHARS: Final = 200
"""A title longer than this (a hostile file can put a megabyte in one) is cut for the source name."""


def read_opml(data: bytes, origin: str) -> list[SourceConfig]:
    """Sources listed in an OPML document, nested categories flattened, duplicate URLs dropped.

    Feeds (`xmlUrl`) come first in document order, then outlines that only give a site (`htmlUrl`).
    Kinds are left to detection. `origin` (a file name) is only used in messages.
    """
    if not data.strip():
        raise OpmlError(f"{origin}: the file is empty, not an OPML subscription list")
    # listparser is lenient (an HTML parser in recover mode, no entity expansion, no network for bytes).
    result = listparser.parse(bytes(data))
    entries: list[tuple[str, str]] = []
    for group in ("feeds", "opportunities"):
        for item in result.get(group, []):
            url = clean_text(str(item.get("url") or ""))
            title = clean_text(str(item.get("title") or ""))
            if url:
                entries.append((url, title))
    if not entries:
        _diagnose_empty(data, origin)
        return []
    sources: list[SourceConfig] = []
    seen_urls: set[str] = set()
    names = _Names()
    for url, title in entries:
        if url_problem(url) is not None:
            continue  # javascript:, ftp: and the like: nothing termreader can read
        key = normalize_url(url)
        if key in seen_urls:
            continue
        seen_urls.add(key)
        if len(sources) == MAX_SOURCES:
            raise OpmlError(
                f"{origin}: lists more than {MAX_SOURCES:,} feeds; termreader imports at most "
                f"{MAX_SOURCES:,} at once (split the file)"
            )
        name = names.claim(title[:MAX_NAME_CHARS].rstrip() if title else default_name(url))
        sources.append(SourceConfig(name=name, url=url))
    return sources


class _Names:
    """unique_name for a whole import: linear overall, where calling unique_name per outline is quadratic
    (a 20,000-outline file took minutes)."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._next: dict[str, int] = {}

    def claim(self, base: str) -> str:
        folded = base.casefold()
        if folded not in self._used:
            self._used.add(folded)
            return base
        stem = _NUMBER_SUFFIX.sub("", base) or base
        start = self._next.get(stem.casefold(), 2)
        for counter in range(start, start + len(self._used) + 2):
            candidate = f"{stem} ({counter})" if " " in stem else f"{stem}-{counter}"
            if candidate.casefold() not in self._used:
                self._next[stem.casefold()] = counter + 1
                self._used.add(candidate.casefold())
                return candidate
        return unique_name(base, self._used)  # unreachable: more candidates than used names


def _diagnose_empty(data: bytes, origin: str) -> None:
    """No outlines found: say whether the document is broken XML, not OPML, or an empty list (no error)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = error.lineno if error.lineno else None
        where = f", line {line}" if line else ""
        reason = _LXML_POSITION.sub("", clean_text(error.msg))
        raise OpmlError(f"{origin}{where}: not a readable OPML file ({reason})") from None
    if root is None or etree.QName(root).localname.lower() != "opml":
        found = etree.QName(root).localname if root is not None else "nothing"
        raise OpmlError(f"{origin}: not an OPML file (its root element is <{found}>, not <opml>)")


def write_opml(sources: Sequence[SourceConfig], title: str = "termreader sources") -> str:
    """OPML 2.0 that newsboat, Feedly and friends import: every source as an rss outline with xmlUrl.

    Sources of an HTML kind (a site, not a feed) also carry their URL as htmlUrl; readers that only
    understand feeds still get xmlUrl, and termreader detects the feed again on import.
    """
    opml = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(opml, "head")
    ElementTree.SubElement(head, "title").text = _xml_text(title)
    ElementTree.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    ElementTree.SubElement(head, "docs").text = "https://opml.org/spec2.opml"
    body = ElementTree.SubElement(opml, "body")
    for source in sources:
        attributes = {
            "type": "rss",
            "text": _xml_text(source.name),
            "title": _xml_text(source.name),
            "xmlUrl": _xml_text(source.url),
        }
        if source.kind in _HTML_KINDS:
            attributes["htmlUrl"] = _xml_text(source.url)
        ElementTree.SubElement(body, "outline", attributes)
    ElementTree.indent(opml, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(opml, encoding="unicode") + "\n"


def _xml_text(value: str) -> str:
    """Drop characters XML 1.0 cannot hold at all (escaping happens in ElementTree)."""
    return "".join(
        ch
        for ch in value
        if ch in "\t\n\r" or ("\x20" <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd") or ch > "\uffff"
    )
