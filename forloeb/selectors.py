"""Reads of registrations that more than one view needs."""

from datetime import date

from django.utils.text import capfirst

from .models import AITjek, Forloeb, Henvisning, Programdeltagelse, Virksomhed


def forloeb_mulige_dubletter(*, cvr: str, type: str, startdato: date, undtagen_pk=None):
    """Forløb with the same company, type and start date: a likely double registration."""
    return (
        Forloeb.objects.filter(virksomhed__cvr=cvr, type=type, startdato=startdato)
        .exclude(pk=undtagen_pk)
        .select_related("virksomhed")
    )


HISTORIK_UDELAD = ("oprettet", "opdateret", "oprettet_af", "id")
HANDLINGER = {"+": "Oprettet", "~": "Ændret", "-": "Slettet"}


def virksomhed_historik(virksomhed, antal=50):
    """Who changed what, and when, in the company's records: the company itself and its forløb,
    henvisninger, AI-tjek and programdeltagelser, deleted ones included, newest first."""
    forloeb_id = Forloeb.history.filter(virksomhed_id=virksomhed.pk).values("id")
    kilder = [
        virksomhed.history.all(),
        Forloeb.history.filter(virksomhed_id=virksomhed.pk),
        Henvisning.history.filter(forloeb_id__in=forloeb_id).select_related("aktoer"),
        AITjek.history.filter(virksomhed_id=virksomhed.pk),
        Programdeltagelse.history.filter(virksomhed_id=virksomhed.pk),
    ]
    poster = sorted(
        (p for qs in kilder for p in qs.select_related("history_user")),
        key=lambda p: (p.history_date, p.history_id),
    )
    forrige, par = {}, []
    for post in poster:  # each version with the one before it of the same record
        noegle = (type(post), post.id)
        par.append((post, forrige.get(noegle)))
        forrige[noegle] = post
    return [
        {
            "dato": post.history_date, "bruger": post.history_user,
            "handling": HANDLINGER[post.history_type], "genstand": _genstand(post),
            "aendringer": _aendringer(post, foer), "aarsag": post.history_change_reason or "",
        }
        for post, foer in reversed(par[-antal:])
    ]


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
    return f"{navn} {post.ekstern_id}"


def _aendring(post, aendring):
    felt = post.instance_type._meta.get_field(aendring.field)
    return (capfirst(felt.verbose_name), _vis(felt, aendring.old), _vis(felt, aendring.new))


def _vis(felt, vaerdi):
    """A field value as a person reads it: labels for codes, Danish dates, names for links."""
    if felt.many_to_many:
        return ", ".join(str(list(raekke.values())[-1]) for raekke in vaerdi) or "–"
    if vaerdi in (None, ""):
        return "–"
    if felt.choices:
        return dict(felt.flatchoices).get(vaerdi, vaerdi)
    if isinstance(vaerdi, bool):
        return "Ja" if vaerdi else "Nej"
    if hasattr(vaerdi, "strftime"):
        return vaerdi.strftime("%d-%m-%Y")
    return str(vaerdi)
