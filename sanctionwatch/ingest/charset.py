"""Turn fetched bytes into text: find the character encoding, decode without ever raising.

Precedence (research §3.1 F10, Miniflux's fixtures, feedparser's 82 encoding fixtures):

1. A byte-order mark (UTF-8, UTF-16, UTF-32).
2. UTF-16/UTF-32 without a BOM, recognised from the zero bytes around ``<``.
3. For XML: the prolog's ``encoding="…"``.
4. The HTTP ``charset`` parameter.
5. For HTML: ``<meta charset>`` or ``<meta http-equiv content="…charset=…">``, searched in the
   first 64 KiB (some pages put it after byte 1024, where browsers stop looking).
6. Valid UTF-8, then detection with ``charset_normalizer`` (EUC-KR, GB2312/GBK, Big5, KOI8-R,
   Windows-1252 …), then Windows-1252.

A declaration is a claim, checked against the bytes: a declared UTF-8 that does not decode is
skipped (the bytes are probably Windows-1252); a declared ISO-8859-1/Windows-1252/ASCII on bytes
that are valid UTF-8 with non-ASCII characters loses to UTF-8 (Miniflux keeps valid UTF-8).
ISO-8859-1 decodes as Windows-1252, as browsers do, so "smart quotes" survive.
Bad bytes become U+FFFD. XML output also loses the characters XML 1.0 forbids.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

BOMS = (  # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# What "<?" or "<r" looks like in each wide encoding when no BOM says which.
WIDE_PATTERNS = (
    (re.compile(rb"^<\x00\x00\x00"), "utf-32-le"),
    (re.compile(rb"^\x00\x00\x00<"), "utf-32-be"),
    (re.compile(rb"^<\x00[^\x00]\x00"), "utf-16-le"),
    (re.compile(rb"^\x00<\x00[^\x00]"), "utf-16-be"),
)
PROLOG_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']""", re.IGNORECASE)
META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE
)
META_SEARCH_BYTES = 64 * 1024
DETECTION_SAMPLE_BYTES = 256 * 1024
SINGLE_BYTE_WESTERN = {"latin-1", "iso8859-1", "cp1252", "ascii"}
# XML 1.0 Char production: no C0 controls except tab, LF, CR; no U+FFFE/U+FFFF; no surrogates.
ILLEGAL_XML_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Numeric references to the same characters ("&#xD800;", "&#0;") break strict parsers too.
NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def codec_name(label: str | None) -> str | None:
    """Python's codec name for an encoding label, or None if unknown or empty."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name


def is_xml_document(body: bytes, content_type: str | None) -> bool:
    """True if the content type says XML or the bytes start with an XML prolog."""
    if content_type and "xml" in content_type.lower():
        return True
    return body.lstrip()[:5].lower() == b"<?xml"


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header value, if present."""
    if not content_type:
        return None
    match = re.search(r"""charset\s*=\s*["']?([^"';\s]+)""", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def is_valid_utf8_with_non_ascii(body: bytes) -> bool:
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def acceptable_declaration(name: str, body: bytes) -> str | None:
    """Return the encoding to use for a declared codec, or None to ignore the declaration."""
    if name == "utf-8":
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return name
    if name in {"cp1252", "latin-1"} and is_valid_utf8_with_non_ascii(body):
        return "utf-8"
    if name.startswith(("utf-16", "utf-32")):
        return None  # a wide encoding without BOM or zero bytes is a false claim
    return name


def detect_encoding(body: bytes) -> str:
    """Best guess for undeclared bytes: UTF-8 if valid, else charset_normalizer, else cp1252."""
    if body.isascii() or is_valid_utf8_with_non_ascii(body):
        return "utf-8"
    best = charset_normalizer.from_bytes(body[:DETECTION_SAMPLE_BYTES]).best()
    guessed = codec_name(best.encoding) if best is not None else None
    return guessed or "cp1252"


def choose_encoding(body: bytes, *, header_charset: str | None, content_type: str | None) -> tuple[str, int]:
    """Return ``(codec, bytes_to_skip)`` following the precedence in the module docstring."""
    for bom, name in BOMS:
        if body.startswith(bom):
            return name, len(bom)
    for pattern, name in WIDE_PATTERNS:
        if pattern.match(body):
            return name, 0
    declarations: list[str | None] = []
    if is_xml_document(body, content_type):
        match = PROLOG_ENCODING.match(body[:1024])
        declarations.append(match.group(1).decode("ascii") if match else None)
    declarations.append(header_charset or charset_from_content_type(content_type))
    if not is_xml_document(body, content_type):
        match = META_CHARSET.search(body[:META_SEARCH_BYTES])
        declarations.append(match.group(1).decode("ascii") if match else None)
    for label in declarations:
        declared = codec_name(label)
        chosen = acceptable_declaration(declared, body) if declared else None
        if chosen:
            return chosen, 0
    return detect_encoding(body), 0


def clean_xml_text(text: str) -> str:
    """Remove characters, and numeric references to characters, that XML 1.0 forbids."""
    text = ILLEGAL_XML_CHARACTERS.sub("", text)
    return NUMERIC_REFERENCE.sub(replace_illegal_reference, text)


def replace_illegal_reference(match: re.Match[str]) -> str:
    hexadecimal, decimal = match.groups()
    code_point = int(hexadecimal, 16) if hexadecimal else int(decimal)
    if code_point > 0x10FFFF or ILLEGAL_XML_CHARACTERS.match(chr(code_point)) or code_point == 0:
        return "\ufffd"
    return match.group(0)


def decode_document(body: bytes, *, header_charset: str | None, content_type: str | None) -> str:
    """Decode a fetched document to text; never raises on bad bytes (they become U+FFFD).

    ``header_charset`` is the HTTP charset parameter if the caller extracted it; otherwise it
    is read from ``content_type``. XML documents come back without XML-illegal characters.
    The returned text carries no BOM; an XML prolog still names the original encoding.
    """
    name, skip = choose_encoding(body, header_charset=header_charset, content_type=content_type)
    try:
        text = body[skip:].decode(name, errors="replace")
    except LookupError:  # a codec Python knows by label but cannot run (rare)
        text = body[skip:].decode("cp1252", errors="replace")
    text = text.lstrip("\ufeff")
    if is_xml_document(body, content_type) or text.lstrip()[:5].lower() == "<?xml":
        text = clean_xml_text(text)
    return text
