"""Where a reader is in a laid-out article: as a fraction of it, and as a place that survives a re-layout."""

from __future__ import annotations

from termreader.ui.markdown_lines import Layout


def reading_fraction(layout: Layout, scroll_y: float, height: int) -> float:
    """How far through the article a view scrolled to `scroll_y` is, from 0 to 1.

    Before layout is complete the total number of lines is unknown, so the fraction is taken from the
    source line of the block at the top instead.
    """
    if not layout.lines:
        return 0.0
    if layout.complete:
        span = max(0, len(layout.lines) - height)
        return min(1.0, scroll_y / span) if span else 0.0
    block = layout.document.blocks[layout.block_at_line(round(scroll_y))]
    return min(1.0, block.source_line / max(1, layout.document.source_lines))


def line_at_source_fraction(layout: Layout, fraction: float) -> int:
    """The first line of the block at `fraction` of the source, laying out (synchronously) up to it."""
    target = fraction * layout.document.source_lines
    while not layout.complete:
        blocks = layout.document.blocks
        done = len(layout.block_starts)
        if done and blocks[done - 1].source_line >= target:
            break
        layout.step(50)
    line = layout.block_starts[layout.block_at_line(len(layout.lines))] if layout.block_starts else 0
    for b, block in enumerate(layout.document.blocks[: len(layout.block_starts)]):
        if block.source_line >= target:
            line = layout.block_starts[b] + (1 if block.gap else 0)
            break
    return line


def place_at(layout: Layout, top: int) -> tuple[int, float]:
    """The block holding line `top` and how far into that block's lines it is (0 to 1)."""
    block = layout.block_at_line(top)
    starts = layout.block_starts
    if not starts:
        return block, 0.0
    end = starts[block + 1] if block + 1 < len(starts) else len(layout.lines)
    return block, (top - starts[block]) / max(1, end - starts[block])


def line_at_place(layout: Layout, block: int, within: float) -> int:
    """The line at a place from `place_at` in a layout at another width, laying out up to that block."""
    layout.ensure_block(block + 1)
    starts = layout.block_starts
    if block >= len(starts):
        return 0
    end = starts[block + 1] if block + 1 < len(starts) else len(layout.lines)
    return starts[block] + round(within * (end - starts[block]))
