"""The report workbook: the overview holds exactly the JSON report's figures, each goal sheet its
breakdowns and chart, the period's records import again, and text never runs as a formula."""

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import RequestFactory
from openpyxl import load_workbook

from forloeb import services
from forloeb.importer import importer
from forloeb.models import Aktoer
from maal.models import Indikator
from maal.services import maaling_create, milepael_status_create
from rapporter.beregning import Periode
from rapporter.excel import rapport_arbejdsbog
from rapporter.resultater import rapport_for
from rapporter.views_excel import rapport_xlsx
from tests import factories as f

KBH = ZoneInfo("Europe/Copenhagen")
IDAG = date(2025, 7, 15)
BEREGNET = datetime(2025, 7, 15, 12, 30, tzinfo=KBH)
HYPERLINK = '=HYPERLINK("http://ondt.example","Klik her")'
pytestmark = pytest.mark.usefixtures("frossen_tid")


@pytest.fixture
def frossen_tid():
    with time_machine.travel(BEREGNET, tick=False):
        yield


@pytest.fixture
def datasaet(kontrakt_2025):
    """Small enough to count by hand: in H1 2025 three korte and two handlingsplaner are
    gennemført, in three companies (one in a landkommune); one forløb ends in H2, one is
    igangværende."""
    slagelse = f.virksomhed(navn=HYPERLINK, kommune="330")
    lolland = f.virksomhed(navn="+45 Consult", kommune="360", stiftelsesdato=date(2024, 1, 1))
    roskilde = f.virksomhed(navn="Roskilde Rør ApS", kommune="265")
    for eid, type_, v, start, slut, henvist in [
        ("K1", "kort", slagelse, date(2025, 1, 5), date(2025, 1, 20), None),
        ("K2", "kort", lolland, date(2025, 3, 1), date(2025, 5, 31), None),
        ("K3", "kort", roskilde, date(2025, 6, 1), date(2025, 6, 30), None),
        ("HP1", "handlingsplan", slagelse, date(2025, 1, 10), date(2025, 4, 15),
         "Innovationsfonden"),
        ("HP2", "handlingsplan", lolland, date(2025, 2, 1), date(2025, 6, 15), None),
        ("HP3", "handlingsplan", roskilde, date(2025, 5, 1), date(2025, 8, 1), None),
        ("K4", "kort", roskilde, date(2025, 6, 20), None, None),
    ]:
        f.forloeb(ekstern_id=eid, type=type_, virksomhed_=v, startdato=start, slutdato=slut,
                  henvist_til=[henvist] if henvist else ())
    services.ai_tjek_create(virksomhed=slagelse, dato=date(2025, 2, 1), ekstern_id="AI-1")
    services.aktivitet_create(
        type="faelles_aktivitet", dato=date(2025, 3, 1), titel="Fælles morgenmøde",
        partnere=[Aktoer.objects.get(navn="Lokal erhvervsservice Greve")], ekstern_id="A-1",
    )
    services.samarbejdsaftale_create(aktoer=Aktoer.objects.get(navn="BLOXHUB"),
                                     dato=date(2025, 3, 1))
    maaling_create(erhvervshus=kontrakt_2025.erhvervshus, noegle="M3.nps", aar=2025,
                   vaerdi=Decimal("72"), dato=date(2025, 5, 15),
                   kilde="ERST, brugerevaluering (foreløbig)")
    milepael_status_create(
        indikator=Indikator.objects.get(maal__kontrakt=kontrakt_2025, noegle="M15.femern"),
        status="i_gang", dato=date(2025, 2, 1), fortaelling="Møde med Femern Bælt-sekretariatet.",
    )
    return kontrakt_2025


@pytest.fixture
def rapport(datasaet):
    return rapport_for(datasaet, Periode.h1(2025), idag=IDAG, beregnet=BEREGNET)


@pytest.fixture
def bog(rapport):
    return load_workbook(io.BytesIO(rapport_arbejdsbog(rapport)))


def tabel(ws, foerste_overskrift: str) -> tuple[int, list[dict]]:
    """The table whose header begins with ``foerste_overskrift``: its header row and rows."""
    raekker = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(raekker) if r[0] == foerste_overskrift)
    overskrift = [o for o in raekker[start] if o is not None]
    ud = []
    for r in raekker[start + 1:]:
        if r[0] is None:
            break
        ud.append(dict(zip(overskrift, r, strict=False)))
    return start + 1, ud


