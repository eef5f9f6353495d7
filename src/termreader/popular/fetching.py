"""Popular posts fetched from a site: the page itself, then the WPP REST route or a Blogger post page."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from termreader.errors import TermreaderError
from termreader.models import PopularResult
from termreader.popular.find import find_popular
from termreader.popular.scan import WPP_REST_WIDGET, PopularScan
from termreader.popular.wpp_rest import parse_wpp_rest
from termreader.textutil import normalize_url

if TYPE_CHECKING:
    from termreader.fetch import Fetcher


async def _scan_url(fetcher: Fetcher, url: str) -> tuple[str, PopularScan]:
    document = await fetcher.fetch(url)
    final_url = str(document.final_url or url)
    return final_url, await asyncio.to_thread(find_popular, document.text, final_url)


async def popular_posts(
    fetcher: Fetcher, page_url: str, *, html: str | None = None, newest_post_url: str | None = None
) -> PopularResult:
    """The popular posts a site publishes, following the WPP REST route and Blogger's post-page placement.

    Errors fetching `page_url` propagate; the follow-up fetches are best effort and their failure means
    "not found".
    """
    if html is None:
        where, scan = await _scan_url(fetcher, page_url)
    else:
        where, scan = page_url, await asyncio.to_thread(find_popular, html, page_url)
    if scan.items:
        return PopularResult(page_url=where, items=scan.items, widget=scan.widget, heading=scan.heading)
    if scan.rest_url is not None:
        try:
            answer = await fetcher.fetch(scan.rest_url, accept="application/json")
            items = await asyncio.to_thread(
                parse_wpp_rest, answer.body, str(answer.final_url or scan.rest_url)
            )
        except TermreaderError:
            items = ()
        if items:
            return PopularResult(page_url=where, items=items, widget=WPP_REST_WIDGET, heading=scan.heading)
        return PopularResult(page_url=where)
    if (
        scan.platform == "blogger"
        and newest_post_url
        and normalize_url(newest_post_url) != normalize_url(where)
    ):
        try:
            post_where, post_scan = await _scan_url(fetcher, newest_post_url)
        except TermreaderError:
            return PopularResult(page_url=where)
        if post_scan.items:
            return PopularResult(
                page_url=post_where, items=post_scan.items, widget=post_scan.widget, heading=post_scan.heading
            )
    return PopularResult(page_url=where)
