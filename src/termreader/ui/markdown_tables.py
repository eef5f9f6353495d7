"""Markdown tables: cells read from the token stream, and laid out in aligned, truncated columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from termreader.ui.markdown_blocks import Block
from termreader.ui.markdown_inline import inline_spans
from termreader.ui.markdown_runs import Line, Run, Span, chop, merge_runs, text_width
from termreader.ui.markdown_wrap import MIN_TEXT_WIDTH

if TYPE_CHECKING:
    from markdown_it.token import Token

MAX_COLUMN: Final = 40
"""Widest table column before cells are truncated."""

Rows = tuple[tuple[tuple[Span, ...], ...], ...]
"""Table rows, each a tuple of cells, each cell its inline spans."""


def table_rows(
    tokens: Sequence[Token], i: int, links: list[tuple[str, str]]
) -> tuple[Rows, tuple[str, ...], int]:
    """The rows and column alignments of the table opened at `tokens[i]`, and the index of its close."""
    rows: list[tuple[tuple[Span, ...], ...]] = []
    aligns: list[str] = []
    row: list[tuple[Span, ...]] = []
    header = True
    n = len(tokens)
    while i < n and tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "tr_open":
            row = []
        elif tok.type in ("th_open", "td_open"):
            if header:
                style = str(tok.attrs.get("style", ""))
                aligns.append(style.partition(":")[2] or "left")
            cell = tokens[i + 1] if i + 1 < n and tokens[i + 1].type == "inline" else None
            row.append(inline_spans(cell, "th" if header else "text", links) if cell else ())
        elif tok.type == "tr_close":
            rows.append(tuple(row))
        elif tok.type == "thead_close":
            header = False
        i += 1
    return tuple(rows), tuple(aligns), i


def _truncate(spans: Sequence[Span], width: int) -> tuple[list[Run], int]:
    runs: list[Run] = []
    used = 0
    for text, style, link in spans:
        text = text.replace("\n", " ")
        w = text_width(text)
        if used + w <= width:
            runs.append((text, style, link))
            used += w
            continue
        room = width - used - 1
        if room > 0:
            piece = chop(text, room)[0]
            runs.append((piece, style, link))
            used += text_width(piece)
        runs.append(("…", style, link))
        used += 1
        break
    return runs, used


def table_lines(block: Block, width: int) -> list[Line]:
    """A table block's lines: columns shrunk widest-first to fit, a rule under the header row."""
    prefix_width = sum(text_width(r[0]) for r in block.rest_prefix)
    avail = max(MIN_TEXT_WIDTH, width - prefix_width)
    columns = max((len(row) for row in block.rows), default=0)
    if not columns:
        return []
    natural = [1] * columns
    for row in block.rows:
        for c, cell in enumerate(row):
            natural[c] = max(natural[c], min(MAX_COLUMN, sum(text_width(s[0]) for s in cell)))
    budget = avail - 3 * (columns - 1)
    widths = natural[:]
    while sum(widths) > budget and max(widths) > 3:
        widest = widths.index(max(widths))
        widths[widest] -= 1
    lines: list[Line] = []
    prefix = block.first_prefix
    for r, row in enumerate(block.rows):
        runs: list[Run] = list(prefix)
        for c in range(columns):
            cell = row[c] if c < len(row) else ()
            cell_runs, used = _truncate(cell, widths[c])
            pad = " " * (widths[c] - used)
            align = block.aligns[c] if c < len(block.aligns) else "left"
            if align == "right":
                runs.append((pad, "text", None))
                runs.extend(cell_runs)
            elif align == "center":
                runs.append((pad[: len(pad) // 2], "text", None))
                runs.extend(cell_runs)
                runs.append((pad[len(pad) // 2 :], "text", None))
            else:
                runs.extend(cell_runs)
                runs.append((pad, "text", None))
            if c < columns - 1:
                runs.append((" │ ", "table-border", None))
        lines.append(merge_runs(runs))
        prefix = block.rest_prefix
        if r == 0:
            rule = "─┼─".join("─" * w for w in widths)
            lines.append((*block.rest_prefix, (rule, "table-border", None)))
    return lines
