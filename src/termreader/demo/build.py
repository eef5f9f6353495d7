"""Render the demo articles (demo/content/) into two static site folders shaped like Blogger and WordPress.

The sites are committed under demo/sites/ so the demo needs nothing at run time; a test rebuilds them into a
temp dir and compares, so content and output never drift. Rebuild with `python -m termreader.demo.build`.
Every absolute URL is written as `{{BASE}}`, which SiteServer replaces with its own address.
"""
# The templates copy the real platforms' markup line for line, long attribute lists included.
# ruff: noqa: E501

from __future__ import annotations

import json
import shutil
import struct
import sys
import zlib
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Final

from lxml import html as lxml_html

DEMO_DIR: Final = Path(__file__).resolve().parent
CONTENT_DIR: Final = DEMO_DIR / "content"
SITES_DIR: Final = DEMO_DIR / "sites"
BASE: Final = "{{BASE}}"

BLOGGER_SITE: Final = "blogger-demo"
WORDPRESS_SITE: Final = "wordpress-demo"
BLOGGER_TITLE: Final = "Terminal Hours"
BLOGGER_TAGLINE: Final = "Notes on reading, writing and living inside a text terminal."
BLOG_ID: Final = "7301234567890123456"
WORDPRESS_TITLE: Final = "Feed Notes"
WORDPRESS_TAGLINE: Final = "Syndication, offline reading and the plumbing of the open web."


@dataclass(frozen=True, slots=True)
class Comment:
    author: str
    date: datetime
    text: str


@dataclass(frozen=True, slots=True)
class Post:
    """One article: front matter plus its body HTML (with `{{BASE}}` links)."""

    slug: str
    title: str
    date: datetime
    author: str
    labels: tuple[str, ...]
    summary: str
    image: str
    image_alt: str
    popular: int | None
    comments: tuple[Comment, ...]
    body: str
    number: int
    """Stable per-site post number (Blogger post id suffix, WordPress post id)."""

    @property
    def text(self) -> str:
        """The body as plain text, whitespace collapsed (for snippets)."""
        return " ".join(lxml_html.fragment_fromstring(self.body, create_parent="div").text_content().split())


def parse_post(path: Path, number: int) -> Post:
    """Read `<!-- key: value … -->` front matter and the HTML body that follows it."""
    raw = path.read_text(encoding="utf-8")
    if not raw.startswith("<!--"):
        raise ValueError(f"{path}: missing front matter")
    head, body = raw[4:].split("-->", 1)
    meta: dict[str, str] = {}
    comments: list[Comment] = []
    for line in head.strip().splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key == "comment":
            author, when, text = (part.strip() for part in value.split("|", 2))
            comments.append(Comment(author, datetime.fromisoformat(when), text))
        else:
            meta[key] = value
    if "]]>" in body:
        raise ValueError(f"{path}: ']]>' would break the feed's CDATA section")
    return Post(
        slug=path.stem.split("-", 1)[1],
        title=meta["title"],
        date=datetime.fromisoformat(meta["date"]),
        author=meta["author"],
        labels=tuple(label.strip() for label in meta["labels"].split(",")),
        summary=meta["summary"],
        image=f"banner-{path.stem.split('-', 1)[1]}.svg",
        image_alt=meta["image_alt"],
        popular=int(meta["popular"]) if meta.get("popular") else None,
        comments=tuple(comments),
        body=body.strip() + "\n",
        number=number,
    )


def load_posts(site: str) -> list[Post]:
    """The site's posts, newest first."""
    files = sorted((CONTENT_DIR / site).glob("*.html"))
    posts = [parse_post(path, 41 + index * 7) for index, path in enumerate(files)]
    return sorted(posts, key=lambda post: post.date, reverse=True)


def cut(text: str, limit: int) -> str:
    """The text cut at a word boundary before `limit` characters (no ellipsis added)."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.—-")


def png(width: int, height: int, rgb: tuple[int, int, int], stripe: tuple[int, int, int]) -> bytes:
    """A tiny solid PNG with a stripe, so thumbnails are real images without shipping binaries by hand."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        colour = stripe if height // 3 <= y < height // 3 + max(2, height // 8) else rgb
        rows.extend(bytes(colour) * width)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def banner_svg(post: Post, *, index: int) -> str:
    """A 1200x400 title banner (the post's featured image), drawn as text so it stays a few hundred bytes."""
    base, stripe = THUMB_COLOURS[index % len(THUMB_COLOURS)]
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="400" viewBox="0 0 1200 400" role="img">\n'
        f"<title>{escape(post.image_alt)}</title>\n"
        f'<rect width="1200" height="400" fill="rgb{base}"/>\n'
        f'<rect x="0" y="300" width="1200" height="12" fill="rgb{stripe}"/>\n'
        f'<text x="60" y="200" font-family="monospace" font-size="56" fill="#f0f0f0">{escape(post.title)}</text>\n'
        f'<text x="60" y="270" font-family="monospace" font-size="28" fill="rgb{stripe}">$ termreader demo</text>\n'
        "</svg>\n"
    )


THUMB_COLOURS: Final = (
    ((40, 44, 52), (97, 175, 239)),
    ((33, 37, 43), (152, 195, 121)),
    ((45, 42, 46), (229, 192, 123)),
    ((30, 34, 39), (224, 108, 117)),
    ((38, 40, 48), (198, 120, 221)),
)


def _long_date(when: datetime) -> str:
    return f"{when:%B} {when.day}, {when.year}"


