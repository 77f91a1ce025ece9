"""The registration workbook (``IMPORTFORMAT.md``): its sheets and columns, how headers are
matched, and the writer that lays records out in that layout.

The same layout serves the raw-data export, the empty template and the report workbook's record
sheets, so anything written here can be imported again by ``forloeb.importer``.

Text that Excel could take for a formula (a cell beginning with ``=``, ``+``, ``-`` or ``@``) is
written as a text cell with Excel's quote prefix: it shows as typed and never runs. Dates are real
Excel dates shown the Danish way (``dd-mm-yyyy``) in every workbook the app writes.
"""

import io
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain, islice

from django.db.models import Prefetch, QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .models import Aktivitet, Aktoer, Emne, Forloeb, Fyrtaarn, Kommune, Programdeltagelse

LISTESKILLE = ";"
VEJLEDNINGSMAERKE = "Vejledning:"
VEJLEDNINGSARK = "Vejledning"
CHUNK = 2000
# Widths are fitted to the header and the first rows; the rest stream past without buffering.
BREDDE_PROEVE = 300
MAKS_BREDDE = 60
# One date format for every date cell the app writes: real Excel dates, shown the Danish way.
DATOFORMAT = "dd-mm-yyyy"
TEKSTFORMAT = "@"
# The template's formats and dropdowns reach this far down (its header is row 2).
SKABELON_RAEKKER = 5000

# Cell kinds, as the importer reads them.
TEKST, CVR, DATO, LISTE, JANEJ, KODE, TAL, HELTAL, KOMMUNE, KOMMUNER = (
    "tekst", "cvr", "dato", "liste", "janej", "kode", "tal", "heltal", "kommune", "kommuner"
)


@dataclass(frozen=True)
class Kolonne:
    """A column of a sheet. ``koder`` are the codes the importer reads; ``vist`` the ones the
    format documents, named in messages and offered in the template's dropdown, where a column
    reads more than it documents (Henvisninger's aktoertype also reads an export's 'klynge')."""

    navn: str
    art: str = TEKST
    koder: tuple[str, ...] = ()
    paakraevet: bool = False
    vist: tuple[str, ...] = ()

    @property
    def tilladte(self) -> tuple[str, ...]:
        return self.vist or self.koder


@dataclass(frozen=True)
class Ark:
    navn: str
    kolonner: tuple[Kolonne, ...]
    vejledning: str
    raekke: Callable
    forbered: Callable[[QuerySet], QuerySet]

    @property
    def overskrifter(self) -> list[str]:
        return [k.navn for k in self.kolonner]


def normaliser_overskrift(tekst) -> str:
    """'Ekstern ID', 'ekstern_id' and 'EKSTERN-ID' are one header; 'Forløb' is 'forloeb'."""
    tekst = str(tekst or "").strip().lower()
    for dansk, ascii_ in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        tekst = tekst.replace(dansk, ascii_)
    tekst = unicodedata.normalize("NFKD", tekst).encode("ascii", "ignore").decode()
    return "".join(c for c in tekst if c.isalnum())


def liste(vaerdier: Iterable[str]) -> str:
    return LISTESKILLE.join(sorted(vaerdier))


def ja_nej(vaerdi: bool) -> str:
    return "ja" if vaerdi else "nej"


# --- The nine sheets --------------------------------------------------------------------------

FORLOEBSTYPER = tuple(Forloeb.Type.values)
EMNER = ("baeredygtighed", "ai", "digitalisering", "eksport", "rekruttering", "finansiering",
         "innovation", "andet")
FYRTAARNE = tuple(Fyrtaarn.values)
AKTOERTYPER = tuple(Aktoer.Type.values)
HENVISNING_AKTOERTYPER = ("statslig", "privat", "lokal", "anden")


def _virksomhed(v):
    return (v.cvr, v.navn, v.kommune_id, v.stiftelsesdato)


