"""Typed matchers: on the agent's replies (contains, number with tolerance and currency, regex, any_of …) and
on tool-call arguments. Each returns (ok, why) so a report can say what failed."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

_MONEY = re.compile(
    r"(?P<pre>US\$|\$|USD\s?|EUR\s?|€)?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<k>[kK]\b)?"
    r"(?:\s?(?P<post>USD|EUR|dollars|bucks))?")
_CURRENCY = {"US$": "USD", "$": "USD", "USD": "USD", "DOLLARS": "USD", "BUCKS": "USD", "EUR": "EUR", "€": "EUR"}
_KINDS = ("contains", "not_contains", "regex", "not_regex", "number", "any_of", "all_of", "none_of", "max_length")


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def numbers_in(text: str) -> list[tuple[float, str | None]]:
    """Every number in the text with its currency (USD/EUR) when one is attached: "$4,200", "4.2k USD"."""
    found: list[tuple[float, str | None]] = []
    for m in _MONEY.finditer(text):
        value = float(m.group("num").replace(",", "")) * (1000 if m.group("k") else 1)
        marker = (m.group("pre") or m.group("post") or "").strip().upper()
        found.append((value, _CURRENCY.get(marker)))
    return found


def _number_ok(spec: dict[str, Any], text: str) -> tuple[bool, str]:
    target = float(spec["value"])
    tolerance = max(float(spec.get("tolerance", 0)), abs(target) * float(spec.get("rel_tolerance", 0)))
    currency = spec.get("currency")
    seen = numbers_in(text)
    for value, cur in seen:
        if abs(value - target) <= tolerance + 1e-9 and (currency is None or cur == currency):
            return True, ""
    shown = ", ".join(f"{v:g}{' ' + c if c else ''}" for v, c in seen[:8]) or "none"
    return False, f"no number {target:g}±{tolerance:g}{' ' + currency if currency else ''} (saw {shown})"


def match_output(spec: dict[str, Any], text: str) -> tuple[bool, str]:
    """One output matcher against a reply text. Exactly one kind key per matcher (plus `scope`)."""
    kinds = [k for k in spec if k in _KINDS]
    if len(kinds) != 1:
        raise ValueError(f"output matcher needs exactly one of {_KINDS}: {spec}")
    kind, arg = kinds[0], spec[kinds[0]]
    if kind == "contains":
        ok = _fold(str(arg)) in _fold(text)
        return ok, "" if ok else f"missing {arg!r}"
    if kind == "not_contains":
        ok = _fold(str(arg)) not in _fold(text)
        return ok, "" if ok else f"must not say {arg!r}"
    if kind in ("regex", "not_regex"):
        # the words matter, not how a channel broke them into lines ("1) …\n2) …" on SMS)
        hit = any(re.search(str(arg), t, re.IGNORECASE | re.MULTILINE) is not None
                  for t in (text, " ".join(text.split())))
        ok = hit if kind == "regex" else not hit
        return ok, "" if ok else f"{kind} /{arg}/ failed"
    if kind == "number":
        return _number_ok(arg if isinstance(arg, dict) else {"value": arg}, text)
    if kind == "max_length":
        ok = len(text) <= int(arg)
        return ok, "" if ok else f"{len(text)} chars > {arg}"
    results = [match_output(sub, text) for sub in arg]
    if kind == "any_of":
        ok = any(r[0] for r in results)
        return ok, "" if ok else "none of: " + "; ".join(r[1] for r in results)
    if kind == "all_of":
        ok = all(r[0] for r in results)
        return ok, "" if ok else "; ".join(r[1] for r in results if not r[0])
    ok = not any(r[0] for r in results)  # none_of
    return ok, "" if ok else f"matched a forbidden alternative in {arg}"


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(Decimal(str(value).replace(",", "").lstrip("$").strip()))
    except (InvalidOperation, ValueError):
        return None
    return number if math.isfinite(number) else None


def match_value(expected: Any, actual: Any) -> bool:
    """An argument matcher. Literals: numbers compare numerically ("120" == 120.0), strings case- and
    space-insensitively, lists as sets; dicts with one matcher key: {regex}, {number: {value, tolerance}},
    {any_of: [...]}, {contains}, {absent: true}, {present: true}."""
    if isinstance(expected, dict) and len(expected) == 1:
        (kind, arg), = expected.items()
        if kind == "absent":
            return (actual in (None, "", [], False)) == bool(arg)
        if kind == "present":
            return (actual not in (None, "", [])) == bool(arg)
        if kind == "any_of":
            return any(match_value(option, actual) for option in arg)
        if kind == "regex":
            return actual is not None and re.search(str(arg), str(actual), re.IGNORECASE) is not None
        if kind == "contains":
            return actual is not None and _fold(str(arg)) in _fold(str(actual))
        if kind == "number":
            spec = arg if isinstance(arg, dict) else {"value": arg}
            got = _as_number(actual)
            return got is not None and abs(got - float(spec["value"])) <= float(spec.get("tolerance", 0)) + 1e-9
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected == actual
    if isinstance(expected, int | float):
        got = _as_number(actual)
        return got is not None and abs(got - float(expected)) < 1e-9
    if isinstance(expected, list):
        return isinstance(actual, list) and sorted(map(_fold_any, expected)) == sorted(map(_fold_any, actual))
    if isinstance(expected, str):
        return actual is not None and _fold(expected) == _fold(str(actual))
    return bool(expected == actual)


def _fold_any(value: Any) -> str:
    return _fold(str(value))


def match_args(expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    return all(match_value(want, actual.get(key)) for key, want in expected.items())
