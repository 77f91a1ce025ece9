"""From plain numbers to results: the rules of KONTRAKT-2025.md as pure functions.

Nothing here touches the database or the clock. Selectors hand over counts, rows and entered
values; ``idag`` (today) is always passed in. Every page, chart, export and the JSON report show
the :class:`Resultat` objects made here, so a rule lives in exactly one place.

Decisions where the contract is silent (each is tested in ``tests/rapporter/test_beregning.py``):

- **Judged on the exact figure.** Shares, deviations, ratios and the pro-rata expectation are held
  against the target unrounded, as the contract writes "actual ≥ target"; they are rounded (half
  up) only to be shown. A share of 69.96 % is shown as 70.0 % and does not meet "≥ 70 %"; the
  goal page shows the count behind it (1399 af 2000).
- **Directions.** ``gte`` is met when actual ≥ target, ``gt`` when actual > target, ``lte`` when
  actual ≤ target. During the year an ``antal``/``daekning`` is ``paa_sporet`` when actual ≥ the
  pro-rata expectation (≤ for an ``lte`` target), ``taet_paa`` when actual ≥ 90 % of it (≤ 110 %
  for ``lte``), else ``bagud``.
- **Pro rata to the period's end**, exactly as KONTRAKT-2025.md writes it: days from 1 January to
  the period's end, both counted (181/365 for H1 2025, 182/366 for H1 2024), whenever the page is
  seen. To judge the year so far, choose "status pr. dato" (the status page's default during the
  year), whose end is the chosen day.
- **Zero target.** Met by anything that meets the direction (0 ≥ 0; "> 0" needs more than 0);
  ``opfyldelse`` is ``None`` (no division by zero); ``taet_paa`` needs an expectation above 0.
- **opfyldelse** = actual / target for every direction except ``fordeling``, where it is the
  deviation itself in percentage points (KONTRAKT-2025.md). ``None`` for milepæle, without a
  target, or without an actual figure.
- **A finished year** is ``helaar`` seen after 31 December of the contract year. ``H1`` and a
  status date (even 31 December) are always judged as "during the year".
- **Målinger** (and the two figures of a ``forhold``): the latest of the contract year dated on
  or before the period's end counts, on the same date the one entered last. A finished year
  takes the latest of its year whatever its date, since final figures arrive after 31 December;
  the bound is :func:`indtastet_til`, the one place this is decided.
- **Milepæle.** During the year (H1, a status date, helår before it ends) the latest status dated
  on or before the period's end counts, final or not; none yet is ``ikke_startet``. A finished
  year counts only the administrator's final assessment of it (``endelig``, ``opfyldt`` or
  ``ikke_opfyldt``, dated 31 December or later): the latest one, whatever its date; until it is
  given the milepæl is ``afventer``, never a status carried over from the year
  (:func:`gaeldende_milepael`). ``ikke_opfyldt`` exists only as a final assessment (checked in
  ``maal.models.MilepaelStatus.clean``), so during the year a milepæl is never "failed" early.
- **Dækning with no set.** When the known set is empty (no local operators in the region) there
  is nothing to cover: ``afventer``, like an ``andel`` with an empty denominator.
- **Iværksætter and 29 February.** A company founded on 29 February turns three on 1 March
  (:func:`tre_aar_efter`), as a person's age is counted in Danish practice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

MAANEDER = [
    "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
    "oktober", "november", "december",
]


# ---------------------------------------------------------------------------------------------
# Periods


@dataclass(frozen=True)
class Periode:
    """A reporting period: ``H1``, ``helaar`` or a status date, all starting 1 January.

    ``navn`` is ``"H1"``, ``"helaar"`` or the ISO date of a status date.
    """

    navn: str
    fra: date
    til: date

    @property
    def aar(self) -> int:
        return self.fra.year

    @property
    def titel(self) -> str:
        if self.navn == "H1":
            return f"1. halvår {self.aar}"
        if self.navn == "helaar":
            return f"Hele året {self.aar}"
        return f"Status pr. {self.til.day}. {MAANEDER[self.til.month - 1]} {self.til.year}"

    @property
    def dage_i_aar(self) -> int:
        return (date(self.aar, 12, 31) - date(self.aar, 1, 1)).days + 1

    @property
    def dage_til_slut(self) -> int:
        """Days from 1 January to the period's end, both counted (181 for H1 2025)."""
        return (self.til - date(self.aar, 1, 1)).days + 1

    def dage_forloebet(self, idag: date) -> int:
        """Days from 1 January to the period's end or today, whichever is first; 0 before."""
        slut = min(self.til, idag)
        return max((slut - date(self.aar, 1, 1)).days + 1, 0)

    def helaar_afsluttet(self, idag: date) -> bool:
        """True for ``helaar`` once the year is over: only then are targets met or missed."""
        return self.navn == "helaar" and idag > date(self.aar, 12, 31)

    def indeholder(self, dato: date | None) -> bool:
        return dato is not None and self.fra <= dato <= self.til

    @classmethod
    def h1(cls, aar: int) -> Periode:
        return cls("H1", date(aar, 1, 1), date(aar, 6, 30))

    @classmethod
    def helaar(cls, aar: int) -> Periode:
        return cls("helaar", date(aar, 1, 1), date(aar, 12, 31))

    @classmethod
    def pr_dato(cls, dato: date) -> Periode:
        return cls(dato.isoformat(), date(dato.year, 1, 1), dato)

    @classmethod
    def fra_tekst(cls, aar: int, tekst: str) -> Periode:
        """``"H1"``, ``"helaar"`` (also ``"helår"``) or an ISO date inside ``aar``.

        Raises ValueError with a Danish message for anything else.
        """
        renset = (tekst or "").strip()
        if renset.lower() == "h1":
            return cls.h1(aar)
        if renset.lower() in ("helaar", "helår"):
            return cls.helaar(aar)
        try:
            dato = date.fromisoformat(renset)
        except ValueError:
            raise ValueError(
                f"Ukendt periode '{tekst}'. Brug H1, helaar eller en dato i {aar} "
                f"på formen ÅÅÅÅ-MM-DD, f.eks. {aar}-05-31."
            ) from None
        if dato.year != aar:
            raise ValueError(f"Datoen {dato.isoformat()} ligger ikke i kontraktåret {aar}.")
        return cls.pr_dato(dato)


