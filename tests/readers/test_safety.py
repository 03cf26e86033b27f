"""Issue 12, one test per attack: refused or bounded with a one-line message and exit 2, or a correct verdict.

Offline: the servers listen on 127.0.0.1 (which the default network policy
refuses, so the tests that need them opt in), the bombs are generated here and
are small on disk; bounds are lowered where that keeps a test fast.
"""
from __future__ import annotations

import bz2
import gzip
import io
import json
import os
import time
import zipfile

import pytest
from test_portals import PortalServer

from territoria import validate
from territoria.cli import main
from territoria.readers import remote
from territoria.readers.remote import public_address

SECRET = "S3CRET-TOKEN-42"


@pytest.fixture
def server():
    found = PortalServer()
    yield found
    found.close()


@pytest.fixture
def private(monkeypatch):
    monkeypatch.setenv("TERRITORIA_ALLOW_PRIVATE_NETWORK", "1")


@pytest.fixture(autouse=True)
def no_opt_in(monkeypatch, tmp_path):
    monkeypatch.delenv("TERRITORIA_ALLOW_PRIVATE_NETWORK", raising=False)
    monkeypatch.setenv("TERRITORIA_CACHE_DIR", str(tmp_path / "cache"))


def failure(report):
    """The one failed task's (code, note); asserts it is one line."""
    assert len(report.tasks) == 1, report.tasks
    task = report.tasks[0]
    assert task.could_not_run, task
    error = task.errors[0]
    assert "\n" not in error["note"] and "Traceback" not in error["note"]
    return error["type"], error["note"]


def cli(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


# --- trusted paths -----------------------------------------------------------------


def test_a_remote_package_cannot_name_a_local_file(server, private, capsys):
    server.routes["/pkg/datapackage.json"] = {"body": json.dumps({"resources": [
        {"name": "passwd", "path": "/etc/passwd", "dialect": {"delimiter": ":"}}]}).encode()}
    code, out, _ = cli(["validate", server.base + "/pkg/datapackage.json", "--format", "json"], capsys)
    assert code == 2 and "root:" not in out
    report = json.loads(out)
    assert report["tasks"][0]["errors"][0]["type"] == "path-refused"
    assert "/etc/passwd" in report["tasks"][0]["errors"][0]["note"]


def test_a_remote_package_names_urls_relative_to_itself(server, private):
    server.routes["/pkg/datapackage.json"] = {"body": json.dumps({"resources": [{"name": "t", "path": "t.csv"}]}).encode()}
    server.routes["/pkg/t.csv"] = {"body": b"a,b\n1,2\n"}
    report = validate(server.base + "/pkg/datapackage.json")
    assert report.valid and report.tasks[0].rows == 1


def _package(folder, resources):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "datapackage.json").write_text(json.dumps({"resources": resources}))
    return str(folder / "datapackage.json")


def test_a_local_package_cannot_leave_its_folder(tmp_path):
    (tmp_path / "secret.csv").write_text(f"token\n{SECRET}\n")
    for path in ("../secret.csv", str(tmp_path / "secret.csv")):
        code, note = failure(validate(_package(tmp_path / "pkg", [{"name": "s", "path": path}])))
        assert code == "path-refused" and "outside the descriptor's folder" in note and SECRET not in note
    # trusted: the user wrote it
    assert validate(_package(tmp_path / "pkg", [{"name": "s", "path": "../secret.csv"}]), trusted=True).valid


def test_a_symlink_out_of_the_package_is_refused(tmp_path):
    (tmp_path / "secret.csv").write_text(f"token\n{SECRET}\n")
    (tmp_path / "pkg").mkdir()
    os.symlink(tmp_path / "secret.csv", tmp_path / "pkg" / "link.csv")
    (tmp_path / "pkg" / "inside.csv").write_text("a\n1\n")
    os.symlink(tmp_path / "pkg" / "inside.csv", tmp_path / "pkg" / "alias.csv")
    code, note = failure(validate(_package(tmp_path / "pkg", [{"name": "s", "path": "link.csv"}])))
    assert code == "path-refused" and "link.csv" in note
    assert validate(_package(tmp_path / "pkg", [{"name": "s", "path": "alias.csv"}])).valid  # stays inside


