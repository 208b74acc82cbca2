"""The SSE encoder: agent events → AI SDK UI-message stream frames (pure, no database)."""

from __future__ import annotations

import json

import pytest

from channels.web.stream import (
    DONE_FRAME,
    UIMessageEncoder,
    approval_id,
    encode_events,
    is_known_chunk,
    parse_sse,
    sse_frame,
)

# Fields the AI SDK's strict chunk schema allows per type (ui-message-chunks.ts); anything else is rejected.
ALLOWED = {
    "start": {"type", "messageId", "messageMetadata"},
    "finish": {"type", "finishReason", "messageMetadata"},
    "error": {"type", "errorText"},
    "text-start": {"type", "id", "providerMetadata"},
    "text-delta": {"type", "id", "delta", "providerMetadata"},
    "text-end": {"type", "id", "providerMetadata"},
    "tool-input-available": {"type", "toolCallId", "toolName", "input", "providerExecuted", "providerMetadata",
                             "dynamic", "title"},
    "tool-output-available": {"type", "toolCallId", "output", "providerExecuted", "dynamic", "preliminary"},
    "tool-output-denied": {"type", "toolCallId"},
    "tool-input-start": {"type", "toolCallId", "toolName", "providerExecuted", "dynamic"},  # AI SDK 5's fields
    "tool-approval-request": {"type", "approvalId", "toolCallId"},  # AI SDK 6+ (5 has no tool approvals)
}
DATA_FIELDS = {"type", "id", "data", "transient"}

TURN = [
    {"type": "text_delta", "text": "Looking "},
    {"type": "text_delta", "text": "that up."},
    {"type": "tool_started", "tool": "search_parts", "args": {"query": "door operator"}, "tool_call_id": "c1"},
    {"type": "tool_finished", "tool": "search_parts", "tool_call_id": "c1", "output": {"results": []}},
    {"type": "tool_started", "tool": "watch_listing", "args": {}, "tool_call_id": "d1"},
    {"type": "tool_denied", "tool": "watch_listing", "tool_call_id": "d1"},
    {"type": "text_delta", "text": "Found it.\nLine two"},
    {"type": "confirmation_requested", "summary": "Post a wanted request?", "tool": "create_wanted_post",
     "args": {"quantity_needed": 2}, "tool_call_id": "w1"},
    {"type": "price_assessed", "badge": {"listingId": "L1", "price": "10.00", "verdict": "fair", "label": "Fair"}},
    {"type": "turn_finished"},
]


def _chunks(events: list[dict[str, object]]) -> list[dict[str, object] | str]:
    return parse_sse("".join(encode_events(events, message_id="m1")))


def test_every_frame_is_a_known_chunk_with_only_allowed_fields() -> None:
    frames = _chunks(TURN)
    assert frames[-1] == "[DONE]" and frames.count("[DONE]") == 1
    for chunk in frames[:-1]:
        assert isinstance(chunk, dict) and is_known_chunk(chunk), chunk
        allowed = DATA_FIELDS if str(chunk["type"]).startswith("data-") else ALLOWED[str(chunk["type"])]
        assert set(chunk) <= allowed, chunk


def test_sequence_opens_and_closes_text_parts_around_tools() -> None:
    types = [c["type"] for c in _chunks(TURN)[:-1] if isinstance(c, dict)]
    assert types == ["start", "text-start", "text-delta", "text-delta", "text-end", "tool-input-available",
                     "tool-output-available", "tool-input-available", "tool-output-denied", "text-start",
                     "text-delta", "text-end", "tool-input-start", "tool-input-available", "tool-approval-request",
                     "data-confirm", "data-price", "finish"]


def test_text_deltas_reassemble_and_share_their_part_id() -> None:
    frames = [c for c in _chunks(TURN) if isinstance(c, dict)]
    first_id = frames[1]["id"]
    assert [c["delta"] for c in frames if c.get("id") == first_id and c["type"] == "text-delta"] == \
        ["Looking ", "that up."]
    second = [c for c in frames if c["type"] == "text-start"][1]["id"]
    assert second != first_id
    assert "".join(c["delta"] for c in frames if c.get("id") == second and c["type"] == "text-delta") == \
        "Found it.\nLine two"


