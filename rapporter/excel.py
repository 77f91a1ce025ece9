"""The half-year report as an Excel workbook, laid out from a ``Rapport`` (rapporter.resultater).

Sheets, in order:

- **Oversigt**: a title block (contract, period, computation time, approval), the status page's
  tally ("3 På sporet · 1 Tæt på · …", milestones apart) and one row per indicator as on the
  status page, in two sections "Nationale mål" and "Lokale mål", each an Excel table with its own
  filter: goal, indicator, target, actual, expected, degree met, the status word on its colour
  and the explanation (the indicator's own, else its goal's), wrapped.
- **Mål 1 … Mål 15**: the goal's explanation and indicators (each with its own explanation), then
  what the goal page shows beside them: for a count its development month by month against the
  target spread evenly over the year, with the projection to 31 December while the year runs; per
  kommune and by/land against population (fordeling); referral shares by aktør type (andel of
  henvisninger); covered and missing aktører (dækning); the entered values with their sources
  (måling, forhold); the milestone narratives and, for a fyrtårn milestone, the records tagged
  with it (the first ten tagged records of each kind shown and printed, the rest folded away).
  Each native Excel chart stands beside the table it draws, after one empty column, as tall as
  the table: the indicator table makes a goal sheet ten columns wide anyway, so a chart there
  costs no rows, and a goal prints on at most two pages (see *Print*). Only the kommune chart,
  whose seventeen bars need the width, stands below its table from column A.
- **Virksomheder, Forloeb, …, Maalinger**: the period's records in the registration workbook's
  layout, written by ``forloeb.arbejdsbog``; the importer reads them and skips the sheets above.

The Rapport is the one ``rapporter.godkendelse.rapport_til_visning`` chooses: for an approved
period its approved version (the title block carries the mark, "Godkendt 14. august 2025 af …,
version 1"), whose figures, explanations and milestone narratives are the snapshot's, while the
breakdowns beside them are read as they stand; with ``aktuel`` today's figures ("Dagens tal – …").

The writer counts nothing: every figure is the Rapport's (the JSON report's); the breakdowns
come from ``rapporter.selectors`` and the Resultat's own ``detaljer``, the pro-rata line from
``beregning.forventet_pro_rata`` and the projection from ``diagrammer.fremskrivning``, the same
functions the pages use. The tally only adds up the results' statuses.
"""

import math
import warnings
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.axis import DateAxis
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import Outline, PageSetupProperties
from openpyxl.worksheet.table import Table, TableColumn
from openpyxl.worksheet.worksheet import Worksheet

from forloeb.arbejdsbog import (
    ARK,
    ARK_NAVNE,
    DATOFORMAT,
    MAKS_BREDDE,
    OVERSKRIFT_FONT,
    OVERSKRIFT_FYLD,
    bredde,
    celle,
    raekker,
    skriv_tabel,
    som_bytes,
)
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
from maal.models import Indikator, Maal, Maaling, Resultatkontrakt

from . import selectors
from .arter import art
from .arter.maaling import maalinger_af
from .beregning import (
    STATUS_IKON,
    STATUS_TEKST,
    STATUS_TONE,
    Periode,
    Resultat,
    forventet_pro_rata,
    indtastet_til,
    status_optaelling,
)
from .diagrammer import fremskrivning
from .resultater import Rapport

DATO = DATOFORMAT
TAL_FORMAT = {
    "antal": "#,##0", "procent": '0.0" %"', "point": "0.0",
    "procentpoint": '0.0" procentpoint"', "faktor": "0.00",
}
DECIMAL_FORMAT = {"antal": "#,##0.0"}
OPFYLDELSE_FORMAT = "0.0%"
RETNING = {"gte": "≥", "gt": ">", "lte": "≤"}
ENHED = {"antal": "antal", "procent": "%", "point": "point", "procentpoint": "procentpoint",
         "faktor": "faktor"}
INGEN = "–"  # a milestone has neither unit nor direction
# The status page's tally (rapporter.views): its order, the first four always shown during the
# year, and the milestones counted apart.
BLAA, GROEN = "0B5394", "1E7B34"  # the goal page's chart colours
DATO_KOLONNE, FAKTISK_KOLONNE = "Dato", "Faktisk (kumuleret)"
PRO_RATA_KOLONNE, FREMSKREVET_KOLONNE = "Måltal fordelt jævnt over året", "Fremskrevet"
UDVIKLING_FORMAT = {FAKTISK_KOLONNE: "#,##0", PRO_RATA_KOLONNE: "#,##0.0",
                    FREMSKREVET_KOLONNE: "#,##0"}
