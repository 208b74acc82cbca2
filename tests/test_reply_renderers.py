"""Each channel renders the planner's draft for its medium (pure, no database): SMS as one short GSM-7 text
with "Reply 1, 2 or 3", Slack as valid Block Kit with choice buttons, the web as a `data-reply` part — and
no channel looks into reply text or tool outputs to guess what the reply offers."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.models.blocks import Block, ButtonElement

from agent.events import TurnFinished, TurnResult
from agent.reply_draft import DraftChoice, DraftItem, ReplyDraft
from channels.messages import OutboundReply
from channels.replies import bare_number, numbered_choices, picked_choice
from channels.slack.blocks import (
    CHOICE_ACTION,
    CHOICES_BLOCK,
    CONFIRMATION_BLOCK,
    answered_blocks,
    fallback_text,
    reply_blocks,
)
from channels.sms.gsm import is_gsm
from channels.sms.render import CONFIRM_PROMPT, render_sms
from tests.draft_helpers import NO_MATCH, SELLERS

KEY, USER = "slack:T0PARTS1:D0PARTS01:1700000000.000100", "U0MARIA"


def sms(draft: ReplyDraft, confirmation: str | None = None, notes: tuple[str, ...] = ()) -> list[str]:
    return render_sms(OutboundReply(draft.plain_text(), confirmation=confirmation, draft=draft, notes=list(notes)))


def many(count: int, title: str = "Seller {n}, Denver – refurbished, ${n},000.00, ships today, 2 available",
         short: str = "Seller {n}, ${n},000", **draft: Any) -> ReplyDraft:
    items = [DraftItem(kind="listing", title=title.format(n=n), short=short.format(n=n)) for n in range(1, count + 1)]
    return ReplyDraft(headline="Sellers of GAA26800LC1:", numbered=True, items=items, question="Which one?", **draft)


# --- SMS ---------------------------------------------------------------------------------------------------

def test_sms_numbered_items_fit_one_message_with_a_reply_prompt() -> None:
    [body] = sms(SELLERS)
    assert len(body) <= 320 and is_gsm(body) and "\n" not in body
    assert body == ("GAA26800LC1 (Otis door operator board) is for sale in 3 places near you: "
                    "1) Keystone, refurb, $4,650 2) Apex, new, $5,900 3) Front Range, used, $3,100 "
                    "Which one should I make an offer on? Reply 1, 2 or 3.")
    assert "km away" not in body and "Fair price" not in body  # facts and badges are for richer screens


def test_sms_choices_are_numbered_and_a_number_picks_one() -> None:
    [body] = sms(NO_MATCH)
    assert body == ('I found no part matching "blue door widget". '
                    "Search the marketplace instead? 1) Search the marketplace 2) Not now Reply 1 or 2.")
    assert is_gsm(body) and "\n" not in body
    assert picked_choice(NO_MATCH, 2) == "no thanks" and picked_choice(NO_MATCH, 3) is None
    assert [bare_number(t) for t in ("2", " 2. ", "2)", "2 please", "twelve")] == [2, 2, 2, None, None]
    # numbered items take the numbers: "2" then means the second item, which the planner resolves itself
    with_more = SELLERS.model_copy(update={"choices": [DraftChoice(label="More", say="show more")]})
    assert numbered_choices(with_more) == [] and picked_choice(with_more, 1) is None


def test_sms_shortens_with_short_forms_before_anything_else() -> None:
    draft = many(4, notes=["Prices before tax."])
    full = " ".join((draft.plain_text() + "\nReply 1, 2, 3 or 4.").split())  # full titles, on one line
    assert len(full) > 320
    [body] = sms(draft)
    items = " ".join(f"{n}) Seller {n}, ${n},000" for n in range(1, 5))
    assert body == f"Sellers of GAA26800LC1: {items} Prices before tax. Which one? Reply 1, 2, 3 or 4."
    assert "ships today" not in body and "\n" not in body and len(body) <= 320


def test_sms_drops_notes_then_items_then_cuts_lines() -> None:
    notes = ["Prices are before tax and shipping; sellers may ask for a core deposit on refurbished boards."]
    [without_notes] = sms(many(9, notes=notes))
    items = " ".join(f"{n}) Seller {n}, ${n},000" for n in range(1, 10))
    assert without_notes == f"Sellers of GAA26800LC1: {items} Which one? Reply 1, 2, 3, 4, 5, 6, 7, 8 or 9."
    assert len(without_notes) + len(" " + notes[0]) > 320  # with the note it would not have fit

    [fewer] = sms(many(16, short="Seller {n}, refurbished, ${n},000, today"))
    items = " ".join(f"{n}) Seller {n}, refurbished, ${n},000, today" for n in range(1, 7))
    assert fewer == f"Sellers of GAA26800LC1: {items} +10 more Which one? Reply 1, 2, 3, 4, 5 or 6."
    assert len(fewer) <= 320 and "\n" not in fewer and "Denver" not in fewer  # short forms, then fewer
    assert len(fewer) + len(" 7) Seller 7, refurbished, $7,000, today") > 320  # as many as fit are shown

    [cut] = sms(ReplyDraft(headline="Door operator " * 40, numbered=True, question="Which one?",
                           items=[DraftItem(kind="part", title="GAA26800LC1 " * 30)]))
    assert len(cut) <= 320 and "\n" not in cut and cut.endswith(" Which one? Reply 1.")
    # both long lines are cut with "...", the headline first, then "1) …"; the question and prompt are whole
    assert re.fullmatch(r"(Door operator )+Door\.\.\. 1\) (GAA26800LC1 )+GAA26800LC1\.\.\. Which one\? Reply 1\.",
                        cut)


def test_sms_confirmation_keeps_yes_no_and_no_number_prompt() -> None:
    [body] = sms(SELLERS, confirmation="Offer $4,500 × 1 on Keystone's GAA26800LC1?")
    assert body == ("GAA26800LC1 (Otis door operator board) is for sale in 3 places near you: "
                    "1) Keystone, refurb, $4,650 2) Apex, new, $5,900 3) Front Range, used, $3,100 "
                    "Which one should I make an offer on? Offer $4,500 x 1 on Keystone's GAA26800LC1? "
                    + CONFIRM_PROMPT)
    assert body.endswith(" Reply YES to confirm, NO to cancel.") and not re.search(r"Reply \d", body)
    assert "\n" not in body and len(body) <= 320 and is_gsm(body)


def test_sms_channel_notes_come_first() -> None:
    [body] = sms(NO_MATCH, notes=("I can only read photos (JPEG, PNG or WebP), so I skipped manual.pdf.",))
    assert body.startswith("I can only read photos") and body.endswith("Reply 1 or 2.")


# --- Slack -------------------------------------------------------------------------------------------------

def valid(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Block Kit's limits, checked with slack_sdk's own models plus the per-element ones they skip."""
    assert 0 < len(blocks) <= 50
    ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(ids) == len(set(ids)) and all(len(i) <= 255 for i in ids)
    for block in blocks:
        Block.parse(block).validate_json()  # type: ignore[union-attr]
        if block["type"] == "section":
            assert 0 < len(block["text"]["text"]) <= 3000
        if block["type"] == "context":
            assert 0 < len(block["elements"]) <= 10
        if block["type"] == "actions":
            actions = [e["action_id"] for e in block["elements"]]
            assert len(block["elements"]) <= 25 and len(actions) == len(set(actions))
            for element in block["elements"]:
                ButtonElement(**{k: v for k, v in element.items() if k != "type"}).validate_json()
                assert len(element["text"]["text"]) <= 75 and len(element["value"]) <= 2000
    return blocks


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b.get("block_id") == CHOICES_BLOCK for e in b["elements"]]


