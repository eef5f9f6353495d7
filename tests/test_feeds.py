"""Feed parsing: every format we claim, on our own fixtures, plus a smoke run over the real-world corpus."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from termreader.errors import FeedError
from termreader.feeds import make_snippet, parse_feed, sniff_feed_kind
from termreader.models import ArticleRef
from tests.conftest import FIXTURES, SHARED, shared_path

FEEDS = FIXTURES / "feeds"
CET = timezone(timedelta(hours=1))
CEST = timezone(timedelta(hours=2))


def load(name: str, url: str | None = None, content_type: str | None = None) -> tuple[ArticleRef, ...]:
    return parse_feed(
        (FEEDS / name).read_bytes(), url or f"https://feeds.example.com/{name}", content_type
    ).items


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("rss091.xml", "rss"),
        ("rss10-rdf.xml", "rdf"),
        ("rss20-full.xml", "rss"),
        ("atom03.xml", "atom"),
        ("atom10-xmlbase.xml", "atom"),
        ("blogger-feedburner.atom", "atom"),
        ("jsonfeed10.json", "json"),
        ("jsonfeed11.json", "json"),
        ("jsonfeed-wrongtypes.json", "json"),
        ("rss-illformed.xml", "rss"),
        ("notafeed.html", None),
    ],
)
def test_sniff_feed_kind_reads_the_root_not_the_label(name: str, kind: str | None) -> None:
    assert sniff_feed_kind((FEEDS / name).read_bytes()) == kind


def test_sniff_handles_utf16_and_plain_json() -> None:
    atom = '<?xml version="1.0" encoding="utf-16"?><feed xmlns="http://www.w3.org/2005/Atom"/>'
    assert sniff_feed_kind(atom.encode("utf-16")) == "atom"
    assert sniff_feed_kind(atom.encode("utf-16-be")) == "atom"
    assert sniff_feed_kind(b'{"version": "1.0", "feed": {}}') is None
    assert sniff_feed_kind(b"") is None
    assert sniff_feed_kind(b"<!-- hi --><!DOCTYPE rss><rss version='2.0'/>") == "rss"


def test_rss091_with_doctype() -> None:
    feed = parse_feed((FEEDS / "rss091.xml").read_bytes(), "https://harbour.example.org/rss")
    assert (feed.kind, feed.title, feed.site_url) == ("rss", "Harbour Notes", "https://harbour.example.org/")
    assert feed.items == (
        ArticleRef(
            title="Tide tables for the autumn",
            url="https://harbour.example.org/notes/tide-tables",
            snippet="The autumn tide tables are pinned by the café door.",
        ),
        ArticleRef(
            title="The crane is back",
            url="https://harbour.example.org/notes/crane",
            snippet="After three weeks of repairs, the old crane lifts again.",
        ),
    )


def test_rss10_rdf_dc_fields() -> None:
    feed = parse_feed((FEEDS / "rss10-rdf.xml").read_bytes(), "https://orchard.example.net/index.rdf")
    assert (feed.kind, feed.title) == ("rdf", "Orchard Log")
    first, second = feed.items
    assert first.title == "Grafting old apple varieties"
    assert first.url == "https://orchard.example.net/2023/04/grafting"
    assert first.author == "Marta Ilves"
    assert first.published == datetime(2023, 4, 12, 5, 30, tzinfo=UTC)
    assert first.snippet == "Whip-and-tongue grafts took on seven of nine rootstocks this year."
    assert second.published == datetime(2023, 3, 2, 10, 0, tzinfo=UTC)


def test_rss20_full_item_fields() -> None:
    feed = parse_feed((FEEDS / "rss20-full.xml").read_bytes(), "https://lab.example.com/blog/feed/")
    assert (feed.kind, feed.title, feed.site_url) == (
        "rss",
        "Field & Stream Lab",
        "https://lab.example.com/blog/",
    )
    river, cores, open_day = feed.items
    assert river == ArticleRef(
        title='Measuring river flow with "floats"',
        url="https://lab.example.com/blog/2024/03/river-flow/",
        published=datetime(2024, 3, 5, 8, 15, tzinfo=CET),
        author="Ana Sousa",
        snippet=(
            "We dropped oranges in the river & timed them over fifty metres. "
            "It works better than you would think."
        ),
        thumbnail="https://lab.example.com/media/oranges-150x150.jpg",
    )
    # Relative link resolved against the channel link; "email (Name)" gives the name; empty description
    # falls back to content:encoded with its <style> dropped, cut at a word boundary.
    assert cores == ArticleRef(
        title="Sediment cores, part two",
        url="https://lab.example.com/blog/2024/02/sediment-cores-2/",
        published=datetime(2024, 2, 19, 16, 40, tzinfo=UTC),
        author="Pieter de Wit",
        snippet=(
            "Why cores? A sediment core is a column of mud that remembers every flood. "
            "We took eleven of them from the lower reach this winter, "
            "each about sixty centimetres long, and sliced them into…"
        ),
        thumbnail="https://lab.example.com/media/core.jpg",
    )
    assert open_day.snippet == "Come and see the flume. Saturday, 10:00–16:00…"
    assert open_day.thumbnail == "https://lab.example.com/media/flume.png"
    assert open_day.author is None


def test_atom03_goes_through_the_lenient_path() -> None:
    feed = parse_feed((FEEDS / "atom03.xml").read_bytes(), "https://compiler.example.io/atom.xml")
    assert (feed.kind, feed.title, feed.site_url) == (
        "atom",
        "Quiet Compiler",
        "https://compiler.example.io/",
    )
    assert feed.items == (
        ArticleRef(
            title="Register allocation, gently",
            url="https://compiler.example.io/2005/11/regalloc",
            published=datetime(2005, 11, 9, 11, 56, 34, tzinfo=UTC),
            author="Tomasz Wróbel",
            snippet="Graph colouring without tears.",
        ),
    )


def test_atom10_xml_base_and_relative_links() -> None:
    feed = parse_feed(
        (FEEDS / "atom10-xmlbase.xml").read_bytes(), "https://mirror.example.com/feeds/atom.xml"
    )
    assert (feed.kind, feed.title, feed.site_url) == ("atom", "Kettle & Code", "https://notes.example.dev/")
    assert feed.items == (
        ArticleRef(
            title="Brewing tea with a timer",
            url="https://notes.example.dev/posts/2024/tea-timer.html",
            published=datetime(2024, 5, 20, 9, 0, tzinfo=CEST),
            author="Ines Moreau",
            snippet="Three minutes for black, two for green.",
        ),
        ArticleRef(
            title="Notes on descaling",
            url="https://notes.example.dev/posts/2024/descaling.html",
            published=datetime(2024, 5, 2, 18, 30, tzinfo=UTC),
            author="Guest Writer",
            snippet="Citric acid, warm water, patience.",
            thumbnail="https://notes.example.dev/img/kettle.webp",
        ),
    )


def test_blogger_atom_prefers_feedburner_origlink() -> None:
    feed = parse_feed(
        (FEEDS / "blogger-feedburner.atom").read_bytes(), "https://feeds.feedburner.com/WoolWander"
    )
    assert (feed.title, feed.site_url) == ("Wool & Wander", "https://woolwander.blogspot.com/")
    sock, casting = feed.items
    assert sock == ArticleRef(
        title="A sock between Oslo and Bergen",
        url="https://woolwander.blogspot.com/2024/01/sock-oslo-bergen.html",
        published=datetime(2024, 1, 22, 10, 5, 0, 1000, tzinfo=CET),
        author="Hanne Lund",
        snippet="Seven hours, one sock, and a heel turned somewhere near Finse. The pattern is below.",
        thumbnail="https://blogger.googleusercontent.com/img/b/R29vZ2xl/s72-c/sock.jpg",
    )
    assert casting.url == "https://woolwander.blogspot.com/2024/01/casting-on.html"
    assert casting.published == datetime(2024, 1, 9, 3, 40, tzinfo=UTC)
    assert casting.author == "Guest Knitter"


def test_json_feed_1_0() -> None:
    feed = parse_feed((FEEDS / "jsonfeed10.json").read_bytes(), "https://sky.example.org/feed.json")
    assert (feed.kind, feed.title, feed.site_url) == ("json", "Pocket Astronomy", "https://sky.example.org/")
    eclipse, binoculars = feed.items
    assert eclipse == ArticleRef(
        title="Watching the eclipse from a car park",
        url="https://sky.example.org/2024/04/eclipse",
        published=datetime(2024, 4, 9, 0, 30, tzinfo=UTC),
        author="Lena Park",
        snippet="Totality lasted four minutes. The street lights came on.",
        thumbnail="https://sky.example.org/img/eclipse.jpg",
    )
    # No title: the first words of the text stand in; the relative url is resolved on home_page_url.
    assert binoculars.title == "You do not need a telescope to start: a pair of 10x50…"
    assert binoculars.url == "https://sky.example.org/2024/03/binoculars"


def test_json_feed_1_1_authors_summary_and_modified_date() -> None:
    items = load("jsonfeed11.json")
    assert [(i.title, i.author, i.snippet, i.published) for i in items] == [
        (
            "Rye, attempt three",
            "Sam Okafor",
            "Less water, longer proof, better crumb.",
            datetime(2024, 2, 10, 7, 0, tzinfo=UTC),
        ),
        ("Rye, attempt two", "Sam Okafor", None, datetime(2024, 2, 3, 7, 0, tzinfo=UTC)),
    ]
    assert items[1].thumbnail == "https://crumb.example.com/img/rye2.jpg"


def test_json_feed_with_wrong_types_is_read_without_crashing() -> None:
    feed = parse_feed((FEEDS / "jsonfeed-wrongtypes.json").read_bytes(), "https://odd.example.net/feed.json")
    assert feed.title == "2024"
    assert feed.items == (
        ArticleRef(
            title="404",
            url="https://odd.example.net/101",
            author="Single Author Object",
            snippet="The title of this item is a number.",
        ),
        ArticleRef(title="Linked elsewhere", url="https://elsewhere.example.com/102", author="Odd Editor"),
    )


def test_illformed_rss_keeps_ampersands_in_links() -> None:
    feed = parse_feed((FEEDS / "rss-illformed.xml").read_bytes(), "https://shop.example.org/feed")
    assert feed.title == "Corner Shop News & Views"
    assert [(i.title, i.url, i.published) for i in feed.items] == [
        (
            "Milk & bread prices",
            "https://shop.example.org/news?id=7&lang=en",
            datetime(2024, 1, 10, 9, tzinfo=UTC),
        ),
        (
            "New opening hours",
            "https://shop.example.org/news?id=6&lang=en",
            datetime(2024, 1, 2, 9, tzinfo=UTC),
        ),
    ]
    assert feed.items[0].snippet == "We kept the price of milk the same"


def test_localized_dates_become_none_or_fall_back_to_dc_date() -> None:
    items = load("rss-localized-date.xml")
    assert [i.published for i in items] == [
        None,  # "Domingo, 16 Junio 2024": not a date we can read, and not a crash
        datetime(2024, 6, 14, 8, 0, tzinfo=CEST),  # "Vie, 14 Jun 2024": the day name is ignored
        datetime(2024, 6, 12, 9, 0, tzinfo=CEST),  # "mañana" in pubDate, dc:date used instead
    ]
    assert items[0].author == "Lucía Romero"


def test_duplicates_need_the_same_link_and_guid() -> None:
    items = load("rss-duplicate-guids.xml")
    assert [(i.title, i.url) for i in items] == [
        ("The three doors", "https://puzzles.example.com/p/301"),
        ("The two ropes", "https://puzzles.example.com/p/300"),
        ("The broken clock", "https://puzzles.example.com/p/299"),
    ]


def test_http_charset_beats_the_xml_declaration() -> None:
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Caf\u00e9</title>'
        "<item><title>Cr\u00e8me</title><link>https://x.example/1</link></item></channel></rss>"
    ).encode("latin-1")
    feed = parse_feed(body, "https://x.example/feed", "application/rss+xml; charset=iso-8859-1")
    assert feed.title == "Café"
    assert feed.items[0].title == "Crème"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            (FEEDS / "notafeed.html").read_bytes(),
            "https://x.example/f is not a feed (it looks like an HTML page)",
        ),
        (b"   \n", "https://x.example/f is empty, not a feed"),
        (b'{"version": "1.0", "feed": {}}', "https://x.example/f is JSON but not a JSON Feed"),
        (b"just some words", "https://x.example/f is not a feed (no XML or JSON in it)"),
        (b"<?xml version='1.0'?><opml version='2.0'><body/></opml>", "https://x.example/f is not a feed"),
    ],
)
def test_not_a_feed_raises_feed_error(body: bytes, message: str) -> None:
    with pytest.raises(FeedError) as caught:
        parse_feed(body, "https://x.example/f")
    assert str(caught.value) == message


def test_make_snippet_cuts_at_a_word_and_drops_scripts() -> None:
    assert (
        make_snippet("<p>Hello <script>evil()</script>world &amp; all</p><!-- note -->")
        == "Hello world & all"
    )
    long_text = "word " * 100
    snippet = make_snippet(long_text)
    assert snippet is not None
    assert snippet.endswith("word…")
    assert len(snippet) <= 201
    assert make_snippet("Ends here [&#8230;]") == "Ends here…"
    assert make_snippet("   ") is None


_PARAGRAPH = (
    "<p>The <em>harbour</em> ferry leaves at dawn &amp; returns when the tide allows; "
    'the <a href="https://example.org/tides">tide tables</a> are pinned by the ticket window.</p>\n'
)
_PARAGRAPH_TEXT = (
    "The harbour ferry leaves at dawn & returns when the tide allows; "
    "the tide tables are pinned by the ticket window."
)


def test_snippet_of_a_long_description_reads_only_its_start() -> None:
    # Forty paragraphs (~6 KB): the snippet is the same as if the whole description had been stripped.
    snippet = make_snippet(_PARAGRAPH * 40)
    whole = " ".join([_PARAGRAPH_TEXT] * 40)
    cut = whole[:201]
    assert snippet == cut[: cut.rfind(" ")].rstrip(" ,;:-") + "…"
    assert snippet == (
        "The harbour ferry leaves at dawn & returns when the tide allows; the tide tables are pinned by "
        "the ticket window. The harbour ferry leaves at dawn & returns when the tide allows; the tide "
        "tables are…"
    )


def test_snippet_when_markup_fills_the_start_of_a_long_description() -> None:
    # A 3 KB image URL and a comment before any text: the window grows, the comment never leaks.
    image = '<figure><img src="https://example.org/' + "x" * 3000 + '.jpg" alt=""></figure>'
    comment = "<!-- <p>draft: do not publish</p> -->"
    snippet = make_snippet(image + comment + _PARAGRAPH * 10)
    assert snippet is not None
    assert snippet.startswith("The harbour ferry leaves at dawn & returns")
    assert "draft" not in snippet
    assert len(snippet) <= 201
    # Short text after a long run of markup: all of it, nothing cut.
    assert make_snippet(image * 3 + "<p>Only this.</p>") == "Only this."


def _corpus_files() -> list[Path]:
    root = SHARED / "corpus" / "feeds"
    if not root.is_dir():
        return [Path("corpus-absent")]
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return [*files, SHARED / "corpus" / "wordpress" / "wp-feed-localized-bad-date.rss"]


@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: p.name)
def test_corpus_feed_parses_or_raises_feed_error(path: Path) -> None:
    real = shared_path(*path.relative_to(SHARED).parts) if path.name != "corpus-absent" else shared_path("x")
    try:
        feed = parse_feed(real.read_bytes(), "https://feeds.example.com/corpus/" + real.name)
    except FeedError as error:
        assert str(error).startswith("https://feeds.example.com/corpus/")
        return
    assert feed.kind in ("rss", "atom", "rdf", "json")
    for item in feed.items:
        assert item.url.startswith(("http://", "https://")), item.url
        assert item.title
        assert item.published is None or item.published.tzinfo is not None


def test_corpus_real_feeds_have_their_items() -> None:
    root = shared_path("corpus", "feeds")
    counts = {
        name: len(parse_feed((root / name).read_bytes(), "https://feeds.example.com/" + name).items)
        for name in ("guardian.rss", "heise.atom", "blogger-atom-via-feedburner.atom", "reddit.rss")
    }
    assert counts == {
        "guardian.rss": 55,
        "heise.atom": 15,
        "blogger-atom-via-feedburner.atom": 25,
        "reddit.rss": 24,
    }
    blogger = parse_feed((root / "blogger-atom-via-feedburner.atom").read_bytes(), "https://x.example/feed")
    assert all("feedproxy" not in item.url for item in blogger.items)
    assert blogger.items[0].url.startswith("http://googleadsdeveloper.blogspot.com/2016/06/")


def test_atom_xhtml_and_text_keep_angle_brackets_as_text() -> None:
    body = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
    <entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">a &lt; b <em>now</em></div></title>
    <link href="https://t.example/1"/><id>1</id><updated>2024-01-01T00:00:00Z</updated>
    <summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">
    <pre>if x &lt; 3 &amp;&amp; y &gt; 2</pre></div></summary>
    </entry>
    <entry><title>x &lt; y</title><link href="https://t.example/2"/><id>2</id><updated>2024-01-01T00:00:00Z</updated>
    <summary>3 &lt; 4 and &lt;b&gt; is shown as typed</summary></entry></feed>"""
    items = parse_feed(body, "https://t.example/atom").items
    assert [(i.title, i.snippet) for i in items] == [
        ("a < b now", "if x < 3 && y > 2"),
        ("x < y", "3 < 4 and <b> is shown as typed"),
    ]


