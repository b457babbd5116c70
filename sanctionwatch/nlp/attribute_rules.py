"""The attribute ruler's matches by dictionary lookup.

en_core_web_sm's ``attribute_ruler`` maps each token's fine tag (and, for some words, its lower
case or dependency label) to its part of speech, morphology and lemma: 179 rules, almost all of
one token. spaCy runs them through its general ``Matcher``, which costs a third of a second for
the candidate sentences of the 94 corpus reports, as much as the parser. ``RuleIndex`` finds the
same matches, in the same order, by looking each token's tag and lower case up in a dictionary
of the rules that could match it and testing only those. spaCy's own ``set_annotations`` then
applies them, so the attributes written are spaCy's.

``install`` replaces the component's ``match`` only where every rule uses what ``RuleIndex``
implements (the attributes TAG, LOWER, DEP and IS_SPACE; plain values, ``IN``, ``NOT_IN`` and
``REGEX``; no operators); a model whose rules use anything else keeps spaCy's matcher.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

_ATTRIBUTES = ("TAG", "LOWER", "DEP", "IS_SPACE")  # the columns of a token's row, in this order
_INDEXED = ("TAG", "LOWER")  # what a token's rules are looked up by
MEMO_LIMIT = 200_000  # token rows remembered with their rules before the memo starts again

Row = tuple[int, ...]  # a token's TAG, LOWER and DEP as spaCy's string ids, and IS_SPACE as 0 or 1


class Unsupported(ValueError):
    """A rule uses a feature of spaCy's patterns that ``RuleIndex`` does not implement."""


def _test(attribute: str, spec: Any, strings: Any) -> Callable[[int], bool]:
    """Whether a row's value (a string id, or 0/1 for IS_SPACE) satisfies the rule's ``spec``,
    as spaCy's matcher decides it."""
    from spacy.strings import get_string_id

    if attribute not in _ATTRIBUTES:
        raise Unsupported(f"attribute {attribute}")
    if attribute == "IS_SPACE":
        if not isinstance(spec, bool):
            raise Unsupported(f"IS_SPACE {spec!r}")
        return lambda value: bool(value) is spec
    if isinstance(spec, str):
        wanted = get_string_id(spec)
        return lambda value: value == wanted
    if not isinstance(spec, dict) or len(spec) != 1:
        raise Unsupported(f"{attribute} {spec!r}")
    ((operator, argument),) = spec.items()
    if operator in ("IN", "NOT_IN"):
        if not isinstance(argument, list) or not all(isinstance(v, str) for v in argument):
            raise Unsupported(f"{attribute} {operator} {argument!r}")
        values = frozenset(get_string_id(v) for v in argument)
        return (lambda value: value in values) if operator == "IN" else (lambda value: value not in values)
    if operator == "REGEX" and isinstance(argument, str):
        pattern = re.compile(argument)
        return lambda value: pattern.search(strings[value]) is not None
    raise Unsupported(f"{attribute} {operator}")


@dataclass(slots=True)
class _TokenSpec:
    tests: tuple[tuple[int, Callable[[int], bool]], ...]  # (column, test)

    def matches(self, row: Row) -> bool:
        return all(test(row[column]) for column, test in self.tests)


@dataclass(slots=True)
class _Rule:
    attr_id: int  # the rule's place in the ruler: later rules win
    match_id: int  # the matcher key spaCy reports for it
    tokens: tuple[_TokenSpec, ...]


def _keys(pattern: list[dict[str, Any]]) -> tuple[str, tuple[str, ...]] | None:
    """The attribute and the values by which the rule's first token can be looked up, or None
    (the rule is tried on every token)."""
    first = pattern[0]
    for attribute in _INDEXED:
        spec = first.get(attribute)
        if isinstance(spec, str):
            return attribute, (spec,)
        if isinstance(spec, dict) and list(spec) == ["IN"]:
            return attribute, tuple(dict.fromkeys(spec["IN"]))
    return None


