"""MkDocs hook: build the catalogue site's pages and downloads from ``schemas/``.

Why a hook and a staging folder: the pages about schemas must never drift from
the schemas, so none is committed; they are generated at each build. The
i18n plugin (French by default, English alongside) only handles pages that
exist in ``docs_dir``, so ``on_config`` copies the hand-written pages of
``catalogue_docs/docs`` into a staging folder, writes the generated pages
beside them (only when their text changed, so ``mkdocs serve`` does not loop)
and points ``docs_dir`` there. ``on_post_build`` writes the downloads
(released folders, templates, ``schemas.json``) into the built site.

Settings (``extra.territoria`` in mkdocs.yml): ``schemas``, the catalogue folder
relative to mkdocs.yml (default ``../schemas``).
"""
from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)
_VALIDATOR = os.path.normpath(os.path.join(HERE, "..", "..", "validator"))
try:  # the validator's registries feed the error catalogue
    import territoria  # noqa: F401
except ImportError:  # a clone without `pip install -e .`
    sys.path.insert(0, _VALIDATOR)

import site_downloads  # noqa: E402
import site_errors  # noqa: E402
import site_pages  # noqa: E402
from site_model import load_catalogue  # noqa: E402

MARKER_USE_CASES = "<!-- territoria:use-cases -->"
MARKER_ERROR_COUNT = "<!-- territoria:error-count -->"

_state: dict = {}  # per config file: source docs dir, staging dir, catalogue


def _staging_for(config_file: str) -> str:
    staging = _state.get(("staging", config_file))
    if staging is None:
        staging = tempfile.mkdtemp(prefix="territoria-docs-")
        atexit.register(shutil.rmtree, staging, True)
        _state[("staging", config_file)] = staging
    return staging


def _write_text(path: str, content: str) -> None:
    site_downloads.write_if_changed(path, content.encode("utf-8"))


def _copy_if_changed(source: str, target: str) -> None:
    with open(source, "rb") as handle:
        site_downloads.write_if_changed(target, handle.read())


def _current_language(config) -> str:
    plugin = config.plugins.get("i18n")
    if plugin is None:
        return "fr"
    return getattr(plugin, "current_language", None) or getattr(plugin, "default_language", None) or "fr"


def _fill_markers(markdown: str, relative: str, entries: list) -> str:
    lang = "en" if relative.endswith(".en.md") else "fr"
    if MARKER_USE_CASES in markdown:
        markdown = markdown.replace(MARKER_USE_CASES, site_pages.use_case_list(entries, lang, relative))
    if MARKER_ERROR_COUNT in markdown:
        markdown = markdown.replace(MARKER_ERROR_COUNT, str(len(site_errors.error_types())))
    return markdown


def stage(source_docs: str, staging: str, entries: list) -> set:
    """Fill ``staging`` with the hand-written pages and the generated ones; return the paths written."""
    written = set()
    for folder, _dirs, names in os.walk(source_docs):
        for name in names:
            source = os.path.join(folder, name)
            relative = os.path.relpath(source, source_docs).replace(os.sep, "/")
            target = os.path.join(staging, relative)
            if name.endswith(".md"):
                with open(source, encoding="utf-8") as handle:
                    _write_text(target, _fill_markers(handle.read(), relative, entries))
            else:
                _copy_if_changed(source, target)
            written.add(relative)
    generated = site_pages.pages(entries)
    used_checks: dict = {}
    for entry in entries:
        for version in entry.versions:
            for resource in version.resources:
                for check in resource.schema.get("custom_checks") or []:
                    where = f"{entry.name}/{resource.name}@{version.version}"
                    used_checks.setdefault(check.get("name", ""), []).append(where)
    used_checks.pop("", None)
    for lang in site_pages.LANGS:
        generated[site_pages.page_path("errors.md", lang)] = site_errors.errors_page(lang, used_checks)
    for relative, content in generated.items():
        _write_text(os.path.join(staging, relative), content)
        written.add(relative)
    for folder, _dirs, names in os.walk(staging, topdown=False):  # drop pages that no longer exist
        for name in names:
            path = os.path.join(folder, name)
            if os.path.relpath(path, staging).replace(os.sep, "/") not in written:
                os.remove(path)
    return written


def on_config(config, **kwargs):
    config_file = config.config_file_path or os.path.abspath("mkdocs.yml")
    key = ("source", config_file)
    if key not in _state:
        _state[key] = config.docs_dir
    source_docs = _state[key]
    settings = (config.extra.get("territoria") or {}) if hasattr(config.extra, "get") else {}
    schemas_dir = os.path.normpath(os.path.join(os.path.dirname(config_file), settings.get("schemas", "../schemas")))
    entries = load_catalogue(schemas_dir)
    _state[("entries", config_file)] = entries
    _state[("schemas", config_file)] = schemas_dir
    staging = _staging_for(config_file)
    if config.docs_dir != staging:
        stage(source_docs, staging, entries)
        config.docs_dir = staging
    config.nav = site_pages.nav(entries, _current_language(config))
    return config


def on_serve(server, config, builder, **kwargs):
    config_file = config.config_file_path
    for path in (_state.get(("source", config_file)), _state.get(("schemas", config_file)), HERE):
        if path:
            server.watch(path)
    return server


def on_post_build(config, **kwargs):
    plugin = config.plugins.get("i18n")
    if plugin is not None and _current_language(config) != getattr(plugin, "default_language", "fr"):
        return  # the downloads live at the site root, written once by the default language's build
    config_file = config.config_file_path or os.path.abspath("mkdocs.yml")
    entries = _state.get(("entries", config_file)) or []
    site_downloads.write_all(config.site_dir, entries, config.site_url or "")


def on_page_context(context, page, config, nav, **kwargs):
    """Make the language switch's links relative (the i18n plugin makes the home pages' absolute).

    Absolute links only work where the site is served at ``site_url``'s path; relative ones also
    work from a local server, a file copy or a preview.
    """
    from urllib.parse import urlsplit

    base = urlsplit(config.site_url or "").path.rstrip("/")
    for alternate in config.extra.get("alternate") or []:
        link = alternate.get("link", "")
        if base and (link == base or link.startswith(base + "/")):
            alternate["link"] = link[len(base) + 1:] or "./"
        elif link.startswith("/"):
            alternate["link"] = link[1:] or "./"
    return context