@pytest.mark.parametrize(
    "name",
    ["guardian.rss", "heise.atom", "reddit.rss", "medium-rss-content-encoded.rss", "encoding.rss"],
)
def test_fast_path_agrees_with_feedparser_on_real_feeds(name: str) -> None:
    from termreader.feeds import _fast_parse, _parse_with_feedparser

    body = shared_path("corpus", "feeds", name).read_bytes()
    fast = _fast_parse(body, "https://feeds.example.com/" + name, None)
    slow = _parse_with_feedparser(body, "https://feeds.example.com/" + name, None, fast.kind)
    assert (fast.title, fast.site_url) == (slow.title, slow.site_url)
    assert fast.items == slow.items


def test_hostile_titles_and_links_are_tamed() -> None:
    body = (
        '<rss version="2.0"><channel><title>H</title>'
        f"<item><title>{'A' * 5000}</title><link>https://h.example/1</link></item>"
        "<item><title>Bad \u202eeman\x07</title><link>javascript:alert(1)</link></item>"
        "<item><title>Ok \u202etxt.exe\x1b[2J</title><link>https://h.example/2</link>"
        '<media:thumbnail xmlns:media="http://search.yahoo.com/mrss/" url="javascript:x"/></item>'
        "</channel></rss>"
    ).encode()
    items = parse_feed(body, "https://h.example/feed").items
    assert [len(i.title) for i in items] == [300, 13]
    assert items[0].title.endswith("A…")
    assert items[1] == ArticleRef(title="Ok txt.exe[2J", url="https://h.example/2")


