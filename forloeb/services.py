"""Writes of registrations. Every write validates the whole record (``full_clean``), runs in one
transaction and is recorded in the history with who made it and why.

Forms, the workbook import and the demo command all come through here. Every registration
but a company is created for an ``erhvervshus`` (the form's, the import's, the demo's); a
henvisning belongs to its forløb's. Given a ``bruger``,
:func:`gem` and :func:`slet` first ask ``forloeb.adgang`` whether that user may (own records,
approved periods) and whether a reason is needed; every delete needs a reason.
"""

import re
import uuid
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from . import adgang
from .models import (
    AITjek,
    Aktivitet,
    Aktoer,
    Emne,
    Forloeb,
    Henvisning,
    Kommune,
    Programdeltagelse,
    Samarbejdsaftale,
    Virksomhed,
)
from .validators import normaliser_cvr

AARSAG_MAKS = 100  # history_change_reason's max_length


def ny_ekstern_id(prefix: str) -> str:
    """An id for a record registered in the app rather than imported from the CRM. A form
    makes it when it is shown (``forms.EscrmIdMixin``), so its second submit has the same."""
    return f"{prefix}-{uuid.uuid4().hex[:10].upper()}"


def er_ekstern_id(tekst: str, prefix: str) -> bool:
    """Whether ``tekst`` is an id :func:`ny_ekstern_id` made with ``prefix``."""
    return re.fullmatch(rf"{re.escape(prefix)}-[0-9A-F]{{10}}", tekst) is not None


def gem(instans, *, bruger=None, aarsag: str = "", m2m: dict | None = None):
    """Validate and save ``instans`` (and set its many-to-many fields) with its history entry.

    ``m2m`` maps field name to the new set of related objects or keys; the history records the
    change under the same user and reason.
    """
    instans.full_clean()
    _aarsagens_laengde(aarsag)
    if bruger is not None:
        adgang.kontroller(bruger, instans, handling="ret" if instans.pk else "opret",
                          aarsag=aarsag)
    instans._history_user = bruger
    if aarsag:
        instans._change_reason = aarsag
    if bruger is not None and instans.pk is None and hasattr(instans, "oprettet_af_id"):
        instans.oprettet_af = bruger
    with transaction.atomic():
        if instans.pk is None and m2m:
            _opret_med_m2m(instans, m2m)
        else:
            instans.save()
            for felt, vaerdier in (m2m or {}).items():
                getattr(instans, felt).set(list(vaerdier))
    return instans


def _opret_med_m2m(instans, m2m: dict) -> None:
    """Save a new record and its many-to-many sets with one history entry, "Oprettet", holding
    both. Saved the ordinary way, the sets (which need the record's key) would add a second
    entry, "Ændret … Emner: – → Digitalisering", to a record the user created once. (A change
    keeps its two steps: a record loaded without history, as the aktører, needs the first.)"""
    instans.skip_history_when_saving = True  # simple_history's switch, for save and m2m alike
    try:
        instans.save()
        for felt, vaerdier in m2m.items():
            getattr(instans, felt).set(list(vaerdier))
    finally:
        del instans.skip_history_when_saving
    type(instans).historik_registrering.create_historical_record(instans, "+")


def opdater(instans, *, bruger=None, aarsag: str = "", m2m: dict | None = None, **felter):
    """Change the given fields of ``instans`` and save it through :func:`gem`."""
    for navn, vaerdi in felter.items():
        setattr(instans, navn, vaerdi)
    return gem(instans, bruger=bruger, aarsag=aarsag, m2m=m2m)


