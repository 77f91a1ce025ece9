"""Reads of registrations that more than one view needs: the search that ignores the case of every
letter, likely double registrations, and the history of a company or of one record."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.db.models.functions import Lower
from django.db.models.lookups import Contains, Exact
from django.utils.text import capfirst

from .historik import HANDLINGER, vis_vaerdi
from .models import AITjek, Forloeb, Henvisning, Programdeltagelse, Samarbejdsaftale, Virksomhed
from .validators import normaliser_cvr

# --- Search without regard to case --------------------------------------------------------------

SQLITE_LOWER = "unicode_lower"


def _unicode_lower(tekst):
    return tekst.lower() if isinstance(tekst, str) else tekst


def registrer_unicode_lower(sender, connection, **kwargs):
    """SQLite's own lower() and LIKE fold only A–Z, so "øst" would not find "Østergaard". Each
    SQLite connection gets Python's ``str.lower`` under a name of its own; it is deterministic,
    so SQLite may use it anywhere. A name of its own rather than replacing the built-in lower()
    (SQLite allows that too): nothing else changes meaning, and a connection that somehow missed
    the registration fails loudly ("no such function") instead of quietly finding too little.
    Connected to ``connection_created`` in ``ForloebConfig.ready``, before any connection opens."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_LOWER, 1, _unicode_lower, deterministic=True
        )


class UnicodeLower(Lower):
    """``LOWER()`` of every letter, æ, ø and å included. PostgreSQL's LOWER follows the
    database's LC_CTYPE, which knows every letter under any UTF-8 locale (C.UTF-8,
    da_DK.UTF-8); on SQLite it is the function registered above."""

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function=SQLITE_LOWER, **extra_context)


def indeholder(felt: str, tekst: str):
    """A condition: ``felt`` contains ``tekst``, whatever the case of its letters."""
    return Contains(UnicodeLower(felt), tekst.lower())


def hedder(felt: str, tekst: str):
    """A condition: ``felt`` is ``tekst``, whatever the case of its letters."""
    return Exact(UnicodeLower(felt), tekst.lower())


def som_cvr(tekst: str) -> str:
    """The CVR number ``tekst`` reduces to ("DK 9534 1896" is 95341896), or "" if it is none."""
    cvr = normaliser_cvr(tekst)
    return cvr if len(cvr) == 8 and cvr.isdigit() else ""


def soeg(felter, tekst: str) -> Q:
    """The condition of the lists' search: every word of ``tekst`` matches one of ``felter``
    ("bageri 1234" finds Bageri ApS by the start of its CVR); a CVR field is matched on its start,
    others anywhere without regard to case. A ``tekst`` that reduces to a CVR number ("9534 1896",
    "DK95341896") also finds that CVR."""
    cvr_felter = [felt for felt in felter if felt.endswith("cvr")]
    betingelse = Q()
    for ord_ in tekst.split():
        et_felt = Q()
        for felt in felter:
            if felt in cvr_felter:
                et_felt |= Q(**{f"{felt}__startswith": ord_.replace("-", "")})
            else:
                et_felt |= Q(indeholder(felt, ord_))
        betingelse &= et_felt
    if som_cvr(tekst):
        for felt in cvr_felter:
            betingelse |= Q(**{felt: som_cvr(tekst)})
    return betingelse


def virksomhed_med_cvr(tekst: str) -> Virksomhed | None:
    """The company whose CVR ``tekst`` is, however it is written; None if none is."""
    cvr = som_cvr(tekst)
    return Virksomhed.objects.filter(cvr=cvr).first() if cvr else None


def virksomheder_med_navn(tekst: str, *, antal: int):
    """Companies named ``tekst`` exactly (both, if two are), else at most ``antal`` whose name
    contains it; the case of the letters does not matter."""
    eksakt = list(Virksomhed.objects.filter(hedder("navn", tekst))[:2])
    return eksakt or list(Virksomhed.objects.filter(indeholder("navn", tekst))[:antal])


# --- Double registrations -----------------------------------------------------------------------


def _i_huset(qs, erhvervshus):
    """A dublet is one in the same house; another house's records are not seen."""
    return qs.filter(erhvervshus=erhvervshus) if erhvervshus is not None else qs


def forloeb_mulige_dubletter(*, cvr: str, type: str, startdato: date, undtagen_pk=None,
                             erhvervshus=None):
    """Forløb of the house with the same company, type and start date: a likely double
    registration."""
    return _i_huset(
        Forloeb.objects.filter(virksomhed__cvr=cvr, type=type, startdato=startdato)
        .exclude(pk=undtagen_pk)
        .select_related("virksomhed"), erhvervshus,
    )


def programdeltagelse_dublet(*, virksomhed, program: str, dato: date, undtagen_pk=None,
                             erhvervshus=None):
    """The programdeltagelse the house already registered for the company, program and date."""
    return _i_huset(Programdeltagelse.objects.filter(
        virksomhed=virksomhed, program=program, dato=dato), erhvervshus,
    ).exclude(pk=undtagen_pk).first()


