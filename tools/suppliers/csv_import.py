"""Importing a supplier price file: every row is checked first, then all of it is written in one transaction
or none of it is. Suppliers are found by name (an unknown one is created with its organization), branches by
supplier and code, offers by branch and normalised part number: importing the same file again updates them."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import Engine, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from knowledge import clock
from knowledge.models import Organization, Supplier, SupplierBranch, SupplierOffer
from knowledge.models.organizations import OrganizationType
from tools.suppliers.csv_rows import OfferRow, SupplierFileError, read_supplier_csv

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]  # (rows written, rows in the file)


@dataclass
class ImportReport:
    rows: int = 0
    offers_created: int = 0
    offers_updated: int = 0
    suppliers_created: list[str] = field(default_factory=list)
    branches_created: list[str] = field(default_factory=list)
    linked_to_catalog: int = 0


def _slug(session: Session, name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:70] or "supplier"
    slug, n = base, 1
    while session.scalar(select(Organization.id).where(Organization.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


_SUPPLIER_DETAILS = ("supplier_type", "authorized", "timezone")
_BRANCH_DETAILS = ("branch_name", "branch_city", "branch_state", "cutoff_time", "will_call")


def _details(rows: list[OfferRow], names: tuple[str, ...], branch: bool) -> dict[tuple[str, ...], OfferRow]:
    """Per supplier (or branch), its first row with every detail some row of it gives (rows agree on them)."""
    merged: dict[tuple[str, ...], OfferRow] = {}
    for row in rows:
        key = (row.supplier.lower(), row.branch_code.lower()) if branch else (row.supplier.lower(),)
        first = merged.setdefault(key, replace(row))
        for name in names:
            if getattr(first, name) is None:
                setattr(first, name, getattr(row, name))
    return merged


def _supplier(session: Session, row: OfferRow, report: ImportReport) -> Supplier:
    """The supplier the row names: by name, else the organization of that name gets a supplier profile, else
    both are created. Details the file gives (type, authorized, time zone) are applied."""
    supplier = session.scalar(select(Supplier).where(func.lower(Supplier.name) == row.supplier.lower()))
    if supplier is None:
        org = session.scalar(select(Organization).where(func.lower(Organization.name) == row.supplier.lower()))
        if org is None:
            kind = OrganizationType.OEM if row.supplier_type == "oem" else OrganizationType.DISTRIBUTOR
            org = Organization(name=row.supplier, slug=_slug(session, row.supplier), org_type=kind.value, trades=[],
                               city=row.branch_city, state_province=row.branch_state)
            session.add(org)
            session.flush()
        supplier = Supplier(organization_id=org.id, name=org.name, supplier_type=row.supplier_type or "independent",
                            authorized=bool(row.authorized), authorized_brands=[])
        session.add(supplier)
        report.suppliers_created.append(org.name)
    for name in _SUPPLIER_DETAILS:
        if getattr(row, name) is not None:
            setattr(supplier, name, getattr(row, name))
    session.flush()
    return supplier


def _branch(session: Session, supplier: Supplier, row: OfferRow, report: ImportReport) -> SupplierBranch:
    branch = session.scalar(select(SupplierBranch).where(
        SupplierBranch.supplier_id == supplier.id, func.lower(SupplierBranch.code) == row.branch_code.lower()))
    if branch is None:
        branch = SupplierBranch(supplier_id=supplier.id, code=row.branch_code, name=row.branch_name or row.branch_code)
        session.add(branch)
        report.branches_created.append(f"{supplier.name} {row.branch_code}")
    changes = {"name": row.branch_name, "city": row.branch_city, "state_province": row.branch_state,
               "cutoff_time": row.cutoff_time, "will_call": row.will_call}
    for name, value in changes.items():
        if value is not None:
            setattr(branch, name, value)
    session.flush()
    return branch


def _catalog_part(session: Session, row: OfferRow) -> uuid.UUID | None:
    """The shared catalog's part with this number and manufacturer (letters and digits compared), if any."""
    maker = re.sub(r"[^a-z0-9]", "", row.manufacturer.lower())
    found = session.execute(text(
        "SELECT id FROM parts_catalog WHERE organization_id IS NULL AND part_number_norm = :norm "
        "AND regexp_replace(lower(manufacturer), '[^a-z0-9]', '', 'g') = :maker"),
        {"norm": row.part_number_norm, "maker": maker}).scalars().all()
    return found[0] if len(found) == 1 else None


def _write_offer(session: Session, supplier: Supplier, branch: SupplierBranch, row: OfferRow,
                 report: ImportReport) -> str | None:
    """Insert or update the branch's offer of the part; a problem only the database can see comes back."""
    reserved = session.scalar(select(SupplierOffer.stock_reserved).where(
        SupplierOffer.branch_id == branch.id, SupplierOffer.part_number_norm == row.part_number_norm)) or 0
    if row.stock_on_hand < reserved:
        return (f"row {row.line}: stock_on_hand {row.stock_on_hand} is below the {reserved} unit(s) open orders "
                f"have reserved at branch '{row.branch_code}'")
    part_id = _catalog_part(session, row)
    values = {"supplier_id": supplier.id, "part_id": part_id, "part_number": row.part_number,
              "manufacturer": row.manufacturer, "unit_price": row.unit_price,
              "price_breaks": [b.model_dump(mode="json") for b in row.price_breaks], "currency": row.currency,
              "stock_on_hand": row.stock_on_hand, "lead_time_days": row.lead_time_days, "is_active": True,
              "updated_at": clock.now()}
    for name in ("description", "backorder_allowed"):  # blank: an existing offer keeps its own
        if getattr(row, name) is not None:
            values[name] = getattr(row, name)
    statement = insert(SupplierOffer).values(branch_id=branch.id, part_number_norm=row.part_number_norm, **values)
    statement = statement.on_conflict_do_update(index_elements=["branch_id", "part_number_norm"], set_=values)
    created = session.execute(statement.returning(text("xmax = 0"))).scalar_one()
    report.offers_created += bool(created)
    report.offers_updated += not created
    report.linked_to_catalog += part_id is not None
    return None


def import_supplier_csv(engine: Engine, source: Path | str, progress: Progress | None = None) -> ImportReport:
    """Import a supplier price file (a path, or the CSV text itself): all rows or none.

    Raises:
        SupplierFileError: with one message per bad row (or header problem); nothing was written.
    """
    try:
        content = source.read_text(encoding="utf-8-sig") if isinstance(source, Path) else source
    except UnicodeDecodeError as exc:
        raise SupplierFileError([f"the file is not UTF-8 text (byte {exc.start}): save it as CSV UTF-8"]) from None
    rows = read_supplier_csv(content)
    report = ImportReport(rows=len(rows))
    errors: list[str] = []
    supplier_rows = _details(rows, _SUPPLIER_DETAILS, branch=False)
    branch_rows = _details(rows, _BRANCH_DETAILS, branch=True)
    with Session(engine) as session, session.begin():
        suppliers = {key[0]: _supplier(session, row, report) for key, row in supplier_rows.items()}
        branches = {key: _branch(session, suppliers[key[0]], row, report) for key, row in branch_rows.items()}
        for done, row in enumerate(rows, 1):
            who = row.supplier.lower()
            problem = _write_offer(session, suppliers[who], branches[(who, row.branch_code.lower())], row, report)
            if problem:
                errors.append(problem)
            if progress:
                progress(done, len(rows))
        if errors:  # leaving the block by an exception rolls everything back
            raise SupplierFileError(errors)
    log.info("imported %d supplier offer rows (%d new, %d updated)", report.rows, report.offers_created,
             report.offers_updated)
    return report
