"""`partpilot bench durability`: nothing acknowledged is lost, nothing is done twice, when processes die or the
database goes away in the middle of real traffic.

A PostgreSQL of the bench's own on a TCP port (cluster.py) holds a copy of the store. Two API processes run
behind nginx, two job workers beside them (fleet.py), all real OS processes. The fake Slack Web API and
Twilio REST API run in this process. Signed Slack events and Twilio webhooks come across many conversations
(traffic.py), and in the middle of the run:

- mode "kill": one worker and one API process get SIGKILL, and are started again two seconds later;
- mode "postgres": PostgreSQL is stopped for ten seconds, then started again.

Then every acknowledged message must get its reply, once, in its conversation's order, with its writes done
once (tally.py)."""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from channels.fakes.slack_web_api import FakeSlackWebApi
from channels.fakes.twilio_rest import FakeTwilioRest
from knowledge.db import get_engine
from knowledge.settings import get_settings
from partpilot.bench.cluster import BenchPostgres
from partpilot.bench.fleet import Fleet, Nginx
from partpilot.bench.tally import Replies, summarize, unanswered
from partpilot.bench.traffic import SLACK, TWILIO, Outcome, Pacer, Platforms, drive, plan

log = logging.getLogger(__name__)
TARGETS = {"lost": 0, "duplicate_replies": 0, "duplicate_writes": 0, "out_of_order": 0, "ack_p99_ms": 200.0}
FAULT_AT = 0.4  # the share of acknowledged messages after which the fault strikes
WRITES_PER_CONVERSATION = 1  # the script confirms one hold per conversation


def run_durability_bench(out: Path | None, modes: list[str], slack_messages: int = 500, sms_messages: int = 500,
                         conversations: int = 100, apis: int = 2, workers: int = 2, concurrency: int = 4,
                         redeliver_every: int = 10, drain_seconds: float = 120.0,
                         keep: bool = False, rate: float = 25.0) -> dict[str, Any]:
    """Run the bench in each of `modes`; the report (also written to `out`). `keep`: leave the processes' logs
    and the database's files in the temporary directory named in the report."""
    root = Path(tempfile.mkdtemp(prefix="partpilot-durability-"))
    report: dict[str, Any] = {"config": {"slack_messages": slack_messages, "sms_messages": sms_messages,
                                         "conversations": conversations, "api_processes": apis, "workers": workers,
                                         "worker_concurrency": concurrency, "redeliver_every": redeliver_every,
                                         "proxy": "nginx", "messages_per_second": rate},
              "targets": TARGETS,
              **({"kept": str(root)} if keep else {})}
    postgres = BenchPostgres(root / "postgres")
    try:
        for mode in modes:
            database = postgres.copy_of(get_engine(), root / "store.dump", f"bench_{mode}")
            report[mode] = _run_mode(mode, root / mode, postgres, database, slack_messages, sms_messages,
                                     conversations, apis, workers, concurrency, redeliver_every, drain_seconds, rate)
    finally:
        postgres.close()
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    report["passed"] = all(report[m]["passed"] for m in modes)
    if out is not None:
        import json

        out.write_text(json.dumps(report, indent=2) + "\n")
    return report


def _run_mode(mode: str, root: Path, postgres: BenchPostgres, database: str, slack_messages: int,
              sms_messages: int, conversations: int, apis: int, workers: int, concurrency: int,
              redeliver_every: int, drain_seconds: float, rate: float) -> dict[str, Any]:
    engine = create_engine(database.replace("postgresql://", "postgresql+psycopg://"), pool_pre_ping=True)
    _migrate(engine)
    slack, twilio = FakeSlackWebApi(SLACK["token"]), FakeTwilioRest(TWILIO["sid"], TWILIO["token"])
    fleet: Fleet | None = None
    nginx: Nginx | None = None
    try:
        slack_users, phones = _people(engine)
        # The store's home: its exported query encoder is reused (the database itself is DATABASE_URL's).
        env = {"DATABASE_URL": database, "PARTPILOT_HOME": str(get_settings().home), "HF_HUB_OFFLINE": "1",
               "PARTPILOT_LOG_LEVEL": "INFO", "SLACK_BOT_TOKEN": SLACK["token"],
               "SLACK_SIGNING_SECRET": SLACK["secret"], "SLACK_API_BASE_URL": slack.base_url,
               "TWILIO_ACCOUNT_SID": TWILIO["sid"], "TWILIO_AUTH_TOKEN": TWILIO["token"],
               "TWILIO_FROM_NUMBER": TWILIO["from"], "TWILIO_API_BASE_URL": twilio.base_url}
        fleet = Fleet(root, env, apis, workers, concurrency)
        nginx = Nginx(root / "nginx", fleet.api_ports)
        fleet.env["PUBLIC_BASE_URL"] = nginx.url  # Twilio signs the URL it calls: the proxy's
        fleet.start()
        fleet.wait_ready(lambda: _workers_running(engine))
        _warm_up(engine, fleet, slack_users[0], slack)
        plans = plan(uuid.uuid4().hex[:6], slack_users, phones, conversations, slack_messages, sms_messages)
        fault = _Fault(mode, fleet, postgres, threshold=int(FAULT_AT * (slack_messages + sms_messages)))
        started = time.time()
        outcomes = drive(Platforms(nginx.url, Pacer(rate)), plans, threads=min(64, len(plans)),
                         redeliver_every=redeliver_every, on_ack=fault.count)
        fault.wait()
        sent_s = time.time() - started
        replies = _drain(engine, slack, twilio, outcomes, drain_seconds)
        result = summarize(outcomes, replies, engine, WRITES_PER_CONVERSATION)
        result |= {"mode": mode, "fault": fault.events, "seconds_sending": round(sent_s, 1),
                   "seconds_total": round(time.time() - started, 1), "processes_alive_at_end": fleet.alive()}
        result["passed"] = (result["lost"] == 0 and result["duplicate_replies"] == 0
                            and result["duplicate_writes"] == 0 and result["out_of_order"] == 0
                            and result["server_errors_500"] == 0 and result["never_accepted"] == 0
                            and (mode != "kill" or result["ack"].get("p99_ms", 0) <= TARGETS["ack_p99_ms"]))
        return result
    finally:
        if fleet is not None:
            fleet.close()
        if nginx is not None:
            nginx.close()
        slack.close()
        twilio.close()
        engine.dispose()


