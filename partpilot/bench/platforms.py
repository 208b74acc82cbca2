"""The Slack and Twilio loopback fakes a benchmark's server and workers talk to, with the credentials they sign
and authenticate with set in the environment the app's settings read (and forgotten afterwards)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from channels.fakes.slack_web_api import FakeSlackWebApi
from channels.fakes.twilio_rest import FakeTwilioRest

SLACK = {"token": "xoxb-bench", "secret": "bench-signing-secret"}
TWILIO = {"sid": "AC" + "b" * 32, "token": "bench-auth-token", "from": "+15005550006"}


@contextmanager
def loopback_platforms() -> Iterator[tuple[FakeSlackWebApi, FakeTwilioRest]]:
    from partpilot.wiring import forget_configuration

    slack, twilio = FakeSlackWebApi(SLACK["token"]), FakeTwilioRest(TWILIO["sid"], TWILIO["token"])
    os.environ.update({"SLACK_BOT_TOKEN": SLACK["token"], "SLACK_SIGNING_SECRET": SLACK["secret"],
                       "SLACK_API_BASE_URL": slack.base_url, "TWILIO_ACCOUNT_SID": TWILIO["sid"],
                       "TWILIO_AUTH_TOKEN": TWILIO["token"], "TWILIO_FROM_NUMBER": TWILIO["from"],
                       "TWILIO_API_BASE_URL": twilio.base_url})
    forget_configuration()
    try:
        yield slack, twilio
    finally:
        slack.close()
        twilio.close()
        forget_configuration()
