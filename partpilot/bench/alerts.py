"""`partpilot bench alerts`: deal-alert matching at scale, and how long a match takes to reach a person.

A copy of the store (a database cloned from it, dropped afterwards) gets 10,000 alert rules of its demo users —
part numbers of listed parts and their supersession neighbours, words from part names, with conditions, max
prices and radii — and 1,000 draft listings (copies of the demo world's, embeddings and all). Each draft is then
published as publish_listing does it (status active, then `alert_on_listing` in the same transaction), paced,
while a job worker runs with its clock: the notices go out through the Slack and Twilio loopback fakes. Measured:
the matching time per listing, and each notice's time from its event (the publishing transaction) to the fake
provider receiving it."""

from __future__ import annotations

import json
import logging
import random
import time
import uuid
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, insert, text
from sqlalchemy.orm import Session

from channels.fakes.slack_web_api import FakeSlackWebApi
from channels.fakes.twilio_rest import FakeTwilioRest
from channels.notices import notice_sms
from knowledge.db import engine_for_url
from knowledge.embeddings import embed_query
from knowledge.models import DealAlert, MarketplaceListing
from knowledge.partnumbers import normalize_part_number
from partpilot.bench.latency import latency_stats
from partpilot.bench.platforms import loopback_platforms
from tools.alerts.matching import alert_on_listing, matching_rules
from tools.rules.clock import utcnow

log = logging.getLogger(__name__)
TARGETS = {"match_p95_ms": 20.0, "end_to_end_p95_ms": 2000.0}
_USED = ["used_excellent", "used_good", "used_fair"]
RULES_PER_PERSON = 4


def _clone(main: Engine) -> tuple[Engine, Engine, str]:
    """(admin engine, engine on a fresh copy of the store, its name)."""
    name = f"{main.url.database}_alerts_bench"
    admin = create_engine(main.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    main.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{main.url.database}"'))
    return admin, engine_for_url(main.url.set(database=name)), name


def _drafts(engine: Engine, count: int, rng: random.Random) -> list[uuid.UUID]:
    """`count` draft copies of the demo world's fixed-price and trade listings, from several sellers."""
    with engine.begin() as conn:
        columns = [c for c in conn.execute(text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'marketplace_listings' "
            "AND is_generated = 'NEVER' AND column_name NOT IN ('id', 'status', 'idempotency_key', 'offer_count', "
            "'view_count', 'watch_count', 'created_at', 'updated_at', 'expires_at')")).scalars()]
        sources = list(conn.execute(text(
            "SELECT id FROM marketplace_listings WHERE listing_type IN ('sale', 'emergency', 'trade') "
            "AND quantity_available > 0 AND embedding IS NOT NULL")).scalars())
        picks = [rng.choice(sources) for _ in range(count)]
        cols = ", ".join(columns)
        return [conn.execute(text(f"INSERT INTO marketplace_listings (id, status, {cols}) SELECT :id, 'draft', "
                                  f"{cols} FROM marketplace_listings WHERE id = :src RETURNING id"),
                             {"id": uuid.uuid4(), "src": src}).scalar_one() for src in picks]


