"""A text whose send reached Twilio but was not recorded (the worker killed, the database gone, right after the
send) is found at Twilio by the job's retry — also when it was sent in the same second as its reply was decided,
the usual case — and a retry never takes an identical text of the conversation for its own when it is older than
the reply or owned by another one."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from email.utils import parsedate_to_datetime
from typing import Any

from sqlalchemy import Engine, text

from channels.fakes.twilio_rest import FakeTwilioRest
from channels.jobs import TurnJob
from channels.messages import InboundMessage
from partpilot.config import AppSettings
from partpilot.wiring import build_hub
from tests.channel_fakes import OUR_NUMBER, TWILIO_SID, TWILIO_TOKEN


@contextmanager
def _sms_hub(engine: Engine) -> Iterator[tuple[Any, FakeTwilioRest, str]]:
    """A hub sending through a fake Twilio, and a stranger's number (told the same onboarding line each time)."""
    twilio = FakeTwilioRest(TWILIO_SID, TWILIO_TOKEN)
    try:
        settings = AppSettings(twilio_account_sid=TWILIO_SID, twilio_auth_token=TWILIO_TOKEN,
                               twilio_from_number=OUR_NUMBER, twilio_api_base_url=twilio.base_url)
        yield build_hub(settings, engine), twilio, f"+1555016{uuid.uuid4().int % 10**4:04d}"
    finally:
        twilio.close()


def _job(stranger: str, delivery: str) -> TurnJob:
    message = InboundMessage(channel="sms", sender=stranger, conversation_key=f"sms:{stranger}", text="hi",
                             reply_to={"to": stranger})
    return TurnJob("sms", "message", message.conversation_key, [delivery], {"message": asdict(message)})


def _forget_the_send(engine: Engine, delivery: str, decided_at: float) -> None:
    """The worker died after Twilio took the text, before the outbox recorded it."""
    with engine.begin() as conn:
        conn.execute(text(
            "UPDATE channel_outbox SET provider_id = NULL, sent_at = NULL, payload = jsonb_set(payload, "
            "'{decided_at}', to_jsonb(CAST(:t AS float))) WHERE channel = 'sms' AND delivery_id = :d"),
            {"t": decided_at, "d": delivery})


def _sid_of(engine: Engine, delivery: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(text("SELECT provider_id FROM channel_outbox WHERE channel = 'sms' AND delivery_id = :d"),
                            {"d": delivery}).scalar()


def test_a_text_that_reached_twilio_unrecorded_is_not_sent_again(engine: Engine) -> None:
    with _sms_hub(engine) as (hub, twilio, stranger):
        sid = f"SM{uuid.uuid4().hex}"
        hub.run_job(_job(stranger, sid).as_args(), 7)
        assert len([m for m in twilio.sent() if m["to"] == stranger]) == 1
        _forget_the_send(engine, sid, time.time() - 5)
        hub.run_job(_job(stranger, sid).as_args(), 7)
        assert len([m for m in twilio.sent() if m["to"] == stranger]) == 1, "the text was sent twice"
        _forget_the_send(engine, sid, time.time() + 5)  # the identical text on record is older: not this one
        hub.run_job(_job(stranger, sid).as_args(), 7)
        assert len([m for m in twilio.sent() if m["to"] == stranger]) == 2


def test_a_text_sent_in_the_second_it_was_decided_is_found_and_an_earlier_identical_one_is_not(engine: Engine) -> None:
    with _sms_hub(engine) as (hub, twilio, stranger):
        def texts() -> list[dict[str, object]]:
            return [m for m in twilio.sent() if m["to"] == stranger]

        first, second = f"SM{uuid.uuid4().hex}", f"SM{uuid.uuid4().hex}"
        hub.run_job(_job(stranger, first).as_args(), 11)
        [sent] = texts()
        created = parsedate_to_datetime(str(sent["date_created"])).timestamp()  # whole seconds, as Twilio's
        # decided late in the second the text was created in: Twilio's date_created reads as earlier than that
        _forget_the_send(engine, first, created + 0.999)
        hub.run_job(_job(stranger, first).as_args(), 11)
        assert len(texts()) == 1, "the text sent in the second its reply was decided was sent again"
        assert _sid_of(engine, first) == sent["sid"]

        time.sleep(max(0.0, created + 1.05 - time.time()))  # the second text in a later second than the first
        hub.run_job(_job(stranger, second).as_args(), 12)  # a stranger is told the same onboarding line again
        assert len(texts()) == 2 and texts()[1]["body"] == sent["body"]
        twilio.messages.pop()  # the second reply's send never reached Twilio after all
        _forget_the_send(engine, second, created)  # and it was decided in the second the identical first went out
        hub.run_job(_job(stranger, second).as_args(), 12)
        assert len(texts()) == 2, "the second reply was not sent: the first reply's identical text was taken for it"
        assert _sid_of(engine, second) not in (None, sent["sid"])
