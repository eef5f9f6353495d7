"""Deterministic hostile strings and documents: the corpus every hostile test draws from.

Nothing here is random at run time: the same cases, byte for byte, on every machine, so a failure in CI
can be replayed locally. Sizes are parameters so the heavy variants (behind the `slow` marker) and the CI
variants share one builder.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final
from xml.sax.saxutils import escape, quoteattr

# --- what must never come out of the core ----------------------------------------------------------------

_UNSAFE_LINE: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""In one-line fields (titles, snippets, authors, names): any C0/C1 control, DEL, bidi override/isolate."""
_UNSAFE_BODY: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""In Markdown bodies: the same, but newlines and tabs are layout."""


def unsafe_in_line(text: str) -> list[str]:
    """The forbidden characters in a one-line field, as code points (empty when clean)."""
    return sorted({f"U+{ord(ch):04X}" for ch in _UNSAFE_LINE.findall(text)})


def unsafe_in_body(text: str) -> list[str]:
    """The forbidden characters in a Markdown body, as code points (empty when clean)."""
    return sorted({f"U+{ord(ch):04X}" for ch in _UNSAFE_BODY.findall(text)})


def unencodable(text: str) -> bool:
    """True when the text cannot be written to a UTF-8 terminal (a lone surrogate from JSON, say)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# --- text attacks ------------------------------------------------------------------------------------------

ESC: Final = "\x1b"
BEL: Final = "\x07"
ST: Final = "\x1b\\"


@dataclass(frozen=True, slots=True)
class TextAttack:
    """One hostile string and the plain words a reader must still see once it is made safe."""

    name: str
    payload: str
    survivor: str
    """Text that must appear verbatim in the cleaned output: proof it was shown as text, not eaten."""


TEXT_ATTACKS: Final[tuple[TextAttack, ...]] = (
    # ANSI CSI: colour and cursor movement.
    TextAttack("sgr-colour", f"{ESC}[31mRed alert{ESC}[0m", "Red alert"),
    TextAttack("sgr-truecolour", f"{ESC}[38;2;255;0;0mTruecolour{ESC}[0m", "Truecolour"),
    TextAttack("sgr-blink-hidden", f"{ESC}[5m{ESC}[8mHidden blink{ESC}[0m", "Hidden blink"),
    TextAttack("cursor-up", f"First{ESC}[2AOverwrite", "Overwrite"),
    TextAttack("cursor-position", f"{ESC}[10;10HPositioned", "Positioned"),
    TextAttack("clear-screen", f"{ESC}[H{ESC}[2JCleared screen", "Cleared screen"),
    TextAttack("erase-line", f"Keep{ESC}[2K{ESC}[1GErased", "Erased"),
    TextAttack("alt-screen", f"{ESC}[?1049hAlternate{ESC}[?1049l", "Alternate"),
    TextAttack("mouse-report", f"{ESC}[?1000h{ESC}[?1006hMouse on", "Mouse on"),
    TextAttack("scroll-region", f"{ESC}[1;1rRegion{ESC}[r", "Region"),
    # OSC: window title, hyperlinks, clipboard, colours.
    TextAttack("osc0-title", f"{ESC}]0;pwned window title{BEL}Visible title", "Visible title"),
    TextAttack("osc2-title-st", f"{ESC}]2;pwned{ST}Visible two", "Visible two"),
    TextAttack("osc8-link", f"{ESC}]8;;https://evil.example/{ST}click me{ESC}]8;;{ST}", "click me"),
    TextAttack("osc52-clipboard", f"{ESC}]52;c;cm0gLXJmIH4K{BEL}Copied text", "Copied text"),
    TextAttack("osc4-palette", f"{ESC}]4;1;rgb:ff/00/00{BEL}Palette", "Palette"),
    TextAttack("osc-unterminated", f"Before OSC {ESC}]0;never ends", "Before OSC"),
    # DCS, APC, PM, SOS, and single-character escapes.
    TextAttack("dcs-decrqss", f"{ESC}P$qm{ST}After DCS", "After DCS"),
    TextAttack("dcs-sixel", f"{ESC}Pq#0;2;0;0;0#0~~@@{ST}Sixel", "Sixel"),
    TextAttack("apc-kitty", f"{ESC}_Gf=100;AAAA{ST}Kitty", "Kitty"),
    TextAttack("pm-sos", f"{ESC}^privacy{ST}{ESC}Xstart{ST}PM and SOS", "PM and SOS"),
    TextAttack("esc-reset", f"{ESC}cReset terminal", "Reset terminal"),
    TextAttack("esc-charset", f"{ESC}(0Line drawing{ESC}(B", "Line drawing"),
    # C1 controls (8-bit CSI/OSC/DCS/ST) and C0.
    TextAttack("c1-csi", "\x9b31mC1 colour", "C1 colour"),
    TextAttack("c1-osc", "\x9d0;title\x9cC1 title", "C1 title"),
    TextAttack("c1-dcs", "\x90payload\x9cC1 DCS", "C1 DCS"),
    TextAttack("c1-all", "".join(chr(i) for i in range(0x80, 0xA0)) + "AllC1", "AllC1"),
    TextAttack("c0-all", "".join(chr(i) for i in range(0x20) if chr(i) not in "\t\n\r") + "AllC0", "AllC0"),
    TextAttack("nul-inside", "Before\x00After", "After"),
    TextAttack("bell-backspace", "Bell\x07\x08\x08Back", "Back"),
    TextAttack("carriage-return", "Safe text\rEvil overwrite", "Evil overwrite"),
    TextAttack("vt-ff", "Vertical\x0bForm\x0cFeed", "Feed"),
    TextAttack("del", "Delete\x7fMe", "Me"),
    # Bidi and invisible characters.
    TextAttack("bidi-rlo", "invoice\u202egnp.exe", "invoice"),
    TextAttack("bidi-lro-pdf", "\u202dforced\u202c left to right", "left to right"),
    TextAttack("bidi-embeddings", "\u202aemb\u202b rtl \u202c", "rtl"),
    TextAttack("bidi-isolates", "\u2066iso\u2069 \u2067rtl\u2069 \u2068first strong\u2069", "first strong"),
    TextAttack("zero-width", "zero\u200bwidth\u200c\u200djoiner\ufeffbom", "joiner"),
    TextAttack("trojan-source", "access\u202e \u2066// check admin\u2069 \u2066", "check admin"),
    # Rich / Textual markup: must stay literal text.
    TextAttack("rich-click", "[@click=app.quit]Quit now[/]", "[@click=app.quit]Quit now[/]"),
    TextAttack("rich-click-args", "[@click=app.bell('x')]ring[/]", "[@click=app.bell('x')]ring[/]"),
    TextAttack(
        "rich-link", "[link=https://evil.example]docs[/link]", "[link=https://evil.example]docs[/link]"
    ),
    TextAttack("rich-bold-close", "[b]bold[/b] stray [/]", "[b]bold[/b] stray [/]"),
    TextAttack("rich-style", "[red on white]styled[/]", "[red on white]styled[/]"),
    TextAttack("rich-escape", "\\[not markup] [[double]]", "[[double]]"),
    TextAttack("textual-variable", "[$accent]themed[/] $primary", "[$accent]themed[/]"),
    TextAttack("rich-emoji", ":skull: :warning: [blink]x[/blink]", "[blink]x[/blink]"),
    # Markdown that tries to escape its line, and mixed scripts.
    TextAttack("markdown-inline", "**bold** _it_ `code`", "**bold**"),
    TextAttack("fake-heading", "# Not a heading", "Not a heading"),
    TextAttack("unicode-mix", "ℌ𝔢𝔩𝔩𝔬 🎉 ñandú 中文 עברית", "ñandú"),
    TextAttack("combining-flood", "Zalgo" + "\u0301" * 300 + " end", "Zalgo"),
    TextAttack("long-word", "W" * 20_000, "WWWWWWWWWW"),
    TextAttack(
        "kitchen-sink",
        f"{ESC}]0;t{BEL}\u202e{ESC}[31m[@click=app.quit]\x9b2J\x00Sink{ESC}[0m\u2069",
        "Sink",
    ),
)
"""Each attack goes into titles, snippets, bylines, feed fields, bodies and link texts."""

