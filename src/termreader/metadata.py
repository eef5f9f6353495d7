"""Page metadata (title, byline, date, site…) from JSON-LD, OpenGraph, meta tags, microdata and the page."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import lxml.html

from termreader.datetext import is_date_text, strip_trailing_date
from termreader.htmlclean import is_noise
from termreader.textutil import absolute_url, clean_text, parse_date

_ARTICLE_TYPES = re.compile(
    r"^(?:Article|AdvertiserContentArticle|NewsArticle|AnalysisNewsArticle|AskPublicNewsArticle|"
    r"BackgroundNewsArticle|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|Report|"
    r"SatiricalArticle|ScholarlyArticle|MedicalScholarlyArticle|SocialMediaPosting|BlogPosting|"
    r"LiveBlogPosting|DiscussionForumPosting|TechArticle|APIReference)$"
)
# Readability.js reads these meta keys; we read the same ones so our title and byline agree with Reader View.
_PROPERTY = re.compile(
    r"\s*(article|dc|dcterm|og|twitter)\s*:\s*(author|creator|description|published_time|title|site_name|"
    r"type|url|image|locale|modified_time)\s*",
    re.I,
)
_NAME = re.compile(
    r"^\s*(?:(dc|dcterm|og|twitter|parsely|weibo:(?:article|webpage))\s*[-.:]\s*)?"
    r"(author|creator|pub-date|description|title|site_name|date|language)\s*$",
    re.I,
)
_SEPARATORS = "|-–—\\/>»"
_SEP_SPACED = re.compile(r" [|\-–—\\/>»] ")
_HIER_SEP = re.compile(r" [\\/>»] ")
_URLISH = re.compile(r"^https?://|^www\.", re.I)
_PLATFORM_NAMES = frozenset({"blogger", "wordpress", "wordpress.com", "ghost", "substack", "medium", "hugo"})
# Blogger shows "Unknown" for a hidden profile; WordPress themes print "admin". Neither names a person.
_PLACEHOLDER_AUTHORS = frozenset({"unknown", "anonymous", "admin", "administrator", "author", "by"})
_SITE_SEPARATORS = ":|-–—·•»"
_BY_PREFIX = re.compile(
    r"^\s*(?:(?:posted|written)\s+)?(?:by|par|von|por|di|door|av|przez)\s*[:\-]?\s+", re.I
)
_UNLIKELY = re.compile(
    r"-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|"
    r"legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|"
    r"ad-break|agegate|pagination|pager|popup|yom-remote",
    re.I,
)
_MAYBE = re.compile(r"and|article|body|column|content|main|mathjax|shadow", re.I)
_UNLIKELY_ROLES = frozenset(
    {"menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog"}
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_NOT_BYLINE_TAGS = frozenset({"script", "style", "noscript", "template", "meta", "link", "head", "svg"})
# Inside a byline, the element that holds just the name (not "Games Editor", "• 8h", the date).
_NAME_INSIDE_BYLINE = (
    './/*[@itemprop="name" or contains(concat(" ", normalize-space(@class), " "), " fn ")'
    ' or contains(concat(" ", normalize-space(@class), " "), " author-name ")'
    ' or contains(concat(" ", normalize-space(@class), " "), " author-link ")'
    ' or @rel="author"][normalize-space()]'
)
_BYLINE_HINT = re.compile(r"byline|author|dateline|writtenby|p-author", re.I)


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """What a page says about itself, before the body is extracted."""

    title: str | None = None
    byline: str | None = None
    published: datetime | None = None
    """Always timezone-aware when set."""
    site_name: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    lead_image: str | None = None
    description: str | None = None
    page_type: str | None = None
    """og:type or the JSON-LD @type of the main entity, lower-cased ('article', 'website', …)."""
    doc_title: str | None = None
    """The `<title>` text, kept for title heuristics and de-suffixing."""


@dataclass(slots=True)
class _LinkedData:
    title: str | None = None
    byline: str | None = None
    published: str | None = None
    site_name: str | None = None
    image: str | None = None
    description: str | None = None
    url: str | None = None
    language: str | None = None
    type: str | None = None


def word_count_js(text: str) -> int:
    """Words the way Readability.js counts them (split on whitespace), for title heuristics."""
    return len(re.split(r"\s+", text))


def _text(el: lxml.html.HtmlElement) -> str:
    return clean_text(el.text_content())


def article_title_from_document(doc: lxml.html.HtmlElement) -> str:
    """Readability.js's `<title>` heuristic: drop the site part around ` | ` / ` - ` / `: ` separators."""
    title_el = doc.find(".//title")
    orig = clean_text(title_el.text_content()) if title_el is not None else ""
    cur = orig
    hierarchical = False
    if _SEP_SPACED.search(orig):
        hierarchical = bool(_HIER_SEP.search(orig))
        last = list(_SEP_SPACED.finditer(orig))[-1]
        cur = orig[: last.start()]
        if word_count_js(cur) < 3:
            cur = re.sub(r"^[^|\-–—\\/>»]*[|\-–—\\/>»]", "", orig)
    elif ": " in orig:
        headings = {_text(h) for h in doc.iter("h1", "h2")}
        if orig.strip() not in headings:
            cur = orig[orig.rfind(":") + 1 :]
            if word_count_js(cur.strip()) < 3:
                cur = orig[orig.find(":") + 1 :]
            elif word_count_js(orig[: orig.find(":")]) > 5:
                cur = orig
    elif len(cur) > 150 or len(cur) < 15:
        h1s = list(doc.iter("h1"))
        if len(h1s) == 1:
            cur = _text(h1s[0])
    cur = clean_text(cur)
    words = word_count_js(cur)
    if words <= 4 and (not hierarchical or words != word_count_js(re.sub(r"[|\-–—\\/>»]+", "", orig)) - 1):
        cur = orig
    return cur


