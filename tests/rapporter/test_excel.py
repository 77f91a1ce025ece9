"""The report workbook: the overview holds exactly the JSON report's figures with the status
page's tally and national/local sections, each goal sheet its breakdowns, curves and charts (each
beside its table, the kommune chart below its), the period's records import again, and text never
runs as a formula."""

import io
import math
import zipfile
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import RequestFactory
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from forloeb import services
from forloeb.importer import importer
from forloeb.models import Aktoer
from maal.models import Indikator
from maal.services import maaling_create, milepael_status_create
from rapporter.beregning import Periode
from rapporter.blad import TEGN_CM
from rapporter.excel import rapport_arbejdsbog
from rapporter.resultater import rapport_for
from rapporter.views import rapport_xlsx
from tests import factories as f
from tests.factories import erhvervshus as sjaelland_hus

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
        ("HP3", "handlingsplan", roskilde, date(2025, 5, 1), date(2025, 7, 10), None),
        ("K4", "kort", roskilde, date(2025, 6, 20), None, None),
    ]:
        f.forloeb(ekstern_id=eid, type=type_, virksomhed_=v, startdato=start, slutdato=slut,
                  henvist_til=[henvist] if henvist else ())
    services.ai_tjek_create(erhvervshus=sjaelland_hus(),
                            virksomhed=slagelse, dato=date(2025, 2, 1), ekstern_id="AI-1")
    services.aktivitet_create(erhvervshus=sjaelland_hus(),
        type="faelles_aktivitet", dato=date(2025, 3, 1), titel="Fælles morgenmøde",
        partnere=[Aktoer.objects.get(navn="Lokal erhvervsservice Greve")], ekstern_id="A-1",
    )
    services.samarbejdsaftale_create(erhvervshus=sjaelland_hus(),
                                     aktoer=Aktoer.objects.get(navn="BLOXHUB"),
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


def oversigt(ws) -> list[tuple[int, dict]]:
    """The overview's indicator rows, national then local, with their row numbers."""
    raekker = []
    for start, ud in tabeller(ws, "Mål"):
        raekker += list(enumerate(ud, start + 1))
    return raekker


def tabeller(ws, foerste_overskrift: str) -> list[tuple[int, list[dict]]]:
    """Every table whose header begins with ``foerste_overskrift``."""
    raekker = list(ws.iter_rows(values_only=True))
    ud = []
    for i, r in enumerate(raekker):
        if r[0] == foerste_overskrift:
            overskrift = [o for o in r if o is not None]
            data = []
            for d in raekker[i + 1:]:
                if d[0] is None:
                    break
                data.append(dict(zip(overskrift, d, strict=False)))
            ud.append((i + 1, data))
    return ud


def test_the_overview_holds_the_json_reports_figures(rapport, bog):
    json_poster = {p["noegle"]: p for p in rapport.som_json()["indikatorer"]}
    raekker = [r for _, r in oversigt(bog["Oversigt"])]

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
    farver = {}
    for nr, r in oversigt(ws):
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


def test_overview_has_national_and_local_sections_each_a_filtered_table(bog):
    ws = bog["Oversigt"]
    (n_start, nationale), (l_start, lokale) = tabeller(ws, "Mål")
    assert ws.cell(row=n_start - 1, column=1).value == "Nationale mål"
    assert ws.cell(row=l_start - 1, column=1).value == "Lokale mål"
    assert sorted({r["Mål"] for r in nationale}) == [1, 2, 3, 4, 5, 6]
    assert sorted({r["Mål"] for r in lokale}) == list(range(7, 16))
    assert dict(ws.tables.items()) == {
        "Nationale_maal": f"A{n_start}:M{n_start + len(nationale)}",
        "Lokale_maal": f"A{l_start}:M{l_start + len(lokale)}",
    }
    tabel_ = ws.tables["Lokale_maal"]
    assert tabel_.autoFilter.ref == tabel_.ref
    assert [k.name for k in tabel_.tableColumns] == [c.value for c in ws[l_start]]


def test_overview_shows_the_status_pages_tally(rapport, bog):
    linjer = {r[0]: r[1] for r in bog["Oversigt"].iter_rows(max_row=9, values_only=True)
              if r[0] in ("Indikatorer", "Milepæle")}
    # During the year the first four are shown even at 0; milestones are counted apart.
    assert linjer == {
        "Indikatorer": "2 På sporet · 0 Tæt på · 13 Bagud · 10 Afventer · 1 Uden måltal",
        "Milepæle": "1 I gang · 4 Ikke startet",
    }
    ikke_milepaele = [r for r in rapport.resultater if r.art != "milepael"]
    assert sum(int(del_.split()[0]) for del_ in linjer["Indikatorer"].split(" · ")) == len(
        ikke_milepaele
    )


def test_overview_is_fitted_and_in_danish_number_formats(bog):
    ws = bog["Oversigt"]
    assert ws.column_dimensions["D"].width >= 40  # indicator titles
    raekker = oversigt(ws)
    formater = {r["Nøgle"]: ws.cell(row=nr, column=8).number_format for nr, r in raekker}
    assert formater["M7.korte"] == "#,##0"
    assert formater["M2.kendskabsgrad"] == '0.0" %"'
    assert formater["M8.by_land"] == '0.0" procentpoint"'
    assert formater["M5.omsaetning_vaekst"] == '0.0" procentpoint"'
    opfyldelse = {r["Nøgle"]: ws.cell(row=nr, column=10).number_format for nr, r in raekker}
    assert opfyldelse["M7.korte"] == "0.0%"
    assert opfyldelse["M8.by_land"] == '0.0" procentpoint"'


def test_milestones_have_no_unit_or_direction(bog):
    raekker = {r["Nøgle"]: r for _, r in oversigt(bog["Oversigt"])}
    for noegle in ("M11.rekrutteringsydelse", "M15.femern", "M15.biosolutions"):
        assert (raekker[noegle]["Enhed"], raekker[noegle]["Retning"]) == ("–", "–")
    assert (raekker["M7.korte"]["Enhed"], raekker["M7.korte"]["Retning"]) == ("antal", "≥")
    assert raekker["M8.by_land"]["Enhed"] == "procentpoint"
    _, femern = tabel(bog["Mål 15"], "Nøgle")
    assert (femern[0]["Enhed"], femern[0]["Retning"]) == ("–", "–")


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
    assert [(d["Indikator"], d["Faktisk"], d["Måltal"]) for d in data] == [
        ("M7.korte", 3, 880), ("M7.handlingsplaner", 2, 485), ("M7.vaekstplaner", 0, 315),
        ("M7.laengere", 2, 800), ("M7.i_alt", 5, 1680),
    ]
    soejler, *kurver = ws._charts
    assert soejler.tagname == "barChart" and len(soejler.series) == 3
    # One curve per count, beside its table.
    assert [k.tagname for k in kurver] == ["lineChart"] * 5


def kurver(ws) -> dict[str, list[dict]]:
    """The table(s) of several counts month by month: each count's rows by its key (the heading
    over its columns), each a dict of the date and the count's columns."""
    raekker = list(ws.iter_rows())
    ud = {}
    for i, raekke in enumerate(raekker):
        if raekke[0].value != "Dato" or i == 0 or raekker[i - 1][1].value is None:
            continue
        noegler, noegle = [], None
        for c in raekker[i - 1]:
            noegle = c.value if c.value is not None else noegle  # merged: the first cell's
            noegler.append(noegle)
        for d in raekker[i + 1:]:
            if d[0].value is None:
                break
            for k, (c, overskrift) in enumerate(zip(d[1:], raekke[1:], strict=False), 1):
                if overskrift.value is None:
                    continue
                punkter = ud.setdefault(noegler[k], {})
                punkter.setdefault(d[0].value, {"Dato": d[0].value})[overskrift.value] = c.value
    return {noegle: list(punkter.values()) for noegle, punkter in ud.items()}


def test_several_counts_show_their_development_month_by_month_in_one_table(rapport, bog):
    ws = bog["Mål 7"]
    korte = next(r for r in rapport.resultater if r.noegle == "M7.korte")
    tabeller = kurver(ws)
    assert list(tabeller) == ["M7.korte", "M7.handlingsplaner", "M7.vaekstplaner",
                              "M7.laengere", "M7.i_alt"]
    # K1 ends 20 January, K2 31 May, K3 30 June; pro rata 880 × days / 365 at each month end.
    assert [(p["Dato"].date(), p["Faktisk"], p["Fordelt"], p["Fremskrevet"])
            for p in tabeller["M7.korte"]] == [
        (date(2025, 1, 31), 1, 74.7, None),
        (date(2025, 2, 28), 1, 142.2, None),
        (date(2025, 3, 31), 1, 217, None),
        (date(2025, 4, 30), 1, 289.3, None),
        (date(2025, 5, 31), 2, 364.1, None),
        (date(2025, 6, 30), 3, 436.4, 3),
        # 3 in 181 days carried on to 365: 6.05, shown whole as on the goal page.
        (date(2025, 12, 31), None, 880, 6),
    ]
    # The curve ends on the report's own figures.
    juni = tabeller["M7.korte"][5]
    assert (juni["Faktisk"], juni["Fordelt"]) == (korte.faktisk, korte.forventet)
    assert [p["Faktisk"] for p in tabeller["M7.handlingsplaner"]] == [0, 0, 0, 1, 1, 2, None]
    # The short column names are explained above the table.
    noter = [r[0] for r in ws.iter_rows(values_only=True)]
    assert "Faktisk: antallet kumuleret · Fordelt: måltallet fordelt jævnt over året · " \
           "Fremskrevet: i nuværende tempo til 31. december" in noter
    fremskrevet = next(r for r in ws.iter_rows(values_only=True)
                       if r[0] == "Fremskrevet til 31. december")
    assert fremskrevet[:3] == ("Fremskrevet til 31. december", 6, "i nuværende tempo")
    # A curve per count, below the tables, its legend the goal page's.
    start = next(r[0].row for r in ws.iter_rows() if r[0].value == "Dato")
    kurve = next(d for d in ws._charts if d.title.tx.rich.p[0].r[0].t.startswith("M7.korte"))
    assert kurve.tagname == "lineChart" and kurve.anchor._from.row + 1 > start + 7
    assert [s.tx.v for s in kurve.series] == [
        "Faktisk (kumuleret)", "Måltal fordelt jævnt over året", "Fremskrevet"]
    assert ws.cell(row=start + 1, column=1).number_format == "dd-mm-yyyy"


def test_a_single_count_shows_its_development_beside_its_curve(rapport, bog):
    ws = bog["Mål 9"]
    start, punkter = tabel(ws, "Dato")
    assert [(p["Dato"].date(), p["Faktisk (kumuleret)"]) for p in punkter][:2] == [
        (date(2025, 1, 31), 0), (date(2025, 2, 28), 1)]
    assert {"Måltal fordelt jævnt over året", "Fremskrevet"} <= set(punkter[0])
    kurve = next(d for d in ws._charts if d.anchor._from.row + 1 == start)
    assert kurve.tagname == "lineChart"
    assert kurve.anchor._from.col == 5  # column F: after the table's four and an empty one
    assert [s.tx.v for s in kurve.series] == [
        "Faktisk (kumuleret)", "Måltal fordelt jævnt over året", "Fremskrevet"]


def test_no_projection_once_the_year_is_over(datasaet):
    with time_machine.travel(datetime(2026, 1, 10, 9, 0, tzinfo=KBH), tick=False):
        rapport = rapport_for(datasaet, Periode.helaar(2025), idag=date(2026, 1, 10),
                              beregnet=datetime(2026, 1, 10, 9, 0, tzinfo=KBH))
        wb = load_workbook(io.BytesIO(rapport_arbejdsbog(rapport)))
    ws = wb["Mål 7"]
    punkter = kurver(ws)["M7.korte"]
    assert len(punkter) == 12 and punkter[-1]["Dato"].date() == date(2025, 12, 31)
    assert "Fremskrevet" not in punkter[0]
    assert all(r[0] != "Fremskrevet til 31. december" for r in ws.iter_rows(values_only=True))
    linjer = {r[0]: r[1] for r in wb["Oversigt"].iter_rows(max_row=9, values_only=True)}
    # A finished year: each indicator met or not, as on the status page.
    assert linjer["Indikatorer"] == "2 Opfyldt · 13 Ikke opfyldt · 10 Afventer · 1 Uden måltal"


def test_every_chart_stands_beside_its_table_but_the_kommune_chart_and_several_curves_below(bog):
    """Beside its table a chart takes the width the goal sheet has anyway (its indicator table
    is ten columns wide), not rows, so that a goal prints on at most two pages. The kommune
    chart's seventeen bars need the width: it stands below its table, from column A; so do
    several counts' curves, side by side below their table."""
    diagrammer = 0
    for ws in bog.worksheets:
        raekker = {r[0].row: r for r in ws.iter_rows()}
        for diagram in ws._charts:
            diagrammer += 1
            anker = diagram.anchor._from
            foerste = anker.row + 1
            hoejde = math.ceil(diagram.anchor.ext.height / 360_000 / (15 / 72 * 2.54))
            daekket = [raekker[r] for r in range(foerste, foerste + hoejde) if r in raekker]
            titel = diagram.title.tx.rich.p[0].r[0].t
            if titel.endswith("pr. kommune") or (ws.title in {"Mål 7", "Mål 11", "Mål 13"}
                                                  and titel.endswith("ved hver måneds slut")):
                assert titel.endswith("ved hver måneds slut") or ws.title == "Mål 8"
                # Below the table's last row after an empty one, nothing written beside it.
                over = next(r for r in range(foerste - 1, 0, -1) if r in raekker
                            and any(c.value is not None for c in raekker[r]))
                assert all(c.value is None for r in daekket for c in r), (ws.title, titel)
                assert raekker[over][0].value is not None, (ws.title, titel)
                continue
            # From the table's header (or its caption above), after one empty column; nothing
            # written where the chart stands.
            assert all(c.value is None for r in daekket for c in r[anker.col - 1:]), ws.title
            overskrift = next(r for r in daekket if r[anker.col - 2].value is not None)
            assert overskrift[0].font.b, (ws.title, foerste)  # the table's header, in bold
    assert diagrammer >= 15
    # Goal 7's five curves: three to a row, the row's charts side by side, none overlapping.
    kurver = [d for d in bog["Mål 7"]._charts if d.tagname == "lineChart"]
    raekke = [d for d in kurver if d.anchor._from.row == kurver[0].anchor._from.row]
    assert len(kurver) == 5 and len(raekke) == 3
    bredder = [bog["Mål 7"].column_dimensions[get_column_letter(k)].width or 8.43
               for k in range(1, 30)]

    def venstre(d):
        return sum(bredder[:d.anchor._from.col]) * TEGN_CM + d.anchor._from.colOff / 360_000

    kanter = [(venstre(d), venstre(d) + d.anchor.ext.width / 360_000) for d in raekke]
    assert kanter[0][0] == 0
    assert all(a[1] < b[0] for a, b in zip(kanter, kanter[1:], strict=False))


def test_chart_data_keeps_column_a_narrow(bog):
    assert bog["Mål 7"].column_dimensions["A"].width <= 32
    assert bog["Mål 1"].column_dimensions["A"].width <= 32


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


def test_a_lighthouse_milestone_lists_the_records_tagged_with_it(datasaet):
    from forloeb.models import Forloeb

    Forloeb.objects.filter(ekstern_id__in=["K1", "K4"]).update(fyrtaarn="femern")
    services.aktivitet_create(erhvervshus=sjaelland_hus(),
                              type="event", dato=date(2025, 4, 2), titel="Femern-dag",
                              fyrtaarn="femern", ekstern_id="A-F")
    services.aktivitet_create(erhvervshus=sjaelland_hus(),
                              type="event", dato=date(2025, 4, 3), titel="Biodag",
                              fyrtaarn="biosolutions", ekstern_id="A-B")
    rapport = rapport_for(datasaet, Periode.h1(2025), idag=IDAG, beregnet=BEREGNET)
    ws = load_workbook(io.BytesIO(rapport_arbejdsbog(rapport)))["Mål 15"]
    tekster = [r[0] for r in ws.iter_rows(values_only=True)]
    assert "Dokumentation: poster mærket Femern" in tekster
    assert "Dokumentation: poster mærket Biosolutions" in tekster
    (_, femern_forloeb), = tabeller(ws, "Forløb")
    assert sorted((f["Forløb"], f["Slutdato"] if isinstance(f["Slutdato"], str)
                   else f["Slutdato"].date()) for f in femern_forloeb) == [
        ("K1", date(2025, 1, 20)), ("K4", "igangværende"),
    ]
    aktiviteter = [a for _, rows in tabeller(ws, "Dato") for a in rows if "Aktivitet" in a]
    assert [(a["Aktivitet"], a["Type"], a["Ekstern id"]) for a in aktiviteter] == [
        ("Femern-dag", "Event", "A-F"), ("Biodag", "Event", "A-B"),
    ]


def test_the_records_are_the_periods(bog):
    forloeb = [r[0] for r in bog["Forloeb"].iter_rows(min_row=2, values_only=True)]
    # HP3 ends in July: not in H1. K4 is igangværende: shown, as on the pages.
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


@pytest.mark.parametrize("format_", ["xlsx", "json"])
def test_the_rapport_command_names_a_missing_folder_in_danish(datasaet, tmp_path, format_):
    from django.core.management import CommandError

    mappe = tmp_path / "findes-ikke"
    with pytest.raises(CommandError) as fejl:
        call_command("rapport", "--aar", "2025", "--format", format_,
                     "-o", str(mappe / f"h1.{format_}"), stderr=io.StringIO())
    assert str(fejl.value) == f"Mappen {mappe} findes ikke."
    assert fejl.value.returncode == 2
    assert not mappe.exists()


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


def test_every_cell_is_in_the_workbooks_own_font(bog):
    """Headings and headers too: a font without a name prints in the program's fallback (a
    serif in LibreOffice), wider than the columns are fitted to."""
    for ws in bog.worksheets:
        navne = {c.font.name for raekke in ws.iter_rows() for c in raekke if c.value is not None}
        assert navne == {"Calibri"}, (ws.title, navne)