TONE_FARVER = {  # fill, font: the status page's colours
    "god": ("E3F3E6", "1E7B34"), "advarsel": ("FFF4D6", "8A5A00"),
    "daarlig": ("FBE4E2", "B3261E"), "neutral": ("ECEFF2", "57606A"),
}
DIAGRAM_RAEKKER = 17  # rows kept clear below a chart's top (7.5 cm is about 15 rows)
DIAGRAM_HOEJDE = 5.0  # cm, a chart beside its table at the least (about 10 rows)
DIAGRAM_BREDDE = 14  # cm
MAKS_SIDER = 2  # a goal sheet's pages, printed for the KKR agenda
MINDSTE_SKALA = 55  # percent: a sheet printed smaller than this is no longer read (6 pt text)
DOKUMENTATION_VIST = 10  # a milestone's tagged records shown and printed, as on the goal page
STANDARD_BREDDE = 8.43  # a column's width when nothing sets it
RAEKKE_CM = 15 / 72 * 2.54  # a row of the default height (15 pt)
LINJE_PT = 15  # a line of 11 pt text
TEKST_BREDDE = 40  # a text longer than this (in characters) wraps in its column
TEGN_FAKTOR = 1.05  # a text's characters to column-width units, with some room
SIDE_MARGIN = 0.95  # of the page's height counted on when placing breaks
# A column-width unit on paper before scaling: Calibri's (and Carlito's) digit with its padding,
# as LibreOffice lays the sheet out (measured: 7.8 px at 96 dpi).
TEGN_CM = 8 / 96 * 2.54
TITEL_FONT = Font(bold=True, size=14)
MELLEMRUBRIK_FONT = Font(bold=True, size=12)
DAEMPET_FONT = Font(italic=True, color="5A6570")
OVERSIGT_KOLONNER = [
    "Mål", "Målets titel", "Nøgle", "Indikator", "Enhed", "Retning", "Måltal", "Faktisk",
    "Forventet", "Opfyldelse", "Status", "Statuskode", "Forklaring",
]
INDIKATOR_KOLONNER = OVERSIGT_KOLONNER[2:-1]  # a goal sheet shows the explanations as text
OMBRYD = Alignment(wrap_text=True, vertical="top")
OEVERST = Alignment(vertical="top")
# The overview's goal titles and explanations wrap narrower than other texts, so its thirteen
# columns print one page wide at a readable size.
OVERSIGT_OMBRYD = {1: 24, 12: 32}


def rapport_arbejdsbog(rapport: Rapport) -> bytes:
    """The report workbook of ``rapport``: overview, a sheet per goal, the period's records."""
    kontrakt = Resultatkontrakt.objects.select_related("erhvervshus").get(
        erhvervshus__navn=rapport.erhvervshus, aar=rapport.aar
    )
    maal = list(kontrakt.maal.prefetch_related("indikatorer"))
    idag = rapport_dag(rapport)
    wb = Workbook(write_only=True)
    titel = udskriftstitel(rapport)
    _oversigt(wb, rapport, maal, idag, titel)
    for et_maal in maal:
        _maal_ark(wb, rapport, et_maal, idag, titel)
    for navn, queryset in periodens_registreringer(kontrakt, rapport.periode, idag).items():
        ark = ARK[navn]
        ws = wb.create_sheet(ark.navn)
        udskrift(ws, titel=titel, gentag_raekker="1:1")  # before the first row: see udskrift
        skriv_tabel(ws, ark.overskrifter, raekker(ark, queryset))
    return som_bytes(wb)


# --- Print ---------------------------------------------------------------------------------------

# A goal sheet is printed for the KKR agenda on at most MAKS_SIDER pages (_Blad.skriv): fitted to
# one page wide, and when that takes more pages, at the largest fixed size down to MINDSTE_SKALA
# at which it takes two. A sheet that would need to be smaller keeps its fitted size and pages
# (goal 7 in a finished year: five twelve-month tables with their curves, three pages).
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


def udskriftstitel(rapport: Rapport) -> str:
    """The print header's text: "Erhvervshus Sjælland · 1. halvår 2025"."""
    return f"{rapport.erhvervshus} · {rapport.periode.titel}"


