"""Durable channel work (channels/jobs.py, partpilot/jobs.py) against the real Postgres: jobs of one
conversation run in order across workers, a job run again after a crash at any step writes once and replies
once, a redelivery's job does nothing, and web chat turns are locked across processes."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import asdict
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text

import agent.graph
from channels.fakes.slack_web_api import TEAM_ID, FakeSlackWebApi
from channels.jobs import TurnJob
from channels.messages import InboundMessage
from knowledge.turn_locks import TurnLocks
from partpilot.config import AppSettings
from partpilot.jobs import BackgroundWorker, ProcrastinateQueue, wait_for_turns, worker_app
from partpilot.wiring import build_hub
from tests.channel_fakes import SLACK_SECRET, SLACK_TOKEN
from tests.channel_helpers import count, user_with

MARIA = "maria.gonzalez@summitvm.example"


def test_a_web_turn_is_locked_across_processes(engine: Engine) -> None:
    other_process = create_engine(engine.url)
    try:
        here, there = TurnLocks(engine), TurnLocks(other_process)
        thread = f"web:{uuid.uuid4()}"
        assert here.claim(thread)
        assert not there.claim(thread), "a second process started a turn in a conversation that has one running"
        assert there.claim(f"web:{uuid.uuid4()}"), "another conversation is not held up"
        assert not here.claim(thread), "a second turn of the same process started in a conversation with one"
        here.release(thread)
        assert there.claim(thread)
        # The holder's connection is cut (its process died): the lock goes with it.
        there.drop_session()
        assert _claimed_soon(here, thread)
        here.release(thread)
    finally:
        other_process.dispose()


def _claimed_soon(locks: TurnLocks, thread: str, seconds: float = 5.0) -> bool:
    """A closed session's locks are let go when the server has ended that backend: soon, not at once."""
    deadline = time.monotonic() + seconds
    while not locks.claim(thread):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


class _RecordingHub:
    """Stands in for the channel hub in a worker: records when each job ran."""

    def __init__(self) -> None:
        self.ran: list[tuple[str, int, str]] = []
        self.running: set[str] = set()
        self.overlaps = 0
        self._lock = threading.Lock()

    def run_job(self, args: dict[str, Any], job_id: int) -> None:
        if args["channel"] != "test":
            return
        key = args["conversation_key"]
        with self._lock:
            self.overlaps += key in self.running
            self.running.add(key)
        time.sleep(0.02)
        with self._lock:
            self.running.discard(key)
            self.ran.append((key, args["payload"]["n"], threading.current_thread().name))


def test_one_conversations_jobs_run_in_order_one_at_a_time_across_workers(engine: Engine) -> None:
    hub = _RecordingHub()
    queue = ProcrastinateQueue(engine)
    keys = [f"test:{uuid.uuid4().hex[:8]}" for _ in range(3)]
    for n in range(6):
        for key in keys:
            queue.enqueue(TurnJob("test", "message", key, [f"d{n}"], {"n": n}))
    queue.close()
    workers = [BackgroundWorker(worker_app(hub, engine, 2, clock=False), name=f"w{i}").start()  # type: ignore[arg-type]
               for i in range(2)]
    try:
        assert wait_for_turns(engine, 60)
    finally:
        for worker in workers:
            worker.stop()
    assert hub.overlaps == 0
    for key in keys:
        assert [n for k, n, _ in hub.ran if k == key] == list(range(6))


@pytest.fixture
def slack() -> Any:
    fake = FakeSlackWebApi(SLACK_TOKEN)
    yield fake
    fake.close()


def _said(user: str, text_: str, root: str, k: int) -> TurnJob:
    channel, ts = "D0DURABLE", f"{root.split('.')[0]}.{k:06d}"
    message = InboundMessage(channel="slack", sender=user, conversation_key=f"slack:{TEAM_ID}:{channel}:{root}",
                             text=text_, reply_to={"channel": channel, "thread_ts": root, "ts": ts})
    return TurnJob("slack", "message", message.conversation_key, [f"event:Ev{root}{k}", f"msg:{root}:{k}"],
                   {"message": asdict(message)})


class _Crash(Exception):
    """The process dying at this point (the job is run again from the start)."""


@pytest.fixture
def slack_hub(engine: Engine, slack: FakeSlackWebApi) -> Any:
    """A channel hub with Slack on (the fake Web API), whose jobs the tests run by hand."""
    return build_hub(AppSettings(slack_bot_token=SLACK_TOKEN, slack_signing_secret=SLACK_SECRET,
                                 slack_api_base_url=slack.base_url), engine)


