"""Deal alerts: each person's own (nobody else lists, changes or deletes them), written once per key; matched
when a listing is published or its price drops — through supersession, never for the seller's own listing,
never for a listing the alert's owner may not see — by tool and by REST."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Engine, text

from tests.api_helpers import api_client, body, error, headers_for
from tests.tool_helpers import OUTSIDER, create_test_listing, fails, key, ok
from tools.context import Caller, caller_by_email
from tools.registry import invoke


def _alert(engine: Engine, who: Caller, **args: Any) -> Any:
    return ok(invoke(engine, who, "create_deal_alert", args, idempotency_key=key())).alert


def _told(engine: Engine, who: Caller, listing: uuid.UUID) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT body FROM notifications WHERE user_id = :u AND subject_id = :s AND "
                                      "category = 'deal_alert'"), {"u": who.user_id, "s": listing}).scalars())


def _listing(engine: Engine, seller: Caller, **fields: Any) -> uuid.UUID:
    return create_test_listing(engine, seller, "PPA", **{"name": "Test alert part", "category": "hvac_sensor",
                                                         **fields})


def _number() -> str:
    return f"PPA-{uuid.uuid4().hex[:8].upper()}"


def _chain(engine: Engine, kind: str) -> tuple[str, str, str]:
    """(older number, newer number, manufacturer) of a supersession hop of `kind` between catalog parts."""
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT o.part_number AS old, n.part_number AS new, n.manufacturer FROM part_supersessions e "
            "JOIN parts_catalog o ON o.id = e.old_part_id JOIN parts_catalog n ON n.id = e.new_part_id "
            "WHERE e.interchangeability = :k AND o.manufacturer = n.manufacturer "
            "AND (SELECT count(*) FROM parts_catalog p WHERE p.part_number_norm IN (o.part_number_norm, "
            "n.part_number_norm)) = 2 ORDER BY o.part_number LIMIT 1"), {"k": kind}).one()
    return row.old, row.new, row.manufacturer


def test_an_alert_is_its_owners_alone(engine: Engine, maria: Caller, metro: Caller) -> None:
    mine = _alert(engine, maria, part_number=_number(), conditions=["used_good"], max_price="400", within_km=80.5)
    assert mine.within_miles == 50.0 and mine.near == "your base" and "under $400" in mine.name
    listed = ok(invoke(engine, maria, "list_deal_alerts", {})).alerts
    assert mine.id in [a.id for a in listed]
    assert mine.id not in [a.id for a in ok(invoke(engine, metro, "list_deal_alerts", {})).alerts]
    fails(invoke(engine, metro, "update_deal_alert", {"alert_id": str(mine.id), "paused": True},
                 idempotency_key=key()), "not_found")
    fails(invoke(engine, metro, "delete_deal_alert", {"alert_id": str(mine.id)}, idempotency_key=key()), "not_found")
    changed = ok(invoke(engine, maria, "update_deal_alert", {"alert_id": str(mine.id), "max_price": "350"},
                        idempotency_key=key())).alerts[0]
    assert changed.max_price == 350 and "under $350" in changed.name and not changed.paused
    fails(invoke(engine, maria, "create_deal_alert", {"max_price": "10"}, idempotency_key=key()), "invalid")
    ok(invoke(engine, maria, "delete_deal_alert", {"alert_id": str(mine.id)}, idempotency_key=key()))
    fails(invoke(engine, maria, "delete_deal_alert", {"alert_id": str(mine.id)}, idempotency_key=key()), "not_found")


def test_a_repeated_call_writes_once(engine: Engine, maria: Caller) -> None:
    args, same = {"query": "door operator belt", "max_price": "90"}, key()
    first = ok(invoke(engine, maria, "create_deal_alert", args, idempotency_key=same)).alert
    again = ok(invoke(engine, maria, "create_deal_alert", args, idempotency_key=same)).alert
    assert first.id == again.id
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM deal_alerts WHERE user_id = :u AND query = :q"),
                            {"u": maria.user_id, "q": "door operator belt"}).scalar() == 1
    fails(invoke(engine, maria, "create_deal_alert", {**args, "max_price": "95"}, idempotency_key=same), "conflict")


def test_a_newer_part_matches_an_alert_on_the_number_it_supersedes(engine: Engine, maria: Caller,
                                                                   metro: Caller) -> None:
    old, new, maker = _chain(engine, "one_way")
    _alert(engine, maria, part_number=old)
    listing = _listing(engine, metro, part_number=new, manufacturer=maker, price="100")
    [told] = _told(engine, maria, listing)
    assert new in told and "$100" in told and old in told
    # one way: an older part does not fit where its newer replacement goes
    rival = caller_by_email(engine, OUTSIDER)
    _alert(engine, rival, part_number=new, max_price="10")
    backward = _listing(engine, metro, part_number=old, manufacturer=maker, price="5")
    assert _told(engine, rival, backward) == []


def test_an_older_drop_in_matches_an_alert_on_the_newer_number(engine: Engine, maria: Caller, metro: Caller) -> None:
    old, new, maker = _chain(engine, "drop_in")
    _alert(engine, maria, part_number=new, max_price="60")
    listing = _listing(engine, metro, part_number=old, manufacturer=maker, price="55")
    assert len(_told(engine, maria, listing)) == 1


def test_a_price_drop_into_the_alert_tells_once(engine: Engine, maria: Caller, metro: Caller) -> None:
    number = _number()
    alert = _alert(engine, maria, part_number=number, max_price="80", conditions=["used_good", "used_fair"])
    listing = _listing(engine, metro, part_number=number, price="100")
    assert _told(engine, maria, listing) == [], "above the alert's max price"
    for price in ("75", "70"):
        ok(invoke(engine, metro, "update_listing", {"listing_id": str(listing), "price": price},
                  idempotency_key=key()))
    [told] = _told(engine, maria, listing)
    assert "now $75" in told
    [seen] = [a for a in ok(invoke(engine, maria, "list_deal_alerts", {})).alerts if a.id == alert.id]
    assert seen.match_count == 1 and seen.last_matched_at is not None


def test_filters_and_pauses_hold(engine: Engine, maria: Caller, metro: Caller) -> None:
    number = _number()
    alert = _alert(engine, maria, part_number=number, conditions=["new"])
    assert _told(engine, maria, _listing(engine, metro, part_number=number)) == [], "used, not new"
    ok(invoke(engine, maria, "update_deal_alert", {"all_mine": True, "paused": True}, idempotency_key=key()))
    paused = _listing(engine, metro, part_number=number, condition="new")
    assert _told(engine, maria, paused) == []
    ok(invoke(engine, maria, "update_deal_alert", {"all_mine": True, "paused": False}, idempotency_key=key()))
    assert all(not a.paused for a in ok(invoke(engine, maria, "list_deal_alerts", {})).alerts)
    far = _alert(engine, maria, part_number=_number(), within_km=5, lat=47.6, lng=-122.3)  # Seattle
    assert _told(engine, maria, _listing(engine, metro, part_number=far.part_number)) == []
    assert _told(engine, maria, _listing(engine, metro, part_number=number, condition="new")) != []
    assert alert.id


def test_no_alert_for_ones_own_listing_or_one_out_of_sight(engine: Engine, maria: Caller, metro: Caller) -> None:
    number = _number()
    _alert(engine, metro, part_number=number)
    _alert(engine, maria, part_number=number)
    listing = _listing(engine, metro, part_number=number)
    assert _told(engine, metro, listing) == []
    assert len(_told(engine, maria, listing)) == 1
    rival = caller_by_email(engine, OUTSIDER)
    hidden = _listing(engine, rival, part_number=number, visibility="internal")
    assert _told(engine, maria, hidden) == []


def test_free_text_alerts_match_by_words(engine: Engine, maria: Caller, metro: Caller) -> None:
    word = uuid.uuid4().hex[:6]
    _alert(engine, maria, query=f"zorbatron{word} bearing kit", max_price="60")
    listing = _listing(engine, metro, name=f"Zorbatron{word} bearing kit", price="50",
                                  description="Complete bearing kit, tested.")
    assert len(_told(engine, maria, listing)) == 1
    other = _listing(engine, metro, name="Scroll compressor mount", price="50")
    assert _told(engine, maria, other) == []


def test_rest_contract(engine: Engine, maria: Caller, metro: Caller) -> None:
    client = api_client()
    mine, theirs = headers_for(engine, maria), headers_for(engine, metro)
    created = body(client.post("/api/v1/alerts", headers={**mine, "Idempotency-Key": key()},
                               json={"part_number": _number(), "max_price": 400, "conditions": ["used_good"]}), 201)
    alert_id = created["alert"]["id"]
    page = body(client.get("/api/v1/alerts", headers=mine))
    assert set(page) >= {"items", "page", "page_size", "total", "has_more"}
    assert alert_id in [a["id"] for a in page["items"]]
    assert alert_id not in [a["id"] for a in body(client.get("/api/v1/alerts", headers=theirs))["items"]]
    error(client.patch(f"/api/v1/alerts/{alert_id}", headers={**theirs, "Idempotency-Key": key()},
                       json={"paused": True}), 404, "not_found")
    patched = body(client.patch(f"/api/v1/alerts/{alert_id}", headers={**mine, "Idempotency-Key": key()},
                                json={"paused": True, "max_price": 300}))
    assert patched["alerts"][0]["paused"] is True and float(patched["alerts"][0]["max_price"]) == 300
    error(client.post("/api/v1/alerts", headers=mine, json={"max_price": -1}), 422)
    error(client.delete(f"/api/v1/alerts/{alert_id}", headers=theirs), 404, "not_found")
    assert body(client.delete(f"/api/v1/alerts/{alert_id}", headers=mine))["alert_id"] == alert_id
    error(client.delete(f"/api/v1/alerts/{alert_id}", headers=mine), 404, "not_found")
    error(client.get("/api/v1/alerts"), 401)
