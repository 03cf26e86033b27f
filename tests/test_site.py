"""The catalogue site (catalogue_docs/): strict build, generated pages, downloads, browser.

The site is built once per test session into a temporary folder with
``mkdocs build --strict`` (offline); the tests then read the built files. The
browser test serves the built site on 127.0.0.1 and drives Debian's headless
chromium from the home page to a field reference; its screenshot is saved to
tests/artifacts/.
"""
from __future__ import annotations

import functools
import html
import inspect
import html.parser
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from territoria.authoring.export import for_validata

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "catalogue_docs" / "mkdocs.yml"
SCHEMAS = REPO / "schemas"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
SITE_URL = "https://territoria.github.io/territoria/"

pytest.importorskip("mkdocs", reason="mkdocs-material is in the test extra: pip install -e '.[test]'")
pytest.importorskip("material", reason="mkdocs-material is in the test extra: pip install -e '.[test]'")

sys.path.insert(0, str(REPO / "catalogue_docs" / "hooks"))
from site_model import load_catalogue  # noqa: E402

ENTRIES = load_catalogue(str(SCHEMAS))
VERSIONS = [pytest.param(entry, version, id=f"{entry.name}@{version.version}")
            for entry in ENTRIES for version in entry.versions]
RESOURCES = [pytest.param(entry, version, resource, id=f"{entry.name}@{version.version}/{resource.name}")
             for entry in ENTRIES for version in entry.versions for resource in version.resources]


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """Build the site strictly, offline, into a temporary folder; fail on any warning."""
    out = tmp_path_factory.mktemp("site")
    environment = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(CONFIG), "-d", str(out)],
                            capture_output=True, text=True, env=environment, timeout=300)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    warnings = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
    assert not warnings, "\n".join(warnings)
    return out


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key) and tag in ("a", "link", "script", "img"):
                self.links.append((tag, attrs[key]))


def parse(text: str) -> _Links:
    parser = _Links()
    parser.feed(text)
    return parser


# --- build and pages ----------------------------------------------------------------------------

def test_catalogue_is_not_empty():
    assert ENTRIES, "no entry found in schemas/"
    assert len(ENTRIES) >= 4


def test_no_generated_markdown_is_committed():
    docs = REPO / "catalogue_docs" / "docs"
    for entry in ENTRIES:
        assert not (docs / entry.name).exists(), f"{entry.name} pages must be generated, not committed"
    assert not list(docs.glob("errors*.md"))


def test_home_page_lists_every_use_case_in_both_languages(site):
    for home, prefix in ((site / "index.html", ""), (site / "en" / "index.html", "")):
        links = [href for _tag, href in parse(read(home)).links]
        for entry in ENTRIES:
            assert f"{prefix}{entry.name}/" in links, (home, entry.name)
            assert f"{prefix}{entry.name}/{entry.latest}/" in links


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_overview_page(site, entry):
    for lang_dir in ("", "en/"):
        page = read(site / f"{lang_dir}{entry.name}" / "index.html")
        assert 'class="mermaid"' in page and "erDiagram" in page
        for resource in entry.latest_version.resources:
            assert resource.name in page
        for version in entry.versions:
            assert f'href="{version.version}/"' in page
    french = read(site / entry.name / "index.html")
    assert "Vie privée" in french and entry.short_title("fr") in french
    english = read(site / "en" / entry.name / "index.html")
    assert "Privacy" in english and entry.short_title("en") in english


@pytest.mark.parametrize("entry,version", VERSIONS)
def test_field_reference_page(site, entry, version):
    for lang_dir, required_word in (("", "oui"), ("en/", "yes")):
        page = read(site / f"{lang_dir}{entry.name}" / version.version / "index.html")
        links = parse(page)
        assert page.count('class="tt-fields"') == len(version.resources)
        for resource in version.resources:
            for field in resource.fields:
                assert f'id="{resource.name}-{field["name"]}"' in page, field["name"]
                assert f"<code>{field['name']}</code>" in page
                if field.get("unit"):
                    assert f"<code>{field['unit']}</code>" in page
                for value in (field.get("constraints") or {}).get("enum") or []:
                    assert f"<code>{value}</code>" in page
            hrefs = [href for _t, href in links.links]
            assert any(h.endswith(f"templates/{resource.name}.csv") for h in hrefs)
            assert any(h.endswith(f"templates/{resource.name}.xlsx") for h in hrefs)
        assert required_word in page
        assert "tt-current" in page  # the version selector marks the shown version
        assert ("dernière" if lang_dir == "" else "latest") in page if version.is_latest else True
    # both titles are shown whatever the language
    resource = version.resources[0]
    french = read(site / entry.name / version.version / "index.html")
    for field in resource.fields:
        for title in (field.get("title"), field.get("title_en")):
            if title:
                assert html_escape(title) in french