# --- Blogger ---------------------------------------------------------------------------------


def blogger_url(post: Post) -> str:
    return f"{BASE}/{post.date:%Y/%m}/{post.slug}.html"


def blogger_post_id(post: Post) -> str:
    return f"58120937415{post.number:05d}"


BLOGGER_CSS: Final = """\
body{margin:0;font:15px/1.6 Roboto,sans-serif;color:#212121;background:#eeeeee}
.centered-top-container{background:#24292e;color:#fff;padding:24px}
.centered-top-container a{color:#fff;text-decoration:none}
.page_body .centered{display:flex;gap:24px;max-width:1100px;margin:0 auto;padding:24px}
main.centered-bottom{flex:1;min-width:0}
.post-outer-container{background:#fff;padding:24px;margin-bottom:24px;box-shadow:0 1px 4px rgba(0,0,0,.15)}
.post-body img{max-width:100%;height:auto}
.post-body pre{background:#f6f8fa;padding:12px;overflow:auto}
.post-body table{border-collapse:collapse}.post-body td,.post-body th{border:1px solid #ccc;padding:4px 8px}
.sidebar-container{width:300px;flex:none}
.widget .popular-posts ul{list-style:none;padding:0}
.PopularPosts .item-thumbnail{float:left;margin:0 8px 4px 0}
.jump-link a{text-transform:uppercase;font-size:13px}
"""


def _blogger_head(title: str, canonical: str, description: str, image: str, extra: str) -> str:
    return f"""<!DOCTYPE html>
<html class='v2' dir='ltr' lang='en' xmlns='http://www.w3.org/1999/xhtml' xmlns:b='http://www.google.com/2005/gml/b' xmlns:data='http://www.google.com/2005/gml/data' xmlns:expr='http://www.google.com/2005/gml/expr'>
<head>
<meta content='width=device-width, initial-scale=1' name='viewport'/>
<title>{escape(title)}</title>
<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>
<meta content='blogger' name='generator'/>
<link href='{BASE}/favicon.ico' rel='icon' type='image/x-icon'/>
<link href='{canonical}' rel='canonical'/>
<link rel="alternate" type="application/atom+xml" title="{BLOGGER_TITLE} - Atom" href="{BASE}/feeds/posts/default" />
<link rel="alternate" type="application/rss+xml" title="{BLOGGER_TITLE} - RSS" href="{BASE}/feeds/posts/default?alt=rss" />
{extra}<meta content='{escape(description, quote=True)}' name='description'/>
<meta content='{canonical}' property='og:url'/>
<meta content='{escape(title.split(" | ")[0], quote=True)}' property='og:title'/>
<meta content='{escape(description, quote=True)}' property='og:description'/>
<meta content='{image}' property='og:image'/>
<style id='page-skin-1' type='text/css'><!--
{BLOGGER_CSS}--></style>
</head>
"""


def _blogger_header() -> str:
    return f"""<div class='page'>
<header class='centered-top-container' role='banner'>
<div class='centered-top'>
<div class='section' id='header' name='Header'><div class='widget Header' data-version='2' id='Header1'>
<div class='header-widget'>
<div><h1><a href='{BASE}/'>{BLOGGER_TITLE}</a></h1></div>
<p>{BLOGGER_TAGLINE}</p>
</div>
</div></div>
</div>
</header>
<div class='page_body'>
<div class='centered'>
<main class='centered-bottom' id='main' role='main' tabindex='-1'>
<div class='main section' id='page_body' name='Page body'>
<div class='widget Blog' data-version='2' id='Blog1'>
<div class='blog-posts hfeed container'>
"""


def _blogger_popular_widget(posts: list[Post]) -> str:
    ranked = sorted((post for post in posts if post.popular is not None), key=lambda post: post.popular or 0)
    items = []
    for post in ranked:
        url = blogger_url(post)
        snippet = escape(cut(post.text, 150)) + "..."
        items.append(f"""<li>
<div class='item-content'>
<div class='item-thumbnail'>
<a href='{url}' target='_blank'>
<img alt='' border='0' height='72' src='{BASE}/images/thumb-{post.slug}.png' width='72'/>
</a>
</div>
<div class='item-title'><a href='{url}'>{escape(post.title)}</a></div>
<div class='item-snippet'>{snippet}</div>
</div>
<div style='clear: both;'></div>
</li>
""")
    return f"""<div class='widget PopularPosts' data-version='1' id='PopularPosts1'>
<h2>Popular Posts</h2>
<div class='widget-content popular-posts'>
<ul>
{"".join(items)}</ul>
<div class='clear'></div>
</div>
</div>
"""


def _blogger_sidebar_and_footer(posts: list[Post]) -> str:
    archive = "".join(
        f"<li><a class='post-count-link' href='{blogger_url(post)}'>{escape(post.title)}</a></li>\n"
        for post in posts
    )
    return f"""</div>
</div>
</div>
</main>
<aside class='sidebar-container container' role='complementary'>
<div class='sidebar_top_wrapper'>
<div class='sidebar_top section' id='sidebar_top' name='Sidebar (Top)'>
{_blogger_popular_widget(posts)}<div class='widget BlogArchive' data-version='1' id='BlogArchive1'>
<h2>Blog Archive</h2>
<div class='widget-content'><div id='ArchiveList'><ul class='posts'>
{archive}</ul></div></div>
</div>
</div>
</div>
</aside>
</div>
</div>
<footer class='footer section' id='footer' name='Footer'>
<div class='widget Attribution' data-version='2' id='Attribution1'>
<div class='widget-content'>Powered by Blogger. Demo content written for termreader.</div>
</div>
</footer>
</div>
<script type='text/javascript'>
window['__wavt'] = 'demo';
_WidgetManager._Init('//www.blogger.com/rearrange?blogID={BLOG_ID}','//demo/','{BLOG_ID}');
</script>
</body>
</html>
"""


