"""The rough edges a new user met (issue 12, item 5), each as the user sees it now: where a save
lands, the finished year's sentence, the chart's end label, the counts in brackets, headings
and notices that said a thing twice, the import's words, the CVR message, one history entry for
one creation, who entered the demo figures, the måling choice, the admin's targets, the page
titles and favicon, a bad ``?aar`` and the set-up command's address."""

import io
import random
import re
from datetime import date, datetime
from decimal import Decimal
from html import unescape
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse

from forloeb import selectors
from forloeb.arbejdsbog.svar import Fejl, Opgoerelse, Resultat
from forloeb.management.commands.start import adresse
from forloeb.models import Forloeb, Virksomhed
from forloeb.validators import valider_cvr
from maal.admin import IndikatorAdmin
from maal.management.commands.demodata import Demo
from maal.models import Indikator, Maaling, MilepaelStatus
from maal.services import milepael_status_create
from rapporter.beregning import Periode
from rapporter.diagrammer import udvikling_figur
from tests import factories

pytestmark = pytest.mark.django_db

KBH = ZoneInfo("Europe/Copenhagen")
I_AARET = datetime(2025, 7, 15, 12, 0, tzinfo=KBH)
EFTER_AARET = datetime(2026, 3, 1, 10, 0, tzinfo=KBH)


def synligt(html: str) -> str:
    """The text as a browser lays out inline markup: tags add no space of their own (so a
    stray space before ")" in the template shows here too), whitespace runs are one space."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def ord_(html: str) -> str:
    """The words of a page, block by block (tags as spaces)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def forloeb_formular(**felter):
    data = {
        "virksomhed-soeg": factories.gyldigt_cvr(901), "virksomhed-navn": "Kantsten ApS",
        "virksomhed-kommune": "259", "virksomhed-stiftelsesdato": "2023-05-01",
        "type": "kort", "startdato": "2025-03-03", "slutdato": "2025-03-20",
        "raadgiver": "Anne Holm", "emner": ["digitalisering"], "fyrtaarn": "",
        "henvisning-TOTAL_FORMS": "1", "henvisning-INITIAL_FORMS": "0",
        "henvisning-MIN_NUM_FORMS": "0", "henvisning-MAX_NUM_FORMS": "1000", "naeste": "liste",
    }
    data.update(felter)
    return data


# --- After saving: the new record, with one history entry ----------------------------------------


@time_machine.travel(I_AARET, tick=False)
def test_a_saved_forloeb_opens_on_its_own_page_with_one_history_entry(logget_ind):
    svar = logget_ind.post(reverse("forloeb:forloeb_opret"), forloeb_formular(), follow=True)
    forloeb = Forloeb.objects.get()
    assert svar.redirect_chain == [(reverse("forloeb:forloeb_ret", args=[forloeb.pk]), 302)]
    side = ord_(svar.content.decode())
    assert f"Forløbet er gemt: Kort vejledningsforløb {forloeb.ekstern_id} for Kantsten ApS." \
        in side
    assert "Ret forløb" in side and 'value="2025-03-03"' in svar.content.decode()

    historik = selectors.historik(forloeb).poster
    assert [h["handling"] for h in historik if h["genstand"].startswith("Forløb")] == ["Oprettet"]
    assert "Ændret" not in ord_(svar.content.decode()).split("Historik", 1)[1]
    # the one entry holds the emner: its snapshot, not a second entry, has Digitalisering
    assert [e.emne.navn for e in forloeb.history.get().emner.all()] == ["Digitalisering"]


def test_a_change_to_the_emner_is_shown_after_the_creation(logget_ind):
    logget_ind.post(reverse("forloeb:forloeb_opret"), forloeb_formular())
    forloeb = Forloeb.objects.get()
    svar = logget_ind.post(reverse("forloeb:forloeb_ret", args=[forloeb.pk]), forloeb_formular(
        **{"virksomhed-soeg": forloeb.virksomhed.cvr, "virksomhed-navn": "",
           "virksomhed-kommune": "", "virksomhed-stiftelsesdato": ""},
        emner=["digitalisering", "eksport"]), follow=True)
    assert selectors.historik(forloeb).poster[-1]["handling"] == "Oprettet"
    assert "Emner: Digitalisering → Digitalisering, Eksport" in ord_(svar.content.decode())


def test_a_saved_company_opens_on_its_page(logget_ind):
    cvr = factories.gyldigt_cvr(902)
    svar = logget_ind.post(reverse("forloeb:virksomhed_opret"), {
        "cvr": cvr, "navn": "Hjørnesten ApS", "kommune": "330", "stiftelsesdato": "2001-01-01",
        "naeste": "liste"}, follow=True)
    assert Virksomhed.objects.filter(cvr=cvr).exists()
    assert svar.redirect_chain == [(reverse("forloeb:virksomhed_side", args=[cvr]), 302)]
    assert "<h1>Hjørnesten ApS</h1>" in svar.content.decode()


# --- The status and goal pages -------------------------------------------------------------------


