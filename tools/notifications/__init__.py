"""Notifications: what Partpilot tells people when something they care about happens (offers, bids, auctions,
holds), written in the same transaction as the change; the inbox lists them and marks them read.

Public schemas: what callers above the tools (the REST API) may import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.families import public_schemas

if TYPE_CHECKING:
    from tools.notifications.inbox import (
        ListNotificationsInput,
        ListNotificationsOutput,
        MarkNotificationsReadInput,
        MarkNotificationsReadOutput,
        NotificationAction,
        NotificationChannel,
        NotificationView,
    )
    from tools.notifications.preferences import (
        GetNotificationPreferencesInput,
        NotificationPreferences,
        QuietHours,
        SetNotificationPreferencesInput,
        TopicSetting,
    )
    from tools.notifications.subject import ShowNotificationInput, ShowNotificationOutput

__getattr__, __all__ = public_schemas(__name__, __file__)
