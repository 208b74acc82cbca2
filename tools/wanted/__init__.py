"""Wanted posts: asking the market for a part, answering others' posts, and accepting an answer into a deal.

Public schemas: what callers above the tools (the REST API) may import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.families import public_schemas

if TYPE_CHECKING:
    from tools.wanted.accept import AcceptTerms, AcceptWantedResponseInput, AcceptWantedResponseOutput
    from tools.wanted.posts import (
        CreateWantedPostInput,
        CreateWantedPostOutput,
        ListWantedPostsInput,
        ListWantedPostsOutput,
        Urgency,
        WantedPostView,
    )
    from tools.wanted.responses import (
        ListWantedResponsesInput,
        ListWantedResponsesOutput,
        RespondToWantedInput,
        RespondToWantedOutput,
        WantedAnswer,
        WantedResponseView,
    )

__getattr__, __all__ = public_schemas(__name__, __file__)
