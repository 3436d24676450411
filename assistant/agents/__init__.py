"""Agents: each turns a request into a stream of events, using the runtime and the stores."""