# ---------------------------------------------------------------------------------------------
# Status


class Status(StrEnum):
    OPFYLDT = "opfyldt"
    IKKE_OPFYLDT = "ikke_opfyldt"
    PAA_SPORET = "paa_sporet"
    TAET_PAA = "taet_paa"
    BAGUD = "bagud"
    AFVENTER = "afventer"
    UDEN_MAALTAL = "uden_maaltal"
    IKKE_STARTET = "ikke_startet"
    I_GANG = "i_gang"

    @property
    def tekst(self) -> str:
        return STATUS_TEKST[self.value]

    @property
    def ikon(self) -> str:
        return STATUS_IKON[self.value]


STATUS_TEKST: dict[str, str] = {
    "opfyldt": "Opfyldt",
    "ikke_opfyldt": "Ikke opfyldt",
    "paa_sporet": "På sporet",
    "taet_paa": "Tæt på",
    "bagud": "Bagud",
    "afventer": "Afventer",
    "uden_maaltal": "Uden måltal",
    "ikke_startet": "Ikke startet",
    "i_gang": "I gang",
}
STATUS_IKON: dict[str, str] = {
    "opfyldt": "✔",
    "ikke_opfyldt": "✖",
    "paa_sporet": "▲",
    "taet_paa": "►",
    "bagud": "▼",
    "afventer": "…",
    "uden_maaltal": "–",
    "ikke_startet": "○",
    "i_gang": "◐",
}
# A tone per status for colouring (god = good, advarsel = warning, daarlig = bad).
STATUS_TONE: dict[str, str] = {
    "opfyldt": "god",
    "paa_sporet": "god",
    "taet_paa": "advarsel",
    "i_gang": "advarsel",
    "bagud": "daarlig",
    "ikke_opfyldt": "daarlig",
    "ikke_startet": "daarlig",
    "afventer": "neutral",
    "uden_maaltal": "neutral",
}

