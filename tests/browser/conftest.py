"""Headless Debian Chromium for the browser tests, driven by Playwright's sync API."""

import os
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
    context.close()


def log_ind(page, live_server, brugernavn, kodeord="hemmeligt-kodeord"):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(brugernavn)
    page.get_by_label("Adgangskode").fill(kodeord)
    page.get_by_role("button", name="Log ind").click()
