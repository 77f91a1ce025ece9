"""The workbook writer: records laid out in the sheets of ``forloeb.arbejdsbog.ark``, and the
empty template.

The same layout serves the raw-data export, the empty template and the report workbook's record
sheets, so anything written here can be imported again by ``forloeb.importer``.

Text that Excel could take for a formula (a cell beginning with ``=``, ``+``, ``-`` or ``@``) is
written as a text cell with Excel's quote prefix: it shows as typed and never runs. Dates are real
Excel dates shown the Danish way (``dd-mm-yyyy``) in every workbook the app writes.
"""

import io
from collections.abc import Iterable
from datetime import date, datetime
from itertools import chain, islice

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .ark import (
    ARK,
    ARK_NAVNE,
    CVR,
    DATO,
    HELTAL,
    JANEJ,
    KODE,
    KOMMUNE,
    KOMMUNER,
    LISTE,
    NAVN,
    TAL,
    TEKST,
    VEJLEDNINGSARK,
    VEJLEDNINGSMAERKE,
    Ark,
    Kolonne,
)

CHUNK = 2000
# Widths are fitted to the header and the first rows; the rest stream past without buffering.
BREDDE_PROEVE = 300
MAKS_BREDDE = 60
# One date format for every date cell the app writes: real Excel dates, shown the Danish way.
DATOFORMAT = "dd-mm-yyyy"
TEKSTFORMAT = "@"
# The template's formats and dropdowns reach this far down (its header is row 2).
SKABELON_RAEKKER = 5000


# Every font names the workbook's own (Calibri, the default style's): a font without a name is
# shown in the program's fallback, a serif in LibreOffice, wider than the columns are fitted to.
SKRIFT = "Calibri"
OVERSKRIFT_FONT = Font(name=SKRIFT, bold=True)
OVERSKRIFT_FYLD = PatternFill("solid", fgColor="DCE6F1")
VEJLEDNING_FONT = Font(name=SKRIFT, italic=True, color="5A6570")


def er_formelagtig(vaerdi) -> bool:
    """Text Excel would run or misread if typed: formulas, signs, error codes, control chars."""
    return isinstance(vaerdi, str) and bool(vaerdi) and (
        vaerdi[0] in "=+-@\t\r" or vaerdi in ERROR_CODES
    )


def celle(ws, vaerdi, *, font=None, fill=None, number_format=None, alignment=None):
    """A write-only cell; formula-looking text is stored as text with Excel's quote prefix, and
    a date without a given format is shown as ``dd-mm-yyyy``."""
    c = WriteOnlyCell(ws, value=vaerdi)
    if number_format is None and isinstance(vaerdi, date):
        number_format = DATOFORMAT
    if er_formelagtig(vaerdi):
        c.data_type = "s"
        c.quotePrefix = True
    if font is not None:
        c.font = font
    if fill is not None:
        c.fill = fill
    if number_format is not None:
        c.number_format = number_format
    if alignment is not None:
        c.alignment = alignment
    return c


def sikker_raekke(ws, raekke: Iterable) -> list:
    """Plain values pass as they are (fast); formula-looking text and dates become styled cells
    (a bare date would get openpyxl's ``yyyy-mm-dd``)."""
    return [celle(ws, v) if isinstance(v, date) or er_formelagtig(v) else v for v in raekke]


def bredde(vaerdi) -> int:
    """About how many characters a value takes in a cell, for fitting a column."""
    if vaerdi is None:
        return 0
    if isinstance(vaerdi, datetime | date):
        return 10
    if isinstance(vaerdi, float):
        return len(f"{vaerdi:,.1f}")
    return max((len(linje) for linje in str(vaerdi).splitlines()), default=0)


def skriv_tabel(
    ws, overskrifter: list[str], raekker: Iterable[Iterable], *, vejledning: str = "",
    number_formats: dict[int, str] | None = None, min_bredder: dict[int, int] | None = None,
) -> int:
    """Write a header (optionally under a guidance row) and rows to a write-only sheet, with the
    header frozen, an auto-filter and fitted widths (at least ``min_bredder`` characters, by
    column number). Returns the number of data rows."""
    raekker = iter(raekker)
    proeve = [list(r) for r in islice(raekker, BREDDE_PROEVE)]
    for nr, navn in enumerate(overskrifter, 1):
        tegn = max([len(navn), (min_bredder or {}).get(nr, 0),
                    *(bredde(r[nr - 1]) for r in proeve if len(r) >= nr)])
        ws.column_dimensions[get_column_letter(nr)].width = min(tegn + 3, MAKS_BREDDE)
    # The header's row: below the guidance row, if any. Views go out with the first row.
    foerste = 2 if vejledning else 1
    ws.freeze_panes = f"A{foerste + 1}"
    if vejledning:
        ws.append([celle(ws, f"{VEJLEDNINGSMAERKE} {vejledning}", font=VEJLEDNING_FONT)])
    ws.append(
        [celle(ws, navn, font=OVERSKRIFT_FONT, fill=OVERSKRIFT_FYLD) for navn in overskrifter]
    )
    formater = number_formats or {}
    antal = 0
    for raekke in chain(proeve, raekker):
        vaerdier = sikker_raekke(ws, raekke)
        for indeks, fmt in formater.items():
            if indeks < len(vaerdier) and isinstance(vaerdier[indeks], int | float):
                vaerdier[indeks] = celle(ws, vaerdier[indeks], number_format=fmt)
        ws.append(vaerdier)
        antal += 1
    sidste = get_column_letter(max(len(overskrifter), 1))
    ws.auto_filter.ref = f"A{foerste}:{sidste}{foerste + antal}"
    return antal


