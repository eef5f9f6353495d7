"""A document laid out progressively at one width, with the heading and link indexes built alongside."""

from __future__ import annotations

from dataclasses import dataclass, field

from termreader.ui.markdown_block_lines import block_lines
from termreader.ui.markdown_blocks import Block, Header
from termreader.ui.markdown_document import Document
from termreader.ui.markdown_runs import Line


@dataclass(frozen=True, slots=True)
class HeadingEntry:
    """A heading for the table of contents: where it starts in the laid-out lines."""

    level: int
    text: str
    line: int
    number: str = ""
    """Outline number such as "2.1", counted from the document's top heading level."""


@dataclass(frozen=True, slots=True)
class LinkEntry:
    """A link in document order; its index is the link index carried by its runs."""

    url: str
    text: str
    first_line: int
    last_line: int = -1


@dataclass(slots=True)
class Layout:
    """A document laid out at one width, extended block by block until complete."""

    document: Document
    width: int
    lines: list[Line] = field(default_factory=list)
    block_starts: list[int] = field(default_factory=list)
    """First line of each laid-out block (gap line included)."""
    headings: list[HeadingEntry] = field(default_factory=list)
    link_lines: list[tuple[int, int]] = field(default_factory=list)
    """(first_line, last_line) per link index laid out so far."""

    @property
    def complete(self) -> bool:
        return self.document.parsed and len(self.block_starts) == len(self.document.blocks)

    def step(self, max_blocks: int = 200) -> int:
        """Lay out up to `max_blocks` more blocks (parsing more source when needed); returns lines added."""
        before = len(self.lines)
        doc = self.document
        for _ in range(max_blocks):
            index = len(self.block_starts)
            if index >= len(doc.blocks) and not doc.parse_next():
                break
            self._lay_out(doc.blocks[index])
        return len(self.lines) - before

    def ensure_lines(self, count: int) -> None:
        """Lay out until at least `count` lines exist or the document ends."""
        while len(self.lines) < count and not self.complete:
            # One block at a time: a bigger step could parse a whole further chunk that is not needed yet.
            self.step(1)

    def ensure_block(self, index: int) -> None:
        """Lay out until block `index` has lines, or the document ends."""
        while len(self.block_starts) <= index and not self.complete:
            self.step(200)

    def finish(self) -> None:
        """Lay out everything."""
        while not self.complete:
            self.step(1000)

    def links(self) -> list[LinkEntry]:
        """Links laid out so far, indexed by link index."""
        doc_links = self.document.links
        return [
            LinkEntry(doc_links[i][0], doc_links[i][1], first, last)
            for i, (first, last) in enumerate(self.link_lines)
        ]

    def block_at_line(self, line: int) -> int:
        """Index of the block holding `line` (binary search over block starts)."""
        starts = self.block_starts
        lo, hi = 0, len(starts) - 1
        if hi < 0:
            return 0
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= line:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def _lay_out(self, block: Block) -> None:
        start = len(self.lines)
        self.block_starts.append(start)
        new = block_lines(block, self.width)
        if block.kind == "heading":
            text = "".join(s[0] for s in block.spans).strip()
            self.headings.append(
                HeadingEntry(block.level, text, start + (1 if block.gap else 0), block.number)
            )
        link_lines = self.link_lines
        for offset, line in enumerate(new):
            y = start + offset
            for _, _, link in line:
                if link is None:
                    continue
                while len(link_lines) <= link:
                    link_lines.append((y, y))
                first, _ = link_lines[link]
                link_lines[link] = (first, y)
        self.lines.extend(new)


def layout_markdown(markdown: str, width: int, header: Header | None = None) -> Layout:
    """Parse and lay out a whole document at once (for tests, exports and benchmarks)."""
    layout = Layout(Document(markdown, header), width)
    layout.finish()
    return layout