def test_a_resource_schema_path_is_checked_too(tmp_path):
    (tmp_path / "s.json").write_text(json.dumps({"fields": [{"name": "a"}]}))
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "t.csv").write_text("a\n1\n")
    report = validate(_package(tmp_path / "pkg", [{"name": "t", "path": "t.csv", "schema": "../s.json"}]))
    assert failure(report)[0] == "path-refused"


def test_a_remote_schema_cannot_make_a_check_read_a_local_file(server, private, tmp_path):
    server.routes["/schema.json"] = {"body": json.dumps({"fields": [
        {"name": "lat", "type": "number"}, {"name": "lon", "type": "number"}, {"name": "c", "type": "string"}],
        "custom_checks": [{"name": "coordinates-in-commune", "params": {
            "latitude": "lat", "longitude": "lon", "commune": "c", "commune_extents": "/etc/passwd"}}]}).encode()}
    data = tmp_path / "points.csv"
    data.write_text("lat,lon,c\n45.1,5.7,38185\n")
    code, note = failure(validate(str(data), server.base + "/schema.json"))
    assert code == "path-refused" and "/etc/passwd" in note and "root" not in note


def test_a_remote_schema_package_cannot_name_a_local_schema(server, private, tmp_path):
    (tmp_path / "local.schema.json").write_text(json.dumps({"fields": [{"name": "a"}]}))
    server.routes["/profile/datapackage.json"] = {"body": json.dumps({"resources": [
        {"name": "t", "schema": str(tmp_path / "local.schema.json")}]}).encode()}
    data = tmp_path / "t.csv"
    data.write_text("a\n1\n")
    code, note = failure(validate(str(data), server.base + "/profile/datapackage.json"))
    assert code == "path-refused" and "may only name URLs" in note


def test_a_package_with_inline_data_is_validated(tmp_path):
    path = _package(tmp_path / "inline", [{"name": "i", "data": [["a", "b"], ["1", "2"], ["3"]],
                                           "schema": {"fields": [{"name": "a", "type": "integer"},
                                                                 {"name": "b", "type": "integer"}]}}])
    report = validate(path)
    assert not report.valid and report.tasks[0].rows == 2
    assert [e["type"] for e in report.tasks[0].errors] == ["missing-cell"]


def test_a_non_object_resource_costs_only_itself(tmp_path, capsys):
    path = _package(tmp_path / "odd", ["not an object", {"name": "ok", "path": "ok.csv"}])
    (tmp_path / "odd" / "ok.csv").write_text("a\n1\n")
    other = tmp_path / "other.csv"
    other.write_text("a\n1\n")
    code, out, err = cli(["validate", path, str(other), "--format", "json"], capsys)
    report = json.loads(out)
    assert code == 2 and len(report["tasks"]) == 3 and "internal" not in out + err
    assert [t["valid"] for t in report["tasks"]] == [False, True, True]


# --- network policy --------------------------------------------------------------------


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                                     "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1",
                                     "224.0.0.1"])
def test_non_public_addresses(address):
    assert not public_address(address)


def test_public_addresses():
    assert public_address("8.8.8.8") and public_address("2001:4860:4860::8888")


def test_a_private_address_needs_the_opt_in(server, capsys, monkeypatch):
    server.routes["/data.csv"] = {"body": f"token\n{SECRET}\n".encode()}
    code, note = failure(validate(server.base + "/data.csv"))
    assert code == "address-refused" and "127.0.0.1" in note
    code, out, _ = cli(["validate", server.base + "/data.csv"], capsys)
    assert code == 2 and SECRET not in out
    assert validate(server.base + "/data.csv", allow_private_network=True).valid
    assert cli(["validate", server.base + "/data.csv", "--allow-private-network"], capsys)[0] == 0
    monkeypatch.setenv("TERRITORIA_ALLOW_PRIVATE_NETWORK", "1")
    assert validate(server.base + "/data.csv").valid


def test_the_connection_itself_is_checked(server, monkeypatch):
    """Even past the check of the URL (a DNS answer that changed in between), the socket is only
    opened to an address checked at that moment."""
    server.routes["/data.csv"] = {"body": b"a\n1\n"}
    monkeypatch.setattr(remote, "_vet_url", lambda url: None)
    code, note = failure(validate(server.base + "/data.csv"))
    assert code == "address-refused" and "127.0.0.1" in note


