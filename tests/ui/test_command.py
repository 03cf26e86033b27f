"""``territoria ui``: the address it prints and opens, the warning for another host, the missing extra."""
from __future__ import annotations

import importlib.util
import socket

import pytest
from ui_client import needs_the_extra

needs_the_extra()

from territoria.cli import main  # noqa: E402
from territoria.ui import server as ui_server  # noqa: E402


@pytest.fixture
def started(monkeypatch):
    """Run the command without serving for ever: record the server it would run and the page it opens."""
    seen = {"opened": [], "servers": []}

    def run(self):
        seen["servers"].append(self)
        self.cleanup()

    monkeypatch.setattr(ui_server.Server, "run", run)
    monkeypatch.setattr("webbrowser.open", lambda url: seen["opened"].append(url))
    return seen


def test_the_page_opens_on_the_loopback_address(started, capsys):
    assert main(["ui", "--port", "0", "--lang", "fr"]) == 0
    [server] = started["servers"]
    assert server.url.startswith("http://127.0.0.1:") and started["opened"] == [server.url]
    err = capsys.readouterr().err
    assert f"territoria ui : page locale sur {server.url} (Ctrl+C pour arrêter)" in err and "attention" not in err


def test_no_browser_and_english(started, capsys):
    assert main(["ui", "--port", "0", "--no-browser", "--lang", "en"]) == 0
    assert started["opened"] == [] and "territoria ui: local page at http://127.0.0.1:" in capsys.readouterr().err


def test_a_taken_default_port_falls_back_to_a_free_one(started, monkeypatch, capsys):
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    monkeypatch.setattr("territoria.cli.ui.DEFAULT_PORT", holder.getsockname()[1])
    try:
        assert main(["ui", "--no-browser", "--lang", "en"]) == 0
        assert started["servers"][0].url != f"http://127.0.0.1:{holder.getsockname()[1]}/"
        # a port asked for explicitly is not replaced: one line, exit 2
        assert main(["ui", "--no-browser", "--port", str(holder.getsockname()[1]), "--lang", "en"]) == 2
        assert "territoria ui: cannot listen on 127.0.0.1:" in capsys.readouterr().err
    finally:
        holder.close()


def test_another_host_must_be_explicit_and_is_warned_about(started, monkeypatch, capsys):
    # the socket is bound on the loopback all the same: the test never listens on another interface
    monkeypatch.setattr(ui_server, "bind", lambda host, port: _loopback())
    assert main(["ui", "--host", "192.0.2.10", "--no-browser", "--lang", "fr"]) == 0
    err = capsys.readouterr().err
    assert "territoria ui : attention, la page écoute sur 192.0.2.10" in err


def _loopback():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    return sock


def test_without_the_extra_the_command_says_what_to_install(monkeypatch, capsys):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "uvicorn" else real(name, *a))
    assert main(["ui", "--no-browser", "--lang", "fr"]) == 2
    assert capsys.readouterr().err.strip() == ("territoria ui : la page locale demande le paquet optionnel : "
                                               "python3 -m pip install 'territoria[ui]'")


def test_a_bad_limit_is_one_line(capsys):
    assert main(["ui", "--max-upload-mb", "0", "--lang", "en"]) == 2
    assert capsys.readouterr().err.strip() == "territoria ui: --max-upload-mb must be at least 1"


def test_the_real_command_serves_the_page_and_stops_cleanly_on_ctrl_c(tmp_path):
    """The whole process: it prints its address, serves the page there, and Ctrl+C stops it, exit 0,
    its private folder removed."""
    import os
    import re
    import signal
    import subprocess
    import sys

    from conftest import REPO
    from ui_client import get

    env = dict(os.environ, PYTHONPATH=str(REPO / "validator"), TMPDIR=str(tmp_path))
    process = subprocess.Popen([sys.executable, "-m", "territoria", "ui", "--no-browser", "--port", "0", "--lang", "en"],
                               stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = process.stderr.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        page = get(url, "/")
        assert page.status == 200 and "Territoria" in page.text
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith("territoria-ui-")], "its private folder"
        process.send_signal(signal.SIGINT)
        _, rest = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0 and rest.strip() == "territoria ui: page stopped" and "Traceback" not in rest
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("territoria-ui-")]
