"""A report sheet laid out top to bottom and set up for print (``Blad``), and the page set-up any
sheet gets (``udskrift``).

A sheet is written at the end, so that its column widths fit every row of its tables (a
write-only sheet takes widths before its first row), long texts wrap in rows of fitting height,
and the page breaks keep each chart whole with its table. ``rapporter.excel`` lays out the
report's sheets with it; ``rapporter.excel_national`` the national comparison's.
"""

import math
import warnings
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, OneCellAnchor
from openpyxl.drawing.xdr import XDRPositiveSize2D
from openpyxl.styles import Alignment
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.units import cm_to_EMU
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import Outline, PageSetupProperties
from openpyxl.worksheet.table import Table, TableColumn
from openpyxl.worksheet.worksheet import Worksheet

from forloeb.arbejdsbog import (
    DATOFORMAT,
    MAKS_BREDDE,
    OVERSKRIFT_FONT,
    OVERSKRIFT_FYLD,
    bredde,
    celle,
)

DIAGRAM_RAEKKER = 17  # rows kept clear below a chart's top (7.5 cm is about 15 rows)
DIAGRAM_HOEJDE = 5.0  # cm, a chart beside its table at the least (about 10 rows)
DIAGRAM_BREDDE = 14  # cm
DIAGRAM_MINDST_BREDDE = 11  # cm, a chart in a row of charts at the least
DIAGRAM_AFSTAND = 0.5  # cm between charts side by side
MAKS_SIDER = 2  # a goal sheet's pages, printed for the KKR agenda
MINDSTE_SKALA = 55  # percent: a sheet printed smaller than this is no longer read (6 pt text)
STANDARD_BREDDE = 8.43  # a column's width when nothing sets it
RAEKKE_CM = 15 / 72 * 2.54  # a row of the default height (15 pt)
LINJE_PT = 15  # a line of 11 pt text
TEKST_BREDDE = 40  # a text longer than this (in characters) wraps in its column
TEGN_FAKTOR = 1.05  # a text's characters to column-width units, with some room
BREDERE = 1.1  # how much wider a table may make the sheet (Blad.passer)
FED_FAKTOR = 1.1  # a bold text's characters to column-width units
SIDE_MARGIN = 0.95  # of the page's height counted on when placing breaks
# A column-width unit on paper before scaling: Calibri's (and Carlito's) digit with its padding,
# as LibreOffice lays the sheet out (measured: 7.8 px at 96 dpi).
TEGN_CM = 8 / 96 * 2.54
OMBRYD = Alignment(wrap_text=True, vertical="top")
OEVERST = Alignment(vertical="top")

# A goal sheet is printed for the KKR agenda on at most MAKS_SIDER pages (Blad.skriv): fitted to
# one page wide, and when that takes more pages, at the largest fixed size down to MINDSTE_SKALA
# at which it takes two. A sheet that would need to be smaller keeps its fitted size and pages.
# Every page break is written, the ones that fall where the page is full too: a heading (a row
# with ``hold``) goes with what follows it, and a chart's section to the next page whole.
# A4 landscape with narrow margins (inches, as Excel stores them): the header and footer sit in
# the top and bottom margins.
MARGENER = PageMargins(left=0.4, right=0.4, top=0.65, bottom=0.65, header=0.25, footer=0.25)
A4_LANDSKAB_CM = (29.7, 21.0)


