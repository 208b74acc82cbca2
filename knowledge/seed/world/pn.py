"""Part-number styles per manufacturer: a tiny pattern language plus the per-maker pattern lists.

Pattern tokens: ``{Nd}`` N digits, ``{NL}`` N upper-case letters (no I/O), ``{NX}`` N letters or digits;
everything else is literal. E.g. Otis ``GAA{5d}{2L}{1d}`` → ``GAA26800LC1``.
"""

from __future__ import annotations

import random
import re

_TOKEN = re.compile(r"\{(\d+)([dLX])\}")
_LETTERS = "ABCDEFGHJKLMNPRSTUVWXY"
_ALNUM = _LETTERS + "0123456789"

STYLES: dict[str, tuple[str, ...]] = {
    # elevator
    "Otis": ("GAA{5d}{2L}{1d}", "GBA{5d}{1L}{1d}", "ABA{5d}{1L}{1d}", "GAA{5d}{1L}{1d}", "KAA{5d}{2L}{1d}",
             "GCA{5d}{1L}{1d}", "AAA{5d}{1L}{1d}"),
    "KONE": ("KM{6d}G{2d}", "KM{8d}", "KM{6d}H{2d}"),
    "Schindler": ("5{7d}", "ID {6d}", "59{6d}"),
    "ThyssenKrupp": ("6300{2L}{4d}", "EP{5d}{1L}", "TK{6d}"),
    "TK Elevator": ("TKE{6d}{1L}", "6301{2L}{4d}"),
    "Mitsubishi": ("YA{3d}{1L}{3d}-{2d}", "P{6d}B{3d}G{2d}", "X{2d}{1L}{5d}"),
    "Fujitec": ("FJ{1L}-{4d}{1L}", "CP{2d}-{4d}", "EZ{3d}{2L}"),
    "Hollister-Whitney": ("HW-{3d}-{2L}", "{3d}-{3d}{1L}"),
    "GAL": ("GAL-{4d}-{1L}{1d}", "MOV{1L}{1d}-{3d}", "GALX-{4d}{2L}"),
    "MCE": ("HC-{2L}{3d}", "MCE-{2L}-{4d}", "SC-{3L}-{1L}"),
    "Dover": ("{2d}{1L}{4d}{1L}", "DV{5d}{1L}"),
    "Fermator": ("FER-{5d}-{1L}", "VF{1d}-{4d}"),
    "Janus": ("PAN{2d}-{4d}", "JEP-{4d}{1L}"),
    "CEDES": ("CEG-{6d}", "{6d}-{1L}{2d}"),
    "Magnetek": ("HPV{3d}-{4d}-{1d}{1L}{1d}", "MAG-{5d}"),
    "KEB": ("{2d}F5A{1L}{1L}-{4d}", "KEB-{6d}"),
    "Dynapar": ("HS35R{4d}{1L}{3d}", "HA{3d}{1L}{4d}"),
    "Maxton": ("UC{1d}{1L}-{1d}", "MX-{4d}{1L}"),
    "Adams": ("AEE-{4d}{1L}", "A-{5d}"),
    # hvac
    "Carrier": ("HH{2d}{2L}{3d}", "HK{2d}{2L}{3d}", "HC{2d}{2L}{3d}", "HN{2d}{2L}{3d}", "LA{2d}{2L}{3d}",
                "P{3d}-{4d}"),
    "Trane": ("MOT{5d}", "CNT{5d}", "BRD{5d}", "SEN{5d}", "VAL{5d}", "X{8d}"),
    "Lennox": ("{6d}-{2d}", "{2d}{1L}{2d}", "LB-{6d}{1L}"),
    "York": ("S1-0{7d}000", "S1-{3d}-{5d}-{3d}"),
    "Honeywell": ("TH{4d}{1L}{4d}", "V{4d}{1L}{4d}", "R{4d}{1L}{4d}", "S{4d}{1L}{4d}", "C{4d}{1L}{4d}",
                  "Q{4d}{1L}{4d}"),
    "Copeland": ("3D{1L}3R{2d}ME-TFC-{3d}", "0{2d}-{4d}-{2d}", "4D{1L}3R{2d}ME-TFD-{3d}"),
    "White-Rodgers": ("{2d}{1L}{2d}-{3d}", "{1d}F{2d}-{3d}", "{2d}{1L}{2d}-{1d}{2d}"),
    "Daikin": ("{4d}R{5d}", "B{4d}-{4d}", "{7d}{1L}"),
    "Danfoss": ("0{2d}U{4d}", "{3d}F{4d}", "{3d}Z{4d}", "{3d}B{4d}"),
    "Sporlan": ("{3d}{3d}", "E{1d}S{3d}", "SEHI-{3d}-{1L}"),
    "Genteq": ("{4d}{1L}", "5KCP{2d}{1L}{3L}{3d}{1L}", "5SME{2d}{3L}{4d}"),
    "Belimo": ("{2L}24-{2L} US", "{3L}24-{1d}-{1L} US", "{2L}{1L}24-{3L} US"),
    "Titan": ("PRCFD{3d}", "TRCFD{3d}", "PRC{2d}{1d}"),
    "AAF Flanders": ("{3d}-{3d}-{3d}", "AF{5d}"),
    "Camfil": ("{2d}{4d}-{3d}", "CF{5d}{1L}"),
    "Nidec": ("{4d}", "{4d}{1L}"),
    "A.O. Smith": ("F48{1L}{2d}A{2d}", "OQ{4d}"),
    "Fasco": ("D{4d}", "A{3d}"),
    "Johnson Controls": ("A{3d}{3L}-{1d}C", "PS-{4d}"),
    # electrical
    "Square D": ("9001K{1L}{1d}", "8501X{1L}{2d}", "9070T{3d}D{1d}", "H{3d}N{1L}", "9007C{2L}{1d}", "XB4B{2L}{2d}"),
    "Eaton": ("XT{2L}{3d}{1L}{2d}", "DH{3d}{3L}", "C{3d}{1L}{2d}", "E{2d}{3L}{3d}"),
    "Siemens": ("3R{1L}{4d}-{1d}{2L}{2d}", "5SY{5d}", "{1L}{3d}{1L}{2d}"),
    "ABB": ("AF{2d}-{2d}-{2d}-{2d}", "S{3d}-{1L}{2d}", "1SBL{6d}R{4d}"),
    "GE": ("CR{3d}{1L}{3d}", "TH{2L}{4d}", "{3L}{5d}"),
    "Allen-Bradley": ("800T-{3d}{1L}", "800FP-{1L}{2d}", "802T-{1L}{2d}", "1492-{2L}{1d}{1L}{3d}"),
    "Omron": ("G2R-{1d}-{1L}{1d}", "H3CR-{1L}{1d}", "E3Z-{1L}{2d}"),
    "Hubbell": ("HBL{4d}", "HBL{4d}{1L}", "HBL{3d}{2L}"),
    "Bussmann": ("FRN-R-{2d}", "LPJ-{2d}SP", "KTK-R-{2d}"),
    "Littelfuse": ("KLDR{3d}", "LLSRK{3d}", "JTD{3d}ID"),
    "Idec": ("RH{1d}B-U{1L}C{3d}V", "RU{1d}S-{1L}-{1L}{3d}"),
    "Macromatic": ("TR-{5d}", "PMD-{4d}{1L}"),
    "Cutler-Hammer": ("CH-{5d}", "C{3d}{2L}{2d}"),
    # medical
    "GE Healthcare": ("{7d}-{3d}", "{7d}"),
    "Philips": ("M{4d}A", "9898{8d}", "M{4d}{2L}", "453564{6d}"),
    "Siemens Healthineers": ("{8d}", "{7d}"),
    "Stryker": ("{4d}-{3d}-{3d}", "{4d}-{3d}-{3d}{1L}"),
    "Hill-Rom": ("P{4d}{1L}{2d}", "{3d}{1L}{3d}", "SA{4d}"),
    "Baxter": ("{1d}{1L}{4d}", "BAX{6d}"),
    "BD Alaris": ("1000{4d}", "TC{8d}", "{5d}-{2d}"),
    "Mindray": ("{4d}-{2d}-{5d}", "{3d}-{6d}-{2d}"),
    "Masimo": ("{4d}", "{4d}-{1d}"),
    "Drager": ("MS{5d}", "{7d}", "MK{5d}"),
    "Welch Allyn": ("{4d}-{2d}", "{6d}", "{3L}-{2d}"),
    "Nellcor": ("{2L}-{3d}{1L}", "{3L}-{1L}{2d}"),
    "Medtronic": ("{3d}-{5d}", "PB{4d}"),
    "Zoll": ("{4d}-{4d}", "{4d}-{3d}"),
    # general
    "Fluke": ("FLUKE-{3d}", "FLUKE-{2d}{1L}"),
    "Klein Tools": ("{5d}", "{2L}{4d}"),
    "Mobil": ("MOB-{6d}", "DTE{2d}-{1d}G"),
    "Lubriplate": ("L{4d}-{3d}", "LUB-{4d}"),
    "Fastenal": ("{7d}", "FAS-{6d}"),
}


