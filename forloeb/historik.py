"""History on every record kind (django-simple-history), named in Danish."""

import json
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.text import format_lazy
from simple_history.models import HistoricalRecords


class Historik(HistoricalRecords):
    """``HistoricalRecords`` whose history tables read "historik for forløb", not "historical
    forløb", wherever Django shows their names."""

    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        # simple_history replaces the attribute with the history manager; a service that writes
        # an entry itself (``forloeb.services._opret_med_m2m``) finds the registration here.
        cls.historik_registrering = self

    def get_meta_options(self, model):
        if not self.user_set_verbose_name:
            self.user_set_verbose_name = format_lazy(
                "historik for {}", model._meta.verbose_name
            )
        if not self.user_set_verbose_name_plural:
            self.user_set_verbose_name_plural = format_lazy(
                "historik for {}", model._meta.verbose_name_plural
            )
        return super().get_meta_options(model)


# --- Showing a history entry --------------------------------------------------------------------
# Shared by a company's history (``forloeb.selectors``) and the audit trail
# (``rapporter.revision``).

HANDLINGER = {"+": "Oprettet", "~": "Ændret", "-": "Slettet"}


def vis_vaerdi(felt, vaerdi) -> str:
    """A field value as a person reads it: labels for codes, Danish dates and decimals, names for
    links. A many-to-many value is a list of names (or of simple_history's through rows)."""
    if felt.many_to_many:
        return ", ".join(
            str(list(v.values())[-1]) if isinstance(v, dict) else str(v) for v in vaerdi
        ) or "–"
    if vaerdi in (None, ""):
        return "–"
    if felt.choices:
        return str(dict(felt.flatchoices).get(vaerdi, vaerdi))
    if isinstance(vaerdi, bool):
        return "Ja" if vaerdi else "Nej"
    if isinstance(vaerdi, datetime):
        lokal = timezone.localtime(vaerdi) if timezone.is_aware(vaerdi) else vaerdi
        return lokal.strftime("%d-%m-%Y %H:%M")
    if hasattr(vaerdi, "strftime"):
        return vaerdi.strftime("%d-%m-%Y")
    if isinstance(vaerdi, Decimal | float):
        return str(vaerdi).replace(".", ",")
    if isinstance(vaerdi, dict | list):
        return json.dumps(vaerdi, ensure_ascii=False, sort_keys=True)
    return str(vaerdi)
