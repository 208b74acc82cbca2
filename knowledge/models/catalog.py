"""The parts catalog, supersession edges and compatibility rows."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum

from pgvector.sqlalchemy import Vector
from sqlalchemy import Computed, Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models.base import EMBEDDING_DIMS, Base, Timestamped, currency, json_dict, json_list, uuid_pk

# Upper-case, strip everything but letters and digits, then fold OCR look-alikes (O→0, I/L→1, S→5, B→8,
# Z→2). The same rule lives in knowledge.partnumbers.normalize_part_number for query text.
PART_NUMBER_NORM_SQL = (
    "translate(upper(regexp_replace({col}, '[^A-Za-z0-9]', '', 'g')), 'OILSBZ', '011582')"
)

PART_SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('simple', coalesce(part_number, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(manufacturer, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(name, '')), 'A') || "
    "setweight(jsonb_to_tsvector('english', coalesce(keywords, '[]'::jsonb), '[\"string\"]'), 'B') || "
    "setweight(to_tsvector('english', coalesce(subcategory, '')), 'B') || "
    "setweight(jsonb_to_tsvector('simple', coalesce(compatible_equipment, '[]'::jsonb), '[\"string\"]'), 'C') || "
    "setweight(jsonb_to_tsvector('simple', coalesce(specifications, '{}'::jsonb), "
    "'[\"string\", \"numeric\"]'), 'C') || "
    "setweight(to_tsvector('english', coalesce(description, '')), 'D')"
)


class PartCategory(StrEnum):
    ELEVATOR_CONTROLLER = "elevator_controller"
    ELEVATOR_MOTOR = "elevator_motor"
    ELEVATOR_DRIVE = "elevator_drive"
    ELEVATOR_DOOR = "elevator_door"
    ELEVATOR_SAFETY = "elevator_safety"
    ELEVATOR_SENSOR = "elevator_sensor"
    ELEVATOR_BUTTON = "elevator_button"
    ELEVATOR_DISPLAY = "elevator_display"
    ELEVATOR_CABLE = "elevator_cable"
    ELEVATOR_BRAKE = "elevator_brake"
    HVAC_COMPRESSOR = "hvac_compressor"
    HVAC_CONDENSER = "hvac_condenser"
    HVAC_BLOWER = "hvac_blower"
    HVAC_THERMOSTAT = "hvac_thermostat"
    HVAC_FILTER = "hvac_filter"
    HVAC_VALVE = "hvac_valve"
    HVAC_SENSOR = "hvac_sensor"
    ELECTRICAL_BREAKER = "electrical_breaker"
    ELECTRICAL_TRANSFORMER = "electrical_transformer"
    ELECTRICAL_SWITCH = "electrical_switch"
    ELECTRICAL_RELAY = "electrical_relay"
    ELECTRICAL_CONTACTOR = "electrical_contactor"
    # Medical equipment (seed 001's trade; seed 000 predates it).
    MEDICAL_POWER = "medical_power"
    MEDICAL_SENSOR = "medical_sensor"
    MEDICAL_DISPLAY = "medical_display"
    MEDICAL_PUMP = "medical_pump"
    MEDICAL_IMAGING = "medical_imaging"
    GENERAL_FASTENER = "general_fastener"
    GENERAL_LUBRICANT = "general_lubricant"
    GENERAL_TOOL = "general_tool"


class Trade(StrEnum):
    ELEVATOR = "elevator"
    HVAC = "hvac"
    ELECTRICAL = "electrical"
    MEDICAL = "medical"
    GENERAL = "general"


class Interchangeability(StrEnum):
    DROP_IN = "drop_in"
    ONE_WAY = "one_way"
    REQUIRES_MODIFICATION = "requires_modification"
    KIT = "kit"


class Part(Base, Timestamped):
    __tablename__ = "parts_catalog"
    __table_args__ = (
        UniqueConstraint("organization_id", "manufacturer", "part_number", name="unique_part",
                         postgresql_nulls_not_distinct=True),
        Index("idx_parts_search", "search_vector", postgresql_using="gin"),
        Index(
            "idx_parts_embedding", "embedding", postgresql_using="hnsw",
            postgresql_with={"m": 16, "ef_construction": 64}, postgresql_ops={"embedding": "vector_cosine_ops"},
        ),
        Index("idx_parts_number_norm", "part_number_norm"),
    )

    id: Mapped[uuid_pk]
    organization_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organizations.id"))
    part_number: Mapped[str] = mapped_column(String(100))
    part_number_norm: Mapped[str] = mapped_column(
        String(100), Computed(PART_NUMBER_NORM_SQL.format(col="part_number"), persisted=True)
    )
    manufacturer: Mapped[str] = mapped_column(String(100), index=True)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(50), index=True)
    subcategory: Mapped[str | None] = mapped_column(String(50))
    trade: Mapped[str] = mapped_column(String(30), index=True)
    compatible_equipment: Mapped[json_list]
    compatible_manufacturers: Mapped[json_list]
    supersedes: Mapped[json_list]
    superseded_by: Mapped[str | None] = mapped_column(String(100))
    specifications: Mapped[json_dict]
    weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 3))
    dimensions_cm: Mapped[dict[str, float] | None] = mapped_column(JSONB)
    images: Mapped[json_list]
    datasheets: Mapped[json_list]
    installation_guides: Mapped[json_list]
    msrp: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    currency: Mapped[currency]
    lead_time_days: Mapped[int | None] = mapped_column()
    is_discontinued: Mapped[bool] = mapped_column(default=False, server_default="false")
    keywords: Mapped[json_list]
    embedding: Mapped[list[float] | None] = mapped_column(Vector(EMBEDDING_DIMS))
    search_vector: Mapped[str] = mapped_column(TSVECTOR, Computed(PART_SEARCH_VECTOR_SQL, persisted=True))


class PartNumberLookup(Base):
    """Each part's normalised number, alone in a narrow table kept in step by a trigger.

    A near-number lookup rechecks every trigram candidate in the heap; a row of `parts_catalog` (text,
    vectors) fills most of a page, so at 100k parts the ~2,000 candidates of a common prefix cost ~2,000 page
    reads there and ~20 here.
    """

    __tablename__ = "part_number_lookup"
    __table_args__ = (
        Index("idx_part_number_lookup_trgm", "part_number_norm", postgresql_using="gin",
              postgresql_ops={"part_number_norm": "gin_trgm_ops"}),
    )

    part_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parts_catalog.id", ondelete="CASCADE"), primary_key=True)
    part_number_norm: Mapped[str] = mapped_column(String(100))


class CatalogManufacturer(Base):
    """Each manufacturer spelling the catalog holds, kept by statement triggers on `parts_catalog` (migration
    0019), so that spotting a maker in a query reads a few hundred rows instead of scanning the catalog."""

    __tablename__ = "catalog_manufacturers"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)


class PartSupersession(Base):
    """A directed edge: `old_part` is replaced by `new_part` from `effective_date`."""

    __tablename__ = "part_supersessions"
    __table_args__ = (UniqueConstraint("old_part_id", "new_part_id"),)

    id: Mapped[uuid_pk]
    old_part_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parts_catalog.id", ondelete="CASCADE"), index=True)
    new_part_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parts_catalog.id", ondelete="CASCADE"), index=True)
    interchangeability: Mapped[str] = mapped_column(String(30))
    effective_date: Mapped[date] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)


class PartCompatibility(Base):
    """A part fits an equipment model (optionally only within a serial or year range)."""

    __tablename__ = "part_compatibility"
    __table_args__ = (UniqueConstraint("part_id", "equipment_model_id"),)

    id: Mapped[uuid_pk]
    part_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parts_catalog.id", ondelete="CASCADE"), index=True)
    equipment_model_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("equipment_models.id", ondelete="CASCADE"), index=True
    )
    fit: Mapped[str] = mapped_column(String(30), default="direct", server_default="direct")
    source: Mapped[str] = mapped_column(String(30), default="oem", server_default="oem")
    notes: Mapped[str | None] = mapped_column(Text)

