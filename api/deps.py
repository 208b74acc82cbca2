"""FastAPI dependencies, typed once as Annotated aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy import Engine

from knowledge.db import get_engine


def engine_dependency() -> Engine:
    return get_engine()


EngineDep = Annotated[Engine, Depends(engine_dependency)]
