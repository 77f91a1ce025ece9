"""The contract as data: erhvervshus, resultatkontrakt, mål, indikatorer, entered values
(målinger), milestone statuses and the per-contract by/land classification.

An indicator says *what* to count through its kind (``art``) and its ``parametre``;
``rapporter`` turns that into figures. Another year's or another house's contract is set up in
the admin without code.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from forloeb.historik import Historik
from forloeb.models import Kommune, Region
from forloeb.validators import FOERSTE_AAR

from .parametre import valider_parametre


class Erhvervshus(models.Model):
    navn = models.CharField("navn", max_length=100, unique=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="erhvervshuse",
        help_text="Regionen huset dækker; by/land og lokale operatører opgøres i den.",
    )
    kommuner = models.ManyToManyField(
        Kommune, blank=True, related_name="erhvervshuse", verbose_name="kommuner",
        help_text="De kommuner, huset betjener (Region Syddanmark deles mellem Fyn og "
        "Sydjylland); fra maal/data/erhvervshuse.csv.",
    )
    history = Historik()

    class Meta:
        verbose_name = "erhvervshus"
        verbose_name_plural = "erhvervshuse"
        ordering = ["navn"]

    def __str__(self):
        return self.navn


class Medlemskab(models.Model):
    """A user's membership of an erhvervshus: they see, register, import and report that house's
    records only (``forloeb.adgang.brugerens_huse``). A user may belong to several houses; a
    superuser sees every house whatever their memberships."""

    bruger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="medlemskaber",
        verbose_name="bruger",
    )
    erhvervshus = models.ForeignKey(
        Erhvervshus, on_delete=models.CASCADE, related_name="medlemskaber",
        verbose_name="erhvervshus",
    )

    class Meta:
        verbose_name = "medlemskab af erhvervshus"
        verbose_name_plural = "medlemskaber af erhvervshuse"
        ordering = ["erhvervshus__navn"]
        constraints = [
            models.UniqueConstraint(fields=["bruger", "erhvervshus"], name="medlemskab_unik",
                                    violation_error_message="Brugeren er allerede medlem af "
                                                            "huset.")
        ]

    def __str__(self):
        return f"{self.bruger} i {self.erhvervshus}"


class Resultatkontrakt(models.Model):
    erhvervshus = models.ForeignKey(
        Erhvervshus, on_delete=models.PROTECT, related_name="kontrakter"
    )
    aar = models.PositiveSmallIntegerField("år")
    modpart = models.CharField("modpart", max_length=100, help_text="F.eks. KKR Sjælland.")
    indledning = models.TextField("indledning", blank=True)
    by_land_kilde = models.CharField(
        "by/land-klassifikation",
        max_length=300,
        default="Standard: Danmarks Statistiks kommunegruppe 5 (Landkommuner) = land, "
        "alle andre = by. KL's liste er endnu ikke indtastet.",
        help_text="Hvor klassifikationen af by- og landkommuner kommer fra; vises på mål 8.",
    )
    by_land_er_standard = models.BooleanField(
        "by/land er standardklassifikationen",
        default=True,
        help_text="Fjern fluebenet, når KL's egen liste er indtastet.",
    )
    history = Historik()

    class Meta:
        verbose_name = "resultatkontrakt"
        verbose_name_plural = "resultatkontrakter"
        ordering = ["-aar", "erhvervshus__navn"]
        constraints = [
            models.UniqueConstraint(fields=["erhvervshus", "aar"], name="kontrakt_unik_hus_aar")
        ]
        permissions = [
            ("se_status", "Kan se status og rapporter"),
            ("godkend_rapport", "Kan godkende og låse halvårsrapporter"),
            ("se_datakvalitet", "Kan se datakvalitet (administratorer og KKR-læsere)"),
            ("se_national", "Kan se det nationale overblik over erhvervshusene"),
        ]

    def __str__(self):
        return f"{self.erhvervshus} {self.aar} ({self.modpart})"


class Maal(models.Model):
    class Niveau(models.TextChoices):
        NATIONAL = "national", "Nationalt mål"
        LOKAL = "lokal", "Lokalt mål"

    kontrakt = models.ForeignKey(
        Resultatkontrakt, on_delete=models.CASCADE, related_name="maal", verbose_name="kontrakt"
    )
    nummer = models.PositiveSmallIntegerField("nummer")
    titel = models.CharField("titel", max_length=200)
    niveau = models.CharField("niveau", max_length=10, choices=Niveau.choices)
    beskrivelse = models.TextField("baggrund", blank=True)
    maal_tekst = models.TextField("mål (kontraktens tekst)")
    metode_tekst = models.TextField("metode (kontraktens tekst)", blank=True)
    history = Historik()

    class Meta:
        verbose_name = "mål"
        verbose_name_plural = "mål"
        ordering = ["kontrakt", "nummer"]
        constraints = [
            models.UniqueConstraint(fields=["kontrakt", "nummer"], name="maal_unik_nummer")
        ]

    def __str__(self):
        return f"Mål {self.nummer}: {self.titel}"


class Indikator(models.Model):
    class Art(models.TextChoices):
        ANTAL = "antal", "Antal"
        ANDEL = "andel", "Andel"
        FORDELING = "fordeling", "Fordeling"
        DAEKNING = "daekning", "Dækning"
        FORHOLD = "forhold", "Forhold"
        MAALING = "maaling", "Måling"
        MILEPAEL = "milepael", "Milepæl"

    class Retning(models.TextChoices):
        MINDST = "gte", "mindst (≥)"
        OVER = "gt", "over (>)"
        HOEJST = "lte", "højst (≤)"

    class Enhed(models.TextChoices):
        ANTAL = "antal", "antal"
        PROCENT = "procent", "%"
        POINT = "point", "point"
        PROCENTPOINT = "procentpoint", "procentpoint"
        FAKTOR = "faktor", "faktor"
        STATUS = "status", "status"

    maal = models.ForeignKey(
        Maal, on_delete=models.CASCADE, related_name="indikatorer", verbose_name="mål"
    )
    noegle = models.CharField(
        "nøgle", max_length=60, help_text="Stabil nøgle, f.eks. M7.korte; bruges i import og JSON."
    )
    titel = models.CharField("titel", max_length=300)
    art = models.CharField("art", max_length=10, choices=Art.choices)
    maalvaerdi = models.DecimalField(
        "målværdi", max_digits=14, decimal_places=2, null=True, blank=True,
        help_text="Tom: indikatoren vises uden måltal.",
    )
    retning = models.CharField("retning", max_length=3, choices=Retning.choices, default="gte")
    enhed = models.CharField("enhed", max_length=15, choices=Enhed.choices, default="antal")
    datakilde = models.CharField("datakilde", max_length=200, blank=True)
    regel = models.TextField(
        "tælleregel", blank=True, help_text="Hvordan tallet opgøres, i klart dansk."
    )
    parametre = models.JSONField(
        "parametre",
        default=dict,
        blank=True,
        help_text="Hvad der tælles; se README under »Indicators' parameters«.",
    )
    raekkefoelge = models.PositiveSmallIntegerField("rækkefølge", default=0)
    history = Historik()

    class Meta:
        verbose_name = "indikator"
        verbose_name_plural = "indikatorer"
        ordering = ["maal__nummer", "raekkefoelge", "id"]
        constraints = [
            models.UniqueConstraint(fields=["maal", "noegle"], name="indikator_unik_noegle")
        ]

    def __str__(self):
        return f"{self.noegle}: {self.titel}"

    def clean(self):
        errors = valider_parametre(self.art, self.parametre or {})
        if errors:
            raise ValidationError({"parametre": errors})
        if self.maal_id:
            dubletter = Indikator.objects.filter(
                maal__kontrakt_id=self.maal.kontrakt_id, noegle=self.noegle
            ).exclude(pk=self.pk)
            if dubletter.exists():
                raise ValidationError({"noegle": "Nøglen findes allerede i denne kontrakt."})


class Maaling(models.Model):
    """A value measured outside the house (ERST, DST, Erhvervshus Hovedstaden, the finance
    system), entered with its source. The latest dated on or before a period's end counts."""

    erhvervshus = models.ForeignKey(Erhvervshus, on_delete=models.PROTECT, related_name="maalinger")
    noegle = models.CharField("nøgle", max_length=60)
    aar = models.PositiveSmallIntegerField("år")
    vaerdi = models.DecimalField("værdi", max_digits=16, decimal_places=2)
    dato = models.DateField("dato")
    kilde = models.CharField("kilde", max_length=300)
    kommentar = models.TextField("kommentar", blank=True)
    indtastet = models.DateTimeField("indtastet", auto_now_add=True)
    indtastet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="indtastet af",
    )
    history = Historik()

    class Meta:
        verbose_name = "måling"
        verbose_name_plural = "målinger"
        ordering = ["noegle", "-dato", "-id"]
        indexes = [
            models.Index(fields=["erhvervshus", "aar", "noegle", "dato"], name="maaling_opslag_idx")
        ]

    def __str__(self):
        return f"{self.noegle} {self.aar}: {self.vaerdi}"

    def clean(self):
        """The rule for a måling, once, for the form, the service and the import: a year from
        2015 on, with or without a contract for it (earlier years are shown for comparison); a
        key the house measures (in that year's contract, or in any of its contracts for a year
        without one); dated on or after 1 January of its year and not after today, possibly
        after the year (a final figure, KONTRAKT-2025.md)."""
        fejl = {}
        if self.aar is not None and self.aar < FOERSTE_AAR:
            fejl["aar"] = f"Målinger tages fra {FOERSTE_AAR}; {self.aar} ligger før."
        elif self.aar and self.dato:
            if self.dato < date(self.aar, 1, 1):
                fejl["dato"] = (f"Datoen skal ligge i kontraktåret {self.aar}; ellers tæller den "
                                "ikke med.")
            elif self.dato > timezone.localdate():
                fejl["dato"] = (
                    f"En måling dateret efter kontraktåret {self.aar} er et endeligt tal for "
                    "året; den kan ikke dateres i fremtiden." if self.dato.year > self.aar else
                    "En måling kan ikke dateres i fremtiden: datoen er den dag, tallet er opgjort."
                )
        if self.erhvervshus_id and self.aar and self.noegle and "aar" not in fejl:
            kendte = maalbare_noegler(self.erhvervshus_id, self.aar) or maalbare_noegler(
                self.erhvervshus_id, None)
            if not kendte:
                fejl["aar"] = f"{self.erhvervshus} har endnu ingen resultatkontrakt."
            elif self.noegle not in kendte:
                fejl["noegle"] = (f"'{self.noegle[:100]}' er ikke en målt størrelse i kontrakten "
                                  f"for {self.aar} (kendte: {', '.join(sorted(kendte))}).")
        if fejl:
            raise ValidationError(fejl)


