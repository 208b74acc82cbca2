"""`partpilot suppliers import FILE.csv` (a supplier price file, all rows or none) and `partpilot suppliers list`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

err = Console(stderr=True)
app = typer.Typer(help="Supplier catalogs: import price files (CSV), list suppliers.", no_args_is_help=True)


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True,
                                         help="CSV with the columns of docs/suppliers.md.")],
) -> None:
    """Import a supplier price file: suppliers (created when new), branches and offers, updated when they
    exist. Every row is checked first; one bad row and nothing is imported (exit code 1)."""
    from knowledge.db import get_engine
    from tools.suppliers.csv_import import import_supplier_csv
    from tools.suppliers.csv_rows import SupplierFileError

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err) as bar:
        task = bar.add_task(f"importing {file.name}", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            report = import_supplier_csv(get_engine(), file, progress)
        except SupplierFileError as failed:
            bar.stop()
            for problem in failed.errors:
                err.print(f"[red]{escape(problem)}[/red]")
            err.print(f"nothing imported: {len(failed.errors)} problem(s) in {escape(str(file))}")
            raise typer.Exit(1) from None
    err.print(f"[green]{report.rows} row(s): {report.offers_created} offer(s) added, {report.offers_updated} "
              f"updated, {report.linked_to_catalog} linked to catalog parts[/green]")
    for name in report.suppliers_created:
        err.print(f"new supplier: {escape(name)}")
    for name in report.branches_created:
        err.print(f"new branch: {escape(name)}")


@app.command("list")
def list_suppliers(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Suppliers with their type, authorization, branches and offers (in stock / all)."""
    from sqlalchemy.orm import Session

    from knowledge.db import get_engine
    from tools.suppliers.directory import supplier_summaries

    with Session(get_engine()) as session:
        rows = supplier_summaries(session)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, default=str))
        return
    table = Table("supplier", "type", "authorized", "branches", "offers", "in stock")
    for r in rows:
        table.add_row(r["name"], r["supplier_type"], "yes" if r["authorized"] else "no", r["branches"],
                      str(r["offers"]), str(r["in_stock"]))
    Console().print(table)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="suppliers")
