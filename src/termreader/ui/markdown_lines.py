"""Markdown laid out as styled text lines, block by block, so a reader can show the first screen at once."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Final

from rich.cells import cell_len

from termreader.textutil import strip_unsafe

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

Run = tuple[str, str, int | None]
"""A piece of a line: literal text, a style name ("text", "h2", "em strong" …), a link index or None."""
Line = tuple[Run, ...]
Span = tuple[str, str, int | None]
"""Inline text before wrapping; same shape as a run."""

FIRST_CHUNK_CHARS: Final = 4_000
"""Source parsed before the first screen: comfortably more than one screen of text."""
CHUNK_CHARS: Final = 20_000
"""Source parsed per later step; markdown-it needs about 10 ms for this much on our machines."""
MAX_DEPTH: Final = 8
"""Deepest list/quote nesting drawn; deeper levels reuse the last indent so text keeps a usable width."""
MAX_CONTAINER_MARKERS: Final = 16
"""Quote and list markers kept at the start of a source line: markdown-it drops text nested deeper than
its nesting limit, so deeper markers are removed and the text kept."""
MAX_INDENT: Final = 40
"""Deepest source indentation kept: markdown-it's time grows with the square of list depth (14 s for
10,000 levels), so deeper lines are pulled back to this column."""
MAX_TABLE_ROWS: Final = 1_000
"""Table rows parsed; markdown-it takes about 6 s for 100k rows, so the rest is summarised."""
MAX_COLUMN: Final = 40
"""Widest table column before cells are truncated."""
MIN_TEXT_WIDTH: Final = 12
"""Narrowest wrap width, whatever the indentation."""
CODE_WRAP_MARK: Final = "↪ "
"""Start of a code line continued from the line above (code is wrapped, never cut)."""

# Escape sequences are removed whole (not only their ESC byte), so no payload like "]52;c;…" is left as text.
_ESC_SEQ = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI
    r"|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?"  # OSC, ended by BEL or ST
    r"|\x1b[PX^_][^\x1b\n]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[ -/]*[0-~]?"  # other two- or three-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]?"  # 8-bit CSI
    r"|\x9d[^\x07\x9c\n]*[\x07\x9c]?"  # 8-bit OSC
)
_ONE_MARKER = re.compile(r"[ \t]*(?:>[ \t]?|(?:[-+*]|\d{1,9}[.)])[ \t]+)")
_CONTAINER_PREFIX = re.compile(r"(?:[ \t]*(?:>[ \t]?|(?:[-+*]|\d{1,9}[.)])[ \t]+))+")
_MARKER_STARTS = frozenset(">-+*0123456789")
_LIST_START = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_REF_DEF = re.compile(r"^[ ]{0,3}\[[^\]]+\]:", re.MULTILINE)
_WORDS = re.compile(r"\S+|\s+")
_NOTICE = "\ue000"
"""Private-use character starting our own "rows not shown" paragraph; removed from the source first."""


def sanitize(text: str) -> str:
    """Text safe to draw: escape sequences dropped whole, control characters and bidi overrides removed."""
    if "\x1b" in text or "\x9b" in text or "\x9d" in text:
        text = _ESC_SEQ.sub("", text)
    return strip_unsafe(text.replace("\t", "    "))


def text_width(text: str) -> int:
    """Terminal cells taken by `text` (fast path for ASCII)."""
    return len(text) if text.isascii() else cell_len(text)


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


@dataclass(frozen=True, slots=True)
class Header:
    """The article header drawn above the body."""

    title: str
    meta: tuple[str, ...] = ()
    """Lines such as "By Ada · 3 March 2025 · Example Blog" and "6 min read"."""
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """One leaf block of the document with the prefixes its container lists and quotes give it."""

    kind: str
    """'header', 'heading', 'paragraph', 'image', 'code', 'table', 'hr' or 'notice'."""
    source_line: int
    gap: bool
    first_prefix: Line = ()
    rest_prefix: Line = ()
    spans: tuple[Span, ...] = ()
    level: int = 0
    text: str = ""
    lang: str = ""
    rows: tuple[tuple[tuple[Span, ...], ...], ...] = ()
    aligns: tuple[str, ...] = ()
    number: str = ""
    header: Header | None = None


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


def _lines(source: str) -> Iterator[str]:
    """Lines read lazily: splitting 200k words up front would cost the first screen a few milliseconds."""
    position = 0
    while True:
        end = source.find("\n", position)
        if end < 0:
            yield source[position:]
            return
        yield source[position:end]
        position = end + 1


def _chunks(source: str) -> Iterator[tuple[int, str]]:
    """Split source into independently parseable pieces at top-level block starts (never inside a fence)."""
    if "]:" in source and _REF_DEF.search(source):
        # Reference links resolve across the whole document: parse it in one piece.
        yield 0, _clean_lines(source.split("\n"))
        return
    current: list[str] = []
    start = 0
    size = 0
    limit = FIRST_CHUNK_CHARS
    fence: str | None = None
    previous_blank = False
    for number, line in enumerate(_lines(source)):
        # A non-indented line after a blank one, outside a fence, starts a top-level block: split there.
        if (
            fence is None
            and size >= limit
            and previous_blank
            and line[:1] not in ("", " ", "\t", ">", "|")
            and not _LIST_START.match(line)
        ):
            yield start, _clean_lines(current)
            current = []
            start = number
            size = 0
            limit = CHUNK_CHARS
        match = _FENCE.match(line)
        if match:
            mark = match.group(1)
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence) and not line.strip().strip(mark[0]):
                fence = None
        current.append(line)
        size += len(line) + 1
        previous_blank = not line.strip()
    if current:
        yield start, _clean_lines(current)


def _clean_lines(lines: list[str]) -> str:
    """Cap quote depth and table length in a run of source lines."""
    out: list[str] = []
    table_rows = 0
    dropped = 0
    for line in lines:
        stripped = line.lstrip()
        if len(line) - len(stripped) > MAX_INDENT:
            line = " " * MAX_INDENT + stripped
        prefix = _CONTAINER_PREFIX.match(line) if stripped[:1] in _MARKER_STARTS else None
        if prefix and prefix.end() > MAX_CONTAINER_MARKERS:
            markers = _ONE_MARKER.findall(prefix.group(0))
            if len(markers) > MAX_CONTAINER_MARKERS:
                line = "".join(markers[:MAX_CONTAINER_MARKERS]) + line[prefix.end() :]
        if stripped.startswith("|"):
            table_rows += 1
            if table_rows > MAX_TABLE_ROWS + 2:
                dropped += 1
                continue
        else:
            if dropped:
                out.append("")
                out.append(f"{_NOTICE}{dropped}")
                out.append("")
                dropped = 0
            table_rows = 0
        out.append(line)
    if dropped:
        out.extend(["", f"{_NOTICE}{dropped}"])
    return sanitize("\n".join(out))


class Document:
    """Markdown parsed into blocks one chunk at a time; links are numbered in document order."""

    def __init__(self, markdown: str, header: Header | None = None) -> None:
        self._parser: MarkdownIt | None = None
        """Made on the first parse: a plain-text Document (from_text) never needs it."""
        # Each chunk is sanitised as it is parsed (see _clean_lines), so opening costs no full-text pass.
        if _NOTICE in markdown:
            markdown = markdown.replace(_NOTICE, "")
        self._chunks = _chunks(markdown)
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
                spans = self._spans(tokens[i + 1], f"h{level}") if i + 1 < n else ()
                if any(span[0].strip() for span in spans):
                    self._add("heading", line, level=level, spans=spans, number=self._number(level))
                i += 2
            elif kind in ("fence", "code_block"):
                lang = sanitize(tok.info.strip().split(" ")[0]) if kind == "fence" else ""
                self._add("code", line, text=tok.content, lang=lang)
            elif kind == "hr":
                self._add("hr", line)
            elif kind == "table_open":
                i = self._table(tokens, i, line)
            i += 1

    def _inline_block(self, tok: Token, line: int, hidden: bool) -> None:
        children = tok.children or []
        if tok.content.startswith(_NOTICE) and tok.content[1:].isdigit():
            count = int(tok.content[1:])
            self._add("notice", line, spans=((f"… {count:,} more table rows not shown", "notice", None),))
            return
        if len(children) == 1 and children[0].type == "image":
            image = children[0]
            url = str(image.attrs.get("src", ""))
            alt = sanitize(image.content) or "image"
            index = self._link(url, alt)
            self._add("image", line, hidden, spans=((f"🖼 {alt} — {url}", "image", index),))
            return
        spans = self._spans(tok, "quote" if any(f.kind == "quote" for f in self._frames) else "text")
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

    def _link(self, url: str, text: str) -> int:
        self.links.append((url, text))
        return len(self.links) - 1

    def _spans(self, tok: Token, base: str) -> tuple[Span, ...]:
        """Inline tokens to styled spans; softbreaks become spaces and hard breaks a '\\n' span."""
        spans: list[Span] = []
        marks: list[str] = []
        link: int | None = None
        link_start = 0
        for child in tok.children or []:
            kind = child.type
            if kind == "text":
                if child.content:
                    spans.append((child.content, _style(base, marks, link), link))
            elif kind == "code_inline":
                spans.append((child.content, _style("code", marks, link), link))
            elif kind == "softbreak":
                spans.append((" ", _style(base, marks, link), link))
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
                link = self._link(url, "")
                link_start = len(spans)
            elif kind == "link_close" and link is not None:
                url = self.links[link][0]
                text = "".join(s[0] for s in spans[link_start:]).strip()
                if not text:
                    spans.append((url, _style(base, marks, link), link))
                    text = url
                self.links[link] = (url, sanitize(text))
                link = None
            elif kind == "image":
                url = str(child.attrs.get("src", ""))
                alt = child.content or "image"
                if link is None:
                    index = self._link(url, alt)
                    spans.append((f"🖼 {alt}", "image", index))
                else:
                    spans.append((f"🖼 {alt}", _style(base, marks, link), link))
        return tuple(spans)

    def _table(self, tokens: Sequence[Token], i: int, line: int) -> int:
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
                row.append(self._spans(cell, "th" if header else "text") if cell else ())
            elif tok.type == "tr_close":
                rows.append(tuple(row))
            elif tok.type == "thead_close":
                header = False
            i += 1
        self._add("table", line, rows=tuple(rows), aligns=tuple(aligns))
        return i


def _style(base: str, marks: list[str], link: int | None) -> str:
    parts = [] if base == "text" and (marks or link is not None) else [base]
    parts.extend(sorted(set(marks)))
    if link is not None:
        parts.append("link")
    return " ".join(parts)


# -- layout: blocks to lines at a given width --


def _merge(runs: list[Run]) -> Line:
    merged: list[Run] = []
    for run in runs:
        if merged and merged[-1][1] == run[1] and merged[-1][2] == run[2]:
            last = merged[-1]
            merged[-1] = (last[0] + run[0], last[1], last[2])
        elif run[0]:
            merged.append(run)
    return tuple(merged)


def _chop(text: str, width: int) -> list[str]:
    """Cut text into pieces of at most `width` cells."""
    if text.isascii():
        return [text[i : i + width] for i in range(0, len(text), width)] or [""]
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    for char in text:
        w = cell_len(char)
        if used + w > width and current:
            pieces.append("".join(current))
            current, used = [], 0
        current.append(char)
        used += w
    pieces.append("".join(current))
    return pieces


def wrap_spans(spans: Sequence[Span], width: int, first: Line = (), rest: Line = ()) -> list[Line]:
    """Greedy word wrap of styled spans; words longer than the width are cut."""
    first_width = sum(text_width(r[0]) for r in first)
    rest_width = sum(text_width(r[0]) for r in rest)
    lines: list[Line] = []
    current: list[Run] = list(first)
    avail = max(MIN_TEXT_WIDTH, width - first_width)
    used = 0
    pending_space: Run | None = None

    def newline() -> None:
        nonlocal current, used, avail, pending_space
        lines.append(_merge(current))
        current = list(rest)
        used = 0
        avail = max(MIN_TEXT_WIDTH, width - rest_width)
        pending_space = None

    # A "word" may be made of several spans ("**bold**," is two); it is placed as a whole.
    word: list[Run] = []
    word_width = 0

    def place_word() -> None:
        nonlocal used, word, word_width, pending_space
        if not word:
            return
        if used and used + 1 + word_width > avail:
            newline()
        if used and pending_space is not None:
            current.append(pending_space)
            used += 1
        if word_width <= avail - used:
            current.extend(word)
            used += word_width
        else:
            for text, style, link in word:
                for piece in _chop(text, max(1, avail)):
                    piece_width = text_width(piece)
                    if used + piece_width > avail and used:
                        newline()
                    current.append((piece, style, link))
                    used += piece_width
        word = []
        word_width = 0
        pending_space = None

    for text, style, link in spans:
        if text == "\n":
            place_word()
            newline()
            continue
        for match in _WORDS.finditer(text):
            piece = match.group(0)
            if piece[0].isspace():
                place_word()
                if used:
                    pending_space = (" ", style, link)
            else:
                word.append((piece, style, link))
                word_width += text_width(piece)
    place_word()
    if used or not lines:
        lines.append(_merge(current))
    return lines


def _heading_lines(block: Block, width: int) -> list[Line]:
    lines = wrap_spans(block.spans, width, block.first_prefix, block.rest_prefix)
    if block.level <= 2:
        indent = sum(text_width(r[0]) for r in block.rest_prefix)
        text = max(sum(text_width(r[0]) for r in line) for line in lines) - indent
        if text > 0:
            rule = ("━" if block.level == 1 else "─") * min(text, width - indent)
            lines.append(_merge([*block.rest_prefix, (rule, f"h{block.level}-rule", None)]))
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
        pieces = _chop(raw, inner) if text_width(raw) > inner else [raw]
        if len(pieces) > 1:
            # Continuation lines carry a marker, so re-chop the tail to leave room for it.
            tail = "".join(pieces[1:])
            pieces = [pieces[0], *_chop(tail, max(1, inner - mark_width))]
        for k, piece in enumerate(pieces):
            pad = " " * max(0, inner - text_width(piece) - (mark_width if k else 0))
            runs: list[Run] = [*prefix, (" ", "code-block", None)]
            if k:
                runs.append((CODE_WRAP_MARK, "code-wrap", None))
            runs.append((piece + pad + " ", "code-block", None))
            lines.append(_merge(runs))
            prefix = block.rest_prefix
    return lines


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
            piece = _chop(text, room)[0]
            runs.append((piece, style, link))
            used += text_width(piece)
        runs.append(("…", style, link))
        used += 1
        break
    return runs, used


def _table_lines(block: Block, width: int) -> list[Line]:
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
        lines.append(_merge(runs))
        prefix = block.rest_prefix
        if r == 0:
            rule = "─┼─".join("─" * w for w in widths)
            lines.append((*block.rest_prefix, (rule, "table-border", None)))
    return lines


def _header_lines(header: Header, width: int) -> list[Line]:
    lines = wrap_spans(((sanitize(header.title) or "Untitled", "header-title", None),), width)
    for meta in header.meta:
        lines.extend(wrap_spans(((sanitize(meta), "header-meta", None),), width))
    if header.url:
        url = sanitize(header.url)
        lines.extend(((piece, "header-url", None),) for piece in _chop(url, max(1, width)))
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
        lines = _table_lines(block, width)
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


def line_text(line: Line) -> str:
    """The plain text of a laid-out line."""
    return "".join(run[0] for run in line)


def article_header(
    title: str,
    *,
    byline: str | None = None,
    published: datetime | None = None,
    site_name: str | None = None,
    reading_minutes: int = 0,
    url: str | None = None,
) -> Header:
    """The header block for an article's metadata."""
    meta_parts = [part for part in (byline, _date(published), site_name) if part]
    meta = [" · ".join(meta_parts)] if meta_parts else []
    if reading_minutes:
        meta.append(f"{reading_minutes} min read")
    return Header(title, tuple(meta), url)


def _date(value: datetime | None) -> str | None:
    return f"{value.day} {value:%B %Y}" if value is not None else None


def layout_markdown(markdown: str, width: int, header: Header | None = None) -> Layout:
    """Parse and lay out a whole document at once (for tests, exports and benchmarks)."""
    layout = Layout(Document(markdown, header), width)
    layout.finish()
    return layout
