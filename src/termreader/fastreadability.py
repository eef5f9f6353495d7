"""readability-lxml's content scoring, run on our parsed tree without its costliest steps.

Profiled on the Mozilla corpus, plain readability-lxml spent about half its time re-parsing the HTML
string, running lxml's Cleaner (which rewrites every link) and in `clean()`, three regex passes over the
text of every candidate container for each length and link-density test. This module loads a private
copy of `readability.readability` (the installed package, and anyone else using it, stay untouched) and
swaps in: a whitespace fold done by `str.split` (same lengths except runs of exotic spaces), a parse
step that takes our already pre-cleaned tree (scripts, styles, comments and javascript: links are gone
by then), and a summary that hands back the chosen element instead of HTML to parse again.

A second profile (issue 6) found the scoring passes themselves hot; `TreeDocument` overrides four of
them with versions that reach the same results by cheaper means, each checked against readability's own
method in tests/test_extract_speed_equivalence.py: the div-to-paragraph pass asks element names instead
of serializing every div's subtree, the unlikely-candidate pass and `class_weight` test class/id words
without `re.IGNORECASE` on ASCII text, and paragraph scoring measures each link's text once. Its new
elements come from our C-lookup parser, and the debug strings readability formats while logging is off
are no longer built.
"""

from __future__ import annotations

import copy
import importlib.util
import re
import sys
from collections.abc import Iterable, Iterator
from types import ModuleType
from typing import Any, Final

import lxml.html
import readability.readability as _original
from lxml import etree

from termreader.htmltree import document_fromstring, fragment_fromstring

_MODULE_NAME: Final = "readability._termreader_fast"
_INLINE_TAGS: Final = frozenset(
    {"a", "b", "cite", "code", "em", "font", "i", "small", "span", "strong", "sub", "sup", "u"}
)
"""readability's `inline_tags` in transform_misused_divs_into_paragraphs."""
_CODE_TAGS: Final = ("pre", "code")
_SEMANTIC_TAGS: Final = ("main", "article", "math")
_ODD_ATTRIBUTE: Final = etree.XPath("boolean(//@*[contains(name(), '<')])")
"""An attribute name with `<` in it (the HTML5 tokenizer allows `<a x<y=1>`), written as it is."""


def _fold(text: str) -> str:
    """readability's `clean()`: whitespace runs folded to one character, ends trimmed."""
    return " ".join(text.split())


def _text_length(el: Any) -> int:
    return len(" ".join((el.text_content() or "").split()))


def _count(el: Any, tag: str) -> int:
    """readability's `len(el.findall(".//tag"))`, counted while lxml walks the subtree in C."""
    return sum(1 for _ in el.iterdescendants(tag))


def _no_description(node: Any, *args: Any) -> str:
    """Stands in for readability's debug-only node descriptions (they walk and copy text)."""
    return ""


def _load() -> ModuleType:
    existing = sys.modules.get(_MODULE_NAME)
    if existing is not None:
        return existing
    spec = importlib.util.spec_from_file_location(_MODULE_NAME, _original.__file__)
    if spec is None or spec.loader is None:  # pragma: no cover - the package is a dependency
        original: ModuleType = _original
        return original
    module = importlib.util.module_from_spec(spec)
    # Relative imports inside the copy (`.cleaners`, `.htmls`) resolve against the real package.
    module.__package__ = "readability"
    sys.modules[_MODULE_NAME] = module
    spec.loader.exec_module(module)
    module.clean = _fold  # type: ignore[attr-defined]
    module.text_length = _text_length  # type: ignore[attr-defined]
    # The elements readability creates (its output div, new paragraphs) come from our C-lookup parser.
    module.fragment_fromstring = fragment_fromstring  # type: ignore[attr-defined]
    module.document_fromstring = document_fromstring  # type: ignore[attr-defined]
    # Debug messages are built even when logging is off; `describe` and `text_content` only feed them.
    module.describe = _no_description  # type: ignore[attr-defined]
    module.text_content = _no_description  # type: ignore[attr-defined]
    return module


_fast: Any = _load()
_BLOCK_MARKUP: Final[re.Pattern[str]] = _fast.REGEXES["divToPElementsRe"]
_CALL_TO_ACTION: Final[re.Pattern[str]] = _fast.REGEXES["callToActionRe"]
_LITERAL_WORD: Final = re.compile(r"[a-z0-9-]+")


