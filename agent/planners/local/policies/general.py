"""The conversation itself: greetings, help, thanks, a question when unsure what was meant, answers that
have nothing to answer, and requests outside what Partpilot does."""

from __future__ import annotations

from agent.planners.local.dialogue.state import Clarify
from agent.planners.local.nlu.examples import gloss
from agent.planners.local.policy import Ctx, Say, Step, policy, say
from agent.reply_draft import DraftChoice

HELP = ("I find spare parts and get them to you: look a part up by number, description, equipment model or a "
        "photo of the nameplate; check it fits your unit; find the fastest place to get one and hold it for "
        "pickup; say whether a price is fair; make offers, bid and watch listings; post wanted requests; and, "
        "for sellers, draft and publish listings and answer offers. I can also adjust your stock, move it "
        "between trucks, and mark deals shipped or delivered.")


@policy("greet")
def greet(ctx: Ctx) -> Say:
    first = ctx.env.name.split()[0] if ctx.env.name else ""
    return say(f"Hi{' ' + first if first else ''} — what part are you after? A part number, a description, the "
               "equipment model or a photo of the nameplate all work.")


@policy("help")
def help_(ctx: Ctx) -> Say:
    return say(HELP, "What do you need?")


@policy("thanks")
def thanks(ctx: Ctx) -> Say:
    return say("You're welcome. Message me any time you need a part.")


@policy("out_of_scope")
def out_of_scope(ctx: Ctx) -> Say:
    return say("I can only help with parts: finding them, checking fit, stock, prices, holds, offers, listings "
               "and your inventory.", "What part do you need?")


@policy("clarify")
def clarify(ctx: Ctx) -> Step:
    intents = [i for i in ctx.ask.values.get("intents", []) if i][:2]
    if len(intents) < 2:
        return out_of_scope(ctx)
    ctx.state.clarify = Clarify(intents=intents, text=ctx.ask.text)
    first, second = gloss(intents[0]), gloss(intents[1])
    return say(f"Do you want me to {first}, or {second}?", kind="clarify",
               choices=[DraftChoice(label=first.capitalize(), say=first),
                        DraftChoice(label=second.capitalize(), say=second)])


@policy("bad_choice")
def bad_choice(ctx: Ctx) -> Say:
    count = int(ctx.ask.values.get("count") or 0)
    unseen = ctx.ask.values.get("unseen")
    if unseen:
        return say(f"None of the ones I listed is {str(unseen).replace('_', ' ')}.",
                   f"Which one — 1 to {count}?" if count > 1 else "Is that the one you mean?", kind="clarify")
    if int(ctx.ask.values.get("matches") or 0) > 1:
        return say("More than one of those fits that.", f"Which one — 1 to {count}?", kind="clarify")
    return say("I'm not sure which one you mean.", f"Which one — 1 to {count}?" if count > 1 else "Which one?",
               kind="clarify")


@policy("declined")
def declined(ctx: Ctx) -> Say:
    return say("OK — I'll leave it.")


@policy("affirm")
def affirm(ctx: Ctx) -> Say:
    return say("OK.", "What would you like me to do next?")


@policy("deny")
def deny(ctx: Ctx) -> Say:
    return say("OK, no problem.")


@policy("choose")
def choose(ctx: Ctx) -> Say:
    return say("I haven't listed anything to choose from yet.", "What are you looking for?")
