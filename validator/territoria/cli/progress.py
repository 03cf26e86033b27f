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


class AuditProgress:
    """``territoria audit``'s line on stderr: resources done, valid/invalid/failed, rate, time left.

    The same single rewritten line as :class:`ProgressBar`, at most ten times a second.
    """

    def __init__(self, total: int, enabled: bool, lang: str = "en"):
        self.total = total
        self.enabled = enabled
        self.lang = lang
        self.done = 0
        self.counts = {"valid": 0, "invalid": 0, "failed": 0, "skipped": 0}
        self.started = time.monotonic()
        self.shown_at = 0.0
        self.shown = False

    def __enter__(self):
        return self

    def update(self, row: dict, done: int, total: int) -> None:
        self.done, self.total = done, total
        self.counts[row.get("status", "failed")] = self.counts.get(row.get("status", "failed"), 0) + 1
        now = time.monotonic()
        if self.enabled and (now - self.shown_at >= 0.1 or done == total):
            self.shown_at = now
            sys.stderr.write("\r" + self.line(now - self.started) + "  ")
            sys.stderr.flush()
            self.shown = True

    def line(self, elapsed: float) -> str:
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else None
        c = self.counts
        if self.lang == "fr":
            speed = f"{rate:.1f}".replace(".", ",")
            rest = f", reste {_duration(left)}" if left is not None and self.done < self.total else ""
            return (f"audit : {self.done}/{self.total} ressources (valides {c['valid']}, invalides {c['invalid']}, "
                    f"non vérifiées {c['failed']}) {speed}/s{rest}")
        rest = f", {_duration(left)} left" if left is not None and self.done < self.total else ""
        return (f"audit: {self.done}/{self.total} resources (valid {c['valid']}, invalid {c['invalid']}, "
                f"failed {c['failed']}) {rate:.1f}/s{rest}")

    def __exit__(self, *exc):
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()
        return False


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
