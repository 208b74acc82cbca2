"""Planners: Claude (when ANTHROPIC_API_KEY is set) and the offline local planner."""
