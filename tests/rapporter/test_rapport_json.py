"""The JSON report of KONTRAKT-2025.md on a fixed data set, for H1, the whole year and a status
date, checked field by field; and the ``rapport`` command around it."""

import json
import re
import subprocess
import sys
import types
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command

from forloeb import services
from forloeb.models import Aktoer
from maal.models import Indikator
from maal.services import maaling_create, milepael_status_create
from rapporter.beregning import Periode
from rapporter.resultater import Rapport, rapport_for
from tests import factories as f
from tests.factories import erhvervshus as sjaelland_hus

KBH_TID = ZoneInfo("Europe/Copenhagen")
BEREGNET = datetime(2025, 7, 15, 12, 0, tzinfo=KBH_TID)
NOEGLER_I_ORDEN = [
    "M1.ivaerksaettere", "M2.kendskabsgrad", "M2.kendskab_tilbud", "M3.nps",
    "M4.henvisninger_anvendt", "M5.omsaetning_vaekst", "M5.beskaeftigelse_vaekst",
    "M5.produktivitet_drift", "M6.baeredygtighed", "M7.korte", "M7.handlingsplaner",
    "M7.vaekstplaner", "M7.laengere", "M7.i_alt", "M8.by_land", "M9.ai_tjek",
    "M10.lokale_operatoerer", "M10.henvist_handlingsplan", "M10.henvist_vaekstplan",
    "M11.rekrutteringsydelse", "M11.attraktive_arbejdspladser", "M11.smv_vaekstpilot",
    "M12.hovedstaden", "M12.sjaelland_via_ehh", "M13.samarbejde_ruc_kkr",
    "M13.klyngearrangementer", "M13.klyngesamarbejder", "M14.gearing",
    "M14.geografisk_forankring", "M15.femern", "M15.biosolutions",
]
FELTER = {"noegle", "maal_nr", "art", "enhed", "maalvaerdi", "faktisk", "forventet",
          "opfyldelse", "status"}


def aktoer(navn):
    return Aktoer.objects.get(navn=navn)


