"""LinePainter without an app: margins, widths, link focus, find highlights and the style cache."""

from __future__ import annotations

from rich.style import Style

from termreader.ui.markdown_lines import Line
from termreader.ui.reader_styles import COMPONENT_NAMES, READER_CSS, LinePainter

BASE = Style(color="white")
COMPONENTS = {
    "reader--text": Style(),
    "reader--em": Style(italic=True),
    "reader--strong": Style(bold=True),
    "reader--strike": Style(strike=True),
    "reader--link": Style(underline=True),
    "reader--link-focused": Style(reverse=True),
    "reader--find-match": Style(bgcolor="yellow"),
    "reader--find-current": Style(bgcolor="red"),
}


class StyleSource:
    """Stands in for the widget's CSS: fixed Rich styles, counting how often the base style is asked for."""

    def __init__(self) -> None:
        self.base_calls = 0

    def base(self) -> Style:
        self.base_calls += 1
        return BASE

    def component(self, name: str) -> Style:
        return COMPONENTS[name]


def painter() -> tuple[LinePainter, StyleSource]:
    source = StyleSource()
    return LinePainter(source.base, source.component), source


def test_every_component_has_a_css_rule() -> None:
    for name in COMPONENT_NAMES:
        assert f"& > .reader--{name} {{" in READER_CSS, name


def test_a_line_is_indented_by_the_margin_and_padded_to_the_width() -> None:
    paint, _ = painter()
    line: Line = (("Brew the ", "text", None), ("green tea", "link", 0), (" gently.", "em", None))
    strip = paint.paint(line, 40, margin=3, focused_link=None, matches=(), current_match=-1)
    assert strip.cell_length == 40
    assert strip.text == "   Brew the green tea gently." + " " * 11
    segments = [(segment.text, segment.style) for segment in strip if segment.text.strip()]
    assert segments == [
        ("Brew the ", BASE),
        ("green tea", BASE + Style(underline=True)),
        (" gently.", BASE + Style(italic=True)),
    ]


def test_a_missing_line_is_blank_in_the_base_style() -> None:
    paint, _ = painter()
    strip = paint.paint(None, 12, margin=3, focused_link=None, matches=(), current_match=-1)
    assert strip.text == " " * 12
    assert {segment.style for segment in strip} == {BASE}


def test_the_focused_link_gets_the_focus_style() -> None:
    paint, _ = painter()
    line: Line = (("one", "link", 0), (" and ", "text", None), ("two", "link", 1))
    strip = paint.paint(line, 11, margin=0, focused_link=1, matches=(), current_match=-1)
    styles = {segment.text: segment.style for segment in strip}
    assert styles["one"] == BASE + Style(underline=True)
    assert styles["two"] == BASE + Style(underline=True) + Style(reverse=True)


def test_find_matches_split_runs_and_mark_the_current_one() -> None:
    paint, _ = painter()
    line: Line = (
        ("Green tea, black ", "text", None),
        ("tea", "strong", None),
        (" and more tea", "text", None),
    )
    # "tea" at 6-9 (match 4), 17-20 (match 5, current, a whole run) and 30-33 (match 6).
    matches = ((6, 9, 4), (17, 20, 5), (30, 33, 6))
    strip = paint.paint(line, 33, margin=0, focused_link=None, matches=matches, current_match=5)
    assert strip.text == "Green tea, black tea and more tea"
    pieces = [(segment.text, segment.style) for segment in strip]
    match, current = Style(bgcolor="yellow"), Style(bgcolor="red")
    assert pieces == [
        ("Green ", BASE),
        ("tea", BASE + match),
        (", black ", BASE),
        ("tea", BASE + Style(bold=True) + current),
        (" and more ", BASE),
        ("tea", BASE + match),
    ]


def test_style_names_combine_and_old_names_are_renamed() -> None:
    paint, _ = painter()
    assert paint.style("em strong", False) == BASE + Style(italic=True) + Style(bold=True)
    assert paint.style("s", False) == BASE + Style(strike=True)
    assert paint.style("link", True) == BASE + Style(underline=True) + Style(reverse=True)


def test_styles_are_cached_until_cleared() -> None:
    paint, source = painter()
    line: Line = (("Brew", "text", None), (" tea", "em", None))
    for _ in range(5):
        paint.paint(line, 20, margin=2, focused_link=None, matches=(), current_match=-1)
    assert source.base_calls == 1
    paint.clear()
    paint.paint(line, 20, margin=2, focused_link=None, matches=(), current_match=-1)
    assert source.base_calls == 2
