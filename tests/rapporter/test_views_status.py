"""The status page KKR reads: every goal, national and local apart, with target, actual,
expected by now, degree met and status; the period chosen; the JSON download; who may see it.

Today is frozen at 15 July 2025, so H1 is over and expects target × 181 / 365.
"""

import json
import re
from collections import Counter
from datetime import date, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forloeb.models import (
    AITjek,
    Aktivitet,
    Aktoer,
    Forloeb,
    Henvisning,
    Programdeltagelse,
    Samarbejdsaftale,
    Virksomhed,
)
from maal.models import Erhvervshus, Indikator, Maaling, MilepaelStatus
from maal.services import maaling_create, milepael_status_create
from rapporter.beregning import Periode
from rapporter.resultater import indikator_resultater
from tests import factories as f


def HUS():  # noqa: N802
    """Erhvervshus Sjælland's id, for records built without the services."""
    from tests.factories import erhvervshus

    return erhvervshus().pk

KBH = ZoneInfo("Europe/Copenhagen")
IDAG = datetime(2025, 7, 15, 12, 0, tzinfo=KBH)
STATUS = "/status/"


def tekst(html: str) -> str:
    """What a reader sees of some HTML: the text without tags, whitespace collapsed."""
    ord_ = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    return ord_.replace("( ", "(").replace(" )", ")")


def raekke(svar, noegle: str) -> str:
    """The visible text of the table row that shows indicator ``noegle``."""
    for tr in re.findall(r"<tr.*?</tr>", svar.content.decode(), flags=re.S):
        if f">{noegle}<" in tr:
            return tekst(tr)
    raise AssertionError(f"Ingen række for {noegle}")


@pytest.fixture
def datasaet(kontrakt_2025):
    """Three short forløb and two handlingsplaner finished in H1 2025 (one referred to a state
    actor), with records just outside H1 that must not count; an NPS and a milestone status."""
    for slut in (date(2025, 1, 31), date(2025, 3, 15), date(2025, 6, 30)):
        f.forloeb(type="kort", startdato=date(2025, 1, 2), slutdato=slut)
    f.forloeb(type="kort", startdato=date(2025, 1, 2), slutdato=date(2025, 7, 1))
    f.forloeb(type="kort", startdato=date(2025, 1, 2))  # igangværende
    f.forloeb(type="handlingsplan", startdato=date(2025, 2, 1), slutdato=date(2025, 5, 1),
              henvist_til=["Innovationsfonden"])
    f.forloeb(type="handlingsplan", startdato=date(2025, 2, 1), slutdato=date(2025, 5, 2))
    maaling_create(erhvervshus=kontrakt_2025.erhvervshus, noegle="M3.nps", aar=2025,
                   vaerdi=72, dato=date(2025, 5, 15), kilde="ERST, brugerevaluering")
    milepael_status_create(
        indikator=Indikator.objects.get(noegle="M15.femern"), status="i_gang",
        dato=date(2025, 2, 1), fortaelling="Partner i leverandørudvikling.",
    )
    return kontrakt_2025



@time_machine.travel(IDAG, tick=False)
def test_all_goals_national_and_local_apart(datasaet, laeser_klient):
    svar = laeser_klient.get(STATUS, {"aar": 2025, "periode": "H1"})
    html = svar.content.decode()
    nationale, lokale = html.split('id="lokale"')
    for maal in datasaet.maal.all():
        overskrift = f"Mål {maal.nummer}. {maal.titel}"
        assert overskrift in tekst(nationale if maal.niveau == "national" else lokale)
    assert "Nationale mål" in tekst(nationale) and "Lokale mål" in tekst(lokale)
    assert len(re.findall(r'class="maal-raekke"', html)) == 15


@time_machine.travel(IDAG, tick=False)
def test_each_indicator_with_target_actual_expected_degree_and_status(datasaet, laeser_klient):
    svar = laeser_klient.get(STATUS, {"aar": 2025, "periode": "H1"})
    assert svar.status_code == 200
    # 3 of 880 short forløb; expected 880 × 181 / 365 = 436.4; 3 / 880 = 0.3 %
    assert raekke(svar, "M7.korte") == (
        "Korte vejledningsforløb gennemført M7.korte ≥ 880 3 436,4 0,3 % ▼ Bagud"
    )
    assert raekke(svar, "M7.i_alt").endswith("≥ 1.680 5 833,1 0,3 % ▼ Bagud")
    # a share holds against the target itself: 1 of 2 handlingsplaner referred
    assert raekke(svar, "M10.henvist_handlingsplan").endswith(
        "≥ 70 % 50,0 % (1 af 2) – 71,4 % ▼ Bagud"
    )
    assert raekke(svar, "M3.nps").endswith("≥ 70 72 – 102,9 % ▲ På sporet")
    assert raekke(svar, "M2.kendskabsgrad").endswith("≥ 50 % – – – … Afventer")
    assert raekke(svar, "M13.klyngearrangementer").endswith("intet måltal 0 – – – Uden måltal")
    assert raekke(svar, "M15.femern").endswith("gennemført opdateret 01-02-2025 – – ◐ I gang")
    assert raekke(svar, "M8.by_land").startswith("Afvigelse mellem landkommunernes andel")


