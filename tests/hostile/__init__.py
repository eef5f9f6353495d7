"""Hostile-input suite: a generated corpus of attacks on the core's parsers (issue 7)."""
