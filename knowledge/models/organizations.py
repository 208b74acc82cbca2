"""Organizations, their partner network, and their people."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models.base import Base, Timestamped, json_list, uuid_pk


class OrganizationType(StrEnum):
    CONTRACTOR = "contractor"
    DISTRIBUTOR = "distributor"
    OEM = "oem"
    SALVAGE = "salvage"
    HOSPITAL = "hospital"


class UserRole(StrEnum):
    TECHNICIAN = "technician"
    PARTS_MANAGER = "parts_manager"
    SELLER = "seller"
    BUYER = "buyer"
    ADMIN = "admin"


class Organization(Base, Timestamped):
    __tablename__ = "organizations"

    id: Mapped[uuid_pk]
    name: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    org_type: Mapped[str] = mapped_column(String(30))
    trades: Mapped[json_list]
    city: Mapped[str | None] = mapped_column(String(100))
    state_province: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(100), default="US", server_default="US")
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    is_verified: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")


class OrganizationPartner(Base):
    """A directed partner-network edge; the network is symmetric, so both directions are stored."""

    __tablename__ = "organization_partners"
    __table_args__ = (CheckConstraint("organization_id <> partner_organization_id", name="not_self"),)

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    partner_organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    relationship_kind: Mapped[str] = mapped_column(String(30), default="partner", server_default="partner")


class User(Base, Timestamped):
    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("email"),
        CheckConstraint("phone IS NULL OR phone ~ '^\\+[1-9][0-9]{7,14}$'", name="phone_e164"),
    )

    id: Mapped[uuid_pk]
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    email: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30))
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    slack_user_id: Mapped[str | None] = mapped_column(String(30), unique=True)
    trades: Mapped[json_list]
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
