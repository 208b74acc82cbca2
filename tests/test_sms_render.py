"""The SMS renderer and GSM-7 arithmetic, and the channel seam's pure parts (confirmations)."""

from __future__ import annotations

import pytest

from agent.reply_draft import DraftItem, ReplyDraft
from agent.runner import Confirmation, TurnResult
from channels.messages import OutboundReply
from channels.replies import reply_from_turn
from channels.sms.gsm import is_gsm, segments, to_gsm
from channels.sms.render import CONFIRM_PROMPT, plain_text, render_sms


def test_segments_follow_gsm7_and_ucs2_limits() -> None:
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2 and segments("a" * 306) == 2
    assert segments("a" * 307) == 3
    assert segments("[" * 80) == 1 and segments("[" * 81) == 2  # extension characters take two septets
    assert segments("日" * 70) == 1 and segments("日" * 71) == 2 and segments("日" * 135) == 3


def test_typography_becomes_gsm7_but_other_scripts_stay() -> None:
    assert to_gsm("“Door” – 2 × GAA… it’s ✅ 👍") == "\"Door\" - 2 x GAA... it's OK "
    assert is_gsm(to_gsm("Café naïve Øresund"))
    assert to_gsm("Ferraro 日本") == "Ferraro 日本"  # no lookalike: UCS-2 is needed, the text is kept


def test_markdown_is_stripped_and_lists_numbered_for_replies() -> None:
    text = "## Found\n**GAA24350BH1** is `in stock`:\n1. Truck 01\n2. Warehouse\n* note\n[docs](https://x.example)"
    assert plain_text(text) == ("Found\nGAA24350BH1 is in stock:\n1) Truck 01\n2) Warehouse\n- note\n"
                                "docs (https://x.example)")


def test_short_reply_is_one_message_with_a_choice_prompt() -> None:
    draft = ReplyDraft(headline="Where to get it:", numbered=True, question="Which one?",
                       items=[DraftItem(kind="source", title=t) for t in ("Truck 01", "Main warehouse", "Keystone")])
    text = "Where to get it:\n1) Truck 01\n2) Main warehouse\n3) Keystone\nWhich one?"
    assert draft.plain_text() == text
    one_line = "Where to get it: 1) Truck 01 2) Main warehouse 3) Keystone Which one?"
    assert render_sms(OutboundReply(text, draft=draft)) == [f"{one_line} Reply 1, 2 or 3."]
    assert render_sms(OutboundReply(text)) == [one_line]  # prose: the planner words its own prompt (or not)


def test_long_reply_splits_on_paragraphs_each_at_most_320() -> None:
    paragraphs = [f"Paragraph {i}: " + "word " * 40 for i in range(5)]
    bodies = render_sms(OutboundReply("\n\n".join(paragraphs)))
    assert len(bodies) == 5 and all(len(b) <= 320 for b in bodies)
    assert [b.split(":")[0] for b in bodies] == [f"Paragraph {i}" for i in range(5)]
    one_long_line = render_sms(OutboundReply("x " * 1000))
    assert all(len(b) <= 320 for b in one_long_line) and "".join(one_long_line).count("x") == 1000


def test_confirmation_asks_for_yes_or_no() -> None:
    turn = TurnResult(user="u", reply="Found it.\nHold 1 × GAA at Truck 01? (yes/no)",
                      confirmation=Confirmation("Hold 1 × GAA at Truck 01?", "request_emergency_pickup", {}))
    reply = reply_from_turn(turn)
    assert reply.text == "Found it." and reply.confirmation == "Hold 1 × GAA at Truck 01?"
    assert render_sms(reply) == [f"Found it. Hold 1 x GAA at Truck 01? {CONFIRM_PROMPT}"]
    assert reply.draft is None
    drafted = reply_from_turn(TurnResult(user="u", reply=turn.reply, confirmation=turn.confirmation,
                                         draft=ReplyDraft(headline="Found it.")))
    assert drafted.text == "Found it." and drafted.draft == ReplyDraft(headline="Found it.")
    assert render_sms(drafted) == render_sms(reply)


def test_without_keys_no_channel_routes_are_served(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from partpilot.wiring import create_app, forget_configuration

    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "AC" + "0" * 32)  # a half-configured integration stays off
    forget_configuration()
    try:
        client = TestClient(create_app())
    finally:
        forget_configuration()
    assert [client.post(path).status_code for path in ("/slack/events", "/sms/inbound", "/sms/status")] == [404] * 3
    assert client.get("/openapi.json").status_code == 200


def test_strangers_never_reach_the_agent_and_failures_get_an_apology(engine) -> None:  # type: ignore[no-untyped-def]
    from agent.gateway import Gateway
    from channels.conversation import SORRY, ConversationService
    from channels.messages import InboundMessage, PhotoAttachment
    from tests.channel_helpers import user_with

    def no_agent():  # type: ignore[no-untyped-def]
        raise RuntimeError("the agent must not run")

    service = ConversationService(Gateway(engine), no_agent)
    photo = PhotoAttachment("https://api.twilio.com/x", "image/jpeg")
    stranger = service.answer(InboundMessage("sms", "+19995550111", "sms:+19995550111", "hi", photos=(photo,)),
                              lambda p: pytest.fail("a stranger's photo must not be fetched"))
    assert stranger.kind == "onboarding" and "+19995550111" in stranger.text
    phone = user_with(engine, "phone", "maria.gonzalez@summitvm.example")
    failed = service.answer(InboundMessage("sms", phone, f"sms:{phone}", "hi"), lambda p: b"")
    assert failed.text == SORRY and failed.kind == "notice"


def test_public_url_prefers_the_configured_base_then_forwarded_headers() -> None:
    from starlette.requests import Request

    from channels.sms.routes import public_url

    def request(headers: dict[str, str]) -> Request:
        return Request({"type": "http", "method": "POST", "scheme": "http", "path": "/sms/inbound",
                        "query_string": b"x=1", "server": ("10.0.0.5", 8000),
                        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]})

    proxied = request({"host": "10.0.0.5:8000", "x-forwarded-proto": "https, http",
                       "x-forwarded-host": "parts.example.com"})
    assert public_url(proxied, None) == "https://parts.example.com/sms/inbound?x=1"
    assert public_url(proxied, "https://sms.example.org/") == "https://sms.example.org/sms/inbound?x=1"
    assert public_url(request({"host": "10.0.0.5:8000"}), None) == "http://10.0.0.5:8000/sms/inbound?x=1"
