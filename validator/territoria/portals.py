"""Published datasets: from a portal dataset reference to its resources.

Why here: a publisher wants to check what is *published*, not only the files in
a repository. A data.gouv.fr dataset lists its resources and the schema each one
declares; a CKAN ``package_show`` lists resources; an Opendatasoft dataset has a
CSV export. This module only lists them and maps a declared schema onto the
catalogue; ``targets`` turns them into things to validate.

Reference syntax (``--dataset`` in the CLI, ``datasets:`` in the Action):

- ``datagouv:<id-or-slug>``: a data.gouv.fr dataset; the portal address is
  ``TERRITORIA_DATAGOUV_URL`` (default ``https://www.data.gouv.fr``);
- ``datagouv:<base>#<id-or-slug>``: the same on another udata portal;
- ``https://www.data.gouv.fr/fr/datasets/<slug>/``: a dataset page address;
- ``ckan:<base>#<package-id-or-name>``: a CKAN package (``/api/3/action/package_show``);
- ``ods:<base>#<dataset-id>``: an Opendatasoft dataset (its CSV export, API v2.1).

``search_datasets`` lists every dataset of a udata portal whose resources declare
a schema (``territoria audit --portal``), page after page, within bounds.
"""
from __future__ import annotations

import json
import os
import re
import urllib.parse
from typing import Any, Optional

from . import rules
from .readers import SourceProblem
from .readers.open import TABLE_EXTENSIONS, is_url

DATAGOUV_DEFAULT = "https://www.data.gouv.fr"
API_MAX_BYTES = 20 << 20  # a portal's JSON answer, never the data itself
API_SECONDS = 120.0  # the whole of one such answer (a trickling API must not hold a listing for the 900 s of a file)

