"""Slack channel: Events API and interactivity through slack-bolt, replies with the Web API (Block Kit)."""
