"""``territoria audit``: check every published file of a list or a portal, and write results and a dashboard.

Exit codes: 0 when the audit ran, whatever the data say (a portal's nightly
job must not fail because a publisher's file broke); 2 when it could not run
(no target, an unreadable targets file, a portal or a scheduler that does not
answer, an output folder that cannot be written); with ``--fail-on invalid``,
1 when a file is invalid.
"""
from __future__ import annotations

import os
import sys

from . import add_safety_arguments, safety_options


def add_parser(commands) -> None:
    audit = commands.add_parser(
        "audit", help="check every published file of a list or a portal, in parallel; write results and a dashboard",
        description="Check many published files at once (local worker processes, or a Dask cluster), each against "
                    "the schema it declares; write results.parquet, results.csv, a JSON report per file and an "
                    "index.html dashboard into the output folder. A second run in the same folder checks again only "
                    "the files that changed.")
    audit.add_argument("--targets", metavar="FILE",
                       help="one target per line: URL, path, folder, glob or dataset reference "
                            "(datagouv:ID, ckan:BASE#ID, ods:BASE#ID); - reads the standard input")
    audit.add_argument("--portal", metavar="datagouv:BASE",
                       help="a udata portal whose datasets to list (with --declared-schema)")
    audit.add_argument("--declared-schema", metavar="NAME",
                       help="list the portal's resources that declare this schema (e.g. etalab/schema-irve-statique)")
    audit.add_argument("--schema", "-s",
                       help="schema for the resources that declare none: path, URL, or catalogue name "
                            "NAME[/RESOURCE][@VERSION]")
    audit.add_argument("--output", "-o", metavar="DIR", required=True,
                       help="folder of the results, the reports and the dashboard (reused by the next run)")
    audit.add_argument("--workers", type=int, default=0, metavar="N",
                       help="local worker processes (default: one per core)")
    audit.add_argument("--scheduler", metavar="ADDRESS",
                       help="run on this Dask distributed scheduler (tcp://HOST:PORT) instead of local workers")
    audit.add_argument("--time-limit", type=float, default=120.0, metavar="SECONDS",
                       help="seconds one resource may take, download and validation (default 120)")
    audit.add_argument("--retries", type=int, default=3, metavar="N",
                       help="new tries of a download after a transient error (429, 5xx, a reset; default 3)")
    audit.add_argument("--worker-memory", type=int, default=2048, metavar="MIB",
                       help="memory a local worker may use before it is replaced, in MiB (default 2048; 0: no bound)")
    audit.add_argument("--max-pages", type=int, default=500, metavar="N",
                       help="pages of the portal's listing read at most (default 500)")
    audit.add_argument("--fail-on", choices=["never", "invalid"], default="never",
                       help="invalid: exit 1 when a file is invalid (default never: 0 whenever the audit ran)")
    audit.add_argument("--lang", choices=["fr", "en"], default=None, help="message language (default: from the locale)")
    audit.add_argument("--limit-errors", type=int, default=1000, metavar="N",
                       help="errors listed in detail per file (counts stay exact; default 1000)")
    audit.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    add_safety_arguments(audit)


