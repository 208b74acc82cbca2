"""One message, several asks: "where's the closest one and is $4200 fair?" is two questions, answered in
turn; "list it … then make it live" is one listing; "let the keystone hold go, found one on derek's truck" is
one change and its reason."""

from __future__ import annotations

import re
from typing import Any

from agent.planners.local.dialogue.ellipsis import fill_elided, fill_one
from agent.planners.local.dialogue.joining import OBJECT, POINTS_BACK, THE_THING, joined, told_with, with_terms
from agent.planners.local.dialogue.refs import SPURNS
from agent.planners.local.dialogue.state import AskState
from agent.planners.local.dialogue.terms import answers_to_two, only_terms
from agent.planners.local.nlu import THRESHOLD, Parse
from agent.planners.local.nlu.cues import CORRECTION
from agent.planners.local.policy import Env
from knowledge.search.kinds import kinds_named

CONVERSATION = frozenset({"greet", "thanks", "help", "affirm", "deny", "choose", "out_of_scope"})
TOPIC_CHANGE = 0.75
LOOSE_SURE = 0.85  # surer of the whole than this, a comma or an "and" never splits it ("let X go, found one on …")
CLEAR_CHANGE = 0.65  # a sentence of several that asks a change of its own ("lol metro at 150" reads 0.55)
WRITES = frozenset({"create_listing", "publish_listing", "update_listing", "cancel_listing", "make_offer",
                    "accept_offer", "reject_offer", "counter_offer", "withdraw_offer", "place_bid", "watch_listing",
                    "unwatch_listing", "create_wanted", "respond_wanted", "accept_response", "hold", "cancel_hold",
                    "adjust_stock", "transfer_stock", "mark_shipped", "confirm_delivered", "rate_seller", "buy_now",
                    "add_to_cart", "change_cart", "checkout", "cancel_order", "approve_order", "reject_order",
                    "order_progress", "return_order", "reorder_job", "create_alert", "change_alert"})

# A second ask the first one takes in ("list it … then make it live" is one listing, published once made).
ABSORBS = {"create_listing": {"publish_listing"}, "create_wanted": {"publish_listing"}}

PER_PART = frozenset({"find_part", "find_stock", "own_stock", "price_info", "price_check", "check_fit", "details",
                      "suggest_price", "market_trends", "search_market"})
_SPLIT = re.compile(r"\?\s+(?=\S)|;\s*|\s+(?:and also|also|plus|and then|then)\s+|,?\s+(?:and|&)\s+(?=(?:what|"
                    r"where|how|is|are|can|could|do|does|who|whos|who's|will|which|any|hold|find|check|whats|what's|wheres|where's|"
                    r"hows|how's|tell|show|get|send|make|put|push|publish|post|set|mark|raise|lower|cut|knock|bump|accept|reject|"
                    r"counter|decline|cancel|pull|watch|take|grab|drop|release|kill|ship|rate|give|leave|bid|offer|remove|"
                    r"unwatch|change|switch|update|move|set)\b)",
                    re.IGNORECASE)
_ASKS = re.compile(r"\?|^\s*(?:what|whats|what's|where|wheres|where's|how|hows|how's|who|whos|who's|when|which|is|are|"
                   r"can|could|do|does|did|any|show|tell|find|check)\b", re.IGNORECASE)


def is_question(text: str) -> bool:
    """"whats the cheapest one", "is it still there?": the message asks, it does not tell to do."""
    return bool(_ASKS.search(text))


_SENTENCES = re.compile(r"(?<=[a-z0-9)'?])[.!]+\s+(?=\S)", re.IGNORECASE)
_LOOSE_SPLIT = re.compile(r",?\s+and\s+|,\s+(?:then\s+)?", re.IGNORECASE)


def entity_dicts(parse: Parse) -> list[dict[str, Any]]:
    return [{"entity": e.entity, "value": e.value, "text": e.text, "extra": list(e.extra), "start": e.start}
            for e in parse.entities]


