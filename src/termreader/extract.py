"""Article extraction: a page's HTML to an `Article` (metadata plus the body as clean Markdown)."""

from __future__ import annotations

import asyncio
import copy
import functools
import logging
import re
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit

import lxml.html
from lxml import etree
from readability.readability import Unparseable

from termreader.articleclean import (
    drop_asides_and_controls,
    fill_lazy_figures,
    link_embedded_videos,
    unwrap_noscript_images,
)
from termreader.errors import ExtractionError, NotAnArticleError
from termreader.fastreadability import TreeDocument
from termreader.htmlclean import is_aside_table, is_data_table, post_clean, pre_clean
from termreader.htmltree import document_fromstring
from termreader.markdown_convert import element_to_markdown, xml_safe
from termreader.metadata import PageMetadata, article_title_from_document, read_metadata
from termreader.models import Article
from termreader.recover import recover_article
from termreader.textutil import absolute_url, clean_text, strip_unsafe, word_count

if TYPE_CHECKING:
    from termreader.fetch import Fetcher

# readability-lxml logs every page it finds hard at INFO/ERROR; the CLI must stay quiet.
logging.getLogger("readability.readability").setLevel(logging.CRITICAL)

PLATFORM_SELECTORS: Final = (
    "div.post-body.entry-content",
    "div.entry-content",
    "section.gh-content",
    "div.gh-content",
    "div.body.markup",
    "div.post-content",
    "section.post-content",
)
"""Body containers of the platforms we know (Blogger, WordPress, Ghost, Substack, Hugo themes)."""

_HTML_ACCEPT: Final = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
_HTML_TYPES: Final = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
_LISTING_MESSAGE: Final = "this page is a list of articles, not an article (try `termreader latest {url}`)"
_TINY_WORDS: Final = 20
_TEASER_WORDS: Final = 150
_MANY_TEASERS: Final = 5
_TINY_MESSAGE: Final = (
    "this page has only {words} words of text: it looks like a home or section page, not an article "
    "(try `termreader latest {url}`)"
)
_PERMALINK: Final = re.compile(r"/\d{4}/\d{2}/(?:\d{2}/)?[^/]+")
_XML_DECLARATION: Final = re.compile(r"^\s*<\?xml[^>]*\?>")
_TABLE_MARK: Final = "data-termreader-table"
_LISTING_BODY: Final = frozenset({"home", "blog", "archive", "search", "home-view", "feed-view"})
_POST_BLOCK: Final = re.compile(r"^(?:post|hentry|h-entry|post-outer|type-post|entry|blog-post|post-item)$")
_SEP_CHARS: Final = "|-–—·:•»/"
_GENERATOR: Final = re.compile(r"\b(blogger|wordpress|ghost|hugo|jekyll)\b", re.I)
_BYLINE_BLOCK: Final = (
    ".//*[@rel='author' or contains(@itemprop, 'author') or contains(@class, 'byline') "
    "or contains(@class, 'author') or contains(@class, 'dateline') or contains(@id, 'byline')]"
)
_MD_LINK_TARGET: Final = re.compile(r"\]\([^)]*\)")


def _parse(html: str) -> lxml.html.HtmlElement:
    if not html or not html.strip():
        raise ExtractionError("the page is empty")
    # lxml refuses str input that still declares a byte encoding (`<?xml … encoding="utf-8"?>`), and
    # text with NUL, C0 controls or lone surrogates anywhere it later sets a node's text.
    html = xml_safe(_XML_DECLARATION.sub("", html, count=1))
    if not html.strip():
        raise ExtractionError("the page is empty")
    try:
        doc = document_fromstring(html)
    except (etree.ParserError, ValueError) as error:
        raise ExtractionError(f"the page could not be parsed as HTML ({error})") from error
    if doc.find(".//body") is None and not clean_text(doc.text_content()):
        raise ExtractionError("the page is empty")
    return doc


def _class_tokens(el: lxml.html.HtmlElement) -> list[str]:
    return (el.get("class") or "").split()


def _text_len(el: lxml.html.HtmlElement) -> int:
    return len(" ".join("".join(el.itertext()).split()))


