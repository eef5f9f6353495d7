"""Markdown laid out as styled text lines, block by block, so a reader can show the first screen at once.

The work is split by job: markdown_source (chunking and capping the source), markdown_document (tokens to
blocks), markdown_inline (inline spans and links), markdown_tables, markdown_wrap (words into lines),
markdown_block_lines (one block at a width) and markdown_layout (the progressive Layout). This module keeps
the names the reader, the tests and the benchmarks import.
"""

from __future__ import annotations

from termreader.ui.markdown_block_lines import CODE_WRAP_MARK as CODE_WRAP_MARK
from termreader.ui.markdown_block_lines import block_lines as block_lines
from termreader.ui.markdown_blocks import Block as Block
from termreader.ui.markdown_blocks import Header as Header
from termreader.ui.markdown_blocks import article_header as article_header
from termreader.ui.markdown_document import MAX_DEPTH as MAX_DEPTH
from termreader.ui.markdown_document import Document as Document
from termreader.ui.markdown_layout import HeadingEntry as HeadingEntry
from termreader.ui.markdown_layout import Layout as Layout
from termreader.ui.markdown_layout import LinkEntry as LinkEntry
from termreader.ui.markdown_layout import layout_markdown as layout_markdown
from termreader.ui.markdown_runs import Line as Line
from termreader.ui.markdown_runs import Run as Run
from termreader.ui.markdown_runs import Span as Span
from termreader.ui.markdown_runs import line_text as line_text
from termreader.ui.markdown_runs import sanitize as sanitize
from termreader.ui.markdown_runs import text_width as text_width
from termreader.ui.markdown_source import CHUNK_CHARS as CHUNK_CHARS
from termreader.ui.markdown_source import FIRST_CHUNK_CHARS as FIRST_CHUNK_CHARS
from termreader.ui.markdown_source import MAX_CONTAINER_MARKERS as MAX_CONTAINER_MARKERS
from termreader.ui.markdown_source import MAX_INDENT as MAX_INDENT
from termreader.ui.markdown_source import MAX_TABLE_ROWS as MAX_TABLE_ROWS
from termreader.ui.markdown_tables import MAX_COLUMN as MAX_COLUMN
from termreader.ui.markdown_wrap import MIN_TEXT_WIDTH as MIN_TEXT_WIDTH
from termreader.ui.markdown_wrap import wrap_spans as wrap_spans
