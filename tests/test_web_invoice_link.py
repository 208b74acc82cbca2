"""The invoice link in the web chat, in real headless Chromium (Debian's, driven by Playwright): a reply about
an invoiced order of the signed-in web user shows "Download invoice …"; clicking it fetches the PDF with the
chat's own key (a plain link would carry none) and saves it under the invoice's number; the file is the
invoice. The link survives a reload, and a link to another organization's order is refused with the API's
words. The planner is scripted (get_order, then a draft whose order item carries the render helper's link),
so the test does not depend on how the local planner words order replies."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from agent.planners.local.render import invoice_link
from agent.reply_draft import DraftItem, ReplyDraft
from agent.runner import AgentRunner
from api.server import serve_in_thread
from channels.web.chat import runner_dependency
from partpilot.wiring import create_app
from tests.fakes.keyed_planner import KeyedPlanner, drafted
from tests.fakes.scripted_planner import call
from tests.invoice_helpers import invoice, new_seller, pdf_text, place_order
from tests.tool_helpers import MARIA, OUTSIDER, ok
from tools.context import caller_by_email
from tools.registry import invoke

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Page, expect

from tests.browser import CHROMIUM
from tests.test_web_widget import ask, shot

ASK, FOREIGN = "where's my Brown Palace order?", "show me that other order"
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed")


@pytest.fixture(scope="module")
def invoiced(engine: Engine) -> dict[str, str]:
    """An invoiced order of the web user (the demo technician), as get_order shows it."""
    maria = caller_by_email(engine, MARIA)
    seller_org, _ = new_seller(engine, "Parts Supply")
    order = place_order(engine, maria, seller_org)
    invoice(engine, order.id)
    shown = ok(invoke(engine, maria, "get_order", {"order_id": order.id})).model_dump(mode="json")
    assert shown["invoice_url"] == f"/api/v1/orders/{order.id}/invoice.pdf"
    return {"id": str(order.id), "order_number": shown["order_number"], "invoice_number": shown["invoice_number"],
            "invoice_url": shown["invoice_url"], "total": shown["total"]}


@pytest.fixture(scope="module")
def foreign(engine: Engine) -> dict[str, str]:
    """An invoiced order of another organization (Rival's), which the web user may not see."""
    rival = caller_by_email(engine, OUTSIDER)
    seller_org, _ = new_seller(engine)
    order = place_order(engine, rival, seller_org)
    number = invoice(engine, order.id)
    return {"invoice_number": number, "invoice_url": f"/api/v1/orders/{order.id}/invoice.pdf"}


def order_reply(order: dict[str, str], title: str) -> ReplyDraft:
    link = invoice_link(order)
    assert link is not None
    return ReplyDraft(headline=f"{order['order_number']} is waiting for payment.",
                      items=[DraftItem(kind="order", title=title, facts=[f"Invoice {order['invoice_number']}"],
                                       links=[link])])


@pytest.fixture(scope="module")
def server(engine: Engine, invoiced: dict[str, str], foreign: dict[str, str]) -> Iterator[str]:
    planner = KeyedPlanner(steps={
        ASK: [call("get_order", {"order_id": invoiced["id"]}, "call-order"),
              drafted(order_reply(invoiced, f"{invoiced['order_number']}: 2 × GAA26800LC1, pending payment"))],
        FOREIGN: [drafted(order_reply({**foreign, "order_number": "PO-999999"}, "Someone else's order"))],
    })
    runner = AgentRunner(engine, planner=planner)
    app = create_app()
    app.dependency_overrides[runner_dependency] = lambda: runner
    with serve_in_thread(app) as base:
        yield base


def test_the_invoice_link_downloads_the_pdf_with_the_chats_key(page: Page, server: str, invoiced: dict[str, str],
                                                               tmp_path: Path) -> None:
    number = invoiced["invoice_number"]
    ask(page, ASK)
    link = page.locator(".pp-assistant .pp-item .pp-link")
    expect(link).to_have_text(f"Download invoice {number}", timeout=60_000)
    expect(link).to_have_attribute("href", server + invoiced["invoice_url"])
    expect(page.get_by_role("status")).to_have_text("Reply finished.", timeout=30_000)
    shot(page, "invoice-link")

    with page.expect_response(re.compile(r"/invoice\.pdf$")) as fetched, page.expect_download() as saved:
        link.click()
    response = fetched.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    sent = response.request.headers  # the chat's own identity: the demo page signs in with a widget key + user token
    assert sent["authorization"].startswith("Widget ") and sent["x-widget-key"].startswith("ppk_")
    assert saved.value.suggested_filename == f"{number}.pdf"
    path = tmp_path / saved.value.suggested_filename
    saved.value.save_as(path)
    _, words = pdf_text(path.read_bytes())
    assert number in words and invoiced["order_number"] in words and f"${float(invoiced['total']):,.2f}" in words
    expect(page.locator(".pp-alert")).to_be_hidden()

    page.reload()  # the reply comes back from the history with its link
    expect(page.locator(".pp-assistant .pp-item .pp-link")).to_have_text(f"Download invoice {number}")


def test_a_link_to_another_organizations_invoice_is_refused(page: Page, foreign: dict[str, str]) -> None:
    page.get_by_role("button", name="New chat").click()
    ask(page, FOREIGN)
    link = page.locator(".pp-assistant .pp-item .pp-link")
    expect(link).to_have_text(f"Download invoice {foreign['invoice_number']}", timeout=60_000)
    with page.expect_response(re.compile(r"/invoice\.pdf$")) as fetched:
        link.click()
    assert fetched.value.status == 404
    expect(page.locator(".pp-alert")).to_contain_text(re.compile(r"no order", re.IGNORECASE))
