"""Hostile OPML and config files: malformed, huge, nested, entity bombs, and names that carry attacks."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from termreader.config import Config, load_config, parse_config
from termreader.errors import ConfigError, OpmlError
from termreader.models import SourceConfig
from termreader.opml import read_opml, write_opml
from tests.hostile.conftest import Secret, assert_safe, outcome, run_bounded
from tests.hostile.generators import (
    TEXT_ATTACKS,
    TextAttack,
    attack_ids,
    config_with_name,
    hostile_configs,
    hostile_opml,
    opml_with,
)

ATTACKS = pytest.mark.parametrize("attack", TEXT_ATTACKS, ids=attack_ids())
OPML: Final = hostile_opml()
CONFIGS: Final = hostile_configs()
IN_PROCESS_BYTES: Final = 200 * 1024


# --- OPML ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data"), OPML, ids=[name for name, _ in OPML])
def test_hostile_opml(name: str, data: bytes) -> None:
    if len(data) > IN_PROCESS_BYTES:
        code = f"""
from termreader.opml import read_opml
from tests.hostile.generators import hostile_opml
finish(call(read_opml, dict(hostile_opml())[{name!r}], "subscriptions.opml"))
"""
        run_bounded(code)
        return
    value = outcome(read_opml, data, "subscriptions.opml")
    assert_safe(value)
    if isinstance(value, OpmlError):
        assert str(value).startswith("subscriptions.opml")
    else:
        # Local files stay importable (our own export writes them); see SECURITY.md.
        assert isinstance(value, list)
        assert all(source.url.startswith(("http://", "https://", "file:")) for source in value), value


def test_opml_bad_schemes_are_dropped() -> None:
    """javascript:, ftp: and data: go; a local file stays (termreader's own export can hold one)."""
    sources = read_opml(dict(OPML)["bad-schemes"], "s.opml")
    assert [source.url for source in sources] == ["file:///etc/passwd"]


def test_opml_duplicates_collapse() -> None:
    sources = read_opml(dict(OPML)["duplicate-urls"], "s.opml")
    assert sources == [SourceConfig(name="A", url="https://a.example/feed")]


def test_opml_colliding_names_are_made_unique() -> None:
    sources = read_opml(dict(OPML)["names-collide"], "s.opml")
    assert len(sources) == 500
    assert len({source.name.casefold() for source in sources}) == 500


def test_opml_control_characters_cleaned() -> None:
    for case in ("control-chars", "entity-controls", "bidi-title"):
        value = outcome(read_opml, dict(OPML)[case], "s.opml")
        assert_safe(value)


def test_opml_external_entity(secret: Secret) -> None:
    from tests.hostile.generators import xxe_opml

    value = outcome(read_opml, xxe_opml(secret.url), "s.opml")
    assert_safe(value, secret.marker)
    assert secret.marker not in repr(value)


def test_opml_billion_laughs_bounded() -> None:
    code = """
from termreader.opml import read_opml
from tests.hostile.generators import laughs_opml
value = call(read_opml, laughs_opml(), "s.opml")
finish(value, longest=max((len(s.name) for s in value), default=0) if isinstance(value, list) else 0)
"""
    result = run_bounded(code)
    assert result.data.get("longest", 0) <= 1_000


@ATTACKS
def test_opml_titles_carry_attacks(attack: TextAttack) -> None:
    titles = [f"{attack.payload} {n}" for n in range(3)]
    value = outcome(read_opml, opml_with(titles), "s.opml")
    assert_safe(value)
    assert isinstance(value, list)
    assert [source.url for source in value] == [f"https://site{n}.example.com/feed.xml" for n in range(3)]
    assert all(attack.survivor[:10] in source.name for source in value), [s.name for s in value]


@ATTACKS
def test_opml_round_trip_of_hostile_names(attack: TextAttack) -> None:
    """What we write, we read back: names stay safe and unique; the file is well-formed XML."""
    sources = [SourceConfig(name=f"{attack.payload} {n}", url=f"https://r{n}.example/feed") for n in range(2)]
    text = write_opml(sources)
    back = outcome(read_opml, text.encode("utf-8", "surrogatepass"), "export.opml")
    assert_safe(back)
    assert isinstance(back, list)
    assert [source.url for source in back] == ["https://r0.example/feed", "https://r1.example/feed"]


# --- config -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data"), CONFIGS, ids=[name for name, _ in CONFIGS])
def test_hostile_config_file(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(data)
    if len(data) > IN_PROCESS_BYTES:
        code = f"""
from pathlib import Path
from termreader.config import load_config
finish(call(load_config, Path({str(path)!r}), create=False))
"""
        run_bounded(code)
    else:
        value = outcome(load_config, path, create=False)
        assert_safe(value)
        if isinstance(value, ConfigError):
            assert str(value).startswith(str(path))
            assert "\n" not in str(value)
    assert path.read_bytes() == data, "a broken config must never be rewritten"


def test_config_only_control_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    with pytest.raises(ConfigError, match="expected a non-empty name"):
        parse_config(dict(CONFIGS)["only-controls-name"].decode(), path)


def test_config_newline_name_becomes_one_line(tmp_path: Path) -> None:
    config = parse_config(dict(CONFIGS)["newline-name"].decode(), tmp_path / "c.toml")
    assert [source.name for source in config.sources] == ["two lines tab"]


def test_config_infinite_timeout_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="timeout_seconds"):
        parse_config(dict(CONFIGS)["float-inf"].decode(), tmp_path / "c.toml")


@ATTACKS
def test_config_source_names_carry_attacks(tmp_path: Path, attack: TextAttack) -> None:
    value = outcome(parse_config, config_with_name(attack.payload), tmp_path / "config.toml")
    assert_safe(value)
    assert isinstance(value, Config), value
    assert len(value.sources) == 1
    assert attack.survivor[:10] in value.sources[0].name


def test_opml_outline_cap() -> None:
    """20,000 distinct feeds: refused with one line naming the cap, in linear time (a subprocess bound)."""
    code = """
from termreader.opml import read_opml
from tests.hostile.generators import hostile_opml
finish(call(read_opml, dict(hostile_opml())["many-outlines"], "big.opml"))
"""
    result = run_bounded(code, timeout=60)
    assert result.outcome == "typed"
    assert result.data["error"] == (
        "big.opml: lists more than 10,000 feeds; termreader imports at most 10,000 at once (split the file)"
    )


def test_opml_below_cap_reads_everything() -> None:
    titles = [f"Feed {n}" for n in range(5_000)]
    sources = read_opml(opml_with(titles), "s.opml")
    assert len(sources) == 5_000
    assert sources[-1] == SourceConfig(name="Feed 4999", url="https://site4999.example.com/feed.xml")


def test_opml_same_title_many_times_is_linear() -> None:
    titles = ["Same title"] * 3_000
    sources = read_opml(opml_with(titles), "s.opml")
    assert [source.name for source in sources[:3]] == ["Same title", "Same title (2)", "Same title (3)"]
    assert sources[-1].name == "Same title (3000)"


def test_opml_huge_title_is_cut() -> None:
    sources = read_opml(dict(OPML)["huge-title"], "s.opml")
    assert sources == [SourceConfig(name="T" * 200, url="https://t.example/f")]
