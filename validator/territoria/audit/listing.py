"""What an audit checks: the lines of a targets file, or a udata portal's datasets declaring a schema.

Why through ``portals`` and ``targets``: a dataset reference, a URL and a path
mean here what they mean to ``territoria validate`` (same syntax, same portal
listings, same globs and folders); this module only adds what a fleet needs —
who publishes each resource, a stable key per resource across runs, and the
schema each one declares, used before ``--schema``.

A listing is untrusted: a resource whose address is not http(s) (a local path,
``file:``) is refused here, a declared schema address too, and downloads go
through the network policy (no private address without the opt-in).
"""
from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Optional

from .. import portals, targets
from ..readers.open import TABLE_EXTENSIONS, is_url


class ListingProblem(Exception):
    """The audit has nothing it can list (an unreadable targets file, a portal that does not answer)."""


@dataclass
class Resource:
    """One thing to check, with what the results say about it."""

    key: str
    source: str  # the URL or path (the reference itself, for a listing that failed)
    kind: str = "url"  # url | path | package
    dataset: str = ""
    organization: str = ""
    title: str = ""
    format: Optional[str] = None
    schema: Any = None  # what validate() is given
    schema_name: str = ""
    schema_version: str = ""
    declared: str = ""  # the schema the portal declares, NAME@VERSION or its URL
    warnings: list = field(default_factory=list)
    problem: Optional[tuple] = None  # (code, note): a failed row without any check
    skipped: bool = False  # not a table


@dataclass
class Listing:
    resources: list
    warnings: list = field(default_factory=list)  # about the listing itself (listing-truncated)