def test_slack_draft_is_a_headline_an_item_per_section_and_number_buttons() -> None:
    blocks = valid(reply_blocks(OutboundReply(SELLERS.plain_text(), draft=SELLERS), KEY, USER))
    assert blocks[0]["type"] == "section" and "GAA26800LC1" in blocks[0]["text"]["text"]
    item = next(i for i, b in enumerate(blocks) if b.get("block_id") == "item_0")
    assert blocks[item]["text"]["text"] == "*1) Keystone Elevator Supply, Denver – refurbished, $4,650.00, ships today*"
    assert [e["text"] for e in blocks[item + 1]["elements"]] == ["12.4 km away", "2 available",
                                                                 "Fair price (market $4,700)"]
    assert blocks[-2]["text"]["text"] == "Which one should I make an offer on?"
    pressed = buttons(blocks)
    assert [b["action_id"] for b in pressed] == [f"{CHOICE_ACTION}_{n}" for n in (1, 2, 3)]
    assert [json.loads(b["value"]) for b in pressed][1] == {"k": KEY, "u": USER, "s": "2", "l": "2) Apex, new, $5,900"}
    assert "Reply" not in json.dumps(blocks) and "5b0c1f8e" not in json.dumps(blocks)  # no SMS wording, no ids


def test_slack_choices_are_buttons_that_say_the_choice() -> None:
    blocks = valid(reply_blocks(OutboundReply(NO_MATCH.plain_text(), draft=NO_MATCH), KEY, USER))
    assert [(b["text"]["text"], json.loads(b["value"])["s"]) for b in buttons(blocks)] == [
        ("Search the marketplace", "search the marketplace for a blue door widget"), ("Not now", "no thanks")]
    chosen = answered_blocks(blocks, "<@U0MARIA> chose Not now")
    assert not buttons(chosen) and chosen[-1]["elements"][0]["text"] == "<@U0MARIA> chose Not now"


def test_slack_confirmation_replaces_choices_and_prose_stays_text() -> None:
    reply = OutboundReply(NO_MATCH.plain_text(), confirmation="Post a wanted request?", draft=NO_MATCH)
    blocks = valid(reply_blocks(reply, KEY, USER))
    assert not buttons(blocks) and blocks[-1]["block_id"] == CONFIRMATION_BLOCK
    assert fallback_text(reply).endswith("Please confirm: Post a wanted request?")
    prose = valid(reply_blocks(OutboundReply("**GAA24350BH1** is at Truck 01."), KEY, USER))
    assert prose == [{"type": "section", "text": {"type": "mrkdwn", "text": "*GAA24350BH1* is at Truck 01."}}]


