"""Article lists read from HTML index pages (sites without a feed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from termreader.listing import extract_listing
from termreader.models import ArticleRef
from tests.conftest import SITES, shared_path

BST = timezone(timedelta(hours=1))
PDT = timezone(timedelta(hours=-7))

BLOGGER_CLASSIC = """<!DOCTYPE html><html><head><meta content='blogger' name='generator'/></head>
<body class='loading variant-pale'>
<div class='blog-posts hfeed'>
 <div class="date-outer"><h2 class='date-header'><span>Dienstag, 7. Mai 2024</span></h2>
  <div class="date-posts">
   <div class='post-outer'><div class='post hentry' itemprop='blogPost'>
    <h3 class='post-title entry-title' itemprop='name'>
     <a href='https://moss.example.de/2024/05/moos.html'>Moos im Schatten</a></h3>
    <div class='post-body entry-content' id='post-body-1'>
     Moos wächst dort, wo Rasen aufgibt &#8211; und das ist gut so.
     <img src='//1.bp.example.com/moss/s320/moos.jpg'/></div>
    <div class='post-footer'><span class='post-author vcard'>Posted by <span class='fn' itemprop='author'>
     <span itemprop='name'>Jutta Berg</span></span></span>
     <a class='timestamp-link' href='https://moss.example.de/2024/05/moos.html' rel='bookmark'>
     <abbr class='published' itemprop='datePublished' title='2024-05-07T09:15:00+02:00'>9:15</abbr></a>
     <img class='icon-action' src='https://resources.blogblog.com/img/icon18_edit_allbkg.gif'/></div>
   </div></div>
   <div class='post-outer'><div class='post hentry' itemprop='blogPost'>
    <h3 class='post-title entry-title'><a href='https://moss.example.de/2024/05/farn.html?m=1'>Farne</a></h3>
    <div class='post-body entry-content'>Kurz.</div>
    <div class='post-footer'><a class='timestamp-link' href='https://moss.example.de/2024/05/farn.html'>
     <abbr class='published' title='2024-05-01T18:00:00+02:00'>18:00</abbr></a></div>
   </div></div>
  </div></div>
</div></body></html>"""

BLOGGER_2017 = """<!DOCTYPE html><html><head><meta content='blogger' name='generator'/></head>
<body class='home-view version-1-3-3 variant-indie_light'>
<div class='blog-posts hfeed container'>
 <article class='post-outer-container'><div class='post-outer'><div class='post'>
  <h3 class='post-title entry-title'>
   <a href='https://lamp.example.com/2024/03/wick.html'>Trimming the wick</a></h3>
  <div class='post-header'><span class='byline post-author vcard'><span class='byline-label'>By</span>
   <span class='fn'>Ola Nordmann</span></span>
   <span class='byline post-timestamp'>
    <time class='published' datetime='2024-03-12T20:00:00Z'>March 12, 2024</time></span></div>
  <div class='container post-body entry-content' id='post-snippet-77'>
   <div class='snippet-thumbnail'><img src='https://lamp.example.com/img/wick-s600.jpg'/></div>
   <div class='post-snippet snippet-container r-snippet-container'>
    <div class='snippet-item r-snippetized'>A square cut burns clean; a rounded one smokes &#8230;</div></div>
   <a class='snippet-fade r-snippet-fade hidden' href='https://lamp.example.com/2024/03/wick.html'></a></div>
  <div class='jump-link flat-button'><a href='https://lamp.example.com/2024/03/wick.html'>Read more</a></div>
 </div></div></article>
 <article class='post-outer-container'><div class='post-outer'><div class='post'>
  <h3 class='post-title entry-title'><a href='https://lamp.example.com/2024/02/oil.html'>Which oil?</a></h3>
  <span class='byline post-timestamp'>
   <time class='published' datetime='2024-02-01T08:00:00Z'>Feb 1</time></span>
  <div class='snippet-item r-snippetized'>Paraffin, mostly...</div>
 </div></div></article>
