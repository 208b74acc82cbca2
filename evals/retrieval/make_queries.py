"""Regenerate search_queries.jsonl: the labeled part-search query set over the deterministic demo world.

Number-style queries (exact, typo, OCR, superseded, spaced) are derived from the catalog with a fixed seed;
the natural-language ones (description, synonym, equipment_scoped) are hand-written below, and each is checked
to match exactly one current catalog part (older revisions of that same part are allowed to match too).

    python -m evals.retrieval.make_queries
"""

from __future__ import annotations

import itertools
import json
import random
import re
from pathlib import Path
from typing import Any

from evals.retrieval.spec_queries import SPEC_CURATED, spec_expected
from knowledge.partnumbers import normalize_part_number
from knowledge.seed.world import build_world
from knowledge.seed.world.equipment_data import ALL_MODELS

OUT = Path(__file__).with_name("search_queries.jsonl")
Ref = tuple[str, str]  # (manufacturer, part number) or (manufacturer, "name:" + part name)

# (kind, query as a technician types it, expected part, filters)
CURATED: tuple[tuple[str, str, Ref, dict[str, str]], ...] = (
    ("description", "otis gen2 door operator", ("Otis", "GAA24350BH1"), {}),
    ("description", "4 ton scroll compressor 410a copeland", ("Copeland", "ZP49K5E-PFV-800"), {}),
    ("description", "square d 40 amp contactor 120v coil", ("Square D", "LC1D40AG7"), {}),
    ("description", "adult reusable spo2 sensor for intellivue", ("Philips", "M1191BL"), {}),
    ("description", "lcb ii logic board otis", ("Otis", "GAA26800LC1"), {}),
    ("description", "kone lce cpu board monospace", ("KONE", "KM713160G01"), {}),
    ("description", "schindler 3300 main control board", ("Schindler", "59313150"), {}),
    ("description", "40 amp hpv 900 drive 460v", ("Magnetek", "HPV900-4040-2E1-01"), {}),
    ("description", "gal movfr door operator", ("GAL", "MOVFR-AC-A2"), {}),
    ("description", "trane xr16 defrost board", ("Trane", "CNT05096"), {}),
    ("description", "carrier 59tp6 furnace control board", ("Carrier", "HH84AA021"), {}),
    ("description", "york 2 pole 40 amp contactor 24v coil", ("York", "S1-02544303000"), {}),
    ("description", "honeywell t6 pro thermostat heat pump", ("Honeywell", "TH6220U2000"), {}),
    ("description", "3/4 sweat zone valve 24v honeywell", ("Honeywell", "V8043E1012"), {}),
    ("description", "belimo spring return actuator 35 in-lb 2-10v", ("Belimo", "LF24-SR US"), {}),
    ("description", "genteq condenser fan motor 1/3 hp 1075 rpm 230v", ("Genteq", "3007F"), {}),
    ("description", "trane condenser fan motor 1/4 hp 825 rpm 208-230v", ("Trane", "MOT18143"), {}),
    ("description", "carrier 40/5 dual run capacitor 440v", ("Carrier", "P291-4053RS"), {}),
    ("description", "philips heartstart mrx battery", ("Philips", "M3538A"), {}),
    ("description", "carescape b650 battery", ("GE Healthcare", "2062895-001"), {}),
    ("description", "sigma spectrum pump battery", ("Baxter", "35723"), {}),
    ("description", "stryker power pro xt cot battery", ("Stryker", "6500-001-430"), {}),
    ("description", "hill-rom progressa head motor", ("Hill-Rom", "P7500A01"), {}),
    ("description", "masimo lncs dci adult sensor", ("Masimo", "1863"), {}),
    ("description", "acuson 6c1 hd probe", ("Siemens Healthineers", "10789391"), {}),
    ("description", "mobil dte 24 hydraulic oil 5 gallon", ("Mobil", "DTE24-5G"), {}),
    ("description", "hubbell 20 amp spec grade duplex receptacle", ("Hubbell", "HBL5362"), {}),
    ("description", "eaton 30 amp heavy duty fusible disconnect 3 pole", ("Eaton", "DH361FGK"), {}),
    ("description", "homeline 2 pole 30 amp breaker", ("Square D", "HOM230"), {}),
    ("description", "bussmann 30 amp rk5 fuse 250v", ("Bussmann", "FRN-R-30"), {}),
    ("synonym", "txv 4 ton 410a sporlan", ("Sporlan", "BBIZE-4-GA"), {}),
    ("synonym", "vfd for kone monospace v3f16", ("KONE", "KM50006052"), {}),
    ("synonym", "otis regen inverter gen2", ("Otis", "ABA21700X1"), {}),
    ("synonym", "door motor at400 gen2", ("Otis", "GAA24350BH1"), {}),
    ("synonym", "dual cap 40/5 440v carrier", ("Carrier", "P291-4053RS"), {}),
    ("synonym", "furnace ifc 59tp6", ("Carrier", "HH84AA021"), {}),
    ("synonym", "pulse ox probe intellivue adult reusable", ("Philips", "M1191BL"), {}),
    ("synonym", "bp cuff adult welch allyn size 11", ("Welch Allyn", "REUSE-11"), {}),
    ("synonym", "tstat t6 pro honeywell", ("Honeywell", "TH6220U2000"), {}),
    ("synonym", "ice cube relay 120v allen bradley dpdt", ("Allen-Bradley", "700-HA32A1"), {}),
    ("synonym", "disco 30a 3 pole heavy duty eaton fusible", ("Eaton", "DH361FGK"), {}),
    ("synonym", "trane rtrm board voyager", ("Trane", "BRD04864"), {}),
    ("synonym", "microtech board daikin rebel", ("Daikin", "910116298"), {}),
    ("synonym", "otis pvt encoder elevonic 411", ("Otis", "GAA21750AK3"), {}),
    ("synonym", "defib battery heartstart mrx", ("Philips", "M3538A"), {}),
    ("equipment_scoped", "door operator for a gen2", ("Otis", "GAA24350BH1"), {"compatible_with": "Gen2"}),
    ("equipment_scoped", "lcb2 for 411m", ("Otis", "GAA26800LC1"), {"compatible_with": "Elevonic 411M"}),
    ("equipment_scoped", "door controller board for gen2 comfort", ("Otis", "GBA21230F1"),
     {"compatible_with": "Gen2 Comfort"}),
    ("equipment_scoped", "v3f16 drive monospace 500", ("KONE", "KM50006052"), {"compatible_with": "MonoSpace 500"}),
    ("equipment_scoped", "spo2 sensor for mx450", ("Philips", "M1191BL"), {"compatible_with": "IntelliVue MX450"}),
    ("equipment_scoped", "battery for alaris 8015", ("BD Alaris", "10013445"), {"compatible_with": "Alaris 8015"}),
    ("equipment_scoped", "5 lead aami ecg cable for mx800", ("Philips", "989803194541"),
     {"compatible_with": "IntelliVue MX800"}),
    ("equipment_scoped", "scroll compressor for xr14 4 ton", ("Copeland", "ZP49K5E-PFV-800"),
     {"compatible_with": "XR14"}),
    ("equipment_scoped", "txv for xc21 4 ton", ("Sporlan", "BBIZE-4-GA"), {"compatible_with": "XC21"}),
    ("equipment_scoped", "defrost board for 25hcc5", ("Carrier", "HK38EA021"), {"compatible_with": "25HCC5"}),
    ("equipment_scoped", "maxton valve for endura", ("Maxton", "UC4M-1"), {"compatible_with": "Endura"}),
    ("equipment_scoped", "adult flow sensor evita v500", ("Drager", "8410185"), {"compatible_with": "Evita V500"}),
    ("equipment_scoped", "hydraulic pump for power-pro xt", ("Stryker", "6506-040-000"),
     {"compatible_with": "Power-PRO XT"}),
    ("equipment_scoped", "main board beneview t5", ("Mindray", "0010-10-42638"), {"compatible_with": "BeneView T5"}),
    ("equipment_scoped", "c5-1 probe for affiniti 70", ("Philips", "989605356431"), {"compatible_with": "Affiniti 70"}),
)
EXACT_FIRST = ("GAA26800LC1", "GBA21230F1", "ABA21700X1", "GAA24350BH1", "KM713160G01", "KM50006052", "59313150",
               "ID 591882", "HH84AA021", "HK38EA021", "MOT18143", "CNT05096", "S1-02544303000", "TH6220U2000",
               "V8043E1012", "ZP54K5E-PFV-800", "50E47-843", "LF24-SR US", "QO120", "HOM230", "LC1D18G7", "BR120",
               "CH230", "Q120", "3RT2026-1AK60", "100-C09D10", "700-HA32A1", "MY2N-AC120", "M3535A",
               "989803194541")
