"""``territoria ui`` benchmark: a 1M-row file through the local page's API and through the page itself.

Usage::

    python bench/ui.py                   # 1M rows (bench/data/lighting_1000000.csv, generated once)
    python bench/ui.py --rows 100000     # a quicker run
    python bench/ui.py --no-page         # the API only (no browser)

What is measured, against one ``territoria ui --no-browser --port 0`` server
started as its own process (the real command):

* **API**: the file and its schema (as JSON text) sent to ``POST /api/validate``
  as the page sends them (multipart, ``Accept: application/x-ndjson``), from the
  first byte sent to the last line of the answer (the report's summary and
  fragment), the upload included;
* **page**: the same file chosen in the page in Debian's chromium (Playwright,
  ``/usr/bin/chromium``), from the click on *Valider* to ``#report`` bearing
  ``data-valid`` (skipped without chromium or Playwright);
* the server's peak memory (``VmHWM`` of its process, from ``/proc``), after
  each;
* for scale, ``territoria validate FILE --schema SCHEMA -f json`` as a whole
  process, and the ratio page / command.

Targets: each run under 30 s, the server's peak memory under 1 GB. Results: a
table on stdout and ``bench/out/ui_results.json``.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import generate  # noqa: E402

OUT = os.path.join(HERE, "out")
ENV = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "validator") + os.pathsep + os.environ.get("PYTHONPATH", ""))


def peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def start_server() -> tuple:
    process = subprocess.Popen([sys.executable, "-m", "territoria", "ui", "--no-browser", "--port", "0",
                                "--lang", "en", "--max-upload-mb", "4096"],
                               stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT)
    line = process.stderr.readline()
    match = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
    if not match:
        process.kill()
        raise SystemExit(f"the server did not start: {line.strip()}")
    return process, match.group(1)


def through_the_api(url: str, csv_path: str, schema_text: str) -> dict:
    """Send the file as the page does; answer the seconds to the last line, and the summary."""
    boundary = "----territoria-bench"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="schema"\r\n\r\n{schema_text}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="lang"\r\n\r\nen\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{os.path.basename(csv_path)}"\r\n'
            f"Content-Type: text/csv\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    size = len(head) + os.path.getsize(csv_path) + len(tail)
    host, port = url.split("//")[1].rstrip("/").split(":")
    started = time.perf_counter()
    connection = http.client.HTTPConnection(host, int(port), timeout=600)
    connection.putrequest("POST", "/api/validate")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(size))
    connection.putheader("Accept", "application/x-ndjson")
    connection.endheaders()
    connection.send(head)
    with open(csv_path, "rb") as data:
        while True:
            chunk = data.read(1 << 20)
            if not chunk:
                break
            connection.send(chunk)
    connection.send(tail)
    uploaded = time.perf_counter() - started
    response = connection.getresponse()
    events, done = 0, None
    for line in response:
        message = json.loads(line)
        events += 1
        if message["type"] == "done":
            done = message
    seconds = time.perf_counter() - started
    connection.close()
    if done is None:
        raise SystemExit("the API gave no report")
    return {"seconds": seconds, "upload_seconds": uploaded, "progress_lines": events - 1, "valid": done["valid"],
            "errors": done["errors"], "rows": done["rows"]}


def through_the_page(url: str, csv_path: str, schema_path: str) -> dict:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "Playwright is not installed"}
    if not os.access(chromium, os.X_OK):
        return {"skipped": f"no chromium at {chromium}"}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        page = browser.new_page()
        page.goto(url)
        page.set_input_files("#files", csv_path)
        page.set_input_files("#schema-file", schema_path)
        page.wait_for_selector("#chosen li")
        started = time.perf_counter()
        page.click("#run")
        page.wait_for_selector("#report[data-valid]", timeout=300_000)
        seconds = time.perf_counter() - started
        valid = page.get_attribute("#report", "data-valid")
        browser.close()
    return {"seconds": seconds, "valid": valid}


def command_seconds(csv_path: str, schema_path: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "territoria", "validate", csv_path, "--schema", schema_path, "-f", "json",
                    "--no-progress"], stdout=subprocess.DEVNULL, env=ENV, cwd=ROOT)
    return time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--no-page", action="store_true", help="measure the API only")
    args = parser.parse_args(argv)
    csv_path, schema_path = generate.ensure(args.rows)
    with open(schema_path, encoding="utf-8") as handle:
        schema_text = handle.read()
    size_mb = os.path.getsize(csv_path) / 1e6
    process, url = start_server()
    try:
        idle = peak_rss_mb(process.pid)
        api = through_the_api(url, csv_path, schema_text)
        api["server_peak_rss_mb"] = peak_rss_mb(process.pid)
        page = {"skipped": "--no-page"} if args.no_page else through_the_page(url, csv_path, schema_path)
        if "seconds" in page:
            page["server_peak_rss_mb"] = peak_rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(30)
    command = command_seconds(csv_path, schema_path)
    results = {"rows": args.rows, "file_mb": round(size_mb, 1), "server_idle_rss_mb": round(idle, 1),
               "api": api, "page": page, "command_seconds": round(command, 2),
               "date": time.strftime("%Y-%m-%d"), "cpus": os.cpu_count()}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "ui_results.json"), "w", encoding="utf-8") as out:
        json.dump(results, out, indent=2)
    print(f"{args.rows:,} rows, {size_mb:.0f} MB; server at rest {idle:.0f} MB")
    print(f"{'':26} {'seconds':>8} {'server peak RSS':>16} {'target':>22}")
    print(f"{'API (upload + check)':26} {api['seconds']:8.2f} {api['server_peak_rss_mb']:13.0f} MB "
          f"{'< 30 s, < 1024 MB':>22}   (upload {api['upload_seconds']:.2f} s, "
          f"{api['progress_lines']} progress lines, {api['errors']:,} errors)")
    if "seconds" in page:
        print(f"{'page (click to verdict)':26} {page['seconds']:8.2f} {page['server_peak_rss_mb']:13.0f} MB "
              f"{'< 30 s, < 1024 MB':>22}")
    else:
        print(f"{'page':26} skipped: {page['skipped']}")
    print(f"{'territoria validate':26} {command:8.2f}")
    shown = page.get("seconds", api["seconds"])
    print(f"ratio {'page' if 'seconds' in page else 'API'} / command: {shown / command:.2f}x")
    ok = api["seconds"] < 30 and api["server_peak_rss_mb"] < 1024 and (
        "seconds" not in page or (page["seconds"] < 30 and page["server_peak_rss_mb"] < 1024))
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
