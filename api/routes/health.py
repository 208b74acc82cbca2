"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from api.deps import EngineDep

router = APIRouter(tags=["health"])


@router.get("/health")
def health(engine: EngineDep) -> dict[str, object]:
    """Reports whether the database answers and how many catalog parts it holds."""
    with engine.connect() as conn:
        parts = conn.execute(text("SELECT count(*) FROM parts_catalog")).scalar_one()
    return {"status": "ok", "database": "ok", "catalog_parts": int(parts)}