Segment = str | tuple[str, int]
_COMPILED: dict[str, list[Segment]] = {}


def _compile(pattern: str) -> list[Segment]:
    segments: list[Segment] = []
    pos = 0
    for match in _TOKEN.finditer(pattern):
        if match.start() > pos:
            segments.append(pattern[pos:match.start()])
        kind = match.group(2)
        pool = "0123456789" if kind == "d" else _LETTERS if kind == "L" else _ALNUM
        segments.append((pool, int(match.group(1))))
        pos = match.end()
    if pos < len(pattern):
        segments.append(pattern[pos:])
    return segments


def render(pattern: str, rng: random.Random) -> str:
    segments = _COMPILED.get(pattern)
    if segments is None:
        segments = _COMPILED[pattern] = _compile(pattern)
    return "".join(seg if isinstance(seg, str) else "".join(rng.choices(seg[0], k=seg[1])) for seg in segments)


def styled_number(maker: str, rng: random.Random) -> str:
    patterns = STYLES.get(maker) or ("{3L}-{5d}",)
    return render(rng.choice(patterns), rng)


def older_revision(part_number: str) -> str | None:
    """A plausible earlier revision of ``part_number`` (last digit/letter or dash suffix stepped back)."""
    last = part_number[-1]
    if last.isdigit() and last != "0":
        return part_number[:-1] + str(int(last) - 1)
    if last.isalpha() and last > "A":
        return part_number[:-1] + chr(ord(last) - 1)
    match = re.search(r"-(\d{2,3})$", part_number)
    if match and int(match.group(1)) > 0:
        width = len(match.group(1))
        return part_number[: match.start(1)] + f"{int(match.group(1)) - 1:0{width}d}"
    return None
