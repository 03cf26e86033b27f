"""``territoria fix``: write a repaired copy (and a change log), then print the copy's report.

Exit codes as ``validate``: 0 the copy is valid, 1 it was written but keeps
errors no rule may repair, 2 the repair could not run. ``--suggest-mapping``
writes a draft mapping file instead (to ``--output``, or the standard output).
"""
from __future__ import annotations

import os
import sys

from ..render import render
from ..report import exit_status


def add_parser(commands) -> None:
    repair = commands.add_parser(
        "fix", help="write a repaired copy of a file, with a log of every change",
        description="Repair what can be repaired (dialect, header, decimal commas, French dates, times and "
                    "booleans, labels, time zones, swapped or Lambert 93 coordinates), log every change, invent "
                    "nothing; then validate the copy.")
    repair.add_argument("path", metavar="FILE", nargs="?", default=None,
                        help="the file to repair (CSV, TSV, XLSX, ODS, JSON, Parquet, URL; default: the mapping's "
                             "source/file)")
    repair.add_argument("--schema", "-s",
                        help="schema: path, URL, or catalogue name NAME[/RESOURCE][@VERSION] (default: the mapping's "
                             "schema)")
    repair.add_argument("--output", "-o", metavar="OUT",
                        help="the copy to write (UTF-8 CSV); with --suggest-mapping: the draft mapping")
    repair.add_argument("--log", metavar="LOG.csv", help="write every change as CSV: row,field,before,after,rule")
    repair.add_argument("--timezone", metavar="TZ",
                        help="IANA zone of naive local date-times (e.g. Europe/Paris), to give them their UTC offset")
    repair.add_argument("--mapping", metavar="MAP.yml",
                        help="the mapping file of a legacy export: its columns, codes, units, constants and rows")
    repair.add_argument("--suggest-mapping", action="store_true",
                        help="write a draft mapping file for FILE instead of repairing it")
    repair.add_argument("--format", "-f", dest="report_format", default="text",
                        choices=["text", "json", "markdown", "html"], help="report format (default: text)")
    repair.add_argument("--report", metavar="FILE", help="write the report to FILE instead of the standard output")
    repair.add_argument("--lang", choices=["fr", "en"], default=None, help="message language (default: from the locale)")
    repair.add_argument("--limit-errors", type=int, default=1000, help="errors of the copy listed in detail")
    repair.add_argument("--delimiter", help="CSV delimiter of FILE, when detection is not wanted")
    repair.add_argument("--encoding", help="text encoding of FILE, when detection is not wanted")
    repair.add_argument("--sheet", help="spreadsheet sheet: its name or its number (1 is the first; default: the first)")


def run(args, default_lang: str) -> int:
    lang = args.lang or default_lang
    sheet = int(args.sheet) if args.sheet and args.sheet.isdigit() else args.sheet
    if args.suggest_mapping:
        if not args.path or not args.schema:
            print("territoria fix: --suggest-mapping needs FILE and --schema", file=sys.stderr)
            return 2
        return _suggest(args, sheet)
    if not args.output:
        print("territoria fix: give --output, the path of the copy to write", file=sys.stderr)
        return 2
    if args.report and any(_same(args.report, other) for other in (args.path, args.mapping, args.output, args.log)):
        print(f"territoria fix: {args.report}: --report must be a file of its own (the inputs are only ever read)",
              file=sys.stderr)
        return 2
    from ..fix.runner import fix

    result = fix(args.path, args.schema, args.output, log=args.log, timezone=args.timezone, mapping=args.mapping,
                 limit_errors=max(args.limit_errors, 0), encoding=args.encoding, delimiter=args.delimiter,
                 sheet=sheet)
    text = render(result.report, args.report_format, lang)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as stream:
            stream.write(text)
    else:
        sys.stdout.write(text)
    return exit_status(result.report)


def _same(path, other) -> bool:
    """Two names of one file (the second may not exist yet)."""
    if not path or not other:
        return False
    if os.path.abspath(path) == os.path.abspath(other):
        return True
    try:
        return os.path.exists(path) and os.path.exists(other) and os.path.samefile(path, other)
    except OSError:
        return False


def _suggest(args, sheet) -> int:
    from ..fix.mapping import MappingProblem
    from ..fix.suggest import suggest_mapping
    from ..readers import SourceProblem
    from ..schema import SchemaProblem

    if args.output and _same(args.path, args.output):
        print(f"territoria fix: {args.output}: --output may not be the source, which is only ever read", file=sys.stderr)
        return 2
    try:
        text = suggest_mapping(args.path, args.schema, encoding=args.encoding, delimiter=args.delimiter, sheet=sheet)
    except SchemaProblem as problem:
        print(f"territoria fix: {problem}", file=sys.stderr)
        return 2
    except (SourceProblem, MappingProblem) as problem:
        print(f"territoria fix: {args.path}: {problem}", file=sys.stderr)
        return 2
    if args.output:
        with open(args.output, "w", encoding="utf-8") as stream:
            stream.write(text)
    else:
        sys.stdout.write(text)
    return 0