def ask_of(parse: Parse, intent: str | None = None, **kw: Any) -> AskState:
    return AskState(intent=intent or parse.intent, text=parse.text, confidence=parse.confidence,
                    entities=entity_dicts(parse), **kw)


_WHERE_TO_GET = frozenset({"find_stock", "own_stock", "search_market"})
# What a clause adds to a change (not a story about it): its terms.
_TERMS = frozenset({"price", "condition", "fulfillment", "visibility", "date", "tracking_number", "carrier", "rating",
                    "urgency"})


_TAKES_BACK = re.compile(r"\b(?:no wait|wait no|scratch that|i mean|i meant)\b", re.IGNORECASE)


def split_asks(parse: Parse, env: Env) -> list[Parse]:
    """Two asks in one message ("where's the closest one and is $4200 fair?") become two asks, answered in
    turn; a message that asks one thing (with several details) stays whole."""
    numbers = [e for e in parse.entities if e.entity == "part_number"]
    if len(numbers) >= 2 and parse.confident and parse.intent in PER_PART:
        # "where can i get a GAA26800LC1 and a GBA21230F1?": the same question for each part
        return [Parse(parse.text, parse.intents, [e for e in parse.entities if e.entity != "part_number" or e is n],
                      parse.masked) for n in numbers]
    if len(parse.text.split()) < 6 or (parse.intent in CONVERSATION and parse.confident):
        return [parse]
    if _TAKES_BACK.search(parse.text):  # "kill the clutch one. no wait, the vfdo board one": one ask, corrected
        return [parse]
    last = last_sentence_at(parse.text)
    if last is not None:
        head, tail = env.nlu.parse(parse.text[:last], env.organization), env.nlu.parse(parse.text[last:],
                                                                                         env.organization)
        if _names_then_where(head, tail):
            return [Parse(parse.text, tail.intents, parse.entities, parse.masked)]  # "need a 3007F. who's got one?"
        if tail.confident and tail.intent in _WHERE_TO_GET and not tail.get("part_number") and head.get("part_number"):
            # "… 40/5 dual cap (P291-4053RS) is bulged. do i have one on the truck and how many at the shop?": the
            # story names the part, the last sentence asks about it
            return [_about_the_same(p, head) for p in split_asks(tail, env)]
    cuts = [(m, False) for m in _SPLIT.finditer(parse.text)]
    if not parse.confident or parse.confidence < LOOSE_SURE:
        cuts += [(m, True) for m in _LOOSE_SPLIT.finditer(parse.text)]
    for cut, loose in cuts:
        asked = "?" if cut.group(0).startswith("?") else ""  # the question mark is part of the question
        left, right = parse.text[:cut.start()].strip(" ,") + asked, parse.text[cut.end():].strip(" ,")
        if len(left.split()) < 2 or len(right.split()) < 2:
            continue
        parts = [env.nlu.parse(left, env.organization),
                 env.nlu.parse(fill_elided(left, _IF_SO.sub("", right)), env.organization)]
        if parse.confident and only_terms(parts[1]):
            continue  # "wanna sell a pvt … used good, $650, just the 1": the terms of the one ask
        # "post a wanted for 3 of em, new only, max 250 ea": the clause after a change gives its terms
        terms = any(e.entity in _TERMS for e in parts[1].entities)
        if _names_then_where(*parts):
            return [Parse(parse.text, parts[1].intents, parse.entities, parse.masked)]
        # "knock it down to 160 and open it up to public": what points back makes nothing new, it changes that
        together = parts[1].intent in ABSORBS.get(parts[0].intent, ()) or (
            parts[0].intent in WRITES and parts[1].intent.startswith("create_") and POINTS_BACK.search(right.lower())
            and not any(e.entity in OBJECT for e in parts[1].entities))
        # "northline came back on X? tell em i'll do 470": when the whole is clearly one of the parts, the
        # other part is what led up to it, not a second change to make
        context = parse.confidence >= TOPIC_CHANGE and parts[1].intent == parse.intent and \
            parts[0].intent in WRITES and parts[0].intent != parse.intent and "and" not in cut.group(0).lower() \
            and not answers_to_two(parts)
        # "sl280v at the church, lights fine then drops out after 5 sec, what am i looking at": a weak reading of
        # the lead-in, when the whole is clearly the second part's ask, is its context
        lead_in = parse.confidence >= TOPIC_CHANGE and parts[1].intent == parse.intent and \
            parts[0].confidence < TOPIC_CHANGE and parts[0].intent not in WRITES
        # "carrier 59tp6 lights then drops out after like 3 sec": what it does, then what it does next — one fault
        sequence = "then" in cut.group(0).lower() and parse.confident and parse.intent == parts[1].intent == "diagnose"
        story = parts[1].confidence < THRESHOLD or (parts[1].intent not in WRITES | CONVERSATION and
                                                     not _ASKS.search(right) and not SPURNS.search(right.lower()))
        if loose and "and" not in cut.group(0).lower() and parts[0].confidence >= THRESHOLD and \
                parts[0].intent in WRITES and story:
            return [parse] if terms else [parts[0]]  # "pull my listing, sold all 3 at the counter": its story
        if all(p.confidence >= THRESHOLD and p.intent not in CONVERSATION for p in parts) and \
                parts[0].intent != parts[1].intent and not together and not context and not lead_in and not sequence:
            if loose and "and" not in cut.group(0).lower() and parts[0].intent in WRITES and \
                    parts[1].intent in WRITES:
                # "let the keystone hold go, found one on derek's truck": the request, then why — only the
                # first asks for a change; a second change needs its own "and". "dont need the T6 stat
                # anymore, kill that hold": why, then the request — the whole is clearly that request
                whole = parse.intent == parts[1].intent and parts[0].confidence < TOPIC_CHANGE <= parts[1].confidence
                if not answers_to_two(parts):
                    return [parse] if terms or whole else [parts[0]]
            return [parts[0], *(_about_the_same(p, parts[0]) for p in split_asks(parts[1], env))]
    return [parse]


