"""Entry point for `python -m newsterm`."""

from newsterm.cli import main

if __name__ == "__main__":  # run as a script, not merely imported
    raise SystemExit(main())
