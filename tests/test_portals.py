"""Published files and portal datasets, against a local HTTP server on 127.0.0.1.

The server serves data files and emulates the data.gouv.fr, CKAN and
Opendatasoft APIs, including slow, huge, 404, 5xx, redirecting and malformed
answers. Bounds are made small through the environment so the suite stays fast.
"""
from __future__ import annotations

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from territoria import portals
from territoria.targets import collect, run as run_targets
from territoria.cli import main as cli_main

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def private_network_allowed(monkeypatch):
    """The test server listens on 127.0.0.1, which the default network policy refuses: opt in."""
    monkeypatch.setenv("TERRITORIA_ALLOW_PRIVATE_NETWORK", "1")
WASTE = REPO / "schemas" / "waste-fill-level" / "1.0.0"
VALID_MEASUREMENTS = (WASTE / "examples" / "valid" / "measurements.csv").read_bytes()
VALID_CONTAINERS = (WASTE / "examples" / "valid" / "containers.csv").read_bytes()
OUT_OF_RANGE = (WASTE / "examples" / "invalid-fill-level-out-of-range" / "measurements.csv").read_bytes()


class PortalServer:
    """A tiny HTTP server: ``routes[path] = dict(body=, status=, delay=, headers=, chunks=, pause=)``.

    A route's key is the path with its query string (``/api/3/action/package_show?id=x``)
    or without it; ``hits`` counts the requests per path.
    """

    def __init__(self):
        self.routes: dict = {}
        self.hits: dict = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def do_GET(self):
                path = self.path
                bare = urllib.parse.urlsplit(path).path
                server.hits[bare] = server.hits.get(bare, 0) + 1
                route = server.routes.get(path) or server.routes.get(bare)
                if callable(route):
                    route = route(server.hits[bare])
                route = route or {"status": 404, "body": b"not found"}
                try:
                    if route.get("delay"):
                        time.sleep(route["delay"])
                    body = route.get("body", b"")
                    if isinstance(body, (dict, list)):
                        body = json.dumps(body).encode()
                    elif isinstance(body, str):
                        body = body.encode()
                    self.send_response(route.get("status", 200))
                    headers = {"Content-Type": route.get("content_type", "text/csv")}
                    if "chunks" not in route:
                        headers["Content-Length"] = str(len(body))
                    headers.update(route.get("headers", {}))
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    if "chunks" in route:
                        count, chunk = route["chunks"]
                        for _ in range(count):
                            self.wfile.write(chunk)
                            if route.get("pause"):  # a trickling server
                                self.wfile.flush()
                                time.sleep(route["pause"])
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def add_portal_routes(server: PortalServer) -> None:
    """Files, a data.gouv.fr dataset, CKAN packages and an Opendatasoft export."""
    b = server.base
    server.routes.update({
        "/files/measurements.csv": {"body": VALID_MEASUREMENTS},
        "/files/containers.csv": {"body": VALID_CONTAINERS},
        "/files/out-of-range-measurements.csv": {"body": OUT_OF_RANGE},
        "/files/notice.pdf": {"body": b"%PDF-1.4", "content_type": "application/pdf"},
        "/files/slow.csv": {"delay": 2.0, "body": VALID_MEASUREMENTS},
        "/files/huge.csv": {"chunks": (64, b"a,b\n" * 4096)},  # 1 MiB, no Content-Length
        "/files/declared-huge.csv": {"headers": {"Content-Length": str(10 ** 10)}, "chunks": (0, b"")},
        "/files/flaky.csv": lambda hit: {"status": 503} if hit == 1 else {"body": VALID_MEASUREMENTS},
        "/files/moved.csv": {"status": 302, "headers": {"Location": "/files/measurements.csv"}},
        "/files/loop.csv": {"status": 302, "headers": {"Location": "/files/loop.csv"}},
        "/files/to-file.csv": {"status": 302, "headers": {"Location": "file:///etc/passwd"}},
        "/api/1/datasets/mesures-remplissage/": {"content_type": "application/json", "body": {
            "id": "mesures-remplissage",
            "resources": [
                {"title": "Mesures de remplissage (measurements)", "format": "csv",
                 "url": f"{b}/files/measurements.csv",
                 "schema": {"name": "territoria/waste-fill-level", "version": "1.0.0"}},
                {"title": "Mesures 2023", "format": "csv", "url": f"{b}/files/out-of-range-measurements.csv",
                 "schema": {"name": "waste-fill-level/measurements", "version": "1.0.0"}},
                {"title": "Bornes de recharge", "format": "csv", "url": f"{b}/files/containers.csv",
                 "schema": {"name": "etalab/schema-irve-statique", "version": "2.3.1"}},
                {"title": "Notice", "format": "pdf", "url": f"{b}/files/notice.pdf"},
                {"title": "Archive supprimée", "format": "csv", "url": f"{b}/files/gone.csv"},
                {"title": "Très gros", "format": "csv", "url": f"{b}/files/huge.csv"},
                {"title": "Très lent", "format": "csv", "url": f"{b}/files/slow.csv"},
            ]}},
        "/api/1/datasets/broken/": {"content_type": "application/json", "body": b"{\"resources\": [oops"},
        "/api/1/datasets/no-resources/": {"content_type": "application/json", "body": {"id": "x"}},
        "/api/1/datasets/too-big/": {"headers": {"Content-Length": str(10 ** 9)}, "chunks": (0, b"")},
        "/api/3/action/package_show?id=conteneurs": {"content_type": "application/json", "body": {
            "success": True, "result": {"name": "conteneurs", "resources": [
                {"name": "containers.csv", "format": "CSV", "url": f"{b}/files/containers.csv"},
                {"name": "moved", "format": "CSV", "url": f"{b}/files/moved.csv"},
            ]}}},
        "/api/3/action/package_show?id=secret": {"status": 403, "content_type": "application/json",
                                                 "body": {"success": False, "error": {"message": "Access denied"}}},
        "/api/3/action/package_show?id=odd": {"content_type": "application/json",
                                              "body": {"success": False, "error": {"message": "Not found"}}},
        "/api/explore/v2.1/catalog/datasets/remplissage/exports/csv": {"body": VALID_MEASUREMENTS},
    })


