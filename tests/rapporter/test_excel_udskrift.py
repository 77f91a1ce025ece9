"""The report workbook prints: every sheet A4 landscape, one page wide, its header rows repeated
on every page, house, period and page number in the header and footer, long texts wrapped in rows
tall enough for them, and no chart cut by a page break. (The PDF itself is checked by hand with
LibreOffice; see the README's Reports section.)"""

import io
import math
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from rapporter.beregning import Periode
from rapporter.excel import RAEKKE_CM, rapport_arbejdsbog, udskrift
from rapporter.resultater import rapport_for

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


def test_every_sheet_prints_a4_landscape_one_page_wide(bog):
    assert len(bog.worksheets) == 1 + 15 + len(POSTARK)
    for ws in bog.worksheets:
        opsaet = ws.page_setup
        assert (opsaet.orientation, opsaet.paperSize) == ("landscape", 9), ws.title  # 9: A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        # One page wide, as many tall as it takes.
        assert (opsaet.fitToWidth, opsaet.fitToHeight) == (1, 0), ws.title


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
            sidste = foerste + math.ceil(diagram.height / RAEKKE_CM) - 1
            assert not [s for s in skift if foerste <= s < sidste], (ws.title, foerste, skift)
    assert diagrammer >= 15
    # Goal 7 has six charts (its counts, then one curve per count): no page holds them all.
    assert bog["Mål 7"].row_breaks.brk


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
