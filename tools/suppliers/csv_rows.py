"""Reading a supplier price file (CSV): the documented columns (docs/suppliers.md), each row checked on its
own and against the rows before it, every problem reported as "row 7: unit_price 'abc' is not a number"."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from knowledge.models.suppliers import SUPPLIER_TYPES
from knowledge.partnumbers import normalize_part_number
from tools.rules.money import cents
from tools.suppliers.pricing import PriceBreak, parse_price_breaks

REQUIRED = ("supplier", "branch_code", "part_number", "manufacturer", "unit_price")
OPTIONAL = ("supplier_type", "authorized", "timezone", "branch_name", "branch_city", "branch_state", "cutoff_time",
            "will_call", "description", "price_breaks", "stock_on_hand", "lead_time_days", "backorder_allowed",
            "currency")
COLUMNS = REQUIRED + OPTIONAL
DEFAULT_LEAD_DAYS = 7
_TRUE, _FALSE = {"true", "yes", "y", "1", "t"}, {"false", "no", "n", "0", "f"}
_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?(?::00)?\s*([ap]\.?m\.?)?$", re.IGNORECASE)
_LIMITS = {"supplier": 200, "branch_code": 40, "branch_name": 120, "branch_city": 100, "branch_state": 100,
           "part_number": 100, "manufacturer": 100, "description": 255}


@dataclass
class OfferRow:
    """One valid row: a part at a supplier's branch. None: the column was absent or left blank."""

    line: int
    supplier: str
    branch_code: str
    part_number: str
    part_number_norm: str
    manufacturer: str
    unit_price: Decimal
    price_breaks: list[PriceBreak] = field(default_factory=list)
    stock_on_hand: int = 0
    lead_time_days: int = DEFAULT_LEAD_DAYS
    currency: str = "USD"
    description: str | None = None
    backorder_allowed: bool | None = None
    supplier_type: str | None = None
    authorized: bool | None = None
    timezone: str | None = None
    branch_name: str | None = None
    branch_city: str | None = None
    branch_state: str | None = None
    cutoff_time: time | None = None
    will_call: bool | None = None


