"""The end of a half year in a real browser: an administrator is refused approval, writes the
missing explanations on one page and approves H1; a record is changed afterwards; a KKR reader
sees the approved version with its mark, switches to today's figures and sees what changed.

Screenshots of the approval page and the approved status page go to ``.ci/artefakter/``.
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from forloeb import services
from tests import factories as f

from .conftest import log_ind, skaermbillede

pytestmark = [
    pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)
]


@pytest.fixture
def forloeb_h1(kontrakt_2025):
    return [f.forloeb(type="kort", startdato=date(2025, 1, 2), slutdato=slut)
            for slut in (date(2025, 1, 31), date(2025, 3, 15), date(2025, 6, 30))]


def test_administrator_explains_and_approves_then_kkr_sees_the_mark_and_the_changes(
    side, live_server, administrator, kkr_laeser, forloeb_h1
):
    log_ind(side, live_server, "administrator")
    side.goto(f"{live_server.url}/status/godkend/?aar=2025&periode=H1")
    expect(side.get_by_role("heading", level=1)).to_have_text("Godkend 1. halvår 2025")
    skaermbillede(side, "godkend-mangler")

    side.get_by_role("button", name="Godkend 1. halvår 2025").click()
    fejl = side.get_by_role("alert")
    expect(fejl).to_contain_text("1. halvår 2025 er ikke godkendt")
    expect(fejl).to_contain_text("M7.korte (Bagud) mangler en forklaring")

    side.locator(".mangler-liste").get_by_role("link", name="M7.korte").first.click()
    expect(side.get_by_role("heading", level=1)).to_have_text("Forklaringer: 1. halvår 2025")
    for nummer in range(1, 16):
        side.get_by_label(f"Forklaring til mål {nummer}", exact=True).fill(
            f"Mål {nummer}: tallene følger planen for andet halvår."
        )
    side.get_by_label("Forklaring til mål 7", exact=True).fill(
        "Korte forløb registreres samlet efter sommerferien."
    )
    side.get_by_role("button", name="Gem forklaringerne").click()
    expect(side.get_by_text("15 forklaringer til 1. halvår 2025 er gemt.")).to_be_visible()
    expect(side.get_by_text("Ingen indikatorer mangler en forklaring")).to_be_visible()
    skaermbillede(side, "forklaringer")

    side.get_by_role("link", name="Til godkendelsen").click()
    side.get_by_label("Kommentar").fill("Drøftet på KKR-mødet.")
    skaermbillede(side, "godkend-klar")
    side.get_by_role("button", name="Godkend 1. halvår 2025").click()
    expect(side.get_by_text("1. halvår 2025 er godkendt (version 1).")).to_be_visible()

    # A change after the approval, by an administrator with a reason.
    services.opdater(forloeb_h1[1], slutdato=date(2025, 7, 2), bruger=administrator,
                     aarsag="Forløbet sluttede først i juli")

    side.get_by_role("button", name="Log ud").click()
    log_ind(side, live_server, "laeser")
    side.goto(f"{live_server.url}/status/?aar=2025&periode=H1")
    maerke = side.locator(".godkendt-maerke")
    expect(maerke.get_by_role("heading")).to_contain_text("af Administrator, version 1")
    expect(maerke).to_contain_text("Drøftet på KKR-mødet.")
    korte = side.locator("table.status-tabel tr", has_text="M7.korte")
    expect(korte.locator("td").nth(2)).to_have_text("3")
    forklaring = side.locator("details.forklaring", has_text="Forklaring til mål 7")
    expect(forklaring.get_by_text("Korte forløb registreres samlet")).to_be_hidden()
    forklaring.locator("summary").click()
    expect(forklaring.get_by_text("Korte forløb registreres samlet")).to_be_visible()
    skaermbillede(side, "status-godkendt")
    forklaring.locator("summary").click()  # closed again: printed, it is open all the same
    side.emulate_media(media="print")
    expect(forklaring.get_by_text("Korte forløb registreres samlet")).to_be_visible()
    side.emulate_media(media="screen")
    expect(forklaring.get_by_text("Korte forløb registreres samlet")).to_be_hidden()

    side.get_by_role("link", name="Vis dagens tal og det, der er ændret siden godkendelsen").click()
    expect(side.locator(".godkendt-maerke h2")).to_have_text("Dagens tal: ikke de godkendte")
    expect(side.locator("table.status-tabel tr", has_text="M7.korte").locator("td").nth(2)) \
        .to_have_text("2")
    flyttet = side.locator("table.flyttede tr", has_text="M7.korte")
    expect(flyttet).to_contain_text("3")
    expect(flyttet).to_contain_text("2")
    aendring = side.locator("table.aendringsliste tr", has_text=forloeb_h1[1].ekstern_id)
    expect(aendring).to_contain_text("Ændret: forløb")
    expect(aendring).to_contain_text("Administrator")
    expect(aendring).to_contain_text("Forløbet sluttede først i juli")
    skaermbillede(side, "status-aktuel")

    side.get_by_role("link", name="Vis den godkendte version").click()
    expect(side.locator(".godkendt-maerke h2")).to_contain_text("version 1")

    side.get_by_role("link", name="Mål 7. Kvantitative mål vedr. virksomhedsforløb").click()
    expect(side.get_by_text("Diagrammerne viser dagens tal.")).to_be_visible()
    korte = side.locator("article#M7\\.korte")
    expect(korte.locator(".godkendt-tal")).to_contain_text("Godkendt, version 1")
    expect(korte.locator(".godkendt-tal dd")).to_contain_text("3")
    expect(side.locator('[data-diagram="figur-M7-korte"] svg.main-svg').first).to_be_visible()
    skaermbillede(side, "maal-godkendt")
