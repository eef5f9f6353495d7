"""What readability-lxml drops from an article and we put back, and what we take out after it chose."""

from __future__ import annotations

from pathlib import Path

from termreader.extract import extract_article
from termreader.recover import (
    map_page,
    recover_dropped_blocks,
    recover_empty_sections,
    recover_lead_paragraphs,
)
from tests.pagetrees import fragment, texts, tree

PAGES = Path(__file__).parent / "fixtures" / "pages"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def lines(markdown: str) -> list[str]:
    return [line for line in markdown.split("\n") if line.strip()]


FIRST = "The first paragraph that readability kept, long enough to count as text."
SECOND = "The second paragraph that readability kept, long enough to count as well."
THIRD = "The third paragraph that readability kept, and it closes the article here."
LONG = " ".join(["The ferry ran only in the mornings that spring, and the queue reached the church."] * 4)


# --- figures between merged text segments ---------------------------------------------------------

ESSAY_URL = "https://coastal-ledger.example/2025/03/09/tide-mills.html"


def test_figures_between_merged_text_segments_come_back_in_place() -> None:
    article = extract_article(page("photo-essay.html"), ESSAY_URL)

    assert article.title == "The Tide Mills of the Estuary Are Turning Again"
    assert article.byline == "Maren Holt"
    assert lines(article.markdown) == [
        "For two hundred years the mill at Saltern Creek ground corn with nothing but the pull of the moon. "
        "A pond filled on the rising tide, a sluice gate held the water back, and when the sea dropped away "
        "the stored water turned a wheel the size of a barn door.",
        "The last miller locked the doors in 1957. This spring a group of volunteers, two retired engineers "
        "and a great many buckets of lime mortar later, the wheel is turning again, and the first bags of "
        "flour went on sale at the harbour market last Saturday morning.",
        "![The restored wheel](https://images.coastal-ledger.example/2025/03/mill-wheel.jpg)",
        "*The restored wheel at Saltern Creek turns for about four hours on each falling tide.*",
        "The volunteers found the original gearing buried under a collapsed floor, its oak teeth soft with "
        "rot but its iron shafts intact. A joiner from the village cut new teeth from a storm-felled tree, "
        "fitting each one by hand over a winter of Tuesday evenings.",
        "Getting the sluice to seal took longer. Every spring tide for a year pushed silt into the gate "
        "channel, and the crew learned to flush it by opening the gate for ten minutes at slack water, "
        "exactly as the old mill logbooks described.",
        "![](https://images.coastal-ledger.example/2025/03/logbook.jpg)",
        "*A page of the 1893 logbook, with the times of every high water written in the margin.*",
        "Those logbooks, kept in a tin trunk at the county archive, record every tide the mill worked "
        "between 1871 and 1957. They show the miller grinding at three in the morning as often as at noon, "
        "because the moon, not the clock, set his hours.",
        "The trust that owns the mill hopes to open it to school groups in the autumn. Its chair said the "
        "building teaches something a textbook cannot: that a coast is a machine, and people once knew how "
        "to read it well enough to make bread from it.",
        "The mill opens to visitors on the first Sunday of each month, tide permitting. The harbour master "
        "publishes the times a week ahead, and the volunteers ask that visitors bring their own bags for "
        "flour.",
    ]
    # A player's caption with no picture to show stays out.
    assert "first grinding" not in article.markdown


def test_figure_and_the_caption_beside_it_come_back_but_a_kept_image_is_not_repeated() -> None:
    doc = tree(
        f"<html><body><div><p>{FIRST}</p></div>"
        "<figure><img src='https://cdn.example/a.jpg' alt='a'></figure>"
        "<figcaption>Digging the hole for the first post.</figcaption>"
        f"<div><p>{SECOND}</p></div>"
        "<figure><img src='https://cdn.example/b.jpg' alt='b'><figcaption>Already shown</figcaption></figure>"
        "<figure><figcaption>A caption for a video player we removed</figcaption></figure>"
        f"<div><p>{THIRD}</p></div></body></html>"
    )
    content = fragment(
        f"<div><p>{FIRST}</p><p>{SECOND}</p><img src='https://cdn.example/b.jpg'><p>{THIRD}</p></div>"
    )

    assert recover_dropped_blocks(doc, content) == 2
    assert texts(content) == [
        ("p", FIRST),
        ("figure", ""),
        ("figcaption", "Digging the hole for the first post."),
        ("p", SECOND),
        ("img", ""),
        ("p", THIRD),
    ]


