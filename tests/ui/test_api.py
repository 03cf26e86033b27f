"""The local page's API without a browser: the CLI's verdicts, the repaired copy, the limits and the guards.

Each test talks to a real server on 127.0.0.1 (a free port, started by the
fixture) through a plain HTTP client, as a script or a hostile page would.
"""
from __future__ import annotations

import http.server
import io
import json
import os
import re
import threading
import tomllib
import zipfile
from pathlib import Path

import pytest
from conftest import REPO
from ui_client import get, needs_the_extra, post, request, server, small_server  # noqa: F401 (fixtures)

needs_the_extra()

import territoria  # noqa: E402

EXAMPLES = REPO / "schemas" / "street-lighting" / "2.1.0" / "examples"
BAD_TIME = EXAMPLES / "invalid-bad-time" / "light_points.csv"
UI = REPO / "validator" / "territoria" / "ui"


def errors_of(report: dict) -> list:
    return [(t["name"], e["type"], e.get("rowNumber"), e.get("fieldName"))
            for t in report["tasks"] for e in t["errors"]]


def leftovers(server) -> list:
    return [str(p) for p in Path(server.root).rglob("*")]


# -- the same verdicts as the command line -------------------------------------------------


def test_a_catalogue_example_gets_the_cli_verdict(server):
    answer = post(server.url, "/api/validate", [("light_points.csv", BAD_TIME)],
                  {"schema": "street-lighting/light_points", "lang": "fr"})
    assert answer.status == 200 and answer.headers["content-type"] == "application/json"
    report = answer.json()
    cli = territoria.validate(str(BAD_TIME), "street-lighting/light_points").to_dict("fr")
    assert report["valid"] is False and errors_of(report) == errors_of(cli) == [
        ("light_points", "type-error", 7, "switch_off_start")]
    [task] = report["tasks"]
    assert task["place"] == "light_points.csv", "the name the user sent, never the server's folder"
    assert task["errors"][0]["message"] == cli["tasks"][0]["errors"][0]["message"]
    assert task["errors"][0]["message"].startswith("Ligne 7, colonne « switch_off_start »")
    assert task["territoria"]["errorCountsByType"] == {"type-error": 1}
    assert server.root not in answer.text
    assert leftovers(server) == [], "the upload is deleted once its report is done"


def test_every_invalid_example_of_a_version_gets_the_cli_verdict(server):
    for folder in sorted(EXAMPLES.glob("invalid-*")):
        files = sorted(p for p in folder.glob("*.csv"))
        answer = post(server.url, "/api/validate", [(p.name, p) for p in files], {"schema": "street-lighting@2.1.0"})
        cli = territoria.validate([str(p) for p in files], "street-lighting@2.1.0").to_dict()
        assert sorted(errors_of(answer.json())) == sorted(errors_of(cli)), folder.name
        assert answer.json()["valid"] is False, folder.name


def test_a_valid_package_sent_as_its_files(server):
    files = sorted((EXAMPLES / "valid").glob("*.csv"))
    report = post(server.url, "/api/validate", [(p.name, p) for p in files], {"schema": "street-lighting"}).json()
    assert report["valid"] is True and len(report["tasks"]) == len(files)
    assert {t["place"] for t in report["tasks"]} == {p.name for p in files}


def test_the_english_report_and_no_schema(server):
    report = post(server.url, "/api/validate", [("a.csv", b"a,b\n1,2\n3\n")], {"lang": "en"}).json()
    [error] = report["tasks"][0]["errors"]
    assert error["type"] == "missing-cell" and error["message"] == error["message_en"]


def test_a_schema_given_as_json_text(server):
    schema = json.dumps({"fields": [{"name": "n", "type": "integer", "constraints": {"maximum": 5}}]})
    report = post(server.url, "/api/validate", [("n.csv", b"n\n3\n9\n")], {"schema": schema}).json()
    assert errors_of(report) == [("n", "constraint-error", 3, "n")]


