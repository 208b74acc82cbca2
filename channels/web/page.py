"""The browser side: the demo page at `/` (the chat widget on a page of its own) and the widget's files."""

from __future__ import annotations

import html
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from channels.ports import ChannelSettings
from channels.web.chat import GatewayDep
from channels.web.demo import demo_widget_sign_in

STATIC = Path(__file__).resolve().parent / "static"
router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def demo_page(request: Request, gateway: GatewayDep) -> HTMLResponse:
    """The widget on a page of its own, signed in as the demo technician when the demo is on."""
    settings: ChannelSettings = request.app.state.settings()
    signed = await run_in_threadpool(demo_widget_sign_in, gateway, settings, request.app.state.bind_host)
    key, token = signed or ("", "")
    signed_in = (f"Demo: signed in as the demo technician ({settings.web_demo_email}). Anyone who can open this "
                 "page acts as them, so it is only served on a loopback address." if signed else
                 "Demo sign-in is off: embed the widget with your organization's widget key and a user token your "
                 "server signs (partpilot widget key --org ORG).")
    page = (STATIC.parent / "demo.html").read_text()
    page = (page.replace("{{WIDGET_KEY}}", html.escape(key)).replace("{{USER_TOKEN}}", html.escape(token))
            .replace("{{SIGNED_IN}}", html.escape(signed_in))
            .replace("{{ORIGIN}}", html.escape(str(request.base_url).rstrip("/"))))
    return HTMLResponse(page, headers={"cache-control": "no-store"})
