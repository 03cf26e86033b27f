"""What an audit lists: a targets file's lines, a udata portal's search (bounded), and the schema each resource
declares; hostile listings refused."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fake_portal import FakePortal, File  # noqa: E402

from territoria import portals  # noqa: E402
from territoria.audit import ListingProblem, from_portal, from_targets_file  # noqa: E402
from territoria.audit.listing import schema_columns  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
VALID = REPO / "schemas" / "waste-fill-level" / "1.0.0" / "examples" / "valid"


@pytest.fixture
def portal(monkeypatch):
    monkeypatch.setenv("TERRITORIA_ALLOW_PRIVATE_NETWORK", "1")
    with FakePortal() as found:
        yield found


def dataset(identifier: str, resources: list, organization="Ville de Grenoble") -> dict:
    return {"id": identifier, "title": identifier.title(), "resources": resources,
            "organization": {"name": organization} if organization else None}


def resource(identifier: str, url: str, fmt: str = "csv", schema=None, title: str = "") -> dict:
    return {"id": identifier, "title": title or identifier, "url": url, "format": fmt, "schema": schema}


def test_a_targets_file_names_urls_paths_globs_and_datasets(portal, tmp_path):
    (tmp_path / "data").mkdir()
    for name in ("measurements.csv", "containers.csv", "emptyings.csv"):
        (tmp_path / "data" / name).write_bytes((VALID / name).read_bytes())
    portal.datasets.append(dataset("mesures", [resource("r1", "/files/measurements.csv", title="measurements"),
                                               resource("r2", "/files/notice.pdf", fmt="pdf")]))
    targets = tmp_path / "targets.txt"
    targets.write_text("\n".join([
        "# our published files", "",
        "data/*.csv",  # relative to the targets file's folder
        "data/containers.csv",  # matched by the glob already: listed once
        "!data/emptying*.csv",  # left out, as validate's '!pattern' does
        "https://example.org/exports/mesures.csv",
        f"datagouv:{portal.base}#mesures",
        f"datagouv:{portal.base}#nothing-here",
        str(VALID / "datapackage.json"),
    ]) + "\n")
    listing = from_targets_file(str(targets), "waste-fill-level@1.0.0")
    by_title = {r.title: r for r in listing.resources}
    # the paths together (where the first one stands), then the URL and the datasets' resources
    assert [r.kind for r in listing.resources] == ["path", "path", "package", "url", "url", "url", "url"]
    assert "emptyings.csv" not in {r.title for r in listing.resources}
    assert by_title["measurements.csv"].schema == "waste-fill-level/measurements@1.0.0"
    assert by_title["mesures.csv"].source == "https://example.org/exports/mesures.csv"
    published = by_title["measurements"]
    assert published.dataset == "Mesures" and published.organization == "Ville de Grenoble"
    assert published.schema_name == "waste-fill-level/measurements" and published.schema_version == "1.0.0"
    assert by_title["r2"].skipped and by_title["r2"].format == "pdf"
    missing = by_title[f"datagouv:{portal.base}#nothing-here"]
    assert missing.problem[0] == "scheme-error" and "404" in missing.problem[1]
    assert len({r.key for r in listing.resources}) == len(listing.resources)


def test_an_unreadable_targets_file_is_a_listing_problem(tmp_path):
    with pytest.raises(ListingProblem, match="cannot be read"):
        from_targets_file(str(tmp_path / "missing.txt"))


def test_the_declared_schema_comes_first_then_its_address_then_the_users(portal, tmp_path):
    portal.files["/schemas/own.json"] = File(b'{"fields": [{"name": "a"}]}', content_type="application/json")
    portal.datasets.append(dataset("d", [
        resource("catalogue", "/f/measurements.csv", schema={"name": "waste-fill-level", "version": "2.0.0"},
                 title="measurements"),
        resource("own", "/f/own.csv", schema={"name": "acme/own", "url": "/schemas/own.json"}),
        resource("unknown", "/f/unknown.csv", schema={"name": "acme/unknown"}),
        resource("none", "/f/containers.csv", title="containers"),
        resource("hostile", "/f/x.csv", schema={"name": "acme/x", "url": "/etc/passwd"}),
        resource("local", "/etc/shadow"),
    ]))
    portal.datasets[0]["resources"][1]["schema"]["url"] = portal.base + "/schemas/own.json"
    portal.datasets[0]["resources"][5]["url"] = "file:///etc/shadow"
    targets = tmp_path / "t.txt"
    targets.write_text(f"datagouv:{portal.base}#d\n")
    found = {r.title: r for r in from_targets_file(str(targets), "waste-fill-level@1.0.0").resources}
    assert found["measurements"].schema == "waste-fill-level/measurements@2.0.0"  # the declared version wins
    assert found["own"].schema == portal.base + "/schemas/own.json" and found["own"].declared == "acme/own"
    assert found["unknown"].schema == "waste-fill-level@1.0.0"  # the user's, with the portal's warning
    assert [w["type"] for w in found["unknown"].warnings] == ["portal-schema-warning"]
    assert found["containers"].schema == "waste-fill-level/containers@1.0.0"
    assert found["hostile"].problem and "not an http(s) URL" in found["hostile"].problem[1]
    assert found["local"].problem and "no http(s) address" in found["local"].problem[1]


def test_a_portal_search_reads_every_page_and_keeps_the_declaring_resources(portal, monkeypatch):
    monkeypatch.setattr(portals, "PAGE_SIZE", 2)
    declared = {"name": "waste-fill-level", "version": "1.0.0"}
    for number in range(5):
        portal.datasets.append(dataset(f"d{number}", [resource(f"m{number}", f"/f/{number}/measurements.csv",
                                                               schema=declared, title="measurements"),
                                                      resource(f"x{number}", f"/f/{number}/other.csv")],
                                       organization=None if number == 4 else f"Org {number}"))
    portal.datasets[4]["owner"] = {"first_name": "Ada", "last_name": "Lovelace"}
    listing = from_portal(f"datagouv:{portal.base}", "waste-fill-level")
    assert [r.title for r in listing.resources] == ["measurements"] * 5
    assert [r.organization for r in listing.resources][-1] == "Ada Lovelace"
    assert listing.warnings == []
    assert portal.hits["/api/1/datasets/"] == 3


def test_a_portal_whose_pages_never_end_is_bounded(portal):
    portal.endless = True
    listing = from_portal(f"datagouv:{portal.base}", "anything", max_pages=4)
    assert portal.hits["/api/1/datasets/"] == 4
    [warning] = listing.warnings
    assert warning["type"] == "listing-truncated" and "4 pages" in warning["message_en"]
    assert "4 pages" in warning["message_fr"] and "La liste du portail" in warning["message_fr"]


def test_a_portal_that_repeats_its_page_ends_the_listing(portal, monkeypatch):
    search = portal.search
    portal.search = lambda query: dict(search({}), next_page="again")  # always page 1, always "more"
    portal.datasets.append(dataset("d", [resource("m", "/f/m.csv", schema={"name": "s"})]))
    listing = from_portal(f"datagouv:{portal.base}", "s")
    assert len(listing.resources) == 1 and portal.hits["/api/1/datasets/"] == 2


def test_a_dataset_listed_without_its_resources_is_asked_for(portal):
    full = dataset("d", [resource("m", "/f/m.csv", schema={"name": "s"})])
    portal.datasets.append(full)
    search = portal.search
    portal.search = lambda query: dict(search(query), data=[{"id": "d", "title": "D",
                                                              "resources": {"href": "elsewhere", "total": 1}}])
    [found] = from_portal(f"datagouv:{portal.base}", "s").resources
    assert found.source == portal.base + "/f/m.csv" and portal.hits["/api/1/datasets/d/"] == 1


def test_a_portal_that_does_not_answer_cannot_be_audited(portal):
    with pytest.raises(ListingProblem, match="did not answer"):
        from_portal("datagouv:http://127.0.0.1:9", "s")
    with pytest.raises(ListingProblem, match="not a udata portal"):
        from_portal("ckan:https://example.org", "s")


def test_a_portal_on_a_private_address_needs_the_opt_in(portal, monkeypatch):
    monkeypatch.delenv("TERRITORIA_ALLOW_PRIVATE_NETWORK")
    with pytest.raises(ListingProblem, match="non-public address"):
        from_portal(f"datagouv:{portal.base}", "s")


def test_schema_columns_split_catalogue_references():
    assert schema_columns("waste-fill-level/measurements@1.0.0") == ("waste-fill-level/measurements", "1.0.0")
    name, version = schema_columns("waste-fill-level/measurements")
    assert name == "waste-fill-level/measurements" and version  # the latest version, named
    assert schema_columns("https://example.org/schema.json") == ("https://example.org/schema.json", "")
    assert schema_columns(None) == ("", "")


def test_a_stalled_listing_page_costs_its_deadline_not_the_run(portal, monkeypatch):
    monkeypatch.setattr(portals, "API_SECONDS", 1.0)
    import time

    portal.files["/api/1/datasets/stalled/"] = File(b'{"resources": []}' * 100, stall=True)
    targets_started = time.monotonic()
    listing = portals.dataset_listing
    with pytest.raises(portals.PortalProblem, match="took longer than 1 s"):
        listing(f"datagouv:{portal.base}#stalled")
    assert time.monotonic() - targets_started < 5