def _similarity(a: str, b: str) -> float:
    tokens_a = [t for t in re.split(r"\W+", a.lower()) if t]
    tokens_b = [t for t in re.split(r"\W+", b.lower()) if t]
    if not tokens_a or not tokens_b:
        return 0.0
    unique_b = [t for t in tokens_b if t not in tokens_a]
    distance = len(" ".join(unique_b)) / max(1, len(" ".join(tokens_b)))
    return 1 - distance


def _names(value: Any) -> list[str]:
    """Author names from a JSON-LD author: a string, an object with name, or a list of either."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() and not _URLISH.match(value.strip()) else []
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, str) and name.strip():
            return [name.strip()]
        if isinstance(name, list):
            return [n.strip() for n in name if isinstance(n, str) and n.strip()]
        return []
    if isinstance(value, list):
        out: list[str] = []
        for item in value[:20]:
            out.extend(_names(item))
        return out
    return []


def _first_str(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        for item in value:
            found = _first_str(item)
            if found:
                return found
    if isinstance(value, dict):
        for key in ("url", "@id", "name", "contentUrl"):
            found = _first_str(value.get(key))
            if found:
                return found
    return None


def _types(obj: dict[str, Any]) -> list[str]:
    raw = obj.get("@type")
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, list):
        return [t for t in raw if isinstance(t, str)]
    return []


def _walk_jsonld(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every object at the top level, in lists and in @graph (bounded depth)."""
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk_jsonld(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _walk_jsonld(data["@graph"], depth + 1)


def _read_jsonld(doc: lxml.html.HtmlElement) -> _LinkedData:
    found = _LinkedData()
    objects: list[dict[str, Any]] = []
    for script in doc.xpath('//script[@type="application/ld+json"]'):
        raw = (script.text or "").strip()
        raw = re.sub(r"^\s*<!\[CDATA\[|\]\]>\s*$", "", raw)
        if not raw:
            continue
        try:
            objects.extend(_walk_jsonld(json.loads(raw)))
        except (ValueError, RecursionError):
            continue
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
    article = next((o for o in objects if any(_ARTICLE_TYPES.match(t) for t in _types(o))), None)
    if article is None:
        page = next((o for o in objects if "WebPage" in _types(o)), None)
        if page is not None:
            found.type = "website"
            found.url = _first_str(page.get("url"))
        return found

    def resolve(value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"@id"} and value["@id"] in by_id:
            return by_id[value["@id"]]
        if isinstance(value, list):
            return [resolve(v) for v in value]
        return value

    found.type = "article"
    name, headline = article.get("name"), article.get("headline")
    publisher_name = _names(resolve(article.get("publisher")))
    if isinstance(name, str) and isinstance(headline, str) and name.strip() != headline.strip():
        # Readability.js keeps `name` unless only `headline` resembles the page's own title; a `name`
        # that is just the publisher (seen on news sites) never wins.
        page_title = article_title_from_document(doc)
        name_ok = _similarity(name, page_title) > 0.75 and name.strip() not in publisher_name
        headline_ok = _similarity(headline, page_title) > 0.75
        found.title = headline if (headline_ok and not name_ok) or name.strip() in publisher_name else name
    elif isinstance(name, str) and name.strip():
        found.title = name
    elif isinstance(headline, str) and headline.strip():
        found.title = headline
    authors = _names(resolve(article.get("author")))
    if authors:
        found.byline = ", ".join(dict.fromkeys(authors))
    published = article.get("datePublished") or article.get("dateCreated")
    found.published = published if isinstance(published, str) else None
    publisher = resolve(article.get("publisher"))
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
        found.site_name = publisher["name"].strip() or None
    found.image = _first_str(resolve(article.get("image")))
    description = article.get("description")
    found.description = description.strip() if isinstance(description, str) else None
    main = resolve(article.get("mainEntityOfPage"))
    found.url = _first_str(article.get("url")) or _first_str(main)
    language = article.get("inLanguage")
    found.language = language if isinstance(language, str) else None
    return found


def _read_meta(doc: lxml.html.HtmlElement) -> dict[str, str]:
    values: dict[str, str] = {}
    for meta in doc.iter("meta"):
        content = meta.get("content")
        if content is None:
            continue
        content = content.strip()
        prop = meta.get("property")
        matched = False
        if prop:
            match = _PROPERTY.search(prop)
            if match:
                matched = True
                values[re.sub(r"\s", "", match.group(0)).lower()] = content
        name = meta.get("name")
        if not matched and name and _NAME.match(name):
            key = re.sub(r"\s", "", name).lower().replace(".", ":")
            values[key] = content
        # Some CMSs put og:* in name= instead of property=. Not article:author: sites that do that
        # (seen on a news site) fill it with the section's columnist, not the article's writer.
        if name and not matched and _PROPERTY.fullmatch(name) and name.strip().lower().startswith("og:"):
            values.setdefault(re.sub(r"\s", "", name).lower(), content)
        http_equiv = (meta.get("http-equiv") or "").lower()
        if http_equiv == "content-language":
            values.setdefault("content-language", content)
    return values


def _microdata(doc: lxml.html.HtmlElement, prop: str) -> str | None:
    for el in doc.xpath(
        f'//*[@itemprop and contains(concat(" ", normalize-space(@itemprop), " "), " {prop} ")]'
    ):
        if el.tag == "meta":
            value = el.get("content")
        elif el.tag == "time":
            value = el.get("datetime") or el.text_content()
        else:
            names = el.xpath('.//*[@itemprop="name"]')
            value = names[0].get("content") or names[0].text_content() if names else el.text_content()
        value = clean_text(value)
        if value and len(value) < 100:
            return value
    return None


def _skip_subtree(el: lxml.html.HtmlElement, *, strict: bool) -> bool:
    """Readability.js's "unlikely candidate" and hidden-node tests: no byline is read from these."""
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    if _HIDDEN_STYLE.search(el.get("style") or ""):
        return True
    if el.tag in ("form", "label", "input", "textarea", "select", "button", "nav", "footer"):
        return True
    if not strict:
        # The lenient pass still never reads comment threads, share bars or related-post widgets.
        return is_noise(el)
    if (el.get("role") or "") in _UNLIKELY_ROLES:
        return True
    match = f"{el.get('class', '')} {el.get('id', '')}"
    return bool(_UNLIKELY.search(match)) and not _MAYBE.search(match) and el.tag not in ("body", "a")


def _byline_from_page(doc: lxml.html.HtmlElement) -> str | None:
    """The first byline element in reading order, Readability.js style (rel=author, itemprop, class/id).

    Like Readability.js, widgets (sidebars, comments, related…) are skipped first; when that finds nothing
    the page is read again with them, as Readability.js does on its second, lenient pass.
    """
    body = doc.find(".//body")
    if body is None:
        return None
    return _find_byline(body, strict=True) or _find_byline(body, strict=False)


def _find_byline(body: lxml.html.HtmlElement, *, strict: bool) -> str | None:
    stack = [body]
    visited = 0
    while stack and visited < 20000:
        el = stack.pop()
        visited += 1
        if not isinstance(el.tag, str) or el.tag in _NOT_BYLINE_TAGS:
            continue
        if el is not body and _skip_subtree(el, strict=strict):
            continue
        match = f"{el.get('class', '')} {el.get('id', '')}"
        if el is not body and (
            el.get("rel") == "author" or "author" in (el.get("itemprop") or "") or _BYLINE_HINT.search(match)
        ):
            names = el.xpath(_NAME_INSIDE_BYLINE)
            text = clean_text((names[0] if names else el).text_content())
            if is_date_text(text):
                continue  # a dateline ("Sunday, Feb 1, 2015 11:57 AM"): the writer's name comes later
            if 0 < len(text) < 100:
                return text
        stack.extend(reversed(list(el)))
    return None


def _date_from_page(doc: lxml.html.HtmlElement) -> datetime | None:
    for el in doc.xpath("//time[@datetime] | //abbr[contains(@class,'published')][@title]")[:20]:
        value = parse_date(el.get("datetime") or el.get("title"))
        if value is not None:
            return value
    return None


def tidy_byline(value: str | None, *, keep_by: bool = False) -> str | None:
    """A byline as people read it: one line, no date after the name, no placeholders.

    A name from metadata loses a stray leading "By "; a byline line from the page keeps its own wording
    (`keep_by`) unless the prefix is all there is.
    """
    text = strip_trailing_date(clean_text(value))
    bare = _BY_PREFIX.sub("", text)
    if not bare or bare.casefold() in _PLACEHOLDER_AUTHORS or is_date_text(bare):
        return None
    return text if keep_by else bare


def _site_name(og_site: str | None, publisher: str | None, doc_title: str, title: str | None) -> str | None:
    """og:site_name, else a JSON-LD publisher that is not the blogging platform, else the part of
    `<title>` around the headline ("Blog Name: Post", "Post | Blog Name")."""
    for candidate in (og_site, publisher):
        name = clean_text(candidate)
        if name and name.casefold() not in _PLATFORM_NAMES:
            return name
    headline = clean_text(title)
    if headline and doc_title and doc_title != headline and len(doc_title) > len(headline) + 2:
        if doc_title.endswith(headline):
            rest = doc_title[: -len(headline)].rstrip()
            if rest[-1:] in _SITE_SEPARATORS:
                return clean_text(rest[:-1]) or None
        if doc_title.startswith(headline):
            rest = doc_title[len(headline) :].lstrip()
            if rest[:1] in _SITE_SEPARATORS:
                return clean_text(rest[1:]) or None
    return None


def read_metadata(doc: lxml.html.HtmlElement, url: str | None) -> PageMetadata:
    """Read metadata in trust order: JSON-LD > OpenGraph/article:* > Dublin Core/meta > microdata > page."""
    title_el = doc.find(".//title")
    doc_title = clean_text(title_el.text_content()) if title_el is not None else ""
    ld = _read_jsonld(doc)
    meta = _read_meta(doc)

    title = ld.title or next(
        (
            meta[k]
            for k in (
                "dc:title",
                "dcterm:title",
                "og:title",
                "weibo:article:title",
                "weibo:webpage:title",
                "title",
                "twitter:title",
                "parsely-title",
            )
            if meta.get(k)
        ),
        None,
    )
    if not title:
        title = article_title_from_document(doc) or _microdata(doc, "headline")

    article_author = meta.get("article:author")
    if article_author and _URLISH.match(article_author):
        article_author = None
    byline = ld.byline or next(
        (meta[k] for k in ("dc:creator", "dcterm:creator", "author", "parsely-author") if meta.get(k)),
        None,
    )
    byline = tidy_byline(byline or article_author or _microdata(doc, "author"))
    if byline is None:
        # The page's own byline line is shown as the page prints it ("By Jo Marsh"), as Reader View does.
        byline = tidy_byline(_byline_from_page(doc), keep_by=True)

    published = parse_date(
        ld.published
        or meta.get("article:published_time")
        or meta.get("parsely-pub-date")
        or meta.get("dc:date")
        or meta.get("dcterm:date")
        or meta.get("date")
        or _microdata(doc, "datePublished")
    )
    if published is None:
        published = _date_from_page(doc)

    canonical = None
    for link in doc.xpath('//link[@href][contains(concat(" ", normalize-space(@rel), " "), " canonical ")]'):
        canonical = absolute_url(url, link.get("href"))
        break
    canonical = canonical or absolute_url(url, meta.get("og:url")) or absolute_url(url, ld.url)

    html_el = doc.getroottree().getroot()
    language = (
        (html_el.get("lang") or html_el.get("xml:lang") or "").strip()
        or ld.language
        or meta.get("content-language")
        or meta.get("dc:language")
        or (meta.get("og:locale") or "").replace("_", "-")
        or None
    )
    page_type = (meta.get("og:type") or "").lower() or ld.type
    return PageMetadata(
        title=clean_text(title) or None,
        byline=byline,
        published=published,
        site_name=_site_name(meta.get("og:site_name"), ld.site_name, doc_title, title),
        canonical_url=canonical,
        language=language,
        lead_image=absolute_url(url, meta.get("og:image") or ld.image),
        description=clean_text(ld.description or meta.get("og:description") or meta.get("description"))
        or None,
        page_type=page_type or None,
        doc_title=doc_title or None,
    )
