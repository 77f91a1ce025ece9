"""The audit trail: every change to every record kind, in one list (selectors over the history).

Every model with a django-simple-history ``history`` manager takes part by itself (the
registrations, the contract's configuration, målinger, milestones, explanations, approvals):
:func:`historik_modeller` finds them. An entry is one history row, compared with the version
before it of the same record; an import shows as the changes it made, with the import's reason
("Import af fil.xlsx").

"Touches a period" uses the counting dates of ``forloeb.laas.TAELLEDATO``: a history row touches
a period when the counting date lies in it in that version or in the version before (a forløb
moved out of H1 touches H1). A henvisning counts with its forløb, so its date is the forløb's
latest slutdato, read from the forløb's history (deleted forløb included). Record kinds without
a counting date (companies, målinger, the contract, ...) touch no period.

Queries: one UNION over the history tables picks the page's rows (newest first, filtered in the
database); then one query per history table that has rows on the page (the rows and the versions
before them, with who made them), one per many-to-many field of those, and one per related kind
whose names are shown. The number does not grow with the number of records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, reduce
from operator import or_

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import CharField, F, OuterRef, Q, Subquery, Value
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.text import capfirst
from simple_history.manager import HistoryManager

from forloeb import laas
from forloeb.historik import HANDLINGER, vis_vaerdi

# Not shown as fields, beside the technical ones (:func:`_vist`): the approval's stored snapshot
# (thousands of characters; the approved status page shows it).
UDELAD = {"indhold"}
IMPORT = "Import"  # forloeb.importer.aarsag_for: "Import af fil.xlsx"
NYESTE = ("-history_date", "-history_id")
BID = 500  # history rows fetched per query when a long list is asked for (the export)


@dataclass(frozen=True)
class Aendring:
    tidspunkt: datetime
    bruger: str  # full name or user name, "–" when unknown
    art: str  # the model's verbose_name, "forløb"
    handling: str  # "Oprettet" | "Ændret" | "Slettet"
    objekt: str  # str() of the record as it was
    url: str | None  # the record's page now (None once deleted, or for kinds without a page)
    felter: list[tuple[str, str, str]]  # (field, from, to) as shown
    aarsag: str
    berorer_godkendt: bool  # the counting date lies in an approved period (forloeb.laas)
    model: str  # "forloeb.forloeb"
    pk: int | str | None


def historik_modeller() -> list[type[models.Model]]:
    """Every model with a simple_history ``history`` manager, in app order."""
    return [m for m in apps.get_models()
            if isinstance(getattr(m, "history", None), HistoryManager)]


def arter() -> list[tuple[str, str]]:
    """(model label, "Forløb") for every record kind in the trail, by name: a filter's choices."""
    return sorted(((m._meta.label_lower, capfirst(m._meta.verbose_name))
                   for m in historik_modeller()), key=lambda v: v[1].lower())


def aendringer(*, fra: datetime | None = None, til: datetime | None = None,
               bruger_id: int | None = None, art: str | None = None,
               periode: tuple[date, date] | None = None, kun_godkendte: bool = False,
               kun_importer: bool = False, graense: int | None = None,
               spring_over: int = 0, huse=None) -> list[Aendring]:
    """The changes, newest first.

    ``fra``/``til`` bound when the change was made (both included); ``bruger_id`` who made it;
    ``art`` the record kind (a model label, "forloeb.forloeb"); ``periode`` (dates, both
    included) keeps the changes that touch it, ``kun_godkendte`` those that touch an approved
    period, ``kun_importer`` those made by an import; ``huse`` (house ids; None: all) keeps
    the records of those houses (a company's, an aktør's changes are every house's).
    ``graense`` and ``spring_over`` cut out a page."""
    perioder = laas.laaste_perioder()
    samlet = _samlet(_Filtre(fra, til, bruger_id, art, periode, kun_godkendte, kun_importer,
                             huse),
                     perioder)
    if samlet is None:
        return []
    samlet = samlet.order_by(*NYESTE, "rev_model")
    valgt = list(samlet[spring_over:spring_over + graense] if graense is not None
                 else samlet[spring_over:] if spring_over else samlet)
    return _byg(valgt, perioder)