assert len({attack.name for attack in TEXT_ATTACKS}) == len(TEXT_ATTACKS)


def attack_ids(attacks: Sequence[TextAttack] = TEXT_ATTACKS) -> list[str]:
    return [attack.name for attack in attacks]


def xml_text(value: str) -> str:
    """Escape for XML and turn characters XML 1.0 forbids into numeric references (which XML parsers
    reject, so feeds exercise their recovery path too)."""
    out: list[str] = []
    for ch in escape(value):
        code = ord(ch)
        if code < 0x20 and ch not in "\t\n\r":
            out.append(f"&#{code};")
        else:
            out.append(ch)
    return "".join(out)


def raw_xml_text(value: str) -> str:
    """Escape only markup characters: control characters go into the document raw."""
    return escape(value)


def html_text(value: str) -> str:
    return escape(value)


def html_attr(value: str) -> str:
    return quoteattr(value)


# --- HTML pages ---------------------------------------------------------------------------------------------


def article_page(
    title: str, byline: str, body_text: str, link_text: str, *, url: str = "https://blog.example.com"
) -> str:
    """A realistic blog post whose title, author, paragraphs and link texts all carry `*_text`."""
    paragraphs = "\n".join(
        f"<p>{html_text(body_text)} Paragraph {n} carries on about walking the ridge in the rain, the "
        f"chalk path, the wind, and the long way down to the village for a warm dinner.</p>"
        for n in range(1, 6)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html_text(title)} | Example Blog</title>
<meta property="og:title" content={html_attr(title)}>
<meta name="author" content={html_attr(byline)}>
<meta property="og:site_name" content="Example Blog">
<meta name="description" content={html_attr(body_text[:200])}>
<link rel="canonical" href="{url}/2026/03/hostile-post.html">
</head><body>
<header><nav><a href="/">Home</a> <a href="/about">About</a></nav></header>
<main><article class="post hentry">
<h1 class="entry-title">{html_text(title)}</h1>
<p class="byline">By <span class="author vcard"><span class="fn">{html_text(byline)}</span></span>
 on <time datetime="2026-03-14T09:30:00+00:00">14 March 2026</time></p>
<div class="entry-content">
{paragraphs}
<p>Read more in <a href="{url}/2026/02/earlier-post.html">{html_text(link_text)}</a> from last month.</p>
<ul><li>{html_text(body_text)} first point</li><li>second point</li></ul>
<blockquote><p>{html_text(body_text)} quoted</p></blockquote>
<pre><code>{html_text(body_text)}</code></pre>
<table><tr><th>Head</th><th>{html_text(body_text)}</th></tr>
<tr><td>cell one</td><td>cell two</td></tr></table>
</div></article></main>
<footer><p>Example Blog footer</p></footer>
</body></html>
"""


def listing_page(titles: Sequence[str], snippet: str, *, url: str = "https://blog.example.com") -> str:
    """A blog home page: one post block per title, each with a heading link and a teaser."""
    blocks = "\n".join(
        f"""<article class="post">
