"""One notification and what it is about, as it stands now: the offer or the listing it names, and how it can be
answered. When a person answers a notice where it arrived (a text, a Slack thread), the conversation reads it
first, so "accept" or "counter 420" has the offer in focus."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from tools.context import Caller
from tools.deals.closing import offer_view, select_offers
from tools.listings.detail import ListingDetail, listing_detail
from tools.listings.marketplace import visible_listing
from tools.notifications.inbox import NotificationView, notification_views
from tools.offers.types import OfferView
from tools.orders.views import OrderView, find_order, load_order_view
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed


class ShowNotificationInput(BaseModel):
    notification_id: uuid.UUID


class ShowNotificationOutput(BaseModel):
    notification: NotificationView
    offer: OfferView | None = Field(None, description="The offer it is about, as it stands now")
    listing: ListingDetail | None = Field(None, description="The listing it is about (an auction, a watched "
                                          "listing, an alert's match), as it stands now")
    order: OrderView | None = Field(None, description="The order it is about (approval needed, a status change), "
                                    "as it stands now, with the steps you may take on it")
    message: str


@tool(ToolKind.READ)
def show_notification(ctx: ToolContext, args: ShowNotificationInput) -> ShowNotificationOutput:
    """One of your notifications with what it is about as it stands now — the offer (its terms, status, whose
    move it is), the listing (price, stock, auction clock) or the order (status, next steps) — and the answers
    it offers (accept, counter, approve…).

    Args:
        notification_id: from list_notifications.

    Use it before answering a notification ("accept", "counter 420"): the offer or listing it returns is the
    one meant. Only your own notifications can be shown.
    """
    session, caller = ctx.session, ctx.caller
    found = notification_views(session, caller, " AND n.id = :nid", {"nid": args.notification_id})
    if not found:
        raise ToolFailed("not_found", "No such notification of yours.", hint="Use list_notifications for ids.")
    notice = found[0]
    result = ShowNotificationOutput(notification=notice, message=f"{notice.title}: {notice.body}")
    if notice.subject_type == "offer" and notice.subject_id:
        rows = select_offers(session, "f.id = :oid AND (l.organization_id = :org OR f.buyer_organization_id = :org)",
                             {"oid": notice.subject_id, "org": caller.organization_id})
        result.offer = offer_view(rows[0]) if rows else None
    elif notice.subject_type == "order" and notice.subject_id:
        try:
            result.order = load_order_view(session, caller, find_order(session, caller, notice.subject_id))
        except ToolFailed:  # no longer visible to the caller: the notice alone stands
            result.order = None
    elif notice.subject_type == "listing" and notice.subject_id:
        try:
            result.listing = listing_detail(session, caller, visible_listing(session, caller, notice.subject_id))
        except ToolFailed:  # withdrawn or no longer shared with the caller: the notice alone stands
            result.listing = None
    return result


_SLACK_NOTICE = text(
    "SELECT n.id FROM notifications n JOIN notification_deliveries d ON d.notification_id = n.id "
    "WHERE n.user_id = :u AND d.channel = 'slack' AND d.provider_id = :p")
# A text has no thread: a reply answers the latest notice that asked for one, within a day.
_SMS_NOTICE = text(
    "SELECT n.id FROM notifications n JOIN notification_deliveries d ON d.notification_id = n.id "
    "WHERE n.user_id = :u AND d.channel = 'sms' AND d.status = 'sent' AND n.actions IS NOT NULL "
    "AND d.sent_at > now() - interval '24 hours' ORDER BY d.sent_at DESC, d.id DESC LIMIT 1")


def answered_notice(session: Session, caller: Caller, channel: str, conversation_key: str) -> uuid.UUID | None:
    """The notice a message in this conversation answers, if any: on Slack the one whose DM the thread hangs
    under (`slack:team:channel:ts`), over SMS the latest one that asked for a reply."""
    if channel == "slack":
        parts = conversation_key.split(":")
        if len(parts) != 4:
            return None
        return session.execute(_SLACK_NOTICE, {"u": caller.user_id, "p": f"{parts[2]}:{parts[3]}"}).scalar()
    if channel == "sms":
        return session.execute(_SMS_NOTICE, {"u": caller.user_id}).scalar()
    return None
