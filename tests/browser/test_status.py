"""A KKR member in a real browser: logs in, reads the status, changes the period, opens a goal
and sees its chart drawn by plotly from our JSON."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests import factories as f

from .conftest import log_ind

# The live server reads committed data; serialized rollback puts the reference data (regions,
# kommuner, aktører) back after the flush, for the tests that follow.
pytestmark = [
    pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)
]


@pytest.fixture
def forloeb_2025(kontrakt_2025):
    for slut in (date(2025, 1, 31), date(2025, 3, 15), date(2025, 6, 30), date(2025, 9, 1)):
        f.forloeb(type="kort", startdato=date(2025, 1, 2), slutdato=slut)
    return kontrakt_2025


def test_kkr_laeser_changes_period_and_sees_a_goal_chart(side, live_server, kkr_laeser,
                                                         forloeb_2025):
    log_ind(side, live_server, "laeser")
    side.wait_for_url(f"{live_server.url}/status/")  # the front page sends KKR to status
    expect(side.get_by_role("heading", name="Nationale mål")).to_be_visible()
    expect(side.get_by_role("heading", name="Lokale mål")).to_be_visible()

    side.get_by_role("link", name="1. halvår", exact=True).click()
    expect(side.get_by_role("heading", level=1)).to_have_text("Status: 1. halvår 2025")
    korte = side.locator("tr", has_text="M7.korte")
    expect(korte).to_contain_text("≥ 880")
    expect(korte).to_contain_text("436,4")

    side.get_by_label("Status pr. dato").fill("2025-03-31")
    side.get_by_role("button", name="Vis").click()
    expect(side.get_by_role("heading", level=1)).to_have_text("Status pr. 31. marts 2025")
    expect(side.get_by_role("link", name="1. halvår", exact=True)).not_to_have_attribute(
        "aria-current", "true"
    )

    side.get_by_role("link", name="Mål 7. Kvantitative mål vedr. virksomhedsforløb").click()
    expect(side.get_by_role("heading", level=1)).to_contain_text("Mål 7:")
    diagram = side.locator('[data-diagram="figur-M7-korte"]')
    expect(diagram.locator("svg.main-svg").first).to_be_visible()
    expect(diagram).to_contain_text("Faktisk (kumuleret)")
    expect(diagram).to_contain_text("mar")  # Danish month names on the axis


def test_print_view_hides_navigation_and_buttons(side, live_server, kkr_laeser, forloeb_2025):
    log_ind(side, live_server, "laeser")
    side.goto(f"{live_server.url}/status/?aar=2025&periode=H1")
    side.emulate_media(media="print")
    expect(side.locator("header.top")).to_be_hidden()
    expect(side.locator(".periodevaelger")).to_be_hidden()
    expect(side.get_by_role("link", name="Download JSON")).to_be_hidden()
    expect(side.locator("table.status-tabel").first).to_be_visible()
    bredde = side.evaluate(
        "Math.max(...[...document.querySelectorAll('table.status-tabel')]"
        ".map(t => t.scrollWidth))"
    )
    pdf = side.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf.startswith(b"%PDF")
    assert bredde <= side.evaluate("document.documentElement.clientWidth")
