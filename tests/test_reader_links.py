"""LinkCursor, link_at and resolve_link on real layouts: where Tab goes, what a click hits, what opens."""

from __future__ import annotations

from termreader.ui.markdown_lines import Document, Layout, layout_markdown
from termreader.ui.reader_links import LinkCursor, link_at, resolve_link

LINKS = 300
MARKDOWN = "\n\n".join(f"Paragraph {n} mentions [note {n}](/notes/{n}) once." for n in range(LINKS))
"""At 40 columns each paragraph is one line, so link n sits on line 2n (a blank line between paragraphs)."""


def partial_layout(lines: int) -> Layout:
    layout = Layout(Document(MARKDOWN), 40)
    layout.ensure_lines(lines)
    assert not layout.complete
    return layout


def test_tab_without_focus_goes_to_the_first_link_in_view() -> None:
    layout = partial_layout(11)
    cursor = LinkCursor()
    assert cursor.target(layout, 1, top=20, height=10) == 10
    assert len(layout.lines) >= 30  # the view's lines were laid out to find it
    assert cursor.focused is None  # target() only chooses; the widget focuses


def test_shift_tab_without_focus_goes_to_the_last_link_in_view() -> None:
    layout = partial_layout(11)
    cursor = LinkCursor()
    assert cursor.target(layout, -1, top=0, height=10) == 4


def test_shift_tab_with_nothing_in_view_wraps_to_the_last_link() -> None:
    layout = partial_layout(11)
    cursor = LinkCursor()
    assert cursor.target(layout, -1, top=0, height=0) == LINKS - 1
    assert layout.complete


def test_tab_from_a_focused_link_lays_out_until_the_next_one() -> None:
    layout = partial_layout(11)
    assert len(layout.link_lines) == 6
    cursor = LinkCursor()
    cursor.focused = 5
    assert cursor.target(layout, 1, top=0, height=10) == 6
    assert layout.link_lines[6] == (12, 12)


def test_tab_and_shift_tab_wrap_round_the_article() -> None:
    layout = partial_layout(11)
    cursor = LinkCursor()
    cursor.focused = 0
    assert cursor.target(layout, -1, top=0, height=10) == LINKS - 1
    assert layout.complete
    cursor.focused = LINKS - 1
    assert cursor.target(layout, 1, top=0, height=10) == 0


def test_no_target_in_an_article_without_links() -> None:
    layout = layout_markdown("Plain prose about tea, with nothing to follow.", 40)
    cursor = LinkCursor()
    assert cursor.target(layout, 1, top=0, height=10) is None
    assert cursor.target(layout, -1, top=0, height=10) is None


def test_keep_within_drops_a_focus_past_the_links_laid_out() -> None:
    cursor = LinkCursor()
    cursor.focused = 7
    cursor.keep_within(8)
    assert cursor.focused == 7
    cursor.keep_within(7)
    assert cursor.focused is None
    cursor.focused = 2
    cursor.clear()
    assert cursor.focused is None


def test_link_at_maps_columns_to_links() -> None:
    line = layout_markdown(MARKDOWN, 40).lines[6]
    assert line == (("Paragraph 3 mentions ", "text", None), ("note 3", "link", 3), (" once.", "text", None))
    assert link_at(line, 20) is None
    assert link_at(line, 21) == 3
    assert link_at(line, 26) == 3
    assert link_at(line, 27) is None
    assert link_at(line, 200) is None
    assert link_at(line, -1) is None
    assert link_at((), 0) is None


def test_link_at_counts_wide_characters_as_two_cells() -> None:
    line = layout_markdown("茶 is [tea](https://tea.example/leaf) here", 40).lines[0]
    assert [run[0] for run in line] == ["茶 is ", "tea", " here"]
    assert link_at(line, 5) is None
    assert link_at(line, 6) == 0
    assert link_at(line, 8) == 0
    assert link_at(line, 9) is None


def test_resolve_link_against_the_article_url() -> None:
    base = "https://kettle.example/posts/slow-guide"
    assert resolve_link(base, "/chart") == "https://kettle.example/chart"
    assert resolve_link(base, "glossary#oolong") == "https://kettle.example/posts/glossary#oolong"
    assert resolve_link(base, "https://gloss.example/tea") == "https://gloss.example/tea"
    assert resolve_link(None, "/chart") == "/chart"
    # Addresses absolute_url refuses are passed on as written (the app decides what to do with them).
    assert resolve_link(base, "mailto:ada@kettle.example") == "mailto:ada@kettle.example"
