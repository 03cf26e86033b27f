"""A udata-like portal on 127.0.0.1, for the audit's tests and its benchmark.

It serves files with ETag and Last-Modified (and answers conditional requests
with 304), the dataset search of udata (``/api/1/datasets/?schema=NAME&page=N``)
and each dataset (``/api/1/datasets/<id>/``), and misbehaves on request: 404s,
a file that stalls after its first bytes, answers that fail once with 503 or
429 and a ``Retry-After``, listings whose pages never end. ``catalogue_portal``
fills it with the catalogue's own examples (valid and invalid files), each
resource declaring the schema of its example.
"""
from __future__ import annotations

import email.utils
import glob
import hashlib
import json
import os
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Optional

REPO = Path(__file__).resolve().parents[2]
ORGANIZATIONS = ("Ville de Grenoble", "Métropole de Lyon", "Rennes Métropole", "Toulouse Métropole",
                 "Syndicat des eaux du Vivier")


@dataclass
class File:
    """One served file; ``failures``: statuses answered (in turn) before the body, ``stall``: hang after the
    first bytes; ``headers``: more headers (``Retry-After``...)."""

    body: bytes
    content_type: str = "text/csv"
    status: int = 200
    failures: list = field(default_factory=list)
    stall: bool = False
    headers: dict = field(default_factory=dict)
    modified: float = 1_700_000_000.0
    conditional: bool = True  # answer If-None-Match / If-Modified-Since

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