def html_escape(value: str) -> str:
    return html.escape(value, quote=True)


@pytest.mark.parametrize("entry,version", VERSIONS)
def test_examples_and_changelog_pages(site, entry, version):
    page = read(site / entry.name / version.version / "examples" / "index.html")
    for example in version.examples:
        assert f'id="{example.name}"' in page
        for error in example.expected_errors + example.expected_warnings:
            assert f"errors/#{error['type']}" in page
        if example.expected_warnings:
            assert "Jeu valide avec avertissements" in page
    assert (site / "en" / entry.name / version.version / "examples" / "index.html").is_file()
    changelog = read(site / entry.name / "changelog" / "index.html")
    assert version.version in changelog


def test_language_switch_links_each_page_to_its_translation(site):
    entry = ENTRIES[0]
    version = entry.latest_version
    french = read(site / entry.name / version.version / "index.html")
    english = read(site / "en" / entry.name / version.version / "index.html")
    assert 'hreflang="en"' in french and f"/en/{entry.name}/{version.version}/" in french
    assert 'hreflang="fr"' in english
    assert '<html lang="fr"' in french and '<html lang="en"' in english
    assert "Cas d'usage" in french or "Cas d&#39;usage" in french
    assert "Use cases" in english


def test_every_local_link_resolves(site):
    broken = []
    for page in site.rglob("*.html"):
        for _tag, href in parse(read(page)).links:
            parsed = urllib.parse.urlparse(href)
            if parsed.scheme or href.startswith(("#", "//", "mailto:")):
                continue
            path = urllib.parse.unquote(parsed.path)
            target = (page.parent / path).resolve() if not path.startswith("/") else None
            if target is None:
                continue
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} → {href}")
    assert not broken, "\n".join(broken[:30])


def test_nothing_is_fetched_from_the_network(site):
    """Fonts are off and scripts are local (Mermaid included): search and diagrams work offline."""
    for page in [site / "index.html", site / "en" / "errors" / "index.html"]:
        text = read(page)
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
        for tag, href in parse(text).links:
            if tag in ("script", "link") and href.startswith(("http:", "https:", "//")):
                assert tag == "link" and ("hreflang" in text), href  # only alternate/canonical links
    index = json.loads(read(site / "search" / "search_index.json"))
    words = json.dumps(index, ensure_ascii=False)
    field = ENTRIES[0].latest_version.resources[0].fields[-1]["name"]
    assert field in words
    assert "type-error" in words
    # French search: French stemming, and each French page indexed with its French words
    assert "fr" in index["config"]["lang"]
    french = {d["location"]: d for d in index["docs"] if not d["location"].startswith("en/")}
    assert any(d["title"] == "Catalogue des erreurs" for d in french.values())
    entry = ENTRIES[0]
    overview = next(d for location, d in french.items() if location.rstrip("/") == entry.name)
    assert entry.short_title("fr") in overview["title"]


# --- error catalogue ----------------------------------------------------------------------------

def test_error_catalogue_explains_with_examples_in_the_page_language(site):
    """No raw template ({rowNumber}, {note}) on the page: each rule shows a message as the report says it,
    in the page's language; the French page does not quote the checks' English docstrings."""
    import re

    from territoria import checks as checks_module
    from territoria.rules import RULES

    checks_module.load_all()
    for lang_dir, lang in (("", "fr"), ("en/", "en")):
        text = html.unescape(read(site / f"{lang_dir}errors" / "index.html"))
        assert not re.search(r"\{[a-zA-Z_]+\}", text), lang
        for kind in RULES.values():
            assert kind.example_message(lang) in text, (lang, kind.code)
    french = html.unescape(read(site / "errors" / "index.html"))
    for cls in checks_module.CHECKS.values():
        first = (inspect.getdoc(cls) or "").split("\n\n")[0].replace("\n", " ")
        assert not first or first not in french, cls.name


