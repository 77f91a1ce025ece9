"""The registration forms. They validate what a user typed and hand clean values to the views,
which write through ``forloeb.services``.

Model validation (CVR modulus 11, dates outside the contract years, end before start, unique
constraints) is surfaced through ``ModelForm``/``full_clean`` so every message appears next to
its field, in Danish, and the input is kept.

A registration of a forløb, an AI-tjek or a programdeltagelse is more than one form: the company
(picked by CVR or name, or created), the record itself and, for a forløb, its henvisninger. A
:class:`Formularsaet` binds them together and collects their errors for the summary at the top.
"""

from difflib import get_close_matches

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Q, When
from django.forms.boundfield import BoundField
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, strip_tags
from django.utils.text import capfirst

from . import adgang, selectors, services
from .models import (
    AITjek,
    Aktivitet,
    Aktoer,
    Emne,
    Forloeb,
    Fyrtaarn,
    Kommune,
    Programdeltagelse,
    Samarbejdsaftale,
    Virksomhed,
)
from .validators import normaliser_cvr, normaliser_navn, valider_cvr, valider_registreringsdato

DATO_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
FYRTAARN = [("", "Intet"), *Fyrtaarn.choices]
MAKS_NAVNETRAEF = 8


def dato_widget():
    return forms.DateInput(**DATO_WIDGET)


def kommunevalg(tom="Vælg kommune"):
    """Kommuner grouped by region: the house's own Region Sjælland first, then Hovedstaden (goal
    12 counts its companies), then the rest."""
    grupper: dict[str, list] = {}
    for kommune in Kommune.objects.select_related("region").order_by("region__kode", "navn"):
        grupper.setdefault(kommune.region.navn, []).append((kommune.pk, kommune.navn))
    orden = ["Region Sjælland", "Region Hovedstaden"]
    foerst = sorted(grupper, key=lambda navn: orden.index(navn) if navn in orden else len(orden))
    return [("", tom), *((navn, grupper[navn]) for navn in foerst)]


PARTNERORDEN = ["lokal", "klynge", "statslig", "anden", "privat"]


def aktoervalg(queryset):
    """Aktører grouped by type, lokal erhvervsservice first (the partners goal 10 counts)."""
    grupper: dict[str, list] = {}
    for aktoer in sorted(queryset, key=lambda a: (PARTNERORDEN.index(a.type), a.navn)):
        grupper.setdefault(aktoer.get_type_display(), []).append((aktoer.pk, aktoer.navn))
    return list(grupper.items())


class Felt(BoundField):
    """A bound field that lists its options group by group, so ``forloeb/_felt.html`` can render
    a long checkbox list (kommuner by region, aktører by type) as small labelled groups."""

    @property
    def er_grupperet(self) -> bool:
        valg = getattr(self.field.widget, "choices", None)
        return isinstance(valg, list) and any(isinstance(v, list | tuple) for _, v in valg)

    @cached_property
    def grupper(self):
        """(group, its options, open?): the first group and any with a choice made are open."""
        valg = iter(self.subwidgets)
        grupper = [(gruppe, [next(valg) for _ in indhold])
                   for gruppe, indhold in self.field.widget.choices]
        return [(gruppe, muligheder, nr == 0 or any(m.data["selected"] for m in muligheder))
                for nr, (gruppe, muligheder) in enumerate(grupper)]


class DanskFormMixin:
    """No colon after labels; fields are rendered by ``forloeb/_felt.html``."""

    label_suffix = ""
    bound_field_class = Felt


AARSAG_HJAELP = "Gemmes i historikken sammen med dit navn."


def aarsag_felt(label="Årsag til ændringen", hjaelp=AARSAG_HJAELP):
    return forms.CharField(label=label, required=False, max_length=100, help_text=hjaelp)


class AarsagMixin(forms.Form):
    """A reason for a change, kept in the history (edit forms). Optional, unless
    :func:`kraev_aarsag` marks it required for this user and record (``forloeb.adgang``)."""

    aarsag = aarsag_felt()


