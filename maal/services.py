"""Writes of the values an administrator enters: målinger and milestone statuses; and next
year's contract copied from this year's (:func:`kontrakt_kopier`)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from forloeb.services import gem

from .models import ByLand, Erhvervshus, Indikator, Maal, Maaling, MilepaelStatus, Resultatkontrakt


def maaling_create(
    *, erhvervshus: Erhvervshus, noegle: str, aar: int, vaerdi: Decimal, dato: date, kilde: str,
    kommentar: str = "", bruger=None, aarsag: str = "",
) -> Maaling:
    maaling = Maaling(
        erhvervshus=erhvervshus, noegle=noegle, aar=aar, vaerdi=vaerdi, dato=dato, kilde=kilde,
        kommentar=kommentar, indtastet_af=bruger,
    )
    return gem(maaling, bruger=bruger, aarsag=aarsag)


def milepael_status_create(
    *, indikator: Indikator, status: str, dato: date, fortaelling: str, endelig: bool = False,
    bruger=None, aarsag: str = "",
) -> MilepaelStatus:
    """A milestone status; ``endelig`` for the final assessment of a finished year (opfyldt or
    ikke_opfyldt, dated 31 December or later: ``MilepaelStatus.clean``)."""
    milepael = MilepaelStatus(
        indikator=indikator, status=status, endelig=endelig, dato=dato, fortaelling=fortaelling,
        indtastet_af=bruger,
    )
    return gem(milepael, bruger=bruger, aarsag=aarsag)


KOPI_NOTE = "Målværdierne er kopieret uændret; ret dem i administrationen før året begynder."


def _kopi(original, bruger, aarsag, **nye):
    """A new record with ``original``'s own fields (every concrete field but the key and the
    link to its parent, given in ``nye``), saved through :func:`gem` with its history entry."""
    felter = {
        f.attname: getattr(original, f.attname)
        for f in original._meta.concrete_fields
        if not f.primary_key and f.name not in nye
    }
    return gem(type(original)(**felter, **nye), bruger=bruger, aarsag=aarsag)


def kontrakt_kopier(*, kilde: Resultatkontrakt, aar: int, bruger=None) -> Resultatkontrakt:
    """A contract for ``aar`` copied from ``kilde``: the contract's own texts, every goal (all its
    texts), every indicator (parameters, target, direction, unit, source, rule text, order) and
    the by/land table, in one transaction; the history names ``bruger`` with the reason "Kopieret
    fra 2025". Målinger, milestone statuses, explanations and approvals belong to their year and
    are not copied. The targets are copied unchanged (:data:`KOPI_NOTE`): a starting point the
    administrator edits, e.g. where the framework agreement raises a target.

    Refused with ``ValidationError`` (Danish, on ``aar``) when the house already has a contract
    for ``aar``; ``PermissionDenied`` when ``bruger`` may not add contracts."""
    if bruger is not None and not bruger.has_perm("maal.add_resultatkontrakt"):
        raise PermissionDenied("Kun en administrator kan oprette en resultatkontrakt.")
    if aar == kilde.aar or Resultatkontrakt.objects.filter(
        erhvervshus_id=kilde.erhvervshus_id, aar=aar
    ).exists():
        raise ValidationError({"aar": f"{kilde.erhvervshus} har allerede en resultatkontrakt "
                                      f"for {aar}; intet er kopieret."})
    aarsag = f"Kopieret fra {kilde.aar}"
    with transaction.atomic():
        kopi = _kopi(kilde, bruger, aarsag, aar=aar)
        indikatorer = {}
        for indikator in Indikator.objects.filter(maal__kontrakt=kilde).order_by("id"):
            indikatorer.setdefault(indikator.maal_id, []).append(indikator)
        for maal in Maal.objects.filter(kontrakt=kilde).order_by("nummer"):
            nyt_maal = _kopi(maal, bruger, aarsag, kontrakt=kopi)
            for indikator in indikatorer.get(maal.pk, []):
                _kopi(indikator, bruger, aarsag, maal=nyt_maal)
        for by_land in ByLand.objects.filter(kontrakt=kilde).order_by("id"):
            _kopi(by_land, bruger, aarsag, kontrakt=kopi)
    return kopi