def periodens_registreringer(kontrakt: Resultatkontrakt, periode, idag: date) -> dict:
    """The period's records, sheet by sheet: forløb gennemført in it or still igangværende at
    its end, the dated records in it, the målinger that may count, and the companies and
    aktører they name (so the sheets import on their own)."""
    i_perioden = Q(dato__gte=periode.fra, dato__lte=periode.til)
    til = indtastet_til(periode, idag)  # a finished year's målinger may be dated after it
    hus = {"erhvervshus_id": kontrakt.erhvervshus_id}  # the contract's house's records only
    forloeb = Forloeb.objects.filter(
        Q(slutdato__gte=periode.fra, slutdato__lte=periode.til)
        | Q(slutdato__isnull=True, startdato__lte=periode.til), **hus
    )
    ai_tjek = AITjek.objects.filter(i_perioden, **hus)
    programmer = Programdeltagelse.objects.filter(i_perioden, **hus)
    henvisninger = Henvisning.objects.filter(forloeb__in=forloeb)
    aktiviteter = Aktivitet.objects.filter(i_perioden, **hus)
    aftaler = Samarbejdsaftale.objects.filter(i_perioden, **hus)
    ark = {
        "Virksomheder": Virksomhed.objects.filter(
            Q(pk__in=forloeb.values("virksomhed")) | Q(pk__in=ai_tjek.values("virksomhed"))
            | Q(pk__in=programmer.values("virksomhed"))
        ),
        "Forloeb": forloeb,
        "Aktoerer": Aktoer.objects.filter(
            Q(pk__in=henvisninger.values("aktoer")) | Q(pk__in=aktiviteter.values("partnere"))
            | Q(pk__in=aftaler.values("aktoer"))
        ),
        "Henvisninger": henvisninger,
        "AI-tjek": ai_tjek,
        "Aktiviteter": aktiviteter,
        "Programmer": programmer,
        "Samarbejdsaftaler": aftaler,
        "Maalinger": Maaling.objects.filter(
            erhvervshus=kontrakt.erhvervshus, aar=kontrakt.aar,
            **({} if til is None else {"dato__lte": til}),
        ),
    }
    return {navn: ark[navn] for navn in ARK_NAVNE}


def rapport_dag(rapport: Rapport) -> date:
    """The day the report's figures were computed for: the local date of ``beregnet`` (the view
    and the command take both from one clock). The curves stop and the projection runs from it,
    as on the goal page that day."""
    beregnet = rapport.beregnet
    if isinstance(beregnet, datetime):
        return timezone.localdate(beregnet) if timezone.is_aware(beregnet) else beregnet.date()
    return beregnet


# --- A small free-form sheet --------------------------------------------------------------------


class _Blad:
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

    @property
    def naeste(self) -> int:
        return len(self.raekker) + 1

    def linje(self, *vaerdier, font=None, tilpas: bool = False, lang: bool = False) -> int:
        """A line of text (titles, notes) or ready cells; it widens the columns only with
        ``tilpas``. With ``lang`` its last value is a long text: wrapped, across the columns
        from its own to the sheet's last."""
        celler = [v if isinstance(v, Cell) else celle(self.ws, v, font=font) for v in vaerdier]
        if lang and celler:
            celler[-1].alignment = OMBRYD
            self.lange[self.naeste] = len(celler)
        self.raekker.append(celler)
        self.tilpas.append(tilpas)
        self.lofter.append({})
        return len(self.raekker)

    def tom(self) -> None:
        self.linje()

    def tabel(self, overskrifter, raekker, *, formater: dict[int, str] | None = None,
              ombryd: dict[int, int] | None = None, synlige: int | None = None) -> tuple:
        """A header and rows of values or ready cells; ``formater`` maps a column index to a
        number format, ``ombryd`` to the width its text wraps at (else :data:`TEKST_BREDDE`).
        With ``synlige``, the rows after the first ``synlige`` are folded away (an outline
        group, unfolded with its "+"), so they stay in the workbook but are not printed.
        Returns the header's row number and the last row's."""
        start = self.naeste
        if synlige is not None:
            self.foldede.update(range(start + 1 + synlige, start + 1 + len(raekker)))
        self.raekker.append(
            [celle(self.ws, o, font=OVERSKRIFT_FONT, fill=OVERSKRIFT_FYLD) for o in overskrifter]
        )
        self.tilpas.append(True)
        self.lofter.append({})
        for raekke in raekker:
            self.raekker.append([self._celle(i, v, formater or {}) for i, v in enumerate(raekke)])
            self.tilpas.append(True)
            self.lofter.append(ombryd or {})
        return start, self.naeste - 1

    def _celle(self, i: int, vaerdi, formater: dict):
        if isinstance(vaerdi, Cell):
            return vaerdi
        if isinstance(vaerdi, date):
            return celle(self.ws, vaerdi, number_format=DATO)
        return celle(self.ws, vaerdi, number_format=formater.get(i))

    def diagram_under(self, diagram) -> None:
        """Place a chart directly below what is written so far (the table it draws), from
        column A after one empty row, and keep the rows it covers clear of the next section.
        For print the chart goes with its section (from the last empty row above its table)."""
        raekke = self.naeste + 1
        self.diagrammer.append((diagram, f"A{raekke}"))
        afsnit = self.naeste - 1
        while afsnit > 1 and any(c.value is not None for c in self.raekker[afsnit - 2]):
            afsnit -= 1
        while self.naeste < raekke + DIAGRAM_RAEKKER:
            self.tom()
        self.blokke.append((afsnit, raekke + math.ceil(diagram.height / RAEKKE_CM)))

    def diagram_ved(self, diagram, fra: int, slut: int, kolonner: int, *,
                    mindst: float = DIAGRAM_HOEJDE) -> None:
        """Place a chart beside a table that spans ``kolonner`` columns, after one empty column,
        from row ``fra`` (its header, or its caption above) to ``slut`` (its last row) and
        as tall (at least ``mindst`` cm); the rows it covers are kept clear of the next section.
        For print the chart goes with its section (from the last empty row above)."""
        diagram.height = max(mindst, (slut - fra + 1) * RAEKKE_CM)
        self.diagrammer.append((diagram, f"{get_column_letter(kolonner + 2)}{fra}"))
        afsnit = fra
        while afsnit > 1 and any(c.value is not None for c in self.raekker[afsnit - 2]):
            afsnit -= 1
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
                bredder[i] = max(bredder.get(i, 0), tegn)
        return {i: min(tegn + 3, MAKS_BREDDE) for i, tegn in bredder.items()}

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
        kanter = [sum(bredder.get(k, STANDARD_BREDDE) for k in range(1, _kolonne(anker)))
                  * TEGN_CM + diagram.width for diagram, anker in self.diagrammer]
        return max([sum(bredder.values()) * TEGN_CM, *kanter])

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
            if brugt + hoejde > side_pt:
                sider += 1
                brugt = titel_pt
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


