"""The users' journeys in a real browser, each page checked with axe-core (WCAG 2.1 A/AA and
axe's best practices: no serious or critical violation anywhere, no moderate one on the status
and goal pages) and photographed into ``.ci/artefakter/``:

- a registrant logs in through the form, registers a forløb for a new company with a
  henvisning, sees the new record and finds it in the list and on the company's page;
- an administrator uploads a workbook and watches the background import to its answer, imports
  it, enters an NPS value, writes the explanations and approves 1. halvår by keyboard;
- a KKR reader then sees the approval mark, opens an explanation and switches period by
  keyboard, switches to today's figures, opens a goal with its chart, follows a drill-down link
  and downloads the report workbook, whose overview figures match the page's;
- a national reader compares the houses on the national page.
"""

import io
import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from forloeb.models import Forloeb
from maal.models import Erhvervshus
from maal.roller import NATIONAL_LAESER
from tests import factories
from tests.forloeb.test_importer import FORLOEB_OVERSKRIFT, VIRKSOMHED_OVERSKRIFT, bog
from tests.rapporter.test_excel import oversigt
from tests.rapporter.test_national import ivaerksaettere, kopier_til

from .conftest import arbejder, log_ind, skaermbillede, tjek_tilgaengelighed

pytestmark = [
    pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NY_CVR = factories.gyldigt_cvr(991)
KORTE = 24  # kort forløb in the workbook, ended in 1. halvår 2025


def side_ok(side, navn, *, moderate=False):
    """The page passes axe-core and is photographed as ``navn``."""
    side.wait_for_load_state("networkidle")
    tjek_tilgaengelighed(side, moderate=moderate)
    skaermbillede(side, navn)


def test_registrant_registers_a_forloeb_and_finds_it(side, live_server, registrant):
    side.goto(f"{live_server.url}/login/")
    side_ok(side, "login")
    log_ind(side, live_server, "registrant")
    side.goto(f"{live_server.url}/registrering/")
    side_ok(side, "registrering-oversigt")

    side.get_by_role("link", name="Nyt forløb").click()
    expect(side.get_by_role("heading", level=1)).to_have_text("Nyt forløb")
    side.get_by_role("combobox", name="Virksomhed").fill(NY_CVR)
    expect(side.locator(".valgt")).to_contain_text("Ny virksomhed")
    side.get_by_label("Navn", exact=True).fill("Fjordens Keramik ApS")
    side.get_by_label("Kommune (hovedsæde)").select_option(label="Roskilde")
    side.get_by_label("Stiftelsesdato").fill("2023-09-01")
    side.get_by_label("Handlingsplan").check()
    side.get_by_label("Startdato").fill("2025-02-03")
    side.get_by_label("Slutdato").fill("2025-05-28")
    side.get_by_label("Digitalisering").check()
    side.locator("#id_henvisning-0-aktoer").fill("Innovationsfonden")
    side_ok(side, "registrering-forloeb-ny")
    side.get_by_role("button", name="Gem", exact=True).click()

    # Wherever the save leads, it says so and shows the new record.
    expect(side.get_by_role("status").first).to_contain_text("Forløbet er gemt")
    expect(side.get_by_text("Fjordens Keramik ApS").first).to_be_visible()
    side_ok(side, "registrering-forloeb-gemt")

    side.get_by_role("navigation", name="Registreringer").get_by_role(
        "link", name="Forløb", exact=True).click()
    raekke = side.locator("tbody tr", has_text="Fjordens Keramik ApS")
    expect(raekke).to_contain_text("Handlingsplan")
    expect(raekke).to_contain_text("28-05-2025")
    side_ok(side, "registrering-forloeb-liste")

    side.goto(f"{live_server.url}/registrering/virksomheder/{NY_CVR}/")
    expect(side.get_by_role("heading", level=1)).to_have_text("Fjordens Keramik ApS")
    expect(side.locator("tbody tr", has_text="Handlingsplan")).to_contain_text("Innovationsfonden")
    side_ok(side, "registrering-virksomhed")

    forloeb = Forloeb.objects.get()
    assert forloeb.virksomhed.cvr == NY_CVR and forloeb.oprettet_af == registrant
    assert [h.aktoer.navn for h in forloeb.henvisninger.all()] == ["Innovationsfonden"]


def arbejdsbog(sti):
    sti.write_bytes(bog(
        Virksomheder=[VIRKSOMHED_OVERSKRIFT, ["10000017", "Nordisk Bageri ApS", "330",
                                              date(2010, 1, 1)]],
        Forloeb=[FORLOEB_OVERSKRIFT, *(
            [f"ESCRM-H1-{n}", "10000017", "kort", date(2025, 1, 6),
             date(2025, 1 + n % 6, 10 + n % 15), "", "", ""]
            for n in range(1, KORTE + 1)
        )],
    ))
    return sti


def importer_med_fremskridt(side, live_server, fil):
    """Upload, watch the dry run wait, run and answer; then import and watch it again."""
    side.goto(f"{live_server.url}/registrering/import/")
    side_ok(side, "admin-import")
    side.get_by_label("Arbejdsbog (.xlsx) eller CSV-fil").set_input_files(str(fil))
    side.get_by_role("button", name="Vis prøvekørsel").click()
    status = side.locator("#import-status")
    expect(status).to_contain_text("starter om et øjeblik")
    tjek_tilgaengelighed(side)
    traad = arbejder(live_server)
    expect(status).to_contain_text("kører", timeout=15_000)
    expect(side.locator("#import-ark progress").first).to_be_visible()
    tjek_tilgaengelighed(side)
    skaermbillede(side, "admin-import-fremskridt")
    expect(side.get_by_text("Filen er i orden. Kontrollér tallene nedenfor")).to_be_visible(
        timeout=30_000)
    traad.join(timeout=10)
    side_ok(side, "admin-import-proevekoersel")

    side.get_by_role("button", name=f"Importér {fil.name}").click()
    traad = arbejder(live_server)
    expect(side.get_by_text("Importen er gemt. Historikken viser ændringerne")).to_be_visible(
        timeout=30_000)
    traad.join(timeout=10)
    side_ok(side, "admin-import-importeret")
    assert Forloeb.objects.count() == KORTE


def indtast_nps(side, live_server):
    side.goto(f"{live_server.url}/status/maaling/ny/?aar=2025&periode=H1&noegle=M3.nps")
    expect(side.get_by_label("Hvad er målt")).to_have_value("M3.nps")
    side.get_by_label("Værdi").fill("52,5")
    side.get_by_label("Dato for målingen").fill("2025-06-16")
    side.get_by_label("Kilde").fill("Erhvervsstyrelsen, brugerevaluering 2025 (foreløbig)")
    side_ok(side, "admin-maaling-ny")
    side.get_by_role("button", name="Gem måling").click()
    expect(side.get_by_role("heading", level=1)).to_contain_text("Mål 3:")
    expect(side.locator("article#M3\\.nps")).to_contain_text("52,5")
    side_ok(side, "admin-maal-3-nps", moderate=True)


def forklar_og_godkend(side, live_server):
    side.goto(f"{live_server.url}/status/forklaringer/?aar=2025&periode=H1")
    expect(side.get_by_role("heading", level=1)).to_have_text("Forklaringer: 1. halvår 2025")
    for nummer in range(1, 16):
        side.get_by_label(f"Forklaring til mål {nummer}", exact=True).fill(
            f"Mål {nummer}: tallene følger planen for andet halvår.")
    side.get_by_label("Forklaring til mål 7", exact=True).fill(
        "De korte forløb er registreret i CRM og importeret i juli.")
    side.get_by_role("button", name="Gem forklaringerne").click()
    expect(side.get_by_text("15 forklaringer til 1. halvår 2025 er gemt.")).to_be_visible()
    side_ok(side, "admin-forklaringer")

    side.get_by_role("link", name="Til godkendelsen").click()
    side.get_by_label("Kommentar").fill("Drøftet på KKR-mødet.")
    side_ok(side, "admin-godkend")
    knap = side.get_by_role("button", name="Godkend 1. halvår 2025")
    knap.focus()
    side.keyboard.press("Enter")
    expect(side.get_by_text("1. halvår 2025 er godkendt (version 1).")).to_be_visible()
    side_ok(side, "admin-godkendt")


def status_tal(side) -> dict[str, list[str]]:
    """The status page's indicators: key -> (Faktisk as shown, status code)."""
    return side.evaluate("""() => Object.fromEntries(
        [...document.querySelectorAll('table.status-tabel tbody tr')]
        .filter(tr => tr.querySelector('.noegle') && tr.querySelector('.status'))
        .map(tr => [tr.querySelector('.noegle').textContent.trim(),
                    [tr.cells[2].textContent.trim(),
                     [...tr.querySelector('.status').classList]
                       .find(c => c.startsWith('status-')).slice(7)]]))""")


def oversigt_fra_arbejdsbog(indhold: bytes) -> dict[str, dict]:
    """The overview sheet's indicator rows, by key, read back with openpyxl."""
    ws = openpyxl.load_workbook(io.BytesIO(indhold))["Oversigt"]
    return {r["Nøgle"]: r for _, r in oversigt(ws)}


def tal_som_vist(vaerdi) -> str:
    """An integer as the page writes it (Danish thousands separator)."""
    return f"{vaerdi:,}".replace(",", ".")


def laeser_ser_godkendelsen_og_tallene(side, live_server):
    log_ind(side, live_server, "laeser")
    side.wait_for_url(f"{live_server.url}/status/")
    # The period switch by keyboard: Tab to "1. halvår", Enter.
    halvaar = side.get_by_role("link", name="1. halvår", exact=True)
    halvaar.focus()
    side.keyboard.press("Enter")
    expect(side.get_by_role("heading", level=1)).to_have_text("Status: 1. halvår 2025")
    expect(halvaar).to_have_attribute("aria-current", "true")
    maerke = side.locator(".godkendt-maerke")
    expect(maerke.get_by_role("heading")).to_contain_text("af Administrator, version 1")
    expect(maerke).to_contain_text("Drøftet på KKR-mødet.")

    # The explanation opens and closes by keyboard.
    forklaring = side.locator("details.forklaring", has_text="Forklaring til mål 7")
    tekst = forklaring.get_by_text("importeret i juli")
    expect(tekst).to_be_hidden()
    forklaring.locator("summary").focus()
    side.keyboard.press("Enter")
    expect(tekst).to_be_visible()
    side_ok(side, "kkr-status-godkendt", moderate=True)
    side.keyboard.press("Space")
    expect(tekst).to_be_hidden()
    godkendt = status_tal(side)
    assert godkendt["M7.korte"][0] == tal_som_vist(KORTE)

    side.get_by_role("link", name="Vis dagens tal og det, der er ændret siden godkendelsen").click()
    expect(side.locator(".godkendt-maerke h2")).to_have_text("Dagens tal: ikke de godkendte")
    side_ok(side, "kkr-status-dagens-tal", moderate=True)
    assert status_tal(side) == godkendt  # nothing changed since the approval

    with side.expect_download() as hentning:
        side.get_by_role("link", name="Download Excel").click()
    indhold = open(hentning.value.path(), "rb").read()
    oversigt = oversigt_fra_arbejdsbog(indhold)
    assert set(oversigt) == set(godkendt)
    antal = 0
    for noegle, (faktisk, status) in godkendt.items():
        raekke = oversigt[noegle]
        assert raekke["Statuskode"] == status, noegle
        if re.fullmatch(r"[\d.]+", faktisk):  # a count (a share reads "3 af 17")
            assert faktisk == tal_som_vist(raekke["Faktisk"]), noegle
            antal += 1
    assert antal >= 10
    assert oversigt["M7.korte"]["Faktisk"] == KORTE
    assert oversigt["M3.nps"]["Faktisk"] == pytest.approx(52.5)

    side.get_by_role("link", name="Mål 7. Kvantitative mål vedr. virksomhedsforløb").click()
    expect(side.get_by_role("heading", level=1)).to_contain_text("Mål 7:")
    figur = side.locator("figure", has=side.locator('[data-diagram="figur-M7-korte"]'))
    expect(figur.locator("svg.main-svg").first).to_be_visible()
    expect(figur.locator("figcaption")).to_contain_text("Faktisk antal lagt sammen gennem året")
    expect(figur).to_have_accessible_name(re.compile("^Faktisk antal lagt sammen"))
    side_ok(side, "kkr-maal-7", moderate=True)

    korte = side.locator("article#M7\\.korte")
    korte.get_by_role("link", name=tal_som_vist(KORTE), exact=True).first.click()
    expect(side.get_by_role("heading", level=1)).to_have_text("Korte vejledningsforløb gennemført")
    expect(side.locator("tbody tr", has_text="ESCRM-H1-")).to_have_count(KORTE)
    side_ok(side, "kkr-poster-M7-korte")


def test_administrator_imports_measures_explains_approves_and_kkr_reads_it(
    side, live_server, administrator, kkr_laeser, kontrakt_2025, database_backend, langsomt,
    tmp_path,
):
    log_ind(side, live_server, "administrator")
    importer_med_fremskridt(side, live_server, arbejdsbog(tmp_path / "crm-juli.xlsx"))
    indtast_nps(side, live_server)
    forklar_og_godkend(side, live_server)
    side.get_by_role("button", name="Log ud").click()
    laeser_ser_godkendelsen_og_tallene(side, live_server)


def test_national_reader_compares_the_houses(side, live_server, kontrakt_2025,
                                             django_user_model):
    bruger = django_user_model.objects.create_user(username="erst",
                                                   password="hemmeligt-kodeord")
    bruger.groups.add(Group.objects.get(name=NATIONAL_LAESER))
    hovedstaden = Erhvervshus.objects.get(navn="Erhvervshus Hovedstaden")
    kopier_til(kontrakt_2025, hovedstaden, maalvaerdi=Decimal(385))
    with time_machine.travel(datetime(2025, 7, 15, 12, tzinfo=ZoneInfo("Europe/Copenhagen"))):
        ivaerksaettere(kontrakt_2025.erhvervshus, 3)
        ivaerksaettere(hovedstaden, 2)

    log_ind(side, live_server, "erst")
    side.wait_for_url(f"{live_server.url}/status/national/")  # the front page sends them here
    halvaar = side.get_by_role("link", name="1. halvår", exact=True)
    halvaar.focus()
    side.keyboard.press("Enter")
    expect(side.get_by_role("heading", level=1)).to_have_text(
        "Nationalt overblik: 1. halvår 2025")
    m1 = side.locator("#m1-tabel")
    # Each house against its own share of the national target; the counts themselves are
    # tests/rapporter/test_national.py's.
    expect(m1.locator('tr[data-hus="Erhvervshus Sjælland"] td').first).to_contain_text(
        re.compile(r"^\d+ / 171$"))
    expect(m1.locator('tr[data-hus="Erhvervshus Hovedstaden"] td').first).to_contain_text(
        re.compile(r"^\d+ / 385$"))
    expect(m1.locator('tr[data-hus="Erhvervshus Fyn"]')).to_contain_text("ingen kontrakt")
    raekke = side.locator('#national-tabel tr[data-noegle="M1.ivaerksaettere"]')
    expect(raekke.locator('td[data-hus="Erhvervshus Sjælland"]')).to_contain_text("mål ≥ 171")
    expect(raekke.locator('td[data-hus="Erhvervshus Hovedstaden"]')).to_contain_text("mål ≥ 385")
    side_ok(side, "national-sammenligning", moderate=True)


def test_status_badges_meet_contrast_on_their_background(side, live_server):
    """Each status colour's text on its own background at least 4.5:1 (WCAG 1.4.3), read from
    the served stylesheet as the browser computes it."""
    side.goto(f"{live_server.url}/login/")
    par = side.evaluate("""() => ['opfyldt', 'paa_sporet', 'taet_paa', 'i_gang', 'bagud',
        'ikke_opfyldt', 'afventer', 'uden_maaltal', 'ikke_startet'].map(s => {
          const e = document.createElement('span');
          e.className = 'status status-' + s;
          e.textContent = s;
          document.body.append(e);
          const c = getComputedStyle(e);
          return [s, c.color, c.backgroundColor];
        })""")

    def luminans(rgb):
        kanaler = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
        lin = [k / 12.92 if k <= 0.03928 else ((k + 0.055) / 1.055) ** 2.4 for k in kanaler]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    for status, forgrund, baggrund in par:
        lys, moerk = sorted((luminans(forgrund), luminans(baggrund)), reverse=True)
        assert (lys + 0.05) / (moerk + 0.05) >= 4.5, (status, forgrund, baggrund)
