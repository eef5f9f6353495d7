"""HTML to Markdown: exact output for each construct a reader meets."""

from __future__ import annotations

import pytest

from termreader.markdown_convert import html_to_markdown, tidy_markdown


def md(html: str) -> str:
    return html_to_markdown(html)


def test_headings_are_atx() -> None:
    assert md("<h1>One</h1><h2>Two</h2><h3>Three <em>x</em></h3>") == "# One\n\n## Two\n\n### Three *x*\n"


def test_paragraphs_emphasis_and_links() -> None:
    html = (
        "<p>Some <strong>bold</strong>, <em>italic</em> and <a href='https://a.example/x'>a link</a>.</p>"
        "<p>Next.</p>"
    )
    assert md(html) == "Some **bold**, *italic* and [a link](https://a.example/x).\n\nNext.\n"


def test_nested_lists_are_indented_under_their_marker() -> None:
    html = (
        "<ul><li>one<ul><li>one.a</li><li>one.b<ol><li>deep</li></ol></li></ul></li><li>two</li></ul>"
        "<ol start='3'><li>three</li><li>four<ul><li>four.a</li></ul></li></ol>"
    )
    assert md(html) == ("- one\n  - one.a\n  - one.b\n    1. deep\n- two\n\n3. three\n4. four\n   - four.a\n")


def test_blockquote_with_paragraphs() -> None:
    assert md("<blockquote><p>First.</p><p>Second.</p></blockquote>") == "> First.\n>\n> Second.\n"


@pytest.mark.parametrize(
    ("html", "language"),
    [
        ('<pre><code class="language-python">x = 1</code></pre>', "python"),
        ('<pre class="lang-js"><code>x = 1</code></pre>', "js"),
        ('<div class="highlight highlight-source-shell"><pre>x = 1</pre></div>', "shell"),
        ('<pre data-lang="toml"><code>x = 1</code></pre>', "toml"),
        ('<pre class="brush: ruby">x = 1</pre>', "ruby"),
        ('<pre><code class="nohighlight">x = 1</code></pre>', ""),
        ("<pre><code>x = 1</code></pre>", ""),
    ],
)
def test_fenced_code_with_language(html: str, language: str) -> None:
    assert md(html) == f"```{language}\nx = 1\n```\n"


def test_code_keeps_markdown_characters_and_indentation() -> None:
    html = "<pre><code>def f(*args, **kw):\n    return a_b * 2  # `tick`\n</code></pre>"
    assert md(html) == "```\ndef f(*args, **kw):\n    return a_b * 2  # `tick`\n```\n"


def test_code_containing_a_fence_gets_a_longer_fence() -> None:
    assert md("<pre>```\ninner\n```</pre>") == "````\n```\ninner\n```\n````\n"


def test_tables_are_gfm_with_a_header_row() -> None:
    html = (
        "<table><thead><tr><th>Name</th><th>Qty</th></tr></thead>"
        "<tbody><tr><td>Flour</td><td>500 g</td></tr><tr><td>Water</td><td>350 g</td></tr></tbody></table>"
    )
    assert md(html) == "| Name | Qty |\n| --- | --- |\n| Flour | 500 g |\n| Water | 350 g |\n"


def test_table_without_th_uses_its_first_row_as_header() -> None:
    html = "<table><tr><td>a</td><td>b</td></tr><tr><td>1</td><td>2</td></tr></table>"
    assert md(html) == "| a | b |\n| --- | --- |\n| 1 | 2 |\n"


def test_images_and_figure_captions() -> None:
    html = (
        "<figure><img src='https://i.example/a.jpg' alt='A [bracketed] alt'>"
        "<figcaption>  The <em>caption</em>  </figcaption></figure>"
        "<p><img src='https://i.example/b (1).png' alt=''></p>"
    )
    assert md(html) == (
        "![A (bracketed) alt](https://i.example/a.jpg)\n\n_The *caption*_\n\n![](https://i.example/b%20%281%29.png)\n"
    )


def test_image_without_source_and_data_uri_are_dropped() -> None:
    assert md("<p>a<img alt='x'>b<img src='data:image/png;base64,AAAA' alt='y'>c</p>") == "abc\n"


