"""Filters of the registration lists (django-filter). Each FilterSet also knows the queryset its
list starts from, with the joins its table shows, so a page costs the same few queries whether
there are ten records or ten thousand.

The period follows the contract: a forløb is *gennemført i perioden* when its slutdato lies in it,
a company is *vejledt* when one of its forløb is, and a henvisning counts with its forløb. Other
records are dated by their own dato.
"""

import django_filters as filters
from django import forms
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce

from kontrakt import dataversion

from . import adgang, selectors
from .forms import dato_widget, kommunevalg
from .models import (
    AITjek,
    Aktivitet,
    Aktoer,
    Emne,
    Forloeb,
    Henvisning,
    Kommune,
    Programdeltagelse,
    Region,
    Samarbejdsaftale,
    Virksomhed,
)

STATUS = [("igangvaerende", "Igangværende"), ("gennemfoert", "Gennemført")]
JA_NEJ = [("ja", "Ja"), ("nej", "Nej")]


def raadgivere(bruger=None):
    """Every rådgiver named on a forløb (of ``bruger``'s houses, when given), for the filters'
    choices and the form's suggestions; kept until a forløb is written (``kontrakt.dataversion``),
    so a list page does not look through every forløb for them."""
    navne = Forloeb.objects.exclude(raadgiver="").order_by("raadgiver")
    if bruger is not None:
        navne = adgang.husets(navne, bruger)
    return dataversion.raekker(navne.values_list("raadgiver", flat=True).distinct())


def dato_filter(felt, label, lookup):
    return filters.DateFilter(
        field_name=felt, lookup_expr=lookup, label=label, widget=dato_widget(),
    )


def kommune_filter(felt):
    return filters.ModelChoiceFilter(
        field_name=felt, queryset=Kommune.objects.all(), label="Kommune", empty_label="Alle"
    )


def region_filter(felt):
    return filters.ModelChoiceFilter(
        field_name=felt, queryset=Region.objects.all(), label="Region", empty_label="Alle"
    )


class PeriodeForm(forms.Form):
    """The lists' filter form. A period that ends before it starts is an error next to both
    dates, rather than a list that is quietly empty; the two dates are then left out."""

    def clean(self):
        data = super().clean()
        fra, til = data.get("fra"), data.get("til")
        if fra and til and fra > til:
            self.add_error("fra", f"Ligger efter »{self.fields['til'].label}« ({til:%d-%m-%Y}). "
                                  "Ret en af datoerne.")
            self.add_error("til", f"Ligger før »{self.fields['fra'].label}« ({fra:%d-%m-%Y}). "
                                  "Ret en af datoerne.")
        return data


class RegistreringFilter(filters.FilterSet):
    """Search, "Mine registreringer" and the period, shared by every list.

    ``soegefelter`` are the fields the search looks in (CVR, names, ids); ``periode`` is the date
    field the fra/til period applies to.
    """

    soegefelter: tuple[str, ...] = ()
    periode = "dato"

    soeg = filters.CharFilter(label="Søg", method="filtrer_soeg")
    fra = filters.DateFilter(label="Fra", method="filtrer_fra", widget=dato_widget())
    til = filters.DateFilter(label="Til", method="filtrer_til", widget=dato_widget())
    mine = filters.BooleanFilter(
        label="Mine registreringer", method="filtrer_mine", widget=forms.CheckboxInput
    )

    class Meta:
        form = PeriodeForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kommune" in self.filters:
            # Grouped by region for the eye; validation still uses the queryset.
            self.form.fields["kommune"].widget.choices = kommunevalg("Alle")
        if "raadgiver" in self.filters:  # the advisers of the user's own houses
            self.form.fields["raadgiver"].choices = [
                (n, n) for n in raadgivere(getattr(self.request, "user", None))]

    def filtrer_soeg(self, queryset, name, value):
        return queryset.filter(selectors.soeg(self.soegefelter, value))

    def filtrer_fra(self, queryset, name, value):
        return queryset.filter(**{f"{self.periode}__gte": value})

    def filtrer_til(self, queryset, name, value):
        return queryset.filter(**{f"{self.periode}__lte": value})

    def filtrer_mine(self, queryset, name, value):
        if value and self.request is not None:
            return queryset.filter(oprettet_af=self.request.user)
        return queryset

    @classmethod
    def grundlag(cls):
        """The queryset the list starts from, with what its table shows joined in."""
        return cls._meta.model.objects.all()