class Keywords:
    """A case-insensitive search for one of several plain words, as readability's class/id regexes are.

    Python's `re.IGNORECASE` search over an alternation costs ~15 µs a call; on ASCII text the same
    answer is a substring test on the lower-cased text. Outside ASCII (where `re.I` also folds `İ`, `ı`,
    `ſ` and the Kelvin sign to ASCII letters) and for patterns that are not plain words, the regex answers.
    """

    __slots__ = ("pattern", "words")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        words = pattern.pattern.split("|")
        plain = bool(pattern.flags & re.IGNORECASE) and all(_LITERAL_WORD.fullmatch(w) for w in words)
        self.words: tuple[str, ...] | None = tuple(words) if plain else None

    def search(self, text: str) -> bool:
        if self.words is not None and text.isascii():
            low = text.lower()
            # A plain loop: any() over a generator costs about twice as much per call here.
            for word in self.words:  # noqa: SIM110
                if word in low:
                    return True
            return False
        return self.pattern.search(text) is not None


_UNLIKELY: Final = Keywords(_fast.REGEXES["unlikelyCandidatesRe"])
_MAYBE: Final = Keywords(_fast.REGEXES["okMaybeItsACandidateRe"])
_NEGATIVE: Final = Keywords(_fast.REGEXES["negativeRe"])
_POSITIVE: Final = Keywords(_fast.REGEXES["positiveRe"])


