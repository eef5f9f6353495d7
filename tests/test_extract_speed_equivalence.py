"""The fast extraction paths give exactly what the slower reference paths give.

Each fast piece is checked against the code it replaces, run side by side on the same input: the lxml
walk (`fastmarkdown`) against markdownify over BeautifulSoup, readability's rewritten passes against
readability-lxml's own methods, the byte-level `xml_safe` against its regex. Timings live in
benchmarks/bench_extract.py, never here.
"""

from __future__ import annotations

import copy
import random
import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from lxml import etree

from termreader.fastmarkdown import TreeWalker, parse_like_bs4
from termreader.fastreadability import Keywords, TreeDocument, _fast
from termreader.htmlclean import pre_clean, unwrap_layout_tables
from termreader.htmltree import HTML_PARSER, HtmlElement, document_fromstring, fragment_fromstring
from termreader.markdown_convert import (
    _NOT_XML,
    ArticleConverter,
    TreeConverter,
    element_to_markdown,
    flatten_deep,
    html_to_markdown,
    tidy_markdown,
    xml_safe,
)
from termreader.textutil import strip_unsafe

_STRING_VALUE = etree.XPath("string()")
"""What lxml.html's own text_content() evaluates."""
PAGES = Path(__file__).parent / "fixtures" / "pages"
PAGE_FILES = sorted(p for p in PAGES.glob("*.html") if p.read_text(encoding="utf-8").strip())
"""Our fixture pages that hold any markup (empty.html and whitespace.html have none to convert)."""


def via_soup(html: str) -> str:
    """The reference: our ArticleConverter over BeautifulSoup's lxml tree (the route before the walk)."""
    return str(ArticleConverter().convert(html))


def via_walk(html: str) -> str | None:
    root = parse_like_bs4(html)
    return None if root is None else TreeWalker(TreeConverter()).convert_document(root)


FRAGMENTS = [
    "<p>Plain <b>bold</b> <i>it</i> and <code>x_y</code>.</p>",
    "<div>  lead  <span>a</span> <span>b</span>\n\n <em> c </em>trail  </div>",
    "<p>snake_case _edge_ *star* a*b \\back `tick \\ ` 1. # -</p>",
    "<ul>\n <li>one</li>\n <li>two<ul><li>deep</li></ul></li>\n</ul>\n<p>after</p>",
    "<ol start='7'><li>a</li><li>b</li>text<li>c</li></ol><ol start='x'><li>d</li></ol><ul><li>e</li></ul>",
    "<ol>" + "".join(f"<li>item {i}</li>" for i in range(40)) + "</ol>",
    "<table><tr><th>H1</th><th colspan='2'>H2</th></tr><tr><td>a</td><td>b</td><td>c</td></tr></table>",
    "<table><thead><tr><td>x</td></tr></thead><tbody><tr><td>y</td></tr></tbody></table>",
    "<table><tbody><tr><td colspan='x'>1</td><td><p>para</p><img src='i.png'></td></tr></tbody></table>",
    "<table><caption>Cap</caption><tr><td>only</td></tr><tr><td><h2>in cell</h2><br>x</td></tr></table>",
    "<pre class='language-python'><code>def f():\n    return 1\n\n</code></pre><p>after</p>",
    "<div class='highlight-source-rust'><pre>fn main() {}</pre></div>",
    "<pre><code data-lang='go'>x</code></pre><pre>plain</pre>",
    "<pre>  keep   spaces\n\tand tabs  </pre><textarea>  raw \n text  </textarea>",
    "<blockquote><p>Quote one.</p><p>Quote two.</p></blockquote><blockquote></blockquote>",
    "<dl><dt>Term\n one</dt><dd>Definition<p>more</p></dd></dl>",
    "<h1>Title <a href='/x'>link</a></h1><h3> spaced   heading </h3><h7>not a heading</h7>",
    "<p>line one<br>line two<br></p><h2>a<br>b</h2>",
    "<figure><img src='a.png' alt='A [x]'><figcaption>Caption *here*</figcaption></figure>"
    "<figure><img src='b.png'><figcaption>caption HERE</figcaption></figure>",
    "<a href='http://e.com/x'><img src='in-link.png' alt='L'></a><td><img src='cell.png' alt='C'></td>",
    "<p><a href='http://e.com/a'>http://e.com/a</a> <a href='javascript:x'>js</a> <a href=''>empty</a>"
    " <a href='http://e.com/(p)'> spaced </a><a href='http://e.com/b'> </a></p>",
    "<video src='v.mp4' poster='p.png'>Video</video><video><source src=''><source src='s.mp4'></video>",
    "<p>x<sub>2</sub> y<sup>3</sup> <q>quoted</q> <del>gone</del> <s>struck</s> <kbd>Ctrl</kbd></p>",
    "<p>\xa0</p><p>a\xa0\xa0b</p><p>\u2003em\u2003space</p><p>\r\nwindows\r\nlines</p>",
    "<o:p>office</o:p><list>custom list</list><section><article><div>nested</div></article></section>",
    "<hr><p>after rule</p><script>var x = '<div>';</script><style>p {}</style>",
    "text at top <span>inline</span> tail",
    "<p>caf\u00e9 \U0001f600 \u00fc\u00df</p>",
]


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_lxml_walk_matches_markdownify_over_soup(fragment: str) -> None:
    html = f"<div>{fragment}</div>"
    assert via_walk(html) == via_soup(html)


