"""The browser the widget tests drive: Debian's chromium through Playwright (never `playwright install`), with
no network beyond the app under test. A test module provides the `server` fixture (the app's base URL)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

CHROMIUM = shutil.which("chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server)
                  or route.request.url.startswith(("about:", "data:")) else route.abort())  # no internet
    page = context.new_page()
    page.goto(server + "/")
    expect(page.locator("textarea")).to_be_visible()
    yield page
    context.close()
