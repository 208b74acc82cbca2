"""Equipment models, compatibility picking, and the installed base at Denver customer sites."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from knowledge.seed.world.equipment_data import ALL_MODELS, Model, base_specs
from knowledge.seed.world.ids import make_id, norm_model

Fit = tuple[str, str, str]  # (model name, fit, source)


def _aliases(model: str, extra: Sequence[str]) -> list[str]:
    out: list[str] = []
    compact = model.replace(" ", "").replace("-", "")
    for alias in (*extra, compact, model.upper(), model.replace(" ", "-")):
        if alias != model and alias not in out:
            out.append(alias)
    return out


@dataclass
class ModelIndex:
    rows: list[dict[str, Any]] = field(default_factory=list)
    by_name: dict[str, Model] = field(default_factory=dict)
    id_of: dict[str, Any] = field(default_factory=dict)

    def of_maker(self, trade: str, maker: str, etypes: Sequence[str] = ()) -> list[str]:
        return [m[3] for m in ALL_MODELS if m[0] == trade and m[2] == maker and (not etypes or m[1] in etypes)]

    def of_trade(self, trade: str, etypes: Sequence[str] = (), makers: Sequence[str] = ()) -> list[str]:
        return [m[3] for m in ALL_MODELS
                if m[0] == trade and (not etypes or m[1] in etypes) and (not makers or m[2] in makers)]

    def maker_of(self, model: str) -> str:
        return self.by_name[model][2]


def build_models() -> ModelIndex:
    index = ModelIndex()
    for trade, etype, maker, model, extra, year in ALL_MODELS:
        if model in index.by_name:
            raise ValueError(f"duplicate equipment model name {model}")
        row_id = make_id("equipment_models", f"{maker}|{model}")
        index.by_name[model] = (trade, etype, maker, model, extra, year)
        index.id_of[model] = row_id
        index.rows.append({
            "id": row_id, "trade": trade, "equipment_type": etype, "manufacturer": maker, "model": model,
            "model_norm": norm_model(model), "aliases": _aliases(model, extra),
            "specifications": base_specs(etype), "introduced_year": year,
        })
    return index


def pick_compat(rng: random.Random, index: ModelIndex, trade: str, maker: str, etypes: Sequence[str],
                n_range: tuple[int, int], compat_makers: Sequence[str] = (), fits: str | None = None) -> list[Fit]:
    """1–6 equipment models a part fits, consistent with its maker (or the makers its kind is sold into)."""
    lo, hi = n_range
    if hi == 0:
        return []
    n = rng.randint(lo, hi)
    chosen: list[str] = []
    if fits:
        chosen.append(fits)
        etype = index.by_name[fits][1]
        siblings = [m for m in index.of_maker(trade, maker, (etype,)) if m != fits]
        if trade != "medical":
            chosen.extend(rng.sample(siblings, min(len(siblings), rng.randint(0, 2))))
    else:
        pool = index.of_maker(trade, maker, etypes) or index.of_maker(trade, maker)
        if compat_makers:
            pool = index.of_trade(trade, etypes, compat_makers) or index.of_trade(trade, (), compat_makers)
        if not pool:
            pool = index.of_trade(trade, etypes) or index.of_trade(trade)
        chosen = rng.sample(pool, min(len(pool), max(n, 1)))
    out: list[Fit] = []
    for model in chosen:
        same = index.maker_of(model) == maker
        fit = "direct" if same or rng.random() < 0.85 else "with_adapter"
        source = "oem" if same or rng.random() < 0.6 else "field_verified"
        out.append((model, fit, source))
    return out


SITES: tuple[tuple[str, str, float, float, str], ...] = (
    # (site name, street address, lat, lng, kind)
    ("Brown Palace Hotel", "321 17th St, Denver, CO 80202", 39.7447, -104.9878, "hotel"),
    ("Hyatt Regency Denver", "650 15th St, Denver, CO 80202", 39.7442, -104.9943, "hotel"),
    ("Grand Hyatt Denver", "1750 Welton St, Denver, CO 80202", 39.7459, -104.9892, "hotel"),
    ("Four Seasons Denver", "1111 14th St, Denver, CO 80202", 39.7466, -104.9990, "hotel"),
    ("Sheraton Denver Downtown", "1550 Court Pl, Denver, CO 80202", 39.7420, -104.9895, "hotel"),
    ("Gaylord Rockies Resort", "6700 N Gaylord Rockies Blvd, Aurora, CO 80019", 39.8113, -104.7675, "hotel"),
    ("Denver Health Medical Center", "777 Bannock St, Denver, CO 80204", 39.7276, -104.9913, "hospital"),
    ("Presbyterian/St. Luke's Medical Center", "1719 E 19th Ave, Denver, CO 80218", 39.7460, -104.9664, "hospital"),
    ("Rose Medical Center", "4567 E 9th Ave, Denver, CO 80220", 39.7310, -104.9340, "hospital"),
    ("UCHealth Anschutz Inpatient Pavilion", "12605 E 16th Ave, Aurora, CO 80045", 39.7426, -104.8410, "hospital"),
    ("Swedish Medical Center", "501 E Hampden Ave, Englewood, CO 80113", 39.6530, -104.9820, "hospital"),
    ("Lutheran Medical Center", "8300 W 38th Ave, Wheat Ridge, CO 80033", 39.7690, -105.0870, "hospital"),
    ("Republic Plaza", "370 17th St, Denver, CO 80202", 39.7437, -104.9890, "office"),
    ("Wells Fargo Center", "1700 Lincoln St, Denver, CO 80203", 39.7440, -104.9860, "office"),
    ("1801 California", "1801 California St, Denver, CO 80202", 39.7468, -104.9883, "office"),
    ("Seventeenth Street Plaza", "1225 17th St, Denver, CO 80202", 39.7500, -104.9960, "office"),
    ("Denver Tech Center Tower II", "7900 E Union Ave, Denver, CO 80237", 39.6270, -104.8950, "office"),
    ("Cherry Creek Shopping Center", "3000 E 1st Ave, Denver, CO 80206", 39.7187, -104.9530, "retail"),
    ("Denver Union Station", "1701 Wynkoop St, Denver, CO 80202", 39.7527, -105.0002, "transit"),
    ("Colorado Convention Center", "700 14th St, Denver, CO 80202", 39.7424, -104.9972, "venue"),
    ("Ball Arena", "1000 Chopper Cir, Denver, CO 80204", 39.7487, -105.0077, "venue"),
    ("Auraria Campus Library", "1100 Lawrence St, Denver, CO 80204", 39.7439, -105.0055, "campus"),
    ("Lakewood Civic Center", "480 S Allison Pkwy, Lakewood, CO 80226", 39.7059, -105.0820, "office"),
    ("FlatIron Crossing", "1 W FlatIron Crossing Dr, Broomfield, CO 80021", 39.9290, -105.1340, "retail"),
    ("Boulder Community Health Foothills", "4747 Arapahoe Ave, Boulder, CO 80303", 40.0150, -105.2330, "hospital"),
    ("Park Meadows Mall", "8401 Park Meadows Center Dr, Lone Tree, CO 80124", 39.5620, -104.8760, "retail"),
)
