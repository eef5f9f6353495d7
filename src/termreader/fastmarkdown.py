"""markdownify's conversion walked over an lxml tree: the same Markdown without building a BeautifulSoup.

Profiled on the Mozilla corpus, half of the Markdown step was BeautifulSoup re-parsing our serialized
content and another third markdownify's walk over bs4 objects. markdownify gets its tree from bs4's lxml
builder, which feeds the HTML to libxml2 in 512-character chunks; `parse_like_bs4` makes the same parse
into a plain lxml tree (C-level elements), and `TreeWalker` applies markdownify's rules to it: the same
whitespace folding as bs4 (`endData`), the same child filtering and newline collapsing as our
`ArticleConverter.process_tag`, and the converter's own `convert_*` functions, handed a small adapter that
answers the few bs4 questions they ask (parent, attributes, siblings, descendants).

Trees with comments, processing instructions or entities fall back to the BeautifulSoup route: bs4
turns those into strings of its own kinds, and content from a real page has none by then.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar, Final

from lxml import etree

_CHUNK: Final = 512
"""bs4's `LXMLTreeBuilderForXML.CHUNK_SIZE`: how much markup each `feed()` call gets."""
_ASCII_SPACES: Final = "\x20\x0a\x09\x0c\x0d"
"""bs4's `BeautifulSoup.ASCII_SPACES`: a string of only these is folded to one space or newline."""
_PRESERVE_WS: Final = frozenset({"pre", "textarea"})
"""bs4's `HTMLTreeBuilder.DEFAULT_PRESERVE_WHITESPACE_TAGS`."""
_BLOCK_INSIDE: Final = frozenset(
    {
        "p",
        "blockquote",
        "article",
        "div",
        "section",
        "ol",
        "ul",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
    }
)
"""markdownify's `should_remove_whitespace_inside` names (headings are matched by `_HEADING`)."""
_HEADING: Final = re.compile(r"h(\d+)")
"""markdownify's `re_html_heading`, used with `match` (a prefix test, as markdownify does)."""
_NOT_SPACE: Final = re.compile(r"\S+")
"""bs4's `nonwhitespace_re`: how it splits `class` into a list."""
_NEWLINE_SPACE: Final = re.compile(r"[\t \r\n]*[\r\n][\t \r\n]*")
_SPACES: Final = re.compile(r"[\t ]+")


class _Flags:
    """Per tag name: markdownify's whitespace-inside and whitespace-outside tests, computed once."""

    __slots__ = ("inside", "outside")

    def __init__(self) -> None:
        self.inside: dict[str, bool] = {}
        self.outside: dict[str, bool] = {}

    def add(self, name: str) -> bool:
        inside = name in _BLOCK_INSIDE or _HEADING.match(name) is not None
        self.inside[name] = inside
        self.outside[name] = inside or name == "pre"
        return inside


_FLAGS: Final = _Flags()
_UNKNOWN: Final = object()
"""A tag name whose convert function is not looked up yet."""


def _outside(item: Any) -> bool:
    """`should_remove_whitespace_outside` for an item of a child list (a str, an element or None)."""
    if item is None or isinstance(item, str):
        return False
    name: str = item.tag
    flag = _FLAGS.outside.get(name)
    if flag is None:
        _FLAGS.add(name)
        return _FLAGS.outside[name]
    return flag


def parse_like_bs4(html: str) -> Any:
    """Parse `html` as BeautifulSoup's lxml builder does (same parser options, same chunked feed).

    Returns the root element, or None when the parse fails or holds nodes bs4 would turn into strings
    of its own kinds (comments, processing instructions, entities): the caller then takes bs4's route.
    """
    parser = etree.HTMLParser(recover=True, huge_tree=False)
    try:
        parser.feed(html[:_CHUNK])
        for start in range(_CHUNK, len(html), _CHUNK):
            parser.feed(html[start : start + _CHUNK])
        root = parser.close()
    except (etree.LxmlError, ValueError, UnicodeError):
        return None
    if root is None or not isinstance(root.tag, str):
        return None
    if root.getprevious() is not None or root.getnext() is not None:
        return None
    for _ in root.iter(etree.Comment, etree.ProcessingInstruction, etree.Entity):
        return None
    return root


