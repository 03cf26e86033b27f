"""Kept so that workflows written for ``python -m territoria.action_main`` still run: see :mod:`territoria.action`."""
from .action import main

if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(__import__("sys").argv[1:]))
