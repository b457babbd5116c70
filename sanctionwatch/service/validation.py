"""Strict checks of what users send before it is stored: review edits and input records.

Each check returns a problem as a phrase ("is longer than 2,000 characters") or None, so the
callers wrap it in their own error with the field named: ``InvalidQuery`` (400 with
``parameter``) for edits, ``InputError`` (file and line) for records. What passes is
normalised to the shape every page and export expects: a quantity or time edit always has all
its keys, so a partial edit cannot break a page later.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sanctionwatch.errors import InvalidQuery
from sanctionwatch.model.incident import ATTRIBUTIONS, CERTAINTIES, INCIDENT_TYPES, PRECISIONS
from sanctionwatch.service.edits import LIST_EDIT_CHECKS

MAX_SUMMARY_CHARACTERS = 2_000
MAX_NOTE_CHARACTERS = 5_000
MAX_SHORT_TEXT_CHARACTERS = 200  # commodity, unit, item, provision, time text
MAX_PROVISIONS = 30
# Control characters other than tab and newlines: never typed by an analyst, never in prose.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS = re.compile("[\r\n]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(value: Any, *, max_length: int, multiline: bool = False) -> str | None:
    """Why ``value`` is not acceptable text, or None."""
    if not isinstance(value, str):
        return f"must be text, got {_kind(value)}"
    surrogate = _SURROGATE.search(value)
    if surrogate:
        return (
            f"is not valid Unicode (a lone surrogate \\u{ord(surrogate.group()):04x} "
            f"at character {surrogate.start() + 1})"
        )
    control = _CONTROL.search(value)
    if control:
        return f"contains the control character U+{ord(control.group()):04X} at character {control.start() + 1}"
    if not multiline and _LINE_BREAKS.search(value):
        return "must be one line"
    if len(value) > max_length:
        return f"is longer than {max_length:,} characters"
    return None


def unicode_problem(value: str) -> str | None:
    """For long texts (articles), only what cannot be stored or shown: lone surrogates."""
    surrogate = _SURROGATE.search(value)
    if surrogate:
        return (
            f"is not valid Unicode (a lone surrogate \\u{ord(surrogate.group()):04x} "
            f"at character {surrogate.start() + 1})"
        )
    return None


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


# Review edits ------------------------------------------------------------------------------


def _fail(field: str, problem: str) -> InvalidQuery:
    """``field`` may name a part ("time.start"); ``parameter`` is the edited field ("time")."""
    return InvalidQuery(f"edits.{field} {problem}", parameter=field.split(".", 1)[0])


def _text_field(field: str, max_length: int, *, multiline: bool = False, nullable: bool = True) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value is None and nullable:
            return None
        problem = text_problem(value, max_length=max_length, multiline=multiline)
        if problem:
            raise _fail(field, problem)
        return value

    return check


def _choice(field: str, choices: tuple[str, ...], *, nullable: bool = True) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value is None and nullable:
            return None
        if value not in choices:
            raise _fail(field, f"must be one of {', '.join(choices)}, got {value!r}"[:300])
        return value

    return check


def _provisions(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise _fail("provisions", f"must be a list of texts, got {_kind(value)}")
    if len(value) > MAX_PROVISIONS:
        raise _fail("provisions", f"has more than {MAX_PROVISIONS} items")
    for index, item in enumerate(value):
        problem = text_problem(item, max_length=MAX_SHORT_TEXT_CHARACTERS)
        if problem:
            raise _fail("provisions", f"item {index + 1} {problem}")
    return list(value)


def _number(field: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(field, f"must be a finite number or null, got {value!r}"[:200])
    if not -1e15 <= value <= 1e15:
        raise _fail(field, "is out of range")
    return value


def _only_keys(field: str, value: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise _fail(field, f"has unknown keys {', '.join(map(repr, unknown))}; allowed: {', '.join(allowed)}"[:300])


QUANTITY_KEYS = ("min", "max", "unit", "item")


def _quantity(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _fail("quantity", f"must be an object with {', '.join(QUANTITY_KEYS)}, or null")
    _only_keys("quantity", value, QUANTITY_KEYS)
    low, high = _number("quantity.min", value.get("min")), _number("quantity.max", value.get("max"))
    if low is None and high is None:
        raise _fail("quantity", "needs min or max")
    if low is not None and high is not None and low > high:
        raise _fail("quantity", "min is greater than max")
    unit = value.get("unit")
    problem = text_problem(unit, max_length=MAX_SHORT_TEXT_CHARACTERS)
    if problem or not str(unit).strip():
        raise _fail("quantity.unit", problem or "must not be empty")
    item = _text_field("quantity.item", MAX_SHORT_TEXT_CHARACTERS)(value.get("item"))
    return {"min": low, "max": high, "unit": unit, "item": item}


TIME_KEYS = ("start", "end", "precision", "text")


def _iso_date_value(field: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _fail(field, f"must be a date YYYY-MM-DD or null, got {_kind(value)}")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise _fail(field, f"must be a date YYYY-MM-DD, got {value[:40]!r}") from None
    if len(value) != 10:
        raise _fail(field, f"must be a date YYYY-MM-DD, got {value[:40]!r}")
    return parsed.isoformat()


def _time(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail("time", f"must be an object with {', '.join(TIME_KEYS)}, got {_kind(value)}")
    _only_keys("time", value, TIME_KEYS)
    start, end = _iso_date_value("time.start", value.get("start")), _iso_date_value("time.end", value.get("end"))
    if start and end and start > end:
        raise _fail("time", "start is after end")
    precision = _choice("time.precision", PRECISIONS)(value.get("precision"))
    if (start or end) and precision is None:
        precision = "day"
    if precision and not (start or end):
        raise _fail("time", "has a precision but no date")
    text = _text_field("time.text", MAX_SHORT_TEXT_CHARACTERS)(value.get("text"))
    return {"start": start, "end": end, "precision": precision, "text": text}


EDIT_CHECKS: dict[str, Callable[[Any], Any]] = {
    "type": _choice("type", INCIDENT_TYPES, nullable=False),
    "summary": _text_field("summary", MAX_SUMMARY_CHARACTERS, multiline=True, nullable=False),
    "attribution": _choice("attribution", ATTRIBUTIONS),
    "certainty": _choice("certainty", CERTAINTIES),
    "commodity": _text_field("commodity", MAX_SHORT_TEXT_CHARACTERS),
    "provisions": _provisions,
    "quantity": _quantity,
    "time": _time,
    **LIST_EDIT_CHECKS,  # actors, locations, vessels (service/edits.py)
}
EDITABLE_FIELDS = tuple(EDIT_CHECKS)


def validate_edits(edits: Any) -> dict[str, Any]:
    """The edits, checked and normalised; raises InvalidQuery naming the first bad field."""
    if edits is None:
        return {}
    if not isinstance(edits, dict):
        raise InvalidQuery(f"edits must be an object, got {_kind(edits)}", parameter="edits")
    clean: dict[str, Any] = {}
    for key, value in edits.items():
        check = EDIT_CHECKS.get(key) if isinstance(key, str) else None
        if check is None:
            raise InvalidQuery(
                f"field {str(key)[:60]!r} cannot be edited; editable: {', '.join(EDITABLE_FIELDS)}", parameter=str(key)[:60]
            )
        clean[key] = check(value)
    return clean


def validate_note(note: Any, *, parameter: str = "note") -> str | None:
    if note is None:
        return None
    problem = text_problem(note, max_length=MAX_NOTE_CHARACTERS, multiline=True)
    if problem:
        raise InvalidQuery(f"{parameter} {problem}", parameter=parameter)
    return note
