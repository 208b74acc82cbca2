"""Partpilot agent package."""