</div></body></html>"""


def test_blogger_classic_listing() -> None:
    assert extract_listing(BLOGGER_CLASSIC, "https://moss.example.de/") == [
        ArticleRef(
            title="Moos im Schatten",
            url="https://moss.example.de/2024/05/moos.html",
            published=datetime(2024, 5, 7, 9, 15, tzinfo=timezone(timedelta(hours=2))),
            author="Jutta Berg",
            snippet="Moos wächst dort, wo Rasen aufgibt – und das ist gut so.",
            thumbnail="https://1.bp.example.com/moss/s320/moos.jpg",
        ),
        ArticleRef(
            title="Farne",
            url="https://moss.example.de/2024/05/farn.html?m=1",
            published=datetime(2024, 5, 1, 18, 0, tzinfo=timezone(timedelta(hours=2))),
            snippet="Kurz.",
        ),
    ]


def test_blogger_2017_listing() -> None:
    assert extract_listing(BLOGGER_2017, "https://lamp.example.com/") == [
        ArticleRef(
            title="Trimming the wick",
            url="https://lamp.example.com/2024/03/wick.html",
            published=datetime(2024, 3, 12, 20, 0, tzinfo=UTC),
            author="Ola Nordmann",
            snippet="A square cut burns clean; a rounded one smokes…",
            thumbnail="https://lamp.example.com/img/wick-s600.jpg",
        ),
        ArticleRef(
            title="Which oil?",
            url="https://lamp.example.com/2024/02/oil.html",
            published=datetime(2024, 2, 1, 8, 0, tzinfo=UTC),
            snippet="Paraffin, mostly…",
        ),
    ]


def test_generic_repeated_blocks_same_site_only_and_no_sidebar() -> None:
    html = (SITES / "plain-index" / "index.html").read_text(encoding="utf-8")
    assert extract_listing(html, "https://allotment.example.org/") == [
        ArticleRef(
            title="Onions, & why they bolt",
            url="https://allotment.example.org/letters/2024-06-onions.html",
            published=datetime(2024, 6, 2, 7, 30, tzinfo=BST),
            author="Gwen Hale",
            snippet=(
                "Onions bolt when a cold snap follows warm days: the plant thinks winter has come and gone, "
                "and it is time to flower."
            ),
            thumbnail="https://allotment.example.org/img/onions.jpg",
        ),
        ArticleRef(
            title="Slugs: a truce",
            url="https://allotment.example.org/letters/2024-05-slugs.html",
            published=datetime(2024, 5, 19, 7, 30, tzinfo=BST),
            author="Gwen Hale",
            snippet="Beer traps work, but so does a second lettuce row that you plant for the slugs alone.",
        ),
        ArticleRef(
            title="Compost temperatures",
            url="https://allotment.example.org/letters/2024-05-compost.html",
            snippet="Sixty degrees in the middle of the heap by day four.",
        ),
    ]


def test_wordpress_home_articles() -> None:
    html = (SITES / "wordpress-basic" / "index.html").read_text(encoding="utf-8")
    html = html.replace("{{BASE}}", "https://kitchen.example.com")
    assert extract_listing(html, "https://kitchen.example.com/") == [
        ArticleRef(
            title="Mussels in cider",
            url="https://kitchen.example.com/2024/04/mussels-in-cider/",
            published=datetime(2024, 4, 20, 12, 0, tzinfo=UTC),
            author="Ellen Marsh",
            snippet="A kilo of mussels, a bottle of dry cider and twenty minutes.",
        ),
        ArticleRef(
            title="Samphire, briefly",
            url="https://kitchen.example.com/2024/04/samphire/",
            published=datetime(2024, 4, 6, 12, 0, tzinfo=UTC),
            author="Ellen Marsh",
            snippet="Blanch it for one minute. Not two.",
        ),
    ]


def test_nothing_list_like_gives_empty() -> None:
    article = (
        "<html><body><article><h1>One post</h1><p>Body text that is long enough.</p></article></body></html>"
    )
    assert extract_listing(article, "https://x.example/post") == []
    assert extract_listing("", "https://x.example/") == []
    nav_only = (
        "<html><body><nav><ul><li><h3><a href='/a'>A</a></h3></li><li><h3><a href='/b'>B</a></h3></li>"
        "</ul></nav></body></html>"
    )
    assert extract_listing(nav_only, "https://x.example/") == []


def test_corpus_blogger_archive_page() -> None:
    html = shared_path("corpus", "blogger", "classic-simple-archive-page-no-popularposts.html").read_text(
        encoding="utf-8", errors="replace"
    )
    assert extract_listing(html, "http://unexpecteduser.blogspot.com/2011/") == [
        ArticleRef(
            title="This Is My Old Blog",
            url="http://unexpecteduser.blogspot.de/2011/03/this-is-my-old-blog.html",
            published=datetime(2011, 3, 30, 21, 5, tzinfo=PDT),
            author="Xyzzy Magic",
            snippet=(
                "This is where my blog used to be; I only still have the name because I used it for OpenID "
                "in the past and soon discovered that no blog = no login. :-p"
            ),
        )
    ]
