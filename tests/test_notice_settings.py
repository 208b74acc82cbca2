"""How a person says they want to be told, read into the preference tool's fields, as a table without a database."""

from __future__ import annotations

from typing import Any

import pytest

from agent.planners.local.policies.notice_settings import preference_change


@pytest.mark.parametrize(("text", "change"), [
    ("text me when offers come in, not slack. and the auction stuff just once a day is fine",
     {"topics": [{"topic": "offers", "channel": "sms"}, {"topic": "auctions", "cadence": "daily"}]}),
    ("slack me about auctions and text me about holds",
     {"topics": [{"topic": "auctions", "channel": "slack"}, {"topic": "holds", "channel": "sms"}]}),
    ("only offers and holds", {"only_topics": ["offers", "holds"]}),
    ("just offers pls", {"only_topics": ["offers"]}),
    ("offers only", {"only_topics": ["offers"]}),
    ("only once a day for auctions", {"topics": [{"topic": "auctions", "cadence": "daily"}]}),  # how often, not which
    ("text me when offers come in, not slack. and the auction stuff just oce a day is fine",  # typed in a hurry
     {"topics": [{"topic": "offers", "channel": "sms"}, {"topic": "auctions", "cadence": "daily"}]}),
    ("send me a daily summary instead", {"topics": [{"topic": "all", "cadence": "daily"}]}),
    ("stop texting me after 6pm", {"quiet_hours": {"start": "18:00", "end": "07:00"}}),
])
def test_what_was_said_is_what_changes(text: str, change: dict[str, Any]) -> None:
    assert preference_change(text) == change


def test_a_change_said_once_for_two_topics_is_for_both() -> None:
    topics = preference_change("mute stock and wanted")["topics"]
    assert sorted(t["topic"] for t in topics) == ["stock", "wanted"] and all(t["enabled"] is False for t in topics)
