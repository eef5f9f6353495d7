"""Text decoding: each rule on our own bytes, then the legacy-encoding feeds of feedparser's test suite."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termreader.textdecode import canonical_codec, declared_charset, decode_text, http_charset
from tests.conftest import shared_path

RUSSIAN = "Наверное, лучший способ прочитать новости: открыть терминал и спокойно пролистать ленту."
JAPANESE = "ターミナルでブログを読むのはとても快適です。記事の一覧と人気の投稿を表示します。"


def test_http_charset_beats_meta() -> None:
    body = f'<html><head><meta charset="utf-8"></head><body><p>{RUSSIAN}</p></body></html>'.encode("koi8-r")
    text, encoding = decode_text(body, "text/html; charset=KOI8-R")
    assert encoding == "koi8-r"
    assert f"<p>{RUSSIAN}</p>" in text


def test_bom_beats_a_wrong_http_charset() -> None:
    body = codecs.BOM_UTF8 + "<p>Le café de la gare</p>".encode()
    text, encoding = decode_text(body, "text/html; charset=iso-8859-1")
    assert (text, encoding) == ("<p>Le café de la gare</p>", "utf-8")


def test_meta_charset() -> None:
    page = '<!doctype html><html><head><meta charset="windows-1251"><title>Новости</title></head></html>'
    text, encoding = decode_text(page.encode("cp1251"))
    assert (text, encoding) == (page, "cp1251")


def test_meta_http_equiv_latin1_label_means_cp1252() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
        "</head><body><p>Ça coûte 5 € – “vraiment”.</p></body></html>"
    )
    text, encoding = decode_text(page.encode("cp1252"), "text/html")
    assert (text, encoding) == (page, "cp1252")


def test_xml_declaration() -> None:
    feed = '<?xml version="1.0" encoding="ISO-8859-15"?>\n<rss><channel><title>Prix : 10 €</title></channel>'
    feed += "</rss>"
    text, encoding = decode_text(feed.encode("iso-8859-15"), "application/rss+xml")
    assert (text, encoding) == (feed, "iso8859-15")


def test_xml_declaration_shift_jis() -> None:
    feed = f'<?xml version="1.0" encoding="Shift_JIS"?>\n<feed><title>{JAPANESE}</title></feed>'
    text, encoding = decode_text(feed.encode("shift_jis"), "application/atom+xml")
    assert (text, encoding) == (feed, "cp932")


def test_cp1252_detected_without_declaration() -> None:
    page = "<p>It’s a “quoted” word — naïve café, déjà vu, España.</p>"
    text, encoding = decode_text(page.encode("cp1252"))
    assert (text, encoding) == (page, "cp1252")


def test_koi8r_detected_without_declaration() -> None:
    page = f"<html><body><h1>Лента</h1><p>{RUSSIAN}</p><p>{RUSSIAN}</p></body></html>"
    text, encoding = decode_text(page.encode("koi8-r"))
    assert (text, encoding) == (page, "koi8-r")


def test_shift_jis_detected_without_declaration() -> None:
    page = f"<html><body><p>{JAPANESE}</p></body></html>"
    text, encoding = decode_text(page.encode("shift_jis"))
    assert text == page
    assert encoding == "cp932"


@pytest.mark.parametrize(
    ("codec", "bom"), [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)]
)
def test_utf16_with_bom(codec: str, bom: bytes) -> None:
    feed = '<?xml version="1.0" encoding="utf-16"?><rss><title>Ünïcödé “feed” ✓</title></rss>'
    text, encoding = decode_text(bom + feed.encode(codec))
    assert (text, encoding) == (feed, codec)


def test_utf16_without_bom_from_the_xml_signature() -> None:
    feed = '<?xml version="1.0" encoding="utf-16"?><rss><title>Grüße</title></rss>'
    assert decode_text(feed.encode("utf-16-le")) == (feed, "utf-16-le")


def test_a_few_invalid_bytes_in_utf8_are_replaced() -> None:
    body = '<?xml version="1.0" encoding="utf-8"?><p>“Quoted” café'.encode() + b"\xa9</p>"
    text, encoding = decode_text(body)
    assert (text, encoding) == ('<?xml version="1.0" encoding="utf-8"?><p>“Quoted” café\ufffd</p>', "utf-8")


def test_declared_utf8_contradicted_by_cp1252_bytes() -> None:
    page = '<meta charset="utf-8"><p>Mañana en España, à bientôt.</p>'
    text, encoding = decode_text(page.encode("cp1252"), "text/html; charset=utf-8")
    assert (text, encoding) == (page, "cp1252")


def test_c1_controls_become_cp1252_characters() -> None:
    assert decode_text(b"<p>don\xc2\x92t \xc2\x93stop\xc2\x94</p>") == ("<p>don’t “stop”</p>", "utf-8")


def test_unknown_http_charset_is_ignored() -> None:
    page = '<meta charset="koi8-r"><p>Привет</p>'
    assert decode_text(page.encode("koi8-r"), "text/html; charset=x-no-such-thing") == (page, "koi8-r")


def test_utf16_charset_on_ascii_compatible_bytes_is_ignored() -> None:
    page = '<meta charset="utf-8"><p>Grüße</p>'
    assert decode_text(page.encode(), "text/html; charset=utf-16") == (page, "utf-8")


def test_empty_body() -> None:
    assert decode_text(b"") == ("", "utf-8")
    assert decode_text(b"", "text/html; charset=koi8-r") == ("", "koi8-r")


def test_helpers() -> None:
    assert http_charset("text/xml;charset = us-ascii") == "cp1252"
    assert http_charset('text/html; charset="UTF-8"') == "utf-8"
    assert http_charset("text/xml;") is None
    assert canonical_codec("gb2312") == "gb18030"
    assert canonical_codec("bogus") is None
    assert declared_charset(b'<?xml version="1.0" encoding="utf-16"?><rss/>') == "utf-8"
    assert declared_charset(b"<html><head><title>x</title></head></html>") is None


@settings(max_examples=300, deadline=None)
@given(body=st.binary(max_size=600), charset=st.sampled_from(["", "utf-8", "bogus", "utf-16", "shift_jis"]))
def test_never_raises(body: bytes, charset: str) -> None:
    text, encoding = decode_text(body, f"text/html; charset={charset}" if charset else None)
    assert isinstance(text, str)
    assert codecs.lookup(encoding)


# --- feedparser's encoding test feeds ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Case:
    """What SOURCES.md says about one corpus file: the simulated Content-Type and what must come out."""

    content_type: str | None = None
    same_as: str | None = None
    """The whole text must equal the body decoded with this codec (the encoding feedparser expects)."""
    contains: tuple[str, ...] = ()
    bom: int = 0


CASES: dict[str, Case] = {
    "encoding__big5.xml": Case(same_as="big5"),
    "encoding__bozo_bogus_encoding.xml": Case(same_as="ascii"),
    # The double encoding is in character references (&#226;&#128;&#166;): the feed parser's job, not ours.
    "encoding__bozo_double-encoded-html.xml": Case(same_as="ascii"),
    "encoding__double-encoded-html.xml": Case(same_as="ascii"),
    "encoding__bozo_encoding_mismatch_crash.xml": Case(contains=('<a href="http://www.example.com/">¤</a>',)),
    "encoding__bozo_invalid-bytes-with-bom.xml": Case(contains=("Valid UTF8: ѨInvalid UTF8: Espa\ufffda",)),
    # feedparser expects '\xe2\u20ac\u2122…', the cp1252 mojibake of these UTF-8 bytes; we keep the UTF-8.
    "encoding__bozo_linenoise.xml": Case(contains=("<![CDATA[ ’<>”\ufffd ]]>",)),
    "encoding__demoronize-1.xml": Case(contains=("<description>don’t</description>",)),
    "encoding__euc-kr.xml": Case(contains=("<title>년</title>",)),
    "encoding__http_application_atom_xml_gb2312_encoding.xml": Case(
        "application/atom+xml", same_as="gb18030"
    ),
    "encoding__http_text_xml_bogus_charset.xml": Case("text/xml;", same_as="us-ascii"),
    "encoding__http_text_xml_charset_overrides_encoding.xml": Case(
        "text/xml;charset = us-ascii", same_as="us-ascii"
    ),
    "encoding__no_content_type_default.xml": Case(same_as="utf-8"),
    "encoding__utf-16be-autodetect.xml": Case(same_as="utf-16-be"),
    "encoding__utf-16le-bom.xml": Case(same_as="utf-16-le", bom=2),
    "encoding__utf-32le-bom.xml": Case(same_as="utf-32-le", bom=4),
    "encoding__utf-8-bom.xml": Case(same_as="utf-8", bom=3),
    "illformed__chardet__big5.xml": Case(same_as="big5", contains=("<title>我希望??很容易?其翻?成中文",)),
    "illformed__chardet__shiftjis.xml": Case(same_as="shift_jis", contains=("反映されない…</title>",)),
    "illformed__chardet__koi8r.xml": Case(
        same_as="koi8-r", contains=("<title>Как пережить новогоднюю ночь</title>",)
    ),
    "illformed__chardet__windows1255.xml": Case(same_as="windows-1255", contains=("האם תדפיס נייר",)),
}
MOJIBAKE = ("Ã", "â€", "Â", "Ð", "Ñ")


def test_every_corpus_encoding_file_has_a_case() -> None:
    folder = shared_path("corpus", "feeds", "feedparser")
    present = {p.name for p in folder.glob("encoding__*.xml")} | {
        p.name for p in folder.glob("illformed__chardet__*.xml")
    }
    assert present == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_feed_decodes_without_mojibake(name: str) -> None:
    path: Path = shared_path("corpus", "feeds", "feedparser", name)
    case = CASES[name]
    body = path.read_bytes()
    text, encoding = decode_text(body, case.content_type)
    assert codecs.lookup(encoding)
    for marker in MOJIBAKE:
        assert marker not in text
    assert not text.startswith("\ufeff")
    if case.same_as is not None:
        assert text == body[case.bom :].decode(case.same_as)
    for expected in case.contains:
        assert expected in text