class _Document:
    """BeautifulSoup's own object as markdownify sees it: the `[document]` above `html`, no attributes."""

    __slots__ = ()
    name = "[document]"
    parent = None
    attrs: ClassVar[dict[str, str]] = {}

    def __bool__(self) -> bool:
        return True

    def get(self, key: str, default: Any = None) -> Any:
        return default

    def __getitem__(self, key: str) -> Any:
        raise KeyError(key)

    def find(self, name: str) -> Node | None:
        return None

    def find_all(self, name: str | list[str], attrs: dict[str, Any] | None = None) -> list[Node]:
        return []

    def find_previous_sibling(self) -> Node | None:
        return None

    def find_previous_siblings(self, name: str) -> list[Node]:
        return []

    def count_previous_siblings(self, name: str) -> int:
        return 0


_DOCUMENT: Final = _Document()


_SiblingCounts = dict[tuple[Any, str], dict[Any, int]]
"""Per walk: for a (parent, tag name), how many siblings of that name come before each child."""


class Node:
    """A bs4 `Tag` look-alike over an lxml element, answering what markdownify's converters ask."""

    __slots__ = ("_counts", "el", "name")

    def __init__(self, el: Any, counts: _SiblingCounts) -> None:
        self.el = el
        self.name: str = el.tag
        self._counts = counts

    def __bool__(self) -> bool:
        return True

    @property
    def parent(self) -> Node | _Document:
        parent = self.el.getparent()
        return _DOCUMENT if parent is None else Node(parent, self._counts)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.el.get(key)
        if value is None:
            return default
        return _NOT_SPACE.findall(value) if key == "class" else value

    @property
    def attrs(self) -> dict[str, Any]:
        attrs: dict[str, Any] = dict(self.el.attrib)
        if "class" in attrs:
            attrs["class"] = _NOT_SPACE.findall(attrs["class"])
        return attrs

    def __getitem__(self, key: str) -> Any:
        return self.attrs[key]

    def find(self, name: str) -> Node | None:
        for el in self.el.iterdescendants(name):
            return Node(el, self._counts)
        return None

    def find_all(self, name: str | list[str], attrs: dict[str, Any] | None = None) -> list[Node]:
        names = [name] if isinstance(name, str) else list(name)
        found = [Node(el, self._counts) for el in self.el.iterdescendants(*names)]
        for key, want in (attrs or {}).items():
            if want is not True:  # pragma: no cover - markdownify asks only for presence
                raise ValueError(f"unsupported attribute filter {key}={want!r}")
            found = [node for node in found if node.el.get(key) is not None]
        return found

    def find_previous_sibling(self) -> Node | None:
        previous = self.el.getprevious()
        return None if previous is None else Node(previous, self._counts)

    def find_previous_siblings(self, name: str) -> PrecedingSiblings:
        return PrecedingSiblings(self, name)

    def count_previous_siblings(self, name: str) -> int:
        """How many earlier siblings are called `name`, counted once per parent (a list item asks this)."""
        parent = self.el.getparent()
        if parent is None:
            return 0
        key = (parent, name)
        counts = self._counts.get(key)
        if counts is None:
            counts = self._counts[key] = {}
            seen = 0
            for child in parent:
                counts[child] = seen
                if child.tag == name:
                    seen += 1
        return counts[self.el]

    def has_block_content_after_not_list(self) -> bool:
        """markdownify's `convert_list` test: the next content sibling exists and is not a ul/ol."""
        tail = self.el.tail
        if tail and tail.strip() != "":
            return True
        following = self.el.getnext()
        return following is not None and following.tag not in ("ul", "ol")


class PrecedingSiblings:
    """bs4's `find_previous_siblings(name)` result, nearest first; its length costs no list.

    markdownify numbers an ordered-list item by the length of this list: building it for every item
    made a long list quadratic.
    """

    __slots__ = ("_name", "_node")

    def __init__(self, node: Node, name: str) -> None:
        self._node = node
        self._name = name

    def __len__(self) -> int:
        return self._node.count_previous_siblings(self._name)

    def __iter__(self) -> Iterator[Node]:
        counts = self._node._counts
        return (Node(el, counts) for el in self._node.el.itersiblings(self._name, preceding=True))

    def __getitem__(self, index: int) -> Node:
        return list(self)[index]


def _child_tags(parent_tags: frozenset[str], name: str) -> frozenset[str]:
    """markdownify's `parent_tags_for_children`: the ancestors' names, this one, and its pseudo-tags."""
    child_tags = set(parent_tags)
    child_tags.add(name)
    if _HEADING.match(name) is not None or name in ("td", "th"):
        child_tags.add("_inline")
    if name in ("pre", "code", "kbd", "samp"):
        child_tags.add("_noformat")
    return frozenset(child_tags)


