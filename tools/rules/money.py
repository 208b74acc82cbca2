"""Money: amounts are Decimal cents, shown as people write them ("$1,250", "$42.50")."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def cents(value: Decimal | float | int) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def usd(value: Decimal | float | None, currency: str = "USD") -> str:
    if value is None:
        return "no price"
    amount = f"{Decimal(str(value)):,.2f}".removesuffix(".00")
    return f"${amount}" if currency == "USD" else f"{amount} {currency}"
