"""A small HTTP client for the local page's API: multipart bodies as a browser sends them.

Why not a library: the tests need what a browser and a hostile script both do
(several ``file`` parts, a chunked body without a length, a foreign ``Host`` or
``Origin``), with the bytes under the test's control; ``http.client`` is enough.
"""
from __future__ import annotations

import http.client
import json
import os
import secrets
import urllib.parse
from dataclasses import dataclass

import pytest


def needs_the_extra() -> None:
    """Skip a test module when the ui extra is not installed (``pip install -e '.[ui]'``)."""
    for name in ("starlette", "uvicorn", "python_multipart"):
        pytest.importorskip(name, reason="the local page needs the ui extra: pip install -e '.[ui]'")


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def lines(self) -> list:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]


def multipart(files=(), fields=None) -> tuple:
    """``(content type, body)``; ``files``: ``(name, bytes | path)`` pairs sent as ``file`` parts."""
    boundary = "----territoria" + secrets.token_hex(8)
    parts = []
    for key, value in (fields or {}).items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode()
                     + str(value).encode("utf-8") + b"\r\n")
    for name, content in files:
        if isinstance(content, (str, os.PathLike)):
            with open(content, "rb") as handle:
                content = handle.read()
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode("utf-8") + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


def request(base: str, method: str, path: str, *, body: bytes = b"", headers=None, chunked: bool = False) -> Answer:
    where = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=120)
    try:
        headers = dict(headers or {})
        if chunked:
            connection.putrequest(method, path, skip_accept_encoding=True)
            for key, value in headers.items():
                connection.putheader(key, value)
            connection.putheader("Transfer-Encoding", "chunked")
            connection.endheaders()
            try:
                for start in range(0, len(body), 1 << 16):
                    piece = body[start:start + (1 << 16)]
                    connection.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                connection.send(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server answered and closed before the end: read its answer
        else:
            connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()


def get(base: str, path: str, **options) -> Answer:
    return request(base, "GET", path, **options)


def post(base: str, path: str, files=(), fields=None, *, headers=None, chunked: bool = False) -> Answer:
    kind, body = multipart(files, fields)
    return request(base, "POST", path, body=body, headers={"Content-Type": kind, **(headers or {})},
                   chunked=chunked)


@pytest.fixture(scope="module")
def server():
    """A local page's server on 127.0.0.1 (a free port), for the tests of one module."""
    from territoria.ui.server import Server

    with Server("127.0.0.1", 0) as running:
        yield running


@pytest.fixture(scope="module")
def small_server():
    """A server that accepts 1 MiB at most, for the limits."""
    from territoria.ui.server import Server

    with Server("127.0.0.1", 0, max_upload_bytes=1 << 20) as running:
        yield running
