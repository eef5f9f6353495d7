"""Allow `python -m termreader`."""

from termreader.cli import main

raise SystemExit(main())