class SupplierFileError(ValueError):
    """The file cannot be imported: every problem found, one line each (a row's problems share its line)."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _bool(value: str) -> bool:
    word = value.strip().lower()
    if word in _TRUE | _FALSE:
        return word in _TRUE
    raise ValueError(f"'{value}' is not yes/no (true, false, yes, no, 1, 0)")


def _clock(value: str) -> time:
    found = _CLOCK.match(value.strip())
    hour, minute = (int(found.group(1)), int(found.group(2) or 0)) if found else (-1, 0)
    if found and found.group(3):
        hour = -1 if not 1 <= hour <= 12 else hour % 12 + (12 if found.group(3).lower().startswith("p") else 0)
    if not found or not 0 <= hour <= 23 or not 0 <= minute <= 59:
        raise ValueError(f"'{value}' is not a time of day (e.g. 18:00 or 6 pm)")
    return time(hour, minute)


def _count(value: str) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise ValueError(f"'{value}' is not a whole number") from None
    if number < 0:
        raise ValueError(f"{number} must be 0 or more")
    return number


def _price(value: str) -> Decimal:
    try:
        amount = Decimal(value.strip().lstrip("$").replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"'{value}' is not a number") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"'{value}' must be 0 or more")
    return cents(amount)


def _zone(value: str) -> str:
    try:
        ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{value}' is not a time zone name (e.g. America/Denver)") from None
    return value.strip()


def _supplier_type(value: str) -> str:
    kind = re.sub(r"[\s-]+", "_", value.strip().lower())
    if kind not in SUPPLIER_TYPES:
        raise ValueError(f"'{value}' is not one of {', '.join(SUPPLIER_TYPES)}")
    return kind


def _currency(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{3}", value.strip()):
        raise ValueError(f"'{value}' is not a 3-letter code (e.g. USD)")
    return value.strip().upper()


# How a non-blank cell is read; a ValueError's message follows the column's name ("unit_price 'abc' is not …").
_READERS: dict[str, Callable[[str], object]] = {
    "unit_price": _price, "supplier_type": _supplier_type, "authorized": _bool, "timezone": _zone,
    "cutoff_time": _clock, "will_call": _bool, "price_breaks": parse_price_breaks, "stock_on_hand": _count,
    "lead_time_days": _count, "backorder_allowed": _bool, "currency": _currency,
}


def _problems_of_text(value: dict[str, str]) -> list[str]:
    problems = [f"{name} is empty" for name in REQUIRED if not value[name]]
    problems += [f"{name} is longer than {limit} characters" for name, limit in _LIMITS.items()
                 if len(value[name]) > limit]
    if value["part_number"] and not normalize_part_number(value["part_number"]):
        problems.append(f"part_number '{value['part_number']}' has no letters or digits")
    return problems


def _breaks_descend(parsed: dict[str, object]) -> list[str]:
    """Each price break must lower the price of the quantities below it."""
    previous = parsed.get("unit_price")
    breaks = parsed.get("price_breaks")
    problems = []
    for level in breaks if isinstance(breaks, list) else []:
        if isinstance(previous, Decimal) and level.unit_price >= previous:
            problems.append(f"price_breaks {level.min_quantity}:{level.unit_price} is not below the price for "
                            "fewer units")
        previous = level.unit_price
    return problems


def _row(line: int, cells: dict[str, str]) -> tuple[OfferRow | None, list[str]]:
    value = {k: (cells.get(k) or "").strip() for k in COLUMNS}
    problems = _problems_of_text(value)
    parsed: dict[str, object] = {}
    for name in COLUMNS:  # in the documented order
        read = _READERS.get(name)
        if read is not None and value[name]:
            try:
                parsed[name] = read(value[name])
            except ValueError as exc:  # PriceBreakSyntaxError included
                problems.append(f"{name} {exc}")
    problems += _breaks_descend(parsed)
    if problems:
        return None, [f"row {line}: " + "; ".join(problems)]
    optional = {k: (value[k] or None) for k in ("description", "branch_name", "branch_city", "branch_state")}
    return OfferRow(
        line=line, supplier=value["supplier"], branch_code=value["branch_code"], part_number=value["part_number"],
        part_number_norm=normalize_part_number(value["part_number"]), manufacturer=value["manufacturer"],
        **optional, **parsed,  # type: ignore[arg-type]
    ), []


def _agree(rows: list[OfferRow]) -> list[str]:
    """A supplier's and a branch's details must not differ between rows; a part appears once per branch."""
    errors: list[str] = []
    seen: dict[tuple[str, ...], tuple[int, object]] = {}
    checks = (("supplier", ("supplier_type", "authorized", "timezone")),
              ("branch", ("branch_name", "branch_city", "branch_state", "cutoff_time", "will_call")))
    for row in rows:
        who, branch = row.supplier.lower(), (row.supplier.lower(), row.branch_code.lower())
        for scope, names in checks:
            for name in names:
                current = getattr(row, name)
                key = (scope, *(branch if scope == "branch" else (who,)), name)
                if current is None:
                    continue
                first = seen.setdefault(key, (row.line, current))
                if first[1] != current:
                    errors.append(f"row {row.line}: {name} '{current}' differs from row {first[0]} ('{first[1]}')")
        part = ("part", *branch, row.part_number_norm)
        first_part = seen.setdefault(part, (row.line, row.part_number))
        if first_part[0] != row.line:
            errors.append(f"row {row.line}: part_number '{row.part_number}' at branch '{row.branch_code}' of "
                          f"'{row.supplier}' repeats row {first_part[0]}")
    return errors


def read_supplier_csv(content: str) -> list[OfferRow]:
    """The rows of a supplier price file, row numbers as a spreadsheet shows them (the header is row 1).

    Raises:
        SupplierFileError: the header lacks a required column or names an unknown one, or any row is bad.
    """
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    header = [(h or "").strip().lower() for h in reader.fieldnames or []]
    if not any(header):
        raise SupplierFileError(["the file is empty: the first row must name the columns"])
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing or unknown:
        raise SupplierFileError(
            ([f"header: missing column(s) {', '.join(missing)}"] if missing else []) +
            ([f"header: unknown column(s) {', '.join(repr(u) for u in unknown)} (known: {', '.join(COLUMNS)})"]
             if unknown else []))
    reader.fieldnames = header
    rows: list[OfferRow] = []
    errors: list[str] = []
    for cells in reader:
        line = reader.line_num
        if not any((v or "").strip() for k, v in cells.items() if k is not None):
            continue  # a blank line
        if None in cells:
            errors.append(f"row {line}: more cells than columns")
            continue
        row, problems = _row(line, cells)
        errors += problems
        if row is not None:
            rows.append(row)
    errors += _agree(rows)
    if not rows and not errors:
        errors.append("the file has a header but no rows")
    if errors:
        raise SupplierFileError(sorted(errors, key=_line_of))
    return rows


def _line_of(error: str) -> int:
    found = re.match(r"row (\d+):", error)
    return int(found.group(1)) if found else 0