def small_bounds(monkeypatch, base: str) -> None:
    """Download bounds small enough for a fast suite, and data.gouv.fr pointed at the local server."""
    monkeypatch.setenv("TERRITORIA_TIMEOUT", "0.5")
    monkeypatch.setenv("TERRITORIA_RETRIES", "1")
    monkeypatch.setenv("TERRITORIA_MAX_BYTES", "200000")
    monkeypatch.setenv("TERRITORIA_TOTAL_TIMEOUT", "20")
    monkeypatch.setenv("TERRITORIA_DATAGOUV_URL", base)


@pytest.fixture(scope="module")
def portal_server():
    instance = PortalServer()
    yield instance
    instance.close()


@pytest.fixture
def server(portal_server, monkeypatch):
    portal_server.routes.clear()
    portal_server.hits.clear()
    add_portal_routes(portal_server)
    small_bounds(monkeypatch, portal_server.base)
    return portal_server


def collect_targets(paths, urls, datasets, schema, root):
    plan = collect(paths, urls, datasets, schema, root=root)
    return plan.targets, plan.skipped


def _by_place(report):
    return {task.place.rsplit("/", 1)[-1].split("?")[0]: task for task in report.tasks}


# --- references --------------------------------------------------------------

def test_reference_syntax(monkeypatch):
    monkeypatch.delenv("TERRITORIA_DATAGOUV_URL", raising=False)
    assert portals.parse_reference("datagouv:mesures") == ("datagouv", "https://www.data.gouv.fr", "mesures")
    assert portals.parse_reference("datagouv:http://127.0.0.1:9/#abc") == ("datagouv", "http://127.0.0.1:9", "abc")
    assert portals.parse_reference("https://www.data.gouv.fr/fr/datasets/mesures-2024/") == (
        "datagouv", "https://www.data.gouv.fr", "mesures-2024")
    assert portals.parse_reference("ckan:https://ckan.example.org#pkg") == ("ckan", "https://ckan.example.org", "pkg")
    assert portals.parse_reference("ods:https://data.example.org/#ds") == ("ods", "https://data.example.org", "ds")
    monkeypatch.setenv("TERRITORIA_DATAGOUV_URL", "http://127.0.0.1:1/")
    assert portals.parse_reference("datagouv:x")[1] == "http://127.0.0.1:1"
    for bad in ("ckan:pkg", "ods:#x", "ftp://x/y", "mesures", "ckan:notaurl#x", "datagouv:"):
        with pytest.raises(portals.PortalProblem):
            portals.parse_reference(bad)


