"""The MCP server, driven by the official MCP client over stdio (`partpilot mcp --as`) and over streamable HTTP
(the real app under uvicorn), and listed by the MCP Inspector's CLI when node is installed."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest
from sqlalchemy import Engine

from channels.fakes.app_server import AppServer
from partpilot.wiring import create_app
from tests.api_helpers import headers_for
from tests.mcp_helpers import (
    LINDA,
    MARIA,
    PARTPILOT,
    REPO,
    Answers,
    alert_args,
    alerts_for,
    http_client,
    some_row,
    stdio_params,
)
from tools.context import caller_by_email, create_api_key
from tools.registry import REGISTRY, load_all_tools, summarize_call

INSPECTOR = REPO / "tests" / "node" / "mcp" / "node_modules" / ".bin" / "mcp-inspector"


@pytest.fixture(scope="module")
def app_url(engine: Engine) -> Iterator[str]:
    with AppServer(create_app(), lifespan="on") as server:
        yield server.url


def _structured(result: Any) -> dict[str, Any]:
    assert isinstance(result.structured_content, dict), result
    return result.structured_content


def test_stdio_tools_resources_and_confirm_true(engine: Engine) -> None:
    part_id = some_row(engine, "SELECT id FROM parts_catalog ORDER BY part_number LIMIT 1")
    args = alert_args()

    async def scenario() -> None:
        from mcp.client import Client

        async with Client(stdio_params(MARIA), mode="legacy") as client:
            tools = {tool.name: tool for tool in (await client.list_tools()).tools}
            load_all_tools()
            assert set(tools) == set(REGISTRY)
            search, alert = tools["search_parts"], tools["create_deal_alert"]
            assert search.annotations and search.annotations.read_only_hint is True
            assert alert.annotations and alert.annotations.destructive_hint is True
            assert alert.annotations.read_only_hint is False
            assert "confirm" in alert.input_schema["properties"] and "confirm" not in search.input_schema["properties"]
            assert search.input_schema["properties"]["query"] == REGISTRY["search_parts"].json_schema()["properties"][
                "query"]

            found = await client.call_tool("lookup_part", {"part_number": "GAA26800LC1"})
            assert not found.is_error and _structured(found)["matches"], found

            first = await client.call_tool("create_deal_alert", args)
            asked = _structured(first)
            assert first.is_error and asked["needs_confirmation"] is True
            assert asked["summary"] == summarize_call(engine, caller_by_email(engine, MARIA), "create_deal_alert", args)
            assert alerts_for(engine, args["part_number"]) == 0
            done = await client.call_tool("create_deal_alert", {**args, "confirm": True})
            assert not done.is_error, done
            again = await client.call_tool("create_deal_alert", {**args, "confirm": True})
            assert _structured(again)["alert"]["id"] == _structured(done)["alert"]["id"]
            assert alerts_for(engine, args["part_number"]) == 1
            on_purpose = {**args, "idempotency_key": "the second one"}  # the same change again, deliberately
            assert _structured(await client.call_tool("create_deal_alert", on_purpose))["needs_confirmation"]
            assert not (await client.call_tool("create_deal_alert", {**on_purpose, "confirm": True})).is_error
            assert alerts_for(engine, args["part_number"]) == 2

            unseen = await client.call_tool("create_deal_alert", {**alert_args(), "confirm": True})
            assert unseen.is_error and _structured(unseen)["needs_confirmation"] is True  # no summary shown yet

            part = await client.read_resource(f"partpilot://parts/{part_id}")
            assert json.loads(part.contents[0].text)["id"] == part_id  # type: ignore[union-attr]
            templates = (await client.list_resource_templates()).resource_templates
            assert {t.uri_template for t in templates} == {"partpilot://parts/{part_id}",
                                                           "partpilot://listings/{listing_id}"}
            prompt = await client.get_prompt("find_part_by_number", {"part_number": "GAA26800LC1"})
            assert "GAA26800LC1" in prompt.messages[0].content.text  # type: ignore[union-attr]

    anyio.run(scenario)


@pytest.mark.parametrize("mode", ["auto", "legacy"])  # 2026 input_required rounds; the elicitation/create request
def test_http_write_confirmed_by_elicitation_acts_once(engine: Engine, app_url: str, mode: str) -> None:
    key = create_api_key(engine, MARIA, label="mcp-tests")
    args = alert_args()
    answers = Answers()

    async def scenario() -> None:
        async with http_client(app_url, key, elicitation_callback=answers, mode=mode) as client:
            searched = await client.call_tool("search_parts", {"query": "GAA26800LC1", "limit": 3})
            assert not searched.is_error and _structured(searched)["results"], searched
            done = await client.call_tool("create_deal_alert", args)
            assert not done.is_error, done
            replay = await client.call_tool("create_deal_alert", args)
            assert _structured(replay)["alert"]["id"] == _structured(done)["alert"]["id"]

    anyio.run(scenario)
    summary = summarize_call(engine, caller_by_email(engine, MARIA), "create_deal_alert", args)
    assert [q.message for q in answers.questions] == [summary, summary]
    assert answers.questions[0].requested_schema["properties"]["confirm"]["type"] == "boolean"
    assert alerts_for(engine, args["part_number"]) == 1


def test_http_declined_write_does_nothing(engine: Engine, app_url: str) -> None:
    key = create_api_key(engine, MARIA, label="mcp-tests")
    args = alert_args()

    async def scenario() -> dict[str, Any]:
        async with http_client(app_url, key, elicitation_callback=Answers(action="decline")) as client:
            return _structured(await client.call_tool("create_deal_alert", args))

    assert anyio.run(scenario)["ok"] is False
    assert alerts_for(engine, args["part_number"]) == 0


def test_http_role_forbidden_write_refused_as_rest(engine: Engine, app_url: str, client: Any) -> None:
    listing = {"listing_type": "sale", "part_number": "MCP-NOTMINE", "manufacturer": "Testco",
               "condition": "used_good", "price": "100"}
    rest = client.post("/api/v1/marketplace/listings", json=listing, headers=headers_for(engine, MARIA))
    assert rest.status_code == 403, rest.text
    key = create_api_key(engine, MARIA, label="mcp-tests")

    async def scenario() -> Any:
        async with http_client(app_url, key, elicitation_callback=Answers()) as mcp:
            return await mcp.call_tool("create_listing", listing)

    refused = anyio.run(scenario)
    assert refused.is_error
    assert {k: _structured(refused)[k] for k in ("error", "message")} == {k: rest.json()[k] for k in
                                                                          ("error", "message")}


def test_http_resources_as_each_user(engine: Engine, app_url: str) -> None:
    listing_id = some_row(engine, "SELECT l.id FROM marketplace_listings l JOIN users u ON u.organization_id = "
                                  f"l.organization_id WHERE u.email = '{LINDA}' ORDER BY l.created_at LIMIT 1")
    key = create_api_key(engine, LINDA, label="mcp-tests")

    async def scenario() -> dict[str, Any]:
        async with http_client(app_url, key) as mcp:
            read = await mcp.read_resource(f"partpilot://listings/{listing_id}")
            return dict(json.loads(read.contents[0].text))  # type: ignore[union-attr]

    assert anyio.run(scenario)["id"] == listing_id


def test_http_needs_a_valid_key(app_url: str) -> None:
    hello = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    missing = httpx.post(f"{app_url}/mcp", json=hello)
    assert missing.status_code == 401 and missing.headers["www-authenticate"].startswith("Bearer")
    wrong = httpx.post(f"{app_url}/mcp", json=hello, headers={"Authorization": "Bearer pp_not_a_key"})
    assert wrong.status_code == 401 and "invalid_token" in wrong.headers["www-authenticate"]


def test_inspector_cli_lists_tools(engine: Engine) -> None:
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the MCP Inspector CLI needs it")
    if not INSPECTOR.exists():
        pytest.skip("the MCP Inspector is not installed: npm ci --prefix tests/node/mcp")
    params = stdio_params(MARIA)
    env = [arg for name, value in (params.env or {}).items() for arg in ("-e", f"{name}={value}")]
    run = subprocess.run([str(INSPECTOR), "--cli", *env, PARTPILOT, "mcp", "--as", MARIA, "--method", "tools/list"],
                         capture_output=True, text=True, timeout=120, cwd=REPO)
    assert run.returncode == 0, run.stderr
    listed = {tool["name"]: tool for tool in json.loads(run.stdout)["tools"]}
    load_all_tools()
    assert set(listed) == set(REGISTRY)
    assert listed["create_deal_alert"]["annotations"]["destructiveHint"] is True
