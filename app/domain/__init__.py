"""The pure domain: facts about a child and what follows from them (stdlib only, no clock)."""
