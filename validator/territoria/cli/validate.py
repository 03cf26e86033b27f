"""``territoria validate``: the targets of the command line, validated, rendered, and an exit code.

The same :mod:`territoria.targets` as the GitHub Action, so that both give the
same verdict and write the same JSON report for the same inputs.
"""
from __future__ import annotations

import sys

from .. import targets
from ..render import write
from ..report import exit_status
from .progress import ProgressBar


def run(args, default_lang: str) -> int:
    lang = args.lang or default_lang
    sheet = int(args.sheet) if args.sheet and args.sheet.isdigit() else args.sheet
    plan = targets.collect(args.paths, args.url, args.dataset, args.schema)
    for item in plan.skipped:
        print(f"territoria: {item.dataset}: {item.title} ({item.format or '?'}) is not a table, not checked",
              file=sys.stderr)
    if not plan.targets:
        print("territoria validate: give at least one PATH, --url or --dataset", file=sys.stderr)
        return 2
    show = not args.no_progress and sys.stderr.isatty()
    report = targets.run(plan.targets, limit_errors=max(args.limit_errors, 0), delimiter=args.delimiter,
                         encoding=args.encoding, sheet=sheet, memory_limit=args.memory_limit,
                         progress=lambda target: ProgressBar(target.source, enabled=show))
    if args.output_file:
        with open(args.output_file, "w", encoding="utf-8") as stream:
            write(report, args.output, stream, lang, skipped=plan.skipped)
    else:
        write(report, args.output, sys.stdout, lang, skipped=plan.skipped)
    return exit_status(report)