def _blogger_byline(post: Post, url: str, *, with_author: bool) -> str:
    author = ""
    if with_author:
        author = f"""<span class='byline post-author vcard'>
<span class='post-author-label'>By</span>
<span class='fn'>
<meta content='{BASE}/profile/{post.author.split()[0].lower()}'/>
<a class='g-profile' href='{BASE}/profile/{post.author.split()[0].lower()}' rel='author' title='author profile'><span>{escape(post.author)}</span></a>
</span>
</span>
"""
    stamp = post.date.isoformat()
    return f"""<div class='post-header'>
<div class='post-header-line-1'>
{author}<span class='byline post-timestamp'>
<meta content='{url}'/>
<a class='timestamp-link' href='{url}' rel='bookmark' title='permanent link'><time class='published' datetime='{stamp}' title='{stamp}'>{_long_date(post.date)}</time></a>
</span>
</div>
</div>
"""


def _blogger_json_ld(post: Post) -> str:
    data = {
        "@context": "http://schema.org",
        "@type": "BlogPosting",
        "mainEntityOfPage": {"@type": "WebPage", "@id": blogger_url(post)},
        "headline": post.title,
        "description": post.summary,
        "datePublished": post.date.isoformat(),
        "dateModified": post.date.isoformat(),
        "image": {"@type": "ImageObject", "url": f"{BASE}/images/{post.image}", "height": 348, "width": 1200},
        "publisher": {"@type": "Organization", "name": "Blogger"},
        "author": {"@type": "Person", "name": post.author},
    }
    return (
        "<script type='application/ld+json'>" + json.dumps(data, ensure_ascii=False, indent=2) + "</script>\n"
    )


def blogger_post_page(post: Post, posts: list[Post]) -> str:
    url = blogger_url(post)
    post_id = blogger_post_id(post)
    comments_feed = (
        f'<link rel="alternate" type="application/atom+xml" title="{BLOGGER_TITLE} - Atom" '
        f'href="{BASE}/feeds/{post_id}/comments/default" />\n'
    )
    labels = ", ".join(
        f"<a href='{BASE}/search/label/{escape(label)}' rel='tag'>{escape(label)}</a>"
        for label in post.labels
    )
    comments = "".join(
        f"""<li class='comment' id='c{post_id}{index}'>
<div class='comment-block'>
<div class='comment-header'><cite class='user'>{escape(comment.author)}</cite>
<span class='icon user'></span><span class='datetime secondary-text'><a href='{url}?showComment={index}#c{post_id}{index}' rel='nofollow'>{_long_date(comment.date)} at {comment.date:%H:%M}</a></span></div>
<p class='comment-content'>{escape(comment.text)}</p>
<span class='comment-actions secondary-text'><a class='comment-reply' data-comment-id='{index}' target='_self'>Reply</a></span>
</div>
</li>
"""
        for index, comment in enumerate(post.comments, start=1)
    )
    index = posts.index(post)
    newer = posts[index - 1] if index > 0 else None
    older = posts[index + 1] if index + 1 < len(posts) else None
    pager = ""
    if newer:
        pager += f"<a class='blog-pager-newer-link' href='{blogger_url(newer)}' title='Newer Post'>Newer Post</a>\n"
    if older:
        pager += f"<a class='blog-pager-older-link' href='{blogger_url(older)}' title='Older Post'>Older Post</a>\n"
    return (
        _blogger_head(
            f"{post.title} | {BLOGGER_TITLE}", url, post.summary, f"{BASE}/images/{post.image}", comments_feed
        )
        + "<body class='item-view version-1-3-3 variant-indie_light'>\n"
        + _blogger_header()
        + f"""<article class='post-outer-container'>
<div class='post-outer'>
<div class='post'>
{_blogger_json_ld(post)}<a name='{post_id}'></a>
<h3 class='post-title entry-title'>
{escape(post.title)}
</h3>
{_blogger_byline(post, url, with_author=True)}<div class='post-body entry-content float-container' id='post-body-{post_id}'>
{post.body}</div>
<div class='post-footer'>
<div class='post-footer-line post-footer-line-1'>
<span class='byline post-labels'><span class='byline-label'>Labels:</span>
{labels}
</span>
</div>
<div class='post-share-buttons post-share buttons-top'>
<div class='byline post-share-buttons goog-inline-block'>
<a class='goog-inline-block share-button sb-email' href='{BASE}/share-post.g?target=email' target='_blank' title='Email This'><span class='share-button-link-text'>Email This</span></a>
<a class='goog-inline-block share-button sb-blog' href='{BASE}/share-post.g?target=blog' target='_blank' title='BlogThis!'><span class='share-button-link-text'>BlogThis!</span></a>
</div>
</div>
</div>
</div>
</div>
<section class='comments threaded' data-num-comments='{len(post.comments)}' id='comments'>
<a name='comments'></a>
<h3 class='title'>Comments</h3>
<div class='comments-content'>
<div class='comment-thread toplevel-thread'>
<ol id='top-ra'>
{comments}</ol>
</div>
</div>
<p class='comment-footer'><a href='{url}#comment-form'>Post a Comment</a></p>
</section>
</article>
</div>
<div class='blog-pager container' id='blog-pager'>
{pager}<a class='home-link' href='{BASE}/'>Home</a>
</div>
"""
        + _blogger_sidebar_and_footer(posts)
    )


