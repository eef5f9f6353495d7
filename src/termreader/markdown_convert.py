"""HTML article content to clean Markdown (markdownify, tuned for reading in a terminal)."""

from __future__ import annotations

import html as html_lib
import re
from typing import Any, Final

import lxml.html
import markdownify
from bs4.element import Comment, Doctype, NavigableString, Tag
from lxml import etree
from markdownify import ATX, MarkdownConverter

from termreader.fastmarkdown import TreeWalker, parse_like_bs4
from termreader.htmlclean import LANGUAGE_CLASS, NOT_LANGUAGES, unwrap_layout_tables
from termreader.textutil import strip_unsafe

_MD: Any = markdownify
"""markdownify's module helpers (untyped), used by our copy of its process_tag."""
MAX_DEPTH: Final = 60
"""Deepest element nesting handed to markdownify (real articles stay well under 30)."""
_DEEPER_THAN_MAX: Final = etree.XPath("boolean(" + "/".join(["*"] * (MAX_DEPTH + 1)) + ")")
"""True when some element is nested MAX_DEPTH + 1 levels below the context element."""
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_C0_BYTES: Final = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
"""The C0 controls `_NOT_XML` drops, as UTF-8 bytes."""
_BLANK_LINES: Final = re.compile(r"\n[ \t]*(?:\n[ \t]*){2,}")
_INNER_SPACES: Final = re.compile(r"(?<=\S) {2,}(?=\S)")
_EMPTY_LINK: Final = re.compile(r"(?<!!)\[\s*\]\([^)]*\)")
_UNDERSCORE_EDGE: Final = re.compile(r"(?<![^\W_])_+|_+(?![^\W_])")
_ASTERISK: Final = re.compile(r"(?<!\s)\*|\*(?!\s)")


def code_language(el: Any) -> str | None:
    """The language of a code block from the classes and data-lang of `pre`, its `code` and its wrapper."""
    candidates = [el]
    code = el.find("code")
    if code is not None:
        candidates.append(code)
    parent = el.parent
    if parent is not None:
        candidates.append(parent)
        if parent.parent is not None:
            candidates.append(parent.parent)
    for node in candidates:
        for attr in ("data-lang", "data-language", "lang"):
            value = node.get(attr)
            if isinstance(value, str) and value.strip() and value.strip().lower() not in NOT_LANGUAGES:
                return value.strip().lower()
        classes = node.get("class") or []
        text = " ".join(classes) if isinstance(classes, list) else str(classes)
        match = LANGUAGE_CLASS.search(text)
        if match and match.group(1).lower() not in NOT_LANGUAGES:
            return match.group(1).lower()
    return None


def _can_ignore(el: Any, remove_inside: bool) -> bool:
    """markdownify's rule: whitespace-only text next to block boundaries is dropped, comments always."""
    if isinstance(el, Tag):
        return False
    if isinstance(el, (Comment, Doctype)):
        return True
    if isinstance(el, NavigableString):
        if str(el).strip() != "":
            return False
        if remove_inside and (not el.previous_sibling or not el.next_sibling):
            return True
        return bool(
            _MD.should_remove_whitespace_outside(el.previous_sibling)
            or _MD.should_remove_whitespace_outside(el.next_sibling)
        )
    return el is None