def alle_aendringer(*, bid: int = BID, **filtre) -> Iterator[Aendring]:
    """Every change :func:`aendringer` gives for ``filtre``, newest first, built ``bid`` at a
    time (for the export: the rows are chosen with one query, the entries a bite at a time)."""
    perioder = laas.laaste_perioder()
    samlet = _samlet(_Filtre(**filtre), perioder)
    if samlet is None:
        return
    valgt = list(samlet.order_by(*NYESTE, "rev_model"))
    for start in range(0, len(valgt), bid):
        yield from _byg(valgt[start:start + bid], perioder)


def antal(*, fra=None, til=None, bruger_id=None, art=None, periode=None, kun_godkendte=False,
          kun_importer=False, huse=None) -> int:
    """How many changes :func:`aendringer` gives for the same filters (one query)."""
    perioder = laas.laaste_perioder() if kun_godkendte else []
    samlet = _samlet(_Filtre(fra, til, bruger_id, art, periode, kun_godkendte, kun_importer,
                             huse),
                     perioder)
    return 0 if samlet is None else samlet.count()


class Aendringsliste:
    """:func:`aendringer` for a ``Paginator``: counts with one query, reads only the page."""

    def __init__(self, **filtre):
        self.filtre = filtre

    def count(self) -> int:
        return antal(**self.filtre)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, snit):
        if isinstance(snit, int):
            return aendringer(**self.filtre, graense=1, spring_over=snit)[0]
        start = snit.start or 0
        graense = None if snit.stop is None else max(snit.stop - start, 0)
        return aendringer(**self.filtre, graense=graense, spring_over=start)


# --- Choosing the rows: one UNION over the history tables --------------------------------------


@dataclass(frozen=True)
class _Filtre:
    fra: datetime | None = None
    til: datetime | None = None
    bruger_id: int | None = None
    art: str | None = None
    periode: tuple[date, date] | None = None
    kun_godkendte: bool = False
    kun_importer: bool = False
    huse: list[int] | None = None


def _samlet(filtre: _Filtre, perioder: list[laas.LaastPeriode]):
    """The UNION of (history_date, history_id, rev_model, rev_foer: the version before) over
    every history table that the filters leave in, or None when none does."""
    dele = []
    for model in historik_modeller():
        if filtre.art and model._meta.label_lower != filtre.art:
            continue
        del_ = _del(model, filtre, perioder)
        if del_ is not None:
            dele.append(del_)
    if not dele:
        return None
    return dele[0].union(*dele[1:], all=True) if len(dele) > 1 else dele[0]


def _del(model, filtre: _Filtre, perioder):
    H = model.history.model
    pk = model._meta.pk.attname
    qs = H.objects.all()
    if filtre.huse is not None:
        felter = {f.name for f in H._meta.fields}
        if "erhvervshus" in felter:
            qs = qs.filter(erhvervshus_id__in=filtre.huse)
        elif "forloeb" in felter:  # a henvisning, with its forløb's house
            qs = qs.filter(forloeb_id__in=model._meta.get_field("forloeb").related_model
                           .history.filter(erhvervshus_id__in=filtre.huse).values("id"))
    if filtre.fra:
        qs = qs.filter(history_date__gte=filtre.fra)
    if filtre.til:
        qs = qs.filter(history_date__lte=filtre.til)
    if filtre.bruger_id:
        qs = qs.filter(history_user_id=filtre.bruger_id)
    if filtre.kun_importer:
        qs = qs.filter(history_change_reason__startswith=IMPORT)
    if filtre.periode or filtre.kun_godkendte:
        datoer = _taelledatoer(model)
        if datoer is None:
            return None  # a kind without a counting date touches no period
        qs = qs.annotate(**datoer)
        if filtre.periode:
            qs = qs.filter(_i(filtre.periode))
        if filtre.kun_godkendte:
            if not perioder:
                return None
            qs = qs.filter(reduce(or_, (_i((p.fra, p.til)) for p in perioder)))
    return qs.order_by().values(
        "history_date", "history_id",
        rev_model=Value(model._meta.label_lower, output_field=CharField()),
        rev_foer=Subquery(_forrige(H, pk).values("history_id")[:1]),
    )