def _status_celle(ws, kode: str):
    """The status word with its icon on the status page's colour."""
    fyld, farve = TONE_FARVER[STATUS_TONE[kode]]
    return celle(ws, f"{STATUS_IKON[kode]} {STATUS_TEKST[kode]}",
                 font=Font(bold=True, color=farve), fill=PatternFill("solid", fgColor=fyld))


# --- Overview -----------------------------------------------------------------------------------


def _indikator_celler(ws, r: Resultat) -> list:
    """An indicator's row as on the status page, each figure in its unit's number format."""
    fmt = TAL_FORMAT.get(r.enhed)
    kind = art(r.art)
    opfyldelse = TAL_FORMAT[kind.opfyldelse_enhed] if kind.opfyldelse_enhed else OPFYLDELSE_FORMAT
    return [
        celle(ws, r.noegle), celle(ws, r.titel),
        celle(ws, ENHED.get(r.enhed, r.enhed) if kind.med_enhed else INGEN),
        celle(ws, RETNING.get(r.retning, r.retning) if kind.med_enhed else INGEN),
        celle(ws, r.maalvaerdi, number_format=fmt), celle(ws, r.faktisk, number_format=fmt),
        celle(ws, r.forventet, number_format=DECIMAL_FORMAT.get(r.enhed, fmt)),
        celle(ws, r.opfyldelse, number_format=opfyldelse),
        _status_celle(ws, r.status), celle(ws, r.status),
    ]


def _tekst_celle(ws, tekst: str):
    """A written text (an explanation, a narrative), wrapped in its cell."""
    return celle(ws, tekst or None, alignment=OMBRYD)


def _titelblok(blad: _Blad, rapport: Rapport, undertitel: str = "") -> None:
    blad.linje(f"Resultatkontrakt {rapport.aar}: {rapport.erhvervshus} og {rapport.modpart}",
               font=TITEL_FONT)
    if undertitel:
        blad.linje(undertitel, font=MELLEMRUBRIK_FONT)
    periode = rapport.periode
    blad.linje("Periode", f"{periode.titel} ({periode.fra:%d-%m-%Y} – {periode.til:%d-%m-%Y})",
               tilpas=True, lang=True)
    beregnet = timezone.localtime(rapport.beregnet) if timezone.is_aware(rapport.beregnet) \
        else rapport.beregnet
    blad.linje("Beregnet", f"{beregnet:%d-%m-%Y %H:%M}", tilpas=True, lang=True)
    # The approved version's mark, "Ikke godkendt", or which approved version today's figures
    # are not (Rapport.godkendelse_tekst).
    blad.linje("Godkendelse", rapport.godkendelse_tekst, tilpas=True, lang=True)
    if rapport.godkendt and rapport.godkendelse.get("kommentar"):
        blad.linje("Kommentar", rapport.godkendelse["kommentar"], tilpas=True, lang=True)


def optaelling_tekst(rapport: Rapport, idag: date) -> tuple[str, str]:
    """The status page's tally of the results: the indicators' ("3 På sporet · 1 Tæt på · …",
    the first four always shown during the year) and the milestones' apart."""
    indikatorer, milepaele = status_optaelling(
        rapport.resultater, afsluttet=rapport.periode.helaar_afsluttet(idag)
    )
    return (
        " · ".join(f"{antal} {STATUS_TEKST[s]}" for s, antal in indikatorer),
        " · ".join(f"{antal} {STATUS_TEKST[s]}" for s, antal in milepaele),
    )


