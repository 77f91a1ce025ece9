"""The registrations the contract counts: companies, forløb, referrals, AI-tjek, activities,
program participations and cluster agreements, with the kommuner and aktører they refer to.

Models are declarative; writes go through ``forloeb.services``.

**Houses.** Every registration except a company belongs to an erhvervshus (``erhvervshus``, a
reference to ``maal.Erhvervshus`` by name): a company is the same company for every house, and
a henvisning belongs to its forløb's house. The house is named as a string reference, so this
module imports nothing from ``maal`` and the registrations still know nothing of goals: a house
is who registered the record, not what it counts towards. Moving ``Erhvervshus`` here would
have been the purer dependency, but it is the contract's party (its contracts, målinger and
the reference data of six houses hang on it in ``maal``); the reference costs only a migration
dependency (``forloeb`` 0008 after ``maal`` 0006). ``ekstern_id`` stays unique across houses:
ESCRM's ids are national, so one id in two houses is one record registered twice.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from .historik import Historik
from .validators import normaliser_navn, valider_cvr, valider_registreringsdato


class Fyrtaarn(models.TextChoices):
    FEMERN = "femern", "Femern"
    BIOSOLUTIONS = "biosolutions", "Biosolutions"


class Region(models.Model):
    kode = models.CharField("regionskode", max_length=4, primary_key=True)
    navn = models.CharField("navn", max_length=60, unique=True)
    history = Historik()

    class Meta:
        verbose_name = "region"
        verbose_name_plural = "regioner"
        ordering = ["kode"]

    def __str__(self):
        return self.navn


class Kommune(models.Model):
    class Kommunegruppe(models.IntegerChoices):
        HOVEDSTAD = 1, "Hovedstadskommuner"
        STORBY = 2, "Storbykommuner"
        PROVINSBY = 3, "Provinsbykommuner"
        OPLAND = 4, "Oplandskommuner"
        LAND = 5, "Landkommuner"

    kode = models.CharField("kommunekode", max_length=3, primary_key=True)
    navn = models.CharField("navn", max_length=60, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="kommuner")
    dst_kommunegruppe = models.PositiveSmallIntegerField(
        "kommunegruppe (Danmarks Statistik)", choices=Kommunegruppe.choices
    )
    history = Historik()

    class Meta:
        verbose_name = "kommune"
        verbose_name_plural = "kommuner"
        ordering = ["navn"]

    def __str__(self):
        return self.navn


class Befolkning(models.Model):
    """Population of a kommune on a date (Danmarks Statistik, 1 January)."""

    kommune = models.ForeignKey(Kommune, on_delete=models.CASCADE, related_name="befolkning")
    dato = models.DateField("opgjort pr.")
    indbyggere = models.PositiveIntegerField("indbyggere")
    kilde = models.CharField("kilde", max_length=200, blank=True)
    history = Historik()

    class Meta:
        verbose_name = "befolkningstal"
        verbose_name_plural = "befolkningstal"
        ordering = ["-dato", "kommune__navn"]
        constraints = [
            models.UniqueConstraint(fields=["kommune", "dato"], name="befolkning_unik_kommune_dato")
        ]

    def __str__(self):
        return f"{self.kommune} {self.dato:%d-%m-%Y}: {self.indbyggere}"


class Sporbar(models.Model):
    """Who made a record and when; the field-level history lives in ``history``."""

    oprettet = models.DateTimeField("oprettet", auto_now_add=True)
    opdateret = models.DateTimeField("opdateret", auto_now=True)
    oprettet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="oprettet af",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class Virksomhed(Sporbar):
    cvr = models.CharField("CVR-nummer", max_length=8, unique=True, validators=[valider_cvr])
    navn = models.CharField("navn", max_length=200)
    kommune = models.ForeignKey(
        Kommune,
        verbose_name="kommune (hovedsæde)",
        on_delete=models.PROTECT,
        related_name="virksomheder",
    )
    stiftelsesdato = models.DateField("stiftelsesdato")
    history = Historik()

    class Meta:
        verbose_name = "virksomhed"
        verbose_name_plural = "virksomheder"
        ordering = ["navn"]
        indexes = [models.Index(fields=["navn"], name="virksomhed_navn_idx")]

    def __str__(self):
        return f"{self.navn} ({self.cvr})"

    def clean(self):
        from django.utils import timezone

        if self.stiftelsesdato and self.stiftelsesdato > timezone.localdate():
            raise ValidationError(
                {"stiftelsesdato": "Stiftelsesdatoen kan ikke ligge i fremtiden."}
            )
        if self.stiftelsesdato and self.stiftelsesdato.year < 1800:
            raise ValidationError({"stiftelsesdato": "Stiftelsesdatoen ligger før år 1800."})


AKTOER_NAVN_FINDES = (
    "Der findes allerede en aktør med det navn (store og små bogstaver og mellemrum tæller ikke)."
)


class Aktoer(Sporbar):
    class Type(models.TextChoices):
        STATSLIG = "statslig", "Statslig erhvervsfremme"
        PRIVAT = "privat", "Privat rådgiver"
        LOKAL = "lokal", "Lokal erhvervsservice"
        KLYNGE = "klynge", "Erhvervsklynge"
        ANDEN = "anden", "Anden aktør"

    navn = models.CharField("navn", max_length=200, unique=True)
    type = models.CharField("type", max_length=10, choices=Type.choices)
    kommuner = models.ManyToManyField(
        Kommune, verbose_name="kommuner betjent", blank=True, related_name="aktoerer"
    )
    history = Historik(m2m_fields=[kommuner])

    class Meta:
        verbose_name = "aktør"
        verbose_name_plural = "aktører"
        ordering = ["navn"]
        indexes = [models.Index(fields=["type"], name="aktoer_type_idx")]
        constraints = [
            # One name, whatever its case: "Væksthus  Nord" and "væksthus nord" are one aktør.
            # Inner spaces are collapsed by clean() and the second constraint holds the database
            # to it. (SQLite's lower() folds A–Z only; clean() and the import fold Æ, Ø, Å too.)
            models.UniqueConstraint(
                Lower("navn"),
                name="aktoer_navn_unik_ci",
                violation_error_message=AKTOER_NAVN_FINDES,
            ),
            models.CheckConstraint(
                condition=~Q(navn__contains="  ") & ~Q(navn__startswith=" ")
                & ~Q(navn__endswith=" "),
                name="aktoer_navn_normaliseret",
                violation_error_message=(
                    "Et aktørnavn har ikke mellemrum før, efter eller to i træk."),
            ),
        ]

    def __str__(self):
        return self.navn

    def clean(self):
        self.navn = normaliser_navn(self.navn)

    def validate_constraints(self, exclude=None):
        super().validate_constraints(exclude=exclude)
        # SQLite's lower() leaves Æ, Ø and Å as they are; ask the way the searches do.
        from django.db import connection

        from .selectors import hedder

        if connection.vendor == "sqlite" and "navn" not in (exclude or ()) and self.navn:
            andre = Aktoer.objects.filter(hedder("navn", self.navn)).exclude(pk=self.pk)
            if andre.exists():
                raise ValidationError({"navn": AKTOER_NAVN_FINDES}, code="unique")


class Emne(models.Model):
    kode = models.CharField("kode", max_length=20, primary_key=True)
    navn = models.CharField("navn", max_length=60)
    history = Historik()

    class Meta:
        verbose_name = "emne"
        verbose_name_plural = "emner"
        ordering = ["navn"]

    def __str__(self):
        return self.navn


class Forloeb(Sporbar):
    class Type(models.TextChoices):
        KORT = "kort", "Kort vejledningsforløb"
        HANDLINGSPLAN = "handlingsplan", "Handlingsplan (driftssegment)"
        VAEKSTPLAN = "vaekstplan", "Vækstplan (vækstsegment)"
        OMSTILLINGSPLAN = "omstillingsplan", "Omstillingsplan (vækstsegment)"

    LAENGERE = (Type.HANDLINGSPLAN, Type.VAEKSTPLAN, Type.OMSTILLINGSPLAN)

    ekstern_id = models.CharField("ekstern id", max_length=50, unique=True)
    erhvervshus = models.ForeignKey(
        "maal.Erhvervshus", on_delete=models.PROTECT, related_name="+",
        verbose_name="erhvervshus",
    )
    virksomhed = models.ForeignKey(
        Virksomhed, on_delete=models.PROTECT, related_name="forloeb", verbose_name="virksomhed"
    )
    type = models.CharField("type", max_length=20, choices=Type.choices)
    startdato = models.DateField("startdato", validators=[valider_registreringsdato])
    slutdato = models.DateField(
        "slutdato",
        null=True,
        blank=True,
        validators=[valider_registreringsdato],
        help_text="Tom, mens forløbet er igangværende.",
    )
    raadgiver = models.CharField("rådgiver", max_length=100, blank=True)
    emner = models.ManyToManyField(Emne, verbose_name="emner", blank=True, related_name="forloeb")
    fyrtaarn = models.CharField("fyrtårn", max_length=20, choices=Fyrtaarn.choices, blank=True)
    history = Historik(m2m_fields=[emner])

    class Meta:
        verbose_name = "forløb"
        verbose_name_plural = "forløb"
        ordering = ["-startdato", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(slutdato__isnull=True) | Q(slutdato__gte=F("startdato")),
                name="forloeb_slut_efter_start",
                violation_error_message="Slutdatoen kan ikke ligge før startdatoen.",
            ),
        ]
        indexes = [
            # Covers the engine's one grouped pass over forløb gennemført in a period, so
            # SQLite answers it from the index alone (benchmarks/status.py: ~20 % faster).
            models.Index(
                fields=["slutdato", "type", "virksomhed", "startdato"],
                name="forloeb_slut_daekkende_idx",
            ),
            models.Index(fields=["startdato"], name="forloeb_start_idx"),
            models.Index(fields=["raadgiver"], name="forloeb_raadgiver_idx"),
        ]

    def __str__(self):
        return f"{self.get_type_display()} {self.ekstern_id}"

    def clean(self):
        from django.utils import timezone

        if self.startdato and self.slutdato and self.slutdato < self.startdato:
            raise ValidationError(
                {"slutdato": "Slutdatoen kan ikke ligge før startdatoen."}, code="slut_foer_start"
            )
        # A forløb counts as gennemført from its slutdato; a date ahead would count it early.
        if self.slutdato and self.slutdato > timezone.localdate():
            raise ValidationError(
                {"slutdato": "Slutdatoen ligger i fremtiden. Lad den stå tom, til forløbet er "
                             "gennemført."},
                code="slut_i_fremtiden",
            )

    @property
    def igangvaerende(self) -> bool:
        return self.slutdato is None


class Henvisning(Sporbar):
    """A referral made in a forløb; it counts with its forløb, whatever its own date."""

    forloeb = models.ForeignKey(
        Forloeb, on_delete=models.CASCADE, related_name="henvisninger", verbose_name="forløb"
    )
    aktoer = models.ForeignKey(
        Aktoer, on_delete=models.PROTECT, related_name="henvisninger", verbose_name="aktør"
    )
    dato = models.DateField("dato", validators=[valider_registreringsdato])
    history = Historik()

    class Meta:
        verbose_name = "henvisning"
        verbose_name_plural = "henvisninger"
        ordering = ["dato", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["forloeb", "aktoer", "dato"],
                name="henvisning_unik",
                violation_error_message="Den henvisning er allerede registreret på forløbet.",
            )
        ]

    def __str__(self):
        return f"Henvisning til {self.aktoer} {self.dato:%d-%m-%Y}"


class AITjek(Sporbar):
    ekstern_id = models.CharField("ekstern id", max_length=50, unique=True)
    erhvervshus = models.ForeignKey(
        "maal.Erhvervshus", on_delete=models.PROTECT, related_name="+",
        verbose_name="erhvervshus",
    )
    virksomhed = models.ForeignKey(
        Virksomhed, on_delete=models.PROTECT, related_name="ai_tjek", verbose_name="virksomhed"
    )
    dato = models.DateField("dato", validators=[valider_registreringsdato])
    henvist_af_lokal_erhvervsservice = models.BooleanField(
        "henvist af lokal erhvervsservice", default=False
    )
    history = Historik()

    class Meta:
        verbose_name = "AI-tjek"
        verbose_name_plural = "AI-tjek"
        ordering = ["-dato", "-id"]
        indexes = [models.Index(fields=["dato"], name="aitjek_dato_idx")]

    def __str__(self):
        return f"AI-tjek {self.ekstern_id}"


class Aktivitet(Sporbar):
    class Type(models.TextChoices):
        FAELLES_AKTIVITET = "faelles_aktivitet", "Fælles aktivitet med lokal erhvervsservice"
        KLYNGEARRANGEMENT = "klyngearrangement", "Klyngearrangement"
        EVENT = "event", "Event"
        ANDET = "andet", "Andet"

    ekstern_id = models.CharField("ekstern id", max_length=50, unique=True)
    erhvervshus = models.ForeignKey(
        "maal.Erhvervshus", on_delete=models.PROTECT, related_name="+",
        verbose_name="erhvervshus",
    )
    type = models.CharField("type", max_length=20, choices=Type.choices)
    dato = models.DateField("dato", validators=[valider_registreringsdato])
    titel = models.CharField("titel", max_length=200)
    partnere = models.ManyToManyField(
        Aktoer, verbose_name="partnere", blank=True, related_name="aktiviteter"
    )
    kommuner = models.ManyToManyField(
        Kommune, verbose_name="kommuner", blank=True, related_name="aktiviteter"
    )
    fyrtaarn = models.CharField("fyrtårn", max_length=20, choices=Fyrtaarn.choices, blank=True)
    history = Historik(m2m_fields=[partnere, kommuner])

    class Meta:
        verbose_name = "aktivitet"
        verbose_name_plural = "aktiviteter"
        ordering = ["-dato", "-id"]
        indexes = [models.Index(fields=["type", "dato"], name="aktivitet_type_dato_idx")]

    def __str__(self):
        return self.titel


class Programdeltagelse(Sporbar):
    class Program(models.TextChoices):
        ATTRAKTIVE_ARBEJDSPLADSER = "attraktive_arbejdspladser", "Attraktive Arbejdspladser"
        SMV_VAEKSTPILOT = "smv_vaekstpilot", "SMV Vækstpilot"

    class Status(models.TextChoices):
        ANSOEGT = "ansoegt", "Ansøgt"
        BEVILGET = "bevilget", "Bevilget"
        AFSLAG = "afslag", "Afslag"

    erhvervshus = models.ForeignKey(
        "maal.Erhvervshus", on_delete=models.PROTECT, related_name="+",
        verbose_name="erhvervshus",
    )
    virksomhed = models.ForeignKey(
        Virksomhed,
        on_delete=models.PROTECT,
        related_name="programdeltagelser",
        verbose_name="virksomhed",
    )
    program = models.CharField("program", max_length=30, choices=Program.choices)
    status = models.CharField("status", max_length=10, choices=Status.choices)
    dato = models.DateField("dato", validators=[valider_registreringsdato])
    history = Historik()

    class Meta:
        verbose_name = "programdeltagelse"
        verbose_name_plural = "programdeltagelser"
        ordering = ["-dato", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["erhvervshus", "virksomhed", "program", "dato"],
                name="programdeltagelse_unik_hus",
                violation_error_message=(
                    "Virksomheden er allerede registreret i programmet den dato."
                ),
            )
        ]
        indexes = [
            models.Index(fields=["program", "status", "dato"], name="program_status_dato_idx")
        ]

    def __str__(self):
        return f"{self.get_program_display()}: {self.virksomhed}"


class Samarbejdsaftale(Sporbar):
    erhvervshus = models.ForeignKey(
        "maal.Erhvervshus", on_delete=models.PROTECT, related_name="+",
        verbose_name="erhvervshus",
    )
    aktoer = models.ForeignKey(
        Aktoer,
        on_delete=models.PROTECT,
        related_name="samarbejdsaftaler",
        verbose_name="klynge",
    )
    dato = models.DateField("dato", validators=[valider_registreringsdato])
    beskrivelse = models.TextField("beskrivelse", blank=True)
    history = Historik()

    class Meta:
        verbose_name = "samarbejdsaftale"
        verbose_name_plural = "samarbejdsaftaler"
        ordering = ["-dato", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["erhvervshus", "aktoer", "dato"],
                name="samarbejdsaftale_unik_hus",
                violation_error_message="Der er allerede en aftale med klyngen den dato.",
            )
        ]

    def __str__(self):
        return f"Samarbejdsaftale med {self.aktoer}"

    KUN_KLYNGE = "En samarbejdsaftale indgås med en erhvervsklynge (aktørtype klynge)."

    def clean(self):
        # The aktør as set, saved or not (the import checks a klynge its file creates).
        aktoer = self._state.fields_cache.get("aktoer")
        if aktoer is None and self.aktoer_id:
            aktoer = self.aktoer
        if aktoer is not None and aktoer.type != Aktoer.Type.KLYNGE:
            raise ValidationError({"aktoer": self.KUN_KLYNGE}, code="ikke_klynge")


class Importkoersel(models.Model):
    """One run of the upload page's import in the background (``forloeb.tasks``): a dry run, or
    the import that confirms one. The worker writes its progress here and the page reads it.

    ``fremskridt`` is a list of ``{"ark", "laest", "kontrolleret", "aktuelt"}`` in the order the
    sheets were met (``aktuelt``: the sheet the importer is at); ``resultat`` the import's answer
    as JSON (``forloeb.tasks.resultat_til_json``).
    ``token`` names the uploaded file waiting in ``settings.IMPORT_TMP_DIR``; no path is kept.
    """

    class Status(models.TextChoices):
        VENTER = "venter", "Venter"
        KOERER = "koerer", "Kører"
        FAERDIG = "faerdig", "Færdig"
        FEJLET = "fejlet", "Fejlet"

    bruger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="importkoersler",
        verbose_name="bruger",
    )
    erhvervshus = models.ForeignKey(
        "maal.Erhvervshus", on_delete=models.CASCADE, related_name="+", null=True, blank=True,
        verbose_name="erhvervshus",
        help_text="Det hus importen er for; tomt: brugerens eneste hus, når kørslen starter.",
    )
    filnavn = models.CharField("filnavn", max_length=255)
    token = models.CharField("fil", max_length=64)
    ark = models.CharField("ark (CSV-fil)", max_length=50, blank=True)
    aarsag = models.CharField("årsag", max_length=200, blank=True)
    dry_run = models.BooleanField("prøvekørsel", default=True)
    proevekoersel = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="importen",
        verbose_name="prøvekørsel",
    )
    status = models.CharField("status", max_length=10, choices=Status.choices,
                              default=Status.VENTER)
    fremskridt = models.JSONField("fremskridt", default=list, blank=True)
    resultat = models.JSONField("resultat", null=True, blank=True)
    fejlbesked = models.TextField("fejlbesked", blank=True)
    oprettet = models.DateTimeField("oprettet", auto_now_add=True)
    startet = models.DateTimeField("startet", null=True, blank=True)
    afsluttet = models.DateTimeField("afsluttet", null=True, blank=True)

    class Meta:
        verbose_name = "importkørsel"
        verbose_name_plural = "importkørsler"
        ordering = ["-id"]
        indexes = [models.Index(fields=["status"], name="importkoersel_status_idx")]

    def __str__(self):
        art = "Prøvekørsel" if self.dry_run else "Import"
        return f"{art} af {self.filnavn}"
