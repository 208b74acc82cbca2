"""Store commands: `db upgrade|url|stop`, `seed`, `stats`, `users`."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import text

from partpilot.cli.progress import stage_bars

err = Console(stderr=True)


db_app = typer.Typer(help="Database: migrations and connection.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply Alembic migrations (creating the embedded database on first use)."""
    from knowledge.migrate import upgrade

    upgrade()
    err.print("[green]database is at the latest migration[/green]")


@db_app.command("url")
def db_url() -> None:
    """Print the SQLAlchemy URL in use."""
    from knowledge.db import database_url, render_url

    typer.echo(render_url(database_url()))


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded PostgreSQL server (no-op with DATABASE_URL)."""
    from knowledge.db import stop_embedded
    from knowledge.settings import get_settings

    if get_settings().database_url:
        err.print("DATABASE_URL is set: nothing embedded to stop.")
        return
    err.print("stopped" if stop_embedded() else "the embedded server was not running")


def seed(
    reset: Annotated[bool, typer.Option("--reset", help="Delete all rows first.")] = False,
    scale: Annotated[int, typer.Option("--scale", min=0, help="Add N generated catalog parts (benchmarks).")] = 0,
    if_empty: Annotated[bool, typer.Option("--if-empty", help="Do nothing when the catalog has parts.")] = False,
) -> None:
    """Load the deterministic demo world. Running it again changes nothing."""
    from knowledge.db import get_engine
    from knowledge.migrate import upgrade
    from knowledge.seed.loader import is_seeded, seed_store

    engine = get_engine()
    upgrade(engine)
    if if_empty and not reset and is_seeded(engine):
        err.print("store already seeded")
        return
    with stage_bars(err, hidden=lambda stage: stage.startswith("rows:")) as progress:
        report = seed_store(engine, reset=reset, scale=scale, progress=progress)
    err.print(f"inserted {sum(report.inserted.values())} rows, embedded {report.embedded} by update")
    if report.load and report.load.parts:
        r = report.load.rates()
        err.print(f"catalog bulk load: {r['parts']} parts at {r['load_parts_per_s']} parts/s (encode "
                  f"{r['encode_parts_per_s']}/s, copy {r['copy_parts_per_s']}/s, index build {r['index_build_s']} s)")


def stats(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Row counts per table."""
    from knowledge.db import get_engine
    from knowledge.seed.loader import table_counts

    counts = table_counts(get_engine())
    if as_json:
        typer.echo(json.dumps(counts, indent=2))
        return
    table = Table("table", "rows")
    for name, count in counts.items():
        table.add_row(name, str(count))
    Console().print(table)


users_app = typer.Typer(help="Demo and real users.", invoke_without_command=True)


@users_app.callback()
def users(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List users: email, name, role, organization, phone, Slack user id."""
    if ctx.invoked_subcommand:
        return
    from knowledge.db import get_engine

    with get_engine().connect() as conn:
        rows = conn.execute(text(
            "SELECT u.email, u.name, u.role, o.name AS organization, u.phone, u.slack_user_id "
            "FROM users u JOIN organizations o ON o.id = u.organization_id ORDER BY o.name, u.role, u.email"
        )).mappings().all()
    if as_json:
        typer.echo(json.dumps([dict(r) for r in rows], indent=2))
        return
    table = Table("email", "name", "role", "organization", "phone", "slack")
    for r in rows:
        table.add_row(r["email"], r["name"], r["role"], r["organization"], r["phone"] or "", r["slack_user_id"] or "")
    Console().print(table)


@users_app.command("create-key")
def create_key(
    email: Annotated[str, typer.Argument(help="The user the key acts as.")],
    label: Annotated[str | None, typer.Option("--label", help="What the key is for, e.g. 'ERP sync'.")] = None,
) -> None:
    """Create an API key for EMAIL and print it (only its hash is stored: it cannot be shown again)."""
    from knowledge.db import get_engine
    from tools.context import UnknownCaller, create_api_key

    try:
        key = create_api_key(get_engine(), email, label)
    except UnknownCaller:
        err.print(f"[red]no active user with email {email}[/red]")
        raise typer.Exit(1) from None
    typer.echo(key)


@users_app.command("revoke-key")
def revoke_key(key: Annotated[str, typer.Argument(help="The API key to revoke.")]) -> None:
    """Revoke an API key: requests with it get 401 from now on (a running server within API_KEY_CACHE_SECONDS)."""
    from knowledge.db import get_engine
    from tools.context import revoke_api_key

    if not revoke_api_key(get_engine(), key):
        err.print("[red]no active API key matches[/red]")
        raise typer.Exit(1)
    err.print("revoked")


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
    app.command("seed")(seed)
    app.command("stats")(stats)
    app.add_typer(users_app, name="users")