def _oversigt(wb: Workbook, rapport: Rapport, maal: list[Maal], idag: date, titel: str) -> None:
    blad = _Blad(wb, "Oversigt")
    _titelblok(blad, rapport)
    blad.tom()
    indikatorer, milepaele = optaelling_tekst(rapport, idag)
    blad.linje("Indikatorer", indikatorer, font=OVERSKRIFT_FONT, tilpas=True, lang=True)
    if milepaele:
        blad.linje("Milepæle", milepaele, tilpas=True, lang=True)
    titler = {m.nummer: m.titel for m in maal}
    foerste = None
    for niveau, overskrift, tabelnavn in ((Maal.Niveau.NATIONAL, "Nationale mål", "Nationale_maal"),
                                          (Maal.Niveau.LOKAL, "Lokale mål", "Lokale_maal")):
        numre = {m.nummer for m in maal if m.niveau == niveau}
        resultater = [r for r in rapport.resultater if r.maal_nr in numre]
        blad.tom()
        blad.linje(overskrift, font=MELLEMRUBRIK_FONT)
        start, slut = blad.tabel(OVERSIGT_KOLONNER, [
            [r.maal_nr, titler.get(r.maal_nr, ""), *_indikator_celler(blad.ws, r),
             _tekst_celle(blad.ws, rapport.forklaring(r.maal_nr, r.noegle))]
            for r in resultater
        ], ombryd=OVERSIGT_OMBRYD)
        foerste = foerste or start
        if slut > start:
            blad.excel_tabel(tabelnavn, OVERSIGT_KOLONNER, start, slut)
    blad.tom()
    blad.linje("Faktisk og forventet i målets enhed; opfyldelse er faktisk / måltal (for mål 8 "
               "afvigelsen i procentpoint). Forventet er måltallet fordelt jævnt over året.",
               font=DAEMPET_FONT, lang=True)
    blad.linje("Forklaring: indikatorens egen forklaring, ellers målets.", font=DAEMPET_FONT,
               lang=True)
    # Printed, every page repeats the indicator tables' header (both have the same columns).
    blad.skriv(titel=titel, gentag=(foerste, foerste))


# --- One sheet per goal -----------------------------------------------------------------------


def _maal_ark(wb: Workbook, rapport: Rapport, maal: Maal, idag: date, titel: str) -> None:
    blad = _Blad(wb, f"Mål {maal.nummer}")
    resultater = [r for r in rapport.resultater if r.maal_nr == maal.nummer]
    indikatorer = {i.noegle: i for i in maal.indikatorer.all()}
    _titelblok(blad, rapport, f"Mål {maal.nummer}: {maal.titel} ({maal.get_niveau_display()})")
    blad.linje("Målet", maal.maal_tekst, tilpas=True, lang=True)
    if rapport.forklaring(maal.nummer):
        blad.linje("Forklaring", _tekst_celle(blad.ws, rapport.forklaring(maal.nummer)),
                   lang=True)
    blad.tom()
    start, slut = blad.tabel(
        INDIKATOR_KOLONNER, [_indikator_celler(blad.ws, r) for r in resultater]
    )
    frys = f"A{start + 1}"
    filter_ref = f"A{start}:{get_column_letter(len(INDIKATOR_KOLONNER))}{slut}"
    _taellinger_diagram(blad, resultater)
    for r in resultater:
        indikator = indikatorer.get(r.noegle)
        blad.tom()
        blad.linje(f"{r.noegle}: {r.titel}", font=MELLEMRUBRIK_FONT)
        if indikator is not None and indikator.regel:
            blad.linje("Tælleregel", indikator.regel, tilpas=True, lang=True)
        if (r.maal_nr, r.noegle) in rapport.forklaringer:
            blad.linje("Forklaring",
                       _tekst_celle(blad.ws, rapport.forklaringer[(r.maal_nr, r.noegle)]),
                       lang=True)
        if indikator is not None:
            _udspecificering(blad, r, indikator, rapport, idag)
    # Printed, every page repeats the goal's title row.
    blad.skriv(titel=titel, gentag=(2, 2), frys=frys, filter_ref=filter_ref)


def _taellinger_diagram(blad: _Blad, resultater: list[Resultat]) -> None:
    """Counts against expectation and target, as bars, for the goal's counted indicators. The
    chart's categories are the indicators' keys, so its data stays as narrow as the table above."""
    taellinger = [r for r in resultater if art(r.art).i_taellediagram]
    if not taellinger:
        return
    blad.tom()
    blad.linje("Diagramdata: faktisk, forventet og måltal", font=DAEMPET_FONT)
    start, slut = blad.tabel(
        ["Indikator", "Faktisk", "Forventet", "Måltal"],
        [[r.noegle, r.faktisk, r.forventet, r.maalvaerdi] for r in taellinger],
        formater={1: "#,##0", 2: "#,##0.0", 3: "#,##0"},
    )
    diagram = _soejler("Faktisk mod forventet og måltal", "Antal")
    diagram.add_data(Reference(blad.ws, min_col=2, max_col=4, min_row=start, max_row=slut),
                     titles_from_data=True)
    diagram.set_categories(Reference(blad.ws, min_col=1, min_row=start + 1, max_row=slut))
    blad.diagram_ved(diagram, start - 1, slut, 4)