def key_of(*parts: str) -> str:
    """A resource's name across runs (its report's file name): a digest of where it comes from."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:20]


# --- a targets file ------------------------------------------------------------------


def from_targets_file(path: str, schema: Any = None) -> Listing:
    """One target per line (``#`` comments, blank lines ignored): a dataset reference, a URL, or a path,
    folder or glob relative to the file's folder, ``!pattern`` leaving files out as ``validate`` does
    (``-``: the standard input, relative to here)."""
    try:
        if path == "-":
            text, root = sys.stdin.read(), "."
        else:
            with open(path, encoding="utf-8-sig") as handle:
                text = handle.read(64 << 20)
            root = os.path.dirname(os.path.abspath(path))
    except (OSError, UnicodeDecodeError) as error:
        raise ListingProblem(f"--targets {path}: cannot be read ({getattr(error, 'strerror', None) or error})")
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    datasets = _listed_together([line for line in lines if _is_dataset(line)], schema)
    paths = [line for line in lines if line not in datasets and not is_url(line)]
    found = []
    for line in lines:
        if line in datasets:
            found += datasets[line]
        elif is_url(line):
            found.append(_url_resource(line, schema))
        elif paths and line == paths[0]:  # the paths together, so that a '!pattern' line leaves files out
            found += [_path_resource(t) for t in targets.path_targets(paths, schema, root)]
    return Listing(_unique(found))


#: dataset listings asked for at the same time (each is one small API answer; a portal is not to be flooded)
LISTING_THREADS = 8


def _listed_together(references: list, schema: Any) -> dict:
    """reference -> its resources, listed on a few threads (a file of a thousand datasets is a thousand
    round trips), each in the caller's context: the network policy is a context variable."""
    import concurrent.futures
    import contextvars

    unique = list(dict.fromkeys(references))
    if len(unique) < 2:
        return {reference: dataset_resources(reference, schema) for reference in unique}
    with concurrent.futures.ThreadPoolExecutor(min(LISTING_THREADS, len(unique))) as pool:
        answers = [pool.submit(contextvars.copy_context().run, dataset_resources, reference, schema)
                   for reference in unique]
        return {reference: answer.result() for reference, answer in zip(unique, answers)}


def _is_dataset(line: str) -> bool:
    if line.split(":", 1)[0].lower() in ("datagouv", "ckan", "ods"):
        return True
    if not is_url(line):
        return False
    try:
        kind, _, identifier = portals.parse_reference(line)
    except portals.PortalProblem:
        return False
    return os.path.splitext(identifier)[1].lower() not in TABLE_EXTENSIONS  # .../datasets/x.csv is a file


def _url_resource(url: str, schema: Any) -> Resource:
    kind = "package" if targets.is_package_path(url) else "url"
    chosen = targets.schema_for_file(schema, [url])
    name, version = schema_columns(chosen)
    return Resource(key=key_of("url", url), source=url, kind=kind, title=url.rsplit("/", 1)[-1] or url,
                    schema=chosen, schema_name=name, schema_version=version)


def _path_resource(target) -> Resource:
    source = target.source
    title = os.path.basename(source) or source
    if target.problem:
        return Resource(key=key_of("path", source), source=source, kind="path", title=title, problem=target.problem)
    kind = "package" if targets.is_package_path(source) else "path"
    name, version = schema_columns(target.schema)
    return Resource(key=key_of("path", os.path.abspath(source)), source=source, kind=kind, title=title,
                    schema=target.schema, schema_name=name, schema_version=version)


def combine(listings: list) -> Listing:
    """One listing of several (a targets file and a portal), each resource once."""
    return Listing(_unique([r for listing in listings for r in listing.resources]),
                   [w for listing in listings for w in listing.warnings])


def _unique(resources: list) -> list:
    seen, kept = set(), []
    for resource in resources:
        if resource.key not in seen:
            seen.add(resource.key)
            kept.append(resource)
    return kept


# --- portal datasets -----------------------------------------------------------------


def dataset_resources(reference: str, schema: Any = None, listing: Optional[dict] = None,
                      only_schema: str = "") -> list:
    """The resources of one dataset (listed here unless ``listing`` is given); ``only_schema``: keep the
    resources declaring that schema. A dataset that cannot be listed is one failed resource."""
    try:
        if listing is None:
            listing = portals.dataset_listing(reference)
        if listing.get("problem"):
            raise listing["problem"]
    except portals.PortalProblem as problem:
        return [Resource(key=key_of("dataset", reference), source=reference, dataset=reference,
                         title=reference, problem=(problem.code, problem.note))]
    dataset = listing.get("title") or reference
    organization = listing.get("organization", "")
    found = []
    for number, item in enumerate(listing["resources"], start=1):
        declared = item.get("schema") or {}
        if only_schema and not _declares(declared, only_schema):
            continue
        identity = item.get("id") or item["url"] or str(number)
        resource = Resource(key=key_of("dataset", reference, identity), source=item["url"], dataset=dataset,
                            organization=organization, title=_title(item), format=None)
        found.append(resource)
        if not is_url(item["url"]):
            resource.source = item["url"] or item["title"]
            resource.problem = ("scheme-error", f"{reference}: resource {item['title']!r} has no http(s) address "
                                                f"({item['url']!r})")
            continue
        resource.format = portals.tabular_format(item["format"], item["url"])
        if resource.format is None:
            resource.skipped = True
            resource.format = item["format"] or ""
        _choose_schema(resource, item, declared, schema)
    return found


def from_portal(portal: str, declared: str, schema: Any = None, *, max_pages: Optional[int] = None) -> Listing:
    """Every resource of a udata portal that declares the schema ``declared`` (``--portal``, ``--declared-schema``)."""
    try:
        base = portals.portal_base(portal)
        datasets, warning = portals.search_datasets(base, declared, max_pages=max_pages)
    except portals.PortalProblem as problem:
        raise ListingProblem(problem.note)
    found = []
    for dataset in datasets:
        reference = f"datagouv:{base}#{dataset['id']}"
        found += dataset_resources(reference, schema, listing=dataset, only_schema=declared)
    return Listing(_unique(found), [warning] if warning else [])


def _declares(declared: dict, name: str) -> bool:
    return str(declared.get("name") or "").strip().lower() == name.strip().lower()


def _title(item: dict) -> str:
    return targets.resource_name(item["title"], item["url"]) if is_url(item["url"]) else item["title"]


def _choose_schema(resource: Resource, item: dict, declared: dict, schema: Any) -> None:
    """The schema the resource declares (catalogue name and version, else its http(s) address), else ``schema``."""
    hints = [item["title"], item.get("name", ""), item["url"]]
    chosen = None
    if declared:
        name, version = str(declared.get("name") or ""), str(declared.get("version") or "")
        address = str(declared.get("url") or "")
        resource.declared = (name + (f"@{version}" if version else "")) if name else address
        chosen, warning = portals.declared_schema(declared, hints)
        if chosen is None and address:
            if not is_url(address):  # a listing naming /etc/passwd as a schema
                resource.problem = ("scheme-error", f"{resource.source}: the declared schema address "
                                                    f"{address!r} is not an http(s) URL")
                return
            resource.schema, resource.schema_name, resource.schema_version = address, address, version
            return
        if warning:
            resource.warnings.append(warning)
    if chosen is None and schema is not None:
        chosen = targets.schema_for_file(schema, hints)
    resource.schema = chosen
    resource.schema_name, resource.schema_version = schema_columns(chosen)


def schema_columns(schema: Any) -> tuple:
    """``(schema, schema_version)`` as the results show them: a catalogue reference split at its ``@``
    (the latest version named when none is), else the path or address as given."""
    if schema is None:
        return "", ""
    text = str(schema)
    if is_url(text) or os.path.exists(text) or text.endswith((".json", ".yaml", ".yml")):
        return text, ""
    name, _, version = text.partition("@")
    if not version:
        from ..schema import SchemaProblem, catalogue

        try:
            version = catalogue.get_entry(name.split("/", 1)[0]).latest
        except SchemaProblem:
            version = ""
    return name, version