<h2 class="entry-title"><a href="{url}/2026/03/post-{n}.html">{html_text(title)}</a></h2>
<div class="entry-meta"><span class="author">{html_text(snippet[:80])}</span>
<time datetime="2026-03-{10 + n:02d}T08:00:00Z">March {10 + n}</time></div>
<div class="entry-summary"><p>{html_text(snippet)} and the rest of the teaser for post {n}.</p></div>
</article>"""
        for n, title in enumerate(titles, 1)
    )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Example Blog</title>
<meta name="generator" content="WordPress 6.5"></head><body>
<header><h1><a href="{url}/">Example Blog</a></h1></header>
<main>{blocks}</main></body></html>
"""


def blogger_popular_page(titles: Sequence[str], snippet: str) -> str:
    """A Blogger page with a PopularPosts widget whose titles and snippets carry the attack."""
    host = "https://hostile-test.blogspot.com"
    items = "\n".join(
        f"""<li><div class='item-content'>
<div class='item-title'><a href='{host}/2026/0{1 + n % 9}/post-{n}.html'>{html_text(title)}</a></div>
<div class='item-snippet'>{html_text(snippet)} snippet {n}...</div>
</div></li>"""
        for n, title in enumerate(titles, 1)
    )
    return f"""<!DOCTYPE html><html><head><meta content='blogger' name='generator'/>
<title>Hostile test</title></head><body>
<div class='sidebar section' id='sidebar-right-1'>
<div class='widget PopularPosts' data-version='1' id='PopularPosts1'>
<h2>{html_text(snippet[:60])} Popular Posts</h2>
<div class='widget-content popular-posts'><ul>
{items}
</ul></div></div></div></body></html>
"""


def feed_links_page(title: str) -> str:
    """A page advertising feeds whose titles carry the attack."""
    return f"""<!DOCTYPE html><html><head><title>{html_text(title)}</title>
<link rel="alternate" type="application/rss+xml" title={html_attr(title)} href="/feed.xml">
<link rel="alternate" type="application/atom+xml" title={html_attr(title + " Atom")} href="/atom.xml">
<link rel="alternate" type="application/feed+json" title={html_attr(title)} href="/feed.json">
</head><body><p>{html_text(title)}</p></body></html>
"""


# --- feeds -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedItem:
    title: str
    link: str
    author: str
    summary: str
    date: str = "Sat, 14 Mar 2026 09:30:00 GMT"


def items_with(text: str, count: int = 3) -> list[FeedItem]:
    return [
        FeedItem(
            title=f"{text} #{n}",
            link=f"https://blog.example.com/2026/03/post-{n}.html",
            author=text,
            summary=f"<p>{text} summary {n}</p>",
        )
        for n in range(1, count + 1)
    ]


def rss_feed(
    items: Iterable[FeedItem], *, channel_title: str = "Example Feed", esc: Callable[[str], str] = xml_text
) -> bytes:
    body = "".join(
        f"<item><title>{esc(i.title)}</title><link>{escape(i.link)}</link>"
        f"<guid>{escape(i.link)}</guid><dc:creator>{esc(i.author)}</dc:creator>"
        f"<description>{esc(i.summary)}</description><pubDate>{i.date}</pubDate></item>\n"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{esc(channel_title)}</title><link>https://blog.example.com/</link>"
        f"<description>hostile</description>\n{body}</channel></rss>\n"
    ).encode("utf-8", "surrogatepass")


def atom_feed(
    items: Iterable[FeedItem], *, feed_title: str = "Example Atom", esc: Callable[[str], str] = xml_text
) -> bytes:
    body = "".join(
        f'<entry><title type="html">{esc(i.title)}</title><link rel="alternate" href="{escape(i.link)}"/>'
        f"<id>{escape(i.link)}</id><author><name>{esc(i.author)}</name></author>"
        f'<summary type="html">{esc(i.summary)}</summary><updated>2026-03-14T09:30:00Z</updated></entry>\n'
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{esc(feed_title)}</title><id>urn:example</id><updated>2026-03-14T09:30:00Z</updated>"
        f'<link href="https://blog.example.com/"/>\n{body}</feed>\n'
    ).encode("utf-8", "surrogatepass")


def json_feed(items: Iterable[FeedItem], *, title: str = "Example JSON") -> bytes:
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": "https://blog.example.com/",
        "items": [
            {
                "id": i.link,
                "url": i.link,
                "title": i.title,
                "content_html": i.summary,
                "authors": [{"name": i.author}],
                "date_published": "2026-03-14T09:30:00Z",
            }
            for i in items
        ],
    }
    return json.dumps(data).encode("utf-8")


def big_rss(count: int) -> bytes:
    """An RSS feed with `count` items (100k: a feed that would flood the list and the memory)."""
    return rss_feed(
        FeedItem(f"Item number {n}", f"https://blog.example.com/p/{n}.html", "Writer", f"Summary {n}")
        for n in range(count)
    )


def big_json_feed(count: int) -> bytes:
    return json_feed(
        FeedItem(f"Item number {n}", f"https://blog.example.com/p/{n}.html", "Writer", f"Summary {n}")
        for n in range(count)
    )