def test_walk_exact_markdown_for_a_table_and_a_numbered_list() -> None:
    html = (
        "<div><table><tr><th>Name</th><th>Qty</th></tr><tr><td>tea</td><td>2</td></tr></table>"
        "<ol start='3'><li>steep</li><li>pour</li></ol></div>"
    )
    assert html_to_markdown(html) == "| Name | Qty |\n| --- | --- |\n| tea | 2 |\n\n3. steep\n4. pour\n"


def test_comments_take_the_soup_route_with_the_same_markdown() -> None:
    html = "<div><p>one <!-- note --> two</p><?php echo 1 ?><p>three</p></div>"
    assert parse_like_bs4(html) is None
    assert html_to_markdown(html) == "one two\n\nthree\n"
    assert via_walk(html) is None


_TAGS = [
    "p", "div", "span", "a", "b", "em", "code", "pre", "ul", "ol", "li", "table", "thead", "tbody", "tr",
    "td", "th", "h2", "blockquote", "br", "img", "figure", "figcaption", "dl", "dt", "dd", "textarea",
]  # fmt: skip
_TEXTS = ["word", " ", "\n", "  \n ", "a_b", "*x*", "\t", "\xa0", "x  y", "`t`", "\\", "1."]
_ATTRS = ["", " href='http://e.com/x'", " src='i.png'", " colspan='2'", " start='2'", " class='lang-js'"]


def _random_html(rnd: random.Random, depth: int) -> str:
    parts = []
    for _ in range(rnd.randrange(0, 4)):
        if rnd.random() < 0.4 or depth >= 5:
            parts.append(rnd.choice(_TEXTS))
        else:
            tag = rnd.choice(_TAGS)
            parts.append(f"<{tag}{rnd.choice(_ATTRS)}>{_random_html(rnd, depth + 1)}</{tag}>")
    return "".join(parts)


def test_walk_matches_soup_on_random_trees() -> None:
    rnd = random.Random(20261129)
    for _ in range(300):
        html = f"<div>{_random_html(rnd, 0)}</div>"
        assert via_walk(html) == via_soup(html), html


@pytest.mark.parametrize("page", PAGE_FILES, ids=lambda p: p.name)
def test_element_to_markdown_of_whole_fixture_pages_matches_soup(page: Path) -> None:
    doc = document_fromstring(page.read_text(encoding="utf-8"))
    for comment in list(doc.iter(etree.Comment)):
        comment.drop_tree()
    body = doc.find(".//body")
    assert body is not None
    converted = element_to_markdown(copy.deepcopy(body))
    reference_root = copy.deepcopy(body)
    unwrap_layout_tables(reference_root)
    flatten_deep(reference_root)
    reference = via_soup(lxml.html.tostring(reference_root, encoding="unicode", method="html"))
    assert converted == tidy_markdown(strip_unsafe(reference))


class ReferenceDocument(TreeDocument):
    """TreeDocument with readability-lxml's own passes in place of our rewritten ones."""

    remove_unlikely_candidates = _fast.Document.remove_unlikely_candidates
    transform_misused_divs_into_paragraphs = _fast.Document.transform_misused_divs_into_paragraphs
    score_paragraphs = _fast.Document.score_paragraphs
    class_weight = _fast.Document.class_weight
    tags = _fast.Document.tags
    reverse_tags = _fast.Document.reverse_tags
    get_link_density = _fast.Document.get_link_density
    sanitize = _fast.Document.sanitize


def _summary(cls: type[TreeDocument], doc: lxml.html.HtmlElement) -> str | None:
    content = cls(copy.deepcopy(doc)).summary_element()
    return None if content is None else lxml.html.tostring(content, encoding="unicode")


ODD_DOCUMENTS = [
    # comments and a processing instruction: the transform falls back to readability's own pass
    "<div><!-- <div> --><span>short</span></div><div class='SideBar'>x</div><p>" + "words " * 80 + "</p>",
    # an attribute name holding '<' (the HTML5 tokenizer keeps it)
    "<div><span <p='1'>inline only</span></div><div><p>" + "text, " * 90 + "</p></div>",
    # class names readability's case-insensitive regexes fold from outside ASCII (İ, ı, ſ, Kelvin sign)
    "<div class='S\u0130DEBAR'>gone?</div><div id='\u017fhoutbox'>x</div><div class='bloc\u212a'>y</div>"
    "<div class='content-main'><p>" + "Article text here, with commas. " * 30 + "</p></div>",
    # inline children, text tails, br runs, nested divs that become paragraphs
    "<div>lead text<a href='/a'>link</a> tail<br><br><b>bold</b><div>inner<span>s</span></div>"
    "<img src='x.png'></div><div class='article-body'><p>" + "Body sentence, again. " * 40 + "</p></div>",
    # pre and code protect an unlikely class; main and article protect their holders
    "<div class='comment'><pre class='menu'>code</pre><main><p>"
    + "Main text, yes. " * 40
    + "</p></main></div>",
]


