"""Bounded, public-only downloads: size cap, socket timeouts, a real total deadline, retries, redirects.

Why bounded: a validator run in a pipeline must never hang on a slow server or
fill the disk with an unexpected 20 GB file; it reports the failure instead.
Why public-only: a portal listing or a package written by a stranger must not
make the GitHub Action (or a portal's server) fetch its own network — a
cloud's metadata service on 169.254.169.254, an admin page on 127.0.0.1 — and
publish the answer in a report. So every address a host name resolves to is
checked *before* connecting, the connection goes to the address that was
checked (no second resolution a DNS server could answer differently), and every
redirect goes through the same door. ``--allow-private-network`` (or
``TERRITORIA_ALLOW_PRIVATE_NETWORK=1``) opts in.

The total deadline is a watchdog thread that shuts the sockets down when time
is up: a server trickling one byte every half second never sees a read time
out, so a check between reads is not enough. A body shorter than its
``Content-Length`` is an error, not a smaller file. A temporary file is removed
whatever happens (and at exit, for one still registered).

Transient answers (429, 5xx, a reset connection) are tried again with a growing
back-off, or after the server's ``Retry-After`` within a cap, since a portal
audited file after file rate-limits its callers. A download may be conditional
(``If-None-Match`` / ``If-Modified-Since``): ``territoria audit`` fetches again
only what changed since its last run.
"""
from __future__ import annotations

import atexit
import datetime
import email.utils
import hashlib
import http.client
import ipaddress
import os
import socket
import ssl
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Optional

from . import SourceProblem
from .policy import current as current_policy


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

# ---------------------------------------------------------------- temporary files

_temporary: set = set()
_temporary_lock = threading.Lock()


def temporary_file(suffix: str = "") -> tuple:
    """``(fd, path)`` of a new temporary file, removed at exit unless :func:`discard` ed first."""
    handle, path = tempfile.mkstemp(prefix="territoria-", suffix=suffix)
    with _temporary_lock:
        _temporary.add(path)
    return handle, path


def discard(path: str) -> None:
    """Remove a temporary file (made by :func:`temporary_file`); never raises."""
    with _temporary_lock:
        _temporary.discard(path)
    try:
        os.unlink(path)
    except OSError:
        pass


@atexit.register
def _discard_all() -> None:  # an interrupted run leaves nothing behind
    for path in list(_temporary):
        discard(path)


# ---------------------------------------------------------------- address policy


class RefusedAddress(OSError):
    """An address the network policy refuses (an OSError, so urllib hands it back as a URLError's reason)."""


def public_address(address: str) -> bool:
    """Whether an IP address is a public unicast address (IPv4-mapped IPv6 judged as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    if isinstance(ip, ipaddress.IPv6Address) and ip.sixtofour is not None:
        ip = ip.sixtofour
    return ip.is_global and not ip.is_multicast


def vetted_addresses(host: str, port: int) -> list:
    """``getaddrinfo`` answers for ``host``, all public unless the policy opts in; RefusedAddress if not."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise OSError(f"cannot resolve {host}: {error.strerror or error}")
    if current_policy().allow_private_network:
        return answers
    for *_, sockaddr in answers:
        if not public_address(sockaddr[0]):
            raise RefusedAddress(f"{host} is a non-public address ({sockaddr[0]}); "
                                 f"--allow-private-network (TERRITORIA_ALLOW_PRIVATE_NETWORK=1) allows it")
    return answers


def _proxy_hosts() -> set:
    hosts = set()
    for value in urllib.request.getproxies().values():
        host = urllib.parse.urlsplit(value if "://" in value else f"http://{value}").hostname
        if host:
            hosts.add(host.lower())
    return hosts


class _Sockets:
    """The sockets one download opened, so the watchdog can shut them down."""

    def __init__(self):
        self.open: list = []
        self.expired = False
        self.lock = threading.Lock()

    def add(self, sock) -> None:
        with self.lock:
            self.open.append(sock)
            if self.expired:
                _shut(sock)

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.open:
                _shut(sock)


def _shut(sock) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _connector(sockets: _Sockets, proxies: set):
    def create_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, **_):
        host, port = address
        if host.lower() in proxies:  # the user's own proxy: the target was vetted before the request
            sock = socket.create_connection(address, timeout, source_address)
            sockets.add(sock)
            return sock
        last = None
        for family, kind, proto, _, sockaddr in vetted_addresses(host, port):
            sock = socket.socket(family, kind, proto)
            sockets.add(sock)
            try:
                if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                    sock.settimeout(timeout)
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)  # the vetted address itself: no second resolution
                return sock
            except OSError as error:
                last = error
                sock.close()
        raise last or OSError(f"cannot connect to {host}")

    return create_connection


