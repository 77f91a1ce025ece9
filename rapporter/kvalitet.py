"""Data quality: the flags of issue 9, item 7, as database reads (selectors).

Each flag finds records that deserve a second look; none is an error by itself, and nothing is
changed or excluded from the figures. The thresholds are settings (``DATAKVALITET_...``).

- **Sen registrering**: forløb registered (``oprettet``, local date) more than
  ``DATAKVALITET_SEN_REGISTRERING_DAGE`` (60) days after their slutdato.
- **Sene henvisninger**: henvisninger added more than ``DATAKVALITET_SEN_HENVISNING_DAGE`` (30)
  days after their forløb's slutdato (re-tagging old cases to reach a referral target).
- **Mulige dubletter**: forløb with another forløb of the same company (CVR) and type whose dates
  overlap (both ends inclusive; a forløb without slutdato runs on).
- **Mange ændringer på en time**: a user who changed more than
  ``DATAKVALITET_AENDRINGER_PR_TIME`` (50) distinct records within one clock hour (local time),
  counted over the history of every record kind of ``forloeb`` that has one.
- **Virksomheder uden stiftelsesdato**: ``Virksomhed.stiftelsesdato`` is required (NOT NULL, and
  the form and the import refuse a company without it), so this flag finds nothing by
  construction; it is shown with 0 and that sentence rather than with a query that cannot hit.

**A period.** Every flag can be restricted to a period: a forløb (and its henvisninger) touches
the period its slutdato lies in, the period it counts in. A burst of changes touches the period
when at least one of the records changed counts in it, by the counting dates of
``forloeb.laas.TAELLEDATO`` as the record stood after that change.

**Queries.** :func:`opsummering` (the status page's notice) costs four queries whatever the
volume: one count per record flag and one UNION over the history tables for the bursts.
:func:`flag` adds the first rows of each table.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import (
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate, TruncHour

from forloeb import laas
from forloeb.models import Forloeb, Henvisning
from kontrakt import dataversion

from .beregning import Periode

# The most rows a flag's table shows on the page; the count is always the full one.
VIS_HOEJST = 50
SIDSTE_DAG = date(9999, 12, 31)  # the end of a forløb without slutdato, for the overlap


@dataclass(frozen=True)
class Flag:
    """One data-quality flag: what it looks for, how many it finds, and the rows to show."""

    noegle: str
    titel: str
    forklaring: str
    antal: int
    raekker: list = field(default_factory=list, hash=False, compare=False)


def _efter(dato_felt: str, dage: int) -> ExpressionWrapper:
    return ExpressionWrapper(F(dato_felt) + timedelta(days=dage), output_field=DateField())


def _i_perioden(felt: str, periode: Periode | None) -> Q:
    if periode is None:
        return Q()
    return Q(**{f"{felt}__gte": periode.fra, f"{felt}__lte": periode.til})


# --- The record flags ---------------------------------------------------------------------------


def _hus(erhvervshus_id, felt="erhvervshus_id") -> dict:
    """The house's records only (``None``: every house's)."""
    return {} if erhvervshus_id is None else {felt: erhvervshus_id}


def sene_forloeb(periode: Periode | None = None, erhvervshus_id: int | None = None) -> QuerySet:
    """Forløb registered more than the threshold's days after their slutdato."""
    dage = settings.DATAKVALITET_SEN_REGISTRERING_DAGE
    return (
        Forloeb.objects.filter(_i_perioden("slutdato", periode), slutdato__isnull=False,
                               **_hus(erhvervshus_id))
        .annotate(oprettet_dag=TruncDate("oprettet"), frist=_efter("slutdato", dage))
        .filter(oprettet_dag__gt=F("frist"))
        .select_related("virksomhed", "oprettet_af")
        .order_by("-oprettet", "-id")
    )


def sene_henvisninger(periode: Periode | None = None,
                      erhvervshus_id: int | None = None) -> QuerySet:
    """Henvisninger added more than the threshold's days after their forløb ended."""
    dage = settings.DATAKVALITET_SEN_HENVISNING_DAGE
    return (
        Henvisning.objects.filter(
            _i_perioden("forloeb__slutdato", periode), forloeb__slutdato__isnull=False,
            **_hus(erhvervshus_id, "forloeb__erhvervshus_id"),
        )
        .annotate(oprettet_dag=TruncDate("oprettet"), frist=_efter("forloeb__slutdato", dage))
        .filter(oprettet_dag__gt=F("frist"))
        .select_related("forloeb__virksomhed", "aktoer", "oprettet_af")
        .order_by("-oprettet", "-id")
    )


