"""Chat-widget credentials: `widget key --org ORG` (the publishable key and the signing secret) and
`widget token --as EMAIL` (a user token, as a host site's backend makes one; for testing and the docs)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console

err = Console(stderr=True)
app = typer.Typer(help="Chat widget: publishable keys and signed user tokens.", no_args_is_help=True)


@app.command("key")
def key(
    org: Annotated[str, typer.Option("--org", help="Organization slug, name or id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print {publishable_key, secret} as JSON.")] = False,
) -> None:
    """Show the organization's widget key and secret (made on first use). The key goes in the embed tag; the
    secret only on your servers, which sign user tokens with it."""
    from knowledge.db import get_engine
    from tools.widget_auth import UnknownOrganization, widget_key_for

    try:
        found = widget_key_for(get_engine(), org)
    except UnknownOrganization:
        err.print(f"[red]no organization {org}[/red]")
        raise typer.Exit(1) from None
    assert found is not None
    if as_json:
        typer.echo(json.dumps({"publishable_key": found.publishable_key, "secret": found.secret}))
        return
    typer.echo(f"publishable key: {found.publishable_key}")
    typer.echo(f"secret:          {found.secret}")
    err.print("Keep the secret on your servers: it signs user tokens (HS256 JWT, sub = email, exp required).")


@app.command("token")
def token(
    email: Annotated[str, typer.Option("--as", help="The signed-in user the token names.")],
    ttl: Annotated[int, typer.Option("--ttl", min=60, max=31 * 24 * 3600, help="Seconds it stays valid.")] = 3600,
) -> None:
    """Print the user's organization's publishable key and a user token for them (tab-separated)."""
    from knowledge.db import get_engine
    from tools.context import UnknownCaller
    from tools.widget_auth import mint_user_token

    try:
        publishable, signed = mint_user_token(get_engine(), email, ttl)
    except UnknownCaller:
        err.print(f"[red]no active user with email {email}[/red]")
        raise typer.Exit(1) from None
    typer.echo(f"{publishable}\t{signed}")