def blogger_home(posts: list[Post]) -> str:
    articles = []
    for post in posts:
        url = blogger_url(post)
        snippet = escape(cut(post.text, 280)) + "&#8230;"
        articles.append(f"""<article class='post-outer-container'>
<div class='post-outer'>
<div class='post'>
<a name='{blogger_post_id(post)}'></a>
<h3 class='post-title entry-title'>
<a href='{url}'>{escape(post.title)}</a>
</h3>
{_blogger_byline(post, url, with_author=False)}<div class='container post-body entry-content' id='post-snippet-{blogger_post_id(post)}'>
<div class='post-snippet snippet-container r-snippet-container'>
<div class='snippet-item r-snippetized'>
{snippet}
</div>
<a class='snippet-fade r-snippet-fade hidden' href='{url}'></a>
</div>
</div>
<div class='post-bottom'>
<div class='post-footer float-container'></div>
<div class='jump-link flat-button'>
<a href='{url}' title='{escape(post.title, quote=True)}'>Read more</a>
</div>
</div>
</div>
</div>
</article>
""")
    return (
        _blogger_head(BLOGGER_TITLE, f"{BASE}/", BLOGGER_TAGLINE, f"{BASE}/images/{posts[0].image}", "")
        + "<body class='home-view version-1-3-3 variant-indie_light'>\n"
        + _blogger_header()
        + "".join(articles)
        + "</div>\n<div class='blog-pager container' id='blog-pager'></div>\n"
        + _blogger_sidebar_and_footer(posts)
    )


def _blogger_ts(when: datetime) -> str:
    return when.isoformat(timespec="milliseconds")


def blogger_atom(posts: list[Post]) -> str:
    entries = []
    for post in posts:
        url = blogger_url(post)
        post_id = blogger_post_id(post)
        categories = "".join(
            f"<category scheme='http://www.blogger.com/atom/ns#' term='{escape(label, quote=True)}'/>"
            for label in post.labels
        )
        entries.append(
            f"<entry><id>tag:blogger.com,1999:blog-{BLOG_ID}.post-{post_id}</id>"
            f"<published>{_blogger_ts(post.date)}</published><updated>{_blogger_ts(post.date)}</updated>"
            f"{categories}<title type='text'>{escape(post.title)}</title>"
            f"<content type='html'>{escape(post.body)}</content>"
            f"<link rel='replies' type='application/atom+xml' href='{BASE}/feeds/{post_id}/comments/default' "
            "title='Post Comments'/>"
            f"<link rel='replies' type='text/html' href='{url}#comment-form' "
            f"title='{len(post.comments)} Comments'/>"
            f"<link rel='edit' type='application/atom+xml' href='{BASE}/feeds/posts/default/{post_id}'/>"
            f"<link rel='self' type='application/atom+xml' href='{BASE}/feeds/posts/default/{post_id}'/>"
            f"<link rel='alternate' type='text/html' href='{url}' title='{escape(post.title, quote=True)}'/>"
            f"<author><name>{escape(post.author)}</name><uri>{BASE}/profile/{post.author.split()[0].lower()}</uri>"
            "<email>noreply@blogger.com</email></author>"
            f"<media:thumbnail xmlns:media='http://search.yahoo.com/mrss/' url='{BASE}/images/thumb-{post.slug}.png' "
            "height='72' width='72'/>"
            f"<thr:total>{len(post.comments)}</thr:total></entry>"
        )
    labels = sorted({label for post in posts for label in post.labels})
    return (
        "<?xml version='1.0' encoding='UTF-8'?><?xml-stylesheet href=\"https://www.blogger.com/styles/atom.css\" "
        'type="text/css"?>'
        "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' "
        "xmlns:blogger='http://schemas.google.com/blogger/2008' xmlns:georss='http://www.georss.org/georss' "
        "xmlns:gd=\"http://schemas.google.com/g/2005\" xmlns:thr='http://purl.org/syndication/thread/1.0'>"
        f"<id>tag:blogger.com,1999:blog-{BLOG_ID}</id><updated>{_blogger_ts(posts[0].date)}</updated>"
        + "".join(f"<category term='{escape(label, quote=True)}'/>" for label in labels)
        + f"<title type='text'>{BLOGGER_TITLE}</title><subtitle type='html'>{escape(BLOGGER_TAGLINE)}</subtitle>"
        f"<link rel='http://schemas.google.com/g/2005#feed' type='application/atom+xml' href='{BASE}/feeds/posts/default'/>"
        f"<link rel='self' type='application/atom+xml' href='{BASE}/feeds/posts/default'/>"
        f"<link rel='alternate' type='text/html' href='{BASE}/'/>"
        f"<author><name>{escape(posts[0].author)}</name><email>noreply@blogger.com</email></author>"
        "<generator version='7.00' uri='http://www.blogger.com'>Blogger</generator>"
        f"<openSearch:totalResults>{len(posts)}</openSearch:totalResults>"
        "<openSearch:startIndex>1</openSearch:startIndex><openSearch:itemsPerPage>25</openSearch:itemsPerPage>"
        + "".join(entries)
        + "</feed>\n"
    )