def mulige_dubletter(periode: Periode | None = None,
                     erhvervshus_id: int | None = None) -> QuerySet:
    """Forløb with another forløb of the same company and type whose dates overlap."""
    anden = Forloeb.objects.filter(
        virksomhed=OuterRef("virksomhed"), type=OuterRef("type"),
        startdato__lte=Coalesce(OuterRef("slutdato"), Value(SIDSTE_DAG),
                                output_field=DateField()),
    ).exclude(pk=OuterRef("pk")).filter(Q(slutdato__isnull=True)
                                        | Q(slutdato__gte=OuterRef("startdato")))
    return (
        Forloeb.objects.filter(_i_perioden("slutdato", periode), Exists(anden),
                               **_hus(erhvervshus_id))
        .select_related("virksomhed")
        .order_by("virksomhed__cvr", "type", "startdato", "id")
    )


# --- Bursts of changes --------------------------------------------------------------------------


@dataclass(frozen=True)
class Byge:
    """More than the threshold's records changed by one user within one clock hour."""

    bruger_id: int
    bruger: str
    time: datetime  # the start of the clock hour, local time
    poster: int  # distinct records changed
    i_perioden: int  # of those changes, how many touch the period asked about
    arter: tuple[str, ...] = ()  # the kinds of records changed, in Danish

    @property
    def slut(self) -> datetime:
        return self.time + timedelta(hours=1)


@functools.cache
def _historik_modeller() -> tuple[tuple[type, type], ...]:
    """(model, history model) of every ``forloeb`` model with a simple-history manager."""
    ud = []
    for model in apps.get_app_config("forloeb").get_models():
        historik = getattr(model, "history", None)
        if historik is not None and hasattr(historik, "model"):
            ud.append((model, historik.model))
    return tuple(ud)


def _taeller_i_perioden(navn: str, periode: Periode | None):
    """Count of the history rows whose counting date (``laas.TAELLEDATO``) lies in ``periode``;
    0 for kinds without one, or with no period asked."""
    sti = laas.TAELLEDATO.get(navn)
    if periode is None or sti is None:
        return Value(0, output_field=IntegerField())
    if "__" in sti:  # a henvisning counts with its forløb
        felt, rest = sti.split("__", 1)
        model = apps.get_model("forloeb", felt)
        betingelse = Q(Exists(model.objects.filter(
            _i_perioden(rest, periode), pk=OuterRef(f"{felt}_id"))))
    else:
        betingelse = _i_perioden(sti, periode)
    return Count("pk", filter=betingelse)


def byger(periode: Periode | None = None) -> list[Byge]:
    """Bursts of changes, newest first: each history table grouped by user and clock hour (few
    rows: one per user and hour), added up per user and hour. Each table's rows are kept until
    that table is written (``dataversion.husk``), so a new AI-tjek groups the AI-tjek
    history again and not the forløb history beside it."""
    graense = settings.DATAKVALITET_AENDRINGER_PR_TIME
    raekker, arter = [], {}
    for model, historik in _historik_modeller():
        navn = model._meta.model_name
        arter[navn] = str(model._meta.verbose_name_plural)

        def grupperet(model=model, historik=historik, navn=navn):
            return (historik.objects.filter(history_user__isnull=False)
                    .annotate(time=TruncHour("history_date"),
                              art=Value(navn, output_field=CharField()))
                    .values("history_user_id", "time", "art")
                    .annotate(poster=Count(model._meta.pk.attname, distinct=True),
                              i_perioden=_taeller_i_perioden(navn, periode))
                    .order_by())

        raekker += dataversion.husk("kvalitet.pr_time", (navn, periode),
                                    lambda qs=grupperet: [qs()], lambda qs=grupperet: list(qs()))
    pr_time: dict[tuple[int, datetime], list] = defaultdict(lambda: [0, 0, []])
    for r in raekker:
        samlet = pr_time[(r["history_user_id"], r["time"])]
        samlet[0] += r["poster"]
        samlet[1] += r["i_perioden"]
        samlet[2].append(r["art"])
    fundne = {noegle: v for noegle, v in pr_time.items() if v[0] > graense
              and (periode is None or v[1] > 0)}
    brugere = _brugernavne({bruger_id for bruger_id, _ in fundne})
    return sorted(
        (Byge(bruger_id=b, bruger=brugere.get(b, str(b)), time=t, poster=v[0], i_perioden=v[1],
              arter=tuple(sorted({arter[a] for a in v[2]})))
         for (b, t), v in fundne.items()),
        key=lambda byge: byge.time, reverse=True,
    )


