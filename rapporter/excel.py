"""The half-year report as an Excel workbook, laid out from a ``Rapport`` (rapporter.resultater).

Sheets, in order:

- **Oversigt**: a title block (contract, period, computation time, approval) and one row per
  indicator as on the status page: goal, indicator, target, actual, expected, degree met and the
  status word on its colour.
- **Mål 1 … Mål 15**: the goal's indicators, then what the goal page shows beside them: per
  kommune and by/land against population (fordeling), referral shares by aktør type (andel of
  henvisninger), covered and missing aktører (dækning), the entered values with their sources
  (måling, forhold) and the milestone narratives, with a native Excel chart where the page has
  one (counts against expectation and target; kommuner; referral shares).
- **Virksomheder, Forloeb, …, Maalinger**: the period's records in the registration workbook's
  layout, written by ``forloeb.arbejdsbog``; the importer reads them and skips the sheets above.

The writer counts nothing: every figure is the Rapport's (the JSON report's); the breakdowns
come from ``rapporter.selectors`` and the Resultat's own ``detaljer``.
"""

from datetime import date

from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from forloeb.arbejdsbog import (
    ARK,
    ARK_NAVNE,
    MAKS_BREDDE,
    OVERSKRIFT_FONT,
    OVERSKRIFT_FYLD,
    bredde,
    celle,
    skriv_ark,
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
from .beregning import STATUS_IKON, STATUS_TEKST, STATUS_TONE, Resultat
from .resultater import Rapport

DATO = "dd-mm-yyyy"
TAL_FORMAT = {
    "antal": "#,##0", "procent": '0.0" %"', "point": "0.0", "procentpoint": '0.0" pp"',
    "faktor": "0.00",
}
DECIMAL_FORMAT = {"antal": "#,##0.0"}
OPFYLDELSE_FORMAT = "0.0%"
RETNING = {"gte": "≥", "gt": ">", "lte": "≤"}
ENHED = {"antal": "antal", "procent": "%", "point": "point", "procentpoint": "procentpoint",
         "faktor": "faktor", "status": "status"}
TONE_FARVER = {  # fill, font: the status page's colours
    "god": ("E3F3E6", "1E7B34"), "advarsel": ("FFF4D6", "8A5A00"),
    "daarlig": ("FBE4E2", "B3261E"), "neutral": ("ECEFF2", "57606A"),
}
DIAGRAM_RAEKKER = 17
TITEL_FONT = Font(bold=True, size=14)
MELLEMRUBRIK_FONT = Font(bold=True, size=12)
DAEMPET_FONT = Font(italic=True, color="5A6570")
OVERSIGT_KOLONNER = [
    "Mål", "Målets titel", "Nøgle", "Indikator", "Enhed", "Retning", "Måltal", "Faktisk",
    "Forventet", "Opfyldelse", "Status", "Statuskode",
]
INDIKATOR_KOLONNER = OVERSIGT_KOLONNER[2:]


def rapport_arbejdsbog(rapport: Rapport) -> bytes:
    """The report workbook of ``rapport``: overview, a sheet per goal, the period's records."""
    kontrakt = Resultatkontrakt.objects.select_related("erhvervshus").get(
        erhvervshus__navn=rapport.erhvervshus, aar=rapport.aar
    )
    maal = list(kontrakt.maal.prefetch_related("indikatorer"))
    wb = Workbook(write_only=True)
    _oversigt(wb, rapport, maal)
    for et_maal in maal:
        _maal_ark(wb, rapport, et_maal)
    for navn, queryset in periodens_registreringer(kontrakt, rapport.periode).items():
        skriv_ark(wb, ARK[navn], queryset)
    return som_bytes(wb)


def periodens_registreringer(kontrakt: Resultatkontrakt, periode) -> dict:
    """The period's records, sheet by sheet: forløb gennemført in it or still igangværende at
    its end, the dated records in it, the målinger that may count, and the companies and
    aktører they name (so the sheets import on their own)."""
    i_perioden = Q(dato__gte=periode.fra, dato__lte=periode.til)
    forloeb = Forloeb.objects.filter(
        Q(slutdato__gte=periode.fra, slutdato__lte=periode.til)
        | Q(slutdato__isnull=True, startdato__lte=periode.til)
    )
    ai_tjek = AITjek.objects.filter(i_perioden)
    programmer = Programdeltagelse.objects.filter(i_perioden)
    henvisninger = Henvisning.objects.filter(forloeb__in=forloeb)
    aktiviteter = Aktivitet.objects.filter(i_perioden)
    aftaler = Samarbejdsaftale.objects.filter(i_perioden)
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
            erhvervshus=kontrakt.erhvervshus, aar=kontrakt.aar, dato__lte=periode.til
        ),
    }
    return {navn: ark[navn] for navn in ARK_NAVNE}


