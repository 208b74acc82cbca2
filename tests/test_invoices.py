"""Invoices: a gapless number sequence per seller (concurrent issuers queue, a rolled-back order gives its
number back), issued once per order; the invoice as either party sees it (due date from the supplier's terms)
and nobody else; the PDF's content, long orders over several pages, non-ASCII names; the REST download; and
the buyer's email with the PDF attached."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from knowledge.models import Order
from tests.api_helpers import api_client, body, error, headers_for
from tests.invoice_helpers import DOOR_BOARD, invoice, new_buyer, new_seller, pdf_text, place_order
from tests.notice_helpers import Outlets, outlets
from tests.tool_helpers import OUTSIDER, fails, key, ok
from tools.context import Caller, caller_by_email
from tools.orders.invoice_pdf import render_invoice_pdf
from tools.orders.invoice_view import InvoiceView
from tools.orders.invoices import invoice_prefix, issue_invoice
from tools.registry import invoke


def counter(engine: Engine, seller: object) -> int | None:
    with engine.connect() as conn:
        return conn.execute(text("SELECT last_number FROM invoice_counters WHERE seller_organization_id = :s"),
                            {"s": seller}).scalar()


def stored(engine: Engine, order_id: object) -> tuple[str | None, object]:
    with engine.connect() as conn:
        row = conn.execute(text("SELECT invoice_number, invoice_issued_at FROM orders WHERE id = :o"),
                           {"o": order_id}).one()
    return row.invoice_number, row.invoice_issued_at


def test_prefixes_are_the_sellers_initials() -> None:
    assert invoice_prefix("Keystone Parts Supply", "keystone") == "KPS"
    assert invoice_prefix("Summit Vertical & Mechanical", "summit") == "SVM"
    assert invoice_prefix("House of the Lift", "hol") == "HL"
    assert invoice_prefix("Acme", "acme") == "ACM"


def test_numbers_run_per_seller_and_an_invoiced_order_keeps_its_number(engine: Engine, maria: Caller) -> None:
    first_org, _ = new_seller(engine, "Parts Supply")
    other_org, _ = new_seller(engine, "Lift Depot")
    orders = [place_order(engine, maria, first_org) for _ in range(3)]
    numbers = [invoice(engine, o.id) for o in orders]
    prefix = numbers[0].split("-")[0]
    assert prefix.startswith("Q") and len(prefix) == 3  # "Q<tag> Parts Supply" → "QPS"
    assert numbers == [f"{prefix}-000001", f"{prefix}-000002", f"{prefix}-000003"]
    other = invoice(engine, place_order(engine, maria, other_org).id)
    assert other.endswith("-000001") and other.startswith("Q") and other.split("-")[0][1:] == "LD"
    assert counter(engine, first_org) == 3 and counter(engine, other_org) == 1
    number, issued_at = stored(engine, orders[1].id)
    assert number == numbers[1] and issued_at is not None

    assert invoice(engine, orders[1].id) == numbers[1]  # again: the same number, nothing consumed
    assert stored(engine, orders[1].id) == (number, issued_at) and counter(engine, first_org) == 3


def test_a_rolled_back_order_gives_its_number_back(engine: Engine, maria: Caller) -> None:
    seller_org, _ = new_seller(engine)
    order = place_order(engine, maria, seller_org)
    with Session(engine) as session:
        assert issue_invoice(session, session.get(Order, order.id)).endswith("-000001")  # type: ignore[arg-type]
        session.rollback()
    assert counter(engine, seller_org) is None and stored(engine, order.id)[0] is None
    assert invoice(engine, order.id).endswith("-000001")


def test_concurrent_issuing_leaves_no_gap_and_no_duplicate(engine: Engine, maria: Caller) -> None:
    seller_org, _ = new_seller(engine)
    orders = [place_order(engine, maria, seller_org) for _ in range(24)]
    issued: list[str] = []
    start = threading.Barrier(len(orders) + 4)

    def issue(order_id: object) -> None:
        start.wait()
        issued.append(invoice(engine, order_id))  # type: ignore[arg-type]

    # every order once, and the first four twice more at the same moment (a retried transition)
    threads = [threading.Thread(target=issue, args=(o.id,)) for o in [*orders, *orders[:4]]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    prefix = issued[0].split("-")[0]
    assert sorted(set(issued)) == [f"{prefix}-{n:06d}" for n in range(1, 25)] and len(issued) == 28
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT invoice_number FROM orders WHERE seller_organization_id = :s"),
                            {"s": seller_org}).scalars().all()
    assert sorted(rows) == [f"{prefix}-{n:06d}" for n in range(1, 25)] and counter(engine, seller_org) == 24


def test_approving_an_order_issues_its_invoice_and_tells_the_buyer(engine: Engine, maria: Caller) -> None:
    manager = caller_by_email(engine, "linda.park@summitvm.example")
    seller_org, _ = new_seller(engine)
    order = place_order(engine, maria, seller_org, status="awaiting_approval")
    fails(invoke(engine, maria, "get_invoice", {"order_id": order.id}), "conflict")
    ok(invoke(engine, manager, "update_order", {"order_id": order.id, "transition": "approve"},
              idempotency_key=key()))
    number, issued_at = stored(engine, order.id)
    assert number is not None and number.endswith("-000001") and issued_at is not None
    assert ok(invoke(engine, maria, "get_invoice", {"order_id": order.id})).order_status == "pending_payment"
    with engine.connect() as conn:
        notice = conn.execute(text("SELECT title, body FROM notifications WHERE user_id = :u AND category = "
                                   "'invoice_issued' AND subject_id = :o"), {"u": maria.user_id, "o": order.id}).one()
    assert notice.title.startswith(f"Invoice {number} from ") and "$469.96" in notice.body


def test_transfers_are_never_invoiced(engine: Engine, maria: Caller) -> None:
    transfer = place_order(engine, maria, maria.organization_id, kind="transfer", status="processing")
    with Session(engine) as session, pytest.raises(ValueError, match="transfer"):
        issue_invoice(session, session.get(Order, transfer.id))  # type: ignore[arg-type]
    failure = fails(invoke(engine, maria, "get_invoice", {"order_id": transfer.id}), "conflict")
    assert "transfer" in failure.message


def test_the_invoice_shows_to_both_parties_only(engine: Engine, maria: Caller) -> None:
    seller_org, seller = new_seller(engine, "Elevator Supply", terms="Net 45")
    order = place_order(engine, maria, seller_org, po_number="PO-4471")
    number = invoice(engine, order.id)
    view = ok(invoke(engine, maria, "get_invoice", {"order_id": order.id}))
    assert isinstance(view, InvoiceView) and view.number == number and view.order_number == order.order_number
    assert view.payment_terms == "Net 45" and view.due_on - view.issued_on == timedelta(days=45)
    assert view.seller.name.endswith("Elevator Supply") and view.seller.address_lines == ["Golden, CO, US"]
    assert view.seller.contact and "orders-" in view.seller.contact
    assert view.buyer.name == "Summit Vertical & Mechanical" and "Maria Gonzalez" in (view.buyer.contact or "")
    assert view.ship_to == ["Brown Palace job", "Brown Palace Hotel", "321 17th St", "Denver"]
    assert [(x.part_number, x.quantity, str(x.line_total)) for x in view.lines] == [("GAA26800LC1", 2, "412.00")]
    assert (str(view.subtotal), str(view.shipping), str(view.tax), str(view.total)) == (
        "412.00", "25.00", "32.96", "469.96")
    assert view.payment_instructions == f"Pay by wire or check quoting invoice {number} and PO PO-4471."
    assert view.download_url == f"/api/v1/orders/{order.id}/invoice.pdf" and not view.paid
    assert ok(invoke(engine, seller, "get_invoice", {"order_number": order.order_number})).number == number
    fails(invoke(engine, caller_by_email(engine, OUTSIDER), "get_invoice", {"order_id": order.id}), "not_found")
    fails(invoke(engine, caller_by_email(engine, OUTSIDER), "get_invoice",
                 {"order_number": order.order_number}), "not_found")


def test_no_invoice_yet_says_when_it_comes(engine: Engine, maria: Caller) -> None:
    seller_org, _ = new_seller(engine)
    waiting = place_order(engine, maria, seller_org, status="awaiting_approval")
    failure = fails(invoke(engine, maria, "get_invoice", {"order_id": waiting.id}), "conflict")
    assert waiting.order_number in failure.message and "approv" in failure.message
    assert stored(engine, waiting.id)[0] is None and counter(engine, seller_org) is None
    fails(invoke(engine, maria, "get_invoice", {}), "invalid")


def test_the_pdf_has_the_invoice_and_long_orders_run_over_pages(engine: Engine) -> None:
    tomas = new_buyer(engine, "Tomás Herrera")
    seller_org, _ = new_seller(engine, "Parts Supply")
    lines = [(f"PPN-{n:04d}", f"Door roller assembly, heavy duty, kit {n}", 1 + n % 3, "19.50") for n in range(90)]
    order = place_order(engine, tomas, seller_org, [DOOR_BOARD, *lines], po_number="4471")
    number = invoice(engine, order.id)
    view = ok(invoke(engine, tomas, "get_invoice", {"order_id": order.id}))
    pages, words = pdf_text(render_invoice_pdf(view))
    assert pages >= 3
    for expected in (number, order.order_number, "4471", "Tomás Herrera", "Summit Vertical & Mechanical",
                     "Brown Palace Hotel", "GAA26800LC1", "Door operator board", "PPN-0000", "PPN-0089",
                     f"${view.total:,.2f}", f"Pay by wire or check quoting invoice {number}",
                     f"Invoice {number} · page {pages} of {pages}"):
        assert expected in words, expected
    assert words.count("Part number") == pages  # the lines' header repeats on every page


def test_rest_download_is_a_pdf_named_after_the_invoice(engine: Engine, maria: Caller) -> None:
    seller_org, seller = new_seller(engine)
    order = place_order(engine, maria, seller_org)
    client = api_client()
    waiting = error(client.get(f"/api/v1/orders/{order.id}/invoice.pdf", headers=headers_for(engine, maria)), 409,
                    "conflict")
    assert "no invoice yet" in waiting["message"]
    number = invoice(engine, order.id)
    for who in (maria, seller):
        response = client.get(f"/api/v1/orders/{order.id}/invoice.pdf", headers=headers_for(engine, who))
        assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"] == f'attachment; filename="{number}.pdf"'
        assert response.content.startswith(b"%PDF-") and number in pdf_text(response.content)[1]
    as_data = body(client.get(f"/api/v1/orders/{order.id}/invoice", headers=headers_for(engine, maria)))
    assert as_data["number"] == number and as_data["total"] == "469.96"
    for path in ("invoice.pdf", "invoice"):
        error(client.get(f"/api/v1/orders/{order.id}/{path}", headers=headers_for(engine, OUTSIDER)), 404, "not_found")
    error(client.get(f"/api/v1/orders/{order.id}/invoice.pdf"), 401)


@pytest.fixture(scope="module")
def out(engine: Engine) -> Iterator[Outlets]:
    with outlets(engine) as running:
        yield running


def test_the_buyer_gets_the_invoice_by_email_with_the_pdf(engine: Engine, out: Outlets) -> None:
    buyer = new_buyer(engine, "Tomás Herrera")
    with engine.begin() as conn:  # a phone: their notices go by text, and the invoice still by email
        conn.execute(text("UPDATE users SET phone = :p WHERE id = :u"),
                     {"p": f"+1998{buyer.user_id.int % 10_000_000:07d}", "u": buyer.user_id})
    seller_org, seller = new_seller(engine, "Parts Supply")
    order = place_order(engine, buyer, seller_org)
    number = invoice(engine, order.id)
    invoice(engine, order.id)  # issued once: one notice, one email
    out.hub.deliver_notices()
    out.hub.deliver_notices()
    [mail] = out.mail_to(buyer.email)
    assert mail["Subject"] == f"Partpilot: Invoice {number} from {seller.organization_name}"
    plain = mail.get_body(("plain",))
    assert plain is not None and number in plain.get_content() and "$469.96" in plain.get_content()
    assert f"Attached: {number}.pdf." in plain.get_content()
    [attached] = list(mail.iter_attachments())
    assert attached.get_content_type() == "application/pdf" and attached.get_filename() == f"{number}.pdf"
    pages, words = pdf_text(attached.get_content())
    assert pages == 1 and number in words and "$469.96" in words and "Tomás Herrera" in words
    with engine.connect() as conn:
        sent = conn.execute(text(
            "SELECT n.category, d.channel, d.status FROM notification_deliveries d JOIN notifications n ON "
            "n.id = d.notification_id WHERE n.user_id = :u ORDER BY d.channel"), {"u": buyer.user_id}).all()
    assert [tuple(r) for r in sent] == [("invoice_issued", "email", "sent"), ("invoice_issued", "sms", "sent"),
                                        ("invoice_issued", "web", "delivered")]
    assert any(number in t for t in out.texts_to(str(buyer_phone(engine, buyer))))


def buyer_phone(engine: Engine, who: Caller) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT phone FROM users WHERE id = :u"), {"u": who.user_id}).scalar_one())


def test_an_items_link_is_a_link_where_it_can_be_followed() -> None:
    from agent.reply_draft import DraftItem, DraftLink, ReplyDraft
    from channels.messages import OutboundReply
    from channels.slack.blocks import draft_blocks
    from channels.sms.render import render_sms

    def reply(url: str) -> ReplyDraft:
        link = DraftLink(label="Download invoice KPS-000001", url=url, download="KPS-000001.pdf")
        return ReplyDraft(headline="ORD-100001 is waiting for payment.",
                          items=[DraftItem(kind="order", title="ORD-100001: 2 × GAA26800LC1", links=[link])])

    api_path, public = reply("/api/v1/orders/0b0c1f8e-0d1b-4c55-9a53-1d2f3e4a5b6c/invoice.pdf"), reply(
        "https://parts.example.com/invoices/KPS-000001.pdf")
    assert "invoice" not in api_path.plain_text().lower()  # a link is never part of the text
    [sms] = render_sms(OutboundReply(text=api_path.plain_text(), draft=api_path))
    assert "Download invoice" not in sms and "/api/" not in sms  # a phone cannot sign the API request
    [sms] = render_sms(OutboundReply(text=public.plain_text(), draft=public))
    assert "Download invoice KPS-000001: https://parts.example.com/invoices/KPS-000001.pdf" in sms
    assert "/api/" not in str(draft_blocks(api_path))
    context = draft_blocks(public)[-1]
    assert context["type"] == "context" and context["elements"][-1] == {
        "type": "mrkdwn", "text": "<https://parts.example.com/invoices/KPS-000001.pdf|Download invoice KPS-000001>"}
