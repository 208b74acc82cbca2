"""The widget's inbox in real headless Chromium against a live server: a counter-offer's notice is listed with its
answer buttons, "Accept $90" answers it in the chat (the write waits for Confirm, then the offer is accepted),
and a notice written while the page is open appears without a reload (the notifications stream)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from api.server import serve_in_thread
from partpilot.wiring import create_app
from tests.notice_helpers import new_person
from tests.tool_helpers import create_test_listing, key, ok
from tools.context import Caller
from tools.registry import invoke

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Page, expect

from tests.browser import CHROMIUM

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed")


@pytest.fixture(scope="module")
def server(engine: Engine) -> Iterator[str]:
    with serve_in_thread(create_app()) as base:
        yield base


def countered(engine: Engine, maria: Caller, prefix: str) -> tuple[object, str]:
    """Maria's offer of $80 on a new Metro listing, countered at $90: (offer id, part number)."""
    seller, _ = new_person(engine, "Metro Salvage & Surplus", role="seller")
    listing = create_test_listing(engine, seller, prefix, name="Inbox test part", category="hvac_sensor")
    offer = ok(invoke(engine, maria, "submit_offer", {"listing_id": str(listing), "quantity": 1,
                                                      "offered_price": "80"}, idempotency_key=key())).offer
    ok(invoke(engine, seller, "respond_to_offer", {"offer_id": str(offer.id), "action": "counter",
                                                   "counter_price": "90"}, idempotency_key=key()))
    return offer.id, offer.part_number


def status_of(engine: Engine, offer: object) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT status FROM part_offers WHERE id = :o"), {"o": offer}).scalar_one())


def test_a_counter_offer_is_answered_from_the_inbox(page: Page, engine: Engine, maria: Caller) -> None:
    offer, part = countered(engine, maria, "INB")
    page.reload()
    inbox = page.get_by_role("button", name="Inbox")
    expect(inbox).to_contain_text("Inbox", timeout=20_000)
    expect(page.locator(".pp-count")).to_be_visible(timeout=20_000)
    inbox.click()
    row = page.locator(".pp-notice", has_text=f"countered your offer on {part}")
    expect(row).to_be_visible(timeout=20_000)
    row.get_by_role("button", name="Accept $90").click()
    confirm = page.locator(".pp-confirm").last
    expect(confirm.locator(".pp-confirm-summary")).to_contain_text("Accept", timeout=60_000)
    expect(confirm.locator(".pp-confirm-summary")).to_contain_text("$90")
    assert status_of(engine, offer) == "countered", "nothing is done before Confirm"
    confirm.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status")).to_have_text("Reply finished.", timeout=60_000)
    deadline = time.monotonic() + 10
    while status_of(engine, offer) != "accepted" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert status_of(engine, offer) == "accepted"


def test_a_new_notice_arrives_while_the_page_is_open(page: Page, engine: Engine, maria: Caller) -> None:
    page.get_by_role("button", name="Inbox").click()
    expect(page.locator(".pp-inbox")).to_be_visible()
    _, part = countered(engine, maria, "LIV")
    expect(page.locator(".pp-notice", has_text=f"countered your offer on {part}")).to_be_visible(timeout=15_000)
    expect(page.locator(".pp-notice").first).to_contain_text(part)