class ArticleConverter(MarkdownConverter):
    """markdownify with ATX headings, `-` bullets, fenced code with language and quiet escaping."""

    def __init__(self, **options: Any) -> None:
        defaults: dict[str, Any] = {
            "heading_style": ATX,
            "bullets": "-",
            "escape_underscores": False,
            "escape_asterisks": False,
            "escape_misc": False,
            "code_language_callback": code_language,
            "table_infer_header": True,
            "bs4_options": "lxml",
            "keep_inline_images_in": ["a", "td", "th", "figure"],
        }
        defaults.update(options)
        super().__init__(**defaults)
        self._captions_seen: set[str] = set()

    def process_tag(self, node: Any, parent_tags: set[str] | None = None) -> str:
        """markdownify 1.2's process_tag, asking `parent_tags` (not a walk up the tree) if we are in a pre.

        Profiled on the Mozilla corpus, `find_parent('pre')` on every element was a quarter of the
        conversion time; `parent_tags` already holds every ancestor's name.
        """
        if parent_tags is None:
            parent_tags = set()
        this: Any = self
        remove_inside = _MD.should_remove_whitespace_inside(node)
        children = [el for el in node.children if not _can_ignore(el, remove_inside)]
        child_tags = set(parent_tags)
        child_tags.add(node.name)
        if _MD.re_html_heading.match(node.name) is not None or node.name in {"td", "th"}:
            child_tags.add("_inline")
        if node.name in {"pre", "code", "kbd", "samp"}:
            child_tags.add("_noformat")
        strings = [s for s in (this.process_element(el, parent_tags=child_tags) for el in children) if s]
        if node.name != "pre" and "pre" not in parent_tags:
            # Collapse newlines at child boundaries: the larger count wins, at most 2.
            collapsed = [""]
            for string in strings:
                leading, content, trailing = _MD.re_extract_newlines.match(string).groups()
                if collapsed[-1] and leading:
                    previous = collapsed.pop()
                    leading = "\n" * min(2, max(len(previous), len(leading)))
                collapsed.extend([leading, content, trailing])
            strings = collapsed
        text = "".join(strings)
        convert_fn = this.get_conv_fn_cached(node.name)
        if convert_fn is not None:
            text = convert_fn(node, text, parent_tags=parent_tags)
        return str(text)

    def escape(self, text: str, parent_tags: set[str]) -> str:
        """Escape only what Markdown would misread: `*` next to text and `_` at word edges.

        Intraword underscores (snake_case) never start emphasis in CommonMark, so they stay bare.
        """
        if not text:
            return ""
        text = text.replace("\\", "\\\\") if "\\" in text and "`" not in text else text
        # Each pattern needs its character: most strings have neither, and skip both regex passes.
        if "_" in text:
            text = _UNDERSCORE_EDGE.sub(lambda m: "\\_" * len(m.group(0)), text)
        if "*" in text:
            text = _ASTERISK.sub(r"\\*", text)
        return text

    def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
        href = (el.get("href") or "").strip()
        if "_noformat" in parent_tags or not href or href.lower().startswith(("javascript:", "data:")):
            return text
        stripped = text.strip()
        if not stripped:
            return ""
        prefix = " " if text[:1].isspace() else ""
        suffix = " " if text[-1:].isspace() else ""
        if stripped.replace("\\_", "_") == href:
            return f"{prefix}<{href}>{suffix}"
        target = href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
        return f"{prefix}[{stripped}]({target}){suffix}"

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        src = (el.get("src") or "").strip()
        if not src or src.startswith("data:"):
            return ""
        alt = " ".join((el.get("alt") or "").split()).replace("[", "(").replace("]", ")")
        if "_inline" in parent_tags and el.parent is not None and el.parent.name not in ("a", "figure"):
            return alt
        target = src.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
        return f"![{alt}]({target})"

    def convert_figcaption(self, el: Any, text: str, parent_tags: set[str]) -> str:
        caption = " ".join(text.split())
        if not caption:
            return ""
        key = caption.casefold()
        if key in self._captions_seen:
            return ""
        self._captions_seen.add(key)
        mark = "_" if "*" in caption else "*"
        return f"\n\n{mark}{caption}{mark}\n\n"

    def convert_pre(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if not text.strip():
            return ""
        fence = "```"
        while fence in text:
            fence += "`"
        language = code_language(el) or ""
        body = text.strip("\n")
        return f"\n\n{fence}{language}\n{body}\n{fence}\n\n"


class TreeConverter(ArticleConverter):
    """ArticleConverter for `fastmarkdown.TreeWalker`: the one rule that reads bs4 siblings, over lxml."""

    def convert_list(self, el: Any, text: str, parent_tags: set[str]) -> str:
        """markdownify's convert_list; the next-content-sibling test is asked of the lxml adapter."""
        before_paragraph = bool(el.has_block_content_after_not_list())
        if "li" in parent_tags:
            return "\n" + text.rstrip()
        return "\n\n" + text + ("\n" if before_paragraph else "")

    convert_ul = convert_list
    convert_ol = convert_list


_ORDERED_START: Final = re.compile(r"\d{1,9}(?=[.)](?:[ \t]|$))")
_BLOCK_START: Final = re.compile(r"(?:[-+*](?:[ \t]|$)|#{1,6}(?:[ \t]|$)|>|`{3}|~{3}|=+[ \t]*$|-+[ \t]*$)")


def _escape_block_start(line: str) -> str:
    """`line` with a leading list, heading, quote, fence or underline marker escaped (it is text)."""
    text = line.lstrip(" \t")
    indent = line[: len(line) - len(text)]
    number = _ORDERED_START.match(text)
    if number is not None:
        return f"{indent}{number.group()}\\{text[number.end() :]}"
    if _BLOCK_START.match(text):
        return f"{indent}\\{text}"
    return line


def tidy_markdown(markdown: str) -> str:
    """Final pass: no empty links, at most one blank line in a row, no trailing blank space."""
    markdown = _EMPTY_LINK.sub("", markdown)
    lines = [line if line.strip() else "" for line in markdown.split("\n")]
    # A <br> right before a block leaves a hard break ("  ") at a paragraph's end: meaningless, drop it.
    for i, line in enumerate(lines):
        if line.endswith("  ") and (i + 1 == len(lines) or not lines[i + 1]):
            lines[i] = line.rstrip()
    in_code = False
    for i, line in enumerate(lines):
        if not in_code and i and lines[i - 1].endswith(("  ", "\\")):
            # After a <br> the text goes on in the same paragraph: "1. Finland" there is a rank, not a list.
            line = lines[i] = _escape_block_start(line)
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
        elif not in_code and "  " in line.strip():
            # An empty link or a dropped widget leaves two spaces between words.
            lines[i] = line[: len(line) - len(line.lstrip())] + _INNER_SPACES.sub(" ", line.lstrip())
    markdown = "\n".join(lines)
    markdown = _BLANK_LINES.sub("\n\n", markdown)
    return markdown.strip() + "\n" if markdown.strip() else ""


def flatten_deep(root: lxml.html.HtmlElement, max_depth: int = MAX_DEPTH) -> None:
    """Unwrap elements nested deeper than `max_depth`, keeping their text.

    markdownify recurses once per element (several Python frames each), so a page nested thousands deep
    would end in RecursionError; no real article nests anywhere near this deep.
    """
    if max_depth == MAX_DEPTH and not _DEEPER_THAN_MAX(root):
        # No element sits `max_depth` + 1 levels down (real pages): one path walk in C says so.
        return
    stack: list[tuple[lxml.html.HtmlElement, int]] = [(root, 0)]
    too_deep: list[lxml.html.HtmlElement] = []
    while stack:
        el, depth = stack.pop()
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if depth + 1 > max_depth:
                too_deep.append(child)
            else:
                stack.append((child, depth + 1))
    for el in too_deep:
        # Everything below a cut point becomes that element's plain text.
        text = " ".join("".join(el.itertext()).split())
        for child in list(el):
            el.remove(child)
        el.text = text
        el.drop_tag()


def element_to_markdown(root: lxml.html.HtmlElement) -> str:
    """Convert cleaned article content (an lxml element) to Markdown."""
    unwrap_layout_tables(root)
    flatten_deep(root)
    html = lxml.html.tostring(root, encoding="unicode", method="html")
    return _convert(html)


def xml_safe(text: str) -> str:
    """Drop what lxml cannot hold in a tree: NUL and C0 control characters, lone UTF-16 surrogates."""
    # Almost every page has none: encoding fails on a lone surrogate, and in UTF-8 a C0 byte only ever
    # stands for that character, so a byte-level test answers "none" far faster than the regex scan.
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return _NOT_XML.sub("", text)
    if len(data.translate(None, _C0_BYTES)) == len(data):
        return text
    return _NOT_XML.sub("", text)


def html_to_markdown(html: str) -> str:
    """Convert an HTML fragment to Markdown."""
    html = xml_safe(html)
    if not html.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError, AssertionError):
        # lxml asserts on some whole-document shapes ("<html>" alone); markdownify copes with those.
        return _convert(html)
    if _parser_dropped_text(html, root):
        # libxml2 silently drops everything nested deeper than 256 elements; keep the words as plain text.
        root = lxml.html.fragment_fromstring("<p></p>", create_parent="div")
        root[0].text = " ".join(html_lib.unescape(_ANY_TAG.sub(" ", html)).split())
    flatten_deep(root)
    return _convert(lxml.html.tostring(root, encoding="unicode", method="html"))


_ANY_TAG: Final = re.compile(r"<[^>]*>")


def _parser_dropped_text(html: str, root: lxml.html.HtmlElement) -> bool:
    """True when the parse kept far fewer words than the source holds (only a pathological nest does)."""
    if html.count("<") < 512:
        return False
    source_words = len(_ANY_TAG.sub(" ", html).split())
    return source_words > 0 and 2 * len(root.text_content().split()) < source_words


def _convert(html: str) -> str:
    html = xml_safe(html)
    # bs4 drops a leading byte order mark before handing a str to lxml.
    root = parse_like_bs4(html[1:] if html[:1] == "\ufeff" else html)
    converted: str | None = None
    if root is not None:
        try:
            converted = TreeWalker(TreeConverter()).convert_document(root)
        except Exception:
            # Whatever the walk trips on, BeautifulSoup's route below answers as it always did.
            converted = None
    if converted is None:
        converted = str(ArticleConverter().convert(html))
    # Output goes to terminals: no escape sequences, C1 controls or bidi overrides survive.
    return tidy_markdown(strip_unsafe(converted))
