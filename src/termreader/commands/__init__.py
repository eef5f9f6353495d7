"""One module per CLI sub-command: `register(subparsers)` declares it, `run(args, env)` does it."""
