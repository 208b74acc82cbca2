"""`partpilot bench channels`: how fast Slack and Twilio webhooks are acknowledged while the agent works.

The real app runs under uvicorn on loopback with both channels on; loopback fakes stand in for the Slack Web
API and the Twilio REST API. Signed webhooks from demo users (DMs and texts, a share of them redelivered as
platform retries) are posted from several threads; each acknowledgement's latency is measured while the
agent turns run in the server's background worker. Slack wants an answer within 3 s, Twilio within 15 s; the
target here is p99 ≤ 200 ms."""

from __future__ import annotations

import json
import multiprocessing
import time
import uuid
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import Engine, text
from twilio.request_validator import RequestValidator

from channels.fakes.app_server import AppServer
from channels.fakes.slack_web_api import TEAM_ID
from partpilot.bench.latency import latency_stats
from partpilot.bench.platforms import SLACK, TWILIO, loopback_platforms

TARGET_P99_MS = 200.0
QUERIES = ["where can I get a GAA24350BH1?", "need a door operator for an Otis Gen2", "gaa 26800 lc1",
           "4 ton scroll compressor 410a copeland", "40 amp contactor 120v coil square d", "any closer?",
           "spo2 sensor for intellivue", "what's the going price for a used KM713160G01?"]


class _Sender:
    def __init__(self, app_url: str) -> None:
        self.url = app_url
        self.session = requests.Session()
        self.slack = SignatureVerifier(SLACK["secret"])
        self.twilio = RequestValidator(TWILIO["token"])

    def slack_dm(self, user: str, body_text: str, event_id: str, ts: str, retry: bool = False) -> float:
        event = {"type": "message", "channel": f"D{user}", "user": user, "text": body_text, "ts": ts, "event_ts": ts,
                 "channel_type": "im", "team": TEAM_ID}
        body = json.dumps({"team_id": TEAM_ID, "api_app_id": "A0BENCH", "type": "event_callback", "event": event,
                           "event_id": event_id, "event_time": int(time.time())})
        stamp = str(int(time.time()))
        headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp,
                   "X-Slack-Signature": self.slack.generate_signature(timestamp=stamp, body=body) or ""}
        if retry:
            headers |= {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
        return self._post("/slack/events", body.encode(), headers)

    def sms(self, phone: str, body_text: str, sid: str) -> float:
        params = {"MessageSid": sid, "SmsSid": sid, "AccountSid": TWILIO["sid"], "From": phone,
                  "To": TWILIO["from"], "Body": body_text, "NumMedia": "0", "ApiVersion": "2010-04-01"}
        url = f"{self.url}/sms/inbound"
        headers = {"X-Twilio-Signature": self.twilio.compute_signature(url, params)}
        return self._post("/sms/inbound", params, headers)

    def _post(self, path: str, data: Any, headers: dict[str, str]) -> float:
        start = time.perf_counter()
        response = self.session.post(f"{self.url}{path}", data=data, headers=headers, timeout=30)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}: {response.text[:200]}")
        return elapsed


def _send_all(url: str, users: list[tuple[str, str]], run: str, messages: int, concurrency: int,
              retry_every: int) -> list[tuple[str, float, float | None]]:
    """Post `messages` signed webhooks (Slack DMs and texts alternating) from `concurrency` threads; every
    `retry_every`-th one of each kind is delivered twice, as a platform retry. Returns (kind, ms, retry ms)."""
    sender = _Sender(url)

    def one(i: int) -> tuple[str, float, float | None]:
        slack_id, phone = users[i % len(users)]
        query, again = QUERIES[i % len(QUERIES)], (i // 2) % retry_every == 0
        if i % 2 == 0:
            event_id, ts = f"Ev{run}{i}", f"{int(time.time())}.{i:06d}"
            first = sender.slack_dm(slack_id, query, event_id, ts)
            return "slack", first, sender.slack_dm(slack_id, query, event_id, ts, retry=True) if again else None
        sid = f"SM{run}{i:06d}"
        return "sms", sender.sms(phone, query, sid), sender.sms(phone, query, sid) if again else None

    with ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(one, range(messages)))


def _users(engine: Engine, limit: int) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT slack_user_id, phone FROM users WHERE is_active AND slack_user_id IS NOT NULL "
                                 "AND phone IS NOT NULL ORDER BY email LIMIT :n"), {"n": limit}).all()
    return [(str(r.slack_user_id), str(r.phone)) for r in rows]


def run_channels_bench(engine: Engine, out: Path, messages: int = 200, concurrency: int = 8,
                       retry_share: float = 0.1) -> dict[str, Any]:
    from partpilot.config import get_app_settings
    from partpilot.jobs import BackgroundWorker, wait_for_turns, worker_app
    from partpilot.wiring import create_app, get_hub

    users = _users(engine, 8)
    run = uuid.uuid4().hex[:8]
    with loopback_platforms() as (slack, twilio):
        app, hub = create_app(), get_hub()
        worker = BackgroundWorker(worker_app(hub, engine, get_app_settings().channel_workers), name="bench").start()
        with AppServer(app) as server:
            sender = _Sender(server.url)
            # model loads and Slack's auth.test are not part of the measurement (one at a time: first loads race)
            sender.slack_dm(users[0][0], QUERIES[0], f"Ev{run}warm", f"{int(time.time())}.000001")
            wait_for_turns(engine, 300)
            sender.sms(users[0][1], QUERIES[0], f"SM{run}warm")
            wait_for_turns(engine, 300)
            warm = {"slack": len(slack.posted()), "sms": len(twilio.sent())}
            # Webhooks come from another process, as they would from Slack and Twilio: the sender's threads
            # must not compete with the server for its interpreter lock.
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as sender_process:
                sender_process.submit(time.time).result()  # the process is up before the clock starts
                started = time.perf_counter()
                results = sender_process.submit(_send_all, server.url, users, run, messages, concurrency,
                                                round(1 / retry_share)).result()
            sent_s = time.perf_counter() - started
            drained = wait_for_turns(engine, 1800)
            drain_s = time.perf_counter() - started
            worker.stop()
    acks = {kind: [ms for k, first, again in results if k == kind for ms in (first, again) if ms is not None]
            for kind in ("slack", "sms")}
    every = acks["slack"] + acks["sms"]
    retried = sum(1 for _, _, again in results if again is not None)
    replied_slack = {p["thread_ts"] for p in slack.posted()[warm["slack"]:]}
    report = {
        "benchmark": "channels", "planner": "local", "messages": messages, "concurrency": concurrency,
        "target_p99_ms": TARGET_P99_MS,
        "ack_ms": {kind: latency_stats(values) for kind, values in (*acks.items(), ("all", every))},
        "meets_target": latency_stats(every)["p99_ms"] <= TARGET_P99_MS,
        "retries": {"redelivered": retried, "slack_threads_answered": len(replied_slack),
                    "slack_posts": len(slack.posted()) - warm["slack"],
                    "duplicate_slack_replies": len(slack.posted()) - warm["slack"] - len(replied_slack)},
        "background": {"drained": drained, "webhooks_sent_s": round(sent_s, 2), "all_replies_sent_s": round(drain_s, 2),
                       "sms_messages_sent": len(twilio.sent()) - warm["sms"]},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    return report