@pytest.mark.parametrize("html", ODD_DOCUMENTS)
def test_rewritten_readability_passes_match_readability_on_odd_markup(html: str) -> None:
    doc = document_fromstring(f"<html><body>{html}</body></html>")
    assert _summary(TreeDocument, doc) == _summary(ReferenceDocument, doc)


def test_sanitize_drops_a_link_block_with_few_commas_as_readability_does() -> None:
    # A div of links (a few commas, link density near 1) inside the article: readability's
    # conditional clean-up removes it; the rewritten pass must reach the same verdict.
    doc = document_fromstring(
        "<html><body><div class='article-body'><p>" + "Body sentence goes here and on. " * 30 + "</p>"
        "<div class='more'><p><a href='/a'>Alpha, beta, gamma</a> <a href='/b'>delta, epsilon</a></p>"
        "<p><a href='/c'>zeta, eta</a></p></div>"
        "<p>" + "Closing words of the piece follow. " * 20 + "</p></div></body></html>"
    )
    ours = _summary(TreeDocument, doc)
    assert ours == _summary(ReferenceDocument, doc)
    assert ours is not None
    assert "Body sentence" in ours
    assert "Closing words" in ours
    assert "Alpha" not in ours


@pytest.mark.parametrize("page", PAGE_FILES, ids=lambda p: p.name)
def test_rewritten_readability_passes_match_readability_on_fixture_pages(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    raw = document_fromstring(html)
    cleaned = copy.deepcopy(raw)
    pre_clean(cleaned)
    for doc in (raw, cleaned):
        assert _summary(TreeDocument, doc) == _summary(ReferenceDocument, doc)


@pytest.mark.parametrize(
    "text",
    [
        "sidebar",
        "SideBar-left",
        "S\u0130DEBAR",
        "s\u0131debar",
        "\u017fhoutbox",
        "bloc\u212a",
        "ad-break",
        "AD-BREAK x",
        "nothing here",
        "",
        "caf\u00e9 comment",
        "main-content",
    ],
)
def test_keywords_answer_as_the_ignorecase_regex(text: str) -> None:
    for name in ("unlikelyCandidatesRe", "okMaybeItsACandidateRe", "negativeRe", "positiveRe"):
        pattern: re.Pattern[str] = _fast.REGEXES[name]
        assert Keywords(pattern).search(text) is (pattern.search(text) is not None)


def test_keywords_fall_back_to_the_regex_for_patterns_that_are_not_plain_words() -> None:
    pattern = re.compile(r"foo\d|bar", re.I)
    keywords = Keywords(pattern)
    assert keywords.words is None
    assert keywords.search("FOO1") is True
    assert keywords.search("foo") is False


@pytest.mark.parametrize(
    "text",
    ["", "plain ascii", "caf\u00e9", "a\x00b\x1fc", "x\ud800y", "\t\n\r kept", "\x0b\x0c", "\U0001f600\x01"],
)
def test_xml_safe_matches_the_regex(text: str) -> None:
    assert xml_safe(text) == _NOT_XML.sub("", text)


def test_html_parser_gives_html_elements_for_form_controls() -> None:
    doc = document_fromstring("<form><input name=q><select></select><textarea>t</textarea></form><!--c-->")
    classes = {type(el) for el in doc.iter() if isinstance(el.tag, str)}
    assert classes == {HtmlElement}
    assert issubclass(HtmlElement, lxml.html.HtmlElement)
    assert type(next(doc.iter(etree.Comment))) is lxml.html.HtmlComment
    assert [el.tag for el in doc.iter("input", "select", "textarea")] == ["input", "select", "textarea"]


def test_text_content_is_lxml_html_string_value() -> None:
    doc = document_fromstring(
        "<div id=d>a<!-- c -->b<?pi x?>c<span>d<!--e-->f</span>g i&amp;<script>j</script>"
        "<textarea>t&lt;</textarea><p>\u00e9\n\tend</p></div>tail"
    )
    div = doc.get_element_by_id("d")
    div.append(etree.Entity("nbsp"))  # type: ignore[arg-type]  # an entity node, as lxml allows
    div[-1].tail = "z"
    for el in div.iter():
        if isinstance(el.tag, str):
            assert el.text_content() == _STRING_VALUE(el)
    assert div.text_content() == "abcdfg i&jt<\u00e9\n\tendz"


@pytest.mark.parametrize("markup", ["<p/>", "<div/>"])
def test_empty_fragment_sits_where_a_parsed_one_does(markup: str) -> None:
    made = fragment_fromstring(markup)
    parsed = lxml.html.fragment_fromstring(markup, parser=HTML_PARSER)

    def shape(el: Any) -> tuple[Any, ...]:
        parent = el.getparent()
        return (
            el.tag,
            el.text,
            el.tail,
            dict(el.attrib),
            parent.tag,
            parent.getparent().tag,
            el.getroottree().docinfo.doctype,
            lxml.html.tostring(el.getroottree()),
        )

    assert shape(made) == shape(parsed)
    assert type(made) is HtmlElement