TAET_PAA_GRAENSE = Decimal("0.9")


# ---------------------------------------------------------------------------------------------
# Inputs: plain values handed over by the selectors


@dataclass(frozen=True)
class IndikatorDef:
    """What the calculation needs to know about an indicator (a row of ``Indikator``)."""

    noegle: str
    maal_nr: int
    titel: str
    art: str
    enhed: str
    retning: str = "gte"
    maalvaerdi: float | None = None
    parametre: dict = field(default_factory=dict, hash=False, compare=False)
    raekkefoelge: int = 0
    id: int | None = None


@dataclass(frozen=True)
class MaaltVaerdi:
    """An entered value (a ``Maaling`` row)."""

    noegle: str
    vaerdi: float
    dato: date
    kilde: str = ""
    kommentar: str = ""
    id: int = 0


@dataclass(frozen=True)
class MilepaelTal:
    """A milestone status (a ``MilepaelStatus`` row); ``endelig`` marks the administrator's final
    assessment of the year."""

    status: str
    dato: date
    fortaelling: str = ""
    id: int = 0
    endelig: bool = False


@dataclass(frozen=True)
class KommuneTal:
    """One kommune in the by/land distribution: guided companies and population."""

    kode: str
    navn: str
    kategori: str
    virksomheder: int
    befolkning: int


@dataclass(frozen=True)
class BefolkningsTal:
    kommune: str
    dato: date
    indbyggere: int


# ---------------------------------------------------------------------------------------------
# The result