def blogger_rss(posts: list[Post]) -> str:
    items = []
    for post in posts:
        url = blogger_url(post)
        categories = "".join(
            f"<category domain='http://www.blogger.com/atom/ns#'>{escape(label)}</category>"
            for label in post.labels
        )
        items.append(
            f"<item><guid isPermaLink='false'>tag:blogger.com,1999:blog-{BLOG_ID}.post-{blogger_post_id(post)}</guid>"
            f"<pubDate>{format_datetime(post.date)}</pubDate>{categories}"
            f"<title>{escape(post.title)}</title><description>{escape(post.body)}</description>"
            f"<link>{url}</link><author>noreply@blogger.com ({escape(post.author)})</author>"
            f"<media:thumbnail xmlns:media='http://search.yahoo.com/mrss/' url='{BASE}/images/thumb-{post.slug}.png' "
            "height='72' width='72'/>"
            f"<thr:total>{len(post.comments)}</thr:total></item>"
        )
    return (
        "<?xml version='1.0' encoding='UTF-8'?><rss xmlns:atom='http://www.w3.org/2005/Atom' "
        "xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' xmlns:blogger='http://schemas.google.com/blogger/2008' "
        "xmlns:georss='http://www.georss.org/georss' xmlns:gd=\"http://schemas.google.com/g/2005\" "
        "xmlns:thr='http://purl.org/syndication/thread/1.0' version='2.0'>"
        f"<channel><atom:id>tag:blogger.com,1999:blog-{BLOG_ID}</atom:id>"
        f"<lastBuildDate>{format_datetime(posts[0].date)}</lastBuildDate>"
        f"<title>{BLOGGER_TITLE}</title><description>{escape(BLOGGER_TAGLINE)}</description>"
        f"<link>{BASE}/</link><managingEditor>noreply@blogger.com ({escape(posts[0].author)})</managingEditor>"
        "<generator>Blogger</generator>"
        f"<openSearch:totalResults>{len(posts)}</openSearch:totalResults>"
        "<openSearch:startIndex>1</openSearch:startIndex><openSearch:itemsPerPage>25</openSearch:itemsPerPage>"
        + "".join(items)
        + "</channel></rss>\n"
    )


def build_blogger(target: Path) -> None:
    posts = load_posts("blogger")
    target.mkdir(parents=True)
    (target / "index.html").write_text(blogger_home(posts), encoding="utf-8")
    for post in posts:
        page = target / f"{post.date:%Y}" / f"{post.date:%m}" / f"{post.slug}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(blogger_post_page(post, posts), encoding="utf-8")
    feeds = target / "feeds"
    feeds.mkdir()
    (feeds / "posts-default.atom").write_text(blogger_atom(posts), encoding="utf-8")
    (feeds / "posts-default.rss").write_text(blogger_rss(posts), encoding="utf-8")
    routes = {
        "/feeds/posts/default": {
            "file": "feeds/posts-default.atom",
            "type": "application/atom+xml; charset=UTF-8",
        },
        "/feeds/posts/default?alt=rss": {
            "file": "feeds/posts-default.rss",
            "type": "application/rss+xml; charset=UTF-8",
        },
    }
    (target / "_routes.json").write_text(json.dumps(routes, indent=2) + "\n", encoding="utf-8")
    _copy_images(target / "images", posts, thumb_size=72)


# --- WordPress -------------------------------------------------------------------------------


def wp_url(post: Post) -> str:
    return f"{BASE}/{post.slug}/"


def wp_upload(post: Post, name: str) -> str:
    return f"{BASE}/wp-content/uploads/{post.date:%Y/%m}/{name}"


WP_CSS: Final = """\
body{margin:0;font:17px/1.7 Georgia,serif;color:#1e1e1e;background:#fbfaf7}
.site{max-width:1140px;margin:0 auto;padding:0 24px}
.site-content{display:flex;gap:48px}.content-area{flex:1;min-width:0}.widget-area{width:300px}
.entry-content pre{background:#f3f1ea;padding:14px;overflow:auto;font-size:14px}
.entry-content table{border-collapse:collapse}.entry-content td,.entry-content th{border:1px solid #d8d3c4;padding:4px 10px}
.wpp-list{list-style:none;padding:0}.wpp-list li{overflow:hidden;margin-bottom:12px}
.wpp-thumbnail{float:left;margin-right:10px}
"""


def _wp_head(title: str, canonical: str, description: str, extra: str, post_feed: str = "") -> str:
    return f"""<!doctype html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="profile" href="https://gmpg.org/xfn/11">
<title>{title}</title>
<meta name='robots' content='index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1' />
<link rel="canonical" href="{canonical}" />
<meta property="og:locale" content="en_US" />
<meta property="og:site_name" content="{WORDPRESS_TITLE}" />
<meta property="og:description" content="{escape(description, quote=True)}" />
<meta property="og:url" content="{canonical}" />
{extra}<link rel="alternate" type="application/rss+xml" title="{WORDPRESS_TITLE} &raquo; Feed" href="{BASE}/feed/" />
<link rel="alternate" type="application/rss+xml" title="{WORDPRESS_TITLE} &raquo; Comments Feed" href="{BASE}/comments/feed/" />
{post_feed}<link rel='stylesheet' id='wordpress-popular-posts-css-css' href='{BASE}/wp-content/plugins/wordpress-popular-posts/assets/css/wpp.css?ver=6.4.2' media='all' />
<style id='demo-theme-inline-css'>
{WP_CSS}</style>
<link rel="https://api.w.org/" href="{BASE}/wp-json/" />
<meta name="generator" content="WordPress 6.5.2" />
</head>
"""


