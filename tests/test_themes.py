"""Theme files: the shipped four load as valid Textual themes; user files add, override or are reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.theme import Theme

from termreader.paths import AppPaths
from termreader.ui.themes import BUILTIN_THEMES_DIR, DEFAULT_THEME, load_all_themes

SHIPPED = ["termreader-contrast", "termreader-dark", "termreader-light", "termreader-paper"]


def test_shipped_themes_load_as_valid_themes(tmp_path: Path) -> None:
    result = load_all_themes(tmp_path / "no-such-dir")
    assert result.errors == []
    assert sorted(theme.name for theme in result.themes) == SHIPPED
    assert DEFAULT_THEME in SHIPPED
    for theme in result.themes:
        assert isinstance(theme, Theme)
        colours = theme.to_color_system().generate()
        assert colours["background"].startswith("#")
    by_name = {theme.name: theme for theme in result.themes}
    assert by_name["termreader-dark"].dark is True
    assert by_name["termreader-light"].dark is False
    assert by_name["termreader-paper"].background == "#F4ECD8"
    assert by_name["termreader-contrast"].foreground == "#FFFFFF"
    assert by_name["termreader-contrast"].background == "#000000"


def test_builtin_dir_is_the_repo_themes_folder_in_an_editable_install() -> None:
    assert sorted(p.stem for p in BUILTIN_THEMES_DIR.glob("*.toml")) == SHIPPED


def test_user_theme_adds_and_overrides(isolated_dirs: AppPaths) -> None:
    folder = isolated_dirs.user_themes_dir
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mine.toml").write_text(
        'name = "midnight"\nprimary = "#3366FF"\nbackground = "#000010"\n'
        '[variables]\nfooter-key-foreground = "#3366FF"\n',
        encoding="utf-8",
    )
    (folder / "paper.toml").write_text(
        'name = "termreader-paper"\nprimary = "#112233"\ndark = false\n', encoding="utf-8"
    )
    result = load_all_themes(folder)
    assert result.errors == []
    by_name = {theme.name: theme for theme in result.themes}
    assert sorted(by_name) == sorted([*SHIPPED, "midnight"])
    assert by_name["midnight"].primary == "#3366FF"
    assert by_name["midnight"].variables == {"footer-key-foreground": "#3366FF"}
    assert by_name["termreader-paper"].primary == "#112233"
    assert by_name["termreader-paper"].background is None


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('name = "x"\nprimary = ', "not valid TOML"),
        ('name = "x"\nprimary = "#12345G"\n', "'primary' is not a colour: '#12345G'"),
        ('primary = "#123456"\n', "missing 'name'"),
        ('name = "x"\n', "missing 'primary' colour"),
        ('name = "x"\nprimary = "#123456"\nsparkle = "#FFFFFF"\n', "unknown field 'sparkle'"),
        ('name = "x"\nprimary = "#123456"\ndark = "yes"\n', "'dark' must be true or false"),
        (
            'name = "x"\nprimary = "#123456"\nvariables = { a = 1 }\n',
            "'variables' must be a table of strings",
        ),
    ],
)
def test_broken_user_theme_gives_one_error_naming_the_file(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(content, encoding="utf-8")
    result = load_all_themes(tmp_path)
    assert len(result.errors) == 1
    assert result.errors[0].startswith(f"{path}: {reason}")
    assert sorted(theme.name for theme in result.themes) == SHIPPED


def test_undecodable_theme_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "binary.toml"
    path.write_bytes(b"\xff\xfe\x00name")
    result = load_all_themes(tmp_path)
    assert result.errors == [f"{path}: cannot be read (UnicodeDecodeError)"]


async def test_every_shipped_theme_applies_to_an_app(tmp_path: Path) -> None:
    app: App[None] = App()
    async with app.run_test() as pilot:
        for theme in load_all_themes(tmp_path).themes:
            app.register_theme(theme)
            app.theme = theme.name
            await pilot.pause()
            assert app.current_theme.name == theme.name
