"""One block laid out as lines at a given width: headings with rules, code boxes, tables, the header."""

from __future__ import annotations

from typing import Final

from termreader.ui.markdown_blocks import Block, Header
from termreader.ui.markdown_runs import Line, Run, chop, merge_runs, sanitize, text_width
from termreader.ui.markdown_tables import table_lines
from termreader.ui.markdown_wrap import MIN_TEXT_WIDTH, wrap_spans

CODE_WRAP_MARK: Final = "↪ "
"""Start of a code line continued from the line above (code is wrapped, never cut)."""


def _heading_lines(block: Block, width: int) -> list[Line]:
    lines = wrap_spans(block.spans, width, block.first_prefix, block.rest_prefix)
    if block.level <= 2:
        indent = sum(text_width(r[0]) for r in block.rest_prefix)
        text = max(sum(text_width(r[0]) for r in line) for line in lines) - indent
        if text > 0:
            rule = ("━" if block.level == 1 else "─") * min(text, width - indent)
            lines.append(merge_runs([*block.rest_prefix, (rule, f"h{block.level}-rule", None)]))
    return lines


def _code_lines(block: Block, width: int) -> list[Line]:
    prefix_width = sum(text_width(r[0]) for r in block.rest_prefix)
    avail = max(MIN_TEXT_WIDTH, width - prefix_width)
    inner = avail - 2
    lines: list[Line] = []
    prefix = block.first_prefix
    if block.lang:
        label = block.lang[: avail - 2]
        lines.append((*prefix, (" " + label.ljust(avail - 1), "code-lang", None)))
        prefix = block.rest_prefix
    source = block.text[:-1] if block.text.endswith("\n") else block.text
    mark_width = text_width(CODE_WRAP_MARK)
    for raw in source.split("\n"):
        pieces = chop(raw, inner) if text_width(raw) > inner else [raw]
        if len(pieces) > 1:
            # Continuation lines carry a marker, so re-chop the tail to leave room for it.
            tail = "".join(pieces[1:])
            pieces = [pieces[0], *chop(tail, max(1, inner - mark_width))]
        for k, piece in enumerate(pieces):
            pad = " " * max(0, inner - text_width(piece) - (mark_width if k else 0))
            runs: list[Run] = [*prefix, (" ", "code-block", None)]
            if k:
                runs.append((CODE_WRAP_MARK, "code-wrap", None))
            runs.append((piece + pad + " ", "code-block", None))
            lines.append(merge_runs(runs))
            prefix = block.rest_prefix
    return lines


def _header_lines(header: Header, width: int) -> list[Line]:
    lines = wrap_spans(((sanitize(header.title) or "Untitled", "header-title", None),), width)
    for meta in header.meta:
        lines.extend(wrap_spans(((sanitize(meta), "header-meta", None),), width))
    if header.url:
        url = sanitize(header.url)
        lines.extend(((piece, "header-url", None),) for piece in chop(url, max(1, width)))
    lines.append((("─" * width, "hr", None),))
    return lines


def block_lines(block: Block, width: int) -> list[Line]:
    """The lines of one block at `width` columns (a blank gap line first when the block needs one)."""
    kind = block.kind
    if kind == "heading":
        lines = _heading_lines(block, width)
    elif kind == "code":
        lines = _code_lines(block, width)
    elif kind == "table":
        lines = table_lines(block, width)
    elif kind == "hr":
        prefix_width = sum(text_width(r[0]) for r in block.rest_prefix)
        lines = [(*block.first_prefix, ("─" * max(1, width - prefix_width), "hr", None))]
    elif kind == "header" and block.header is not None:
        lines = _header_lines(block.header, width)
    else:
        lines = wrap_spans(block.spans, width, block.first_prefix, block.rest_prefix)
    if block.gap:
        gap = tuple(r for r in block.rest_prefix if r[1] == "quote-bar")
        lines.insert(0, (("".join(r[0] for r in gap).rstrip(), "quote-bar", None),) if gap else ())
    return lines