def test_a_redirect_to_a_private_address_is_refused(server, monkeypatch):
    """The first address is allowed (as if public), the redirect's target is checked again."""
    server.routes["/moved.csv"] = {"status": 302, "headers": {"Location": "http://169.254.169.254/latest/"}}
    real = remote.vetted_addresses

    def vetted(host, port):
        if host == "127.0.0.1":  # the test server stands for a public host
            import socket
            return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        return real(host, port)

    monkeypatch.setattr(remote, "vetted_addresses", vetted)
    code, note = failure(validate(server.base + "/moved.csv"))
    assert code == "address-refused" and "169.254.169.254" in note


def test_a_trickling_server_is_cut_at_the_total_deadline(server, private, monkeypatch):
    server.routes["/slow.csv"] = {"headers": {"Content-Length": "100"}, "chunks": (100, b"a"), "pause": 0.2}
    monkeypatch.setenv("TERRITORIA_TOTAL_TIMEOUT", "1")
    started = time.monotonic()
    code, note = failure(validate(server.base + "/slow.csv"))
    assert time.monotonic() - started < 5
    assert code == "scheme-error" and "longer than 1 s" in note


def test_a_truncated_download_is_an_error(server, private, monkeypatch):
    server.routes["/cut.csv"] = {"headers": {"Content-Length": "100000"}, "chunks": (1, b"a,b\n1,2\n3,4\n")}
    monkeypatch.setenv("TERRITORIA_RETRIES", "0")
    code, note = failure(validate(server.base + "/cut.csv"))
    assert code == "scheme-error" and "12 of 100000 bytes" in note


def test_downloads_for_foreign_keys_leave_no_temp_file(server, private, tmp_path, monkeypatch):
    import tempfile

    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    server.routes["/fk/a.csv"] = {"body": b"id\n1\n2\n"}
    server.routes["/fk/b.csv"] = {"body": b"ref\n1\n3\n"}
    server.routes["/fk/datapackage.json"] = {"body": json.dumps({"resources": [
        {"name": "a", "path": "a.csv", "schema": {"fields": [{"name": "id", "type": "integer"}], "primaryKey": "id"}},
        {"name": "b", "path": "b.csv", "schema": {"fields": [{"name": "ref", "type": "integer"}], "foreignKeys": [
            {"fields": "ref", "reference": {"resource": "a", "fields": "id"}}]}}]}).encode()}
    report = validate(server.base + "/fk/datapackage.json")
    assert [e["type"] for t in report.tasks for e in t.errors] == ["foreign-key"]
    assert os.listdir(temp) == []


# --- resource bounds --------------------------------------------------------------------