# "am i still top bid? if not go to 700": the answer decides, the rest is the ask ("go to 700")
_IF_SO = re.compile(r"^\s*(?:if (?:not|so|yes|no|i'?m not|im not|they are|it is|its)|otherwise)\b[,\s]*", re.I)


def _names_then_where(first: Parse, second: Parse) -> bool:
    """"need a BLD-HV-2290 txv, who's got one": naming the part, then what to do about it — one ask."""
    return first.intent == "find_part" and second.intent in _WHERE_TO_GET and second.confident and \
        not second.get("part_number") and not second.get("equipment_model")




# whose or where, not its terms; our own places are where to look for the same thing ("… on the truck and how
# many at the shop")
_WHOSE = frozenset({"organization", "person", "site", "city"})


def _about_the_same(second: Parse, first: Parse) -> Parse:
    """"rival wants a PPX-810036 right? we got any listed": an ask that names no part is about the one before;
    "steve at rival has a refurb floor board listed? offer him 550": a change that names nothing and points back
    is about what the clause before describes, read with its words."""
    if any(e.entity in THE_THING for e in second.entities):
        return second
    said_kinds = kinds_named(second.text.lower())
    if said_kinds and not said_kinds & kinds_named(first.text.lower()):
        return second  # "hold a new GAA21750AK3 … and drop my curtain hold": the curtain is another part
    if second.intent in WRITES and not any(e.entity in OBJECT for e in second.entities) and \
            POINTS_BACK.search(second.text.lower()) and any(e.entity in OBJECT for e in first.entities):
        return joined(first.text, [e for e in first.entities if e.entity in OBJECT], second, second)
    own = [e for e in second.entities if e.entity in _WHOSE]
    if own and not any((e.entity, e.value) == (o.entity, o.value) for e in first.entities for o in own):
        return second  # "watch keystone's KM713160G01 … take the metro LCB off my watchlist": another thing
    carried = [e for e in first.entities if e.entity in THE_THING]
    return Parse(second.text, second.intents, [*second.entities, *carried], second.masked) if carried else second


