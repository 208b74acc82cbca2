"""Numbers in a message and the slot each one fills: a price (a sign, "k", "grand", or a sentence about money), a
quantity (a count of things: "hold 2", "2 of 3", "one got damaged"), a choice ("number 3", "lot 2", "the 2nd"),
hours, days, a rating ("4 stars", "4/5", "rate them 4", "⭐⭐⭐⭐"), a distance. Measurements ("3 ton", "41 amp",
"5 min") fill nothing. A number whose role the sentence does not say is left as `number` for the dialogue to
place (the slot the conversation is asking for)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from agent.planners.local.nlu import number_cues as nc

WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "a couple of": 2, "a couple": 2, "couple of": 2, "couple": 2, "a pair of": 2, "a pair": 2,
                "pair of": 2, "a dozen": 12, "dozen": 12, "half a dozen": 6, "both": 2}
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5,
            "5th": 5, "top": 1, "last": -1, "bottom": -1}
_NUMBER = re.compile(
    r"(?P<sign>\$\s?)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)(?P<k>\s?k\b|\s+grand\b)?(?P<x>x\b)?",
    re.IGNORECASE)
_ORDINAL_WORDS = re.compile(rf"(?<![a-z0-9])(?:{'|'.join(sorted(ORDINALS, key=len, reverse=True))})(?![a-z0-9])")
_COUNT_WORDS = re.compile(rf"(?<![a-z0-9])(?:{'|'.join(sorted(WORD_NUMBERS, key=len, reverse=True))})(?![a-z0-9])")
_STARS = re.compile(r"(?:⭐|★|🌟){1,5}")
_ALTERNATIVE = re.compile(r"\s*(?:,\s*)?(?:not|instead of|rather than|vs\.?|or)\s*")
_SMALL_ANSWER = 12  # a bare number up to this is more likely picking an option than naming a price


@dataclass(frozen=True)
class NumberMention:
    role: str  # price | quantity | choice | hours | days | rating | distance | increment | number
    value: str
    start: int
    end: int


def decimal_of(raw: object) -> Decimal | None:
    """An amount as typed or stored ("1,200", "4.5", 310) as a Decimal; None when it is not one."""
    try:
        return Decimal(str(raw).replace(",", "")) if raw not in (None, "") else None
    except InvalidOperation:
        return None


def plain(amount: Decimal) -> str:
    """An amount without trailing zeros ("360.00" → "360", "550.50" → "550.5")."""
    text = f"{amount:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def number_mentions(text: str, taken: list[tuple[int, int]]) -> list[NumberMention]:
    """Every number outside the spans already taken (part numbers, models, tracking numbers), with its role."""
    lowered = text.lower()
    ctx = nc.Context.of(lowered)
    found = [NumberMention("rating", str(len(m.group(0))), m.start(), m.end()) for m in _STARS.finditer(text)]
    digits = list(_NUMBER.finditer(text))
    for match in digits:
        start, end = match.start(), match.end()
        if any(s < end and start < e for s, e in taken):
            continue
        out_of_five = text[end:end + 2] == "/5" and ctx.rating and amount_of(match) <= 5
        if re.search(r"(?:^|\s)x$", lowered[:start]):  # "x2"
            found.append(NumberMention("quantity", str(int(amount_of(match))), start - 1, end))
            continue
        if _embedded(match, text, lowered) and not (out_of_five or nc.DISTANCE_AFTER.match(lowered[end:])):
            continue  # inside a code, a range or a fraction ("r410a", "3-7", "1/2 hp", "24v", "100%")
        mention = _mention(match, lowered, ctx, _alone(lowered, start, end))
        if mention is not None:
            found.append(mention)
    found.extend(_word_numbers(lowered, taken, found, ctx))
    return _not_pairs(sorted(found, key=lambda m: m.start), lowered)


def _embedded(match: re.Match[str], text: str, lowered: str) -> bool:
    start, end = match.start(), match.end()
    if start > 0 and (text[start - 1].isalpha() or text[start - 1] in "/-."):
        return True
    glued = text[end:end + 1].isalpha() and not match.group("k") and not match.group("x") \
        and lowered[end:end + 2] not in ("st", "nd", "rd", "th")
    return glued or text[end:end + 1] in ("-", "%") or bool(re.match(r"/\d", text[end:end + 2]))


def amount_of(match: re.Match[str]) -> Decimal:
    return decimal_of(match.group("num")) or Decimal(0)


def _alone(lowered: str, start: int, end: int) -> bool:
    rest = (lowered[:start] + " " + lowered[end:]).strip()
    return not nc.FILLER.sub("", rest).strip(" ,.!?")


_STEP_AFTER = re.compile(r"^\s*(?:dollars?\s+|bucks?\s+|\$\s*)?(?:bumps?|increments?|steps?|bid steps?|raises?|"
                         r"jumps?)\b")
_STEP_BEFORE = re.compile(r"\b(?:increments?|bumps?|bid steps?|steps?|raises?|jumps?)\s+(?:of|at|by|are|is|=)?\s*\$?$")


def _mention(match: re.Match[str], lowered: str, ctx: nc.Context, alone: bool) -> NumberMention | None:
    start, end = match.start(), match.end()
    amount = decimal_of(match.group("num")) or Decimal(0)
    whole = amount == int(amount)
    before, after = lowered[max(0, start - 40):start], lowered[end:end + 30]

    def said(role: str, value: str | None = None) -> NumberMention:
        return NumberMention(role, value if value is not None else str(int(amount)), start, end)

    if lowered[end:end + 2] in ("st", "nd", "rd", "th"):
        return NumberMention("choice", str(int(amount)), start, end + 2)
    if before.endswith("#") or (nc.CHOICE_BEFORE.search(before) and whole and amount <= 20):
        return said("choice")
    if match.group("k") and not match.group("sign") and nc.DISTANCE_AFTER.match(lowered[end - 1:]):
        pass
    elif match.group("sign") or match.group("k"):
        scale = 1000 if match.group("k") else 1
        return said("price", plain(amount * scale))
    if nc.MEASURE_AFTER.match(after) or nc.NOT_A_COUNT_BEFORE.search(before) or \
            (amount <= 12 and nc.time_of_day(before, after)) \
            or (match.group("num").startswith("0") and len(match.group("num")) > 1 and "." not in match.group("num")):
        return None
    if re.search(r"\b(?:on|off|from|outta|out of|in)\s+(?:an?|the|that|this|my|our)\s+(?:old\s+)?$", before) and \
            not (nc.MONEY_AFTER.match(after) or nc.MONEY_NOUN_AFTER.match(after) or nc.UNIT_AFTER.match(after)):
        return None  # "pulled off a 411 that got modded", "lcb2 on an old 411": the machine, no amount at all
    if match.group("x"):
        return said("quantity")
    if _STEP_AFTER.match(after) or _STEP_BEFORE.search(before):  # "start 2500, 100 bumps": the bid increment
        return said("increment", plain(amount))
    if nc.HOURS_AFTER.match(after):
        return said("hours")
    if nc.DAYS_AFTER.match(after):
        return None if nc.SERVICE_LEVEL.search(before) or re.match(r"\s*-?\s*day (?:air|shipping|delivery)", after) \
            else said("days")
    if nc.WEEKS_AFTER.match(after):
        return said("days", str(int(amount) * 7))
    distance = nc.DISTANCE_AFTER.match(after)
    if distance:
        unit = "km" if distance.group("unit").startswith("k") else "mi"
        return said("distance", f"{plain(amount)} {unit}")
    if nc.RATING_AFTER.match(after) or (ctx.rating and whole and 1 <= amount <= 5 and not nc.next_is_thing(after)):
        return said("rating")
    return _count_or_money(amount, whole, before, after, ctx, alone, said)


def _count_or_money(amount: Decimal, whole: bool, before: str, after: str, ctx: nc.Context, alone: bool,
                    said: nc.Say) -> NumberMention:
    small = whole and amount <= 50
    if re.search(r"\b(?:the|those|these)\s+$", before) and re.match(r"\s*(?:v|vac|volt)?\s*ones?\b", after):
        return said("number", plain(amount))  # "the 440 ones": which ones, not how many
    if small and re.search(r"\b(?:just|only)\s+(?:the\s+)?$", before) and not nc.MONEY_AFTER.match(after):
        return said("quantity")  # "used good, $650, just the 1"
    if nc.MONEY_AFTER.match(after) or (amount >= 20 and nc.MONEY_NOUN_AFTER.match(after)):
        return said("price", plain(amount))
    if re.search(r"(?:\bat|@)\s*$", before) and re.search(r"\d+\s*(?:units?|pcs?|pieces?|x|of (?:them|em|those))\b",
                                                          before):
        return said("price", plain(amount))  # "2 units at 275": the count is said, so this is what each costs
    if ctx.money and amount >= 20 and re.match(r"\s+more\b", after):
        return said("price", plain(amount))
    if whole and amount < 1000 and (nc.UNIT_AFTER.match(after) or nc.COUNT_FIELD.search(before)
                                    or re.match(r"\s+at\s+(?:\$|\d)", after)):
        return said("quantity")
    if small and re.search(r"\bfor\s*$", before) and (ctx.priced or ctx.how_much or re.search(
            r"\b(?:wanted|iso|wtb|request|need|needs|post)\b[^,.;$]*\bfor\s*$|\d\s*(?:bucks\s*)?for\s*$", before)):
        return said("quantity")  # "post a wanted for 1": how many are wanted; "225 for 1": the amount came first
    if small and ctx.stock and nc.STOCK_BEFORE.search(before):
        return said("quantity")
    if small and re.match(r"\s+(?:off|out of|from)\b", after):
        return said("quantity")
    if amount >= 100 and re.search(r"\b(?:put|stick|slap|throw)\s*$", before) and \
            re.match(r"\s+on\s+(?:the|it|that|this|a|an)\b(?!\s+(?:truck|van|shelf|hold|cart))", after):
        return said("price", plain(amount))  # "put 1150 on the mitsubishi board": its price, not 1150 of them
    if whole and nc.QTY_BEFORE.search(before) and (small or not ctx.money) and not nc.money_before(before, ctx):
        return said("quantity")
    if (nc.money_before(before, ctx) and (ctx.money or amount >= 20) and not nc.next_is_thing(after)) \
            or (amount >= 50 and nc.REPRICE.search(before)):
        return said("price", plain(amount))
    if nc.next_is_thing(after) and whole and amount < 1000:
        return said("quantity")
    if ctx.money and amount >= 1:
        return said("price", plain(amount))
    if alone or (nc.PICK_BEFORE.search(before) and whole and amount <= _SMALL_ANSWER):
        if whole and amount <= _SMALL_ANSWER:
            return said("choice")
        return said("price", plain(amount))
    if amount >= 50 and ctx.deal and not nc.year_like(amount, before):
        return said("price", plain(amount))
    return said("number", plain(amount))


def _word_numbers(lowered: str, taken: list[tuple[int, int]], digits: list[NumberMention],
                  ctx: nc.Context) -> list[NumberMention]:
    out: list[NumberMention] = []
    used = [(m.start, m.end) for m in digits] + list(taken)

    def free(s: int, e: int) -> bool:
        return not any(a < e and s < b for a, b in used)

    for match in _ORDINAL_WORDS.finditer(lowered):
        s, e = match.start(), match.end()
        if free(s, e) and nc.ordinal_is_choice(match.group(0), lowered, s, e):
            out.append(NumberMention("choice", str(ORDINALS[match.group(0)]), s, e))
            used.append((s, e))
    for match in re.finditer(r"(?<![a-z0-9])a (?:full )?week\b", lowered):
        if re.search(r"auction|listing|\brun|expire|\bpost|\blong\b|\bkeep|\bhold", lowered) and \
                free(match.start(), match.end()):
            out.append(NumberMention("days", "7", match.start(), match.end()))
            used.append((match.start(), match.end()))
    for match in _COUNT_WORDS.finditer(lowered):
        s, e = match.start(), match.end()
        value = WORD_NUMBERS[match.group(0)]
        role = nc.word_role(match.group(0), lowered, s, e, ctx) if free(s, e) else None
        if role == "days":
            weeks = nc.WEEKS_AFTER.match(lowered[e:])
            out.append(NumberMention("days", str(value * 7), s, e + (len(weeks.group(0)) if weeks else 0)))
        elif role:
            out.append(NumberMention(role, str(value), s, e))
        if role:
            used.append((s, e))
    return out


def _not_pairs(found: list[NumberMention], lowered: str) -> list[NumberMention]:
    """"has 6 not 8", "2 instead of 3": the second number has the role of the first."""
    out = list(found)
    for i in range(1, len(out)):
        first, second = out[i - 1], out[i]
        between = lowered[first.end:second.start]
        if first.role == "number" and second.role != "number" and _ALTERNATIVE.fullmatch(between):
            out[i - 1] = NumberMention(second.role, first.value, first.start, first.end)
        elif second.role == "number" and first.role != "number" and _ALTERNATIVE.fullmatch(between):
            out[i] = NumberMention(first.role, second.value, second.start, second.end)
    return out


_RATED = re.compile(r"\b(\d+(?:[./]\d+)?)\s*(amps?|a|volts?|vac|v|hp|mfd|uf)\b")


def joined_ratings(lowered: str) -> str:
    """"40 amp", "40 a" and "40A" as one word, "40a" (volts as "…v", "1/3 hp" as "1/3hp"), so they compare
    as words."""
    return _RATED.sub(lambda m: m.group(1) + (m.group(2) if m.group(2) in ("hp", "mfd") else "mfd" if m.group(2) == "uf"
                                              else m.group(2)[0]), lowered)