@time_machine.travel(EFTER_AARET, tick=False)
def test_the_finished_year_says_what_its_milestones_show(kontrakt_2025, laeser_klient):
    milepael_status_create(indikator=Indikator.objects.get(noegle="M15.femern"),
                           status="i_gang", dato=date(2025, 3, 1), fortaelling="Partner.")
    html = laeser_klient.get("/status/", {"aar": 2025, "periode": "helaar"}).content.decode()
    side = ord_(html)
    assert "Året er afsluttet: hver indikator med måltal er opfyldt eller ikke opfyldt" in side
    assert "Milepæle: 5 afventer den endelige vurdering af året." in side
    femern = next(ord_(tr) for tr in re.findall(r"<tr.*?</tr>", html, re.S)
                  if ">M15.femern<" in tr)
    assert femern.endswith("Afventer") and "I gang" not in femern


@time_machine.travel(I_AARET, tick=False)
@pytest.mark.parametrize(("periode", "overskrift"), [
    ("2025-09-30", "Status pr. 30. september 2025"),
    ("H1", "Status: 1. halvår 2025"),
    ("helaar", "Status: Hele året 2025"),
])
def test_the_status_heading_says_status_once(kontrakt_2025, laeser_klient, periode, overskrift):
    html = laeser_klient.get("/status/", {"aar": 2025, "periode": periode}).content.decode()
    assert re.search(r"<h1>(.*?)</h1>", html).group(1) == overskrift
    assert f"<title>{overskrift} · Resultatkontrakt</title>" in html


@time_machine.travel(I_AARET, tick=False)
def test_the_by_land_notice_says_each_thing_once(kontrakt_2025, laeser_klient):
    side = ord_(laeser_klient.get(reverse("rapporter:maal", args=[8]),
                                  {"aar": 2025, "periode": "H1"}).content.decode())
    assert ("By/land-klassifikation: Standard: Danmarks Statistiks kommunegruppe 5 "
            "(Landkommuner) = land, alle andre = by. KL's liste er endnu ikke indtastet. "
            "Tallet kan ændre sig, når KL's liste er indtastet.") in side
    assert side.count("KL's liste er endnu ikke indtastet") == 1


@pytest.mark.parametrize(("art", "enhed", "faktisk", "taeller", "naevner", "vist"), [
    ("andel", "procent", Decimal("75.2"), 351, 467, "75,2 % (351 af 467)"),
    ("fordeling", "procentpoint", Decimal("1.5"), 388, 1376, "1,5 pct.-point (388 af 1.376)"),
])
def test_a_share_shows_its_counts_in_brackets_without_a_stray_space(
        art, enhed, faktisk, taeller, naevner, vist):
    r = SimpleNamespace(noegle="M10.henvist_handlingsplan", art=art, enhed=enhed,
                        faktisk=faktisk, taeller=taeller, naevner=naevner, detaljer={})
    html = Template('{% include "rapporter/_faktisk.html" %}').render(
        Context({"r": r, "valg": SimpleNamespace(query="aar=2025&periode=H1")}))
    assert synligt(html) == vist


def test_the_chart_labels_a_date_at_the_years_end_inside_the_plot():
    def kant(til):
        periode = Periode("helaar" if til.month == 12 else til.isoformat(), date(2025, 1, 1), til)
        resultat = SimpleNamespace(maalvaerdi=171, forventet=None)
        figur = udvikling_figur(resultat, [], periode, date(2026, 3, 1))
        (etiket,) = figur["layout"]["annotations"]
        return etiket["text"], etiket["xanchor"]

    assert kant(date(2025, 12, 31)) == ("31. dec.", "right")  # was centred, its end cut off
    assert kant(date(2025, 6, 30)) == ("30. jun.", "center")
    assert kant(date(2025, 1, 15)) == ("15. jan.", "left")


# --- Registrations, import, CVR ------------------------------------------------------------------


def test_an_invalid_cvr_is_called_invalid_not_unknown():
    with pytest.raises(ValidationError) as fejl:
        valider_cvr("12345678")
    assert fejl.value.messages == [
        "12345678 er ikke et gyldigt CVR-nummer (kontrolcifferet passer ikke)."]


def test_the_import_answer_names_sheets_in_danish_and_counts_in_the_singular(rf, administrator):
    svar = Resultat(
        filnavn="rettelser.xlsx",
        ark=[Opgoerelse("Forloeb", aendrede=1, uaendrede=3, aendringer=["F-1: raadgiver"]),
             Opgoerelse("Aktoerer", aendrede=2, aendringer=["A", "B"]),
             Opgoerelse("Maalinger", nye=1)],
        fejl=[Fejl("Et CVR-nummer har 8 cifre.", ark="Forloeb", raekke=3, kolonne="cvr",
                   vaerdi="1234")],
        advarsler=[], oversprungne_ark=[],
    )
    anmodning = rf.get("/")
    anmodning.user = administrator
    html = Template('{% include "forloeb/import/_svar.html" %}').render(
        Context({"svar": svar, "user": administrator}))
    side = ord_(html)
    assert "1 ændret række i Forløb" in side and "2 ændrede rækker i Aktører" in side
    assert "Forløb 0 1 3" in side and "Aktører 0 2 0" in side and "Målinger 1 0 0" in side
    assert "Forløb 3 cvr 1234 Et CVR-nummer har 8 cifre." in side
    assert "Forloeb" not in side and "Aktoerer" not in side and "Maalinger" not in side
    assert '<section class="import-svar"' in html  # the spacing below its tables (app.css)


