"""``territoria audit`` end to end, against a udata-like portal on 127.0.0.1 serving the catalogue's examples.

Some 460 resources: every example CSV of the catalogue (valid and invalid), each
declaring its entry and version, plus a 404, a PDF, a file that stalls, a
validation that never ends, answers that fail once (503, 429 with Retry-After),
and a listing naming a local file. The expected status of each example is what
``territoria.validate`` says of the same file with the same schema; the audit
must agree, with local workers and on a Dask cluster, and a second run must
fetch again only what changed.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fake_portal import FakePortal, File, catalogue_portal  # noqa: E402

import territoria  # noqa: E402
from territoria.audit.work import status_of  # noqa: E402
from territoria.cli import main  # noqa: E402

TIME_LIMIT = "3"
MOBILITY = (Path(__file__).resolve().parents[2] / "schemas" / "mobility-counts" / "3.1.0" / "examples" / "valid")
SLOW_SCHEMA = {"fields": [{"name": "code", "type": "string", "constraints": {"pattern": "(?=a)(a|a)+b"}}]}


def extras(portal: FakePortal) -> dict:
    """The misbehaving resources, all declaring mobility-counts; returns url -> expected status."""
    site = (MOBILITY / "site.csv").read_bytes()
    portal.files.update({
        "/extras/stall.csv": File(site, stall=True),
        "/extras/flaky-site.csv": File(site, failures=[503]),
        "/extras/busy-site.csv": File(site, failures=[429], headers={"Retry-After": "1"}),
        "/extras/bad-schema-site.csv": File(site),
        "/extras/notice.pdf": File(b"%PDF-1.4 a notice", content_type="application/pdf"),
        # distinct cells, each a pattern check that backtracks for far longer than the time limit
        "/extras/slow.csv": File(b"code\n" + b"".join(b"a" * (30 + i) + b"\n" for i in range(12))),
        "/schemas/slow.json": File(json.dumps(SLOW_SCHEMA).encode(), content_type="application/json"),
    })
    declared = {"name": "mobility-counts", "version": "3.1.0"}
    resources = [
        ("missing", "site (missing)", "/extras/missing.csv", "csv", declared, "failed"),
        ("stall", "site (stalls)", "/extras/stall.csv", "csv", declared, "failed"),
        ("flaky", "site (503 once)", "/extras/flaky-site.csv", "csv", declared, "valid"),
        ("busy", "site (429 once)", "/extras/busy-site.csv", "csv", declared, "valid"),
        ("notice", "notice", "/extras/notice.pdf", "pdf", declared, "skipped"),
        ("slow", "slow check", "/extras/slow.csv", "csv",
         {"name": "mobility-counts", "version": "9.9.9", "url": "/schemas/slow.json"}, "failed"),
        ("local", "site (local)", "file:///etc/passwd", "csv", declared, "failed"),
        ("bad-schema", "site (bad schema)", "/extras/bad-schema-site.csv", "csv",
         {"name": "mobility-counts", "version": "0.0.1", "url": "file:///etc/passwd"}, "failed"),
    ]
    dataset = {"id": "extras", "title": "Extras", "organization": None, "owner": {"first_name": "Ada",
                                                                                  "last_name": "Lovelace"},
               "resources": []}
    expected = {}
    for identifier, title, url, fmt, schema, status in resources:
        schema = dict(schema)
        if schema.get("url", "").startswith("/"):
            schema["url"] = portal.base + schema["url"]
        dataset["resources"].append({"id": identifier, "title": title, "url": url, "format": fmt, "schema": schema})
        expected[portal.base + url if url.startswith("/") else url] = (identifier, status)
    portal.datasets.append(dataset)
    return expected


@pytest.fixture(scope="module")
def portal():
    with FakePortal() as found:
        made = catalogue_portal(found)
        truth = {}  # (content, schema) -> status: the invalid sets repeat the valid set's other files
        expected = {}
        for dataset_id, resource_id, path, reference in made:
            content = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            if (content, reference) not in truth:
                truth[content, reference] = status_of(territoria.validate(path, reference).tasks[0])
            table = resource_id[len(dataset_id) + 1:]
            expected[f"{found.base}/files/{dataset_id}/{table}.csv"] = truth[content, reference]
        found.expected = expected
        found.extras = extras(found)
        yield found


def audit(capsys, *argv):
    started = time.monotonic()
    code = main(["audit", "--allow-private-network", "--time-limit", TIME_LIMIT, "--no-progress", *map(str, argv)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err, time.monotonic() - started


def rows_of(folder: Path) -> list:
    import pyarrow.parquet as parquet

    return parquet.read_table(folder / "results.parquet").to_pylist()


def check_statuses(portal, rows: list, extras_only_declaring: bool = False) -> None:
    by_url = {row["url"]: row for row in rows}
    for url, status in portal.expected.items():
        if url in by_url or not extras_only_declaring:
            assert by_url[url]["status"] == status, (url, by_url.get(url))
    for url, (identifier, status) in portal.extras.items():
        assert by_url[url]["status"] == status, (identifier, by_url[url])


@pytest.fixture(scope="module")
def local_run(portal, tmp_path_factory):
    """The whole portal, dataset by dataset, from a targets file; local workers."""
    folder = tmp_path_factory.mktemp("audit")
    targets = folder.parent / "targets.txt"
    lines = ["# every dataset of the test portal", ""] + [f"datagouv:{portal.base}#{d['id']}" for d in portal.datasets]
    targets.write_text("\n".join(lines) + "\n")
    return folder, targets


def test_every_resource_gets_its_status_with_local_workers(portal, local_run, capsys):
    folder, targets = local_run
    code, out, err, seconds = audit(capsys, "--targets", targets, "--output", folder, "--workers", 2)
    assert code == 0, err
    assert seconds < 120  # the stalled server and the endless validation cost their time limit, no more
    rows = rows_of(folder)
    assert len(rows) == len(portal.expected) + len(portal.extras)
    assert len(portal.expected) > 400
    check_statuses(portal, rows)
    statuses = [row["status"] for row in rows]
    assert statuses.count("valid") > 100 and statuses.count("invalid") > 50
    by_id = {row["resource"]: row for row in rows if row["dataset"] == "Extras"}
    assert by_id["site (stalls)"]["error_types"] == '{"time-limit": 1}'
    assert by_id["slow check"]["error_types"] == '{"time-limit": 1}'
    assert by_id["site (missing)"]["error_types"] == '{"scheme-error": 1}' and "404" in by_id["site (missing)"]["message"]
    assert by_id["site (bad schema)"]["status"] == "failed" and "http(s)" in by_id["site (bad schema)"]["message"]
    assert by_id["site (local)"]["status"] == "failed"
    assert by_id["site (503 once)"]["organization"] == "Ada Lovelace"
    assert f"{len(rows)} resources" in out and "Dashboard:" in out


def test_results_csv_reports_and_dashboard_agree(portal, local_run):
    folder, _ = local_run
    rows = rows_of(folder)
    with open(folder / "results.csv", newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert [r["status"] for r in table] == [r["status"] for r in rows]
    for name in ("dataset", "organization", "resource", "url", "schema", "schema_version", "status", "errors",
                 "warnings", "error_types", "rows", "bytes", "seconds", "checked_at", "sha256"):
        assert name in table[0], name
    invalid = next(r for r in rows if r["status"] == "invalid")
    report = json.loads((folder / invalid["report"]).read_text(encoding="utf-8"))
    assert report["valid"] is False and report["tasks"][0]["place"] == invalid["url"]
    assert report["stats"]["errors"] == invalid["errors"] > 0
    assert json.loads(invalid["error_types"]) == report["tasks"][0]["territoria"]["errorCountsByType"]
    valid = next(r for r in rows if r["status"] == "valid")
    assert json.loads((folder / valid["report"]).read_text())["valid"] is True
    assert len(valid["sha256"]) == 64 and valid["rows"] > 0 and valid["bytes"] > 0
    skipped = next(r for r in rows if r["status"] == "skipped")
    assert skipped["report"] == ""
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert page.count("<svg") >= 3 and "reports/" in page
    assert not re.search(r"<(script|link|img|iframe)\b", page, re.I)
    assert not re.search(r"\bsrc\s*=", page, re.I)
    links = re.findall(r'<a href="([^"]+)"', page)
    assert links and all(link.startswith(("reports/", portal.base)) for link in links)
    assert "file:///etc/passwd" not in links


def test_a_second_run_checks_again_only_what_changed(portal, local_run, capsys):
    folder, targets = local_run
    first = {row["key"]: row for row in rows_of(folder)}
    broken = f"/files/waste-fill-level-1.0.0-valid/measurements.csv"
    portal.files[broken] = File(portal.files[broken].body.replace(b"\n", b"\nnot,a,row\n", 1))
    ignores = "/files/waste-fill-level-1.0.0-valid/containers.csv"  # answers 200 to conditional requests
    portal.files[ignores] = File(portal.files[ignores].body, conditional=False)
    before = portal.not_modified
    code, out, err, _ = audit(capsys, "--targets", targets, "--output", folder, "--fail-on", "invalid")
    assert code == 1  # --fail-on invalid, and there are invalid files
    rows = rows_of(folder)
    again = {row["url"].replace(portal.base, ""): row for row in rows if row["revalidated"]}
    failed = {url.replace(portal.base, "") for url, (_, status) in portal.extras.items() if status == "failed"}
    assert set(again) == {broken} | failed
    assert again[broken]["status"] == "invalid" and first[again[broken]["key"]]["status"] == "valid"
    skipped = sum(1 for row in rows if row["status"] == "skipped")
    # every other file answered 304, but the one that ignores conditional requests (same SHA-256: unchanged)
    assert portal.not_modified - before == len(rows) - skipped - len(failed) - 2
    kept = [row for row in rows if not row["revalidated"] and row["status"] != "skipped"]
    assert all(row["checked_at"] == first[row["key"]]["checked_at"] for row in kept)
    assert all(row["status"] == first[row["key"]]["status"] for row in kept)
    import pyarrow.parquet as parquet

    history = parquet.read_table(folder / "history.parquet").to_pylist()
    assert len({line["run_at"] for line in history}) == 2
    last = max(line["run_at"] for line in history)
    assert sum(line["revalidated"] for line in history if line["run_at"] == last) == len(again)
    assert "From one audit to the next" in (folder / "index.html").read_text(encoding="utf-8")
    portal.files[broken] = File(portal.files[broken].body.replace(b"\nnot,a,row\n", b"\n", 1))
    portal.files[ignores].conditional = True


def test_the_same_audit_on_a_dask_cluster(portal, tmp_path, capsys):
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=50) as cluster:
        code, out, err, seconds = audit(capsys, "--portal", f"datagouv:{portal.base}", "--declared-schema",
                                        "mobility-counts", "--output", tmp_path, "--scheduler",
                                        cluster.scheduler_address, "--lang", "fr")
        assert code == 0, err
        assert any("territoria" in name for name in cluster.scheduler.task_prefixes)
    rows = rows_of(tmp_path)
    mobility = [url for url in portal.expected if "/files/mobility-counts-" in url]
    assert len(rows) == len(mobility) + len(portal.extras)
    check_statuses(portal, rows, extras_only_declaring=True)
    assert "ressources" in out and "Tableau de bord" in out
    assert "Audit Territoria" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_a_package_and_local_files_from_the_standard_input(tmp_path, capsys, monkeypatch):
    import io

    valid = Path(__file__).resolve().parents[2] / "schemas" / "waste-fill-level" / "1.0.0" / "examples"
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{valid / 'valid' / 'datapackage.json'}\n"
                                                  f"{valid / 'invalid-fill-level-out-of-range' / 'measurements.csv'}\n"))
    code, out, err, _ = audit(capsys, "--targets", "-", "--output", tmp_path, "--workers", 1,
                              "--schema", "waste-fill-level@1.0.0")
    assert code == 0, err
    rows = rows_of(tmp_path)
    package = [row for row in rows if "#" in row["key"]]
    assert sorted(row["resource"] for row in package) == ["containers", "emptyings", "measurements"]
    assert all(row["status"] == "valid" for row in package) and len({row["report"] for row in package}) == 1
    [single] = [row for row in rows if "#" not in row["key"]]
    assert single["status"] == "invalid" and json.loads(single["error_types"]) == {"constraint-error": 1}
    assert single["schema"] == "waste-fill-level/measurements" and single["schema_version"] == "1.0.0"
