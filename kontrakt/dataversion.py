"""What is computed from the records, kept per data version: computed again only after a write
that can change it.

The engine's results (``rapporter.resultater.indikator_resultater``) and its per-model counts,
the goal pages' curves, the data-quality counts, the lists' advisers and the content of the
status, goal, drill-down and list pages ask :func:`husk` (or :func:`raekker`/:func:`antal`,
or :func:`indhold` for a page). An approved period is shown from its snapshot and never gets here.

- **The data version** is a token per database table (``rapporter.models.Dataversion``, one row
  per table, and one row with ``tabel=""`` for all of them together). A write sets its table's
  token to a new random number *in the writer's transaction*: a reader sees the new records and
  the new token at the same commit, never one without the other, so a value computed from old
  records is never stored under the new token.
- **Which writes.** ``post_save``, ``post_delete`` and ``m2m_changed`` of every model of
  ``forloeb``, ``maal``, ``rapporter`` and ``auth`` (the records, their history rows, the
  contract, its indicators and targets, målinger, milestones, by/land, population, explanations
  and approvals; users, groups and permissions, so a renamed user's name shows at once where a
  page names them, though not a login's ``last_login``): the services, the admin, the commands
  and fixtures alike.
  ``bulk_create``/``bulk_update`` send no signals: the workbook import's write step sends
  ``forloeb.arbejdsbog.skriv.skrevet`` inside its transaction, and that gives every table a new
  token (the ``""`` row); so does ``migrate``.
- **What a value depends on** is read off SQL, never listed by hand: the tables named in the
  querysets it is given (:func:`tabeller`, subqueries included), or, for results and pages, the
  tables of every query made and every kept value used while it is computed (:func:`husk` with
  ``querysets=None``). So an AI-tjek registered moves the AI-tjek count, the status page and
  Mål 9's page, and the forløb counts and the other goals' pages stay kept.
- **The key** is the value's name and parts (contract, house, period, ``idag``, path,
  permissions, query string …) and the tokens of its tables. Values are kept in Django's cache
  (``CACHES``: each process's memory, or with ``CACHE_MAPPE`` files that every gunicorn worker
  shares); the tokens are read from the database once per request, so every worker sees every
  other's writes. With the ``""`` row missing (a flushed database) nothing is kept.
  ``RESULTATCACHE=0`` computes every time. The test suite runs with it off (its tests build data
  with ``bulk_create``, which no cache can see) except ``tests/rapporter/test_cache.py``.

This module is the project's (``kontrakt``), so the registrations' lists use it without knowing
of the reports; the token rows are ``rapporter``'s model, looked up by name.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.signals import request_finished, request_started
from django.db import connection
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

TIMEOUT = 24 * 60 * 60  # a day; a new token makes the old entries unreachable before that
# The records, the contract, explanations and approvals, and the users, groups and permissions
# (a page shows who entered a måling; what a user may see is in the key).
APPS = ("forloeb", "maal", "rapporter", "auth")
ALLE = ""  # the row whose token stands for every table
_MANGLER = object()
_TABELLER: dict[tuple, frozenset[str]] = {}  # husk's tables per (navn, dele), per process
_NAVN = re.compile(r'"([A-Za-z0-9_]+)"')


def _model():
    return apps.get_model("rapporter", "Dataversion")


@functools.cache
def _kendte_modeller() -> frozenset[type]:
    """The models of :data:`APPS` as the app has them (history and
    many-to-many tables included; not a migration's stand-ins, whose writes happen before the
    app runs)."""
    return frozenset(m for navn in APPS
                     for m in apps.get_app_config(navn).get_models(include_auto_created=True)
                     if m is not _model())  # the tokens' own rows are no data


@functools.cache
def _kendte_tabeller() -> frozenset[str]:
    return frozenset(m._meta.db_table for m in _kendte_modeller())


def _sql(qs: QuerySet) -> tuple[str, tuple]:
    return qs.query.get_compiler(using=qs.db).as_sql()


def _i_sql(sql: str) -> frozenset[str]:
    kendte = _kendte_tabeller()
    return frozenset(n for n in _NAVN.findall(sql) if n in kendte)


def tabeller(*querysets: QuerySet) -> frozenset[str]:
    """The tables of those apps that the querysets' SQL reads, subqueries
    included: what a value computed from them depends on."""
    fundne = set()
    for qs in querysets:
        try:
            fundne |= _i_sql(_sql(qs)[0])
        except EmptyResultSet:  # a query that can find nothing reads nothing
            pass
    return frozenset(fundne)


class _Anmodning(threading.local):
    """Every table's tokens, read once per request (in a request only: ``aktiv``)."""

    aktiv = False
    tokens: dict[str, int] | None = None


_ANMODNING = _Anmodning()


def _begynd(**kwargs) -> None:
    _ANMODNING.aktiv, _ANMODNING.tokens = True, None