class ForloebFilter(RegistreringFilter):
    soegefelter = ("virksomhed__cvr", "virksomhed__navn", "ekstern_id")
    periode = "slutdato"

    fra = filters.DateFilter(label="Gennemført fra", method="filtrer_fra", widget=dato_widget())
    til = filters.DateFilter(label="Gennemført til", method="filtrer_til", widget=dato_widget())
    type = filters.ChoiceFilter(choices=Forloeb.Type.choices, label="Type", empty_label="Alle")
    status = filters.ChoiceFilter(
        choices=STATUS, label="Status", empty_label="Alle", method="filtrer_status"
    )
    kommune = kommune_filter("virksomhed__kommune")
    region = region_filter("virksomhed__kommune__region")
    raadgiver = filters.ChoiceFilter(choices=[], label="Rådgiver", empty_label="Alle")  # __init__
    emne = filters.ModelChoiceFilter(
        field_name="emner", queryset=Emne.objects.all(), label="Emne", empty_label="Alle"
    )
    fyrtaarn = filters.ChoiceFilter(
        choices=Forloeb._meta.get_field("fyrtaarn").choices, label="Fyrtårn", empty_label="Alle"
    )

    class Meta(RegistreringFilter.Meta):
        model = Forloeb
        fields = []

    def filtrer_status(self, queryset, name, value):
        return queryset.filter(slutdato__isnull=value == "igangvaerende")

    @classmethod
    def grundlag(cls):
        return (
            Forloeb.objects.select_related("virksomhed__kommune")
            .prefetch_related("emner")
            # A subquery, not a join and GROUP BY over every forløb: the database counts the
            # henvisninger of the page's rows only, and the list's count needs no join.
            .annotate(antal_henvisninger=Coalesce(Subquery(
                Henvisning.objects.filter(forloeb=OuterRef("pk")).order_by().values("forloeb")
                .annotate(n=Count("pk")).values("n")), 0))
            .order_by("-startdato", "-id")
        )


class VirksomhedFilter(RegistreringFilter):
    """Companies; the period and type pick those *vejledt* in it: with a forløb gennemført then."""

    soegefelter = ("cvr", "navn")

    fra = filters.DateFilter(label="Vejledt fra", method="filtrer_vejledt", widget=dato_widget())
    til = filters.DateFilter(label="Vejledt til", method="filtrer_vejledt", widget=dato_widget())
    type = filters.ChoiceFilter(
        choices=Forloeb.Type.choices, label="Forløbstype", empty_label="Alle",
        method="filtrer_vejledt",
    )
    kommune = kommune_filter("kommune")
    region = region_filter("kommune__region")

    class Meta(RegistreringFilter.Meta):
        model = Virksomhed
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A company is shared by the houses; the list's forløb column counts the forløb of the
        # user's houses only (adgang.husets), as the period filter does. A subquery: the database
        # counts for the page's rows only.
        forloeb = Forloeb.objects.filter(virksomhed=OuterRef("pk"))
        if self.request is not None:
            forloeb = adgang.husets(forloeb, self.request.user)
        self.queryset = self.queryset.annotate(antal_forloeb=Coalesce(Subquery(
            forloeb.order_by().values("virksomhed").annotate(n=Count("pk")).values("n")), 0))

    def filtrer_vejledt(self, queryset, name, value):
        # fra, til and type must hold for one and the same forløb, so they are applied together,
        # once, by whichever of them comes first.
        data = self.form.cleaned_data
        valgt = [n for n in ("fra", "til", "type") if data.get(n)]
        if name != valgt[0]:
            return queryset
        forloeb = Forloeb.objects.filter(virksomhed=OuterRef("pk"), slutdato__isnull=False)
        if self.request is not None:  # vejledt by the user's houses
            forloeb = adgang.husets(forloeb, self.request.user)
        if data.get("fra"):
            forloeb = forloeb.filter(slutdato__gte=data["fra"])
        if data.get("til"):
            forloeb = forloeb.filter(slutdato__lte=data["til"])
        if data.get("type"):
            forloeb = forloeb.filter(type=data["type"])
        return queryset.filter(Exists(forloeb))

    @classmethod
    def grundlag(cls):
        return (
            Virksomhed.objects.select_related("kommune__region")
            .order_by("navn", "id")
        )


