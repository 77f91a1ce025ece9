"""Each period's results kept per data version: recomputed only after a write that can move them.

``indikator_resultater`` (every page, chart, workbook and JSON report) asks :func:`resultater`;
an approved period is shown from its snapshot and never gets here.

- **The data version** is one row (:class:`rapporter.models.Dataversion`) whose token is set to a
  new random number by every write that can change a figure, *in the writer's transaction*: a
  reader sees the new records and the new token at the same commit, never one without the other,
  so a figure computed from old records is never stored under the new token.
- **Which writes.** ``post_save``, ``post_delete`` and ``m2m_changed`` of every model of
  ``forloeb`` and ``maal`` (the records, the contract, its indicators and targets, målinger,
  milestones, by/land, population): the services, the admin, the commands and fixtures alike.
  ``bulk_create``/``bulk_update`` send no signals: the workbook import's write step sends
  ``forloeb.arbejdsbog.skriv.skrevet`` inside its transaction, and that sets the token too.
- **The key** is (contract, its house, the period's name and dates, ``idag``, token); the
  results are kept in Django's cache (``CACHES``: local memory per gunicorn worker; the token is
  read from the database on each request, so every worker sees every other's writes).
  ``RESULTATCACHE=0`` computes every time. The test suite runs with it off (its tests build
  data with ``bulk_create``, which no cache can see) except ``tests/rapporter/test_cache.py``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from .beregning import Periode, Resultat

TIMEOUT = 24 * 60 * 60  # a day; a new token makes the old entries unreachable before that
APPS = ("forloeb", "maal")


def _model():
    return apps.get_model("rapporter", "Dataversion")


def version() -> int | None:
    """The current token; None when the row is missing (nothing is cached then)."""
    return _model().objects.filter(pk=1).values_list("token", flat=True).first()


def ny_version(**kwargs) -> None:
    """Give the data a new token (a signal receiver: any arguments)."""
    model = _model()
    token = secrets.randbits(62)
    if not model.objects.filter(pk=1).update(token=token):
        model.objects.update_or_create(pk=1, defaults={"token": token})


def noegle(kontrakt, periode: Periode, idag: date, token: int) -> str:
    return (f"resultater:{kontrakt.pk}:{kontrakt.erhvervshus_id}:{periode.navn}:"
            f"{periode.fra.isoformat()}:{periode.til.isoformat()}:{idag.isoformat()}:{token}")


def resultater(kontrakt, periode: Periode, idag: date,
               beregn: Callable[[], list[Resultat]]) -> list[Resultat]:
    """``beregn()``'s results for the key, from the cache when the data have not changed."""
    if not getattr(settings, "RESULTATCACHE", True):
        return beregn()
    token = version()  # read before computing: a write after it gives a new token
    if token is None:
        return beregn()
    key = noegle(kontrakt, periode, idag, token)
    fundet = cache.get(key)
    if fundet is None:
        fundet = beregn()
        cache.set(key, fundet, TIMEOUT)
    return fundet


def _taeller(sender) -> bool:
    """A model of ``forloeb`` or ``maal`` as the app has it (not a migration's stand-in, whose
    writes happen before this app's table exists), not a history row."""
    meta = sender._meta
    if meta.app_label not in APPS or meta.model_name.startswith("historical"):
        return False
    try:
        return apps.get_model(meta.app_label, meta.model_name) is sender
    except LookupError:
        return False


def _gemt(sender, **kwargs):
    if _taeller(sender):
        ny_version()


def _m2m(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and _taeller(sender):
        ny_version()


def forbind() -> None:
    """Connect the receivers (``RapporterConfig.ready``)."""
    from forloeb.arbejdsbog.skriv import skrevet

    post_save.connect(_gemt, dispatch_uid="rapporter.cache.gemt")
    post_delete.connect(_gemt, dispatch_uid="rapporter.cache.slettet")
    m2m_changed.connect(_m2m, dispatch_uid="rapporter.cache.m2m")
    skrevet.connect(ny_version, dispatch_uid="rapporter.cache.import")
