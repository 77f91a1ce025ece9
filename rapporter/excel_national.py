"""The yearly report to KL and Erhvervsstyrelsen as Excel workbooks (seed: "Erhvervshusene skal
årligt afrapportere til KL og Erhvervsstyrelsen om resultatopfyldelse").

- :func:`national_arbejdsbog`: one workbook for all houses: **Oversigt** compares the houses on
  goals 1–6 as the national page does (Mål 1 against each house's share of the national target
  and the sum against the year's total; then one row per national indicator, per house its
  figure and status), then **a sheet per house** with its national and local indicators as on
  its status page (a house without a contract for the year says so).
- :func:`hus_arbejdsbog`: one house's report for the year: the report workbook's overview and goal
  sheets (``rapporter.excel``), without the registration sheets, which are the house's own
  records and not part of what KL and Erhvervsstyrelsen read; so a fyrtårn's tagged records
  are counted there, not listed.

Both lay out a :class:`rapporter.national.Oversigt` or a ``Rapport``; they count nothing. Cells,
number formats, the status colours and the title block are ``rapporter.excel``'s.
"""

from django.utils import timezone
from openpyxl import Workbook

from forloeb.arbejdsbog import OVERSKRIFT_FONT, celle, som_bytes
from maal.models import Maal, Resultatkontrakt

from .blad import Blad
from .excel import (
    DAEMPET_FONT,
    MELLEMRUBRIK_FONT,
    OPFYLDELSE_FORMAT,
    OVERSIGT_KOLONNER,
    TAL_FORMAT,
    TITEL_FONT,
    _indikator_celler,
    _maal_ark,
    _oversigt,
    _status_celle,
    _tekst_celle,
    _titelblok,
    optaelling_tekst,
    rapport_dag,
    udskriftstitel,
)
from .national import ANDEL_KILDE, NATIONALT_MAAL_I_ALT, Oversigt
from .resultater import Rapport

INGEN_KONTRAKT = "ingen kontrakt"
M1_KOLONNER = ["Erhvervshus", "Vejledte iværksættere", "Husets andel", "Af andelen", "Status",
               "Godkendelse"]


def hus_arbejdsbog(rapport: Rapport) -> bytes:
    """One house's yearly report: overview (national and local goals) and a sheet per goal."""
    kontrakt = Resultatkontrakt.objects.get(erhvervshus__navn=rapport.erhvervshus,
                                            aar=rapport.aar)
    maal = list(kontrakt.maal.prefetch_related("indikatorer"))
    idag = rapport_dag(rapport)
    wb = Workbook(write_only=True)
    titel = udskriftstitel(rapport)
    _oversigt(wb, rapport, maal, idag, titel)
    for et_maal in maal:
        # A fyrtårn's tagged records are counted, not listed: they are the house's own.
        _maal_ark(wb, rapport, et_maal, idag, titel, poster=False)
    return som_bytes(wb)


def national_arbejdsbog(oversigt: Oversigt) -> bytes:
    wb = Workbook(write_only=True)
    _national_oversigt(wb, oversigt)
    titler = _maaltitler(oversigt)
    for i, hus in enumerate(oversigt.huse, 1):
        _hus_ark(wb, oversigt, hus, i, titler)
    return som_bytes(wb)


def _maaltitler(oversigt: Oversigt) -> dict[int, dict[int, tuple[str, str]]]:
    """Per contract id: goal number → (title, niveau), one query for all houses."""
    titler: dict[int, dict[int, tuple[str, str]]] = {}
    ids = [h.kontrakt.pk for h in oversigt.med_kontrakt]
    for m in Maal.objects.filter(kontrakt_id__in=ids).only("kontrakt_id", "nummer", "titel",
                                                           "niveau"):
        titler.setdefault(m.kontrakt_id, {})[m.nummer] = (m.titel, m.niveau)
    return titler


def _udskriftstitel(oversigt: Oversigt) -> str:
    """The print header: "Nationalt overblik · 1. halvår 2025"."""
    return f"Nationalt overblik · {oversigt.periode.titel}"


