"""The report workbook prints: every sheet A4 landscape, one page wide, its header rows repeated
on every page, house, period and page number in the header and footer, long texts wrapped in rows
tall enough for them, no chart cut by a page break, and each goal sheet on at most two pages at a
size still read (by the sheet's own page computation, which LibreOffice's PDF matched for the demo
data). (The PDF itself is checked by hand with LibreOffice; see the README's Reports section.)"""

import io
import math
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from rapporter import blad
from rapporter.beregning import Periode
from rapporter.blad import (
    A4_LANDSKAB_CM,
    MARGENER,
    MINDSTE_SKALA,
    RAEKKE_CM,
    TEGN_CM,
    udskrift,
)
from rapporter.excel import rapport_arbejdsbog
from rapporter.resultater import rapport_for
from tests import factories as f

KBH = ZoneInfo("Europe/Copenhagen")
BEREGNET = datetime(2025, 7, 15, 12, 30, tzinfo=KBH)
POSTARK = ["Virksomheder", "Forloeb", "Aktoerer", "Henvisninger", "AI-tjek", "Aktiviteter",
           "Programmer", "Samarbejdsaftaler", "Maalinger"]


@pytest.fixture
def bog(kontrakt_2025):
    with time_machine.travel(BEREGNET, tick=False):
        rapport = rapport_for(kontrakt_2025, Periode.h1(2025), idag=date(2025, 7, 15),
                              beregnet=BEREGNET)
        return load_workbook(io.BytesIO(rapport_arbejdsbog(rapport)))


def rader(ws) -> str:
    """The rows repeated on every page, as "1:1"."""
    return ws.print_title_rows.replace("$", "")


EMU_PR_CM = 360_000


def diagram_cm(diagram) -> tuple[float, float]:
    """A chart's width and height as written (openpyxl reads them back as its defaults)."""
    return diagram.anchor.ext.width / EMU_PR_CM, diagram.anchor.ext.height / EMU_PR_CM


def bredde_cm(ws) -> float:
    """How wide a sheet prints at full size: its columns, or a chart's right edge."""
    bredder = [ws.column_dimensions[get_column_letter(k)].width or 8.43
               for k in range(1, ws.max_column + 1)]
    kanter = [sum(bredder[:d.anchor._from.col]) * TEGN_CM + d.anchor._from.colOff / EMU_PR_CM
              + diagram_cm(d)[0] for d in ws._charts]
    return max([sum(bredder) * TEGN_CM, *kanter])


def test_every_sheet_prints_a4_landscape_one_page_wide(bog):
    assert len(bog.worksheets) == 1 + 15 + len(POSTARK)
    side_cm = A4_LANDSKAB_CM[0] - (MARGENER.left + MARGENER.right) * 2.54
    for ws in bog.worksheets:
        opsaet = ws.page_setup
        assert (opsaet.orientation, opsaet.paperSize) == ("landscape", 9), ws.title  # 9: A4
        if ws.sheet_properties.pageSetUpPr.fitToPage:
            # One page wide, as many tall as it takes.
            assert (opsaet.fitToWidth, opsaet.fitToHeight) == (1, 0), ws.title
        else:
            # A goal sheet made smaller to take two pages: a fixed size still read, at which it
            # is still one page wide.
            assert ws.title.startswith("Mål ") and opsaet.scale >= MINDSTE_SKALA, ws.title
            assert bredde_cm(ws) * opsaet.scale / 100 <= side_cm, ws.title


def test_every_page_names_house_period_sheet_and_page_number(bog):
    for ws in bog.worksheets:
        assert ws.oddHeader.left.text == "Erhvervshus Sjælland · 1. halvår 2025", ws.title
        assert ws.oddHeader.right.text == "&A", ws.title  # the sheet's name
        assert ws.oddFooter.center.text == "Side &P af &N", ws.title


