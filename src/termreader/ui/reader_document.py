"""What the reader shows for an article: a header (title, byline, date, site, reading time) over the body."""

from __future__ import annotations

import math

from termreader.models import WORDS_PER_MINUTE, Article
from termreader.ui.markdown_lines import Document, article_header


def article_document(article: Article) -> Document:
    """The article's Markdown as a document headed by its metadata, ready to be laid out."""
    header = article_header(
        article.title,
        byline=article.byline,
        published=article.published,
        site_name=article.site_name,
        reading_minutes=reading_minutes(article),
        url=article.url,
    )
    return Document(article.markdown, header)


def reading_minutes(article: Article) -> int:
    """The article's own estimate, or one from a cheap word estimate when extraction did not count words."""
    if article.word_count > 0 or not article.markdown.strip():
        return article.reading_minutes
    # Counting spaces and newlines runs at C speed (about 2 ms for 200k words); a regex count takes 50 ms.
    words = article.markdown.count(" ") + article.markdown.count("\n") + 1
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
