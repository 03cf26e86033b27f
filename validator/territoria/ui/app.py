"""The local page's web application (Starlette): the page, its assets, and the API beside it.

Routes:

- ``GET /`` the page (French; ``?lang=en`` English), ``GET /static/…`` its
  script and styles (``/static/report.css`` is the HTML report's own style);
- ``GET /api/catalogue`` the catalogue's use cases, tables and versions;
- ``POST /api/match`` the heads of files → the catalogue table their header is for;
- ``POST /api/validate`` (multipart: ``file`` one or more, ``schema`` a catalogue
  name or a schema's JSON text, ``lang``) → the JSON report, or with
  ``Accept: application/x-ndjson`` progress lines then the report's summary and
  fragment (the page's progress bar);
- ``GET /api/reports/{token}?format=json|html|fragment&lang=fr`` a finished
  report again (the page's downloads and its language switch);
- ``POST /api/fix`` (the same fields) → a zip of the repaired copies, their
  change logs and the copies' reports.

Why these guards: the server listens on the user's own machine, where any web
page she visits could send it requests. Every answer carries a
Content-Security-Policy of ``default-src 'self'`` (the page loads nothing from
elsewhere, and no inline script runs); a request whose ``Host`` is not the
server's own name is refused (DNS rebinding), and so is a ``POST`` from another
origin (a form on another site). Uploads live in a private folder removed when
their report is done; the heavy work runs one request at a time, on a thread.
"""
from __future__ import annotations

import asyncio
import collections
import json
import os
import secrets
import threading
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from typing import Optional

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import __version__, rules
from ..render import render
from ..render.html import _STYLE as REPORT_STYLE, fragment
from ..report import Report, Task
from . import catalogue, words, work
from .uploads import UploadProblem, receive

CSP = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
#: bytes of a file's head sent to guess its schema
MATCH_MAX_BYTES = 64 << 20


@dataclass
class Settings:
    """What one server was started with."""

    root: str  # its private folder (uploads, copies), removed when it stops
    max_upload_bytes: int = 1 << 30
    limit_errors: int = 1000
    host: str = "127.0.0.1"
    #: host names the Host header may carry (besides the loopback ones); empty: any (an explicit --host)
    names: tuple = field(default_factory=tuple)


class Reports:
    """The last finished reports, by a random token (the page downloads them and switches language)."""

    def __init__(self, size: int = 20):
        self.size = size
        self.kept: collections.OrderedDict = collections.OrderedDict()
        self.lock = threading.Lock()

    def add(self, report: Report) -> str:
        token = secrets.token_urlsafe(16)
        with self.lock:
            self.kept[token] = report
            while len(self.kept) > self.size:
                self.kept.popitem(last=False)
        return token

    def get(self, token: str) -> Optional[Report]:
        with self.lock:
            return self.kept.get(token)


class Guard:
    """ASGI middleware: the security headers on every answer; foreign hosts and origins refused."""

    def __init__(self, app, settings: Settings):
        self.app, self.settings = app, settings

    def _host_allowed(self, host: str) -> bool:
        if not self.settings.names and self.settings.host not in LOOPBACK_NAMES:
            return True  # bound to another address on purpose (a warning said so): any name reaches it
        name = host.rsplit(":", 1)[0] if not host.startswith("[") else host[1:].split("]", 1)[0]
        return name in LOOPBACK_NAMES + tuple(self.settings.names) + (self.settings.host,)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "")

        async def secured(message):
            if message["type"] == "http.response.start":
                message = dict(message, headers=list(message.get("headers", [])) + SECURITY_HEADERS)
            await send(message)

        problem = None
        if not self._host_allowed(host):
            problem = (421, "unknown host")
        elif scope["method"] not in ("GET", "HEAD"):
            origin = headers.get("origin")
            if headers.get("sec-fetch-site") == "cross-site" or (origin and origin not in (
                    f"http://{host}", f"https://{host}")):
                problem = (403, "a request from another site is refused")
        if problem:
            response = Response(problem[1] + "\n", status_code=problem[0], media_type="text/plain")
            return await response(scope, receive, secured)
        return await self.app(scope, receive, secured)


