"""Writes of the values an administrator enters: målinger and milestone statuses."""

from datetime import date
from decimal import Decimal

from forloeb.services import gem

from .models import Erhvervshus, Indikator, Maaling, MilepaelStatus


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
