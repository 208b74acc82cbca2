"""Wanted posts under /api/v1/marketplace/wanted: create, list (with matches), respond, read and accept responses."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CallerDep, EngineDep, IdempotencyKeyDep
from api.errors import ERROR_RESPONSES
from api.schemas import Page, PageDep, paginate
from api.tooling import run_tool, serves
from tools.terms import PartCategory
from tools.wanted import (
    AcceptTerms,
    AcceptWantedResponseInput,
    AcceptWantedResponseOutput,
    CreateWantedPostInput,
    CreateWantedPostOutput,
    ListWantedPostsOutput,
    ListWantedResponsesOutput,
    RespondToWantedInput,
    RespondToWantedOutput,
    Urgency,
    WantedAnswer,
    WantedPostView,
    WantedResponseView,
)

router = APIRouter(prefix="/api/v1/marketplace/wanted", tags=["wanted"], responses=ERROR_RESPONSES)

KM_PER_MILE = 1.609344
MAX_WANTED_PAGE = 20  # each post carries its matches: pages stay small (the tool returns ≤ 25)


@router.post("", response_model=CreateWantedPostOutput, status_code=201, openapi_extra=serves("create_wanted_post"))
def create_wanted_post(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep,
                       wanted: CreateWantedPostInput) -> CreateWantedPostOutput:
    """Post that your organization needs a part; it is matched against stock and listings at once."""
    return run_tool(engine, caller, "create_wanted_post", wanted, CreateWantedPostOutput, key)


@router.get("", response_model=Page[WantedPostView], openapi_extra=serves("list_wanted_posts"))
def list_wanted_posts(
    engine: EngineDep,
    caller: CallerDep,
    category: PartCategory | None = None,
    urgency: Urgency | None = None,
    part_number: Annotated[str | None, Query(min_length=2, max_length=100)] = None,
    near_lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    near_lng: Annotated[float | None, Query(ge=-180, le=180)] = None,
    radius_miles: Annotated[float | None, Query(gt=0, le=3000)] = None,
    mine: Annotated[bool, Query(description="Only your organization's posts, any status")] = False,
    include_matches: bool = True,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_WANTED_PAGE)] = 10,
) -> Page[WantedPostView]:
    """Wanted posts you may see, most urgent first, each with what you can see that could fill it."""
    found = run_tool(engine, caller, "list_wanted_posts", {
        "category": category, "urgency": urgency, "part_number": part_number, "lat": near_lat, "lng": near_lng,
        "within_km": radius_miles * KM_PER_MILE if radius_miles else None, "mine_only": mine,
        "include_matches": include_matches, "limit": page_size + 1, "offset": (page - 1) * page_size},
        ListWantedPostsOutput)
    return Page[WantedPostView](items=found.posts[:page_size], page=page, page_size=page_size,
                                has_more=len(found.posts) > page_size)


@router.post("/{wanted_id}/respond", response_model=RespondToWantedOutput, status_code=201,
             openapi_extra=serves("respond_to_wanted_post"))
def respond_to_wanted(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep, wanted_id: uuid.UUID,
                      response: WantedAnswer) -> RespondToWantedOutput:
    """Answer another organization's wanted post with what you can supply (sellers and parts managers)."""
    args = RespondToWantedInput(**response.model_dump(), wanted_post_id=wanted_id)
    return run_tool(engine, caller, "respond_to_wanted_post", args, RespondToWantedOutput, key)


@router.get("/{wanted_id}/responses", response_model=Page[WantedResponseView],
            openapi_extra=serves("list_wanted_responses"))
def wanted_responses(engine: EngineDep, caller: CallerDep, paging: PageDep,
                     wanted_id: uuid.UUID) -> Page[WantedResponseView]:
    """Answers to your post (all), or your own answer to someone else's, newest first."""
    found = run_tool(engine, caller, "list_wanted_responses", {"wanted_post_id": wanted_id}, ListWantedResponsesOutput)
    return paginate(found.responses, paging)


@router.post("/{wanted_id}/responses/{response_id}/accept", response_model=AcceptWantedResponseOutput,
             openapi_extra=serves("accept_wanted_response"))
def accept_wanted_response(engine: EngineDep, caller: CallerDep, key: IdempotencyKeyDep, wanted_id: uuid.UUID,
                           response_id: uuid.UUID, terms: AcceptTerms | None = None) -> AcceptWantedResponseOutput:
    """Accept an answer to your organization's post: it becomes a transaction (the poster, or a buyer or parts
    manager of the organization)."""
    args = AcceptWantedResponseInput(**(terms or AcceptTerms()).model_dump(), response_id=response_id,
                                     wanted_post_id=wanted_id)
    return run_tool(engine, caller, "accept_wanted_response", args, AcceptWantedResponseOutput, key)