def _zipped(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


PACKAGE = {"name": "p", "resources": [{"name": "mesures", "path": "data/mesures.csv",
                                       "schema": {"fields": [{"name": "v", "type": "number"}]}}]}


def test_a_zip_of_a_data_package(server):
    archive = _zipped({"paquet/datapackage.json": json.dumps(PACKAGE), "paquet/data/mesures.csv": "v\n1.5\nabc\n"})
    report = post(server.url, "/api/validate", [("paquet.zip", archive)]).json()
    assert errors_of(report) == [("mesures", "type-error", 3, "v")]
    assert report["tasks"][0]["place"] == "paquet.zip/paquet/data/mesures.csv"
    assert leftovers(server) == []


def test_a_zip_member_cannot_leave_the_folder(server, tmp_path):
    archive = _zipped({"datapackage.json": json.dumps(PACKAGE), "../../../evil.csv": "x\n"})
    report = post(server.url, "/api/validate", [("paquet.zip", archive)]).json()
    [task] = report["tasks"]
    assert task["errors"][0]["type"] == "path-refused" and "leads outside the archive" in task["errors"][0]["note"]
    assert not list(Path(server.root).parent.glob("evil.csv")) and leftovers(server) == []


def test_a_zip_bomb_is_refused(server):
    archive = _zipped({"datapackage.json": json.dumps(PACKAGE), "data/mesures.csv": "1\n" * 40_000_000})
    assert len(archive) < 200_000
    report = post(server.url, "/api/validate", [("bomb.zip", archive)]).json()
    assert report["tasks"][0]["errors"][0]["type"] == "source-too-large"
    assert leftovers(server) == []


@pytest.mark.parametrize("path", ["/etc/passwd", "../../../../etc/passwd"])
def test_an_uploaded_package_cannot_read_a_local_file(server, path):
    package = {"resources": [{"name": "secret", "path": path, "schema": {"fields": [{"name": "root"}]}}]}
    report = post(server.url, "/api/validate", [("datapackage.json", json.dumps(package).encode())]).json()
    [task] = report["tasks"]
    assert task["errors"][0]["type"] == "path-refused" and "root:" not in json.dumps(report)


def test_an_uploaded_schema_cannot_make_a_check_read_a_local_file(server):
    for extents in ("/etc/passwd", "../../../../../etc/passwd"):
        schema = {"fields": [{"name": "code"}, {"name": "latitude", "type": "number"},
                             {"name": "longitude", "type": "number"}],
                  "custom_checks": [{"name": "coordinates-in-commune", "params": {
                      "latitude": "latitude", "longitude": "longitude", "commune": "code", "commune_extents": extents}}]}
        report = post(server.url, "/api/validate", [("a.csv", b"code,latitude,longitude\n38185,45.1,5.7\n")],
                      {"schema": json.dumps(schema)}).json()
        [error] = report["tasks"][0]["errors"]
        assert error["type"] == "path-refused" and "outside the descriptor's folder" in error["note"], error
        assert "root:" not in json.dumps(report) and server.root not in json.dumps(report)


@pytest.mark.parametrize("schema", ["/etc/passwd", "https://example.org/schema.json", "../x.json"])
def test_the_schema_field_is_never_a_path_or_an_address(server, schema):
    answer = post(server.url, "/api/validate", [("a.csv", b"a\n1\n")], {"schema": schema})
    assert answer.status == 400
    [task] = answer.json()["tasks"]
    assert task["errors"][0]["type"] == "upload-refused"
    assert task["errors"][0]["message_fr"].startswith("L'envoi a été refusé : le schéma doit être un nom du catalogue")


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):  # noqa: N802
        _Counting.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"a\n1\n")

    def log_message(self, *args):
        pass


def test_nothing_is_fetched_for_an_uploaded_package(server):
    """Not even from this very machine: the page's runs are offline."""
    listener = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{listener.server_address[1]}/far.csv"
        package = {"resources": [{"name": "far", "path": url, "schema": {"fields": [{"name": "a"}]}}]}
        report = post(server.url, "/api/validate", [("datapackage.json", json.dumps(package).encode())]).json()
    finally:
        listener.shutdown()
        listener.server_close()
    [task] = report["tasks"]
    assert task["errors"][0]["type"] == "network-refused" and _Counting.hits == []


# -- progress, stored reports ---------------------------------------------------------------


