"""Reads of registrations that more than one view needs."""

from datetime import date

from .models import Forloeb


def forloeb_mulige_dubletter(*, cvr: str, type: str, startdato: date, undtagen_pk=None):
    """Forløb with the same company, type and start date: a likely double registration."""
    return (
        Forloeb.objects.filter(virksomhed__cvr=cvr, type=type, startdato=startdato)
        .exclude(pk=undtagen_pk)
        .select_related("virksomhed")
    )