def test_the_upload_form_offers_the_sheets_by_their_danish_names(client, administrator):
    client.force_login(administrator)
    html = client.get(reverse("importer:upload")).content.decode()
    assert '<option value="Forloeb">Forløb</option>' in html
    assert '<option value="Maalinger">Målinger</option>' in html


# --- Målinger, milestones, the admin -------------------------------------------------------------


@time_machine.travel(datetime(2025, 11, 1, 12, 0, tzinfo=KBH), tick=False)
def test_demo_figures_say_who_entered_them(kontrakt_2025, laeser_klient):
    Demo(kontrakt_2025, random.Random(2025), date(2025, 11, 1)).lav_maalinger_og_milepaele()
    assert {m.indtastet_af.get_full_name() for m in Maaling.objects.all()} == {"Demodata"}
    assert {m.indtastet_af.username for m in MilepaelStatus.objects.all()} == {"demodata"}
    demo = Maaling.objects.first().indtastet_af
    assert not demo.is_active and not demo.has_usable_password()
    side = ord_(laeser_klient.get(reverse("rapporter:maal", args=[3])).content.decode())
    assert "Demodata, 01-11-2025 12:00" in side


@time_machine.travel(I_AARET, tick=False)
def test_an_unknown_enterer_shows_as_a_dash(kontrakt_2025, laeser_klient):
    milepael_status_create(indikator=Indikator.objects.get(noegle="M15.femern"),
                           status="i_gang", dato=date(2025, 3, 1), fortaelling="Partner.")
    side = ord_(laeser_klient.get(reverse("rapporter:maal", args=[15])).content.decode())
    assert "–, 15-07-2025 12:00" in side


@time_machine.travel(I_AARET, tick=False)
def test_the_maaling_choice_says_what_a_part_is_part_of(kontrakt_2025, client, administrator):
    client.force_login(administrator)
    html = client.get("/status/maaling/ny/").content.decode()
    assert ("M14.basistilskud: nævner i gearing: samlet omsætning i forhold til basistilskud "
            "(M14.gearing)") in unescape(html)


def test_the_admin_shows_targets_as_the_status_page_does(kontrakt_2025):
    vist = {i.noegle: IndikatorAdmin.vist_maaltal(None, i) for i in Indikator.objects.filter(
        noegle__in=["M1.ivaerksaettere", "M14.gearing", "M6.baeredygtighed", "M15.femern"])}
    assert vist == {"M1.ivaerksaettere": "≥ 171", "M14.gearing": "≥ 2,50",
                    "M6.baeredygtighed": "≥ 70 %", "M15.femern": "gennemført"}


def test_the_admins_indicator_list_shows_the_targets_formatted(kontrakt_2025, client, superbruger):
    client.force_login(superbruger)
    html = client.get(reverse("admin:maal_indikator_changelist"), {"q": "M1.ivaerksaettere"})
    side = ord_(html.content.decode())
    assert "≥ 171" in side and "171.00" not in side and "171,00" not in side


# --- Every page, a bad period, the set-up --------------------------------------------------------


def test_pages_are_titled_as_the_header_names_the_app_and_have_a_favicon(logget_ind):
    html = logget_ind.get(reverse("forloeb:forloeb_liste")).content.decode()
    assert "<title>Forløb · Resultatkontrakt</title>" in html
    assert '>Resultatkontrakt</a>' in html  # the header's name
    ikon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html).group(1)
    assert ikon.endswith(".svg")
    fil = finders.find("favicon.svg")
    assert fil and open(fil, encoding="utf-8").read().startswith("<svg")


@time_machine.travel(I_AARET, tick=False)
def test_a_bad_year_names_the_field(kontrakt_2025, laeser_klient):
    svar = laeser_klient.get("/status/", {"aar": "abc"})
    assert svar.status_code == 400
    assert "År: Indtast et heltal." in ord_(svar.content.decode())


def test_the_set_up_prints_the_login_address_on_the_chosen_port(kontrakt_2025, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "et-langt-kodeord-1")
    ud = io.StringIO()
    call_command("opsaet", "--uden-demodata", "--port", "8123", stdout=ud)
    assert ("Start appen med 'python manage.py start 127.0.0.1:8123', og log ind på "
            "http://127.0.0.1:8123/ med") in ud.getvalue()
    assert ":8000" not in ud.getvalue()


@pytest.mark.parametrize(("addrport", "url"), [
    ("127.0.0.1:8000", "http://127.0.0.1:8000/"), ("8001", "http://127.0.0.1:8001/"),
    ("0.0.0.0:8123", "http://127.0.0.1:8123/"), ("[::1]:8002", "http://[::1]:8002/"),
])
def test_start_prints_the_address_it_serves(addrport, url):
    assert adresse(addrport) == url
