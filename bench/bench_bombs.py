"""Every attack of issue 12, run as an attacker would: time, peak memory, exit code, verdict.

Why a script and not only tests: the tests prove each attack is refused on small
inputs; this runs the real-sized ones (a 1 GB spreadsheet bomb, a 500 MB line,
a 1M-value enum) through the whole ``territoria validate`` process under
``/usr/bin/time -v`` and prints a table, so the cost before and after a change
can be compared. The servers it needs run in this process on 127.0.0.1.

    python bench/bench_bombs.py                      # the code of this tree
    python bench/bench_bombs.py --tree /tmp/before   # another checkout (say, before a change)
    python bench/bench_bombs.py --only regex,enum    # some attacks only (names contain the words)

Each row says what the run showed: ``leak`` (a secret or a local file reached the
report), ``modified`` (an input was changed), ``hung`` (killed at the timeout),
``traceback``, or the first line of the report's verdict.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
SECRET = "S3CRET-TOKEN-42"


class Server:
    """``routes[path] = (status, headers, body)`` or a callable writing the answer itself."""

    def __init__(self):
        self.routes: dict = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                route = routes.get(self.path.split("?")[0])
                try:
                    if callable(route):
                        return route(self)
                    status, headers, body = route or (404, {}, b"not found")
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    if "Content-Length" not in headers:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def json(self, path, value):
        self.routes[path] = (200, {"Content-Type": "application/json"}, json.dumps(value).encode())
        return self.base + path


def _trickle(handler):
    handler.send_response(200)
    handler.send_header("Content-Length", "200")
    handler.end_headers()
    try:
        for _ in range(200):
            handler.wfile.write(b"a")
            handler.wfile.flush()
            time.sleep(0.5)
    except (BrokenPipeError, ConnectionResetError):
        pass


def _truncated(handler):
    handler.send_response(200)
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    handler.wfile.write(b"a,b\n1,2\n3,4\n")
    handler.wfile.flush()
    handler.close_connection = True


def _write(path, data):
    with open(path, "wb" if isinstance(data, bytes) else "w") as out:
        out.write(data)
    return path


def xlsx_bomb(path, uncompressed=1 << 30):
    """A valid XLSX whose sheet XML is ``uncompressed`` bytes of identical rows (a few MB zipped)."""
    row = "".join(f'<c t="inlineStr"><is><t>bombbombbomb</t></is></c>' for _ in range(20))
    row = f"<row>{row}</row>"
    count = uncompressed // len(row)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '</Types>'))
        book.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>'))
        book.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        book.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '</Relationships>'))
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
                        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            block = (row * 1000).encode()
            for _ in range(count // 1000):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return path


def ods_bomb(path, uncompressed=1 << 30, repeat_text=None):
    cell = '<table:table-cell office:value-type="string"><text:p>bombbombbomb</text:p></table:table-cell>'
    row = f"<table:table-row>{cell * 20}</table:table-row>"
    count = uncompressed // len(row)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        with book.open("content.xml", "w", force_zip64=True) as content:
            content.write(
                b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
                b'<table:table table:name="S">')
            if repeat_text is not None:
                content.write(f'<table:table-row><table:table-cell table:number-columns-repeated="{repeat_text}" '
                              f'office:value-type="string"><text:p>a</text:p></table:table-cell></table:table-row>'.encode())
            else:
                block = (row * 1000).encode()
                for _ in range(count // 1000):
                    content.write(block)
            content.write(b"</table:table></office:spreadsheet></office:body></office:document-content>")
    return path


def cases(tmp, server):
    """(name, argv after ``territoria``, extra environment, judge(output, tmp) or None)."""
    found = []
    add = lambda *case: found.append(case)  # noqa: E731
    allow = {"TERRITORIA_ALLOW_PRIVATE_NETWORK": "1"}
    secret_dir = os.path.join(tmp, "secret")
    os.makedirs(secret_dir)
    secret = _write(os.path.join(secret_dir, "secret.csv"), f"token\n{SECRET}\n")

    url = server.json("/pkg/datapackage.json", {"resources": [
        {"name": "passwd", "path": "/etc/passwd", "dialect": {"delimiter": ":"}}]})
    read = lambda out, rc: "read it" if rc in (0, 1) else None  # noqa: E731
    add("remote package names /etc/passwd", ["validate", url, "--format", "json"], allow, read)

    pkg = os.path.join(tmp, "pkg")
    os.makedirs(pkg)
    _write(os.path.join(pkg, "datapackage.json"), json.dumps({"resources": [{"name": "s", "path": "../secret/secret.csv"}]}))
    add("local package ../ path", ["validate", os.path.join(pkg, "datapackage.json")], {}, read)
    pkg2 = os.path.join(tmp, "pkg2")
    os.makedirs(pkg2)
    os.symlink(secret, os.path.join(pkg2, "link.csv"))
    _write(os.path.join(pkg2, "datapackage.json"), json.dumps({"resources": [{"name": "s", "path": "link.csv"}]}))
    add("local package symlink out", ["validate", os.path.join(pkg2, "datapackage.json")], {}, read)

    schema_url = server.json("/schema.json", {"fields": [
        {"name": "lat", "type": "number"}, {"name": "lon", "type": "number"}, {"name": "c", "type": "string"}],
        "custom_checks": [{"name": "coordinates-in-commune", "params": {
            "latitude": "lat", "longitude": "lon", "commune": "c", "commune_extents": "/etc/passwd"}}]})
    points = _write(os.path.join(tmp, "points.csv"), "lat,lon,c\n45.1,5.7,38185\n")
    add("remote schema reads /etc/passwd", ["validate", points, "--schema", schema_url], allow, None)

    server.routes["/trickle.csv"] = _trickle
    add("trickling server, total 5 s", ["validate", server.base + "/trickle.csv"],
        dict(allow, TERRITORIA_TOTAL_TIMEOUT="5"), None)
    server.routes["/truncated.csv"] = _truncated
    add("truncated download", ["validate", server.base + "/truncated.csv"], allow,
        lambda out, rc: "accepted" if rc in (0, 1) else None)
    server.routes["/private.csv"] = (200, {}, f"token\n{SECRET}\n".encode())
    add("private address, no opt-in", ["validate", server.base + "/private.csv"], {}, read)

    add("XLSX bomb (1 GiB of XML)", ["validate", xlsx_bomb(os.path.join(tmp, "bomb.xlsx"))], {}, None)
    add("ODS bomb (1 GiB of XML)", ["validate", ods_bomb(os.path.join(tmp, "bomb.ods"))], {}, None)
    wide = _write(os.path.join(tmp, "wide.csv"), "a" + "," * 2_000_000 + "\n")
    add("CSV row of 2M commas", ["validate", wide], {}, None)
    wide_json = _write(os.path.join(tmp, "wide.json"), "[[" + ",".join(["0"] * 10_000_000) + "]]")
    add("JSON row of 10M items", ["validate", wide_json], {}, None)
    long_line = os.path.join(tmp, "long.csv")
    with open(long_line, "wb") as out:
        out.write(b"a,b\n")
        block = b"x" * (1 << 20)
        for _ in range(500):
            out.write(block)
        out.write(b",1\n")
    add("one 500 MB line", ["validate", long_line], {}, None)

    enum_schema = _write(os.path.join(tmp, "enum.json"), json.dumps({"fields": [
        {"name": "code", "type": "string", "constraints": {"enum": [f"V{i:07d}" for i in range(1_000_000)]}}]}))
    enum_data = _write(os.path.join(tmp, "enum.csv"),
                       "code\n" + "".join(f"V{(i * 7919) % 1_200_000:07d}\n" for i in range(200_000)))
    add("1M-value enum, 200k rows", ["validate", enum_data, "--schema", enum_schema], {}, None)
    redos_schema = _write(os.path.join(tmp, "redos.json"), json.dumps(
        {"fields": [{"name": "v", "type": "string", "constraints": {"pattern": "(a+)+"}}]}))
    redos = _write(os.path.join(tmp, "redos.csv"), 'v\n"' + "a" * 27 + '!\nb"\n')
    add("pattern (a+)+ on 27 a + ! + newline", ["validate", redos, "--schema", redos_schema], {}, None)

    victim = _write(os.path.join(tmp, "victim.csv"), "a,b\n1,2\n")
    add("-o onto the input", ["validate", victim, "-o", os.path.join(tmp, ".", "victim.csv")], {},
        lambda out, rc: "modified" if open(victim).read() != "a,b\n1,2\n" else None)
    inject_schema = _write(os.path.join(tmp, "inject.json"), json.dumps({"fields": [{"name": "n", "type": "integer"}]}))
    inject = _write(os.path.join(tmp, "inject.csv"), 'n\n"\x1b]0;pwned\x07"\n"x\n::add-mask::abc"\n"y\n::error::forged"\n')
    add("ESC/OSC and ::commands in cells", ["validate", inject, "--schema", inject_schema], {},
        lambda out, _: "injected" if ("\x1b" in out or re.search(r"^\s*::", out, re.M)) else None)

    nested = _write(os.path.join(tmp, "nested.json"), '{"fields": [{"name": "a", "x": ' + "[" * 100_000 + "]" * 100_000 + "}]}")
    add("deeply nested schema", ["validate", victim, "--schema", nested], {}, None)
    inline = os.path.join(tmp, "inline")
    os.makedirs(inline)
    _write(os.path.join(inline, "datapackage.json"), json.dumps({"resources": [{"name": "i", "data": [["a"], ["1"]]}]}))
    add("package with inline data", ["validate", os.path.join(inline, "datapackage.json")], {}, None)
    odd = os.path.join(tmp, "odd")
    os.makedirs(odd)
    _write(os.path.join(odd, "datapackage.json"), json.dumps({"resources": ["not an object"]}))
    add("non-object resource (+ another file)", ["validate", os.path.join(odd, "datapackage.json"), victim], {},
        lambda out, _: None if "victim.csv" in out else "other target unreported")
    cache = os.path.join(tmp, "cache")
    os.makedirs(cache)
    _write(os.path.join(cache, "valid-schemas.txt"), b"\xff\xfe\x00garbage" * 100)
    add("corrupt schema cache", ["validate", victim, "--schema", inject_schema], {"TERRITORIA_CACHE_DIR": cache},
        lambda out, _: None)
    fifo = os.path.join(tmp, "fifo.json")
    os.mkfifo(fifo)
    add("FIFO as the schema", ["validate", victim, "--schema", fifo], {}, None)
    fifo_cache = os.path.join(tmp, "fifo-cache")
    os.makedirs(fifo_cache)
    os.mkfifo(os.path.join(fifo_cache, "valid-schemas.txt"))
    add("FIFO as the cache file", ["validate", victim, "--schema", inject_schema],
        {"TERRITORIA_CACHE_DIR": fifo_cache}, None)

    temp = os.path.join(tmp, "temp")
    os.makedirs(temp)
    server.routes["/fk/a.csv"] = (200, {}, b"id\n1\n2\n")
    server.routes["/fk/b.csv"] = (200, {}, b"ref\n1\n3\n")
    fk_url = server.json("/fk/datapackage.json", {"resources": [
        {"name": "a", "path": "a.csv", "schema": {"fields": [{"name": "id", "type": "integer"}], "primaryKey": "id"}},
        {"name": "b", "path": "b.csv", "schema": {"fields": [{"name": "ref", "type": "integer"}],
                                                  "foreignKeys": [{"fields": "ref", "reference": {"resource": "a", "fields": "id"}}]}}]})
    add("temp files after foreign keys", ["validate", fk_url], dict(allow, TMPDIR=temp),
        lambda out, _: f"{len(os.listdir(temp))} temp files left" if os.listdir(temp) else None)
    bad_ods = ods_bomb(os.path.join(tmp, "badrepeat.ods"), repeat_text="abc")
    add("bad ODS repeat count", ["validate", bad_ods], {}, None)
    add("unwritable -o", ["validate", victim, "-o", os.path.join(tmp, "no", "such", "dir", "r.txt")], {}, None)
    return found


def judge(output: str, rc, extra) -> str:
    if rc is None:
        return "hung (killed)"
    if SECRET in output or "root:x:0:0" in output or "root:" in output and "/bin/" in output:
        return "leak"
    if "Traceback" in output:
        return "traceback"
    if extra:
        return extra
    lines = [line for line in output.splitlines() if line.strip() and not line.startswith("\t")]
    if "internal error" in output or "internal-error" in output:
        return "internal error"
    return (lines[0] if lines else "")[:60]


def run_case(tree, argv, env_extra, timeout):
    env = dict(os.environ, PYTHONPATH=os.path.join(tree, "validator"), **env_extra)
    if "TERRITORIA_ALLOW_PRIVATE_NETWORK" not in env_extra:
        env.pop("TERRITORIA_ALLOW_PRIVATE_NETWORK", None)
    env.setdefault("TERRITORIA_LANG", "en")
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "territoria"] + argv
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               errors="replace", stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        peak = _session_peak_mb(process.pid)  # read before the kill: /usr/bin/time dies with it
        os.killpg(process.pid, 9)
        stdout, _ = process.communicate()
        return time.monotonic() - started, peak, None, stdout or ""
    done = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    seconds = time.monotonic() - started
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    rc = re.search(r"Exit status: (\d+)", done.stderr)
    report = re.sub(r"\n\t.*", "", done.stderr)  # drop /usr/bin/time's lines
    report = "\n".join(line for line in report.splitlines()
                       if not line.startswith("\tCommand being timed") and "Command exited" not in line)
    return seconds, int(peak.group(1)) // 1024 if peak else None, int(rc.group(1)) if rc else done.returncode, \
        done.stdout + report


def _session_peak_mb(leader: int):
    """The largest VmHWM (peak resident memory) among the processes of a session, in MB."""
    peak = None
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                session = int(handle.read().rsplit(")", 1)[1].split()[3])
            if session != leader:
                continue
            with open(f"/proc/{entry}/status") as handle:
                for line in handle:
                    if line.startswith("VmHWM:"):
                        value = int(line.split()[1]) // 1024
                        peak = value if peak is None else max(peak, value)
        except (OSError, ValueError, IndexError):
            continue
    return peak


def broken_pipe(tree, tmp):
    """``territoria validate … | head -1``: the reader goes away before the report is written."""
    data = _write(os.path.join(tmp, "many.csv"), "n\n" + "x\n" * 5000)
    schema = _write(os.path.join(tmp, "int.json"), json.dumps({"fields": [{"name": "n", "type": "integer"}]}))
    env = dict(os.environ, PYTHONPATH=os.path.join(tree, "validator"))
    started = time.monotonic()
    done = subprocess.run(f"{sys.executable} -m territoria validate {data} --schema {schema} --limit-errors 5000 "
                          f"--format json | head -c 10 >/dev/null", shell=True, env=env, capture_output=True, text=True)
    return time.monotonic() - started, done.stderr.strip().splitlines()[-1:] or [""]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", default=os.path.dirname(HERE), help="checkout whose validator/ is run")
    parser.add_argument("--timeout", type=float, default=120, help="seconds before a run is killed")
    parser.add_argument("--only", default="", help="comma-separated words: run the attacks whose names contain one")
    args = parser.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="territoria-bombs-")
    server = Server()
    try:
        rows = []
        words = [w.strip().lower() for w in args.only.split(",") if w.strip()]
        for name, case_argv, env_extra, extra_judge in cases(tmp, server):
            if words and not any(w in name.lower() for w in words):
                continue
            seconds, peak, rc, output = run_case(args.tree, case_argv, env_extra, args.timeout)
            extra = extra_judge(output, rc) if extra_judge else None
            rows.append((name, seconds, peak, rc, judge(output, rc, extra)))
            print(f"| {name} | {seconds:.1f} s | {peak if peak is not None else '?'} MB | "
                  f"{rc if rc is not None else 'killed'} | {rows[-1][4]} |", flush=True)
        if not words or any(w in "broken pipe" for w in words):
            seconds, last = broken_pipe(args.tree, tmp)
            print(f"| `| head` (broken pipe) | {seconds:.1f} s | | | stderr: {last[0][:60] or '(nothing)'} |")
    finally:
        server.httpd.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
