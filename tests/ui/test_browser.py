"""The local page in a real browser: Playwright driving Debian's chromium, by its executable path.

What a data officer does: drop an invalid catalogue example, pick its schema,
read the verdict, download the repaired copy; the same with the keyboard only;
the page in English; a refused upload; the progress of a bigger file. Every
request the page makes goes to the local server, the browser reports no
Content-Security-Policy violation, and axe-core (from the npm registry,
installed by ``.ci/run`` into ``tests/ui/node_modules``) finds no WCAG 2.1 A/AA
violation. Screenshots are kept in ``tests/artifacts/ui/`` (git-ignored).

Skipped, with the reason, when chromium or Playwright is absent; Playwright's
own browsers are never downloaded.
"""
from __future__ import annotations

import os
import re
import shutil
import zipfile

import pytest
from conftest import REPO
from ui_client import needs_the_extra, server, small_server  # noqa: F401 (fixtures)

needs_the_extra()
CHROMIUM = os.environ.get("TERRITORIA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"no chromium at {CHROMIUM} (Debian: apt-get install chromium; .ci/run installs it)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'")
expect = sync_api.expect
PlaywrightTimeout = sync_api.TimeoutError

import territoria  # noqa: E402

AXE = os.environ.get("TERRITORIA_AXE_JS") or str(REPO / "tests" / "ui" / "node_modules" / "axe-core" / "axe.min.js")
ARTIFACTS = REPO / "tests" / "artifacts" / "ui"
EXAMPLE = REPO / "schemas" / "street-lighting" / "2.1.0" / "examples" / "invalid-bad-time" / "light_points.csv"
SCHEMA = "street-lighting/light_points"


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        except Exception as error:  # a chromium Playwright cannot drive: say so rather than fail obscurely
            pytest.skip(f"chromium at {CHROMIUM} does not start under Playwright: {error}")
        yield launched
        launched.close()


class Watched:
    """A page, with every request it made and every console error (a CSP violation is one)."""

    def __init__(self, browser, base: str):
        self.context = browser.new_context(accept_downloads=True, viewport={"width": 1200, "height": 900})
        self.page = self.context.new_page()
        self.base = base
        self.requests: list = []
        self.errors: list = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def check_nothing_left_the_machine(self) -> None:
        foreign = [url for url in self.requests if not url.startswith((self.base, "blob:" + self.base.rstrip("/")))]
        assert foreign == [], foreign
        assert self.errors == [], self.errors

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def watched(browser, server):
    found = Watched(browser, server.url)
    yield found
    found.context.close()


def drop(page, files: dict) -> None:
    """Drop files on the drop zone as the desktop does: a ``drop`` event carrying them in a DataTransfer."""
    page.evaluate("""(files) => {
        const transfer = new DataTransfer();
        for (const [name, text] of Object.entries(files)) transfer.items.add(new File([text], name));
        const zone = document.getElementById("drop");
        for (const kind of ["dragenter", "dragover", "drop"]) {
            zone.dispatchEvent(new DragEvent(kind, {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }
    }""", files)


def saved_copy(download, tmp_path) -> tuple:
    path = tmp_path / download.suggested_filename
    download.save_as(str(path))
    with zipfile.ZipFile(path) as archive:
        archive.extractall(tmp_path / "copy")
    return path, tmp_path / "copy"


def test_drop_an_invalid_example_read_the_verdict_download_the_repaired_copy(watched, tmp_path):
    page = watched.page
    page.goto(watched.base)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#schema optgroup").first).to_be_attached()
    watched.shot("01-page")
    drop(page, {"light_points.csv": EXAMPLE.read_text(encoding="utf-8")})
    expect(page.locator("#chosen")).to_contain_text("light_points.csv")
    expect(page.locator("#schema")).to_have_value(SCHEMA)  # pre-selected from the header
    expect(page.locator("#suggestion")).to_contain_text(SCHEMA)
    page.fill("#search", "points lumineux")  # and picked by a search, as a user would
    page.select_option("#schema", SCHEMA)
    expect(page.locator("#version")).to_have_value("2.1.0")
    page.click("#run")
    report = page.locator("#report")
    expect(report).to_have_attribute("data-valid", "false")
    expect(report).to_contain_text("À corriger")
    cli = territoria.validate(str(EXAMPLE), SCHEMA)
    text = report.inner_text()
    for error in cli.tasks[0].errors:  # the same errors as the command line, in the same words
        assert error["message_fr"] in text and error["hint_fr"] in text
    assert "Erreurs par type" in text and "Erreurs par colonne" in text
    expect(page.locator("#download-html")).to_have_attribute("href", re.compile(r"^/api/reports/.+format=html"))
    watched.shot("02-report")
    with page.expect_download() as caught:
        page.click("#fix")
    archive, folder = saved_copy(caught.value, tmp_path)
    assert archive.name == "light_points-fixed.zip"
    assert territoria.validate(str(folder / "light_points-fixed.csv"), SCHEMA).valid
    assert "french-time" in (folder / "light_points-changes.csv").read_text()
    expect(page.locator("#fix-status")).to_contain_text("La copie est valide.")
    watched.shot("03-repaired")
    watched.check_nothing_left_the_machine()


def _open_chooser_with_space(page):
    """The file chooser the Space key opens on the focused file field. Once in a full run on a loaded machine
    chromium dropped the first press (no chooser within 30 s): a second press, on the field focused again, is
    still the keyboard alone."""
    for attempt in range(2):
        try:
            with page.expect_file_chooser(timeout=10_000 if attempt == 0 else 30_000) as chooser:
                page.keyboard.press("Space")
            return chooser.value
        except PlaywrightTimeout:
            if attempt:
                raise
            page.evaluate("document.activeElement && document.activeElement.blur()")
            _tab_to(page, "files")


def _tab_to(page, target: str, limit: int = 30) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == target:
            _assert_focus_visible(page)
            return
        _assert_focus_visible(page)
    raise AssertionError(f"#{target} was not reached with the Tab key")


def _assert_focus_visible(page) -> None:
    """The focused control (or the label that shows a visually hidden one) has a visible outline."""
    style = page.evaluate("""() => {
        let shown = document.activeElement;
        if (!shown || shown === document.body) return "body";
        if (shown.classList.contains("visually-hidden")) shown = document.querySelector(`label[for="${shown.id}"]`);
        const s = getComputedStyle(shown);
        return `${s.outlineStyle} ${s.outlineWidth}`;
    }""")
    assert style == "body" or (not style.startswith("none") and not style.endswith(" 0px")), style


def test_keyboard_only(watched, tmp_path):
    page = watched.page
    page.goto(watched.base)
    expect(page.locator("#schema optgroup").first).to_be_attached()
    _tab_to(page, "files")
    _open_chooser_with_space(page).set_files(str(EXAMPLE))
    expect(page.locator("#chosen")).to_contain_text("light_points.csv")
    expect(page.locator("#schema")).to_have_value(SCHEMA)
    _tab_to(page, "search")
    page.keyboard.type("éclairage points lumineux")
    _tab_to(page, "schema")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowDown")  # from "none" to the one table the search left
    expect(page.locator("#schema")).to_have_value(SCHEMA)
    _tab_to(page, "run")
    page.keyboard.press("Enter")
    expect(page.locator("#report")).to_have_attribute("data-valid", "false")
    assert page.evaluate("document.activeElement.id") == "report-heading", "the focus moves to the report"
    _tab_to(page, "download-html")
    _tab_to(page, "fix")
    watched.shot("04-keyboard")
    with page.expect_download() as caught:
        page.keyboard.press("Enter")
    _, folder = saved_copy(caught.value, tmp_path)
    assert territoria.validate(str(folder / "light_points-fixed.csv"), SCHEMA).valid
    watched.check_nothing_left_the_machine()


def _axe(page) -> list:
    page.evaluate(open(AXE, encoding="utf-8").read())  # evaluated by the driver: the page's CSP stays whole
    return page.evaluate("""async () => {
        const result = await axe.run(document, {runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]});
        return result.violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(" ")).join(", ")})`);
    }""")


def test_accessibility_with_axe(watched):
    if not os.path.isfile(AXE):
        pytest.skip(f"axe-core is not installed at {AXE} (npm install --prefix tests/ui axe-core; .ci/run does it)")
    page = watched.page
    page.goto(watched.base)
    expect(page.locator("#schema optgroup").first).to_be_attached()
    assert _axe(page) == []
    page.set_input_files("#files", str(EXAMPLE))
    expect(page.locator("#schema")).to_have_value(SCHEMA)
    page.click("#run")
    expect(page.locator("#report")).to_have_attribute("data-valid", "false")
    assert _axe(page) == []
    page.click("#switch")
    expect(page.locator("#report")).to_contain_text("Needs fixing")
    assert _axe(page) == []
    watched.check_nothing_left_the_machine()


def test_the_page_in_english(watched):
    page = watched.page
    page.goto(watched.base)
    page.set_input_files("#files", str(EXAMPLE))
    expect(page.locator("#schema")).to_have_value(SCHEMA)
    page.click("#run")
    expect(page.locator("#report")).to_contain_text("À corriger")
    page.click("#switch")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Territoria — check data files")
    expect(page.locator("#run")).to_have_text("Validate")
    expect(page.locator("#report")).to_contain_text("Needs fixing")
    expect(page.locator("#fix")).to_have_text("Download the repaired copy")
    expect(page.locator("#download-json")).to_have_attribute("href", re.compile(r"lang=en"))
    assert "lang=en" in page.url
    watched.shot("05-english")
    watched.check_nothing_left_the_machine()


def test_a_file_over_the_limit_is_refused_before_it_is_sent(browser, small_server):
    watched = Watched(browser, small_server.url)
    try:
        page = watched.page
        page.goto(small_server.url)
        drop(page, {"big.csv": "a\n" + "1\n" * 700_000})
        page.click("#run")
        expect(page.locator("#form-error")).to_contain_text(
            "L'envoi n'a pas été lu : les fichiers envoyés dépassent 1 Mio, la limite de la page")
        assert not [url for url in watched.requests if url.endswith("/api/validate")]
        watched.check_nothing_left_the_machine()
    finally:
        watched.context.close()


def test_the_progress_of_a_bigger_file(watched, tmp_path):
    rows = 300_000
    path = tmp_path / "mesures.csv"
    with open(path, "w", encoding="utf-8") as out:
        out.write("id,value\n")
        out.writelines(f"{n},{n % 1000 / 10}\n" for n in range(rows))
    schema = tmp_path / "schema.json"
    schema.write_text('{"fields": [{"name": "id", "type": "integer", "constraints": {"unique": true}},'
                      ' {"name": "value", "type": "number", "constraints": {"maximum": 99}}]}')
    page = watched.page
    page.goto(watched.base)
    page.evaluate("""() => {
        window.seen = [];
        new MutationObserver(() => window.seen.push(document.getElementById("progress-text").textContent))
            .observe(document.getElementById("progress-text"), {childList: true, characterData: true, subtree: true});
    }""")
    page.set_input_files("#files", str(path))
    page.set_input_files("#schema-file", str(schema))
    expect(page.locator("#schema-file-name")).to_have_text("schema.json")
    page.click("#run")
    expect(page.locator("#report")).to_have_attribute("data-valid", "false", timeout=60_000)
    seen = page.evaluate("window.seen")
    assert any(re.match(r"Vérification… [\d\u202f\u00a0 ]+ lignes lues sur environ [\d\u202f\u00a0 ]+$", text)
               for text in seen), seen
    assert seen[-1] == "Vérification terminée."
    expect(page.locator("#progress")).to_have_attribute("value", "100")
    expect(page.locator("#report")).to_contain_text("constraint-error")
    watched.shot("06-bigger-file")
    watched.check_nothing_left_the_machine()