def kraev_aarsag(form, instans, vurdering: adgang.Vurdering, handling: str = "ret") -> None:
    """Make the form's reason required, "(påkrævet)" in its label and why in its help, when
    ``vurdering`` (``adgang.vurder``) says the change needs one. The message of an empty one is
    the services' own."""
    felt = form.fields["aarsag"]
    if not vurdering.kraever_aarsag:
        return
    felt.required = True
    felt.label = f"{felt.label} (påkrævet)"
    felt.help_text = f"{vurdering.grund} {AARSAG_HJAELP}".strip()
    felt.error_messages["required"] = adgang.aarsag_mangler(instans, vurdering, handling)


def tilbyd_hus(form, bruger) -> None:
    """A create form's house: a choice among the user's houses when they belong to several
    (field ``erhvervshus``), else their only house (``form.erhvervshus``; None for a user of no
    house, whom the views refuse)."""
    huse = list(adgang.brugerens_huse(bruger))
    form.erhvervshus = huse[0] if len(huse) == 1 else None
    if len(huse) > 1:
        felt = forms.ModelChoiceField(
            queryset=adgang.brugerens_huse(bruger), label="Erhvervshus", empty_label="Vælg hus",
            help_text="Det erhvervshus registreringen hører til.",
            error_messages={"required": "Vælg det erhvervshus, registreringen hører til.",
                            "invalid_choice": "Vælg et af dine erhvervshuse."},
        )
        form.fields = {"erhvervshus": felt, **form.fields}


def formens_hus(form):
    """The house a form's record is for: the chosen one, the user's only one, or the record's
    own (an edit form)."""
    data = getattr(form, "cleaned_data", None) or {}
    if data.get("erhvervshus") is not None:
        return data["erhvervshus"]
    if getattr(form, "erhvervshus", None) is not None:
        return form.erhvervshus
    instans = getattr(form, "instance", None)
    return instans.erhvervshus if instans is not None and instans.erhvervshus_id else None


def tilbyd_aarsag(form, laaste_perioder) -> None:
    """A create form's reason, for an administrator while some period is approved: a record
    dated in it needs one (the services say so next to this field if it is left empty)."""
    if not laaste_perioder:
        return
    perioder = "; ".join(p.grund for p in laaste_perioder)
    form.fields["aarsag"] = aarsag_felt(
        "Årsag", f"Påkrævet, hvis registreringen ligger i en godkendt periode ({perioder}). "
        + AARSAG_HJAELP,
    )