# --- A small free-form sheet --------------------------------------------------------------------


class _Blad:
    """A sheet laid out top to bottom and written at the end, so that the widths fit every row
    of its tables (a write-only sheet takes widths before its first row)."""

    def __init__(self, wb: Workbook, titel: str):
        self.ws = wb.create_sheet(titel)
        self.raekker: list[list] = []
        self.tilpas: list[bool] = []
        self.diagrammer: list[tuple] = []

    @property
    def naeste(self) -> int:
        return len(self.raekker) + 1

    def linje(self, *vaerdier, font=None, tilpas: bool = False) -> int:
        """A line of text (titles, notes); it widens the columns only with ``tilpas``."""
        self.raekker.append([celle(self.ws, v, font=font) for v in vaerdier])
        self.tilpas.append(tilpas)
        return len(self.raekker)

    def tom(self) -> None:
        self.linje()

    def tabel(self, overskrifter, raekker, *, formater: dict[int, str] | None = None) -> tuple:
        """A header and rows of values or ready cells; ``formater`` maps a column index to a
        number format. Returns the header's row number and the last row's."""
        start = self.naeste
        self.raekker.append(
            [celle(self.ws, o, font=OVERSKRIFT_FONT, fill=OVERSKRIFT_FYLD) for o in overskrifter]
        )
        self.tilpas.append(True)
        for raekke in raekker:
            self.raekker.append([self._celle(i, v, formater or {}) for i, v in enumerate(raekke)])
            self.tilpas.append(True)
        return start, self.naeste - 1

    def _celle(self, i: int, vaerdi, formater: dict):
        if isinstance(vaerdi, Cell):
            return vaerdi
        if isinstance(vaerdi, date):
            return celle(self.ws, vaerdi, number_format=DATO)
        return celle(self.ws, vaerdi, number_format=formater.get(i))

    def diagram(self, diagram, kolonne: str, raekke: int) -> None:
        """Place a chart with its top left at ``kolonne``/``raekke``, and keep the rows it
        covers clear of the next section below."""
        self.diagrammer.append((diagram, f"{kolonne}{raekke}"))
        while self.naeste < raekke + DIAGRAM_RAEKKER:
            self.tom()

    def skriv(self, *, frys: str | None = None, filter_ref: str | None = None) -> None:
        bredder: dict[int, int] = {}
        for raekke, tilpas in zip(self.raekker, self.tilpas, strict=True):
            if not tilpas:
                continue
            for i, c in enumerate(raekke, 1):
                bredder[i] = max(bredder.get(i, 0), bredde(c.value))
        for i, tegn in bredder.items():
            self.ws.column_dimensions[get_column_letter(i)].width = min(tegn + 3, MAKS_BREDDE)
        if frys:
            self.ws.freeze_panes = frys
        for diagram, anker in self.diagrammer:
            self.ws.add_chart(diagram, anker)
        for raekke in self.raekker:
            self.ws.append(raekke)
        if filter_ref:
            self.ws.auto_filter.ref = filter_ref


def _status_celle(ws, kode: str):
    """The status word with its icon on the status page's colour."""
    fyld, farve = TONE_FARVER[STATUS_TONE[kode]]
    return celle(ws, f"{STATUS_IKON[kode]} {STATUS_TEKST[kode]}",
                 font=Font(bold=True, color=farve), fill=PatternFill("solid", fgColor=fyld))


# --- Overview -----------------------------------------------------------------------------------


def _indikator_celler(ws, r: Resultat) -> list:
    """An indicator's row as on the status page, each figure in its unit's number format."""
    fmt = TAL_FORMAT.get(r.enhed)
    opfyldelse = TAL_FORMAT["procentpoint"] if r.art == "fordeling" else OPFYLDELSE_FORMAT
    return [
        celle(ws, r.noegle), celle(ws, r.titel), celle(ws, ENHED.get(r.enhed, r.enhed)),
        celle(ws, RETNING.get(r.retning, r.retning)),
        celle(ws, r.maalvaerdi, number_format=fmt), celle(ws, r.faktisk, number_format=fmt),
        celle(ws, r.forventet, number_format=DECIMAL_FORMAT.get(r.enhed, fmt)),
        celle(ws, r.opfyldelse, number_format=opfyldelse),
        _status_celle(ws, r.status), celle(ws, r.status),
    ]