def test_no_empty_or_javascript_links() -> None:
    html = (
        "<p><a href='https://a.example/'></a><a href='https://a.example/'> </a>"
        "<a href='javascript:void(0)'>js</a> <a>no href</a> <a href='https://a.example/'>ok</a></p>"
    )
    assert md(html) == "js no href [ok](https://a.example/)\n"


def test_url_text_becomes_an_autolink() -> None:
    assert (
        md("<p><a href='https://a.example/x_y'>https://a.example/x_y</a></p>") == "<https://a.example/x_y>\n"
    )


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>snake_case and __init__ stay</p>", "snake_case and \\_\\_init\\_\\_ stay\n"),
        ("<p>file_name_here.txt</p>", "file_name_here.txt\n"),
        ("<p>2 * 3 = 6</p>", "2 * 3 = 6\n"),
        ("<p>*not emphasis*</p>", "\\*not emphasis\\*\n"),
        ("<p>a\\b</p>", "a\\\\b\n"),
    ],
)
def test_escaping_is_only_where_markdown_would_misread(html: str, expected: str) -> None:
    assert md(html) == expected


def test_line_breaks_inside_a_paragraph_and_at_its_end() -> None:
    assert md("<p>line one<br>line two<br></p><p>next</p>") == "line one  \nline two\n\nnext\n"


def test_blank_lines_are_collapsed_and_spaces_tidied() -> None:
    assert tidy_markdown("a\n\n\n\n  \nb  c\n\n```\nx    y\n```\n\n\n") == "a\n\nb c\n\n```\nx    y\n```\n"


def test_empty_input_gives_empty_markdown() -> None:
    assert md("<div>  </div>") == ""


def test_deep_nesting_is_flattened_not_a_recursion_error() -> None:
    html = "<div>" * 100 + "<p>deep <em>text</em></p>" + "</div>" * 100
    assert md(html) == "deep text\n"
    html = "<blockquote>" * 80 + "quoted" + "</blockquote>" * 80
    assert md(html).strip().endswith("quoted")


def test_control_characters_surrogates_and_bidi_overrides_are_removed() -> None:
    assert md("<p>a\x00b\x1b[2Jc\u202ed\ud800e\x85f</p>") == "ab[2Jcdef\n"


def test_text_below_the_parsers_depth_limit_is_kept_as_plain_text() -> None:
    # libxml2 drops everything nested deeper than 256 elements; the words must survive anyway.
    nest = "<blockquote>" * 5_000 + "the innermost words &amp; more" + "</blockquote>" * 5_000
    assert html_to_markdown(nest) == "the innermost words & more\n"


def test_ordinary_markup_is_not_flattened_by_the_depth_guard() -> None:
    items = "".join(f"<li><em>item {n}</em></li>" for n in range(400))
    markdown = html_to_markdown(f"<ul>{items}</ul>")
    assert markdown.splitlines()[0] == "- *item 0*"


def test_text_after_a_line_break_never_starts_a_block() -> None:
    # A ranking written with <br>: "1. Finland" goes on in the paragraph; as Markdown it would start a list
    # (CommonMark lets an ordered list that starts at 1 interrupt a paragraph), "- x" a bullet, "# x" a
    # heading, "---" would turn the paragraph into a heading.
    markdown = md(
        "<p>Happiest countries:<br>1. Finland<br>2) Denmark<br>- a dash<br># a hash<br>&gt; a quote<br>---"
        "<br>the end</p><ol><li>a real list</li></ol>"
        "<pre><code>first line\n1. not escaped in code</code></pre>"
    )
    assert markdown == (
        "Happiest countries:  \n1\\. Finland  \n2\\) Denmark  \n\\- a dash  \n\\# a hash  \n\\> a quote  \n"
        "\\---  \nthe end\n\n1. a real list\n\n```\nfirst line\n1. not escaped in code\n```\n"
    )
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(markdown)
    assert rendered.count("<ol>") == 1
    assert "<ul>" not in rendered
    assert "<h1>" not in rendered and "<h2>" not in rendered and "<blockquote>" not in rendered
    assert "1. Finland<br />" in rendered
