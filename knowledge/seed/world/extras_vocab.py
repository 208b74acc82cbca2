"""What tells one generated benchmark part from its siblings: build options, packaging, revision and the
installs it is used on, per trade.

A real 100k-part catalog holds many variants of each kind of part, but each variant differs in something a
technician reads (hand, voltage, connector, pack size). Benchmark parts that differed only by a random
series code would embed as dozens of identical vectors, which no real catalog looks like and which makes
"the" ten nearest neighbours a coin toss.
"""

from __future__ import annotations

import random
import re

OPTIONS: dict[str, tuple[str, ...]] = {
    "elevator": (
        "left hand", "right hand", "front opening", "rear opening", "center opening", "side opening",
        "with encoder", "with wiring harness", "24 VDC coil", "110 VAC coil", "48 VDC", "CE marked",
        "seismic rated", "stainless faceplate", "brushed brass finish", "braille plate", "vandal resistant",
        "retrofit kit", "with bracket", "low profile", "heavy duty", "fire service rated", "two-speed",
        "high-rise", "for glass doors", "for freight cars", "IP54", "LED", "incandescent", "metric thread",
    ),
    "hvac": (
        "with mounting bracket", "quick-connect terminals", "1/2 in flare", "3/8 in sweat", "24 VAC",
        "120 VAC", "230 VAC", "460 VAC", "ECM", "PSC", "CW rotation", "CCW rotation", "outdoor rated",
        "corrosion coated", "high temperature", "low ambient", "coastal coating", "with gasket",
        "universal fit", "reversible", "two-stage", "variable speed", "with wiring pigtail", "copper",
        "aluminum", "Schrader port", "manual reset", "auto reset", "NEMA 3R", "pack of 2",
    ),
    "electrical": (
        "NEMA 1", "NEMA 3R", "NEMA 4X", "IP65", "DIN rail mount", "panel mount", "line side", "load side",
        "copper lugs", "Al/Cu lugs", "600 V", "277 V", "480 V", "120/240 V", "UL listed", "shunt trip",
        "auxiliary contact", "bolt-on", "plug-on", "lug kit", "with neutral", "time delay", "fast acting",
        "ground fault", "arc fault", "2-pole", "3-pole", "pack of 10", "box of 25", "screw terminals",
    ),
    "medical": (
        "reusable", "disposable", "adult", "pediatric", "neonatal", "10 ft", "3 m", "latex-free",
        "sterile", "box of 10", "case of 20", "Philips connector", "GE connector", "Masimo compatible",
        "Nellcor compatible", "reprocessed", "service kit", "rev C", "rev D", "with lead wires",
        "grabber ends", "snap ends", "single patient use", "MR conditional", "AAMI color code",
        "IEC color code", "5-lead", "3-lead", "rechargeable", "long life",
    ),
    "general": (
        "pack of 5", "pack of 12", "box of 100", "metric", "imperial", "zinc plated", "stainless",
        "heavy duty", "compact", "with case", "insulated", "magnetic", "quart", "gallon", "tube",
    ),
}

USES: dict[str, tuple[str, ...]] = {
    "elevator": (
        "Used on mid-rise traction installs.", "Fits most hydraulic modernizations of the 1990s.",
        "Often swapped during door equipment upgrades.", "Specified for hospital and high-traffic cars.",
        "Common on freight and service elevators.", "Used in machine-room-less retrofits.",
        "Replaces field-repaired units on older controllers.", "Typical on low-rise residential cars.",
    ),
    "hvac": (
        "Used on packaged rooftop units.", "Common on residential split systems.",
        "Fits most light-commercial heat pumps.", "Specified for coastal installs.",
        "Typical replacement on 10 to 15 year old equipment.", "Used on chillers and air handlers.",
        "Frequent swap on furnace no-heat calls.", "Works with most two-stage thermostats.",
    ),
    "electrical": (
        "Used in commercial distribution panels.", "Common in residential load centers.",
        "Fits motor control centers.", "Specified for industrial control panels.",
        "Typical in tenant fit-outs.", "Used on HVAC disconnects.", "Common on lighting circuits.",
        "Used in switchboards and panelboards.",
    ),
    "medical": (
        "Used in ICU and step-down units.", "Common in emergency departments.",
        "Fits transport monitors.", "Specified for operating rooms.", "Typical in outpatient clinics.",
        "Used with bedside and central monitoring.", "Common in neonatal units.",
        "Frequent swap during preventive maintenance.",
    ),
    "general": (
        "Kept on most service trucks.", "Shop supply for every trade.", "Used in preventive maintenance.",
        "Common consumable on service calls.",
    ),
}

_LETTERS = "ABCDEFGHJKLMNPRSTUVWXY"


_REVISION = re.compile(rf", rev [{_LETTERS}][1-9]$")


def distinguishing_name(base: str, trade: str, rng: random.Random) -> str:
    """`base` plus one or two build options and a revision, e.g. "Door operator AT120, left hand, 24 VDC
    coil, rev K3"."""
    options = rng.sample(OPTIONS[trade], rng.choice((1, 2, 2, 3)))
    revision = f"rev {_LETTERS[rng.randrange(len(_LETTERS))]}{rng.randrange(1, 10)}"
    return ", ".join((base, *options, revision))


def is_build_of(name: str, base: str) -> bool:
    """Whether `name` is one `distinguishing_name` makes from `base`."""
    return name.startswith(f"{base}, ") and _REVISION.search(name) is not None


def usage_note(trade: str, rng: random.Random) -> str:
    return rng.choice(USES[trade])