@pytest.fixture
def datasaet(kontrakt_2025):
    """A year of registrations small enough to count by hand (see each test's comments)."""
    slagelse = f.virksomhed(navn="Slagelse ApS", kommune="330")  # by
    lolland = f.virksomhed(navn="Lolland ApS", kommune="360", stiftelsesdato=date(2024, 1, 1))
    kbh = f.virksomhed(navn="Kbh ApS", kommune="101")  # Region Hovedstaden
    privat = services.aktoer_create(navn="Rådgiver Test ApS", type="privat")

    def fl(eid, type_, v, start, slut, henvist=None):
        forloeb = f.forloeb(ekstern_id=eid, type=type_, virksomhed_=v, startdato=start,
                            slutdato=slut)
        if henvist:
            services.henvisning_create(forloeb=forloeb, aktoer=henvist, dato=start)

    fl("K1", "kort", slagelse, date(2025, 1, 5), date(2025, 1, 20))
    fl("K2", "kort", lolland, date(2025, 3, 1), date(2025, 5, 31))
    fl("K3", "kort", slagelse, date(2025, 6, 1), date(2025, 6, 30))
    fl("K4", "kort", kbh, date(2025, 6, 20), date(2025, 7, 1))
    fl("K5", "kort", slagelse, date(2025, 9, 1), None)
    fl("HP1", "handlingsplan", slagelse, date(2025, 1, 10), date(2025, 4, 15),
       aktoer("Innovationsfonden"))
    fl("HP2", "handlingsplan", lolland, date(2025, 2, 1), date(2025, 6, 15),
       aktoer("Lokal erhvervsservice Lolland"))
    fl("HP3", "handlingsplan", kbh, date(2025, 8, 1), date(2025, 10, 1), privat)
    fl("VP1", "vaekstplan", lolland, date(2025, 1, 15), date(2025, 5, 20), aktoer("Eksportrådet"))
    fl("OP1", "omstillingsplan", slagelse, date(2025, 7, 1), date(2025, 11, 30))

    services.ai_tjek_create(erhvervshus=sjaelland_hus(), virksomhed=slagelse, dato=date(2025, 2, 1))
    services.ai_tjek_create(erhvervshus=sjaelland_hus(), virksomhed=lolland, dato=date(2025, 9, 1))
    services.aktivitet_create(erhvervshus=sjaelland_hus(),
        type="faelles_aktivitet", dato=date(2025, 3, 1), titel="F1",
        partnere=[aktoer("Lokal erhvervsservice Greve"), aktoer("Lokal erhvervsservice Køge")],
    )
    services.aktivitet_create(erhvervshus=sjaelland_hus(),
                              type="faelles_aktivitet", dato=date(2025, 10, 1), titel="F2",
                              partnere=[aktoer("Lokal erhvervsservice Roskilde")])
    services.aktivitet_create(erhvervshus=sjaelland_hus(),
                              type="klyngearrangement", dato=date(2025, 5, 1), titel="KA1")
    services.programdeltagelse_create(erhvervshus=sjaelland_hus(),
                                      virksomhed=slagelse, program="attraktive_arbejdspladser",
                                      status="bevilget", dato=date(2025, 4, 1))
    services.programdeltagelse_create(erhvervshus=sjaelland_hus(),
                                      virksomhed=lolland, program="smv_vaekstpilot",
                                      status="bevilget", dato=date(2025, 8, 1))
    for navn, dato in [("BLOXHUB", date(2025, 3, 1)), ("CLEAN", date(2025, 9, 1)),
                       ("MADE", date(2025, 12, 1))]:
        services.samarbejdsaftale_create(erhvervshus=sjaelland_hus(),
                                         aktoer=aktoer(navn), dato=dato)

    hus = kontrakt_2025.erhvervshus
    for noegle, vaerdi, dato in [
        ("M3.nps", "72", date(2025, 5, 15)),
        ("M3.nps", "68", date(2025, 12, 10)),
        ("M2.kendskabsgrad", "48", date(2025, 6, 1)),
        ("M14.omsaetning", "41250000", date(2025, 10, 15)),
        ("M14.basistilskud", "15300000", date(2025, 10, 15)),
        # a final figure for 2025 arriving after the year: only the finished year sees it
        ("M2.kendskab_tilbud", "57", date(2026, 1, 10)),
    ]:
        maaling_create(erhvervshus=hus, noegle=noegle, aar=2025, vaerdi=Decimal(vaerdi),
                       dato=dato, kilde="Test")

    def milepael(noegle, status, dato, endelig=False):
        milepael_status_create(
            indikator=Indikator.objects.get(maal__kontrakt=kontrakt_2025, noegle=noegle),
            status=status, dato=dato, fortaelling=f"{noegle} {status}", endelig=endelig,
        )

    milepael("M15.femern", "i_gang", date(2025, 2, 1))
    milepael("M15.femern", "opfyldt", date(2025, 11, 1))
    milepael("M15.biosolutions", "opfyldt", date(2025, 5, 31))
    # final assessments of the finished year (biosolutions has none yet: afventer)
    milepael("M15.femern", "opfyldt", date(2026, 1, 10), endelig=True)
    milepael("M13.samarbejde_ruc_kkr", "ikke_opfyldt", date(2026, 1, 12), endelig=True)
    return kontrakt_2025


def dokument(kontrakt, periode, idag):
    return rapport_for(kontrakt, periode, idag=idag, beregnet=BEREGNET).som_json()


def poster(doc):
    return {p["noegle"]: p for p in doc["indikatorer"]}


def post(maalvaerdi, faktisk, forventet, opfyldelse, status):
    return {"maalvaerdi": maalvaerdi, "faktisk": faktisk, "forventet": forventet,
            "opfyldelse": opfyldelse, "status": status}


def udvalg(p):
    return {k: p[k] for k in ("maalvaerdi", "faktisk", "forventet", "opfyldelse", "status")}


