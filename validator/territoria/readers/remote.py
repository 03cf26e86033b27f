"""Bounded downloads: size cap, timeout, retries and redirects.

Why bounded: a validator run in a pipeline must never hang on a slow server or
fill the disk with an unexpected 20 GB file; it reports the failure instead.
"""
from __future__ import annotations

import http.client
import os
import tempfile
import time
import urllib.error
import urllib.request

from . import SourceProblem


def _env_number(name: str, default, kind=int):
    """A bound overridden by an environment variable (the GitHub Action and tests set them)."""
    try:
        value = kind(os.environ.get(name, ""))
        return value if value >= 0 else default
    except ValueError:
        return default


MAX_BYTES = _env_number("TERRITORIA_MAX_BYTES", 2 << 30)
TIMEOUT_SECONDS = _env_number("TERRITORIA_TIMEOUT", 30, float)  # per connection / read
TOTAL_SECONDS = _env_number("TERRITORIA_TOTAL_TIMEOUT", 900, float)  # whole download
RETRIES = _env_number("TERRITORIA_RETRIES", 2)
MAX_REDIRECTS = _env_number("TERRITORIA_MAX_REDIRECTS", 5)


class _BoundedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow at most MAX_REDIRECTS redirects, and only to http(s) addresses."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not newurl.lower().startswith(("http://", "https://")):
            raise SourceProblem("scheme-error", f"{req.full_url}: redirected to a non-HTTP address")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener():
    handler = _BoundedRedirects()
    handler.max_redirections = _env_number("TERRITORIA_MAX_REDIRECTS", MAX_REDIRECTS)
    return urllib.request.build_opener(handler)


def fetch_to_file(url: str, *, max_bytes: "int | None" = None, timeout: "float | None" = None,
                  retries: "int | None" = None) -> str:
    """Download ``url`` into a temporary file and return its path.

    Bounds (defaults overridable by ``TERRITORIA_MAX_BYTES``, ``TERRITORIA_TIMEOUT``,
    ``TERRITORIA_TOTAL_TIMEOUT``, ``TERRITORIA_RETRIES``, ``TERRITORIA_MAX_REDIRECTS``).
    """
    max_bytes = _env_number("TERRITORIA_MAX_BYTES", MAX_BYTES) if max_bytes is None else max_bytes
    timeout = _env_number("TERRITORIA_TIMEOUT", TIMEOUT_SECONDS, float) if timeout is None else timeout
    retries = _env_number("TERRITORIA_RETRIES", RETRIES) if retries is None else retries
    deadline = time.monotonic() + _env_number("TERRITORIA_TOTAL_TIMEOUT", TOTAL_SECONDS, float)
    suffix = os.path.splitext(url.split("?", 1)[0])[1][:10]
    last_error = "unknown error"
    for attempt in range(retries + 1):
        try:
            request = urllib.request.Request(url, headers={"User-Agent": "territoria-validator"})
            with _opener().open(request, timeout=timeout) as response:
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise SourceProblem("scheme-error", f"{url}: the file is larger than {max_bytes} bytes")
                handle, path = tempfile.mkstemp(prefix="territoria-", suffix=suffix)
                size = 0
                try:
                    with os.fdopen(handle, "wb") as out:
                        while True:
                            chunk = response.read(1 << 20)
                            if not chunk:
                                break
                            size += len(chunk)
                            if size > max_bytes:
                                raise SourceProblem("scheme-error", f"{url}: the file is larger than {max_bytes} bytes")
                            if time.monotonic() > deadline:
                                raise SourceProblem("scheme-error", f"{url}: the download took too long")
                            out.write(chunk)
                except BaseException:  # never leave a partial download behind
                    os.unlink(path)
                    raise
                return path
        except SourceProblem:
            raise
        except urllib.error.HTTPError as error:
            last_error = f"HTTP {error.code} {error.reason}"
            if error.code < 500:
                break
        except (urllib.error.URLError, OSError, TimeoutError, http.client.HTTPException) as error:
            last_error = str(getattr(error, "reason", error)) or type(error).__name__
        except ValueError as error:  # a malformed address: retrying cannot help
            last_error = str(error)
            break
        if attempt < retries and time.monotonic() < deadline:
            time.sleep(0.5 * (attempt + 1))
        elif attempt < retries:
            break
    raise SourceProblem("scheme-error", f"{url}: {last_error}")


def fetch_bytes(url: str, *, max_bytes: int = 50 << 20) -> bytes:
    path = fetch_to_file(url, max_bytes=max_bytes)
    try:
        with open(path, "rb") as handle:
            return handle.read()
    finally:
        os.unlink(path)
