"""Starting and stopping the local page's server (uvicorn), for ``territoria ui`` and for the tests.

Why a socket bound here: the port is known (and free) before uvicorn starts,
so the command can print the address, open the browser on it, and the tests
can start a server on a free port (``port=0``) in a thread and stop it. The
server's private folder (``0700``, under the system's temporary folder) holds
every upload and copy while its report is made, and is removed when the
server stops.
"""
from __future__ import annotations

import contextlib
import ipaddress
import os
import shutil
import socket
import tempfile
import threading
from typing import Optional

from .app import LOOPBACK_NAMES, Settings, make_app


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free one); OSError when it cannot be had."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def address(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


class Server:
    """One local page's server: ``start()`` in a thread (tests), or ``run()`` in the foreground (the command)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, max_upload_bytes: int = 1 << 30,
                 limit_errors: int = 1000, sock: Optional[socket.socket] = None):
        import uvicorn

        self.root = tempfile.mkdtemp(prefix="territoria-ui-")
        os.chmod(self.root, 0o700)
        self.socket = sock or bind(host, port)
        self.url = address(self.socket)
        settings = Settings(root=self.root, max_upload_bytes=max_upload_bytes, limit_errors=limit_errors,
                            host=host)
        config = uvicorn.Config(make_app(settings), log_level="warning", access_log=False,
                                lifespan="off", server_header=False, timeout_graceful_shutdown=5)
        self.server = uvicorn.Server(config)
        self.thread: Optional[threading.Thread] = None

    def run(self) -> None:
        """Serve until interrupted, then remove the private folder."""
        try:
            self.server.run(sockets=[self.socket])
        finally:
            self.cleanup()

    def start(self) -> "Server":
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]},
                                       name="territoria-ui", daemon=True)
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("the local page's server did not start")
            threading.Event().wait(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(10)
        self.cleanup()

    def cleanup(self) -> None:
        with contextlib.suppress(OSError):
            self.socket.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
