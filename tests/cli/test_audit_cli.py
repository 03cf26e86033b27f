"""``territoria audit`` on the command line: what it refuses (one line, exit 2, in French too), its progress
line, and the default network policy applied to a listing."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "audit"))
from fake_portal import FakePortal, File  # noqa: E402

from territoria.cli import main  # noqa: E402
from territoria.cli.progress import AuditProgress  # noqa: E402

VALID = Path(__file__).resolve().parents[2] / "schemas" / "waste-fill-level" / "1.0.0" / "examples" / "valid"


def run(capsys, *argv):
    code = main(["audit", "--no-progress", *map(str, argv)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture(autouse=True)
def no_opt_in(monkeypatch):
    monkeypatch.delenv("TERRITORIA_ALLOW_PRIVATE_NETWORK", raising=False)


@pytest.mark.parametrize("argv, english, french", [
    (["--output", "{tmp}/out"], "give --targets FILE", "indiquez --targets FICHIER"),
    (["--portal", "datagouv:https://example.org", "--output", "{tmp}/out"], "go together", "vont ensemble"),
    (["--targets", "{tmp}/missing.txt", "--output", "{tmp}/out"], "cannot be read", "illisible"),
    (["--targets", "{tmp}/empty.txt", "--output", "{tmp}/out"], "nothing to check", "rien à vérifier"),
    (["--targets", "{tmp}/empty.txt", "--output", "{tmp}/empty.txt"], "is a file, not a folder", "pas un dossier"),
    (["--targets", "{tmp}/empty.txt", "--output", "{tmp}/out", "--time-limit", "0"], "more than 0", "dépasser 0"),
    (["--targets", "{tmp}/empty.txt", "--output", "{tmp}/out", "--workers", "-1"], "at least 0", "au moins 0"),
    (["--portal", "ckan:https://example.org", "--declared-schema", "x", "--output", "{tmp}/out"],
     "not a udata portal", "pas un portail udata"),
])
def test_what_the_audit_refuses(tmp_path, capsys, argv, english, french):
    (tmp_path / "empty.txt").write_text("# nothing yet\n")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    for lang, words in (("en", english), ("fr", french)):
        code, out, err = run(capsys, *argv, "--lang", lang)
        assert code == 2 and words in err and len(err.strip().splitlines()) == 1, (lang, err)


def test_a_scheduler_that_does_not_answer(tmp_path, capsys, monkeypatch):
    pytest.importorskip("distributed")
    from territoria.audit.workers import DaskWorkers

    monkeypatch.setattr(DaskWorkers, "CONNECT_TIMEOUT", 1)
    (tmp_path / "t.txt").write_text(f"{VALID / 'measurements.csv'}\n")
    for lang, words in (("en", "cannot reach the Dask scheduler"), ("fr", "l'ordonnanceur Dask ne répond pas")):
        code, out, err = run(capsys, "--targets", tmp_path / "t.txt", "--output", tmp_path / "out",
                             "--scheduler", "tcp://127.0.0.1:9", "--lang", lang)
        assert code == 2 and words in err and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "out" / "results.parquet").exists()


def test_a_listing_naming_this_machine_is_refused_by_default(tmp_path, capsys):
    with FakePortal() as portal:
        portal.files["/secret.csv"] = File(b"token\nS3CRET\n")
        (tmp_path / "t.txt").write_text(f"{portal.base}/secret.csv\n{VALID / 'measurements.csv'}\n")
        code, out, err = run(capsys, "--targets", tmp_path / "t.txt", "--output", tmp_path / "out",
                             "--schema", "waste-fill-level@1.0.0", "--workers", "1")
        assert portal.hits.get("/secret.csv") is None  # never asked
    assert code == 0, err
    import pyarrow.parquet as parquet

    rows = parquet.read_table(tmp_path / "out" / "results.parquet").to_pylist()
    assert [(r["status"], r["error_types"]) for r in rows] == [("failed", '{"address-refused": 1}'), ("valid", "{}")]
    assert "S3CRET" not in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "1 not checked" in out


def test_the_progress_line_says_done_verdicts_rate_and_time_left():
    bar = AuditProgress(100, enabled=False, lang="en")
    for number, status in enumerate(["valid"] * 30 + ["invalid"] * 15 + ["failed"] * 5, start=1):
        bar.update({"status": status}, number, 100)
    assert bar.line(10.0) == "audit: 50/100 resources (valid 30, invalid 15, failed 5) 5.0/s, 10 s left"
    bar.lang = "fr"
    assert bar.line(10.0) == ("audit : 50/100 ressources (valides 30, invalides 15, non vérifiées 5) 5,0/s, "
                              "reste 10 s")
    assert "left" not in AuditProgress(0, enabled=False).line(1.0)