def test_the_overview_holds_the_json_reports_figures(rapport, bog):
    json_poster = {p["noegle"]: p for p in rapport.som_json()["indikatorer"]}
    _, raekker = tabel(bog["Oversigt"], "Mål")

    assert [r["Nøgle"] for r in raekker] == list(json_poster)
    for r in raekker:
        p = json_poster[r["Nøgle"]]
        assert (r["Mål"], r["Måltal"], r["Faktisk"], r["Forventet"], r["Opfyldelse"],
                r["Statuskode"]) == (p["maal_nr"], p["maalvaerdi"], p["faktisk"],
                                     p["forventet"], p["opfyldelse"], p["status"]), r["Nøgle"]
    korte = next(r for r in raekker if r["Nøgle"] == "M7.korte")
    # 3 korte gennemført in H1; expected 880 × 181 / 365 = 436.4; 3 / 880 = 0.003.
    assert (korte["Faktisk"], korte["Forventet"], korte["Opfyldelse"]) == (3, 436.4, 0.003)
    assert korte["Status"] == "▼ Bagud"
    nps = next(r for r in raekker if r["Nøgle"] == "M3.nps")
    assert (nps["Faktisk"], nps["Status"]) == (72, "▲ På sporet")


def test_status_cells_carry_the_status_pages_colour_and_word(bog):
    ws = bog["Oversigt"]
    start, raekker = tabel(ws, "Mål")
    farver = {}
    for nr, r in enumerate(raekker, start + 1):
        celle = ws.cell(row=nr, column=11)
        farver[r["Statuskode"]] = (celle.value, celle.fill.fgColor.rgb[-6:])
    assert farver["paa_sporet"] == ("▲ På sporet", "E3F3E6")
    assert farver["bagud"] == ("▼ Bagud", "FBE4E2")
    assert farver["afventer"] == ("… Afventer", "ECEFF2")
    assert farver["i_gang"] == ("◐ I gang", "FFF4D6")


def test_title_block_names_contract_period_computation_time_and_approval(bog):
    linjer = [r for r in bog["Oversigt"].iter_rows(max_row=5, values_only=True)]
    assert linjer[0][0] == "Resultatkontrakt 2025: Erhvervshus Sjælland og KKR Sjælland"
    assert linjer[1][:2] == ("Periode", "1. halvår 2025 (01-01-2025 – 30-06-2025)")
    assert linjer[2][:2] == ("Beregnet", "15-07-2025 12:30")
    assert linjer[3][:2] == ("Godkendelse", "Ikke godkendt")


def test_overview_is_frozen_filtered_fitted_and_in_danish_number_formats(bog):
    ws = bog["Oversigt"]
    start, raekker = tabel(ws, "Mål")
    assert ws.freeze_panes == f"A{start + 1}"
    assert ws.auto_filter.ref == f"A{start}:L{start + len(raekker)}"
    assert ws.column_dimensions["D"].width >= 40  # indicator titles
    formater = {r["Nøgle"]: ws.cell(row=nr, column=8).number_format
                for nr, r in enumerate(raekker, start + 1)}
    assert formater["M7.korte"] == "#,##0"
    assert formater["M2.kendskabsgrad"] == '0.0" %"'
    assert formater["M8.by_land"] == '0.0" pp"'
    opfyldelse = {r["Nøgle"]: ws.cell(row=nr, column=10).number_format
                  for nr, r in enumerate(raekker, start + 1)}
    assert opfyldelse["M7.korte"] == "0.0%"
    assert opfyldelse["M8.by_land"] == '0.0" pp"'


def test_one_sheet_per_goal_then_the_records_in_the_import_layout(bog):
    assert bog.sheetnames == [
        "Oversigt", *[f"Mål {n}" for n in range(1, 16)], "Virksomheder", "Forloeb", "Aktoerer",
        "Henvisninger", "AI-tjek", "Aktiviteter", "Programmer", "Samarbejdsaftaler", "Maalinger",
    ]


def test_goal_8_shows_each_kommune_against_population_with_a_chart(rapport, bog):
    ws = bog["Mål 8"]
    m8 = next(r for r in rapport.resultater if r.noegle == "M8.by_land")
    _, noegletal = tabel(ws, "Nøgletal")
    assert [n["Værdi"] for n in noegletal] == [
        m8.detaljer["andel_land"], m8.detaljer["befolkningsandel_land"], m8.faktisk
    ]
    _, kommuner = tabel(ws, "Kommune")
    assert len(kommuner) == 17
    lolland = next(k for k in kommuner if k["Kommune"] == "Lolland")
    assert (lolland["By/land"], lolland["Vejledte virksomheder"]) == ("land", 1)
    assert sum(k["Vejledte virksomheder"] for k in kommuner) == 3
    assert len(ws._charts) == 1


def test_goal_7_charts_counts_against_expectation_and_target(bog):
    ws = bog["Mål 7"]
    _, data = tabel(ws, "Indikator")
    assert [(d["Faktisk"], d["Måltal"]) for d in data] == [
        (3, 880), (2, 485), (0, 315), (2, 800), (5, 1680)
    ]
    (diagram,) = ws._charts
    assert len(diagram.series) == 3