def _i(periode) -> Q:
    return Q(rev_dato__range=periode) | Q(rev_dato_foer__range=periode)


def _forrige(H, pk: str):
    """The version before the outer row, of the same record."""
    return H.objects.filter(**{pk: OuterRef(pk)}).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    ).order_by(*NYESTE)


def _seneste(model, ref):
    """The newest version of the record of ``model`` whose key is ``ref``."""
    return model.history.model.objects.filter(**{model._meta.pk.attname: ref}).order_by(*NYESTE)


def _taelledatoer(model) -> dict | None:
    """``rev_dato`` and ``rev_dato_foer``: the counting date in a version and in the one before it
    (``forloeb.laas.TAELLEDATO``), as annotations of the history table; None without one."""
    sti = laas.TAELLEDATO.get(model._meta.model_name)
    if sti is None:
        return None
    H = model.history.model
    forrige = _forrige(H, model._meta.pk.attname)
    if "__" not in sti:
        return {"rev_dato": F(sti), "rev_dato_foer": Subquery(forrige.values(sti)[:1])}
    # One step through a link ("forloeb__slutdato"): the linked record's newest version, so a
    # deleted forløb still gives its henvisninger a date.
    led, felt = sti.split("__", 1)
    fk = model._meta.get_field(led)
    led_model = fk.related_model
    return {
        "rev_foer_led": Subquery(forrige.values(fk.attname)[:1]),
        "rev_dato": Subquery(_seneste(led_model, OuterRef(fk.attname)).values(felt)[:1]),
        "rev_dato_foer": Subquery(_seneste(led_model, OuterRef("rev_foer_led")).values(felt)[:1]),
    }


# --- Building the entries of the chosen rows ----------------------------------------------------


def _byg(valgt: list[dict], perioder) -> list[Aendring]:
    per_model = defaultdict(set)
    for raekke in valgt:
        ider = (raekke["history_id"], raekke["rev_foer"])
        per_model[raekke["rev_model"]].update(i for i in ider if i)
    raekker, m2m = {}, {}
    for label, ider in per_model.items():
        model = apps.get_model(label)
        annoteringer = _taelledatoer(model) or {}
        seneste = _seneste(model, OuterRef(model._meta.pk.attname))
        annoteringer["rev_seneste"] = Subquery(seneste.values("history_type")[:1])
        if (side := SIDER.get(label)) and side[1] != model._meta.pk.attname:
            annoteringer["rev_side"] = Subquery(seneste.values(side[1])[:1])
        for bid in _bidder(ider):
            qs = model.history.model.objects.filter(history_id__in=bid)
            for raekke in qs.select_related("history_user").annotate(**annoteringer):
                raekker[label, raekke.history_id] = raekke
        m2m[label] = _m2m(model, ider)
    navne = _knyt(list(raekker.values()), m2m)
    ud = []
    for valg in valgt:
        model = apps.get_model(valg["rev_model"])
        raekke = raekker[valg["rev_model"], valg["history_id"]]
        foer = raekker.get((valg["rev_model"], valg["rev_foer"])) if valg["rev_foer"] else None
        datoer = (getattr(raekke, "rev_dato", None), getattr(raekke, "rev_dato_foer", None))
        bruger = raekke.history_user
        ud.append(Aendring(
            tidspunkt=raekke.history_date,
            bruger=(bruger.get_full_name() or bruger.get_username()) if bruger else "–",
            art=str(model._meta.verbose_name),
            handling=HANDLINGER[raekke.history_type],
            objekt=_tekst(model, raekke),
            url=None if raekke.rev_seneste == "-" else _url(model, raekke),
            felter=_felter(model, raekke, foer, m2m[valg["rev_model"]], navne),
            aarsag=raekke.history_change_reason or "",
            berorer_godkendt=laas.laast(
                datoer, perioder, erhvervshus_id=getattr(raekke, "erhvervshus_id", None),
            ) is not None,
            model=valg["rev_model"],
            pk=getattr(raekke, model._meta.pk.attname),
        ))
    return ud