def test_the_document_shape(datasaet):
    doc = dokument(datasaet, Periode.h1(2025), date(2025, 7, 15))
    assert doc["kontrakt"]["erhvervshus"] == "Erhvervshus Sjælland"
    assert doc["kontrakt"]["aar"] == 2025
    assert doc["periode"] == {"navn": "H1", "fra": "2025-01-01", "til": "2025-06-30",
                              "titel": "1. halvår 2025"}
    assert doc["beregnet"] == "2025-07-15T12:00:00+02:00"
    assert [p["noegle"] for p in doc["indikatorer"]] == NOEGLER_I_ORDEN
    for p in doc["indikatorer"]:
        ekstra = {"andel_land", "befolkningsandel_land"} if p["art"] == "fordeling" else set()
        assert set(p) == FELTER | ekstra, p["noegle"]
    # the document is plain JSON
    assert json.loads(json.dumps(doc)) == doc


def test_h1(datasaet):
    p = poster(dokument(datasaet, Periode.h1(2025), date(2025, 7, 15)))
    # forløb with slutdato 1 Jan – 30 Jun: korte K1, K2, K3 (K4 ends 1 July, K5 igangværende);
    # handlingsplaner HP1, HP2; vækstplaner VP1; længere 3; i alt 6.
    # forventet = target × 181 / 365; opfyldelse = faktisk / target
    assert p["M7.korte"] == {
        "noegle": "M7.korte", "maal_nr": 7, "art": "antal", "enhed": "antal",
        "maalvaerdi": 880, "faktisk": 3, "forventet": 436.4, "opfyldelse": 0.003,
        "status": "bagud",
    }
    assert udvalg(p["M7.handlingsplaner"]) == post(485, 2, 240.5, 0.004, "bagud")
    assert udvalg(p["M7.vaekstplaner"]) == post(315, 1, 156.2, 0.003, "bagud")
    assert udvalg(p["M7.laengere"]) == post(800, 3, 396.7, 0.004, "bagud")
    assert udvalg(p["M7.i_alt"]) == post(1680, 6, 833.1, 0.004, "bagud")
    # Lolland ApS (founded 2024) is the one iværksætter: 1 / 171 = 0.0058 → 0.006
    assert udvalg(p["M1.ivaerksaettere"]) == post(171, 1, 84.8, 0.006, "bagud")
    # Slagelse (by) and Lolland (land) guided: 50.0 % land against 26.7 % → 23.3 pp
    assert p["M8.by_land"] == {
        "noegle": "M8.by_land", "maal_nr": 8, "art": "fordeling", "enhed": "procentpoint",
        "maalvaerdi": 10, "faktisk": 23.3, "forventet": None, "opfyldelse": 23.3,
        "status": "bagud", "andel_land": 50, "befolkningsandel_land": 26.7,
    }
    assert udvalg(p["M9.ai_tjek"]) == post(40, 1, 19.8, 0.025, "bagud")
    # Greve and Køge of 17: forventet 8.4; 2 / 17 = 0.118
    assert udvalg(p["M10.lokale_operatoerer"]) == post(17, 2, 8.4, 0.118, "bagud")
    # HP1 (Innovationsfonden) of HP1, HP2 (HP2 only to lokal erhvervsservice): 50.0 %
    assert udvalg(p["M10.henvist_handlingsplan"]) == post(70, 50, None, 0.714, "bagud")
    assert udvalg(p["M10.henvist_vaekstplan"]) == post(80, 100, None, 1.25, "paa_sporet")
    assert udvalg(p["M11.attraktive_arbejdspladser"]) == post(20, 1, 9.9, 0.05, "bagud")
    assert udvalg(p["M11.smv_vaekstpilot"]) == post(45, 0, 22.3, 0.0, "bagud")
    assert udvalg(p["M12.hovedstaden"]) == post(20, 0, 9.9, 0.0, "bagud")
    assert udvalg(p["M13.klyngearrangementer"]) == post(None, 1, None, None, "uden_maaltal")
    # BLOXHUB: 1 ≥? forventet 3 × 181 / 365 = 1.5; 90 % of it is 1.35 → bagud
    assert udvalg(p["M13.klyngesamarbejder"]) == post(3, 1, 1.5, 0.333, "bagud")
    assert udvalg(p["M3.nps"]) == post(70, 72, None, 1.029, "paa_sporet")
    assert udvalg(p["M2.kendskabsgrad"]) == post(50, 48, None, 0.96, "bagud")
    assert udvalg(p["M4.henvisninger_anvendt"]) == post(50, None, None, None, "afventer")
    assert udvalg(p["M14.gearing"]) == post(2.5, None, None, None, "afventer")
    assert udvalg(p["M15.femern"]) == post(None, None, None, None, "i_gang")
    assert udvalg(p["M15.biosolutions"]) == post(None, None, None, None, "opfyldt")
    assert udvalg(p["M11.rekrutteringsydelse"]) == post(None, None, None, None, "ikke_startet")