class _Filled(dict):
    """The values the page's words are filled with on the server; any other ``{name}`` stays for the script."""

    def __missing__(self, key):
        return "{" + key + "}"


def _lang(request: Request, form: Optional[dict] = None) -> str:
    value = (form or {}).get("lang") or request.query_params.get("lang") or "fr"
    return value if value in ("fr", "en") else "fr"


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def make_app(settings: Settings) -> Starlette:
    """The application of one server (its settings, its report store, its one-at-a-time gate)."""
    reports = Reports()
    gate = threading.Semaphore(1)

    def gated(task, progress=None):
        if progress is not None:
            progress.waiting = True
        with gate:
            if progress is not None:
                progress.waiting = False
            return task()

    def report_response(report: Report, lang: str, status: int = 200) -> Response:
        token = reports.add(report)
        return Response(render(report, "json", lang), status_code=status, media_type="application/json",
                        headers={"X-Territoria-Report": token})

    def refused(problem: UploadProblem, lang: str) -> Response:
        return report_response(work.failed_report(problem), lang, problem.status)

    async def page(request: Request) -> Response:
        lang = _lang(request)
        chosen = words.of(lang)
        limit = settings.max_upload_bytes >> 20
        refusal = rules.describe({"type": "upload-too-large",
                                  "note": f"the files sent are larger than {limit} MiB, the page's limit"})
        island = {"lang": lang, "maxUploadBytes": settings.max_upload_bytes, "version": __version__,
                  "words": {"fr": words.of("fr"), "en": words.of("en")},
                  "tooLarge": {key: refusal[key] for key in ("message_fr", "message_en", "hint_fr", "hint_en")}}
        text = _asset("page.html")
        filled = _Filled(limit=limit, version=__version__)
        for key, value in chosen.items():
            text = text.replace("{{" + key + "}}", escape(value.format_map(filled)))
        text = text.replace("{{lang}}", lang).replace(
            "{{island}}", json.dumps(island, ensure_ascii=False).replace("<", "\\u003c"))
        return Response(text, media_type="text/html; charset=utf-8")

    async def report_style(request: Request) -> Response:
        return Response(REPORT_STYLE, media_type="text/css; charset=utf-8")

    async def catalogue_listing(request: Request) -> Response:
        return JSONResponse(list(await run_in_threadpool(catalogue.listing)))

    async def match(request: Request) -> Response:
        try:
            upload = await receive(request, settings.root, MATCH_MAX_BYTES)
        except UploadProblem as problem:
            return JSONResponse({"schema": None, "tables": {}, "error": problem.code}, status_code=problem.status)
        try:
            headers = await run_in_threadpool(_headers, upload)
            return JSONResponse(await run_in_threadpool(catalogue.suggest, headers))
        finally:
            upload.discard()

    async def received(request: Request) -> tuple:
        """``(job, lang, None)`` for the request's upload, or ``(None, lang, the refusal's answer)``."""
        try:
            upload = await receive(request, settings.root, settings.max_upload_bytes)
        except UploadProblem as problem:
            return None, _lang(request), refused(problem, _lang(request))
        lang = _lang(request, upload.fields)
        try:
            return work.prepare(upload), lang, None
        except UploadProblem as problem:
            upload.discard()
            return None, lang, refused(problem, lang)

    async def validate(request: Request) -> Response:
        job, lang, refusal = await received(request)
        if refusal is not None:
            return refusal
        upload = job.upload
        if "application/x-ndjson" in request.headers.get("accept", ""):
            return StreamingResponse(_stream(job, lang), media_type="application/x-ndjson")
        try:
            report = await run_in_threadpool(gated, lambda: work.validate(job, limit_errors=settings.limit_errors))
        finally:
            upload.discard()
        return report_response(report, lang)

    def _stream(job: work.Job, lang: str):
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue = asyncio.Queue()
        progress = work.Progress(work.estimate_rows(work.table_files(job)))

        def run():
            try:
                answer = gated(lambda: work.validate(job, limit_errors=settings.limit_errors, progress=progress),
                               progress)
            except BaseException as error:  # a bug must still end the page's wait with a report
                answer = Report(tasks=[Task.failed("upload", "internal-error", f"{type(error).__name__}: {error}")])
            finally:
                job.upload.discard()
            try:
                loop.call_soon_threadsafe(queue.put_nowait, answer)
            except RuntimeError:  # the server stopped meanwhile
                pass

        threading.Thread(target=run, name="territoria-ui-check", daemon=True).start()

        async def lines():
            try:
                while True:
                    yield json.dumps(progress.event()) + "\n"
                    try:
                        answer = await asyncio.wait_for(queue.get(), 0.25)
                    except asyncio.TimeoutError:
                        continue
                    token = reports.add(answer)
                    done = {"type": "done", "token": token, "rows": progress.rows, **work.report_summary(answer),
                            "fragment": fragment(answer, lang, command=False)}
                    yield json.dumps(done, ensure_ascii=False) + "\n"
                    return
            finally:
                progress.cancelled.set()  # the page went away (or the answer is sent): stop any run left

        return lines()

    async def stored(request: Request) -> Response:
        report = reports.get(request.path_params["token"])
        if report is None:
            return Response("unknown report\n", status_code=404, media_type="text/plain")
        lang = _lang(request)
        kind = request.query_params.get("format", "json")
        stem = "rapport-territoria" if lang == "fr" else "territoria-report"
        if kind == "fragment":
            return Response(fragment(report, lang, command=False), media_type="text/html; charset=utf-8")
        if kind == "html":
            return Response(render(report, "html", lang), media_type="text/html; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{stem}.html"'})
        if kind == "json":
            return Response(render(report, "json", lang), media_type="application/json",
                            headers={"Content-Disposition": f'attachment; filename="{stem}.json"'})
        return Response("format: json, html or fragment\n", status_code=400, media_type="text/plain")

    async def repair(request: Request) -> Response:
        job, lang, refusal = await received(request)
        if refusal is not None:
            return refusal
        upload = job.upload
        try:
            repaired = await run_in_threadpool(
                gated, lambda: work.repair(job, lang=lang, limit_errors=settings.limit_errors))
        except UploadProblem as problem:
            upload.discard()
            return refused(problem, lang)
        except BaseException:
            upload.discard()
            raise
        if not any(item["copy"] for item in repaired.files):
            upload.discard()
            return report_response(repaired.report, lang, 422)
        token = reports.add(repaired.report)
        names = [item["name"] for item in repaired.files]
        stem = os.path.splitext(names[0])[0] if len(names) == 1 else "territoria"
        summary = {"valid": repaired.report.valid, "files": repaired.files, "report": token}
        return FileResponse(repaired.archive, media_type="application/zip", filename=f"{stem}-fixed.zip",
                            headers={"X-Territoria-Fix": work.header_json(summary)},
                            background=BackgroundTask(upload.discard))

    static = StaticFiles(directory=str(resources.files(__package__).joinpath("static")))
    routes = [
        Route("/", page),
        Route("/static/report.css", report_style),
        Mount("/static", app=static),
        Route("/api/catalogue", catalogue_listing),
        Route("/api/match", match, methods=["POST"]),
        Route("/api/validate", validate, methods=["POST"]),
        Route("/api/reports/{token}", stored),
        Route("/api/fix", repair, methods=["POST"]),
    ]
    app = Starlette(routes=routes)
    return Guard(app, settings)


def _headers(upload) -> dict:
    """``{file name: header labels}`` of the heads of files sent to guess their schema (offline)."""
    from ..readers import policy
    from ..readers.open import detect_format, open_table

    found = {}
    with policy.applied(policy.make(offline=True)):
        for name, path in upload.files:
            try:
                found[name] = list(open_table(path, detect_format(path, name)).labels)
            except Exception:  # a head that cannot be read proposes nothing
                found[name] = []
    return found