class VirksomhedValgForm(DanskFormMixin, forms.Form):
    """The company of a registration: found by CVR or name, or created from its CVR.

    After validation ``virksomhed`` is the existing company, or ``ny_virksomhed`` holds the
    keyword arguments for ``services.virksomhed_create``.
    """

    soeg = forms.CharField(
        label="Virksomhed",
        max_length=200,
        help_text="Skriv CVR-nummer eller navn. Findes CVR-nummeret ikke, oprettes virksomheden.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Angiv virksomhedens CVR-nummer eller navn."},
    )
    navn = forms.CharField(label="Navn", max_length=200, required=False)
    kommune = forms.ModelChoiceField(
        label="Kommune (hovedsæde)", queryset=Kommune.objects.all(), required=False
    )
    stiftelsesdato = forms.DateField(label="Stiftelsesdato", required=False, widget=dato_widget())

    def __init__(self, *args, virksomhed=None, **kwargs):
        if virksomhed is not None:
            kwargs["initial"] = {**(kwargs.get("initial") or {}), "soeg": virksomhed.cvr}
        super().__init__(*args, **kwargs)
        self.fields["kommune"].choices = kommunevalg()
        for navn in ("navn", "kommune", "stiftelsesdato"):
            self.fields[navn].betinget = True  # required for a new company only
        self.virksomhed = virksomhed if not self.is_bound else None
        self.ny_virksomhed = None

    def clean(self):
        data = super().clean()
        soeg = (data.get("soeg") or "").strip()
        if not soeg:
            return data
        cvr = normaliser_cvr(soeg)
        if not cvr.isdigit():
            self.virksomhed = self._find_paa_navn(soeg)
            return data
        try:
            valider_cvr(cvr)
        except ValidationError as fejl:
            self.add_error("soeg", fejl)
            return data
        self.virksomhed = Virksomhed.objects.select_related("kommune").filter(cvr=cvr).first()
        if self.virksomhed is None:
            self._ny(cvr, data)
        return data

    def _find_paa_navn(self, soeg):
        traef = selectors.virksomheder_med_navn(soeg, antal=MAKS_NAVNETRAEF + 1)
        if len(traef) == 1:
            return traef[0]
        if not traef:
            self.add_error(
                "soeg",
                f"Ingen virksomhed hedder »{soeg}«. Skriv CVR-nummeret for at oprette den.",
            )
        else:
            navne = "; ".join(f"{v.navn} ({v.cvr})" for v in traef[:MAKS_NAVNETRAEF])
            flere = " m.fl." if len(traef) > MAKS_NAVNETRAEF else ""
            self.add_error(
                "soeg",
                f"Flere virksomheder passer på »{soeg}«: {navne}{flere}. Skriv CVR-nummeret.",
            )
        return None

    def _ny(self, cvr, data):
        mangler = {
            "navn": "Skriv navnet på den nye virksomhed.",
            "kommune": "Vælg den nye virksomheds kommune (hovedsæde).",
            "stiftelsesdato": "Angiv den nye virksomheds stiftelsesdato.",
        }
        for felt, besked in mangler.items():
            if not data.get(felt) and felt not in self.errors:
                self.add_error(felt, besked)
        ny = Virksomhed(
            cvr=cvr, navn=(data.get("navn") or "").strip(), kommune=data.get("kommune"),
            stiftelsesdato=data.get("stiftelsesdato"),
        )
        try:
            ny.full_clean(exclude=[f for f in ("navn", "kommune", "stiftelsesdato")
                                   if f in self.errors])
        except ValidationError as fejl:
            for felt, beskeder in fejl.message_dict.items():
                felt = "soeg" if felt == "cvr" else felt
                for besked in beskeder:
                    self.add_error(felt if felt in self.fields else None, besked)
        if not self.errors:
            self.ny_virksomhed = {
                "cvr": cvr, "navn": ny.navn, "kommune": ny.kommune,
                "stiftelsesdato": ny.stiftelsesdato,
            }

    @property
    def er_ny(self) -> bool:
        """A new company is being entered: the fields below the CVR are needed and shown."""
        felter = ("navn", "kommune", "stiftelsesdato")
        return self.ny_virksomhed is not None or self.is_bound and any(
            self.data.get(self.add_prefix(f)) or self.errors.get(f) for f in felter
        )


class EscrmIdMixin:
    """``ekstern_id`` as "ESCRM-id": the id a later workbook import matches the record on.
    Optional; empty keeps the id the record has, or gives a new record the id generated when
    its form was shown.

    That id travels in the hidden field ``indsendelse``: a second submit of the same form (a
    double click, a resent POST) carries the same id, so the unique ``ekstern_id`` lets it be
    saved once and ``forloeb.views`` answers the second with the record already saved."""

    escrm_praefiks = ""  # of a generated id: services.ny_ekstern_id

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["indsendelse"] = forms.CharField(
                required=False, widget=forms.HiddenInput,
                initial=services.ny_ekstern_id(self.escrm_praefiks),
            )
        felt = self.fields["ekstern_id"]
        felt.required = False
        felt.label = "ESCRM-id"
        felt.help_text = (f"{self.escrm_ejer} id i ESCRM, så en senere import genkender det. "
                          "Tomt: appen giver det et id.")
        felt.error_messages["unique"] = (
            f"{capfirst(self.escrm_ental)} med dette ESCRM-id er allerede registreret.")

    def clean_ekstern_id(self):
        return (self.cleaned_data["ekstern_id"].strip() or self.instance.ekstern_id
                or self.indsendelse_id)

    @property
    def indsendelse_id(self) -> str:
        """The generated id this form was shown with, as sent back; "" when there is none (an
        edit, or anything but an id of this kind: the service then makes one)."""
        if self.instance.pk is not None or not self.is_bound:
            return ""
        sendt = str(self.data.get(self.add_prefix("indsendelse"), ""))
        return sendt if services.er_ekstern_id(sendt, self.escrm_praefiks) else ""


