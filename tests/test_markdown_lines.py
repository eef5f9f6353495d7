"""Markdown to styled lines: exact layout of each block kind, link and heading indexes, hostile input."""

from __future__ import annotations

from datetime import UTC, datetime

from termreader.ui.markdown_lines import (
    MAX_TABLE_ROWS,
    Document,
    HeadingEntry,
    Layout,
    LinkEntry,
    article_header,
    layout_markdown,
    line_text,
    sanitize,
)


def texts(markdown: str, width: int = 30) -> list[str]:
    return [line_text(line) for line in layout_markdown(markdown, width).lines]


def test_headings_have_styles_rules_and_outline_numbers() -> None:
    layout = layout_markdown("# Reading *slowly*\n\n## Why it matters\n\n### Small\n\n## Second\n", 30)
    assert [line_text(line) for line in layout.lines] == [
        "Reading slowly",
        "━━━━━━━━━━━━━━",
        "",
        "Why it matters",
        "──────────────",
        "",
        "Small",
        "",
        "Second",
        "──────",
    ]
    assert layout.lines[0] == (("Reading ", "h1", None), ("slowly", "h1 em", None))
    assert layout.lines[6] == (("Small", "h3", None),)
    assert layout.headings == [
        HeadingEntry(1, "Reading slowly", 0, "1"),
        HeadingEntry(2, "Why it matters", 3, "1.1"),
        HeadingEntry(3, "Small", 6, "1.1.1"),
        HeadingEntry(2, "Second", 8, "1.2"),
    ]


def test_paragraph_wraps_with_emphasis_code_and_links() -> None:
    markdown = (
        "Tea is *best* brewed **slowly** with `water_at(85)` as the "
        "[guide to tea](https://tea.example/guide) says."
    )
    layout = layout_markdown(markdown, 28)
    assert [line_text(line) for line in layout.lines] == [
        "Tea is best brewed slowly",
        "with water_at(85) as the",
        "guide to tea says.",
    ]
    assert layout.lines[0] == (
        ("Tea is ", "text", None),
        ("best", "em", None),
        (" brewed ", "text", None),
        ("slowly", "strong", None),
    )
    assert layout.lines[1] == (
        ("with ", "text", None),
        ("water_at(85)", "code", None),
        (" as the", "text", None),
    )
    assert layout.lines[2] == (("guide to tea", "link", 0), (" says.", "text", None))
    assert layout.links() == [LinkEntry("https://tea.example/guide", "guide to tea", 2, 2)]


def test_link_spanning_lines_and_link_indices_in_document_order() -> None:
    markdown = (
        "See [the first long link text](https://a.example/1) then [second](https://b.example/2).\n\n"
        + ("![A red kettle](https://img.example/kettle.png)")
    )
    layout = layout_markdown(markdown, 16)
    assert [line_text(line) for line in layout.lines] == [
        "See the first",
        "long link text",
        "then second.",
        "",
        "🖼 A red kettle —",
        "https://img.exam",
        "ple/kettle.png",
    ]
    assert layout.lines[1] == (("long link text", "link", 0),)
    assert layout.lines[2] == (("then ", "text", None), ("second", "link", 1), (".", "text", None))
    assert layout.links() == [
        LinkEntry("https://a.example/1", "the first long link text", 0, 1),
        LinkEntry("https://b.example/2", "second", 2, 2),
        LinkEntry("https://img.example/kettle.png", "A red kettle", 4, 6),
    ]


def test_nested_lists_hang_their_indents() -> None:
    markdown = (
        "- apples and pears for the whole family to share\n- bread\n"
        "  1. rye\n  2. wheat\n     - spelt\n- milk\n"
    )
    layout = layout_markdown(markdown, 30)
    assert [line_text(line) for line in layout.lines] == [
        "• apples and pears for the",
        "  whole family to share",
        "• bread",
        "  1. rye",
        "  2. wheat",
        "     ◦ spelt",
        "• milk",
    ]
    assert layout.lines[0][0] == ("• ", "list-marker", None)
    assert layout.lines[3][:2] == (("  ", "text", None), ("1. ", "list-marker", None))