def test_declared_schemas_map_to_the_catalogue():
    ref, warning = portals.declared_schema({"name": "territoria/waste-fill-level", "version": "1.0.0"},
                                           ["Mesures de remplissage", "http://x/measurements.csv"])
    assert ref == "waste-fill-level/measurements@1.0.0" and warning is None
    ref, warning = portals.declared_schema({"name": "waste-fill-level/containers"}, ["x"])
    assert ref == "waste-fill-level/containers" and warning is None
    ref, warning = portals.declared_schema({"name": "etalab/schema-irve-statique", "version": "2.3.1"}, ["x"])
    assert ref is None and "schema-irve-statique@2.3.1" in warning["message_en"]
    assert "pas dans le catalogue" in warning["message_fr"]
    ref, warning = portals.declared_schema({"name": "waste-fill-level", "version": "9.9.9"}, ["measurements"])
    assert ref is None and "no such version" in warning["message_en"]
    ref, warning = portals.declared_schema({"name": "waste-fill-level"}, ["unrelated.csv"])
    assert ref is None and "several tables" in warning["message_en"]


def test_tabular_formats():
    assert portals.tabular_format("CSV", "http://x/a") == "csv"
    assert portals.tabular_format("xlsx", "http://x/a") == "xlsx"
    assert portals.tabular_format("pdf", "http://x/a.csv") is None
    assert portals.tabular_format("", "http://x/a.ods?download=1") == "ods"
    assert portals.tabular_format("", "http://x/a") is None


# --- URLs ---------------------------------------------------------------------

def test_urls_are_validated_and_failures_stay_per_file(server):
    urls = [server.url(p) for p in ("/files/measurements.csv", "/files/gone.csv", "/files/huge.csv",
                                    "/files/declared-huge.csv", "/files/slow.csv", "/files/flaky.csv",
                                    "/files/moved.csv", "/files/loop.csv", "/files/to-file.csv")]
    started = time.monotonic()
    targets, skipped = collect_targets([], urls + ["not-a-url"], [], "waste-fill-level/measurements@1.0.0", ".")
    report = run_targets(targets)
    assert time.monotonic() - started < 12
    tasks = _by_place(report)
    assert tasks["measurements.csv"].valid and tasks["measurements.csv"].rows == 14
    assert "HTTP 404" in tasks["gone.csv"].errors[0]["note"]
    assert "larger than 200000 bytes" in tasks["huge.csv"].errors[0]["note"]
    assert "larger than" in tasks["declared-huge.csv"].errors[0]["note"]
    assert tasks["slow.csv"].could_not_run and "timed out" in tasks["slow.csv"].errors[0]["note"]
    assert server.hits["/files/slow.csv"] == 2  # one retry
    assert tasks["flaky.csv"].valid and server.hits["/files/flaky.csv"] == 2  # a 503 is retried
    assert tasks["moved.csv"].valid  # redirects are followed
    assert tasks["loop.csv"].could_not_run
    assert tasks["to-file.csv"].could_not_run and "file:" in tasks["to-file.csv"].errors[0]["note"]
    assert tasks["not-a-url"].could_not_run
    assert skipped == []


