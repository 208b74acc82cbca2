"""The widget on a phone (390×844, touch), in real headless Chromium: in the default floating embed the
launcher leaves the input and Send free and the open panel closes with its own button; Send stays on screen
after a photo is attached; a sent photo shows as a thumbnail; no Confirm for an offer a fixed-price listing
would refuse; Cancel has a visible border. The host page signs in like a customer's site does: the
organization's publishable key and a user token its backend signs. The planner is scripted per message."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from langchain_core.messages import AIMessage
from sqlalchemy import Engine, text

from agent.runner import AgentRunner
from api.server import serve_in_thread
from channels.web.chat import runner_dependency
from evals.nameplates import NameplateSpec, render_nameplate
from partpilot.wiring import create_app
from tests.fakes.keyed_planner import KeyedPlanner
from tests.fakes.scripted_planner import call
from tests.tool_helpers import MARIA
from tools.widget_auth import sign_user_token, widget_key_for

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser import CHROMIUM
from tests.test_web_widget import ask, shot

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed")
PHONE = {"width": 390, "height": 844}
LOW, ASKING, PHOTO = "offer $4500 for the Metro board", "offer their price for the Metro board", "what part is this?"
LONG = ("GAA24350BH1 door operator: in stock at the Denver warehouse, 2 at the Englewood van, and on the "
        "marketplace from three sellers. " * 4)
FIXED = ("SELECT id, price FROM marketplace_listings WHERE part_number = 'GAA26800LC1' AND NOT price_negotiable "
         "AND status = 'active' AND organization_id = (SELECT id FROM organizations WHERE slug = 'metro')")


@pytest.fixture(scope="module")
def server(engine: Engine) -> Iterator[str]:
    with engine.connect() as conn:
        listing = conn.execute(text(FIXED)).one()
    offer = {"listing_id": str(listing.id), "quantity": 1}
    planner = KeyedPlanner(steps={
        LOW: [call("submit_offer", {**offer, "offered_price": "4500"}, "call-low"),
              AIMessage(content="That listing's price is fixed, so I sent nothing.")],
        ASKING: [call("submit_offer", {**offer, "offered_price": str(listing.price)}, "call-asking"),
                 AIMessage(content="Offer sent.")],
        **{f"part {n}": [AIMessage(content=LONG)] for n in range(3)},
    })
    runner = AgentRunner(engine, planner=planner)
    app = create_app()
    app.dependency_overrides[runner_dependency] = lambda: runner
    with serve_in_thread(app) as base:
        yield base


@pytest.fixture(scope="module")
def host_site(engine: Engine, server: str) -> Iterator[str]:
    """A customer's site on another origin: its backend signs a user token with the organization's secret; the
    page carries only the publishable key and that token (the default floating embed)."""
    key = widget_key_for(engine, "summit")
    assert key is not None
    site = FastAPI()

    @site.get("/", response_class=HTMLResponse)
    def page() -> str:
        token = sign_user_token(key.secret, MARIA, ttl_s=600)
        return ('<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1">'
                f'<main><h1>Summit intranet</h1><p>{"Work orders. " * 40}</p></main>'
                f'<script src="{server}/widget/widget.js" data-widget-key="{key.publishable_key}" '
                f'data-user-token="{token}"></script>')

    with serve_in_thread(site) as base:
        yield base


def phone(browser: Browser, url: str, allowed: tuple[str, ...]) -> Page:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith((*allowed, "data:"))
                  else route.abort())  # no internet
    page = context.new_page()
    page.goto(url)
    return page


@pytest.fixture
def floating(browser: Browser, server: str, host_site: str) -> Iterator[Page]:
    page = phone(browser, host_site + "/", (server, host_site))
    launcher = page.get_by_role("button", name="Chat with Partpilot")
    expect(launcher).to_be_visible()
    launcher.tap()
    expect(page.get_by_role("textbox", name="Message")).to_be_visible()
    yield page
    page.context.close()


@pytest.fixture
def demo(browser: Browser, server: str) -> Iterator[Page]:
    page = phone(browser, server + "/", (server,))
    expect(page.get_by_role("textbox", name="Message")).to_be_visible()
    yield page
    page.context.close()


def on_top(page: Page, target: Locator) -> bool:
    """Whether a tap at the middle of `target` lands on it (nothing covers it), inside the widget's shadow root."""
    box = target.bounding_box()
    assert box is not None
    return bool(target.evaluate("""(node, [x, y]) => {
        const hit = node.getRootNode().elementFromPoint(x, y);
        return hit === node || node.contains(hit);
    }""", [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2]))


def on_screen(target: Locator) -> bool:
    box = target.bounding_box()
    return (box is not None and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
            and box["y"] + box["height"] <= PHONE["height"])


