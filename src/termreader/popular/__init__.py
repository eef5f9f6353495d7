"""Find a site's popular posts: Blogger's PopularPosts gadget, WordPress Popular Posts, Jetpack Top Posts and
clearly labelled "popular / most read / trending" blocks, in the site's own order.

No platform exposes popularity in its feeds, so the list is scraped from rendered HTML
(STRUCTURES.md §1.3, §2.2).
Detection keys on element classes and ids, never on heading text or on a string in the page: skins' CSS
mentions `.popular-posts` on blogs that have no such widget.
"""

from __future__ import annotations

from termreader.popular.dates import loose_date
from termreader.popular.fetching import popular_posts
from termreader.popular.find import find_popular
from termreader.popular.page import unwayback
from termreader.popular.scan import (
    BLOGGER_WIDGET,
    GENERIC_WIDGET,
    JETPACK_WIDGET,
    WPP_REST_WIDGET,
    WPP_WIDGET,
    PopularScan,
)
from termreader.popular.wpp_rest import parse_wpp_rest

__all__ = [
    "BLOGGER_WIDGET",
    "GENERIC_WIDGET",
    "JETPACK_WIDGET",
    "WPP_REST_WIDGET",
    "WPP_WIDGET",
    "PopularScan",
    "find_popular",
    "loose_date",
    "parse_wpp_rest",
    "popular_posts",
    "unwayback",
]
