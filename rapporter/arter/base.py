"""The base class of an indicator kind, and what the engine hands it.

The engine (``rapporter.resultater``) asks every kind of the contract's indicators what it needs
(:meth:`Art.optaellinger`, :meth:`Art.maalte_noegler`, :attr:`Art.kommuner`,
:attr:`Art.milepaele`), fetches all of it at once in a constant number of queries
(:class:`Grundtal`) and then asks each kind for its result (:meth:`Art.resultat`), which calls
the kind's pure rule in ``rapporter.beregning``. The drill-down (:meth:`Art.poster`) uses the
very filters the counts use. The rest of the class is hints for the renderers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from maal.parametre import SKEMAER, Skema

from ..beregning import KommuneTal

if TYPE_CHECKING:
    from django.db.models import Count, Model, QuerySet

    from maal.models import Indikator, Resultatkontrakt

    from ..beregning import IndikatorDef, MaaltVaerdi, MilepaelTal, Periode, Resultat

ARTER: dict[str, Art] = {}


def registrer(klasse: type[Art]) -> type[Art]:
    """Class decorator: one instance of the kind in :data:`ARTER`, keyed by its ``navn``."""
    ARTER[klasse.navn] = klasse()
    return klasse


@dataclass(frozen=True)
class Optaelling:
    """One count a kind asks of the shared aggregate over ``model``'s records dated in the
    period (by ``datofelt``): ``rapporter.selectors.optaelling`` computes every count on the same
    model in one query. ``pr_kommune`` (forløb only) keeps the count per company's kommune."""

    navn: str
    model: type[Model]
    datofelt: str
    udtryk: Count
    pr_kommune: bool = False


@dataclass(frozen=True)
class Grundtal:
    """What the engine fetched for the whole contract and period: the counts by
    :attr:`Optaelling.navn` (per kommune for ``pr_kommune``), the region's kommuner with their
    category and population, the entered values and the milestone statuses."""

    kontrakt: Resultatkontrakt
    til: date | None
    tal: dict[str, int] = field(default_factory=dict)
    pr_kommune: dict[str, dict[str, int]] = field(default_factory=dict)
    kommuner: list[tuple[str, str, str, int]] = field(default_factory=list)
    maalinger: list[MaaltVaerdi] = field(default_factory=list)
    milepaele: dict[int, list[MilepaelTal]] = field(default_factory=dict)

    def kommunetal(self, navn: str) -> list[KommuneTal]:
        """The kommuner of the region with the count ``navn`` in each."""
        antal = self.pr_kommune.get(navn, {})
        return [
            KommuneTal(kode=kode, navn=knavn, kategori=kategori,
                       virksomheder=antal.get(kode, 0), befolkning=befolkning)
            for kode, knavn, kategori, befolkning in self.kommuner
        ]


class Art:
    """An indicator kind. Subclasses set ``navn`` and override the hooks they need."""

    navn: ClassVar[str] = ""

    # --- The engine ---------------------------------------------------------------------------
    kommuner: ClassVar[bool] = False  # needs the region's kommuner, by/land and population
    milepaele: ClassVar[bool] = False  # needs the milestone statuses

    @property
    def skema(self) -> Skema:
        """The parameters the kind accepts (``maal/parametre.py``)."""
        return SKEMAER[self.navn]

    def optaellinger(self, d: IndikatorDef) -> list[Optaelling]:
        """The counts this indicator asks of the shared aggregate."""
        return []

    def maalte_noegler(self, noegle: str, parametre: dict) -> list[str]:
        """The keys of the entered values (målinger) the indicator reads and shows."""
        return []

    def resultat(self, d: IndikatorDef, g: Grundtal, periode: Periode, idag: date) -> Resultat:
        raise NotImplementedError

    # --- The drill-down -----------------------------------------------------------------------
    dele: ClassVar[tuple[str, ...]] = ()  # the parts whose records the drill-down page lists

    def poster(self, indikator: Indikator, periode: Periode, del_: str, *,
               idag: date | None) -> QuerySet:
        """Exactly the records behind the ``taeller`` (or ``naevner``) in ``periode``."""
        raise ValueError(f"{indikator.noegle} har ingen poster at vise.")

    # --- Hints for the renderers --------------------------------------------------------------
    # How the figure is shown: "antal" (a linked count), "andel" (a share with its count),
    # "taeller_naevner" ("12 af 17"), "maalt" (an entered value), "milepael" (a status).
    visning: ClassVar[str] = "maalt"
    faktisk_etiket: ClassVar[str] = "Faktisk"
    opfyldelse_enhed: ClassVar[str | None] = None  # None: shown as a percentage of the target
    uden_maaltal: ClassVar[str] = "intet måltal"  # the target column without a target
    med_enhed: ClassVar[bool] = True  # unit and direction shown (a milestone has none)
    kurve: ClassVar[bool] = False  # a count drawn through the year and projected to year end
    i_taellediagram: ClassVar[bool] = False  # in the workbook's counts-against-target chart
    skabelon: ClassVar[str] = ""  # the goal page's partial below the figure ("" for none)
    excel: ClassVar[str] = ""  # the workbook's section beside the figure (excel.UDSPECIFICERING)

    def taeller_naevner_etiket(self, resultat: Resultat) -> str:
        """The goal page's label of "taeller af naevner" ("" when it shows none)."""
        return ""

    def ekstra_noegletal(self, resultat: Resultat) -> list[tuple[str, Any, str]]:
        """Extra key figures of the goal page, ``(label, value, unit)``; a kind that gives any
        shows them instead of the degree met."""
        return []

    def figur(self, kontekst: dict) -> dict:
        """The goal page's chart: ``{"figur", "figur_tekst", ...}``, or ``{}`` for none.
        ``kontekst`` holds ``indikator``, ``resultat``, ``periode``, ``idag``, ``fremskrevet``,
        ``aar`` and last year's ``forrige`` indicator and ``forrige_periode``."""
        return {}

    def json_ekstra(self, resultat: Resultat) -> dict:
        """Extra keys of the indicator's entry in the JSON report."""
        return {}
