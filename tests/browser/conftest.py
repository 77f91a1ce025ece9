"""Headless Debian Chromium for the browser tests, driven by Playwright's sync API."""

import os
import threading
import time
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium findes ikke på {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    foer = {alias: connections[alias] for alias in connections}
    with sync_playwright() as p:
        _overtag_forbindelser(foer)
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


def _overtag_forbindelser(foer):
    """Playwright's sync API runs the rest of the session in a greenlet with its own context, so
    Django hands out new connection wrappers. Give them the test database's serialized copy (for
    serialized_rollback) and close the old ones, which would keep PostgreSQL from dropping the
    test database at the end."""
    for alias, gammel in foer.items():
        ny = connections[alias]
        if ny is gammel:
            continue
        if hasattr(gammel, "_test_serialized_contents"):
            ny._test_serialized_contents = gammel._test_serialized_contents
        gammel.close()


@pytest.fixture
def side(chromium):
    """A fresh page at 1280×800, Danish locale."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="da-DK")
    page = context.new_page()
    yield page
    # No late request (a poll, a suggestion) may reach the live server during the next test's
    # database set-up.
    page.wait_for_load_state("networkidle")
    context.close()


def log_ind(page, live_server, brugernavn, kodeord="hemmeligt-kodeord"):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(brugernavn)
    page.get_by_label("Adgangskode").fill(kodeord)
    page.get_by_role("button", name="Log ind").click()


# Screenshots go to a folder CI keeps: .ci/artefakter/ of the clone being tested, or ARTEFAKTER.
REPO = Path(__file__).resolve().parents[2]
ARTEFAKTER = Path(os.environ.get("ARTEFAKTER", REPO / ".ci" / "artefakter"))


def skaermbillede(page, navn):
    """A full-page screenshot ``navn`` (without .png) in the artefacts folder; returns its path."""
    ARTEFAKTER.mkdir(parents=True, exist_ok=True)
    sti = ARTEFAKTER / f"{navn}.png"
    page.screenshot(path=str(sti), full_page=True)
    return sti


# axe-core as axe-playwright-python ships it (no npm, no CDN). page.evaluate() runs it in the
# page's own world as a CDP call, which the app's Content-Security-Policy does not govern (it
# forbids inline <script> tags, which add_script_tag would make), so the check needs no
# bypass_csp and sees the page exactly as it is served.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
ALVORLIGE = ("serious", "critical")


def axe_fund(page) -> list[dict]:
    """axe-core's violations of WCAG 2.1 A/AA on the page as it is now."""
    from axe_playwright_python.base import AXE_SCRIPT

    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    return page.evaluate(
        "o => axe.run(document, o).then(r => r.violations)",
        {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )


def axe_tekst(fund) -> str:
    """One line a violation: rule, impact, number of nodes, the first target and the help."""
    return "\n".join(
        f"  {v['id']} ({v['impact']}, {len(v['nodes'])}×) {v['nodes'][0]['target'][0]}: "
        f"{v['help']}"
        for v in fund
    )


def tjek_tilgaengelighed(page, *, moderate=False):
    """Assert no serious or critical WCAG 2.1 A/AA violation on the page (and, with
    ``moderate=True``, no moderate one either), naming each one found."""
    niveauer = ALVORLIGE + (("moderate",) if moderate else ())
    fund = [v for v in axe_fund(page) if v["impact"] in niveauer]
    assert not fund, f"axe-core på {page.url}:\n{axe_tekst(fund)}"


# --- Background tasks (the import) run by django-tasks-db's worker inside the test -------------


@pytest.fixture
def database_backend(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default"]}}
    settings.IMPORT_TMP_DIR = tmp_path / "import"


@pytest.fixture
def langsomt(monkeypatch):
    """A dry run waits 1.5 s after it starts and each of its progress writes 1.2 s after it is
    made, so a one-second poll sees them. The import that follows runs at its own pace: the tests
    watch only its start (before the worker) and its answer."""
    from forloeb import tasks

    gem, importer = tasks.Fremskridt.gem, tasks.importer

    def gem_og_vent(self):
        gem(self)
        if getattr(self, "vent", False):
            time.sleep(1.2)

    def vent_og_importer(*args, **kwargs):
        if kwargs.get("dry_run"):
            kwargs["fremskridt"].vent = True
            time.sleep(1.5)
        return importer(*args, **kwargs)

    monkeypatch.setattr(tasks.Fremskridt, "gem", gem_og_vent)
    monkeypatch.setattr(tasks, "importer", vent_og_importer)


def arbejder(live_server) -> threading.Thread:
    """django-tasks-db's worker for one task, in a thread sharing the live server's database
    connection (an in-memory SQLite) or with its own (PostgreSQL)."""
    from django_tasks_db.management.commands.db_worker import Worker

    def koer():
        for alias, forbindelse in live_server.thread.connections_override.items():
            connections[alias] = forbindelse
        try:
            Worker(queue_names=["default"], interval=0.1, batch=False, backend_name="default",
                   startup_delay=False, max_tasks=1, worker_id="browsertest",
                   excluded_queue_names=[]).run()
        finally:
            if not live_server.thread.connections_override:
                connections.close_all()

    traad = threading.Thread(target=koer, daemon=True)
    traad.start()
    return traad
