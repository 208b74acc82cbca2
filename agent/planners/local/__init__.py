"""The offline local planner: the embedded default that runs without an API key."""

from agent.planners.local.model import LocalPlanner

__all__ = ["LocalPlanner"]
