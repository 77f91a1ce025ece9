"""The Content-Security-Policy in a real browser: a goal page draws its plotly charts, and
downloads one as PNG, without a single CSP violation; a locked account says so on the login
page."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests import factories as f

from .conftest import log_ind

pytestmark = [
    pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)
]


def test_a_goal_page_draws_its_charts_without_a_csp_violation(side, live_server, kkr_laeser,
                                                              kontrakt_2025):
    for slut in (date(2025, 1, 31), date(2025, 3, 15), date(2025, 6, 30)):
        f.forloeb(type="kort", startdato=date(2025, 1, 2), slutdato=slut)
    beskeder = []
    side.on("console", lambda besked: beskeder.append(besked.text))

    log_ind(side, live_server, "laeser")
    side.wait_for_url(f"{live_server.url}/status/")
    svar = side.goto(f"{live_server.url}/status/maal/7/?aar=2025&periode=H1")
    assert "script-src 'self';" in svar.headers["content-security-policy"] + ";"
    diagram = side.locator('[data-diagram="figur-M7-korte"]')
    expect(diagram.locator("svg.main-svg").first).to_be_visible()
    expect(diagram).to_contain_text("Faktisk (kumuleret)")

    diagram.hover()
    with side.expect_download() as hentning:
        diagram.locator('.modebar-btn[data-title="Download plot as a PNG"]').click()
    assert hentning.value.suggested_filename.endswith(".png")

    brud = [b for b in beskeder if "Content Security Policy" in b or "Refused to" in b]
    assert brud == []


def test_a_locked_account_is_told_so_on_the_login_page(side, live_server, registrant):
    for _ in range(5):
        log_ind(side, live_server, "registrant", "forkert-kodeord")
    expect(side.get_by_role("alert")).to_have_text(
        "Kontoen er låst i 30 minutter efter 5 forkerte forsøg på at logge ind. Prøv igen "
        "senere, eller bed en administrator om at låse den op.")
    log_ind(side, live_server, "registrant")
    expect(side.get_by_role("alert")).to_contain_text("Kontoen er låst i 30 minutter")
    expect(side.get_by_role("link", name="Skift adgangskode")).to_have_count(0)
