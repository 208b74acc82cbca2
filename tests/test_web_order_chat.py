"""Orders through the web chat with the local planner, in real headless Chromium (Debian's, driven by
Playwright): asking about an invoiced order by its number shows its status and a "Download invoice …" link that
downloads the invoice PDF with the chat's own key — the words, the tool call and the link all come from the
planner everyone meets first, not from a script."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from api.server import serve_in_thread
from partpilot.wiring import create_app
from tests.invoice_helpers import invoice, new_seller, pdf_text, place_order
from tests.tool_helpers import MARIA
from tools.context import caller_by_email

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Page, expect

from tests.browser import CHROMIUM
from tests.test_web_widget import ask

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed")


@pytest.fixture(scope="module")
def server(engine: Engine) -> Iterator[str]:
    with serve_in_thread(create_app()) as base:
        yield base


def test_asking_about_an_order_shows_its_invoice_link_and_it_downloads(page: Page, engine: Engine) -> None:
    maria = caller_by_email(engine, MARIA)
    seller_org, _ = new_seller(engine, "Parts Supply")
    order = place_order(engine, maria, seller_org)
    number = invoice(engine, order.id)
    with engine.connect() as conn:
        order_number = conn.execute(text("SELECT order_number FROM orders WHERE id = :i"), {"i": order.id}).scalar_one()
    ask(page, f"wheres my order {order_number.lower()} at")
    link = page.locator(".pp-assistant .pp-item .pp-link")
    expect(link).to_have_text(f"Download invoice {number}", timeout=60_000)
    expect(page.locator(".pp-assistant").last).to_contain_text(re.compile(rf"{order_number} is awaiting payment",
                                                                          re.IGNORECASE))
    with page.expect_response(re.compile(r"/invoice\.pdf$")) as fetched, page.expect_download() as saved:
        link.click()
    assert fetched.value.status == 200 and fetched.value.headers["content-type"] == "application/pdf"
    assert saved.value.suggested_filename == f"{number}.pdf"
    _, words = pdf_text(saved.value.path().read_bytes())
    assert number in words and order_number in words