def _titelblok(blad: _Blad, rapport: Rapport, undertitel: str = "") -> None:
    blad.linje(f"Resultatkontrakt {rapport.aar}: {rapport.erhvervshus} og {rapport.modpart}",
               font=TITEL_FONT)
    if undertitel:
        blad.linje(undertitel, font=MELLEMRUBRIK_FONT)
    periode = rapport.periode
    blad.linje("Periode", f"{periode.titel} ({periode.fra:%d-%m-%Y} – {periode.til:%d-%m-%Y})",
               tilpas=True)
    beregnet = timezone.localtime(rapport.beregnet) if timezone.is_aware(rapport.beregnet) \
        else rapport.beregnet
    blad.linje("Beregnet", f"{beregnet:%d-%m-%Y %H:%M}", tilpas=True)
    # Reports cannot be approved yet; the row is where the approval will stand.
    blad.linje("Godkendelse", "Ikke godkendt", tilpas=True)


def _oversigt(wb: Workbook, rapport: Rapport, maal: list[Maal]) -> None:
    blad = _Blad(wb, "Oversigt")
    _titelblok(blad, rapport)
    blad.tom()
    titler = {m.nummer: m.titel for m in maal}
    start, slut = blad.tabel(OVERSIGT_KOLONNER, [
        [r.maal_nr, titler.get(r.maal_nr, ""), *_indikator_celler(blad.ws, r)]
        for r in rapport.resultater
    ])
    blad.tom()
    blad.linje("Faktisk og forventet i målets enhed; opfyldelse er faktisk / måltal (for mål 8 "
               "afvigelsen i procentpoint). Forventet er måltallet fordelt jævnt over året.",
               font=DAEMPET_FONT)
    blad.skriv(frys=f"A{start + 1}",
               filter_ref=f"A{start}:{get_column_letter(len(OVERSIGT_KOLONNER))}{slut}")


# --- One sheet per goal -----------------------------------------------------------------------


def _maal_ark(wb: Workbook, rapport: Rapport, maal: Maal) -> None:
    blad = _Blad(wb, f"Mål {maal.nummer}")
    resultater = [r for r in rapport.resultater if r.maal_nr == maal.nummer]
    indikatorer = {i.noegle: i for i in maal.indikatorer.all()}
    _titelblok(blad, rapport, f"Mål {maal.nummer}: {maal.titel} ({maal.get_niveau_display()})")
    blad.linje("Målet", maal.maal_tekst)
    blad.tom()
    start, slut = blad.tabel(
        INDIKATOR_KOLONNER, [_indikator_celler(blad.ws, r) for r in resultater]
    )
    frys = f"A{start + 1}"
    filter_ref = f"A{start}:{get_column_letter(len(INDIKATOR_KOLONNER))}{slut}"
    _taellinger_diagram(blad, resultater, start)
    for r in resultater:
        indikator = indikatorer.get(r.noegle)
        blad.tom()
        blad.linje(f"{r.noegle}: {r.titel}", font=MELLEMRUBRIK_FONT)
        if indikator is not None and indikator.regel:
            blad.linje("Tælleregel", indikator.regel)
        if indikator is not None:
            _udspecificering(blad, r, indikator, rapport)
    blad.skriv(frys=frys, filter_ref=filter_ref)


def _taellinger_diagram(blad: _Blad, resultater: list[Resultat], tabel_start: int) -> None:
    """Counts against expectation and target, as bars, for the goal's counted indicators."""
    taellinger = [r for r in resultater if r.art in ("antal", "daekning")]
    if not taellinger:
        return
    blad.tom()
    blad.linje("Diagramdata: faktisk, forventet og måltal", font=DAEMPET_FONT)
    start, slut = blad.tabel(
        ["Indikator", "Faktisk", "Forventet", "Måltal"],
        [[r.titel[:60], r.faktisk, r.forventet, r.maalvaerdi] for r in taellinger],
        formater={1: "#,##0", 2: "#,##0.0", 3: "#,##0"},
    )
    diagram = _soejler("Faktisk mod forventet og måltal", "Antal")
    diagram.add_data(Reference(blad.ws, min_col=2, max_col=4, min_row=start, max_row=slut),
                     titles_from_data=True)
    diagram.set_categories(Reference(blad.ws, min_col=1, min_row=start + 1, max_row=slut))
    blad.diagram(diagram, get_column_letter(len(INDIKATOR_KOLONNER) + 2), tabel_start)


def _soejler(titel: str, y_titel: str) -> BarChart:
    diagram = BarChart()
    diagram.type = "col"
    diagram.title = titel
    diagram.y_axis.title = y_titel
    diagram.x_axis.delete = False  # openpyxl hides the axes unless told
    diagram.y_axis.delete = False
    diagram.height, diagram.width = 7.5, 18  # cm; 7.5 cm is about 15 rows
    return diagram


