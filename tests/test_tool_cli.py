"""`partpilot tool` contract: --list --json, READ as a user, WRITE requires --idempotency-key."""

from __future__ import annotations

import json

from sqlalchemy import Engine

from tests.test_cli import run_cli

TECH = "maria.gonzalez@summitvm.example"


def test_tool_list_json_tags_every_tool() -> None:
    listing = json.loads(run_cli("tool", "--list", "--json").stdout)
    names = {t["name"]: t for t in listing}
    for read in ["search_parts", "lookup_part", "check_compatibility", "find_inventory", "assess_price",
                 "suggest_price", "market_insights", "search_listings", "get_listing", "list_offers",
                 "list_wanted_posts", "identify_part_from_photo", "list_holds"]:
        assert names[read]["type"] == "READ"
    for write in ["create_listing", "publish_listing", "update_listing", "cancel_listing", "submit_offer",
                  "respond_to_offer", "withdraw_offer", "create_wanted_post", "place_bid",
                  "request_emergency_pickup", "watch_listing", "cancel_hold", "accept_wanted_response"]:
        assert names[write]["type"] == "WRITE"
    assert all("properties" in t["schema"] for t in listing)


def test_tool_read_and_write_guard(engine: Engine) -> None:
    out = run_cli("tool", "search_parts", "--as", TECH, "--args", json.dumps({"query": "door operator"}))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["results"]
    write = run_cli("tool", "create_wanted_post", "--as", TECH, "--args", "{}")
    assert write.returncode == 2 and "idempotency-key" in write.stderr
    unknown = run_cli("tool", "search_parts", "--as", "nobody@example.com", "--args", "{}")
    assert unknown.returncode == 2