def _rules(engine: Engine, drafts: list[uuid.UUID], count: int, rng: random.Random) -> dict[str, int]:
    """`count` alert rules: most on part numbers the market lists (or their supersession neighbours, or parts
    nobody lists), the rest on words of part names; conditions, prices and radii drawn like people set them."""
    with engine.begin() as conn:
        # the people watching: as many as there are rules / RULES_PER_PERSON, in the demo organizations, a third
        # on Slack and the rest by text (the demo world's 30 users would each carry ~330 rules)
        conn.execute(text(
            "INSERT INTO users (organization_id, email, name, role, phone, slack_user_id, trades) "
            "SELECT (SELECT id FROM organizations ORDER BY id OFFSET (g % (SELECT count(*) FROM organizations)) "
            "LIMIT 1), 'bench-' || g || '@alerts.example', 'Bench Watcher ' || g, 'technician', "
            "'+1555' || lpad(g::text, 7, '0'), CASE WHEN g % 3 = 0 THEN 'UB' || g END, '[]' "
            "FROM generate_series(1, :n) g"), {"n": max(1, count // RULES_PER_PERSON)})
        users = conn.execute(text("SELECT u.id, u.organization_id, o.lat, o.lng FROM users u "
                                  "JOIN organizations o ON o.id = u.organization_id WHERE u.is_active "
                                  "AND u.email LIKE 'bench-%@alerts.example' ORDER BY u.email")).all()
        listed = conn.execute(text("SELECT part_number, name, price FROM marketplace_listings "
                                   "WHERE id = ANY(:ids)"), {"ids": drafts}).all()
        neighbours = list(conn.execute(text(
            "SELECT o.part_number FROM part_supersessions e JOIN parts_catalog o ON o.id = e.old_part_id "
            "UNION SELECT n.part_number FROM part_supersessions e JOIN parts_catalog n ON n.id = e.new_part_id"))
            .scalars())
        catalog = conn.execute(text("SELECT part_number, name FROM parts_catalog ORDER BY random() LIMIT 3000")).all()
    # what people watch for spreads over the whole catalog; a few watch for what is listed right now
    texts = sorted({" ".join(str(r.name).split()[:2]).lower() for r in catalog[:600]})
    vectors = {t: embed_query(t) for t in texts}
    rows: list[dict[str, Any]] = []
    kinds: dict[str, int] = defaultdict(int)
    for i in range(count):
        user, source = users[i % len(users)], rng.choice(listed)
        roll = rng.random()
        number, query = None, None
        if roll < 0.08:
            number, kinds["listed_number"] = source.part_number, kinds["listed_number"] + 1
        elif roll < 0.2:
            number, kinds["supersession_number"] = rng.choice(neighbours), kinds["supersession_number"] + 1
        elif roll < 0.8:
            number, kinds["other_number"] = rng.choice(catalog).part_number, kinds["other_number"] + 1
        else:
            query, kinds["words"] = rng.choice(texts), kinds["words"] + 1
        price = source.price or 100
        radius = rng.choice([None, None, 80.5, 160.9, 402.3])
        rows.append({
            "id": uuid.uuid4(), "user_id": user.id, "organization_id": user.organization_id,
            "name": number or query, "part_number": number,
            "part_number_norm": normalize_part_number(number) if number else None, "query": query,
            "embedding": vectors[query] if query else None,
            "conditions": rng.choice([[], [], _USED, ["new"], ["new", "refurbished"]]),
            "max_price": rng.choice([None, round(float(price) * rng.uniform(0.6, 1.5), 2)]),
            "lat": user.lat if radius else None, "lng": user.lng if radius else None, "radius_km": radius,
            "place": "your base" if radius else None})
    with Session(engine) as session, session.begin():
        session.execute(insert(DealAlert), rows)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE deal_alerts"))
    return dict(kinds)


def _publish_all(engine: Engine, drafts: list[uuid.UUID], rate: float) -> tuple[list[float], list[float], int]:
    """Publish each draft as publish_listing does, `rate` a second; (match ms per listing, match-and-notify ms
    per listing, notices)."""
    match_ms, hook_ms, notices = [], [], 0
    started = time.perf_counter()
    for i, listing_id in enumerate(drafts):
        pause = started + i / rate - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        with Session(engine) as session, session.begin():
            listing = session.get(MarketplaceListing, listing_id, with_for_update=True)
            assert listing is not None
            listing.status, listing.expires_at = "active", utcnow() + timedelta(days=30)
            session.flush()
            begun = time.perf_counter()
            rules = matching_rules(session, listing)
            matched = time.perf_counter()
            notices += alert_on_listing(session, listing, rules=rules)
            match_ms.append((matched - begun) * 1000)
            hook_ms.append((time.perf_counter() - begun) * 1000)
    return match_ms, hook_ms, notices


def _end_to_end(engine: Engine, slack: FakeSlackWebApi, twilio: FakeTwilioRest) -> tuple[list[float], int]:
    """Each notice's time from its event (the row's timestamp: the publishing transaction) to the fake provider
    receiving it, matched by what was sent; (ms per received notice, notices sent but not received)."""
    events: dict[str, list[float]] = defaultdict(list)
    with engine.connect() as conn:
        for row in conn.execute(text(
                "SELECT n.title, n.body, extract(epoch FROM n.created_at) AS at, d.channel FROM notifications n "
                "JOIN notification_deliveries d ON d.notification_id = n.id WHERE n.category = 'deal_alert' "
                "AND d.channel IN ('slack', 'sms') AND d.status = 'sent'")):
            sent = f"{row.title}: {row.body}" if row.channel == "slack" else notice_sms(row.title, row.body)
            events[sent].append(float(row.at))
    received: dict[str, list[float]] = defaultdict(list)
    for payload in slack.posted():
        received[str(payload.get("text"))].append(float(payload["_received_at"]))
    for message in twilio.sent():
        received[str(message.get("body"))].append(float(message["_received_at"]))
    latencies, missing = [], 0
    for sent_text, stamps in events.items():
        arrivals = sorted(received.get(sent_text, []))
        missing += max(0, len(stamps) - len(arrivals))
        latencies += [(arrived - at) * 1000 for at, arrived in zip(sorted(stamps), arrivals, strict=False)]
    return latencies, missing


def _delivery_counts(engine: Engine) -> dict[str, int]:
    """Deal-alert deliveries on Slack and SMS by cadence and status (the hourly ones are past a person's cap)."""
    with engine.connect() as conn:
        return {f"{r.cadence}:{r.status}": int(r.n) for r in conn.execute(text(
            "SELECT d.cadence, d.status, count(*) AS n FROM notification_deliveries d JOIN notifications n ON "
            "n.id = d.notification_id WHERE n.category = 'deal_alert' AND d.channel IN ('slack', 'sms') "
            "GROUP BY 1, 2 ORDER BY 1, 2"))}


def _wait_for_deliveries(engine: Engine, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while True:
        with engine.connect() as conn:
            waiting = int(conn.execute(text(
                "SELECT count(*) FROM notification_deliveries WHERE channel IN ('slack', 'sms') "
                "AND cadence = 'immediate' AND status IN ('pending', 'sending')")).scalar_one())
        if not waiting or time.monotonic() > deadline:
            return waiting
        time.sleep(0.5)


def run_alerts_bench(main: Engine, out: Path, rules: int = 10_000, listings: int = 1_000,
                     rate: float = 10.0, seed: int = 17) -> dict[str, Any]:
    from partpilot.config import get_app_settings
    from partpilot.jobs import BackgroundWorker, worker_app
    from partpilot.notice_pump import NoticePump
    from partpilot.wiring import build_hub

    rng = random.Random(seed)
    admin, engine, name = _clone(main)
    try:
        with loopback_platforms() as (slack, twilio):
            drafts = _drafts(engine, listings, rng)
            kinds = _rules(engine, drafts, rules, rng)
            settings = get_app_settings()
            hub = build_hub(settings, engine)
            worker = BackgroundWorker(worker_app(hub, engine, settings.channel_workers), name="bench-alerts",
                                      pump=NoticePump(hub, engine)).start()
            try:
                started = time.perf_counter()
                match_ms, hook_ms, notices = _publish_all(engine, drafts, rate)
                published_s = time.perf_counter() - started
                undelivered = _wait_for_deliveries(engine, 120)
            finally:
                worker.stop()
            deliveries = _delivery_counts(engine)
            e2e_ms, missing = _end_to_end(engine, slack, twilio)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    match, e2e = latency_stats(match_ms), latency_stats(e2e_ms)
    passed = bool(match.get("p95_ms", 1e9) <= TARGETS["match_p95_ms"] and e2e.get("n")
                  and e2e.get("p95_ms", 1e9) <= TARGETS["end_to_end_p95_ms"] and not undelivered and not missing)
    report = {
        "benchmark": "alerts", "config": {"rules": rules, "rule_kinds": kinds, "listings": listings,
                                          "people": rules // RULES_PER_PERSON,
                                          "publish_rate_per_s": rate, "worker": "in-process, with its clock",
                                          "providers": "Slack Web API and Twilio REST loopback fakes"},
        "targets": TARGETS,
        "match_ms_per_listing": match,
        "match_and_notify_ms_per_listing": latency_stats(hook_ms),
        "notices_written": notices, "notices_per_listing": round(notices / max(1, len(match_ms)), 2),
        "deliveries": deliveries,
        "end_to_end_ms": e2e, "undelivered_after_wait": undelivered, "sent_but_not_received": missing,
        "publish_seconds": round(published_s, 1),
        "verdict": "PASSED" if passed else "FAILED", "passed": passed,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    return report
