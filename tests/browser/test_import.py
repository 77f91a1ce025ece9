"""An administrator uploads a workbook in a real browser and watches the background import: the
run's page shows it waiting, then running with a bar per sheet redrawn by import.js (under the
app's strict CSP), then the dry run's answer; the confirmation runs the import the same way.
Without JavaScript the page reloads itself (a refresh in <noscript>) until the answer is there.

The tasks run on the real database backend (django-tasks-db), by its own worker in a thread of
the test, started only once the page shows the run waiting; each progress write is held for a
moment (and the run's start), so the page's poll (every second) sees the running state and
the bar between the start and the answer."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from forloeb.models import Forloeb
from tests.forloeb.test_importer import FORLOEB_OVERSKRIFT, VIRKSOMHED_OVERSKRIFT, bog

from .conftest import arbejder, log_ind, skaermbillede

pytestmark = [
    pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RAEKKER = 2500  # the importer reports every 1,000 rows: a bar part way
FORLOEB_ARK = re.compile(r"^Forl(oe|ø)b")  # the sheet, as the page names it


def test_upload_watch_the_bar_and_the_answer_then_import(
    side, live_server, administrator, kontrakt_2025, database_backend, langsomt, tmp_path
):
    fil = tmp_path / "crm-januar.xlsx"
    fil.write_bytes(bog(
        Virksomheder=[VIRKSOMHED_OVERSKRIFT, ["10000017", "Nordisk Bageri ApS", "330",
                                              date(2010, 1, 1)]],
        Forloeb=[FORLOEB_OVERSKRIFT, *(
            [f"ESCRM-{n}", "10000017", "kort", date(2025, 1, 5), date(2025, 1, 20), "", "", ""]
            for n in range(1, RAEKKER + 1)
        )],
    ))
    csp_brud = []
    side.on("console", lambda m: csp_brud.append(m.text)
            if "Content Security Policy" in m.text else None)
    log_ind(side, live_server, "administrator")
    side.goto(f"{live_server.url}/registrering/import/")
    side.get_by_label("Arbejdsbog (.xlsx) eller CSV-fil").set_input_files(str(fil))
    side.get_by_role("button", name="Vis prøvekørsel").click()

    # Waiting: no worker yet. The status is a live region; the bar is there, without a value.
    status = side.locator("#import-status")
    expect(status).to_have_text("Prøvekørslen af crm-januar.xlsx starter om et øjeblik.")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(side.locator("progress")).to_have_count(1)
    expect(side.get_by_role("link", name="Opdater")).to_be_hidden()  # the script polls instead

    traad = arbejder(live_server)
    # Running: the script redraws the page from the JSON status, without reloading it.
    expect(status).to_contain_text("Prøvekørslen af crm-januar.xlsx kører.", timeout=15_000)
    bar = side.get_by_role("progressbar", name=FORLOEB_ARK)
    expect(bar).to_be_visible(timeout=15_000)
    # Part way: a sheet checked in part (value below max), as the JSON status gave it.
    side.wait_for_function(
        "() => [...document.querySelectorAll('#import-ark progress')]"
        ".some(p => p.hasAttribute('value') && p.value < p.max)", timeout=15_000)
    expect(side.locator("#import-ark")).to_contain_text("af 2.500 rækker kontrolleret")
    skaermbillede(side, "import-fremskridt")

    # Done: the page reloads and shows the dry run's answer with the confirmation.
    expect(side.get_by_text("Filen er i orden. Kontrollér tallene nedenfor")).to_be_visible(
        timeout=30_000)
    traad.join(timeout=10)
    expect(side.locator("progress")).to_have_count(0)
    raekke = side.get_by_role("row", name=FORLOEB_ARK)
    expect(raekke).to_contain_text("2.500")
    skaermbillede(side, "import-proevekoersel")
    assert not Forloeb.objects.exists()

    side.get_by_role("button", name="Importér crm-januar.xlsx").click()
    expect(status).to_have_text("Importen af crm-januar.xlsx starter om et øjeblik.")
    traad = arbejder(live_server)
    expect(side.get_by_text("Importen er gemt. Historikken viser ændringerne")).to_be_visible(
        timeout=30_000)
    traad.join(timeout=10)
    expect(side.get_by_text("crm-januar.xlsx er importeret.")).to_be_visible()
    skaermbillede(side, "import-importeret")
    assert Forloeb.objects.count() == RAEKKER
    assert csp_brud == []


def test_without_javascript_the_page_reloads_itself_to_the_answer(
    chromium, live_server, administrator, kontrakt_2025, database_backend, tmp_path
):
    context = chromium.new_context(java_script_enabled=False, locale="da-DK")
    side = context.new_page()
    fil = tmp_path / "Virksomheder.csv"
    fil.write_text("cvr;navn;kommunekode;stiftelsesdato\n10000017;Bo ApS;330;01-01-2001\n")
    try:
        log_ind(side, live_server, "administrator")
        side.goto(f"{live_server.url}/registrering/import/")
        side.get_by_label("Arbejdsbog (.xlsx) eller CSV-fil").set_input_files(str(fil))
        side.get_by_role("button", name="Vis prøvekørsel").click()
        expect(side.locator("#import-status")).to_contain_text("starter om et øjeblik")
        expect(side.get_by_role("link", name="Opdater")).to_be_visible()

        traad = arbejder(live_server)
        # The <noscript> refresh brings the answer without a click.
        expect(side.get_by_text("Filen er i orden. Kontrollér tallene nedenfor")).to_be_visible(
            timeout=20_000)
        traad.join(timeout=10)
        expect(side.get_by_role("button", name="Importér Virksomheder.csv")).to_be_visible()
    finally:
        side.wait_for_load_state("networkidle")
        context.close()