@time_machine.travel(IDAG, tick=False)
def test_summary_strip_counts_the_statuses_of_the_results(datasaet, laeser_klient):
    svar = laeser_klient.get(STATUS, {"aar": 2025, "periode": "H1"})
    resultater = indikator_resultater(datasaet, Periode.h1(2025), idag=IDAG.date())
    optalt = Counter(r.status for r in resultater if r.art != "milepael")
    strip = tekst(re.search(r'<ul class="opsummering".*?</ul>', svar.content.decode(),
                            flags=re.S).group())
    assert strip == (
        f"{optalt['paa_sporet']} ▲ På sporet {optalt['taet_paa']} ► Tæt på "
        f"{optalt['bagud']} ▼ Bagud {optalt['afventer']} … Afventer "
        f"{optalt['uden_maaltal']} – Uden måltal"
    )
    assert "Milepæle: 1 i gang, 4 ikke startet." in tekst(svar.content.decode())


@time_machine.travel(IDAG, tick=False)
def test_the_page_says_when_the_figures_were_computed_and_links_every_count(
    datasaet, laeser_klient
):
    svar = laeser_klient.get(STATUS, {"aar": 2025, "periode": "H1"})
    side = tekst(svar.content.decode())
    # (A page kept since says so: its figures are as the data still stands.)
    assert "Status: 1. halvår 2025 1. januar – 30. juni 2025 · Beregnet 15. juli 2025 kl. 12:00 " \
        "ud fra data, der ikke er ændret siden" in side
    poster = reverse("rapporter:poster", args=["M10.henvist_handlingsplan"])
    html = svar.content.decode()
    assert f'href="{poster}?aar=2025&amp;periode=H1&amp;del=taeller"' in html
    assert f'href="{poster}?aar=2025&amp;periode=H1&amp;del=naevner"' in html
    assert reverse("rapporter:json") + "?aar=2025&amp;periode=H1" in html
    assert reverse("rapporter:xlsx") + "?aar=2025&amp;periode=H1" in html


# --- The period --------------------------------------------------------------------------------


@time_machine.travel(IDAG, tick=False)
def test_default_is_status_today_in_the_latest_contract(datasaet, laeser_klient):
    svar = laeser_klient.get(STATUS)
    assert "Status pr. 15. juli 2025" in tekst(svar.content.decode())
    # 196 days of 365 have passed: 880 × 196 / 365 = 472.5
    assert " 472,5 " in raekke(svar, "M7.korte")


@time_machine.travel(datetime(2026, 3, 1, 9, 0, tzinfo=KBH), tick=False)
def test_after_the_year_the_default_is_the_whole_year_met_or_not(datasaet, laeser_klient):
    svar = laeser_klient.get(STATUS)
    side = tekst(svar.content.decode())
    assert "Status: Hele året 2025" in side
    assert "Forventet" not in side
    assert raekke(svar, "M7.korte").endswith("≥ 880 4 0,5 % ✖ Ikke opfyldt")
    assert raekke(svar, "M3.nps").endswith("≥ 70 72 102,9 % ✔ Opfyldt")


@time_machine.travel(IDAG, tick=False)
@pytest.mark.parametrize(
    ("periode", "overskrift", "forventet_korte"),
    [
        ("H1", "Status: 1. halvår 2025", "436,4"),
        ("helaar", "Status: Hele året 2025", "880"),  # to the period's end: the whole target
        ("2025-03-31", "Status pr. 31. marts 2025", "217"),  # 880 × 90 / 365 = 217.0
    ],
)
def test_period_selector(datasaet, laeser_klient, periode, overskrift, forventet_korte):
    svar = laeser_klient.get(STATUS, {"aar": 2025, "periode": periode})
    html = svar.content.decode()
    assert overskrift in tekst(html)
    assert f" {forventet_korte} " in raekke(svar, "M7.korte")
    if periode in ("H1", "helaar"):
        assert re.search(rf'periode={periode}"\s+aria-current="true"', html)
    else:
        assert f'value="{periode}"' in html