def _brugernavne(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    from django.contrib.auth import get_user_model

    return {
        b.pk: b.get_full_name() or b.get_username()
        for b in get_user_model().objects.filter(pk__in=ids)
    }


# --- The page and the notice --------------------------------------------------------------------


TITLER = {
    "sene_forloeb": "Forløb registreret sent",
    "sene_henvisninger": "Henvisninger tilføjet efter forløbets afslutning",
    "dubletter": "Mulige dubletter",
    "byger": "Mange ændringer på en time",
    "uden_stiftelsesdato": "Virksomheder uden stiftelsesdato",
}


def _forklaringer() -> dict[str, str]:
    return {
        "sene_forloeb": f"Forløb oprettet mere end {settings.DATAKVALITET_SEN_REGISTRERING_DAGE} "
        "dage efter deres slutdato.",
        "sene_henvisninger": "Henvisninger tilføjet mere end "
        f"{settings.DATAKVALITET_SEN_HENVISNING_DAGE} dage efter, at deres forløb sluttede.",
        "dubletter": "Forløb med et andet forløb af samme type for samme virksomhed (CVR), hvor "
        "datoerne overlapper (et forløb uden slutdato løber stadig).",
        "byger": f"En bruger, der har ændret mere end {settings.DATAKVALITET_AENDRINGER_PR_TIME} "
        "poster inden for samme klokketime.",
        "uden_stiftelsesdato": "Stiftelsesdatoen er et krævet felt: en virksomhed kan ikke "
        "gemmes uden den, hverken i browseren eller ved import. Punktet finder derfor intet.",
    }


def opsummering(periode: Periode | None, erhvervshus_id: int | None = None) -> list[Flag]:
    """The flags that find something in ``periode``, with their counts and no rows: what the
    status page's notice shows. Four queries, each kept until a table it reads is written
    (``kontrakt.dataversion``)."""
    forklaringer = _forklaringer()
    dele = (periode, erhvervshus_id, settings.DATAKVALITET_SEN_REGISTRERING_DAGE,
            settings.DATAKVALITET_SEN_HENVISNING_DAGE, settings.DATAKVALITET_AENDRINGER_PR_TIME)
    tal = {
        navn: dataversion.husk(f"kvalitet.{navn}", dele,
                               lambda qs=qs: [qs(periode, erhvervshus_id)],
                               lambda qs=qs: qs(periode, erhvervshus_id).count())
        for navn, qs in (("sene_forloeb", sene_forloeb),
                         ("sene_henvisninger", sene_henvisninger),
                         ("dubletter", mulige_dubletter))
    }
    tal["byger"] = dataversion.husk(
        "kvalitet.byger", dele,
        lambda: [Forloeb.objects.all()]  # a henvisning's period is its forløb's
        + [historik.objects.all() for _, historik in _historik_modeller()],
        lambda: len(byger(periode)))
    return [Flag(noegle=n, titel=TITLER[n], forklaring=forklaringer[n], antal=antal)
            for n, antal in tal.items() if antal]


def flag(periode: Periode | None, erhvervshus_id: int | None = None) -> list[Flag]:
    """Every flag with its count and its first :data:`VIS_HOEJST` rows, for the page: of the
    house's records (``erhvervshus_id``; the bursts of changes are every house's users')."""
    forklaringer = _forklaringer()
    ud = []
    for noegle, qs in [("sene_forloeb", sene_forloeb(periode, erhvervshus_id)),
                       ("sene_henvisninger", sene_henvisninger(periode, erhvervshus_id)),
                       ("dubletter", mulige_dubletter(periode, erhvervshus_id))]:
        raekker = list(qs[:VIS_HOEJST])
        antal = len(raekker) if len(raekker) < VIS_HOEJST else qs.count()
        ud.append(Flag(noegle, TITLER[noegle], forklaringer[noegle], antal, raekker))
    fundne = byger(periode)
    ud.append(Flag("byger", TITLER["byger"], forklaringer["byger"], len(fundne),
                   fundne[:VIS_HOEJST]))
    ud.append(Flag("uden_stiftelsesdato", TITLER["uden_stiftelsesdato"],
                   forklaringer["uden_stiftelsesdato"], 0))
    return ud