JSON_WRONG_TYPES: Final[tuple[tuple[str, object], ...]] = (
    ("items-object", {"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": {"a": 1}}),
    ("items-string", {"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": "nope"}),
    ("items-null", {"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": None}),
    ("items-numbers", {"version": "https://jsonfeed.org/version/1.1", "items": [1, 2.5, True, None]}),
    ("title-list", {"version": "https://jsonfeed.org/version/1.1", "title": ["a"], "items": []}),
    ("title-object", {"version": "https://jsonfeed.org/version/1.1", "title": {"x": 1}, "items": []}),
    (
        "item-fields-wrong",
        {
            "version": "https://jsonfeed.org/version/1.1",
            "items": [
                {
                    "id": 12,
                    "url": ["https://a.example/"],
                    "title": {"t": 1},
                    "content_html": 5,
                    "authors": "someone",
                    "date_published": 1710408600,
                    "image": True,
                }
            ],
        },
    ),
    (
        "item-url-number",
        {"version": "https://jsonfeed.org/version/1.1", "items": [{"url": 3.5, "title": "Numbered"}]},
    ),
    (
        "authors-mixed",
        {
            "version": "https://jsonfeed.org/version/1.1",
            "authors": [None, 1, {"name": None}, {"name": ["x"]}],
            "items": [{"url": "https://a.example/1", "title": "One", "author": {"name": 7}}],
        },
    ),
    (
        "dates-garbage",
        {
            "version": "https://jsonfeed.org/version/1.1",
            "items": [
                {"url": "https://a.example/1", "title": "A", "date_published": "9999-99-99T99:99:99Z"},
                {"url": "https://a.example/2", "title": "B", "date_published": "yesterday"},
                {"url": "https://a.example/3", "title": "C", "date_modified": "0000-00-00"},
            ],
        },
    ),
    ("version-number", {"version": 1.1, "items": [{"url": "https://a.example/1", "title": "A"}]}),
    ("version-wrong", {"version": "https://evil.example/", "items": []}),
    ("home-not-url", {"version": "https://jsonfeed.org/version/1", "home_page_url": 42, "items": []}),
    (
        "home-javascript",
        {
            "version": "https://jsonfeed.org/version/1",
            "home_page_url": "javascript:alert(1)",
            "items": [{"url": "javascript:alert(2)", "title": "JS"}, {"id": "/rel", "title": "Rel"}],
        },
    ),
    ("top-list", [{"version": "https://jsonfeed.org/version/1"}]),
    ("top-string", "https://jsonfeed.org/version/1"),
    (
        "huge-numbers",
        {
            "version": "https://jsonfeed.org/version/1",
            "items": [{"url": "https://a.example/", "title": 1e308}],
        },
    ),
)

JSON_RAW_HOSTILE: Final[tuple[tuple[str, bytes], ...]] = (
    (
        "lone-surrogate",
        b'{"version":"https://jsonfeed.org/version/1","title":"\\ud800x","items":'
        b'[{"url":"https://a.example/1","title":"bad \\udfff pair","content_text":"\\ud83d"}]}',
    ),
    (
        "nul-escapes",
        b'{"version":"https://jsonfeed.org/version/1","title":"a\\u0000b\\u001b[31m",'
        b'"items":[{"url":"https://a.example/1","title":"\\u001b]0;t\\u0007T","summary":"\\u009b2J"}]}',
    ),
    (
        "deep-arrays",
        b'{"version":"https://jsonfeed.org/version/1","items":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    ),
    (
        "deep-objects",
        b'{"version":"https://jsonfeed.org/version/1","x":' + b'{"a":' * 50_000 + b"1" + b"}" * 50_000 + b"}",
    ),
    ("big-exponent", b'{"version":"https://jsonfeed.org/version/1","items":[{"title":1e999999,"url":"x"}]}'),
    ("big-int", b'{"version":"https://jsonfeed.org/version/1","items":[{"title":' + b"9" * 5000 + b"}]}"),
    ("truncated", b'{"version":"https://jsonfeed.org/version/1","items":[{"title":"cut'),
    ("invalid-utf8", b'{"version":"https://jsonfeed.org/version/1","title":"\xff\xfe\x80","items":[]}'),
    ("nan-infinity", b'{"version":"https://jsonfeed.org/version/1","items":[{"title":NaN,"url":Infinity}]}'),
    ("duplicate-keys", b'{"version":"https://jsonfeed.org/version/1","items":[],"items":{"x":1}}'),
    ("bom-utf16", "\ufeff".encode("utf-16-le") + b'{"version":"https://jsonfeed.org/version/1"}'),
)


# --- XML bombs and external entities -----------------------------------------------------------------------


def billion_laughs(levels: int = 10) -> tuple[str, str]:
    """The classic: each entity ten of the previous one; `levels` 10 expands to 10^10 'lol'."""
    defs = ['<!ENTITY lol0 "lol">']
    for n in range(1, levels):
        defs.append(f'<!ENTITY lol{n} "' + f"&lol{n - 1};" * 10 + '">')
    return "<!DOCTYPE rss [\n" + "\n".join(defs) + "\n]>", f"&lol{levels - 1};"


def laughs_feed(kind: str) -> bytes:
    doctype, ref = billion_laughs()
    return _bomb_feed(kind, doctype, ref)


def quadratic_feed(kind: str, entity_chars: int = 20_000, refs: int = 2_000) -> bytes:
    """Quadratic blowup: one big entity referenced many times (no nesting, so no depth limit catches it)."""
    doctype = f'<!DOCTYPE rss [<!ENTITY big "{"A" * entity_chars}">]>'
    return _bomb_feed(kind, doctype, "&big;" * refs)


def xxe_feed(kind: str, secret_url: str) -> bytes:
    """External entities pointing at a local file: its content must never reach any output."""
    doctype = f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret_url}">]>'
    return _bomb_feed(kind, doctype, "&xxe;")