def _national_oversigt(wb: Workbook, oversigt: Oversigt) -> None:
    blad = Blad(wb, "Oversigt")
    periode = oversigt.periode
    blad.linje(f"Nationalt overblik {oversigt.aar}: erhvervshusenes nationale mål 1–6",
               font=TITEL_FONT)
    blad.linje("Periode", f"{periode.titel} ({periode.fra:%d-%m-%Y} – {periode.til:%d-%m-%Y})",
               tilpas=True)
    beregnet = oversigt.beregnet
    if timezone.is_aware(beregnet):
        beregnet = timezone.localtime(beregnet)
    blad.linje("Beregnet", f"{beregnet:%d-%m-%Y %H:%M}", tilpas=True)
    blad.linje("Huse med kontrakt", f"{len(oversigt.med_kontrakt)} af {len(oversigt.huse)}",
               tilpas=True)
    blad.tom()
    blad.linje("Mål 1: iværksættere mod husets andel af det nationale mål",
               font=MELLEMRUBRIK_FONT)
    ws = blad.ws
    raekker = []
    for h in oversigt.huse:
        m1 = h.m1
        raekker.append([
            h.navn,
            INGEN_KONTRAKT if h.kontrakt is None else (m1.faktisk if m1 else None),
            h.andel, celle(ws, h.m1_af_andel, number_format=OPFYLDELSE_FORMAT),
            _status_celle(ws, m1.status) if m1 else None,
            h.rapport.godkendelse_tekst if h.rapport else None,
        ])
    raekker.append([
        f"I alt ({len(oversigt.med_kontrakt)} af {len(oversigt.huse)} huse)",
        oversigt.m1_i_alt, oversigt.andele_i_alt,
        celle(ws, oversigt.m1_i_alt_af_andele, number_format=OPFYLDELSE_FORMAT), None, None,
    ])
    blad.tabel(M1_KOLONNER, raekker, formater={1: TAL_FORMAT["antal"], 2: TAL_FORMAT["antal"]})
    blad.linje(f"Rammeaftalen: mindst {NATIONALT_MAAL_I_ALT:,} vejledte virksomheder under 3 år "
               "om året samlet set frem til 2027.".replace(",", "."), font=DAEMPET_FONT)
    blad.linje(ANDEL_KILDE, font=DAEMPET_FONT)
    blad.tom()
    blad.linje("Nationale mål 1–6, hus for hus (husets tal og status mod dets eget måltal)",
               font=MELLEMRUBRIK_FONT)
    overskrifter = ["Mål", "Nøgle", "Indikator", "Enhed"]
    for h in oversigt.huse:
        overskrifter += [h.kort_navn, f"{h.kort_navn}: status"]
    tabel = []
    for _nummer, _titel, raekker_ in oversigt.maal:
        for raekke in raekker_:
            enhed = next((r.enhed for _, r in raekke.celler if r), "")
            linje = [raekke.maal_nr, raekke.noegle, raekke.titel, enhed]
            for h, r in raekke.celler:
                if h.kontrakt is None:
                    linje += [INGEN_KONTRAKT, None]
                elif r is None:
                    linje += [None, None]
                else:
                    linje += [celle(ws, r.faktisk, number_format=TAL_FORMAT.get(r.enhed)),
                              _status_celle(ws, r.status)]
            tabel.append(linje)
    blad.tabel(overskrifter, tabel)
    blad.tom()
    blad.linje("Hvert hus' tal er dets resultatkontrakts: for et godkendt halvår eller år den "
               "godkendte version, ellers dagens tal. Husenes egne ark viser alle indikatorer.",
               font=DAEMPET_FONT)
    blad.skriv(titel=_udskriftstitel(oversigt), frys="A2")


def _hus_ark(wb: Workbook, oversigt: Oversigt, hus, nr: int, titler: dict) -> None:
    blad = Blad(wb, hus.navn[:31])
    if hus.rapport is None:
        blad.linje(hus.navn, font=TITEL_FONT)
        blad.linje(f"Ingen resultatkontrakt for {oversigt.aar}.", font=DAEMPET_FONT)
        blad.skriv(titel=f"{hus.navn} · {_udskriftstitel(oversigt)}")
        return
    rapport = hus.rapport
    _titelblok(blad, rapport)
    indikatorer, milepaele = optaelling_tekst(rapport, rapport_dag(rapport))
    blad.linje("Indikatorer", indikatorer, font=OVERSKRIFT_FONT)
    if milepaele:
        blad.linje("Milepæle", milepaele)
    maal = titler.get(hus.kontrakt.pk, {})
    for niveau, overskrift, tabelnavn in ((Maal.Niveau.NATIONAL, "Nationale mål", "National"),
                                          (Maal.Niveau.LOKAL, "Lokale mål", "Lokal")):
        resultater = [r for r in rapport.resultater
                      if maal.get(r.maal_nr, ("", ""))[1] == niveau]
        blad.tom()
        blad.linje(overskrift, font=MELLEMRUBRIK_FONT)
        start, slut = blad.tabel(OVERSIGT_KOLONNER, [
            [r.maal_nr, maal.get(r.maal_nr, ("", ""))[0], *_indikator_celler(blad.ws, r),
             _tekst_celle(blad.ws, rapport.forklaring(r.maal_nr, r.noegle))]
            for r in resultater
        ])
        if slut > start:
            blad.excel_tabel(f"{tabelnavn}_{nr}", OVERSIGT_KOLONNER, start, slut)
    blad.skriv(titel=udskriftstitel(rapport))