def udskrift(ws, *, titel: str, gentag_raekker: str | None = None) -> None:
    """Give a sheet its page set-up for print: A4 landscape, fitted to one page wide (as many
    pages tall as it takes), ``gentag_raekker`` (e.g. ``"1:2"``) repeated at the top of every
    page, ``titel`` (house and period) in the header with the sheet's name, "Side 1 af 3" in the
    footer.

    Works on a write-only sheet (``Workbook(write_only=True)``) if called before its first
    ``append``: the fit-to-page flag is written with the sheet's head; the rest when it closes."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as it takes
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(**{k: getattr(MARGENER, k) for k in (
        "left", "right", "top", "bottom", "header", "footer")})
    if gentag_raekker:
        ws.print_title_rows = gentag_raekker
    # "&" starts a code in a header's text; a literal one is written twice.
    ws.oddHeader.left.text = titel.replace("&", "&&")
    ws.oddHeader.right.text = "&A"  # the sheet's name
    ws.oddFooter.center.text = "Side &P af &N"


def fast_skala(ws, procent: int) -> None:
    """Print a sheet set up by :func:`udskrift` at ``procent`` of its size instead of fitted
    to the page width: the size at which its page breaks were placed for two pages, so that the
    program printing it cannot choose another."""
    ws.page_setup.scale = procent
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)


class Blad:
    """A sheet laid out top to bottom and written at the end, so that the widths fit every row
    of its tables (a write-only sheet takes widths before its first row), long texts wrap in
    rows of fitting height, and the page breaks keep each chart whole with its table."""

    def __init__(self, wb: Workbook, titel: str):
        self.ws = wb.create_sheet(titel)
        self.raekker: list[list] = []
        self.tilpas: list[bool] = []
        self.lofter: list[dict[int, int]] = []  # per row: column index -> width wrapped to
        self.lange: dict[int, int] = {}  # row -> the column its long text runs from
        self.diagrammer: list[tuple] = []
        self.blokke: list[tuple[int, int]] = []  # a chart's rows, from its section's first
        self.excel_tabeller: list[Table] = []
        self.foldede: set[int] = set()  # rows folded away (hidden, not printed)
        self.flettede: list[tuple[int, int, int]] = []  # merged: row, first and last column
        self.hold: set[int] = set()  # rows printed on the same page as the row after them

    @property
    def naeste(self) -> int:
        return len(self.raekker) + 1

    def linje(self, *vaerdier, font=None, tilpas: bool = False, lang: bool = False,
              hold: bool = False) -> int:
        """A line of text (titles, notes) or ready cells; it widens the columns only with
        ``tilpas``. With ``lang`` its last value is a long text: wrapped, across the columns
        from its own to the sheet's last. With ``hold`` (a heading) it is printed on the same
        page as the line after it."""
        if hold:
            self.hold.add(self.naeste)
        celler = [v if isinstance(v, Cell) else celle(self.ws, v, font=font) for v in vaerdier]
        if lang and celler:
            celler[-1].alignment = OMBRYD
            self.lange[self.naeste] = len(celler)
        self.raekker.append(celler)
        self.tilpas.append(tilpas)
        self.lofter.append({})
        return len(self.raekker)

    def flet(self, nr: int, fra: int, til: int) -> None:
        """Merge row ``nr``'s cells from column ``fra`` to ``til`` (a heading over columns); the
        columns are made wide enough together for the heading."""
        if til > fra:
            self.flettede.append((nr, fra, til))

    def tom(self) -> None:
        self.linje()

    def tabel(self, overskrifter, raekker, *, formater: dict[int, str] | None = None,
              ombryd: dict[int, int] | None = None, overskrift_ombryd: int | None = None,
              synlige: int | None = None) -> tuple:
        """A header and rows of values or ready cells; ``formater`` maps a column index to a
        number format, ``ombryd`` to the width its text wraps at (else :data:`TEKST_BREDDE`),
        ``overskrift_ombryd`` the width the header's texts wrap at (long names over short
        figures).
        With ``synlige``, the rows after the first ``synlige`` are folded away (an outline
        group, unfolded with its "+"), so they stay in the workbook but are not printed.
        Returns the header's row number and the last row's."""
        start = self.naeste
        self.hold.add(start)  # a header is printed with the rows below it
        if synlige is not None:
            self.foldede.update(range(start + 1 + synlige, start + 1 + len(raekker)))
        self.raekker.append(
            [celle(self.ws, o, font=OVERSKRIFT_FONT, fill=OVERSKRIFT_FYLD) for o in overskrifter]
        )
        self.tilpas.append(True)
        self.lofter.append(dict.fromkeys(range(len(overskrifter)), overskrift_ombryd)
                           if overskrift_ombryd else {})
        for raekke in raekker:
            self.raekker.append([self._celle(i, v, formater or {}) for i, v in enumerate(raekke)])
            self.tilpas.append(True)
            self.lofter.append(ombryd or {})
        return start, self.naeste - 1

    def _celle(self, i: int, vaerdi, formater: dict):
        if isinstance(vaerdi, Cell):
            return vaerdi
        if isinstance(vaerdi, date):
            return celle(self.ws, vaerdi, number_format=DATOFORMAT)
        return celle(self.ws, vaerdi, number_format=formater.get(i))

    def diagram_under(self, diagram) -> None:
        """Place a chart directly below what is written so far (the table it draws), from
        column A after one empty row, and keep the rows it covers clear of the next section.
        For print the chart goes with its section (from the last empty row above its table)."""
        raekke = self.naeste + 1
        self.diagrammer.append((diagram, f"A{raekke}"))
        afsnit = self._afsnit(self.naeste - 1)
        while self.naeste < raekke + DIAGRAM_RAEKKER:
            self.tom()
        self.blokke.append((afsnit, raekke + math.ceil(diagram.height / RAEKKE_CM)))

    def diagrammer_under(self, diagrammer: list, *, hoejde: float = DIAGRAM_HOEJDE) -> None:
        """Place charts side by side below what is written so far (the table they draw), from
        column A after one empty row: as many to a row as the sheet is wide so far (its widest
        table), each at least :data:`DIAGRAM_MINDST_BREDDE` and at most :data:`DIAGRAM_BREDDE`
        cm wide, ``hoejde`` cm tall, the rows they cover kept clear of the next section. For
        print each row of charts is kept whole, the first with its section (from the last empty
        row above its table)."""
        bredde_cm = self._bredde_cm(self._bredder())
        pr_raekke = max(1, int((bredde_cm + DIAGRAM_AFSTAND)
                               // (DIAGRAM_MINDST_BREDDE + DIAGRAM_AFSTAND)))
        bredde = min(DIAGRAM_BREDDE, (bredde_cm - (pr_raekke - 1) * DIAGRAM_AFSTAND) / pr_raekke)
        afsnit = self._afsnit(self.naeste - 1)
        for i in range(0, len(diagrammer), pr_raekke):
            raekke = self.naeste + 1
            for j, diagram in enumerate(diagrammer[i:i + pr_raekke]):
                diagram.width, diagram.height = bredde, hoejde
                self.diagrammer.append((diagram, (raekke, j * (bredde + DIAGRAM_AFSTAND))))
            under = raekke + math.ceil(hoejde / RAEKKE_CM)  # the first row below the charts
            while self.naeste < under:
                self.tom()
            self.blokke.append((afsnit if i == 0 else raekke, under))

    def passer(self, raekker: list[list]) -> bool:
        """Whether a table of these values, from column A, would keep the sheet about as wide
        as it is so far (its widest table, or a chart's right edge): at most
        :data:`BREDERE` wider, since a column or two widened a little costs the print little."""
        bredder = self._bredder()
        nye = dict(bredder)
        for raekke in raekker:
            for i, vaerdi in enumerate(raekke, 1):
                nye[i] = max(nye.get(i, 0), min(bredde(vaerdi) + 3, MAKS_BREDDE))
        return sum(nye.values()) * TEGN_CM <= self._bredde_cm(bredder) * BREDERE

    def _afsnit(self, nr: int) -> int:
        """The first row of the section row ``nr`` is in: the row after the last empty one
        above it."""
        while nr > 1 and any(c.value is not None for c in self.raekker[nr - 2]):
            nr -= 1
        return nr

    def diagram_ved(self, diagram, fra: int, slut: int, kolonner: int, *,
                    mindst: float = DIAGRAM_HOEJDE) -> None:
        """Place a chart beside a table that spans ``kolonner`` columns, after one empty column,
        from row ``fra`` (its header, or its caption above) to ``slut`` (its last row) and
        as tall (at least ``mindst`` cm); the rows it covers are kept clear of the next section.
        For print the chart goes with its section (from the last empty row above)."""
        diagram.height = max(mindst, (slut - fra + 1) * RAEKKE_CM)
        self.diagrammer.append((diagram, f"{get_column_letter(kolonner + 2)}{fra}"))
        afsnit = self._afsnit(fra)
        under = fra + math.ceil(diagram.height / RAEKKE_CM)  # the first row below the chart
        while self.naeste < under:
            self.tom()
        self.blokke.append((afsnit, under))

    def excel_tabel(self, navn: str, overskrifter: list[str], start: int, slut: int) -> None:
        """Make rows ``start`` (the header) to ``slut`` an Excel table with its own filter, so
        that several tables on one sheet can each be filtered and sorted."""
        ref = f"A{start}:{get_column_letter(len(overskrifter))}{slut}"
        self.excel_tabeller.append(Table(
            displayName=navn, ref=ref, autoFilter=AutoFilter(ref=ref),
            tableColumns=[TableColumn(id=i, name=o) for i, o in enumerate(overskrifter, 1)],
        ))

    def _bredder(self) -> dict[int, float]:
        """Column widths fitted to the tables; a text longer than its column may be wide wraps
        (and its cell is set to wrap)."""
        bredder: dict[int, float] = {}
        for nr, (raekke, tilpas, lofter) in enumerate(
                zip(self.raekker, self.tilpas, self.lofter, strict=True), 1):
            if not tilpas:
                continue
            for i, c in enumerate(raekke, 1):
                if self.lange.get(nr) == i:
                    continue  # a long text has the columns it runs across
                tegn, loft = bredde(c.value), lofter.get(i - 1, TEKST_BREDDE)
                if isinstance(c.value, str) and tegn > loft:
                    c.alignment = OMBRYD
                if c.alignment is not None and c.alignment.wrap_text:
                    tegn = min(tegn, loft)
                elif isinstance(c.value, int | float) and '"' in (c.number_format or ""):
                    tegn += len(c.number_format.split('"')[1])  # '0.0" procentpoint"'
                if c.font is not None and c.font.b:
                    tegn *= FED_FAKTOR  # a header, in bold
                bredder[i] = max(bredder.get(i, 0), tegn)
        bredder = {i: min(math.ceil(tegn) + 3, MAKS_BREDDE) for i, tegn in bredder.items()}
        for nr, fra, til in self.flettede:  # a heading over columns: they hold it together
            mangler = bredde(self.raekker[nr - 1][fra - 1].value) * FED_FAKTOR + 3 - sum(
                bredder.get(k, STANDARD_BREDDE) for k in range(fra, til + 1))
            if mangler > 0:
                bredder[til] = bredder.get(til, STANDARD_BREDDE) + math.ceil(mangler)
        return bredder

    def _hoejder(self, bredder: dict[int, float]) -> list[float]:
        """Each row's height in points: a wrapped text's lines at the width it has (a long
        text's: its columns' together), else its font's line."""
        sidste = max(bredder, default=1)
        hoejder = []
        for nr, raekke in enumerate(self.raekker, 1):
            linjer, punkt = 1, 11
            for i, c in enumerate(raekke, 1):
                if c.font is not None and c.font.sz:
                    punkt = max(punkt, c.font.sz)
                if c.alignment is None or not c.alignment.wrap_text or c.value is None:
                    continue
                til = sidste if self.lange.get(nr) == i else i
                plads = sum(bredder.get(k, STANDARD_BREDDE) for k in range(i, til + 1)) - 1
                linjer = max(linjer, sum(math.ceil(max(len(del_), 1) * TEGN_FAKTOR / plads)
                                         for del_ in str(c.value).splitlines() or [""]))
            hoejder.append(0 if nr in self.foldede else linjer * LINJE_PT * punkt / 11)
        return hoejder

    def _bredde_cm(self, bredder: dict[int, float]) -> float:
        """How wide the sheet prints before scaling: its columns, or a chart's right edge."""
        kanter = [self._venstre_cm(anker, bredder) + diagram.width
                  for diagram, anker in self.diagrammer]
        return max([sum(bredder.values()) * TEGN_CM, *kanter])

    @staticmethod
    def _venstre_cm(anker: str | tuple[int, float], bredder: dict[int, float]) -> float:
        """Where a chart's left edge prints before scaling: its cell's ("F12"), or the
        distance from column A that :meth:`diagrammer_under` gave it."""
        if isinstance(anker, tuple):
            return anker[1]
        return sum(bredder.get(k, STANDARD_BREDDE) for k in range(1, _kolonne(anker))) * TEGN_CM

    @staticmethod
    def _celleanker(diagram, anker: tuple[int, float], bredder: dict[int, float]) -> OneCellAnchor:
        """A chart's anchor at ``anker`` (a row, and cm from column A): the column that
        distance falls in, and the rest as an offset into it."""
        raekke, venstre = anker
        kolonne = 1
        while venstre >= bredder.get(kolonne, STANDARD_BREDDE) * TEGN_CM:
            venstre -= bredder.get(kolonne, STANDARD_BREDDE) * TEGN_CM
            kolonne += 1
        return OneCellAnchor(
            _from=AnchorMarker(col=kolonne - 1, colOff=cm_to_EMU(venstre), row=raekke - 1),
            ext=XDRPositiveSize2D(cm_to_EMU(diagram.width), cm_to_EMU(diagram.height)),
        )

    def _skala(self, bredder: dict[int, float]) -> float:
        """The scale LibreOffice and Excel print the sheet at when fitting it to one page wide."""
        bredde_cm = A4_LANDSKAB_CM[0] - (MARGENER.left + MARGENER.right) * 2.54
        return min(1.0, bredde_cm / max(self._bredde_cm(bredder), 1))

    def _sider(self, hoejder: list[float], gentag: tuple, skala: float) -> tuple[list[int], int]:
        """The rows to break before so that no chart is cut, and the pages the sheet prints on
        at ``skala``: each chart's section moved whole to the next page when it would not fit
        on this one (and would on a page of its own)."""
        side_pt = (A4_LANDSKAB_CM[1] - (MARGENER.top + MARGENER.bottom) * 2.54) / 2.54 * 72
        side_pt = side_pt / skala * SIDE_MARGIN
        titel_pt = sum(hoejder[r - 1] for r in range(gentag[0], gentag[1] + 1)) if gentag else 0
        blokke = dict(self.blokke)
        skift, sider, brugt = [], 1, 0.0
        for nr, hoejde in enumerate(hoejder, 1):
            if nr in blokke and brugt > titel_pt:
                blok = sum(hoejder[nr - 1:blokke[nr]]) + (
                    (blokke[nr] - len(hoejder)) * LINJE_PT if blokke[nr] > len(hoejder) else 0)
                if brugt + blok > side_pt and titel_pt + blok <= side_pt:
                    skift.append(nr)
                    sider += 1
                    brugt = titel_pt
            if brugt + hoejde > side_pt and brugt > titel_pt:
                # Broken here too, so that the program printing it cannot fit a row or two
                # more on the page and cut the next chart's section (its rows' heights differ
                # a little from these); a heading goes to the next page with what it heads.
                fra = nr
                while fra - 1 in self.hold and fra - 1 > (gentag[1] if gentag else 0) \
                        and fra - 1 not in skift:
                    fra -= 1
                skift.append(fra)
                sider += 1
                brugt = titel_pt + sum(hoejder[fra - 1:nr - 1])
            brugt += hoejde
        return skift, sider

    def skriv(self, *, titel: str, gentag: tuple[int, int] | None = None,
              frys: str | None = None, filter_ref: str | None = None) -> None:
        """Write the sheet with its page set-up (:func:`udskrift`), ``gentag`` (first and last
        row) repeated at the top of every printed page; a sheet longer than :data:`MAKS_SIDER`
        pages printed smaller (:func:`fast_skala`) if that makes it fit. ``sider`` and ``skala``
        are then the pages and size it prints at."""
        bredder = self._bredder()
        for i, tegn in bredder.items():
            self.ws.column_dimensions[get_column_letter(i)].width = tegn
        hoejder = self._hoejder(bredder)
        sidste = max(bredder, default=1)
        for nr, fra in self.lange.items():
            if sidste > fra:
                self.ws.merged_cells.add(
                    f"{get_column_letter(fra)}{nr}:{get_column_letter(sidste)}{nr}")
        for nr, fra, til in self.flettede:
            self.ws.merged_cells.add(f"{get_column_letter(fra)}{nr}:{get_column_letter(til)}{nr}")
        for nr in self.foldede:
            self.ws.row_dimensions[nr].outlineLevel = 1
            self.ws.row_dimensions[nr].hidden = True
        for nr in self.foldede - {nr + 1 for nr in self.foldede}:
            self.ws.row_dimensions[nr - 1].collapsed = True  # its "+": the last row shown
        if self.foldede:
            self.ws.sheet_properties.outlinePr = Outline(summaryBelow=False)  # "+" above
            self.ws.sheet_format.outlineLevelRow = 1  # Excel shows the outline's buttons
        for nr, hoejde in enumerate(hoejder, 1):
            if hoejde > LINJE_PT * 1.5:
                self.ws.row_dimensions[nr].height = round(hoejde, 1)
                for c in self.raekker[nr - 1]:  # a row of several lines reads from the top
                    if c.alignment is None or not c.alignment.wrap_text:
                        c.alignment = OEVERST
        udskrift(self.ws, titel=titel,
                 gentag_raekker=f"{gentag[0]}:{gentag[1]}" if gentag else None)
        self.skala = self._skala(bredder)
        skift, self.sider = self._sider(hoejder, gentag or (), self.skala)
        if self.sider > MAKS_SIDER:
            # Printed smaller, down to a size still read, so that the sheet takes two pages.
            for procent in range(math.floor(self.skala * 100), MINDSTE_SKALA - 1, -1):
                forsoeg = self._sider(hoejder, gentag or (), procent / 100)
                if forsoeg[1] <= MAKS_SIDER:
                    self.skala = procent / 100
                    skift, self.sider = forsoeg
                    fast_skala(self.ws, procent)
                    break
        for nr in skift:
            self.ws.row_breaks.append(Break(id=nr - 1))  # the break falls after row id
        if frys:
            self.ws.freeze_panes = frys
        for diagram, anker in self.diagrammer:
            if isinstance(anker, tuple):
                anker = self._celleanker(diagram, anker, bredder)
            self.ws.add_chart(diagram, anker)
        for tabel in self.excel_tabeller:
            with warnings.catch_warnings():
                # openpyxl warns that a write-only sheet needs its table columns given by hand;
                # excel_tabel gives them.
                warnings.filterwarnings("ignore", "In write-only mode you must add table columns")
                self.ws.add_table(tabel)
        for raekke in self.raekker:
            self.ws.append(raekke)
        if filter_ref:
            self.ws.auto_filter.ref = filter_ref


def _kolonne(anker: str) -> int:
    """The column number of a cell's name: "F12" -> 6."""
    return column_index_from_string(anker.rstrip("0123456789"))