def slet(instans, *, bruger=None, aarsag: str = "") -> None:
    """Delete ``instans``; the history keeps a deletion entry with who deleted it and why.

    A forløb's henvisninger are deleted first, one by one the same way: left to the database
    cascade, their deletion entries would have neither the user nor the reason.

    The reason is required (``ValidationError`` on ``aarsag``), with or without a user."""
    _aarsagens_laengde(aarsag)
    if bruger is not None:
        adgang.kontroller(bruger, instans, handling="slet", aarsag=aarsag)
    elif not aarsag.strip():
        raise ValidationError({"aarsag": adgang.aarsag_mangler(
            instans, adgang.Vurdering(True), "slet")})
    instans._history_user = bruger
    if aarsag:
        instans._change_reason = aarsag
    with transaction.atomic():
        if isinstance(instans, Forloeb):
            for henvisning in instans.henvisninger.all():
                slet(henvisning, bruger=bruger, aarsag=aarsag)
        instans.delete()


def _aarsagens_laengde(aarsag: str) -> None:
    """simple_history keeps at most 100 characters of a reason; more is refused, not cut."""
    if len(aarsag) > AARSAG_MAKS:
        raise ValidationError(
            {"aarsag": f"Årsagen må højst være {AARSAG_MAKS} tegn (den er {len(aarsag)})."})


def virksomhed_create(
    *, cvr: str, navn: str, kommune: Kommune | str, stiftelsesdato: date, bruger=None,
    aarsag: str = "",
) -> Virksomhed:
    kommune_id = kommune.pk if isinstance(kommune, Kommune) else kommune
    virksomhed = Virksomhed(
        cvr=normaliser_cvr(cvr), navn=navn.strip(), kommune_id=kommune_id,
        stiftelsesdato=stiftelsesdato,
    )
    return gem(virksomhed, bruger=bruger, aarsag=aarsag)


@transaction.atomic
def forloeb_create(
    *,
    virksomhed: Virksomhed,
    type: str,
    startdato: date,
    slutdato: date | None = None,
    raadgiver: str = "",
    emner: Iterable[Emne | str] = (),
    fyrtaarn: str = "",
    ekstern_id: str = "",
    henvisninger: Iterable[dict] = (),
    erhvervshus,
    bruger=None,
    aarsag: str = "",
) -> Forloeb:
    """Create a forløb and its henvisninger (dicts with ``aktoer`` and ``dato``) together."""
    forloeb = Forloeb(
        ekstern_id=ekstern_id or ny_ekstern_id("F"), erhvervshus=erhvervshus,
        virksomhed=virksomhed,
        type=type,
        startdato=startdato,
        slutdato=slutdato,
        raadgiver=raadgiver,
        fyrtaarn=fyrtaarn,
    )
    gem(forloeb, bruger=bruger, aarsag=aarsag, m2m={"emner": emner})
    for henvisning in henvisninger:
        henvisning_create(forloeb=forloeb, bruger=bruger, aarsag=aarsag, **henvisning)
    return forloeb


@transaction.atomic
def forloeb_gem(
    *,
    forloeb: Forloeb | None = None,
    virksomhed: Virksomhed,
    henvisninger: Iterable[tuple[int | None, Aktoer | None, str, date]] = (),
    slettede_henvisninger: Iterable[int] = (),
    emner: Iterable[Emne | str] = (),
    bruger=None,
    aarsag: str = "",
    **felter,
) -> Forloeb:
    """Create (``forloeb`` None) or change a forløb together with its henvisninger, as the
    registration form sends them: rows of (existing henvisning id or None, known aktør or None,
    new adviser name, date). A new adviser's name is created once as aktør type privat."""
    nye_aktoerer: dict[str, Aktoer] = {}

    def aktoer(kendt, ny_navn):
        if kendt is not None:
            return kendt
        if ny_navn.casefold() not in nye_aktoerer:
            nye_aktoerer[ny_navn.casefold()] = aktoer_create(
                navn=ny_navn, type=Aktoer.Type.PRIVAT, bruger=bruger, aarsag=aarsag
            )
        return nye_aktoerer[ny_navn.casefold()]

    raekker = [(id_, aktoer(kendt, ny), dato) for id_, kendt, ny, dato in henvisninger]
    if forloeb is None:
        return forloeb_create(
            virksomhed=virksomhed, emner=emner, bruger=bruger, aarsag=aarsag, **felter,
            henvisninger=[{"aktoer": a, "dato": d} for _, a, d in raekker],
        )
    opdater(forloeb, virksomhed=virksomhed, bruger=bruger, aarsag=aarsag, m2m={"emner": emner},
            **felter)
    eksisterende = forloeb.henvisninger.in_bulk()
    for pk in slettede_henvisninger:
        if pk in eksisterende:
            slet(eksisterende.pop(pk), bruger=bruger, aarsag=aarsag)
    # A new row the same as a henvisning the form did not show (the form's own earlier submit:
    # a double click, a resent POST) is that henvisning, not a second one.
    uroerte = {(h.aktoer_id, h.dato) for pk, h in eksisterende.items()
                if pk not in {id_ for id_, _, _ in raekker}}
    for id_, aktoer_, dato in raekker:
        if id_ in eksisterende:
            opdater(eksisterende[id_], aktoer=aktoer_, dato=dato, bruger=bruger, aarsag=aarsag)
        elif (aktoer_.pk, dato) not in uroerte:
            henvisning_create(forloeb=forloeb, aktoer=aktoer_, dato=dato, bruger=bruger,
                              aarsag=aarsag)
    return forloeb