def _wp_masthead() -> str:
    return f"""<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#primary">Skip to content</a>
<header id="masthead" class="site-header">
<div class="site-branding">
<p class="site-title"><a href="{BASE}/" rel="home">{WORDPRESS_TITLE}</a></p>
<p class="site-description">{WORDPRESS_TAGLINE}</p>
</div>
<nav id="site-navigation" class="main-navigation" aria-label="Primary menu">
<button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">Menu</button>
<div class="menu-main-container"><ul id="primary-menu" class="menu">
<li class="menu-item"><a href="{BASE}/">Home</a></li>
<li class="menu-item"><a href="{BASE}/category/feeds/">Feeds</a></li>
<li class="menu-item"><a href="{BASE}/category/offline/">Offline</a></li>
</ul></div>
</nav>
</header>
<div id="content" class="site-content">
<div id="primary" class="content-area">
<main id="main" class="site-main">
"""


VIEWS: Final = ("3,412", "2,087", "1,530", "1,146", "902")


def _wp_sidebar_and_footer(posts: list[Post]) -> str:
    ranked = sorted((post for post in posts if post.popular is not None), key=lambda post: post.popular or 0)
    items = []
    for rank, post in enumerate(ranked):
        url = wp_url(post)
        excerpt = escape(cut(post.text, 90)) + "..."
        items.append(
            f'<li><a href="{url}" target="_self"><img src="{BASE}/wp-content/uploads/wordpress-popular-posts/'
            f'{post.number}-featured-75x75.png" width="75" height="75" alt="" '
            f'class="wpp-thumbnail wpp_featured wpp_cached_thumb" decoding="async" loading="lazy"></a> '
            f'<a href="{url}" class="wpp-post-title" target="_self">{escape(post.title)}</a> '
            f'<span class="wpp-excerpt">{excerpt}</span> '
            f'<span class="wpp-meta post-stats"><span class="wpp-views">{VIEWS[rank % len(VIEWS)]} views</span> | '
            f'<span class="wpp-date">posted on {_long_date(post.date)}</span></span></li>\n'
        )
    recent = "".join(f'<li><a href="{wp_url(post)}">{escape(post.title)}</a></li>\n' for post in posts)
    return f"""</main>
</div>
<aside id="secondary" class="widget-area">
<section id="search-2" class="widget widget_search"><form role="search" method="get" class="search-form" action="{BASE}/">
<label><span class="screen-reader-text">Search for:</span><input type="search" class="search-field" placeholder="Search &hellip;" value="" name="s" /></label>
<input type="submit" class="search-submit" value="Search" /></form></section>
<!-- WordPress Popular Posts Plugin v6.4.2 [W] [weekly] [views] [regular] -->
<section id="wpp-2" class="widget popular-posts">
<h2 class="widget-title">Most read this week</h2>
<ul class="wpp-list">
{"".join(items)}</ul>
</section>
<!-- End WordPress Popular Posts Plugin v6.4.2 -->
<section id="recent-posts-2" class="widget widget_recent_entries">
<h2 class="widget-title">Recent Posts</h2>
<ul>
{recent}</ul>
</section>
</aside>
</div>
<footer id="colophon" class="site-footer">
<div class="site-info"><a href="https://wordpress.org/">Proudly powered by WordPress</a> &middot; Demo content written for termreader.</div>
</footer>
</div>
</body>
</html>
"""


def _wp_json_ld(post: Post) -> str:
    url = wp_url(post)
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "Article",
                "@id": f"{url}#article",
                "isPartOf": {"@id": url},
                "author": {"name": post.author, "@id": f"{BASE}/#/schema/person/{post.number}"},
                "headline": post.title,
                "datePublished": post.date.isoformat(),
                "dateModified": post.date.isoformat(),
                "mainEntityOfPage": {"@id": url},
                "image": {"@id": f"{url}#primaryimage"},
                "thumbnailUrl": wp_upload(post, post.image),
                "keywords": list(post.labels),
                "inLanguage": "en-US",
            },
            {
                "@type": "WebPage",
                "@id": url,
                "url": url,
                "name": f"{post.title} - {WORDPRESS_TITLE}",
                "isPartOf": {"@id": f"{BASE}/#website"},
                "datePublished": post.date.isoformat(),
                "description": post.summary,
                "inLanguage": "en-US",
            },
            {"@type": "WebSite", "@id": f"{BASE}/#website", "url": f"{BASE}/", "name": WORDPRESS_TITLE},
            {"@type": "Person", "@id": f"{BASE}/#/schema/person/{post.number}", "name": post.author},
        ],
    }
    return (
        '<script type="application/ld+json" class="yoast-schema-graph">'
        + json.dumps(graph, ensure_ascii=False)
        + "</script>\n"
    )


