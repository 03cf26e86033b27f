"""Shared fixtures: paths to the repository and to the read-only shared corpus."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TERRITORIA_SHARED", REPO.parent / "shared"))


@pytest.fixture
def write_csv(tmp_path):
    """Write text to a CSV file (bytes pass through unchanged) and return its path."""

    def write(text, name="data.csv", encoding="utf-8"):
        path = tmp_path / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
        return path

    return write
