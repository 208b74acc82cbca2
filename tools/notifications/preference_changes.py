"""Changing how a person is told: topics on or off, their channel and cadence, quiet hours, time zone, the
hourly cap. Setting the same thing twice changes nothing more; only the caller's own preferences are touched."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from tools.context import Caller
from tools.notifications.preferences import (
    SETTABLE_TOPICS,
    NotificationPreferences,
    SetNotificationPreferencesInput,
    TopicSetting,
    preferences_of,
)
from tools.notifications.routing import reachable, zone
from tools.registry import ToolContext, ToolKind, tool
from tools.results import ToolFailed

_UPSERT_TOPIC = text(
    "INSERT INTO notification_preferences (user_id, topic, channel, enabled, cadence) "
    "VALUES (:u, :topic, :channel, COALESCE(:enabled, true), COALESCE(:cadence, 'immediate')) "
    "ON CONFLICT (user_id, topic) DO UPDATE SET channel = COALESCE(:channel, notification_preferences.channel), "
    "enabled = COALESCE(:enabled, notification_preferences.enabled), "
    "cadence = COALESCE(:cadence, notification_preferences.cadence)")
_UPSERT_SETTINGS = text(
    "INSERT INTO notification_settings (user_id, time_zone, quiet_start, quiet_end, urgent_breaks_quiet, "
    "max_per_hour) VALUES (:u, :tz, :qs, :qe, COALESCE(:urgent, false), :cap) ON CONFLICT (user_id) DO UPDATE SET "
    "time_zone = COALESCE(:tz, notification_settings.time_zone), "
    "quiet_start = CASE WHEN :clear THEN NULL ELSE COALESCE(:qs, notification_settings.quiet_start) END, "
    "quiet_end = CASE WHEN :clear THEN NULL ELSE COALESCE(:qe, notification_settings.quiet_end) END, "
    "urgent_breaks_quiet = COALESCE(:urgent, notification_settings.urgent_breaks_quiet), "
    "max_per_hour = COALESCE(:cap, notification_settings.max_per_hour), updated_at = now()")


def _changes(args: SetNotificationPreferencesInput) -> list[TopicSetting]:
    changes = list(args.topics)
    if args.only_topics is not None:
        wanted = set(args.only_topics)
        changes += [TopicSetting(topic=t, enabled=t in wanted) for t in SETTABLE_TOPICS
                    if not any(c.topic == t and c.enabled is not None for c in args.topics)]
    return changes


def _summarize_set(caller: Caller, args: SetNotificationPreferencesInput, session: Session) -> str:
    """The change in words: "Quiet hours 18:00–07:00 (America/Chicago)", "Only offers", "Daily digest"."""
    parts = []
    if args.only_topics is not None:
        parts.append(f"{', '.join(args.only_topics) or 'nothing'} only (the rest stay in your inbox)")
    for change in args.topics:
        what = [w for w in (
            {True: "on", False: "off"}.get(change.enabled) if change.enabled is not None else None,
            f"by {change.channel}" if change.channel else None,
            {"immediate": "right away", "hourly": "as an hourly digest", "daily": "as a daily digest"}.get(
                change.cadence or "")) if w]
        parts.append(f"{'everything' if change.topic == 'all' else change.topic}: {' '.join(what)}")
    if args.quiet_hours:
        tz = zone(args.time_zone or _current_zone(session, caller)).key
        parts.append(f"quiet hours {args.quiet_hours.start:%H:%M}–{args.quiet_hours.end:%H:%M} ({tz}), held "
                     "until they end")
    if args.quiet_hours_off:
        parts.append("no quiet hours")
    if args.time_zone and not args.quiet_hours:
        parts.append(f"time zone {args.time_zone}")
    if args.urgent_breaks_quiet is not None:
        parts.append("urgent ones " + ("come through quiet hours" if args.urgent_breaks_quiet else "wait too"))
    if args.max_per_hour:
        parts.append(f"at most {args.max_per_hour} an hour")
    return "Change your notifications: " + "; ".join(parts) + "?" if parts else "Leave your notifications as " \
        "they are?"


def _current_zone(session: Session, caller: Caller) -> str | None:
    return session.execute(text("SELECT time_zone FROM notification_settings WHERE user_id = :u"),
                           {"u": caller.user_id}).scalar()


@tool(ToolKind.WRITE, summarize=_summarize_set)
def set_notification_preferences(ctx: ToolContext, args: SetNotificationPreferencesInput) -> NotificationPreferences:
    """Change how you are told things: turn topics on or off ("only tell me about offers"), move them to another
    channel or to an hourly or daily digest ("send me a daily summary instead"), set quiet hours in your time zone
    ("stop texting me after 6pm" = quiet from 18:00 to the morning; held notices come when they end, none are
    dropped), let urgent ones through, cap how many come an hour.

    Args:
        topics: per topic (offers, auctions, holds, wanted, watchlist, alerts, stock, orders, or all) the channel
            (slack, sms, email, web = inbox only), enabled, cadence (immediate, hourly, daily).
        only_topics: these topics on, every other one off.
        quiet_hours: {start, end} local times; quiet_hours_off removes them. time_zone: IANA name.
        urgent_breaks_quiet: outbid, a hold or auction about to end still come in quiet hours.
        max_per_hour: cap; the rest are folded into the hourly digest.
    """
    session, caller = ctx.session, ctx.caller
    person = session.execute(text("SELECT slack_user_id, phone, email FROM users WHERE id = :u"),
                             {"u": caller.user_id}).one()
    for change in _changes(args):
        if change.channel and not reachable(person, change.channel):
            raise ToolFailed("invalid", f"You have no {change.channel} on your account to send to.",
                             hint="Pick one of your channels: see get_notification_preferences.")
        session.execute(_UPSERT_TOPIC, {"u": caller.user_id, "topic": change.topic, "channel": change.channel,
                                        "enabled": change.enabled, "cadence": change.cadence})
    if args.time_zone and zone(args.time_zone).key != args.time_zone:
        raise ToolFailed("invalid", f"Unknown time zone {args.time_zone!r}.", hint="e.g. America/Chicago")
    quiet = args.quiet_hours
    if quiet or args.quiet_hours_off or args.time_zone or args.urgent_breaks_quiet is not None or args.max_per_hour:
        session.execute(_UPSERT_SETTINGS, {
            "u": caller.user_id, "tz": args.time_zone, "qs": quiet.start if quiet else None,
            "qe": quiet.end if quiet else None, "clear": args.quiet_hours_off, "urgent": args.urgent_breaks_quiet,
            "cap": args.max_per_hour})
    session.flush()
    done = preferences_of(session, caller)
    return done.model_copy(update={"message": "Saved. " + done.message})