def _forloeb(f):
    return (
        f.ekstern_id, f.virksomhed.cvr, f.type, f.startdato, f.slutdato, f.raadgiver,
        liste(e.kode for e in f.emner.all()), f.fyrtaarn,
    )


def _aktoer(a):
    return (a.navn, a.type, liste(k.kode for k in a.kommuner.all()))


def _henvisning(h):
    return (h.forloeb.ekstern_id, h.aktoer.navn, h.aktoer.type, h.dato)


def _ai_tjek(t):
    return (t.ekstern_id, t.virksomhed.cvr, t.dato, ja_nej(t.henvist_af_lokal_erhvervsservice))


def _aktivitet(a):
    return (
        a.ekstern_id, a.type, a.dato, a.titel, liste(p.navn for p in a.partnere.all()),
        liste(k.kode for k in a.kommuner.all()), a.fyrtaarn,
    )


def _programdeltagelse(p):
    return (p.virksomhed.cvr, p.program, p.status, p.dato)


def _samarbejdsaftale(s):
    return (s.aktoer.navn, s.dato, s.beskrivelse)


def _maaling(m):
    return (m.noegle, m.aar, m.vaerdi, m.kilde, m.dato, m.kommentar)


def _kun_koder(felt):
    return Prefetch(felt, queryset=Kommune.objects.only("kode"))


