"""Planners: Claude (when ANTHROPIC_API_KEY is set), any provider:model (PLANNER_MODEL, any_model.py) and the
offline local planner."""