def _soejler(titel: str, y_titel: str) -> BarChart:
    diagram = BarChart()
    diagram.type = "col"
    _titel(diagram, titel)
    diagram.y_axis.title = y_titel
    diagram.x_axis.delete = False  # openpyxl hides the axes unless told
    diagram.y_axis.delete = False
    diagram.height, diagram.width = 7.5, DIAGRAM_BREDDE  # cm; 7.5 cm is about 15 rows
    diagram.legend.position = "b"  # below the plot, which keeps the chart's width
    return diagram


def _titel(diagram, tekst: str) -> None:
    """A chart's title in 11 pt (the default 14 pt wraps and takes the plot's room)."""
    diagram.title = tekst
    for linje in diagram.title.tx.rich.p:
        for stykke in linje.r:
            stykke.rPr = CharacterProperties(sz=1100, b=True)


def _tekst_pt(punkt: int) -> RichText:
    """An axis's labels at ``punkt`` points."""
    tegn = CharacterProperties(sz=punkt * 100)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=tegn), r=[], endParaRPr=tegn)])


def _udspecificering(blad: _Blad, r: Resultat, indikator: Indikator, rapport: Rapport,
                     idag: date) -> None:
    """What the goal page shows beside an indicator's figure: the section its kind names
    (``Art.excel``, a key of :data:`UDSPECIFICERING`)."""
    afsnit = UDSPECIFICERING.get(art(r.art).excel)
    if afsnit is not None:
        afsnit(blad, r, indikator, rapport, idag)


def _daekning(blad: _Blad, r: Resultat, indikator: Indikator, rapport: Rapport,
              idag: date) -> None:
    daekkede, manglende = r.detaljer.get("daekkede", []), r.detaljer.get("manglende", [])
    blad.tabel(["Aktør", "Dækket i perioden"],
               [[n, "ja"] for n in daekkede] + [[n, "nej"] for n in manglende])


def _udvikling(blad: _Blad, r: Resultat, indikator: Indikator, rapport: Rapport,
               idag: date) -> None:
    """The count month by month through the period (the goal page's curve, per month end)
    against the target spread evenly over the year, and while the year runs the projection to
    31 December, as a table with a line chart beside it."""
    periode = rapport.periode
    punkter = selectors.kumulativ_udvikling(indikator, periode, interval="maaned", idag=idag)
    fremskrevet = fremskrivning(r, periode, idag)
    aarets_slut = date(periode.aar, 12, 31)
    if fremskrevet is not None:
        blad.linje("Fremskrevet til 31. december",
                   celle(blad.ws, fremskrevet, number_format=TAL_FORMAT["antal"]),
                   "i nuværende tempo", tilpas=True)
    if not punkter:
        blad.linje("Perioden er ikke begyndt; der er endnu intet at vise.", font=DAEMPET_FONT)
        return
    med_maal = r.maalvaerdi is not None
    med_fremskrivning = fremskrevet is not None and punkter[-1]["dato"] < aarets_slut
    overskrifter = [DATO_KOLONNE, FAKTISK_KOLONNE]
    if med_maal:
        overskrifter.append(PRO_RATA_KOLONNE)
    if med_fremskrivning:
        overskrifter.append(FREMSKREVET_KOLONNE)
    raekker = [
        {DATO_KOLONNE: punkt["dato"], FAKTISK_KOLONNE: punkt["kumuleret"],
         PRO_RATA_KOLONNE: forventet_pro_rata(r.maalvaerdi, Periode.pr_dato(punkt["dato"]))}
        for punkt in punkter
    ]
    if med_fremskrivning:
        # The projection's line runs from where the count stands now to 31 December.
        raekker[-1][FREMSKREVET_KOLONNE] = punkter[-1]["kumuleret"]
        raekker.append({DATO_KOLONNE: aarets_slut, PRO_RATA_KOLONNE: r.maalvaerdi,
                        FREMSKREVET_KOLONNE: fremskrevet})
    start, slut = blad.tabel(
        overskrifter, [[raekke.get(o) for o in overskrifter] for raekke in raekker],
        formater={i: UDVIKLING_FORMAT[o] for i, o in enumerate(overskrifter)
                  if o in UDVIKLING_FORMAT},
    )
    blad.diagram_ved(_udviklingsdiagram(blad, overskrifter, start, slut), start, slut,
                     len(overskrifter))