def test_helaar_after_the_year(datasaet):
    doc = dokument(datasaet, Periode.helaar(2025), date(2026, 1, 15))
    assert doc["periode"] == {"navn": "helaar", "fra": "2025-01-01", "til": "2025-12-31",
                              "titel": "Hele året 2025"}
    p = poster(doc)
    # korte K1–K4 = 4; handlingsplaner 3; vækst VP1 + OP1 = 2; længere 5; i alt 9.
    # The year is over: no forventet, met or not met.
    assert udvalg(p["M7.korte"]) == post(880, 4, None, 0.005, "ikke_opfyldt")
    assert udvalg(p["M7.handlingsplaner"]) == post(485, 3, None, 0.006, "ikke_opfyldt")
    assert udvalg(p["M7.vaekstplaner"]) == post(315, 2, None, 0.006, "ikke_opfyldt")
    assert udvalg(p["M7.laengere"]) == post(800, 5, None, 0.006, "ikke_opfyldt")
    assert udvalg(p["M7.i_alt"]) == post(1680, 9, None, 0.005, "ikke_opfyldt")
    # Kbh ApS now counts (K4, HP3) but is outside the region for by/land
    assert udvalg(p["M12.hovedstaden"]) == post(20, 1, None, 0.05, "ikke_opfyldt")
    assert p["M8.by_land"]["faktisk"] == 23.3
    assert p["M8.by_land"]["status"] == "ikke_opfyldt"
    # HP1 and HP3 (privat) of 3 = 66.7 % (degree met 66.667 / 70 = 0.952); VP1 of VP1, OP1 = 50 %
    assert udvalg(p["M10.henvist_handlingsplan"]) == post(70, 66.7, None, 0.952, "ikke_opfyldt")
    assert udvalg(p["M10.henvist_vaekstplan"]) == post(80, 50, None, 0.625, "ikke_opfyldt")
    assert udvalg(p["M10.lokale_operatoerer"]) == post(17, 3, None, 0.176, "ikke_opfyldt")
    assert udvalg(p["M13.klyngesamarbejder"]) == post(3, 3, None, 1, "opfyldt")
    assert udvalg(p["M11.smv_vaekstpilot"]) == post(45, 1, None, 0.022, "ikke_opfyldt")
    # the December NPS replaces May's for the whole year
    assert udvalg(p["M3.nps"]) == post(70, 68, None, 0.971, "ikke_opfyldt")
    # 41,250,000 / 15,300,000 = 2.70 ≥ 2.50
    assert udvalg(p["M14.gearing"]) == post(2.5, 2.7, None, 1.078, "opfyldt")  # 2.696 / 2.5
    # the finished year takes the final assessment; without one a milepæl waits for it
    assert udvalg(p["M15.femern"]) == post(None, None, None, None, "opfyldt")
    assert udvalg(p["M15.biosolutions"]) == post(None, None, None, None, "afventer")
    assert udvalg(p["M4.henvisninger_anvendt"]) == post(50, None, None, None, "afventer")
    # the final figure dated 10 January 2026 counts for the finished year; 57 / 55 = 1.0364
    assert udvalg(p["M2.kendskab_tilbud"]) == post(55, 57, None, 1.036, "opfyldt")


def test_helaar_during_the_year_is_pro_rata_to_the_years_end(datasaet):
    p = poster(dokument(datasaet, Periode.helaar(2025), date(2025, 10, 31)))
    # KONTRAKT-2025.md: days to the period's end, 365 / 365: the whole target; korte K1–K4 = 4
    assert udvalg(p["M7.korte"]) == post(880, 4, 880, 0.005, "bagud")
    # records count by the period's end, so a value already entered with a December date counts
    assert p["M3.nps"]["faktisk"] == 68


