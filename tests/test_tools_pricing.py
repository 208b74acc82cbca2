"""Pricing tools on the seeded store: assess_price, suggest_price, market_insights."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Engine, text

from tests.tool_helpers import fails, ok
from tools.context import Caller
from tools.registry import invoke


def test_quoted_price_verdicts_follow_the_market(engine: Engine, maria: Caller) -> None:
    base = {"part_number": "GAA24350BH1", "condition": "new"}
    probe = ok(invoke(engine, maria, "assess_price", {**base, "price": 1000}))
    market = probe.market_price
    assert market and probe.sample_size >= 5 and probe.history.n >= 5
    assert probe.history.p25 <= probe.history.median <= probe.history.p75
    assert probe.verdict == "below_market" and probe.label == "Great deal"
    expected = {Decimal("0.5"): "below_market", Decimal("0.8"): "competitive", Decimal("1.0"): "fair",
                Decimal("1.2"): "above_market", Decimal("2.0"): "high"}
    for factor, verdict in expected.items():
        out = ok(invoke(engine, maria, "assess_price", {**base, "price": str(market * factor)}))
        assert out.verdict == verdict, (factor, out.ratio_to_market)
        assert out.market_price == market
    assert "median" in out.evidence and str(market) in out.evidence


def test_listing_is_compared_with_other_listings_not_itself(engine: Engine, maria: Caller) -> None:
    with engine.connect() as conn:
        listing = conn.execute(text(
            "SELECT l.id, l.price, l.part_id FROM marketplace_listings l WHERE l.status = 'active' "
            "AND l.visibility = 'public' AND l.price IS NOT NULL AND l.listing_type IN ('sale', 'emergency') "
            "AND (SELECT count(*) FROM part_price_history h WHERE h.part_id = l.part_id) >= 10 "
            "AND (SELECT count(*) FROM marketplace_listings o WHERE o.part_id = l.part_id AND o.id <> l.id "
            "AND o.status = 'active' AND o.visibility = 'public' AND o.price IS NOT NULL) >= 1 "
            "ORDER BY l.id LIMIT 1")).one()
    out = ok(invoke(engine, maria, "assess_price", {"listing_id": str(listing.id)}))
    assert out.listing_id == listing.id and out.price == listing.price
    assert out.verdict != "unknown" and out.ratio_to_market
    assert out.comparables and all(c.listing_id != listing.id for c in out.comparables)
    assert all(c.condition_adjusted_price > 0 for c in out.comparables)


def test_hidden_listing_and_bad_input_fail(engine: Engine, maria: Caller) -> None:
    with engine.connect() as conn:
        hidden = conn.execute(text(
            "SELECT id FROM marketplace_listings WHERE visibility = 'internal' AND organization_id <> :org "
            "LIMIT 1"), {"org": maria.organization_id}).scalar_one()
    out = invoke(engine, maria, "assess_price", {"listing_id": str(hidden)})
    fails(out, "not_found")
    no_price = invoke(engine, maria, "assess_price", {"part_number": "GAA24350BH1", "condition": "new"})
    fails(no_price, "invalid")
    negative = invoke(engine, maria, "assess_price", {"part_number": "GAA24350BH1", "condition": "new",
                                                      "price": -5})
    fails(negative, "invalid")


def _part_without_market_data(engine: Engine) -> str:
    with engine.connect() as conn:
        return conn.execute(text(
            "SELECT p.part_number FROM parts_catalog p WHERE p.organization_id IS NULL AND p.msrp IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM part_price_history h WHERE h.part_id = p.id) "
            "AND NOT EXISTS (SELECT 1 FROM marketplace_listings l WHERE l.part_id = p.id) "
            "AND (SELECT count(*) FROM parts_catalog q WHERE q.part_number_norm = p.part_number_norm) = 1 "
            "ORDER BY p.part_number LIMIT 1")).scalar_one()


def test_too_little_data_is_unknown(engine: Engine, maria: Caller) -> None:
    number = _part_without_market_data(engine)
    out = ok(invoke(engine, maria, "assess_price", {"part_number": number, "condition": "new", "price": 100}))
    assert out.verdict == "unknown" and out.market_price is None and out.sample_size < 3
    assert "too few" in out.evidence


def test_suggest_price_from_history_then_condition_multipliers_then_msrp(engine: Engine, maria: Caller) -> None:
    new = ok(invoke(engine, maria, "suggest_price", {"part_number": "GAA24350BH1", "condition": "new"}))
    assert new.method == "history_same_condition" and new.confidence == "high"
    assert new.same_condition_samples >= 10 and new.low <= new.suggested_price <= new.high
    # No refurbished sales of this part: other conditions are converted.
    refurb = ok(invoke(engine, maria, "suggest_price", {"part_number": "GAA24350BH1", "condition": "refurbished"}))
    assert refurb.method == "condition_adjusted" and refurb.same_condition_samples == 0
    assert refurb.sample_size >= 10 and refurb.suggested_price < new.suggested_price
    fair = ok(invoke(engine, maria, "suggest_price", {"part_number": "GAA24350BH1", "condition": "used_fair"}))
    assert fair.suggested_price < refurb.suggested_price
    bare = ok(invoke(engine, maria, "suggest_price", {"part_number": _part_without_market_data(engine),
                                                       "condition": "used_good"}))
    assert bare.method == "msrp_multiplier" and bare.confidence == "low" and bare.sample_size == 0
    assert bare.suggested_price == (bare.msrp * Decimal("0.5")).quantize(Decimal("0.01"))
    missing = invoke(engine, maria, "suggest_price", {"part_number": "NOPE-0000-ZZ", "condition": "new"})
    fails(missing, "not_found")
    bad = invoke(engine, maria, "suggest_price", {"part_number": "GAA24350BH1", "condition": "mint"})
    fails(bad, "invalid")


def test_market_insights_for_a_category(engine: Engine, maria: Caller) -> None:
    out = ok(invoke(engine, maria, "market_insights", {"category": "hvac_compressor"}))
    assert out.parts_in_scope > 10 and out.price_points_12m > 50 and out.average_price_90d
    assert len(out.monthly) == 12 and sum(m.price_points for m in out.monthly) == out.price_points_12m
    assert out.by_condition and out.by_condition[0].price_points >= out.by_condition[-1].price_points
    assert any(t is not None for t in (out.trend_3m_pct, out.trend_6m_pct, out.trend_12m_pct))
    assert out.top_parts and out.summary.startswith("hvac_compressor")
    with engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM marketplace_listings WHERE status = 'active' "
                                  "AND category = 'hvac_compressor'")).scalar_one()
    assert 0 < out.active_listings <= total


def test_market_insights_for_a_manufacturer_and_part_and_errors(engine: Engine, maria: Caller) -> None:
    otis = ok(invoke(engine, maria, "market_insights", {"manufacturer": "otis"}))
    part = ok(invoke(engine, maria, "market_insights", {"manufacturer": "Otis", "part_number": "GAA24350BH1"}))
    assert part.parts_in_scope == 1 and 0 < part.price_points_12m < otis.price_points_12m
    assert {t.part_number for t in part.top_parts} == {"GAA24350BH1"}
    nothing = invoke(engine, maria, "market_insights", {"manufacturer": "Acme Rocket Works"})
    fails(nothing, "not_found")
    empty = invoke(engine, maria, "market_insights", {})
    fails(empty, "invalid")