def last_sentence_at(text: str) -> int | None:
    """Where the last of several sentences starts ("used fair is sketchy. take the apex one" → 28)."""
    cuts = [m.end() for m in _SENTENCES.finditer(text)]
    return cuts[-1] if cuts and text[cuts[-1]:].strip() else None


def several_changes(parse: Parse, env: Env, kind: str | None, read: list[Parse] | None = None) -> list[Parse] | None:
    """"reject the rival one, lowball. take apex's": sentences that each ask a different change of the kind of
    object in view, even when the whole reads as one change; not when a later sentence takes an earlier one
    back ("counter 500. no wait, 450") or only gives the terms ("answer northline's. we got 3 new at 92").
    `read`: the message's sentences as read_sentences() read them, when the caller already has them."""
    from agent.planners.local.nlu.examples import acts_on

    if CORRECTION.search(parse.text):
        return None
    asks = read if read is not None else read_sentences(parse, env)
    if len(asks) < 2 or len({a.intent for a in asks}) < len(asks):
        return None

    def kinds(ask: Parse) -> set[str]:
        """What a clear change acts on: "take apex's" (read as taking a wanted response) takes the offer in
        view too; "lol metro at 150" (a counter? 0.55) only tells what was offered."""
        verb = ask.intent.split("_")[0]
        alike = [r for r in ask.intents if r.intent.split("_")[0] == verb]
        return {k for r in alike for k in acts_on(r.intent)} if sum(r.confidence for r in alike) >= CLEAR_CHANGE \
            else set()

    # "got 2 of those AT300s sitting in main, used good. list both at 1800": the whole clearly asks one of the
    # changes, and the others are only weak readings of what leads up to it
    others = [a for a in asks if a.intent != parse.intent]
    if parse.confidence >= TOPIC_CHANGE and len(others) < len(asks) and \
            all(a.confidence < TOPIC_CHANGE for a in others):
        return None
    shared = set.intersection(*(kinds(a) for a in asks))
    return asks if (kind in shared if kind else shared) else None


def context_then_command(parse: Parse, env: Env, read: list[Parse] | None = None) -> list[Parse] | None:
    """ "the refurb BLD-KS-7781 isnt moving. knock it down to 410", "got 2 offers on the eaton. tell luis no
    thanks. dana can have it for 145": when the whole is not clearly one change, the asks its sentences make
    (read_sentences); None when there are none."""
    read = read if read is not None else read_sentences(parse, env)
    if parse.confident and parse.intent in WRITES and (
            parse.confidence >= TOPIC_CHANGE or CORRECTION.search(parse.text) or not read
            or any(a.intent == parse.intent for a in read)):
        return None  # clearly one change; a weak reading of the whole that none of its sentences asks is not
    if len(read) >= 2 and _TAKES_BACK.search(parse.text):  # "bump my max to 400. no wait make it 375": corrected
        # … and a change of another kind after it stays its own ask ("i meant 30 not 3. make it 37. then publish")
        return [Parse(parse.text, read[0].intents, parse.entities, parse.masked),
                *(a for a in read[1:] if a.intent != read[0].intent and a.intent in WRITES)]
    return read or None