def wp_post_page(post: Post, posts: list[Post]) -> str:
    url = wp_url(post)
    stamp = post.date.isoformat()
    extra = (
        '<meta property="og:type" content="article" />\n'
        f'<meta property="og:title" content="{escape(post.title, quote=True)}" />\n'
        f'<meta property="og:image" content="{wp_upload(post, post.image)}" />\n'
        f'<meta property="article:published_time" content="{stamp}" />\n'
        f'<meta name="author" content="{escape(post.author, quote=True)}" />\n' + _wp_json_ld(post)
    )
    post_feed = (
        f'<link rel="alternate" type="application/rss+xml" title="{WORDPRESS_TITLE} &raquo; '
        f'{escape(post.title, quote=True)} Comments Feed" href="{url}feed/" />\n'
    )
    categories = ", ".join(
        f'<a href="{BASE}/category/{label}/" rel="category tag">{escape(label.capitalize())}</a>'
        for label in post.labels[:1]
    )
    tags = ", ".join(
        f'<a href="{BASE}/tag/{label}/" rel="tag">{escape(label)}</a>' for label in post.labels[1:]
    )
    comments = "".join(
        f"""<li id="comment-{post.number}{index}" class="comment even thread-even depth-1">
<article id="div-comment-{post.number}{index}" class="comment-body">
<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">{escape(comment.author)}</b> <span class="says">says:</span></div>
<div class="comment-metadata"><a href="{url}#comment-{post.number}{index}"><time datetime="{comment.date.isoformat()}">{_long_date(comment.date)} at {comment.date:%H:%M}</time></a></div></footer>
<div class="comment-content"><p>{escape(comment.text)}</p></div>
<div class="reply"><a rel="nofollow" class="comment-reply-link" href="{url}?replytocom={post.number}{index}#respond">Reply</a></div>
</article>
</li>
"""
        for index, comment in enumerate(post.comments, start=1)
    )
    count = len(post.comments)
    index = posts.index(post)
    newer = posts[index - 1] if index > 0 else None
    older = posts[index + 1] if index + 1 < len(posts) else None
    nav = ""
    if older:
        nav += (
            f'<div class="nav-previous"><a href="{wp_url(older)}" rel="prev"><span class="nav-subtitle">Previous:</span> '
            f'<span class="nav-title">{escape(older.title)}</span></a></div>'
        )
    if newer:
        nav += (
            f'<div class="nav-next"><a href="{wp_url(newer)}" rel="next"><span class="nav-subtitle">Next:</span> '
            f'<span class="nav-title">{escape(newer.title)}</span></a></div>'
        )
    return (
        _wp_head(f"{escape(post.title)} &#8211; {WORDPRESS_TITLE}", url, post.summary, extra, post_feed)
        + f'<body class="post-template-default single single-post postid-{post.number} single-format-standard">\n'
        + _wp_masthead()
        + f"""<article id="post-{post.number}" class="post-{post.number} post type-post status-publish format-standard has-post-thumbnail hentry category-{post.labels[0]}">
<header class="entry-header">
<h1 class="entry-title">{escape(post.title)}</h1>
<div class="entry-meta">
<span class="posted-on">Posted on <a href="{url}" rel="bookmark"><time class="entry-date published" datetime="{stamp}">{_long_date(post.date)}</time><time class="updated" datetime="{stamp}">{_long_date(post.date)}</time></a></span><span class="byline"> by <span class="author vcard"><a class="url fn n" href="{BASE}/author/{post.author.split()[0].lower()}/">{escape(post.author)}</a></span></span>
</div>
</header>
<div class="post-thumbnail">
<img width="1200" height="400" src="{wp_upload(post, post.image)}" class="attachment-post-thumbnail size-post-thumbnail wp-post-image" alt="{escape(post.image_alt, quote=True)}" decoding="async" />
</div>
<div class="entry-content">
{post.body}<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing"><h3 class="sd-title">Share this:</h3><div class="sd-content"><ul>
<li class="share-mastodon"><a rel="nofollow noopener noreferrer" class="share-mastodon sd-button share-icon" href="{url}?share=mastodon" target="_blank"><span>Mastodon</span></a></li>
<li class="share-email"><a rel="nofollow noopener noreferrer" class="share-email sd-button share-icon" href="mailto:?subject={escape(post.title, quote=True)}" target="_blank"><span>Email</span></a></li>
</ul></div></div></div>
</div>
<footer class="entry-footer"><span class="cat-links">Posted in {categories}</span> <span class="tags-links">Tagged {tags}</span></footer>
</article>
<nav class="navigation post-navigation" aria-label="Posts"><h2 class="screen-reader-text">Post navigation</h2><div class="nav-links">{nav}</div></nav>
<div id="comments" class="comments-area">
<h2 class="comments-title">{count} thought{"s" if count != 1 else ""} on &ldquo;<span>{escape(post.title)}</span>&rdquo;</h2>
<ol class="comment-list">
{comments}</ol>
<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>
<form action="{BASE}/wp-comments-post.php" method="post" id="commentform" class="comment-form"><p class="comment-form-comment"><label for="comment">Comment</label><textarea id="comment" name="comment" cols="45" rows="8" required></textarea></p><p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment" /></p></form>
</div>
</div>
"""
        + _wp_sidebar_and_footer(posts)
    )


