"""decode_document(): BAD_INPUTS item 15 (encoding conflicts and undeclared legacy encodings)."""

from __future__ import annotations

import pytest

from sanctionwatch.ingest.charset import choose_encoding, clean_xml_text, decode_document

KOREAN = "북한이 석탄을 불법으로 수출했다고 유엔 보고서가 밝혔다. 선박 간 환적이 계속되고 있다."
CHINESE_SIMPLIFIED = "朝鲜通过船对船转运非法出口煤炭，联合国报告称。"
CHINESE_TRADITIONAL = "北韓透過船對船轉運非法出口煤炭，聯合國報告稱。"
RUSSIAN = "Северная Корея незаконно экспортировала уголь, говорится в докладе ООН."
WESTERN = "The ship’s “cargo” – coal — was seized near Nampo, café owners said."


@pytest.mark.parametrize(
    ("text", "encoding"),
    [(KOREAN, "euc-kr"), (CHINESE_SIMPLIFIED, "gb2312"), (CHINESE_TRADITIONAL, "big5"), (RUSSIAN, "koi8-r"), (WESTERN, "cp1252")],
)
def test_undeclared_legacy_encodings_are_detected(text: str, encoding: str) -> None:
    assert decode_document(text.encode(encoding), header_charset=None, content_type=None) == text


@pytest.mark.parametrize(
    ("text", "encoding"), [(KOREAN, "euc-kr"), (RUSSIAN, "koi8-r"), (CHINESE_SIMPLIFIED, "gb2312")]
)
def test_undeclared_feed_in_legacy_encoding(text: str, encoding: str) -> None:
    body = f"<rss><channel><title>{text}</title></channel></rss>".encode(encoding)
    assert text in decode_document(body, header_charset=None, content_type="application/rss+xml")


def test_header_latin1_loses_to_valid_utf8_with_utf8_prolog() -> None:
    body = f'<?xml version="1.0" encoding="UTF-8"?><rss><title>{KOREAN}</title></rss>'.encode()
    assert KOREAN in decode_document(body, header_charset="ISO-8859-1", content_type="text/xml; charset=ISO-8859-1")


def test_header_latin1_loses_to_valid_utf8_without_prolog() -> None:
    body = f"<html><body>{WESTERN}</body></html>".encode()
    assert WESTERN in decode_document(body, header_charset="iso-8859-1", content_type="text/html")


def test_prolog_utf8_but_bytes_windows_1252() -> None:
    body = f'<?xml version="1.0" encoding="UTF-8"?><rss><title>{WESTERN}</title></rss>'.encode("cp1252")
    assert WESTERN in decode_document(body, header_charset=None, content_type="application/xml")


def test_prolog_beats_header_for_xml() -> None:
    body = f'<?xml version="1.0" encoding="euc-kr"?><rss><title>{KOREAN}</title></rss>'.encode("euc-kr")
    assert KOREAN in decode_document(body, header_charset="utf-8", content_type="application/xml")


def test_header_used_when_no_prolog() -> None:
    body = f"<rss><title>{RUSSIAN}</title></rss>".encode("koi8-r")
    assert RUSSIAN in decode_document(body, header_charset="KOI8-R", content_type="application/xml")


def test_meta_charset_after_byte_1024() -> None:
    padding = "<!-- " + "x" * 2000 + " -->"
    body = f"<html><head>{padding}<meta charset=\"euc-kr\"></head><body>{KOREAN}</body></html>".encode("euc-kr")
    assert KOREAN in decode_document(body, header_charset=None, content_type="text/html")


def test_meta_http_equiv_charset() -> None:
    body = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"></head><body>{CHINESE_TRADITIONAL}</body></html>'
    assert CHINESE_TRADITIONAL in decode_document(body.encode("big5"), header_charset=None, content_type="text/html")


@pytest.mark.parametrize(
    ("body", "expected_codec"),
    [
        ("\ufeff<rss/>".encode("utf-8"), "utf-8"),
        ("\ufeff<rss/>".encode("utf-16-le"), "utf-16-le"),
        ("\ufeff<rss/>".encode("utf-16-be"), "utf-16-be"),
        ("\ufeff<rss/>".encode("utf-32-le"), "utf-32-le"),
        ("<?xml version='1.0'?><rss/>".encode("utf-16-le"), "utf-16-le"),
        ("<?xml version='1.0'?><rss/>".encode("utf-16-be"), "utf-16-be"),
        ("<?xml version='1.0'?><rss/>".encode("utf-32-be"), "utf-32-be"),
    ],
)
def test_bom_and_bomless_utf16(body: bytes, expected_codec: str) -> None:
    assert choose_encoding(body, header_charset="iso-8859-1", content_type="text/xml")[0] == expected_codec
    assert "<rss/>" in decode_document(body, header_charset="iso-8859-1", content_type="text/xml")


def test_bom_plus_invalid_bytes_never_raises() -> None:
    body = b"\xef\xbb\xbf<rss><title>ok \xff\xfe bad</title></rss>"
    text = decode_document(body, header_charset=None, content_type=None)
    assert text.startswith("<rss>") and "\ufffd" in text and "ok" in text


@pytest.mark.parametrize("label", ["bogus-charset", "", "utf-7'; DROP", None])
def test_bogus_labels_fall_back_to_detection(label) -> None:
    body = f"<html><body>{WESTERN}</body></html>".encode()
    assert WESTERN in decode_document(body, header_charset=label, content_type="text/html")


def test_xml_illegal_characters_are_removed() -> None:
    body = b"<rss><title>a\x00b\x08c\x0bd\x0ce\ttab</title><x>&#xD800;&#0;&#65;</x></rss>"
    text = decode_document(body, header_charset=None, content_type="application/xml")
    assert "<title>abcde\ttab</title>" in text
    assert "&#xD800;" not in text and "&#0;" not in text and "&#65;" in text


def test_html_keeps_control_character_removal_to_xml_only() -> None:
    assert clean_xml_text("a\x01b&#x1F;c") == "ab\ufffdc"


def test_double_encoded_html_is_not_decoded_here() -> None:
    body = b"<rss><title>&amp;lt;script&amp;gt;</title></rss>"
    assert "&amp;lt;script&amp;gt;" in decode_document(body, header_charset=None, content_type="application/xml")
