"""Partpilot channels package."""
