"""ReaderView in a small app driven by Pilot: scrolling, links, find, headings, resize, literal text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input

from termreader.models import Article
from termreader.ui.reader_view import ReaderView
from termreader.ui.themes import load_all_themes

PARAGRAPH = (
    "The kettle sings before it boils, and the patient reader waits for the second note before pouring. "
    "Green leaves want cooler water than black ones; oolong sits somewhere in between and forgives mistakes."
)


def long_markdown(sections: int = 60) -> str:
    parts = []
    for n in range(1, sections + 1):
        parts.append(f"## Chapter {n}")
        parts.append(PARAGRAPH)
        parts.append(f"Read the [notes for chapter {n}](https://notes.example/ch{n}) before moving on.")
    return "\n\n".join(parts)


ARTICLE = Article(
    title="A slow guide to tea",
    markdown=long_markdown(),
    url="https://kettle.example/slow-guide",
    byline="Ada Brewer",
    published=datetime(2025, 3, 4, tzinfo=UTC),
    site_name="Kettle Notes",
    word_count=2300,
)


class ReaderApp(App[None]):
    """The smallest host: the view, an input to take focus away, and a record of posted messages."""

    def __init__(self) -> None:
        super().__init__()
        self.activated: list[str] = []
        self.find_requests = 0

    def compose(self) -> ComposeResult:
        yield ReaderView(reader_width=60, id="reader")
        yield Input(id="other")

    def on_reader_view_link_activated(self, message: ReaderView.LinkActivated) -> None:
        self.activated.append(message.url)

    def on_reader_view_find_requested(self, message: ReaderView.FindRequested) -> None:
        self.find_requests += 1


def host(pilot: Pilot[None]) -> ReaderApp:
    assert isinstance(pilot.app, ReaderApp)
    return pilot.app


async def settle(pilot: Pilot[None], view: ReaderView) -> None:
    for _ in range(200):
        await pilot.pause()
        if view.layout_complete:
            break
    await pilot.pause()


def screen_lines(view: ReaderView) -> list[str]:
    return [view.render_line(y).text.rstrip() for y in range(view.scrollable_content_region.height)]


async def open_article(pilot: Pilot[None], article: Article = ARTICLE) -> ReaderView:
    view = pilot.app.query_one(ReaderView)
    view.show_article(article)
    view.focus()
    await settle(pilot, view)
    return view


async def test_header_and_body_are_centred_at_reader_width() -> None:
    async with ReaderApp().run_test(size=(100, 20)) as pilot:
        view = await open_article(pilot)
        lines = screen_lines(view)
        margin = (view.scrollable_content_region.width - 60) // 2
        assert margin == 19
        assert lines[0] == " " * margin + "A slow guide to tea"
        assert lines[1] == " " * margin + "Ada Brewer · 4 March 2025 · Kettle Notes"
        assert lines[2] == " " * margin + "10 min read"
        assert lines[3] == " " * margin + "https://kettle.example/slow-guide"
        assert lines[6] == " " * margin + "Chapter 1"


async def test_scroll_keys_move_through_the_article() -> None:
    async with ReaderApp().run_test(size=(100, 20)) as pilot:
        view = await open_article(pilot)
        height = view.scrollable_content_region.height
        await pilot.press("j", "j")
        assert view.scroll_y == 2
        await pilot.press("k")
        assert view.scroll_y == 1
        await pilot.press("space")
        await pilot.pause()
        assert view.scroll_y == 1 + height
        await pilot.press("ctrl+u")
        assert view.scroll_y == 1 + height - height // 2
        await pilot.press("G")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y
        assert view.reading_position == 1.0
        await pilot.press("g")
        await pilot.pause()
        assert view.scroll_y == 0
        assert view.reading_position == 0.0


async def test_tab_moves_between_links_and_enter_posts_the_url() -> None:
    async with ReaderApp().run_test(size=(100, 20)) as pilot:
        view = await open_article(pilot)
        await pilot.press("tab")
        assert view.focused_link is not None
        assert view.focused_link.url == "https://notes.example/ch1"
        await pilot.press("tab", "tab")
        await pilot.press("enter")
        await pilot.pause()
        assert host(pilot).activated == ["https://notes.example/ch3"]
        await pilot.press("shift+tab")
        assert view.focused_link.url == "https://notes.example/ch2"
        # Backwards from the first link wraps to the last one, wherever it is.
        await pilot.press("shift+tab", "shift+tab")
        assert view.focused_link.url == "https://notes.example/ch60"
        assert view.scroll_y > 0


async def test_tab_without_links_moves_focus_to_the_next_widget() -> None:
    async with ReaderApp().run_test(size=(100, 20)) as pilot:
        view = await open_article(pilot, Article(title="No links", markdown="Just *text* here."))
        assert view.has_focus
        await pilot.press("tab")
        assert isinstance(pilot.app.focused, Input)


async def test_click_on_a_link_posts_its_url() -> None:
    async with ReaderApp().run_test(size=(100, 20)) as pilot:
        view = await open_article(pilot)
        lines = screen_lines(view)
        row = next(y for y, text in enumerate(lines) if "notes for chapter 1" in text)
        column = lines[row].index("notes for chapter 1") + 3
        await pilot.click(ReaderView, offset=(column, row))
        await pilot.pause()
        assert host(pilot).activated == ["https://notes.example/ch1"]
        assert view.focused_link is not None
        assert view.focused_link.text == "notes for chapter 1"


async def test_relative_links_resolve_against_the_article_url() -> None:
    article = Article(title="Rel", markdown="See [next part](/part-2).", url="https://kettle.example/part-1")
    async with ReaderApp().run_test(size=(100, 20)) as pilot:
        await open_article(pilot, article)
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert host(pilot).activated == ["https://kettle.example/part-2"]


async def test_find_highlights_and_n_moves_between_matches() -> None:
    async with ReaderApp().run_test(size=(100, 20)) as pilot:
        view = await open_article(pilot)
        await pilot.press("f")
        await pilot.pause()
        assert host(pilot).find_requests == 1
        assert view.find("CHAPTER 40") == 2
        first = view.scroll_y
        assert first > 0
        assert "Chapter 40" in "\n".join(screen_lines(view))
        await pilot.press("n")
        second = view.scroll_y
        assert "notes for chapter 40" in "\n".join(screen_lines(view))
        await pilot.press("n")
        assert view.scroll_y == first
        await pilot.press("N")
        assert view.scroll_y == second
        assert view.find("no such words") == 0


async def test_headings_list_and_jump() -> None:
    async with ReaderApp().run_test(size=(100, 20)) as pilot:
        view = await open_article(pilot)
        headings = view.headings()
        assert len(headings) == 60
        assert (headings[0].text, headings[0].number) == ("Chapter 1", "1")
        target = headings[29]
        assert target.text == "Chapter 30"
        view.jump_to_line(target.line)
        await pilot.pause()
        assert view.scroll_y == target.line
        assert screen_lines(view)[0].strip() == "Chapter 30"


async def test_resize_relayouts_and_keeps_reading_position() -> None:
    async with ReaderApp().run_test(size=(100, 20)) as pilot:
        view = await open_article(pilot)
        view.reading_position = 0.5
        await pilot.pause()
        before = view.reading_position
        lines_before = view.line_count
        await pilot.resize_terminal(44, 20)
        await settle(pilot, view)
        assert view.line_count > lines_before
        assert abs(view.reading_position - before) < 0.03
        await pilot.resize_terminal(100, 20)
        await settle(pilot, view)
        assert view.line_count == lines_before
        assert abs(view.reading_position - before) < 0.03


async def test_web_text_is_shown_literally() -> None:
    article = Article(
        title="[b]Bold[/b] \x1b[2J title",
        markdown="Press [@click=app.quit]here[/] or [red]there[/red] \x1b]52;c;ZXZpbA==\x07now.",
        byline="[link=https://evil.example]Mallory[/link]",
    )
    async with ReaderApp().run_test(size=(100, 20)) as pilot:
        view = await open_article(pilot, article)
        text = [line.strip() for line in screen_lines(view)]
        assert text[0] == "[b]Bold[/b] title"
        assert text[1] == "[link=https://evil.example]Mallory[/link]"
        assert text[2] == "1 min read"
        assert text[5] == "Press [@click=app.quit]here[/] or [red]there[/red] now."
        await pilot.click(ReaderView, offset=(30, 5))
        await pilot.pause()
        assert pilot.app.is_running
        assert host(pilot).activated == []


async def test_show_message_and_clear() -> None:
    async with ReaderApp().run_test(size=(100, 20)) as pilot:
        view = pilot.app.query_one(ReaderView)
        view.show_message("Loading [b]article[/b]…\nfrom the cache")
        await settle(pilot, view)
        assert [line.strip() for line in screen_lines(view)[:3]] == [
            "Loading [b]article[/b]…",
            "",
            "from the cache",
        ]
        view.clear()
        await pilot.pause()
        assert view.line_count == 0
        assert screen_lines(view)[0] == ""


async def test_opening_at_a_saved_position() -> None:
    async with ReaderApp().run_test(size=(100, 20)) as pilot:
        view = pilot.app.query_one(ReaderView)
        view.show_article(ARTICLE, position=0.5)
        await pilot.pause()
        assert view.layout_complete
        assert view.reading_position == 0.5
        assert screen_lines(view)[0].strip() == "Read the notes for chapter 29 before moving on."
        await settle(pilot, view)
        assert view.reading_position == 0.5


async def test_opening_a_long_article_at_a_saved_position() -> None:
    article = Article(title="Long", markdown=long_markdown(600), word_count=22_000)
    async with ReaderApp().run_test(size=(100, 20)) as pilot:
        view = pilot.app.query_one(ReaderView)
        view.show_article(article, position=0.5)
        # Laid out only up to the middle of the source, then scrolled there.
        assert not view.layout_complete
        assert screen_lines(view)[0].strip() == "Chapter 301"
        await settle(pilot, view)
        assert 0.49 < view.reading_position < 0.51


async def test_large_article_shows_the_first_screen_before_layout_completes() -> None:
    article = Article(title="Huge", markdown=long_markdown(3000), word_count=110_000)
    async with ReaderApp().run_test(size=(100, 20)) as pilot:
        view = pilot.app.query_one(ReaderView)
        view.show_article(article)
        assert not view.layout_complete
        assert view.line_count >= 18
        assert [line.strip() for line in screen_lines(view)[:5]] == [
            "Huge",
            "479 min read",
            "─" * 60,
            "",
            "Chapter 1",
        ]
        for _ in range(2000):
            await pilot.pause()
            if view.layout_complete:
                break
        assert view.layout_complete
        assert len(view.headings()) == 3000
        assert view.find("chapter 2999") == 2


async def test_theme_switch_restyles_the_lines(tmp_path: Path) -> None:
    async with ReaderApp().run_test(size=(100, 20)) as pilot:
        for theme in load_all_themes(tmp_path).themes:
            pilot.app.register_theme(theme)
        pilot.app.theme = "termreader-dark"
        view = await open_article(pilot)
        dark_title = view.render_line(0)
        pilot.app.theme = "termreader-paper"
        await pilot.pause()
        paper_title = view.render_line(0)
        assert paper_title.text == dark_title.text
        title_segment = next(segment for segment in paper_title if segment.text == "A slow guide to tea")
        assert title_segment.style is not None
        assert title_segment.style.bgcolor is not None
        assert title_segment.style.bgcolor.triplet is not None
        assert title_segment.style.bgcolor.triplet.hex == "#f4ecd8"
        assert list(paper_title) != list(dark_title)


async def test_reader_width_is_configurable() -> None:
    async with ReaderApp().run_test(size=(100, 20)) as pilot:
        view = await open_article(pilot)
        view.reader_width = 40
        await settle(pilot, view)
        lines = screen_lines(view)
        margin = (view.scrollable_content_region.width - 40) // 2
        assert lines[4] == " " * margin + "─" * 40


async def test_article_given_before_mount_is_shown_once_mounted() -> None:
    view = ReaderView(reader_width=60)
    view.show_article(Article(title="Early", markdown="Set before the view was mounted."))
    app = ReaderApp()
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.app.mount(view, before=0)
        await settle(pilot, view)
        assert [line.strip() for line in screen_lines(view)[:5]] == [
            "Early",
            "1 min read",
            "─" * 60,
            "",
            "Set before the view was mounted.",
        ]


async def test_narrow_pane_body_fits_beside_the_scrollbar() -> None:
    async with ReaderApp().run_test(size=(50, 20)) as pilot:
        view = await open_article(pilot)
        await settle(pilot, view)
        region = view.scrollable_content_region.width
        assert region == 48  # the vertical scrollbar takes two columns
        assert view.links()[0].first_line >= 0
        lines = screen_lines(view)
        assert lines[0] == " A slow guide to tea"
        assert lines[4] == " " + "─" * 46
        # Every laid-out row fits in the region with its one-column margin.
        assert max(len(line) for line in lines) <= 47


async def test_the_cyclic_collector_waits_until_the_article_is_painted() -> None:
    # A full collection set off by opening a long article must not land between Enter and the first screen:
    # the collector is off from show_article until the next refresh, then on again.
    import gc

    was_enabled = gc.isenabled()
    gc.enable()
    try:
        async with ReaderApp().run_test(size=(100, 20)) as pilot:
            reader = pilot.app.query_one(ReaderView)
            await pilot.pause()
            reader.show_article(ARTICLE)
            assert not gc.isenabled()
            await pilot.pause()
            assert "A slow guide to tea" in screen_lines(reader)[0]
            assert gc.isenabled()
            # Held off by someone else (the start-up does so until the lists are settled): left alone.
            gc.disable()
            reader.show_article(ARTICLE)
            await pilot.pause()
            assert not gc.isenabled()
    finally:
        if was_enabled:
            gc.enable()
        else:
            gc.disable()
