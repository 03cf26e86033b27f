"""Bounded downloads: size cap, timeout, retries and redirects.

Why bounded: a validator run in a pipeline must never hang on a slow server or
fill the disk with an unexpected 20 GB file; it reports the failure instead.
"""
from __future__ import annotations

import os
import tempfile
import time
import urllib.error
import urllib.request

from .readers import SourceProblem

MAX_BYTES = 2 << 30
TIMEOUT_SECONDS = 30
RETRIES = 2


def fetch_to_file(url: str, *, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT_SECONDS,
                  retries: int = RETRIES) -> str:
    """Download ``url`` into a temporary file and return its path."""
    suffix = os.path.splitext(url.split("?", 1)[0])[1][:10]
    last_error = "unknown error"
    for attempt in range(retries + 1):
        try:
            request = urllib.request.Request(url, headers={"User-Agent": "territoria-validator"})
            with urllib.request.urlopen(request, timeout=timeout) as response:
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise SourceProblem("scheme-error", f"{url}: the file is larger than {max_bytes} bytes")
                handle, path = tempfile.mkstemp(prefix="territoria-", suffix=suffix)
                size = 0
                with os.fdopen(handle, "wb") as out:
                    while True:
                        chunk = response.read(1 << 20)
                        if not chunk:
                            break
                        size += len(chunk)
                        if size > max_bytes:
                            out.close()
                            os.unlink(path)
                            raise SourceProblem("scheme-error", f"{url}: the file is larger than {max_bytes} bytes")
                        out.write(chunk)
                return path
        except SourceProblem:
            raise
        except urllib.error.HTTPError as error:
            last_error = f"HTTP {error.code} {error.reason}"
            if error.code < 500:
                break
        except (urllib.error.URLError, OSError, TimeoutError) as error:
            last_error = str(getattr(error, "reason", error))
        if attempt < retries:
            time.sleep(0.5 * (attempt + 1))
    raise SourceProblem("scheme-error", f"{url}: {last_error}")


def fetch_bytes(url: str, *, max_bytes: int = 50 << 20) -> bytes:
    path = fetch_to_file(url, max_bytes=max_bytes)
    try:
        with open(path, "rb") as handle:
            return handle.read()
    finally:
        os.unlink(path)