def test_the_page_gets_progress_then_the_summary_and_the_fragment(server):
    rows = "".join(f"{n},{n / 10}\n" for n in range(60_000))
    answer = post(server.url, "/api/validate", [("big.csv", f"id,v\n{rows}".encode())],
                  {"schema": json.dumps({"fields": [{"name": "id", "type": "integer"}, {"name": "v", "type": "number"}]}),
                   "lang": "fr"}, headers={"Accept": "application/x-ndjson"})
    assert answer.headers["content-type"].startswith("application/x-ndjson")
    lines = answer.lines()
    assert lines[0]["type"] == "progress" and lines[0]["estimate"] == pytest.approx(60_000, rel=0.05)
    done = lines[-1]
    assert done["type"] == "done" and done["valid"] is True and done["status"] == "valid" and done["rows"] == 60_000
    assert "Tous les fichiers sont valides." in done["fragment"] and "<html" not in done["fragment"]
    html = get(server.url, f"/api/reports/{done['token']}?format=html&lang=en")
    assert html.status == 200 and html.text.startswith("<!DOCTYPE html>") and "All files are valid." in html.text
    assert html.headers["content-disposition"] == 'attachment; filename="territoria-report.html"'
    stored = get(server.url, f"/api/reports/{done['token']}?format=json&lang=fr").json()
    assert stored["valid"] is True and stored["tasks"][0]["stats"]["rows"] == 60_000
    assert get(server.url, "/api/reports/no-such-token").status == 404


def test_the_fragment_is_the_html_reports_own(server):
    answer = post(server.url, "/api/validate", [("light_points.csv", BAD_TIME)],
                  {"schema": "street-lighting/light_points"}, headers={"Accept": "application/x-ndjson"})
    done = answer.lines()[-1]
    assert done["repairable"] is True and done["status"] == "invalid"
    page = get(server.url, f"/api/reports/{done['token']}?format=html&lang=fr").text
    for piece in ("Erreurs par type", "Erreurs par colonne", "switch_off_start", "l&#x27;heure s&#x27;écrit",
                  "Ce fichier peut être réparé"):
        assert piece in done["fragment"] and piece in page, piece
    assert "territoria fix" in page and "territoria fix" not in done["fragment"], \
        "the page points at its own button, the file at the command"


# -- the repaired copy ---------------------------------------------------------------------


def test_the_repaired_copy_and_its_log(server, tmp_path):
    answer = post(server.url, "/api/fix", [("light_points.csv", BAD_TIME)],
                  {"schema": "street-lighting/light_points", "lang": "fr"})
    assert answer.status == 200 and answer.headers["content-type"] == "application/zip"
    assert answer.headers["content-disposition"] == 'attachment; filename="light_points-fixed.zip"'
    summary = json.loads(answer.headers["x-territoria-fix"])
    assert summary["valid"] is True and summary["files"][0]["changes"] == {"french-time": 1}
    with zipfile.ZipFile(io.BytesIO(answer.body)) as archive:
        assert sorted(archive.namelist()) == ["light_points-changes.csv", "light_points-fixed.csv",
                                              "report.html", "report.json"]
        archive.extractall(tmp_path)
    assert (tmp_path / "light_points-changes.csv").read_text().splitlines() == [
        "row,field,before,after,rule", "7,switch_off_start,0h30,00:30:00,french-time"]
    assert territoria.validate(str(tmp_path / "light_points-fixed.csv"), "street-lighting/light_points").valid
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["valid"] is True and server.root not in (tmp_path / "report.json").read_text()
    assert leftovers(server) == []


def test_a_repair_needs_a_schema_and_table_files(server):
    answer = post(server.url, "/api/fix", [("light_points.csv", BAD_TIME)])
    assert answer.status == 400 and answer.json()["tasks"][0]["errors"][0]["note"] == "the repair needs a schema"
    answer = post(server.url, "/api/fix", [("datapackage.json", json.dumps(PACKAGE).encode())], {"schema": "street-lighting"})
    assert answer.status == 400 and "not a data package" in answer.json()["tasks"][0]["errors"][0]["note"]
    answer = post(server.url, "/api/fix", [("x.csv", b"a\n1\n")], {"schema": "no-such-entry"})
    assert answer.status == 422 and answer.json()["tasks"][0]["errors"][0]["type"] == "schema-error"
    assert leftovers(server) == []