def test_redirect_cap(server, monkeypatch):
    for i in range(4):
        server.routes[f"/files/hop{i}.csv"] = {"status": 302, "headers": {"Location": f"/files/hop{i + 1}.csv"}}
    server.routes["/files/hop4.csv"] = {"body": VALID_MEASUREMENTS}
    monkeypatch.setenv("TERRITORIA_MAX_REDIRECTS", "2")
    assert run_targets(collect_targets([], [server.url("/files/hop0.csv")], [], None, ".")[0]).could_not_run
    monkeypatch.setenv("TERRITORIA_MAX_REDIRECTS", "5")
    assert not run_targets(collect_targets([], [server.url("/files/hop0.csv")], [], None, ".")[0]).could_not_run


# --- portals ------------------------------------------------------------------

def test_datagouv_dataset(server):
    targets, skipped = collect_targets([], [], ["datagouv:mesures-remplissage"], None, ".")
    assert [s.title for s in skipped] == ["Notice"]
    report = run_targets(targets)
    tasks = _by_place(report)
    assert len(tasks) == 6
    good = tasks["measurements.csv"]
    assert good.valid and good.schema == "measurements" and good.name == "Mesures de remplissage (measurements)"
    bad = tasks["out-of-range-measurements.csv"]
    assert not bad.valid and not bad.could_not_run and bad.counts_by_type == {"constraint-error": 1}
    unknown = tasks["containers.csv"]
    assert unknown.valid  # structure only
    messages = [w["message_en"] for w in unknown.warnings]
    assert any("etalab/schema-irve-statique@2.3.1" in m and "not in the Territoria catalogue" in m for m in messages)
    assert tasks["gone.csv"].could_not_run and "404" in tasks["gone.csv"].errors[0]["note"]
    assert tasks["huge.csv"].could_not_run and tasks["slow.csv"].could_not_run


def test_user_schema_wins_but_the_declared_one_is_still_reported(server):
    targets, _ = collect_targets([], [], ["datagouv:mesures-remplissage"], "waste-fill-level", ".")
    by_url = {t.source.rsplit("/", 1)[-1]: t for t in targets}
    assert by_url["measurements.csv"].schema == "waste-fill-level/measurements"
    assert by_url["containers.csv"].schema == "waste-fill-level/containers"
    assert by_url["containers.csv"].warnings  # the portal's own declaration is still mentioned


@pytest.mark.parametrize("reference, words", [
    ("datagouv:broken", "not valid JSON"),
    ("datagouv:missing", "HTTP 404"),
    ("datagouv:no-resources", "no list of resources"),
    ("datagouv:too-big", "larger than"),
    ("ckan:{base}#secret", "HTTP 403"),
    ("ckan:{base}#odd", "package_show failed: Not found"),
    ("ods:{base}#unknown", "HTTP 404"),
    ("nonsense:thing", "not a dataset reference"),
])
def test_portal_failures_are_reported_per_dataset(server, reference, words):
    reference = reference.format(base=server.base)
    targets, _ = collect_targets([], [], [reference, f"ckan:{server.base}#conteneurs"], None, ".")
    report = run_targets(targets)
    failed = [t for t in report.tasks if t.could_not_run]
    assert len(failed) == 1 and words in failed[0].errors[0]["note"], failed[0].errors if failed else report.tasks
    assert sum(1 for t in report.tasks if t.valid) == 2  # the CKAN dataset after it still ran


def test_ckan_and_opendatasoft(server):
    targets, _ = collect_targets([], [], [f"ckan:{server.base}#conteneurs", f"ods:{server.base}/#remplissage"],
                                 None, ".")
    report = run_targets(targets)
    assert [t.valid for t in report.tasks] == [True, True, True]
    ods = report.tasks[2]
    assert ods.name == "remplissage" and ods.rows == 14 and ods.format == "csv"
    assert "exports/csv" in ods.place


def test_cli_dataset_and_url_options(server, capsys, tmp_path):
    out = tmp_path / "report.json"
    code = cli_main(["validate", "--dataset", f"ods:{server.base}#remplissage", "--url",
                     server.url("/files/out-of-range-measurements.csv"), "--schema",
                     "waste-fill-level/measurements@1.0.0", "--format", "json", "--output", str(out),
                     "--no-progress"])
    assert code == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [t["valid"] for t in data["tasks"]] == [False, True]
    assert capsys.readouterr().out == ""