def _udviklingsdiagram(blad: _Blad, overskrifter: list[str], start: int, slut: int) -> LineChart:
    diagram = LineChart()
    _titel(diagram, "Udvikling gennem året, ved hver måneds slut")
    diagram.y_axis.title = "Antal, kumuleret"
    diagram.y_axis.crossAx = 500
    diagram.x_axis = DateAxis(crossAx=100, axPos="b")
    diagram.x_axis.number_format = "mmm"
    diagram.x_axis.majorTimeUnit = "months"
    diagram.x_axis.delete = False  # openpyxl hides the axes unless told
    diagram.y_axis.delete = False
    diagram.width = DIAGRAM_BREDDE
    diagram.legend.position = "b"  # below the plot, which keeps the chart's width
    diagram.add_data(Reference(blad.ws, min_col=2, max_col=len(overskrifter), min_row=start,
                               max_row=slut), titles_from_data=True)
    diagram.set_categories(Reference(blad.ws, min_col=1, min_row=start + 1, max_row=slut))
    farver = {FAKTISK_KOLONNE: (BLAA, None), FREMSKREVET_KOLONNE: (BLAA, "dash"),
              PRO_RATA_KOLONNE: (GROEN, None)}
    for serie, overskrift in zip(diagram.series, overskrifter[1:], strict=True):
        farve, streg = farver[overskrift]
        serie.smooth = False
        serie.graphicalProperties.line.solidFill = farve
        if streg:
            serie.graphicalProperties.line.dashStyle = streg
    return diagram


def _per_kommune(blad: _Blad, r: Resultat, indikator: Indikator, rapport: Rapport,
                 idag: date) -> None:
    kategori = r.detaljer.get("kategori", "land")
    forloeb = r.detaljer.get("grundlag") == "forloeb"
    enheder = "gennemførte forløb" if forloeb else "vejledte virksomheder"
    blad.tabel(["Nøgletal", "Værdi"], [
        [f"Andel af {enheder} i {kategori}kommuner",
         celle(blad.ws, r.detaljer.get(f"andel_{kategori}"), number_format=TAL_FORMAT["procent"])],
        [f"Andel af befolkningen i {kategori}kommuner",
         celle(blad.ws, r.detaljer.get(f"befolkningsandel_{kategori}"),
               number_format=TAL_FORMAT["procent"])],
        ["Afvigelse", celle(blad.ws, r.faktisk, number_format=TAL_FORMAT["procentpoint"])],
    ])
    blad.tom()
    start, slut = blad.tabel(
        ["Kommune", "Kode", "By/land", "Gennemførte forløb" if forloeb else "Vejledte virksomheder",
         "Andel af forløbene" if forloeb else "Andel af virksomhederne",
         "Befolkning", "Andel af befolkningen"],
        [[k["navn"], k["kode"], k["kategori"], k["virksomheder"], k["andel_virksomheder"],
          k["befolkning"], k["andel_befolkning"]] for k in r.detaljer.get("per_kommune", [])],
        formater={3: "#,##0", 4: TAL_FORMAT["procent"], 5: "#,##0", 6: TAL_FORMAT["procent"]},
    )
    if slut > start:
        diagram = _soejler("Vejledte virksomheder og befolkning pr. kommune", "Procent")
        for kolonne in (5, 7):
            diagram.add_data(Reference(blad.ws, min_col=kolonne, min_row=start, max_row=slut),
                             titles_from_data=True)
        diagram.set_categories(Reference(blad.ws, min_col=1, min_row=start + 1, max_row=slut))
        diagram.width = 26
        blad.diagram_under(diagram)


def _henvisningsandele(blad: _Blad, r: Resultat, indikator: Indikator, rapport: Rapport,
                       idag: date) -> None:
    parametre = indikator.parametre or {}
    raekker = selectors.henvisninger_efter_aktoertype(
        rapport.periode, parametre["henvist_til_aktoertyper"],
        forloebstyper=parametre.get("forloebstyper"), grundlag=parametre["grundlag"],
        erhvervshus_id=selectors.indikatorens_hus(indikator),
    )
    enhed = "Virksomheder" if parametre["grundlag"] == "virksomheder" else "Forløb"
    blad.linje(f"{enhed} med mindst én henvisning, efter aktørtype", font=DAEMPET_FONT)
    start, slut = blad.tabel(
        ["Aktørtype", f"{enhed} med henvisning", f"{enhed} i alt", "Andel", "Tæller i målet"],
        [[x["navn"], x["forloeb"], x["naevner"], x["andel"],
          "ja" if x["aktoertype"] == selectors.I_ALT else ""] for x in raekker],
        formater={1: "#,##0", 2: "#,##0", 3: TAL_FORMAT["procent"]},
    )
    diagram = _soejler("Andel af forløbene med henvisning", "Procent")
    diagram.legend = None  # one series, named by the title
    # Lying bars: the aktør types' names read across, in the table's order from the top.
    diagram.type = "bar"
    diagram.x_axis.scaling.orientation = "maxMin"
    diagram.x_axis.txPr = _tekst_pt(9)  # every name, also where the bars stand close
    diagram.x_axis.tickLblSkip = 1
    diagram.y_axis.title = None  # the axis reads "50 %"
    diagram.y_axis.scaling.min, diagram.y_axis.scaling.max = 0, 100
    diagram.y_axis.majorUnit = 25
    diagram.y_axis.number_format = '0" %"'
    diagram.add_data(Reference(blad.ws, min_col=4, min_row=start, max_row=slut),
                     titles_from_data=True)
    diagram.set_categories(Reference(blad.ws, min_col=1, min_row=start + 1, max_row=slut))
    # A line of the chart for each aktør type's name (LibreOffice leaves out every other name
    # where they stand closer).
    blad.diagram_ved(diagram, start - 1, slut, 5, mindst=2.5 + 0.8 * (slut - start))