def _bidder(ider, stoerrelse=BID):
    """``ider`` in bites, so an IN list stays within what every database takes."""
    ider = sorted(ider)
    return [ider[i:i + stoerrelse] for i in range(0, len(ider), stoerrelse)]


@cache
def _vist(model) -> list:
    """The fields an entry shows: not the technical ones (automatic keys and timestamps), not
    who made the record (the entry's user says it)."""
    return [
        f for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if f.name not in UDELAD
        and not isinstance(f, models.fields.AutoFieldMixin)
        and not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)
        and not (f.many_to_one and f.related_model is _brugermodel())
    ]


def _brugermodel():
    return apps.get_model(settings.AUTH_USER_MODEL)


def _m2m(model, ider) -> dict[str, dict[int, set]]:
    """Per many-to-many field, the related keys each history row held (one query a field)."""
    H = model.history.model
    ud = {}
    for felt in model._meta.many_to_many:
        if not hasattr(H, felt.name):
            continue  # not tracked
        maal = f"{felt.m2m_reverse_field_name()}_id"
        saet = defaultdict(set)
        for bid in _bidder(ider):
            for history_id, noegle in getattr(H, felt.name).model.objects.filter(
                history_id__in=bid
            ).values_list("history_id", maal):
                saet[history_id].add(noegle)
        ud[felt.name] = saet
    return ud


def _knyt(raekker, m2m) -> dict:
    """Fetch the records the rows link to, two links deep (a godkendelse's kontrakt and its
    erhvervshus), one query per kind, and put them in the rows' link caches so that ``str()``
    asks nothing more. Deleted ones come from their own history. Returns {(model, key): obj}."""
    navne: dict = {}
    niveau = raekker
    for dybde in range(2):
        behov = defaultdict(set)
        for obj in niveau:
            for felt in _links(obj):
                if (noegle := getattr(obj, felt.attname)) is not None:
                    behov[felt.related_model].add(noegle)
        if dybde == 0:
            for label, felter in m2m.items():
                for navn, saet in felter.items():
                    rel = apps.get_model(label)._meta.get_field(navn).related_model
                    behov[rel].update(k for ks in saet.values() for k in ks)
        nye = _hent({rel: ks - {k for (r, k) in navne if r is rel} for rel, ks in behov.items()})
        navne.update(nye)
        for obj in niveau:
            for felt in _links(obj):
                noegle = getattr(obj, felt.attname)
                felt.set_cached_value(obj, navne.get((felt.related_model, noegle)))
        niveau = list(nye.values())
    return navne


def _links(obj) -> list:
    return _links_i(type(obj))


@cache
def _links_i(klasse) -> list:
    """The links of a model (or of its history model: the record's own, not the history's
    user), other than to users."""
    model = getattr(klasse, "instance_type", klasse)
    egne = {f.name for f in model._meta.concrete_fields}
    return [f for f in klasse._meta.concrete_fields
            if f.many_to_one and f.name in egne and f.related_model is not _brugermodel()]


def _hent(behov: dict) -> dict:
    ud = {}
    for rel, noegler in behov.items():
        if not noegler:
            continue
        fundne = rel._default_manager.in_bulk(noegler)
        mangler = noegler - fundne.keys()
        if mangler and isinstance(getattr(rel, "history", None), HistoryManager):
            pk = rel._meta.pk.attname
            for gammel in rel.history.filter(**{f"{pk}__in": mangler}).order_by(
                "history_date", "history_id"
            ):
                fundne[getattr(gammel, pk)] = gammel.instance  # the last version wins
        ud.update(((rel, k), v) for k, v in fundne.items())
    return ud


def _tekst(model, raekke) -> str:
    """``str()`` of the record as it was in this version."""
    try:
        return str(model.__str__(raekke))
    except (AttributeError, ObjectDoesNotExist, TypeError, ValueError):
        return f"{capfirst(model._meta.verbose_name)} {getattr(raekke, model._meta.pk.attname)}"