def test_ordered_list_keeps_its_start_number_and_loose_items_get_gaps() -> None:
    assert texts("7. seventh\n\n8. eighth\n") == ["7. seventh", "", "8. eighth"]


def test_nested_quotes_get_one_bar_per_level() -> None:
    layout = layout_markdown("> first level quote\n>\n> > second level\n\nafter", 30)
    assert [line_text(line) for line in layout.lines] == [
        "▌ first level quote",
        "▌ ▌",
        "▌ ▌ second level",
        "",
        "after",
    ]
    assert layout.lines[0] == (("▌ ", "quote-bar", None), ("first level quote", "quote", None))


def test_code_block_with_language_label_and_wrap_marker() -> None:
    markdown = "```python\ndef brew(minutes):\n    return minutes * 60  # seconds in total\n```\n"
    layout = layout_markdown(markdown, 30)
    assert [line_text(line) for line in layout.lines] == [
        " python                       ",
        " def brew(minutes):           ",
        "     return minutes * 60  # s ",
        " ↪ econds in total            ",
    ]
    assert layout.lines[0] == ((" python                       ", "code-lang", None),)
    assert layout.lines[3] == (
        (" ", "code-block", None),
        ("↪ ", "code-wrap", None),
        ("econds in total            ", "code-block", None),
    )


def test_table_columns_align_and_truncate() -> None:
    markdown = (
        "| Tool | Stars | Notes |\n|---|---:|:-:|\n| toolong | 3,100 | huge logs |\n"
        "| frogmouth | 2,700 | a very long description that will not fit |\n"
    )
    layout = layout_markdown(markdown, 34)
    assert [line_text(line) for line in layout.lines] == [
        "Tool      │ Stars │     Notes     ",
        "──────────┼───────┼───────────────",
        "toolong   │ 3,100 │   huge logs   ",
        "frogmouth │ 2,700 │ a very long d…",
    ]
    assert layout.lines[0][0] == ("Tool", "th", None)


def test_horizontal_rule_and_hard_break() -> None:
    assert texts("one  \ntwo\n\n---\n", 10) == ["one", "two", "", "──────────"]


def test_article_header_block() -> None:
    header = article_header(
        "Slow tea",
        byline="Ada Brewer",
        published=datetime(2025, 3, 4, tzinfo=UTC),
        site_name="Kettle Notes",
        reading_minutes=6,
        url="https://kettle.example/slow-tea",
    )
    layout = layout_markdown("Body text.", 40, header)
    assert [line_text(line) for line in layout.lines] == [
        "Slow tea",
        "Ada Brewer · 4 March 2025 · Kettle Notes",
        "6 min read",
        "https://kettle.example/slow-tea",
        "─" * 40,
        "",
        "Body text.",
    ]
    assert layout.lines[0] == (("Slow tea", "header-title", None),)


def test_markup_is_literal_text() -> None:
    layout = layout_markdown(
        "Click [@click=app.quit]x[/] and [b]bold[/b] and [link=https://x.example]y[/link]", 80
    )
    assert [line_text(line) for line in layout.lines] == [
        "Click [@click=app.quit]x[/] and [b]bold[/b] and [link=https://x.example]y[/link]"
    ]


def test_escape_sequences_are_removed_whole() -> None:
    hostile = (
        "Start \x1b]52;c;ZXZpbA==\x07 clip \x1b[2J clear "
        "\x1b]8;;https://evil.example\x1b\\hidden\x1b]8;;\x1b\\ end"
    )
    assert texts(hostile, 80) == ["Start clip clear hidden end"]
    assert sanitize("a\x9b31mb\x07c\x00d") == "abcd"


def test_bidi_overrides_and_controls_are_removed() -> None:
    assert texts("safe \u202eevil\u202c text\u2066x\u2069 \x08back", 80) == ["safe evil textx back"]


def test_ten_thousand_nested_quotes_are_bounded() -> None:
    lines = texts(">" * 10_000 + " deep", 40)
    assert lines == ["▌ ▌ ▌ ▌ ▌ ▌ ▌ ▌ deep"]


