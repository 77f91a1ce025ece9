"""Approved periods lock the records counted in them.

Once an administrator approves a half year or a whole year (``rapporter.godkendelse``), a record
whose counting date lies in that period may be changed only by an administrator, with a reason.
The registrations know nothing of goals or approvals (dependencies point ``forloeb`` ← ``maal``
← ``rapporter``), so ``rapporter`` registers a source of locked periods at start-up and this
module asks it; with no source registered nothing is locked.

The counting date of each record kind lives here once (:data:`TAELLEDATO`): the services, the
import and the audit trail's "touches an approved period" all read it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

# The field (or path) whose date decides which period a record counts in, per model name.
# A henvisning counts with its forløb, whatever its own date (KONTRAKT-2025.md, Terms).
# Companies have none: a company is counted through its forløb.
TAELLEDATO: dict[str, str] = {
    "forloeb": "slutdato",
    "henvisning": "forloeb__slutdato",
    "aitjek": "dato",
    "aktivitet": "dato",
    "programdeltagelse": "dato",
    "samarbejdsaftale": "dato",
}


@dataclass(frozen=True)
class LaastPeriode:
    """A period that has been approved: its dates, the sentence that says so, and the house
    whose records it locks (``None``: every house's). Approving one house's half year locks
    that house's records only."""

    fra: date
    til: date
    grund: str  # "1. halvår 2025 er godkendt 14. august 2025 af Anne Hansen (version 1)"
    erhvervshus_id: int | None = None

    def indeholder(self, dato: date | None, erhvervshus_id: int | None = None) -> bool:
        if (self.erhvervshus_id is not None and erhvervshus_id is not None
                and self.erhvervshus_id != erhvervshus_id):
            return False
        return dato is not None and self.fra <= dato <= self.til


_kilder: list[Callable[[], list[LaastPeriode]]] = []


def registrer(kilde: Callable[[], list[LaastPeriode]]) -> None:
    """Add a source of locked periods (called once from ``rapporter``'s ``AppConfig.ready``)."""
    if kilde not in _kilder:
        _kilder.append(kilde)


def afregistrer(kilde: Callable[[], list[LaastPeriode]]) -> None:
    """Remove a source again (tests)."""
    if kilde in _kilder:
        _kilder.remove(kilde)


@contextmanager
def med_kilde(kilde: Callable[[], list[LaastPeriode]]) -> Iterator[None]:
    """A source registered for the duration of a ``with`` block (tests)."""
    registrer(kilde)
    try:
        yield
    finally:
        afregistrer(kilde)


def laaste_perioder() -> list[LaastPeriode]:
    """Every locked period, from every registered source (one query per source)."""
    return [periode for kilde in _kilder for periode in kilde()]


def taelledato(instans) -> date | None:
    """The counting date of a record as it is now (in memory); None for kinds without one."""
    sti = TAELLEDATO.get(instans._meta.model_name)
    if sti is None:
        return None
    vaerdi = instans
    for del_ in sti.split("__"):
        vaerdi = getattr(vaerdi, del_, None)
        if vaerdi is None:
            return None
    return vaerdi


def gemt_taelledato(instans) -> date | None:
    """The counting date of a record as the database holds it (before an unsaved change); one
    query, None for a new record or a kind without one."""
    sti = TAELLEDATO.get(instans._meta.model_name)
    if sti is None or instans.pk is None:
        return None
    return (type(instans)._default_manager.filter(pk=instans.pk)
            .values_list(sti, flat=True).first())


def datofelt(instans) -> str | None:
    """The record's own field that holds its counting date (a henvisning's is its forløb's:
    None), where a refusal is shown on a form."""
    sti = TAELLEDATO.get(instans._meta.model_name)
    return sti if sti and "__" not in sti else None


def laast(datoer: Iterable[date | None], perioder: list[LaastPeriode] | None = None, *,
          erhvervshus_id: int | None = None):
    """The first locked period of the record's house (``erhvervshus_id``) that holds any of
    ``datoer``, or None.

    Pass ``perioder`` (from :func:`laaste_perioder`) when checking many records at once, as the
    import does, so the sources are asked once."""
    if perioder is None:
        perioder = laaste_perioder()
    for dato in datoer:
        for periode in perioder:
            if periode.indeholder(dato, erhvervshus_id):
                return periode
    return None