class FakePortal:
    """``files[path] = File``; ``datasets``: udata dataset dicts (their resources' ``url`` may be a path,
    made absolute when served); ``endless``: the search never runs out of pages; ``hits[path]``;
    ``latency``: seconds each file's answer waits before it starts, as a distant server's would."""

    def __init__(self):
        self.files: dict = {}
        self.datasets: list = []
        self.endless = False
        self.hits: dict = {}
        self.not_modified = 0
        self.latency = 0.0
        self.closing = threading.Event()
        portal = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                try:
                    portal._answer(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- answers -------------------------------------------------------------------

    def _answer(self, request) -> None:
        parts = urllib.parse.urlsplit(request.path)
        self.hits[parts.path] = self.hits.get(parts.path, 0) + 1
        if parts.path in self.files:  # a file wins over the API's routes (a stalled API answer, say)
            return self._file(request, self.files[parts.path])
        if parts.path == "/api/1/datasets/":
            return self._send(request, 200, json.dumps(self.search(urllib.parse.parse_qs(parts.query))).encode(),
                              "application/json")
        if parts.path.startswith("/api/1/datasets/"):
            wanted = parts.path[len("/api/1/datasets/"):].strip("/")
            for dataset in self.datasets:
                if wanted in (dataset["id"], dataset.get("slug")):
                    return self._send(request, 200, json.dumps(self.served(dataset)).encode(), "application/json")
            return self._send(request, 404, b'{"message": "dataset not found"}', "application/json")
        return self._send(request, 404, b"not found", "text/plain")

    def _file(self, request, served: File) -> None:
        if self.latency:
            time.sleep(self.latency)
        if served.failures:
            status = served.failures.pop(0)
            return self._send(request, status, b"busy", "text/plain", served.headers)
        modified = email.utils.formatdate(served.modified, usegmt=True)
        headers = {"ETag": served.etag, "Last-Modified": modified}
        if served.conditional and self._unchanged(request, served):
            self.not_modified += 1
            return self._send(request, 304, b"", served.content_type, headers)
        if served.stall:
            request.send_response(200)
            request.send_header("Content-Type", served.content_type)
            request.send_header("Content-Length", str(len(served.body)))
            request.end_headers()
            request.wfile.write(served.body[:10])
            request.wfile.flush()
            self.closing.wait(600)  # the rest never comes
            return None
        return self._send(request, served.status, served.body, served.content_type, headers)

    @staticmethod
    def _unchanged(request, served: File) -> bool:
        match = request.headers.get("If-None-Match")
        if match is not None:
            return served.etag in [tag.strip() for tag in match.split(",")]
        since = request.headers.get("If-Modified-Since")
        if since:
            try:
                return email.utils.parsedate_to_datetime(since).timestamp() >= int(served.modified)
            except (TypeError, ValueError):
                return False
        return False

    @staticmethod
    def _send(request, status: int, body: bytes, content_type: str, headers: Optional[dict] = None) -> None:
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            request.send_header(key, value)
        request.end_headers()
        if status != 304:
            request.wfile.write(body)

    def served(self, dataset: dict) -> dict:
        copy = json.loads(json.dumps(dataset))
        for resource in copy.get("resources", []):
            if resource.get("url", "").startswith("/"):
                resource["url"] = self.base + resource["url"]
        return copy

    def search(self, query: dict) -> dict:
        """udata's dataset search: ``schema`` filters on a resource's declared schema name."""
        page = int(query.get("page", ["1"])[0])
        size = int(query.get("page_size", ["20"])[0])
        if self.endless:  # a hostile portal: every page has a new dataset and a next page
            dataset = {"id": f"endless-{page}", "title": f"Endless {page}", "organization": None, "resources": []}
            return {"data": [dataset], "page": page, "page_size": size, "total": 10 ** 9,
                    "next_page": f"{self.base}/api/1/datasets/?page={page + 1}"}
        wanted = query.get("schema", [None])[0]
        found = [d for d in self.datasets
                 if wanted is None or any((r.get("schema") or {}).get("name") == wanted for r in d["resources"])]
        chosen = found[(page - 1) * size: page * size]
        more = page * size < len(found)
        return {"data": [self.served(d) for d in chosen], "page": page, "page_size": size, "total": len(found),
                "next_page": f"{self.base}/api/1/datasets/?page={page + 1}" if more else None}


# --- the catalogue's examples as a portal ---------------------------------------------


def example_files(entries: Optional[list] = None) -> list:
    """``(entry, version, folder, table, path)`` of every example CSV of the catalogue (legacy exports aside)."""
    found = []
    for path in sorted(glob.glob(str(REPO / "schemas" / "*" / "*" / "examples" / "*" / "*.csv"))):
        parts = Path(path).parts
        entry, version, folder, name = parts[-5], parts[-4], parts[-2], parts[-1]
        if folder == "legacy" or (entries and entry not in entries):
            continue
        found.append((entry, version, folder, os.path.splitext(name)[0], path))
    return found


def catalogue_portal(portal: FakePortal, entries: Optional[list] = None, copies: int = 1,
                     organizations=ORGANIZATIONS) -> list:
    """One dataset per example folder (``copies`` times), each CSV a resource declaring its entry and
    version; returns ``(dataset id, resource id, example path, catalogue reference)`` of each resource."""
    made = []
    folders: dict = {}
    for entry, version, folder, table, path in example_files(entries):
        folders.setdefault((entry, version, folder), []).append((table, path))
    number = 0
    for copy in range(copies):
        for (entry, version, folder), tables in sorted(folders.items()):
            dataset_id = f"{entry}-{version}-{folder}" + (f"-{copy}" if copy else "")
            organization = organizations[number % len(organizations)]
            number += 1
            resources = []
            for table, path in tables:
                served = f"/files/{dataset_id}/{table}.csv"
                portal.files[served] = File(Path(path).read_bytes())
                resource_id = f"{dataset_id}-{table}"
                resources.append({"id": resource_id, "title": table, "url": served,
                                  "format": "csv", "schema": {"name": entry, "version": version}})
                made.append((dataset_id, resource_id, path, f"{entry}/{table}@{version}"))
            portal.datasets.append({"id": dataset_id, "slug": dataset_id, "title": f"{entry} {version} {folder}",
                                    "organization": {"name": organization, "id": organization.lower()},
                                    "resources": resources})
    return made


def wait_for(predicate: Callable[[], bool], seconds: float = 5.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