def _udspecificering(blad: _Blad, r: Resultat, indikator: Indikator, rapport: Rapport) -> None:
    """What the goal page shows beside an indicator's figure."""
    if r.art == "fordeling":
        _per_kommune(blad, r)
    elif r.art == "andel" and (indikator.parametre or {}).get("henvist_til_aktoertyper"):
        _henvisningsandele(blad, r, indikator, rapport)
    elif r.art == "daekning":
        daekkede, manglende = r.detaljer.get("daekkede", []), r.detaljer.get("manglende", [])
        blad.tabel(["Aktør", "Dækket i perioden"],
                   [[n, "ja"] for n in daekkede] + [[n, "nej"] for n in manglende])
    elif r.art in ("maaling", "forhold"):
        _maalinger(blad, r, indikator, rapport)
    elif r.art == "milepael":
        _milepael(blad, r, indikator, rapport)


def _per_kommune(blad: _Blad, r: Resultat) -> None:
    kategori = r.detaljer.get("kategori", "land")
    blad.tabel(["Nøgletal", "Værdi"], [
        [f"Andel af vejledte virksomheder i {kategori}kommuner",
         celle(blad.ws, r.detaljer.get(f"andel_{kategori}"), number_format=TAL_FORMAT["procent"])],
        [f"Andel af befolkningen i {kategori}kommuner",
         celle(blad.ws, r.detaljer.get(f"befolkningsandel_{kategori}"),
               number_format=TAL_FORMAT["procent"])],
        ["Afvigelse", celle(blad.ws, r.faktisk, number_format=TAL_FORMAT["procentpoint"])],
    ])
    blad.tom()
    start, slut = blad.tabel(
        ["Kommune", "Kode", "By/land", "Vejledte virksomheder", "Andel af virksomhederne",
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
        blad.diagram(diagram, "I", start)


def _henvisningsandele(blad: _Blad, r: Resultat, indikator: Indikator, rapport: Rapport) -> None:
    raekker = selectors.henvisninger_efter_aktoertype(
        rapport.periode, forloebstyper=(indikator.parametre or {}).get("forloebstyper")
    )
    blad.linje("Forløb med mindst én henvisning, efter aktørtype", font=DAEMPET_FONT)
    start, slut = blad.tabel(
        ["Aktørtype", "Forløb med henvisning", "Forløb i alt", "Andel", "Tæller i målet"],
        [[x["navn"], x["forloeb"], x["naevner"], x["andel"],
          "ja" if x["aktoertype"] == "ekstern" else ""] for x in raekker],
        formater={1: "#,##0", 2: "#,##0", 3: TAL_FORMAT["procent"]},
    )
    diagram = _soejler("Andel af forløbene med henvisning", "Procent")
    diagram.add_data(Reference(blad.ws, min_col=4, min_row=start, max_row=slut),
                     titles_from_data=True)
    diagram.set_categories(Reference(blad.ws, min_col=1, min_row=start + 1, max_row=slut))
    blad.diagram(diagram, "G", start)


def _maalinger(blad: _Blad, r: Resultat, indikator: Indikator, rapport: Rapport) -> None:
    dele = ["taeller"] if r.art == "maaling" else ["taeller", "naevner"]
    raekker = []
    for del_ in dele:
        for nr, m in enumerate(selectors.indikator_poster(indikator, rapport.periode, del_)):
            # indikator_poster lists the latest first: the one the engine counts.
            raekker.append([m.noegle, m.dato, float(m.vaerdi), m.kilde, m.kommentar,
                            "ja" if nr == 0 else "nej"])
    if not raekker:
        blad.linje("Der er endnu ikke indtastet en værdi for perioden.", font=DAEMPET_FONT)
        return
    blad.tabel(["Nøgle", "Dato", "Værdi", "Kilde", "Kommentar", "Tæller med"], raekker,
               formater={2: "#,##0.00"})


def _milepael(blad: _Blad, r: Resultat, indikator: Indikator, rapport: Rapport) -> None:
    statusser = list(selectors.indikator_poster(indikator, rapport.periode))
    if not statusser:
        blad.linje("Der er endnu ikke sat en status for milepælen.", font=DAEMPET_FONT)
        return
    ombryd = Alignment(wrap_text=True, vertical="top")
    blad.tabel(
        ["Dato", "Status", "Beskrivelse", "Gælder i perioden"],
        [[s.dato, s.get_status_display(), celle(blad.ws, s.fortaelling, alignment=ombryd),
          "ja" if nr == 0 else "nej"] for nr, s in enumerate(statusser)],
    )