def overlap(a: Locator, b: Locator) -> bool:
    p, q = a.bounding_box(), b.bounding_box()
    if p is None or q is None:  # not rendered: covers nothing
        return False
    return not (p["x"] + p["width"] <= q["x"] or q["x"] + q["width"] <= p["x"]
                or p["y"] + p["height"] <= q["y"] or q["y"] + q["height"] <= p["y"])


def finished(page: Page) -> None:
    expect(page.get_by_role("status")).to_have_text(re.compile("Reply finished|Waiting for your confirmation"),
                                                    timeout=30_000)


def test_launcher_leaves_input_and_send_free_and_the_panel_closes(floating: Page) -> None:
    launcher = floating.locator(".pp-launcher")
    box, send = floating.get_by_role("textbox", name="Message"), floating.get_by_role("button", name="Send")
    assert not overlap(launcher, send) and not overlap(launcher, box)
    shot(floating, "phone-floating-open")
    assert on_top(floating, send) and on_top(floating, box) and on_screen(send), send.bounding_box()
    shot(floating, "phone-floating-open")
    close = floating.get_by_role("button", name="Close chat")
    expect(close).to_be_visible()
    assert on_top(floating, close)
    close.tap()
    expect(box).to_be_hidden()
    expect(launcher).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    assert on_top(floating, launcher)
    launcher.tap()
    expect(box).to_be_visible()


def nameplate(tmp_path: Path) -> Path:
    photo = tmp_path / "nameplate-from-the-machine-room-of-building-7-car-2.jpg"
    photo.write_bytes(render_nameplate(NameplateSpec(manufacturer="Otis", part_number="GBA21230F1",
                                                     name="Door controller board"), seed=7, barcode=True))
    return photo


@pytest.mark.parametrize("embed", ["floating", "demo"])
def test_send_stays_on_screen_after_attaching_a_photo(embed: str, request: pytest.FixtureRequest,
                                                      tmp_path: Path) -> None:
    page: Page = request.getfixturevalue(embed)
    for n in range(3):  # a conversation longer than the screen
        ask(page, f"part {n}")
        finished(page)
    page.locator("input[type=file]").set_input_files(str(nameplate(tmp_path)))
    expect(page.locator(".pp-chip")).to_contain_text("nameplate", timeout=30_000)
    send = page.get_by_role("button", name="Send")
    assert on_screen(send) and on_top(page, send), send.bounding_box()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, f"phone-{embed}-photo-attached")


def test_a_sent_photo_shows_as_a_thumbnail(floating: Page, tmp_path: Path) -> None:
    floating.locator("input[type=file]").set_input_files(str(nameplate(tmp_path)))
    expect(floating.locator(".pp-chip img")).to_be_visible(timeout=30_000)
    ask(floating, PHOTO)
    finished(floating)
    thumb = floating.locator(".pp-user").last.locator("img.pp-thumb")
    expect(thumb).to_be_visible()
    assert thumb.evaluate("img => img.complete && img.naturalWidth > 0 && img.src.startsWith('data:image/jpeg')")
    expect(floating.locator(".pp-user").last).not_to_contain_text("photo attached")
    shot(floating, "phone-thumbnail")
    floating.reload()
    launcher = floating.get_by_role("button", name="Chat with Partpilot")
    expect(launcher).to_be_visible()  # styled: the widget shows nothing before its stylesheet is in
    launcher.tap()
    expect(floating.get_by_role("textbox", name="Message")).to_be_visible()
    expect(floating.locator(".pp-user").last.locator("img.pp-thumb")).to_be_visible()  # history shows it too


def test_no_confirm_for_an_offer_a_fixed_price_listing_refuses(floating: Page) -> None:
    ask(floating, LOW)
    finished(floating)
    expect(floating.locator(".pp-assistant").last).to_contain_text("fixed")
    expect(floating.get_by_role("button", name="Confirm")).to_have_count(0)


def test_cancel_has_a_visible_border(floating: Page) -> None:
    ask(floating, ASKING)
    cancel = floating.locator(".pp-confirm").last.get_by_role("button", name="Cancel")
    expect(cancel).to_be_visible(timeout=30_000)
    style = cancel.evaluate("""b => { const s = getComputedStyle(b);
        return {width: parseFloat(s.borderTopWidth), color: s.borderTopColor, background: s.backgroundColor,
                shadow: s.boxShadow}; }""")
    alpha = re.match(r"rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)", style["color"])
    assert alpha is not None, style
    visible = style["width"] > 0 and float(alpha.group(4) or 1) > 0 and style["color"] != style["background"]
    assert visible or style["shadow"] != "none", style
    assert on_top(floating, cancel)
    shot(floating, "phone-confirm")
    cancel.tap()
    expect(floating.locator(".pp-confirm").last.locator(".pp-confirm-state")).to_have_text("Cancelled")
