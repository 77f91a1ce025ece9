"""A goal's page: the contract's text, each indicator's figures and counting rule, its chart as
JSON for our script, last year at the same point, the projection, by/land, referrals, milestones.

Today is frozen at 15 July 2025 (196 days of the year have passed).
"""

import json
import re
from datetime import date, datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from forloeb import services
from maal.models import Indikator, Maal, Resultatkontrakt
from maal.services import maaling_create, milepael_status_create
from tests import factories as f
from tests.factories import erhvervshus as sjaelland_hus

IDAG = datetime(2025, 7, 15, 12, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))


def tekst(html: str) -> str:
    ord_ = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    return ord_.replace("( ", "(").replace(" )", ")")


def figur(svar, noegle: str) -> dict:
    """The chart JSON the page hands to diagrammer.js for ``noegle``."""
    navn = "figur-" + noegle.replace(".", "-")
    html = svar.content.decode()
    assert f'data-diagram="{navn}"' in html
    fund = re.search(rf'<script id="{navn}" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(fund.group(1))


def spor(figur_: dict, navn: str) -> dict:
    return next(s for s in figur_["data"] if s.get("name") == navn)


def side(client, nummer, **params):
    return client.get(reverse("rapporter:maal", args=[nummer]), params)



@pytest.fixture
def korte(kontrakt_2025):
    """Four short forløb finished in 2025 (three in H1) in Slagelse (by) and Lolland (land)."""
    for slut, kommune in [(date(2025, 1, 31), "330"), (date(2025, 3, 15), "330"),
                          (date(2025, 6, 30), "360"), (date(2025, 7, 10), "360")]:
        f.forloeb(virksomhed_=f.virksomhed(kommune=kommune), type="kort",
                  startdato=date(2025, 1, 2), slutdato=slut)
    return kontrakt_2025


@time_machine.travel(IDAG, tick=False)
def test_goal_page_shows_the_contract_text_and_the_counting_rule(korte, laeser_klient):
    svar = side(laeser_klient, 7, aar=2025, periode="H1")
    maal = Maal.objects.get(kontrakt=korte, nummer=7)
    synligt = tekst(svar.content.decode())
    assert f"Mål 7: {maal.titel}" in synligt
    for del_ in ("Baggrund", "Metode"):
        assert del_ in synligt
    for kontrakttekst in (maal.beskrivelse, maal.maal_tekst, maal.metode_tekst):
        assert " ".join(kontrakttekst.split()) in synligt
    regel = Indikator.objects.get(noegle="M7.korte").regel
    assert f"Sådan opgøres tallet: {regel}" in synligt
    assert "Datakilde: Erhvervshusets brugerregistrering" in synligt


@time_machine.travel(IDAG, tick=False)
def test_count_chart_is_cumulative_against_the_pro_rata_line(korte, laeser_klient):
    svar = side(laeser_klient, 7, aar=2025, periode="H1")
    korte_figur = figur(svar, "M7.korte")
    faktisk = spor(korte_figur, "Faktisk (kumuleret)")
    assert faktisk["x"][0] == "2025-01-01" and faktisk["y"][0] == 0
    assert faktisk["x"][-1] == "2025-06-30" and faktisk["y"][-1] == 3
    assert spor(korte_figur, "Måltal fordelt jævnt over året")["y"] == [0, 880]
    assert spor(korte_figur, "Forventet (pro rata)")["y"] == [436.4]
    assert '<script src="/static/plotly/plotly.min.js"></script>' in svar.content.decode()
    assert '<script src="/static/js/diagrammer.js"></script>' in svar.content.decode()


@time_machine.travel(IDAG, tick=False)
def test_projection_to_year_end_at_the_current_pace(korte, laeser_klient):
    # status today: 4 short forløb in 196 days → 4 / 196 × 365 = 7.4 → 7
    svar = side(laeser_klient, 7)
    synligt = tekst(svar.content.decode())
    assert "Fremskrevet til 31. december 7 i nuværende tempo" in synligt
    fremskrevet = spor(figur(svar, "M7.korte"), "Fremskrevet til årets udgang")
    assert fremskrevet["x"] == ["2025-07-15", "2025-12-31"]
    assert fremskrevet["y"] == [4, 7]
    assert fremskrevet["line"]["dash"] == "dash"


@time_machine.travel(datetime(2026, 2, 1, tzinfo=ZoneInfo("Europe/Copenhagen")), tick=False)
def test_no_projection_once_the_year_is_over(korte, laeser_klient):
    svar = side(laeser_klient, 7, aar=2025, periode="helaar")
    assert "Fremskrevet" not in tekst(svar.content.decode())
    assert [s["name"] for s in figur(svar, "M7.korte")["data"]] == [
        "Faktisk (kumuleret)", "Måltal fordelt jævnt over året"
    ]


@time_machine.travel(IDAG, tick=False)
def test_last_years_figure_at_the_same_point_in_the_year(korte, laeser_klient):
    forrige = Resultatkontrakt.objects.create(
        erhvervshus=korte.erhvervshus, aar=2024, modpart="KKR Sjælland"
    )
    maal = Maal.objects.create(kontrakt=forrige, nummer=7, titel="Forløb", niveau="lokal",
                               maal_tekst="Forløb i 2024.")
    Indikator.objects.create(maal=maal, noegle="M7.korte", titel="Korte", art="antal",
                             maalvaerdi=800, parametre={"grundlag": "forloeb",
                                                        "forloebstyper": ["kort"]})
    f.forloeb(type="kort", startdato=date(2024, 1, 2), slutdato=date(2024, 2, 10))
    f.forloeb(type="kort", startdato=date(2024, 1, 2), slutdato=date(2024, 9, 10))

    svar = side(laeser_klient, 7, aar=2025, periode="H1")
    synligt = tekst(svar.content.decode())
    assert "Sidste år: 1. halvår 2024 1" in synligt
    sidste_aar = spor(figur(svar, "M7.korte"), "2024 (samme dato)")
    # drawn on this year's calendar: 10 February 2024 shows on 10 February 2025
    assert sidste_aar["y"][-1] == 1 and "2025-02-10" in sidste_aar["x"]
    link = reverse("rapporter:poster", args=["M7.korte"]) + "?aar=2024&amp;periode=H1"
    assert link in svar.content.decode()
    # other goals' indicators have no counterpart in 2024
    assert "Sidste år" not in tekst(side(laeser_klient, 9, aar=2025, periode="H1").content.decode())


@time_machine.travel(IDAG, tick=False)
def test_by_land_says_which_classification_is_used_with_a_table_per_kommune(korte, laeser_klient):
    svar = side(laeser_klient, 8, aar=2025, periode="H1")
    synligt = tekst(svar.content.decode())
    assert "By/land-klassifikation: Standard: Danmarks Statistiks kommunegruppe 5" in synligt
    assert "Tallet kan ændre sig, når KL's liste er indtastet." in synligt
    # two companies in Slagelse (by), one in Lolland (land) in H1
    assert "Vejledte i landkommuner af alle 1 af 3" in synligt
    assert "Slagelse Bykommune 2 66,7 %" in synligt
    assert "Lolland Landkommune 1 33,3 %" in synligt
    land = figur(svar, "M8.by_land")["data"][0]
    assert land["x"][0] == 33.3

    korte.by_land_kilde = "KL's liste af 1. marts 2025"
    korte.by_land_er_standard = False
    korte.save()
    synligt = tekst(side(laeser_klient, 8, aar=2025, periode="H1").content.decode())
    assert "By/land-klassifikation: KL's liste af 1. marts 2025" in synligt
    assert "Tallet kan ændre sig" not in synligt


@time_machine.travel(IDAG, tick=False)
def test_referral_shares_chart(kontrakt_2025, laeser_klient):
    f.forloeb(type="handlingsplan", startdato=date(2025, 2, 1), slutdato=date(2025, 5, 1),
              henvist_til=["Innovationsfonden"])
    f.forloeb(type="handlingsplan", startdato=date(2025, 2, 1), slutdato=date(2025, 5, 2),
              henvist_til=["Lokal erhvervsservice Slagelse"])
    svar = side(laeser_klient, 10, aar=2025, periode="H1")
    bjaelker = figur(svar, "M10.henvist_handlingsplan")["data"][0]
    andele = dict(zip(bjaelker["y"], bjaelker["x"], strict=True))
    # the indicator's own aktør types (henvist_til_aktoertyper) make the "i alt" bar
    assert andele["I alt: statslig erhvervsfremme eller privat rådgiver"] == 50
    assert andele["Statslig erhvervsfremme"] == 50
    assert andele["Lokal erhvervsservice"] == 50
    assert andele["Privat rådgiver"] == 0
    assert "Henviste forløb af alle 1 af 2" in tekst(svar.content.decode())


@time_machine.travel(IDAG, tick=False)
def test_milestone_history_with_narratives_and_tagged_evidence(kontrakt_2025, laeser_klient):
    femern = Indikator.objects.get(noegle="M15.femern")
    milepael_status_create(indikator=femern, status="ikke_startet", dato=date(2025, 1, 10),
                           fortaelling="Afventer projektstart.")
    milepael_status_create(indikator=femern, status="i_gang", dato=date(2025, 4, 1),
                           fortaelling="Partner i leverandørudvikling.")
    milepael_status_create(indikator=femern, status="opfyldt", dato=date(2025, 8, 1),
                           fortaelling="Rollen er fast forankret.")
    f.forloeb(ekstern_id="FEM-1", type="kort", startdato=date(2025, 3, 1), fyrtaarn="femern")
    f.forloeb(ekstern_id="BIO-1", type="kort", startdato=date(2025, 3, 1),
              fyrtaarn="biosolutions")
    services.aktivitet_create(erhvervshus=sjaelland_hus(),
                              ekstern_id="A-FEM", type="event", dato=date(2025, 5, 5),
                              titel="Femern-netværksmøde", fyrtaarn="femern")

    synligt = tekst(side(laeser_klient, 15, aar=2025, periode="H1").content.decode())
    historik = synligt.split("Statushistorik")[1].split("Dokumentation")[0]
    assert "01-08-2025 ✔ Opfyldt Rollen er fast forankret." in historik
    assert "01-04-2025 ◐ I gang Partner i leverandørudvikling." in historik
    assert "✔ Gælder i perioden" in historik
    assert historik.index("Partner i") < historik.index("✔ Gælder") < historik.index("Afventer")
    dokumentation = synligt.split("Dokumentation: poster mærket Femern")[1]
    assert "Femern-netværksmøde" in dokumentation and "FEM-1" in dokumentation
    assert "BIO-1" not in dokumentation.split("Aktiv rolle i fyrtårnet Biosolutions")[0]


@time_machine.travel(IDAG, tick=False)
def test_entered_values_show_their_source_and_the_one_that_counts(kontrakt_2025, laeser_klient):
    hus = kontrakt_2025.erhvervshus
    maaling_create(erhvervshus=hus, noegle="M3.nps", aar=2025, vaerdi=65, dato=date(2025, 3, 1),
                   kilde="ERST, foreløbig", kommentar="Lille svarprocent")
    maaling_create(erhvervshus=hus, noegle="M3.nps", aar=2025, vaerdi=72, dato=date(2025, 7, 1),
                   kilde="ERST, endelig")
    synligt = tekst(side(laeser_klient, 3, aar=2025, periode="H1").content.decode())
    assert "Faktisk 65" in synligt
    assert "01-07-2025 72 ERST, endelig" in synligt and "efter perioden" in synligt
    assert "01-03-2025 65 ERST, foreløbig Lille svarprocent" in synligt
    assert "✔ Tæller i perioden" in synligt
    assert "Indtast måling" not in synligt  # a KKR-læser sees no forms


def test_unknown_goal_is_404(kontrakt_2025, laeser_klient):
    assert side(laeser_klient, 99).status_code == 404
