"""Loopback fakes of the Slack Web API and the Twilio REST API: real HTTP servers on 127.0.0.1 speaking the
real wire formats, for the tests and `partpilot bench channels` (never used by the server itself)."""