class _Fault:
    """Strikes once, from its own thread, when the `threshold`-th message is acknowledged."""

    def __init__(self, mode: str, fleet: Fleet, postgres: BenchPostgres, threshold: int) -> None:
        self.mode, self.fleet, self.postgres, self.threshold = mode, fleet, postgres, threshold
        self.acked, self.events = 0, []  # type: ignore[var-annotated]
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def count(self, _: Outcome) -> None:
        with self._lock:
            self.acked += 1
            if self.acked == self.threshold:
                self._thread = threading.Thread(target=self._strike, name="fault")
                self._thread.start()

    def _strike(self) -> None:
        self.events.append({"event": "fault", "at_acked": self.acked, "t": time.time()})
        if self.mode == "kill":
            self.fleet.kill("worker", 0)
            self.fleet.kill("api", 0)
            time.sleep(2)
            self.fleet.restart("worker", 0)
            self.fleet.restart("api", 0)
        else:
            self.postgres.stop()
            time.sleep(10)
            self.postgres.start()
        self.events.append({"event": "recovered", "t": time.time()})

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()


def _drain(engine: Any, slack: FakeSlackWebApi, twilio: FakeTwilioRest, outcomes: list[Outcome],
           seconds: float) -> Replies:
    """Wait (up to `seconds`) until every acknowledged message has its reply at the platform."""
    deadline = time.monotonic() + seconds
    while True:
        replies = Replies(engine, slack, twilio)
        if not unanswered(outcomes, replies) or time.monotonic() > deadline:
            time.sleep(1.0)  # a last look for duplicates that would arrive after the last reply
            return Replies(engine, slack, twilio)
        time.sleep(0.5)


def _workers_running(engine: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM procrastinate_workers WHERE last_heartbeat > "
                                     "now() - interval '5 seconds'")).scalar_one())


def _warm_up(engine: Any, fleet: Fleet, user: str, slack: FakeSlackWebApi) -> None:
    """One message to each API process, straight to its port, answered before the clock starts: first requests
    open pools and call Slack's auth.test, first turns load what they load. Not counted."""
    before = len(slack.posted())
    run = uuid.uuid4().hex[:6]
    for i, port in enumerate(fleet.api_ports):
        platforms = Platforms(f"http://127.0.0.1:{port}")
        warm = plan(f"warm{run}{i}", [user], [], 2, 2, 0)[0]
        platforms.converse(warm, 0, lambda _: None)
    deadline = time.monotonic() + 120
    while len(slack.posted()) < before + 2 * len(fleet.api_ports) and time.monotonic() < deadline:
        time.sleep(0.2)


def _migrate(engine: Any) -> None:
    from knowledge.migrate import upgrade

    upgrade(engine)


def _people(engine: Any) -> tuple[list[str], list[str]]:
    with engine.connect() as conn:
        slack = conn.execute(text("SELECT slack_user_id FROM users WHERE is_active AND slack_user_id IS NOT NULL "
                                  "ORDER BY email")).scalars().all()
        phones = conn.execute(text("SELECT phone FROM users WHERE is_active AND phone IS NOT NULL "
                                   "ORDER BY email")).scalars().all()
    return [str(s) for s in slack], [str(p) for p in phones]
