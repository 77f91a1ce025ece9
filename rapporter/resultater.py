"""The indicator engine: a contract and a period in, a list of results out.

``indikator_resultater`` is what every page, chart and export shows; ``rapport_for`` wraps it
with the contract's identity for the JSON report and the Excel workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from maal.models import Resultatkontrakt

from . import beregning, selectors
from .beregning import Periode, Resultat


def indikator_resultater(
    kontrakt: Resultatkontrakt, periode: Periode, *, idag: date
) -> list[Resultat]:
    """Every indicator of ``kontrakt`` for ``periode``, ordered by goal number and
    ``raekkefoelge``. The number of queries does not grow with the number of records: one for
    the indicators, one per record model counted (forløb, AI-tjek, aktiviteter, …), two for the
    by/land table and population, one per dækning indicator, one for målinger and one for
    milestones."""
    defs = selectors.indikator_defs(kontrakt)
    arter = {d.art for d in defs}
    tal, vejledte = selectors.optaelling(defs, periode)
    kommuner = (
        selectors.per_kommune(kontrakt, periode, vejledte=vejledte) if "fordeling" in arter else []
    )
    maalte_noegler = {d.noegle for d in defs if d.art == "maaling"} | {
        d.parametre[del_] for d in defs if d.art == "forhold" for del_ in ("taeller", "naevner")
    }
    maalinger = selectors.maalinger(kontrakt, maalte_noegler, periode.til) if maalte_noegler else []
    milepaele = selectors.milepaele(kontrakt, periode.til) if "milepael" in arter else {}

    resultater = []
    for d in defs:
        if d.art == "antal":
            r = beregning.resultat_antal(d, tal[d.noegle][0], periode, idag)
        elif d.art == "andel":
            taeller, naevner = tal[d.noegle]
            r = beregning.resultat_andel(d, taeller, naevner, periode, idag)
        elif d.art == "fordeling":
            r = beregning.resultat_fordeling(d, kommuner, periode, idag)
        elif d.art == "daekning":
            daekkede, alle = selectors.daekning(kontrakt, d.parametre, periode)
            r = beregning.resultat_daekning(d, daekkede, alle, periode, idag)
        elif d.art == "maaling":
            seneste = beregning.seneste_maaling(maalinger, d.noegle, periode.til)
            r = beregning.resultat_maaling(d, seneste, periode, idag)
        elif d.art == "forhold":
            taeller = beregning.seneste_maaling(maalinger, d.parametre["taeller"], periode.til)
            naevner = beregning.seneste_maaling(maalinger, d.parametre["naevner"], periode.til)
            r = beregning.resultat_forhold(d, taeller, naevner, periode, idag)
        elif d.art == "milepael":
            seneste = beregning.seneste_milepael(milepaele.get(d.id, []), periode.til)
            r = beregning.resultat_milepael(d, seneste)
        else:
            raise ValueError(f"Ukendt indikatorart '{d.art}' for {d.noegle}.")
        resultater.append(r)
    return resultater


@dataclass(frozen=True)
class Rapport:
    kontrakt_navn: str
    erhvervshus: str
    aar: int
    modpart: str
    periode: Periode
    beregnet: datetime
    resultater: list[Resultat] = field(default_factory=list)

    def som_json(self) -> dict:
        """The machine-readable report of KONTRAKT-2025.md."""
        return {
            "kontrakt": {
                "erhvervshus": self.erhvervshus, "aar": self.aar, "modpart": self.modpart,
                "navn": self.kontrakt_navn,
            },
            "periode": {
                "navn": self.periode.navn, "fra": self.periode.fra.isoformat(),
                "til": self.periode.til.isoformat(), "titel": self.periode.titel,
            },
            "beregnet": _lokal(self.beregnet).isoformat(),
            "indikatorer": [r.som_json() for r in self.resultater],
        }


def _lokal(tidspunkt: datetime) -> datetime:
    """Danish local time in the report (``+01:00``/``+02:00``) rather than UTC."""
    return timezone.localtime(tidspunkt) if timezone.is_aware(tidspunkt) else tidspunkt


def rapport_for(
    kontrakt: Resultatkontrakt, periode: Periode, *, idag: date, beregnet: datetime
) -> Rapport:
    """The report of ``kontrakt`` for ``periode``, as computed at ``beregnet``."""
    return Rapport(
        kontrakt_navn=str(kontrakt),
        erhvervshus=kontrakt.erhvervshus.navn,
        aar=kontrakt.aar,
        modpart=kontrakt.modpart,
        periode=periode,
        beregnet=beregnet,
        resultater=indikator_resultater(kontrakt, periode, idag=idag),
    )