def test_goal_10_shows_referral_shares_by_aktoer_type(bog):
    ws = bog["Mål 10"]
    _, raekker = tabel(ws, "Aktørtype")
    ekstern = next(r for r in raekker if r["Tæller i målet"] == "ja")
    assert (ekstern["Forløb med henvisning"], ekstern["Forløb i alt"], ekstern["Andel"]) == (
        1, 2, 50
    )
    assert len(ws._charts) >= 2  # the dækning counts and the referral shares


def test_measured_values_are_shown_with_their_sources(bog):
    _, maalinger = _maalinger(bog["Mål 3"])
    assert maalinger == [{"Nøgle": "M3.nps", "Dato": datetime(2025, 5, 15), "Værdi": 72,
                          "Kilde": "ERST, brugerevaluering (foreløbig)", "Kommentar": None,
                          "Tæller med": "ja"}]


def _maalinger(ws):
    """The entered values' table (below the indicator table, which also begins with Nøgle)."""
    raekker = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(raekker) if r[:2] == ("Nøgle", "Dato"))
    overskrift = raekker[start][:6]
    return start, [dict(zip(overskrift, r[:6], strict=True)) for r in raekker[start + 1:]
                   if r[0] is not None]


def test_milestones_show_their_narrative(bog):
    _, raekker = tabel(bog["Mål 15"], "Dato")
    assert raekker[0]["Status"] == "I gang"
    assert raekker[0]["Beskrivelse"] == "Møde med Femern Bælt-sekretariatet."


def test_the_records_are_the_periods(bog):
    forloeb = [r[0] for r in bog["Forloeb"].iter_rows(min_row=2, values_only=True)]
    # HP3 ends in August: not in H1. K4 is igangværende: shown, as on the pages.
    assert sorted(forloeb) == ["HP1", "HP2", "K1", "K2", "K3", "K4"]
    assert [r[0] for r in bog["Henvisninger"].iter_rows(min_row=2, values_only=True)] == ["HP1"]
    assert [r[0] for r in bog["Maalinger"].iter_rows(min_row=2, values_only=True)] == ["M3.nps"]


def test_the_report_workbook_imports_again_without_changes(rapport, administrator):
    svar = importer(rapport_arbejdsbog(rapport), "rapport.xlsx", bruger=administrator)
    assert svar.ok and not svar.advarsler, svar.tekst()
    assert not svar.noget_at_gemme
    assert svar.opgoerelse("Forloeb").uaendrede == 6
    assert svar.oversprungne_ark == ["Oversigt", *[f"Mål {n}" for n in range(1, 16)]]


def test_formula_looking_company_names_are_text_never_formulas(rapport):
    indhold = rapport_arbejdsbog(rapport)
    zip_ = zipfile.ZipFile(io.BytesIO(indhold))
    for navn in zip_.namelist():
        if navn.startswith("xl/worksheets/sheet"):
            xml = zip_.read(navn).decode()
            assert "<f>" not in xml and "<f " not in xml, navn
    ws = load_workbook(io.BytesIO(indhold))["Virksomheder"]
    celler = {c.value: c for c in ws["B"][1:]}
    for navn in (HYPERLINK, "+45 Consult"):
        assert celler[navn].data_type == "s" and celler[navn].quotePrefix is True


def test_the_rapport_command_writes_the_workbook(datasaet, tmp_path):
    fil = tmp_path / "h1.xlsx"
    call_command("rapport", "--aar", "2025", "--periode", "H1", "--format", "xlsx",
                 "-o", str(fil))
    assert load_workbook(fil).sheetnames[0] == "Oversigt"


def hent(bruger, **query):
    request = RequestFactory().get("/status/excel/", query)
    request.user = bruger
    return rapport_xlsx(request)


def test_the_download_view_gives_the_workbook_for_the_chosen_period(datasaet, kkr_laeser):
    svar = hent(kkr_laeser, aar="2025", periode="H1")
    assert svar.status_code == 200
    assert svar["Content-Disposition"] == 'attachment; filename="resultatkontrakt-2025-H1.xlsx"'
    wb = load_workbook(io.BytesIO(svar.content))
    assert wb["Oversigt"]["B2"].value.startswith("1. halvår 2025")


def test_the_download_view_requires_status_permission(datasaet, udenforstaaende):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        hent(udenforstaaende, aar="2025", periode="H1")


def test_the_download_view_refuses_an_unknown_period(datasaet, kkr_laeser):
    svar = hent(kkr_laeser, aar="2025", periode="H3")
    assert svar.status_code == 400
    assert "Ukendt periode" in svar.content.decode()
