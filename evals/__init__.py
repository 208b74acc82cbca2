"""Partpilot evals package."""
