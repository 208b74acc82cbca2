"""SMS renders the planner's draft as one short text with numbered choices, and a bare number answers with
what that choice says: Twilio-signed webhooks to the real app, replies through the real twilio Client to the
loopback fake. The planner is scripted per message, so what it heard can be checked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from agent.reply_draft import internals_in
from agent.runner import AgentRunner
from channels.fakes.twilio_rest import FakeTwilioRest
from channels.sms.routes import sms_router
from partpilot.config import AppSettings
from partpilot.wiring import build_hub
from tests.channel_helpers import RunningApp, served, user_with
from tests.draft_helpers import NO_MATCH, PICKED, SELLERS
from tests.fakes.keyed_planner import KeyedPlanner, drafted
from tests.test_sms_channel import OUR_NUMBER, SID, TOKEN, exchange

OMAR = "omar.haddad@frontrangehealth.example"
ASK, NOTHING = "who sells GAA26800LC1?", "blue door widget"


@pytest.fixture(scope="module")
def planner() -> KeyedPlanner:
    return KeyedPlanner(steps={ASK: [drafted(SELLERS)], NOTHING: [drafted(NO_MATCH)], "2": [drafted(PICKED)],
                               "no thanks": [drafted(PICKED.model_copy(update={"headline": "OK, nothing else."}))]})


@pytest.fixture(scope="module")
def app(engine: Engine, twilio: FakeTwilioRest, planner: KeyedPlanner) -> Iterator[RunningApp]:
    settings = AppSettings(twilio_account_sid=SID, twilio_auth_token=TOKEN, twilio_from_number=OUR_NUMBER,
                        twilio_api_base_url=twilio.base_url)
    hub = build_hub(settings, engine, runner_factory=lambda: AgentRunner(engine, planner=planner))
    api = FastAPI()
    api.include_router(sms_router(hub))
    with served(api, hub, engine) as running:
        yield running


@pytest.fixture
def phone(app: RunningApp, engine: Engine) -> str:
    number = user_with(engine, "phone", OMAR)
    app.hub.ledger.opt_in("sms", number)
    app.clear_pending("sms", number)
    return number


def test_numbered_items_fit_one_text_with_a_reply_prompt(app: RunningApp, twilio: FakeTwilioRest,
                                                         phone: str) -> None:
    [body] = exchange(app, twilio, phone, ASK)
    assert len(body) <= 320 and "\n" not in body
    assert body.endswith(" 1) Keystone, refurb, $4,650 2) Apex, new, $5,900 3) Front Range, used, $3,100 "
                         "Which one should I make an offer on? Reply 1, 2 or 3.")
    assert internals_in(body) == []


def test_a_number_answers_with_what_that_choice_says(app: RunningApp, twilio: FakeTwilioRest, phone: str,
                                                     planner: KeyedPlanner) -> None:
    [asked] = exchange(app, twilio, phone, NOTHING)
    assert asked.endswith(" Search the marketplace instead? 1) Search the marketplace 2) Not now Reply 1 or 2.")
    assert "\n" not in asked
    [answered] = exchange(app, twilio, phone, "2")
    assert planner.heard[-1] == "no thanks" and answered.startswith("OK, nothing else.")
    # after a list of numbered items a number stays a number: the planner resolves it against its list
    exchange(app, twilio, phone, ASK)
    [picked] = exchange(app, twilio, phone, "2")
    assert planner.heard[-1] == "2" and picked.startswith(PICKED.headline)
