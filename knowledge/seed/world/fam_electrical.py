"""Electrical part families (breakers, fuses, transformers, switches, relays, contactors)."""

from __future__ import annotations

from knowledge.seed.world.families import Family, Variant, ax

L = "electrical"
PANEL = ("load_center", "panelboard", "switchboard")
MOTOR = ("mcc",)
MINI_AMPS = {1: (10, 15, 20, 25, 30, 40, 50, 60), 2: (15, 20, 30, 40, 50, 60, 70, 100), 3: (20, 30, 50, 60, 100)}
_SQD_COIL = {"24V": "B7", "120V": "G7", "240V": "U7", "480V": "T7"}
_EATON_COIL = {"24V": "T", "120V": "A", "240V": "B", "480V": "D"}
_SIE_COIL = {"24V": "AC2", "120V": "AK6", "240V": "AN6", "480V": "AR6"}
_AB_COIL = {"24V": "KJ", "120V": "D", "240V": "A", "480V": "B"}
_SIE_SIZE = {9: "16", 12: "17", 18: "25", 25: "26", 32: "27", 40: "35", 50: "36", 65: "37", 80: "45", 95: "46"}
_EATON_FRAME = {9: "B", 12: "B", 18: "C", 25: "D", 32: "D", 40: "F", 50: "F", 65: "F", 80: "G", 95: "G"}
_MINI_SERIES = {"Square D": ("QO", "Homeline", "QOB bolt-on"), "Eaton": ("type BR", "type CH"),
                "Siemens": ("QP",), "GE": ("THQL",)}
_MINI_PREFIX = {"QO": "QO", "Homeline": "HOM", "QOB bolt-on": "QOB", "type BR": "BR", "type CH": "CH", "QP": "Q"}


def _mini_axis(series: tuple[str, ...]) -> tuple[Variant, ...]:
    out: list[Variant] = []
    for s in series:
        for poles, amps_list in MINI_AMPS.items():
            for amps in amps_list:
                out.append({"series": s, "poles": poles, "amps": amps, "_f": poles * (1 + amps / 120)})
    return tuple(out)


def _mini_pn(maker: str, v: Variant) -> str | None:
    if v["series"] == "THQL":
        return f"THQL{v['poles']}1{v['amps']:02d}"
    return f"{_MINI_PREFIX[v['series']]}{v['poles']}{v['amps']}"


_MINI_POOL = {"QO": ("QO Load Center", "NQ Panelboard"), "Homeline": ("Homeline Load Center",),
              "QOB bolt-on": ("NQ Panelboard",), "type BR": ("BR Load Center",),
              "type CH": ("CH Load Center", "Pow-R-Line 1a"), "QP": ("PN Load Center", "P1 Panelboard"),
              "THQL": ("PowerMark Load Center", "A-Series II Panelboard")}


def _mini_pool(maker: str, v: Variant) -> tuple[str, ...]:
    return _MINI_POOL[v["series"]]


def _mccb_pn(maker: str, v: Variant) -> str | None:
    p, a = v["poles"], v["amps"]
    return {"Square D": f"HDL{p}6{a:03d}", "Eaton": f"FD{p}{a:03d}", "Siemens": f"ED4{p}B{a:03d}",
            "GE": f"SEHA{p}6AT{a:04d}", "ABB": f"XT2N{p}{a:03d}TW"}.get(maker)


def _contactor_pn(maker: str, v: Variant) -> str | None:
    amps, coil = v["amps"], v["coil"]
    if maker == "Square D" and coil in _SQD_COIL:
        return f"LC1D{amps:02d}{'A' if amps >= 40 else ''}{_SQD_COIL[coil]}"
    if maker == "Eaton" and coil in _EATON_COIL:
        return f"XTCE{amps:03d}{_EATON_FRAME[amps]}10{_EATON_COIL[coil]}"
    if maker == "Siemens" and coil in _SIE_COIL:
        return f"3RT20{_SIE_SIZE[amps]}-1{_SIE_COIL[coil]}0"
    if maker == "Allen-Bradley" and coil in _AB_COIL:
        return f"100-C{amps:02d}{_AB_COIL[coil]}10"
    if maker == "ABB":
        return f"AF{amps:02d}-30-10-{ {'24V': '11', '120V': '13', '240V': '12', '480V': '14'}[coil] }"
    return None