# --- linked section headings, video players, teaser boxes -----------------------------------------

LIST_URL = "https://tabletop-weekly.example/features/rainy-weekend-games/"


def test_linked_section_headings_come_back_above_their_paragraphs() -> None:
    article = extract_article(page("ranked-list.html"), LIST_URL)

    assert article.title == "Five Board Games Worth a Rainy Weekend"
    assert lines(article.markdown) == [
        "A wet weekend is the best excuse there is to clear the kitchen table. We played through the new "
        "releases of the season and kept the five that earned a second evening, from a quick card duel to a "
        "sprawling railway campaign.",
        "Prices are what we paid at independent shops; most of these games are easy to find secondhand as "
        "well, and every one of them plays well with three.",
        "### [“Harbour Lights” ($35)](https://games.example/harbour-lights)",
        "[▶ Video](https://www.youtube.com/embed/hl-trailer-01)",
        "Players run rival lighthouse keepers trading oil, glass and gossip along a foggy coast. The rules "
        "fit on one card, the decisions do not, and a full game takes forty minutes once everyone has played "
        "it once.",
        "### [“Canal Barons” ($60)](https://games.example/canal-barons)",
        "[▶ Video](https://www.youtube.com/embed/cb-trailer-02)",
        "The heavyweight of the list: dig canals, haul coal and borrow money you will regret borrowing. "
        "It is slow to teach but rewards a second play more than anything else we tried this year.",
        "It is also the game the designers' own [rules forum](https://games.example/canal-barons/rules), "
        "[long FAQ](https://games.example/canal-barons/faq) and "
        "[fan maps](https://games.example/canal-barons/maps) keep growing around.",
        "### [“Moth and Lamp” ($15)](https://games.example/moth-and-lamp)",
        "A two-player card duel about moths circling a porch light. Each hand lasts five minutes, and it "
        "fits in a coat pocket, which is why it has come on every holiday since we bought it.",
        "### [“Orchard Year” ($45)](https://games.example/orchard-year)",
        "Plant, prune and press apples through four seasons. The cider-pressing round at the end of each "
        "year is the most satisfying bit of arithmetic we have done at a table in a long while.",
        "### [“Night Ferry” ($30)](https://games.example/night-ferry)",
        "A cooperative game about getting passengers home across a stormy strait before the last ferry "
        "sails. It is tense, friendly and the best choice on the list for a mixed table of players new to "
        "board games.",
    ]
    # The inset teaser box (an aside) is not the article: neither its heading nor its blurb.
    for leftover in ("favourite games of last year", "half price", "VIDEO"):
        assert leftover not in article.markdown


def test_heading_that_introduces_a_teaser_blurb_stays_out() -> None:
    doc = tree(
        f"<html><body><div><p>{FIRST}</p>"
        "<h4><a href='/other'>Another story entirely</a></h4>"
        "<p>A teaser blurb for another story, which readability did not keep either.</p>"
        "<h3><a href='/ours'>Our own section</a></h3>"
        f"<p>{SECOND}</p></div></body></html>"
    )
    content = fragment(f"<div><p>{FIRST}</p><p>{SECOND}</p></div>")

    assert recover_dropped_blocks(doc, content) == 1
    assert texts(content) == [("p", FIRST), ("h3", "Our own section"), ("p", SECOND)]


# --- paragraphs readability's sibling test let go --------------------------------------------------