def xxe_parameter_feed(kind: str, secret_url: str) -> bytes:
    """A parameter entity loading an external DTD (the file itself is the 'DTD')."""
    doctype = f'<!DOCTYPE rss [<!ENTITY % ext SYSTEM "{secret_url}"> %ext;]>'
    return _bomb_feed(kind, doctype, "parameter entity")


def xinclude_feed(kind: str, secret_url: str) -> bytes:
    inner = f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{secret_url}" parse="text"/>'
    return _bomb_feed(kind, "", inner, raw=True)


def _bomb_feed(kind: str, doctype: str, payload: str, *, raw: bool = False) -> bytes:
    if kind == "atom":
        text = (
            f'<?xml version="1.0"?>\n{doctype.replace("DOCTYPE rss", "DOCTYPE feed")}\n'
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>Bomb</title><id>urn:b</id>'
            f"<updated>2026-03-14T09:30:00Z</updated><entry><title>{payload}</title>"
            '<link href="https://blog.example.com/1"/><id>urn:1</id>'
            f"<updated>2026-03-14T09:30:00Z</updated><summary>{payload}</summary></entry></feed>"
        )
    elif kind == "rdf":
        text = (
            f'<?xml version="1.0"?>\n{doctype.replace("DOCTYPE rss", "DOCTYPE rdf:RDF")}\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
            f'<channel rdf:about="x"><title>Bomb</title><link>https://blog.example.com/</link></channel>'
            f'<item rdf:about="https://blog.example.com/1"><title>{payload}</title>'
            f"<link>https://blog.example.com/1</link><description>{payload}</description></item></rdf:RDF>"
        )
    else:
        text = (
            f'<?xml version="1.0"?>\n{doctype}\n<rss version="2.0"><channel><title>Bomb</title>'
            f"<link>https://blog.example.com/</link><item><title>{payload}</title>"
            f"<link>https://blog.example.com/1</link><description>{payload}</description></item>"
            "</channel></rss>"
        )
    del raw
    return text.encode("utf-8")


def xxe_opml(secret_url: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE opml [<!ENTITY xxe SYSTEM "{secret_url}">]>\n'
        '<opml version="2.0"><head><title>&xxe;</title></head><body>'
        '<outline text="&xxe;" title="&xxe;" type="rss" xmlUrl="https://a.example/feed?&xxe;"/>'
        "</body></opml>"
    ).encode()


def laughs_opml() -> bytes:
    doctype, ref = billion_laughs()
    return (
        f'<?xml version="1.0"?>\n{doctype.replace("DOCTYPE rss", "DOCTYPE opml")}\n'
        f'<opml version="2.0"><head><title>{ref}</title></head><body>'
        f'<outline text="{ref}" type="rss" xmlUrl="https://a.example/feed"/></body></opml>'
    ).encode()


def xxe_html(secret_url: str) -> str:
    return (
        f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "{secret_url}">]>\n<html><head><title>&xxe; title</title>'
        f"</head><body><article><h1>&xxe;</h1><p>{'Plain words about walking. ' * 20}&xxe;</p>"
        f'<iframe src="{secret_url}"></iframe><object data="{secret_url}"></object>'
        f'<img src="{secret_url}"><p>{"More text about the hills. " * 20}</p></article></body></html>'
    )


# --- Markdown bombs (as HTML the converter sees) ------------------------------------------------------------


def nested(tag_open: str, tag_close: str, depth: int, inner: str = "deep") -> str:
    return tag_open * depth + inner + tag_close * depth


def markdown_bombs(scale: int = 1) -> list[tuple[str, str]]:
    """(name, html) pairs that try to break the Markdown pane; `scale` 1 is the CI size."""
    depth = 10_000 * scale
    return [
        ("unclosed-fence-text", "<article><p>```python</p><p>print('x')</p><p>never closed</p></article>"),
        ("fence-in-pre", "<article><pre><code>```\n~~~\n````\nstill code</code></pre><p>after</p></article>"),
        (
            "backtick-flood",
            "<article><p>" + "`" * 5000 + " words </p><pre>" + "`" * 3000 + "</pre></article>",
        ),
        ("nested-quotes", "<article>" + nested("<blockquote>", "</blockquote>", depth) + "</article>"),
        ("nested-lists", "<article>" + nested("<ul><li>", "</li></ul>", depth) + "</article>"),
        ("nested-ol", "<article>" + nested("<ol><li>", "</li></ol>", depth) + "</article>"),
        ("nested-em", "<article><p>" + nested("<em>", "</em>", depth) + "</p></article>"),
        (
            "nested-divs",
            "<article>" + nested("<div>", "</div>", depth, "<p>deep words here</p>") + "</article>",
        ),
        ("nested-tables", "<article>" + nested("<table><tr><td>", "</td></tr></table>", 2000) + "</article>"),
        ("one-mb-line", "<article><p>" + "x" * (1_000_000 * scale) + "</p></article>"),
        ("one-mb-words", "<article><p>" + "word " * (200_000 * scale) + "</p></article>"),
        (
            "table-100k",
            "<article><table>"
            + "<tr><td>a</td><td>b</td></tr>" * (100_000 * scale)
            + "</table><p>after table words</p></article>",
        ),
        (
            "wide-table",
            "<article><table><tr>" + "<td>c</td>" * 20_000 + "</tr></table><p>words</p></article>",
        ),
        ("many-headings", "<article>" + "<h1>Heading</h1><p>text</p>" * 20_000 + "</article>"),
        ("many-links", "<article><p>" + '<a href="https://a.example/x">l</a> ' * 50_000 + "</p></article>"),
        ("many-images", "<article>" + '<img src="https://a.example/i.png" alt="x">' * 20_000 + "</article>"),
        ("hr-flood", "<article>" + "<hr>" * 50_000 + "<p>words</p></article>"),
        ("br-flood", "<article><p>a" + "<br>" * 100_000 + "b</p></article>"),
    ]