# Declared formats we can validate (a portal's "format" field, lowercased).
TABULAR_FORMATS = {
    "csv": "csv", "tsv": "tsv", "xlsx": "xlsx", "xls": "xls", "ods": "ods",
    "parquet": "parquet", "ndjson": "ndjson", "jsonl": "ndjson",
    "text/csv": "csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


class PortalProblem(Exception):
    """A dataset that could not even be listed (unknown reference, API down, bad answer)."""

    def __init__(self, code: str, note: str):
        super().__init__(note)
        self.code = code
        self.note = note


# --- references ------------------------------------------------------------

_DATAGOUV_PAGE = re.compile(r"^(?P<base>https?://[^/]+)/(?:[a-z]{2}/)?datasets/(?P<id>[^/?#]+)/?(?:[?#].*)?$", re.I)


def parse_reference(reference: str) -> tuple:
    """``(kind, base, identifier)`` for a dataset reference, or PortalProblem."""
    text = reference.strip()
    kind, _, rest = text.partition(":")
    kind = kind.lower()
    if kind in ("http", "https"):
        match = _DATAGOUV_PAGE.match(text)
        if match:
            return "datagouv", match["base"].rstrip("/"), match["id"]
    elif kind in ("datagouv", "ckan", "ods") and rest:
        if "#" in rest:
            base, _, identifier = rest.rpartition("#")
        elif kind == "datagouv":
            base, identifier = "", rest
        else:
            base, identifier = "", ""
        base = base.rstrip("/")
        if kind == "datagouv" and not base:
            base = os.environ.get("TERRITORIA_DATAGOUV_URL", DATAGOUV_DEFAULT).rstrip("/")
        if base and not is_url(base):
            raise PortalProblem("scheme-error", f"{reference}: the portal address {base!r} is not an http(s) URL")
        if base and identifier.strip():
            return kind, base, identifier.strip()
    raise PortalProblem(
        "scheme-error",
        f"{reference}: not a dataset reference (expected datagouv:<id>, datagouv:<base>#<id>, "
        "ckan:<base>#<id> or ods:<base>#<id>)",
    )


def _get_json(url: str, reference: str) -> Any:
    from .readers.remote import fetch_bytes

    try:
        data = fetch_bytes(url, max_bytes=API_MAX_BYTES, total=API_SECONDS)
    except SourceProblem as problem:
        raise PortalProblem("scheme-error", f"{reference}: the portal did not answer: {problem.note}")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise PortalProblem("source-error", f"{reference}: the portal's answer ({url}) is not valid JSON")


def _quote(identifier: str) -> str:
    return urllib.parse.quote(identifier, safe="")


def list_resources(reference: str) -> list:
    """The dataset's resources as dicts ``{title, url, format, schema, name, id, checksum, last_modified}``
    (schema: dict or None)."""
    return dataset_listing(reference)["resources"]


def dataset_listing(reference: str) -> dict:
    """``{id, title, organization, resources}`` of a dataset reference (resources as :func:`list_resources`)."""
    kind, base, identifier = parse_reference(reference)
    if kind == "ods":
        url = (f"{base}/api/explore/v2.1/catalog/datasets/{_quote(identifier)}/exports/csv"
               "?delimiter=%2C&with_bom=false")
        return {"id": identifier, "title": identifier, "organization": "", "resources": [
            {"title": identifier, "url": url, "format": "csv", "schema": None, "name": identifier,
             "id": identifier, "checksum": "", "last_modified": ""}]}
    if kind == "datagouv":
        answer = _get_json(f"{base}/api/1/datasets/{_quote(identifier)}/", reference)
        dataset = answer if isinstance(answer, dict) else {}
    else:
        answer = _get_json(f"{base}/api/3/action/package_show?id={_quote(identifier)}", reference)
        if not isinstance(answer, dict) or answer.get("success") is not True:
            message = ""
            if isinstance(answer, dict) and isinstance(answer.get("error"), dict):
                message = f": {answer['error'].get('message', '')}"
            raise PortalProblem("scheme-error", f"{reference}: CKAN package_show failed{message}")
        dataset = answer.get("result") if isinstance(answer.get("result"), dict) else {}
    resources = dataset.get("resources")
    if not isinstance(resources, list):
        raise PortalProblem("source-error", f"{reference}: the portal's answer has no list of resources")
    return {"id": _text(dataset.get("id") or identifier), "title": _text(dataset.get("title") or identifier),
            "organization": organization_of(dataset), "resources": resource_dicts(resources)}


def resource_dicts(resources: list) -> list:
    """A portal's resources (udata or CKAN) as plain dicts of strings; anything but an object is left out."""
    found = []
    for number, resource in enumerate(resources, start=1):
        if not isinstance(resource, dict):
            continue
        url = resource.get("url") or ""
        title = resource.get("title") or resource.get("name") or f"resource {number}"
        schema = resource.get("schema") if isinstance(resource.get("schema"), dict) else None
        checksum = resource.get("checksum")
        if isinstance(checksum, dict):  # udata: {"type": "sha1", "value": "..."}
            checksum = f"{checksum.get('type', '')}:{checksum.get('value', '')}" if checksum.get("value") else ""
        found.append({"title": _text(title), "url": _text(url), "format": _text(resource.get("format") or ""),
                      "schema": schema, "name": _text(resource.get("name") or title),
                      "id": _text(resource.get("id") or ""), "checksum": _text(checksum or resource.get("hash") or ""),
                      "last_modified": _text(resource.get("last_modified") or "")})
    return found


def organization_of(dataset: dict) -> str:
    """Who publishes a dataset: its organisation (udata ``name``, CKAN ``title``), else its owner's name."""
    organization = dataset.get("organization")
    if isinstance(organization, dict):
        return _text(organization.get("title") or organization.get("name") or "")
    owner = dataset.get("owner")
    if isinstance(owner, dict):
        return _text(" ".join(str(owner.get(k) or "") for k in ("first_name", "last_name")).strip())
    return ""


def _text(value: Any) -> str:
    """A portal's value as one line of text, at most 2,000 characters (a listing is untrusted)."""
    return " ".join(str(value).split())[:2000] if value is not None else ""


# --- searches ----------------------------------------------------------------

#: how many pages of a dataset search are read at most (a hostile portal's pages may never end)
MAX_PAGES = 500
PAGE_SIZE = 100


def portal_base(text: str) -> str:
    """The address of a udata portal given as ``datagouv:<base>`` (``datagouv`` alone: data.gouv.fr)."""
    kind, _, base = text.strip().partition(":")
    if kind.lower() in ("http", "https"):
        kind, base = "datagouv", text.strip()
    if kind.lower() != "datagouv":
        raise PortalProblem("scheme-error", f"{text}: not a udata portal (expected datagouv:<base>)")
    base = (base or os.environ.get("TERRITORIA_DATAGOUV_URL", DATAGOUV_DEFAULT)).rstrip("/")
    if not is_url(base):
        raise PortalProblem("scheme-error", f"{text}: the portal address {base!r} is not an http(s) URL")
    return base


def search_datasets(base: str, schema: str, *, max_pages: Optional[int] = None, page_size: Optional[int] = None) -> tuple:
    """``(datasets, warning or None)``: the datasets of a udata portal whose resources declare ``schema``
    (``/api/1/datasets/?schema=``), each as :func:`dataset_listing` gives it, every page read.

    Bounded: at most ``max_pages`` pages; a page that brings no dataset not seen yet
    ends the listing (a portal that repeats itself); the next page is asked for by
    number, never by the ``next_page`` address the portal gives (which could point
    anywhere). A page that fails after the first ends the listing with a
    ``listing-truncated`` warning; the first failing is a PortalProblem.
    """
    max_pages = MAX_PAGES if max_pages is None else max_pages
    page_size = PAGE_SIZE if page_size is None else page_size
    datasets: list = []
    seen: set = set()
    for page in range(1, max_pages + 1):
        url = f"{base}/api/1/datasets/?schema={_quote(schema)}&page={page}&page_size={page_size}"
        try:
            answer = _get_json(url, base)
            data = answer.get("data") if isinstance(answer, dict) else None
            if not isinstance(data, list):
                raise PortalProblem("source-error", f"{base}: the portal's answer has no list of datasets")
        except PortalProblem as problem:
            if page == 1:
                raise
            return datasets, listing_warning(f"{base}: stopped at page {page}: {problem.note}")
        fresh = [d for d in data if isinstance(d, dict) and _text(d.get("id")) not in seen]
        for dataset in fresh:
            seen.add(_text(dataset.get("id")))
            datasets.append(_searched(base, dataset))
        if not fresh or not answer.get("next_page"):
            return datasets, None
    return datasets, listing_warning(f"{base}: stopped after {max_pages} pages (--max-pages)")


def _searched(base: str, dataset: dict) -> dict:
    """A dataset of a search page; one listed without its resources is asked for on its own."""
    identifier = _text(dataset.get("id") or dataset.get("slug") or "")
    if not isinstance(dataset.get("resources"), list) and identifier:
        try:
            return dataset_listing(f"datagouv:{base}#{identifier}")
        except PortalProblem as problem:
            return {"id": identifier, "title": _text(dataset.get("title") or identifier),
                    "organization": organization_of(dataset), "resources": [], "problem": problem}
    return {"id": identifier, "title": _text(dataset.get("title") or identifier),
            "organization": organization_of(dataset), "resources": resource_dicts(dataset.get("resources") or [])}


def listing_warning(note: str) -> dict:
    """A ``listing-truncated`` warning (its words are the rule's)."""
    return rules.describe({"type": "listing-truncated", "severity": "warning", "note": note})


def tabular_format(declared: str, url: str) -> Optional[str]:
    """The reader format for a published resource, or None when it is not a table."""
    declared = (declared or "").strip().lower().lstrip(".")
    if declared in TABULAR_FORMATS:
        return TABULAR_FORMATS[declared]
    if declared:
        return None
    extension = os.path.splitext(urllib.parse.urlsplit(url).path)[1].lower()
    return TABLE_EXTENSIONS.get(extension)


# --- schemas ---------------------------------------------------------------

def declared_schema(declared: dict, hints: list) -> tuple:
    """``(catalogue reference or None, warning dict or None)`` for a schema a portal declares.

    ``hints``: the resource's title, name and URL, which tell the table of a
    multi-table catalogue entry.
    """
    from .schema import SchemaProblem, catalogue

    name = str(declared.get("name") or "").strip()
    version = str(declared.get("version") or "").strip()
    shown = name + (f"@{version}" if version else "")
    if not name:
        return None, None
    candidates = [name]
    if "/" in name:
        candidates += [name.split("/", 1)[1], name.rsplit("/", 1)[1]]
    entry_versions = None
    for candidate in dict.fromkeys(candidates):
        entry_name = candidate.split("/", 1)[0]
        try:
            entry = catalogue.get_entry(entry_name)
        except SchemaProblem:
            continue
        entry_versions = entry.versions
        if version and version not in entry.versions:
            continue
        reference = candidate + (f"@{version}" if version else "")
        try:
            profile = catalogue.resolve(reference)
        except SchemaProblem:
            continue
        if not profile.lone:
            table = profile.match(hints)
            if table:
                return f"{entry_name}/{table}" + (f"@{version}" if version else ""), None
            return None, portal_warning(shown, "several-tables")
        return reference, None
    if entry_versions is not None:
        return None, portal_warning(shown, "no-version", entry_versions)
    return None, portal_warning(shown, "unknown")


def portal_warning(declared: str, reason: str, versions: Optional[list] = None) -> dict:
    """A bare ``portal-schema-warning`` (its words are the rule's)."""
    from .rules.words import portal_schema_words

    finding = {"type": "portal-schema-warning", "severity": "warning", "declared": declared, "reason": reason,
               "versions": list(versions or [])}
    finding["note"] = portal_schema_words(finding)["why_en"]
    return rules.describe(finding)
