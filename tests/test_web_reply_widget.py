"""The widget renders the planner's draft in real headless Chromium (Debian's, driven by Playwright): item
cards with facts and fair-price badges, choice buttons that send what they say, no "Reply 1" wording, the
same after a reload; and, for a planner without drafts, badges from its own price checks on the listing
cards. The planner is scripted per message. Screenshots go to test-artifacts/ (gitignored)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from langchain_core.messages import AIMessage
from sqlalchemy import Engine

from agent.runner import AgentRunner
from api.server import serve_in_thread
from channels.web.chat import runner_dependency
from partpilot.wiring import create_app
from tests.draft_helpers import NO_MATCH, PICKED, SELLERS
from tests.fakes.keyed_planner import KeyedPlanner, drafted
from tests.fakes.scripted_planner import call
from tests.tool_helpers import MARIA
from tools.context import caller_by_email
from tools.registry import invoke

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Page, expect

from tests.browser import CHROMIUM
from tests.test_web_widget import ask, shot

ASK, NOTHING, LISTINGS = "who sells GAA26800LC1?", "blue door widget", "listings for GAA26800LC1 please"
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed")


@pytest.fixture(scope="module")
def listing(engine: Engine) -> str:
    found = invoke(engine, caller_by_email(engine, MARIA), "search_listings", {"part_number": "GAA26800LC1"})
    return str(found.model_dump(mode="json")["results"][0]["id"])


@pytest.fixture(scope="module")
def server(engine: Engine, listing: str) -> Iterator[str]:
    planner = KeyedPlanner(steps={
        ASK: [drafted(SELLERS)], "2": [drafted(PICKED)], NOTHING: [drafted(NO_MATCH)],
        "no thanks": [drafted(PICKED.model_copy(update={"headline": "OK, nothing else.", "question": ""}))],
        LISTINGS: [call("search_listings", {"part_number": "GAA26800LC1"}, "call-listings"),
                   call("assess_price", {"listing_id": listing}, "call-price"),
                   AIMessage(content="Here is who sells GAA26800LC1.")],
    })
    runner = AgentRunner(engine, planner=planner)
    app = create_app()
    app.dependency_overrides[runner_dependency] = lambda: runner
    with serve_in_thread(app) as base:
        yield base


def finished(page: Page) -> None:
    expect(page.get_by_role("status")).to_have_text("Reply finished.", timeout=30_000)


def test_a_draft_becomes_cards_with_facts_badges_and_choose_buttons(page: Page) -> None:
    ask(page, ASK)
    finished(page)
    reply = page.locator(".pp-assistant .pp-reply").first  # a new page is a new conversation
    expect(reply.locator(".pp-headline")).to_have_text(SELLERS.headline)
    cards = reply.locator(".pp-item")
    expect(cards).to_have_count(3)
    expect(cards.nth(0).locator(".pp-title")).to_have_text(SELLERS.items[0].title)
    expect(cards.nth(0).locator(".pp-facts li")).to_have_text(["12.4 km away", "2 available"])
    expect(cards.nth(0).locator(".pp-badge")).to_have_text("Fair price (market $4,700)")
    expect(cards.nth(0).locator(".pp-badge")).to_have_class(re.compile("pp-badge-fair"))
    expect(cards.nth(2).locator(".pp-badge")).to_have_count(0)
    expect(reply.locator(".pp-question")).to_have_text(SELLERS.question)
    bubble = page.locator(".pp-assistant").last
    expect(bubble.locator(".pp-text")).to_have_count(2)  # headline and question: the streamed list was replaced
    assert not re.search(r"reply \d|1\) Keystone", bubble.inner_text(), re.IGNORECASE)
    shot(page, "draft-cards")

    cards.nth(1).get_by_role("button", name="Choose 2: Apex").click()
    expect(page.locator(".pp-user").last).to_have_text("2")
    expect(page.locator(".pp-assistant .pp-headline").last).to_have_text(PICKED.headline, timeout=30_000)
    finished(page)
    expect(cards.nth(0).get_by_role("button")).to_be_disabled()  # answered
    expect(cards.nth(1).get_by_role("button")).to_have_attribute("aria-pressed", "true")


def test_choice_buttons_send_what_they_say_and_survive_a_reload(page: Page) -> None:
    ask(page, ASK)
    finished(page)
    ask(page, NOTHING)
    finished(page)
    choices = page.locator(".pp-choices").last
    expect(choices.get_by_role("button")).to_have_text(["Search the marketplace", "Not now"])
    assert "Reply" not in page.locator(".pp-log").inner_text()
    page.reload()
    expect(page.locator(".pp-assistant .pp-item")).to_have_count(3)  # the same cards from history
    expect(page.locator(".pp-assistant .pp-item .pp-badge").first).to_have_text("Fair price (market $4,700)")
    expect(page.locator(".pp-assistant .pp-item").first.get_by_role("button")).to_be_disabled()  # answered later
    not_now = page.locator(".pp-choices").last.get_by_role("button", name="Not now")
    expect(not_now).to_be_enabled()  # the last reply still waits for its answer
    assert "Reply" not in page.locator(".pp-log").inner_text()
    shot(page, "draft-reloaded")
    not_now.click()
    expect(page.locator(".pp-user").last).to_have_text("no thanks")
    expect(page.locator(".pp-assistant .pp-headline").last).to_have_text("OK, nothing else.", timeout=30_000)
    expect(not_now).to_be_disabled()


def test_without_a_draft_the_planners_price_check_badges_the_listing_card(page: Page, listing: str) -> None:
    ask(page, LISTINGS)
    finished(page)
    bubble = page.locator(".pp-assistant").last
    expect(bubble.locator(".pp-text")).to_have_text("Here is who sells GAA26800LC1.")
    slot = bubble.locator(f'[data-price-key="listing:{listing}"]')
    expect(slot).to_be_visible(timeout=30_000)  # the planner and its price check, on a loaded CI machine
    assert slot.inner_text() in {"Great deal", "Good price", "Fair price", "Above average", "High price"}
    page.reload()
    expect(page.locator(f'[data-price-key="listing:{listing}"]').last).to_be_visible()
