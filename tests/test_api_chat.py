"""The chat API: SSE turns in the AI SDK UI-message format, confirmations, history, uploads, and who may
see which thread (401 without a key, 404 for someone else's thread, 422 for bad input)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from channels.web.stream import is_known_chunk, parse_sse
from evals.nameplates import NameplateSpec, render_nameplate
from tests.api_helpers import body, error, headers_for
from tests.tool_helpers import MARIA

OTHER_TECH = "derek.olson@summitvm.example"  # same organization, still not allowed into Maria's threads
WANTED = "SELECT count(*) FROM wanted_posts WHERE requester_id = (SELECT id FROM users WHERE email = :e)"


@pytest.fixture(scope="module")
def maria(engine: Engine) -> dict[str, str]:
    return headers_for(engine, MARIA)


@pytest.fixture(scope="module")
def derek(engine: Engine) -> dict[str, str]:
    return headers_for(engine, OTHER_TECH)


def new_thread() -> str:
    return str(uuid.uuid4())


def stream(response: Any) -> list[dict[str, Any]]:
    """The chunks of a UI-message stream, checking the protocol: headers, every frame a known chunk,
    start first, finish last, then exactly one [DONE]."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["x-vercel-ai-ui-message-stream"] == "v1"
    frames = parse_sse(response.text)
    assert frames[-1] == "[DONE]" and frames.count("[DONE]") == 1
    chunks = [f for f in frames[:-1] if isinstance(f, dict)]
    assert len(chunks) == len(frames) - 1 and all(is_known_chunk(c) for c in chunks), frames
    assert chunks[0]["type"] == "start" and chunks[-1]["type"] == "finish"
    return chunks


def reply(chunks: list[dict[str, Any]]) -> str:
    return "".join(c["delta"] for c in chunks if c["type"] == "text-delta")


def outputs(chunks: list[dict[str, Any]], tool: str) -> list[Any]:
    ids = {c["toolCallId"] for c in chunks if c["type"] == "tool-input-available" and c["toolName"] == tool}
    return [c["output"] for c in chunks if c["type"] == "tool-output-available" and c["toolCallId"] in ids]


