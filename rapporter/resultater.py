"""The indicator engine: a contract and a period in, a list of results out.

``indikator_resultater`` is what every page, chart and export shows; ``rapport_for`` wraps it
with the contract's identity for the JSON report and the Excel workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from maal.models import Resultatkontrakt

from .beregning import Periode, Resultat


def indikator_resultater(
    kontrakt: Resultatkontrakt, periode: Periode, *, idag: date
) -> list[Resultat]:
    """Every indicator of ``kontrakt`` for ``periode``, ordered by goal number and
    ``raekkefoelge``. The number of queries does not grow with the number of records."""
    raise NotImplementedError


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
            "beregnet": self.beregnet.isoformat(),
            "indikatorer": [r.som_json() for r in self.resultater],
        }


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
