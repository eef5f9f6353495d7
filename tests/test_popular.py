"""Popular posts: every structure of STRUCTURES.md §1.3/§2.2 on our own fixtures, the traps, and the
end-to-end lookups (Blogger post-page fallback, WPP REST) over a real loopback server."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from termreader.demo.siteserver import SiteServer
from termreader.errors import HTTPStatusError, SourceError
from termreader.fetch import Fetcher
from termreader.models import ArticleRef
from termreader.popular import PopularScan, find_popular, loose_date, parse_wpp_rest, popular_posts, unwayback
from tests.conftest import FIXTURES, SITES, shared_path

PAGES = FIXTURES / "popular"
ServeSite = Callable[..., SiteServer]


def scan(name: str, page_url: str) -> PopularScan:
    return find_popular((PAGES / name).read_text(encoding="utf-8"), page_url)


def site_page(site: str, path: str, base: str) -> str:
    return (SITES / site / path).read_text(encoding="utf-8").replace("{{BASE}}", base)


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


# --- the design example: a Blogger 2017-theme (Contempo) post page ---------------------------------------

BASE = "https://crumb-and-crust.example"
DESIGN_ITEMS = (
    ArticleRef(
        title="A rye starter in seven days",
        url=f"{BASE}/2026/02/rye-starter-in-seven-days.html",
        published=at("2026-02-21T08:30:00+01:00"),
        author="Maren Holt",
        snippet="Rye is the forgiving grain. Where a wheat starter can sulk for a fortnight, a rye starter "
        "kept somewhere warm will usually bubble by the third day, and by the end of the week it is…",
        thumbnail="https://blogger.googleusercontent.com/img/b/R29vZ2xl/AVvXsEryejar02/s72-c/rye-starter-jar.jpg",
    ),
    ArticleRef(
        title="Flour, water, salt, and patience",
        url=f"{BASE}/2026/01/flour-water-salt-patience.html",
        published=at("2026-01-09T07:45:00+01:00"),
        author=None,
        snippet="This blog starts with the simplest loaf I know. Four ingredients, one of which is time, and "
        "no special equipment beyond a bowl, a scale & an oven that gets properly hot…",
        thumbnail=None,
    ),
    ArticleRef(
        title="Why I stopped using a bread tin",
        url=f"{BASE}/2026/01/why-i-stopped-using-a-bread-tin.html",
        published=at("2026-01-30T18:05:00+01:00"),
        author="Maren Holt",
        snippet="For years every loaf I baked went into the same dented tin, because that was how my "
        "grandmother did it and because a tin forgives a slack dough. Last autumn I put the tin away…",
        thumbnail="https://blogger.googleusercontent.com/img/b/R29vZ2xl/AVvXsEbatard03/s72-c/free-form-batard.jpg",
    ),
)


@pytest.mark.parametrize(
    "path",
    [
        "2026/03/reading-the-crumb.html",
        "2026/02/rye-starter-in-seven-days.html",
        "2026/01/why-i-stopped-using-a-bread-tin.html",
        "2026/01/flour-water-salt-patience.html",
    ],
)
def test_design_example_post_pages_list_the_three_popular_posts(path: str) -> None:
    page = site_page("blogger2017", path, BASE)
    result = find_popular(page, f"{BASE}/{path}")
    assert result.widget == "blogger-popularposts"
    assert result.heading == "Popular posts from this blog"
    assert result.platform == "blogger"
    assert result.rest_url is None
    # Thumbnail, title, fade and "Read more" links repeat each URL: one item per post, in the site's order.
    assert result.items == DESIGN_ITEMS


def test_design_example_home_page_has_no_widget() -> None:
    result = find_popular(site_page("blogger2017", "index.html", BASE), f"{BASE}/")
    assert result == PopularScan(items=(), widget=None, heading=None, rest_url=None, platform="blogger")


def test_design_example_keeps_comments_and_popular_outside_the_post_body() -> None:
    import lxml.html

    page = lxml.html.fromstring(site_page("blogger2017", "2026/03/reading-the-crumb.html", BASE))
    bodies = page.xpath("//div[contains(concat(' ', @class, ' '), ' post-body ')]")
    assert len(bodies) == 1
    body = bodies[0]
    assert len(body.text_content().split()) >= 300
    assert body.xpath(".//h2") and body.xpath(".//ul/li") and body.xpath(".//blockquote")
    assert not body.xpath(".//*[@id='comments' or @id='PopularPosts1']")
    assert page.xpath("//section[@id='comments']//li[@class='comment']")[1].get("id") == "c5518977"


@pytest.mark.parametrize(
    ("target", "content_type"),
    [
        ("/feeds/posts/default", "application/atom+xml"),
        ("/feeds/posts/default?alt=rss", "application/rss+xml"),
    ],
)
async def test_design_example_feeds_list_posts_newest_first(
    serve_site: ServeSite, target: str, content_type: str
) -> None:
    import feedparser

    server = serve_site("blogger2017")
    async with Fetcher() as fetcher:
        document = await fetcher.fetch(server.url(target))
    assert document.content_type == content_type
    feed = feedparser.parse(document.body)
    assert not feed.bozo
    assert [(entry.title, entry.link) for entry in feed.entries] == [
        ("Reading the crumb: what your loaf is telling you", server.url("/2026/03/reading-the-crumb.html")),
        ("A rye starter in seven days", server.url("/2026/02/rye-starter-in-seven-days.html")),
        ("Why I stopped using a bread tin", server.url("/2026/01/why-i-stopped-using-a-bread-tin.html")),
        ("Flour, water, salt, and patience", server.url("/2026/01/flour-water-salt-patience.html")),
    ]


# --- classic Blogger (data-version 1) ----------------------------------------------------------------------


def test_blogger_classic_with_thumbnails() -> None:
    result = scan(
        "blogger-classic-thumbs.html", "https://pebble-and-pine.blogspot.com/2025/10/three-days.html"
    )
    assert (result.widget, result.heading, result.platform) == (
        "blogger-popularposts",
        "Popular Posts",
        "blogger",
    )
    assert result.items == (
        ArticleRef(
            title="A wet week in Snowdonia",
            url="https://pebble-and-pine.blogspot.com/2025/06/a-wet-week-in-snowdonia.html",
            snippet="It rained on six days out of seven, and it was still one of the best weeks we have had "
            "in the hills. Here is what kept us dry – and…",
            thumbnail="https://1.bp.blogspot.com/-Qm3vVx0aZ1E/XyTq2pK9d0I/AAAAAAAABcs/pTq0b7aZ4nQk/s72-c/"
            "tryfan-in-cloud.jpg",
        ),
        ArticleRef(
            title="Boots I have worn out",
            url="https://pebble-and-pine.blogspot.com/2025/04/boots-i-have-worn-out.html",
            snippet="Four pairs in ten years, and what each of them taught me about soles, laces and the "
            '"waterproof" label…',
            # Protocol-relative src gets the page's scheme.
            thumbnail="https://2.bp.blogspot.com/-Lk8aPZ0nE2s/XzUu4t0fQeI/AAAAAAAABd0/nV8rW2yGqTk/"
            "w72-h72-p-k-no-nu/three-pairs-of-boots.jpg",
        ),
        ArticleRef(
            title="Map or phone?",
            url="https://pebble-and-pine.blogspot.com/2025/02/map-or-phone.html",
            snippet="Both, always.",
        ),
    )


def test_blogger_classic_without_thumbnails_localized_heading() -> None:
    result = scan(
        "blogger-classic-nothumbs.html", "https://kuechenkalender.blogspot.com/2025/11/quitten.html"
    )
    assert (result.widget, result.heading) == ("blogger-popularposts", "Beliebte Posts")
    assert [item.title for item in result.items] == [
        "Pflaumenkuchen vom Blech",
        "Linsensuppe für eine Woche",
        "Zimtsterne ohne Mehl",
        "Quittengelee ohne Stress",
    ]
    # Blogger's mobile `?m=1` is dropped from item URLs.
    assert (
        result.items[1].url == "https://kuechenkalender.blogspot.com/2025/01/linsensuppe-fuer-eine-woche.html"
    )
    assert result.items[0].snippet == (
        'Der "richtige" Pflaumenkuchen hat für mich einen Hefeteig, keinen Streusel und genau so viel Zimt, '
        "dass man ihn riecht, bevor man ihn sieh…"
    )
    assert result.items[2].snippet == (
        "Mandeln, Eiweiß, Puderzucker, Zimt. Mehr braucht es nicht, nur etwas Geduld beim Ausstechen & einen "
        "kühlen Balkon…"
    )
    assert all(
        item.thumbnail is None and item.author is None and item.published is None for item in result.items
    )


def test_blogger_footer_widget_with_nonstandard_ul2_li2_tags() -> None:
    result = scan("blogger-footer-ul2.html", "https://www.papierkranich.example/2025/08/herbstlese.html")
    assert (result.widget, result.heading) == ("blogger-popularposts", "Lieblingsstücke")
    assert [(item.title, item.url) for item in result.items] == [
        (
            "Die Karte der vergessenen Inseln – ein Abenteuerroman für Erwachsene",
            "https://www.papierkranich.example/2025/03/die-karte-der-vergessenen-inseln.html",
        ),
        (
            "Warum ich wieder Briefe schreibe",
            "https://www.papierkranich.example/2024/11/warum-ich-wieder-briefe-schreibe.html",
        ),
        (
            "Herbstlese: fünf Bücher für lange Abende",
            "https://www.papierkranich.example/2025/08/herbstlese.html",
        ),
    ]
    assert result.items[1].snippet == "Ein Brief braucht drei Tage. Genau das ist der Punkt…"
    # A short post's snippet has no "..." and gets no ellipsis.
    assert result.items[2].snippet == (
        "Wenn es um fünf dunkel wird, lese ich dicker. Hier sind die fünf Bücher, die diesen Herbst auf "
        "meinem Nachttisch liegen."
    )
    assert result.items[0].thumbnail == (
        "https://blogger.googleusercontent.com/img/b/R29vZ2xlKranich1/w250-h250-p-k-no-nu/inselkarte.png"
    )


def test_blogger_thirdparty_v2_markup_lazy_thumbs_no_heading() -> None:
    result = scan("blogger-thirdparty-v2.html", "https://www.spicehouse-kitchen.example/2025/05/chutney.html")
    assert (result.widget, result.heading) == ("blogger-popularposts", None)
    assert result.items == (
        ArticleRef(
            title="Kerala fish curry with kokum",
            url="https://www.spicehouse-kitchen.example/2025/02/kerala-fish-curry.html",
            published=at("2025-02-09T18:30:00+05:30"),
            thumbnail="https://blogger.googleusercontent.com/img/b/R29vZ2xlSpice1/w72-h72-p-k-no-nu/fish-curry.jpg",
        ),
        ArticleRef(
            title="Cardamom shortbread",
            url="https://www.spicehouse-kitchen.example/2024/12/cardamom-shortbread.html",
            published=at("2024-12-14T09:05:00+05:30"),
            thumbnail="https://blogger.googleusercontent.com/img/b/R29vZ2xlSpice2/w72-h72-p-k-no-nu/shortbread.jpg",
        ),
        ArticleRef(
            title="Green mango chutney",
            url="https://www.spicehouse-kitchen.example/2025/05/green-mango-chutney.html",
            published=at("2025-05-18T11:00:00+05:30"),
        ),
    )


def test_blogger_thumbnail_only_mobile_links_and_localized_heading() -> None:
    page_url = "https://cuaderno-de-rutas.blogspot.com/2025/09/subida-al-moncayo.html?m=1"
    result = scan("blogger-thumbnail-only-mobile.html", page_url)
    assert (result.widget, result.heading) == ("blogger-popularposts", "Entradas populares de este blog")
    site = "https://cuaderno-de-rutas.blogspot.com"
    assert result.items == (
        ArticleRef(
            title="Hayedo de la Pedrosa en otoño",
            url=f"{site}/2024/10/hayedo-de-la-pedrosa.html",
            thumbnail="https://blogger.googleusercontent.com/img/b/R29vZ2xlRutas1/w72-h72-p-k-no-nu/hayedo.jpg",
        ),
        ArticleRef(
            title="Ordesa sin prisas",
            url=f"{site}/2025/05/ordesa-sin-prisas.html",
            thumbnail="https://blogger.googleusercontent.com/img/b/R29vZ2xlRutas2/w72-h72-p-k-no-nu/ordesa.jpg",
        ),
        ArticleRef(title="Mochila ligera: lo que sí y lo que no", url=f"{site}/2023/07/mochila-ligera.html"),
    )


# --- WordPress Popular Posts ------------------------------------------------------------------------------


def test_wpp_ul_with_excerpt_author_date_and_lazy_thumbnail() -> None:
    result = scan("wpp-ul-meta.html", "https://orcharddiary.example/pruning-an-old-pear-tree/")
    assert (result.widget, result.heading, result.platform) == ("wpp", "Most read this month", "wordpress")
    uploads = "https://orcharddiary.example/wp-content/uploads/wordpress-popular-posts"
    assert result.items == (
        ArticleRef(
            # The shortened link text gives way to the full title attribute.
            title="When to pick pears (earlier than you think)",
            url="https://orcharddiary.example/when-to-pick-pears/",
            published=datetime(2025, 9, 14, tzinfo=UTC),
            author="Hannah Reed",
            snippet="Pears ripen from the inside out, so a pear that feels ripe on the tree is already going "
            "brown at the core. Pick them hard & green, then…",
            thumbnail=f"{uploads}/790-featured-75x75.jpg",
        ),
        ArticleRef(
            title="Grafting for beginners",
            url="https://orcharddiary.example/grafting-for-beginners/",
            published=datetime(2025, 3, 3, tzinfo=UTC),
            author="Tom Okafor",
            snippet="A sharp knife, a roll of tape and a branch you are not afraid to lose: that is all it "
            "takes to make your first graft.",
            thumbnail=f"{uploads}/744-featured-75x75.jpg",
        ),
        ArticleRef(
            title="Pruning an old pear tree",
            url="https://orcharddiary.example/pruning-an-old-pear-tree/",
            published=datetime(2026, 2, 2, tzinfo=UTC),
            author="Hannah Reed",
            snippet="The tree was planted before the house was built, and nobody had touched it for "
            "twenty years.",
            # src is an inline SVG placeholder; data-src holds the real image.
            thumbnail=f"{uploads}/812-featured-75x75.jpg",
        ),
    )


def test_wpp_ol_takes_the_first_list_and_the_page_builder_heading() -> None:
    result = scan(
        "wpp-ol-two-lists.html", "https://riversidecourier.example/local/2026/council-approves-cycle-lanes/"
    )
    assert (result.widget, result.heading) == ("wpp", "Most read")
    assert [(item.title, item.url) for item in result.items] == [
        (
            "Market hall reopens after two-year restoration",
            "https://riversidecourier.example/local/2026/market-hall-reopens/",
        ),
        (
            "Council approves new cycle lanes",
            "https://riversidecourier.example/local/2026/council-approves-cycle-lanes/",
        ),
        (
            "Rowing club celebrates its centenary",
            "https://riversidecourier.example/sport/2026/rowing-club-centenary/",
        ),
        (
            "Library trials late-night opening",
            "https://riversidecourier.example/culture/2026/library-late-nights/",
        ),
    ]
    assert all(item.snippet is None and item.thumbnail is None for item in result.items)


def test_wpp_cards_compact_lazy_thumbnails_and_excerpts() -> None:
    result = scan("wpp-cards-compact.html", "https://nachtschicht.example/szene/zwanzig-jahre-plattenladen/")
    assert (result.widget, result.heading) == ("wpp", "Beliebte Artikel")
    uploads = "https://nachtschicht.example/wp-content/uploads/wordpress-popular-posts"
    assert result.items == (
        ArticleRef(
            title="Die letzten Clubs der Altstadt",
            url="https://nachtschicht.example/szene/die-letzten-clubs-der-altstadt/",
            snippet="Drei Clubs haben in diesem Jahr geschlossen, zwei halten noch durch. Ein Abend mit den "
            "Menschen, die sie am Leben halten…",
            thumbnail=f"{uploads}/4410-featured-75x75.jpg",
        ),
        ArticleRef(
            title="Mixtapes als Liebesbriefe",
            url="https://nachtschicht.example/musik/mixtapes-als-liebesbriefe/",
            snippet="Neunzig Minuten, zwei Seiten, kein Zurückspulen: warum das Mixtape die ehrlichste Form "
            "der Zuneigung war.",
            thumbnail=f"{uploads}/3987-featured-75x75.jpg",
        ),
        ArticleRef(
            title="Zwanzig Jahre Plattenladen",
            url="https://nachtschicht.example/szene/zwanzig-jahre-plattenladen/",
            snippet="Ein Laden, zwei Besitzer, zwanzig Jahre – und kein einziger Tag ohne Kundschaft.",
            thumbnail=f"{uploads}/5120-featured-75x75.jpg",
        ),
    )


def test_wpp_on_a_wayback_capture_gives_the_original_urls() -> None:
    page_url = "https://web.archive.org/web/20190412093011/http://aufgeraeumt.example/ordnung-im-keller/"
    result = scan("wpp-wayback.html", page_url)
    assert (result.widget, result.heading) == ("wpp", "Beliebte Artikel")
    assert [(item.title, item.url) for item in result.items] == [
        ("Wochenplan für den Haushalt", "http://aufgeraeumt.example/wochenplan-fuer-den-haushalt/"),
        (
            "Kleiderschrank ausmisten – in vier Schritten",
            "http://aufgeraeumt.example/kleiderschrank-ausmisten/",
        ),
        ("Papierkram digitalisieren", "http://aufgeraeumt.example/papierkram-digitalisieren/"),
    ]
    # Thumbnails stay on the archive, where the image still exists.
    assert result.items[1].thumbnail == (
        "https://web.archive.org/web/20190412093011im_/http://aufgeraeumt.example/wp-content/uploads/2017/10/"
        "schrank-50x50.jpg"
    )


def test_wpp_ajax_block_placeholder_points_at_the_rest_route() -> None:
    base = "https://lindenauer.example"
    result = find_popular(site_page("wordpress-ajax", "index.html", base), f"{base}/2026/03/hund/")
    assert result == PopularScan(
        items=(),
        widget="wpp",
        heading="Meistgelesen",
        rest_url=f"{base}/wp-json/wordpress-popular-posts/v1/popular-posts?limit=3&range=last7days"
        "&time_quantity=24&time_unit=hour&order_by=views&post_type=post&freshness=0",
        platform="wordpress",
    )


def test_wpp_classic_widget_placeholder_points_at_the_widget_route() -> None:
    base = "https://lindenauer.example"
    result = find_popular(site_page("wordpress-ajax", "classic/index.html", base), f"{base}/classic/")
    assert (result.widget, result.heading, result.items) == ("wpp", "Am meisten gelesen", ())
    assert result.rest_url == f"{base}/wp-json/wordpress-popular-posts/v1/popular-posts/widget/4"


def test_parse_wpp_rest_v1_list() -> None:
    base = "https://lindenauer.example"
    body = site_page("wordpress-ajax", "rest/popular-posts.json", base).encode("utf-8")
    assert parse_wpp_rest(body, f"{base}/wp-json/wordpress-popular-posts/v1/popular-posts") == (
        ArticleRef(
            title="Neue Ampel am Marktplatz: „Endlich sicher“",
            url=f"{base}/2026/03/neue-ampel-am-marktplatz/",
            published=datetime(2026, 3, 18, 16, 40, tzinfo=UTC),
            snippet="Nach drei Jahren Planung geht die Ampel an der Kreuzung Markt/Lindenstraße am Montag in "
            "Betrieb. Anwohner hatten lange darauf gewartet…",
        ),
        ArticleRef(
            title="Hund entlaufen: Suche im Stadtwald",
            url=f"{base}/2026/03/hund-entlaufen-suche-im-stadtwald/",
            published=datetime(2026, 3, 20, 7, 15, tzinfo=UTC),
            snippet="Seit Dienstagabend wird der Mischlingsrüde „Bruno“ vermisst. Freiwillige suchen am "
            "Wochenende den Stadtwald ab.",
        ),
        ArticleRef(
            title="Frühjahrsmarkt mit 80 Ständen",
            url=f"{base}/2026/03/fruehjahrsmarkt/",
            published=datetime(2026, 3, 15, 10, 0, tzinfo=UTC),
            author="Katrin Lenz",
            thumbnail=f"{base}/wp-content/uploads/2026/03/markt.jpg",
        ),
    )


def test_parse_wpp_rest_v2_widget_html() -> None:
    base = "https://lindenauer.example"
    body = site_page("wordpress-ajax", "rest/widget-4.json", base)
    assert parse_wpp_rest(body, base) == (
        ArticleRef(
            title="Neue Ampel am Marktplatz: „Endlich sicher“",
            url=f"{base}/2026/03/neue-ampel-am-marktplatz/",
            published=datetime(2026, 3, 18, tzinfo=UTC),
            thumbnail=f"{base}/wp-content/uploads/wordpress-popular-posts/48790-featured-75x75.jpg",
        ),
        ArticleRef(
            title="Frühjahrsmarkt mit 80 Ständen",
            url=f"{base}/2026/03/fruehjahrsmarkt/",
            published=datetime(2026, 3, 15, tzinfo=UTC),
        ),
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>Bad gateway</html>", "is not JSON"),
        (
            b'{"code":"rest_no_route","message":"No route was found.","data":{"status":404}}',
            "No route was found.",
        ),
        (b'{"posts": 3}', "unknown shape"),
    ],
)
def test_parse_wpp_rest_rejects_other_answers(body: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        parse_wpp_rest(body, "https://lindenauer.example/wp-json/wordpress-popular-posts/v1/popular-posts")


def test_parse_wpp_rest_empty_list_is_empty() -> None:
    assert parse_wpp_rest("[]", "https://lindenauer.example/") == ()


# --- Jetpack Top Posts ----------------------------------------------------------------------------------


def test_jetpack_list_drops_home_and_static_pages() -> None:
    result = scan("jetpack-list.html", "https://www.jana-wolf.example/zeit-und-arbeit/")
    assert (result.widget, result.heading) == ("jetpack-top-posts", "Top Beiträge & Seiten")
    assert result.items == (
        ArticleRef(
            title="Lernmythen (4): Der Lerntyp", url="https://www.jana-wolf.example/lernmythen-teil-4/"
        ),
        ArticleRef(
            title="Lernmythen (1): Die Lernpyramide", url="https://www.jana-wolf.example/lernmythen-teil-1/"
        ),
        ArticleRef(
            title="Vertrauen & Kontrolle", url="https://www.jana-wolf.example/vertrauen-und-kontrolle/"
        ),
    )


def test_jetpack_grid_titles_from_link_title_or_image_alt() -> None:
    result = scan("jetpack-grid.html", "file:///home/me/saved/murano.html")
    assert (result.widget, result.heading, result.platform) == (
        "jetpack-top-posts",
        "Top Beiträge & Seiten",
        "wordpress",
    )
    files = "https://lesefunken.files.wordpress.com"
    # A saved page: the site's host comes from the canonical link, so the home page is still dropped.
    assert result.items == (
        ArticleRef(
            title="Der Leuchtturmwärter: ein Winterroman von der Nordsee",
            url="https://lesefunken.wordpress.com/2024/11/20/der-leuchtturmwaerter/",
            thumbnail=f"{files}/2024/11/leuchtturm.jpg?resize=200%2C200",
        ),
        ArticleRef(
            title="Kochen wie in Ligurien – 80 Rezepte von der Riviera",
            url="https://lesefunken.wordpress.com/2025/03/08/kochen-wie-in-ligurien/",
            thumbnail=f"{files}/2025/03/ligurien.jpg?w=182&resize=200%2C200",
        ),
        ArticleRef(
            title="Die Glasbläserin von Murano",
            url="https://lesefunken.wordpress.com/2025/10/02/die-glasblaeserin-von-murano/",
            thumbnail=f"{files}/2025/10/murano.jpg?resize=200%2C200",
        ),
    )


# --- generic blocks and traps -----------------------------------------------------------------------------


def test_generic_most_read_block() -> None:
    page_url = "https://estuarypost.example/news/2026/03/harbour-dredging-april"
    result = scan("generic-most-read.html", page_url)
    assert (result.widget, result.heading, result.platform) == ("generic", "Most read", None)
    site = "https://estuarypost.example"
    assert result.items == (
        ArticleRef(
            title="Ferry timetable changes from Monday",
            url=f"{site}/news/2026/03/ferry-timetable-changes",
            published=at("2026-03-10T16:45:00+00:00"),
            thumbnail=f"{site}/img/thumbs/ferry-120.jpg",
        ),
        ArticleRef(
            title="Harbour dredging to start in April",
            url=f"{site}/news/2026/03/harbour-dredging-april",
            published=at("2026-03-12T07:00:00+00:00"),
        ),
        ArticleRef(
            title="Regatta returns after six-year gap",
            url=f"{site}/sport/2026/03/regatta-returns",
            published=at("2026-03-09T09:30:00+00:00"),
            snippet="Forty crews have already entered & organisers expect more…",
            thumbnail=f"{site}/img/thumbs/regatta-120.jpg",
        ),
        ArticleRef(
            title="Why the pier still matters",
            url=f"{site}/opinion/2026/03/why-the-pier-matters",
            author="Sam Feld",
        ),
    )


def test_generic_trending_cards_lose_rank_numbers_blurbs_and_section_links() -> None:
    result = scan("generic-trending-cards.html", "file:///tmp/saved/batteries-week.html")
    assert (result.widget, result.heading) == ("generic", "Trending now")
    site = "https://northernsignal.example"
    assert result.items == (
        ArticleRef(
            title="Fjord ferries go electric",
            url=f"{site}/science/2026/2/26/fjord-ferries-go-electric",
            snippet="The last diesel crossing on the Sognefjord ends in May.",
        ),
        ArticleRef(
            title="Why power prices fell in February",
            url=f"{site}/money/2026/2/25/why-power-prices-fell",
            author="Lena Dahl",
            snippet="Wind, rain and a mild month did most of the work…",
        ),
        ArticleRef(
            title="A choir for people who cannot sing",
            url=f"{site}/culture/2026/2/24/a-choir-for-people-who-cannot-sing",
        ),
    )


@pytest.mark.parametrize(
    ("name", "platform"),
    [
        ("trap-blogger-css-only.html", "blogger"),
        ("trap-blogger-archive.html", "blogger"),
        ("trap-blogger-dynamic-views.html", "blogger"),
        ("trap-penci-decoy.html", "wordpress"),
        ("trap-generic-recent-labelled-popular.html", None),
    ],
)
def test_traps_give_no_popular_list(name: str, platform: str | None) -> None:
    assert scan(name, "https://trap.example/") == PopularScan(
        items=(), widget=None, heading=None, rest_url=None, platform=platform
    )


@pytest.mark.parametrize(
    "html",
    ["", "   ", "<<<>>>", "\x00\x01", "<?xml version='1.0' encoding='utf-8'?><html><body></body></html>"],
)
def test_junk_input_is_simply_not_found(html: str) -> None:
    result = find_popular(html, "https://junk.example/")
    assert (result.items, result.widget) == ((), None)


def test_hostile_markup_is_bounded_and_sanitised() -> None:
    links = "".join(
        f'<li><a href="/news/2026/01/story-{n}">\x1b[31mStory\u202e {n}\x07</a></li>' for n in range(5)
    )
    # libxml2 keeps 255 levels; deeper content is dropped by the parser, so stay just under it.
    nested = '<div class="popular">' * 240 + f"<ul>{links}</ul>" + "</div>" * 240
    flood = "".join(f'<div class="trending-{n}"><a href="/x/{n}/y">x</a></div>' for n in range(5000))
    result = find_popular(f"<html><body>{nested}{flood}</body></html>", "https://hostile.example/")
    assert result.widget == "generic"
    # ESC, BEL and the bidi override are gone; what is left of "ESC[31m" is inert text.
    assert [item.title for item in result.items] == [f"[31mStory {n}" for n in range(5)]


def test_unwayback_and_loose_dates() -> None:
    assert unwayback("https://web.archive.org/web/2016052618/http://a.example/x/") == "http://a.example/x/"
    assert (
        unwayback("http://web.archive.org/web/20160526181643im_/https:/b.example/i.jpg")
        == "https://b.example/i.jpg"
    )
    assert unwayback("https://a.example/web/1/x") == "https://a.example/web/1/x"
    assert loose_date("posted on March 3, 2026") == datetime(2026, 3, 3, tzinfo=UTC)
    assert loose_date("3 Sept 2025") == datetime(2025, 9, 3, tzinfo=UTC)
    assert loose_date("vor 2 Tagen") is None
    assert loose_date("February 30, 2026") is None


# --- end to end through a real loopback server ---------------------------------------------------------


async def test_blogger_2017_home_falls_back_to_the_newest_post_page(serve_site: ServeSite) -> None:
    server = serve_site("blogger2017")
    newest = server.url("/2026/03/reading-the-crumb.html")
    async with Fetcher() as fetcher:
        result = await popular_posts(fetcher, server.url("/"), newest_post_url=newest)
    assert result.page_url == newest
    assert (result.widget, result.heading) == ("blogger-popularposts", "Popular posts from this blog")
    expected = tuple(
        ArticleRef(
            title=item.title,
            url=item.url.replace(BASE, server.base_url),
            published=item.published,
            author=item.author,
            snippet=item.snippet,
            # The loopback site is plain http, so the protocol-relative thumbnail is too.
            thumbnail=item.thumbnail.replace(
                "https://blogger.googleusercontent.com/img/b/R29vZ2xl/AVvXsEbatard03",
                "http://blogger.googleusercontent.com/img/b/R29vZ2xl/AVvXsEbatard03",
            )
            if item.thumbnail
            else None,
        )
        for item in DESIGN_ITEMS
    )
    assert result.items == expected
    assert server.hits["/"] == 1 and server.hits["/2026/03/reading-the-crumb.html"] == 1


async def test_blogger_home_without_widget_and_no_newest_post_says_none(serve_site: ServeSite) -> None:
    server = serve_site("blogger2017")
    async with Fetcher() as fetcher:
        result = await popular_posts(fetcher, server.url("/"))
    assert (result.page_url, result.items, result.widget, result.found) == (server.url("/"), (), None, False)


async def test_blogger_classic_home_widget_needs_no_second_fetch(serve_site: ServeSite) -> None:
    server = serve_site("blogger-classic")
    async with Fetcher() as fetcher:
        result = await popular_posts(
            fetcher, server.url("/"), newest_post_url=server.url("/2025/10/three-days-on-the-ridgeway.html")
        )
    assert (result.page_url, result.widget, len(result.items)) == (server.url("/"), "blogger-popularposts", 3)
    assert result.items[0].url == server.url("/2025/06/a-wet-week-in-snowdonia.html")
    assert result.items[1].thumbnail == (
        "http://2.bp.blogspot.com/-Lk8aPZ0nE2s/XzUu4t0fQeI/AAAAAAAABd0/nV8rW2yGqTk/w72-h72-p-k-no-nu/"
        "three-pairs-of-boots.jpg"
    )
    assert sorted(server.hits) == ["/"]


async def test_blogger_fallback_page_missing_is_not_found(serve_site: ServeSite) -> None:
    server = serve_site("blogger2017")
    async with Fetcher() as fetcher:
        result = await popular_posts(
            fetcher, server.url("/"), newest_post_url=server.url("/2026/04/gone.html")
        )
    assert (result.page_url, result.widget, result.items) == (server.url("/"), None, ())


async def test_wpp_ajax_placeholder_is_resolved_through_rest(serve_site: ServeSite) -> None:
    server = serve_site("wordpress-ajax")
    async with Fetcher() as fetcher:
        result = await popular_posts(fetcher, server.url("/"))
    assert (result.page_url, result.widget, result.heading) == (server.url("/"), "wpp-rest", "Meistgelesen")
    assert [(item.title, item.url) for item in result.items] == [
        ("Neue Ampel am Marktplatz: „Endlich sicher“", server.url("/2026/03/neue-ampel-am-marktplatz/")),
        ("Hund entlaufen: Suche im Stadtwald", server.url("/2026/03/hund-entlaufen-suche-im-stadtwald/")),
        ("Frühjahrsmarkt mit 80 Ständen", server.url("/2026/03/fruehjahrsmarkt/")),
    ]
    assert server.hits["/wp-json/wordpress-popular-posts/v1/popular-posts"] == 1


async def test_wpp_classic_placeholder_is_resolved_through_the_widget_route(serve_site: ServeSite) -> None:
    server = serve_site("wordpress-ajax")
    async with Fetcher() as fetcher:
        result = await popular_posts(fetcher, server.url("/classic/"))
    assert (result.widget, result.heading) == ("wpp-rest", "Am meisten gelesen")
    assert [item.title for item in result.items] == [
        "Neue Ampel am Marktplatz: „Endlich sicher“",
        "Frühjahrsmarkt mit 80 Ständen",
    ]


async def test_wpp_rest_route_missing_means_not_found(serve_site: ServeSite) -> None:
    server = serve_site("wordpress-ajax")
    async with Fetcher() as fetcher:
        result = await popular_posts(fetcher, server.url("/broken/"))
    assert (result.page_url, result.widget, result.items) == (server.url("/broken/"), None, ())
    assert server.hits["/gone/wordpress-popular-posts/v1/popular-posts"] == 1


async def test_wpp_rendered_list_and_jetpack_sites(serve_site: ServeSite) -> None:
    wpp, jetpack = serve_site("wordpress-wpp"), serve_site("jetpack")
    async with Fetcher() as fetcher:
        wpp_result = await popular_posts(fetcher, wpp.url("/"))
        jetpack_result = await popular_posts(fetcher, jetpack.url("/"))
    assert (wpp_result.widget, wpp_result.heading) == ("wpp", "Most read this month")
    assert [item.url for item in wpp_result.items] == [
        wpp.url("/when-to-pick-pears/"),
        wpp.url("/grafting-for-beginners/"),
        wpp.url("/pruning-an-old-pear-tree/"),
    ]
    assert wpp_result.items[0].author == "Hannah Reed"
    assert (jetpack_result.widget, [item.title for item in jetpack_result.items]) == (
        "jetpack-top-posts",
        ["Lernmythen (4): Der Lerntyp", "Lernmythen (1): Die Lernpyramide", "Vertrauen & Kontrolle"],
    )


async def test_given_html_is_not_fetched_again(serve_site: ServeSite) -> None:
    server = serve_site("blogger2017")
    html = site_page("blogger2017", "2026/02/rye-starter-in-seven-days.html", server.base_url)
    async with Fetcher() as fetcher:
        result = await popular_posts(
            fetcher, server.url("/2026/02/rye-starter-in-seven-days.html"), html=html
        )
    assert [item.title for item in result.items] == [item.title for item in DESIGN_ITEMS]
    assert sum(server.hits.values()) == 0


async def test_first_fetch_errors_propagate(serve_site: ServeSite) -> None:
    server = serve_site("blogger2017")
    async with Fetcher() as fetcher:
        with pytest.raises(HTTPStatusError):
            await popular_posts(fetcher, server.url("/no/such/page.html"))


# --- the real pages of the shared corpus ---------------------------------------------------------------

CORPUS_EXPECTED = {
    "blogger/classic-customdomain-post-popularposts-hot-topics.html": (
        "blogger-popularposts",
        "Hot Topics",
        5,
    ),
    "blogger/classic-hanna-footer-popularposts-ul2-li2.html": ("blogger-popularposts", "Top Picks", 5),
    "blogger/classic-minima-blue-post-popularposts-no-thumbs.html": (
        "blogger-popularposts",
        "Beliebte Posts",
        10,
    ),
    "blogger/classic-plentylife-post-popularposts.html": ("blogger-popularposts", "Popular Posts", 5),
    "blogger/classic-pretty-bookshelf-post-popularposts-protocol-relative.html": (
        "blogger-popularposts",
        "Eure Lieblingsposts",
        3,
    ),
    "blogger/classic-simple-post-popularposts-readability.html": ("blogger-popularposts", "Popular Posts", 4),
    "blogger/thirdparty-frameify-post-popularposts-v2-lazythumbs.html": ("blogger-popularposts", None, 10),
    "blogger/classic-python-insider-post-no-popularposts.html": (None, None, 0),
    "blogger/classic-simple-archive-page-no-popularposts.html": (None, None, 0),
    "blogger/classic-simple-bold-post-css-only-popular-posts.html": (None, None, 0),
    "blogger/dynamic-views-post-browser-saved.html": (None, None, 0),
    "blogger/dynamic-views-post-js-only.html": (None, None, 0),
    "blogger/google-blog-custom-template-no-popularposts.html": (None, None, 0),
    "wordpress/jetpack-top-posts-and-popular-news.html": ("jetpack-top-posts", "Top Beiträge & Seiten", 5),
    "wordpress/jetpack-top-posts-selfhosted.html": ("jetpack-top-posts", "Top Beiträge & Seiten", 4),
    "wordpress/jetpack-top-posts-wordpresscom.html": ("jetpack-top-posts", "Top-Beiträge & -Seiten", 10),
    "wordpress/wordpresscom-post-jetpack.html": ("jetpack-top-posts", "Top Beiträge & Seiten", 10),
    "wordpress/wpp-ajax-placeholder.html": ("wpp", "Beliebte Artikel", 0),
    "wordpress/wpp-cards-compact-lazy.html": ("wpp", "Beliebte Artikel", 3),
    "wordpress/wpp-list-wayback-sidebar.html": ("wpp", "Beliebte Artikel", 7),
    "wordpress/wpp-ol-styled-news.html": ("wpp", "Meistgelesen", 5),
}


def _corpus_page_url(html: str, fallback: str) -> str:
    import lxml.html

    doc = lxml.html.document_fromstring(html.encode("utf-8"))
    for ref in doc.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content"):
        if str(ref).startswith("http"):
            return str(ref)
    return fallback


@pytest.mark.parametrize("name", sorted(CORPUS_EXPECTED))
def test_real_corpus_pages(name: str) -> None:
    path: Path = shared_path("corpus", *name.split("/"))
    html = path.read_bytes().decode("utf-8", "replace")
    result = find_popular(html, _corpus_page_url(html, path.as_uri()))
    assert (result.widget, result.heading, len(result.items)) == CORPUS_EXPECTED[name]
    assert all(item.url.startswith("http") and item.title for item in result.items)


def test_real_corpus_wpp_placeholder_rest_url() -> None:
    path = shared_path("corpus", "wordpress", "wpp-ajax-placeholder.html")
    result = find_popular(path.read_text(encoding="utf-8"), "https://hildesheimer-presse.de/")
    assert result.rest_url == (
        "https://hildesheimer-presse.de/wp-json/wordpress-popular-posts/v1/popular-posts?limit=5"
        "&range=last7days&time_quantity=24&time_unit=hour&order_by=views&post_type=post&freshness=1"
    )


def test_fixture_routes_are_valid_json() -> None:
    routes = json.loads((SITES / "wordpress-ajax" / "_routes.json").read_text(encoding="utf-8"))
    assert all((SITES / "wordpress-ajax" / spec["file"]).is_file() for spec in routes.values())


def test_wpp_title_class_on_a_span_inside_the_link_or_around_it() -> None:
    # WPP's custom templates put `.wpp-post-title` on a span inside the link, or on a heading around it:
    # the item is the link's, the title the title element's.
    page = """<!doctype html><html><head><title>Quiet Ferments</title></head><body>
    <main><article><h1>Brine ratios</h1><p>Two percent by weight, always.</p></article></main>
    <aside class="widget popular-posts"><h2 class="widget-title">Most read this week</h2>
    <ul class="wpp-list">
    <li><a href="https://ferments.example/kimchi-basics/" target="_self"><span class="wpp-post-title">Kimchi
      basics for a small kitchen</span></a> <span class="wpp-meta post-stats">1,204 views</span></li>
    <li><h3 class="wpp-post-title"><a href="/sauerkraut-in-a-jar/">Sauerkraut in a jar</a></h3></li>
    <li><a class="wpp-post-title" href="https://ferments.example/miso-at-home/">Miso at home</a></li>
    </ul></aside></body></html>"""
    result = find_popular(page, "https://ferments.example/brine-ratios/")
    assert result.widget == "wpp"
    assert [(item.title, item.url) for item in result.items] == [
        ("Kimchi basics for a small kitchen", "https://ferments.example/kimchi-basics/"),
        ("Sauerkraut in a jar", "https://ferments.example/sauerkraut-in-a-jar/"),
        ("Miso at home", "https://ferments.example/miso-at-home/"),
    ]
