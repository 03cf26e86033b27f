"""The ``territoria`` command.

Why argparse and lazy imports: the command must start as fast as possible on a
tiny file (half the time of ``frictionless validate``), so pyarrow and numpy are
imported only when a file is actually read. Exit codes: 0 valid, 1 invalid,
2 could not run. No traceback ever reaches the user.
"""
from __future__ import annotations

import argparse
import locale
import os
import sys


def default_lang() -> str:
    for variable in ("TERRITORIA_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    try:
        current = locale.getlocale()[0] or ""
    except ValueError:
        current = ""
    return "fr" if current.lower().startswith("fr") else "en"


def _size(text: str) -> int:
    """A --memory-limit value: bytes, or a number with K, M or G."""
    # imported here: columnar.keys imports numpy and pyarrow, which `--help` need not load
    from ..columnar.keys import parse_size

    size = parse_size(text)
    if size is None:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 600M, 2G)")
    return size


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="territoria",
        description="Validate smart-territory open data against Table Schemas.",
    )
    parser.add_argument("--version", action="version", version=f"territoria {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("validate", help="validate data files against a schema")
    check.add_argument("paths", nargs="*", metavar="PATH",
                       help="CSV, TSV, XLSX, ODS, JSON or Parquet file, URL, folder or datapackage.json")
    check.add_argument("--schema", "-s", help="schema: path, URL, or catalogue name NAME[/RESOURCE][@VERSION]")
    check.add_argument("--format", "-f", dest="output", default="text",
                       choices=["text", "json", "markdown", "html", "github"],
                       help="report format (default: text); github: workflow-command annotations")
    check.add_argument("--output", "-o", dest="output_file", metavar="FILE",
                       help="write the report to FILE instead of the standard output")
    check.add_argument("--url", action="append", default=[], metavar="URL",
                       help="a published file to validate (repeatable)")
    check.add_argument("--dataset", action="append", default=[], metavar="REF",
                       help="a portal dataset: datagouv:ID, ckan:BASE#ID or ods:BASE#ID (repeatable)")
    check.add_argument("--lang", choices=["fr", "en"], default=None, help="message language (default: from the locale)")
    check.add_argument("--memory-limit", type=_size, default=None, metavar="SIZE",
                       help="peak memory to keep under, e.g. 600M or 2G (default 600M): key indexes "
                            "(unique, primaryKey) beyond their share spill to a temporary folder")
    check.add_argument("--limit-errors", type=int, default=1000,
                       help="errors listed in detail per file (counts stay exact; default 1000)")
    check.add_argument("--delimiter", help="CSV delimiter, when detection is not wanted")
    check.add_argument("--encoding", help="text encoding, when detection is not wanted")
    check.add_argument("--sheet", help="spreadsheet sheet: its name, its number (1 is the first) or all "
                                       "(default: the first)")
    check.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    add_safety_arguments(check)

    schemas = commands.add_parser("schemas", help="browse the schema catalogue")
    schemas.add_argument("--lang", choices=["fr", "en"], default=None, help="message language (default: from the locale)")
    schema_commands = schemas.add_subparsers(dest="schemas_command", metavar="ACTION")
    lang_too = argparse.ArgumentParser(add_help=False)  # --lang after the action as well
    lang_too.add_argument("--lang", choices=["fr", "en"], default=argparse.SUPPRESS,
                          help="message language (default: from the locale)")
    schema_commands.add_parser("list", help="list the catalogue entries and their versions", parents=[lang_too])
    show = schema_commands.add_parser("show", help="show the fields of NAME[/RESOURCE][@VERSION]", parents=[lang_too])
    show.add_argument("reference")
    export = schema_commands.add_parser("export", help="print a table schema in another validator's vocabulary",
                                        parents=[lang_too])
    export.add_argument("reference", metavar="NAME/TABLE[@VERSION]")
    export.add_argument("--for", dest="target", required=True, choices=["validata"],
                        help="validata: the national catalogue's validator (validata-table 0.12.5)")

    lint = commands.add_parser("lint", help="check schema descriptors and house rules")
    lint.add_argument("path", nargs="?", default=None, metavar="PATH",
                      help="catalogue, entry or version folder, datapackage.json or table schema "
                           "(default: the whole catalogue)")
    diff = commands.add_parser("diff", help="classify the changes between two schema versions (semver)")
    diff.add_argument("old", metavar="OLD", help="NAME[/RESOURCE]@VERSION, datapackage.json or table schema")
    diff.add_argument("new", metavar="NEW", help="NAME[/RESOURCE]@VERSION, datapackage.json or table schema")
    lock = commands.add_parser("lock", help="record hashes of new released versions in schemas/versions.lock")
    lock.add_argument("--check", action="store_true", help="only verify the lock, write nothing")
    lock.add_argument("--catalogue", default=None, metavar="DIR", help="catalogue folder (default: the installed one)")
    from . import audit as cli_audit, docs as cli_docs, fix as cli_fix, ui as cli_ui

    cli_fix.add_parser(commands)
    cli_ui.add_parser(commands)
    cli_audit.add_parser(commands)
    cli_docs.add_parser(commands)
    return parser


def _lang_of(argv: list) -> str:
    """The language asked on the command line (``--lang fr``), else the locale's."""
    for number, word in enumerate(argv):
        if word == "--lang" and number + 1 < len(argv):
            return argv[number + 1]
        if word.startswith("--lang="):
            return word.split("=", 1)[1]
    return default_lang()


#: (flag, Limits field, type, help) of the bounds a user may raise (README "Limits and safety")
LIMIT_FLAGS = (
    ("--max-fields", "max_fields", int, "cells allowed in one row (default 16384)"),
    ("--max-cell-bytes", "max_cell_bytes", int, "bytes allowed in one cell (default 16 MiB)"),
    ("--max-line-bytes", "max_line_bytes", int, "bytes allowed in one line or JSON row (default 64 MiB)"),
    ("--max-uncompressed-bytes", "max_uncompressed_bytes", int,
     "bytes a compressed file or spreadsheet may expand to (default 4 GiB)"),
    ("--max-ratio", "max_ratio", int, "expansion ratio refused past 64 MiB expanded (default 100)"),
    ("--max-cells", "max_cells", int, "cells allowed in a spreadsheet sheet (default 50,000,000)"),
    ("--pattern-timeout", "pattern_timeout", float,
     "seconds a pattern RE2 cannot run may spend on one cell (default 1)"),
)


def add_safety_arguments(parser) -> None:
    group = parser.add_argument_group("limits and safety (see SECURITY.md)")
    group.add_argument("--trusted", action="store_true",
                       help="let the descriptors name files outside their folder (only for descriptors you wrote)")
    group.add_argument("--allow-private-network", action="store_true",
                       help="let downloads reach loopback, private and link-local addresses")
    for flag, name, kind, text in LIMIT_FLAGS:
        group.add_argument(flag, dest=name, type=kind, default=None, metavar="N", help=text)


def safety_options(args) -> dict:
    """The ``validate(...)`` keywords the safety arguments chose (None: the default)."""
    options = {"trusted": True if args.trusted else None,
               "allow_private_network": True if args.allow_private_network else None}
    for _, name, _, _ in LIMIT_FLAGS:
        value = getattr(args, name, None)
        if value is not None:
            options[name] = value
    return options


def main(argv=None) -> int:
    import contextlib

    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    french = _lang_of(argv) == "fr"
    if french:
        from .french import argparse_in_french, translate

        translate(parser)
    try:
        with argparse_in_french() if french else contextlib.nullcontext():
            args = parser.parse_args(argv)
    except SystemExit as exit_:
        return 0 if exit_.code == 0 else 2
    if args.command is None:
        with argparse_in_french() if french else contextlib.nullcontext():
            parser.print_help()
        return 2
    try:
        if args.command == "validate":
            from .validate import run

            return run(args, default_lang())
        if args.command == "fix":
            from . import fix as cli_fix

            return cli_fix.run(args, default_lang())
        if args.command == "ui":
            from . import ui as cli_ui

            return cli_ui.run(args, default_lang())
        if args.command == "audit":
            from . import audit as cli_audit

            return cli_audit.run(args, default_lang())
        if args.command == "schemas":
            from . import schemas as cli_schemas

            lang = args.lang or default_lang()
            if args.schemas_command == "show":
                return cli_schemas.show(args.reference, lang)
            if args.schemas_command == "export":
                from ..authoring import export

                return export.main(args.reference, args.target)
            return cli_schemas.list_entries(lang)
        if args.command == "docs":
            from . import docs as cli_docs

            return cli_docs.main(args)
        if args.command == "lint":
            from ..authoring import lint

            return lint.main(args.path)
        if args.command == "diff":
            from ..authoring import diff as schema_diff

            return schema_diff.main(args.old, args.new)
        if args.command == "lock":
            from ..authoring import lock as lockfile

            return lockfile.main(check_only=args.check, root=args.catalogue)
    except KeyboardInterrupt:
        print("territoria : interrompu" if french else "territoria: interrupted", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader of our output went away (``| head``): nothing left to say
        _silence_stdout()
        return 2
    except Exception as error:  # last resort: one line, never a traceback
        text = " ".join(str(error).split())[:300]
        print(f"territoria: internal error: {type(error).__name__}: {text}", file=sys.stderr)
        if os.environ.get("TERRITORIA_DEBUG"):
            raise
        return 2
    return 2


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