ARK: dict[str, Ark] = {
    ark.navn: ark
    for ark in (
        Ark(
            "Virksomheder",
            (Kolonne("cvr", CVR, paakraevet=True), Kolonne("navn", paakraevet=True),
             Kolonne("kommunekode", KOMMUNE, paakraevet=True), Kolonne("stiftelsesdato", DATO,
                                                                     paakraevet=True)),
            "Én række pr. virksomhed. CVR med 8 cifre, kommunekode med 3 cifre (hovedsædet), "
            "stiftelsesdato som dato.",
            _virksomhed,
            lambda qs: qs,
        ),
        Ark(
            "Forloeb",
            (Kolonne("ekstern_id", paakraevet=True), Kolonne("cvr", CVR, paakraevet=True),
             Kolonne("type", KODE, FORLOEBSTYPER, paakraevet=True),
             Kolonne("startdato", DATO, paakraevet=True), Kolonne("slutdato", DATO),
             Kolonne("raadgiver"), Kolonne("emner", LISTE, EMNER),
             Kolonne("fyrtaarn", KODE, FYRTAARNE)),
            "type: kort, handlingsplan, vaekstplan eller omstillingsplan. Tom slutdato = "
            "igangværende. emner adskilt af ; (baeredygtighed;ai;…). fyrtaarn: tom, femern "
            "eller biosolutions.",
            _forloeb,
            lambda qs: qs.select_related("virksomhed").prefetch_related(
                Prefetch("emner", queryset=Emne.objects.only("kode"))
            ),
        ),
        Ark(
            "Aktoerer",
            (Kolonne("navn", paakraevet=True), Kolonne("type", KODE, AKTOERTYPER, paakraevet=True),
             Kolonne("kommunekoder", KOMMUNER)),
            "type: statslig, privat, lokal, klynge eller anden. kommunekoder adskilt af ; "
            "(for lokal: de kommuner, aktøren betjener).",
            _aktoer,
            lambda qs: qs.prefetch_related(_kun_koder("kommuner")),
        ),
        Ark(
            "Henvisninger",
            (Kolonne("forloeb_ekstern_id", paakraevet=True), Kolonne("aktoer", paakraevet=True),
             Kolonne("aktoertype", KODE, AKTOERTYPER, vist=HENVISNING_AKTOERTYPER),
             Kolonne("dato", DATO, paakraevet=True)),
            "Forløbets ekstern_id, aktørens navn og henvisningens dato. En ukendt aktør "
            "oprettes med aktoertype (statslig, privat, lokal eller anden).",
            _henvisning,
            lambda qs: qs.select_related("forloeb", "aktoer").only(
                "dato", "forloeb__ekstern_id", "aktoer__navn", "aktoer__type"
            ),
        ),
        Ark(
            "AI-tjek",
            (Kolonne("ekstern_id", paakraevet=True), Kolonne("cvr", CVR, paakraevet=True),
             Kolonne("dato", DATO, paakraevet=True),
             Kolonne("henvist_af_lokal_erhvervsservice", JANEJ)),
            "henvist_af_lokal_erhvervsservice: ja eller nej.",
            _ai_tjek,
            lambda qs: qs.select_related("virksomhed"),
        ),
        Ark(
            "Aktiviteter",
            (Kolonne("ekstern_id", paakraevet=True),
             Kolonne("type", KODE, tuple(Aktivitet.Type.values), paakraevet=True),
             Kolonne("dato", DATO, paakraevet=True), Kolonne("titel", paakraevet=True),
             Kolonne("partnere", LISTE), Kolonne("kommunekoder", KOMMUNER),
             Kolonne("fyrtaarn", KODE, FYRTAARNE)),
            "type: faelles_aktivitet, klyngearrangement, event eller andet. partnere: aktørnavne "
            "adskilt af ;. kommunekoder adskilt af ;.",
            _aktivitet,
            lambda qs: qs.prefetch_related(
                Prefetch("partnere", queryset=Aktoer.objects.only("navn")), _kun_koder("kommuner")
            ),
        ),
        Ark(
            "Programmer",
            (Kolonne("cvr", CVR, paakraevet=True),
             Kolonne("program", KODE, tuple(Programdeltagelse.Program.values), paakraevet=True),
             Kolonne("status", KODE, tuple(Programdeltagelse.Status.values), paakraevet=True),
             Kolonne("dato", DATO, paakraevet=True)),
            "program: attraktive_arbejdspladser eller smv_vaekstpilot. status: ansoegt, "
            "bevilget eller afslag.",
            _programdeltagelse,
            lambda qs: qs.select_related("virksomhed"),
        ),
        Ark(
            "Samarbejdsaftaler",
            (Kolonne("aktoer", paakraevet=True), Kolonne("dato", DATO, paakraevet=True),
             Kolonne("beskrivelse")),
            "aktoer: en erhvervsklynge (aktørtype klynge), som appen kender eller arket "
            "Aktoerer opretter.",
            _samarbejdsaftale,
            lambda qs: qs.select_related("aktoer"),
        ),
        Ark(
            "Maalinger",
            (Kolonne("noegle", paakraevet=True), Kolonne("aar", HELTAL, paakraevet=True),
             Kolonne("vaerdi", TAL, paakraevet=True), Kolonne("kilde", paakraevet=True),
             Kolonne("dato", DATO, paakraevet=True), Kolonne("kommentar")),
            "noegle: en indikatornøgle, f.eks. M3.nps eller M14.omsaetning. vaerdi som tal "
            "(procent som 71,4). kilde: ERST, DST, Erhvervshus Hovedstaden, økonomisystemet …",
            _maaling,
            lambda qs: qs,
        ),
    )
}
ARK_NAVNE = tuple(ARK)
ARK_EFTER_NORMALISERET = {normaliser_overskrift(navn): navn for navn in ARK_NAVNE}


# --- Writing -----------------------------------------------------------------------------------

OVERSKRIFT_FONT = Font(bold=True)
OVERSKRIFT_FYLD = PatternFill("solid", fgColor="DCE6F1")
VEJLEDNING_FONT = Font(italic=True, color="5A6570")


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
TYPISK_BREDDE = {TEKST: 20, CVR: 10, DATO: 10, LISTE: 28, JANEJ: 4, KODE: 0, TAL: 10, HELTAL: 6,
                 KOMMUNE: 6, KOMMUNER: 16}
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