def _relay_pn(maker: str, v: Variant) -> str | None:
    poles = {"DPDT 8-pin": 2, "3PDT 11-pin": 3, "4PDT 14-pin": 4}[v["form"]]
    kind, volts = v["coil"][-2:], v["coil"].split("V")[0]
    if maker == "Omron":
        return f"MY{poles}N-{kind}{volts}" if poles != 3 else f"LY3N-{kind}{volts}"
    if maker == "Idec":
        return f"RH{poles}B-U{kind}{volts}V"
    if maker == "Allen-Bradley":
        code = {"120AC": "A1", "24AC": "A24", "24DC": "Z24", "12DC": "Z12", "240AC": "A2"}[volts + kind]
        return f"700-HA{30 + poles}{code}"
    return None


def _fuse_pn(maker: str, v: Variant) -> str | None:
    prefix = {("Bussmann", "RK5 250V"): "FRN-R-", ("Bussmann", "RK5 600V"): "FRS-R-",
              ("Bussmann", "J 600V"): "LPJ-", ("Bussmann", "CC 600V"): "LP-CC-",
              ("Littelfuse", "RK5 250V"): "FLNR0", ("Littelfuse", "RK5 600V"): "FLSR0",
              ("Littelfuse", "J 600V"): "JTD0", ("Littelfuse", "CC 600V"): "KLDR0"}[(maker, v["fclass"])]
    suffix = "SP" if prefix == "LPJ-" else "ID" if prefix == "JTD0" else ""
    amps = f"{v['amps']:02d}" if maker == "Littelfuse" else str(v["amps"])
    return f"{prefix}{amps}{suffix}"


def _ctrl_xfmr_pn(maker: str, v: Variant) -> str | None:
    return f"9070T{v['va']}D{1 if v['pri'] == '240/480' else 20}" if maker == "Square D" else None


