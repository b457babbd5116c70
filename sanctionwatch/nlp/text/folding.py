"""Case-blind tests at the cost of case-sensitive ones.

Python's regular expressions compare every character of an IGNORECASE pattern in both cases. A
yes/no test that runs on every sentence is cheaper as a case-sensitive copy of the pattern, its
letters in lower case, searched in text lower-cased once (``fold_case``): the same sentences
pass at a third to a half of the cost. Only yes/no tests use it; offsets and matched words come
from the original pattern on the original text.
"""

from __future__ import annotations

import re

_ESCAPE_OR_ASCII_CAPITAL = re.compile(r"\\.|[A-Z]")
_NAMED_CHARACTER_ESCAPE = re.compile(r"\\[NuUx]")


def fold_case(text: str) -> str:
    """``text`` in lower case, one character for one, so offsets still hold ("İ", the one
    character whose lower case is two, becomes "i")."""
    return text.replace("\u0130", "I").lower()


def folded_pattern(pattern: re.Pattern[str] | None) -> re.Pattern[str] | None:
    """A case-sensitive copy of an IGNORECASE ``pattern`` for text passed through ``fold_case``:
    its ASCII capitals outside escapes in lower case ("IT workers" as "it workers", "[A-Z]" as
    "[a-z]"). None where that could change a match: a pattern that is not IGNORECASE, a
    case-sensitive group (``(?-i:…)``), a capital outside ASCII, or an escape that names
    characters (``\\N{…}``, ``\\u…``, ``\\x…``)."""
    if pattern is None or not pattern.flags & re.IGNORECASE:
        return None
    text = pattern.pattern
    if "(?-i" in text or _NAMED_CHARACTER_ESCAPE.search(text) or any(c != c.lower() and not c.isascii() for c in text):
        return None
    return re.compile(_ESCAPE_OR_ASCII_CAPITAL.sub(lambda m: m.group() if m.group().startswith("\\") else m.group().lower(), text))


def search_folded(pattern: re.Pattern[str], folded: re.Pattern[str] | None, text: str, folded_text: str) -> bool:
    """Whether ``pattern`` occurs in ``text``: through its folded copy where it has one."""
    if folded is not None:
        return folded.search(folded_text) is not None
    return pattern.search(text) is not None
