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
  costs no rows, and a goal prints on at most two pages (see ``rapporter.blad``). The kommune
  chart, whose seventeen bars need the width, stands below its table from column A. A goal with
  several counts (goal 7's five) shows their months in one table after the indicators'
  sections, the dates once and each count's columns under its key (a second table when they
  would make the sheet wider), and their curves side by side below it.
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

from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.axis import DateAxis
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from forloeb.arbejdsbog import (
    ARK,
    ARK_NAVNE,
    DATOFORMAT,
    OVERSKRIFT_FONT,
    OVERSKRIFT_FYLD,
    SKRIFT,
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
from .blad import DIAGRAM_BREDDE, OMBRYD, Blad, udskrift
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
# Several counts in one table (_udviklinger): short column names, explained above the table.
KORT_KOLONNE = {FAKTISK_KOLONNE: "Faktisk", PRO_RATA_KOLONNE: "Fordelt",
                FREMSKREVET_KOLONNE: "Fremskrevet"}
FORKLARING_KOLONNE = {FAKTISK_KOLONNE: "antallet kumuleret",
                      PRO_RATA_KOLONNE: "måltallet fordelt jævnt over året",
                      FREMSKREVET_KOLONNE: "i nuværende tempo til 31. december"}
CENTRERET = Alignment(horizontal="center")
IKKE_BEGYNDT = "Perioden er ikke begyndt; der er endnu intet at vise."
TONE_FARVER = {  # fill, font: the status page's colours
    "god": ("E3F3E6", "1E7B34"), "advarsel": ("FFF4D6", "8A5A00"),
    "daarlig": ("FBE4E2", "B3261E"), "neutral": ("ECEFF2", "57606A"),
}
DOKUMENTATION_VIST = 10  # a milestone's tagged records shown and printed, as on the goal page
TITEL_FONT = Font(name=SKRIFT, bold=True, size=14)
MELLEMRUBRIK_FONT = Font(name=SKRIFT, bold=True, size=12)
DAEMPET_FONT = Font(name=SKRIFT, italic=True, color="5A6570")
OVERSIGT_KOLONNER = [
    "Mål", "Målets titel", "Nøgle", "Indikator", "Enhed", "Retning", "Måltal", "Faktisk",
    "Forventet", "Opfyldelse", "Status", "Statuskode", "Forklaring",
]
INDIKATOR_KOLONNER = OVERSIGT_KOLONNER[2:-1]  # a goal sheet shows the explanations as text
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


# --- Cells ------------------------------------------------------------------------------------


def _status_celle(ws, kode: str):
    """The status word with its icon on the status page's colour."""
    fyld, farve = TONE_FARVER[STATUS_TONE[kode]]
    return celle(ws, f"{STATUS_IKON[kode]} {STATUS_TEKST[kode]}",
                 font=Font(name=SKRIFT, bold=True, color=farve),
                 fill=PatternFill("solid", fgColor=fyld))


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


def _titelblok(blad: Blad, rapport: Rapport, undertitel: str = "") -> None:
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
    blad = Blad(wb, "Oversigt")
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


def _maal_ark(wb: Workbook, rapport: Rapport, maal: Maal, idag: date, titel: str, *,
              poster: bool = True) -> None:
    """A goal's sheet. ``poster=False`` (the house's report to KL and Erhvervsstyrelsen,
    ``rapporter.excel_national``): a fyrtårn's tagged records are counted, not listed."""
    blad = Blad(wb, f"Mål {maal.nummer}")
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
    # Several counts share one table of their curves, after the indicators' sections.
    kurver = [(r, indikatorer[r.noegle]) for r in resultater
              if art(r.art).excel == "udvikling" and r.noegle in indikatorer]
    samlet = len(kurver) > 1
    for r in resultater:
        indikator = indikatorer.get(r.noegle)
        blad.tom()
        blad.linje(f"{r.noegle}: {r.titel}", font=MELLEMRUBRIK_FONT, hold=True)
        if indikator is not None and indikator.regel:
            blad.linje("Tælleregel", indikator.regel, tilpas=True, lang=True, hold=True)
        if (r.maal_nr, r.noegle) in rapport.forklaringer:
            blad.linje("Forklaring",
                       _tekst_celle(blad.ws, rapport.forklaringer[(r.maal_nr, r.noegle)]),
                       lang=True, hold=True)
        if indikator is None:
            continue
        if samlet and art(r.art).excel == "udvikling":
            _fremskrevet(blad, r, rapport, idag)
        else:
            _udspecificering(blad, r, indikator, rapport, idag)
        if (indikator.parametre or {}).get("fyrtaarn"):
            _dokumentation(blad, indikator, rapport, poster=poster)
    if samlet:
        _udviklinger(blad, kurver, rapport, idag)
    # Printed, every page repeats the goal's title row.
    blad.skriv(titel=titel, gentag=(2, 2), frys=frys, filter_ref=filter_ref)


def _taellinger_diagram(blad: Blad, resultater: list[Resultat]) -> None:
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


def _udspecificering(blad: Blad, r: Resultat, indikator: Indikator, rapport: Rapport,
                     idag: date) -> None:
    """What the goal page shows beside an indicator's figure: the section its kind names
    (``Art.excel``, a key of :data:`UDSPECIFICERING`)."""
    afsnit = UDSPECIFICERING.get(art(r.art).excel)
    if afsnit is not None:
        afsnit(blad, r, indikator, rapport, idag)


def _daekning(blad: Blad, r: Resultat, indikator: Indikator, rapport: Rapport,
              idag: date) -> None:
    daekkede, manglende = r.detaljer.get("daekkede", []), r.detaljer.get("manglende", [])
    blad.tabel(["Aktør", "Dækket i perioden"],
               [[n, "ja"] for n in daekkede] + [[n, "nej"] for n in manglende])


def _udvikling(blad: Blad, r: Resultat, indikator: Indikator, rapport: Rapport,
               idag: date) -> None:
    """The count month by month through the period (the goal page's curve, per month end)
    against the target spread evenly over the year, and while the year runs the projection to
    31 December, as a table with a line chart beside it."""
    _fremskrevet(blad, r, rapport, idag)
    kolonner, punkter = _kurve(r, indikator, rapport, idag)
    if not punkter:
        blad.linje(IKKE_BEGYNDT, font=DAEMPET_FONT)
        return
    overskrifter = [DATO_KOLONNE, *kolonner]
    start, slut = blad.tabel(
        overskrifter, [[punkt.get(o) for o in overskrifter] for punkt in punkter],
        formater={i: UDVIKLING_FORMAT[o] for i, o in enumerate(overskrifter)
                  if o in UDVIKLING_FORMAT},
    )
    diagram = _udviklingsdiagram(blad, "Udvikling gennem året, ved hver måneds slut",
                                 list(enumerate(kolonner, 2)), start, slut)
    blad.diagram_ved(diagram, start, slut, len(overskrifter))


def _udviklinger(blad: Blad, kurver: list[tuple[Resultat, Indikator]], rapport: Rapport,
                 idag: date) -> None:
    """Several counts month by month (goal 7's five): a table of their dates once and each
    count's columns under its key, as many counts to a table as the sheet is wide (a second
    table holds the rest), with the counts' curves side by side below. A table with its curve
    beside it for each count would take goal 7 to three pages."""
    blad.tom()
    blad.linje("Udvikling gennem året, ved hver måneds slut", font=MELLEMRUBRIK_FONT, hold=True)
    kurver = [(r, *_kurve(r, indikator, rapport, idag)) for r, indikator in kurver]
    if not any(punkter for *_, punkter in kurver):
        blad.linje(IKKE_BEGYNDT, font=DAEMPET_FONT)
        return
    blad.linje(" · ".join(f"{KORT_KOLONNE[k]}: {FORKLARING_KOLONNE[k]}" for k in KORT_KOLONNE
                          if any(k in kolonner for _, kolonner, _ in kurver)),
               font=DAEMPET_FONT, hold=True)
    datoer = sorted({punkt[DATO_KOLONNE] for *_, punkter in kurver for punkt in punkter})

    def raekker(tabel) -> list[list]:
        ud = [[dato] for dato in datoer]
        for _, kolonner, punkter in tabel:
            pr_dato = {punkt[DATO_KOLONNE]: punkt for punkt in punkter}
            for raekke, dato in zip(ud, datoer, strict=True):
                raekke += [pr_dato.get(dato, {}).get(k) for k in kolonner]
        return ud

    tabeller = [[kurver[0]]]
    for kurve in kurver[1:]:
        proeve = [*tabeller[-1], kurve]
        overskrifter = [DATO_KOLONNE] + [KORT_KOLONNE[k] for _, kolonner, _ in proeve
                                         for k in kolonner]
        if blad.passer([overskrifter, *raekker(proeve)]):
            tabeller[-1].append(kurve)
        else:
            tabeller.append([kurve])
    diagrammer = []
    for nr, tabel in enumerate(tabeller):
        if nr:
            blad.tom()
        noegler = [None]  # the row above the header: each count's key over its columns
        overskrifter, formater, grupper = [DATO_KOLONNE], {}, []
        for r, kolonner, _ in tabel:
            grupper.append((r, [(len(overskrifter) + 1 + i, k) for i, k in enumerate(kolonner)]))
            blad.flet(blad.naeste, len(overskrifter) + 1, len(overskrifter) + len(kolonner))
            noegler += [celle(blad.ws, r.noegle, font=OVERSKRIFT_FONT, fill=OVERSKRIFT_FYLD,
                              alignment=CENTRERET)]
            noegler += [celle(blad.ws, None, fill=OVERSKRIFT_FYLD) for _ in kolonner[1:]]
            for k in kolonner:
                formater[len(overskrifter)] = UDVIKLING_FORMAT[k]
                overskrifter.append(KORT_KOLONNE[k])
        blad.linje(*noegler, hold=True)
        start, slut = blad.tabel(overskrifter, raekker(tabel), formater=formater)
        diagrammer += [
            _udviklingsdiagram(blad, f"{r.noegle}, ved hver måneds slut", serier, start, slut)
            for r, serier in grupper
        ]
    blad.diagrammer_under(diagrammer)


def _fremskrevet(blad: Blad, r: Resultat, rapport: Rapport, idag: date) -> None:
    """While the year runs: the count at 31 December in the pace so far (the goal page's)."""
    fremskrevet = fremskrivning(r, rapport.periode, idag)
    if fremskrevet is not None:
        blad.linje("Fremskrevet til 31. december",
                   celle(blad.ws, fremskrevet, number_format=TAL_FORMAT["antal"]),
                   "i nuværende tempo", tilpas=True)


def _kurve(r: Resultat, indikator: Indikator, rapport: Rapport,
           idag: date) -> tuple[list[str], list[dict]]:
    """A count's curve as the workbook tabulates it: its columns after the date (the actual
    count; the target spread evenly over the year when it has one; the projection while the year
    runs) and a row per month end, each a dict by column (read by ``kolonner``: a row may hold
    more); no rows before the period begins."""
    periode = rapport.periode
    punkter = selectors.kumulativ_udvikling(indikator, periode, interval="maaned", idag=idag)
    fremskrevet = fremskrivning(r, periode, idag)
    aarets_slut = date(periode.aar, 12, 31)
    if not punkter:
        return [], []
    med_fremskrivning = fremskrevet is not None and punkter[-1]["dato"] < aarets_slut
    kolonner = [FAKTISK_KOLONNE]
    if r.maalvaerdi is not None:
        kolonner.append(PRO_RATA_KOLONNE)
    if med_fremskrivning:
        kolonner.append(FREMSKREVET_KOLONNE)
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
    return kolonner, raekker


def _udviklingsdiagram(blad: Blad, titel: str, serier: list[tuple[int, str]], start: int,
                       slut: int) -> LineChart:
    """A curve of a table's columns ``serier`` (column number, and its full name for the
    legend) from row ``start`` (the header) to ``slut``, by the dates in column A."""
    diagram = LineChart()
    _titel(diagram, titel)
    diagram.y_axis.title = "Antal, kumuleret"
    diagram.y_axis.crossAx = 500
    diagram.x_axis = DateAxis(crossAx=100, axPos="b")
    diagram.x_axis.number_format = "mmm"
    diagram.x_axis.majorTimeUnit = "months"
    diagram.x_axis.delete = False  # openpyxl hides the axes unless told
    diagram.y_axis.delete = False
    diagram.width = DIAGRAM_BREDDE
    diagram.legend.position = "b"  # below the plot, which keeps the chart's width
    farver = {FAKTISK_KOLONNE: (BLAA, None), FREMSKREVET_KOLONNE: (BLAA, "dash"),
              PRO_RATA_KOLONNE: (GROEN, None)}
    for kolonne, navn in serier:
        serie = Series(Reference(blad.ws, min_col=kolonne, min_row=start + 1, max_row=slut),
                       title=navn)
        farve, streg = farver[navn]
        serie.smooth = False
        serie.graphicalProperties.line.solidFill = farve
        if streg:
            serie.graphicalProperties.line.dashStyle = streg
        diagram.series.append(serie)
    diagram.set_categories(Reference(blad.ws, min_col=1, min_row=start + 1, max_row=slut))
    return diagram


def _per_kommune(blad: Blad, r: Resultat, indikator: Indikator, rapport: Rapport,
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
        overskrift_ombryd=14,  # its long headers over short figures
    )
    if slut > start:
        diagram = _soejler("Vejledte virksomheder og befolkning pr. kommune", "Procent")
        for kolonne in (5, 7):
            diagram.add_data(Reference(blad.ws, min_col=kolonne, min_row=start, max_row=slut),
                             titles_from_data=True)
        diagram.set_categories(Reference(blad.ws, min_col=1, min_row=start + 1, max_row=slut))
        diagram.width = 26
        blad.diagram_under(diagram)


def _henvisningsandele(blad: Blad, r: Resultat, indikator: Indikator, rapport: Rapport,
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


def _maalinger(blad: Blad, r: Resultat, indikator: Indikator, rapport: Rapport,
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


def _milepael(blad: Blad, r: Resultat, indikator: Indikator, rapport: Rapport,
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


def _dokumentation(blad: Blad, indikator: Indikator, rapport: Rapport, *,
                   poster: bool = True) -> None:
    """The records tagged with the milestone's fyrtårn in the period, as evidence beside the
    narrative: all of them, newest first; the first :data:`DOKUMENTATION_VIST` of each list
    shown and printed (as the goal page shows them), the rest folded away below them. With
    ``poster=False`` only how many: the records (companies, CVR numbers) are the house's own."""
    maerket = selectors.milepael_dokumentation(indikator, rapport.periode)
    aktiviteter, forloeb = list(maerket["aktiviteter"]), list(maerket["forloeb"])
    navn = indikator.parametre["fyrtaarn"].title()
    blad.tom()
    blad.linje(f"Dokumentation: poster mærket {navn}", font=OVERSKRIFT_FONT)
    if not aktiviteter and not forloeb:
        blad.linje(f"Ingen forløb eller aktiviteter i perioden er mærket {navn}.",
                   font=DAEMPET_FONT)
        return
    if not poster:
        blad.linje("Aktiviteter i perioden", len(aktiviteter), tilpas=True)
        blad.linje("Forløb i perioden", len(forloeb), tilpas=True)
        blad.linje("Posterne selv står i husets egen rapport.", font=DAEMPET_FONT)
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