def raekker(ark: Ark, queryset: QuerySet):
    """The rows of ``queryset`` in ``ark``'s layout, fetched in chunks."""
    return (ark.raekke(obj) for obj in ark.forbered(queryset).iterator(chunk_size=CHUNK))


def skriv_ark(wb: Workbook, ark: Ark, queryset: QuerySet, *, titel: str | None = None) -> int:
    ws = wb.create_sheet(titel or ark.navn)
    return skriv_tabel(ws, ark.overskrifter, raekker(ark, queryset))


def som_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def skriv_arbejdsbog(ark: dict[str, QuerySet]) -> bytes:
    """The given records as an importable workbook: one sheet per key (an IMPORTFORMAT sheet
    name), written in the format's sheet order."""
    ukendte = set(ark) - set(ARK)
    if ukendte:
        raise ValueError(f"Ukendte ark: {', '.join(sorted(ukendte))}")
    wb = Workbook(write_only=True)
    for navn in ARK_NAVNE:
        if navn in ark:
            skriv_ark(wb, ARK[navn], ark[navn])
    return som_bytes(wb)


def skriv_skabelon() -> bytes:
    """The empty template: a 'Vejledning' sheet (ignored by the importer), then every sheet with
    one guidance row above its header. The importer accepts it unchanged."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(VEJLEDNINGSARK)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 110
    linjer = [
        ("Registreringsarbejdsbog", ""),
        ("", "Udfyld de ark, du har data til; ark uden rækker springes over, og ark kan slettes."),
        ("", "Række 1 i hvert ark er en vejledning og læses ikke. Overskrifterne står i række 2."),
        ("", "Datoer som Excel-datoer, ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ. Lister adskilles af ;."),
        ("", "Rækker matches på ekstern_id eller deres naturlige nøgle, så samme fil kan "
             "indlæses igen uden at ændre noget. Rækker, der ikke står i filen, slettes ikke."),
        ("", "Dette ark læses ikke af importen."),
        ("", ""),
    ]
    for navn in ARK_NAVNE:
        linjer.append((navn, ARK[navn].vejledning))
    for a, b in linjer:
        ws.append([celle(ws, a, font=OVERSKRIFT_FONT), celle(ws, b)])
    for navn in ARK_NAVNE:
        _skabelon_ark(wb, ARK[navn])
    return som_bytes(wb)


# What a column's values usually take, for the empty template's widths (codes: the longest).
TYPISK_BREDDE = {TEKST: 20, NAVN: 20, CVR: 10, DATO: 10, LISTE: 28, JANEJ: 4, KODE: 0, TAL: 10,
                 HELTAL: 6, KOMMUNE: 6, KOMMUNER: 16}
DROPDOWN_PLADS = 3  # the dropdown's arrow covers the end of a narrow cell


def _skabelon_ark(wb: Workbook, ark: Ark) -> None:
    """One empty sheet of the template, ready to be typed into: columns as wide as their header
    and the values they take, identifiers and kommunekoder as text (so leading zeros and long
    digit strings survive), dates shown as dd-mm-yyyy, and a dropdown on each code column."""
    ws = wb.create_sheet(ark.navn)
    bredder = {}
    for nr, kolonne in enumerate(ark.kolonner, 1):
        bogstav = get_column_letter(nr)
        bredder[nr] = max([TYPISK_BREDDE[kolonne.art], *map(len, kolonne.tilladte)])
        fmt = _skabelon_format(kolonne)
        if fmt:
            ws.column_dimensions[bogstav].number_format = fmt
        if kolonne.art in (KODE, JANEJ):
            bredder[nr] += DROPDOWN_PLADS
            omraade = f"{bogstav}3:{bogstav}{SKABELON_RAEKKER}"
            ws.data_validations.append(_dropdown(kolonne, omraade))
    skriv_tabel(ws, ark.overskrifter, [], vejledning=ark.vejledning, min_bredder=bredder)


def _skabelon_format(kolonne: Kolonne) -> str | None:
    if kolonne.art == DATO:
        return DATOFORMAT
    if kolonne.art in (CVR, KOMMUNE, KOMMUNER) or kolonne.navn.endswith("ekstern_id"):
        return TEKSTFORMAT
    return None


def _dropdown(kolonne: Kolonne, omraade: str) -> DataValidation:
    koder = ("ja", "nej") if kolonne.art == JANEJ else kolonne.tilladte
    liste_ = ", ".join(koder)
    dv = DataValidation(
        type="list", formula1='"' + ",".join(koder) + '"', allow_blank=True,
        # Excel allows titles of at most 32 characters.
        showErrorMessage=True, errorTitle="Ukendt værdi",
        error=f"{kolonne.navn} skal være en af: {liste_}.",
        showInputMessage=True, promptTitle=kolonne.navn[:32], prompt=f"Vælg en af: {liste_}.",
    )
    dv.add(omraade)
    return dv