def run(args, default_lang: str) -> int:
    from ..audit import ListingProblem, Options, WorkersProblem, combine, from_portal, from_targets_file, run_audit
    from ..readers import policy
    from .progress import AuditProgress

    lang = args.lang or default_lang
    french = lang == "fr"

    def fail(english: str, french_text: str) -> int:
        print(f"territoria audit : {french_text}" if french else f"territoria audit: {english}", file=sys.stderr)
        return 2

    if not args.targets and not args.portal:
        return fail("give --targets FILE, or --portal with --declared-schema",
                    "indiquez --targets FICHIER, ou --portal avec --declared-schema")
    if bool(args.portal) != bool(args.declared_schema):
        return fail("--portal and --declared-schema go together", "--portal et --declared-schema vont ensemble")
    for name, value, least in (("--workers", args.workers, 0), ("--retries", args.retries, 0),
                               ("--worker-memory", args.worker_memory, 0), ("--max-pages", args.max_pages, 1)):
        if value < least:
            return fail(f"{name} must be at least {least}", f"{name} doit valoir au moins {least}")
    if not args.time_limit > 0:
        return fail("--time-limit must be more than 0 seconds", "--time-limit doit dépasser 0 seconde")
    problem = _output_problem(args.output)
    if problem:
        return fail(*problem)
    safety = safety_options(args)
    limits = {k: v for k, v in safety.items() if k not in ("trusted", "allow_private_network")}
    chosen = {"trusted": safety["trusted"], "allow_private_network": safety["allow_private_network"],
              "limits": limits}
    with policy.applied(policy.make(safety["trusted"], safety["allow_private_network"], limits)):
        try:
            listings = [from_targets_file(args.targets, args.schema)] if args.targets else []
            if args.portal:
                listings.append(from_portal(args.portal, args.declared_schema, args.schema, max_pages=args.max_pages))
        except ListingProblem as problem:
            return fail(str(problem), _french(str(problem)))
    listing = combine(listings)
    if not listing.resources:
        return fail("nothing to check: the targets and the portal listed no resource",
                    "rien à vérifier : les cibles et le portail n'ont listé aucune ressource")
    for warning in listing.warnings:
        print(f"territoria audit: {warning.get('message_' + lang) or warning.get('message')}", file=sys.stderr)
    options = Options(output=args.output, workers=args.workers, scheduler=args.scheduler or "",
                      time_limit=args.time_limit, retries=args.retries, limit_errors=max(args.limit_errors, 0),
                      worker_memory=args.worker_memory, lang=lang, safety=chosen)
    bar = AuditProgress(len(listing.resources), enabled=not args.no_progress and sys.stderr.isatty(), lang=lang)
    try:
        with bar:
            audit = run_audit(listing, options, on_row=bar.update)
    except WorkersProblem as problem:
        return fail(str(problem), _french(str(problem)))
    except OSError as error:
        return fail(f"--output {args.output}: cannot be written ({error.strerror or error})",
                    f"--output {args.output} : écriture impossible ({error.strerror or error})")
    print(_summary(audit, args.output, lang))
    if args.fail_on == "invalid" and audit.count("invalid"):
        return 1
    return 0


def _output_problem(output: str):
    """(English, French) when the output folder cannot be used, else None."""
    if os.path.exists(output) and not os.path.isdir(output):
        return (f"--output {output}: is a file, not a folder", f"--output {output} : c'est un fichier, pas un dossier")
    try:
        os.makedirs(output, exist_ok=True)
    except OSError as error:
        return (f"--output {output}: cannot be created ({error.strerror or error})",
                f"--output {output} : création impossible ({error.strerror or error})")
    if not os.access(output, os.W_OK):
        return (f"--output {output}: is not writable", f"--output {output} : écriture interdite")
    return None


def _french(note: str) -> str:
    from ..rules.notes import french

    return french(note)


def _summary(audit, output: str, lang: str) -> str:
    """"territoria audit: 453 resources: 350 valid, 100 invalid, 2 not checked, 1 not a table; ..." """
    from ..render.words import count, word

    counts = {status: audit.count(status) for status in ("valid", "invalid", "failed", "skipped")}
    again, unchanged = audit.revalidated, audit.unchanged
    parts = ", ".join(f"{counts[s]} {word(counts[s], k, lang)}" for s, k in (
        ("valid", "valid-f" if lang == "fr" else "valid"), ("invalid", "invalid-f" if lang == "fr" else "invalid"),
        ("failed", "unchecked-resource"), ("skipped", "not-table")))
    where = os.path.join(output, "index.html")
    if lang == "fr":
        return (f"territoria audit : {count(len(audit.rows), 'resource', lang)} : {parts} ; {again} "
                f"{word(again, 'checked-again', lang)}, {unchanged} {word(unchanged, 'unchanged', lang)}. "
                f"Tableau de bord : {where}")
    return (f"territoria audit: {count(len(audit.rows), 'resource', lang)}: {parts}; {again} "
            f"{word(again, 'checked-again', lang)}, {unchanged} {word(unchanged, 'unchanged', lang)}. "
            f"Dashboard: {where}")