@time_machine.travel(IDAG, tick=False)
@pytest.mark.parametrize(
    ("params", "besked"),
    [
        ({"periode": "H3"}, "Ukendt periode 'H3'. Brug H1, helaar eller en dato i 2025"),
        ({"periode": "2024-05-31"}, "Datoen 2024-05-31 ligger ikke i kontraktåret 2025."),
        ({"periode": "31-05-2025"}, "Ukendt periode '31-05-2025'."),
        ({"aar": "2019"}, "Der er ingen resultatkontrakt for 2019 (kontraktår: 2025)."),
        ({"aar": "to tusind"}, "Indtast et heltal."),
    ],
)
def test_a_bad_period_gives_a_danish_message(datasaet, laeser_klient, params, besked):
    svar = laeser_klient.get(STATUS, params)
    assert svar.status_code == 400
    assert besked in tekst(svar.content.decode())
    assert laeser_klient.get(reverse("rapporter:maal", args=[7]), params).status_code == 400


# --- The number of queries -------------------------------------------------------------------


def masse_forloeb(antal: int, start_nr: int) -> None:
    """Forløb made in bulk, each with its own company; every other one ends in H1 and every
    third has a referral."""
    innovationsfonden = Aktoer.objects.get(navn="Innovationsfonden")
    numre = range(start_nr, start_nr + antal)
    virksomheder = Virksomhed.objects.bulk_create(
        Virksomhed(cvr=f"{30000000 + n}", navn=f"Masse {n}", kommune_id=["330", "360"][n % 2],
                   stiftelsesdato=date(2023 - n % 5, 1, 1))
        for n in numre
    )
    typer = ["kort", "handlingsplan", "vaekstplan", "omstillingsplan"]
    forloeb = Forloeb.objects.bulk_create(
        Forloeb(erhvervshus_id=HUS(), ekstern_id=f"Q-{n}", virksomhed=v, type=typer[n % 4],
                startdato=date(2025, 1, 1 + n % 28),
                slutdato=date(2025, 3, 1 + n % 28) if n % 2 else None)
        for n, v in zip(numre, virksomheder, strict=True)
    )
    Henvisning.objects.bulk_create(
        Henvisning(forloeb=fl, aktoer=innovationsfonden, dato=fl.startdato)
        for fl in forloeb[::3]
    )
    masse_oevrige(numre, virksomheder)