class _BlockTags:
    """Which tag names readability's `divToPElementsRe` sees in a start tag (`<p`, `<div`, `<img`…)."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[Any, bool] = {}

    def __call__(self, tag: Any) -> bool:
        hit = self._seen.get(tag)
        if hit is None:
            hit = self._seen[tag] = _BLOCK_MARKUP.search(f"<{tag}") is not None
        return hit

    def any_in(self, elements: Iterable[Any]) -> bool:
        return any(self(el.tag) for el in elements)


def _markup_is_plain(root: Any, odd_attributes: bool) -> bool:
    """True when a subtree's serialization shows `<` only where an element starts or ends.

    Then readability's regex over the HTML of a subtree finds a block tag exactly when an element of the
    subtree has such a name: text and attribute values are escaped; comments, processing instructions,
    raw script/style text (the serializer writes them as they are) and odd attribute names are absent.
    Tag names are lower case (libxml2's HTML parser folds them; our code and readability's set only
    lower-case names), so `script` and `style` are all the serializer's raw-text elements.
    """
    if odd_attributes:
        return False
    for _ in root.iter(etree.Comment, etree.ProcessingInstruction, etree.Entity, "script", "style"):
        return False
    return True


class TreeDocument(_fast.Document):  # type: ignore[misc]
    """A readability Document over an lxml tree we already parsed and cleaned.

    Each scoring pass works on a fresh copy of the tree (readability mutates what it scores), and
    `summary_element()` returns the chosen content as an element.
    """

    def __init__(self, tree: lxml.html.HtmlElement) -> None:
        super().__init__("<html></html>")
        self._tree = tree
        self._result: lxml.html.HtmlElement | None = None
        # Attribute names stay as parsed in every scoring copy (readability only sets `id`).
        self._odd_attributes = bool(_ODD_ATTRIBUTE(tree))

    def _parse(self, input: Any) -> lxml.html.HtmlElement:
        doc: lxml.html.HtmlElement = copy.deepcopy(self._tree)
        self.encoding = "utf-8"
        for elem in doc.xpath("//*[@hidden]"):
            elem.drop_tree()
        display_none = _fast.REGEXES["displayNoneRe"]
        for elem in doc.xpath("//*[@style]"):
            if display_none.search(elem.get("style") or ""):
                elem.drop_tree()
        for pi in doc.xpath("//processing-instruction()"):
            pi.getparent().remove(pi)
        return doc

    def tags(self, node: Any, *tag_names: str) -> Iterator[Any]:
        """readability's `tags`: each name's `findall(".//name")` in turn, walked by lxml in C."""
        for tag_name in tag_names:
            yield from list(node.iterdescendants(tag_name))

    def reverse_tags(self, node: Any, *tag_names: str) -> Iterator[Any]:
        """readability's `reverse_tags`, as `tags` but each name's elements last to first."""
        for tag_name in tag_names:
            yield from reversed(list(node.iterdescendants(tag_name)))

    def get_link_density(self, elem: Any) -> float:
        """readability's link density (`findall(".//a")` walked in C)."""
        link_length = 0
        for link in elem.iterdescendants("a"):
            link_length += _text_length(link)
        return float(link_length) / max(_text_length(elem), 1)

    def class_weight(self, e: Any) -> int:
        """readability's class/id weight with `Keywords` searches (no custom keywords are ever set)."""
        state: Any = self
        if state.positive_keywords is not None or state.negative_keywords is not None:
            weight: int = super().class_weight(e)
            return weight
        weight = 0
        for feature in (e.get("class", None), e.get("id", None)):
            if feature:
                if _NEGATIVE.search(feature):
                    weight -= 25
                if _POSITIVE.search(feature):
                    weight += 25
        return weight

    def score_paragraphs(self) -> dict[Any, dict[str, Any]]:
        """readability's scoring, each link's text length measured once for all the candidates holding it.

        The second loop only rescales scores (the tree does not change while it runs), so a link's
        length is the same for its parent and grandparent candidates. The debug line readability builds
        per candidate (logging is off) is left out.
        """
        state: Any = self
        min_len = state.min_text_length
        candidates: dict[Any, dict[str, Any]] = {}
        ordered = []
        for elem in self.tags(state._html(), "p", "pre", "td", "blockquote"):
            parent_node = elem.getparent()
            if parent_node is None:
                continue
            grand_parent_node = parent_node.getparent()

            inner_text = _fold(elem.text_content() or "")
            inner_text_len = len(inner_text)

            # If this paragraph is less than 25 characters, don't even count it.
            if inner_text_len < min_len:
                continue

            if parent_node not in candidates:
                candidates[parent_node] = self.score_node(parent_node)
                ordered.append(parent_node)

            if grand_parent_node is not None and grand_parent_node not in candidates:
                candidates[grand_parent_node] = self.score_node(grand_parent_node)
                ordered.append(grand_parent_node)

            content_score: float = 1
            content_score += len(inner_text.split(","))
            content_score += min((inner_text_len / 100), 3)
            candidates[parent_node]["content_score"] += content_score
            if grand_parent_node is not None:
                candidates[grand_parent_node]["content_score"] += content_score / 2.0

        link_lengths: dict[Any, int] = {}
        for elem in ordered:
            candidate = candidates[elem]
            link_length = 0
            for link in elem.iterdescendants("a"):  # readability's findall(".//a"), walked in C
                length = link_lengths.get(link)
                if length is None:
                    length = link_lengths[link] = _text_length(link)
                link_length += length
            ld = float(link_length) / max(_text_length(elem), 1)
            candidate["content_score"] *= 1 - ld

        return candidates

    def remove_unlikely_candidates(self) -> None:
        """readability's pass, asking only elements that carry a class or id (the others are skipped).

        Same elements in the same order as its `findall(".//*")` (an element with neither makes a
        one-character string, under its length test), one regex verdict per distinct string, and its
        two xpath tests asked of lxml's filtered iterators.
        """
        verdicts: dict[str, bool] = {}
        for elem in self.html.xpath(".//*[@class or @id]"):
            s = "{} {}".format(elem.get("class", ""), elem.get("id", ""))
            if len(s) < 2:
                continue
            unlikely = verdicts.get(s)
            if unlikely is None:
                unlikely = verdicts[s] = _UNLIKELY.search(s) and not _MAYBE.search(s)
            # readability's xpath axes (ancestor-or-self::pre|code, descendant-or-self::main|article|
            # math) asked through lxml's C-level filtered iterators.
            if (
                unlikely
                and elem.tag not in ["html", "body"]
                and elem.tag not in _CODE_TAGS
                and next(elem.iterancestors(*_CODE_TAGS), None) is None
                and elem.tag not in _SEMANTIC_TAGS
                and next(elem.iterdescendants(*_SEMANTIC_TAGS), None) is None
            ):
                elem.drop_tree()

    def transform_misused_divs_into_paragraphs(self) -> None:
        """readability's pass without serializing every div's subtree to look for block tags in it.

        On plain markup (`_markup_is_plain`) "the HTML of these nodes matches divToPElementsRe" is "one
        of these elements has a block tag name", asked of the elements themselves; otherwise (comments,
        odd attribute names) readability's own method runs.
        """
        state: Any = self
        if not _markup_is_plain(state.html, self._odd_attributes):
            super().transform_misused_divs_into_paragraphs()
            return
        blocky = _BlockTags()
        for elem in self.tags(state.html, "div"):
            # readability: no block tag in the serialized children (and their subtrees).
            if not blocky.any_in(elem.iterdescendants()):
                elem.tag = "p"

        for elem in self.tags(state.html, "div"):
            children = list(elem)
            paragraph = None
            if elem.text and elem.text.strip():
                p = _fast.fragment_fromstring("<p/>")
                p.text = elem.text
                elem.text = None
                elem.insert(0, p)
                paragraph = p

            for child in children:
                if child.tag == "br":
                    paragraph = None
                    continue
                # readability: an inline child whose own HTML (tail included) shows no block tag.
                if (
                    child.tag not in _INLINE_TAGS
                    or blocky(child.tag)
                    or blocky.any_in(child.iterdescendants())
                ):
                    paragraph = None
                    continue
                if paragraph is None:
                    paragraph = _fast.fragment_fromstring("<p/>")
                    child.addprevious(paragraph)
                paragraph.append(child)

            for pos, child in reversed(list(enumerate(elem))):
                if child.tail and child.tail.strip():
                    p = _fast.fragment_fromstring("<p/>")
                    p.text = child.tail
                    child.tail = None
                    elem.insert(pos + 1, p)
                if child.tag == "br":
                    child.drop_tree()

    def sanitize(
        self, node: Any, candidates: dict[Any, dict[str, Any]], keep_all_images: bool = False
    ) -> str:
        """readability's final clean-up, each conditional candidate's text gathered once, not three times.

        Its comma count, text length and link density all read the same unchanged subtree; descendant
        counts walk it with lxml's filtered iterators; the debug lines (logging is off) are left out.
        """
        state: Any = self
        min_len = state.min_text_length
        for header in self.tags(node, "h1", "h2", "h3", "h4", "h5", "h6"):
            if self.class_weight(header) < 0 or self.get_link_density(header) > 0.33:
                header.drop_tree()

        for elem in self.tags(node, "p"):
            if _CALL_TO_ACTION.search(elem.text_content()) and self.get_link_density(elem) > 0.2:
                elem.drop_tree()

        for elem in self.tags(node, "form", "textarea"):
            elem.drop_tree()

        for elem in self.tags(node, "iframe"):
            if "src" in elem.attrib and _fast.is_video_url(elem.attrib["src"]):
                elem.attrib.pop("srcdoc", None)
                elem.text = "VIDEO"  # readability: content makes lxml write <iframe></iframe>
            else:
                elem.drop_tree()

        allowed = state.get_preserved_elements(node)
        # Conditionally clean <table>s, <ul>s, and <div>s
        for el in self.reverse_tags(node, "table", "ul", "div", "aside", "header", "footer", "section"):
            if el in allowed:
                continue
            weight = self.class_weight(el)
            content_score = candidates[el]["content_score"] if el in candidates else 0
            tag = el.tag

            if weight + content_score < 0:
                el.drop_tree()
                continue
            text = el.text_content()
            if text.count(",") >= 10:
                continue
            counts = {kind: _count(el, kind) for kind in ("p", "img", "li", "a", "embed", "input")}
            counts["li"] -= 100
            counts["input"] -= sum(1 for i in el.iterdescendants("input") if i.get("type") == "hidden")

            # Count the text length excluding any surrounding whitespace
            content_length = len(_fold(text))
            link_length = 0
            for link in el.iterdescendants("a"):
                link_length += _text_length(link)
            link_density = float(link_length) / max(content_length, 1)
            # (readability also looks up the parent's score here, for its debug line only)
            if keep_all_images and el.tag == "div" and counts["img"] >= 1:
                continue
            # readability's elif chain, in its order (the xpath runs only when the tests before fail).
            to_remove = bool(
                (counts["p"] and counts["img"] > 1 + counts["p"] * 1.3)
                or (counts["li"] > counts["p"] and tag not in ("ol", "ul"))
                or counts["input"] > (counts["p"] / 3)
                or (content_length < min_len and counts["img"] == 0)
                or (content_length < min_len and counts["img"] > 2)
                or (
                    weight < 25
                    and link_density
                    > (
                        0.25
                        if tag in ("ul", "section") and el.xpath("ancestor::main | ancestor::article")
                        else 0.2
                    )
                )
                or (weight >= 25 and link_density > 0.5)
                or (counts["embed"] == 1 and content_length < 75)
                or counts["embed"] > 1
            )
            if not to_remove and not content_length:
                to_remove = True
                # readability sums the first non-empty sibling on each side (its loop's `i = +1` sets
                # rather than adds, so each side stops at its first hit)
                siblings = [
                    _first_text_length(el.itersiblings()),
                    _first_text_length(el.itersiblings(preceding=True)),
                ]
                if sum(siblings) > 1000:
                    to_remove = False
                    for desnode in self.tags(el, "table", "ul", "div", "section"):
                        allowed[desnode] = True

            if to_remove:
                el.drop_tree()

        state.html = node
        clean: str = self.get_clean_html()
        return clean

    def get_clean_html(self) -> str:
        """Keep the chosen element; the string only feeds readability's own length check."""
        state: Any = self
        self._result = state.html
        text: str = lxml.html.tostring(state.html, encoding="unicode", method="html")
        return text

    def summary_element(self) -> lxml.html.HtmlElement | None:
        """The content readability settles on (a `div` holding the kept blocks), or None."""
        self._result = None
        self.summary(html_partial=True)
        return self._result


def _first_text_length(elements: Iterator[lxml.html.HtmlElement]) -> int:
    """The text length of the first element with any text, else 0."""
    return next((length for el in elements if (length := _text_length(el))), 0)
