"""Reads for the figures: database aggregates per indicator kind and period, and the drill-down.

Each selector asks the database to count (``Count`` with ``filter=Q(...)``, ``values().annotate()``)
and hands plain numbers to ``rapporter.beregning``; none loops over records in Python. The
drill-down (:func:`indikator_poster`) uses the very same filters, unaggregated, so a figure on a
page opens to exactly the records it counts.
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from maal.models import Indikator, Resultatkontrakt

from .beregning import IndikatorDef, KommuneTal, Periode


def indikator_defs(kontrakt: Resultatkontrakt) -> list[IndikatorDef]:
    """The contract's indicators in goal and ``raekkefoelge`` order (one query)."""
    raise NotImplementedError


def indikator_poster(indikator: Indikator, periode: Periode, del_: str = "taeller") -> QuerySet:
    """Exactly the records behind an indicator's ``taeller`` (or ``naevner``) in ``periode``."""
    raise NotImplementedError


def kumulativ_udvikling(
    indikator: Indikator, periode: Periode, *, interval: str = "maaned"
) -> list[dict]:
    """Cumulative count of an ``antal`` indicator through the period, per month or day:
    ``[{"dato": date, "antal": int, "kumuleret": int}, ...]``."""
    raise NotImplementedError


def per_kommune(kontrakt: Resultatkontrakt, periode: Periode) -> list[KommuneTal]:
    """Guided companies and population per kommune of the house's region, with by/land."""
    raise NotImplementedError


def henvisninger_efter_aktoertype(
    periode: Periode, *, forloebstyper: list[str] | None = None
) -> list[dict]:
    """Of the forløb gennemført i P (optionally of some types), how many and what share have
    at least one henvisning to each aktør type: ``[{"aktoertype", "navn", "forloeb", "andel"}]``
    plus the total in ``naevner``."""
    raise NotImplementedError


def _dato_interval(periode: Periode) -> tuple[date, date]:
    return periode.fra, periode.til
