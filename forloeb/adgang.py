"""Who may change a registration, and when a change needs a reason: the rule, once.

The services enforce it (:func:`kontroller`, called by ``services.gem`` and ``services.slet``
when a user is given), the views ask :func:`vurder` to open a record read-only or to mark the
reason required, and the import asks :func:`vurder` for every row it plans.

1. **Own records.** A registrant changes and deletes the records they registered
   (``oprettet_af``); an administrator (the group Administrator, or a superuser) any. A
   henvisning goes with its forløb. A record without an owner (demo data, imports from before
   owners were kept) is changed by administrators only.
2. **Companies are shared.** Anyone who may change companies corrects any company, but a change
   to one someone else registered (or no one known) needs a reason.
3. **Reasons.** Every delete, and every change to a record someone else registered, needs a
   reason for the history.
4. **Approved periods** (``forloeb.laas``). A change whose counting date lies in a locked period,
   before or after the change, a new record dated in one, or a delete of one needs an
   administrator and a reason.

5. **Houses.** Every registration but a company belongs to an erhvervshus (a henvisning to its
   forløb's), and a user to one or more (``maal.Medlemskab``). A user sees, registers, changes,
   imports and reports the records of their own houses only (:func:`husets`); an administrator
   is an administrator of their houses. A superuser sees every house.

Other kinds (aktører, kommuner, målinger, milepæle …) are governed by their model permissions
alone: administrators enter them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import dateformat, timezone

from maal.roller import ADMINISTRATOR  # the group's name only (maal.roller needs no forloeb)

from . import laas
from .models import Forloeb

# The kinds a registrant owns, and the kinds all registrants share.
EJEDE = ("forloeb", "henvisning", "aitjek", "aktivitet", "programdeltagelse", "samarbejdsaftale")
FAELLES = ("virksomhed",)

BESTEMT = {
    "forloeb": "forløbet", "henvisning": "henvisningen", "aitjek": "AI-tjekket",
    "aktivitet": "aktiviteten", "programdeltagelse": "programdeltagelsen",
    "samarbejdsaftale": "samarbejdsaftalen", "virksomhed": "virksomheden",
}
KUN_EGNE = "du kan kun rette dine egne registreringer."
UDEN_EJER = ("er registreret uden en kendt registrant (demodata eller en ældre import); kun en "
             "administrator kan rette eller slette det.")
LAAST = "kun en administrator kan ændre registreringer i perioden, med en årsag."


@dataclass(frozen=True)
class Vurdering:
    """The answer for one user, one record and one action.

    ``tilladt`` False: refused, ``grund`` says why. ``kraever_aarsag``: allowed with a reason
    only; ``grund`` says why one is needed. ``periode``: the approved period the change touches,
    if any (a refusal for it stands next to the date)."""

    tilladt: bool
    grund: str = ""
    kraever_aarsag: bool = False
    periode: laas.LaastPeriode | None = None


def er_administrator(bruger) -> bool:
    """A superuser or a member of the group Administrator (asked once per user object)."""
    if bruger is None or not bruger.is_authenticated:
        return False
    if not hasattr(bruger, "_er_administrator"):
        bruger._er_administrator = bruger.is_superuser or bruger.groups.filter(
            name=ADMINISTRATOR).exists()
    return bruger._er_administrator


# --- Houses -------------------------------------------------------------------------------------

ANDET_HUS = "hører til et andet erhvervshus end dine."
INTET_HUS = ("Du er ikke medlem af noget erhvervshus. Bed en administrator om at give dig et "
             "medlemskab.")


def erhvervshus_model():
    """``maal.Erhvervshus``, reached through the registrations' own reference to it."""
    return Forloeb._meta.get_field("erhvervshus").related_model


def hus_felt(model) -> str | None:
    """The path from ``model`` to its house: a henvisning's is its forløb's; a company and the
    other shared kinds have none."""
    navn = model._meta.model_name
    if navn == "henvisning":
        return "forloeb__erhvervshus"
    if navn in EJEDE or navn == "importkoersel":
        return "erhvervshus"
    return None


