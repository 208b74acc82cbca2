"""What several policies share: failures in plain words, search arguments from a description, the part
the user means, and candidates from a catalog search."""

from __future__ import annotations

import itertools
import re
from typing import Any

from agent.planners.local.dialogue.refs import make_ref, resolve
from agent.planners.local.dialogue.said import Said
from agent.planners.local.dialogue.state import Ref
from agent.planners.local.nlu.numbers import joined_ratings
from agent.planners.local.policy import Ctx, Say, ToolResult, say

WINNER_RATIO = 1.5
_FILLER = re.compile(r"\b(hi|hey|hello|yo|please|pls|plz|thanks|thx|can you|could you|can u|i need|we need|need|"
                     r"needs|looking for|lookin for|find me|find|get me|i want|is there|do you have|where can i get|"
                     r"where do i get|the elevator is down|it'?s down|asap|urgent(ly)?|right now|today|what'?s|"
                     r"whats|what is|which|got any|any|who has|who's got|search for|search|look up|lookup|a new)\b"
                     r"[,.!?]*", re.IGNORECASE)


def failure(result: ToolResult, doing: str = "", declined: str = "OK — nothing was done.") -> Say:
    """A tool's expected failure in plain words: what went wrong and what to do about it."""
    error, message = result.error, _for_people(result.message)
    hint = _for_people(str(result.data.get("hint") or ""))
    if error == "declined":
        return say(declined)
    if error == "forbidden":
        return say(f"You can't do that: {message}", kind="error")
    if error == "insufficient_stock":
        return say(f"Not enough stock: {message} {hint}".strip(), kind="error")
    if error == "conflict":
        return say(f"That can't be done now: {message} {hint}".strip(), kind="error")
    if not message and not hint:  # all it said was meant for a model
        return say(f"I couldn't {doing or 'do that'} from what I have — can you name the part (its number helps)?",
                   kind="error")
    prefix = f"I couldn't {doing}: " if doing and error not in ("not_found", "unavailable") else ""
    return say(f"{prefix}{message} {hint}".strip(), kind="error")


def _for_people(text: str) -> str:
    """A tool's message without the sentences meant for a model (they name tools and ids)."""
    from agent.reply_draft import internals_in

    sentences = re.split(r"(?<=[.!?])\s+", text.strip())
    return " ".join(s for s in sentences if s and not internals_in(s))


def written(ctx: Ctx, tool: str, doing: str, declined: str, done_words: str) -> Say | None:
    """Once the write ran: its failure in words the user can act on, or its own message."""
    done = ctx.last(tool)
    if done is None:
        return None
    return failure(done, doing, declined=declined) if not done.ok else say(done.message or done_words)


def search_query(ctx: Ctx, text: str | None = None, said: Said | None = None, fallback: bool = True) -> str:
    """The user's words as a catalog query: without conversational filler and without the names the search
    takes as filters (equipment model, site)."""
    said = said or ctx.said
    query = text if text is not None else said.text
    for entity in ("equipment_model", "site", "city", "urgency", "location", "quantity", "price"):
        for e in said.all(entity):
            query = query.replace(e["text"], " ")
    for e in said.all("manufacturer"):
        maker = said.extra("equipment_model", "manufacturer")
        if maker and e["value"] == maker:
            query = query.replace(e["text"], " ")
    query = re.sub(r"(?i)\b(i'?m|we'?re|i am|we are)\b", " ", query)
    query = _FILLER.sub(" ", query)
    query = re.sub(r"(?i)\b(for|on|in|at|fits?|to fit|with)( (a|an|the|our|my|this|that))?\s*$", " ", query.strip())
    query = re.sub(r"(?i)\b(for|on|at|in) (a|an|the|our|my)\b\s*(?=[,.?!]|$)", " ", query)
    query = re.sub(r"(?i)^[\s,.;:!?-]*(a|an|the|some|new|me|i|we|my|our)\b", " ", query)
    query = re.sub(r"\s+", " ", query).strip(" ,.?!-")
    return query or (said.text.strip() if fallback else "")


def search_args(ctx: Ctx, text: str | None = None) -> dict[str, Any]:
    query = search_query(ctx, text)
    earlier = ctx.ask.values.get("follow_up")
    if earlier and not describes_part(ctx) and ctx.env.nlu is not None:
        # "what about for a gen2 comfort?": the part asked about before, for what this message names
        from agent.planners.local.dialogue.asks import entity_dicts

        before = ctx.env.nlu.parse(str(earlier), ctx.env.organization)
        query = search_query(ctx, str(earlier), Said(str(earlier), entity_dicts(before)))
    args: dict[str, Any] = {"query": query[:500], "limit": 10}
    model = ctx.said.value("equipment_model")
    if model:
        args["compatible_with"] = model
    return args