def _felter(model, raekke, foer, m2m, navne) -> list[tuple[str, str, str]]:
    """(field, from, to): what changed against the version before; on a creation the values it
    was made with, on a deletion the values it had."""
    ud = []
    for felt in _vist(model):
        ny = _vis(felt, raekke, m2m, navne)
        if raekke.history_type == "~":
            if foer is None:
                continue
            gammel = _vis(felt, foer, m2m, navne)
            if _raa(felt, raekke, m2m) != _raa(felt, foer, m2m):
                ud.append((capfirst(felt.verbose_name), gammel, ny))
        elif ny != "–":
            fra_til = ("–", ny) if raekke.history_type == "+" else (ny, "–")
            ud.append((capfirst(felt.verbose_name), *fra_til))
    return ud


def _raa(felt, raekke, m2m):
    if felt.many_to_many:
        return m2m.get(felt.name, {}).get(raekke.history_id, set())
    return getattr(raekke, felt.attname, None)


def _vis(felt, raekke, m2m, navne) -> str:
    vaerdi = _raa(felt, raekke, m2m)
    if felt.many_to_many:
        return vis_vaerdi(felt, sorted(_navn(navne, felt.related_model, k) for k in vaerdi))
    if felt.many_to_one and vaerdi is not None:
        vaerdi = _navn(navne, felt.related_model, vaerdi)
    return vis_vaerdi(felt, vaerdi)


def _navn(navne, model, noegle) -> str:
    obj = navne.get((model, noegle))
    if obj is None:
        return f"{capfirst(model._meta.verbose_name)} {noegle} (findes ikke)"
    try:
        return str(obj)
    except (AttributeError, ObjectDoesNotExist):
        return f"{capfirst(model._meta.verbose_name)} {noegle}"


# --- Where a record is opened -------------------------------------------------------------------

# The registrations' own pages: (URL name, the field of the record's newest version it takes).
# A henvisning is entered on its forløb.
SIDER = {
    "forloeb.forloeb": ("forloeb:forloeb_ret", "id"),
    "forloeb.virksomhed": ("forloeb:virksomhed_side", "cvr"),
    "forloeb.henvisning": ("forloeb:forloeb_ret", "forloeb_id"),
    "forloeb.aitjek": ("forloeb:ai_tjek_ret", "id"),
    "forloeb.aktivitet": ("forloeb:aktivitet_ret", "id"),
    "forloeb.programdeltagelse": ("forloeb:programdeltagelse_ret", "id"),
    "forloeb.samarbejdsaftale": ("forloeb:samarbejdsaftale_ret", "id"),
}


def _url(model, raekke) -> str | None:
    """The record's page now: a registration's own page, an explanation's goal page, an
    approval's status page, else its page in the admin (for administrators, who read the trail)."""
    label = model._meta.label_lower
    pk = getattr(raekke, model._meta.pk.attname)
    try:
        if label in SIDER:
            navn, felt = SIDER[label]
            noegle = getattr(raekke, "rev_side", None) or getattr(raekke, felt)
            return reverse(navn, args=[noegle])
        if label == "rapporter.forklaring" and raekke.maal and raekke.maal.kontrakt:
            kontrakt = raekke.maal.kontrakt
            return reverse("rapporter:maal", args=[raekke.maal.nummer]) + "?" + urlencode(
                {"hus": kontrakt.erhvervshus_id, "aar": kontrakt.aar, "periode": raekke.periode})
        if label == "rapporter.godkendelse" and raekke.kontrakt:
            kontrakt = raekke.kontrakt
            return reverse("rapporter:status") + "?" + urlencode(
                {"hus": kontrakt.erhvervshus_id, "aar": kontrakt.aar, "periode": raekke.periode,
                 "version": raekke.version})
        if admin.site.is_registered(model):
            return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
                           args=[pk])
    except (NoReverseMatch, ObjectDoesNotExist, AttributeError):
        pass
    return None
