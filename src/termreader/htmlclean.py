"""Clean a parsed page before and after content detection: widgets out, lazy images and templates resolved."""

from __future__ import annotations

import functools
import re
from typing import Final

import lxml.html
from lxml import etree

from termreader.textutil import absolute_url

_NOISE_TOKEN: Final = re.compile(
    r"^(?:"
    # comment sections (WordPress #comments/#respond, Blogger .comment-thread, Disqus)
    r"comments?|comments-area|comment-list|commentlist|comment-respond|comment-thread|comments-block|"
    r"respond|disqus_thread|comment-form|"
    # share bars
    r"share|shares|sharing|sharedaddy|share-?bar|share-?buttons?|share-links|share-tools|"
    r"post-share-buttons|social-?share|social-?buttons|social-?icons|addtoany|a2a_kit|jp-sharing-.*|"
    # related / popular / trending widgets
    r"related|related-?posts?|related-?articles?|relatedposts|jp-relatedposts|yarpp-related|crp_related|"
    r"popularposts|popular-?posts?|most-?popular|most-?read|trending|wpp-list|widget_top-posts|"
    # tag clouds and label lists
    r"tagcloud|tag-?cloud|widget_tag_cloud|post-labels|"
    # newsletter / subscription boxes
    r"newsletter|newsletter-?signup|subscribe-?widget|subscription-widget(?:-wrap)?|subscribe-?box|mc4wp-form"
    r")$",
    re.I,
)
_PROTECTED_TAGS: Final = frozenset({"html", "body", "main", "article"})
_PLACEHOLDER_SRC: Final = re.compile(r"^data:|lazy|blank|placeholder|spacer|pixel\.gif|grey\.gif|1x1", re.I)
_IMAGE_FILE: Final = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg)$|/s\d{3,4}(?:-[a-z])?/[^/]+$", re.I)
LANGUAGE_CLASS: Final = re.compile(
    r"(?:^|\s)(?:(?:language|lang|highlight-source|highlight|sourceCode)[-_:]|brush:\s*)([A-Za-z0-9+#.-]+)"
)
NOT_LANGUAGES: Final = frozenset({"none", "plain", "plaintext", "text", "nohighlight", "source", "code"})
_BLOCK_IN_CELL: Final = (
    "p",
    "div",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "blockquote",
    "table",
)
_ASIDE_TABLE: Final = re.compile(r"infobox|navbox|vertical-navbox|sidebar|metadata|ambox|\btoc\b", re.I)
_HAS_CLASS_OR_ID: Final = etree.XPath("descendant-or-self::*[@class or @id]")
_LAZY_ATTRS: Final = ("data-src", "data-lazy-src", "data-original", "data-lazy", "data-url", "data-img-src")
_SRCSET_ATTRS: Final = ("data-srcset", "data-lazy-srcset", "srcset")


@functools.lru_cache(maxsize=4096)
def _noise_attrs(attrs: str) -> bool:
    # Pages repeat the same few class strings thousands of times: match each distinct one once.
    return any(_noise_token(tok) for tok in attrs.split())


_NOISE_TOKEN_LOWER: Final = re.compile(_NOISE_TOKEN.pattern) if _NOISE_TOKEN.pattern.islower() else None
"""`_NOISE_TOKEN` without IGNORECASE, for lower-cased ASCII tokens (re.I costs several times more)."""


def _noise_token(token: str) -> bool:
    # On ASCII, re.I is lower-casing (outside ASCII it also folds İ, ı, ſ and K: the regex answers).
    if _NOISE_TOKEN_LOWER is not None and token.isascii():
        return _NOISE_TOKEN_LOWER.match(token.lower()) is not None
    return _NOISE_TOKEN.match(token) is not None


def is_noise(el: lxml.html.HtmlElement) -> bool:
    """True when a class or id token names a widget that is never part of an article."""
    classes = el.get("class")
    ident = el.get("id")
    # Most elements carry neither (the joined string would be " "): answered before any formatting.
    if (not classes and not ident) or el.tag in _PROTECTED_TAGS:
        return False
    return _noise_attrs(f"{classes or ''} {ident or ''}")


def _text_len(el: lxml.html.HtmlElement) -> int:
    # The text of every descendant in order, as "".join(el.itertext()) (the tree holds no entity nodes:
    # libxml2's HTML parser resolves them), gathered in C by text_content().
    return len(el.text_content().strip())


