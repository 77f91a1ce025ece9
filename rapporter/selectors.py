"""Reads for the figures: database aggregates per indicator kind and period, and the drill-down.

Each selector asks the database to count (``Count`` with ``filter=Q(...)``, ``values().annotate()``)
and hands plain numbers to ``rapporter.beregning``; none loops over records in Python. The
drill-down (:func:`indikator_poster`) uses the very same filters, unaggregated, so a figure on a
page opens to exactly the records it counts.

How an indicator's ``parametre`` (``maal/parametre.py``) read here:

- ``grundlag`` picks the records and the date that puts them in a period: ``forloeb`` (forløb
  gennemført i P: ``slutdato`` in P), ``virksomheder`` (distinct companies with such a forløb),
  ``ai_tjek``, ``aktiviteter`` (their ``dato``), ``programdeltagelser`` (distinct companies, by
  ``dato``) and ``samarbejdsaftaler`` (distinct aktører, by ``dato``).
- ``forloebstyper``, ``aktivitetstype``, ``program``, ``programstatus``: equality filters.
- ``region``: the company's kommune lies in that region.
- ``ivaerksaetter``: the company was under 3 years old at the record's start (a forløb's
  ``startdato``, otherwise its ``dato``), see :func:`rapporter.beregning.er_ivaerksaetter`.
- ``aktoertype``: for ``samarbejdsaftaler`` the aktør's type; for ``aktiviteter`` at least one
  partner of that type.

A filter that has no meaning for the ``grundlag`` (say ``program`` on forløb) raises ValueError
rather than being silently ignored.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Min,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.lookups import LessThan

from forloeb.models import (
    AITjek,
    Aktivitet,
    Aktoer,
    Befolkning,
    Forloeb,
    Henvisning,
    Kommune,
    Programdeltagelse,
    Samarbejdsaftale,
    Virksomhed,
)
from kontrakt import dataversion
from maal.models import ByLand, Indikator, Maaling, MilepaelStatus, Resultatkontrakt
from maal.parametre import FILTRE_PR_GRUNDLAG

from . import beregning

if TYPE_CHECKING:
    from .arter.base import Optaelling
from .beregning import (
    BefolkningsTal,
    IndikatorDef,
    KommuneTal,
    MaaltVaerdi,
    MilepaelTal,
    Periode,
)

# ---------------------------------------------------------------------------------------------
# The vocabulary: which records and which date each ``grundlag`` counts


@dataclass(frozen=True)
class Grundlag:
    """How a ``grundlag`` maps to the database: the model, the date that places a record in a
    period, the date a company's age is taken at, and, for counts of distinct things, the field
    counted and the model it points to."""

    model: type[Model]
    datofelt: str
    startfelt: str = ""
    distinkt: str = ""
    distinkt_model: type[Model] | None = None

    def __post_init__(self):
        if not self.startfelt:
            object.__setattr__(self, "startfelt", self.datofelt)


GRUNDLAG: dict[str, Grundlag] = {
    "forloeb": Grundlag(Forloeb, "slutdato", startfelt="startdato"),
    "virksomheder": Grundlag(
        Forloeb, "slutdato", startfelt="startdato", distinkt="virksomhed",
        distinkt_model=Virksomhed,
    ),
    "ai_tjek": Grundlag(AITjek, "dato"),
    "aktiviteter": Grundlag(Aktivitet, "dato"),
    "programdeltagelser": Grundlag(
        Programdeltagelse, "dato", distinkt="virksomhed", distinkt_model=Virksomhed
    ),
    "samarbejdsaftaler": Grundlag(
        Samarbejdsaftale, "dato", distinkt="aktoer", distinkt_model=Aktoer
    ),
}
# The referral table's last row: the indicator's own aktør types together (its figure).
I_ALT = "i_alt"


class Datonoegle(Func):
    """A date as the number ``YYYYMMDD``, so that "+3 years" is "+30000" (29 February becomes
    "29 February" of a non-leap year, i.e. after 28 February and before 1 March)."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        # Standard SQL for other backends; SQLite and PostgreSQL have their own below.
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return (
            f"CAST(EXTRACT(YEAR FROM {sql}) * 10000 + EXTRACT(MONTH FROM {sql}) * 100"
            f" + EXTRACT(DAY FROM {sql}) AS INTEGER)",
            (*params, *params, *params),
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        # Dates are stored as 'YYYY-MM-DD' text; this stays in C, where ExtractYear would call
        # one of Django's Python functions per row.
        return super().as_sql(
            compiler, connection, template="CAST(REPLACE(%(expressions)s, '-', '') AS INTEGER)",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection,
            template="CAST(TO_CHAR(%(expressions)s, 'YYYYMMDD') AS INTEGER)", **extra_context,
        )


def _ivaerksaetter_q(startfelt: str, virksomhed: str = "virksomhed") -> Q:
    """``startdato < stiftelsesdato + 3 years`` in SQL (see :func:`beregning.datonoegle`)."""
    return Q(
        LessThan(
            Datonoegle(startfelt), Datonoegle(f"{virksomhed}__stiftelsesdato") + 30000
        )
    )


def husets(model: type[Model], erhvervshus_id: int | None) -> QuerySet:
    """The records of one house, the first filter of every read here (a henvisning's house is
    its forløb's). Companies and aktører belong to no house; they are reached through the
    house's records. ``None``: every house's (the engine always names one)."""
    qs = model.objects.all()
    if erhvervshus_id is None or model in (Virksomhed, Aktoer):
        return qs
    felt = "forloeb__erhvervshus_id" if model is Henvisning else "erhvervshus_id"
    return qs.filter(**{felt: erhvervshus_id})


def indikatorens_hus(indikator: Indikator) -> int:
    """The house whose records an indicator counts: its contract's."""
    return indikator.maal.kontrakt.erhvervshus_id


def i_perioden(felt: str, periode: Periode) -> Q:
    return Q(**{f"{felt}__gte": periode.fra, f"{felt}__lte": periode.til})


def filter_q(grundlag: str, parametre: dict) -> Q:
    """The indicator's filters as a Q on the grundlag's model (the period not included)."""
    g = GRUNDLAG[grundlag]
    q = Q()
    for navn, vaerdi in parametre.items():
        if navn == "grundlag" or navn not in FILTRE_PR_GRUNDLAG:
            continue
        if grundlag not in FILTRE_PR_GRUNDLAG[navn]:
            raise ValueError(
                f"Parameteren '{navn}' kan ikke bruges med grundlaget '{grundlag}'."
            )
        if navn == "forloebstyper":
            q &= Q(type__in=list(vaerdi))
        elif navn == "ivaerksaetter" and vaerdi:
            q &= _ivaerksaetter_q(g.startfelt)
        elif navn == "region":
            # IN (the region's kommuner) rather than a join to kommune on every record
            kommuner = Kommune.objects.filter(region_id=vaerdi).values("kode")
            q &= Q(virksomhed__kommune_id__in=kommuner)
        elif navn == "aktivitetstype":
            q &= Q(type=vaerdi)
        elif navn == "program":
            q &= Q(program=vaerdi)
        elif navn == "programstatus":
            q &= Q(status=vaerdi)
        elif navn == "aktoertype" and grundlag == "samarbejdsaftaler":
            q &= Q(aktoer__type=vaerdi)
        elif navn == "aktoertype":
            q &= Q(Exists(Aktoer.objects.filter(aktiviteter=OuterRef("pk"), type=vaerdi)))
    return q


def henvist_q(aktoertyper) -> Q:
    """The forløb has at least one henvisning to an aktør of one of ``aktoertyper``."""
    return Q(
        Exists(
            Henvisning.objects.filter(forloeb=OuterRef("pk"), aktoer__type__in=list(aktoertyper))
        )
    )


def andel_q(parametre: dict) -> tuple[Q, Q]:
    """(naevner, taeller) filters on forløb for an ``andel`` indicator: the forløb of the types,
    and of those the ones referred to one of ``henvist_til_aktoertyper``."""
    naevner = filter_q("forloeb", {"forloebstyper": parametre["forloebstyper"]}) if \
        parametre.get("forloebstyper") else Q()
    return naevner, naevner & henvist_q(parametre["henvist_til_aktoertyper"])


def andel_felt(parametre: dict) -> tuple[str, bool]:
    """What an ``andel`` counts of the forløb: each forløb, or (``grundlag: virksomheder``) the
    distinct companies with one."""
    return ("virksomhed", True) if parametre.get("grundlag") == "virksomheder" else ("pk", False)


def aktoertyper_tekst(aktoertyper) -> str:
    """The aktør types in words, in the choices' order: "statslig erhvervsfremme eller privat
    rådgiver"."""
    navne = [t.label.lower() for t in Aktoer.Type if t.value in set(aktoertyper)]
    return " eller ".join(navne)


# ---------------------------------------------------------------------------------------------
# The contract


def indikator_defs(kontrakt: Resultatkontrakt) -> list[IndikatorDef]:
    """The contract's indicators in goal and ``raekkefoelge`` order (one query, kept per data
    version: the status page's results ask for them once and then once per goal)."""
    def raekker():
        return (
            Indikator.objects.filter(maal__kontrakt=kontrakt)
            .order_by("maal__nummer", "raekkefoelge", "id")
            .values(
                "id", "noegle", "titel", "art", "enhed", "retning", "maalvaerdi", "parametre",
                "raekkefoelge", "maal__nummer",
            )
        )

    return dataversion.husk("indikator_defs", (kontrakt.pk,), lambda: [raekker()], lambda: [
        IndikatorDef(
            noegle=r["noegle"], maal_nr=r["maal__nummer"], titel=r["titel"], art=r["art"],
            enhed=r["enhed"], retning=r["retning"],
            maalvaerdi=None if r["maalvaerdi"] is None else float(r["maalvaerdi"]),
            parametre=r["parametre"] or {}, raekkefoelge=r["raekkefoelge"], id=r["id"],
        )
        for r in raekker()
    ])


def _region_id(kontrakt: Resultatkontrakt) -> str:
    return kontrakt.erhvervshus.region_id


def _def(indikator: Indikator) -> IndikatorDef:
    return IndikatorDef(
        noegle=indikator.noegle, maal_nr=indikator.maal.nummer, titel=indikator.titel,
        art=indikator.art, enhed=indikator.enhed, retning=indikator.retning,
        maalvaerdi=None if indikator.maalvaerdi is None else float(indikator.maalvaerdi),
        parametre=indikator.parametre or {}, raekkefoelge=indikator.raekkefoelge,
        id=indikator.pk,
    )


# ---------------------------------------------------------------------------------------------
# Aggregates: one query per grundlag and period


def optaelling(
    anmodninger: Iterable[Optaelling], periode: Periode, *, erhvervshus_id: int | None = None,
) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """The counts the indicator kinds ask for (``rapporter.arter``: :class:`Optaelling`), over
    the records of the house (``erhvervshus_id``, the contract's) dated in P.

    Returns ``({navn: antal}, {navn: {kommunekode: antal}})``, the second for the counts asked
    ``pr_kommune``. All counts on the same model are made in one aggregate query over the
    records dated in P, so there is at most one query per model whatever the number of records
    or indicators. The forløb query is grouped by the company's kommune and the groups (at most
    98 rows) are added up: one pass over the forløb gives the totals and the by/land
    distribution. Adding up distinct companies per kommune is exact because a company has
    exactly one kommune.
    """
    pr_model: dict[type[Model], dict[str, Count]] = defaultdict(dict)
    datofelt: dict[type[Model], str] = {}
    pr_kommune_navne = set()
    for a in anmodninger:
        pr_model[a.model][a.navn] = a.udtryk
        datofelt[a.model] = a.datofelt
        if a.pr_kommune:
            pr_kommune_navne.add(a.navn)

    # every name is there even when no record is (a grouped query then returns no rows)
    tal = {navn: 0 for optaellinger in pr_model.values() for navn in optaellinger}
    pr_kommune: dict[str, dict[str, int]] = {navn: {} for navn in pr_kommune_navne}
    for model, optaellinger in pr_model.items():
        # Aliases must be identifiers ("M7.korte|t" is not); the same count asked for twice
        # (M7.handlingsplaner and the naevner of M10.henvist_handlingsplan) is computed once.
        udtryk: dict[str, Count] = {}
        aliaser: dict[str, list[str]] = defaultdict(list)
        for navn, optaelling_ in optaellinger.items():
            alias = next((a for a, u in udtryk.items() if u == optaelling_), f"a{len(udtryk)}")
            udtryk[alias] = optaelling_
            aliaser[alias].append(navn)
        poster = husets(model, erhvervshus_id).filter(i_perioden(datofelt[model], periode))
        if model is Forloeb:
            grupper = poster.values("virksomhed__kommune_id").annotate(**udtryk)
        else:  # one row: the aggregate over all of them
            grupper = poster.annotate(alle=Value(1)).values("alle").annotate(**udtryk)
        # Kept until a table the query reads is written (an AI-tjek leaves the forløb counts).
        grupper = dataversion.raekker(grupper.order_by())
        for gruppe in grupper:
            for alias, navne in aliaser.items():
                for navn in navne:
                    tal[navn] += gruppe[alias] or 0
                    if navn in pr_kommune:
                        pr_kommune[navn][gruppe["virksomhed__kommune_id"]] = gruppe[alias]
    return tal, pr_kommune


def _kommuner_med_kategori(kontrakt: Resultatkontrakt) -> list[tuple[str, str, str]]:
    """(kode, navn, kategori) of the kommuner in the house's region, in one query. A kommune
    missing from the contract's by/land table falls back to the shipped default (Danmarks
    Statistik's kommunegruppe 5 = land, all others = by)."""
    raekker = (
        Kommune.objects.filter(region_id=_region_id(kontrakt))
        .annotate(
            kategori=Subquery(
                ByLand.objects.filter(kontrakt_id=kontrakt.pk, kommune_id=OuterRef("kode"))
                .values("kategori")[:1]
            )
        )
        .values_list("kode", "navn", "kategori", "dst_kommunegruppe")
    )
    return [
        (kode, navn, kategori or ("land" if gruppe == Kommune.Kommunegruppe.LAND else "by"))
        for kode, navn, kategori, gruppe in raekker
    ]


def by_land(kontrakt: Resultatkontrakt) -> dict[str, str]:
    """The contract's by/land category per kommune code of the house's region (one query)."""
    return {kode: kategori for kode, _, kategori in _kommuner_med_kategori(kontrakt)}


def kommuner_med_befolkning(
    kontrakt: Resultatkontrakt, periode: Periode
) -> list[tuple[str, str, str, int]]:
    """(kode, navn, kategori, indbyggere) of the kommuner in the house's region, in two queries:
    the kommuner with their by/land category and the population figures. Population is the
    latest dated on or before the period's end (else the latest there is)."""
    befolkning = beregning.seneste_befolkning(
        (
            BefolkningsTal(kommune=k, dato=d, indbyggere=n)
            for k, d, n in Befolkning.objects.filter(kommune__region_id=_region_id(kontrakt))
            .values_list("kommune_id", "dato", "indbyggere")
        ),
        periode.til,
    )
    return [
        (kode, navn, kategori, befolkning[kode].indbyggere if kode in befolkning else 0)
        for kode, navn, kategori in _kommuner_med_kategori(kontrakt)
    ]


def per_kommune(
    kontrakt: Resultatkontrakt, periode: Periode, *, vejledte: dict[str, int] | None = None
) -> list[KommuneTal]:
    """Guided companies and population per kommune of the house's region, with by/land.

    Three queries: :func:`kommuner_med_befolkning` and the distinct companies per kommune with a
    forløb gennemført i P (skipped when ``vejledte`` is given).
    """
    if vejledte is None:
        # Grouped over every kommune and picked below (at most 98 rows): a filter on the
        # region here leads SQLite to walk companies by kommune instead of forløb by slutdato.
        vejledte = dict(
            husets(Forloeb, kontrakt.erhvervshus_id).filter(i_perioden("slutdato", periode))
            .values("virksomhed__kommune_id")
            .annotate(n=Count("virksomhed", distinct=True))
            .values_list("virksomhed__kommune_id", "n")
            .order_by()
        )
    return [
        KommuneTal(kode=kode, navn=navn, kategori=kategori, virksomheder=vejledte.get(kode, 0),
                   befolkning=befolkning)
        for kode, navn, kategori, befolkning in kommuner_med_befolkning(kontrakt, periode)
    ]


def daekning_qs(kontrakt: Resultatkontrakt, parametre: dict, periode: Periode) -> QuerySet:
    """The known set (aktører of the type serving a kommune of the house's region), annotated
    with ``daekket``: partner in an aktivitet of the type dated in P."""
    return (
        Aktoer.objects.filter(
            Exists(
                Aktoer.kommuner.through.objects.filter(
                    aktoer=OuterRef("pk"), kommune__region_id=_region_id(kontrakt)
                )
            ),
            type=parametre["aktoertype"],
        )
        .annotate(
            daekket=Exists(
                husets(Aktivitet, kontrakt.erhvervshus_id).filter(
                    i_perioden("dato", periode), partnere=OuterRef("pk"),
                    type=parametre["aktivitetstype"],
                )
            )
        )
        .order_by("navn")
    )


def daekning(
    kontrakt: Resultatkontrakt, parametre: dict, periode: Periode
) -> tuple[list[str], list[str]]:
    """(covered names, all names) of a ``daekning`` indicator's set, in one query."""
    raekker = list(daekning_qs(kontrakt, parametre, periode).values_list("navn", "daekket"))
    return [navn for navn, daekket in raekker if daekket], [navn for navn, _ in raekker]


def maalinger(kontrakt: Resultatkontrakt, noegler, til: date | None) -> list[MaaltVaerdi]:
    """The entered values of the contract's house and year for ``noegler``, dated ≤ ``til``
    (every date for ``None``: a finished year, see :func:`beregning.indtastet_til`)."""
    filtre = {"dato__lte": til} if til is not None else {}
    return [
        MaaltVaerdi(
            noegle=r["noegle"], vaerdi=float(r["vaerdi"]), dato=r["dato"], kilde=r["kilde"],
            kommentar=r["kommentar"], id=r["id"],
        )
        for r in Maaling.objects.filter(
            erhvervshus_id=kontrakt.erhvervshus_id, aar=kontrakt.aar, noegle__in=list(noegler),
            **filtre,
        ).values("id", "noegle", "vaerdi", "dato", "kilde", "kommentar")
    ]


def milepaele(kontrakt: Resultatkontrakt, til: date | None) -> dict[int, list[MilepaelTal]]:
    """The milestone statuses of the contract dated ≤ ``til`` (all for ``None``: a finished
    year, whose final assessments are dated after it), per indicator id. Which one counts is
    :func:`beregning.gaeldende_milepael`."""
    pr_indikator: dict[int, list[MilepaelTal]] = defaultdict(list)
    filtre = {"dato__lte": til} if til is not None else {}
    raekker = MilepaelStatus.objects.filter(
        indikator__maal__kontrakt=kontrakt, **filtre
    ).values("id", "indikator_id", "status", "dato", "fortaelling", "endelig")
    for r in raekker:
        pr_indikator[r["indikator_id"]].append(
            MilepaelTal(
                status=r["status"], dato=r["dato"], fortaelling=r["fortaelling"], id=r["id"],
                endelig=r["endelig"],
            )
        )
    return pr_indikator


# ---------------------------------------------------------------------------------------------
# Drill-down: the records behind a figure


def indikator_poster(
    indikator: Indikator, periode: Periode, del_: str = "taeller", *, idag: date | None = None
) -> QuerySet:
    """Exactly the records behind an indicator's ``taeller`` (or ``naevner``) in ``periode``:
    its kind's ``poster`` (``rapporter.arter``), built on the filters the counts use.

    - ``antal``: the counted records (forløb, AI-tjek, aktiviteter), or for counts of distinct
      things the things themselves (``Virksomhed`` for ``virksomheder`` and
      ``programdeltagelser``, ``Aktoer`` for ``samarbejdsaftaler``). No naevner.
    - ``andel``: naevner = the forløb of the types gennemført i P (the companies with one, for
      ``grundlag: virksomheder``); taeller = those with a henvisning to the aktør types.
    - ``fordeling``: naevner = the guided companies (or the forløb) in the house's region;
      taeller = those in kommuner of the category.
    - ``daekning``: naevner = the whole set of aktører; taeller = those covered.
    - ``maaling``: the entered values of the year dated ≤ the period's end (any date in a
      finished year, when ``idag`` says it is one: :func:`beregning.indtastet_til`), latest
      first (the first is the one that counts); ``forhold``: those of its taeller or naevner key.
    - ``milepael``: the statuses within the same bound, latest first; the one that counts is
      the Resultat's ``detaljer["id"]`` (:func:`beregning.gaeldende_milepael`).
    """
    if del_ not in ("taeller", "naevner"):
        raise ValueError(f"Ukendt del '{del_}': brug 'taeller' eller 'naevner'.")
    from .arter import art  # the kinds build on this module's filters

    return art(indikator.art).poster(indikator, periode, del_, idag=idag)


def henviste_forloeb(indikator: Indikator, periode: Periode, aktoertype: str) -> QuerySet:
    """Of an ``andel`` indicator's naevner, the forløb (or companies, for ``grundlag:
    virksomheder``) with at least one henvisning to ``aktoertype`` (:data:`I_ALT`: to one of
    the indicator's ``henvist_til_aktoertyper``): the records behind one row of the goal page's
    referral table (:func:`henvisninger_efter_aktoertype`)."""
    parametre = indikator.parametre or {}
    typer = parametre["henvist_til_aktoertyper"] if aktoertype == I_ALT else [aktoertype]
    naevner_q, _ = andel_q(parametre)
    forloeb = husets(Forloeb, indikatorens_hus(indikator)).filter(
        i_perioden("slutdato", periode), naevner_q, henvist_q(typer))
    if parametre.get("grundlag") == "virksomheder":
        return Virksomhed.objects.filter(pk__in=forloeb.values("virksomhed"))
    return forloeb.select_related("virksomhed")


def igangvaerende_forloeb(periode: Periode, erhvervshus_id: int | None = None) -> QuerySet:
    """The house's forløb started by the period's end that have no slutdato: igangværende. They
    count in no indicator (KONTRAKT-2025.md) and are shown apart."""
    return husets(Forloeb, erhvervshus_id).filter(slutdato__isnull=True,
                                                  startdato__lte=periode.til)


def milepael_dokumentation(indikator: Indikator, periode: Periode) -> dict[str, QuerySet]:
    """Evidence beside a milestone's narrative: forløb tagged with its ``fyrtaarn`` that ran in
    the period (started by its end, not finished before its start) and tagged aktiviteter dated
    in it. Empty querysets when the milestone names no fyrtårn."""
    fyrtaarn = (indikator.parametre or {}).get("fyrtaarn")
    if not fyrtaarn:
        return {"forloeb": Forloeb.objects.none(), "aktiviteter": Aktivitet.objects.none()}
    return {
        "forloeb": husets(Forloeb, indikatorens_hus(indikator)).filter(
            Q(slutdato__isnull=True) | Q(slutdato__gte=periode.fra),
            fyrtaarn=fyrtaarn, startdato__lte=periode.til,
        ).select_related("virksomhed"),
        "aktiviteter": husets(Aktivitet, indikatorens_hus(indikator)).filter(
            i_perioden("dato", periode), fyrtaarn=fyrtaarn
        ),
    }


# ---------------------------------------------------------------------------------------------
# Charts


def kumulativ_udvikling(
    indikator: Indikator, periode: Periode, *, interval: str = "maaned", idag: date | None = None
) -> list[dict]:
    """Cumulative count of an ``antal`` indicator through the period, per month or day:
    ``[{"dato": date, "antal": int, "kumuleret": int}, ...]``, each ``dato`` the last day of its
    month (or the period's end). Stops at ``idag`` when given.

    The database groups by day (at most 366 rows); for counts of distinct things it gives each
    thing's first day it qualifies (one row per thing), so the last ``kumuleret`` equals the
    indicator's figure. The rows are kept until a table they read is written
    (``kontrakt.dataversion``). Pair it with :func:`rapporter.beregning.forventet_pro_rata` for the
    expected line.
    """
    from .arter import art  # the kinds build on this module's filters

    if not art(indikator.art).kurve:
        raise ValueError(f"{indikator.noegle} er ikke et antal; der er ingen kurve at vise.")
    if interval not in ("maaned", "dag"):
        raise ValueError(f"Ukendt interval '{interval}': brug 'maaned' eller 'dag'.")
    parametre = indikator.parametre or {}
    grundlag = parametre.get("grundlag", "forloeb")
    g = GRUNDLAG[grundlag]
    hus = indikatorens_hus(indikator)

    def pr_dag() -> QuerySet:
        poster = husets(g.model, hus).filter(
            i_perioden(g.datofelt, periode), filter_q(grundlag, parametre))
        if g.distinkt:  # each thing on its first day: one row per thing
            return poster.values(g.distinkt).annotate(dag=Min(g.datofelt)).order_by()
        return poster.values(dag=F(g.datofelt)).annotate(n=Count("pk")).order_by()

    def tael() -> dict:
        if g.distinkt:
            return Counter(r["dag"] for r in pr_dag())
        return {r["dag"]: r["n"] for r in pr_dag()}

    dele = (grundlag, json.dumps(parametre, sort_keys=True, default=str), hus, periode)
    antal_pr_dag = dataversion.husk("kumulativ_udvikling", dele, lambda: [pr_dag()], tael)
    return _kumuler(antal_pr_dag, periode, interval, idag)


def _kumuler(antal_pr_dag: dict, periode: Periode, interval: str, idag: date | None) -> list[dict]:
    slut = periode.til if idag is None else min(periode.til, idag)
    punkter, kumuleret, dag = [], 0, periode.fra
    antal = 0
    while dag <= slut:
        antal += antal_pr_dag.get(dag, 0)
        naeste = dag + timedelta(days=1)
        if interval == "dag" or naeste.month != dag.month or dag == slut:
            kumuleret += antal
            punkter.append({"dato": dag, "antal": antal, "kumuleret": kumuleret})
            antal = 0
        dag = naeste
    return punkter


def henvisninger_efter_aktoertype(
    periode: Periode, aktoertyper: Iterable[str], *, forloebstyper: list[str] | None = None,
    grundlag: str = "forloeb", erhvervshus_id: int | None = None,
) -> list[dict]:
    """Of the forløb gennemført i P (optionally of some types), how many and what share have at
    least one henvisning to each aktør type, in one aggregate query:
    ``[{"aktoertype", "navn", "i_maalet", "forloeb", "naevner", "andel"}]``, plus a last row
    ``aktoertype=I_ALT`` for any of ``aktoertyper`` (what an ``andel`` indicator counts, with a
    ``beskrivelse`` of them in words). With ``grundlag="virksomheder"`` the counts are of
    distinct companies with such a forløb (the ``forloeb`` key holds them)."""
    aktoertyper = list(aktoertyper)
    forloeb = husets(Forloeb, erhvervshus_id).filter(i_perioden("slutdato", periode))
    if forloebstyper:
        forloeb = forloeb.filter(type__in=list(forloebstyper))
    felt, distinkt = andel_felt({"grundlag": grundlag})
    beskrivelse = aktoertyper_tekst(aktoertyper)
    typer = [(t.value, t.label, [t.value]) for t in Aktoer.Type]
    typer.append((I_ALT, f"I alt: {beskrivelse}", aktoertyper))
    svar = forloeb.aggregate(
        naevner=Count(felt, distinct=distinkt),
        **{f"t{i}": Count(felt, distinct=distinkt, filter=henvist_q(typer_))
           for i, (_, _, typer_) in enumerate(typer)},
    )
    return [
        {
            "aktoertype": kode, "navn": navn, "beskrivelse": beskrivelse if kode == I_ALT else
            navn.lower(),
            "i_maalet": kode == I_ALT or kode in aktoertyper,
            "forloeb": svar[f"t{i}"], "naevner": svar["naevner"],
            "andel": beregning.andel(svar[f"t{i}"], svar["naevner"]),
        }
        for i, (kode, navn, _) in enumerate(typer)
    ]
