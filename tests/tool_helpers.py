"""What the tool tests share: demo callers, checks on a tool's result, idempotency keys and throwaway listings."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import Engine, text

from tools.context import SELLING_ROLES, Caller, caller_by_email
from tools.registry import invoke
from tools.results import ToolFailure

MARIA = "maria.gonzalez@summitvm.example"  # the demo technician
METRO = "Metro Salvage & Surplus"  # the demo organization that sells
SELLER = "ray.kowalski@metrosalvage.example"  # a seller at Metro
OUTSIDER = "steve.rourke@rivallift.example"  # a seller at Rival, which is no partner of Summit's


def member(engine: Engine, org: str, *, selling: bool | None = None) -> Caller:
    """A demo user of `org` (a seller/parts manager when selling=True, a non-seller when False)."""
    with engine.connect() as conn:
        emails = list(conn.execute(text(
            "SELECT u.email, u.role FROM users u JOIN organizations o ON o.id = u.organization_id "
            "WHERE o.name = :org AND u.is_active ORDER BY u.email"), {"org": org}))
    for email, role in emails:
        if selling is None or (role in SELLING_ROLES) == selling:
            return caller_by_email(engine, email)
    pytest.fail(f"demo data has no {'selling' if selling else 'matching'} user in {org}")


def ok(result: Any) -> Any:
    """The tool's output, asserting it did not fail."""
    assert not isinstance(result, ToolFailure), result
    return result


def fails(result: Any, code: str) -> ToolFailure:
    """The failure, asserting the tool failed with `code`."""
    assert isinstance(result, ToolFailure), result
    assert result.error == code, result
    return result


def key() -> str:
    """A fresh idempotency key for one WRITE call."""
    return f"test-{uuid.uuid4()}"


def create_test_listing(engine: Engine, seller: Caller, prefix: str, *, publish: bool = True,
                        **fields: Any) -> uuid.UUID:
    """Create (and publish) a public used_good sale listing at $100 of an uncatalogued part numbered
    `prefix`-XXXXXXXX from Testco; `fields` are further create_listing arguments and override these."""
    args = {"listing_type": "sale", "part_number": f"{prefix}-{uuid.uuid4().hex[:8].upper()}",
            "manufacturer": "Testco", "condition": "used_good", "price": "100", "visibility": "public", **fields}
    created = ok(invoke(engine, seller, "create_listing", args, idempotency_key=key()))
    if publish:
        ok(invoke(engine, seller, "publish_listing", {"listing_id": str(created.listing.id)}, idempotency_key=key()))
    return created.listing.id