def test_error_catalogue_lists_every_error_type_and_check(site):
    from territoria import checks as checks_module
    from territoria.rules import RULES as ERROR_TYPES

    checks_module.load_all()
    assert ERROR_TYPES
    for lang_dir in ("", "en/"):
        page = read(site / f"{lang_dir}errors" / "index.html")
        ids = parse(page).ids
        for code, kind in ERROR_TYPES.items():
            assert code in ids, code
            hint = kind.hint_fr if lang_dir == "" else kind.hint_en
            assert hint in html.unescape(page), code
        for name in getattr(checks_module, "CHECKS", {}):
            assert f"check-{name}" in ids, name
        for entry in ENTRIES:
            for version in entry.versions:
                for resource in version.resources:
                    for check in resource.schema.get("custom_checks") or []:
                        assert f"check-{check['name']}" in ids


def test_error_urls_point_at_the_catalogue():
    from territoria.rules import doc_url as error_url

    assert error_url("type-error") == SITE_URL + "errors/#type-error"
    assert error_url("type-error", "en") == SITE_URL + "en/errors/#type-error"


# --- downloads ----------------------------------------------------------------------------------

@pytest.mark.parametrize("entry,version", VERSIONS)
def test_raw_descriptors_and_examples_at_stable_addresses(site, entry, version):
    for relative in version.files():
        source = Path(version.path) / relative
        assert (site / entry.name / version.version / relative).read_bytes() == source.read_bytes()
        if version.is_latest:
            assert (site / entry.name / "latest" / relative).read_bytes() == source.read_bytes()
    archive = zipfile.ZipFile(site / entry.name / version.version / "examples.zip")
    assert f"{entry.name}-{version.version}/datapackage.json" in archive.namelist()
    if version.is_latest:
        assert f"../{version.version}/" in read(site / entry.name / "latest" / "index.html")


@pytest.mark.parametrize("entry,version,resource", RESOURCES)
def test_csv_template_is_the_header(site, entry, version, resource):
    data = (site / entry.name / version.version / "templates" / f"{resource.name}.csv").read_bytes()
    assert data.decode("utf-8").strip().split(",") == [f["name"] for f in resource.fields]


@pytest.mark.parametrize("entry,version,resource", RESOURCES)
def test_xlsx_template_has_header_help_and_drop_downs(site, entry, version, resource):
    import openpyxl

    book = openpyxl.load_workbook(site / entry.name / version.version / "templates" / f"{resource.name}.xlsx")
    sheet = book.worksheets[0]
    names = [f["name"] for f in resource.fields]
    assert [c.value for c in sheet[1]] == names
    assert sheet.max_row == 1
    validations = sheet.data_validations.dataValidation
    for number, field in enumerate(resource.fields, start=1):
        cell = sheet.cell(row=1, column=number)
        assert cell.comment is not None and field.get("title", "") in cell.comment.text
        letter = cell.column_letter
        covering = [v for v in validations if any(str(r).startswith(f"{letter}2:") for r in v.sqref.ranges)]
        assert covering and covering[0].showInputMessage, field["name"]
        enum = (field.get("constraints") or {}).get("enum")
        if enum:
            assert covering[0].type == "list"
            reference = covering[0].formula1.split("!")[1].replace("$", "")
            values = [c.value for row in book["listes"][reference] for c in row]
            assert values == [str(v) for v in enum]


@pytest.mark.parametrize("entry,version,resource", RESOURCES[:3])
def test_templates_pass_the_validator(site, entry, version, resource):
    """A blank template has exactly the schema's header (custom checks aside: they need data)."""
    import territoria

    schema = {k: v for k, v in resource.schema.items() if k != "custom_checks"}
    for suffix in ("csv", "xlsx"):
        report = territoria.validate(str(site / entry.name / version.version / "templates" / f"{resource.name}.{suffix}"),
                                     schema)
        found = [e["type"] for t in report.tasks for e in t.errors] + [e.get("type") for e in report.errors]
        assert report.valid, (suffix, found)


