"""Orders told where people are: an order placed through checkout reaches the seller's desk and runs the
workflow; the approval notice reaches a parts manager's Slack with Approve / Reject buttons that answer in the
notice's own thread (real app, signed Slack payloads, slack_sdk against the loopback fake)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, text

from channels.fakes.slack_web_api import FakeSlackWebApi
from channels.slack.blocks import CHOICES_BLOCK, CONFIRM_ACTION
from tests.channel_fakes import SLACK_SECRET, SLACK_TOKEN
from tests.channel_helpers import RunningApp, running_app
from tests.deal_helpers import stock_of
from tests.notice_helpers import new_person
from tests.order_helpers import (
    listing_source,
    listing_state,
    notices,
    order_history,
    order_row,
    place_order,
    sellers_of,
)
from tests.test_notice_answers import press_notice
from tests.test_slack_channel import click, posts_in
from tests.tool_helpers import key, ok
from tools.context import Caller, caller_by_email
from tools.registry import invoke


@pytest.fixture(scope="module")
def people(engine: Engine) -> dict[str, Caller]:
    return {"derek": caller_by_email(engine, "derek.olson@summitvm.example"),
            "ray": caller_by_email(engine, "ray.kowalski@metrosalvage.example"),
            "jolene": caller_by_email(engine, "jolene.pratt@metrosalvage.example")}


def test_an_order_bought_now_reaches_the_desk_and_runs_the_workflow(engine: Engine,
                                                                   people: dict[str, Caller]) -> None:
    derek, ray, jolene = people["derek"], people["ray"], people["jolene"]
    source, item = listing_source(engine, ray, 3)
    bought = ok(invoke(engine, derek, "buy_now", {"listing_id": str(source.listing_id), "quantity": 2,
                                                  "ship_to": "Brown Palace job", "po_number": "4471"},
                       idempotency_key=key()))
    [placed] = bought.orders
    assert placed.status == "pending_payment" and placed.next_steps == ["cancel"]
    assert listing_state(engine, source.listing_id) == (1, "active") and stock_of(engine, item) == (3, 2)
    assert order_history(engine, placed.id) == [(None, "pending_payment", derek.user_id)]
    desk = [n for n in notices(engine, placed.id) if n.category == "order_placed"]
    assert {n.user_id for n in desk} == sellers_of(engine, ray.organization_id) >= {ray.user_id, jolene.user_id}
    assert desk[0].title == f"New order {placed.order_number} from Summit Vertical & Mechanical"
    assert f"Derek Olson of Summit Vertical & Mechanical ordered 2 × {source.part_number}" in desk[0].body
    assert f"Invoice {placed.invoice_number} was issued" in desk[0].body

    seen = ok(invoke(engine, ray, "get_order", {"order_number": placed.order_number}))
    assert seen.role == "seller" and seen.next_steps == ["reject", "verify-payment"]
    for step, extra in (("verify-payment", {}), ("pack", {}),
                        ("ship", {"carrier": "FedEx", "tracking_number": "7749 1234 5678"})):
        ok(invoke(engine, ray, "update_order", {"order_id": str(placed.id), "transition": step, **extra},
                  idempotency_key=key()))
    assert stock_of(engine, item) == (1, 0) and order_row(engine, placed.id).status == "shipped"
    [shipped] = [n for n in notices(engine, placed.id, derek) if n.title.endswith("shipped")]
    assert "FedEx 7749 1234 5678" in shipped.body


@pytest.fixture(scope="module")
def app(engine: Engine, slack: FakeSlackWebApi) -> Iterator[RunningApp]:
    env = {"SLACK_BOT_TOKEN": SLACK_TOKEN, "SLACK_SIGNING_SECRET": SLACK_SECRET, "SLACK_API_BASE_URL": slack.base_url}
    with running_app(env) as running:
        yield running


def approval_dm(app: RunningApp, slack: FakeSlackWebApi, engine: Engine,
                people: dict[str, Caller]) -> tuple[uuid.UUID, str, Caller, str, dict[str, Any]]:
    """An order waiting for a new Slack-using parts manager of Summit, and the DM that asks them."""
    approver, _ = new_person(engine, "Summit Vertical & Mechanical", slack=True, role="parts_manager")
    source, _ = listing_source(engine, people["ray"], 3)
    order, number = place_order(engine, people["derek"], source, 1, status="awaiting_approval")
    with engine.connect() as conn:
        slack_id = str(conn.execute(text("SELECT slack_user_id FROM users WHERE id = :u"),
                                    {"u": approver.user_id}).scalar())
    while app.hub.deliver_notices():  # the workflow tests above left notices for the demo people too
        pass
    [dm] = [p for p in slack.posted() if p["channel"] == slack_id and number in p["text"]]
    return order, number, approver, slack_id, dm


def test_the_approval_notice_reaches_slack_with_buttons_that_answer_in_its_thread(
        app: RunningApp, slack: FakeSlackWebApi, engine: Engine, people: dict[str, Caller]) -> None:
    order, number, approver, slack_id, dm = approval_dm(app, slack, engine, people)
    [notice] = notices(engine, order, approver)
    assert notice.category == "order_approval_needed" and notice.title == f"Approval needed: order {number}"
    buttons = [e for b in dm["blocks"] if b.get("block_id") == CHOICES_BLOCK for e in b["elements"]]
    assert [(b["text"]["text"], json.loads(b["value"])["s"]) for b in buttons] == [
        ("Approve", f"approve order {number}"), ("Reject", f"reject order {number}")]
    press_notice(app, dm, slack_id, "Approve")
    [answer] = posts_in(slack, dm["_response_ts"])
    assert number in answer["text"], "the press spoke about this order, in the notice's own thread"


def test_an_approver_approves_from_slack_with_the_button_and_confirm(
        app: RunningApp, slack: FakeSlackWebApi, engine: Engine, people: dict[str, Caller]) -> None:
    order, number, approver, slack_id, dm = approval_dm(app, slack, engine, people)
    press_notice(app, dm, slack_id, "Approve")
    [asked] = posts_in(slack, dm["_response_ts"])
    assert f"Approve Derek Olson's order {number}" in json.dumps(asked["blocks"])
    assert order_row(engine, order).status == "awaiting_approval", "nothing is done before Confirm"
    click(app, asked, dm["_response_ts"], slack_id, CONFIRM_ACTION)
    row = order_row(engine, order)
    assert (row.status, row.approved_by) == ("pending_payment", approver.user_id)