# -- the schema a header suggests ----------------------------------------------------------


def test_a_header_suggests_its_catalogue_table(server):
    assert post(server.url, "/api/match", [("export.csv", BAD_TIME)]).json() == {
        "schema": "street-lighting/light_points", "tables": {"export.csv": "street-lighting/light_points"}}
    files = [(p.name, p) for p in sorted((EXAMPLES / "valid").glob("*.csv"))[:2]]
    assert post(server.url, "/api/match", files).json()["schema"] == "street-lighting"
    assert post(server.url, "/api/match", [("a.csv", b"foo,bar\n1,2\n")]).json() == {"schema": None, "tables": {}}


def test_french_column_titles_are_recognised(server):
    from territoria.schema.catalogue import resolve

    fields = resolve("waste-fill-level/measurements").table().fields
    header = ",".join(f.descriptor.get("title") or f.name for f in fields)
    answer = post(server.url, "/api/match", [("mesures.csv", (header + "\n").encode())]).json()
    assert answer["schema"] == "waste-fill-level/measurements"


# -- limits ----------------------------------------------------------------------------------


def test_an_upload_over_the_limit_is_refused_with_a_clear_message(small_server):
    big = b"a\n" + b"1\n" * 600_000
    for chunked in (False, True):
        answer = post(small_server.url, "/api/validate", [("big.csv", big)], chunked=chunked)
        assert answer.status == 413, chunked
        [task] = answer.json()["tasks"]
        error = task["errors"][0]
        assert error["type"] == "upload-too-large"
        assert error["message_fr"] == "L'envoi n'a pas été lu : les fichiers envoyés dépassent 1 Mio, la limite de la page"
        assert error["message_en"] == "The upload was not read: the files sent are larger than 1 MiB, the page's limit"
        assert "--max-upload-mb" in error["hint_fr"]
    assert leftovers(small_server) == []


def test_malformed_requests_are_refused_in_one_line(server):
    cases = [
        (post(server.url, "/api/validate", []), "no file was sent"),
        (post(server.url, "/api/validate", [(f"f{n}.csv", b"a\n") for n in range(51)]),
         "more than 50 files were sent at once"),
        (post(server.url, "/api/validate", [("a.csv", b"a\n")], {"schema": "{" + " " * (9 << 20) + "}"}),
         "the field 'schema' is larger than 8192 KiB"),
        (request(server.url, "POST", "/api/validate", body=b"a=1",
                 headers={"Content-Type": "application/x-www-form-urlencoded"}), "the form is not multipart/form-data"),
        (request(server.url, "POST", "/api/validate", body=b"--x\r\nnonsense",
                 headers={"Content-Type": "multipart/form-data; boundary=y"}), None),
    ]
    for answer, note in cases:
        assert answer.status == 400, note
        [task] = answer.json()["tasks"]
        assert task["errors"][0]["type"] == "upload-refused"
        if note:
            assert task["errors"][0]["note"] == note
            assert "\n" not in task["errors"][0]["message_fr"] and task["errors"][0]["message_fr"] != task["errors"][0]["message_en"]
    assert leftovers(server) == []


def test_file_names_are_made_harmless(server):
    names = ["../../etc/cron.d/x.csv", "C:\\Users\\Me\\export.csv", ".hidden.csv", "\u202eevil.csv", "a.csv", "a.csv"]
    report = post(server.url, "/api/validate", [(name, b"a\n1\n") for name in names]).json()
    assert [t["place"] for t in report["tasks"]] == ["x.csv", "export.csv", "hidden.csv", "evil.csv", "a.csv",
                                                     "a (2).csv"]


# -- nothing leaves the machine ------------------------------------------------------------


def _served_assets(server) -> dict:
    assets = {"/": get(server.url, "/"), "/?lang=en": get(server.url, "/?lang=en"),
              "/static/report.css": get(server.url, "/static/report.css")}
    for path in sorted((UI / "static").iterdir()):
        assets[f"/static/{path.name}"] = get(server.url, f"/static/{path.name}")
    return assets