def _slut(**kwargs) -> None:
    _ANMODNING.aktiv, _ANMODNING.tokens = False, None


def _alle_tokens() -> dict[str, int]:
    """Every row, in one query; within a request the first read serves the rest of it, until
    this process writes (:func:`ny_version` forgets it)."""
    if _ANMODNING.aktiv and _ANMODNING.tokens is not None:
        return _ANMODNING.tokens
    tokens = dict(_model().objects.values_list("tabel", "token"))
    if _ANMODNING.aktiv:
        _ANMODNING.tokens = tokens
    return tokens


def versioner(tabeller_: Iterable[str] | None = None) -> tuple | None:
    """The tokens of ``tabeller_`` (every table's, for None): ``(all, ((table, token), …))``;
    None when the ``""`` row is missing (nothing is kept then). A table never written through
    the signals has token 0."""
    tokens = dict(_alle_tokens())
    if ALLE not in tokens:
        return None
    alle = tokens.pop(ALLE)
    if tabeller_ is None:
        return (alle, tuple(sorted(tokens.items())))
    return (alle, tuple((n, tokens.get(n, 0)) for n in sorted(tabeller_)))


def version() -> tuple | None:
    """Every table's tokens: the version of the data as a whole."""
    return versioner(None)


def ny_version(tabel: str = ALLE, **kwargs) -> None:
    """Give ``tabel`` (``""``: every table) a new token; also a signal receiver."""
    model = _model()
    token = secrets.randbits(62)
    _ANMODNING.tokens = None  # this request reads the new tokens from here on
    if not model.objects.filter(tabel=tabel).update(token=token):
        # The first write to this table: insert its row (a simultaneous first write of the
        # same table inserts nothing here, and the update below sets the token anyway).
        model.objects.bulk_create([model(tabel=tabel, token=token)], ignore_conflicts=True)
        model.objects.filter(tabel=tabel).update(token=token)


def _noegle(navn: str, dele: tuple, tokens: tuple) -> str:
    tekst = repr((dele, tokens))
    return f"{navn}:{hashlib.sha1(tekst.encode(), usedforsecurity=False).hexdigest()}"


def husk(navn: str, dele: tuple,
         querysets: Callable[[], Iterable[QuerySet]] | Iterable[QuerySet] | None,
         beregn: Callable[[], Any]) -> Any:
    """``beregn()``, kept under ``navn`` and ``dele`` (everything else the value depends on:
    house, period, day, settings …) until a table it reads is written.

    Which tables: those ``querysets`` read, when given (``beregn`` must compute from exactly
    those querysets, or fewer tables). ``querysets`` may be a function returning them: it is
    called, and their SQL compiled, only the first time a process meets ``(navn, dele)``; the
    tables are remembered after that (the same ``navn`` and ``dele`` build the same queries).

    With ``querysets=None`` the tables are found while ``beregn`` runs (:func:`_spor`): those
    named in every query it makes and the tables of every kept value it uses, hit or computed.
    The value is stored with those tables' tokens as they were when it began, and is good while
    none of them has changed: a page of Mål 7 outlives an AI-tjek, a page with the AI-tjek count
    does not."""
    if not getattr(settings, "RESULTATCACHE", True):
        return beregn()
    if querysets is None:
        return _spor(navn, dele, beregn)
    if not callable(querysets):
        return _husk(navn, dele, tabeller(*querysets), beregn)
    memo = (navn, dele)
    if memo not in _TABELLER:
        if len(_TABELLER) > 10_000:  # periods and days are few; bound it all the same
            _TABELLER.clear()
        _TABELLER[memo] = tabeller(*querysets())
    return _husk(navn, dele, _TABELLER[memo], beregn)


class _Sporing(threading.local):
    """The tables read so far by each value being computed with its tables found as it runs
    (innermost last)."""

    def __init__(self):
        self.stak: list[set[str]] = []


_SPORING = _Sporing()


def _laest(tabeller_: Iterable[str]) -> None:
    """Tell every value being computed that it read ``tabeller_``."""
    for saet in _SPORING.stak:
        saet.update(tabeller_)


def _optag(execute, sql, params, many, context):
    """``connection.execute_wrapper``: the tables of each query made while a value is
    computed."""
    _laest(_i_sql(sql))
    return execute(sql, params, many, context)


def _spor(navn: str, dele: tuple, beregn: Callable[[], Any]) -> Any:
    tokens = _alle_tokens()
    if ALLE not in tokens:
        return beregn()
    key = _noegle(f"spor:{navn}", (connection.alias, *dele), (tokens[ALLE],))
    fundet = cache.get(key, _MANGLER)
    if fundet is not _MANGLER:
        afhaengigheder, vaerdi = fundet
        if all(tokens.get(tabel, 0) == token for tabel, token in afhaengigheder):
            _laest(tabel for tabel, _ in afhaengigheder)
            return vaerdi
    laest: set[str] = set()
    _SPORING.stak.append(laest)
    try:
        if len(_SPORING.stak) == 1:
            with connection.execute_wrapper(_optag):
                vaerdi = beregn()
        else:  # the outermost computation's wrapper sees these queries too
            vaerdi = beregn()
    finally:
        _SPORING.stak.pop()
    _laest(laest)
    cache.set(key, (tuple((tabel, tokens.get(tabel, 0)) for tabel in sorted(laest)), vaerdi),
              TIMEOUT)
    return vaerdi


