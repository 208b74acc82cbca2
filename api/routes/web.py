"""The browser side: the chat widget's static files under /widget and the demo page at `/`."""

from __future__ import annotations

import html
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api.deps import EngineDep
from api.routes import chat, uploads
from channels.web.demo import demo_api_key
from knowledge.settings import get_settings

STATIC = Path(__file__).resolve().parents[2] / "channels" / "web" / "static"
router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def demo_page(request: Request, engine: EngineDep) -> HTMLResponse:
    """The widget on a page of its own, signed in as the demo technician when the demo is on."""
    settings = get_settings()
    key = await run_in_threadpool(demo_api_key, engine, settings)
    signed_in = (f"Signed in as the demo technician ({settings.web_demo_email})." if key else
                 "Demo sign-in is off: embed the widget with your own API key (partpilot users create-key EMAIL).")
    page = (STATIC.parent / "demo.html").read_text()
    page = (page.replace("{{API_KEY}}", html.escape(key or "")).replace("{{SIGNED_IN}}", html.escape(signed_in))
            .replace("{{ORIGIN}}", html.escape(str(request.base_url).rstrip("/"))))
    return HTMLResponse(page, headers={"cache-control": "no-store"})


def install_web(app: FastAPI) -> None:
    """Chat, uploads, the widget and the demo page. The widget runs on other sites' pages and authenticates
    with a bearer key (no cookies), so any origin may call the API."""
    app.include_router(chat.router)
    app.include_router(uploads.router)
    app.include_router(router)
    app.mount("/widget", StaticFiles(directory=STATIC), name="widget")
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "OPTIONS"],
                       allow_headers=["Authorization", "Content-Type", "X-API-Key"],
                       expose_headers=["x-vercel-ai-ui-message-stream"])