def test_status_date(datasaet):
    doc = dokument(datasaet, Periode.fra_tekst(2025, "2025-05-31"), date(2025, 6, 10))
    assert doc["periode"] == {"navn": "2025-05-31", "fra": "2025-01-01", "til": "2025-05-31",
                              "titel": "Status pr. 31. maj 2025"}
    p = poster(doc)
    # 151 days: 880 × 151 / 365 = 364.05 → 364.1; korte K1, K2 (K2 ends on 31 May) = 2
    assert udvalg(p["M7.korte"]) == post(880, 2, 364.1, 0.002, "bagud")
    # HP1, VP1, K1, K2 = 4; 1680 × 151 / 365 = 695.01 → 695.0
    assert udvalg(p["M7.i_alt"]) == post(1680, 4, 695, 0.002, "bagud")
    # HP1 alone, referred to Innovationsfonden: 100 %; 100 / 70 = 1.429
    assert udvalg(p["M10.henvist_handlingsplan"]) == post(70, 100, None, 1.429, "paa_sporet")
    assert udvalg(p["M3.nps"]) == post(70, 72, None, 1.029, "paa_sporet")
    # the kendskabsmåling is dated 1 June: not yet
    assert udvalg(p["M2.kendskabsgrad"]) == post(50, None, None, None, "afventer")
    # set on 31 May itself
    assert p["M15.biosolutions"]["status"] == "opfyldt"
    assert p["M15.femern"]["status"] == "i_gang"


# --- The command ----------------------------------------------------------------------------


@time_machine.travel(datetime(2025, 7, 15, 12, 0, tzinfo=KBH_TID), tick=False)
def test_command_prints_the_report(datasaet):
    ud = StringIO()
    call_command("rapport", "--aar", "2025", "--periode", "H1", "--format", "json", stdout=ud)
    doc = json.loads(ud.getvalue())
    assert doc == dokument(datasaet, Periode.h1(2025), date(2025, 7, 15))
    assert doc["beregnet"] == "2025-07-15T12:00:00+02:00"
    assert "Erhvervshus Sjælland" in ud.getvalue()  # not \u00e6
    assert '\n  "kontrakt": {' in ud.getvalue()  # indented


@time_machine.travel(datetime(2025, 5, 31, 9, 0, tzinfo=KBH_TID), tick=False)
def test_command_uses_today(datasaet):
    ud = StringIO()
    call_command("rapport", "--aar", "2025", "--periode", "helaar", stdout=ud)
    # the whole year seen on 31 May is still under way: pro rata (the whole target), and
    # judged "bagud" rather than "ikke_opfyldt"
    korte = poster(json.loads(ud.getvalue()))["M7.korte"]
    assert (korte["forventet"], korte["status"]) == (880, "bagud")


@time_machine.travel(datetime(2026, 1, 15, 9, 0, tzinfo=KBH_TID), tick=False)
def test_command_writes_a_file(datasaet, tmp_path):
    fil = tmp_path / "rapport.json"
    call_command("rapport", "--aar", "2025", "--periode", "helaar", "--erhvervshus",
                 "erhvervshus sjælland", "-o", str(fil), stdout=StringIO(), stderr=StringIO())
    doc = json.loads(fil.read_text(encoding="utf-8"))
    assert doc["periode"]["navn"] == "helaar"
    assert poster(doc)["M14.gearing"]["status"] == "opfyldt"


@time_machine.travel(datetime(2025, 7, 15, 12, 0, tzinfo=KBH_TID), tick=False)
def test_command_defaults_to_the_newest_contract_and_h1(datasaet):
    ud = StringIO()
    call_command("rapport", stdout=ud)
    doc = json.loads(ud.getvalue())
    assert (doc["kontrakt"]["aar"], doc["periode"]["navn"]) == (2025, "H1")


def test_command_says_so_when_the_file_cannot_be_written(kontrakt_2025, tmp_path):
    (tmp_path / "r.json").mkdir()  # a folder stands where the file should go
    with pytest.raises(CommandError, match="Kan ikke skrive til .*r.json"):
        call_command("rapport", "--aar", "2025", "-o", str(tmp_path / "r.json"),
                     stdout=StringIO(), stderr=StringIO())