def unwrap_templates(doc: lxml.html.HtmlElement) -> None:
    """Blogger's Google-made templates hold the post body as HTML inside `<script type=text/template>`."""
    for script in doc.xpath('//script[@type="text/template"]'):
        source = (script.text or "").strip()
        # Only markup templates; some sites keep JSON or JS in text/template scripts.
        if not source.startswith("<") or source.startswith("<!["):
            continue
        try:
            parts = lxml.html.fragments_fromstring(source)
        except (etree.ParserError, ValueError):
            continue
        holder = lxml.html.Element("div")
        for part in parts:
            if isinstance(part, str):
                if len(holder):
                    holder[-1].tail = (holder[-1].tail or "") + part
                else:
                    holder.text = (holder.text or "") + part
            else:
                holder.append(part)
        holder.tail = script.tail
        parent = script.getparent()
        if parent is not None:
            parent.replace(script, holder)


def _best_from_srcset(srcset: str) -> str | None:
    best: tuple[float, str] | None = None
    for candidate in srcset.split(","):
        bits = candidate.strip().split()
        if not bits:
            continue
        size = 1.0
        if len(bits) > 1:
            try:
                size = float(bits[1].rstrip("wx"))
            except ValueError:
                size = 1.0
        if best is None or size > best[0]:
            best = (size, bits[0])
    return best[1] if best else None


def resolve_lazy_images(doc: lxml.html.HtmlElement) -> None:
    """Give lazy-loaded images their real `src` (data-src, data-lazy-src, srcset…)."""
    for img in doc.iter("img"):
        src = (img.get("src") or "").strip()
        if src and not _PLACEHOLDER_SRC.search(src):
            continue
        real = next((img.get(a) for a in _LAZY_ATTRS if (img.get(a) or "").strip()), None)
        if real is None:
            srcset = next((img.get(a) for a in _SRCSET_ATTRS if (img.get(a) or "").strip()), None)
            real = _best_from_srcset(srcset) if srcset else None
        if real:
            img.set("src", real.strip())


def _drop(el: lxml.html.HtmlElement) -> None:
    """Remove an element but keep its tail text in place."""
    if el.getparent() is not None:
        el.drop_tree()


def language_of(el: lxml.html.HtmlElement) -> str | None:
    """A code language named by data-lang/lang or a class like language-x, lang-x, highlight-source-x."""
    for attr in ("data-lang", "data-language", "lang"):
        value = (el.get(attr) or "").strip().lower()
        if value and value not in NOT_LANGUAGES and re.fullmatch(r"[a-z0-9+#.-]{1,30}", value):
            return value
    match = LANGUAGE_CLASS.search(el.get("class") or "")
    if match and match.group(1).lower() not in NOT_LANGUAGES:
        return match.group(1).lower()
    return None


def lift_code_blocks(doc: lxml.html.HtmlElement) -> None:
    """Copy a code block's language onto its `pre` (`data-lang`) from the wrapper highlighters add.

    Content scoring may drop or rebuild the wrapper (`div.highlight-source-rust > pre`); the language
    then survives on the block itself. The wrappers stay: removing them changed which container
    readability picked on real pages (mozilla corpus: mercurial lost its opening paragraphs).
    """
    for pre in list(doc.iter("pre")):
        if pre.get("data-lang"):
            continue
        for node in (pre, pre.find("code"), *list(pre.iterancestors())[:3]):
            language = language_of(node) if node is not None else None
            if language:
                pre.set("data-lang", language)
                break


def is_data_table(table: lxml.html.HtmlElement) -> bool:
    """Readability.js's test: a table holds data (not layout) when it says so or is big enough."""
    if table.get("role") == "presentation" or table.get("datatable") == "0":
        return False
    if table.get("summary") or table.find("caption") is not None:
        return True
    if table.xpath(".//th | .//thead | .//tfoot | .//col | .//colgroup"):
        return True
    if table.xpath(".//table"):
        return False
    rows = table.xpath(".//tr")
    columns = max((len(row.xpath("./td | ./th")) for row in rows), default=0)
    return len(rows) >= 10 or columns > 4 or len(rows) * columns > 10


def is_aside_table(table: lxml.html.HtmlElement) -> bool:
    """Info and navigation boxes beside the text (MediaWiki's infobox/navbox and their kin)."""
    return bool(_ASIDE_TABLE.search(f"{table.get('class', '')} {table.get('id', '')}"))


def unwrap_layout_tables(root: lxml.html.HtmlElement) -> None:
    """Tables used for layout become plain blocks, so their paragraphs read as paragraphs."""
    for table in list(root.iter("table")):
        if is_data_table(table) or is_aside_table(table) or table.getparent() is None:
            continue
        cells = table.xpath(".//td | .//th")
        has_blocks = any(cell.find(f".//{tag}") is not None for cell in cells for tag in _BLOCK_IN_CELL)
        if not has_blocks and len(cells) > 1:
            continue
        for el in [table, *table.xpath(".//tbody | .//thead | .//tfoot | .//tr | .//td | .//th")]:
            el.tag = "div"
            for attr in ("colspan", "rowspan"):
                el.attrib.pop(attr, None)


