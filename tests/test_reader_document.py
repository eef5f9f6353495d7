"""What the reader shows for an article: the header it builds and the reading time it estimates."""

from __future__ import annotations

from datetime import UTC, datetime

from termreader.models import Article
from termreader.ui.markdown_lines import Header, layout_markdown, line_text
from termreader.ui.reader_document import article_document, reading_minutes


def article(markdown: str, word_count: int = 0) -> Article:
    return Article(
        title="A slow guide to tea",
        markdown=markdown,
        url="https://kettle.example/slow-guide",
        byline="Ada Brewer",
        published=datetime(2025, 3, 4, tzinfo=UTC),
        site_name="Kettle Notes",
        word_count=word_count,
    )


def test_the_document_is_headed_by_the_article_metadata() -> None:
    document = article_document(article("Steep for **three** minutes.", word_count=460))
    assert document.blocks[0].kind == "header"
    assert document.blocks[0].header == Header(
        "A slow guide to tea",
        ("Ada Brewer · 4 March 2025 · Kettle Notes", "2 min read"),
        "https://kettle.example/slow-guide",
    )
    document.parse_all()
    assert [block.kind for block in document.blocks] == ["header", "paragraph"]


def test_the_body_follows_the_header_when_laid_out() -> None:
    text = "Steep for three minutes."
    layout = layout_markdown(text, 60)
    document = article_document(article(text, word_count=4))
    document.parse_all()
    assert [block.spans for block in document.blocks[1:]] == [block.spans for block in layout.document.blocks]
    assert line_text(layout.lines[0]) == text


def test_reading_minutes_prefers_the_counted_words() -> None:
    assert reading_minutes(article("Short.", word_count=2300)) == 10


def test_reading_minutes_are_estimated_when_words_were_not_counted() -> None:
    # 700 words separated by spaces: 700 / 230 words a minute rounds up to 4 minutes.
    assert reading_minutes(article(" ".join(["leaf"] * 700))) == 4
    assert reading_minutes(article("One line.\nAnother line.")) == 1


def test_an_empty_body_has_no_reading_time() -> None:
    assert reading_minutes(article("   \n")) == 0
    document = article_document(article(""))
    assert document.blocks[0].header is not None
    assert document.blocks[0].header.meta == ("Ada Brewer · 4 March 2025 · Kettle Notes",)