def describes_part(ctx: Ctx) -> bool:
    """Does the message describe a part (not only ask where / how much / whether)?"""
    query = search_query(ctx, fallback=False)
    words = [w for w in re.findall(r"[a-z][a-z0-9'-]{2,}", query.lower()) if w not in _GLUE]
    return bool(ctx.said.has("part_number")) or len(words) >= 1


_GLUE = frozenset({"one", "ones", "it", "that", "this", "them", "some", "more", "get", "got", "have", "has", "there",
                   "where", "who", "how", "much", "many", "what", "fast", "quick", "nearby", "near", "closest",
                   "nearest", "stock", "available", "anywhere", "else", "today", "now", "the", "and", "for", "you",
                   "left", "price", "cost", "fair", "deal", "good", "worth", "used", "refurb", "refurbished",
                   "new", "fit", "fits", "work", "will", "does", "can", "could", "would", "should", "van", "truck",
                   "warehouse", "shop", "our", "your", "mine", "ours", "hold", "grab", "take", "buy", "any", "about",
                   "instead", "same", "also", "too", "then", "anyone", "anybody", "team", "crew", "other",
                   "others", "guys", "rest", "somebody", "someone", "spare", "spares", "hand", "shelf", "on", "total",
                   "altogether", "all", "together", "combined", "overall", "sum", "count", "yes", "yep", "yeah",
                   "yup", "sure", "okay", "please", "pls", "thanks", "thx", "those", "these", "em", "sitting",
                   "laying", "lying", "kicking", "around", "floating", "stashed", "handy", "extra", "extras", "just",
                   "scratch", "listed", "whos", "who's", "show", "tell", "let", "see", "fine", "actually", "from",
                   "alright", "whatever", "really", "wait", "hmm", "hey", "nice", "cool", "sweet", "awesome",
                   "great", "perfect"})  # "oh wait do i have one on me": nothing described


def candidates(result: ToolResult) -> list[dict[str, Any]]:
    """Search hits collapsed onto the part to order today (superseded revisions fold into their successor)."""
    hits: list[dict[str, Any]] = result.data.get("results") or []
    by_number = {h["part_number"]: h for h in hits}
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for hit in hits:
        if hit.get("replaces"):
            continue
        number = hit.get("superseded_by") or hit["part_number"]
        if number in seen:
            continue
        seen.add(number)
        current = by_number.get(hit.get("superseded_by") or "", hit)
        part = dict(current)
        if current is hit and hit.get("superseded_by"):
            part["note"] = f"superseded by {hit['superseded_by']}"
        out.append(part)
    return out


def winner(parts: list[dict[str, Any]], text: str = "") -> dict[str, Any] | None:
    """The part a search clearly found: the only one, one far ahead on score, or the one the words name."""
    if len(parts) == 1:
        return parts[0]
    if len(parts) >= 2 and float(parts[0].get("score") or 0) >= WINNER_RATIO * max(float(parts[1].get("score") or 0),
                                                                                   1e-9):
        return parts[0]
    return described_winner(parts, text) if text else None


def _scored(parts: list[dict[str, Any]], text: str, among: int) -> tuple[list[list[str]], list[int], set[str]]:
    """Each candidate's words, its score on the words and word pairs of the message it contains, and those words."""
    said = [w for w in content_words(text) if w not in _UNIT_WORDS]
    pairs = set(itertools.pairwise(said))
    names = [_words(" ".join(str(p.get(k) or "") for k in ("name", "manufacturer", "part_number")))
             for p in parts[:among]]
    scores = [len(set(said) & set(n)) + 2 * len(pairs & set(itertools.pairwise(n))) for n in names]
    return names, scores, set(said)


def described_winner(parts: list[dict[str, Any]], text: str, among: int = 10) -> dict[str, Any] | None:
    """The one candidate the words name: "flame sensor is toast" among a flame sensor and a control board,
    "inducer motor … precedent" among inducers for two models. It must have a word no other candidate has,
    and outscore the rest on the words and word pairs of the message it contains."""
    names, scores, said = _scored(parts, text, among)
    if len(names) < 2:
        return None
    best = max(range(len(names)), key=lambda i: scores[i])
    others = set().union(*(set(n) for i, n in enumerate(names) if i != best))
    hits = [said & set(n) for n in names]
    distinctive = hits[best] - others
    # it has a word no other has, or every word any other has and more ("door op motor … vvvf5")
    covers = all(hits[best] > h for i, h in enumerate(hits) if i != best)
    if (distinctive or covers) and all(scores[best] > s for i, s in enumerate(scores) if i != best):
        return parts[best]
    return None


