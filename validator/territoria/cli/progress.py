"""A progress bar on stderr for long files, only when stderr is a terminal."""
from __future__ import annotations

import sys
import time


class ProgressBar:
    def __init__(self, label: str, enabled: bool, lang: str = "en"):
        self.label = label
        self.lang = lang
        self.enabled = enabled
        self.rows = 0
        self.started = time.monotonic()
        self.shown = False

    def __enter__(self):
        return self

    def advance(self, rows: int) -> None:
        self.rows += rows
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.started
        if elapsed < 1.0:
            return
        rate = self.rows / elapsed if elapsed else 0
        if self.lang == "fr":
            rows, speed = f"{self.rows:,}".replace(",", "\u202f"), f"{rate:,.0f}".replace(",", "\u202f")
            sys.stderr.write(f"\r{self.label} : {rows} lignes ({speed} lignes/s)  ")
        else:
            sys.stderr.write(f"\r{self.label}: {self.rows:,} rows ({rate:,.0f} rows/s)  ")
        sys.stderr.flush()
        self.shown = True

    def __exit__(self, *exc):
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()
        return False
