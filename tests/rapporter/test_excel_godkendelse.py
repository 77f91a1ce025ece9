"""The report workbook and approval: the title block carries the mark of the approved version
(or "Ikke godkendt", or for today's figures which version they are not), the figures are the
approved ones after later changes, and the explanations stand in the overview's column and on
each goal sheet, wrapped; the command and the download choose the version alike."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from forloeb import services
from maal.models import Indikator
from maal.services import milepael_status_create
from rapporter.godkendelse import forklaring_gem, godkend
from tests import factories as f

KBH = ZoneInfo("Europe/Copenhagen")
GODKENDT = datetime(2025, 8, 14, 10, 0, tzinfo=KBH)
SENERE = datetime(2025, 9, 2, 13, 30, tzinfo=KBH)
pytestmark = pytest.mark.django_db


@pytest.fixture
def anne(administrator):
    administrator.first_name, administrator.last_name = "Anne", "Hansen"
    administrator.save()
    return administrator


@pytest.fixture
def godkendt_h1(kontrakt_2025, anne):
    """Three korte forløb in H1 and a milestone narrative, H1 approved on 14 August with
    explanations; on 2 September a forløb is deleted and the narrative superseded."""
    with time_machine.travel(datetime(2025, 7, 1, 9, 0, tzinfo=KBH), tick=False):
        forloeb = [f.forloeb(ekstern_id=f"K{n}", type="kort", startdato=date(2025, 2, 1),
                             slutdato=date(2025, 3, n)) for n in (1, 2, 3)]
        milepael_status_create(indikator=Indikator.objects.get(noegle="M15.femern"),
                               status="i_gang", dato=date(2025, 5, 1),
                               fortaelling="Aftale med Femern A/S om fælles messe.", bruger=anne)
    with time_machine.travel(GODKENDT, tick=False):
        for maal in kontrakt_2025.maal.all():
            forklaring_gem(maal=maal, periode="H1", tekst=f"Mål {maal.nummer} forklaret.",
                           bruger=anne)
        korte = Indikator.objects.get(noegle="M7.korte")
        forklaring_gem(maal=korte.maal, indikator=korte, periode="H1",
                       tekst="Færre korte forløb end ventet; kampagne i august. " * 4,
                       bruger=anne)
        godkend(kontrakt=kontrakt_2025, periode="H1", bruger=anne, kommentar="Godkendt af KKR",
                idag=GODKENDT.date())
    with time_machine.travel(SENERE, tick=False):
        services.slet(forloeb[0], bruger=anne, aarsag="Dublet")
        milepael_status_create(indikator=Indikator.objects.get(noegle="M15.femern"),
                               status="opfyldt", dato=date(2025, 6, 20),
                               fortaelling="Messen er holdt.", bruger=anne)
    return forloeb


def arbejdsbog(tmp_path, *args):
    sti = tmp_path / "rapport.xlsx"
    with time_machine.travel(datetime(2025, 9, 3, 8, 0, tzinfo=KBH), tick=False):
        call_command("rapport", "--aar", "2025", "--periode", "H1", "--format", "xlsx",
                     "-o", str(sti), *args)
    return load_workbook(sti)


def linjer(ws, n=12) -> dict:
    return {r[0]: r[1] for r in ws.iter_rows(max_row=n, values_only=True) if r and r[0]}


def oversigt_raekke(ws, noegle):
    raekker = list(ws.iter_rows())
    start = next(i for i, r in enumerate(raekker) if r[0].value == "Mål")
    overskrift = [c.value for c in raekker[start]]
    raekke = next(r for r in raekker if len(r) > 2 and r[2].value == noegle)
    return {o: c for o, c in zip(overskrift, raekke, strict=False) if o}


def test_a_workbook_of_a_period_never_approved_says_so(kontrakt_2025, tmp_path):
    wb = arbejdsbog(tmp_path)
    assert linjer(wb["Oversigt"])["Godkendelse"] == "Ikke godkendt"
    assert "Kommentar" not in linjer(wb["Oversigt"])


def test_the_approved_workbook_carries_the_mark_and_the_approved_figures(godkendt_h1, tmp_path):
    wb = arbejdsbog(tmp_path)
    ws = wb["Oversigt"]
    titel = linjer(ws)
    assert titel["Godkendelse"] == "Godkendt 14. august 2025 af Anne Hansen, version 1"
    assert titel["Kommentar"] == "Godkendt af KKR"
    assert titel["Beregnet"] == "14-08-2025 10:00"
    assert linjer(wb["Mål 7"])["Godkendelse"] == titel["Godkendelse"]
    korte = oversigt_raekke(ws, "M7.korte")
    assert korte["Faktisk"].value == 3  # one deleted since: still as approved
    assert korte["Forklaring"].value.startswith("Færre korte forløb end ventet")
    assert korte["Forklaring"].alignment.wrap_text
    assert oversigt_raekke(ws, "M7.i_alt")["Forklaring"].value == "Mål 7 forklaret."


def test_each_goal_sheet_shows_the_goals_and_its_indicators_explanations(godkendt_h1, tmp_path):
    ws = arbejdsbog(tmp_path)["Mål 7"]
    raekker = list(ws.iter_rows())
    forklaringer = [(i, r[1]) for i, r in enumerate(raekker) if r[0].value == "Forklaring"]
    (maal_i, maal_celle), (korte_i, korte_celle) = forklaringer
    assert maal_celle.value == "Mål 7 forklaret." and maal_celle.alignment.wrap_text
    assert raekker[maal_i - 1][0].value == "Målet"
    assert korte_celle.value.startswith("Færre korte") and korte_celle.alignment.wrap_text
    assert raekker[korte_i - 2][0].value.startswith("M7.korte: ")  # its heading, counting rule


def test_the_approved_workbook_shows_the_milestone_narrative_as_approved(godkendt_h1, tmp_path):
    ws = arbejdsbog(tmp_path)["Mål 15"]
    tekster = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r and r[0]}
    assert tekster["Beskrivelse ved godkendelsen"] == "Aftale med Femern A/S om fælles messe."
    femern = oversigt_raekke(arbejdsbog(tmp_path)["Oversigt"], "M15.femern")
    assert femern["Statuskode"].value == "i_gang"


def test_aktuel_gives_todays_figures_and_says_which_version_they_are_not(godkendt_h1, tmp_path):
    wb = arbejdsbog(tmp_path, "--aktuel")
    ws = wb["Oversigt"]
    assert linjer(ws)["Godkendelse"] == (
        "Dagens tal – godkendt version 1 er fra 14. august 2025 af Anne Hansen"
    )
    assert "Kommentar" not in linjer(ws)
    assert oversigt_raekke(ws, "M7.korte")["Faktisk"].value == 2
    assert oversigt_raekke(ws, "M15.femern")["Statuskode"].value == "opfyldt"
    assert "Beskrivelse ved godkendelsen" not in [r[0] for r in wb["Mål 15"].iter_rows(
        values_only=True)]


def test_the_download_gives_the_approved_version_and_todays_with_aktuel(godkendt_h1,
                                                                        laeser_klient):
    url = reverse("rapporter:xlsx")
    with time_machine.travel(datetime(2025, 9, 3, 8, 0, tzinfo=KBH), tick=False):
        godkendt = laeser_klient.get(url, {"aar": 2025, "periode": "H1"})
        aktuel = laeser_klient.get(url, {"aar": 2025, "periode": "H1", "aktuel": "1"})
    for svar, mærke, faktisk in (
        (godkendt, "Godkendt 14. august 2025 af Anne Hansen, version 1", 3),
        (aktuel, "Dagens tal – godkendt version 1 er fra 14. august 2025 af Anne Hansen", 2),
    ):
        assert svar.status_code == 200
        ws = load_workbook(io.BytesIO(svar.content))["Oversigt"]
        assert linjer(ws)["Godkendelse"] == mærke
        assert oversigt_raekke(ws, "M7.korte")["Faktisk"].value == faktisk