SUPERSEDED_FIRST = ("GAA26800KY1", "GAA24350AH", "59302006", "GBA21230D1", "M1191A", "KM713150G02",
                    "TH6220D1002", "50A50-241")

# ---- token matching used to prove each hand-written query identifies one part
STOP = {"for", "a", "an", "the", "on", "with", "to", "of", "in", "my", "need", "i", "and", "any", "unit"}
UNITS = {"amp": "a", "amps": "a", "a": "a", "volt": "v", "volts": "v", "v": "v", "vac": "v", "ton": "ton",
         "tons": "ton", "hp": "hp", "kw": "kw", "ppr": "ppr", "mm": "mm", "in": "in", "inch": "in", "mfd": "mfd",
         "va": "va", "kva": "kva", "psi": "psi", "fpm": "fpm", "lb": "lb", "gal": "gal", "gallon": "gal",
         "pole": "p", "poles": "p", "p": "p", "beam": "beam", "lead": "lead"}


def tokens(text: str, drop_stop: bool = True) -> list[str]:
    raw = re.findall(r"[a-z0-9]+(?:\.[0-9]+)?", text.lower())
    out: list[str] = []
    for tok in raw:
        if out and out[-1].replace(".", "").isdigit() and tok in UNITS:
            out[-1] += UNITS[tok]
            continue
        if drop_stop and tok in STOP:
            continue
        out.append(tok[:-1] if len(tok) > 3 and tok.endswith("s") and tok.isalpha() else tok)
    return out


