"""The platforms' side of the durability benchmark: conversations of signed Slack events and Twilio webhooks,
posted the way Slack and Twilio post them — each message of a conversation after the previous one was
acknowledged, every failed delivery (5xx, connection refused, timeout) retried with the same ids until it is
acknowledged, and a share of acknowledged deliveries sent again, as platforms do."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import requests
from slack_sdk.signature import SignatureVerifier
from twilio.request_validator import RequestValidator

from channels.fakes.slack_web_api import TEAM_ID

SLACK = {"token": "xoxb-durability", "secret": "durability-signing-secret"}
TWILIO = {"sid": "AC" + "d" * 32, "token": "durability-auth-token", "from": "+15005550006"}
PARTS = ["dte24-5g", "fluke 87v", "DTE12-1G", "dte80-3g", "4528331", "FAS-503356", "gaa26800lc1", "3247658"]
# Each conversation looks a part up, holds one (a WRITE, confirmed with "yes"), then goes on talking.
SCRIPT = ["{part}", "hold one for me", "yes", "thanks", "whats a fair price for it", "any closer?",
          "need a door operator for an otis gen2", "40 amp contactor 120v coil square d", "got one in the van?", "thx"]
GIVE_UP_SECONDS = 180.0


@dataclass
class Message:
    kind: str  # "slack" | "sms"
    conversation: str  # the server's conversation key
    index: int
    text: str
    delivery: str  # the server's outbox key: "event:<id>" (Slack) or the MessageSid
    params: dict[str, Any]


@dataclass
class Outcome:
    message: Message
    acked_at: float | None = None
    ack_ms: float | None = None
    statuses: list[int] = field(default_factory=list)  # every non-2xx answer; 0 for a connection failure
    unavailable_ms: list[float] = field(default_factory=list)  # how long each 503 took to come
    redelivery_status: int | None = None


def plan(run: str, slack_users: list[str], phones: list[str], conversations: int, slack_messages: int,
         sms_messages: int) -> list[list[Message]]:
    """Half the conversations on Slack (DM threads), half by SMS (known numbers first, then strangers)."""
    slack_convs, sms_convs = conversations // 2, conversations - conversations // 2
    base, plans = int(time.time()), []
    for c in range(slack_convs):
        user, root = slack_users[c % len(slack_users)], f"{base + c}.000000"
        channel, count = f"D{run}{c:04d}", _share(slack_messages, slack_convs, c)
        key = f"slack:{TEAM_ID}:{channel}:{root}"
        plans.append([Message("slack", key, k, _line(c, k), f"event:Ev{run}{c:03d}{k:03d}",
                              {"user": user, "channel": channel, "ts": f"{base + c}.{k:06d}", "thread_ts": root,
                               "event_id": f"Ev{run}{c:03d}{k:03d}"}) for k in range(count)])
    for c in range(sms_convs):
        phone = phones[c] if c < len(phones) else f"+1555017{c:04d}"
        count = _share(sms_messages, sms_convs, c)
        plans.append([Message("sms", f"sms:{phone}", k, _line(c, k), f"SM{run}{c:03d}{k:03d}", {"phone": phone})
                      for k in range(count)])
    return plans


def _share(total: int, parts: int, i: int) -> int:
    return total // parts + (1 if i < total % parts else 0)


def _line(conversation: int, k: int) -> str:
    return SCRIPT[k % len(SCRIPT)].format(part=PARTS[conversation % len(PARTS)])


class Pacer:
    """New deliveries at a steady `rate` per second across all conversations, as people's messages arrive (the
    platforms' own retries are not paced)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._next = time.monotonic()
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            slot = self._next = max(self._next + self.interval, now)
        if slot > now:
            time.sleep(slot - now)


class Platforms:
    """Posts signed webhooks to `url` (nginx in front of the API processes)."""

    def __init__(self, url: str, pacer: Pacer | None = None) -> None:
        self.url, self.pacer = url, pacer or Pacer(0)
        self.slack = SignatureVerifier(SLACK["secret"])
        self.twilio = RequestValidator(TWILIO["token"])

    def deliver(self, session: requests.Session, message: Message, attempt: int) -> int:
        """One delivery attempt; the HTTP status (0 when the connection failed or timed out)."""
        if message.kind == "slack":
            p = message.params
            event = {"type": "message", "channel": p["channel"], "user": p["user"], "text": message.text,
                     "ts": p["ts"], "event_ts": p["ts"], "channel_type": "im", "team": TEAM_ID}
            if p["ts"] != p["thread_ts"]:
                event["thread_ts"] = p["thread_ts"]
            body = json.dumps({"team_id": TEAM_ID, "api_app_id": "A0DURABLE", "type": "event_callback",
                               "event": event, "event_id": p["event_id"], "event_time": int(time.time())})
            stamp = str(int(time.time()))
            headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp,
                       "X-Slack-Signature": self.slack.generate_signature(timestamp=stamp, body=body) or ""}
            if attempt > 1:
                headers |= {"X-Slack-Retry-Num": str(attempt - 1), "X-Slack-Retry-Reason": "http_error"}
            return _post(session, f"{self.url}/slack/events", body.encode(), headers)
        params = {"MessageSid": message.delivery, "SmsSid": message.delivery, "AccountSid": TWILIO["sid"],
                  "From": message.params["phone"], "To": TWILIO["from"], "Body": message.text, "NumMedia": "0",
                  "ApiVersion": "2010-04-01"}
        url = f"{self.url}/sms/inbound"
        return _post(session, url, params, {"X-Twilio-Signature": self.twilio.compute_signature(url, params)})

    def converse(self, messages: list[Message], redeliver_every: int,
                 on_ack: Callable[[Outcome], None]) -> list[Outcome]:
        """A conversation's messages in order, each retried until acknowledged (or given up on)."""
        session, outcomes = requests.Session(), []
        for message in messages:
            self.pacer.wait()
            outcome, attempt, pause = Outcome(message), 0, 0.25
            deadline = time.monotonic() + GIVE_UP_SECONDS
            while time.monotonic() < deadline:
                attempt += 1
                started = time.perf_counter()
                status = self.deliver(session, message, attempt)
                if 200 <= status < 300:
                    outcome.ack_ms = (time.perf_counter() - started) * 1000
                    outcome.acked_at = time.time()
                    break
                outcome.statuses.append(status)
                if status == 503:
                    outcome.unavailable_ms.append((time.perf_counter() - started) * 1000)
                time.sleep(pause)
                pause = min(pause * 2, 2.0)
            outcomes.append(outcome)
            if outcome.acked_at is not None:
                on_ack(outcome)
                if redeliver_every and (message.index + 1) % redeliver_every == 0:
                    outcome.redelivery_status = self.deliver(session, message, attempt + 1)
        return outcomes


def _post(session: requests.Session, url: str, data: Any, headers: dict[str, str]) -> int:
    try:
        return session.post(url, data=data, headers=headers, timeout=10).status_code
    except requests.RequestException:
        return 0


def drive(platforms: Platforms, plans: list[list[Message]], threads: int, redeliver_every: int,
          on_ack: Callable[[Outcome], None]) -> list[Outcome]:
    """Every conversation at once (up to `threads` at a time); returns every message's outcome."""
    with ThreadPoolExecutor(threads) as pool:
        results = pool.map(lambda messages: platforms.converse(messages, redeliver_every, on_ack), plans)
        return [outcome for conversation in results for outcome in conversation]