class HenvisningFilter(RegistreringFilter):
    """Henvisninger count with their forløb, so the period is the forløb's slutdato."""

    soegefelter = ("aktoer__navn", "forloeb__virksomhed__cvr", "forloeb__virksomhed__navn",
                   "forloeb__ekstern_id")
    periode = "forloeb__slutdato"

    fra = filters.DateFilter(
        label="Forløb gennemført fra", method="filtrer_fra", widget=dato_widget()
    )
    til = filters.DateFilter(
        label="Forløb gennemført til", method="filtrer_til", widget=dato_widget()
    )
    type = filters.ChoiceFilter(
        field_name="aktoer__type", choices=Aktoer.Type.choices, label="Aktørtype",
        empty_label="Alle",
    )
    forloebstype = filters.ChoiceFilter(
        field_name="forloeb__type", choices=Forloeb.Type.choices, label="Forløbstype",
        empty_label="Alle",
    )
    kommune = kommune_filter("forloeb__virksomhed__kommune")
    region = region_filter("forloeb__virksomhed__kommune__region")
    raadgiver = filters.ChoiceFilter(  # choices: __init__
        field_name="forloeb__raadgiver", choices=[], label="Rådgiver", empty_label="Alle",
    )

    class Meta(RegistreringFilter.Meta):
        model = Henvisning
        fields = []

    @classmethod
    def grundlag(cls):
        return Henvisning.objects.select_related("aktoer", "forloeb__virksomhed__kommune")


class AITjekFilter(RegistreringFilter):
    soegefelter = ("virksomhed__cvr", "virksomhed__navn", "ekstern_id")

    henvist = filters.ChoiceFilter(
        choices=JA_NEJ, label="Henvist af lokal erhvervsservice", empty_label="Alle",
        method="filtrer_henvist",
    )
    kommune = kommune_filter("virksomhed__kommune")
    region = region_filter("virksomhed__kommune__region")

    class Meta(RegistreringFilter.Meta):
        model = AITjek
        fields = []

    def filtrer_henvist(self, queryset, name, value):
        return queryset.filter(henvist_af_lokal_erhvervsservice=value == "ja")

    @classmethod
    def grundlag(cls):
        return AITjek.objects.select_related("virksomhed__kommune")


class AktivitetFilter(RegistreringFilter):
    soegefelter = ("titel", "ekstern_id")

    type = filters.ChoiceFilter(choices=Aktivitet.Type.choices, label="Type", empty_label="Alle")
    kommune = kommune_filter("kommuner")
    region = filters.ModelChoiceFilter(
        queryset=Region.objects.all(), label="Region", empty_label="Alle",
        method="filtrer_region",
    )
    partner = filters.ModelChoiceFilter(
        field_name="partnere", queryset=Aktoer.objects.exclude(type=Aktoer.Type.PRIVAT),
        label="Partner", empty_label="Alle",
    )
    fyrtaarn = filters.ChoiceFilter(
        choices=Aktivitet._meta.get_field("fyrtaarn").choices, label="Fyrtårn",
        empty_label="Alle",
    )

    class Meta(RegistreringFilter.Meta):
        model = Aktivitet
        fields = []

    def filtrer_region(self, queryset, name, value):
        # An aktivitet in two kommuner of the region is listed once.
        i_regionen = Aktivitet.kommuner.through.objects.filter(
            aktivitet=OuterRef("pk"), kommune__region=value
        )
        return queryset.filter(Exists(i_regionen))

    @classmethod
    def grundlag(cls):
        return Aktivitet.objects.prefetch_related("partnere", "kommuner")


class ProgramdeltagelseFilter(RegistreringFilter):
    soegefelter = ("virksomhed__cvr", "virksomhed__navn")

    program = filters.ChoiceFilter(
        choices=Programdeltagelse.Program.choices, label="Program", empty_label="Alle"
    )
    status = filters.ChoiceFilter(
        choices=Programdeltagelse.Status.choices, label="Status", empty_label="Alle"
    )
    kommune = kommune_filter("virksomhed__kommune")
    region = region_filter("virksomhed__kommune__region")

    class Meta(RegistreringFilter.Meta):
        model = Programdeltagelse
        fields = []

    @classmethod
    def grundlag(cls):
        return Programdeltagelse.objects.select_related("virksomhed__kommune")


class SamarbejdsaftaleFilter(RegistreringFilter):
    soegefelter = ("aktoer__navn", "beskrivelse")

    klynge = filters.ModelChoiceFilter(
        field_name="aktoer", queryset=Aktoer.objects.filter(type=Aktoer.Type.KLYNGE),
        label="Klynge", empty_label="Alle",
    )

    class Meta(RegistreringFilter.Meta):
        model = Samarbejdsaftale
        fields = []

    @classmethod
    def grundlag(cls):
        return Samarbejdsaftale.objects.select_related("aktoer")