def read_sentences(parse: Parse, env: Env) -> list[Parse]:
    """Sentences that tell and sentences that ask a change: the sentences that clearly ask one become the asks,
    in order; each is read with what the telling sentences name (the part, the company, the condition) and with
    the terms a bare sentence after it adds ("… 4200 ea."). Sentences that turn something away ("leave the door
    clutch one alone") are left to the picking (refs.set_apart_spurned), not read as context. No asks ([])
    for one sentence, for a message that ends in what it asks, or when no sentence asks a change."""
    sentences = [s.strip() for s in _SENTENCES.split(parse.text.replace("? ", "?. ")) if s.strip(" .?!")]
    if len(sentences) < 2:
        return []
    parses = [env.nlu.parse(s.rstrip("?"), env.organization) for s in sentences]
    if sentences[-1].endswith("?") and not (parses[-1].confident and parses[-1].intent in WRITES):
        return []  # "… seized on one of the xr14s. 1/3hp i think. part #?": it ends in what they ask
    asks: list[Parse] = []
    told: list[int] = []  # the asks read with the telling sentences
    context: list[Parse] = []
    for at, (typed, sentence) in enumerate(zip(sentences, parses, strict=True)):
        terms = only_terms(sentence)
        if terms and asks:
            asks[-1] = with_terms(asks[-1], sentence)
        elif typed.endswith("?") and sentence.confident and sentence.intent not in CONVERSATION | WRITES:
            # "is my AF81 listing still in drafts? if so make it public": a question of its own is answered
            # too, and tells what the change after it is about
            asks.append(sentence)
            told.append(len(asks) - 1)
            context.append(sentence)
        elif sentence.confident and sentence.intent in WRITES and not _led_into(sentence, parses[at + 1:]):
            first, *rest = split_asks(sentence, env)  # "make it 145 ea and publish it": the rest follow the first
            asks.append(first)
            asks.extend(rest)
            told.append(len(asks) - len(rest) - 1)
        elif not sentence.confident and len(parts := split_asks(sentence, env)) > 1 and \
                any(part.confident and part.intent in WRITES for part in parts):
            # "the belt one has no price on it, make it 145 ea and publish it": unclear as a whole, two clear asks
            asks.extend(parts)
            told.append(len(asks) - len(parts))
        elif (again := _another_of_its_kind(sentences[:at], typed, sentence, asks, env)) is not None:
            asks.append(again)  # a question after the change, about another thing of its kind: asked, not told
        elif sentence.intent != "deny" and not SPURNS.search(sentence.text.lower()):
            context.append(sentence)
    if not any(a.intent in WRITES for a in asks):
        return []  # questions alone are read whole ("anybody selling a PPX-930301? door op motor for a rebuild")
    return [told_with(ask, [c for c in context if c is not ask]) if i in told else ask for i, ask in enumerate(asks)]


def _another_of_its_kind(before: list[str], typed: str, sentence: Parse, asks: list[Parse], env: Env) -> Parse | None:
    """"pull my dte 24 auction. whats the iso 68 one sittin at": unclear alone, a question after a change asks
    about "the … one" of the kind the change names — read so, when it then clearly asks something."""
    if sentence.confident or not _ASKS.search(typed) or not any(a.intent in WRITES for a in asks):
        return None
    again = env.nlu.parse(fill_one(" ".join(before), typed.rstrip("?")), env.organization)
    return again if again.confident and again.intent not in CONVERSATION | WRITES else None


def _led_into(sentence: Parse, later: list[Parse]) -> bool:
    """"got 2 of those AT300s sitting in main, used good. list both at 1800": a change the sentence seems to
    ask is what leads into a later, surer change of another kind that points back at what it names."""
    if not any(e.entity in THE_THING for e in sentence.entities) or sentence.intent.startswith("create_"):
        # "tell luis no thanks. dana can have it for 145": no thing named here to lead into; "wanna auction off
        # the used LCB II … post it once its set up": what is made here is what the later change acts on
        return False
    return any(p.confident and p.intent in WRITES and p.intent != sentence.intent and p.confidence > sentence.confidence
               and POINTS_BACK.search(p.text.lower()) and not any(e.entity in OBJECT for e in p.entities)
               for p in later)
