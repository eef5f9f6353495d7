"""Markdown parsed chunk by chunk into leaf blocks carrying their list and quote prefixes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from termreader.ui.markdown_blocks import Block, Header
from termreader.ui.markdown_inline import add_link, inline_spans
from termreader.ui.markdown_runs import Line, Run, sanitize, text_width
from termreader.ui.markdown_source import NOTICE, source_chunks
from termreader.ui.markdown_tables import table_rows

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

MAX_DEPTH: Final = 8
"""Deepest list/quote nesting drawn; deeper levels reuse the last indent so text keeps a usable width."""


@dataclass(slots=True)
class _Frame:
    kind: str  # 'quote', 'bullet', 'ordered', 'item'
    list_id: int = 0
    counter: int = 0
    marker: str = ""
    marker_pending: bool = False


def _make_parser() -> MarkdownIt:
    # Imported here: the app's first screen (lists, a notice in the reader) never needs markdown-it (~20 ms).
    from markdown_it import MarkdownIt

    # html=False: raw HTML in an article is shown as text, never interpreted.
    # maxNesting 100 (markdown-it's "default" preset) instead of commonmark's 20: our caps on quote markers
    # and indentation keep real depth far below it, and text nested deeper than the limit would be dropped.
    return MarkdownIt("commonmark", {"html": False, "maxNesting": 100}).enable(["table", "strikethrough"])


class Document:
    """Markdown parsed into blocks one chunk at a time; links are numbered in document order."""

    def __init__(self, markdown: str, header: Header | None = None) -> None:
        self._parser: MarkdownIt | None = None
        """Made on the first parse: a plain-text Document (from_text) never needs it."""
        # Each chunk is sanitised as it is parsed (see clean_lines), so opening costs no full-text pass.
        if NOTICE in markdown:
            markdown = markdown.replace(NOTICE, "")
        self._chunks = source_chunks(markdown)
        self.source_lines = markdown.count("\n") + 1
        self.source_chars = len(markdown)
        self.blocks: list[Block] = []
        self.links: list[tuple[str, str]] = []
        """(url, text) per link index."""
        self.parsed = False
        self._frames: list[_Frame] = []
        self._list_ids = 0
        self._prev_lists: frozenset[int] = frozenset()
        self._heading_counts = [0] * 7
        self._top_level = 0
        if header is not None:
            self.blocks.append(Block("header", 0, False, header=header))

    @classmethod
    def from_text(cls, text: str, style: str = "notice") -> Document:
        """A document of plain paragraphs (one per line of `text`), never parsed as Markdown."""
        doc = cls("")
        doc.parsed = True
        for number, line in enumerate(sanitize(text).split("\n")):
            doc.blocks.append(Block("paragraph", number, number > 0, spans=((line, style, None),)))
        return doc

    def parse_next(self) -> int:
        """Parse the next chunk of source; returns the number of blocks added (0 once all is parsed)."""
        if self.parsed:
            return 0
        before = len(self.blocks)
        while len(self.blocks) == before:
            try:
                start, text = next(self._chunks)
            except StopIteration:
                self.parsed = True
                break
            self._frames = []
            if self._parser is None:
                self._parser = _make_parser()
            self._add_tokens(self._parser.parse(text), start)
        return len(self.blocks) - before

    def parse_all(self) -> None:
        """Parse everything that is left."""
        while not self.parsed:
            self.parse_next()

    # -- token stream to blocks (iterative: the stream is flat, nesting is open/close pairs) --

    def _prefixes(self) -> tuple[Line, Line]:
        first: list[Run] = []
        rest: list[Run] = []
        depth = 0
        for frame in self._frames:
            if frame.kind == "quote":
                depth += 1
                if depth <= MAX_DEPTH:
                    first.append(("▌ ", "quote-bar", None))
                    rest.append(("▌ ", "quote-bar", None))
            elif frame.kind == "item":
                depth += 1
                width = text_width(frame.marker)
                if frame.marker_pending:
                    run: Run = (frame.marker, "list-marker", None)
                    frame.marker_pending = False
                else:
                    run = (" " * width, "text", None)
                if depth <= MAX_DEPTH:
                    first.append(run)
                    rest.append((" " * width, "text", None))
                elif first and run[1] == "list-marker":
                    # Too deep to indent further: show the marker in place of the last indent.
                    text, _, _ = first[-1]
                    first[-1] = (run[0].rjust(len(text))[: len(text)], "list-marker", None)
        return tuple(first), tuple(rest)

    def _gap(self, hidden: bool) -> bool:
        lists = frozenset(f.list_id for f in self._frames if f.kind in ("bullet", "ordered"))
        gap = bool(self.blocks) and not (hidden and lists & self._prev_lists)
        self._prev_lists = lists
        return gap

    def _add(self, kind: str, line: int, hidden: bool = False, **fields: object) -> None:
        first, rest = self._prefixes()
        self.blocks.append(
            Block(kind, line, self._gap(hidden), first, rest, **fields)  # type: ignore[arg-type]
        )

    def _add_tokens(self, tokens: Sequence[Token], offset: int) -> None:
        i = 0
        n = len(tokens)
        hidden = False
        while i < n:
            tok = tokens[i]
            kind = tok.type
            line = offset + (tok.map[0] if tok.map else 0)
            if kind == "blockquote_open":
                self._frames.append(_Frame("quote"))
            elif kind in ("bullet_list_open", "ordered_list_open"):
                self._list_ids += 1
                start = tok.attrs.get("start", 1)
                self._frames.append(
                    _Frame(
                        "ordered" if kind == "ordered_list_open" else "bullet",
                        list_id=self._list_ids,
                        counter=int(start) if isinstance(start, int | str) else 1,
                    )
                )
            elif kind == "list_item_open":
                parent = self._frames[-1] if self._frames else _Frame("bullet")
                bullets = sum(1 for f in self._frames if f.kind == "bullet")
                if parent.kind == "ordered":
                    marker = f"{parent.counter}{tok.markup or '.'} "
                    parent.counter += 1
                else:
                    marker = "•◦▪▫"[max(0, bullets - 1) % 4] + " "
                self._frames.append(_Frame("item", marker=marker, marker_pending=True))
            elif kind in ("blockquote_close", "bullet_list_close", "ordered_list_close", "list_item_close"):
                if self._frames:
                    self._frames.pop()
            elif kind == "paragraph_open":
                hidden = tok.hidden
            elif kind == "inline":
                self._inline_block(tok, line, hidden)
            elif kind == "heading_open":
                level = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 1
                spans = inline_spans(tokens[i + 1], f"h{level}", self.links) if i + 1 < n else ()
                if any(span[0].strip() for span in spans):
                    self._add("heading", line, level=level, spans=spans, number=self._number(level))
                i += 2
            elif kind in ("fence", "code_block"):
                lang = sanitize(tok.info.strip().split(" ")[0]) if kind == "fence" else ""
                self._add("code", line, text=tok.content, lang=lang)
            elif kind == "hr":
                self._add("hr", line)
            elif kind == "table_open":
                rows, aligns, i = table_rows(tokens, i, self.links)
                self._add("table", line, rows=rows, aligns=aligns)
            i += 1

    def _inline_block(self, tok: Token, line: int, hidden: bool) -> None:
        children = tok.children or []
        if tok.content.startswith(NOTICE) and tok.content[1:].isdigit():
            count = int(tok.content[1:])
            self._add("notice", line, spans=((f"… {count:,} more table rows not shown", "notice", None),))
            return
        if len(children) == 1 and children[0].type == "image":
            image = children[0]
            url = str(image.attrs.get("src", ""))
            alt = sanitize(image.content) or "image"
            index = add_link(self.links, url, alt)
            self._add("image", line, hidden, spans=((f"🖼 {alt} — {url}", "image", index),))
            return
        base = "quote" if any(f.kind == "quote" for f in self._frames) else "text"
        spans = inline_spans(tok, base, self.links)
        if spans:
            self._add("paragraph", line, hidden, spans=spans)

    def _number(self, level: int) -> str:
        if not self._top_level or level < self._top_level:
            self._top_level = level
        counts = self._heading_counts
        counts[level] += 1
        for deeper in range(level + 1, 7):
            counts[deeper] = 0
        parts = [counts[lv] for lv in range(self._top_level, level + 1)]
        return ".".join(str(max(part, 1)) for part in parts)
