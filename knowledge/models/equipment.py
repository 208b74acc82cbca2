"""Equipment models (what parts fit) and installed equipment at customer sites."""

from __future__ import annotations

import uuid

from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models.base import Base, Timestamped, json_dict, json_list, uuid_pk


class EquipmentModel(Base, Timestamped):
    __tablename__ = "equipment_models"
    __table_args__ = (UniqueConstraint("manufacturer", "model"),)

    id: Mapped[uuid_pk]
    trade: Mapped[str] = mapped_column(String(30), index=True)
    equipment_type: Mapped[str] = mapped_column(String(60))
    manufacturer: Mapped[str] = mapped_column(String(100), index=True)
    model: Mapped[str] = mapped_column(String(100))
    model_norm: Mapped[str] = mapped_column(String(100), index=True)
    aliases: Mapped[json_list]
    specifications: Mapped[json_dict]
    introduced_year: Mapped[int | None] = mapped_column(Integer)


class Equipment(Base, Timestamped):
    """An installed unit (elevator, rooftop unit, switchboard, infusion pump …) at a customer site."""

    __tablename__ = "equipment"

    id: Mapped[uuid_pk]
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), index=True)
    equipment_model_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("equipment_models.id"), index=True)
    equipment_type: Mapped[str] = mapped_column(String(60))
    manufacturer: Mapped[str] = mapped_column(String(100))
    model: Mapped[str] = mapped_column(String(100))
    serial_number: Mapped[str | None] = mapped_column(String(100))
    controller: Mapped[str | None] = mapped_column(String(100))
    site_name: Mapped[str] = mapped_column(String(200))
    site_address: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(100))
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    install_year: Mapped[int | None] = mapped_column(Integer)
    specifications: Mapped[json_dict]
