"""Who a turn is for, as plain data: the graph's runtime context (`context_schema`), after react-agent's
`Runtime[Context]`. It holds no live objects, so LangGraph Server (`langgraph dev`, Studio) can store a run;
inside the graph it is resolved to a `tools.context.Caller` against the store, once per run: a run the
AgentRunner starts carries the Caller its channel resolved."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import Engine

from tools.context import Caller, caller_by_email, caller_by_id


@dataclass(frozen=True)
class Context:
    """The person a run acts for and the channel they are on.

    Name the person by `user_id` (a users.id UUID, what the channels pass) or by `email` (handier in
    Studio: `{"email": "maria.gonzalez@summitvm.example", "channel": "web"}`); `user_id` wins when both are
    given. `channel` shapes the replies ("web", "sms", "slack", "api", "cli").
    """

    user_id: str = ""
    email: str = ""
    channel: str = "web"
    # The caller the channel resolved for this turn: every node of the run uses it instead of loading it again
    # (a turn's nodes would look the same user up once each). Absent for a run started from plain data.
    resolved: Caller | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, caller: Caller) -> Context:
        """The context that resolves back to this caller (without asking the store again)."""
        return cls(user_id=str(caller.user_id), email=caller.email, channel=caller.channel, resolved=caller)

    def caller(self, engine: Engine) -> Caller:
        """The active user this context names, with its organization, role and partners.

        Raises:
            ValueError: the context names nobody.
            tools.context.UnknownCaller: no active user matches.
        """
        if self.resolved is not None:
            return self.resolved
        if self.user_id:
            return caller_by_id(engine, uuid.UUID(self.user_id), channel=self.channel)
        if self.email:
            return caller_by_email(engine, self.email, channel=self.channel)
        raise ValueError('the run context names no user: pass {"email": ...} or {"user_id": ...} and a channel')


def require_context(context: Context | None) -> Context:
    """The run's context, or a clear error when the run was started without one."""
    if context is None:
        raise ValueError('this graph needs a run context naming the user, e.g. context={"email": ..., '
                         '"channel": "web"} (AgentRunner passes one for its caller)')
    return context
