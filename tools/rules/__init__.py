"""Rules every tool family shares, each written once: who may see what (visibility), who may do what (roles),
money, distances, the clock, and how things are worded in confirmations."""
