"""Declarative base and the column shapes every table shares."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from sqlalchemy import DateTime, MetaData, Numeric, String, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from knowledge import clock

EMBEDDING_DIMS = 384

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

uuid_pk = Annotated[
    uuid.UUID,
    mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4, server_default=func.gen_random_uuid()),
]
money = Annotated[Decimal, mapped_column(Numeric(12, 2))]
# Rows written through SQLAlchemy take their times from the application clock (so a moved clock orders new
# rows after the seeded ones); the server default covers rows written by plain SQL.
created_ts = Annotated[
    datetime, mapped_column(DateTime(timezone=True), default=clock.now, server_default=func.now())
]
json_list = Annotated[list[Any], mapped_column(JSONB, server_default="[]", default=list)]
json_dict = Annotated[dict[str, Any], mapped_column(JSONB, server_default="{}", default=dict)]
currency = Annotated[str, mapped_column(String(3), server_default="USD", default="USD")]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        uuid.UUID: UUID(as_uuid=True), dict[str, Any]: JSONB, list[Any]: JSONB,
    }


class Timestamped:
    created_at: Mapped[created_ts]
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now, server_default=func.now(), onupdate=clock.now
    )
