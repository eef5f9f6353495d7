"""ArticleSearch on real layouts: exact match places, incremental scans, wrapping navigation, re-layout."""

from __future__ import annotations

from termreader.ui.markdown_lines import Document, Layout, layout_markdown
from termreader.ui.reader_search import ArticleSearch

NOTES = (
    "# Tea notes\n\n"
    "The kettle sings. Green tea wants cool water; TEA leaves unfurl.\n\n"
    "See [the brewing chart](/chart) and [a glossary](https://gloss.example/tea).\n\n"
    "- one tea\n- two\n"
)
"""Laid out at 30 columns: 'Tea notes' on line 0, the paragraph on lines 3-5, the list on lines 10-11."""


def long_markdown(paragraphs: int) -> str:
    return "\n\n".join(
        f"Paragraph {n} brews a pot of oolong, then a second pot for the guests." for n in range(paragraphs)
    )


def test_matches_are_case_insensitive_with_exact_places() -> None:
    layout = layout_markdown(NOTES, 30)
    search = ArticleSearch()
    search.start("tea")
    search.scan(layout.lines)
    assert search.matches == [(0, 0, 3), (3, 24, 27), (4, 18, 21), (10, 6, 9)]
    assert search.count == 4
    assert search.current == -1
    assert list(search.on_line(4)) == [(18, 21, 2)]
    assert list(search.on_line(2)) == []


def test_find_text_is_literal_not_a_pattern() -> None:
    layout = layout_markdown("A cup of tea. Or a cupxof coffee.", 60)
    search = ArticleSearch()
    search.start("cup.")
    search.scan(layout.lines)
    assert search.matches == []
    search.start("tea.")
    search.scan(layout.lines)
    assert search.matches == [(0, 9, 13)]


def test_empty_text_finds_nothing() -> None:
    layout = layout_markdown(NOTES, 30)
    search = ArticleSearch()
    search.start("")
    search.scan(layout.lines)
    assert search.count == 0
    assert search.next() is None
    assert search.previous() is None
    assert search.current == -1


def test_scanning_as_layout_proceeds_finds_each_match_once() -> None:
    markdown = long_markdown(400)
    whole = layout_markdown(markdown, 40)
    expected = ArticleSearch()
    expected.start("oolong")
    expected.scan(whole.lines)

    layout = Layout(Document(markdown), 40)
    search = ArticleSearch()
    search.start("oolong")
    layout.step(5)
    search.scan(layout.lines)
    first_slice = search.count
    assert 0 < first_slice < expected.count
    for _ in range(10_000):
        if layout.complete:
            break
        layout.step(20)
        search.scan(layout.lines)
    search.scan(layout.lines)  # a scan with no new lines adds nothing
    assert layout.complete
    assert search.matches == expected.matches
    assert search.count == 400
    assert [number for _, _, number in search.on_line(search.matches[-1][0])] == [399]


def test_next_and_previous_wrap_and_return_the_line() -> None:
    layout = layout_markdown(NOTES, 30)
    search = ArticleSearch()
    search.start("tea")
    search.scan(layout.lines)
    assert search.next() == 0
    assert search.current == 0
    assert search.next() == 3
    assert search.previous() == 0
    assert search.previous() == 10  # wraps from the first match to the last
    assert search.current == 3
    assert search.next() == 0  # and from the last back to the first
    assert search.select(2) == 4
    assert search.current == 2


def test_first_from_picks_the_first_match_at_or_below_a_line() -> None:
    layout = layout_markdown(NOTES, 30)
    search = ArticleSearch()
    search.start("tea")
    search.scan(layout.lines)
    assert search.first_from(0) == 0
    assert search.first_from(3) == 1
    assert search.first_from(5) == 3
    assert search.first_from(11) == 0  # nothing below: back to the first


def test_rescan_at_another_width_keeps_the_current_match() -> None:
    markdown = long_markdown(6)
    search = ArticleSearch()
    search.start("pot")
    search.scan(layout_markdown(markdown, 80).lines)
    assert search.count == 12
    search.select(7)
    narrow = layout_markdown(markdown, 24)
    search.rescan(narrow.lines)
    assert search.count == 12
    assert search.current == 7
    assert search.matches[:4] == [(0, 20, 23), (2, 0, 3), (4, 20, 23), (6, 0, 3)]
    # Fewer lines than before (a partial layout): the current match falls back to the last one found.
    search.rescan(narrow.lines[:7])
    assert search.count == 4
    assert search.current == 3


def test_clear_stops_searching() -> None:
    layout = layout_markdown(NOTES, 30)
    search = ArticleSearch()
    search.start("tea")
    search.scan(layout.lines)
    search.next()
    search.clear()
    assert search.count == 0
    assert search.current == -1
    search.scan(layout.lines)
    assert search.matches == []