def best_described(parts: list[dict[str, Any]], text: str, among: int = 10) -> list[dict[str, Any]]:
    """The candidates the words fit best: several when they fit equally ("the carrier 40/5 dual caps", two Carrier
    caps of different voltage)."""
    _, scores, _ = _scored(parts, text, among)
    top = max(scores, default=0)
    return [part for part, score in zip(parts, scores, strict=False) if top and score == top]


# What the equipment is, not which part of it: "the furnace wont light" does not pick the furnace control board.
_UNIT_WORDS = frozenset({"furnace", "rtu", "ahu", "unit", "chiller", "boiler", "elevator", "escalator", "hydro", "car",
                         "lift", "heatpump", "handler", "monitor", "ventilator", "system", "machine", "equipment"})


def content_words(text: str) -> list[str]:
    """The words that say what a thing is: no glue, no two-letter words (unless a number is in them)."""
    return [w for w in _words(text) if w not in _GLUE and (len(w) >= 3 or any(ch.isdigit() for ch in w))]


def _words(text: str) -> list[str]:
    text = joined_ratings(text.lower())  # "40 amp" is "40a"
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")) else w
            for w in re.findall(r"[a-z0-9]+(?:\.[0-9]+)?", text)]  # "4.5 ton" is not "4 ton"


def named_part(ctx: Ctx) -> Ref | None:
    """The part the user typed, merged with what we know about it when it is the one in focus."""
    number = ctx.said.value("part_number")
    if not number:
        return None
    focus = ctx.state.focus.get("part")
    from knowledge.partnumbers import normalize_part_number

    if focus and normalize_part_number(str(focus.data.get("part_number") or "")) == normalize_part_number(number):
        return focus
    maker = part_maker(ctx.said)
    return make_ref("part", {"part_number": number, **({"manufacturer": maker} if maker else {})})


def part_maker(said: Said) -> str | None:
    """The maker named for the part, not the equipment model's ("trane rtu", yes; the Otis of "gen2", no)."""
    return next((m for m in said.values("manufacturer") if m != said.extra("equipment_model", "manufacturer")), None)


def target_part(ctx: Ctx) -> Ref | None:
    """The part this ask is about: typed, picked, or in focus (a listing's or an option's part counts)."""
    named = named_part(ctx)
    if named is not None:
        return named
    target = ctx.ask.target
    if target is not None and target.data.get("part_number"):
        return target if target.kind == "part" else make_ref("part", target.data)
    ref, _ = resolve(ctx.state, ctx.said, "part")
    if ref is not None:
        return ref
    other = ctx.state.focused("listing", "option", "stock", "offer")
    if other is not None and other.data.get("part_number"):
        return make_ref("part", other.data)
    drafted = ctx.state.form.values.get("part_number") if ctx.state.form is not None else None
    return make_ref("part", {"part_number": drafted}) if drafted else None  # the part of the form in hand


def cataloged(ctx: Ctx, part: Ref | None) -> Ref | None:
    """The catalog's part when the "number" said is a rating in its name ("l6-30 twist lock, hubbell": HBL2620,
    Twist-lock receptacle, L6-30), once a search was made for the words; else the part as named."""
    searched = ctx.last("search_parts")
    number = ctx.said.value("part_number")
    if part is None or not number or searched is None or not searched.ok:
        return part
    from knowledge.partnumbers import normalize_part_number

    said = normalize_part_number(number)
    parts = candidates(searched)
    if any(normalize_part_number(str(p.get("part_number") or "")) == said for p in parts):
        return part  # a catalog number after all
    best = winner(parts, search_query(ctx))
    named = best is not None and said in normalize_part_number(f"{best.get('name')} {best.get('description')}")
    return make_ref("part", best) if best is not None and named else part


def part_args(part: Ref) -> dict[str, Any]:
    args: dict[str, Any] = {"part_number": part.data.get("part_number") or part.id}
    if part.data.get("manufacturer"):
        args["manufacturer"] = part.data["manufacturer"]
    return args


def in_view(ctx: Ctx, *kinds: str) -> Ref | None:
    """The object of these kinds the user is looking at: picked, named, in focus, or the only one listed."""
    if ctx.ask.target is not None and ctx.ask.target.kind in kinds:
        return ctx.ask.target
    ref, _ = resolve(ctx.state, ctx.said, *kinds)
    if ref is not None:
        return ref
    listed = ctx.state.listed
    if listed is not None and listed.kind in kinds and len(listed.items) == 1:
        return listed.items[0]
    return None


def about_them(ctx: Ctx) -> bool:
    """Is the question about someone else's stock ("how many they got left") rather than ours?"""
    words = set(re.findall(r"[a-z']+", ctx.said.lowered))
    return bool(words & {"they", "they've", "theyve", "them", "their", "seller", "he", "she", "it"}) and \
        not words & {"we", "our", "us", "i", "my", "me", "we've", "weve", "ours"}