def test_every_page_repeats_the_sheets_header_rows(bog):
    for navn in POSTARK:  # the record sheets' header row
        assert rader(bog[navn]) == "1:1", navn
        assert bog[navn]["A1"].font.b
    # The overview: the indicator tables' header (both tables have its columns).
    ws = bog["Oversigt"]
    raekke = int(rader(ws).split(":")[0])
    assert rader(ws) == f"{raekke}:{raekke}"
    assert [c.value for c in ws[raekke][:4]] == ["Mål", "Målets titel", "Nøgle", "Indikator"]
    # A goal sheet: the goal's title.
    for nr in range(1, 16):
        ws = bog[f"Mål {nr}"]
        assert rader(ws) == "2:2"
        assert ws["A2"].value.startswith(f"Mål {nr}: ")


def test_the_goals_text_wraps_across_the_sheet_in_a_row_tall_enough(bog):
    ws = bog["Mål 7"]
    raekke = next(r for r in ws.iter_rows() if r[0].value == "Målet")
    tekst = raekke[1]
    assert len(tekst.value) > 200 and tekst.alignment.wrap_text
    sidste = ws.max_column
    assert f"B{tekst.row}:{get_column_letter(sidste)}{tekst.row}" in {
        str(m) for m in ws.merged_cells.ranges
    }
    # Its lines at the width of the columns it spans, each 15 pt high.
    plads = sum(ws.column_dimensions[get_column_letter(k)].width for k in range(2, sidste + 1))
    assert ws.row_dimensions[tekst.row].height >= 15 * math.ceil(len(tekst.value) / plads)


def test_long_texts_in_tables_wrap_and_keep_the_columns_narrow(bog):
    ws = bog["Oversigt"]
    titler = [r[1] for r in ws.iter_rows() if isinstance(r[0].value, int)]
    lange = [c for c in titler if len(c.value) > 30]
    assert lange and all(c.alignment.wrap_text for c in lange)
    assert ws.column_dimensions["B"].width <= 30
    # Thirteen columns one page wide at a readable size (about half size): at most about 260
    # characters in all, the figures' formats ("-1.5 procentpoint") included.
    assert sum(ws.column_dimensions[k].width for k in "ABCDEFGHIJKLM") <= 260
    for nr in range(1, 16):
        bredder = bog[f"Mål {nr}"].column_dimensions
        assert max(d.width for d in bredder.values()) <= 43, nr


def test_no_chart_is_cut_by_a_page_break(bog):
    diagrammer = 0
    for nr in range(1, 16):
        ws = bog[f"Mål {nr}"]
        skift = [b.id for b in ws.row_breaks.brk]  # the page ends after row id
        for diagram in ws._charts:
            diagrammer += 1
            foerste = diagram.anchor._from.row + 1
            sidste = foerste + math.ceil(diagram_cm(diagram)[1] / RAEKKE_CM) - 1
            assert not [s for s in skift if foerste <= s < sidste], (ws.title, foerste, skift)
    assert diagrammer >= 15
    # Goal 7 has six charts (its counts, then one curve per count): no page holds them all.
    assert bog["Mål 7"].row_breaks.brk


def test_a_heading_is_printed_on_the_page_of_what_it_heads(kontrakt_2025, monkeypatch):
    """Every page break is written where the sheet computed it (so the program printing it
    cannot fill a page further and cut a chart), and no page ends with a heading, a counting
    rule or a table's header: they go to the next page with what follows them."""
    with time_machine.travel(BEREGNET, tick=False):
        rapport = rapport_for(kontrakt_2025, Periode.h1(2025), idag=date(2025, 7, 15),
                              beregnet=BEREGNET)
        sider = udskrevet(monkeypatch, rapport)
        bog = load_workbook(io.BytesIO(rapport_arbejdsbog(rapport)))
    for navn, (antal, _) in sider.items():
        ws = bog[navn]
        skift = [b.id for b in ws.row_breaks.brk]  # the page ends after row id
        assert len(skift) == antal - 1, navn
        for sidste in skift:
            a = ws.cell(row=sidste, column=1)
            assert not (a.font.b and a.font.sz == 12), (navn, a.value)  # a section's heading
            assert a.value not in {"Tælleregel", "Nøgle", "Dato", "Indikator"}, (navn, a.value)