def wp_home(posts: list[Post]) -> str:
    articles = []
    for post in posts:
        url = wp_url(post)
        excerpt = escape(cut(post.text, 240)) + " [&hellip;]"
        articles.append(f"""<article id="post-{post.number}" class="post-{post.number} post type-post status-publish format-standard has-post-thumbnail hentry category-{post.labels[0]}">
<header class="entry-header">
<h2 class="entry-title"><a href="{url}" rel="bookmark">{escape(post.title)}</a></h2>
<div class="entry-meta"><span class="posted-on">Posted on <a href="{url}" rel="bookmark"><time class="entry-date published" datetime="{post.date.isoformat()}">{_long_date(post.date)}</time></a></span><span class="byline"> by <span class="author vcard"><a class="url fn n" href="{BASE}/author/{post.author.split()[0].lower()}/">{escape(post.author)}</a></span></span></div>
</header>
<a class="post-thumbnail" href="{url}" aria-hidden="true" tabindex="-1"><img width="1200" height="400" src="{wp_upload(post, post.image)}" class="attachment-post-thumbnail size-post-thumbnail wp-post-image" alt="{escape(post.image_alt, quote=True)}" decoding="async" /></a>
<div class="entry-summary"><p>{excerpt}</p>
<p><a href="{url}" class="more-link">Continue reading<span class="screen-reader-text"> &#8220;{escape(post.title)}&#8221;</span></a></p></div>
</article>
""")
    return (
        _wp_head(f"{WORDPRESS_TITLE} &#8211; {escape(WORDPRESS_TAGLINE)}", f"{BASE}/", WORDPRESS_TAGLINE, "")
        + '<body class="home blog hfeed">\n'
        + _wp_masthead()
        + "".join(articles)
        + _wp_sidebar_and_footer(posts)
    )


def wp_rss(posts: list[Post]) -> str:
    items = []
    for post in posts:
        url = wp_url(post)
        categories = "".join(f"\n\t\t<category><![CDATA[{label}]]></category>" for label in post.labels)
        description = escape(cut(post.text, 300)) + " [&#8230;]"
        items.append(f"""	<item>
		<title>{escape(post.title)}</title>
		<link>{url}</link>
		<comments>{url}#comments</comments>
		<dc:creator><![CDATA[{post.author}]]></dc:creator>
		<pubDate>{format_datetime(post.date)}</pubDate>{categories}
		<guid isPermaLink="false">{BASE}/?p={post.number}</guid>
		<description><![CDATA[{description}]]></description>
		<content:encoded><![CDATA[{post.body}]]></content:encoded>
		<wfw:commentRss>{url}feed/</wfw:commentRss>
		<slash:comments>{len(post.comments)}</slash:comments>
	</item>
""")
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	>

<channel>
	<title>{WORDPRESS_TITLE}</title>
	<atom:link href="{BASE}/feed/" rel="self" type="application/rss+xml" />
	<link>{BASE}</link>
	<description>{escape(WORDPRESS_TAGLINE)}</description>
	<lastBuildDate>{format_datetime(posts[0].date)}</lastBuildDate>
	<language>en-US</language>
	<sy:updatePeriod>
	hourly	</sy:updatePeriod>
	<sy:updateFrequency>
	1	</sy:updateFrequency>
	<generator>https://wordpress.org/?v=6.5.2</generator>
{"".join(items)}</channel>
</rss>
"""


def build_wordpress(target: Path) -> None:
    posts = load_posts("wordpress")
    target.mkdir(parents=True)
    (target / "index.html").write_text(wp_home(posts), encoding="utf-8")
    for post in posts:
        page = target / post.slug / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(wp_post_page(post, posts), encoding="utf-8")
        uploads = target / "wp-content" / "uploads" / f"{post.date:%Y}" / f"{post.date:%m}"
        uploads.mkdir(parents=True, exist_ok=True)
        (uploads / post.image).write_text(banner_svg(post, index=posts.index(post)), encoding="utf-8")
    feed = target / "feed"
    feed.mkdir()
    (feed / "rss.xml").write_text(wp_rss(posts), encoding="utf-8")
    routes = {
        "/feed/": {"file": "feed/rss.xml", "type": "application/rss+xml; charset=UTF-8"},
        "/feed": {"status": 301, "headers": {"Location": f"{BASE}/feed/"}},
    }
    (target / "_routes.json").write_text(json.dumps(routes, indent=2) + "\n", encoding="utf-8")
    media = target / "wp-content" / "uploads" / "media"
    media.mkdir(parents=True)
    for extra in sorted((CONTENT_DIR / "images").glob("inline-*")):
        shutil.copyfile(extra, media / extra.name)
    thumbs = target / "wp-content" / "uploads" / "wordpress-popular-posts"
    thumbs.mkdir(parents=True)
    for index, post in enumerate(posts):
        base, stripe = THUMB_COLOURS[index % len(THUMB_COLOURS)]
        (thumbs / f"{post.number}-featured-75x75.png").write_bytes(png(75, 75, base, stripe))


def _copy_images(folder: Path, posts: list[Post], *, thumb_size: int) -> None:
    folder.mkdir()
    for index, post in enumerate(posts):
        (folder / post.image).write_text(banner_svg(post, index=index), encoding="utf-8")
        base, stripe = THUMB_COLOURS[index % len(THUMB_COLOURS)]
        (folder / f"thumb-{post.slug}.png").write_bytes(png(thumb_size, thumb_size, base, stripe))
    for extra in sorted((CONTENT_DIR / "images").glob("inline-*")):
        shutil.copyfile(extra, folder / extra.name)


def build(target: Path) -> None:
    """Write both sites under `target` (which must not exist yet)."""
    build_blogger(target / BLOGGER_SITE)
    build_wordpress(target / WORDPRESS_SITE)


def main() -> int:
    staging = SITES_DIR.with_name("sites.new")
    if staging.exists():
        shutil.rmtree(staging)
    build(staging)
    if SITES_DIR.exists():
        shutil.rmtree(SITES_DIR)
    staging.rename(SITES_DIR)
    print(f"demo sites written to {SITES_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