def samarbejdsaftale_dublet(*, aktoer, dato: date, undtagen_pk=None, erhvervshus=None):
    """The samarbejdsaftale the house already registered with the cluster on the date."""
    return _i_huset(Samarbejdsaftale.objects.filter(aktoer=aktoer, dato=dato), erhvervshus,
                    ).exclude(pk=undtagen_pk).first()


# --- History: a company's, and one record's ------------------------------------------------------

HISTORIK_UDELAD = ("oprettet", "opdateret", "oprettet_af", "id")
# Records of a company that can be moved to another company.
FLYTBARE = (Forloeb, AITjek, Programdeltagelse)


@dataclass(frozen=True)
class Historik:
    poster: list[dict]  # the newest entries, newest first
    i_alt: int  # how many entries there are in all

    @property
    def afkortet(self) -> bool:
        return self.i_alt > len(self.poster)


def virksomhed_historik(virksomhed, antal=50, *, huse=None) -> Historik:
    """Who changed what, and when, in the company's records: the company itself and its forløb,
    henvisninger, AI-tjek and programdeltagelser, deleted ones included, newest first.

    A record moved to another company is compared with its version before the move, wherever
    that was, and the company it left shows the move as "Flyttet … til <the other company>".

    ``huse`` (house ids, a list or a subquery) keeps the records of those houses only; the
    company's own entries are every house's."""
    hus = {} if huse is None else {"erhvervshus_id__in": huse}
    forloeb_id = Forloeb.history.filter(virksomhed_id=virksomhed.pk, **hus).values("id")
    kilder = [
        virksomhed.history.all(),
        *(model.history.filter(id__in=model.history.filter(virksomhed_id=virksomhed.pk, **hus)
                               .values("id")) for model in FLYTBARE),
        Henvisning.history.filter(forloeb_id__in=forloeb_id).select_related("aktoer"),
    ]
    return _historik(kilder, lambda post: _hos(post, virksomhed), antal)


def historik(instans, antal=50) -> Historik:
    """Who changed what, and when, in one record (a forløb with its henvisninger, deleted ones
    included), newest first: the same entries as the company page shows, for the record's own
    page."""
    kilder = [type(instans).history.filter(id=instans.pk)]
    if isinstance(instans, Forloeb):
        kilder.append(Henvisning.history.filter(forloeb_id=instans.pk).select_related("aktoer"))
    return _historik(kilder, lambda post: True, antal)


def _historik(kilder, hos, antal) -> Historik:
    """The entries of ``kilder`` (history querysets), each compared with the version before it
    of the same record; ``hos(post)`` says whether a version belongs to the page, so a record
    that left shows as moved."""
    poster = sorted(
        (p for qs in kilder for p in qs.select_related("history_user")),
        key=lambda p: (p.history_date, p.history_id),
    )
    forrige, par = {}, []
    for post in poster:  # each version with the one before it of the same record
        noegle = (type(post), post.id)
        foer = forrige.get(noegle)
        forrige[noegle] = post
        her = hos(post)
        if her or foer is not None and hos(foer):
            par.append((post, foer, None if her else post.virksomhed_id))
    vist = list(reversed(par[-antal:]))
    flyttet_til = Virksomhed.objects.in_bulk({til for _, _, til in vist if til is not None})
    return Historik(poster=[
        {
            "dato": post.history_date, "bruger": post.history_user,
            "handling": "Flyttet" if til else HANDLINGER[post.history_type],
            "genstand": _genstand(post), "flyttet_til": flyttet_til.get(til) if til else None,
            "aendringer": _aendringer(post, foer), "aarsag": post.history_change_reason or "",
        }
        for post, foer, til in vist
    ], i_alt=len(par))


def _hos(post, virksomhed) -> bool:
    """Whether this version of a record belongs to ``virksomhed``; a henvisning goes with its
    forløb, and the company's own versions are its own."""
    return getattr(post, "virksomhed_id", virksomhed.pk) == virksomhed.pk


def _aendringer(post, foer):
    """(field, before, after) of a change; creations and deletions list no fields."""
    if post.history_type != "~" or foer is None:
        return []
    delta = post.diff_against(foer, excluded_fields=HISTORIK_UDELAD, foreign_keys_are_objs=True)
    return [_aendring(post, aendring) for aendring in delta.changes]


def _genstand(post):
    model = post.instance_type
    navn = capfirst(model._meta.verbose_name)
    if model is Virksomhed:
        return f"{navn} {post.navn}"
    if model is Henvisning:
        return f"{navn} til {post.aktoer} ({post.dato:%d-%m-%Y})"
    if model is Programdeltagelse:
        return f"{navn} i {post.get_program_display()}"
    if model is Samarbejdsaftale:
        return f"{navn} med {post.aktoer} ({post.dato:%d-%m-%Y})"
    return f"{navn} {post.ekstern_id}"


def _aendring(post, aendring):
    felt = post.instance_type._meta.get_field(aendring.field)
    return (capfirst(felt.verbose_name), vis_vaerdi(felt, aendring.old),
            vis_vaerdi(felt, aendring.new))