def test_command_names_a_missing_folder_in_danish(kontrakt_2025, tmp_path):
    with pytest.raises(CommandError) as fejl:
        call_command("rapport", "--aar", "2025", "-o", str(tmp_path / "findes/ikke/r.json"),
                     stdout=StringIO(), stderr=StringIO())
    assert str(fejl.value) == f"Mappen {tmp_path / 'findes/ikke'} findes ikke."
    assert fejl.value.returncode == 2


@pytest.mark.parametrize(
    "argumenter, besked",
    [
        (["--aar", "2024"], "Der er ingen resultatkontrakt for 2024 (kendte år: 2025)."),
        (["--aar", "1999", "--periode", "H1"], "Der er ingen resultatkontrakt for 1999"),
        (["--aar", "2025", "--erhvervshus", "Erhvervshus Fyn"],
         "Der er ingen resultatkontrakt for Erhvervshus Fyn for 2025"),
        (["--aar", "2025", "--periode", "H3"],
         "Ukendt periode 'H3'. Brug H1, helaar eller en dato i 2025"),
        (["--aar", "2025", "--periode", "2024-05-31"], "ligger ikke i kontraktåret 2025"),
        (["--aar", "2025", "--format", "csv"], "Ukendt format 'csv'. Brug json eller xlsx."),
        (["--aar", "2025", "--format", "xlsx"], "Excel-formatet skal skrives til en fil"),
    ],
)
def test_command_refuses_in_danish_with_exit_code_2(kontrakt_2025, argumenter, besked):
    with pytest.raises(CommandError, match=re.escape(besked)) as fejl:
        call_command("rapport", *argumenter, stdout=StringIO())
    assert fejl.value.returncode == 2


def test_command_exit_code_and_stderr_from_the_shell():
    """Run as a user would: the message goes to stderr and the process exits with 2."""
    svar = subprocess.run(
        [sys.executable, "manage.py", "rapport", "--aar", "2025", "--format", "pdf"],
        cwd=Path(settings.BASE_DIR), capture_output=True, text=True, timeout=60,
    )
    assert svar.returncode == 2
    assert "Ukendt format 'pdf'. Brug json eller xlsx." in svar.stderr
    assert svar.stdout == ""


def test_command_hands_the_report_to_the_excel_writer(datasaet, tmp_path, monkeypatch):
    modtaget = []

    def rapport_arbejdsbog(rapport: Rapport) -> bytes:
        modtaget.append(rapport)
        return b"PK\x03\x04 arbejdsbog"

    monkeypatch.setitem(
        sys.modules, "rapporter.excel",
        types.SimpleNamespace(rapport_arbejdsbog=rapport_arbejdsbog),
    )
    fil = tmp_path / "rapport.xlsx"
    call_command("rapport", "--aar", "2025", "--format", "xlsx", "-o", str(fil),
                 stdout=StringIO(), stderr=StringIO())
    assert fil.read_bytes() == b"PK\x03\x04 arbejdsbog"
    (rapport,) = modtaget
    assert (rapport.erhvervshus, rapport.aar, rapport.periode.navn) == (
        "Erhvervshus Sjælland", 2025, "H1"
    )
    assert len(rapport.resultater) == 31


def test_command_says_so_when_the_excel_writer_is_missing(kontrakt_2025, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "rapporter.excel", None)  # as if the module did not exist
    with pytest.raises(CommandError, match="Excel-rapporten er ikke tilgængelig"):
        call_command("rapport", "--aar", "2025", "--format", "xlsx", "-o",
                     str(tmp_path / "r.xlsx"), stdout=StringIO())


def test_command_without_any_contract(db):
    with pytest.raises(CommandError, match="Der er endnu ingen resultatkontrakt") as fejl:
        call_command("rapport", stdout=StringIO())
    assert fejl.value.returncode == 2


