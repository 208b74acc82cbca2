"""How a person wants to be told: per topic the channel, on or off, now or in an hourly or daily digest; quiet
hours in their time zone (deferred, never dropped), whether urgent notices break through, and an hourly cap.
"stop texting me after 6pm", "only tell me about offers", "send me a daily summary instead"."""

from __future__ import annotations

from datetime import time
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, WithJsonSchema, field_validator, model_validator
from sqlalchemy import text
from sqlalchemy.orm import Session

from knowledge.settings import get_settings
from tools.context import Caller
from tools.notifications.categories import TOPICS
from tools.notifications.routing import reachable, topic_choice, zone
from tools.registry import ToolContext, ToolKind, tool

Channel = Literal["slack", "sms", "email", "web"]
Cadence = Literal["immediate", "hourly", "daily"]
SETTABLE_TOPICS = tuple(t for t in TOPICS if t != "digest")
# A wall-clock time in the person's own time zone: an offset sent with it is dropped, and the schema says so
# (JSON Schema's `format: time` would demand an offset, which a local time never has).
LocalTime = Annotated[time, AfterValidator(lambda t: t.replace(tzinfo=None)),
                      WithJsonSchema({"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"})]


class TopicSetting(BaseModel):
    topic: str = Field(description=f"One of: {', '.join(SETTABLE_TOPICS)}; or 'all' for every topic")
    channel: Channel | None = Field(None, description="Where it goes besides the inbox; web = the inbox only")
    enabled: bool | None = Field(None, description="False: kept in the inbox only, never sent")
    cadence: Cadence | None = Field(None, description="immediate, or folded into an hourly or daily digest")

    @field_validator("topic")
    @classmethod
    def _known_topic(cls, value: str) -> str:
        if value not in (*SETTABLE_TOPICS, "all"):
            raise ValueError(f"unknown topic {value!r}; one of {', '.join(SETTABLE_TOPICS)} or 'all'")
        return value


class QuietHours(BaseModel):
    start: LocalTime = Field(description="Local time quiet hours begin, e.g. 18:00")
    end: LocalTime = Field(description="Local time they end, e.g. 07:00 (the next morning when before start)")


class NotificationPreferences(BaseModel):
    time_zone: str
    quiet_hours: QuietHours | None = Field(None, description="None: no quiet hours")
    urgent_breaks_quiet: bool = Field(description="Whether urgent notices (outbid, a hold or auction about to "
                                      "end) still come during quiet hours")
    max_per_hour: int = Field(description="Sent per hour at most; the rest wait for the hourly digest")
    topics: list[TopicSetting] = Field(description="Each topic as it stands (channel, on/off, cadence)")
    channels_available: list[str] = Field(description="Channels you can be reached on")
    message: str = ""


class GetNotificationPreferencesInput(BaseModel):
    pass


class SetNotificationPreferencesInput(BaseModel):
    topics: list[TopicSetting] = Field(default_factory=list, max_length=20,
                                       description="Changes per topic; unnamed fields stay as they are")
    only_topics: list[str] | None = Field(None, max_length=20, description="Tell me about these topics only: "
                                          "every other topic is turned off (kept in the inbox)")
    time_zone: str | None = Field(None, max_length=60, description="IANA name, e.g. America/Denver")
    quiet_hours: QuietHours | None = Field(None, description="Set quiet hours")
    quiet_hours_off: bool = Field(False, description="Remove quiet hours")
    urgent_breaks_quiet: bool | None = None
    max_per_hour: int | None = Field(None, ge=1, le=100)

    @model_validator(mode="after")
    def _something_to_change(self) -> SetNotificationPreferencesInput:
        if self.only_topics is not None:
            for topic in self.only_topics:
                TopicSetting(topic=topic)
        if self.quiet_hours is not None and self.quiet_hours_off:
            raise ValueError("quiet_hours and quiet_hours_off together")
        return self


_SETTINGS = text("SELECT * FROM notification_settings WHERE user_id = :u")
_PREFS = text("SELECT topic, channel, enabled, cadence FROM notification_preferences WHERE user_id = :u")
_PERSON = text("SELECT slack_user_id, phone, email FROM users WHERE id = :u")


def preferences_of(session: Session, caller: Caller, message: str = "") -> NotificationPreferences:
    """The caller's preferences as they stand, every topic spelled out (what 'all' and the defaults give)."""
    params = {"u": caller.user_id}
    own: Any = session.execute(_SETTINGS, params).one_or_none()
    person = session.execute(_PERSON, params).one()
    rows = {r.topic: r for r in session.execute(_PREFS, params)}
    every = _fields(rows.get("all"))
    topics = []
    for topic in SETTABLE_TOPICS:
        choice = topic_choice(person, _fields(rows.get(topic)), every)
        topics.append(TopicSetting(topic=topic, channel=choice.channel, enabled=choice.enabled,
                                   cadence=choice.cadence))
    quiet = QuietHours(start=own.quiet_start, end=own.quiet_end) if own and own.quiet_start and own.quiet_end \
        else None
    return NotificationPreferences(
        time_zone=zone(own.time_zone if own else None).key, quiet_hours=quiet,
        urgent_breaks_quiet=bool(own and own.urgent_breaks_quiet),
        max_per_hour=(own.max_per_hour if own and own.max_per_hour else get_settings().notification_max_per_hour),
        topics=topics, channels_available=[c for c in ("slack", "sms", "email", "web") if reachable(person, c)],
        message=message or describe(topics, quiet))


def _fields(row: Any) -> tuple[Any, Any, Any]:
    return (row.channel, row.enabled, row.cadence) if row is not None else (None, None, None)


def describe(topics: list[TopicSetting], quiet: QuietHours | None) -> str:
    on = [t for t in topics if t.enabled]
    if not on:
        words = "Everything stays in your inbox; nothing is sent."
    else:
        ways = sorted({f"{t.channel}{'' if t.cadence == 'immediate' else f' ({t.cadence} digest)'}" for t in on})
        off = [t.topic for t in topics if not t.enabled]
        words = f"Sent by {', '.join(ways)}" + (f"; off: {', '.join(off)}" if off else "") + "."
    if quiet:
        words += f" Quiet {quiet.start:%H:%M}–{quiet.end:%H:%M}."
    return words


@tool(ToolKind.READ)
def get_notification_preferences(ctx: ToolContext, args: GetNotificationPreferencesInput) -> NotificationPreferences:
    """How you are told things: per topic (offers, auctions, holds, wanted, watchlist, alerts, stock, orders) the
    channel, on or off and now or digest; your quiet hours and time zone; the hourly cap.

    Use it for "how do you notify me?", "am I getting texts?".
    """
    return preferences_of(ctx.session, ctx.caller)