@dataclass
class RuleIndex:
    """The rules of one attribute ruler, by the tag and the lower case of their first token.

    A token's single-token matches depend on its own row only, so they are remembered by row:
    most rows ("the" as DT det) recur in every sentence."""

    # row column -> string id -> the rules whose first token asks for that value there
    by_value: dict[int, dict[int, list[_Rule]]] = field(default_factory=lambda: {_ATTRIBUTES.index(a): {} for a in _INDEXED})
    unindexed: list[_Rule] = field(default_factory=list)
    memo: dict[Row, tuple[tuple[tuple[int, int], ...], tuple[_Rule, ...]]] = field(default_factory=dict)
    columns: list[int] = field(default_factory=list)  # spaCy's attribute ids of the row's columns

    @classmethod
    def of(cls, ruler: Any) -> RuleIndex:
        """Raises ``Unsupported`` where a rule needs spaCy's general matcher."""
        from spacy import attrs
        from spacy.strings import get_string_id

        index = cls(columns=[getattr(attrs, name) for name in _ATTRIBUTES])
        strings = ruler.vocab.strings
        for attr_id, entry in enumerate(ruler.patterns):
            match_id = strings[str(attr_id)]
            for pattern in entry["patterns"]:
                if not isinstance(pattern, list) or not pattern:
                    raise Unsupported(f"pattern {pattern!r}")
                specs = []
                for token_spec in pattern:
                    if not isinstance(token_spec, dict) or not token_spec:
                        raise Unsupported(f"token pattern {token_spec!r}")
                    tests = {a: _test(a, v, strings) for a, v in token_spec.items()}  # raises for what is not supported
                    specs.append(_TokenSpec(tuple((_ATTRIBUTES.index(a), test) for a, test in tests.items())))
                rule = _Rule(attr_id, match_id, tuple(specs))
                keys = _keys(pattern)
                if keys is None:
                    index.unindexed.append(rule)
                else:
                    attribute, values = keys
                    column = _ATTRIBUTES.index(attribute)
                    for value in values:
                        bucket = index.by_value[column].setdefault(get_string_id(value), [])
                        if rule not in bucket:
                            bucket.append(rule)
        return index

    def _rules_of(self, row: Row) -> tuple[tuple[tuple[int, int], ...], tuple[_Rule, ...]]:
        """The single-token rules the row matches, and the longer rules its first token starts."""
        singles: list[tuple[int, int]] = []
        longer: list[_Rule] = []
        candidates = [rule for column, rules in self.by_value.items() for rule in rules.get(row[column], ())]
        candidates += self.unindexed
        for rule in candidates:
            if rule.tokens[0].matches(row):
                if len(rule.tokens) == 1:
                    singles.append((rule.attr_id, rule.match_id))
                else:
                    longer.append(rule)
        return tuple(singles), tuple(longer)

    def match(self, doc: Any) -> list[tuple[int, int, int, int]]:
        """What ``AttributeRuler.match`` returns: ``(attr_id, match_id, start, end)`` sorted."""
        if len(doc) == 0:
            return []
        rows: list[Row] = [tuple(row) for row in doc.to_array(self.columns).tolist()]
        if len(self.memo) > MEMO_LIMIT:
            self.memo.clear()
        found: set[tuple[int, int, int, int]] = set()
        for start, row in enumerate(rows):
            rules = self.memo.get(row)
            if rules is None:
                rules = self.memo[row] = self._rules_of(row)
            singles, longer = rules
            for attr_id, match_id in singles:
                found.add((attr_id, match_id, start, start + 1))
            for rule in longer:
                end = start + len(rule.tokens)
                if end <= len(rows) and all(spec.matches(rows[start + k]) for k, spec in enumerate(rule.tokens) if k):
                    found.add((rule.attr_id, rule.match_id, start, end))
        return sorted(found)


def install(nlp: Any, name: str = "attribute_ruler") -> bool:
    """Make the pipeline's attribute ruler find its matches through a ``RuleIndex``; False
    (spaCy's matcher kept) where the pipeline has none or a rule is not supported."""
    if name not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe(name)
    try:
        index = RuleIndex.of(ruler)
    except Unsupported as reason:
        log.info("attribute ruler keeps spaCy's matcher", extra={"reason": str(reason)})
        return False
    ruler.match = index.match
    return True