def count(engine: Engine, sql: str, **params: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def test_a_question_streams_text_and_the_tool_output(client: TestClient, maria: dict[str, str]) -> None:
    chunks = stream(client.post(f"/api/v1/chat/{new_thread()}", headers=maria,
                                json={"message": "need a door operator for an Otis Gen2"}))
    found = outputs(chunks, "search_parts")
    assert found and found[0]["results"][0]["part_number"] == "GAA24350BH1"
    assert "GAA24350BH1" in reply(chunks)
    text_ids = {c["id"] for c in chunks if c["type"] == "text-start"}
    assert text_ids and {c["id"] for c in chunks if c["type"] == "text-end"} == text_ids


def test_confirmation_then_yes_writes_once(client: TestClient, maria: dict[str, str], engine: Engine) -> None:
    thread, before = new_thread(), count(engine, WANTED, e=MARIA)
    asked = stream(client.post(f"/api/v1/chat/{thread}", headers=maria,
                               json={"message": "post a wanted request for 2 GAA26800LC1, max $5000 each"}))
    confirm = next(c for c in asked if c["type"] == "data-confirm")
    assert confirm["data"]["tool"] == "create_wanted_post" and "GAA26800LC1" in confirm["data"]["summary"]
    assert count(engine, WANTED, e=MARIA) == before, "nothing is written before the user confirms"
    pending = body(client.get(f"/api/v1/chat/{thread}", headers=maria))["pending"]
    assert pending["tool"] == "create_wanted_post"

    done = stream(client.post(f"/api/v1/chat/{thread}/resume", headers=maria, json={"decision": "yes"}))
    created = outputs(done, "create_wanted_post")
    assert created and created[0].get("ok", True) is not False
    assert count(engine, WANTED, e=MARIA) == before + 1
    error(client.post(f"/api/v1/chat/{thread}/resume", headers=maria, json={"decision": "yes"}), 409)
    assert count(engine, WANTED, e=MARIA) == before + 1
    answered = [p for m in body(client.get(f"/api/v1/chat/{thread}", headers=maria))["messages"]
                for p in m["parts"] if p["type"] == "data-confirm"]
    assert [p["data"]["state"] for p in answered] == ["confirmed"]
    assert answered[0]["data"]["summary"] == confirm["data"]["summary"]


def test_cancel_writes_nothing(client: TestClient, maria: dict[str, str], engine: Engine) -> None:
    thread, before = new_thread(), count(engine, WANTED, e=MARIA)
    stream(client.post(f"/api/v1/chat/{thread}", headers=maria,
                       json={"message": "post a wanted request for 1 GAA24350BH1, max $6000"}))
    done = stream(client.post(f"/api/v1/chat/{thread}/resume", headers=maria, json={"decision": "no"}))
    assert not outputs(done, "create_wanted_post") and reply(done)
    call = next(c["toolCallId"] for c in done if c["type"] == "tool-input-available")
    assert {"type": "tool-output-denied", "toolCallId": call} in done
    assert count(engine, WANTED, e=MARIA) == before
    assert body(client.get(f"/api/v1/chat/{thread}", headers=maria))["pending"] is None


def test_edit_with_args_writes_the_changed_call(client: TestClient, maria: dict[str, str],
                                                engine: Engine) -> None:
    thread = new_thread()
    stream(client.post(f"/api/v1/chat/{thread}", headers=maria,
                       json={"message": "post a wanted request for 2 GAA26800LC1, max $5000 each"}))
    done = stream(client.post(f"/api/v1/chat/{thread}/resume", headers=maria,
                              json={"decision": "edit", "args": {"quantity_needed": 7}}))
    created = outputs(done, "create_wanted_post")
    assert created and next(c for c in done if c["type"] == "tool-input-available")["input"]["quantity_needed"] == 7
    with engine.connect() as conn:
        assert conn.execute(text("SELECT quantity_needed FROM wanted_posts WHERE requester_id = "
                                 "(SELECT id FROM users WHERE email = :e) ORDER BY created_at DESC LIMIT 1"),
                            {"e": MARIA}).scalar_one() == 7


def test_edit_in_words_writes_nothing(client: TestClient, maria: dict[str, str], engine: Engine) -> None:
    thread, before = new_thread(), count(engine, WANTED, e=MARIA)
    stream(client.post(f"/api/v1/chat/{thread}", headers=maria,
                       json={"message": "post a wanted request for 2 GAA26800LC1, max $5000 each"}))
    done = stream(client.post(f"/api/v1/chat/{thread}/resume", headers=maria,
                              json={"decision": "edit", "text": "actually I need the rev B board"}))
    assert any(c["type"] == "tool-output-denied" for c in done)
    assert count(engine, WANTED, e=MARIA) == before


def test_history_replays_the_conversation(client: TestClient, maria: dict[str, str]) -> None:
    thread = new_thread()
    stream(client.post(f"/api/v1/chat/{thread}", headers=maria, json={"message": "where can I get a GAA24350BH1?"}))
    history = body(client.get(f"/api/v1/chat/{thread}", headers=maria))
    assert history["thread_id"] == thread and history["pending"] is None
    user, assistant = history["messages"]
    assert user["role"] == "user" and user["parts"][0] == {"type": "text", "text": "where can I get a GAA24350BH1?"}
    assert assistant["role"] == "assistant"
    tool = next(p for p in assistant["parts"] if p["type"] == "tool-find_inventory")
    assert tool["state"] == "output-available" and tool["output"]["options"]
    assert any(p["type"] == "text" and "GAA24350BH1" in p["text"] for p in assistant["parts"])


def test_another_user_cannot_read_write_or_resume(client: TestClient, maria: dict[str, str],
                                                  derek: dict[str, str]) -> None:
    thread = new_thread()
    stream(client.post(f"/api/v1/chat/{thread}", headers=maria,
                       json={"message": "post a wanted request for 2 GAA26800LC1, max $5000 each"}))
    error(client.get(f"/api/v1/chat/{thread}", headers=derek), 404)
    error(client.post(f"/api/v1/chat/{thread}", headers=derek, json={"message": "yes"}), 404)
    error(client.post(f"/api/v1/chat/{thread}/resume", headers=derek, json={"decision": "yes"}), 404)
    assert body(client.get(f"/api/v1/chat/{thread}", headers=maria))["pending"] is not None
    error(client.get(f"/api/v1/chat/{new_thread()}", headers=maria), 404)


@pytest.mark.parametrize("method,path", [("post", "/api/v1/chat/{t}"), ("post", "/api/v1/chat/{t}/resume"),
                                         ("get", "/api/v1/chat/{t}"), ("post", "/api/v1/uploads")])
def test_no_key_is_401(client: TestClient, method: str, path: str) -> None:
    response = client.request(method.upper(), path.format(t=new_thread()), json={"message": "hi", "decision": "yes"})
    error(response, 401)
    bad = client.request(method.upper(), path.format(t=new_thread()), headers={"Authorization": "Bearer pp_nope"},
                         json={"message": "hi", "decision": "yes"})
    error(bad, 401)


@pytest.mark.parametrize("thread,payload", [
    ("ok-thread-id", {"message": ""}),
    ("ok-thread-id", {"message": "x" * 4001}),
    ("ok-thread-id", {"message": "hi", "photo_ids": ["not-a-photo"]}),
    ("ok-thread-id", {"message": "hi", "photo_ids": [str(uuid.uuid4())]}),
    ("ok-thread-id", {}),
    ("ok-thread-id", {"message": "\x00 \x00"}),
    ("ok-thread-id", {"message": "hi", "photo_ids": ["x" * 65]}),
    ("short", {"message": "hi"}),
    ("has spaces in it", {"message": "hi"}),
    ("x" * 65, {"message": "hi"}),
])
def test_bad_chat_input_is_422(client: TestClient, maria: dict[str, str], thread: str,
                               payload: dict[str, Any]) -> None:
    error(client.post(f"/api/v1/chat/{thread}", headers=maria, json=payload), 422, "invalid")


def test_bad_resume_input_is_422(client: TestClient, maria: dict[str, str]) -> None:
    error(client.post(f"/api/v1/chat/{new_thread()}/resume", headers=maria, json={"decision": "maybe"}), 422)


def _nameplate() -> bytes:
    return render_nameplate(NameplateSpec(manufacturer="Otis", part_number="GAA24350BH1", name="Door operator AT400"),
                            seed=7, rotation=0, blur=0.3, noise=2, glare=False, barcode=True)


def test_upload_then_identify_from_the_photo(client: TestClient, maria: dict[str, str]) -> None:
    uploaded = body(client.post("/api/v1/uploads", headers=maria,
                                files={"file": ("plate.jpg", _nameplate(), "image/jpeg")}), 201)
    assert uploaded["content_type"] == "image/jpeg" and uploaded["size_bytes"] > 0
    chunks = stream(client.post(f"/api/v1/chat/{new_thread()}", headers=maria,
                                json={"message": "what is this?", "photo_ids": [uploaded["id"]]}))
    identified = outputs(chunks, "identify_part_from_photo")
    assert identified and identified[0]["candidates"][0]["part_number"] == "GAA24350BH1"
    assert "GAA24350BH1" in reply(chunks)


def test_photos_of_another_organization_cannot_be_used(client: TestClient, engine: Engine) -> None:
    from tests.tool_helpers import METRO, member

    metro = headers_for(engine, member(engine, METRO))
    theirs = body(client.post("/api/v1/uploads", headers=metro,
                              files={"file": ("plate.jpg", _nameplate(), "image/jpeg")}), 201)["id"]
    maria = headers_for(engine, MARIA)
    error(client.post(f"/api/v1/chat/{new_thread()}", headers=maria,
                      json={"message": "what is this?", "photo_ids": [theirs]}), 422)


@pytest.mark.parametrize("name,data,content_type,status", [
    ("notes.txt", b"hello", "text/plain", 422),
    ("fake.png", b"definitely not a png", "image/png", 422),
    ("empty.jpg", b"", "image/jpeg", 422),
    ("huge.jpg", b"\xff" * (10 * 1024 * 1024 + 1), "image/jpeg", 413),
])
def test_bad_uploads(client: TestClient, maria: dict[str, str], name: str, data: bytes, content_type: str,
                     status: int) -> None:
    error(client.post("/api/v1/uploads", headers=maria, files={"file": (name, data, content_type)}), status)


def test_upload_without_a_file_is_422(client: TestClient, maria: dict[str, str]) -> None:
    error(client.post("/api/v1/uploads", headers=maria), 422)