class ForloebForm(EscrmIdMixin, DanskFormMixin, forms.ModelForm):
    escrm_ejer, escrm_ental, escrm_praefiks = "Forløbets", "et forløb", "F"

    gem_alligevel = forms.BooleanField(
        label="Gem alligevel – det er ikke en dublet", required=False
    )

    class Meta:
        model = Forloeb
        fields = ["type", "startdato", "slutdato", "raadgiver", "emner", "fyrtaarn", "ekstern_id"]
        widgets = {
            "type": forms.RadioSelect,
            "startdato": dato_widget(),
            "slutdato": dato_widget(),
            "raadgiver": forms.TextInput(attrs={"list": "raadgivere", "autocomplete": "off"}),
            "emner": forms.CheckboxSelectMultiple,
            "fyrtaarn": forms.RadioSelect,
        }
        help_texts = {
            "type": "Handlingsplan: driftssegmentet. Vækst- og omstillingsplan: vækstsegmentet.",
            "slutdato": "Tom, mens forløbet er igangværende.",
        }
        error_messages = {
            "type": {"required": "Vælg forløbstypen."},
            "startdato": {"required": "Angiv startdatoen.", "invalid": "Skriv en gyldig dato."},
            "slutdato": {"invalid": "Skriv en gyldig dato."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [(v, t.split(" (")[0]) for v, t in Forloeb.Type.choices]
        self.fields["fyrtaarn"].choices = FYRTAARN
        self.fields["emner"].queryset = Emne.objects.order_by(
            Case(When(kode="andet", then=1), default=0), "navn"
        )
        # A forløb counts as gennemført from its slutdato, so the date picker stops at today.
        self.fields["slutdato"].widget.attrs["max"] = timezone.localdate().isoformat()


class ForloebRetForm(AarsagMixin, ForloebForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Removing a henvisning deletes it, and every delete needs a reason.
        self.fields["aarsag"].help_text = f"Påkrævet, når du sletter en henvisning. {AARSAG_HJAELP}"


class HenvisningForm(DanskFormMixin, forms.Form):
    """One henvisning of a forløb. An unknown aktør is created as a private adviser, but only when
    the user says so, so that a typo does not become a new aktør."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    aktoer = forms.CharField(
        label="Aktør",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"list": "aktoerer", "autocomplete": "off"}),
    )
    dato = forms.DateField(
        label="Dato", required=False, widget=dato_widget(),
        validators=[valider_registreringsdato],
        error_messages={"invalid": "Skriv en gyldig dato."},
    )
    ny_privat = forms.BooleanField(label="Ny privat rådgiver", required=False)

    def __init__(self, *args, aktoerer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.aktoerer = aktoerer if aktoerer is not None else {}

    def clean(self):
        data = super().clean()
        # A name as Aktoer keeps it (one space, any case): "Væksthus  nord" is Væksthus Nord.
        navn = normaliser_navn(data.get("aktoer"))
        data["aktoer"] = None
        data["ny_aktoer"] = ""
        if not navn:
            self.add_error("aktoer", "Angiv den aktør, virksomheden er henvist til.")
        elif navn.casefold() in self.aktoerer:
            data["aktoer"] = self.aktoerer[navn.casefold()]
        elif data.get("ny_privat"):
            data["ny_aktoer"] = navn
        else:
            forslag = [k for k in self.aktoerer if k.startswith(navn.casefold())] or (
                get_close_matches(navn.casefold(), list(self.aktoerer), n=1, cutoff=0.8)
            )
            mente = f" Mente du »{self.aktoerer[forslag[0]].navn}«?" if forslag else ""
            self.add_error(
                "aktoer",
                f"»{navn}« er ikke en kendt aktør.{mente} Vælg en fra listen, eller sæt kryds "
                "i »Ny privat rådgiver« for at oprette den.",
            )
        return data


class BaseHenvisningFormSet(forms.BaseFormSet):
    """Henvisninger of one forløb; the aktører are read once for all rows."""

    @cached_property
    def aktoerer(self) -> dict:
        return {a.navn.casefold(): a for a in Aktoer.objects.all()}

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "aktoerer": self.aktoerer}

    def clean(self):
        sete = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            data = form.cleaned_data
            noegle = (data.get("aktoer") or data.get("ny_aktoer"), data.get("dato"))
            if noegle[0] and noegle in sete:
                raise ValidationError("Den samme henvisning (aktør og dato) står to gange.")
            sete.add(noegle)

    def henvisninger(self, startdato):
        """(id or None, aktør or None, new adviser name, date) of every row kept; an empty date
        is the forløb's start date."""
        return [
            (f.cleaned_data.get("id"), f.cleaned_data["aktoer"], f.cleaned_data["ny_aktoer"],
             f.cleaned_data.get("dato") or startdato)
            for f in self.forms
            if f.has_changed() and not self._should_delete_form(f) and f.cleaned_data
        ]

    def slettede_id(self):
        return [
            f.cleaned_data["id"] for f in self.forms
            if self._should_delete_form(f) and f.cleaned_data.get("id")
        ]


HenvisningFormSet = forms.formset_factory(
    HenvisningForm, formset=BaseHenvisningFormSet, extra=1, can_delete=True
)


class VirksomhedForm(DanskFormMixin, forms.ModelForm):
    # Wider than the 8 digits so "DK 1234 5678" is accepted and compacted before validation.
    cvr = forms.CharField(
        label="CVR-nummer", max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": "Angiv CVR-nummeret.",
                        "unique": "Der er allerede en virksomhed med det CVR-nummer."},
    )

    class Meta:
        model = Virksomhed
        fields = ["cvr", "navn", "kommune", "stiftelsesdato"]
        widgets = {"stiftelsesdato": dato_widget()}
        error_messages = {
            "kommune": {"required": "Vælg virksomhedens kommune (hovedsæde)."},
            "stiftelsesdato": {"required": "Angiv stiftelsesdatoen."},
            "navn": {"required": "Skriv virksomhedens navn."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommune"].choices = kommunevalg()

    def clean_cvr(self):
        return normaliser_cvr(self.cleaned_data["cvr"])

    def clean(self):
        data = super().clean()
        if data.get("cvr") and self.instance.pk is None:
            self.dublet = Virksomhed.objects.filter(cvr=data["cvr"]).first()
        return data


class VirksomhedRetForm(AarsagMixin, VirksomhedForm):
    pass


class AITjekForm(EscrmIdMixin, DanskFormMixin, forms.ModelForm):
    escrm_ejer, escrm_ental, escrm_praefiks = "AI-tjekkets", "et AI-tjek", "AI"

    class Meta:
        model = AITjek
        fields = ["dato", "henvist_af_lokal_erhvervsservice", "ekstern_id"]
        widgets = {"dato": dato_widget()}
        error_messages = {"dato": {"required": "Angiv datoen for AI-tjekket."}}


class AITjekRetForm(AarsagMixin, AITjekForm):
    pass


class AktivitetForm(EscrmIdMixin, DanskFormMixin, forms.ModelForm):
    escrm_ejer, escrm_ental, escrm_praefiks = "Aktivitetens", "en aktivitet", "A"

    class Meta:
        model = Aktivitet
        fields = ["type", "titel", "dato", "partnere", "kommuner", "fyrtaarn", "ekstern_id"]
        widgets = {
            "type": forms.RadioSelect,
            "dato": dato_widget(),
            "partnere": forms.CheckboxSelectMultiple,
            "kommuner": forms.CheckboxSelectMultiple,
            "fyrtaarn": forms.RadioSelect,
        }
        error_messages = {
            "type": {"required": "Vælg aktivitetens type."},
            "titel": {"required": "Giv aktiviteten en titel."},
            "dato": {"required": "Angiv datoen."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = Aktivitet.Type.choices
        self.fields["fyrtaarn"].choices = FYRTAARN
        # Private advisers are many and seldom partners: only those already chosen are listed.
        valgte = self.instance.partnere.all() if self.instance.pk else Aktoer.objects.none()
        partnere = Aktoer.objects.filter(~Q(type=Aktoer.Type.PRIVAT) | Q(pk__in=valgte))
        self.fields["partnere"].queryset = partnere
        self.fields["partnere"].choices = aktoervalg(self.fields["partnere"].queryset)
        self.fields["kommuner"].choices = kommunevalg()[1:]


class AktivitetRetForm(AarsagMixin, AktivitetForm):
    pass


def constraint_besked(model, navn: str) -> str:
    """The constraint's own text, so the form says what the service and the import say."""
    return next(str(c.violation_error_message) for c in model._meta.constraints
                if c.name == navn)


def dublet_fejl(besked: str, url: str, hvad: str):
    """A unique-constraint error with a link to the record already registered. The forms of the
    kinds with such a key (virksomhed, programdeltagelse, samarbejdsaftale) keep that record as
    ``dublet``: when everything else sent is the same, it is the form's own earlier submit, and
    ``forloeb.views`` answers it as already saved."""
    return format_html('{} <a href="{}">Åbn {}</a>.', besked, url, hvad)


class ProgramdeltagelseForm(DanskFormMixin, forms.ModelForm):
    # The company picked on the same form, set by Formularsaet before validation (None while it
    # is new or not yet valid): with it, a double registration is refused next to the date.
    virksomhed = None

    class Meta:
        model = Programdeltagelse
        fields = ["program", "status", "dato"]
        widgets = {
            "program": forms.RadioSelect, "status": forms.RadioSelect, "dato": dato_widget(),
        }
        error_messages = {
            "program": {"required": "Vælg programmet."},
            "status": {"required": "Vælg status."},
            "dato": {"required": "Angiv datoen."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = Programdeltagelse.Program.choices
        self.fields["status"].choices = Programdeltagelse.Status.choices

    def clean(self):
        data = super().clean()
        if self.virksomhed is not None and data.get("program") and data.get("dato"):
            dublet = selectors.programdeltagelse_dublet(
                virksomhed=self.virksomhed, program=data["program"], dato=data["dato"],
                undtagen_pk=self.instance.pk, erhvervshus=formens_hus(self),
            )
            self.dublet = dublet
            if dublet is not None:
                self.add_error("dato", dublet_fejl(
                    constraint_besked(Programdeltagelse, "programdeltagelse_unik_hus"),
                    reverse("forloeb:programdeltagelse_ret", args=[dublet.pk]),
                    "den registrerede programdeltagelse",
                ))
        return data


class ProgramdeltagelseRetForm(AarsagMixin, ProgramdeltagelseForm):
    pass


class SamarbejdsaftaleForm(DanskFormMixin, forms.ModelForm):
    class Meta:
        model = Samarbejdsaftale
        fields = ["aktoer", "dato", "beskrivelse"]
        widgets = {"dato": dato_widget(), "beskrivelse": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "aktoer": {"required": "Vælg klyngen.",
                       "invalid_choice": Samarbejdsaftale.KUN_KLYNGE},
            "dato": {"required": "Angiv datoen for aftalen."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aktoer"].queryset = Aktoer.objects.filter(type=Aktoer.Type.KLYNGE)
        self.fields["aktoer"].empty_label = "Vælg klynge"

    def clean(self):
        data = super().clean()
        if data.get("aktoer") and data.get("dato"):
            dublet = selectors.samarbejdsaftale_dublet(
                aktoer=data["aktoer"], dato=data["dato"], undtagen_pk=self.instance.pk,
                erhvervshus=formens_hus(self),
            )
            self.dublet = dublet
            if dublet is not None:
                self.add_error("dato", dublet_fejl(
                    constraint_besked(Samarbejdsaftale, "samarbejdsaftale_unik_hus"),
                    reverse("forloeb:samarbejdsaftale_ret", args=[dublet.pk]),
                    "den registrerede aftale",
                ))
        return data


class SamarbejdsaftaleRetForm(AarsagMixin, SamarbejdsaftaleForm):
    pass


class SletForm(DanskFormMixin, AarsagMixin):
    """A delete always needs a reason (``forloeb.adgang``)."""

    def __init__(self, *args, instans, vurdering: adgang.Vurdering, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aarsag"].label = "Årsag til sletningen"
        kraev_aarsag(self, instans, vurdering, "slet")


class Formularsaet:
    """The forms of one registration, validated together and reported in one error summary.

    ``valg`` picks the company (or is None for records without one); ``form`` is the record's
    own form, validated after ``valg`` and told the company found there as ``form.virksomhed``.
    """

    def __init__(self, form, valg=None):
        self.form = form
        self.valg = valg
        self.optaget = False  # the save found the database busy (kontrakt.db): answered 503

    def alle(self):
        return [f for f in (self.valg, self.form) if f is not None]

    def skrivebeskyt(self) -> None:
        """Show the record read-only: every field disabled (a record the user may not change),
        and no reason to give."""
        self.form.fields.pop("aarsag", None)
        for form in self.alle():
            for felt in form.fields.values():
                felt.disabled = True

    def is_valid(self) -> bool:
        if self.valg is not None and self.valg.is_valid():
            self.form.virksomhed = self.valg.virksomhed
        return all([f.is_valid() for f in self.alle()])

    @property
    def is_bound(self) -> bool:
        return self.form.is_bound

    def fejl(self):
        """(anchor, label, message) of every error, for the summary that links to the fields."""
        return [fejl for f in self.alle() for fejl in formfejl(f)]

    # About the save, not fields of the record (the form's generated id is in ekstern_id).
    IKKE_FELTER = ("aarsag", "gem_alligevel", "indsendelse")

    def felter(self) -> dict:
        """The record's own cleaned fields, as keyword arguments for its service."""
        return {k: v for k, v in self.form.cleaned_data.items() if k not in self.IKKE_FELTER}

    def magen_til(self, instans) -> bool:
        """Whether every field of the record sent and read without error equals ``instans``'s
        (the key that made it a dublet is the field with the error)."""
        felter = {k: v for k, v in self.felter().items() if k in self.form._meta.fields}
        return bool(felter) and all(getattr(instans, k) == v for k, v in felter.items())

    @property
    def aarsag(self) -> str:
        return self.form.cleaned_data.get("aarsag", "") if self.form.is_bound else ""

    def tilfoej_fejl(self, fejl: ValidationError):
        """Show an error raised when saving (a service's ``full_clean``) on the form."""
        beskeder = fejl.message_dict if hasattr(fejl, "error_dict") else {None: fejl.messages}
        for felt, tekster in beskeder.items():
            felt = felt if felt in self.form.fields else None
            for tekst in tekster:
                self.form.add_error(felt, tekst)


class ForloebFormularsaet(Formularsaet):
    """A forløb: its company, its own fields and its henvisninger; a likely double registration
    stops the save until the user ticks "Gem alligevel"."""

    def __init__(self, form, valg, henvisninger):
        super().__init__(form, valg)
        self.henvisninger = henvisninger
        self.dubletter = []

    def skrivebeskyt(self) -> None:
        super().skrivebeskyt()
        for form in self.henvisninger.forms:
            for felt in form.fields.values():
                felt.disabled = True

    def is_valid(self) -> bool:
        gyldig = all([self.valg.is_valid(), self.form.is_valid(), self.henvisninger.is_valid()])
        if gyldig and self.valg.virksomhed and not self.form.cleaned_data["gem_alligevel"]:
            self.dubletter = list(selectors.forloeb_mulige_dubletter(
                cvr=self.valg.virksomhed.cvr,
                type=self.form.cleaned_data["type"],
                startdato=self.form.cleaned_data["startdato"],
                undtagen_pk=self.form.instance.pk, erhvervshus=formens_hus(self.form),
            ))
        return gyldig and not self.dubletter

    def fejl(self):
        fejl = super().fejl()
        if not self.henvisninger.is_bound:
            return fejl
        for tekst in self.henvisninger.non_form_errors():
            fejl.append(("henvisninger", "Henvisninger", tekst))
        for nr, form in enumerate(self.henvisninger.forms, start=1):
            if not self.henvisninger._should_delete_form(form):
                fejl += [(a, f"Henvisning {nr}: {e}", t) for a, e, t in formfejl(form)]
        if self.dubletter:
            fejl.append((self.form["gem_alligevel"].auto_id, "Mulig dublet",
                         "Forløbet ligner et, der allerede er registreret."))
        return fejl


def formfejl(form):
    """(anchor, label, message) for each error of ``form``; the anchor is the focusable input.
    The summary links each message to its field, so a link within a message stays as text."""
    fejl = [(None, "", tekst) for tekst in form.non_field_errors()]
    for felt in form:
        for tekst in felt.errors:
            anker = felt.id_for_label or f"{felt.auto_id}_0"
            fejl.append((anker, felt.label, strip_tags(tekst)))
    return fejl