# --- documents as bytes -------------------------------------------------------------------------------------

PDF_BYTES: Final = (
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 4
)
PNG_BYTES: Final = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
GIF_BYTES: Final = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,"
ZIP_BYTES: Final = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256))
GZIP_BYTES: Final = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(range(200))


def random_bytes(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


def _page(body: str, head: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head>{head}<title>Charset test</title></head>"
        f"<body><article>{body}</article></body></html>"
    )


_WORDS: Final = "Grüße aus Zürich, déjà vu, naïve café, smørrebrød and señor. " * 12


def documents() -> list[tuple[str, bytes]]:
    """(name, bytes) of hostile documents handed to the HTML and feed parsers (CI sizes)."""
    utf8_page = _page(f"<p>{_WORDS}</p>")
    return [
        ("empty", b""),
        ("whitespace", b" \n\t\r\n   \x0c"),
        ("nul-only", b"\x00" * 4096),
        ("random-binary", random_bytes(64 * 1024, 7)),
        ("random-binary-lt", b"<" + random_bytes(16 * 1024, 8)),
        ("binary-as-html", b"<html><body>" + random_bytes(8 * 1024, 9) + b"</body></html>"),
        ("pdf", PDF_BYTES),
        ("png", PNG_BYTES),
        ("gif", GIF_BYTES),
        ("zip", ZIP_BYTES),
        ("gzip", GZIP_BYTES),
        ("utf16-no-bom", utf8_page.encode("utf-16-le")),
        ("utf16-bom", b"\xff\xfe" + utf8_page.encode("utf-16-le")),
        ("utf32-bom", b"\xff\xfe\x00\x00" + utf8_page.encode("utf-32-le")),
        ("invalid-utf8", _page("<p>" + "x" * 300 + "</p>").encode().replace(b"xxxx", b"x\xff\xc3\x28")),
        ("overlong-utf8", _page("<p>over</p>").encode() + b"\xc0\xaf\xe0\x80\xaf\xf8\x88\x80\x80\x80"),
        ("mixed-utf8-latin1", utf8_page.encode("utf-8") + _page(f"<p>{_WORDS}</p>").encode("latin-1")),
        (
            "meta-lies-sjis",
            _page(f"<p>{_WORDS}</p>", '<meta charset="shift_jis">').encode("utf-8"),
        ),
        ("meta-unknown-charset", _page(f"<p>{_WORDS}</p>", '<meta charset="x-evil-99">').encode()),
        (
            "meta-utf7",
            _page("<p>+ADw-script+AD4-alert(1)+ADw-/script+AD4-</p>", '<meta charset="utf-7">').encode(),
        ),
        ("bom-vs-meta", b"\xef\xbb\xbf" + _page(f"<p>{_WORDS}</p>", '<meta charset="iso-8859-1">').encode()),
        ("ebcdic", _page(f"<p>{_WORDS}</p>").encode("cp500", "replace")),
        ("deep-divs", ("<html><body>" + nested("<div>", "</div>", 100_000, "<p>deep</p>")).encode()),
        ("deep-unclosed", ("<html><body>" + "<div><span>" * 50_000 + "text").encode()),
        (
            "attribute-flood",
            attribute_flood(20_000),
        ),
        ("huge-attribute", ('<html><body><a href="' + "h" * 2_000_000 + '">link</a><p>words</p>').encode()),
        ("comment-unclosed", b"<html><body><!-- " + b"never closed " * 10_000),
        ("cdata-flood", b"<html><body><![CDATA[" + b"]]" * 50_000),
        ("entity-flood", b"<html><body><p>" + b"&amp;&lt;&#x1b;&#0;&#x9b;&#xd800;" * 20_000 + b"</p>"),
        (
            "control-entities",
            _page("<p>" + "&#27;[31m&#x1b;]0;title&#7;&#155;2J&#8238;rtl " * 100 + "</p>").encode(),
        ),
        (
            "script-only",
            b"<html><head><script>" + b"var x = 1;" * 10_000 + b"</script></head><body></body></html>",
        ),
        ("frameset", b"<html><frameset><frame src='a.html'><frame src='b.html'></frameset></html>"),
        ("svg-only", b"<svg xmlns='http://www.w3.org/2000/svg'><text>hello</text></svg>"),
        ("xml-not-html", b"<?xml version='1.0'?><root><child>text</child></root>"),
        ("feed-as-article", rss_feed(items_with("Feed item"))),
        ("json-as-article", b'{"title": "json", "body": "<p>x</p>"}'),
        ("plain-text", ("Just text, no markup at all. " * 200).encode()),
        ("many-nuls-in-html", _page("<p>" + "a\x00b " * 5000 + "</p>").encode()),
    ]


def attribute_flood(count: int) -> bytes:
    """One element with `count` attributes: libxml2's duplicate-attribute check is quadratic in it."""
    return ("<html><body><p " + " ".join(f"a{n}='v'" for n in range(count)) + ">x</p>").encode()


def large_page(megabytes: int) -> bytes:
    """A large but ordinary page of many paragraphs (the 50 MB page of issue 7 at its full size)."""
    paragraph = "<p>" + "The long page keeps saying the same calm things about walking. " * 16 + "</p>\n"
    count = megabytes * 1024 * 1024 // len(paragraph) + 1
    return (
        "<!DOCTYPE html><html><head><title>Large page</title></head><body><article><h1>Large</h1>"
        + paragraph * count
        + "</article></body></html>"
    ).encode()


# --- OPML and config ----------------------------------------------------------------------------------------


def opml_with(titles: Sequence[str], urls: Sequence[str] | None = None) -> bytes:
    urls = urls or [f"https://site{n}.example.com/feed.xml" for n in range(len(titles))]
    outlines = "\n".join(
        f'<outline type="rss" text={html_attr(t)} title={html_attr(t)} xmlUrl={html_attr(u)}/>'
        for t, u in zip(titles, urls, strict=True)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<opml version="2.0"><head><title>Subscriptions</title></head>'
        f"<body>\n{outlines}\n</body></opml>\n"
    ).encode("utf-8", "surrogatepass")


def hostile_opml() -> list[tuple[str, bytes]]:
    """Malformed, huge and hostile OPML documents (CI sizes)."""
    outline = '<outline type="rss" text="A" xmlUrl="https://a.example/feed"/>'
    return [
        ("empty", b""),
        ("whitespace", b"   \n\n "),
        ("not-xml", b"this is not xml at all"),
        ("html-page", b"<!DOCTYPE html><html><body><p>hello</p></body></html>"),
        ("rss-not-opml", rss_feed(items_with("x"))),
        ("truncated", b'<?xml version="1.0"?><opml version="2.0"><body><outline text="a" xmlUrl="https://a.'),
        ("unclosed-tags", b"<opml><body><outline text='a' xmlUrl='https://a.example/f'><outline>"),
        ("binary", random_bytes(4096, 3)),
        ("png", PNG_BYTES),
        (
            "invalid-utf8",
            b'<opml><body><outline text="\xff\xfe" xmlUrl="https://a.example/\xc3("/></body></opml>',
        ),
        (
            "utf16",
            '<?xml version="1.0" encoding="utf-16"?><opml><body><outline text="u" '
            'xmlUrl="https://u.example/f"/></body></opml>'.encode("utf-16"),
        ),
        ("no-urls", b'<opml version="2.0"><body><outline text="only text"/></body></opml>'),
        (
            "bad-schemes",
            b'<opml><body><outline text="js" xmlUrl="javascript:alert(1)"/><outline text="f" '
            b'xmlUrl="ftp://x.example/"/><outline text="d" xmlUrl="data:text/html,x"/>'
            b'<outline text="file" xmlUrl="file:///etc/passwd"/></body></opml>',
        ),
        (
            "deep-nesting",
            (
                "<opml><body>"
                + nested("<outline text='c'>", "</outline>", 10_000, outline)
                + "</body></opml>"
            ).encode(),
        ),
        (
            "many-outlines",
            (
                "<opml><body>"
                + "".join(
                    f'<outline type="rss" text="F{n}" xmlUrl="https://f{n}.example/feed"/>'
                    for n in range(20_000)
                )
                + "</body></opml>"
            ).encode(),
        ),
        ("duplicate-urls", ("<opml><body>" + outline * 5000 + "</body></opml>").encode()),
        (
            "huge-title",
            (
                '<opml><body><outline text="' + "T" * 1_000_000 + '" xmlUrl="https://t.example/f"/>'
                "</body></opml>"
            ).encode(),
        ),
        (
            "huge-url",
            (
                '<opml><body><outline text="u" xmlUrl="https://u.example/' + "p" * 1_000_000 + '"/>'
                "</body></opml>"
            ).encode(),
        ),
        (
            "control-chars",
            b'<opml><body><outline text="a\x1b[31mred\x07" title="\x1b]0;t\x07x" '
            b'xmlUrl="https://c.example/f"/></body></opml>',
        ),
        (
            "entity-controls",
            b'<opml><body><outline text="a&#27;[31mred&#x9b;" '
            b'xmlUrl="https://c.example/f&#27;x"/></body></opml>',
        ),
        (
            "bidi-title",
            '<opml><body><outline text="\u202egnp.exe \u2066x\u2069" '
            'xmlUrl="https://b.example/f"/></body></opml>'.encode(),
        ),
        (
            "names-collide",
            (
                "<opml><body>"
                + "".join(f'<outline text="Same" xmlUrl="https://s{n}.example/f"/>' for n in range(500))
                + "</body></opml>"
            ).encode(),
        ),
    ]


def toml_string(value: str) -> str:
    """A TOML basic string with every control character written as an escape (as a hostile user could)."""
    out = []
    for ch in value:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif code < 0x20 or 0x7F <= code <= 0x9F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("?")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def config_with_name(name: str) -> str:
    return (
        "[settings]\nitem_limit = 20\n\n"
        f'[[sources]]\nname = {toml_string(name)}\nurl = "https://blog.example.com/"\n'
    )


def hostile_configs() -> list[tuple[str, bytes]]:
    """Malformed, huge and hostile config files (CI sizes)."""
    source = '[[sources]]\nname = "A"\nurl = "https://a.example/"\n'
    return [
        ("empty", b""),
        ("bom-only", b"\xef\xbb\xbf"),
        ("binary", random_bytes(4096, 5)),
        ("invalid-utf8", b'[[sources]]\nname = "\xff\xfe"\nurl = "https://a.example/"\n'),
        ("utf16", source.encode("utf-16")),
        ("nul-bytes", b"[settings]\x00\nitem_limit = 1\n"),
        ("raw-escape", b'[[sources]]\nname = "\x1b[31mred"\nurl = "https://a.example/"\n'),
        ("unterminated-string", b'[[sources]]\nname = "open\nurl = "https://a.example/"\n'),
        ("unterminated-multiline", b'[[sources]]\nname = """never closed\n' + b"line\n" * 1000),
        ("unterminated-array", b"[settings]\nitem_limit = [1, 2,\n"),
        ("deep-arrays", b"x = " + b"[" * 20_000 + b"]" * 20_000 + b"\n"),
        ("deep-inline-tables", b"x = " + b"{a = " * 5_000 + b"1" + b"}" * 5_000 + b"\n"),
        ("deep-dotted-keys", b"[" + b".".join(b"k" for _ in range(10_000)) + b"]\n"),
        (
            "many-sources",
            "".join(
                f'[[sources]]\nname = "S{n}"\nurl = "https://s{n}.example/"\n\n' for n in range(5_000)
            ).encode(),
        ),
        ("huge-string", b'[[sources]]\nname = "' + b"N" * 2_000_000 + b'"\nurl = "https://a.example/"\n'),
        ("huge-integer", b"[settings]\nitem_limit = " + b"9" * 5_000 + b"\n"),
        ("int64-overflow", b"[settings]\nitem_limit = 99999999999999999999\n"),
        ("float-inf", b"[settings]\ntimeout_seconds = inf\n"),
        ("float-nan", b"[settings]\ntimeout_seconds = nan\n"),
        ("huge-limit", b"[settings]\nitem_limit = 9223372036854775807\nmax_page_mb = 9223372036854775807\n"),
        ("wrong-types", b'settings = "no"\nsources = 5\n'),
        ("sources-table", b'[sources]\nname = "A"\nurl = "https://a.example/"\n'),
        ("duplicate-table", b"[settings]\nitem_limit = 1\n[settings]\nitem_limit = 2\n"),
        ("duplicate-key", b"[settings]\nitem_limit = 1\nitem_limit = 2\n"),
        ("bad-dates", b"[settings]\nitem_limit = 1979-13-45T99:99:99Z\n"),
        ("javascript-url", b'[[sources]]\nname = "js"\nurl = "javascript:alert(1)"\n'),
        ("newline-name", b'[[sources]]\nname = "two\\nlines\\ttab"\nurl = "https://a.example/"\n'),
        (
            "only-controls-name",
            b'[[sources]]\nname = "\\u001b\\u0007\\u009b\\u202e"\nurl = "https://a.example/"\n',
        ),
        ("crlf-lines", source.replace("\n", "\r\n").encode()),
        ("cr-only", source.replace("\n", "\r").encode()),
        ("control-key", b'[[sources]]\n"na\\u001bme" = "x"\nurl = "https://a.example/"\n'),
        ("html-file", b"<!DOCTYPE html><html><body>not toml</body></html>"),
        ("json-file", b'{"sources": [{"name": "a", "url": "https://a.example/"}]}'),
        ("long-line-garbage", b"= " * 500_000),
    ]


# --- reading outputs ----------------------------------------------------------------------------------------


def _get(obj: object, name: str) -> Any:
    return getattr(obj, name, None)


def output_texts(value: object) -> list[tuple[str, str, bool]]:
    """Every user-visible string in a core result as (field, text, is_markdown_body), walked by type name so
    this module needs no import of the code under test."""
    found: list[tuple[str, str, bool]] = []

    def add(field: str, text: object, body: bool = False) -> None:
        if isinstance(text, str):
            found.append((field, text, body))

    def walk(obj: object, depth: int) -> None:
        if depth > 4:
            return
        kind = type(obj).__name__
        if isinstance(obj, list | tuple):
            for element in obj:
                walk(element, depth + 1)
        elif kind == "ArticleRef":
            for name in ("title", "author", "snippet", "url", "thumbnail"):
                add(f"ref.{name}", _get(obj, name))
        elif kind == "Article":
            for name in ("title", "byline", "site_name", "excerpt", "url", "canonical_url", "lead_image"):
                add(f"article.{name}", _get(obj, name))
            add("article.markdown", _get(obj, "markdown"), True)
        elif kind == "ParsedFeed":
            add("feed.title", _get(obj, "title"))
            add("feed.site_url", _get(obj, "site_url"))
            walk(_get(obj, "items"), depth + 1)
        elif kind in ("PopularScan", "PopularResult"):
            add("popular.heading", _get(obj, "heading"))
            walk(_get(obj, "items"), depth + 1)
        elif kind == "FeedLink":
            add("feedlink.title", _get(obj, "title"))
            add("feedlink.url", _get(obj, "url"))
        elif kind == "SourceConfig":
            add("source.name", _get(obj, "name"))
            add("source.url", _get(obj, "url"))
        elif kind == "Config":
            walk(_get(obj, "sources"), depth + 1)
            add("settings.theme", _get(_get(obj, "settings"), "theme"))
        elif isinstance(obj, str):
            add("text", obj, True)

    walk(value, 0)
    return found


def output_problems(value: object, secret: str | None = None) -> list[str]:
    """What is wrong with a result: unsafe characters per field, unencodable text, a leaked secret."""
    problems: list[str] = []
    for field, text, body in output_texts(value):
        bad = unsafe_in_body(text) if body else unsafe_in_line(text)
        if bad:
            problems.append(f"{field} holds {', '.join(bad[:6])}: {text[:80]!r}")
        if unencodable(text):
            problems.append(f"{field} holds a lone surrogate: {text[:80]!r}")
        if secret is not None and secret in text:
            problems.append(f"{field} leaks the local file's content")
    return problems
