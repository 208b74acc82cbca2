"""Deterministic demo world for Partpilot: pure-Python rows for every store table (no database access)."""

from knowledge.seed.world.build import World, build_world
from knowledge.seed.world.ids import demo_now

__all__ = ["World", "build_world", "demo_now"]