def _maalinger(blad: _Blad, r: Resultat, indikator: Indikator, rapport: Rapport,
               idag: date) -> None:
    raekker = []
    for noegle in art(r.art).maalte_noegler(indikator.noegle, indikator.parametre or {}):
        poster = maalinger_af(indikator, noegle, rapport.periode, rapport_dag(rapport))
        for nr, m in enumerate(poster):
            # indikator_poster lists the latest first: the one the engine counts.
            raekker.append([m.noegle, m.dato, float(m.vaerdi), m.kilde, m.kommentar,
                            "ja" if nr == 0 else "nej"])
    if not raekker:
        blad.linje("Der er endnu ikke indtastet en værdi for perioden.", font=DAEMPET_FONT)
        return
    blad.tabel(["Nøgle", "Dato", "Værdi", "Kilde", "Kommentar", "Tæller med"], raekker,
               formater={2: "#,##0.00"})


def _milepael(blad: _Blad, r: Resultat, indikator: Indikator, rapport: Rapport,
              idag: date) -> None:
    statusser = list(
        selectors.indikator_poster(indikator, rapport.periode, idag=rapport_dag(rapport))
    )
    if rapport.godkendt and r.detaljer.get("fortaelling"):
        # The narrative as it stood when approved, whatever has been written since.
        blad.linje("Beskrivelse ved godkendelsen",
                   _tekst_celle(blad.ws, r.detaljer["fortaelling"]), lang=True)
    if statusser:
        ombryd = OMBRYD
        blad.tabel(
            ["Dato", "Status", "Beskrivelse", "Gælder i perioden"],
            [[s.dato, s.get_status_display(), celle(blad.ws, s.fortaelling, alignment=ombryd),
              "ja" if s.pk == r.detaljer.get("id") else "nej"] for s in statusser],
        )
    else:
        blad.linje("Der er endnu ikke sat en status for milepælen.", font=DAEMPET_FONT)
    if (indikator.parametre or {}).get("fyrtaarn"):
        _dokumentation(blad, indikator, rapport)


def _dokumentation(blad: _Blad, indikator: Indikator, rapport: Rapport) -> None:
    """The records tagged with the milestone's fyrtårn in the period, as evidence beside the
    narrative: all of them, newest first; the first :data:`DOKUMENTATION_VIST` of each list
    shown and printed (as the goal page shows them), the rest folded away below them."""
    poster = selectors.milepael_dokumentation(indikator, rapport.periode)
    aktiviteter, forloeb = list(poster["aktiviteter"]), list(poster["forloeb"])
    navn = indikator.parametre["fyrtaarn"].title()
    blad.tom()
    blad.linje(f"Dokumentation: poster mærket {navn}", font=OVERSKRIFT_FONT)
    if not aktiviteter and not forloeb:
        blad.linje(f"Ingen forløb eller aktiviteter i perioden er mærket {navn}.",
                   font=DAEMPET_FONT)
        return
    if aktiviteter:
        blad.linje(_dokumentation_titel("Aktiviteter", len(aktiviteter)), font=DAEMPET_FONT)
        blad.tabel(["Dato", "Aktivitet", "Type", "Ekstern id"],
                   [[a.dato, a.titel, a.get_type_display(), a.ekstern_id] for a in aktiviteter],
                   synlige=DOKUMENTATION_VIST)
    if forloeb:
        if aktiviteter:
            blad.tom()
        blad.linje(_dokumentation_titel("Forløb", len(forloeb)), font=DAEMPET_FONT)
        blad.tabel(["Forløb", "Virksomhed", "CVR", "Type", "Startdato", "Slutdato"],
                   [[f.ekstern_id, f.virksomhed.navn, f.virksomhed.cvr, f.get_type_display(),
                     f.startdato, f.slutdato or "igangværende"] for f in forloeb],
                   synlige=DOKUMENTATION_VIST)


def _dokumentation_titel(slags: str, antal: int) -> str:
    """The caption above a tagged list: "Forløb i perioden (7)", or for a list longer than
    :data:`DOKUMENTATION_VIST` how many are shown and printed and how to unfold the rest."""
    if antal <= DOKUMENTATION_VIST:
        return f"{slags} i perioden ({antal})"
    return (f"{slags} i perioden ({antal}; de {DOKUMENTATION_VIST} nyeste vises og udskrives, "
            f"de øvrige {antal - DOKUMENTATION_VIST} er foldet sammen under dem: + i margenen)")


# The sections beside a figure, by the name a kind gives (``Art.excel``).
UDSPECIFICERING = {
    "udvikling": _udvikling, "per_kommune": _per_kommune, "henvisninger": _henvisningsandele,
    "daekning": _daekning, "maalinger": _maalinger, "milepael": _milepael,
}
