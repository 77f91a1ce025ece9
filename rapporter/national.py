"""The national picture: the six erhvervshuse side by side on the shared national goals (1–6).

The national goals follow from the framework agreement between KL and Erhvervsministeriet for
2024–27 and are the same in every house's contract, so an indicator is matched across houses by
its ``noegle`` (``Maal.niveau == "national"``). Each house's figures are its contract's report as
every other page shows it (``rapporter.godkendelse.rapport_til_visning``: the newest approved
version of an approved H1 or helår, marked, else today's figures): a constant number of queries
per house, none per record. A house without a contract for the year shows "ingen kontrakt".

Mål 1 (``M1.ivaerksaettere``) is also held against each house's share of the national target
(``maal.Maalandel``; 1.200 iværksættere a year together by 2027), and the houses' sum against the
year's sum of the shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from maal.models import Erhvervshus, Indikator, Maal, Maalandel, Resultatkontrakt

from .beregning import Periode, Resultat, forventet_pro_rata, rund
from .godkendelse import rapport_til_visning
from .resultater import Rapport

M1_NOEGLE = "M1.ivaerksaettere"
NATIONALT_MAAL_I_ALT = 1200  # "mindst 1.200 virksomheder om året samlet set" (by 2027)
ANDEL_KILDE = (
    "Husenes andele er fordelingen 2024 i kontrakternes mål 1 (efter befolkningstal: "
    "Hovedstaden 385, Midtjylland 275, Sjælland 171, Sydjylland 156, Nordjylland 119, Fyn 94; "
    "i alt 1.200). Rammeaftalen angiver ingen anden fordeling, så 2025–2027 bruger samme tal; "
    "de rettes i administrationen."
)


@dataclass
class Hus:
    """One column: a house, its contract of the year (or None) and its report."""

    erhvervshus: Erhvervshus
    kontrakt: Resultatkontrakt | None
    rapport: Rapport | None
    andel: Decimal | None  # the house's share of the national Mål 1 target for the year
    resultater: dict[str, Resultat] = field(default_factory=dict)
    eget: bool = False  # the user's own house (a KKR reader's), highlighted

    @property
    def navn(self) -> str:
        return self.erhvervshus.navn

    @property
    def kort_navn(self) -> str:
        return self.erhvervshus.navn.removeprefix("Erhvervshus ")

    @property
    def godkendt(self) -> bool:
        return self.rapport is not None and self.rapport.godkendt

    @property
    def m1(self) -> Resultat | None:
        return self.resultater.get(M1_NOEGLE)

    @property
    def m1_af_andel(self) -> float | None:
        """Mål 1's figure as a share of the house's part of the national target (0.5 = 50 %)."""
        if self.m1 is None or self.m1.faktisk is None or not self.andel:
            return None
        return float(self.m1.faktisk) / float(self.andel)

    @property
    def m1_af_andel_vist(self) -> float | None:
        """As shown: rounded half up to a tenth of a per cent (the number filters cut)."""
        return rund(self.m1_af_andel, 3)


@dataclass
class Raekke:
    """One national indicator across the houses: each house's Resultat, or None."""

    noegle: str
    maal_nr: int
    maal_titel: str
    titel: str
    celler: list[tuple[Hus, Resultat | None]]


@dataclass
class Oversigt:
    aar: int
    periode: Periode
    beregnet: datetime
    huse: list[Hus]
    maal: list[tuple[int, str, list[Raekke]]]  # (nummer, titel, rows), goals 1–6

    @property
    def med_kontrakt(self) -> list[Hus]:
        return [h for h in self.huse if h.kontrakt is not None]

    @property
    def m1_i_alt(self) -> float | None:
        """The houses' Mål 1 figures added up (houses with a contract and a figure)."""
        tal = [h.m1.faktisk for h in self.med_kontrakt if h.m1 and h.m1.faktisk is not None]
        return sum(tal) if tal else None

    @property
    def andele_i_alt(self) -> Decimal | None:
        """The year's national target: the sum of the houses' shares (1.200 in the seed)."""
        andele = [h.andel for h in self.huse if h.andel is not None]
        return sum(andele) if andele else None

    @property
    def m1_forventet_i_alt(self) -> float | None:
        """The national target spread evenly over the year up to the period's end."""
        return forventet_pro_rata(_float(self.andele_i_alt), self.periode)

    @property
    def m1_i_alt_af_andele(self) -> float | None:
        if self.m1_i_alt is None or not self.andele_i_alt:
            return None
        return float(self.m1_i_alt) / float(self.andele_i_alt)

    @property
    def m1_i_alt_af_andele_vist(self) -> float | None:
        return rund(self.m1_i_alt_af_andele, 3)


def _float(vaerdi) -> float | None:
    return None if vaerdi is None else float(vaerdi)


def kontraktaar() -> list[int]:
    """The years any house has a contract for, oldest first."""
    return sorted(set(Resultatkontrakt.objects.values_list("aar", flat=True)))


def oversigt(aar: int, periode: Periode, *, idag: date, beregnet: datetime,
             aktuel: bool = False, egne_huse: set[int] = frozenset()) -> Oversigt:
    """Every house for ``aar`` and ``periode``: its report as approved (or today's with
    ``aktuel``), its Mål 1 share, and the national indicators (goals 1–6) row by row.
    ``egne_huse`` are the ids of the user's own houses, marked on the page."""
    kontrakter = {k.erhvervshus_id: k for k in Resultatkontrakt.objects.filter(aar=aar)
                  .select_related("erhvervshus")}
    andele = {a.erhvervshus_id: a.maalvaerdi for a in
              Maalandel.objects.filter(aar=aar, noegle=M1_NOEGLE)}
    huse = []
    for hus in Erhvervshus.objects.order_by("navn"):
        kontrakt = kontrakter.get(hus.pk)
        rapport = None if kontrakt is None else rapport_til_visning(
            kontrakt, periode, aktuel=aktuel, idag=idag, beregnet=beregnet)
        huse.append(Hus(
            erhvervshus=hus, kontrakt=kontrakt, rapport=rapport, andel=andele.get(hus.pk),
            resultater={} if rapport is None else {r.noegle: r for r in rapport.resultater},
            eget=hus.pk in egne_huse,
        ))
    return Oversigt(aar=aar, periode=periode, beregnet=beregnet, huse=huse,
                    maal=_nationale_raekker(aar, huse))


def _nationale_raekker(aar: int, huse: list[Hus]) -> list[tuple[int, str, list[Raekke]]]:
    """Goals 1–6 of the year's contracts, one row per indicator key, in the order of the first
    contract (by house name) that has it; one query for all houses."""
    indikatorer = (
        Indikator.objects.filter(maal__kontrakt__aar=aar, maal__niveau=Maal.Niveau.NATIONAL)
        .select_related("maal", "maal__kontrakt__erhvervshus")
        .order_by("maal__nummer", "maal__kontrakt__erhvervshus__navn", "raekkefoelge", "id")
    )
    maal: dict[int, tuple[str, dict[str, Raekke]]] = {}
    for ind in indikatorer:
        titel, raekker = maal.setdefault(ind.maal.nummer, (ind.maal.titel, {}))
        if ind.noegle not in raekker:
            raekker[ind.noegle] = Raekke(
                noegle=ind.noegle, maal_nr=ind.maal.nummer, maal_titel=titel, titel=ind.titel,
                celler=[(h, h.resultater.get(ind.noegle)) for h in huse],
            )
    return [(nr, titel, list(raekker.values())) for nr, (titel, raekker) in sorted(maal.items())]