_ROW_COUNT: Final = etree.XPath("count(descendant-or-self::tr)")
MAX_TABLE_ROWS: Final = 1_000
"""Rows kept per table: a reader shows no more, and a 100k-row table would cost seconds and hundreds of MB."""


def cap_table_rows(doc: lxml.html.HtmlElement, limit: int = MAX_TABLE_ROWS) -> None:
    """Cut tables after `limit` rows, saying how many rows were left out."""
    if _ROW_COUNT(doc) <= limit:
        # No table can hold more rows than the whole page: the usual case costs one count in C.
        return
    for table in list(doc.iter("table")):
        rows = [row for row in table.iter("tr")]
        if len(rows) <= limit:
            continue
        for row in rows[limit:]:
            parent = row.getparent()
            if parent is not None:
                parent.remove(row)
        note = lxml.html.Element("p")
        note.text = f"… {len(rows) - limit:,} more table rows not shown"
        table.addnext(note)


def pre_clean(doc: lxml.html.HtmlElement) -> None:
    """Remove what no article contains, before content detection scores the page."""
    cap_table_rows(doc)
    unwrap_templates(doc)
    lift_code_blocks(doc)
    for el in list(doc.iter("script", "style", "template", "link", "iframe", "form", "button")):
        if el.tag == "iframe" and re.search(r"youtube|vimeo|dailymotion", el.get("src") or ""):
            continue
        _drop(el)
    for el in list(doc.iter("noscript")):
        _drop(el)
    for el in list(doc.iter(etree.Comment)):
        _drop(el)
    body = doc.find(".//body")
    total = _text_len(body) if body is not None else 0
    # Collect first, then drop, so we never walk a detached subtree. Only an element with a class or an
    # id can be noise: asking just those (in document order, like iter()) skips most of the page.
    doomed = [el for el in _HAS_CLASS_OR_ID(doc) if is_noise(el)]
    for el in doomed:
        # An element holding most of the page is a wrapper (body.has-comments…), not a widget.
        if total and _text_len(el) > 0.5 * total:
            continue
        _drop(el)
    resolve_lazy_images(doc)
    unwrap_layout_tables(doc)
    for a in doc.iter("a"):
        attrib = a.attrib
        # readability-lxml deletes any element whose class looks unlikely ("popup", "comment"…), links
        # included; Readability.js never drops a link that way. The widget pass above already ran.
        attrib.pop("class", None)
        attrib.pop("id", None)
        href = (attrib.get("href") or "").strip()
        # lxml's cleaner (inside readability) blanks javascript: links and later resolves "" to the page
        # itself; in-page anchors also point nowhere outside the page. Both become plain text here.
        if href.startswith("#") or href.lower().startswith(("javascript:", "vbscript:", "data:")):
            del attrib["href"]


_POST_NOISE_TEXT: Final = re.compile(
    r"^(?:share( this)?( post| article)?|share on \w+|tweet|pin it|email|print|"
    r"popular posts from this blog|related posts|you may also like|read more|leave a comment|"
    r"\d+ comments?|no comments?:?|post a comment|subscribe( now)?|sign up now|get link)$",
    re.I,
)


def _is_image_zoom_link(a: lxml.html.HtmlElement) -> bool:
    """A link around a lone image that only opens a bigger copy of it (Blogger, WordPress lightboxes)."""
    if len(a) != 1 or a[0].tag != "img" or (a.text or "").strip() or (a[0].tail or "").strip():
        return False
    return bool(_IMAGE_FILE.search((a.get("href") or "").split("?")[0]))


def post_clean(content: lxml.html.HtmlElement, url: str | None) -> None:
    """Tidy the chosen content: absolute links and images, no empty or javascript: links, no widget labels."""
    for el in list(content.iter()):
        if not isinstance(el.tag, str) or el is content:
            continue
        if is_noise(el):
            _drop(el)
            continue
        if el.tag in ("p", "div", "span", "li") and len(el) <= 2:
            text = " ".join(el.text_content().split())  # its itertext(), gathered in C
            if text and len(text) < 40 and _POST_NOISE_TEXT.match(text) and not el.xpath(".//img"):
                _drop(el)
    for a in list(content.iter("a")):
        if _is_image_zoom_link(a):
            a.drop_tag()
            continue
        href = (a.get("href") or "").strip()
        # absolute_url refuses javascript:, data:, mailto: and in-page "#" anchors: those become plain text.
        resolved = absolute_url(url, href) if url else absolute_url(None, href)
        if resolved and not resolved.lower().startswith(("javascript:", "vbscript:")):
            a.set("href", resolved)
        else:
            a.attrib.pop("href", None)
    for img in content.iter("img"):
        src = (img.get("src") or "").strip()
        resolved = absolute_url(url, src) if url else src
        if resolved and not resolved.startswith("data:"):
            img.set("src", resolved)
        else:
            img.attrib.pop("src", None)
