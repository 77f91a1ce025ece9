"""How a cell of the workbook is read, by its column's kind (``forloeb.arbejdsbog.ark``):
text, names, codes, CVR, dates (real Excel dates, ÅÅÅÅ-MM-DD, DD-MM-ÅÅÅÅ or a date serial that
lost its format), numbers the Danish way, ja/nej and lists separated by ``;``.

A cell that cannot be read raises :class:`Ugyldig` with the Danish reason. Only the reading is
here: whether a value is allowed (a date in the contract years, a CVR's modulus 11, a slutdato
after the startdato) is the model's rule, checked by ``tjek`` with ``full_clean``.
"""

import difflib
import functools
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from openpyxl.utils.datetime import from_excel, to_excel

from ..validators import normaliser_cvr, normaliser_navn, valider_cvr
from .ark import (
    CVR,
    DATO,
    HELTAL,
    JANEJ,
    KODE,
    KOMMUNER,
    LISTE,
    LISTESKILLE,
    NAVN,
    TAL,
    Kolonne,
    normaliser_overskrift,
)
from .svar import kort

DATOFORMATER = ("%Y-%m-%d", "%d-%m-%Y")
# A plain number in a date column is read as an Excel date serial (45700 is 12-02-2025) when it
# falls in these years; outside them it is more likely a year or a count typed in the wrong column.
SERIEL_AAR = (1950, 2100)
SERIEL_GRAENSER = (to_excel(date(SERIEL_AAR[0], 1, 1)), to_excel(date(SERIEL_AAR[1], 12, 31)))


class Ugyldig(Exception):
    """A cell that cannot be read as its column's kind; the message says why, in Danish."""


def som_tekst(raa) -> str:
    if raa is None:
        return ""
    if isinstance(raa, bool):
        return "ja" if raa else "nej"
    if isinstance(raa, float) and raa.is_integer():
        return str(int(raa))
    if isinstance(raa, datetime):
        return raa.date().isoformat() if raa.time() == datetime.min.time() else raa.isoformat()
    return str(raa).strip()


@functools.cache
def _kodekort(koder: tuple[str, ...]) -> dict[str, str]:
    return {normaliser_overskrift(k): k for k in koder}


def _kode(kolonne: Kolonne, tekst: str) -> str:
    if not tekst or tekst in kolonne.koder:
        return tekst
    fundet = _kodekort(kolonne.koder).get(normaliser_overskrift(tekst))
    if fundet is None:
        raise Ugyldig(
            f"'{kort(tekst)}' er ikke en kendt værdi for {kolonne.navn}. Brug en af: "
            f"{', '.join(kolonne.tilladte)}.{mente_du(tekst, kolonne.tilladte)}"
        )
    return fundet


def mente_du(tekst: str, muligheder, *, cutoff=0.6) -> str:
    """" Mente du 'x'?" for the closest of ``muligheder``, or "" when none is close."""
    if len(tekst) > 200:  # difflib is quadratic; nothing that long is a typo of a short name
        return ""
    forslag = difflib.get_close_matches(tekst, list(muligheder), n=1, cutoff=cutoff)
    return f" Mente du '{forslag[0]}'?" if forslag else ""


def _dato(raa) -> date | None:
    if isinstance(raa, datetime):
        return raa.date()
    if isinstance(raa, date):
        return raa
    if isinstance(raa, int | float) and not isinstance(raa, bool):
        return _seriel_dato(raa)
    tekst = som_tekst(raa)
    if tekst == "":
        return None
    for fmt in DATOFORMATER:
        try:
            return datetime.strptime(tekst, fmt).date()
        except ValueError:
            continue
    raise Ugyldig(
        "Det er ikke en dato. Brug en Excel-dato eller skriv datoen som ÅÅÅÅ-MM-DD eller "
        "DD-MM-ÅÅÅÅ."
    )


def _seriel_dato(tal: float) -> date:
    """A number in a date column: an Excel date whose cell lost its date format (the time of
    day, if any, is dropped)."""
    if not SERIEL_GRAENSER[0] <= tal <= SERIEL_GRAENSER[1]:
        raise Ugyldig(
            f"Tallet er ikke en dato. Som Excel-dato skal et tal ligge mellem "
            f"{SERIEL_GRAENSER[0]:.0f} og {SERIEL_GRAENSER[1]:.0f} (år {SERIEL_AAR[0]}–"
            f"{SERIEL_AAR[1]}). Giv cellen datoformat, eller skriv datoen som ÅÅÅÅ-MM-DD eller "
            "DD-MM-ÅÅÅÅ."
        )
    return from_excel(tal).date()


def _tal(raa) -> Decimal | None:
    if isinstance(raa, bool):
        raise Ugyldig("Det er ikke et tal.")
    if isinstance(raa, int | float | Decimal):
        return Decimal(str(raa))
    tekst = som_tekst(raa).replace(" ", "").replace("\xa0", "")
    if not tekst:
        return None
    if "," in tekst:  # Danish: 1.234,5
        tekst = tekst.replace(".", "").replace(",", ".")
    try:
        return Decimal(tekst)
    except InvalidOperation:
        raise Ugyldig("Det er ikke et tal (skriv f.eks. 71,4).") from None


def _heltal(raa) -> int | None:
    vaerdi = _tal(raa)
    if vaerdi is None:
        return None
    if vaerdi != vaerdi.to_integral_value():
        raise Ugyldig("Det skal være et helt tal.")
    return int(vaerdi)


def _ja_nej(raa) -> bool:
    if isinstance(raa, bool):
        return raa
    tekst = som_tekst(raa).lower()
    if tekst in ("", "nej", "n", "0"):
        return False
    if tekst in ("ja", "j", "1"):
        return True
    raise Ugyldig("Skriv ja eller nej.")


def _liste(raa) -> list[str]:
    dele = (som_tekst(del_) for del_ in som_tekst(raa).split(LISTESKILLE))
    return list(dict.fromkeys(d for d in dele if d))


def _cvr(raa) -> str:
    tekst = normaliser_cvr(som_tekst(raa))
    if tekst:
        try:
            valider_cvr(tekst)
        except ValidationError as exc:
            raise Ugyldig(" ".join(exc.messages)) from None
    return tekst


def tolk(kolonne: Kolonne, raa):
    """The value of a cell ``raa`` in ``kolonne``; :class:`Ugyldig` when it cannot be read."""
    art = kolonne.art
    if art == CVR:
        vaerdi = _cvr(raa)
    elif art == DATO:
        vaerdi = _dato(raa)
    elif art == TAL:
        vaerdi = _tal(raa)
    elif art == HELTAL:
        vaerdi = _heltal(raa)
    elif art == JANEJ:
        vaerdi = _ja_nej(raa)
    elif art in (LISTE, KOMMUNER):
        vaerdi = _liste(raa)
        if kolonne.navne:
            vaerdi = list({normaliser_navn(v).casefold(): normaliser_navn(v)
                           for v in vaerdi}.values())
        if kolonne.koder:
            vaerdi = list(dict.fromkeys(_kode(kolonne, v) for v in vaerdi))
    elif art == KODE:
        vaerdi = _kode(kolonne, som_tekst(raa))
    elif art == NAVN:
        vaerdi = normaliser_navn(som_tekst(raa))
    else:
        vaerdi = som_tekst(raa)
    if kolonne.paakraevet and vaerdi in (None, "", []):
        raise Ugyldig("Feltet skal udfyldes.")
    return vaerdi
