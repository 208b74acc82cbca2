"""The application: the `partpilot` command line, its configuration and the wiring that builds the engine,
the agent runner, the channel hub and the HTTP app from the layers below (see docs/architecture.md)."""
