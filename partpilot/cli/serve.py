"""`partpilot serve`: the API (and, as they arrive, chat, widget and channels) under uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8000,
) -> None:
    """Serve Partpilot over HTTP."""
    import uvicorn

    from knowledge.embeddings import get_model
    from partpilot.wiring import create_app

    get_model()  # load once before the first request rather than during it
    uvicorn.run(create_app(bind_host=host), host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