def test_paragraph_left_out_beside_kept_ones_comes_back_but_not_one_elsewhere() -> None:
    linked = (
        "As the <a href='/a'>harbour board</a> reported, the ferry missed eleven sailings in March, most of "
        "them on weekday mornings when the commuters who rely on it most were already waiting on the slipway."
    )
    doc = tree(
        f"<html><body><div class='story'><p>{FIRST}</p><p>{linked}</p><p>{SECOND}</p><p>{LONG}</p></div>"
        "<div class='promo'><p>Subscribe today and get the paper delivered before breakfast every single "
        "morning of the week.</p></div>"
        f"<div class='story'><p>{THIRD}</p>"
        "<p>Sign up for the morning briefing: the tides, the ferry times and the weather for the estuary "
        "towns, every weekday before seven.</p>"
        f"<p>{THIRD} Again.</p></div></body></html>"
    )
    content = fragment(
        f"<div><p>{FIRST}</p><p>{SECOND}</p><p>{LONG}</p><p>{THIRD}</p><p>{THIRD} Again.</p></div>"
    )

    assert recover_dropped_blocks(doc, content) == 1
    assert [tag for tag, _ in texts(content)] == ["p", "p", "p", "p", "p", "p"]
    assert texts(content)[1] == (
        "p",
        "As the harbour board reported, the ferry missed eleven sailings in March, most of them on weekday "
        "mornings when the commuters who rely on it most were already waiting on the slipway.",
    )
    # A promo box's paragraph (no kept sibling) and a call to action (dropped on purpose) stay out.
    assert "Subscribe" not in content.text_content()
    assert "Sign up" not in content.text_content()


# --- the opening before a "Read more" box ----------------------------------------------------------


def test_lead_paragraphs_before_a_read_more_box_come_back() -> None:
    article = extract_article(page("read-more-split.html"), "https://valley-courier.example/opinion/ferry")

    assert article.title == "Councils promise answers on the ferry timetable"
    assert article.byline == "by: Tamsin Orr"  # the byline line as the page prints it
    assert lines(article.markdown) == [
        "**Three councils met in a draughty church hall on Monday night to explain why the river ferry ran "
        "on fewer than half its timetabled days last month. Nobody left satisfied.**",
        "The meeting brought together the highways officers of all three districts, the ferry operator's new "
        "manager and a hall full of commuters who have spent the winter driving forty minutes around the "
        "estuary instead of crossing it in five.",
        "The officers blamed a shortage of licensed skippers, a gearbox that took eleven weeks to arrive "
        "from the manufacturer and, more than once, the weather, which drew a long and pointed silence from "
        "the back rows.",
        "The operator promised a relief skipper from May and a spare gearbox kept on the quay, and the "
        "councils agreed to publish the ferry's sailings each week so that commuters can plan instead of "
        "guessing at the slipway.",
        "Whether that is enough will be clear by the summer. The commuters' group has started its own log of "
        "missed sailings, and says it will bring it to the next meeting, in the same hall, in six weeks' "
        "time.",
        "Until then, the long drive around the estuary remains the only reliable way across, and the petrol "
        "station at the head of the valley has never been busier.",
    ]
    # The walk back stopped at the photo: its caption, the byline and the date stay out.
    for leftover in ("winter mooring", "Read more", "April 2, 2025", "Opinion"):
        assert leftover not in article.markdown


def test_lead_walk_stops_at_a_byline_and_skips_hidden_copies() -> None:
    lead = "An opening paragraph that readability left behind in the story wrapper above."
    doc = tree(
        "<html><body><div class='story'>"
        "<p>An older paragraph that sits above the byline line, so it is not the lead.</p>"
        "<p class='signature'>By Jo Marsh, Harbour Correspondent, with reporting from the quay</p>"
        f"<p>{lead}</p>"
        f"<div style='display:none'><p>{FIRST}</p></div>"
        f"<div class='more'><p>{FIRST}</p><p>{SECOND}</p></div></div></body></html>"
    )
    content = fragment(f"<div><p>{FIRST}</p><p>{SECOND}</p></div>")
    mapped = map_page(doc, content)
    assert mapped is not None

    assert recover_lead_paragraphs(content, mapped) == 1
    assert texts(content) == [("p", lead), ("p", FIRST), ("p", SECOND)]