def hus_id(instans):
    """The id of the house a record belongs to (a henvisning: its forløb's); None for a
    company or a record not yet given one."""
    if instans._meta.model_name == "henvisning":
        forloeb = instans._state.fields_cache.get("forloeb")
        return forloeb.erhvervshus_id if forloeb is not None else (
            Forloeb.objects.filter(pk=instans.forloeb_id).values_list("erhvervshus_id", flat=True)
            .first() if instans.forloeb_id else None)
    return getattr(instans, "erhvervshus_id", None)


def ser_alle_huse(bruger) -> bool:
    return bruger is not None and bruger.is_authenticated and bruger.is_superuser


def husets(qs, bruger, felt: str | None = None):
    """``qs`` narrowed to the records of ``bruger``'s houses, in the same query (a subquery on
    the memberships): every list, page and report starts here. A superuser's is ``qs``; a kind
    without a house (companies) is not narrowed."""
    felt = felt or hus_felt(qs.model)
    if felt is None or ser_alle_huse(bruger):
        return qs
    if bruger is None or not bruger.is_authenticated:
        return qs.none()
    return qs.filter(**{f"{felt}__in": bruger.medlemskaber.values("erhvervshus")})


def brugerens_huse(bruger):
    """The houses ``bruger`` sees, by name: every house for a superuser."""
    huse = erhvervshus_model().objects.order_by("navn")
    if ser_alle_huse(bruger):
        return huse
    if bruger is None or not bruger.is_authenticated:
        return huse.none()
    return huse.filter(medlemskaber__bruger=bruger)


def brugerens_hus_id(bruger) -> set[int]:
    """The ids of the houses ``bruger`` sees (one query per user object)."""
    if not hasattr(bruger, "_hus_id"):
        bruger._hus_id = set(brugerens_huse(bruger).values_list("pk", flat=True))
    return bruger._hus_id


def i_husene(bruger, erhvervshus_id) -> bool:
    return ser_alle_huse(bruger) or erhvervshus_id in brugerens_hus_id(bruger)


def navn(bruger) -> str:
    return (bruger.get_full_name() or bruger.get_username()) if bruger else "ukendt bruger"


def dansk_dato(tidspunkt) -> str:
    """"3. marts 2025"."""
    if hasattr(tidspunkt, "hour"):
        tidspunkt = timezone.localtime(tidspunkt)
    return dateformat.format(tidspunkt, "j. F Y")


def betegnelse(instans) -> str:
    """"Forløbet F-123", "Henvisningen til CLEAN på forløbet F-1", "Aktiviteten"."""
    model = instans._meta.model_name
    bestemt = BESTEMT.get(model, "registreringen")
    if model == "henvisning":
        forloeb = instans.forloeb
        return f"Henvisningen på forløbet {forloeb.ekstern_id}" if forloeb else "Henvisningen"
    ekstern_id = getattr(instans, "ekstern_id", "")
    if model == "virksomhed":
        return f"Virksomheden {instans.navn} ({instans.cvr})"
    return f"{bestemt[0].upper()}{bestemt[1:]} {ekstern_id}".strip()


def ejer_id(instans):
    """Who owns a record: its registrant; a henvisning's is its forløb's."""
    if instans._meta.model_name == "henvisning":
        forloeb = getattr(instans, "forloeb", None) if instans.forloeb_id else None
        return forloeb.oprettet_af_id if forloeb is not None and forloeb.pk else None
    return getattr(instans, "oprettet_af_id", None)


def ejer(instans, ejere: dict | None = None):
    """The owner as a user object; from ``ejere`` (preloaded by pk) when given."""
    pk = ejer_id(instans)
    if pk is None:
        return None
    if ejere is not None:
        return ejere.get(pk)
    if instans._meta.model_name == "henvisning":
        return instans.forloeb.oprettet_af
    return instans.oprettet_af


def registreret_af(instans, ejere: dict | None = None) -> str:
    """"Registreret af Anne Hansen 3. marts 2025" (of a henvisning: of its forløb)."""
    kilde = instans.forloeb if instans._meta.model_name == "henvisning" else instans
    hvem = ejer(instans, ejere)
    dato = f" {dansk_dato(kilde.oprettet)}" if getattr(kilde, "oprettet", None) else ""
    if hvem is None:
        return f"Registreret uden kendt registrant{dato}"
    return f"Registreret af {navn(hvem)}{dato}"