def maalbare_noegler(erhvervshus_id: int, aar: int | None) -> set[str]:
    """The keys a måling may carry for a house and year (``None``: any of its years): its
    maaling indicators and the two figures behind each forhold indicator."""
    indikatorer = Indikator.objects.filter(
        maal__kontrakt__erhvervshus_id=erhvervshus_id,
        art__in=[Indikator.Art.MAALING, Indikator.Art.FORHOLD],
    ).values_list("art", "noegle", "parametre")
    if aar is not None:
        indikatorer = indikatorer.filter(maal__kontrakt__aar=aar)
    noegler = set()
    for art, noegle, parametre in indikatorer:
        if art == Indikator.Art.MAALING:
            noegler.add(noegle)
        else:
            noegler.update(v for k, v in (parametre or {}).items() if k in ("taeller", "naevner"))
    return noegler


class MilepaelStatus(models.Model):
    """A milestone's status with its dated narrative; earlier ones stay as history.

    During the year the latest dated on or before a period's end counts. A finished year counts
    only the administrator's final assessment (``endelig``): ``opfyldt`` or ``ikke_opfyldt``,
    dated from 31 December of the contract year up to today; until then the milepæl is
    ``afventer`` (KONTRAKT-2025.md, Status; the rule is ``rapporter.beregning``'s).
    ``ikke_opfyldt`` is only given as a final assessment."""

    class Status(models.TextChoices):
        IKKE_STARTET = "ikke_startet", "Ikke startet"
        I_GANG = "i_gang", "I gang"
        OPFYLDT = "opfyldt", "Opfyldt"
        IKKE_OPFYLDT = "ikke_opfyldt", "Ikke opfyldt"

    ENDELIGE = (Status.OPFYLDT, Status.IKKE_OPFYLDT)

    indikator = models.ForeignKey(
        Indikator, on_delete=models.CASCADE, related_name="milepaelstatusser"
    )
    status = models.CharField("status", max_length=15, choices=Status.choices)
    endelig = models.BooleanField(
        "endelig vurdering af året", default=False,
        help_text="Administratorens endelige vurdering, når året er slut: Opfyldt eller Ikke "
        "opfyldt. Kun den tæller for det afsluttede år.",
    )
    dato = models.DateField("dato")
    fortaelling = models.TextField("beskrivelse", help_text="Hvad er sket, og hvad mangler?")
    indtastet = models.DateTimeField("indtastet", auto_now_add=True)
    indtastet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="indtastet af",
    )
    history = Historik()

    class Meta:
        verbose_name = "milepælsstatus"
        verbose_name_plural = "milepælsstatusser"
        ordering = ["indikator", "-dato", "-id"]

    def __str__(self):
        endelig = ", endelig" if self.endelig else ""
        return (f"{self.indikator.noegle}: {self.get_status_display()}{endelig} "
                f"({self.dato:%d-%m-%Y})")

    def clean(self):
        if self.indikator_id and self.indikator.art != Indikator.Art.MILEPAEL:
            raise ValidationError({"indikator": "Status kan kun sættes på en milepæl."})
        fejl = {}
        if self.endelig and self.status and self.status not in self.ENDELIGE:
            fejl["status"] = ("Den endelige vurdering af året er enten »Opfyldt« eller »Ikke "
                              "opfyldt«.")
        elif not self.endelig and self.status == self.Status.IKKE_OPFYLDT:
            fejl["status"] = ("»Ikke opfyldt« gives kun som endelig vurdering af året. Sæt "
                              "flueben i »Endelig vurdering af året«, eller vælg en anden status.")
        if self.endelig and self.dato and self.indikator_id:
            aarets_slut = date(self.indikator.maal.kontrakt.aar, 12, 31)
            if self.dato < aarets_slut:
                fejl["dato"] = (f"Den endelige vurdering af året dateres tidligst "
                                f"{aarets_slut:%d-%m-%Y}, når året er slut.")
            elif self.dato > timezone.localdate():
                fejl["dato"] = "Den endelige vurdering kan ikke dateres i fremtiden."
        if fejl:
            raise ValidationError(fejl)


