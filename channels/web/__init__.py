"""The web channel: the chat stream in the AI SDK UI-message format, conversation history, the widget."""