def masse_oevrige(numre, virksomheder) -> None:
    """The other record kinds in proportion: AI-tjek, joint activities with a local operator,
    program participations, cluster agreements, målinger and milestone statuses."""
    lokale = list(Aktoer.objects.filter(type="lokal"))
    klynger = list(Aktoer.objects.filter(type="klynge"))
    dato = [date(2025, 1 + n % 6, 1 + n % 28) for n in numre]
    AITjek.objects.bulk_create(
        AITjek(erhvervshus_id=HUS(), ekstern_id=f"QA-{n}", virksomhed=v, dato=d)
        for n, v, d in zip(numre, virksomheder, dato, strict=True) if n % 5 == 0
    )
    aktiviteter = Aktivitet.objects.bulk_create(
        Aktivitet(erhvervshus_id=HUS(),
                  ekstern_id=f"QK-{n}", type="faelles_aktivitet", dato=d, titel=f"Møde {n}")
        for n, d in zip(numre, dato, strict=True) if n % 10 == 0
    )
    Aktivitet.partnere.through.objects.bulk_create(
        Aktivitet.partnere.through(aktivitet=a, aktoer=lokale[i % len(lokale)])
        for i, a in enumerate(aktiviteter)
    )
    Programdeltagelse.objects.bulk_create(
        Programdeltagelse(erhvervshus_id=HUS(),
                          virksomhed=v, program=["smv_vaekstpilot", "attraktive_arbejdspladser"]
                          [n % 2], status="bevilget", dato=d)
        for n, v, d in zip(numre, virksomheder, dato, strict=True) if n % 4 == 0
    )
    Samarbejdsaftale.objects.bulk_create(
        Samarbejdsaftale(erhvervshus_id=HUS(),
                         aktoer=klynger[n % len(klynger)], dato=date(2025, 1, 1) +
                         timedelta(days=n // 25))
        for n in numre if n % 25 == 0
    )
    hus = Erhvervshus.objects.get(navn="Erhvervshus Sjælland")
    femern = Indikator.objects.get(noegle="M15.femern")
    Maaling.objects.bulk_create(
        Maaling(erhvervshus=hus, noegle="M3.nps", aar=2025, vaerdi=70 + n % 5, dato=d,
                kilde="Test")
        for n, d in zip(numre, dato, strict=True) if n % 100 == 0
    )
    MilepaelStatus.objects.bulk_create(
        MilepaelStatus(indikator=femern, status="i_gang", dato=d, fortaelling=f"Status {n}")
        for n, d in zip(numre, dato, strict=True) if n % 100 == 0
    )


@time_machine.travel(IDAG, tick=False)
def test_query_count_does_not_grow_with_records(
    kontrakt_2025, laeser_klient, django_assert_max_num_queries
):
    masse_forloeb(10, 0)
    with CaptureQueriesContext(connection) as faa:
        smaa = laeser_klient.get(STATUS, {"aar": 2025, "periode": "H1"})
    masse_forloeb(990, 10)
    with django_assert_max_num_queries(len(faa.captured_queries)):
        store = laeser_klient.get(STATUS, {"aar": 2025, "periode": "H1"})
    assert " 5 " in raekke(smaa, "M7.i_alt") and " 500 " in raekke(store, "M7.i_alt")
    # the other record kinds grew with it: AI-tjek for every fifth number, 2 → 200
    assert " 2 " in raekke(smaa, "M9.ai_tjek") and " 200 " in raekke(store, "M9.ai_tjek")


# --- JSON and permissions ------------------------------------------------------------------------


@time_machine.travel(IDAG, tick=False)
def test_excel_download_is_the_report_workbook(datasaet, laeser_klient):
    svar = laeser_klient.get(reverse("rapporter:xlsx"), {"aar": 2025, "periode": "H1"})
    assert svar.status_code == 200
    assert svar["Content-Disposition"] == (
        'attachment; filename="resultatkontrakt-2025-H1.xlsx"'
    )
    assert svar.content.startswith(b"PK")


@time_machine.travel(IDAG, tick=False)
def test_json_download_is_the_report(datasaet, laeser_klient):
    svar = laeser_klient.get(reverse("rapporter:json"), {"aar": 2025, "periode": "H1"})
    assert svar["Content-Disposition"] == 'attachment; filename="status-2025-H1.json"'
    rapport = json.loads(svar.content)
    assert rapport["kontrakt"]["erhvervshus"] == "Erhvervshus Sjælland"
    assert rapport["periode"] == {
        "navn": "H1", "fra": "2025-01-01", "til": "2025-06-30", "titel": "1. halvår 2025"
    }
    korte = next(i for i in rapport["indikatorer"] if i["noegle"] == "M7.korte")
    assert (korte["faktisk"], korte["forventet"], korte["status"]) == (3, 436.4, "bagud")
    assert len(rapport["indikatorer"]) == 31


SIDER = [STATUS, "/status/json/", "/status/excel/", "/status/maal/7/",
         "/status/indikator/M7.korte/poster/"]


@pytest.mark.parametrize("sti", SIDER)
def test_anonymous_is_sent_to_login(client, kontrakt_2025, sti):
    svar = client.get(sti)
    assert svar.status_code == 302 and svar["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("sti", SIDER)
def test_outsiders_get_403(client, kontrakt_2025, udenforstaaende, sti):
    client.force_login(udenforstaaende)
    assert client.get(sti).status_code == 403


@pytest.mark.parametrize("rolle", ["registrant", "kkr_laeser", "administrator"])
def test_every_role_may_read_status(client, kontrakt_2025, rolle, request):
    client.force_login(request.getfixturevalue(rolle))
    assert client.get(STATUS).status_code == 200


@time_machine.travel(IDAG, tick=False)
def test_a_second_house_with_a_contract_the_same_year_is_chosen_not_hidden(
    kontrakt_2025, laeser_klient, kkr_laeser
):
    from forloeb.models import Region
    from maal.models import Medlemskab, Resultatkontrakt

    hovedstaden = Erhvervshus.objects.get(navn="Erhvervshus Hovedstaden")  # reference data
    assert hovedstaden.region == Region.objects.get(kode="1084")
    anden = Resultatkontrakt.objects.create(erhvervshus=hovedstaden, aar=2025,
                                            modpart="KKR Hovedstaden")
    Medlemskab.objects.create(bruger=kkr_laeser, erhvervshus=hovedstaden)  # reads both houses
    # without a choice: the house of the newest contract, the first by name on a tie
    side = laeser_klient.get(STATUS).content.decode()
    assert "Erhvervshus Hovedstaden · Resultatkontrakt 2025 med KKR Hovedstaden" in tekst(side)
    assert f'href="?hus={kontrakt_2025.erhvervshus_id}"' in side  # the other house, one click
    valgt = laeser_klient.get(STATUS, {"hus": kontrakt_2025.erhvervshus_id, "periode": "H1"})
    html = valgt.content.decode()
    assert "Erhvervshus Sjælland · Resultatkontrakt 2025 med KKR Sjælland" in tekst(html)
    # the period links and the goal links keep the house
    assert f"?hus={kontrakt_2025.erhvervshus_id}&amp;aar=2025&amp;periode=helaar" in html
    assert f"/status/maal/7/?hus={kontrakt_2025.erhvervshus_id}&amp;aar=2025" in html
    assert anden.pk != kontrakt_2025.pk
    ukendt = laeser_klient.get(STATUS, {"hus": 999})
    assert ukendt.status_code == 400
    assert "Der er ingen resultatkontrakt for det erhvervshus." in ukendt.content.decode()
