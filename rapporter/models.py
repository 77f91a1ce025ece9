"""What the house tells KKR beside the figures, and what KKR was shown.

- :class:`Forklaring`: an administrator's short status text for a goal, or one of its
  indicators, in a period (H1 or helår): what lies behind the figure and what is being done.
- :class:`Godkendelse`: an approved period. It holds the period's whole result as it stood when
  it was approved (every figure, status, explanation and milestone narrative) as a numbered
  version; approving again makes the next version, and older versions stay readable.

Writes go through ``rapporter.godkendelse``; both keep their history.
"""

from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from forloeb.historik import Historik
from maal.models import Indikator, Maal, Resultatkontrakt

from .beregning import MAANEDER


def dansk_dato(tidspunkt: date | datetime) -> str:
    """"14. august 2025"; a moment is read in Danish local time."""
    if isinstance(tidspunkt, datetime):
        tidspunkt = timezone.localdate(tidspunkt) if timezone.is_aware(tidspunkt) \
            else tidspunkt.date()
    return f"{tidspunkt.day}. {MAANEDER[tidspunkt.month - 1]} {tidspunkt.year}"


class Rapportperiode(models.TextChoices):
    """The periods that are reported to KKR, explained and approved."""

    H1 = "H1", "1. halvår"
    HELAAR = "helaar", "Hele året"


class Forklaring(models.Model):
    maal = models.ForeignKey(
        Maal, on_delete=models.CASCADE, related_name="forklaringer", verbose_name="mål"
    )
    indikator = models.ForeignKey(
        Indikator,
        on_delete=models.CASCADE,
        related_name="forklaringer",
        verbose_name="indikator",
        null=True,
        blank=True,
        help_text="Tom: forklaringen gælder hele målet.",
    )
    periode = models.CharField("periode", max_length=10, choices=Rapportperiode.choices)
    tekst = models.TextField("forklaring", help_text="Hvad ligger bag tallet, og hvad gøres der?")
    opdateret = models.DateTimeField("opdateret", auto_now=True)
    opdateret_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="skrevet af",
    )
    history = Historik()

    class Meta:
        verbose_name = "forklaring"
        verbose_name_plural = "forklaringer"
        ordering = ["maal__nummer", "indikator__raekkefoelge", "periode"]
        constraints = [
            models.UniqueConstraint(
                fields=["maal", "periode"], condition=Q(indikator__isnull=True),
                name="forklaring_unik_maal",
                violation_error_message="Målet har allerede en forklaring for perioden.",
            ),
            models.UniqueConstraint(
                fields=["indikator", "periode"], condition=Q(indikator__isnull=False),
                name="forklaring_unik_indikator",
                violation_error_message="Indikatoren har allerede en forklaring for perioden.",
            ),
        ]

    def __str__(self):
        hvad = self.indikator.noegle if self.indikator_id else f"Mål {self.maal.nummer}"
        return f"Forklaring til {hvad}, {self.get_periode_display()}"


class Godkendelse(models.Model):
    kontrakt = models.ForeignKey(
        Resultatkontrakt, on_delete=models.PROTECT, related_name="godkendelser",
        verbose_name="kontrakt",
    )
    periode = models.CharField("periode", max_length=10, choices=Rapportperiode.choices)
    version = models.PositiveSmallIntegerField("version")
    godkendt_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name="godkendt af",
    )
    # The approver's name as it stood, so the mark reads the same if the user is renamed.
    godkendt_af_navn = models.CharField("godkendt af (navn)", max_length=150)
    tidspunkt = models.DateTimeField("godkendt")
    kommentar = models.TextField("kommentar", blank=True)
    indhold = models.JSONField(
        "godkendt indhold",
        help_text="Periodens resultat som det stod: tal, status, forklaringer og milepæle.",
    )
    history = Historik()

    class Meta:
        verbose_name = "godkendelse"
        verbose_name_plural = "godkendelser"
        ordering = ["kontrakt", "periode", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kontrakt", "periode", "version"], name="godkendelse_unik_version"
            )
        ]

    def __str__(self):
        return (f"{self.get_periode_display()} {self.kontrakt.aar}, "
                f"{self.kontrakt.erhvervshus}: version {self.version}")

    @property
    def maerke(self) -> str:
        """The mark KKR sees: "Godkendt 14. august 2025 af Anne Hansen, version 1"."""
        return (f"Godkendt {dansk_dato(self.tidspunkt)} af {self.godkendt_af_navn}, "
                f"version {self.version}")

    def som_json(self) -> dict:
        """Who approved which version when, as the JSON report carries it (plus the mark and
        the date as words, for the report's own lines)."""
        tidspunkt = self.tidspunkt
        if timezone.is_aware(tidspunkt):
            tidspunkt = timezone.localtime(tidspunkt)
        return {
            "version": self.version, "godkendt_af": self.godkendt_af_navn,
            "tidspunkt": tidspunkt.isoformat(), "kommentar": self.kommentar,
            "tekst": self.maerke, "dato": dansk_dato(self.tidspunkt), "periode": self.periode,
        }


class Dataversion(models.Model):
    """A table's token, which changes with every write to the table (``kontrakt.dataversion``
    sets it in the writer's own transaction, so a reader sees the new token and the new records
    together); the row with ``tabel=""`` stands for every table. Random rather than a count, so
    that a database restored, flushed or rolled back never gives an old token to other
    records."""

    tabel = models.CharField(max_length=100, unique=True, default="")
    token = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "dataversion"

    def __str__(self):
        return f"Dataversion {self.tabel or 'alle'} {self.token}"
