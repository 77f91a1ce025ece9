"""Each period's results kept per data version (``kontrakt.dataversion``): the same data, period
and day answer from the cache with one query; an approved period is shown from its snapshot and
never gets here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from kontrakt import dataversion

from .beregning import Periode, Resultat


def noegle(kontrakt, periode: Periode, idag: date) -> tuple:
    """The parts of a result list's key besides the tokens."""
    return (kontrakt.pk, kontrakt.erhvervshus_id, periode.navn, periode.fra.isoformat(),
            periode.til.isoformat(), idag.isoformat())


def resultater(kontrakt, periode: Periode, idag: date,
               beregn: Callable[[], list[Resultat]], *,
               kun: frozenset[str] | None = None) -> list[Resultat]:
    """``beregn()``'s results for the contract, period and day, kept until a table their
    queries read is written (``dataversion.husk`` finds the tables as they are computed; the
    counts per model are kept by their own tables, so after an AI-tjek only its count is
    made again)."""
    dele = (*noegle(kontrakt, periode, idag), None if kun is None else tuple(sorted(kun)))
    return dataversion.husk("resultater", dele, None, beregn)


