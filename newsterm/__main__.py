"""Entry point for `python -m newsterm`."""

from newsterm.cli import main

raise SystemExit(main())
