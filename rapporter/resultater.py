"""The indicator engine: a contract and a period in, a list of results out.

``indikator_resultater`` is what every page, chart and export shows; ``rapport_for`` wraps it
with the contract's identity for the JSON report and the Excel workbook.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

from kontrakt import dataversion
from maal.models import Resultatkontrakt

from . import arter, beregning, selectors
from .beregning import Periode, Resultat


def indikator_resultater(
    kontrakt: Resultatkontrakt, periode: Periode, *, idag: date,
    kun: Iterable[str] | None = None,
) -> list[Resultat]:
    """Every indicator of ``kontrakt`` for ``periode``, ordered by goal number and
    ``raekkefoelge``. Each indicator's kind (``rapporter.arter``) says what it needs; it is all
    fetched at once, so the number of queries does not grow with the number of records: one for
    the indicators, one per record model counted (forløb, AI-tjek, aktiviteter, …), two for the
    by/land table and population, one per dækning indicator, one for målinger and one for
    milestones. Kept per data version (``kontrakt.dataversion``): the
    same data, period and day answer from the cache with one query; kept, all indicators are
    each goal's kept results, so a write computes only the goals it touched again.

    ``kun``: only the indicators with these keys (a goal page's, a drill-down's), computed
    alone, so their kept results depend only on the records they count."""
    kun = None if kun is None else frozenset(kun)
    dele = (*noegle(kontrakt, periode, idag), None if kun is None else tuple(sorted(kun)))
    # Kept until a table the computation read is written (found as it runs, so after an
    # AI-tjek only the AI-tjek count is made again; the other counts are kept by their tables).
    return dataversion.husk("resultater", dele, None,
                            lambda: _beregn_kept(kontrakt, periode, idag=idag, kun=kun))


def _beregn_kept(kontrakt: Resultatkontrakt, periode: Periode, *, idag: date,
                 kun: frozenset[str] | None) -> list[Resultat]:
    """Every indicator, kept a goal at a time when values are kept: a write makes only the
    goals whose records it touched again (an AI-tjek Mål 9's), and a goal's results are the
    same kept value its goal page uses. Without keeping, all at once (fewest queries)."""
    if kun is not None or not getattr(settings, "RESULTATCACHE", True):
        return _beregn(kontrakt, periode, idag=idag, kun=kun)
    pr_maal: dict[int, list[str]] = {}
    for d in selectors.indikator_defs(kontrakt):
        pr_maal.setdefault(d.maal_nr, []).append(d.noegle)
    return [r for noegler in pr_maal.values()
            for r in indikator_resultater(kontrakt, periode, idag=idag, kun=noegler)]


def noegle(kontrakt: Resultatkontrakt, periode: Periode, idag: date) -> tuple:
    """The parts of a result list's key besides the tokens: contract, house, period, day."""
    return (kontrakt.pk, kontrakt.erhvervshus_id, periode.navn, periode.fra.isoformat(),
            periode.til.isoformat(), idag.isoformat())


def _beregn(kontrakt: Resultatkontrakt, periode: Periode, *, idag: date,
            kun: frozenset[str] | None = None) -> list[Resultat]:
    defs = selectors.indikator_defs(kontrakt)
    if kun is not None:
        defs = [d for d in defs if d.noegle in kun]
    kinds = [(d, arter.art(d.art)) for d in defs]
    tal, pr_kommune = selectors.optaelling(
        [o for d, k in kinds for o in k.optaellinger(d)], periode,
        erhvervshus_id=kontrakt.erhvervshus_id,
    )
    maalte_noegler = {n for d, k in kinds for n in k.maalte_noegler(d.noegle, d.parametre)}
    til = beregning.indtastet_til(periode, idag)  # no date bound in a finished year
    grundtal = arter.Grundtal(
        kontrakt=kontrakt, til=til, tal=tal, pr_kommune=pr_kommune,
        kommuner=selectors.kommuner_med_befolkning(kontrakt, periode)
        if any(k.kommuner for _, k in kinds) else [],
        maalinger=selectors.maalinger(kontrakt, maalte_noegler, til) if maalte_noegler else [],
        milepaele=selectors.milepaele(kontrakt, til) if any(k.milepaele for _, k in kinds)
        else {},
    )
    return [k.resultat(d, grundtal, periode, idag) for d, k in kinds]


@dataclass(frozen=True)
class Rapport:
    """A contract's figures for a period: today's (``aktuel``), or as approved.

    ``godkendelse`` is the newest approval of the period (:meth:`Godkendelse.som_json`), or None
    when it was never approved: with ``aktuel`` False the figures are that approval's snapshot
    (``rapporter.godkendelse.godkendt_rapport``), with ``aktuel`` True they are today's and the
    approval is what they are compared with. ``forklaringer`` are the explanations' texts keyed
    (goal number, indicator key or None for the goal's own), as approved or as they stand.
    """

    kontrakt_navn: str
    erhvervshus: str
    aar: int
    modpart: str
    periode: Periode
    beregnet: datetime
    resultater: list[Resultat] = field(default_factory=list)
    godkendelse: dict | None = None
    aktuel: bool = True
    forklaringer: dict[tuple[int, str | None], str] = field(default_factory=dict)

    @property
    def godkendt(self) -> bool:
        """True when the figures are an approved version's, not today's."""
        return self.godkendelse is not None and not self.aktuel

    @property
    def godkendelse_tekst(self) -> str:
        """The approval line of the report: the mark of the approved version, "Ikke godkendt",
        or for today's figures of an approved period which version they are not."""
        if self.godkendelse is None:
            return "Ikke godkendt"
        if not self.aktuel:
            return self.godkendelse["tekst"]
        g = self.godkendelse
        return (f"Dagens tal – godkendt version {g['version']} er fra {g['dato']} "
                f"af {g['godkendt_af']}")

    def forklaring(self, maal_nr: int, noegle: str | None = None) -> str:
        """The explanation of an indicator (its own, else its goal's) or, without ``noegle``,
        of the goal; "" when there is none."""
        if noegle is not None and (maal_nr, noegle) in self.forklaringer:
            return self.forklaringer[(maal_nr, noegle)]
        return self.forklaringer.get((maal_nr, None), "")

    def som_json(self) -> dict:
        """The machine-readable report of KONTRAKT-2025.md."""
        godkendelse = None
        if self.godkendelse is not None:
            godkendelse = {k: self.godkendelse[k]
                           for k in ("version", "godkendt_af", "tidspunkt", "kommentar", "tekst")}
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
            "godkendelse": godkendelse,
            "aktuel": self.aktuel,
            "indikatorer": [
                r.som_json() | arter.art(r.art).json_ekstra(r) for r in self.resultater
            ],
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
