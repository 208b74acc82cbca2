"""Loopback fakes of the Slack Web API and the Twilio REST API (real HTTP servers speaking the platforms' wire
formats), one per test module, with the credentials the channel tests sign and authenticate with."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from channels.fakes.slack_web_api import FakeSlackWebApi
from channels.fakes.twilio_rest import FakeTwilioRest

SLACK_TOKEN, SLACK_SECRET = "xoxb-test-token", "slack-test-signing-secret"
TWILIO_SID, TWILIO_TOKEN, OUR_NUMBER = "AC" + "1" * 32, "twilio-test-auth-token", "+15005550006"


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlackWebApi]:
    fake = FakeSlackWebApi(SLACK_TOKEN)
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def twilio() -> Iterator[FakeTwilioRest]:
    fake = FakeTwilioRest(TWILIO_SID, TWILIO_TOKEN)
    yield fake
    fake.close()
