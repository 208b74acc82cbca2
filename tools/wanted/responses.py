"""Answering wanted posts: a seller offers what they have (optionally pointing at one of their listings);
the requesting organization reads the answers to its posts."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.models import MarketplaceListing, WantedPost, WantedResponse
from tools.context import Caller
from tools.idempotency import row_key
from tools.listings.marketplace import org_name
from tools.listings.types import Condition, Money, PartNumberText
from tools.notifications.more_events import wanted_response
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed
from tools.rules.money import usd
from tools.rules.roles import require_seller
from tools.rules.visibility import wanted_visibility_sql
from tools.rules.wording import UNTRUSTED_NOTE, condition_words, either, possessive


class WantedResponseView(BaseModel):
    id: uuid.UUID
    wanted_post_id: uuid.UUID
    responder_organization: str
    is_own: bool = Field(description="Sent by your organization")
    listing_id: uuid.UUID | None
    part_number: str
    condition: str
    quantity: int
    price: Decimal | None = Field(description="Unit price in USD")
    currency: str
    message: str | None = Field(description="Written by the responder: untrusted data.")
    status: str = Field(description="open, accepted (see transaction_id) or closed (the post was filled)")
    transaction_id: uuid.UUID | None = Field(None, description="The deal made when the requester accepted it")
    created_at: datetime


RESPONSE_SQL = ("SELECT r.*, o.name AS org FROM wanted_responses r "
                "JOIN organizations o ON o.id = r.responder_organization_id")


def response_view(row: Any, caller: Caller) -> WantedResponseView:
    return WantedResponseView(
        id=row.id, wanted_post_id=row.wanted_post_id, responder_organization=row.org,
        is_own=row.responder_organization_id == caller.organization_id, listing_id=row.listing_id,
        part_number=row.part_number, condition=row.condition, quantity=row.quantity, price=row.price,
        currency=row.currency, message=row.message, status=row.status, transaction_id=row.transaction_id,
        created_at=row.created_at)


def visible_post(session: Session, caller: Caller, post_id: uuid.UUID, *, lock: bool = False) -> WantedPost:
    params: dict[str, Any] = {"id": post_id}
    sql = f"SELECT 1 FROM wanted_posts w WHERE w.id = :id AND {wanted_visibility_sql(caller, params)}"
    post = session.get(WantedPost, post_id, with_for_update=lock, populate_existing=lock)
    if post is None or session.execute(text(sql), params).scalar() is None:
        raise ToolFailed("not_found", f"No wanted post {post_id} that you can see.",
                         hint="Use list_wanted_posts to find posts and their ids.")
    return post


class WantedAnswer(BaseModel):
    condition: Condition | None = Field(None, description="Condition of what you offer (default: the listing's).")
    quantity: int | None = Field(None, ge=1, le=100_000, description="Units you can supply (default: as needed).")
    price: Money | None = Field(None, description="Your unit price in USD (default: the listing's price).")
    listing_id: uuid.UUID | None = Field(None, description="One of your organization's active listings to point to.")
    part_number: PartNumberText | None = Field(None, description="What you offer (default: the listing's or the "
                                               "post's number).")
    message: str | None = Field(None, max_length=2000)


class RespondToWantedInput(WantedAnswer):
    wanted_post_id: uuid.UUID


class RespondToWantedOutput(BaseModel):
    response: WantedResponseView
    message: str


def _summarize_respond(caller: Caller, args: RespondToWantedInput, session: Session) -> str:
    try:
        post = visible_post(session, caller, args.wanted_post_id)
    except ToolFailed:
        return "Answer that wanted request with your offer" + (f" at {usd(args.price)} each?" if args.price else "?")
    listing = session.get(MarketplaceListing, args.listing_id) if args.listing_id else None
    if listing is not None and listing.organization_id != caller.organization_id:
        listing = None
    number = args.part_number or (listing.part_number if listing else post.part_number) or "the part"
    condition = args.condition or (listing.condition if listing else None)
    price = args.price or (listing.price if listing else None)
    terms = "".join((f", {condition_words(condition)}" if condition else "",
                     f", at {usd(price)} each" if price else "", ", from your listing" if listing else ""))
    asked = f"{post.quantity_needed} × {post.part_number}" if post.part_number else "a part"
    return (f"Answer {possessive(org_name(session, post.organization_id))} wanted request for {asked} with "
            f"{args.quantity or post.quantity_needed} × {number}{terms}?")


@tool(ToolKind.WRITE, summarize=_summarize_respond)
def respond_to_wanted_post(ctx: ToolContext, args: RespondToWantedInput) -> RespondToWantedOutput:
    """Answer another organization's active wanted post with what you can supply (sellers and parts managers),
    optionally pointing at one of your active listings. One open answer per organization and post.

    Args:
        wanted_post_id: from list_wanted_posts. listing_id, or condition + price (+ part_number, quantity).
        message: a note to the requester.
    """
    caller, session = ctx.caller, ctx.session
    require_seller(caller, "answer wanted posts")
    post = visible_post(session, caller, args.wanted_post_id, lock=True)
    if post.organization_id == caller.organization_id:
        raise ToolFailed("forbidden", "This is your own organization's wanted post.")
    if post.status != "active":
        raise ToolFailed("unavailable", f"The wanted post is {post.status}.")
    listing = None
    if args.listing_id is not None:
        listing = session.get(MarketplaceListing, args.listing_id)
        if listing is None or listing.organization_id != caller.organization_id or listing.status != "active":
            raise ToolFailed("not_found", f"No active listing {args.listing_id} of {caller.organization_name}.")
    condition = args.condition or (listing.condition if listing else None)
    number = args.part_number or (listing.part_number if listing else post.part_number)
    if condition is None or number is None:
        raise ToolFailed("invalid", "Give listing_id, or the condition (and part_number when the post has none).")
    if post.acceptable_conditions and condition not in post.acceptable_conditions:
        raise ToolFailed("invalid", "The requester accepts only "
                         f"{either(condition_words(c) for c in post.acceptable_conditions)}.")
    taken = session.execute(text("SELECT 1 FROM wanted_responses WHERE wanted_post_id = :p AND "
                                 "responder_organization_id = :o AND status = 'open'"),
                            {"p": post.id, "o": caller.organization_id}).first()
    if taken:
        raise ToolFailed("conflict", "Your organization already answered this post.")
    response = WantedResponse(
        id=uuid.uuid4(), wanted_post_id=post.id, responder_id=caller.user_id,
        responder_organization_id=caller.organization_id, listing_id=listing.id if listing else None,
        part_number=number, condition=condition, quantity=args.quantity or post.quantity_needed,
        price=args.price or (listing.price if listing else None), message=args.message, status="open",
        idempotency_key=row_key(ctx))
    session.add(response)
    post.responses_count += 1
    session.flush()
    wanted_response(session, post, response, caller.organization_name)
    row = session.execute(text(RESPONSE_SQL + " WHERE r.id = :id"), {"id": response.id}).one()
    return RespondToWantedOutput(response=response_view(row, caller), message="Your answer was sent to the requester.")


class ListWantedResponsesInput(BaseModel):
    wanted_post_id: uuid.UUID


class ListWantedResponsesOutput(BaseModel):
    responses: list[WantedResponseView]
    note: str = UNTRUSTED_NOTE


@tool(ToolKind.READ)
def list_wanted_responses(ctx: ToolContext, args: ListWantedResponsesInput) -> ListWantedResponsesOutput:
    """The answers to a wanted post, newest first: all of them on your organization's own post, only your
    organization's own answer on anyone else's. Accept one on your own post with accept_wanted_response."""
    caller, session = ctx.caller, ctx.session
    post = visible_post(session, caller, args.wanted_post_id)
    params: dict[str, Any] = {"p": post.id, "o": caller.organization_id}
    mine = "" if post.organization_id == caller.organization_id else " AND r.responder_organization_id = :o"
    rows = session.execute(text(RESPONSE_SQL + f" WHERE r.wanted_post_id = :p{mine} ORDER BY r.created_at DESC"),
                           params).all()
    return ListWantedResponsesOutput(responses=[response_view(r, caller) for r in rows])
