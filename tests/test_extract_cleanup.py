"""The clean-up around content detection: lazy pictures resolved before it, asides and players after it."""

from __future__ import annotations

import lxml.html

from termreader.articleclean import (
    drop_asides_and_controls,
    fill_lazy_figures,
    link_embedded_videos,
    unwrap_noscript_images,
)
from tests.pagetrees import fragment, texts, tree


def test_noscript_twin_replaces_a_blurred_placeholder() -> None:
    doc = tree(
        "<html><body><figure><div><img src='https://cdn.example/tiny/q20/mill.png' width='60'></div>"
        "<img class='fade-in' width='800'>"
        "<noscript><img src='https://cdn.example/full/mill.png' alt='The mill at dawn'></noscript>"
        "<figcaption>The mill at dawn</figcaption></figure>"
        "<p><img src='https://cdn.example/tiny/q20/quay.png'>"
        "<noscript><img src='https://cdn.example/full/quay.png'"
        " srcset='https://cdn.example/full/quay@2x.png 2x'>"
        "</noscript></p>"
        "<noscript><p>Please turn on scripts to see the map.</p></noscript></body></html>"
    )

    assert unwrap_noscript_images(doc) == 2
    images = [(img.get("src"), img.get("alt"), img.get("srcset")) for img in doc.iter("img")]
    assert images[0] == ("https://cdn.example/full/mill.png", "The mill at dawn", None)
    # The empty img the script would have filled is gone; the noscript copies stay for pre_clean to drop.
    assert images[2] == ("https://cdn.example/full/quay.png", None, "https://cdn.example/full/quay@2x.png 2x")
    assert len(images) == 4


def test_schema_image_figure_with_a_script_loaded_picture_gets_its_image() -> None:
    doc = tree(
        "<html><body>"
        "<figure itemscope itemtype='http://schema.org/ImageObject' itemid='https://img.example/one.jpg'>"
        "<div class='lazy'></div><figcaption>One</figcaption></figure>"
        "<figure itemscope itemtype='https://schema.org/ImageObject'>"
        "<meta itemprop='contentUrl' content='https://img.example/two.jpg'><figcaption>Two</figcaption></figure>"
        "<figure itemscope itemtype='http://schema.org/ImageObject' itemid='https://img.example/three.jpg'>"
        "<img src='https://img.example/three-small.jpg'></figure>"
        "<figure><div class='lazy'></div><figcaption>No microdata</figcaption></figure>"
        "</body></html>"
    )

    assert fill_lazy_figures(doc) == 2
    assert [[img.get("src") for img in figure.iter("img")] for figure in doc.iter("figure")] == [
        ["https://img.example/one.jpg"],
        ["https://img.example/two.jpg"],
        ["https://img.example/three-small.jpg"],
        [],
    ]
    # The picture goes before its caption.
    assert [el.tag for el in next(doc.iter("figure"))] == ["div", "img", "figcaption"]


def test_video_players_become_links_and_empty_frames_go() -> None:
    content = fragment(
        "<div><p>Watch it:<iframe src='https://player.vimeo.com/video/42'>VIDEO</iframe> then read on.</p>"
        "<div><iframe>VIDEO</iframe></div></div>"
    )

    assert link_embedded_videos(content) == 1
    assert lxml.html.tostring(content, encoding="unicode") == (
        '<div><p>Watch it:<a href="https://player.vimeo.com/video/42">▶ Video</a> then read on.</p>'
        "<div></div></div>"
    )


def test_asides_and_form_controls_leave_the_content() -> None:
    content = fragment(
        "<div><p>Kept paragraph.</p>"
        "<aside><h3>Related</h3><p>Another story.</p></aside>"
        "<div class='player-settings'><select><option>White</option><option>Black</option></select>"
        "<input type='text' value='x'><textarea>Type here</textarea></div>"
        "<p>Last paragraph.</p></div>"
    )

    assert drop_asides_and_controls(content) == 6
    assert texts(content) == [("p", "Kept paragraph."), ("div", ""), ("p", "Last paragraph.")]
