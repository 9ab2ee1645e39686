"""The offline planner: a rule-based chat model that plans tool calls and composes grounded answers."""
