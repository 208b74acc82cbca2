"""Where and when a notice goes out besides the inbox: the person's channel for its topic (their own choice,
else Slack when linked, a text when they have a phone, else email), now or folded into an hourly or daily
digest, and never inside their quiet hours (deferred to the end of them, never dropped) unless it is urgent and
they let urgent ones through. Past their hourly limit, the rest wait for the next hourly digest."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import text

from knowledge.settings import get_settings
from tools.notifications.categories import URGENT, topic_of

CADENCES = ("immediate", "hourly", "daily")
CHANNELS = ("slack", "sms", "email", "web")


@dataclass(frozen=True)
class Route:
    """A delivery to make: `due_at` None means as soon as a worker can."""

    channel: str
    cadence: str
    due_at: datetime | None


@dataclass(frozen=True)
class Quiet:
    zone: ZoneInfo
    start: time | None
    end: time | None

    def end_of_quiet(self, at: datetime) -> datetime | None:
        """When the quiet hours `at` falls in end (UTC), or None when `at` is not in them."""
        if self.start is None or self.end is None or self.start == self.end:
            return None
        local = at.astimezone(self.zone)
        now = local.time()
        overnight = self.start > self.end
        inside = (now >= self.start or now < self.end) if overnight else (self.start <= now < self.end)
        if not inside:
            return None
        day = local.date() + timedelta(days=1) if overnight and now >= self.start else local.date()
        return datetime.combine(day, self.end, tzinfo=self.zone).astimezone(at.tzinfo)


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or get_settings().notification_time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


_PERSON = text(
    "SELECT u.slack_user_id, u.phone, u.email, s.time_zone, s.quiet_start, s.quiet_end, "
    "COALESCE(s.urgent_breaks_quiet, false) AS urgent_breaks_quiet, s.max_per_hour, "
    "t.channel AS topic_channel, t.enabled AS topic_enabled, t.cadence AS topic_cadence, "
    "a.channel AS all_channel, a.enabled AS all_enabled, a.cadence AS all_cadence "
    "FROM users u LEFT JOIN notification_settings s ON s.user_id = u.id "
    "LEFT JOIN notification_preferences t ON t.user_id = u.id AND t.topic = :topic "
    "LEFT JOIN notification_preferences a ON a.user_id = u.id AND a.topic = 'all' WHERE u.id = :user")
_SENT_THIS_HOUR = text(
    "SELECT count(*) FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id "
    "WHERE n.user_id = :user AND d.channel <> 'web' AND d.cadence = 'immediate' AND n.category <> 'digest' "
    "AND d.created_at > :since")


def default_channel(person: Any) -> str:
    if person.slack_user_id:
        return "slack"
    return "sms" if person.phone else "email"


def reachable(person: Any, channel: str) -> bool:
    return {"slack": bool(person.slack_user_id), "sms": bool(person.phone), "email": bool(person.email),
            "web": True}.get(channel, False)


@dataclass(frozen=True)
class TopicChoice:
    channel: str
    enabled: bool
    cadence: str


def topic_choice(person: Any, own: tuple[Any, Any, Any], every: tuple[Any, Any, Any]) -> TopicChoice:
    """What a person chose for a topic: its own (channel, enabled, cadence) setting field by field, else their
    "all" setting, else the default (on, at once, their default channel; also when the chosen one is gone)."""
    channel, enabled, cadence = (a if a is not None else b for a, b in zip(own, every, strict=True))
    if not channel or not reachable(person, channel):
        channel = default_channel(person)
    return TopicChoice(channel, enabled is not False, cadence or "immediate")


def route(db: Any, user_id: uuid.UUID, category: str, now: datetime) -> Route | None:
    """The delivery a new notice of `category` gets on the person's own channel, or None for the inbox only
    (they turned the topic off, or chose the web inbox for it)."""
    person = db.execute(_PERSON, {"user": user_id, "topic": topic_of(category)}).one_or_none()
    if person is None:
        return None
    choice = topic_choice(person, (person.topic_channel, person.topic_enabled, person.topic_cadence),
                          (person.all_channel, person.all_enabled, person.all_cadence))
    channel, cadence = choice.channel, choice.cadence
    if not choice.enabled or channel == "web" or not reachable(person, channel):
        return None
    limit = person.max_per_hour or get_settings().notification_max_per_hour
    if cadence == "immediate" and category != "digest" and (
            db.execute(_SENT_THIS_HOUR, {"user": user_id, "since": now - timedelta(hours=1)}).scalar_one() >= limit):
        cadence = "hourly"
    quiet = Quiet(zone(person.time_zone), person.quiet_start, person.quiet_end)
    due = digest_due(quiet, cadence, now) if cadence != "immediate" else None
    if category in URGENT and person.urgent_breaks_quiet and cadence == "immediate":
        return Route(channel, cadence, None)
    held_until = quiet.end_of_quiet(due or now)
    return Route(channel, cadence, held_until or due)


def digest_due(quiet: Quiet, cadence: str, now: datetime) -> datetime:
    """The next hourly or daily digest time after `now`, in the person's zone."""
    local = now.astimezone(quiet.zone)
    if cadence == "hourly":
        due = local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    else:
        due = local.replace(hour=get_settings().notification_digest_hour, minute=0, second=0, microsecond=0)
        if due <= local:
            due += timedelta(days=1)
    return due.astimezone(now.tzinfo)
