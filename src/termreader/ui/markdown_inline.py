"""Inline Markdown (emphasis, code spans, links, images, breaks) turned into styled spans."""

from __future__ import annotations

from typing import TYPE_CHECKING

from termreader.ui.markdown_runs import Span, sanitize

if TYPE_CHECKING:
    from markdown_it.token import Token


def add_link(links: list[tuple[str, str]], url: str, text: str) -> int:
    """Number a link in document order: its index is the link index its runs carry."""
    links.append((url, text))
    return len(links) - 1


def inline_spans(tok: Token, base: str, links: list[tuple[str, str]]) -> tuple[Span, ...]:
    """Inline tokens to styled spans; softbreaks become spaces and hard breaks a '\\n' span.

    Links met are appended to `links` as (url, text).
    """
    spans: list[Span] = []
    marks: list[str] = []
    link: int | None = None
    link_start = 0
    for child in tok.children or []:
        kind = child.type
        if kind == "text":
            if child.content:
                spans.append((child.content, span_style(base, marks, link), link))
        elif kind == "code_inline":
            spans.append((child.content, span_style("code", marks, link), link))
        elif kind == "softbreak":
            spans.append((" ", span_style(base, marks, link), link))
        elif kind == "hardbreak":
            spans.append(("\n", base, None))
        elif kind in ("em_open", "strong_open", "s_open"):
            marks.append(kind[:-5])
        elif kind in ("em_close", "strong_close", "s_close"):
            name = kind[:-6]
            if name in marks:
                marks.remove(name)
        elif kind == "link_open":
            url = str(child.attrs.get("href", ""))
            link = add_link(links, url, "")
            link_start = len(spans)
        elif kind == "link_close" and link is not None:
            url = links[link][0]
            text = "".join(s[0] for s in spans[link_start:]).strip()
            if not text:
                spans.append((url, span_style(base, marks, link), link))
                text = url
            links[link] = (url, sanitize(text))
            link = None
        elif kind == "image":
            url = str(child.attrs.get("src", ""))
            alt = child.content or "image"
            if link is None:
                index = add_link(links, url, alt)
                spans.append((f"🖼 {alt}", "image", index))
            else:
                spans.append((f"🖼 {alt}", span_style(base, marks, link), link))
    return tuple(spans)


def span_style(base: str, marks: list[str], link: int | None) -> str:
    """The style name of inline text: its block style, then its emphasis marks, then "link"."""
    parts = [] if base == "text" and (marks or link is not None) else [base]
    parts.extend(sorted(set(marks)))
    if link is not None:
        parts.append("link")
    return " ".join(parts)
