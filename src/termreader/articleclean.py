"""Clean-up around content detection: real pictures found before it, asides and players handled after it."""

from __future__ import annotations

from typing import Final

import lxml.html

_NOT_ARTICLE: Final = ("aside", "select", "textarea", "input", "option", "optgroup", "datalist")
"""Asides (related-story boxes, teaser insets) and form controls (a video player's caption-colour menus,
whose text is only option labels). Readability.js drops the same tags from the article it shows."""


def drop_asides_and_controls(content: lxml.html.HtmlElement) -> int:
    """Remove asides and form controls from inside the content; returns how many went."""
    doomed = [el for el in content.iter(*_NOT_ARTICLE) if el is not content]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()
    return len(doomed)


_IMAGE_OBJECT: Final = "ImageObject"
_URL_PROPS: Final = './/*[@itemprop="url" or @itemprop="contentUrl" or @itemprop="contentURL"]'


def _microdata_image_url(figure: lxml.html.HtmlElement) -> str | None:
    """The picture a schema.org ImageObject figure names (itemid, or an itemprop url/contentUrl)."""
    for el in figure.xpath(_URL_PROPS):
        value = (el.get("content") or el.get("href") or el.get("src") or "").strip()
        if value.startswith(("http://", "https://", "/")):
            return value
    itemid = (figure.get("itemid") or "").strip()
    return itemid if itemid.startswith(("http://", "https://", "/")) else None


def fill_lazy_figures(doc: lxml.html.HtmlElement) -> int:
    """Give an image back to figures whose picture only loads by script but whose microdata names it.

    News sites mark in-article photos as schema.org ImageObject figures and leave an empty placeholder
    where a script later puts the picture; without an image such a figure reads as a bare caption.
    Returns how many figures got their image.
    """
    filled = 0
    for figure in doc.iter("figure"):
        if _IMAGE_OBJECT not in (figure.get("itemtype") or "") or figure.find(".//img") is not None:
            continue
        url = _microdata_image_url(figure)
        if url is None:
            continue
        caption = figure.find(".//figcaption")
        img = lxml.html.Element("img", src=url, alt="")
        if caption is not None:
            caption.addprevious(img)
        else:
            figure.append(img)
        filled += 1
    return filled


VIDEO_LABEL: Final = "▶ Video"


def link_embedded_videos(content: lxml.html.HtmlElement) -> int:
    """Turn each embedded video player into a link to it, so a terminal reader can open the video.

    readability-lxml writes the word "VIDEO" into the players it keeps, which shows as a stray line.
    Returns how many players became links.
    """
    linked = 0
    for frame in list(content.iter("iframe")):
        parent = frame.getparent()
        if parent is None:
            continue
        src = (frame.get("src") or "").strip()
        if not src:
            frame.drop_tree()
            continue
        link = lxml.html.Element("a", href=src)
        link.text = VIDEO_LABEL
        link.tail = frame.tail
        parent.replace(frame, link)
        linked += 1
    return linked


_SOURCE_ATTRS: Final = ("src", "srcset", "data-src", "data-srcset", "data-original", "data-lazy-src")


def _has_source(img: lxml.html.HtmlElement) -> bool:
    return any((img.get(name) or "").strip() for name in _SOURCE_ATTRS)


def _single_image(el: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The one img inside `el` when it holds nothing else with text, else None."""
    images = list(el.iter("img"))
    if len(images) != 1 or " ".join(el.text_content().split()):
        return None
    return images[0]


def unwrap_noscript_images(doc: lxml.html.HtmlElement) -> int:
    """Swap a script-loaded placeholder image for the real one its `<noscript>` twin carries.

    Lazy-loading pages show a tiny blurred placeholder and put the real picture in a `<noscript>` right
    after it; scripts never run here, and `<noscript>` is removed before content detection, so without
    this the article keeps the placeholder. Readability.js does the same swap. Returns how many.
    """
    swapped = 0
    for noscript in list(doc.iter("noscript")):
        real = _single_image(noscript)
        if real is None or not (real.get("src") or "").strip():
            continue
        previous = noscript.getprevious()
        while previous is not None and previous.tag == "img" and not _has_source(previous):
            # An empty img the script would fill sits between the placeholder and the noscript.
            empty, previous = previous, previous.getprevious()
            empty.drop_tree()
        if previous is None:
            continue
        placeholder = previous if previous.tag == "img" else _single_image(previous)
        if placeholder is None:
            continue
        placeholder.set("src", real.get("src", ""))
        for name in ("srcset", "data-src", "data-srcset"):
            placeholder.attrib.pop(name, None)
            if real.get(name):
                placeholder.set(name, real.get(name, ""))
        if real.get("alt") and not placeholder.get("alt"):
            placeholder.set("alt", real.get("alt", ""))
        swapped += 1
    return swapped