def test_slack_stays_within_block_kit_limits_for_huge_drafts() -> None:
    facts = [f"fact {n}" for n in range(15)]
    huge = ReplyDraft(headline="x" * 5000, numbered=True, question="Which?", notes=["n"] * 12,
                      items=[DraftItem(kind="part", title="t" * 4000, short="s" * 200, facts=facts)
                             for _ in range(40)],
                      choices=[DraftChoice(label="l" * 100, say="y" * 3000)])
    blocks = valid(reply_blocks(OutboundReply(huge.plain_text(), draft=huge), KEY, USER))
    assert blocks[-1]["block_id"] == CHOICES_BLOCK and len(buttons(blocks)) == 25  # buttons survive the cut


# --- Web ---------------------------------------------------------------------------------------------------

def test_web_sends_the_draft_after_the_text_it_renders() -> None:
    from channels.web.events import web_events
    from channels.web.stream import encode_events, parse_sse

    turn = TurnResult(user="who sells GAA26800LC1?", reply=SELLERS.plain_text(), draft=SELLERS)
    events = list(web_events([TurnFinished(turn)]))
    assert [e["type"] for e in events] == ["reply_drafted", "turn_finished"]
    frames = [f for f in parse_sse("".join(encode_events(
        [{"type": "text_delta", "text": SELLERS.plain_text()}, *events], message_id="m1"))) if isinstance(f, dict)]
    assert [f["type"] for f in frames] == ["start", "text-start", "text-delta", "text-end", "data-reply", "finish"]
    reply = frames[4]
    assert set(reply) == {"type", "id", "data"} and ReplyDraft.model_validate(reply["data"]) == SELLERS
    assert not re.search(r"reply \d", json.dumps(frames), re.IGNORECASE)  # no SMS wording on the web


def test_web_history_has_the_draft_right_after_its_text() -> None:
    from langchain_core.messages import HumanMessage

    from channels.web.history import ui_messages
    from tests.fakes.keyed_planner import drafted

    prose_then_draft: list[Any] = [HumanMessage("who sells GAA26800LC1?", id="h1"), drafted(SELLERS)]
    _, assistant = ui_messages(prose_then_draft, None, frozenset())
    assert [p["type"] for p in assistant["parts"]] == ["text", "data-reply"]
    assert assistant["parts"][0]["text"] == SELLERS.plain_text()
    assert ReplyDraft.model_validate(assistant["parts"][1]["data"]) == SELLERS


def test_price_badges_are_the_planners_own_assessments() -> None:
    from channels.web.price_badges import badge_parts, with_price_badges

    verdict = {"listing_id": "L1", "part_number": "GAA26800LC1", "condition": "refurbished", "price": "4650.00",
               "verdict": "fair", "label": "Fair price", "evidence": "12 data points", "market_price": "4700.00"}
    events: list[dict[str, Any]] = [{"type": "tool_finished", "tool": "search_listings", "tool_call_id": "c1",
               "output": {"results": [{"id": "L1", "price": "4650.00"}]}},
              {"type": "tool_finished", "tool": "assess_price", "tool_call_id": "c2", "output": verdict},
              {"type": "tool_finished", "tool": "assess_price", "tool_call_id": "c3",
               "output": {**verdict, "verdict": "unknown"}},
              {"type": "tool_finished", "tool": "assess_price", "tool_call_id": "c4",
               "output": {"ok": False, "error": "not_found", "message": "no"}},
              {"type": "turn_finished"}]
    out = list(with_price_badges(events))
    badges = [e["badge"] for e in out if e["type"] == "price_assessed"]
    assert badges == [{"listingId": "L1", "partNumber": "GAA26800LC1", "condition": "refurbished",
                       "price": "4650.00", "verdict": "fair", "label": "Fair price", "evidence": "12 data points"}]
    assert out.index({"type": "price_assessed", "badge": badges[0]}) == 2  # right after its verdict
    message = {"parts": [{"type": "tool-assess_price", "state": "output-available", "output": verdict},
                         {"type": "tool-search_listings", "state": "output-available", "output": {"results": []}}]}
    assert badge_parts(message) == [{"type": "data-price", "data": badges[0]}]


def test_no_chat_channel_runs_tools_or_reads_the_tool_registry() -> None:
    channels = Path(__file__).resolve().parent.parent / "channels"
    offenders: list[str] = []
    for path in channels.rglob("*.py"):
        if "cli" in path.relative_to(channels).parts:  # `partpilot tool` runs a tool by the operator's command
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            offenders.extend(f"{path.name}: {n}" for n in names if n.startswith("tools.registry"))
    assert offenders == []


@pytest.mark.parametrize("draft", [SELLERS, NO_MATCH], ids=["sellers", "no-match"])
def test_plain_text_is_neutral(draft: ReplyDraft) -> None:
    assert "Reply" not in draft.plain_text() and "Reply" not in fallback_text(OutboundReply(draft.plain_text()))
