"""Article extraction on our own platform-shaped pages: exact metadata and exact Markdown structure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import lxml.html
import pytest

from termreader.errors import ExtractionError, NotAnArticleError
from termreader.extract import choose_title, extract_article, to_eval
from termreader.metadata import PageMetadata
from termreader.recover import recover_dropped_blocks

PAGES = Path(__file__).parent / "fixtures" / "pages"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def lines(markdown: str) -> list[str]:
    return [line for line in markdown.split("\n") if line.strip()]


# --- Blogger 2017 theme: the design example -------------------------------------------------------

BLOGGER_2017_URL = "https://allotment-notes.blogspot.com/2025/01/winter-pruning-without-fear.html"


def test_blogger_2017_post_gives_title_date_and_body_only() -> None:
    article = extract_article(page("blogger-2017-post.html"), BLOGGER_2017_URL)

    assert article.title == "Winter pruning without fear"
    assert article.byline == "Ines Calloway"
    assert article.published == datetime(2025, 1, 12, 8, 15, tzinfo=UTC)
    assert article.site_name == "Field Notes From the Allotment"
    assert article.canonical_url == BLOGGER_2017_URL
    assert article.language == "en-GB"
    assert article.url == BLOGGER_2017_URL
    assert article.lead_image == (
        "https://blogger.googleusercontent.com/img/b/AVvXsE-prune/w1200-h630-p-k-no-nu/pruning.jpg"
    )
    assert lines(article.markdown) == [
        "Every January the same question arrives from the plot next door: how much can I take off "
        "without killing the tree? The honest answer is a lot less than you fear and a lot more than you "
        "think, as long as you stand back and look before you cut anything at all.",
        "![An old apple tree after pruning](https://blogger.googleusercontent.com/img/b/AVvXsE-prune/s600/pruning.jpg)",
        "## Start with the three Ds",
        "Dead, diseased and damaged wood comes out first, whatever the age or shape of the tree. It is the "
        "one part of the job that needs no judgement, and once it is done the real structure of the crown "
        "is much easier to see.",
        "1. Dead wood: brittle, grey, and it snaps instead of bending.",
        "2. Diseased wood: sunken cankers, weeping bark or a collar of fungus.",
        "3. Damaged wood: branches that rub, split or were torn by the autumn gales.",
        "## Then open the centre",
        "An apple tree wants light and air in the middle of its crown. Remove one or two of the largest "
        "branches that grow inwards, and leave the smaller ones for next year. Never take more than a "
        "quarter of the canopy in a single winter; a tree that loses more will answer with a forest of "
        "upright water shoots.",
        "> Cut to a bud that faces the way you want the branch to grow, and slope the cut away from it.",
        "Pears are more forgiving than apples, plums are not: leave stone fruit alone until summer, when "
        "silver leaf spores are far less active.",
    ]
    assert article.word_count == 251
    assert article.reading_minutes == 2


@pytest.mark.parametrize(
    "leftover",
    [
        "Comments",
        "Barnaby Quill",
        "Post a Comment",
        "Popular posts from this blog",
        "Leaf mould in a bin bag",
        "Saving bean seed",
        "Read more",
        "Get link",
        "Pinterest",
        "Labels",
        "fruit trees",
        "Winter pruning without fear",  # the headline is shown once, in the header, not in the body
    ],
)
def test_blogger_2017_post_has_no_widget_text(leftover: str) -> None:
    article = extract_article(page("blogger-2017-post.html"), BLOGGER_2017_URL)
    assert leftover not in article.markdown


def test_blogger_classic_post_reads_microdata_and_title_heuristic() -> None:
    url = "https://radiobench.blogspot.com/2019/09/restoring-a-1962-transistor-radio.html"
    article = extract_article(page("blogger-classic-post.html"), url)

    assert article.title == "Restoring a 1962 transistor radio, part one"
    assert article.byline == "Wendell Abara"
    assert article.published == datetime(2019, 9, 14, 16, 5, tzinfo=timezone(timedelta(hours=2)))
    assert article.site_name == "The Radio Bench"
    assert article.canonical_url == url
    # No og:image: the first image of the body stands in.
    assert article.lead_image == "https://blogger.googleusercontent.com/img/b/radio/s320/chassis.jpg"
    assert lines(article.markdown) == [
        "My neighbour found the radio in her late father's shed: a six-transistor portable in a leather "
        "case, with a dial that still glows faintly green under a torch. It had not made a sound since the "
        "early eighties.",
        "![](https://blogger.googleusercontent.com/img/b/radio/s320/chassis.jpg)",
        "**First, do no harm.** Before applying any power I checked the obvious things:",
        "- The battery clip was green with corrosion and had to be replaced.",
        "- Two electrolytic capacitors had bulged tops.",
        "- The volume control crackled but turned smoothly.",
        "With a new clip and the two capacitors changed, I brought the voltage up slowly on a bench supply, "
        "watching the current. At six volts the set drew eleven milliamps and, after a few seconds of hiss, "
        "the local station faded in.",
        "In part two I will align the intermediate frequency stages, which have drifted badly over sixty "
        "years.",
    ]
    for leftover in ("Popular Posts", "Valve or transistor", "Email This", "BlogThis", "Ferdinand", "Labels"):
        assert leftover not in article.markdown


# --- WordPress ---------------------------------------------------------------------------------------

WP_URL = "https://quietterminal.example/2024/06/caching-http-responses-with-etags/"


def test_wordpress_post_metadata_from_yoast_graph() -> None:
    article = extract_article(page("wordpress-post.html"), WP_URL)

    assert article.title == "Caching HTTP responses with ETags in Python"
    assert article.byline == "Rosalind Okafor, Teodor Lindqvist"
    assert article.published == datetime(2024, 6, 18, 7, 45, tzinfo=UTC)
    assert article.site_name == "Quiet Terminal"
    assert article.canonical_url == WP_URL
    assert article.language == "en-US"
    assert article.excerpt == (
        "Conditional requests save bandwidth and make polling polite. Here is how to do them properly."
    )


def test_wordpress_post_markdown_structure() -> None:
    markdown = extract_article(page("wordpress-post.html"), WP_URL).markdown
    assert lines(markdown) == [
        "A feed reader that polls fifty sites every half hour downloads the same bytes over and over. "
        "Servers already know whether anything changed; all we have to do is ask them the right way. "
        "That is what `ETag` and `If-None-Match` are for.",
        "![A request with If-None-Match answered by 304 Not Modified]"
        "(https://quietterminal.example/wp-content/uploads/2024/06/etag-flow-1024x512.png)",
        "*The second request costs a few hundred bytes instead of the whole page.*",
        "## How the exchange works",
        "The first response carries a validator. Keep it next to the cached body and send it back next time:",
        "- The server answers **200** with the body and an *ETag* header.",
        "- The client stores both and, on the next poll, sends `If-None-Match`.",
        "  - Unchanged: the server answers **304** with no body.",
        "  - Changed: a fresh **200** with a new ETag.",
        "- Some servers only send `Last-Modified`; treat it the same way with `If-Modified-Since`.",
        "## The code",
        "```python",
        "import httpx",
        "def fetch(url, cache):",
        "    headers = {}",
        "    if url in cache:",
        '        headers["If-None-Match"] = cache[url].etag',
        "    response = httpx.get(url, headers=headers)",
        "    if response.status_code == 304:",
        "        return cache[url].body",
        "    return response.text",
        "```",
        "Note that `snake_case` names and a literal * in prose should come through unharmed.",
        "### What it saves",
        "| Site | Full fetch | Conditional |",
        "| --- | --- | --- |",
        "| Small blog | 84 KB | 0.4 KB |",
        "| News front page | 1.2 MB | 0.5 KB |",
        "*Measured over one week of polling.*",
        "Read the [specification of ETag](https://www.rfc-editor.org/rfc/rfc9110#section-8.8.3) if you want "
        "the details, or [my earlier post on caching basics]"
        "(https://quietterminal.example/2024/05/http-caching-basics/).",
        "![Bytes per day before and after]"
        "(https://quietterminal.example/wp-content/uploads/2024/06/polling-graph.png)",
    ]


@pytest.mark.parametrize(
    "leftover",
    [
        "Share this",
        "Facebook",
        "javascript:",
        "Related",
        "Writing a polite crawler",
        "Feeds are not dead",
        "Hector",
        "Leave a Reply",
        "Tagged",
        "tag-cloud",
        "data:image",
        "](#",
        "[](",
        "\\_",
        "\\*",
    ],
)
def test_wordpress_post_has_no_widgets_or_noise(leftover: str) -> None:
    assert leftover not in extract_article(page("wordpress-post.html"), WP_URL).markdown


# --- Ghost, Substack, Hugo ---------------------------------------------------------------------------


def test_ghost_post() -> None:
    article = extract_article(page("ghost-post.html"), "https://slowwire.example/plain-text-newsroom/")

    # <title> is "Post Title – Site"; og:title is clean; either way the site name is not glued on.
    assert article.title == "Why we moved our newsroom to plain text"
    assert article.byline == "Amara Nwosu"
    assert article.published == datetime(2025, 3, 2, 14, 20, tzinfo=UTC)
    assert article.site_name == "The Slow Wire"
    assert article.canonical_url == "https://slowwire.example/plain-text-newsroom/"
    assert lines(article.markdown) == [
        "For eleven years our stories lived in a database that only one person fully understood. When that "
        "person left, we discovered how much of the newsroom's memory was trapped in tables nobody could "
        "read.",
        "We now write every story as a Markdown file. Each file sits in a git repository, and the website is "
        "generated from it in under a minute. Reporters who had never heard of version control learned the "
        "three commands they need in an afternoon.",
        "## What we gained",
        "1. History: every edit, with who made it and why.",
        "2. Portability: the archive is a folder of text files that any tool can open.",
        "3. Speed: corrections go live while the editor is still on the phone.",
        "## What we miss",
        "Drag-and-drop image galleries were the one thing people asked for. We replaced them with a short "
        "convention:",
        "```markdown",
        "![Caption goes here](images/2025/03/photo.jpg)",
        "```",
        "![A reporter's desk with two monitors](https://slowwire.example/content/images/2025/03/desk.jpg)",
        "*The whole CMS, as our reporters see it.*",
        "Nobody has asked for the old system back.",
    ]


def test_substack_post_drops_subscribe_widgets() -> None:
    article = extract_article(page("substack-post.html"), None)

    assert article.title == "The quiet economics of repair cafés"
    assert article.byline == "Joaquín Ferreira"
    assert article.published == datetime(2024, 10, 6, 11, 0, tzinfo=UTC)
    assert article.site_name == "Mending Matters"
    assert article.url is None
    assert article.canonical_url == "https://mendingmatters.substack.com/p/quiet-economics-of-repair-cafes"
    assert lines(article.markdown) == [
        "Every second Saturday, a church hall in our town fills with broken things. Lamps, trousers, "
        "bicycles, a surprising number of sewing machines. By four o'clock most of them work again, and "
        "nobody has paid a penny.",
        "I spent three months counting what goes through one repair café, and the arithmetic is stranger "
        "than the cheerful posters suggest.",
        "### What gets fixed",
        "| Category | Brought in | Repaired |",
        "| --- | --- | --- |",
        "| Small appliances | 61 | 38 |",
        "| Clothing | 44 | 41 |",
        "| Bicycles | 19 | 17 |",
        "Clothing has the best success rate because the failure is visible: a seam, a zip, a hole. "
        "Appliances fail in ways that need a multimeter and patience, and sometimes a part that no longer "
        "exists.",
        "> The most common repair is not a repair at all. It is somebody reading the manual for the first "
        "time.",
        "That last observation came from Ruth, who has run the electrical table for nine years.",
    ]
    for leftover in ("reader-supported", "Subscribe", "Type your email", "Discussion about this post"):
        assert leftover not in article.markdown


def test_hugo_post_code_language_and_plain_underscores() -> None:
    article = extract_article(page("hugo-post.html"), "https://werkstatt.example/posts/makefile-python/")

    assert article.title == "Ein Makefile für kleine Python-Projekte"
    assert article.byline == "Jonas Brückner"
    assert article.published == datetime(2024, 2, 11, 20, 0, tzinfo=timezone(timedelta(hours=1)))
    assert article.site_name == "Notizen aus der Werkstatt"
    assert article.language == "de-de"
    assert "```makefile\ncheck:\n\truff check src tests\n\tmypy --strict src\n```" in article.markdown
    assert "mit my_env_var gesetzt" in article.markdown
    assert "- tox ist großartig für Bibliotheken mit vielen Python-Versionen." in lines(article.markdown)
    assert "Virtuelle Umgebungen" not in article.markdown
    assert "Erstellt mit" not in article.markdown


# --- pages that are not articles ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("blogger-2017-home.html", "https://allotment-notes.blogspot.com/"),
        ("wordpress-home.html", "https://quietterminal.example/"),
    ],
)
def test_home_pages_are_not_articles(name: str, url: str) -> None:
    with pytest.raises(NotAnArticleError) as caught:
        extract_article(page(name), url)
    assert str(caught.value) == (
        f"this page is a list of articles, not an article (try `termreader latest {url}`)"
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.html", "the page is empty"),
        ("whitespace.html", "the page is empty"),
        ("tag-soup-empty-body.html", "no article text could be found on the page"),
    ],
)
def test_empty_pages_raise_extraction_error(name: str, message: str) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_article(page(name), None)
    assert str(caught.value) == message


def test_to_eval_reports_markdown_title_and_byline() -> None:
    result = to_eval(page("ghost-post.html"), None)
    assert result["title"] == "Why we moved our newsroom to plain text"
    assert result["byline"] == "Amara Nwosu"
    assert (result["markdown"] or "").startswith("For eleven years our stories")
    assert to_eval(page("blogger-2017-home.html"), None) == {"markdown": "", "title": None, "byline": None}


# --- general rules (issue 5), each on a small page of its own ----------------------------------------


def _doc(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


LONG = " ".join(["The river was high that spring and the ferry ran only in the mornings."] * 6)


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Post Title - Site Name", "Site Name", "Post Title"),
        ("Site Name | Post Title", "Site Name", "Post Title"),
        ("Post Title – Site Name", "Site Name", "Post Title"),
        ("Site Name: Post Title", "Site Name", "Post Title"),
        ("Post Title", "Site Name", "Post Title"),
        ("Site Name and more - words", "Site Name", "Site Name and more - words"),
    ],
)
def test_title_is_desuffixed_against_the_site_name(title: str, site: str, expected: str) -> None:
    import lxml.html

    doc = lxml.html.document_fromstring(_doc("<p>x</p>", f"<title>{title}</title>"))
    assert choose_title(PageMetadata(title=title, site_name=site), doc) == expected


def test_title_is_never_the_site_name_alone() -> None:
    html = _doc(
        f"<h1>The ferry timetable, explained</h1><article><p>{LONG}</p></article>",
        '<title>River News</title><meta property="og:title" content="River News">'
        '<meta property="og:site_name" content="River News">',
    )
    assert extract_article(html, None).title == "The ferry timetable, explained"


def test_lazy_images_get_their_real_source() -> None:
    html = _doc(
        f"<article><p>{LONG}</p>"
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/img/ferry.jpg" alt="The ferry">'
        '<img src="/assets/blank.gif" data-lazy-src="/img/quay.jpg" alt="The quay">'
        '<img srcset="/img/map-400.png 400w, /img/map-1200.png 1200w" alt="Map">'
        f"<p>{LONG}</p></article>"
    )
    markdown = extract_article(html, "https://river.example/news/ferry").markdown
    assert "![The ferry](https://river.example/img/ferry.jpg)" in markdown
    assert "![The quay](https://river.example/img/quay.jpg)" in markdown
    assert "![Map](https://river.example/img/map-1200.png)" in markdown
    assert "data:" not in markdown


def test_blogger_text_template_body_is_unwrapped() -> None:
    html = _doc(
        '<div class="post"><h2 class="title">Safer downloads</h2><div class="post-body">'
        '<div class="post-content" itemprop="articleBody"><script type="text/template">'
        f"<p>{LONG}</p><p><strong>What changes for you</strong></p><p>{LONG}</p>"
        "</script></div></div></div>"
    )
    markdown = extract_article(html, None).markdown
    assert "**What changes for you**" in markdown
    assert markdown.count("The river was high") == 12


def test_json_text_template_is_left_alone() -> None:
    html = _doc(
        f"<article><p>{LONG}</p>"
        '<script type="text/template">{"caption": "<p>hidden</p>"}</script></article>'
    )
    assert "caption" not in extract_article(html, None).markdown


def test_links_are_absolute_and_never_empty_or_javascript() -> None:
    html = _doc(
        f"<article><p>{LONG} <a href='/about'>about us</a> <a href='javascript:alert(1)'>click</a> "
        "<a href='/empty'> </a> <a href='#top'>top</a> <a href='mailto:x@example.org'>mail</a></p></article>"
    )
    markdown = extract_article(html, "https://river.example/news/ferry").markdown
    assert "[about us](https://river.example/about)" in markdown
    assert "click top mail" in markdown
    assert "javascript" not in markdown
    assert "[](" not in markdown
    assert "](#" not in markdown


def test_image_zoom_links_become_plain_images() -> None:
    html = _doc(
        f"<article><p>{LONG}</p><a href='https://cdn.example/big/ferry.jpg'>"
        f"<img src='https://cdn.example/small/ferry.jpg' alt='Ferry'></a><p>{LONG}</p></article>"
    )
    assert "\n![Ferry](https://cdn.example/small/ferry.jpg)\n" in extract_article(html, None).markdown


def test_layout_tables_become_blocks() -> None:
    html = _doc(
        f"<article><table><tr><td><p>{LONG}</p>"
        "<p>Second paragraph of the story.</p></td></tr></table></article>"
    )
    assert lines(extract_article(html, None).markdown)[1:] == ["Second paragraph of the story."]


def test_small_data_tables_survive_content_scoring() -> None:
    html = _doc(
        f"<div class='story'><p>{LONG}</p>"
        "<table><tr><th>Stop</th><th>Time</th></tr>"
        "<tr><td><a href='/stops/quay'>Quay</a></td><td>07:10</td></tr>"
        "</table>"
        f"<p>{LONG}</p></div>"
    )
    found = lines(extract_article(html, "https://river.example/ferry").markdown)
    assert found[1:4] == [
        "| Stop | Time |",
        "| --- | --- |",
        "| [Quay](https://river.example/stops/quay) | 07:10 |",
    ]


def test_repeated_figure_captions_are_kept_once() -> None:
    html = _doc(
        f"<article><p>{LONG}</p>"
        "<figure><img src='https://cdn.example/a.jpg' alt='a'>"
        "<figcaption>Photo: River Archive</figcaption></figure>"
        "<figure><img src='https://cdn.example/b.jpg' alt='b'>"
        "<figcaption>Photo: River Archive</figcaption></figure>"
        f"<p>{LONG}</p></article>"
    )
    assert extract_article(html, None).markdown.count("*Photo: River Archive*") == 1


def test_code_language_from_several_markups() -> None:
    html = _doc(
        f"<article><p>{LONG}</p>"
        "<pre class='lang-go'><code>package main</code></pre>"
        "<div class='highlight highlight-source-rust'>"
        '<pre>fn main() {\n    println!("ferry");\n}</pre></div>'
        "<pre data-lang='sql'><code>SELECT 1;</code></pre>"
        "<pre><code>no language here</code></pre>"
        f"<p>{LONG}</p></article>"
    )
    markdown = extract_article(html, None).markdown
    assert "```go\npackage main\n```" in markdown
    assert '```rust\nfn main() {\n    println!("ferry");\n}\n```' in markdown
    assert "```sql\nSELECT 1;\n```" in markdown
    assert "```\nno language here\n```" in markdown


def test_dated_permalink_with_post_list_around_it_is_an_article() -> None:
    teaser = "<div class='post hentry'><h3><a href='/2024/0{n}/x.html'>Teaser {n}</a></h3><p>Short.</p></div>"
    html = _doc(
        "".join(teaser.format(n=n) for n in range(1, 5))
        + f"<div class='post-body'><p>{LONG}</p><p>{LONG}</p></div>",
        "<link rel='canonical' href='https://river.example/2024/05/ferry-timetable.html'>",
    )
    assert extract_article(html, None).markdown.count("The river was high") == 12


def test_control_characters_never_reach_the_markdown() -> None:
    html = _doc(f"<article><p>{LONG} \x1b[31mred\x1b[0m \u202eevil</p></article>")
    markdown = extract_article(html, None).markdown
    assert "\x1b" not in markdown
    assert "\u202e" not in markdown
    assert "[31mred[0m evil" in markdown


def test_xhtml_with_xml_declaration_is_read() -> None:
    html = '<?xml version="1.0" encoding="utf-8"?>\n' + _doc(
        f"<article><p>{LONG}</p></article>", "<title>X</title>"
    )
    assert extract_article(html, None).word_count == 84


def test_deeply_nested_markup_gives_a_typed_error_or_an_article() -> None:
    html = _doc("<div>" * 5000 + f"<p>{LONG}</p>" + "</div>" * 5000)
    try:
        article = extract_article(html, None)
    except ExtractionError as error:
        assert str(error).startswith("the page could not be read") or "no article text" in str(error)
    else:
        assert "The river was high" in article.markdown


def test_links_with_unlikely_classes_keep_their_text() -> None:
    # Annotated texts wrap phrases in <a class="popup">; readability-lxml alone would delete them.
    html = _doc(
        f"<article><p>{LONG} He held that <a class='popup' href='javascript:void(0)'>the easiest way of "
        "life is the best</a>, and kept to it.</p></article>"
    )
    assert (
        "He held that the easiest way of life is the best, and kept to it."
        in extract_article(html, None).markdown
    )


def test_info_boxes_are_not_shielded_but_data_tables_are() -> None:
    import lxml.html

    from termreader.htmlclean import is_aside_table, is_data_table

    def table(markup: str) -> lxml.html.HtmlElement:
        return lxml.html.fragment_fromstring(markup)

    assert is_data_table(table("<table><tr><th>a</th></tr><tr><td>1</td></tr></table>"))
    assert is_data_table(table("<table>" + "<tr><td>x</td><td>y</td></tr>" * 10 + "</table>"))
    assert not is_data_table(table("<table role='presentation'><tr><th>a</th></tr></table>"))
    assert not is_data_table(table("<table><tr><td>a</td><td>b</td></tr></table>"))
    assert is_aside_table(table("<table class='infobox vcard'><tr><th>Born</th></tr></table>"))
    assert not is_aside_table(table("<table class='wikitable'><tr><th>Year</th></tr></table>"))


def test_byline_line_inside_the_body_is_not_repeated() -> None:
    html = _doc(
        f"<article><p class='byline'>By <a rel='author' href='/staff/jo'>Jo Marsh</a>, March 3</p>"
        f"<p>{LONG}</p><p>{LONG}</p></article>",
        '<meta name="author" content="Jo Marsh"><title>Ferry timetable</title>',
    )
    article = extract_article(html, None)
    assert article.byline == "Jo Marsh"
    assert "Jo Marsh" not in article.markdown
    assert article.markdown.startswith("The river was high")


def test_front_page_with_two_teasers_is_not_an_article() -> None:
    teaser = (
        "<article class='post type-post hentry'><h2 class='entry-title'>"
        "<a href='/2024/04/{slug}/'>{title}</a></h2><div class='entry-content'><p>{text}</p></div></article>"
    )
    body = teaser.format(slug="mussels", title="Mussels in cider", text="A kilo of mussels and some cider.")
    body += teaser.format(slug="samphire", title="Samphire, briefly", text="Blanch it for one minute.")
    html = (
        "<!DOCTYPE html><html><head><title>Tidewater Kitchen</title></head>"
        f"<body class='home blog'>{body}</body></html>"
    )
    with pytest.raises(NotAnArticleError):
        extract_article(html, "https://tidewater.example/")
    # The same two blocks on a page that does not call itself a front page stay an article. (Not at the
    # site's root: a root page this short is a front page whatever its body class says.)
    single = html.replace("class='home blog'", "class='single single-post'")
    assert extract_article(single, "https://tidewater.example/mussels-in-cider/").markdown == (
        "A kilo of mussels and some cider.\n"
    )


# --- tiny "articles": taglines and lone headings of front, archive and section pages -----------------

_TAGLINE_HOME = (
    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><meta name='generator' content='Hugo 0.120'>"
    "<title>Harbour Lights</title></head><body><main><h1>Harbour Lights</h1>"
    "<p>Notes on lighthouses and the people who kept them.</p></main></body></html>"
)


def _tiny_message(words: int, url: str) -> str:
    return (
        f"this page has only {words} words of text: it looks like a home or section page, not an article "
        f"(try `termreader latest {url}`)"
    )


def test_site_root_with_only_a_tagline_is_not_an_article() -> None:
    with pytest.raises(NotAnArticleError) as caught:
        extract_article(_TAGLINE_HOME, "https://harbour.example/")
    assert str(caught.value) == _tiny_message(9, "https://harbour.example/")


def test_archive_page_with_a_lone_heading_is_not_an_article() -> None:
    html = (
        "<!DOCTYPE html><html><head><title>Archive – Harbour Lights</title></head>"
        "<body class='archive category'><div id='content'><h1>Archive</h1></div>"
        "<aside><div class='wpp-widget-placeholder'></div></aside></body></html>"
    )
    url = "https://harbour.example/category/keepers/"
    with pytest.raises(NotAnArticleError) as caught:
        extract_article(html, url)
    assert str(caught.value) == _tiny_message(1, url)


def test_section_page_with_a_blurb_among_many_links_is_not_an_article() -> None:
    links = "".join(
        f"<li><a href='/keepers/{n}/'>The keeper of light number {n} and her logbook</a></li>"
        for n in range(6)
    )
    html = (
        "<!DOCTYPE html><html><head><title>Keepers</title></head><body>"
        f"<nav><ul>{links}</ul></nav>"
        "<div class='intro'><p>Stories of the keepers, one lighthouse at a time.</p></div></body></html>"
    )
    url = "https://harbour.example/keepers/"
    with pytest.raises(NotAnArticleError) as caught:
        extract_article(html, url)
    assert str(caught.value) == _tiny_message(9, url)


@pytest.mark.parametrize(
    ("html", "url"),
    [
        # The page says it is an article: a short post stays a post, even at the root of its site.
        (
            _TAGLINE_HOME.replace("<title>", "<meta property='og:type' content='article'><title>"),
            "https://harbour.example/",
        ),
        # A dated permalink is one post.
        (_TAGLINE_HOME, "https://harbour.example/2024/05/notes/"),
        # Off the root, with no listing class and little link text around it, short text is kept.
        (_TAGLINE_HOME, "https://harbour.example/about/"),
        # No address at all (a saved file): nothing says it is a front page.
        (_TAGLINE_HOME, None),
    ],
)
def test_short_pages_that_say_they_are_posts_are_kept(html: str, url: str | None) -> None:
    article = extract_article(html, url)
    assert article.markdown == "Notes on lighthouses and the people who kept them.\n"
    assert article.word_count == 9


# --- blocks readability-lxml drops from inside the article ------------------------------------------


def test_lists_and_quotes_between_kept_paragraphs_come_back_in_place() -> None:
    article = extract_article(page("howto-steps.html"), "https://greenhouse.example/howto/windowsill-herbs/")

    assert article.title == "How to Pot a Windowsill Herb Garden"
    assert lines(article.markdown) == [
        "A windowsill garden gives you fresh basil, chives and thyme all winter, and it costs less than a "
        "month of supermarket herbs. The whole job takes about an hour, most of it spent waiting for the "
        "compost to drain.",
        "## What You'll Need",
        "- Three terracotta pots with drainage holes",
        "- Peat-free multipurpose compost",
        "- A bag of horticultural grit",
        "- Young herb plants",
        "Step 1. Soak the terracotta pots in a bucket of water for ten minutes, so the dry clay does not "
        "pull the moisture straight out of the compost once you have planted.",
        "Step 2. Mix two parts compost with one part grit. Herbs from the Mediterranean hate wet feet, and "
        "the grit keeps the mix open long after the first watering.",
        "> My windowsill thyme survived its third winter in a terracotta pot with extra grit. Drainage is "
        "everything.",
        ">",
        "> — Ada Moss (@adamoss) January 4, 2025",
        "Step 3. Plant each herb at the depth it sat in its nursery pot, firm the compost gently with your "
        "fingers and water until it runs from the drainage hole.",
        "Step 4. Put the pots on the brightest windowsill you have, turn them a quarter turn every few days, "
        "and water only when the top of the compost feels dry.",
    ]
    # A player's ARIA menu, a list of links and the page's footer are not part of the article.
    for leftover in ("Captions", "Growing basil indoors", "written in a shed"):
        assert leftover not in article.markdown


def test_recovered_blocks_stay_between_the_first_and_last_kept_paragraph() -> None:
    doc = lxml.html.document_fromstring(
        "<html><body><ul><li>A list before the article starts here</li></ul>"
        "<div><p>The first paragraph that readability kept, long enough.</p>"
        "<ul><li>Between the two kept paragraphs, so it belongs</li></ul>"
        "<p>The last paragraph that readability kept, long enough too.</p></div>"
        "<ol><li>A list after the article ends, left out</li></ol></body></html>"
    )
    content = lxml.html.fragment_fromstring(
        "<div><p>The first paragraph that readability kept, long enough.</p>"
        "<p>The last paragraph that readability kept, long enough too.</p></div>"
    )

    assert recover_dropped_blocks(doc, content) == 1
    assert [(el.tag, " ".join(el.text_content().split())) for el in content] == [
        ("p", "The first paragraph that readability kept, long enough."),
        ("ul", "Between the two kept paragraphs, so it belongs"),
        ("p", "The last paragraph that readability kept, long enough too."),
    ]


def test_section_front_that_calls_itself_an_article_is_refused() -> None:
    url = "https://harbour-news.example/section/local/"
    with pytest.raises(NotAnArticleError) as caught:
        extract_article(page("section-front.html"), url)
    assert str(caught.value) == (
        f"this page is a list of articles, not an article (try `termreader latest {url}`)"
    )


def test_article_with_a_strip_of_teasers_under_it_is_kept() -> None:
    story = "".join(
        f"<p>Paragraph {n} of the harbour wall story: the stones were numbered one by one before the storm "
        "season, so the masons could put every block back where the sea had moved it.</p>"
        for n in range(1, 6)
    )
    html = page("section-front.html").replace(
        "<h1>Local</h1>", f"<h1>Local</h1><div class='story-body'>{story}</div>"
    )
    article = extract_article(html, "https://harbour-news.example/section/local/")
    assert lines(article.markdown)[0] == (
        "Paragraph 1 of the harbour wall story: the stones were numbered one by one before the storm "
        "season, so the masons could put every block back where the sea had moved it."
    )
    assert len(lines(article.markdown)) == 5
    assert "Mending nets by hand" not in article.markdown


def test_short_post_among_related_teasers_is_kept() -> None:
    related = "".join(
        f"<article class='post related-card'><h3><a href='/more-{n}/'>More from the quay, part {n}</a></h3>"
        f"<p>A short teaser for another story, number {n}.</p></article>"
        for n in range(5)
    )
    html = (
        "<!DOCTYPE html><html><head><title>Gull season</title></head><body class='single'>"
        "<article class='post'><h1><a href='/gull-season/'>Gull season</a></h1><div class='entry-content'>"
        "<p>The gulls are back on the fish market roof, louder than ever, and the harbour master has "
        "given up on the plastic owl. Keep your chips covered until you are safely indoors.</p></div>"
        "</article>"
        f"<section class='more-stories'>{related}</section></body></html>"
    )
    article = extract_article(html, "https://harbour-news.example/gull-season/")
    assert article.markdown == (
        "The gulls are back on the fish market roof, louder than ever, and the harbour master has given up "
        "on the plastic owl. Keep your chips covered until you are safely indoors.\n"
    )


def test_tree_document_scores_a_copy_and_returns_the_chosen_element() -> None:
    from termreader.fastreadability import TreeDocument

    paragraph = (
        "<p>The tide tables for the spring are pinned to the harbour office door, and every skipper "
        "checks them twice, because the sandbar at the mouth moves a little every single winter.</p>"
    )
    doc = lxml.html.document_fromstring(
        "<html><body><nav><a href='/'>Home</a> <a href='/boats/'>Boats</a></nav>"
        f"<div class='story'>{paragraph * 3}<p hidden>Draft note, not for print.</p></div></body></html>"
    )
    before = lxml.html.tostring(doc)

    content = TreeDocument(doc).summary_element()

    assert content is not None
    assert [p.text_content()[:30] for p in content.iter("p")] == ["The tide tables for the spring"] * 3
    assert "Boats" not in content.text_content()
    assert lxml.html.tostring(doc) == before  # the page tree we passed in is untouched


def test_huge_tables_are_cut_with_a_note() -> None:
    rows = "".join(f"<tr><td>row {n}</td><td>{n * 3}</td></tr>" for n in range(1_500))
    html = (
        "<html><head><title>Readings</title></head><body><article><h1>Readings</h1>"
        "<p>Every reading of the gauge this year, one row per day, as the logger wrote them down.</p>"
        f"<table><tr><th>day</th><th>mm</th></tr>{rows}</table>"
        "<p>The gauge was cleaned twice; both days are marked in the notes that follow the table.</p>"
        "</article></body></html>"
    )
    markdown = extract_article(html, "https://example.org/2026/01/readings.html").markdown
    assert "| row 998 | 2994 |" in markdown
    assert "row 999 " not in markdown
    assert "… 501 more table rows not shown" in markdown
