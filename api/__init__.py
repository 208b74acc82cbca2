"""Partpilot api package."""
