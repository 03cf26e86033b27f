"""``territoria validate``: the targets of the command line, validated, rendered, and an exit code.

The same :mod:`territoria.targets` as the GitHub Action, so that both give the
same verdict and write the same JSON report for the same inputs. The report
file (``-o``) is checked before anything is read, never lands on an input
(the same file by any path, a package's resources included), and is written
atomically: a temporary file beside it, then a rename.
"""
from __future__ import annotations

import sys

from .. import targets
from ..readers import policy
from ..render import write
from ..render.text import visible
from ..report import exit_status
from . import safety_options
from .output import OutputProblem, check_output, write_atomically
from .progress import ProgressBar


def run(args, default_lang: str) -> int:
    lang = args.lang or default_lang
    french = lang == "fr"
    sheet = int(args.sheet) if args.sheet and args.sheet.isdigit() else args.sheet
    safety = safety_options(args)
    limits = {k: v for k, v in safety.items() if k not in ("trusted", "allow_private_network")}
    with policy.applied(policy.make(safety["trusted"], safety["allow_private_network"], limits)):
        plan = targets.collect(args.paths, args.url, args.dataset, args.schema)
        for item in plan.skipped:
            print(visible(f"territoria : {item.dataset} : {item.title} ({item.format or '?'}) n'est pas un tableau, "
                          f"non vérifié" if french else
                          f"territoria: {item.dataset}: {item.title} ({item.format or '?'}) is not a table, "
                          f"not checked"), file=sys.stderr)
        if not plan.targets:
            print("territoria validate : indiquez au moins un CHEMIN, --url ou --dataset" if french else
                  "territoria validate: give at least one PATH, --url or --dataset", file=sys.stderr)
            return 2
        if args.output_file:
            inputs = [source for t in plan.targets for source in (t.members or [t.source])]
            try:
                check_output(args.output_file, inputs + [args.schema])
            except OutputProblem as problem:
                print(f"territoria validate: {problem}", file=sys.stderr)
                return 2
        show = not args.no_progress and sys.stderr.isatty()
        report = targets.run(plan.targets, limit_errors=max(args.limit_errors, 0), delimiter=args.delimiter,
                             encoding=args.encoding, sheet=sheet, memory_limit=args.memory_limit,
                             progress=lambda target: ProgressBar(target.source, enabled=show, lang=lang),
                             **safety)
    def written(stream) -> None:  # JSON as a stream: a report listing every error is never one string
        write(report, args.output, stream, lang, skipped=plan.skipped)

    if args.output_file:
        try:
            write_atomically(args.output_file, written)
        except OutputProblem as problem:
            print(f"territoria validate: {problem}", file=sys.stderr)
            return 2
    else:
        try:
            written(sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:  # ``| head``: the verdict stands, the rest is not wanted
            from . import _silence_stdout

            _silence_stdout()
    return exit_status(report)
