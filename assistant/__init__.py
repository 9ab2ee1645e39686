"""WealthDesk application: agent, model factory, offline planner, sessions, access control, API, CLI."""
