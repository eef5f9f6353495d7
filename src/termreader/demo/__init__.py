"""Built-in demo sites and the small loopback HTTP server that serves them (also used by the tests)."""