def henvisning_create(
    *, forloeb: Forloeb, aktoer: Aktoer, dato: date, bruger=None, aarsag: str = ""
) -> Henvisning:
    return gem(Henvisning(forloeb=forloeb, aktoer=aktoer, dato=dato), bruger=bruger, aarsag=aarsag)


def ai_tjek_create(
    *, virksomhed: Virksomhed, dato: date, henvist_af_lokal_erhvervsservice: bool = False,
    ekstern_id: str = "", erhvervshus, bruger=None, aarsag: str = "",
) -> AITjek:
    ai_tjek = AITjek(
        ekstern_id=ekstern_id or ny_ekstern_id("AI"), erhvervshus=erhvervshus,
        virksomhed=virksomhed,
        dato=dato,
        henvist_af_lokal_erhvervsservice=henvist_af_lokal_erhvervsservice,
    )
    return gem(ai_tjek, bruger=bruger, aarsag=aarsag)


def aktivitet_create(
    *, type: str, dato: date, titel: str, partnere: Iterable[Aktoer] = (),
    kommuner: Iterable[Kommune | str] = (), fyrtaarn: str = "", ekstern_id: str = "",
    erhvervshus, bruger=None, aarsag: str = "",
) -> Aktivitet:
    aktivitet = Aktivitet(
        ekstern_id=ekstern_id or ny_ekstern_id("A"), type=type, dato=dato, titel=titel,
        fyrtaarn=fyrtaarn, erhvervshus=erhvervshus,
    )
    return gem(
        aktivitet, bruger=bruger, aarsag=aarsag, m2m={"partnere": partnere, "kommuner": kommuner}
    )


def programdeltagelse_create(
    *, virksomhed: Virksomhed, program: str, status: str, dato: date, erhvervshus, bruger=None,
    aarsag: str = "",
) -> Programdeltagelse:
    deltagelse = Programdeltagelse(virksomhed=virksomhed, program=program, status=status,
                                   dato=dato, erhvervshus=erhvervshus)
    return gem(deltagelse, bruger=bruger, aarsag=aarsag)


def samarbejdsaftale_create(
    *, aktoer: Aktoer, dato: date, beskrivelse: str = "", erhvervshus, bruger=None,
    aarsag: str = "",
) -> Samarbejdsaftale:
    aftale = Samarbejdsaftale(aktoer=aktoer, dato=dato, beskrivelse=beskrivelse,
                              erhvervshus=erhvervshus)
    return gem(aftale, bruger=bruger, aarsag=aarsag)


def aktoer_create(
    *, navn: str, type: str, kommuner: Iterable[Kommune | str] = (), bruger=None, aarsag: str = ""
) -> Aktoer:
    return gem(
        Aktoer(navn=navn.strip(), type=type), bruger=bruger, aarsag=aarsag,
        m2m={"kommuner": kommuner},
    )