def test_confirmation_carries_summary_and_the_pending_tool_call() -> None:
    frames = [c for c in _chunks(TURN) if isinstance(c, dict)]
    confirm = next(c for c in frames if c["type"] == "data-confirm")
    assert confirm["data"] == {"summary": "Post a wanted request?", "tool": "create_wanted_post",
                               "input": {"quantity_needed": 2}, "toolCallId": "w1"}
    call = next(c for c in frames if c["type"] == "tool-input-available" and c["toolCallId"] == "w1")
    assert call["toolName"] == "create_wanted_post"


def test_newlines_and_unicode_stay_inside_one_data_line() -> None:
    frame = sse_frame({"type": "text-delta", "id": "t", "delta": "a\n\nb — 1 × GAA\r\n"})
    assert frame.startswith("data: ") and frame.endswith("\n\n") and frame.count("\n") == 2
    assert json.loads(frame[6:])["delta"] == "a\n\nb — 1 × GAA\r\n"


def test_missing_turn_finished_still_closes_the_message() -> None:
    frames = _chunks([{"type": "text_delta", "text": "partial"}])
    assert [c["type"] for c in frames[:-1] if isinstance(c, dict)][-2:] == ["text-end", "finish"]
    assert frames[-1] == "[DONE]"


def test_error_ends_the_message_and_later_events_are_ignored() -> None:
    encoder = UIMessageEncoder("m")
    chunks = encoder.encode({"type": "error", "message": "boom"})
    assert [c["type"] for c in chunks] == ["error", "finish"] and chunks[1]["finishReason"] == "error"
    assert encoder.encode({"type": "text_delta", "text": "late"}) == [] and encoder.finish() == []


def test_unknown_events_and_empty_deltas_produce_nothing() -> None:
    encoder = UIMessageEncoder("m")
    assert encoder.encode({"type": "something_new"}) == []
    assert encoder.encode({"type": "text_delta", "text": ""}) == []


@pytest.mark.parametrize("body", ["data: {not json}\n\n", "data: [1, 2\n\n"])
def test_parse_rejects_malformed_frames(body: str) -> None:
    with pytest.raises(ValueError):
        parse_sse(body)


def test_done_frame_is_the_sdk_terminator() -> None:
    assert DONE_FRAME == "data: [DONE]\n\n"


def test_a_new_planner_message_starts_a_new_text_part() -> None:
    frames = _chunks([{"type": "text_delta", "text": "Let me look.", "message": 0},
                      {"type": "text_delta", "text": "Found ", "message": 1},
                      {"type": "text_delta", "text": "it.", "message": 1}])
    types = [c["type"] for c in frames if isinstance(c, dict)]
    assert types == ["start", "text-start", "text-delta", "text-end", "text-start", "text-delta", "text-delta",
                     "text-end", "finish"]


def test_a_pending_write_is_an_sdk_approval_request_for_its_call() -> None:
    frames = [c for c in _chunks(TURN) if isinstance(c, dict)]
    request = next(c for c in frames if c["type"] == "tool-approval-request")
    assert request == {"type": "tool-approval-request", "approvalId": approval_id("w1"), "toolCallId": "w1"}
    started = next(c for c in frames if c["type"] == "tool-input-start")
    assert started == {"type": "tool-input-start", "toolCallId": "w1", "toolName": "create_wanted_post"}


def test_the_full_output_streams_and_a_cut_preview_follows_as_its_own_part() -> None:
    full = {"results": [{"part_number": f"P{i}"} for i in range(5)]}
    preview = {"results": [{"part_number": "P0"}, {"part_number": "P1"}, {"part_number": "P2"}, "… 2 more"]}
    chunks = UIMessageEncoder("m").encode({"type": "tool_finished", "tool_call_id": "c1", "output": full,
                                           "preview": preview})
    assert chunks == [{"type": "tool-output-available", "toolCallId": "c1", "output": full},
                      {"type": "data-tool-preview", "id": "preview-c1", "data": {"toolCallId": "c1",
                                                                                "preview": preview}}]
    same = UIMessageEncoder("m").encode({"type": "tool_finished", "tool_call_id": "c2", "output": {"ok": True},
                                         "preview": {"ok": True}})
    assert [c["type"] for c in same] == ["tool-output-available"]