def vurder(bruger, instans, *, handling: str = "ret", foer=(), perioder=None,
           ejere: dict | None = None) -> Vurdering:
    """May ``bruger`` ``handling`` ("opret", "ret", "slet") ``instans``, and with a reason only?

    ``foer``: the record's counting dates before the change (``ret``; the services read it from
    the database); its date as it is in memory is held against the locked periods too.
    ``perioder`` (from ``laas.laaste_perioder()``) and ``ejere`` (users by pk) let the import
    ask for many rows without a query per row."""
    model = instans._meta.model_name
    admin = er_administrator(bruger)
    grunde, periode = [], None

    hus = hus_id(instans) if model in EJEDE else None
    if hus is not None and bruger is not None and not i_husene(bruger, hus):
        return Vurdering(False, f"{betegnelse(instans)} {ANDET_HUS}")

    # A new henvisning changes its forløb: the forløb's owner adds it (to a forløb not yet
    # saved, as in an import that brings both, its registrant).
    paa_gemt_forloeb = model == "henvisning" and instans.forloeb.pk is not None
    if model in EJEDE + FAELLES and (handling != "opret" or paa_gemt_forloeb):
        eget = ejer_id(instans) is not None and ejer_id(instans) == getattr(bruger, "pk", None)
        if not eget and model in EJEDE and not admin:
            if ejer_id(instans) is None:
                return Vurdering(False, f"{betegnelse(instans)} {UDEN_EJER}")
            hvem = navn(ejer(instans, ejere))
            return Vurdering(False, f"{betegnelse(instans)} er registreret af {hvem}; {KUN_EGNE}")
        if not eget:
            hvem = ejer(instans, ejere)
            grunde.append(f"{betegnelse(instans)} er registreret af {navn(hvem)}."
                          if hvem else f"{betegnelse(instans)} har ingen kendt registrant.")

    if model in laas.TAELLEDATO:
        datoer = [*foer, laas.taelledato(instans)]
        periode = laas.laast(datoer, perioder, erhvervshus_id=hus)
        if periode is not None:
            if not admin:
                return Vurdering(False, f"{periode.grund}; {LAAST}", periode=periode)
            grunde.append(f"{periode.grund}.")

    return Vurdering(True, " ".join(grunde), kraever_aarsag=bool(grunde) or handling == "slet",
                     periode=periode)


def aarsag_mangler(instans, vurdering: Vurdering, handling: str) -> str:
    """The error next to an empty reason: "Skriv hvorfor …", and why one is needed."""
    bestemt = BESTEMT.get(instans._meta.model_name, "registreringen")
    if handling == "slet":
        return " ".join(filter(None, [
            f"Skriv hvorfor {bestemt} slettes; årsagen gemmes i historikken.", vurdering.grund]))
    return f"Skriv hvorfor du ændrer {bestemt}; årsagen gemmes i historikken. {vurdering.grund}"


def kontroller(bruger, instans, *, handling: str, aarsag: str = "") -> Vurdering:
    """Refuse what :func:`vurder` refuses: ``PermissionDenied`` for another's record,
    ``ValidationError`` next to the date for an approved period, next to ``aarsag`` for a
    missing reason. Reads the counting date before the change from the database (one query,
    only while a period is locked)."""
    perioder = laas.laaste_perioder()
    foer = [laas.gemt_taelledato(instans)] if perioder and handling == "ret" else []
    vurdering = vurder(bruger, instans, handling=handling, foer=foer, perioder=perioder)
    if not vurdering.tilladt:
        if vurdering.periode is not None:
            raise ValidationError({laas.datofelt(instans) or "__all__": vurdering.grund})
        raise PermissionDenied(vurdering.grund)
    if vurdering.kraever_aarsag and not aarsag.strip():
        raise ValidationError({"aarsag": aarsag_mangler(instans, vurdering, handling)})
    return vurdering
