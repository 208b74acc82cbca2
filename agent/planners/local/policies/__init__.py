"""One small policy per intent, each registering itself with `agent.planners.local.policy.policy(...)`;
`load_policies()` imports every module here."""