class TreeWalker:
    """Runs a converter's rules (ArticleConverter's process_tag and process_text) over an lxml tree."""

    def __init__(self, converter: Any) -> None:
        self.converter = converter
        self.escape = converter.escape
        self.conv_fn = converter.get_conv_fn_cached
        self.counts: _SiblingCounts = {}
        self._child_tags: dict[tuple[frozenset[str], str], frozenset[str]] = {}
        self._fns: dict[str, Any] = {}

    def convert_document(self, root: Any) -> str:
        """The whole tree as markdownify's `convert_soup` turns it into Markdown."""
        text = self._collapse([s for s in (self._tag(root, frozenset({"[document]"}), False),) if s])
        convert_fn = self.conv_fn("[document]")
        if convert_fn is not None:
            text = convert_fn(_DOCUMENT, text, parent_tags=set())
        return str(text)

    @staticmethod
    def _collapse(strings: list[str]) -> str:
        """Newlines at child boundaries: the larger count wins, at most 2 (markdownify's rule).

        markdownify splits each string with `^(\\n*)((?:.*[^\\n])?)(\\n*)$`: the leading newlines, the
        rest up to its last other character, the trailing newlines (all newlines: all leading).
        """
        if len(strings) < 2:
            # Nothing to merge: one string comes back whole.
            return strings[0] if strings else ""
        for string in strings[1:]:
            if string[0] == "\n":
                break
        else:
            # Only a string opening with newlines can merge with the one before it.
            return "".join(strings)
        collapsed = [""]
        for string in strings:
            if string[0] != "\n" and string[-1] != "\n":
                leading, content, trailing = "", string, ""
            else:
                rest = string.lstrip("\n")
                leading = string[: len(string) - len(rest)]
                content = rest.rstrip("\n")
                trailing = rest[len(content) :]
            if collapsed[-1] and leading:
                previous = collapsed.pop()
                leading = "\n" * min(2, max(len(previous), len(leading)))
            collapsed.extend((leading, content, trailing))
        return "".join(collapsed)

    def _tag(self, el: Any, parent_tags: frozenset[str], keep_ws: bool) -> str:
        name: str = el.tag
        inside = _FLAGS.inside.get(name)
        if inside is None:
            inside = _FLAGS.add(name)
        keep_ws = keep_ws or name in _PRESERVE_WS
        # The child list as bs4 holds it: text, then each element followed by its tail. bs4's endData
        # folds a string of ASCII spaces only to one newline (if it has one) or one space.
        items: list[Any] = []
        text = el.text
        if text:
            if not keep_ws and not text.strip(_ASCII_SPACES):
                text = "\n" if "\n" in text else " "
            items.append(text)
        for child in el:
            items.append(child)
            tail = child.tail
            if tail:
                if not keep_ws and not tail.strip(_ASCII_SPACES):
                    tail = "\n" if "\n" in tail else " "
                items.append(tail)
        child_tags = self._child_tags.get((parent_tags, name))
        if child_tags is None:
            child_tags = self._child_tags[(parent_tags, name)] = _child_tags(parent_tags, name)
        strings: list[str] = []
        last = len(items) - 1
        i = -1
        for item in items:
            i += 1
            if isinstance(item, str):
                previous = items[i - 1] if i > 0 else None
                following = items[i + 1] if i < last else None
                if not item.strip() and (
                    (inside and (previous is None or following is None))
                    or _outside(previous)
                    or _outside(following)
                ):
                    continue
                string = self._text(item, child_tags, previous, following, inside)
            else:
                string = self._tag(item, child_tags, keep_ws)
            if string:
                strings.append(string)
        in_pre = name == "pre" or "pre" in parent_tags
        joined = "".join(strings) if in_pre else self._collapse(strings)
        convert_fn = self._fns.get(name, _UNKNOWN)
        if convert_fn is _UNKNOWN:
            convert_fn = self._fns[name] = self.conv_fn(name)
        if convert_fn is not None:
            joined = convert_fn(Node(el, self.counts), joined, parent_tags=parent_tags)
        return str(joined)

    def _text(
        self, text: str, parent_tags: frozenset[str], previous: Any, following: Any, inside: bool
    ) -> str:
        """markdownify's `process_text` for a string between `previous` and `following`."""
        if "pre" not in parent_tags:
            # Each regex needs a newline, a tab or two spaces in a row; most strings skip both.
            if "\n" in text or "\r" in text:
                text = _NEWLINE_SPACE.sub("\n", text)
            if "\t" in text or "  " in text:
                text = _SPACES.sub(" ", text)
        if "_noformat" not in parent_tags:
            text = self.escape(text, parent_tags)
        if _outside(previous) or (inside and previous is None):
            text = text.lstrip(" \t\r\n")
        if _outside(following) or (inside and following is None):
            text = text.rstrip()
        return text
