"""A rådgiver in a real browser: registers a forløb for a new company with a henvisning using the
keyboard, sees it in the list; picks a known company from the suggestions, by a name in any case
or a CVR written with spaces; is told at once that a CVR cannot exist; is taken to the first
error; and the form and the lists fit a desktop and a tablet."""

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from forloeb import services
from forloeb.models import Aktoer, Forloeb
from tests import factories
from tests.factories import erhvervshus as sjaelland_hus

from .conftest import log_ind

# The live server reads through its own connection, so the test commits; serialized rollback
# puts the reference data (regions, kommuner, aktører) back for the tests that follow.
pytestmark = [
    pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SKAERMBILLEDER = Path("/tmp/screens")
NY_CVR = factories.gyldigt_cvr(990)


def tast(side, *taster):
    for tast_ in taster:
        side.keyboard.press(tast_)


@pytest.fixture
def side(side):
    """The shared page; the test ends only when the browser has no request left in flight, so
    that no late request (a favicon, a suggestion) reaches the live server during the next
    test's database set-up."""
    yield side
    side.wait_for_load_state("networkidle")


def dato(side, iso):
    """Fill the focused date field, then Tab out of it (Chromium tabs through its day, month and
    year parts first, in the order of the browser's own locale)."""
    felt = side.locator(":focus")
    felt.fill(iso)
    felt_id = felt.get_attribute("id")
    for _ in range(4):
        tast(side, "Tab")
        if side.evaluate("document.activeElement.id") != felt_id:
            return


def test_register_a_forloeb_with_a_new_company_and_a_henvisning_by_keyboard(
    side, live_server, registrant
):
    log_ind(side, live_server, "registrant")
    side.goto(f"{live_server.url}/registrering/")
    side.get_by_role("link", name="Nyt forløb").focus()
    tast(side, "Enter")

    # The company field has focus; an unknown CVR opens the new-company fields.
    expect(side.get_by_role("heading", level=1)).to_have_text("Nyt forløb")
    virksomhed = side.get_by_role("combobox", name="Virksomhed")
    expect(virksomhed).to_be_focused()
    side.keyboard.type(NY_CVR)
    expect(side.locator(".valgt")).to_have_text(
        "Ny virksomhed: udfyld navn, kommune og stiftelsesdato herunder.")
    tast(side, "Tab")
    expect(side.get_by_label("Navn")).to_be_focused()
    side.keyboard.type("Havnens Is ApS")
    tast(side, "Tab")
    tast(side, "K", "ArrowDown")  # Kalundborg, then Køge: the select follows the keys
    expect(side.get_by_label("Kommune (hovedsæde)")).to_have_value("259")
    tast(side, "Tab")
    dato(side, "2024-04-01")  # stiftelsesdato

    tast(side, "ArrowRight")  # in the type radios, on to Handlingsplan
    expect(side.get_by_label("Handlingsplan")).to_be_checked()
    tast(side, "Tab")
    dato(side, "2025-03-03")  # startdato
    dato(side, "2025-05-20")  # slutdato
    raadgiver = side.get_by_role("combobox", name="Rådgiver")
    expect(raadgiver).to_be_focused()
    expect(raadgiver).to_have_value("Registrant")  # the user, unless another is typed
    tast(side, "Tab", "Space")  # the first topic
    expect(side.get_by_label("Bæredygtighed")).to_be_checked()

    aktoer = side.locator("#id_henvisning-0-aktoer")
    while not aktoer.evaluate("e => e === document.activeElement"):
        tast(side, "Tab")
    side.keyboard.type("Innovationsfonden")
    side.get_by_role("button", name="Tilføj henvisning").focus()
    tast(side, "Enter")  # a second row, and the focus in it
    expect(side.locator("#id_henvisning-1-aktoer")).to_be_focused()
    expect(side.get_by_text("Henvisning 2", exact=True)).to_be_visible()
    side.keyboard.type("Eksportrådet")

    side.set_viewport_size({"width": 1280, "height": 800})
    side.screenshot(path=str(SKAERMBILLEDER / "registrering-forloeb-udfyldt.png"))
    side.get_by_role("button", name="Gem", exact=True).focus()
    tast(side, "Enter")

    # The saved forløb opens on its own page; the list then shows it.
    expect(side).to_have_url(re.compile(r"/registrering/forloeb/\d+/ret/$"))
    expect(side.get_by_role("status").first).to_contain_text("Forløbet er gemt")
    side.goto(f"{live_server.url}/registrering/forloeb/")
    raekke = side.locator("tbody tr", has_text="Havnens Is ApS")
    expect(raekke).to_contain_text("Handlingsplan")
    expect(raekke).to_contain_text("20-05-2025")
    side.screenshot(path=str(SKAERMBILLEDER / "registrering-forloeb-liste.png"))

    forloeb = Forloeb.objects.get()
    assert forloeb.virksomhed.cvr == NY_CVR and forloeb.virksomhed.kommune.navn == "Køge"
    assert sorted(h.aktoer.navn for h in forloeb.henvisninger.all()) == [
        "Eksportrådet", "Innovationsfonden"]
    assert forloeb.oprettet_af == registrant


def test_a_known_company_is_picked_from_the_suggestions(side, live_server, registrant):
    kendt = factories.virksomhed(navn="Stevns Klint Bryghus ApS", kommune="336")
    log_ind(side, live_server, "registrant")
    side.goto(f"{live_server.url}/registrering/ai-tjek/ny/")

    side.keyboard.type("klint")
    forslag = side.get_by_role("option", name="Stevns Klint Bryghus ApS", exact=False)
    expect(forslag).to_be_visible()
    tast(side, "ArrowDown", "Enter")
    expect(side.get_by_role("combobox", name="Virksomhed")).to_have_value(kendt.cvr)
    expect(side.locator(".valgt")).to_contain_text("Valgt: Stevns Klint Bryghus ApS")
    expect(side.get_by_label("Navn")).to_be_hidden()  # no new company to fill in

    side.get_by_label("Dato", exact=True).fill("2025-04-02")
    side.get_by_role("button", name="Gem", exact=True).click()
    # The saved record opens on its own page, with the message naming the company.
    expect(side).to_have_url(re.compile(r"/registrering/ai-tjek/\d+/ret/$"))
    expect(side.get_by_role("status").first).to_contain_text("Stevns Klint Bryghus ApS")


def test_errors_take_focus_and_link_to_the_field(side, live_server, registrant):
    log_ind(side, live_server, "registrant")
    side.goto(f"{live_server.url}/registrering/forloeb/ny/")
    side.keyboard.type("12345679")  # fails modulus 11
    side.get_by_role("button", name="Gem", exact=True).click()

    opsummering = side.get_by_role("alert").filter(has_text="fejl, som skal rettes")
    expect(opsummering).to_be_focused()
    opsummering.get_by_role("link", name="kontrolcifferet passer ikke").click()
    virksomhed = side.get_by_role("combobox", name="Virksomhed")
    expect(virksomhed).to_be_focused()
    expect(virksomhed).to_have_value("12345679")
    expect(virksomhed).to_have_attribute("aria-invalid", "true")

    # The server's error stays alone: the line under the field says nothing of a new company,
    # not after the page's own search either.
    side.wait_for_load_state("networkidle")
    expect(side.locator(".valgt")).to_have_text("")
    expect(side.locator("#id_virksomhed-soeg_error")).to_contain_text(
        "kontrolcifferet passer ikke")
    side.screenshot(path=str(SKAERMBILLEDER / "registrering-cvr-serverfejl.png"))


def test_the_form_and_the_list_fit_a_tablet(side, live_server, registrant):
    factories.forloeb()
    log_ind(side, live_server, "registrant")
    side.set_viewport_size({"width": 768, "height": 1024})
    for sti in ("/registrering/forloeb/ny/", "/registrering/forloeb/", "/registrering/"):
        side.goto(f"{live_server.url}{sti}")
        bredde = side.evaluate("document.documentElement.scrollWidth")
        assert bredde <= 768, (sti, bredde)
    side.screenshot(path=str(SKAERMBILLEDER / "registrering-oversigt-768.png"))


LISTER = ("forloeb", "virksomheder", "henvisninger", "ai-tjek", "aktiviteter",
          "programdeltagelser", "samarbejdsaftaler")


def fyld_lister():
    """A row of each list as long as real ones get: ESCRM ids, long names, three topics, a
    henvisning, an igangværende forløb next to one with a lighthouse."""
    virksomhed = factories.virksomhed(navn="Sjællandsk Automation og Maskinbyg 1203 ApS",
                                      kommune="376")  # Guldborgsund, the longest name
    for nr, slut in ((1, None), (2, date(2025, 3, 20))):
        factories.forloeb(
            virksomhed_=virksomhed, ekstern_id=f"ESCRM-2025-F0156{nr}", type="omstillingsplan",
            slutdato=slut, raadgiver="Hanne Vestergaard", fyrtaarn="biosolutions" if slut else "",
            emner=["baeredygtighed", "digitalisering", "rekruttering"],
            henvist_til=["Innovationsfonden"],
        )
    services.ai_tjek_create(erhvervshus=sjaelland_hus(),
                            virksomhed=virksomhed, dato=date(2025, 3, 1),
                            ekstern_id="ESCRM-2025-AI0042", henvist_af_lokal_erhvervsservice=True)
    services.aktivitet_create(erhvervshus=sjaelland_hus(),
                              type="faelles_aktivitet", dato=date(2025, 3, 1),
                              titel="Morgenmøde om grøn omstilling i industrien",
                              ekstern_id="ESCRM-2025-A0007")
    services.programdeltagelse_create(erhvervshus=sjaelland_hus(),
                                      virksomhed=virksomhed, program="attraktive_arbejdspladser",
                                      status="bevilget", dato=date(2025, 3, 1))
    services.samarbejdsaftale_create(erhvervshus=sjaelland_hus(),
                                     aktoer=Aktoer.objects.get(navn="CLEAN"),
                                     dato=date(2025, 3, 1), beskrivelse="Fælles klyngeindsats")


@pytest.mark.parametrize("bredde", [1280, 768])
def test_no_list_cuts_off_its_last_column(side, live_server, registrant, bredde):
    fyld_lister()
    log_ind(side, live_server, "registrant")
    side.set_viewport_size({"width": bredde, "height": 900})
    for liste in LISTER:
        side.goto(f"{live_server.url}/registrering/{liste}/")
        maal = side.locator(".tabel-ramme").evaluate(
            "r => ({ramme: r.clientWidth, tabel: r.scrollWidth,"
            " side: document.documentElement.scrollWidth})")
        assert maal["side"] <= bredde, (liste, maal)  # the page never scrolls sideways
        if bredde == 1280:  # a desktop shows the whole table; a tablet scrolls it in its frame
            assert maal["tabel"] <= maal["ramme"], (liste, maal)
        if liste == "forloeb":
            side.screenshot(path=str(SKAERMBILLEDER / f"registrering-forloeb-liste-{bredde}.png"))


def test_a_cvr_failing_modulus_11_is_refused_as_it_is_typed(side, live_server, registrant):
    log_ind(side, live_server, "registrant")
    side.goto(f"{live_server.url}/registrering/ai-tjek/ny/")
    side.keyboard.type("12345678")
    status = side.locator(".valgt")
    expect(status).to_have_text(
        "12345678 er ikke et gyldigt CVR-nummer (kontrolcifferet passer ikke).")
    expect(status).to_have_class("valgt fejl")
    expect(status).to_have_css("color", "rgb(179, 38, 30)")  # red, not the green of a choice
    expect(side.get_by_label("Navn")).to_be_hidden()
    side.screenshot(path=str(SKAERMBILLEDER / "registrering-cvr-modulus.png"))

    side.get_by_role("combobox", name="Virksomhed").fill(NY_CVR)  # passes, but is unknown
    expect(status).to_have_text("Ny virksomhed: udfyld navn, kommune og stiftelsesdato herunder.")
    expect(side.get_by_label("Navn")).to_be_visible()


def test_a_cvr_with_spaces_or_dk_picks_the_known_company(side, live_server, registrant):
    factories.virksomhed(navn="Kalk og Mørtel ApS", cvr="95341896", kommune="336")
    log_ind(side, live_server, "registrant")
    side.goto(f"{live_server.url}/registrering/forloeb/ny/")
    side.evaluate("""() => {
        window.statuslinjer = [];
        const linje = document.querySelector('.valgt');
        new MutationObserver(() => window.statuslinjer.push(linje.textContent))
            .observe(linje, {childList: true, characterData: true, subtree: true});
    }""")
    side.keyboard.type("DK 9534 1896", delay=40)
    expect(side.locator(".valgt")).to_contain_text("Valgt: Kalk og Mørtel ApS, CVR 95341896")
    expect(side.get_by_label("Navn")).to_be_hidden()
    linjer = side.evaluate("window.statuslinjer")
    assert not [tekst for tekst in linjer if "Ny virksomhed" in tekst], linjer


def test_suggestions_and_find_virksomhed_ignore_the_case_of_aeoeaa(side, live_server, registrant):
    kendt = factories.virksomhed(navn="Østergaard Smedje ApS", cvr="95341896")
    factories.virksomhed(navn="Vestergaard ApS")
    log_ind(side, live_server, "registrant")
    side.goto(f"{live_server.url}/registrering/ai-tjek/ny/")
    side.keyboard.type("øst")
    forslag = side.get_by_role("option")
    expect(forslag).to_have_count(1)
    expect(forslag).to_contain_text("Østergaard Smedje ApS")
    side.screenshot(path=str(SKAERMBILLEDER / "registrering-forslag-oe.png"))

    side.goto(f"{live_server.url}/registrering/")
    side.get_by_label("Find virksomhed").fill("9534 1896")
    side.get_by_label("Find virksomhed").press("Enter")
    expect(side).to_have_url(f"{live_server.url}/registrering/virksomheder/{kendt.cvr}/")
    expect(side.get_by_role("heading", level=1)).to_have_text("Østergaard Smedje ApS")

    side.goto(f"{live_server.url}/registrering/")
    side.get_by_label("Find virksomhed").fill("ØST")
    side.get_by_label("Find virksomhed").press("Enter")
    expect(side.locator("tbody tr")).to_have_count(1)
    expect(side.locator("tbody tr")).to_contain_text("Østergaard Smedje ApS")
