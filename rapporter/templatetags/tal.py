"""Danish number formatting for the status pages: 1.680, 71,4 %, ≥ 880, 2,50.

Filters only format values the engine computed; they never count or derive a figure.
"""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from rapporter.arter import art as _art
from rapporter.beregning import STATUS_IKON

register = template.Library()

TOM = "–"
RETNING = {"gte": "≥", "gt": ">", "lte": "≤"}
ENHED_TEKST = {"procent": " %", "procentpoint": " pct.-point", "point": "", "antal": "",
               "faktor": "", "status": ""}
DECIMALER = {"faktor": 2, "procent": 1, "procentpoint": 1}


def _tal(vaerdi, decimaler: int | None) -> str:
    if vaerdi is None or vaerdi == "":
        return TOM
    vaerdi = Decimal(str(vaerdi))
    if decimaler is None:
        decimaler = 0 if vaerdi == vaerdi.to_integral_value() else 1
    return number_format(vaerdi, decimal_pos=decimaler, use_l10n=True, force_grouping=True)


@register.filter
def tal(vaerdi, decimaler=None):
    """A number the Danish way: ``1680`` → ``1.680``, ``71.43`` with 1 → ``71,4``."""
    return _tal(vaerdi, None if decimaler in (None, "") else int(decimaler))


def _med_enhed(vaerdi, enhed, *, rund_hele: bool) -> str:
    if vaerdi is None:
        return TOM
    decimaler = DECIMALER.get(enhed)
    hel = Decimal(str(vaerdi)) == Decimal(str(vaerdi)).to_integral_value()
    if rund_hele and hel and enhed != "faktor":
        decimaler = 0
    return f"{_tal(vaerdi, decimaler)}{ENHED_TEKST.get(enhed, '')}"


@register.filter
def med_enhed(vaerdi, enhed):
    """A figure in its unit, shares always with one decimal so that columns line up:
    ``71.4, "procent"`` → ``71,4 %``; ``52, "procent"`` → ``52,0 %``; ``2.7, "faktor"`` →
    ``2,70``; ``1680, "antal"`` → ``1.680``."""
    return _med_enhed(vaerdi, enhed, rund_hele=False)


@register.filter
def maaltal(resultat):
    """The target with its direction, whole targets without decimals: ``≥ 880``, ``≥ 70 %``,
    ``≤ 10 pct.-point``, ``> 0 pct.-point``, ``≥ 2,50``."""
    if resultat.maalvaerdi is None:
        return _art(resultat.art).uden_maaltal
    maal = _med_enhed(resultat.maalvaerdi, resultat.enhed, rund_hele=True)
    return f"{RETNING.get(resultat.retning, '')} {maal}"


@register.filter
def procent(andel, decimaler=1):
    """A ratio as a percentage: ``0.468`` → ``46,8 %``."""
    if andel is None:
        return TOM
    return f"{_tal(Decimal(str(andel)) * 100, int(decimaler))} %"


@register.filter
def opfyldelse(resultat):
    """Degree met: a percentage of the target, or in the kind's own unit (a distribution's
    deviation in percentage points)."""
    if resultat.opfyldelse is None:
        return TOM
    enhed = _art(resultat.art).opfyldelse_enhed
    if enhed:
        return med_enhed(resultat.opfyldelse, enhed)
    return procent(resultat.opfyldelse)


@register.filter
def visning(resultat):
    """How a result's figure is shown, as its kind says (``Art.visning``: ``antal``, ``andel``,
    ``taeller_naevner``, ``maalt``, ``milepael``)."""
    return _art(resultat.art).visning


@register.filter
def status_ikon(status):
    """The icon that goes with a status word (``opfyldt`` → ✔)."""
    return STATUS_IKON.get(status, "")
