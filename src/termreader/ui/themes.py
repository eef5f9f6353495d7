"""Themes as data: shipped and user TOML files turned into Textual themes, with broken files reported."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Final

from textual.color import Color, ColorParseError
from textual.theme import Theme

import termreader

DEFAULT_THEME: Final = "termreader-dark"


def _builtin_dir() -> Path:
    # A wheel carries the repo's themes/ as termreader/themes (pyproject force-include); an editable install
    # has it at the top of the repository, three levels above this file's package.
    packaged = Path(termreader.__file__).parent / "themes"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "themes"


BUILTIN_THEMES_DIR: Final = _builtin_dir()
"""Folder of the themes we ship."""

_COLOUR_FIELDS: Final = (
    "primary",
    "secondary",
    "warning",
    "error",
    "success",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)
_ALLOWED: Final = frozenset(f.name for f in fields(Theme))


@dataclass(frozen=True, slots=True)
class ThemeLoad:
    """Themes that loaded, and one line per file that did not."""

    themes: list[Theme] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class _ThemeFileError(Exception):
    """A theme file that cannot be used, with the reason in words."""


def theme_from_data(data: dict[str, object]) -> Theme:
    """Check a TOML table field by field and build the Theme (raises _ThemeFileError with the reason)."""
    unknown = sorted(set(data) - _ALLOWED)
    if unknown:
        raise _ThemeFileError(f"unknown field {unknown[0]!r}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _ThemeFileError("missing 'name'")
    if "primary" not in data:
        raise _ThemeFileError("missing 'primary' colour")
    for key in _COLOUR_FIELDS:
        if key in data:
            _check_colour(key, data[key])
    for key in ("dark", "ansi"):
        if key in data and not isinstance(data[key], bool):
            raise _ThemeFileError(f"{key!r} must be true or false")
    for key in ("luminosity_spread", "text_alpha"):
        value = data.get(key, 0.5)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise _ThemeFileError(f"{key!r} must be a number from 0 to 1")
    variables = data.get("variables", {})
    if not isinstance(variables, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in variables.items()
    ):
        raise _ThemeFileError("'variables' must be a table of strings")
    theme = Theme(**data)  # type: ignore[arg-type]
    try:
        theme.to_color_system().generate()
    except (ColorParseError, ValueError, TypeError) as error:
        raise _ThemeFileError(f"invalid colours: {error}") from None
    return theme


def _check_colour(key: str, value: object) -> None:
    if not isinstance(value, str):
        raise _ThemeFileError(f"{key!r} must be a colour string")
    try:
        Color.parse(value)
    except ColorParseError:
        raise _ThemeFileError(f"{key!r} is not a colour: {value!r}") from None


def load_theme_file(path: Path) -> Theme:
    """One theme file; raises _ThemeFileError naming the reason."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise _ThemeFileError(f"not valid TOML ({error})") from None
    except (OSError, UnicodeDecodeError) as error:
        raise _ThemeFileError(f"cannot be read ({error.__class__.__name__})") from None
    return theme_from_data(data)


def load_all_themes(user_themes_dir: Path) -> ThemeLoad:
    """Shipped themes, then the user's (a user theme with a shipped name replaces it); never raises."""
    by_name: dict[str, Theme] = {}
    errors: list[str] = []
    for folder in (BUILTIN_THEMES_DIR, user_themes_dir):
        try:
            paths = sorted(folder.glob("*.toml")) if folder.is_dir() else []
        except OSError as error:
            errors.append(f"{folder}: cannot be listed ({error.__class__.__name__})")
            continue
        for path in paths:
            try:
                theme = load_theme_file(path)
            except _ThemeFileError as error:
                errors.append(f"{path}: {error}")
                continue
            by_name[theme.name] = theme
    return ThemeLoad(list(by_name.values()), errors)