def part_tokens(part: dict[str, Any], aliases: dict[str, list[str]]) -> set[str]:
    fields = [part["name"], part["manufacturer"], part["subcategory"] or "", part["trade"],
              *part["keywords"]]
    for model in part["compatible_equipment"]:
        fields += [model, *aliases.get(model, [])]
    fields += [str(v) for v in part["specifications"].values()]
    toks: set[str] = set()
    for field in fields:
        words = tokens(field.replace("_", " "), drop_stop=False)
        toks.update(words)
        toks.update(a + b for a, b in itertools.pairwise(words))
        toks.update(m.group(1) for w in words if (m := re.fullmatch(r"([0-9.]+)[a-z]+", w)))
    return toks


def matches(query: str, toks: set[str]) -> bool:
    words = tokens(query)
    i = 0
    while i < len(words):
        if i + 1 < len(words) and words[i] + words[i + 1] in toks:
            i += 2
        elif words[i] in toks:
            i += 1
        else:
            return False
    return True


# ---- number perturbations
OCR = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "O": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2"}


def typo(pn: str, rng: random.Random) -> str:
    chars = [i for i, c in enumerate(pn) if c.isalnum()]
    kind = rng.choice(["sub", "drop", "swap"])
    i = rng.choice(chars[:-1])
    if kind == "drop":
        return pn[:i] + pn[i + 1:]
    if kind == "swap" and pn[i + 1].isalnum() and pn[i] != pn[i + 1]:
        return pn[:i] + pn[i + 1] + pn[i] + pn[i + 2:]
    pool = "0123456789" if pn[i].isdigit() else "ACDEFGHJKMNPRTUVWXY"
    return pn[:i] + rng.choice([c for c in pool if c != pn[i]]) + pn[i + 1:]


def ocr(pn: str, rng: random.Random) -> str:
    spots = [i for i, c in enumerate(pn) if c in OCR]
    out = list(pn)
    for i in rng.sample(spots, min(len(spots), rng.choice([1, 2]))):
        out[i] = OCR[out[i]]
    text = "".join(out)
    return text.lower() if rng.random() < 0.4 else text


