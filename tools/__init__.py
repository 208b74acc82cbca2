"""Partpilot tools package."""
