"""The pure domain: facts about a child and what follows from them (standard library only, no clock)."""