FAMILIES: tuple[Family, ...] = (
    Family("ec_mini", L, "electrical_breaker", "miniature", "Circuit breaker, {series} {poles}P {amps}A",
           tuple(_MINI_SERIES), maker_axis={m: _mini_axis(s) for m, s in _MINI_SERIES.items()},
           etypes=("load_center", "panelboard"), per_maker=80, price=(7, 22), pn=_mini_pn, pool=_mini_pool,
           specs={"voltage": "120/240V", "interrupting_rating": "10kA"}, kg=(0.1, 0.4),
           kw=("breaker", "circuit breaker", "CB", "plug-on breaker", "MCB"),
           desc="Plug-on miniature breaker, {poles}-pole {amps} A, 120/240 VAC."),
    Family("ec_mccb", L, "electrical_breaker", "molded_case", "Molded case breaker, {frame} {poles}P {amps}A",
           ("Square D", "Eaton", "Siemens", "GE", "ABB"),
           maker_axis={"Square D": ax("frame", ["PowerPact H"]), "Eaton": ax("frame", ["Series C F-frame"]),
                       "Siemens": ax("frame", ["ED4"]), "GE": ax("frame", ["Spectra E-frame"]),
                       "ABB": ax("frame", ["Tmax XT2"])},
           axes=(ax("poles", [2, 3], [0.8, 1.0]),
                 ax("amps", [15, 20, 30, 40, 50, 60, 70, 80, 100, 125, 150], [
                     0.7, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1, 1.1, 1.3, 1.5])),
           etypes=("panelboard", "switchboard", "mcc"), per_maker=12, price=(380, 1600), kg=(1, 3), pn=_mccb_pn,
           kw=("breaker", "MCCB", "molded case", "bolt-on breaker"), specs={"voltage": "600V"},
           desc="Molded case circuit breaker, {frame}, {poles}-pole {amps} A thermal-magnetic trip."),
    Family("ec_din_mcb", L, "electrical_breaker", "din_mcb", "DIN rail MCB {poles}P {amps}A {curve}-curve",
           ("ABB", "Siemens", "Allen-Bradley"),
           axes=(ax("poles", [1, 2, 3], [1, 2, 3]), ax("amps", [2, 6, 10, 16, 20, 32]),
                 ax("curve", ["C", "D"])), per_maker=10, price=(22, 55), etypes=("mcc",), n_compat=(1, 4),
           kw=("breaker", "MCB", "DIN breaker", "supplementary protector"), desc="DIN-rail miniature breaker."),
    Family("ec_fuse", L, "electrical_breaker", "fuse", "Fuse, class {fclass} {amps}A time delay",
           ("Bussmann", "Littelfuse"),
           axes=(ax("fclass", ["RK5 250V", "RK5 600V", "J 600V", "CC 600V"], [1, 1.4, 2.0, 1.5]),
                 ax("amps", [3, 10, 15, 20, 30, 40, 60], [0.9, 0.9, 1, 1, 1.1, 1.4, 1.7])),
           per_maker=28, price=(5, 14), pn=_fuse_pn, etypes=("panelboard", "switchboard", "mcc"),
           kw=("fuse", "time delay fuse", "dual element fuse", "cartridge fuse"), desc="Current-limiting fuse."),
    Family("ec_ctrl_xfmr", L, "electrical_transformer", "control", "Control transformer {va} VA {pri}-{sec}V",
           ("Square D", "Eaton", "Siemens", "Allen-Bradley", "GE"),
           axes=(ax("va", [50, 100, 150, 250, 500, 750, 1000], [0.5, 0.6, 0.7, 0.9, 1.2, 1.5, 1.9]),
                 ax("pri", ["240/480", "208/230/460"]), ax("sec", ["120", "24"])),
           per_maker=28, price=(60, 300), pn=_ctrl_xfmr_pn, etypes=MOTOR, kg=(1, 12),
           kw=("control transformer", "CPT", "transformer", "machine tool transformer"), desc="Industrial CPT."),
    Family("ec_dry_xfmr", L, "electrical_transformer", "dry_type", "Dry type transformer {kva} kVA {pri}-{sec}",
           ("Square D", "Eaton", "Siemens", "GE", "ABB"),
           axes=(ax("kva", [15, 30, 45, 75, 112.5, 150], [0.4, 0.55, 0.7, 1, 1.4, 1.8]),
                 ax("pri", ["480V"]), ax("sec", ["208Y/120V", "240V 1ph"])), per_maker=6, price=(2200, 7800),
           etypes=PANEL, lead=(10, 60), kg=(90, 500), kw=("transformer", "dry type", "step down transformer"),
           desc="Ventilated dry-type transformer, {kva} kVA."),
    Family("ec_safety_sw", L, "electrical_switch", "safety_switch", "Safety switch, {duty} {amps}A {poles}P {fused}",
           ("Square D", "Eaton", "Siemens", "GE"),
           axes=(ax("duty", ["general duty", "heavy duty"], [0.6, 1.0]),
                 ax("amps", [30, 60, 100, 200], [0.5, 0.7, 1.0, 1.8]), ax("poles", [2, 3]),
                 ax("fused", ["fusible", "non-fusible"])), per_maker=8, price=(180, 1200), kg=(3, 20),
           kw=("disconnect", "safety switch", "disco", "knife switch"), desc="NEMA 1 enclosed safety switch."),
    Family("ec_pushbutton", L, "electrical_switch", "pushbutton", "Pushbutton 22mm, {color} {contact}",
           ("Square D", "Allen-Bradley", "Eaton", "Siemens", "ABB", "Idec"),
           axes=(ax("color", ["green", "red", "black", "yellow", "blue"]),
                 ax("contact", ["1 NO", "1 NC", "illuminated 120V"], [1, 1, 1.8])), per_maker=6, price=(18, 60),
           etypes=MOTOR, kw=("pushbutton", "push button", "PB", "operator"), desc="22 mm pushbutton operator."),
    Family("ec_selector", L, "electrical_switch", "selector", "Selector switch 22mm, {pos}-position {op}",
           ("Square D", "Allen-Bradley", "Eaton", "Siemens"),
           axes=(ax("pos", [2, 3]), ax("op", ["maintained", "spring return", "keyed"], [1, 1.1, 1.9])),
           per_maker=4, price=(28, 90), etypes=MOTOR, kw=("selector switch", "HOA", "hand-off-auto"),
           desc="22 mm selector switch."),
    Family("ec_estop", L, "electrical_switch", "e_stop", "Emergency stop pushbutton 40mm, {act}",
           ("Square D", "Allen-Bradley", "Eaton", "Siemens", "ABB"),
           axes=(ax("act", ["twist release", "key release", "push-pull"]),), per_maker=2, price=(35, 160),
           etypes=MOTOR, kw=("e-stop", "emergency stop", "mushroom button", "stop button"), desc="E-stop."),
    Family("ec_limit", L, "electrical_switch", "limit_switch", "Limit switch, {act}",
           ("Square D", "Allen-Bradley", "Honeywell", "Omron", "Eaton"),
           axes=(ax("act", ["roller lever", "adjustable rod", "top plunger", "wobble stick"]),), per_maker=3,
           price=(65, 320), etypes=MOTOR, kw=("limit switch", "LS", "position switch"),
           desc="Heavy-duty limit switch."),
    Family("ec_rotary", L, "electrical_switch", "rotary_disconnect", "Rotary disconnect switch {amps}A {poles}P",
           ("ABB", "Eaton", "Siemens", "Allen-Bradley"),
           axes=(ax("amps", [16, 25, 40, 63, 80, 100], [0.6, 0.7, 0.8, 1, 1.2, 1.4]), ax("poles", [3, 4])),
           per_maker=5, price=(45, 260), etypes=MOTOR, kw=("rotary disconnect", "disconnect", "isolator"),
           desc="Panel-mount rotary disconnect."),
    Family("ec_receptacle", L, "electrical_switch", "receptacle", "Receptacle {amps}A 125V, {type}",
           ("Hubbell",), axes=(ax("amps", [15, 20]),
                               ax("type", ["duplex spec grade", "duplex hospital grade", "GFCI",
                                           "isolated ground", "USB-A/C combo"], [1, 2, 2.8, 2.2, 3.2])),
           per_maker=10, price=(6, 14), etypes=PANEL, n_compat=(0, 0),
           kw=("receptacle", "outlet", "plug", "duplex"), desc="Wiring device, {type}."),
    Family("ec_twistlock", L, "electrical_switch", "twist_lock", "Twist-lock {kind}, {nema}",
           ("Hubbell",), axes=(ax("kind", ["receptacle", "plug", "connector"]),
                               ax("nema", ["L5-20", "L5-30", "L6-20", "L14-30", "L21-30"],
                                  [0.8, 1.0, 0.9, 1.3, 1.6])),
           per_maker=12, price=(18, 45), n_compat=(0, 0), kw=("twist lock", "twistlock", "locking plug"),
           desc="Locking wiring device, NEMA {nema}."),
    Family("ec_relay", L, "electrical_relay", "general_purpose", "General purpose relay {form}, {coil} coil",
           ("Omron", "Idec", "Allen-Bradley"),
           axes=(ax("form", ["DPDT 8-pin", "3PDT 11-pin", "4PDT 14-pin"], [1, 1.2, 1.3]),
                 ax("coil", ["12V DC", "24V DC", "24V AC", "120V AC", "240V AC"])),
           per_maker=15, price=(11, 38), pn=_relay_pn, etypes=MOTOR, n_compat=(1, 4),
           kw=("relay", "ice cube relay", "control relay", "plug-in relay", "CR"), desc="Plug-in relay, {form}."),
    Family("ec_timer", L, "electrical_relay", "time_delay", "Time delay relay, {func} {coil}",
           ("Macromatic", "Omron", "Allen-Bradley", "Idec", "Eaton"),
           axes=(ax("func", ["on-delay", "off-delay", "multifunction", "interval"]),
                 ax("coil", ["24V AC/DC", "120V AC", "12-240V AC/DC"])), per_maker=5, price=(45, 240),
           etypes=MOTOR, kw=("timer", "time delay relay", "TDR", "timing relay"), desc="Time delay relay."),
    Family("ec_phase", L, "electrical_relay", "phase_monitor", "Phase monitor relay {voltage} 3ph",
           ("Macromatic", "Square D", "ABB", "Allen-Bradley", "Omron"),
           axes=(ax("voltage", ["208-240V", "380-480V", "575-600V"]),), per_maker=3, price=(95, 320),
           etypes=("mcc", "switchboard"), kw=("phase monitor", "phase loss relay", "voltage monitor"),
           desc="Phase loss/reversal/unbalance monitor."),
    Family("ec_overload", L, "electrical_relay", "overload", "Overload relay {range}A, {type}",
           ("Square D", "Eaton", "Siemens", "ABB", "Allen-Bradley"),
           axes=(ax("range", ["1-1.6", "2.5-4", "5.5-8", "9-13", "12-18", "17-25", "23-32"]),
                 ax("type", ["bimetallic class 10", "electronic class 10/20"], [1.0, 1.8])), per_maker=6,
           price=(45, 260), etypes=MOTOR, kw=("overload", "OL", "heater", "overload relay"), desc="Motor overload."),
    Family("ec_ssr", L, "electrical_relay", "solid_state", "Solid state relay {amps}A {load}, {ctrl} control",
           ("Omron", "Idec", "Eaton"),
           axes=(ax("amps", [10, 25, 40], [0.8, 1, 1.3]), ax("load", ["240V AC", "480V AC"]),
                 ax("ctrl", ["3-32V DC", "90-280V AC"])), per_maker=4, price=(45, 180), etypes=MOTOR,
           kw=("SSR", "solid state relay", "relay"), desc="Panel-mount SSR."),
    Family("ec_iec_contactor", L, "electrical_contactor", "iec", "IEC contactor 3P {amps}A {coil} coil",
           ("Square D", "Eaton", "Siemens", "Allen-Bradley", "ABB"),
           axes=(ax("amps", [9, 12, 18, 25, 32, 40, 50, 65, 80, 95],
                    [0.6, 0.65, 0.8, 1.0, 1.2, 1.6, 2.0, 2.6, 3.4, 4.0]),
                 ax("coil", ["24V", "120V", "240V", "480V"])),
           per_maker=40, price=(55, 95), pn=_contactor_pn, etypes=MOTOR, n_compat=(1, 5), kg=(0.3, 2),
           kw=("contactor", "magnetic contactor", "starter", "IEC contactor"),
           desc="3-pole IEC contactor, AC-3 {amps} A, {coil} AC coil, 1 NO auxiliary."),
    Family("ec_nema_starter", L, "electrical_contactor", "starter", "NEMA size {size} starter, {coil} coil {enc}",
           ("Square D", "Eaton", "Siemens", "Allen-Bradley", "GE"),
           axes=(ax("size", ["00", "0", "1", "2", "3", "4"], [0.5, 0.6, 0.75, 1.0, 1.6, 2.4]),
                 ax("coil", ["120V", "480V"]), ax("enc", ["open", "NEMA 1 enclosed"], [1.0, 1.3])),
           per_maker=6, price=(380, 1400), etypes=MOTOR, kg=(2, 15),
           kw=("starter", "motor starter", "contactor", "magnetic starter"), desc="Full-voltage NEMA starter."),
    Family("ec_lighting_contactor", L, "electrical_contactor", "lighting",
           "Lighting contactor {poles}P 30A {coil} coil, {hold}",
           ("Square D", "Eaton", "Siemens"),
           axes=(ax("poles", [2, 4, 8, 12], [0.7, 1, 1.6, 2.2]), ax("coil", ["120V", "277V"]),
                 ax("hold", ["electrically held", "mechanically held"], [1, 1.3])),
           per_maker=6, price=(160, 620), etypes=("panelboard",), kw=("lighting contactor", "contactor"),
           desc="Lighting contactor, {poles} poles."),
)


