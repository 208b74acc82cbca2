"""Importing supplier catalogs from CSV: a good file creates the supplier, its branches and offers and a re-import
updates them; a bad file reports every bad row (by row number) and imports nothing, from the tool and the CLI."""

from __future__ import annotations

import subprocess
import sys
from datetime import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from tests.supplier_helpers import csv_of, offers_named
from tools.suppliers.csv_import import import_supplier_csv
from tools.suppliers.csv_rows import SupplierFileError

REPO = Path(__file__).resolve().parent.parent




def test_import_creates_supplier_and_offers_and_reimport_updates(engine: Engine, cleanup: str,
                                                                unsupplied_part: Any) -> None:
    part = unsupplied_part
    content = csv_of(f"{cleanup} Parts,oem,yes,SLC1,Salt Lake,Salt Lake City,5 pm,{part.part_number.lower()},"
                   f"{part.manufacturer},120.00,10:110.00;25:99.50,4,12,usd",
                   f'{cleanup} Parts,,,SLC1,,,,{cleanup}-X1,Testco,"$1,250.50",,0,30,')
    report = import_supplier_csv(engine, content)
    assert (report.rows, report.offers_created, report.offers_updated, report.linked_to_catalog) == (2, 2, 0, 1)
    assert report.suppliers_created == [f"{cleanup} Parts"] and report.branches_created == [f"{cleanup} Parts SLC1"]
    written = offers_named(engine, cleanup)
    linked, loose = next(r for r in written if r.part_id), next(r for r in written if r.part_id is None)
    assert linked.part_id == part.id and linked.part_number == part.part_number.lower()
    assert (linked.unit_price, linked.stock_on_hand, linked.lead_time_days, linked.currency) == (
        Decimal("120.00"), 4, 12, "USD")
    assert linked.price_breaks == [{"min_quantity": 10, "unit_price": "110.00"},
                                   {"min_quantity": 25, "unit_price": "99.50"}]
    assert (linked.supplier_type, linked.authorized, linked.org_type, linked.cutoff_time) == (
        "oem", True, "oem", time(17, 0))
    assert loose.part_id is None and loose.unit_price == Decimal("1250.50") and loose.lead_time_days == 30

    again = import_supplier_csv(engine, content.replace(",4,12,usd", ",9,12,usd"))
    assert (again.offers_created, again.offers_updated, again.suppliers_created, again.branches_created) == (
        0, 2, [], [])
    rows = offers_named(engine, cleanup)
    assert len(rows) == 2 and {r.id for r in rows} == {linked.id, loose.id}
    assert next(r for r in rows if r.id == linked.id).stock_on_hand == 9


def test_a_bad_file_reports_every_bad_row_and_imports_nothing(engine: Engine, cleanup: str, tmp_path: Path) -> None:
    with engine.connect() as conn:
        before = conn.execute(text("SELECT count(*), max(updated_at) FROM supplier_offers")).one()
    content = csv_of("Keystone Parts Supply,,,CCDC,,,,HBL2620,Hubbell,1.00,,99,1,",  # good, but must not land
                   f"{cleanup} Bad,independent,no,B1,,,,PN-1,Testco,abc,,1,1,",
                   f"{cleanup} Bad,independent,no,B1,,,25:00,PN-2,Testco,5,,-3,1,",
                   f"{cleanup} Bad,independent,no,B1,,,,PN-3,Testco,5,,2,1,")
    with pytest.raises(SupplierFileError) as failed:
        import_supplier_csv(engine, content)
    assert failed.value.errors == [
        "row 3: unit_price 'abc' is not a number",
        "row 4: cutoff_time '25:00' is not a time of day (e.g. 18:00 or 6 pm); stock_on_hand -3 must be 0 or more",
    ]
    with engine.connect() as conn:
        after = conn.execute(text("SELECT count(*), max(updated_at) FROM supplier_offers")).one()
        created = conn.execute(text("SELECT count(*) FROM organizations WHERE name LIKE :p"),
                               {"p": f"{cleanup}%"}).scalar_one()
    assert tuple(after) == tuple(before) and created == 0 and not offers_named(engine, cleanup)
    with pytest.raises(SupplierFileError, match=r"header: missing column\(s\) unit_price") as header:
        import_supplier_csv(engine, "supplier,branch_code,part_number,manufacturer,stok\nA,B,C,D,1\n")
    assert "unknown column(s) 'stok'" in str(header.value)
    with pytest.raises(SupplierFileError, match=r"row 3: part_number 'pn 1' at branch 'B1'.* repeats row 2"):
        import_supplier_csv(engine, csv_of(f"{cleanup} Bad,,,B1,,,,PN-1,Testco,5,,1,1,",
                                         f"{cleanup} Bad,,,B1,,,,pn 1,Testco,6,,1,1,"))
    bad_file = tmp_path / "bad.csv"
    bad_file.write_text(content)
    cli = subprocess.run([sys.executable, "-m", "partpilot.cli", "suppliers", "import", str(bad_file)],
                         capture_output=True, text=True, cwd=REPO, timeout=300)
    assert cli.returncode == 1 and "row 3: unit_price 'abc' is not a number" in cli.stderr
    assert "nothing imported: 2 problem(s)" in cli.stderr and not offers_named(engine, cleanup)
    good_file = tmp_path / "good.csv"
    good_file.write_text(csv_of(f"{cleanup} Good,,,B1,,,,PN-1,Testco,5,,1,1,"))
    cli = subprocess.run([sys.executable, "-m", "partpilot.cli", "suppliers", "import", str(good_file)],
                         capture_output=True, text=True, cwd=REPO, timeout=300)
    assert cli.returncode == 0, cli.stderr
    assert "1 offer(s) added" in cli.stderr and len(offers_named(engine, cleanup)) == 1


# ---- find_inventory ----------------------------------------------------------------------------------
