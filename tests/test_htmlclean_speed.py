"""The shortcuts in the clean-up passes answer exactly as the long way does."""

from __future__ import annotations

import lxml.html
import pytest

from termreader.htmlclean import _NOISE_TOKEN, MAX_TABLE_ROWS, _noise_token, cap_table_rows, is_noise
from termreader.htmltree import document_fromstring, fragment_fromstring
from termreader.markdown_convert import MAX_DEPTH, flatten_deep


@pytest.mark.parametrize(
    "token",
    [
        "comments",
        "Comments",
        "COMMENT-LIST",
        "Share-Bar",
        "jp-sharing-enabled",
        "JP-SHARING-",
        "relatedposts",
        "Popular-Posts",
        "Mc4wp-Form",
        "subscription-widget-wrap",
        "tagcloud",
        "TAG-CLOUD",
        "post-labels",
        "article",
        "x",
        "\u017fhare",  # long s: re.IGNORECASE folds it to "s"
        "comment\u0131",  # dotless i
        "\u0130",
        "tag\u212aloud",  # Kelvin sign
        "caf\u00e9-comments",
    ],
)
def test_noise_token_answers_as_the_ignorecase_regex(token: str) -> None:
    assert _noise_token(token) is (_NOISE_TOKEN.match(token) is not None)


def test_is_noise_reads_class_and_id_tokens() -> None:
    doc = document_fromstring(
        "<html><body><div class='post'><p>text</p></div><div id='Comments'>c</div>"
        "<section class='x SHARE-BUTTONS'>s</section><article class='comments'>kept</article></body></html>"
    )
    verdicts = [(el.tag, is_noise(el)) for el in doc.iter("div", "section", "article")]
    assert verdicts == [("div", False), ("div", True), ("section", True), ("article", False)]


def _table(rows: int) -> str:
    return "<table>" + "".join(f"<tr><td>r{i}</td></tr>" for i in range(rows)) + "</table>"


def test_tables_under_the_row_limit_together_are_left_whole() -> None:
    # 1,200 rows on the page, no table over the limit: the page-wide count does not cut anything.
    doc = document_fromstring(f"<html><body>{_table(600)}{_table(600)}</body></html>")
    cap_table_rows(doc)
    assert [len(t.findall(".//tr")) for t in doc.iter("table")] == [600, 600]
    assert doc.find(".//p") is None


def test_a_table_over_the_row_limit_is_cut_with_a_note() -> None:
    doc = document_fromstring(f"<html><body>{_table(MAX_TABLE_ROWS + 5)}{_table(3)}</body></html>")
    cap_table_rows(doc)
    assert [len(t.findall(".//tr")) for t in doc.iter("table")] == [MAX_TABLE_ROWS, 3]
    note = doc.find(".//p")
    assert note is not None
    assert note.text == "… 5 more table rows not shown"


def _nest(depth: int) -> lxml.html.HtmlElement:
    return fragment_fromstring("<div>" + "<span>" * depth + "deep words" + "</span>" * depth + "</div>")


def test_flatten_deep_leaves_a_tree_at_the_depth_limit_alone() -> None:
    root = _nest(MAX_DEPTH)
    before = lxml.html.tostring(root)
    flatten_deep(root)
    assert lxml.html.tostring(root) == before


def test_flatten_deep_unwraps_what_is_nested_past_the_limit() -> None:
    root = _nest(MAX_DEPTH + 3)
    flatten_deep(root)
    depth, el = 0, root
    while len(el):
        el, depth = el[0], depth + 1
    assert depth == MAX_DEPTH
    assert el.text == "deep words"