def test_a_job_run_again_after_a_crash_writes_once_and_replies_once(engine: Engine, slack: FakeSlackWebApi,
                                                                    slack_hub: Any,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    hub = slack_hub
    user, root = user_with(engine, "slack_user_id", MARIA), f"{int(time.time()) + 7}.000000"
    jobs = [_said(user, line, root, k) for k, line in enumerate(["gaa26800lc1", "hold one for me", "yes"])]
    thread = jobs[0].conversation_key
    for job_id, job in enumerate(jobs[:2], start=1):
        hub.run_job(job.as_args(), job_id)
    assert len(slack.posted()) == 2 and "Please confirm: Hold 1" in slack.posted()[1]["text"]

    # The WRITE commits, then the process dies before the turn's checkpoint is saved.
    real_invoke, crashed = agent.graph.invoke, []

    def invoke_then_die(*args: Any, **kwargs: Any) -> Any:
        result = real_invoke(*args, **kwargs)
        if kwargs.get("idempotency_key") and not crashed:
            crashed.append(True)
            raise _Crash()
        return result

    monkeypatch.setattr(agent.graph, "invoke", invoke_then_die)
    with pytest.raises(_Crash):
        _run_raising(hub, jobs[2], 3)
    writes = "SELECT count(*) FROM tool_calls WHERE idempotency_key LIKE :k AND result IS NOT NULL"
    assert count(engine, writes, k=f"%:{thread}:%") == 1
    assert len(slack.posted()) == 2, "nothing is sent before the turn is over"

    # The job is run again (same job id): the write is not repeated, and one reply goes out.
    hub.run_job(jobs[2].as_args(), 3)
    assert crashed and count(engine, writes, k=f"%:{thread}:%") == 1
    posts = slack.posted()
    assert len(posts) == 3 and "Held 1" in posts[2]["text"], posts[-1]["text"]

    # And again (a crash after the reply was sent, before it was recorded): Slack's thread is checked first.
    with engine.begin() as conn:
        conn.execute(text("UPDATE channel_outbox SET provider_id = NULL, sent_at = NULL WHERE delivery_id = :d"),
                     {"d": jobs[2].deliveries[0]})
    hub.run_job(jobs[2].as_args(), 3)
    assert len(slack.posted()) == 3, "the reply that had reached Slack was posted again"

    # A platform redelivery queues a second job for the same event: it finds the delivery taken.
    hub.run_job(jobs[2].as_args(), 99)
    assert len(slack.posted()) == 3 and count(engine, writes, k=f"%:{thread}:%") == 1
    humans = [m for m in hub.conversations.runner.graph.get_state({"configurable": {"thread_id": thread}})
              .values["messages"] if m.type == "human"]
    assert [m.content for m in humans] == ["gaa26800lc1", "hold one for me"], "the yes answered the confirmation once"


def _run_raising(hub: Any, job: TurnJob, job_id: int) -> None:
    """run_job, letting a simulated crash through: an apology would be an answer, a crash is not one."""
    conversations = hub.conversations
    original = conversations.answer

    def answer_or_crash(message: Any, fetch: Any, mark: Any = None) -> Any:
        return conversations._answer(message, fetch, mark)

    conversations.answer = answer_or_crash
    try:
        hub.run_job(job.as_args(), job_id)
    finally:
        conversations.answer = original


def test_a_turn_cut_off_between_steps_is_finished_not_started_again(engine: Engine, slack: FakeSlackWebApi,
                                                                    slack_hub: Any,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    hub = slack_hub
    user, root = user_with(engine, "slack_user_id", MARIA), f"{int(time.time()) + 11}.000000"
    job = _said(user, "who has a gaa26800lc1", root, 0)
    real_invoke, calls = agent.graph.invoke, []

    def die_on_first_lookup(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[2])
        if len(calls) == 1:  # the planner's tool call is checkpointed; the tool never answers
            raise _Crash()
        return real_invoke(*args, **kwargs)

    monkeypatch.setattr(agent.graph, "invoke", die_on_first_lookup)
    with pytest.raises(_Crash):
        _run_raising(hub, job, 1)
    state = hub.conversations.runner.graph.get_state({"configurable": {"thread_id": job.conversation_key}})
    assert state.next, "the crash left the turn between its steps"
    hub.run_job(job.as_args(), 1)
    state = hub.conversations.runner.graph.get_state({"configurable": {"thread_id": job.conversation_key}})
    assert [m.content for m in state.values["messages"] if m.type == "human"] == ["who has a gaa26800lc1"]
    assert len(calls) == 2 and calls[0] == calls[1], "the cut-off tool call ran once more, nothing else"
    [post] = slack.posted()
    assert "GAA26800L" in post["text"]


def test_the_served_app_runs_its_own_job_worker_by_default(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """`make run` is one process: `partpilot serve` answers webhooks and runs their jobs itself."""
    import requests
    from twilio.request_validator import RequestValidator

    from channels.fakes._http import wait_until
    from channels.fakes.app_server import AppServer
    from channels.fakes.twilio_rest import FakeTwilioRest
    from partpilot.wiring import create_app, forget_configuration
    from tests.channel_fakes import OUR_NUMBER, TWILIO_SID, TWILIO_TOKEN

    twilio = FakeTwilioRest(TWILIO_SID, TWILIO_TOKEN)
    for name, value in {"TWILIO_ACCOUNT_SID": TWILIO_SID, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
                        "TWILIO_FROM_NUMBER": OUR_NUMBER, "TWILIO_API_BASE_URL": twilio.base_url}.items():
        monkeypatch.setenv(name, value)
    forget_configuration()
    import partpilot.wiring
    from partpilot.jobs import worker_app as real_worker_app

    # Its clock would change the session's data under other tests (tests/test_scheduled_work.py checks it).
    monkeypatch.setattr(partpilot.wiring, "worker_app", lambda *a, **k: real_worker_app(*a, **k, clock=False))
    stranger = f"+1555019{uuid.uuid4().int % 10**4:04d}"
    try:
        with AppServer(create_app(job_concurrency=1), lifespan="on") as server:
            params = {"MessageSid": f"SM{uuid.uuid4().hex}", "AccountSid": TWILIO_SID, "From": stranger,
                      "To": OUR_NUMBER, "Body": "need a contactor", "NumMedia": "0"}
            url = f"{server.url}/sms/inbound"
            signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, params)
            assert requests.post(url, data=params, headers={"X-Twilio-Signature": signature}, timeout=10).ok
            assert wait_until(lambda: any(m["to"] == stranger for m in twilio.sent()), 60)
        [reply] = [m["body"] for m in twilio.sent() if m["to"] == stranger]
        assert "not linked to a Partpilot user" in reply
    finally:
        twilio.close()
        forget_configuration()