def _vet_url(url: str) -> None:
    if current_policy().offline:
        raise SourceProblem("network-refused", f"{url}: not fetched (this run reads nothing from the network)")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise SourceProblem("scheme-error", f"{url}: only http(s) addresses are fetched")
    if not current_policy().allow_private_network:
        try:
            vetted_addresses(parts.hostname, parts.port or (443 if parts.scheme.lower() == "https" else 80))
        except RefusedAddress as refused:
            raise SourceProblem("address-refused", f"{url}: {refused}")


class _BoundedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow at most MAX_REDIRECTS redirects, only to http(s) addresses the policy allows."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not newurl.lower().startswith(("http://", "https://")):
            raise SourceProblem("scheme-error", f"{req.full_url}: redirected to a non-HTTP address")
        _vet_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(sockets: _Sockets):
    connect = _connector(sockets, _proxy_hosts())

    class Http(http.client.HTTPConnection):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._create_connection = connect  # an instance attribute in http.client

    class Https(http.client.HTTPSConnection):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._create_connection = connect

    class HttpHandler(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(Http, req)

    class HttpsHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(Https, req, context=ssl.create_default_context())

    redirects = _BoundedRedirects()
    redirects.max_redirections = _env_number("TERRITORIA_MAX_REDIRECTS", MAX_REDIRECTS)
    opener = urllib.request.OpenerDirector()  # no file:, ftp: or data: handlers
    for handler in (urllib.request.ProxyHandler(), HttpHandler(), HttpsHandler(), redirects,
                    urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


class _Truncated(Exception):
    pass


#: answers worth another try: the server is busy or restarting (429 and 503 may say when, in Retry-After)
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
#: the longest wait a Retry-After header is granted, in seconds (a hostile server may ask for a day)
RETRY_AFTER_MAX = _env_number("TERRITORIA_RETRY_AFTER_MAX", 30, float)


@dataclass
class Download:
    """What one download brought back.

    ``path`` is a temporary file to :func:`discard` after use, or None when the
    server answered ``304 Not Modified`` to a conditional request; ``etag`` and
    ``last_modified`` are the server's validators, to send next time;
    ``sha256`` is the body's digest when it was asked for.
    """

    url: str
    path: Optional[str]
    status: int = 200
    etag: str = ""
    last_modified: str = ""
    sha256: str = ""
    size: int = 0
    attempts: int = 1

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def fetch_to_file(url: str, *, max_bytes: "int | None" = None, timeout: "float | None" = None,
                  retries: "int | None" = None) -> str:
    """Download ``url`` into a temporary file and return its path (discard it with :func:`discard`).

    Bounds (defaults overridable by ``TERRITORIA_MAX_BYTES``, ``TERRITORIA_TIMEOUT``,
    ``TERRITORIA_TOTAL_TIMEOUT``, ``TERRITORIA_RETRIES``, ``TERRITORIA_MAX_REDIRECTS``).
    """
    return download(url, max_bytes=max_bytes, timeout=timeout, retries=retries).path


def download(url: str, *, max_bytes: "int | None" = None, timeout: "float | None" = None,
             retries: "int | None" = None, total: "float | None" = None, etag: str = "",
             last_modified: str = "", digest: bool = False) -> Download:
    """Download ``url`` within the bounds, retrying what is transient, and say what came back.

    ``etag`` / ``last_modified``: the validators of an earlier download, sent as
    ``If-None-Match`` / ``If-Modified-Since`` (an unchanged file is then a 304,
    with no body). ``total``: the whole download's deadline, at most
    ``TERRITORIA_TOTAL_TIMEOUT``. Transient answers (429, 5xx, a reset
    connection, a truncated body) are tried again after 0.5 s, 1 s, 2 s..., or
    after the server's ``Retry-After`` (at most ``TERRITORIA_RETRY_AFTER_MAX``
    seconds), as long as the deadline allows. ``digest``: compute the body's
    SHA-256 while it is written.
    """
    max_bytes = _env_number("TERRITORIA_MAX_BYTES", MAX_BYTES) if max_bytes is None else max_bytes
    timeout = _env_number("TERRITORIA_TIMEOUT", TIMEOUT_SECONDS, float) if timeout is None else timeout
    retries = _env_number("TERRITORIA_RETRIES", RETRIES) if retries is None else retries
    limit = _env_number("TERRITORIA_TOTAL_TIMEOUT", TOTAL_SECONDS, float)
    total = limit if total is None else max(0.0, min(total, limit))
    deadline = time.monotonic() + total
    suffix = os.path.splitext(url.split("?", 1)[0])[1][:10]
    _vet_url(url)
    headers = {"User-Agent": "territoria-validator"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    sockets = _Sockets()
    watchdog = threading.Timer(total, sockets.expire)
    watchdog.daemon = True
    watchdog.start()
    last_error = "unknown error"
    try:
        for attempt in range(retries + 1):
            wait = 0.5 * 2 ** attempt
            try:
                found = _attempt(url, sockets, timeout, max_bytes, suffix, headers, digest)
                found.attempts = attempt + 1
                return found
            except SourceProblem:
                raise
            except urllib.error.HTTPError as error:
                if error.code == 304 and (etag or last_modified):
                    return Download(url, None, 304, error.headers.get("ETag") or etag,
                                    error.headers.get("Last-Modified") or last_modified, attempts=attempt + 1)
                last_error = f"HTTP {error.code} {error.reason}"
                if error.code not in TRANSIENT_STATUSES:
                    break
                asked = retry_after(error.headers.get("Retry-After"))
                if asked is not None:
                    wait = min(max(asked, 0.0), RETRY_AFTER_MAX)
            except _Truncated as error:
                last_error = str(error)
            except (urllib.error.URLError, OSError, TimeoutError, http.client.HTTPException) as error:
                reason = getattr(error, "reason", error)
                if isinstance(reason, RefusedAddress):
                    raise SourceProblem("address-refused", f"{url}: {reason}")
                last_error = " ".join(str(reason).split()) or type(error).__name__
            except ValueError as error:  # a malformed address: retrying cannot help
                last_error = str(error)
                break
            if sockets.expired or attempt == retries or time.monotonic() + wait >= deadline:
                break
            time.sleep(wait)
        if sockets.expired:
            raise SourceProblem("scheme-error", f"{url}: the download took longer than {total:g} s")
        raise SourceProblem("scheme-error", f"{url}: {last_error}")
    finally:
        watchdog.cancel()


def retry_after(value: "str | None") -> "float | None":
    """Seconds a ``Retry-After`` header asks to wait (a number of seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return max(0.0, (when - datetime.datetime.now(datetime.timezone.utc)).total_seconds())


def _attempt(url: str, sockets: _Sockets, timeout: float, max_bytes: int, suffix: str, headers: dict,
             digest: bool) -> Download:
    request = urllib.request.Request(url, headers=headers)
    with _opener(sockets).open(request, timeout=timeout) as response:
        declared = response.headers.get("Content-Length")
        declared = int(declared) if declared and declared.strip().isdigit() else None
        if declared is not None and declared > max_bytes:
            raise SourceProblem("scheme-error", f"{url}: the file is larger than {max_bytes} bytes")
        hasher = hashlib.sha256() if digest else None
        handle, path = temporary_file(suffix)
        size = 0
        try:
            with os.fdopen(handle, "wb") as out:
                while True:
                    try:
                        chunk = response.read(1 << 20)
                    except (OSError, http.client.HTTPException):
                        if sockets.expired:
                            break
                        raise
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > max_bytes:
                        raise SourceProblem("scheme-error", f"{url}: the file is larger than {max_bytes} bytes")
                    out.write(chunk)
                    if hasher is not None:
                        hasher.update(chunk)
            if sockets.expired:
                raise TimeoutError("deadline")
            if declared is not None and size < declared:
                raise _Truncated(f"the download stopped after {size} of {declared} bytes")
        except OSError as error:
            discard(path)
            if error.errno == 28:  # ENOSPC
                raise SourceProblem("scheme-error", f"{url}: no space left on the disk for the download")
            raise
        except BaseException:  # never leave a partial download behind
            discard(path)
            raise
        return Download(url, path, response.status or 200, response.headers.get("ETag") or "",
                        response.headers.get("Last-Modified") or "", hasher.hexdigest() if hasher else "", size)


def fetch_bytes(url: str, *, max_bytes: int = 50 << 20, total: "float | None" = None) -> bytes:
    """The body of ``url`` (at most ``max_bytes``, within ``total`` seconds if given)."""
    path = download(url, max_bytes=max_bytes, total=total).path
    try:
        with open(path, "rb") as handle:
            return handle.read()
    finally:
        discard(path)
