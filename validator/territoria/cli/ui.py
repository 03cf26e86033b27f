"""``territoria ui``: start the local page and open the browser on it.

Why a subcommand of its own, imported only when it runs: the page needs the
optional extra ``territoria[ui]`` (Starlette, uvicorn), which must cost the
other commands nothing, not even an import. Binding to an address other than
the loopback one must be asked for (``--host``) and is warned about: the page
would then be reachable from the network, by anyone who can reach the machine.
"""
from __future__ import annotations

import importlib.util
import sys

DEFAULT_PORT = 8765


def add_parser(commands) -> None:
    page = commands.add_parser(
        "ui", help="open a local web page to validate and repair files",
        description="Start a web page on this computer to validate files against the catalogue's schemas and "
                    "download their repaired copies; nothing leaves the machine.")
    page.add_argument("--port", type=int, default=None, metavar="N",
                      help=f"port to listen on (default {DEFAULT_PORT}, or a free one if it is taken)")
    page.add_argument("--host", default="127.0.0.1",
                      help="address to listen on (default 127.0.0.1, this computer only)")
    page.add_argument("--no-browser", action="store_true", help="do not open the browser on the page")
    page.add_argument("--max-upload-mb", type=int, default=1024, metavar="N",
                      help="largest upload the page accepts, in MiB (default 1024)")
    page.add_argument("--lang", choices=["fr", "en"], default=None,
                      help="language of the page (default: French) and of these messages (default: from the locale)")


def run(args, default_lang: str) -> int:
    french = (args.lang or default_lang) == "fr"
    missing = [name for name in ("starlette", "uvicorn", "python_multipart") if importlib.util.find_spec(name) is None]
    if missing:
        print("territoria ui : la page locale demande le paquet optionnel : python3 -m pip install 'territoria[ui]'"
              if french else
              "territoria ui: the local page needs the optional extra: python3 -m pip install 'territoria[ui]'",
              file=sys.stderr)
        return 2
    if args.max_upload_mb < 1:
        print("territoria ui : --max-upload-mb doit valoir au moins 1" if french else
              "territoria ui: --max-upload-mb must be at least 1", file=sys.stderr)
        return 2
    from ..ui.server import Server, bind, is_loopback

    try:
        sock = _socket(args.host, args.port, bind)
    except OSError as error:
        where = f"{args.host}:{args.port if args.port is not None else DEFAULT_PORT}"
        print(f"territoria ui : impossible d'écouter sur {where} ({error.strerror or error})" if french else
              f"territoria ui: cannot listen on {where} ({error.strerror or error})", file=sys.stderr)
        return 2
    if not is_loopback(args.host):
        print(f"territoria ui : attention, la page écoute sur {args.host} : toute machine qui atteint celle-ci "
              "peut y envoyer des fichiers et lire leurs rapports." if french else
              f"territoria ui: warning, the page listens on {args.host}: any machine that can reach this one can "
              "send it files and read their reports.", file=sys.stderr)
    server = Server(args.host, sock=sock, max_upload_bytes=args.max_upload_mb << 20)
    url = server.url if is_loopback(args.host) or args.host not in ("0.0.0.0", "::") else \
        server.url.replace(args.host, "127.0.0.1" if args.host == "0.0.0.0" else "[::1]")
    print(f"territoria ui : page locale sur {url} (Ctrl+C pour arrêter)" if french else
          f"territoria ui: local page at {url} (Ctrl+C to stop)", file=sys.stderr)
    if not args.no_browser:
        import webbrowser

        webbrowser.open(url + ("?lang=en" if args.lang == "en" else ""))
    try:
        server.run()
    except KeyboardInterrupt:  # Ctrl+C is how the page is meant to stop
        pass
    print("territoria ui : page arrêtée" if french else "territoria ui: page stopped", file=sys.stderr)
    return 0


def _socket(host: str, port, bind):
    """The port asked for; without one, the default, or a free port when the default is taken."""
    if port is not None:
        return bind(host, port)
    try:
        return bind(host, DEFAULT_PORT)
    except OSError:
        return bind(host, 0)