def test_parse_feed_with_the_text_already_decoded_reads_the_same() -> None:
    body = (
        "<?xml version='1.0' encoding='windows-1252'?><rss version='2.0'><channel><title>Caf\xe9</title>"
        "<item><title>Cr\xe8me br\xfbl\xe9e</title><link>https://example.org/creme</link>"
        "<description>&lt;p&gt;Sugar, then fire.&lt;/p&gt;</description></item></channel></rss>"
    ).encode("cp1252")
    decoded = body.decode("cp1252")
    plain = parse_feed(body, "https://example.org/feed", "application/rss+xml")
    given = parse_feed(body, "https://example.org/feed", "application/rss+xml", text=decoded)
    assert given == plain
    assert given.title == "Café"
    assert [(i.title, i.url, i.snippet) for i in given.items] == [
        ("Crème brûlée", "https://example.org/creme", "Sugar, then fire.")
    ]


def test_items_beyond_the_cap_are_not_read() -> None:
    from termreader.feeds import MAX_ITEMS

    items = "".join(
        f"<item><title>Item {n}</title><link>https://example.org/{n}</link></item>"
        for n in range(MAX_ITEMS + 50)
    )
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'
    feed = parse_feed(body.encode(), "https://example.org/feed")
    assert len(feed.items) == MAX_ITEMS
    assert feed.items[0].title == "Item 0"
    assert feed.items[-1].title == f"Item {MAX_ITEMS - 1}"
