"""Reading positions on real layouts: fractions, saved positions reopened, places kept across widths."""

from __future__ import annotations

from termreader.ui.markdown_lines import Document, Layout, layout_markdown, line_text
from termreader.ui.reader_position import line_at_place, line_at_source_fraction, place_at, reading_fraction

MARKDOWN = "\n\n".join(
    f"Paragraph {n} is about a pot of oolong and the second pot for the guests." for n in range(100)
)
"""100 paragraphs, one every other source line: one line each at 80 columns, three at 30."""


def test_fraction_of_a_complete_layout_follows_the_scroll_offset() -> None:
    layout = layout_markdown(MARKDOWN, 80)
    assert len(layout.lines) == 199
    assert reading_fraction(layout, 0.0, 20) == 0.0
    assert reading_fraction(layout, 89.5, 20) == 0.5  # 179 lines can scroll by a view of 20
    assert reading_fraction(layout, 500.0, 20) == 1.0
    assert reading_fraction(layout, 0.0, 400) == 0.0  # all of it fits: nothing to scroll


def test_fraction_of_a_partial_layout_comes_from_the_source_line() -> None:
    layout = Layout(Document(MARKDOWN), 30)
    layout.ensure_lines(10)
    assert not layout.complete
    # Line 9 belongs to the third paragraph, which starts on source line 4 of 199.
    assert line_text(layout.lines[9]).startswith("oolong")
    assert reading_fraction(layout, 9.0, 20) == 4 / 199


def test_fraction_of_an_empty_layout_is_zero() -> None:
    assert reading_fraction(Layout(Document(""), 30), 0.0, 10) == 0.0


def test_saved_fraction_reopens_at_the_block_it_names() -> None:
    layout = Layout(Document(MARKDOWN), 30)
    line = line_at_source_fraction(layout, 0.5)
    # Half of 199 source lines is paragraph 50; its text starts after the gap line of its block.
    assert line == 200
    assert line_text(layout.lines[line]) == "Paragraph 50 is about a pot of"
    assert line_at_source_fraction(layout, 0.0) == 0


def test_place_survives_a_change_of_width() -> None:
    wide = layout_markdown(MARKDOWN, 80)
    narrow = layout_markdown(MARKDOWN, 30)
    assert place_at(wide, 10) == (5, 0.5)  # block 5 is lines 9-10: a gap line and its text
    assert place_at(narrow, 22) == (5, 0.75)  # block 5 is lines 19-22 at 30 columns
    assert place_at(narrow, 23) == (6, 0.0)
    fresh = Layout(Document(MARKDOWN), 30)
    line = line_at_place(fresh, 5, 0.5)
    assert line == 21
    assert line_text(fresh.lines[line]) == "oolong and the second pot for"
    assert line_at_place(Layout(Document(MARKDOWN), 80), *place_at(narrow, 21)) == 10


def test_place_in_an_empty_layout_is_the_top() -> None:
    empty = Layout(Document(""), 30)
    assert place_at(empty, 0) == (0, 0.0)
    assert line_at_place(Layout(Document(""), 30), 3, 0.5) == 0
