"""What a scan of one page found: the PopularScan value and the widget names it reports."""

from __future__ import annotations

from dataclasses import dataclass

from termreader.models import ArticleRef

BLOGGER_WIDGET = "blogger-popularposts"
WPP_WIDGET = "wpp"
WPP_REST_WIDGET = "wpp-rest"
JETPACK_WIDGET = "jetpack-top-posts"
GENERIC_WIDGET = "generic"


@dataclass(frozen=True, slots=True)
class PopularScan:
    """What one page shows as its popular posts; `widget` None means the page has no popular list."""

    items: tuple[ArticleRef, ...]
    widget: str | None
    """'blogger-popularposts', 'wpp', 'jetpack-top-posts', 'generic', or None."""
    heading: str | None
    rest_url: str | None
    """WPP AJAX placeholder: the absolute REST URL that returns the list the page loads with JavaScript."""
    platform: str | None = None
    """'blogger' or 'wordpress' when the page says so (meta generator, widget markup)."""