# Every indicator, field by field: (maalvaerdi, faktisk, forventet, opfyldelse, status).
# Population share of the five landkommuner: 227,172 / 849,857 = 26.7306 %.
HELAAR_EFTER_AARET = {
    # Lolland ApS (founded 2024) with K2, HP2, VP1: 1; 1 / 171 = 0.0058
    "M1.ivaerksaettere": (171, 1, None, 0.006, "ikke_opfyldt"),
    "M2.kendskabsgrad": (50, 48, None, 0.96, "ikke_opfyldt"),
    # the final figure dated 10 January 2026 counts for the finished year; 57 / 55 = 1.0364
    "M2.kendskab_tilbud": (55, 57, None, 1.036, "opfyldt"),
    # December's 68 replaces May's 72; 68 / 70 = 0.9714
    "M3.nps": (70, 68, None, 0.971, "ikke_opfyldt"),
    "M4.henvisninger_anvendt": (50, None, None, None, "afventer"),
    "M5.omsaetning_vaekst": (10, None, None, None, "afventer"),
    "M5.beskaeftigelse_vaekst": (5, None, None, None, "afventer"),
    "M5.produktivitet_drift": (0, None, None, None, "afventer"),
    "M6.baeredygtighed": (70, None, None, None, "afventer"),
    # K1–K4 (K5 igangværende): 4 / 880 = 0.0045
    "M7.korte": (880, 4, None, 0.005, "ikke_opfyldt"),
    "M7.handlingsplaner": (485, 3, None, 0.006, "ikke_opfyldt"),  # HP1–HP3
    "M7.vaekstplaner": (315, 2, None, 0.006, "ikke_opfyldt"),  # VP1, OP1
    "M7.laengere": (800, 5, None, 0.006, "ikke_opfyldt"),  # 5 / 800 = 0.00625
    "M7.i_alt": (1680, 9, None, 0.005, "ikke_opfyldt"),  # 9 / 1680 = 0.0054
    # Slagelse (by), Lolland (land); Kbh is outside the region: |50 − 26.7306| = 23.27
    "M8.by_land": (10, 23.3, None, 23.3, "ikke_opfyldt"),
    "M9.ai_tjek": (40, 2, None, 0.05, "ikke_opfyldt"),
    # Greve, Køge (F1) and Roskilde (F2) of 17: 3 / 17 = 0.1765
    "M10.lokale_operatoerer": (17, 3, None, 0.176, "ikke_opfyldt"),
    # HP1 (statslig), HP3 (privat) of HP1–HP3: 66.667 %; 66.667 / 70 = 0.9524
    "M10.henvist_handlingsplan": (70, 66.7, None, 0.952, "ikke_opfyldt"),
    # VP1 (statslig) of VP1, OP1: 50 %; 50 / 80 = 0.625
    "M10.henvist_vaekstplan": (80, 50, None, 0.625, "ikke_opfyldt"),
    # a milepæl in the finished year: its final assessment, else afventer
    "M11.rekrutteringsydelse": (None, None, None, None, "afventer"),
    "M11.attraktive_arbejdspladser": (20, 1, None, 0.05, "ikke_opfyldt"),
    "M11.smv_vaekstpilot": (45, 1, None, 0.022, "ikke_opfyldt"),
    "M12.hovedstaden": (20, 1, None, 0.05, "ikke_opfyldt"),  # Kbh ApS (K4, HP3)
    "M12.sjaelland_via_ehh": (20, None, None, None, "afventer"),
    "M13.samarbejde_ruc_kkr": (None, None, None, None, "ikke_opfyldt"),  # final, 12 Jan 2026
    "M13.klyngearrangementer": (None, 1, None, None, "uden_maaltal"),
    "M13.klyngesamarbejder": (3, 3, None, 1, "opfyldt"),  # BLOXHUB, CLEAN, MADE
    # 41,250,000 / 15,300,000 = 2.69608; 2.69608 / 2.5 = 1.0784
    "M14.gearing": (2.5, 2.7, None, 1.078, "opfyldt"),
    "M14.geografisk_forankring": (None, None, None, None, "afventer"),
    "M15.femern": (None, None, None, None, "opfyldt"),  # final, 10 Jan 2026
    "M15.biosolutions": (None, None, None, None, "afventer"),  # opfyldt in May, no final yet
}
# Status pr. 31 May 2025 seen on 10 June: 151 days, forventet = target × 151 / 365.
PR_31_MAJ = {
    # Lolland ApS with K2 (ends 31 May) and VP1; 171 × 151 / 365 = 70.74
    "M1.ivaerksaettere": (171, 1, 70.7, 0.006, "bagud"),
    "M2.kendskabsgrad": (50, None, None, None, "afventer"),  # entered with 1 June's date
    "M2.kendskab_tilbud": (55, None, None, None, "afventer"),
    "M3.nps": (70, 72, None, 1.029, "paa_sporet"),  # 15 May; 72 / 70 = 1.0286
    "M4.henvisninger_anvendt": (50, None, None, None, "afventer"),
    "M5.omsaetning_vaekst": (10, None, None, None, "afventer"),
    "M5.beskaeftigelse_vaekst": (5, None, None, None, "afventer"),
    "M5.produktivitet_drift": (0, None, None, None, "afventer"),
    "M6.baeredygtighed": (70, None, None, None, "afventer"),
    "M7.korte": (880, 2, 364.1, 0.002, "bagud"),  # K1, K2; 364.05
    "M7.handlingsplaner": (485, 1, 200.6, 0.002, "bagud"),  # HP1; 200.64
    "M7.vaekstplaner": (315, 1, 130.3, 0.003, "bagud"),  # VP1; 130.32
    "M7.laengere": (800, 2, 331, 0.003, "bagud"),  # HP1, VP1; 330.96; 2 / 800 = 0.0025
    "M7.i_alt": (1680, 4, 695, 0.002, "bagud"),  # 695.01
    "M8.by_land": (10, 23.3, None, 23.3, "bagud"),  # Slagelse and Lolland: 50 % land
    "M9.ai_tjek": (40, 1, 16.5, 0.025, "bagud"),  # 16.55
    "M10.lokale_operatoerer": (17, 2, 7.0, 0.118, "bagud"),  # Greve, Køge; 7.03
    "M10.henvist_handlingsplan": (70, 100, None, 1.429, "paa_sporet"),  # HP1 alone
    "M10.henvist_vaekstplan": (80, 100, None, 1.25, "paa_sporet"),  # VP1 alone
    "M11.rekrutteringsydelse": (None, None, None, None, "ikke_startet"),
    "M11.attraktive_arbejdspladser": (20, 1, 8.3, 0.05, "bagud"),  # 8.27
    "M11.smv_vaekstpilot": (45, 0, 18.6, 0, "bagud"),  # granted in August
    "M12.hovedstaden": (20, 0, 8.3, 0, "bagud"),  # Kbh's forløb end later
    "M12.sjaelland_via_ehh": (20, None, None, None, "afventer"),
    "M13.samarbejde_ruc_kkr": (None, None, None, None, "ikke_startet"),
    "M13.klyngearrangementer": (None, 1, None, None, "uden_maaltal"),  # KA1, 1 May
    # BLOXHUB; 3 × 151 / 365 = 1.241, 90 % of it 1.117 > 1: bagud
    "M13.klyngesamarbejder": (3, 1, 1.2, 0.333, "bagud"),
    "M14.gearing": (2.5, None, None, None, "afventer"),  # entered in October
    "M14.geografisk_forankring": (None, None, None, None, "ikke_startet"),
    "M15.femern": (None, None, None, None, "i_gang"),
    "M15.biosolutions": (None, None, None, None, "opfyldt"),  # set on 31 May itself
}


@pytest.mark.parametrize(("periode", "idag", "forventet", "ekstra"), [
    (Periode.helaar(2025), date(2026, 1, 15), HELAAR_EFTER_AARET, (50, 26.7)),
    (Periode.pr_dato(date(2025, 5, 31)), date(2025, 6, 10), PR_31_MAJ, (50, 26.7)),
], ids=["helaar", "pr-dato"])
def test_every_indicator_field_by_field(datasaet, periode, idag, forventet, ekstra):
    p = poster(dokument(datasaet, periode, idag))
    assert set(p) == set(forventet) == set(NOEGLER_I_ORDEN)
    for noegle, (maalvaerdi, faktisk, forv, opfyldelse, status) in forventet.items():
        assert udvalg(p[noegle]) == post(maalvaerdi, faktisk, forv, opfyldelse, status), noegle
        assert p[noegle]["maal_nr"] == int(noegle[1:].split(".")[0])
    assert (p["M8.by_land"]["andel_land"], p["M8.by_land"]["befolkningsandel_land"]) == ekstra