def test_every_answer_has_the_content_security_policy(server):
    answers = dict(_served_assets(server))
    answers["catalogue"] = get(server.url, "/api/catalogue")
    answers["validate"] = post(server.url, "/api/validate", [("a.csv", b"a\n1\n")])
    answers["refused"] = post(server.url, "/api/validate", [])
    answers["missing"] = get(server.url, "/static/nothing.js")
    for what, answer in answers.items():
        policy = answer.headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy.split(";")[0], what
        assert answer.headers.get("x-content-type-options") == "nosniff", what
        assert answer.headers.get("referrer-policy") == "no-referrer", what


def test_no_served_asset_names_another_host(server):
    for path, answer in _served_assets(server).items():
        assert answer.status == 200, path
        text = answer.text.replace('xmlns="http://www.w3.org/2000/svg"', "")  # a name, never fetched
        assert not re.search(r"https?:|//[a-z0-9.-]+\.[a-z]{2,}|@import", text, re.I), path
        assert "url(" not in text and "fetch(\"http" not in text, path
        for reference in re.findall(r'(?:src|href)="([^"]*)"', text):
            assert reference.startswith(("/", "#")) and not reference.startswith("//"), (path, reference)
    page = get(server.url, "/").text
    assert '<script src="/static/page.js"' in page and "<style" not in page and " style=" not in page
    assert not re.search(r"<script(?![^>]*(src=|application/json))", page), "no inline script"


def test_the_page_is_french_by_default_with_english_beside(server):
    from territoria.ui import words

    french, english = get(server.url, "/").text, get(server.url, "/?lang=en").text
    assert '<html lang="fr">' in french and ">Valider</button>" in french and "Déposez les fichiers ici" in french
    assert '<html lang="en">' in english and ">Validate</button>" in english
    for key, (fr, en) in words.WORDS.items():
        assert fr.strip() and en.strip() and fr != en or key in ("version_label",), key
    assert "{{" not in french and "{{" not in english


def test_foreign_hosts_and_origins_are_refused(server):
    assert get(server.url, "/", headers={"Host": "attacker.example"}).status == 421
    own = server.url.split("//")[1].rstrip("/")
    assert get(server.url, "/", headers={"Host": f"localhost:{own.rsplit(':', 1)[1]}"}).status == 200
    for headers in ({"Origin": "https://attacker.example"}, {"Sec-Fetch-Site": "cross-site"}):
        answer = post(server.url, "/api/validate", [("a.csv", b"a\n1\n")], headers=headers)
        assert answer.status == 403, headers
    assert post(server.url, "/api/validate", [("a.csv", b"a\n1\n")], headers={"Origin": f"http://{own}"}).status == 200


# -- packaging and the command -----------------------------------------------------------------


def test_the_wheel_ships_the_page(tmp_path):
    """Every file of the page is package data (pyproject's patterns), so a wheel holds it."""
    import fnmatch

    data = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["territoria"]
    package = REPO / "validator" / "territoria"
    needed = [str(p.relative_to(package)) for p in (UI / "static").iterdir()] + ["ui/page.html"]
    for name in needed:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in data), name
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    extra = " ".join(project["optional-dependencies"]["ui"])
    assert all(name in extra for name in ("starlette", "uvicorn", "python-multipart"))


def test_the_other_commands_never_import_the_server():
    import subprocess
    import sys

    code = ("import sys, territoria.cli as c; c.main(['validate', '--help']); c.main(['ui', '--help']); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('starlette', 'uvicorn', 'python_multipart')"
            " or m.startswith('territoria.ui')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(REPO / "validator")), timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr


def test_a_package_sent_with_its_files_validates_them_once(server):
    package = {"resources": [{"name": "mesures", "path": "mesures.csv",
                              "schema": {"fields": [{"name": "v", "type": "number"}]}}]}
    report = post(server.url, "/api/validate", [("datapackage.json", json.dumps(package).encode()),
                                                ("mesures.csv", b"v\n1.5\nabc\n"), ("other.csv", b"a\n1\n")]).json()
    assert sorted(t["place"] for t in report["tasks"]) == ["mesures.csv", "other.csv"]
    assert errors_of(report) == [("mesures", "type-error", 3, "v")]