class ByLand(models.Model):
    """The contract's own by/land classification of the kommuner in the house's region."""

    class Kategori(models.TextChoices):
        BY = "by", "Bykommune"
        LAND = "land", "Landkommune"

    kontrakt = models.ForeignKey(
        Resultatkontrakt, on_delete=models.CASCADE, related_name="by_land"
    )
    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, related_name="+")
    kategori = models.CharField("kategori", max_length=4, choices=Kategori.choices)
    history = Historik()

    class Meta:
        verbose_name = "by/land-klassifikation"
        verbose_name_plural = "by/land-klassifikation"
        ordering = ["kontrakt", "kommune__navn"]
        constraints = [
            models.UniqueConstraint(fields=["kontrakt", "kommune"], name="byland_unik")
        ]

    def __str__(self):
        return f"{self.kommune}: {self.get_kategori_display()}"


class Maalandel(models.Model):
    """A house's share of a national target for a year: for Mål 1 (``M1.ivaerksaettere``) its
    part of the 1,200 iværksættere a year (seed: "Fordelingen mellem Erhvervshusene følger
    befolkningstallet"). The national page holds each house's figure against it."""

    erhvervshus = models.ForeignKey(
        Erhvervshus, on_delete=models.PROTECT, related_name="maalandele",
        verbose_name="erhvervshus",
    )
    aar = models.PositiveSmallIntegerField("år")
    noegle = models.CharField(
        "nøgle", max_length=60, default="M1.ivaerksaettere",
        help_text="Indikatorens nøgle i husenes kontrakter, f.eks. M1.ivaerksaettere.",
    )
    maalvaerdi = models.DecimalField("husets andel", max_digits=14, decimal_places=2)
    kilde = models.CharField("kilde", max_length=300, blank=True)
    history = Historik()

    class Meta:
        verbose_name = "husets andel af nationalt mål"
        verbose_name_plural = "husenes andele af nationale mål"
        ordering = ["-aar", "noegle", "erhvervshus__navn"]
        constraints = [
            models.UniqueConstraint(fields=["erhvervshus", "aar", "noegle"],
                                    name="maalandel_unik",
                                    violation_error_message="Huset har allerede en andel af "
                                                            "dette mål for året.")
        ]

    def __str__(self):
        return f"{self.erhvervshus} {self.aar}: {self.noegle} {self.maalvaerdi}"