def _zip(path, members: dict, big: dict = None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
        for name, (head, unit, count, tail) in (big or {}).items():
            with archive.open(name, "w", force_zip64=True) as out:
                out.write(head)
                block = unit * 1000
                for _ in range(count // 1000):
                    out.write(block)
                out.write(tail)
    return str(path)


XLSX_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
    '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
    'name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}
SHEET_HEAD = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def test_an_xlsx_bomb_is_refused_before_parsing(tmp_path):
    row = b'<row>' + b'<c t="inlineStr"><is><t>bomb</t></is></c>' * 20 + b'</row>'
    path = _zip(tmp_path / "bomb.xlsx", XLSX_PARTS, {"xl/worksheets/sheet1.xml": (
        SHEET_HEAD + b"<sheetData>", row, 200_000, b"</sheetData></worksheet>")})
    assert os.path.getsize(path) < 1 << 20
    started = time.monotonic()
    code, note = failure(validate(path, ratio_floor_bytes=1 << 20))
    assert code == "source-too-large" and "max_ratio" in note and time.monotonic() - started < 2
    code, note = failure(validate(path, max_uncompressed_bytes=10 << 20))
    assert code == "source-too-large" and "max_uncompressed_bytes" in note


def test_an_xlsx_dimension_bomb_stays_bounded(tmp_path):
    """A tiny sheet that declares A1:XFD1048576: openpyxl pads every row to 16,384 cells."""
    sheet = SHEET_HEAD + b'<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr">' \
        b'<is><t>a</t></is></c></row><row r="1048576"><c r="A1048576" t="inlineStr"><is><t>z</t></is></c>' \
        b'</row></sheetData></worksheet>'
    path = _zip(tmp_path / "wide.xlsx", dict(XLSX_PARTS, **{"xl/worksheets/sheet1.xml": sheet}))
    code, note = failure(validate(path, max_cells=1_000_000))
    assert code == "source-too-large" and "max_cells" in note


def test_an_xlsx_without_a_dimension_is_not_scanned_at_load(tmp_path, monkeypatch):
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>{i}</t></is></c></row>' for i in range(1, 6))
    sheet = (SHEET_HEAD.decode() + f"<sheetData>{rows}</sheetData></worksheet>").encode()
    path = _zip(tmp_path / "nodim.xlsx", dict(XLSX_PARTS, **{"xl/worksheets/sheet1.xml": sheet}))
    import zipfile as zf

    opened = []
    real_open = zf.ZipFile.open

    def counting(self, name, *args, **kwargs):
        if "sheet1" in str(getattr(name, "filename", name)):
            opened.append(name)
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zf.ZipFile, "open", counting)
    report = validate(path)
    assert report.valid and report.tasks[0].rows == 4
    assert len(opened) == 2, "the head for <dimension>, then the rows, once"


def _ods(path, table_xml: bytes = b"", big=None):
    head = (b'<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
            b'office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:'
            b'names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S">')
    tail = b"</table:table></office:spreadsheet></office:body></office:document-content>"
    if big:
        return _zip(path, {"mimetype": "application/vnd.oasis.opendocument.spreadsheet"},
                    {"content.xml": (head, big[0], big[1], tail)})
    return _zip(path, {"mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                       "content.xml": head + table_xml + tail})


def test_an_ods_bomb_is_refused(tmp_path):
    row = b"<table:table-row>" + b'<table:table-cell office:value-type="string"><text:p>bomb</text:p>' \
        b"</table:table-cell>" * 20 + b"</table:table-row>"
    path = _ods(tmp_path / "bomb.ods", big=(row, 100_000))
    code, note = failure(validate(path, ratio_floor_bytes=1 << 20))
    assert code == "source-too-large" and "max_ratio" in note


def test_an_ods_bad_repeat_count_is_a_format_error(tmp_path):
    path = _ods(tmp_path / "bad.ods", b'<table:table-row><table:table-cell table:number-columns-repeated="abc" '
                                      b'office:value-type="string"><text:p>a</text:p></table:table-cell>'
                                      b"</table:table-row>")
    code, note = failure(validate(path))
    assert code == "format-error" and "number-columns-repeated 'abc'" in note


def test_an_ods_row_too_wide(tmp_path):
    cells = b'<table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell>' * 50
    path = _ods(tmp_path / "wide.ods", b"<table:table-row>" + cells + b"</table:table-row>")
    code, note = failure(validate(path, max_fields=20))
    assert code == "row-too-wide" and "row 1" in note


def test_a_csv_row_of_many_commas(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("a\n" + "," * 100_000 + "\n")
    code, note = failure(validate(str(path)))
    assert code == "row-too-wide" and "row 2 has 100001 cells" in note
    path.write_text("a" + "," * 100_000 + "\n")
    assert failure(validate(str(path)))[0] == "row-too-wide"


def test_a_csv_cell_and_a_line_too_long(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text('a,b\n"' + "x" * 5000 + '",1\n')
    code, note = failure(validate(str(path), max_cell_bytes=1000))
    assert code == "cell-too-large" and "row 2" in note
    path.write_text("a,b\n" + "x" * 5000 + ",1\n")
    code, note = failure(validate(str(path), max_line_bytes=1000))
    assert code == "line-too-long" and "line 2" in note


def test_a_json_row_of_many_items(tmp_path):
    path = tmp_path / "wide.json"
    path.write_text("[[" + ",".join(["0"] * 100_000) + "]]")
    code, note = failure(validate(str(path)))
    assert code == "row-too-wide" and "row 1" in note
    path.write_text('[["a"], ["' + "x" * 5000 + '"]]')
    code, note = failure(validate(str(path), max_line_bytes=1000))
    assert code == "line-too-long" and "item 2" in note


def test_an_ndjson_line_too_long(tmp_path):
    path = tmp_path / "long.ndjson"
    path.write_text('{"a": 1}\n{"a": "' + "x" * 5000 + '"}\n')
    code, note = failure(validate(str(path), max_line_bytes=1000))
    assert code == "line-too-long" and "line 2" in note


def test_a_huge_enum_is_one_hashed_set(tmp_path):
    schema = {"fields": [{"name": "code", "type": "string",
                          "constraints": {"enum": [f"V{i:06d}" for i in range(200_000)]}}]}
    path = tmp_path / "codes.csv"
    path.write_text("code\n" + "".join(f"V{i * 7:06d}\n" for i in range(50_000)))
    started = time.monotonic()
    report = validate(str(path), schema)
    assert time.monotonic() - started < 20
    task = report.tasks[0]
    assert task.error_count == sum(1 for i in range(50_000) if i * 7 >= 200_000)
    first = task.errors[0]
    assert len(first["note"]) < 1100 and "200000 values" in first["note"]


def test_a_backtracking_pattern_on_a_cell_with_a_newline(tmp_path):
    schema = {"fields": [{"name": "v", "type": "string", "constraints": {"pattern": "(a+)+"}}]}
    path = tmp_path / "redos.csv"
    path.write_text('v\n"' + "a" * 30 + '!\nb"\naaa\n')
    started = time.monotonic()
    report = validate(str(path), schema)
    assert time.monotonic() - started < 5
    assert [(e["type"], e["rowNumber"]) for e in report.tasks[0].errors] == [("constraint-error", 2)]


def test_a_pattern_timeout_is_a_warning_naming_the_cell(tmp_path, monkeypatch):
    from territoria.fields import pattern

    def slow(self, cell, timeout=None):
        raise TimeoutError("regex timed out")

    class Slow:
        match = slow

    real_init = pattern.SafePattern.__init__

    def init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        self.bounded = Slow()

    monkeypatch.setattr(pattern.SafePattern, "__init__", init)
    schema = {"fields": [{"name": "v", "type": "string", "constraints": {"pattern": "(?=a)a+"}}]}
    path = tmp_path / "v.csv"
    path.write_text("v\naaaa\n")
    report = validate(str(path), schema)
    assert report.valid
    warning = [w for w in report.tasks[0].warnings if w["type"] == "pattern-timeout"][0]
    assert "aaaa" in warning["message_en"] and warning["fieldName"] == "v"


# --- compressed sources --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["gz", "bz2", "zip"])
def test_compressed_sources_have_the_plain_verdict(tmp_path, kind):
    text = b"a,b\n1,2\nx,3\n"
    schema = {"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "integer"}]}
    plain = tmp_path / "t.csv"
    plain.write_bytes(text)
    path = tmp_path / f"t.csv.{kind}" if kind != "zip" else tmp_path / "t.zip"
    if kind == "gz":
        path.write_bytes(gzip.compress(text))
    elif kind == "bz2":
        path.write_bytes(bz2.compress(text))
    else:
        _zip(path, {"t.csv": text})
    expected, got = validate(str(plain), schema), validate(str(path), schema)
    assert [(e["type"], e["rowNumber"]) for e in got.tasks[0].errors] == \
        [(e["type"], e["rowNumber"]) for e in expected.tasks[0].errors] == [("type-error", 3)]
    assert got.tasks[0].place == str(path)


def test_a_gzip_bomb_is_bounded(tmp_path):
    path = tmp_path / "bomb.csv.gz"
    with gzip.open(path, "wb") as out:
        out.write(b"a\n")
        block = b"1\n" * 500_000
        for _ in range(20):
            out.write(block)
    code, note = failure(validate(str(path), ratio_floor_bytes=1 << 20))
    assert code == "source-too-large" and "max_ratio" in note


@pytest.mark.parametrize("reader", ["installed", "stdlib"])
def test_gzip_members_padding_and_damage_read_as_gzip_reads_them(tmp_path, monkeypatch, reader):
    """The same verdicts with ``isal`` (``territoria[fast]``) as with the standard library's gzip;
    a damaged stream is a format error, never an internal one."""
    from territoria.readers import compressed

    if reader == "stdlib":
        monkeypatch.setattr(compressed, "_gzip_reader", lambda: (gzip.open, ()))
    text = b"a,b\n" + b"1,2\n" * 2000 + b"x,3\n"
    schema = {"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "integer"}]}
    packed = gzip.compress(text)
    half = gzip.compress(text[:4004]) + gzip.compress(text[4004:])  # two members, cut on a line
    cases = {"two members": half, "zero padding": packed + b"\0" * 7,
             "cut short": packed[:-30], "bad checksum": packed[:-8] + b"\0\0\0\0" + packed[-4:],
             "damaged inside": packed[:30] + b"\xff" * 12 + packed[42:], "not gzip after a member": packed + b"xx"}
    verdicts = {}
    for name, data in cases.items():
        path = tmp_path / f"{name.replace(' ', '_')}.csv.gz"
        path.write_bytes(data)
        task = validate(str(path), schema).tasks[0]
        verdicts[name] = [e["type"] for e in task.errors][:1] + ([str(task.error_count)] if task.errors else [])
    assert verdicts["two members"] == verdicts["zero padding"] == ["type-error", "1"]
    for name in ("cut short", "bad checksum", "damaged inside", "not gzip after a member"):
        assert verdicts[name] == ["format-error", "1"], name


def test_a_zip_of_several_tables_is_refused(tmp_path):
    path = _zip(tmp_path / "two.zip", {"a.csv": "a\n1\n", "b.csv": "b\n2\n"})
    code, note = failure(validate(path))
    assert code == "format-error" and "exactly one table" in note


# --- inputs are never modified, reports are whole -------------------------------------------


def test_the_output_is_never_an_input(tmp_path, capsys):
    data = tmp_path / "data.csv"
    data.write_text("a,b\n1,2\n")
    os.link(data, tmp_path / "hard.csv")
    os.symlink(data, tmp_path / "soft.csv")
    for output in (str(data), str(tmp_path / "." / "data.csv"), str(tmp_path / "hard.csv"),
                   str(tmp_path / "soft.csv")):
        code, _, err = cli(["validate", str(data), "-o", output], capsys)
        assert code == 2 and "is an input" in err and len(err.strip().splitlines()) == 1
        assert data.read_text() == "a,b\n1,2\n"
    package = _package(tmp_path / "pkg", [{"name": "t", "path": "t.csv"}])
    (tmp_path / "pkg" / "t.csv").write_text("a\n1\n")
    code, _, err = cli(["validate", package, "-o", str(tmp_path / "pkg" / "t.csv")], capsys)
    assert code == 2 and (tmp_path / "pkg" / "t.csv").read_text() == "a\n1\n"
    code, _, _ = cli(["validate", str(data), "-o", str(tmp_path / "report.txt")], capsys)
    assert code == 0 and "VALID" in (tmp_path / "report.txt").read_text()
    assert [p for p in os.listdir(tmp_path) if p.startswith(".territoria")] == []


def test_an_unwritable_output_is_one_line(tmp_path, capsys):
    data = tmp_path / "data.csv"
    data.write_text("a\n1\n")
    code, _, err = cli(["validate", str(data), "-o", str(tmp_path / "no" / "such" / "r.txt")], capsys)
    assert code == 2 and "does not exist" in err and "internal" not in err and len(err.strip().splitlines()) == 1


def test_a_broken_pipe_ends_quietly(tmp_path, monkeypatch, capsys):
    import sys

    data = tmp_path / "data.csv"
    data.write_text("a\n1\n")

    class Closed(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self):
            raise io.UnsupportedOperation("no file")

    monkeypatch.setattr(sys, "stdout", Closed())
    assert main(["validate", str(data)]) == 0
    assert "internal error" not in capsys.readouterr().err


# --- escaped output ------------------------------------------------------------------------


def test_cells_cannot_drive_the_terminal_or_issue_workflow_commands(tmp_path, capsys):
    data = tmp_path / "inject.csv"
    data.write_text('n\n"\x1b]0;pwned\x07"\n"x\n::add-mask::abc"\n"y\r\n::error::forged"\n', newline="")
    schema = tmp_path / "s.json"
    schema.write_text(json.dumps({"fields": [{"name": "n", "type": "integer"}]}))
    code, out, _ = cli(["validate", str(data), "--schema", str(schema)], capsys)
    assert code == 1
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out
    assert not [line for line in out.splitlines() if line.lstrip().startswith("::")]
    assert "\\x1b]0;pwned\\x07" in out and "x\\n::add-mask::abc" in out


# --- robustness ----------------------------------------------------------------------------


def test_a_deeply_nested_schema_is_a_schema_error(tmp_path, capsys):
    data = tmp_path / "data.csv"
    data.write_text("a\n1\n")
    schema = tmp_path / "nested.json"
    schema.write_text('{"fields": [{"name": "a", "x": ' + "[" * 100_000 + "]" * 100_000 + "}]}")
    code, out, err = cli(["validate", str(data), "--schema", str(schema)], capsys)
    assert code == 2 and "nested too deeply" in out and "internal" not in out + err
    code, note = failure(validate(str(data), {"fields": [{"name": "a", "x": _nested(5000)}]}))
    assert "nested too deeply" in note


def _nested(depth):
    value = []
    for _ in range(depth):
        value = [value]
    return value


def test_a_fifo_as_the_schema_or_the_data_does_not_hang(tmp_path, capsys):
    data = tmp_path / "data.csv"
    data.write_text("a\n1\n")
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    started = time.monotonic()
    code, out, _ = cli(["validate", str(data), "--schema", str(fifo)], capsys)
    assert code == 2 and "not a regular file" in out
    code, out, _ = cli(["validate", str(fifo)], capsys)
    assert code == 2 and "not a regular file" in out
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("planted", ["garbage", "fifo", "directory"])
def test_the_schema_cache_survives_what_is_planted_there(tmp_path, monkeypatch, planted):
    from territoria.schema import verdict_cache

    folder = tmp_path / "cache-planted"
    folder.mkdir()
    target = folder / "valid-schemas.txt"
    if planted == "garbage":
        target.write_bytes(b"\xff\xfe\x00garbage\n" + b"a" * 64 + b"\n")
    elif planted == "fifo":
        os.mkfifo(target)
    else:
        target.mkdir()
    monkeypatch.setenv("TERRITORIA_CACHE_DIR", str(folder))
    monkeypatch.setattr(verdict_cache, "_known", None)
    data = tmp_path / "data.csv"
    data.write_text("a\n1\n")
    started = time.monotonic()
    assert validate(str(data), {"fields": [{"name": "a", "type": "integer"}]}).valid
    assert time.monotonic() - started < 10
    if planted != "directory":
        assert target.is_file()
        lines = target.read_text(encoding="ascii").split()
        assert lines and all(len(line) == 64 for line in lines)


def test_one_failing_target_never_aborts_the_others(tmp_path, monkeypatch, capsys):
    from territoria import api
    from territoria.validation import table

    good = tmp_path / "good.csv"
    good.write_text("a\n1\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("a\n1\n")
    real = table.validate_file

    def boom(source, *args, **kwargs):
        if str(source).endswith("bad.csv"):
            raise RuntimeError("a bug\non two lines")
        return real(source, *args, **kwargs)

    monkeypatch.setattr(table, "validate_file", boom)
    monkeypatch.setattr(api, "validate_with_profile", lambda source, profile, options: boom(source, None, **options))
    code, out, err = cli(["validate", str(bad), str(good), "--format", "json"], capsys)
    report = json.loads(out)
    assert code == 2 and [t["valid"] for t in report["tasks"]] == [False, True]
    note = report["tasks"][0]["errors"][0]["note"]
    assert note == "RuntimeError: a bug on two lines"


def test_the_action_writes_its_summary_and_outputs_whatever_fails(tmp_path, monkeypatch):
    from territoria import action, targets

    def boom(*args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(targets, "collect", boom)
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs.txt"
    env = {"GITHUB_WORKSPACE": str(tmp_path), "INPUT_PATHS": "x.csv", "GITHUB_STEP_SUMMARY": str(summary),
           "GITHUB_OUTPUT": str(outputs)}
    out = io.StringIO()
    assert action.main([], env=env, out=out) == 2
    assert "::error" in out.getvalue() and "Traceback" not in out.getvalue()
    assert "could not finish" in summary.read_text() and "valid=false" in outputs.read_text()


def test_the_action_allows_the_workspace_and_refuses_outside(tmp_path):
    from territoria import action

    (tmp_path / "secret.csv").write_text(f"token\n{SECRET}\n")
    work = tmp_path / "repo"
    (work / "data").mkdir(parents=True)
    (work / "shared.csv").write_text("a\n1\n")
    _package(work / "data" / "in", [{"name": "s", "path": "../../shared.csv"}])
    _package(work / "data" / "out", [{"name": "s", "path": "../../../secret.csv"}])
    env = {"GITHUB_WORKSPACE": str(work), "INPUT_PATHS": "data/in\ndata/out", "INPUT_REPORT": str(tmp_path / "r")}
    out = io.StringIO()
    assert action.main([], env=env, out=out) == 2
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    assert [t["valid"] for t in report["tasks"]] == [True, False]
    assert report["tasks"][1]["errors"][0]["type"] == "path-refused" and SECRET not in out.getvalue()
    env["INPUT_TRUSTED"] = "true"
    assert action.main([], env=env, out=io.StringIO()) == 0