def test_schemas_json_follows_the_national_catalogue_format(site):
    catalogue = json.loads(read(site / "schemas.json"))
    assert catalogue["version"] == 1 and isinstance(catalogue["schemas"], list)
    keys = {"name", "title", "description", "schema_url", "schema_type", "contact", "examples", "labels",
            "consolidation_dataset_id", "versions", "external_doc", "external_tool", "homepage"}
    by_name = {item["name"]: item for item in catalogue["schemas"]}
    for item in catalogue["schemas"]:
        assert keys <= set(item), item["name"]
        assert item["schema_type"] in ("tableschema", "datapackage")
        for url in [item["schema_url"]] + [v["schema_url"] for v in item["versions"]] + \
                [e["path"] for e in item["examples"]]:
            assert url.startswith(SITE_URL)
            assert (site / url[len(SITE_URL):]).is_file(), url
    for entry in ENTRIES:
        package = by_name[f"territoria/{entry.name}"]
        assert package["schema_type"] == "datapackage"
        assert [v["version_name"] for v in package["versions"]] == [v.version for v in entry.versions]
        for resource in entry.latest_version.resources:
            table = by_name[f"territoria/{entry.name}-{resource.name}"]
            assert table["schema_type"] == "tableschema"
            assert table["datapackage_name"] == f"territoria/{entry.name}"
            # the national validator (Validata) gets the schema in its own vocabulary
            assert json.loads((site / table["schema_url"][len(SITE_URL):]).read_text()) == for_validata(resource.schema)[0]


# --- command ------------------------------------------------------------------------------------

def test_docs_command_is_wired():
    from territoria import cli
    from territoria.cli import docs as cli_docs

    args = cli.build_parser().parse_args(["docs", "build", "-d", "out"])
    assert args.command == "docs" and args.docs_command == "build" and args.site_dir == "out"
    assert cli_docs.find_config(str(REPO)) == str(CONFIG)
    assert cli.main(["docs"]) == 2


# --- browser ------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(site):
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", _free_port()), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _chromium(profile: Path, *args: str, timeout: int = 60) -> subprocess.CompletedProcess:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1400,1800",
               "--virtual-time-budget=4000", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def _dom(profile: Path, url: str) -> str:
    result = _chromium(profile, "--dump-dom", url)
    assert result.returncode == 0 and "<html" in result.stdout, result.stderr[-2000:]
    return result.stdout


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed (.ci/run installs it)")
def test_browser_home_to_use_case_to_field_reference(served, tmp_path):
    profile = tmp_path / "chromium-profile"
    entry = ENTRIES[0]
    home = _dom(profile, served)
    assert "Territoria" in home
    use_case = next(href for _t, href in parse(home).links if href.rstrip("/").endswith(entry.name))
    use_case_url = urllib.parse.urljoin(served, use_case)
    overview = _dom(profile, use_case_url)
    assert entry.short_title("fr") in overview
    reference = next(href for _t, href in parse(overview).links if href.rstrip("/").endswith(entry.latest))
    reference_url = urllib.parse.urljoin(use_case_url, reference)
    page = _dom(profile, reference_url)
    assert 'class="tt-fields"' in page
    first = entry.latest_version.resources[0]
    assert f"<code>{first.fields[0]['name']}</code>" in page
    template = next(href for _t, href in parse(page).links if href.endswith(f"templates/{first.name}.csv"))
    with urllib.request.urlopen(urllib.parse.urljoin(reference_url, template), timeout=10) as response:
        assert response.read().decode("utf-8").strip().split(",") == [f["name"] for f in first.fields]
    xlsx = next(href for _t, href in parse(page).links if href.endswith(f"templates/{first.name}.xlsx"))
    with urllib.request.urlopen(urllib.parse.urljoin(reference_url, xlsx), timeout=10) as response:
        assert zipfile.is_zipfile(io.BytesIO(response.read()))
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "site-field-reference.png"
    if shot.exists():
        shot.unlink()
    result = _chromium(profile, f"--screenshot={shot}", reference_url)
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    shutil.rmtree(profile, ignore_errors=True)


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed (.ci/run installs it)")
def test_browser_draws_the_diagrams_asking_no_other_host(served, tmp_path):
    """Mermaid is served by the site: with every other host unreachable, the diagram is drawn. mkdocs-material
    draws it into the shadow root of a ``div.mermaid`` (which --dump-dom does not show); when Mermaid cannot
    be loaded, the element is dropped instead."""
    entry = ENTRIES[0]
    url = urllib.parse.urljoin(served, f"{entry.name}/")
    result = _chromium(tmp_path / "profile", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                       "--virtual-time-budget=15000", "--dump-dom", url, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert '<div class="mermaid">' in dom and "erDiagram" not in dom


def test_every_script_is_served_by_the_site(site):
    for page in site.rglob("*.html"):
        sources = re.findall(r'<script[^>]+src="([^"]+)"', page.read_text(encoding="utf-8"))
        assert not [s for s in sources if s.startswith(("http:", "https:", "//"))], page