@dataclass(frozen=True)
class Resultat:
    """One indicator's figure for one period: what every renderer shows."""

    noegle: str
    maal_nr: int
    titel: str
    art: str
    enhed: str
    retning: str
    maalvaerdi: float | None
    faktisk: float | None
    forventet: float | None
    opfyldelse: float | None
    status: str
    taeller: int | None = None
    naevner: int | None = None
    detaljer: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    indikator_id: int | None = None

    @property
    def status_tekst(self) -> str:
        return STATUS_TEKST[self.status]

    @property
    def status_ikon(self) -> str:
        return STATUS_IKON[self.status]

    def som_json(self) -> dict:
        """The indicator's entry of the JSON report (KONTRAKT-2025.md), without the keys of its
        kind (``rapporter.arter``: ``Art.json_ekstra``)."""
        post = {
            "noegle": self.noegle,
            "maal_nr": self.maal_nr,
            "art": self.art,
            "enhed": self.enhed,
            "maalvaerdi": json_tal(self.maalvaerdi),
            "faktisk": json_tal(self.faktisk),
            "forventet": json_tal(self.forventet),
            "opfyldelse": json_tal(self.opfyldelse),
            "status": str(self.status),
        }
        return post  # a kind's own keys (andel_land, …) are its json_ekstra (rapporter.arter)

    def til_snapshot(self) -> dict:
        """Every field as plain JSON, for an approved report's snapshot (``Godkendelse``):
        :meth:`fra_snapshot` gives back an equal Resultat, ``detaljer`` included."""
        return {f.name: _til_json(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def fra_snapshot(cls, data: dict) -> Resultat:
        """The Resultat stored by :meth:`til_snapshot`. A field added since the snapshot was
        taken keeps its default; a key no longer a field is ignored."""
        navne = {f.name for f in fields(cls)}
        return cls(**{k: _fra_json(v) for k, v in data.items() if k in navne})


# The kinds put dates, Decimals and (possibly) small dataclasses of this module into
# ``detaljer``; JSON has none of them, so they are stored tagged and read back as they were.
_DATO, _TIDSPUNKT, _DECIMAL, _TUPEL, _KLASSE = (
    "__dato__", "__tidspunkt__", "__decimal__", "__tupel__", "__klasse__"
)


def _til_json(vaerdi):
    if isinstance(vaerdi, datetime):
        return {_TIDSPUNKT: vaerdi.isoformat()}
    if isinstance(vaerdi, date):
        return {_DATO: vaerdi.isoformat()}
    if isinstance(vaerdi, Decimal):
        return {_DECIMAL: str(vaerdi)}
    if isinstance(vaerdi, StrEnum):
        return str(vaerdi)
    if is_dataclass(vaerdi) and not isinstance(vaerdi, type):
        return {_KLASSE: type(vaerdi).__name__,
                "felter": {f.name: _til_json(getattr(vaerdi, f.name)) for f in fields(vaerdi)}}
    if isinstance(vaerdi, dict):
        return {str(k): _til_json(v) for k, v in vaerdi.items()}
    if isinstance(vaerdi, tuple):
        return {_TUPEL: [_til_json(v) for v in vaerdi]}
    if isinstance(vaerdi, list | set | frozenset):
        elementer = sorted(vaerdi) if isinstance(vaerdi, set | frozenset) else vaerdi
        return [_til_json(v) for v in elementer]
    return vaerdi


def _fra_json(vaerdi):
    if isinstance(vaerdi, list):
        return [_fra_json(v) for v in vaerdi]
    if not isinstance(vaerdi, dict):
        return vaerdi
    if len(vaerdi) == 1:
        ((noegle, indhold),) = vaerdi.items()
        if noegle == _DATO:
            return date.fromisoformat(indhold)
        if noegle == _TIDSPUNKT:
            return datetime.fromisoformat(indhold)
        if noegle == _DECIMAL:
            return Decimal(indhold)
        if noegle == _TUPEL:
            return tuple(_fra_json(v) for v in indhold)
    if set(vaerdi) == {_KLASSE, "felter"}:
        klasse = globals().get(vaerdi[_KLASSE])
        if not (isinstance(klasse, type) and is_dataclass(klasse)):
            raise ValueError(f"Ukendt klasse '{vaerdi[_KLASSE]}' i et gemt resultat.")
        return klasse(**{k: _fra_json(v) for k, v in vaerdi["felter"].items()})
    return {k: _fra_json(v) for k, v in vaerdi.items()}


def json_tal(tal: float | int | Decimal | None) -> float | int | None:
    """Whole numbers as ``int`` (880, not 880.0), others as ``float``, ``None`` as is."""
    if tal is None:
        return None
    tal = float(tal)
    return int(tal) if tal.is_integer() else tal


# ---------------------------------------------------------------------------------------------
# Small pure rules


def rund(tal: float | Decimal | None, decimaler: int = 1) -> float | None:
    """Round half up (70.05 → 70.1), unlike ``round``'s half-to-even on binary floats."""
    if tal is None:
        return None
    kvant = Decimal(1).scaleb(-decimaler)
    return float(Decimal(str(tal)).quantize(kvant, rounding=ROUND_HALF_UP))


def tre_aar_efter(stiftelsesdato: date) -> date:
    """The company's third birthday; a 29 February founding turns three on 1 March."""
    try:
        return stiftelsesdato.replace(year=stiftelsesdato.year + 3)
    except ValueError:  # 29 February; three years on is never a leap year
        return date(stiftelsesdato.year + 3, 3, 1)


def er_ivaerksaetter(startdato: date, stiftelsesdato: date) -> bool:
    """Younger than 3 years when the forløb started: ``startdato < stiftelsesdato + 3 years``."""
    return startdato < tre_aar_efter(stiftelsesdato)


def datonoegle(dato: date, plus_aar: int = 0) -> int:
    """``YYYYMMDD`` as a number. ``datonoegle(start) < datonoegle(stiftet, 3)`` is exactly
    :func:`er_ivaerksaetter` (29 February included), which is how the database evaluates it."""
    return (dato.year + plus_aar) * 10000 + dato.month * 100 + dato.day


def _dec(tal) -> Decimal:
    return tal if isinstance(tal, Decimal) else Decimal(str(tal))


def andel_eksakt(taeller: int, naevner: int) -> Decimal | None:
    """``taeller / naevner`` as an exact percentage; ``None`` for an empty naevner."""
    if not naevner:
        return None
    return Decimal(taeller) * 100 / Decimal(naevner)


def andel(taeller: int, naevner: int) -> float | None:
    """``taeller / naevner`` as a percentage with one decimal, for showing."""
    return rund(andel_eksakt(taeller, naevner), 1)


def afvigelse_eksakt(andel_pct, reference_pct) -> Decimal | None:
    """The distance between two percentages in percentage points, without sign."""
    if andel_pct is None or reference_pct is None:
        return None
    return abs(_dec(andel_pct) - _dec(reference_pct))


def afvigelse(andel_pct, reference_pct) -> float | None:
    return rund(afvigelse_eksakt(andel_pct, reference_pct), 1)


def forhold_eksakt(taeller, naevner) -> Decimal | None:
    """``taeller / naevner``; ``None`` when either is missing or naevner is 0."""
    if taeller is None or naevner is None or not naevner:
        return None
    return _dec(taeller) / _dec(naevner)


def forhold(taeller, naevner) -> float | None:
    return rund(forhold_eksakt(taeller, naevner), 2)


def forventet_eksakt(maalvaerdi, periode: Periode) -> Decimal | None:
    """``target × days(1 Jan .. period end, both counted) / days in the year``."""
    if maalvaerdi is None:
        return None
    return _dec(maalvaerdi) * Decimal(periode.dage_til_slut) / Decimal(periode.dage_i_aar)


def forventet_pro_rata(maalvaerdi: float | None, periode: Periode) -> float | None:
    """The pro-rata expectation with one decimal, for showing."""
    return rund(forventet_eksakt(maalvaerdi, periode), 1)


def opfylder(retning: str, faktisk: float, maalvaerdi: float) -> bool:
    if retning == "gt":
        return faktisk > maalvaerdi
    if retning == "lte":
        return faktisk <= maalvaerdi
    return faktisk >= maalvaerdi


def opfyldelse(
    faktisk: float | None, maalvaerdi: float | None, *, som_afvigelse: bool = False
) -> float | None:
    """Degree met: actual / target (three decimals); ``som_afvigelse`` (a ``fordeling``) the
    deviation itself. ``None`` without an actual figure (a milepæl has none)."""
    if faktisk is None:
        return None
    if som_afvigelse:
        return rund(faktisk, 1)
    if not maalvaerdi:
        return None
    return rund(Decimal(str(faktisk)) / Decimal(str(maalvaerdi)), 3)


def status_for(
    *, retning: str, faktisk: float | None, maalvaerdi: float | None,
    forventet: float | None, periode: Periode, idag: date,
) -> Status:
    """The status of a counted or measured indicator (not a milepæl) by the contract's rules.
    A ``forventet`` (the pro-rata expectation, given only for the kinds judged pro rata: antal
    and dækning) is what the year so far is held against."""
    if maalvaerdi is None:
        return Status.UDEN_MAALTAL
    if faktisk is None:
        return Status.AFVENTER
    if periode.helaar_afsluttet(idag):
        return Status.OPFYLDT if opfylder(retning, faktisk, maalvaerdi) else Status.IKKE_OPFYLDT
    if forventet is not None:
        faktisk_d, forventet_d = _dec(faktisk), _dec(forventet)
        if faktisk_d <= forventet_d if retning == "lte" else faktisk_d >= forventet_d:
            return Status.PAA_SPORET
        if retning == "lte":
            taet = faktisk_d <= forventet_d / TAET_PAA_GRAENSE
        else:
            taet = forventet_d > 0 and faktisk_d >= forventet_d * TAET_PAA_GRAENSE
        return Status.TAET_PAA if taet else Status.BAGUD
    return Status.PAA_SPORET if opfylder(retning, faktisk, maalvaerdi) else Status.BAGUD


def indtastet_til(periode: Periode, idag: date) -> date | None:
    """The last date an entered value (a måling) may carry to count in ``periode``: the period's
    end, or ``None`` (no bound) for a finished year, whose final figures arrive after 31
    December. Selectors, the engine, the goal page and the workbook all take the bound from
    here."""
    return None if periode.helaar_afsluttet(idag) else periode.til


def seneste_maaling(
    maalinger: Iterable[MaaltVaerdi], noegle: str, til: date | None
) -> MaaltVaerdi | None:
    """The value that counts for a period whose bound is ``til`` (:func:`indtastet_til`): the
    latest dated on or before it (any date for ``None``), ties broken by the later entry (higher
    id). The caller passes only the contract year's."""
    kandidater = [
        m for m in maalinger if m.noegle == noegle and (til is None or m.dato <= til)
    ]
    return max(kandidater, key=lambda m: (m.dato, m.id), default=None)


def gaeldende_milepael(
    statusser: Iterable[MilepaelTal], periode: Periode, idag: date
) -> MilepaelTal | None:
    """The milestone status that counts in ``periode``: in a finished year the latest final
    assessment whatever its date, otherwise the latest status dated on or before the period's
    end (ties by id). ``None`` when there is none."""
    if periode.helaar_afsluttet(idag):
        kandidater = [s for s in statusser if s.endelig]
    else:
        kandidater = [s for s in statusser if s.dato <= periode.til]
    return max(kandidater, key=lambda s: (s.dato, s.id), default=None)


def seneste_befolkning(tal: Iterable[BefolkningsTal], til: date) -> dict[str, BefolkningsTal]:
    """Per kommune the latest population dated on or before ``til``; a kommune with only later
    figures uses its latest figure."""
    valgt: dict[str, BefolkningsTal] = {}
    for raekke in tal:
        nu = valgt.get(raekke.kommune)
        if nu is None or _befolkning_foretraekkes(raekke, nu, til):
            valgt[raekke.kommune] = raekke
    return valgt


def _befolkning_foretraekkes(ny: BefolkningsTal, nu: BefolkningsTal, til: date) -> bool:
    if (ny.dato <= til) != (nu.dato <= til):
        return ny.dato <= til
    return ny.dato > nu.dato


# ---------------------------------------------------------------------------------------------
# One function per kind: plain numbers in, Resultat out


def _resultat(
    d: IndikatorDef, *, maalvaerdi, faktisk, forventet, status, taeller=None, naevner=None,
    detaljer=None, eksakt=None, som_afvigelse=False,
) -> Resultat:
    """``faktisk`` is the figure shown; ``eksakt``, where given, the unrounded one behind it."""
    grundtal = faktisk if eksakt is None else eksakt
    return Resultat(
        noegle=d.noegle, maal_nr=d.maal_nr, titel=d.titel, art=d.art, enhed=d.enhed,
        retning=d.retning, maalvaerdi=maalvaerdi, faktisk=faktisk, forventet=forventet,
        opfyldelse=opfyldelse(grundtal, maalvaerdi, som_afvigelse=som_afvigelse),
        status=str(status),
        taeller=taeller, naevner=naevner, detaljer=detaljer or {}, indikator_id=d.id,
    )


def _med_forventet(
    d: IndikatorDef, maalvaerdi: float | None, eksakt, periode: Periode, idag: date, *,
    pro_rata: bool = False,
) -> tuple[float | None, Status]:
    """The expectation to show and the status, judged on the exact actual and expectation;
    ``pro_rata`` (antal, dækning) holds the year so far against the target pro rata."""
    forventet = None
    if pro_rata and not periode.helaar_afsluttet(idag):
        forventet = forventet_eksakt(maalvaerdi, periode)
    status = status_for(
        retning=d.retning, faktisk=eksakt, maalvaerdi=maalvaerdi,
        forventet=forventet, periode=periode, idag=idag,
    )
    return rund(forventet, 1), status


def resultat_antal(d: IndikatorDef, antal: int, periode: Periode, idag: date) -> Resultat:
    """A count of records (or distinct companies, clusters …) in the period."""
    faktisk = float(antal)
    forventet, status = _med_forventet(d, d.maalvaerdi, faktisk, periode, idag, pro_rata=True)
    return _resultat(
        d, maalvaerdi=d.maalvaerdi, faktisk=faktisk, forventet=forventet, status=status,
        taeller=antal,
    )


def resultat_andel(
    d: IndikatorDef, taeller: int, naevner: int, periode: Periode, idag: date
) -> Resultat:
    """A share in percent; an empty denominator gives ``afventer``. ``detaljer`` says what was
    counted (``grundlag``: forløb or companies)."""
    eksakt = andel_eksakt(taeller, naevner)
    forventet, status = _med_forventet(d, d.maalvaerdi, eksakt, periode, idag)
    return _resultat(
        d, maalvaerdi=d.maalvaerdi, faktisk=rund(eksakt, 1), forventet=forventet,
        status=status, taeller=taeller, naevner=naevner, eksakt=eksakt,
        detaljer={"grundlag": d.parametre.get("grundlag", "forloeb")},
    )


def resultat_fordeling(
    d: IndikatorDef, kommuner: Sequence[KommuneTal], periode: Periode, idag: date
) -> Resultat:
    """The share of guided companies (or forløb: ``grundlag``) in the category (``land`` or
    ``by``) against its population share; ``KommuneTal.virksomheder`` holds what is counted.

    ``faktisk`` is the deviation in percentage points; without guided companies it is ``None``
    (``afventer``).
    """
    kategori = d.parametre.get("kategori", "land")
    virksomheder = sum(k.virksomheder for k in kommuner)
    i_kategori = sum(k.virksomheder for k in kommuner if k.kategori == kategori)
    befolkning = sum(k.befolkning for k in kommuner)
    befolkning_kategori = sum(k.befolkning for k in kommuner if k.kategori == kategori)
    andel_kategori = andel_eksakt(i_kategori, virksomheder)
    befolkningsandel = andel_eksakt(befolkning_kategori, befolkning)
    eksakt = afvigelse_eksakt(andel_kategori, befolkningsandel)
    forventet, status = _med_forventet(d, d.maalvaerdi, eksakt, periode, idag)
    per_kommune = [
        {
            "kode": k.kode, "navn": k.navn, "kategori": k.kategori,
            "virksomheder": k.virksomheder, "befolkning": k.befolkning,
            "andel_virksomheder": andel(k.virksomheder, virksomheder),
            "andel_befolkning": andel(k.befolkning, befolkning),
        }
        for k in sorted(kommuner, key=lambda k: k.navn)
    ]
    detaljer = {
        "kategori": kategori,
        "grundlag": d.parametre.get("grundlag", "virksomheder"),
        f"andel_{kategori}": rund(andel_kategori, 1),
        f"befolkningsandel_{kategori}": rund(befolkningsandel, 1),
        "per_kommune": per_kommune,
    }
    return _resultat(
        d, maalvaerdi=d.maalvaerdi, faktisk=rund(eksakt, 1), forventet=forventet, status=status,
        taeller=i_kategori, naevner=virksomheder, detaljer=detaljer, eksakt=eksakt,
        som_afvigelse=True,
    )


def resultat_daekning(
    d: IndikatorDef, daekkede: Sequence[str], alle: Sequence[str], periode: Periode,
    idag: date,
) -> Resultat:
    """How many of a known set are covered. With ``maal_alle`` the target is the set's size."""
    maalvaerdi = float(len(alle)) if d.parametre.get("maal_alle") else d.maalvaerdi
    daekket = set(daekkede)
    faktisk = float(len(daekket)) if alle else None
    forventet, status = _med_forventet(d, maalvaerdi, faktisk, periode, idag, pro_rata=True)
    detaljer = {
        "daekkede": sorted(daekket),
        "manglende": sorted(set(alle) - daekket),
    }
    return _resultat(
        d, maalvaerdi=maalvaerdi, faktisk=faktisk, forventet=forventet, status=status,
        taeller=len(daekket), naevner=len(alle), detaljer=detaljer,
    )


def _maalt(m: MaaltVaerdi | None) -> dict | None:
    if m is None:
        return None
    return {"noegle": m.noegle, "vaerdi": m.vaerdi, "dato": m.dato, "kilde": m.kilde,
            "kommentar": m.kommentar}


def resultat_maaling(
    d: IndikatorDef, maaling: MaaltVaerdi | None, periode: Periode, idag: date
) -> Resultat:
    """An entered value held against its target; none entered yet gives ``afventer``."""
    faktisk = None if maaling is None else float(maaling.vaerdi)
    forventet, status = _med_forventet(d, d.maalvaerdi, faktisk, periode, idag)
    detaljer = _maalt(maaling) or {}
    return _resultat(
        d, maalvaerdi=d.maalvaerdi, faktisk=faktisk, forventet=forventet, status=status,
        detaljer=detaljer,
    )


def resultat_forhold(
    d: IndikatorDef, taeller: MaaltVaerdi | None, naevner: MaaltVaerdi | None,
    periode: Periode, idag: date,
) -> Resultat:
    """The ratio of two entered figures (gearing); ``afventer`` while either is missing or the
    denominator is 0."""
    eksakt = forhold_eksakt(
        None if taeller is None else taeller.vaerdi, None if naevner is None else naevner.vaerdi
    )
    forventet, status = _med_forventet(d, d.maalvaerdi, eksakt, periode, idag)
    detaljer = {"taeller": _maalt(taeller), "naevner": _maalt(naevner)}
    return _resultat(
        d, maalvaerdi=d.maalvaerdi, faktisk=rund(eksakt, 2), forventet=forventet,
        status=status, detaljer=detaljer, eksakt=eksakt,
    )


def resultat_milepael(
    d: IndikatorDef, statusser: Iterable[MilepaelTal], periode: Periode, idag: date
) -> Resultat:
    """A milestone: the status that counts (:func:`gaeldende_milepael`). Before any status it
    is ``ikke_startet`` during the year and ``afventer`` in a finished year, which waits for the
    final assessment."""
    gaeldende = gaeldende_milepael(statusser, periode, idag)
    if gaeldende is None:
        afsluttet = periode.helaar_afsluttet(idag)
        status, detaljer = (Status.AFVENTER if afsluttet else Status.IKKE_STARTET), {}
    else:
        status = Status(gaeldende.status)
        detaljer = {"dato": gaeldende.dato, "fortaelling": gaeldende.fortaelling,
                    "endelig": gaeldende.endelig, "id": gaeldende.id}
    return _resultat(
        d, maalvaerdi=None, faktisk=None, forventet=None, status=status, detaljer=detaljer
    )


# The order of the status tally; the first four are always shown during the year.
OPTAELLING_UNDERVEJS = ("paa_sporet", "taet_paa", "bagud", "afventer", "uden_maaltal")
OPTAELLING_AFSLUTTET = ("opfyldt", "ikke_opfyldt", "afventer", "uden_maaltal")
MILEPAEL_ORDEN = ("opfyldt", "ikke_opfyldt", "i_gang", "ikke_startet", "afventer")


def status_optaelling(
    resultater: Iterable[Resultat], *, afsluttet: bool
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """How many indicators have each status, in the order the status page shows them, and the
    milestones apart: ``([("paa_sporet", 12), ...], [("opfyldt", 1), ...])``."""
    resultater = list(resultater)
    optalt = Counter(r.status for r in resultater if r.art != "milepael")
    milepaele = Counter(r.status for r in resultater if r.art == "milepael")
    orden = OPTAELLING_AFSLUTTET if afsluttet else OPTAELLING_UNDERVEJS
    return (
        [(s, optalt[s]) for s in orden if optalt[s] or s in orden[:4]],
        [(s, milepaele[s]) for s in MILEPAEL_ORDEN if milepaele[s]],
    )
