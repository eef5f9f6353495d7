"""readability-lxml's content scoring, run on our parsed tree without its costliest steps.

Profiled on the Mozilla corpus, plain readability-lxml spent about half its time re-parsing the HTML
string, running lxml's Cleaner (which rewrites every link) and in `clean()`, three regex passes over the
text of every candidate container for each length and link-density test. This module loads a private
copy of `readability.readability` (the installed package, and anyone else using it, stay untouched) and
swaps in: a whitespace fold done by `str.split` (same lengths except runs of exotic spaces), a parse
step that takes our already pre-cleaned tree (scripts, styles, comments and javascript: links are gone
by then), and a summary that hands back the chosen element instead of HTML to parse again.
"""

from __future__ import annotations

import copy
import importlib.util
import sys
from types import ModuleType
from typing import Any, Final

import lxml.html
import readability.readability as _original

_MODULE_NAME: Final = "readability._termreader_fast"


def _fold(text: str) -> str:
    """readability's `clean()`: whitespace runs folded to one character, ends trimmed."""
    return " ".join(text.split())


def _text_length(el: Any) -> int:
    return len(" ".join((el.text_content() or "").split()))


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
    return module


_fast: Any = _load()


class TreeDocument(_fast.Document):  # type: ignore[misc]
    """A readability Document over an lxml tree we already parsed and cleaned.

    Each scoring pass works on a fresh copy of the tree (readability mutates what it scores), and
    `summary_element()` returns the chosen content as an element.
    """

    def __init__(self, tree: lxml.html.HtmlElement) -> None:
        super().__init__("<html></html>")
        self._tree = tree
        self._result: lxml.html.HtmlElement | None = None

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