def test_ten_thousand_nested_list_levels_do_not_recurse() -> None:
    markdown = "\n".join("  " * level + f"- level {level}" for level in range(10_000))
    layout = layout_markdown(markdown, 40)
    texts_ = [line_text(line) for line in layout.lines]
    assert texts_[:2] == ["• level 0", "  ◦ level 1"]
    # Indentation stops growing at the drawing limit, so the text keeps a usable width.
    assert max(len(t) - len(t.lstrip()) for t in texts_) <= 2 * 8


def test_one_megabyte_single_line_is_cut_to_width() -> None:
    layout = layout_markdown("x" * 1_000_000, 80)
    assert len(layout.lines) == 12_500
    assert line_text(layout.lines[0]) == "x" * 80
    assert line_text(layout.lines[-1]) == "x" * 80


def test_unclosed_fence_runs_to_the_end() -> None:
    assert texts("```\nunclosed fence\n\nstill code", 20) == [
        " unclosed fence     ",
        "                    ",
        " still code         ",
    ]


def test_huge_table_is_capped_and_summarised() -> None:
    rows = "".join(f"| {n} | cup {n} |\n" for n in range(100_000))
    layout = layout_markdown("| n | name |\n|---|---|\n" + rows + "\nAfter the table.", 40)
    lines = [line_text(line) for line in layout.lines]
    assert len(lines) == 2 + MAX_TABLE_ROWS + 4
    assert lines[2] == "0   │ cup 0  "
    assert lines[-3] == f"… {100_000 - MAX_TABLE_ROWS:,} more table rows not shown"
    assert lines[-1] == "After the table."


def test_incremental_layout_matches_one_shot_layout() -> None:
    paragraph = "Leaves unfurl in hot water while the kettle cools on the stove. " * 3
    markdown = "\n\n".join(f"## Part {n}\n\n{paragraph}[note {n}](https://n.example/{n})" for n in range(400))
    whole = layout_markdown(markdown, 50)
    document = Document(markdown)
    layout = Layout(document, 50)
    layout.ensure_lines(30)
    assert not document.parsed
    assert 30 <= len(layout.lines) < len(whole.lines)
    layout.finish()
    assert layout.lines == whole.lines
    assert layout.headings == whole.headings
    assert len(layout.links()) == 400
    assert layout.links()[399] == LinkEntry("https://n.example/399", "note 399", 3497, 3498)
    assert whole.headings[399] == HeadingEntry(2, "Part 399", 3491, "400")


def test_reference_links_resolve_across_the_document() -> None:
    layout = layout_markdown(
        "Read [the guide][g].\n\n" + "filler paragraph.\n\n" * 2000 + "[g]: https://g.example/", 40
    )
    assert layout.links()[0] == LinkEntry("https://g.example/", "the guide", 0, 0)


def test_thousands_of_markers_on_one_line_keep_the_text() -> None:
    assert texts("- " * 5000 + "deep item", 40) == ["• ◦ ▪ ▫ • ◦ ▪ ▫ deep item"]


def test_autolinks_strikethrough_and_combined_marks() -> None:
    layout = layout_markdown(
        "Old ~~price~~ at <https://shop.example/a> and ***both*** and [**bold link**](https://b.example).", 80
    )
    assert layout.lines == [
        (
            ("Old ", "text", None),
            ("price", "s", None),
            (" at ", "text", None),
            ("https://shop.example/a", "link", 0),
            (" and ", "text", None),
            ("both", "em strong", None),
            (" and ", "text", None),
            ("bold link", "strong link", 1),
            (".", "text", None),
        )
    ]
    assert layout.links() == [
        LinkEntry("https://shop.example/a", "https://shop.example/a", 0, 0),
        LinkEntry("https://b.example", "bold link", 0, 0),
    ]


def test_raw_html_is_text() -> None:
    assert texts("<script>alert(1)</script> <b>hi</b>", 80) == ["<script>alert(1)</script> <b>hi</b>"]