def spaced(pn: str, rng: random.Random) -> str:
    """Same characters, different grouping: separators swapped/removed, or a compact number split up."""
    if re.search(r"[^A-Za-z0-9]", pn):
        text = re.sub(r"[^A-Za-z0-9]+", lambda _: rng.choice([" ", "", "-"]), pn)
        if text == pn:
            text = re.sub(r"[^A-Za-z0-9]+", "", pn)
    else:
        m = re.match(r"^([A-Za-z]+)(\d+)(.*)$", pn) or re.match(r"^(\d+)([A-Za-z]+)(.*)$", pn)
        groups = [g for g in m.groups() if g] if m else [pn[: len(pn) // 2], pn[len(pn) // 2:]]
        if len(groups) < 2:
            groups = [pn[: len(pn) // 2], pn[len(pn) // 2:]]
        text = rng.choice([" ", " ", "-"]).join(groups)
    return text.lower() if rng.random() < 0.5 else text


def build() -> list[dict[str, Any]]:
    world = build_world()
    parts = world.tables["parts_catalog"]
    by_key = {(p["manufacturer"], p["part_number"]): p for p in parts}
    by_name = {(p["manufacturer"], p["name"]): p for p in parts}
    by_pn = {p["part_number"]: p for p in parts}
    norms = {normalize_part_number(p["part_number"]) for p in parts}
    aliases = {m[3]: list(m[4]) for m in ALL_MODELS}
    toks = {p["id"]: part_tokens(p, aliases) for p in parts}

    def head(part: dict[str, Any]) -> dict[str, Any]:
        while part["superseded_by"]:
            part = by_pn[part["superseded_by"]]
        return part

    out: list[dict[str, Any]] = []

    def add(kind: str, query: str, part: dict[str, Any], filters: dict[str, str] | None = None,
            **extra: str) -> None:
        out.append({"id": f"q{len(out) + 1:03d}", "query": query, "kind": kind, "expected": [part["part_number"]],
                    "manufacturer": part["manufacturer"], "filters": filters or {}, **extra})

    rng = random.Random(170)
    current = [p for p in parts if not p["superseded_by"] and not p["supersedes"]
               and re.search(r"[A-Za-z]", p["part_number"]) and re.search(r"\d", p["part_number"])]
    rng.shuffle(current)
    used: set[str] = set()
    for pn in EXACT_FIRST:
        if pn in by_pn:
            add("exact_number", pn, by_pn[pn])
            used.add(pn)
    for p in current:
        if sum(q["kind"] == "exact_number" for q in out) >= 30:
            break
        if p["part_number"] not in used:
            add("exact_number", p["part_number"], p)
            used.add(p["part_number"])
    pool = [p for p in current if p["part_number"] not in used and len(normalize_part_number(p["part_number"])) >= 6]
    for kind, fn, count in (("typo_number", typo, 25), ("ocr_number", ocr, 25), ("spaced_number", spaced, 15)):
        made = 0
        for p in pool:
            if made == count:
                break
            if p["part_number"] in used or (kind == "ocr_number" and not any(c in OCR for c in p["part_number"])):
                continue
            q = fn(p["part_number"], rng)
            folded = normalize_part_number(q)
            if q == p["part_number"] or (kind == "typo_number") == (folded == normalize_part_number(p["part_number"])):
                continue
            if kind == "typo_number" and folded in norms:
                continue
            add(kind, q, p)
            used.add(p["part_number"])
            made += 1
    olds = [p for p in parts if p["superseded_by"]]
    multi = [p for p in olds if p["supersedes"] == [] and by_pn[p["superseded_by"]]["superseded_by"]]
    single = [p for p in olds if p not in multi and not by_pn[p["superseded_by"]]["superseded_by"]]
    famous = [by_pn[pn] for pn in SUPERSEDED_FIRST if pn in by_pn]
    rest = [p for p in multi if p not in famous]
    picks = famous + rng.sample(rest, 12 - sum(p in multi for p in famous)) + rng.sample(single, 13)
    for p in picks[:25]:
        add("superseded_number", p["part_number"], head(p), superseded=p["part_number"])
    for kind, query, (maker, ref), filters in CURATED:
        part = by_name[(maker, ref[5:])] if ref.startswith("name:") else by_key[(maker, ref)]
        family = {id(x) for x in parts if head(x) is part}
        hits = [x for x in parts if id(x) not in family and matches(query, toks[x["id"]])]
        if not matches(query, toks[part["id"]]) or hits:
            raise SystemExit(f"ambiguous or unmatched: {query!r} → {part['part_number']}; also "
                             f"{[(h['manufacturer'], h['part_number'], h['name']) for h in hits[:6]]}")
        if filters and filters["compatible_with"] not in part["compatible_equipment"]:
            raise SystemExit(f"filter does not fit {query!r}")
        add(kind, query, part, filters)
    for spec_query, subcategories, pattern, spec_maker in SPEC_CURATED:
        right = sorted(spec_expected(parts, subcategories, pattern, spec_maker), key=lambda p: p["part_number"])
        if not right:
            raise SystemExit(f"no part fits spec query {spec_query!r}")
        out.append({"id": f"q{len(out) + 1:03d}", "query": spec_query, "kind": "spec",
                    "expected": [p["part_number"] for p in right], "manufacturer": spec_maker or "",
                    "expected_manufacturers": [p["manufacturer"] for p in right], "filters": {}})
    return out


def main() -> None:
    rows = build()
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    print(f"wrote {len(rows)} queries to {OUT}")


if __name__ == "__main__":
    main()
