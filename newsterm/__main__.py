"""Entry point for `python -m newsterm`."""

from newsterm.cli import main

if __name__ == "__main__":  # not when a worker process re-imports the main module
    raise SystemExit(main())
