"""``territoria docs build|serve``: build or serve the catalogue site.

Why a subcommand: one documented command for contributors, whatever their
working directory. It runs MkDocs on ``catalogue_docs/mkdocs.yml`` of the
source tree (the site is built from a clone, not from an installed wheel),
strictly by default, so a warning fails the build as it does in the tests.
"""
from __future__ import annotations

import importlib.util
import os
import sys
from typing import Optional

def find_config(start: Optional[str] = None) -> Optional[str]:
    """``catalogue_docs/mkdocs.yml`` of the current clone, else of the source tree of this package."""
    here = os.path.abspath(start or os.getcwd())
    while True:
        candidate = os.path.join(here, "catalogue_docs", "mkdocs.yml")
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    package_tree = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "catalogue_docs", "mkdocs.yml")
    return os.path.normpath(package_tree) if os.path.isfile(package_tree) else None


def run(action: str, site_dir: Optional[str] = None, strict: bool = True, dev_addr: Optional[str] = None) -> int:
    config = find_config()
    if config is None:
        print("territoria: catalogue_docs/mkdocs.yml not found: run this command from a clone of the repository",
              file=sys.stderr)
        return 2
    if importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("material") is None:
        print("territoria: the site needs mkdocs-material: python3 -m pip install -e \".[test]\"", file=sys.stderr)
        return 2
    command = [sys.executable, "-m", "mkdocs", action, "-f", config]
    if strict:
        command.append("--strict")
    if action == "build" and site_dir:
        command += ["-d", os.path.abspath(site_dir)]
    if action == "serve" and dev_addr:
        command += ["-a", dev_addr]
    environment = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    try:
        import subprocess  # here, not at the top: every command builds this parser

        return subprocess.call(command, env=environment)
    except KeyboardInterrupt:
        return 0


def add_parser(commands) -> None:
    docs = commands.add_parser("docs", help="build or serve the catalogue site")
    actions = docs.add_subparsers(dest="docs_command", metavar="ACTION")
    build = actions.add_parser("build", help="build the site (strict: a warning fails)")
    build.add_argument("--site-dir", "-d", help="output folder (default: site/ at the repository root)")
    build.add_argument("--no-strict", action="store_true", help="do not fail on warnings")
    serve = actions.add_parser("serve", help="serve the site with live reload")
    serve.add_argument("--dev-addr", "-a", help="IP:PORT to listen on (default 127.0.0.1:8000)")


def main(args) -> int:
    if args.docs_command == "build":
        return run("build", site_dir=args.site_dir, strict=not args.no_strict)
    if args.docs_command == "serve":
        return run("serve", strict=False, dev_addr=args.dev_addr)
    print("territoria docs: choose an action: build or serve", file=sys.stderr)
    return 2