def raekker(qs: QuerySet) -> list:
    """``list(qs)``, kept until a table its SQL reads is written (keyed by the SQL itself)."""
    return _som_sql("raekker", qs, lambda: list(qs))


def antal(qs: QuerySet) -> int:
    """``qs.count()``, kept until a table its SQL reads is written."""
    return _som_sql("antal", qs, qs.count)


def _som_sql(navn: str, qs: QuerySet, beregn: Callable[[], Any]) -> Any:
    if not getattr(settings, "RESULTATCACHE", True):
        return beregn()
    try:
        sql, params = _sql(qs)
    except EmptyResultSet:
        return beregn()
    return _husk(navn, (sql, params), _i_sql(sql), beregn)


def _husk(navn: str, dele: tuple, tabeller_: frozenset[str],
          beregn: Callable[[], Any]) -> Any:
    tokens = versioner(tabeller_)
    if tokens is None:
        return beregn()
    _laest(tabeller_)  # a value computed around this one depends on these tables too
    key = _noegle(navn, (connection.alias, *dele), tokens)
    fundet = cache.get(key, _MANGLER)
    if fundet is _MANGLER:
        fundet = beregn()
        cache.set(key, fundet, TIMEOUT)
    return fundet


def indhold(request, skabelon: str, kontekst: Callable[[], dict], *,
            querysets: Callable[[], Iterable[QuerySet]] | None = None, dele: tuple = (),
            pr_bruger: bool = True) -> str:
    """A page's content (``skabelon`` rendered with ``kontekst()``), kept per path, user, their
    permissions, the query string and ``dele`` until a table ``querysets`` read (None: a table
    it reads, found as it is rendered: :func:`husk`) is written: a second view of unchanged
    data costs a cache lookup, and ``kontekst`` runs only on a miss. ``pr_bruger=False``
    shares it between users with the same permissions when ``dele`` holds all else the content
    depends on (their houses). The content must hold no form with a CSRF token (that is the
    session's, not the user's): render such a page without this."""
    bruger = request.user
    noegle = (skabelon, request.path, bruger.pk if pr_bruger else None,
              tuple(sorted(bruger.get_all_permissions())),
              tuple(sorted((k, tuple(v)) for k, v in request.GET.lists())), *dele)
    html = husk("side", noegle, querysets,
                lambda: render_to_string(skabelon, kontekst(), request=request))
    return mark_safe(html)  # noqa: S308 -- our own template's output


def _taeller(sender) -> bool:
    return sender in _kendte_modeller()


def _gemt(sender, update_fields=None, **kwargs):
    if _taeller(sender) and update_fields != frozenset({"last_login"}):
        # (A login notes its time on the user: nothing any page shows.)
        ny_version(sender._meta.db_table)


def _m2m(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and _taeller(sender):
        ny_version(sender._meta.db_table)


def forbind() -> None:
    """Connect the receivers (``RapporterConfig.ready``)."""
    from forloeb.arbejdsbog.skriv import skrevet

    request_started.connect(_begynd, dispatch_uid="kontrakt.dataversion.begynd")
    request_finished.connect(_slut, dispatch_uid="kontrakt.dataversion.slut")
    post_save.connect(_gemt, dispatch_uid="kontrakt.dataversion.gemt")
    post_delete.connect(_gemt, dispatch_uid="kontrakt.dataversion.slettet")
    m2m_changed.connect(_m2m, dispatch_uid="kontrakt.dataversion.m2m")
    skrevet.connect(lambda **kwargs: ny_version(ALLE), dispatch_uid="kontrakt.dataversion.import",
                    weak=False)
    post_migrate.connect(_migreret, sender=apps.get_app_config("rapporter"),
                         dispatch_uid="kontrakt.dataversion.migreret")


def _migreret(using="default", **kwargs) -> None:
    """After ``migrate`` (or a flush) every table gets a new token: a data migration writes
    without the signals, and a cache in files (``CACHE_MAPPE``) outlives a restart. The rows of
    single tables are dropped (the new ``""`` token makes them moot): the roles made after
    migrating (``maal.roller``) leave none behind, so a database copied right after ``migrate``
    and loaded again (a test's ``serialized_rollback``) does not meet rows its own writes made."""
    from django.db import connections

    if _model()._meta.db_table in connections[using].introspection.table_names():
        _model().objects.using(using).exclude(tabel=ALLE).delete()
        ny_version(ALLE)
