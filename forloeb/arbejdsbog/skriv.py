"""Writing the plan: in one short transaction, in dependency order, with ``bulk_create`` /
``bulk_update`` and simple_history's bulk history, so every new or changed record has a history
entry by the importing user with the reason ``Import af <filnavn>``, m2m snapshots included.

Why not ``forloeb.services`` row by row: the services' ``full_clean`` checks uniqueness and
foreign keys with a query each, and history plus m2m take several more; 10,000 forløb took
minutes that way. The rules are the same (``tjek`` runs each model's own ``full_clean``), the
queries are not (``benchmarks/importer.py`` has the figures).
"""

from collections import defaultdict

from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone

from .planer import PLANER
from .tjek import BATCH, HVEM_FELTER, Import, Post, i_bidder, model_for

# Sent inside the write's transaction once the plan is written: bulk writes send no post_save,
# and the figures kept per data version (kontrakt.dataversion) must know the records changed.
skrevet = Signal()


def skriv(imp: Import, *, bruger, aarsag: str) -> None:
    """Write the plan in one transaction (the only one the import opens), with history by
    ``bruger`` for ``aarsag``. Rows missing from the file are left alone: an import creates and
    updates, never deletes."""
    nu = timezone.now()
    with transaction.atomic():
        for navn, _ in PLANER:
            model = model_for(navn)
            if imp.poster.get(model):
                _skriv(model, imp.poster[model], bruger=bruger, aarsag=aarsag, nu=nu)
        skrevet.send(sender=Import)
    imp.gemt = True


def _skriv(model, poster: list[Post], *, bruger, aarsag: str, nu) -> None:
    nye = [p.objekt for p in poster if p.ny]
    aendrede = [p.objekt for p in poster if not p.ny]
    for objekt in nye:
        for hvem in HVEM_FELTER:
            if hasattr(objekt, f"{hvem}_id"):
                setattr(objekt, hvem, bruger)
    # bulk_create takes the keys of related records created just before (the plan holds them).
    model.objects.bulk_create(nye, batch_size=BATCH)
    if aendrede:
        felter = sorted({f for p in poster if not p.ny for f in p.felter})
        if hasattr(model, "opdateret"):
            for objekt in aendrede:
                objekt.opdateret = nu
            felter.append("opdateret")
        if felter:
            model.objects.bulk_update(aendrede, felter, batch_size=BATCH)
    for m2m in model._meta.many_to_many:
        _saet_m2m(m2m, [(p.objekt, p.m2m[m2m.name]) for p in poster if m2m.name in p.m2m])
    historik = model.history.bulk_history_create(
        nye, batch_size=BATCH, default_user=bruger, default_change_reason=aarsag,
        default_date=nu,
    ) + model.history.bulk_history_create(
        aendrede, batch_size=BATCH, update=True, default_user=bruger,
        default_change_reason=aarsag, default_date=nu,
    )
    _m2m_historik(model, historik)


def _m2m_noegler(m2m) -> tuple[str, str]:
    return f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"


def _saet_m2m(m2m, par: list) -> None:
    """Make each object's related set equal to the given objects or keys."""
    if not par:
        return
    through = m2m.remote_field.through
    kilde, maal = _m2m_noegler(m2m)
    nu = defaultdict(set)
    for bid in i_bidder(o.pk for o, _ in par):
        for a, b in through.objects.filter(**{f"{kilde}__in": bid}).values_list(kilde, maal):
            nu[a].add(b)
    nye = []
    for objekt, relaterede in par:
        oenskede = {r.pk if isinstance(r, models.Model) else r for r in relaterede}
        fjern = nu[objekt.pk] - oenskede
        if fjern:
            through.objects.filter(**{kilde: objekt.pk, f"{maal}__in": fjern}).delete()
        nye += [through(**{kilde: objekt.pk, maal: r}) for r in oenskede - nu[objekt.pk]]
    through.objects.bulk_create(nye, batch_size=BATCH)


def _m2m_historik(model, historik: list) -> None:
    """The many-to-many snapshot of each new history entry, as simple_history records it."""
    historie_model = model.history.model
    for m2m in model._meta.many_to_many:
        if not hasattr(historie_model, m2m.name):
            continue
        snapshot_model = getattr(historie_model, m2m.name).model
        through = m2m.remote_field.through
        kilde, maal = _m2m_noegler(m2m)
        raekker = defaultdict(list)
        for bid in i_bidder({h.id for h in historik}):
            for id_, a, b in through.objects.filter(**{f"{kilde}__in": bid}).values_list(
                "id", kilde, maal
            ):
                raekker[a].append((id_, b))
        snapshot_model.objects.bulk_create(
            [snapshot_model(history=h, id=id_, **{kilde: h.id, maal: b})
             for h in historik for id_, b in raekker[h.id]],
            batch_size=BATCH,
        )