def test_lead_walk_stops_at_a_heading_and_takes_nothing_after_it() -> None:
    doc = tree(
        "<html><body><div class='story'><h2>A heading ends the search here</h2>"
        f"<div class='more'><p>{FIRST}</p><p>{SECOND}</p></div></div></body></html>"
    )
    content = fragment(f"<div><p>{FIRST}</p><p>{SECOND}</p></div>")
    mapped = map_page(doc, content)
    assert mapped is not None

    assert recover_lead_paragraphs(content, mapped) == 0


# --- sections whose heading was kept but whose body was dropped -----------------------------------


def test_empty_reference_sections_get_their_lists_back() -> None:
    article = extract_article(page("encyclopedia-entry.html"), "https://encyclopedia.example/wiki/Tide_mill")

    assert article.title == "Tide mill"
    assert lines(article.markdown)[-9:] == [
        "## See also[[edit](https://encyclopedia.example/w/index.php?title=Tide_mill&action=edit&section=2)]",
        "- [Tidal power](https://encyclopedia.example/wiki/Tidal_power)",
        "- [Watermill](https://encyclopedia.example/wiki/Watermill)",
        "- [Mill pond](https://encyclopedia.example/wiki/Mill_pond)",
        "## References[[edit](https://encyclopedia.example/w/index.php?title=Tide_mill&action=edit&section=3)]",
        "1. ^ Harrow, Edith (1998). *Mills of the Tidal Coast*. Estuary Press. p. 41.",
        '2. ^ Lund, Peter (2004). "Grinding with the moon". *Journal of Industrial Heritage*. '
        "**12** (3): 77–90.",
        "## External links[[edit](https://encyclopedia.example/w/index.php?title=Tide_mill&action=edit&section=4)]",
        "- [The Tide Mill Society](https://tidemills.example/), a register of surviving mills",
    ]
    # Portal boxes and navigation tables are widgets, not the section's text.
    for leftover in ("Energy portal", "Undershot", "Main page"):
        assert leftover not in article.markdown


def test_empty_section_is_filled_only_from_a_unique_heading() -> None:
    doc = tree(
        "<html><body><h2>Notes</h2><ul><li>First copy of the notes</li></ul>"
        "<h2>Notes</h2><ul><li>Second copy of the notes</li></ul>"
        "<h2>Sources</h2><ul><li>A source worth reading</li></ul><p>Page footer words.</p>"
        "<h2>After</h2></body></html>"
    )
    content = fragment(f"<div><p>{FIRST}</p><h2>Notes</h2><h2>Sources</h2></div>")

    assert recover_empty_sections(doc, content) == 2
    assert texts(content) == [
        ("p", FIRST),
        ("h2", "Notes"),
        ("h2", "Sources"),
        ("ul", "A source worth reading"),
        ("p", "Page footer words."),
    ]


def test_widget_sections_after_the_article_are_not_filled() -> None:
    doc = tree(
        "<html><body><h3>Related posts</h3><ul><li><a href='/a'>Another post</a></li></ul>"
        "<h3>3 Comments</h3><ol><li>First!</li></ol><h3>More from the harbour desk</h3>"
        "<ul><li><a href='/b'>Ferry news</a></li></ul></body></html>"
    )
    content = fragment(
        f"<div><p>{FIRST}</p><h3>Related posts</h3><h3>3 Comments</h3>"
        "<h3>More from the harbour desk</h3></div>"
    )

    assert recover_empty_sections(doc, content) == 0


def test_section_with_a_subsection_or_text_is_not_empty() -> None:
    doc = tree("<html><body><h2>Parts</h2><ul><li>Should not be copied</li></ul></body></html>")
    content = fragment("<div><h2>Parts</h2><h3>Gears</h3><p>Gear text.</p><h2>End</h2>tail words</div>")

    assert recover_empty_sections(doc, content) == 0
