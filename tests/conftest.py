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


@pytest.fixture(autouse=True, scope="session")
def _private_verdict_cache(tmp_path_factory):
    """Keep the schema verdict cache of the tests out of the user's ~/.cache."""
    os.environ["TERRITORIA_CACHE_DIR"] = str(tmp_path_factory.mktemp("verdict-cache"))
    yield