def udskrevet(monkeypatch, rapport) -> dict[str, tuple[int, float]]:
    """Each goal sheet's printed pages and size, as the sheet computed them for its breaks."""
    sider = {}
    skriv = blad.Blad.skriv

    def husk(blad, **kwargs):
        skriv(blad, **kwargs)
        sider[blad.ws.title] = (blad.sider, blad.skala)

    monkeypatch.setattr(blad.Blad, "skriv", husk)
    ws = load_workbook(io.BytesIO(rapport_arbejdsbog(rapport)))
    for navn, (_, skala) in sider.items():  # the size computed is the size printed
        fast = ws[navn].page_setup.scale
        assert fast is None or fast == round(skala * 100), navn
    return {navn: v for navn, v in sider.items() if navn.startswith("Mål ")}


@pytest.mark.parametrize(("periode", "tid"), [
    (Periode.h1(2025), BEREGNET),
    (Periode.helaar(2025), datetime(2026, 1, 10, 9, 0, tzinfo=KBH)),
], ids=["H1 while the year runs", "a finished year"])
def test_every_goal_sheet_prints_on_at_most_two_pages_at_a_size_still_read(kontrakt_2025,
                                                                            monkeypatch,
                                                                            periode, tid):
    """The report for the KKR agenda: each goal on one sheet of paper, both sides. Goal 7's
    six charts (its counts, then a curve per count below their tables, the tables holding as
    many counts as the sheet is wide) take two pages: in H1 while the year runs printed a
    little smaller, at a fixed size of at least MINDSTE_SKALA; in a finished year, whose curves
    have twelve months, the five counts share one table."""
    with time_machine.travel(tid, tick=False):
        rapport = rapport_for(kontrakt_2025, periode, idag=tid.date(), beregnet=tid)
        sider = udskrevet(monkeypatch, rapport)
    assert len(sider) == 15
    for navn, (antal, skala) in sider.items():
        assert antal <= 2 and skala >= MINDSTE_SKALA / 100, (navn, antal, skala)
    assert sider["Mål 7"][0] == 2


def test_a_long_list_of_tagged_records_prints_its_first_ten(kontrakt_2025, monkeypatch):
    """A fyrtårn's tagged forløb are all in the sheet, newest first; the first ten are shown
    and printed (as the goal page lists them), the rest folded away below them, so the
    milestone's goal keeps to two pages."""
    for dag in range(1, 31):
        f.forloeb(ekstern_id=f"F{dag:02}", startdato=date(2025, 3, dag), fyrtaarn="femern")
    with time_machine.travel(BEREGNET, tick=False):
        rapport = rapport_for(kontrakt_2025, Periode.h1(2025), idag=date(2025, 7, 15),
                              beregnet=BEREGNET)
        sider = udskrevet(monkeypatch, rapport)
        ws = load_workbook(io.BytesIO(rapport_arbejdsbog(rapport)))["Mål 15"]
    raekker = {r[0].value: r[0].row for r in ws.iter_rows() if r[0].value}
    assert "Forløb i perioden (30; de 10 nyeste vises og udskrives, de øvrige 20 er foldet " \
           "sammen under dem: + i margenen)" in raekker
    vist = [f"F{dag:02}" for dag in range(30, 20, -1)]
    assert all(not ws.row_dimensions[raekker[e]].hidden for e in vist)
    foldet = [f"F{dag:02}" for dag in range(20, 0, -1)]
    assert all(ws.row_dimensions[raekker[e]].hidden for e in foldet)
    assert all(ws.row_dimensions[raekker[e]].outlineLevel == 1 for e in foldet)
    assert ws.row_dimensions[raekker["F21"]].collapsed  # its "+" unfolds the rest
    assert sider["Mål 15"][0] <= 2


def test_the_set_up_works_on_any_sheet_before_its_first_row():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Huse")
    udskrift(ws, titel="Alle erhvervshuse · 1. halvår 2025 · R&D", gentag_raekker="1:1")
    ws.append(["Erhvervshus", "Mål"])
    buffer = io.BytesIO()
    wb.save(buffer)
    ws = load_workbook(buffer)["Huse"]
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert rader(ws) == "1:1"
    assert ws.oddHeader.left.text == "Alle erhvervshuse · 1. halvår 2025 · R&&D"  # "&" escaped