def _post_blocks(doc: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Outermost blocks that look like a post teaser: an article/.post with a linked heading."""
    blocks: list[lxml.html.HtmlElement] = []
    # lxml hands out the same proxy object for an element while a reference to it is alive, so a set of
    # the blocks found so far answers "inside an earlier block?" by identity.
    found: set[lxml.html.HtmlElement] = set()
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag != "article" and not any(_POST_BLOCK.match(t) for t in _class_tokens(el)):
            continue
        if found and any(a in found for a in el.iterancestors()):
            continue
        if el.xpath("./descendant::*[self::h1 or self::h2 or self::h3 or self::h4][.//a[@href]][1]"):
            blocks.append(el)
            found.add(el)
    return blocks


def _check_listing(doc: lxml.html.HtmlElement, meta: PageMetadata, url: str | None, title: str) -> None:
    """Refuse home pages and listings: many sibling post blocks with heading links and no article type."""
    if meta.page_type == "article":
        return
    if _is_permalink(meta, url):
        return
    blocks = _post_blocks(doc)
    body = doc.find(".//body")
    listing_body = body is not None and bool(_LISTING_BODY & set(_class_tokens(body)))
    if len(blocks) >= 2 and listing_body:
        # WordPress marks its front and archive pages (body.home/.blog/.archive), Blogger 2017 themes
        # theirs (body.home-view/.feed-view): with two or more teasers that settles it.
        raise NotAnArticleError(_LISTING_MESSAGE.format(url=url or "URL"))
    if len(blocks) < 3:
        return
    # Teasers are siblings, or cousins under per-post wrappers (Blogger's date-outer): group them by
    # grandparent. The dict keeps each key element alive, so its identity is stable.
    parents: dict[lxml.html.HtmlElement, int] = {}
    for block in blocks:
        parent = block.getparent()
        grand = parent.getparent() if parent is not None else None
        key = grand if grand is not None else (parent if parent is not None else block)
        parents[key] = parents.get(key, 0) + 1
    lengths = sorted(_text_len(b) for b in blocks)
    # One long post among short teasers is an article page with a "more posts" strip; so is one post
    # that carries the page's headline, however short.
    teasers = max(parents.values()) >= 3 and lengths[-1] < 4 * max(1, lengths[len(lengths) // 2])
    if teasers and _headline_block(blocks, title) is None:
        raise NotAnArticleError(_LISTING_MESSAGE.format(url=url or "URL"))


def detect_platform(doc: lxml.html.HtmlElement) -> str | None:
    """'blogger', 'wordpress', 'ghost', 'hugo', 'jekyll' or 'substack' when the page says so."""
    for meta in doc.xpath('//meta[@name="generator" or @name="Generator"]'):
        match = _GENERATOR.search(meta.get("content") or "")
        if match:
            return match.group(1).lower()
    if doc.xpath('//div[contains(@class, "available-content")]//div[@class="body markup"]'):
        return "substack"
    return None


def _check_teaser(
    doc: lxml.html.HtmlElement, content: lxml.html.HtmlElement, meta: PageMetadata, url: str | None
) -> None:
    """Refuse a front page where content detection settled on one teaser among many headline links."""
    if meta.page_type == "article" or _is_permalink(meta, url):
        return
    body = doc.find(".//body")
    if body is None:
        return
    page_text = _text_len(body)
    if page_text < 3000 or _text_len(content) >= 0.1 * page_text:
        return
    headline_links = doc.xpath("//*[self::h2 or self::h3 or self::h4]//a[@href]")
    if len(headline_links) >= 8:
        raise NotAnArticleError(_LISTING_MESSAGE.format(url=url or "URL"))


def _check_tiny(
    doc: lxml.html.HtmlElement, meta: PageMetadata, url: str | None, words: int, markdown: str
) -> None:
    """Refuse a home, archive or section page whose "article" is a tagline or a lone heading.

    Under `_TINY_WORDS` words with no image, on a page that does not call itself an article and is not a
    dated permalink, the content is an article only if nothing says otherwise: a site's root address,
    a listing body class (WordPress `archive`, Blogger `home-view`…) or far more link text around it
    than text in it all say it is a front page.
    """
    if words >= _TINY_WORDS or "![" in markdown or meta.page_type == "article" or _is_permalink(meta, url):
        return
    path = urlsplit(url).path if url else None
    root = path is not None and path in ("", "/") and not urlsplit(url or "").query
    body = doc.find(".//body")
    listing_body = body is not None and bool(_LISTING_BODY & set(_class_tokens(body)))
    link_words = sum(len((a.text_content() or "").split()) for a in doc.iter("a"))
    if root or listing_body or link_words >= max(30, 3 * words):
        raise NotAnArticleError(_TINY_MESSAGE.format(words=words, url=url or "URL"))


def _check_one_teaser_of_many(
    doc: lxml.html.HtmlElement,
    content: lxml.html.HtmlElement,
    meta: PageMetadata,
    url: str | None,
    title: str,
) -> None:
    """Refuse a section front whose "article" is one of its many story teasers.

    Some fronts call themselves articles (og:type), so this test ignores the page type: content
    detection settled inside one of five or more post blocks with linked headings, and what it kept is
    short. An article page with a strip of teasers under it keeps its body, which sits in no teaser.
    """
    if _is_permalink(meta, url):
        return
    text = " ".join("".join(content.itertext()).split())
    if not text or len(text.split()) >= _TEASER_WORDS:
        return
    blocks = _post_blocks(doc)
    if len(blocks) < _MANY_TEASERS:
        return
    probe = text[:200]
    holder = next((b for b in blocks if probe in " ".join("".join(b.itertext()).split())), None)
    if holder is None:
        return
    # A short post in its own block, among related-post teasers, carries the page's headline.
    if _headline_block(blocks, title) is holder:
        return
    raise NotAnArticleError(_LISTING_MESSAGE.format(url=url or "URL"))


def _headline_block(blocks: list[lxml.html.HtmlElement], title: str) -> lxml.html.HtmlElement | None:
    """The one post block that carries the page's headline (an h1, or a heading reading as the title).

    A short post among related-post teasers is an article page; on a front page either no block has
    the headline or every teaser has an h1, and then there is no single such block.
    """
    want = re.sub(r"\W+", " ", title.casefold()).strip()

    def carries(block: lxml.html.HtmlElement) -> bool:
        for heading in block.xpath(".//*[self::h1 or self::h2 or self::h3]"):
            text = re.sub(r"\W+", " ", heading.text_content().casefold()).strip()
            if heading.tag == "h1" or (want and text == want):
                return True
        return False

    holders = [block for block in blocks if carries(block)]
    return holders[0] if len(holders) == 1 else None


def _is_permalink(meta: PageMetadata, url: str | None) -> bool:
    """A dated permalink (/2024/05/slug.html) is one post, even on themes that show a list around it."""
    return any(address and _PERMALINK.search(urlsplit(address).path) for address in (meta.canonical_url, url))


@functools.cache
def _platform_xpaths() -> tuple[etree.XPath, ...]:
    """The selectors translated to XPath once: `cssselect()` re-translates them in Python at every call."""
    from lxml.cssselect import CSSSelector

    return tuple(CSSSelector(selector, translator="html") for selector in PLATFORM_SELECTORS)


def _platform_candidate(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The first platform body container that is unique on the page and holds some text."""
    for selector in _platform_xpaths():
        found: list[lxml.html.HtmlElement] = selector(doc)
        if len(found) == 1 and _text_len(found[0]) >= 200:
            return found[0]
    return None


def _holds_the_text(doc: lxml.html.HtmlElement, el: lxml.html.HtmlElement) -> bool:
    """True when the container has most of the page's paragraph text (or most of its text at all)."""
    body = doc.find(".//body")
    if body is None:
        return False
    para_total = sum(_text_len(p) for p in body.iter("p"))
    para = sum(_text_len(p) for p in el.iter("p"))
    return para >= 0.6 * para_total or _text_len(el) >= 0.5 * _text_len(body)


def _shield_tables(doc: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Swap data tables for paragraphs of their text while readability scores the page.

    readability-lxml's conditional clean-up deletes small tables whole (Readability.js keeps data tables);
    a placeholder paragraph is scored like the text it stands for and is swapped back afterwards.
    Info boxes and big layout tables are left to readability's judgement.
    """
    shielded: list[lxml.html.HtmlElement] = []
    for table in list(doc.iter("table")):
        parent = table.getparent()
        if parent is None or any(a.tag == "table" for a in table.iterancestors()):
            continue
        if is_aside_table(table) or (not is_data_table(table) and _text_len(table) > 2000):
            continue
        holder = lxml.html.Element("p")
        holder.set(_TABLE_MARK, str(len(shielded)))
        holder.text = " ".join(" ".join(table.itertext()).split())
        holder.tail = table.tail
        table.tail = None
        parent.replace(table, holder)
        shielded.append(table)
    return shielded


def _unshield_tables(content: lxml.html.HtmlElement, tables: list[lxml.html.HtmlElement]) -> None:
    """Put each shielded table back where its placeholder paragraph ended up (if it survived)."""
    for holder in content.xpath(f"//p[@{_TABLE_MARK}]"):
        index = int(holder.get(_TABLE_MARK, "-1"))
        parent = holder.getparent()
        if 0 <= index < len(tables) and parent is not None:
            table = tables[index]
            table.tail = holder.tail
            parent.replace(holder, table)


def _readability_content(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    tables = _shield_tables(doc)
    try:
        # Scored on a copy of our own tree: no second parse of the page, no lxml Cleaner pass (pre_clean
        # already removed scripts, styles, comments and javascript: links), no link rewriting (no url:
        # post_clean resolves the few links of the chosen content).
        content = TreeDocument(doc).summary_element()
    except (Unparseable, ValueError, etree.ParserError) as error:
        raise ExtractionError(f"no article text could be found ({error})") from error
    finally:
        # The page tree goes back as it was: the platform fallback may still use it.
        _unshield_tables(doc, tables)
    if content is None:
        raise ExtractionError("no article text could be found")
    if tables:
        _unshield_tables(content, [_copy(t) for t in tables])
    return content


def _copy(el: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    copied = copy.deepcopy(el)
    copied.tail = None
    return copied


def _choose_content(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A known platform's body container when it clearly holds the text, else readability's choice.

    Readability is kept as the judge on unknown sites: there `.entry-content` often wraps related-story
    strips (measured on the Mozilla corpus). When readability returns a fragment (a caption, one
    paragraph) far shorter than a unique body container, the container wins.
    """
    candidate = _platform_candidate(doc)
    if candidate is not None and detect_platform(doc) and _holds_the_text(doc, candidate):
        return candidate
    content = _readability_content(doc)
    if candidate is not None and _text_len(content) < 0.3 * _text_len(candidate):
        return candidate
    recover_article(doc, content)
    return content


def _strip_separators(text: str) -> str:
    return text.strip(" " + _SEP_CHARS)


def choose_title(meta: PageMetadata, doc: lxml.html.HtmlElement) -> str:
    """Metadata title without the site name glued on; never the site name alone."""
    title = meta.title or ""
    site = meta.site_name or ""
    if title and site and title.casefold() != site.casefold():
        low, site_low = title.casefold(), site.casefold()
        if low.endswith(site_low) and len(title) > len(site) + 3:
            head = title[: len(title) - len(site)]
            if head.rstrip()[-1:] in _SEP_CHARS:
                title = _strip_separators(head)
        elif low.startswith(site_low) and len(title) > len(site) + 3:
            tail = title[len(site) :]
            if tail.lstrip()[:1] in _SEP_CHARS:
                title = _strip_separators(tail)
    if not title or (site and title.casefold() == site.casefold()):
        h1s = [clean_text(h.text_content()) for h in doc.iter("h1")]
        h1s = [h for h in h1s if h and h.casefold() != site.casefold()]
        title = h1s[0] if len(h1s) == 1 else article_title_from_document(doc)
    return clean_text(title)


def _drop_title_heading(content: lxml.html.HtmlElement, title: str) -> None:
    """The body's own copy of the headline is shown once, in our header."""
    want = re.sub(r"\W+", " ", title.casefold()).strip()
    if not want:
        return
    for heading in content.xpath(".//*[self::h1 or self::h2 or self::h3][position() <= 3]")[:3]:
        text = re.sub(r"\W+", " ", heading.text_content().casefold()).strip()
        if text == want:
            heading.drop_tree()
            return


def _drop_byline_block(content: lxml.html.HtmlElement, byline: str | None) -> None:
    """A byline element inside the body ("By Jo Marsh", with its date) repeats our header line."""
    if not byline:
        return
    want = byline.casefold()
    for el in content.xpath(_BYLINE_BLOCK)[:3]:
        text = clean_text(el.text_content())
        if 0 < len(text) < 100 and want in text.casefold():
            el.drop_tree()
            return


def link_base(doc: lxml.html.HtmlElement, url: str | None, meta: PageMetadata) -> str | None:
    """The URL relative links resolve against: `<base href>`, else the page URL.

    A saved page (a file, or no URL at all) resolves against its canonical web address when it names one,
    so its links and images still work outside the folder it was saved in.
    """
    page = url
    canonical = meta.canonical_url or ""
    if (page is None or page.startswith("file:")) and canonical.startswith(("http://", "https://")):
        page = canonical
    for base in doc.xpath("//base[@href]")[:1]:
        resolved = absolute_url(page, base.get("href"))
        if resolved and resolved.startswith(("http://", "https://", "file:")):
            return resolved
    return page


def _first_image(content: lxml.html.HtmlElement) -> str | None:
    for img in content.iter("img"):
        src = img.get("src") or ""
        if src.startswith(("http://", "https://")):
            return src
    return None


def _markdown_words(markdown: str) -> int:
    return word_count(_MD_LINK_TARGET.sub("]", markdown))


def extract_article(html: str, url: str | None = None) -> Article:
    """Turn a page into an Article, or say why it is not one (NotAnArticleError, ExtractionError)."""
    try:
        return _extract(html, url)
    except (etree.LxmlError, RecursionError, ValueError) as error:
        # Pathological markup (nesting thousands deep, broken encodings) must not end in a traceback.
        raise ExtractionError(f"the page could not be read ({type(error).__name__})") from error


def _extract(html: str, url: str | None) -> Article:
    doc = _parse(html)
    meta = read_metadata(doc, url)
    title = choose_title(meta, doc)
    base = link_base(doc, url, meta)
    unwrap_noscript_images(doc)
    pre_clean(doc)
    fill_lazy_figures(doc)
    _check_listing(doc, meta, url, title)
    content = _choose_content(doc)
    _check_teaser(doc, content, meta, url)
    _check_one_teaser_of_many(doc, content, meta, url, title)
    drop_asides_and_controls(content)
    link_embedded_videos(content)
    post_clean(content, base)
    if title:
        _drop_title_heading(content, title)
    _drop_byline_block(content, meta.byline)
    markdown = strip_unsafe(element_to_markdown(content))
    words = _markdown_words(markdown)
    if words == 0 and "![" not in markdown:
        raise ExtractionError("no article text could be found on the page")
    _check_tiny(doc, meta, url, words, markdown)
    excerpt = meta.description
    if not excerpt:
        first = next((clean_text(p.text_content()) for p in content.iter("p") if _text_len(p) > 40), "")
        excerpt = first[:300] or None
    return Article(
        title=title or "Untitled",
        markdown=markdown,
        url=url,
        byline=meta.byline,
        published=meta.published,
        site_name=meta.site_name,
        canonical_url=meta.canonical_url,
        language=meta.language,
        lead_image=meta.lead_image or _first_image(content),
        excerpt=excerpt,
        word_count=words,
    )


def to_eval(html: str, url: str | None) -> dict[str, str | None]:
    """Adapter for ../shared/eval/extract_eval.py: our Markdown, title and byline (empty when we refuse)."""
    try:
        article = extract_article(html, url)
    except (NotAnArticleError, ExtractionError):
        return {"markdown": "", "title": None, "byline": None}
    return {"markdown": article.markdown, "title": article.title, "byline": article.byline}


async def fetch_article(fetcher: Fetcher, target: str) -> Article:
    """Fetch a URL or local file and extract it, parsing off the event loop so a UI stays responsive."""
    document = await fetcher.fetch(target, accept=_HTML_ACCEPT)
    if document.content_type and document.content_type not in _HTML_TYPES:
        raise ExtractionError(
            f"{document.final_url} is {document.content_type}, not a web page"
            + (" (it looks like a feed: try `termreader latest`)" if "xml" in document.content_type else "")
        )
    return await asyncio.to_thread(extract_article, document.text, document.final_url)
