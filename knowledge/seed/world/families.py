"""Catalog templates: a Family is one kind of part (name pattern, variant axes, makers, specs, price band)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

Variant = dict[str, Any]
PnRule = Callable[[str, Variant], str | None]


def ax(key: str, values: Sequence[Any], f: Sequence[float] | None = None) -> tuple[Variant, ...]:
    """An axis: one dict per value; ``f`` gives per-value price factors (default 1)."""
    factors = list(f) if f is not None else [1.0] * len(values)
    if len(factors) != len(values):
        raise ValueError(f"axis {key}: {len(values)} values, {len(factors)} factors")
    return tuple({key: v, "_f": k} for v, k in zip(values, factors, strict=True))


def rows(*items: Variant) -> tuple[Variant, ...]:
    """An axis given as explicit dicts (several spec keys move together)."""
    return tuple(items)


@dataclass(frozen=True)
class Family:
    key: str
    trade: str
    category: str
    sub: str
    name: str
    makers: tuple[str, ...]
    axes: tuple[tuple[Variant, ...], ...] = ()
    maker_axis: dict[str, tuple[Variant, ...]] = field(default_factory=dict)
    fits: bool = False                      # implicit axis over the maker's equipment models → {fits}
    etypes: tuple[str, ...] = ()            # equipment types this kind of part goes into
    per_maker: int = 6
    price: tuple[float, float] = (50.0, 100.0)
    specs: dict[str, Any] = field(default_factory=dict)
    kw: tuple[str, ...] = ()
    desc: str = ""
    lead: tuple[int, int] = (2, 10)
    n_compat: tuple[int, int] = (1, 4)
    compat_makers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # part maker → equipment makers
    pn: PnRule | None = None
    pool: Callable[[str, Variant], tuple[str, ...]] | None = None  # explicit compat models per variant
    kg: tuple[float, float] = (0.1, 1.0)

    def variants(self, maker: str, fits_models: Sequence[str]) -> list[Variant]:
        """Every variant of this family for ``maker`` (merged axis dicts, price factor multiplied)."""
        axes: list[tuple[Variant, ...]] = []
        if self.maker_axis:
            own = self.maker_axis.get(maker) or self.maker_axis.get("*")
            if not own:
                return []
            axes.append(own)
        axes.extend(self.axes)
        if self.fits:
            if not fits_models:
                return []
            axes.append(tuple({"fits": m, "_f": 1.0} for m in fits_models))
        out: list[Variant] = []
        for combo in itertools.product(*axes) if axes else [()]:
            merged: Variant = {"_f": 1.0}
            for part in combo:
                factor = merged["_f"] * part.get("_f", 1.0)
                merged.update(part)
                merged["_f"] = factor
            out.append(merged)
        return out

    def spec_of(self, variant: Variant) -> dict[str, Any]:
        specs = dict(self.specs)
        specs.update({k: v for k, v in variant.items() if not k.startswith("_") and k != "fits"})
        return specs

    def name_of(self, variant: Variant) -> str:
        return " ".join(self.name.format(**variant).split())


def fraction_hp(value: str) -> float:
    if "/" in value:
        num, den = value.split("/")
        return int(num) / int(den)
    return float(value)
