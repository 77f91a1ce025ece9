"""Forms of the status pages: the period chosen, and the values an administrator enters.

The forms validate input only; the period's meaning comes from ``rapporter.beregning.Periode``
and the writes go through ``maal.services``.
"""

from datetime import date
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError

from forloeb.forms import dato_widget
from maal.models import Maaling, MilepaelStatus

from .beregning import Periode


def dato_i_aaret(aar: int, idag: date) -> date:
    """Today, moved into the contract year: the default date of an entered value."""
    return min(max(idag, date(aar, 1, 1)), date(aar, 12, 31))


def standard_periode(aar: int, idag: date) -> Periode:
    """Status pr. today, capped to the contract year; a finished year is shown as ``helaar``."""
    if idag > date(aar, 12, 31):
        return Periode.fra_tekst(aar, "helaar")
    return Periode.fra_tekst(aar, dato_i_aaret(aar, idag).isoformat())


class PeriodeForm(forms.Form):
    """``?hus=1&aar=2025&periode=H1|helaar|YYYY-MM-DD&aktuel=1&version=2``; all optional.

    ``aktuel`` asks for today's figures of an approved period (which otherwise shows as
    approved), ``version`` for an older approved version; the status views check that it exists.

    ``hus`` (an erhvervshus' id) matters only where several houses have contracts; without it
    the house of the newest contract is shown (the first by name on a tie). After
    ``is_valid()``, ``kontrakt`` and ``valgt_periode`` hold the chosen contract and period (not
    ``periode``: templates would find the form field of that name first).
    """

    hus = forms.IntegerField(label="Erhvervshus", required=False)
    aar = forms.IntegerField(label="År", required=False)
    periode = forms.CharField(label="Periode", required=False, max_length=20)
    aktuel = forms.BooleanField(label="Dagens tal", required=False)
    version = forms.IntegerField(label="Version", required=False, min_value=1)

    def __init__(self, data, *, kontrakter, idag: date):
        super().__init__(
            {k: data.get(k, "") for k in ("hus", "aar", "periode", "aktuel", "version")}
        )
        self.alle_kontrakter = sorted(
            kontrakter, key=lambda k: (-k.aar, k.erhvervshus.navn)
        )
        self.huse = sorted({k.erhvervshus for k in self.alle_kontrakter}, key=lambda h: h.navn)
        self.kontrakter = {}
        self.idag = idag
        self.kontrakt = None
        self.valgt_periode = None

    @property
    def hus_query(self) -> str:
        """``hus=2&`` where several houses have contracts, for links that keep the house."""
        if len(self.huse) < 2 or self.kontrakt is None:
            return ""
        return f"hus={self.kontrakt.erhvervshus_id}&"

    @property
    def query(self) -> str:
        """``aar=2025&periode=H1`` for links that keep the chosen contract and period."""
        if self.kontrakt is None or self.valgt_periode is None:
            return ""
        return self.hus_query + urlencode(
            {"aar": self.kontrakt.aar, "periode": self.valgt_periode.navn}
        )

    @property
    def afsluttet(self) -> bool:
        """The chosen period is a finished year (``helaar`` after 31 December)."""
        return self.valgt_periode is not None and self.valgt_periode.helaar_afsluttet(self.idag)

    @property
    def aarstal(self) -> list[int]:
        return sorted(self.kontrakter)

    def clean_hus(self):
        hus = self.cleaned_data["hus"]
        if hus is None:
            return self.alle_kontrakter[0].erhvervshus_id if self.alle_kontrakter else None
        if hus not in {h.pk for h in self.huse}:
            raise forms.ValidationError("Der er ingen resultatkontrakt for det erhvervshus.")
        return hus

    def clean_aar(self):
        hus = self.cleaned_data.get("hus")
        self.kontrakter = {
            k.aar: k for k in self.alle_kontrakter if k.erhvervshus_id == hus
        }
        aar = self.cleaned_data["aar"]
        if aar is None:
            if not self.kontrakter:
                raise forms.ValidationError("Der er endnu ingen resultatkontrakt.")
            return max(self.kontrakter)
        if aar not in self.kontrakter:
            kendte = ", ".join(str(a) for a in sorted(self.kontrakter)) or "ingen"
            raise forms.ValidationError(
                f"Der er ingen resultatkontrakt for {aar} (kontraktår: {kendte})."
            )
        return aar

    def clean(self):
        data = super().clean()
        aar = data.get("aar")
        if aar is None:
            return data
        self.kontrakt = self.kontrakter[aar]
        tekst = (data.get("periode") or "").strip()
        try:
            self.valgt_periode = (
                Periode.fra_tekst(aar, tekst) if tekst else standard_periode(aar, self.idag)
            )
        except ValueError as fejl:
            self.add_error("periode", str(fejl))
        return data


class KontraktaarForm(forms.Form):
    """An entered value dated outside the contract year would never count in it."""

    def __init__(self, *args, aar: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.aar = aar

    def clean_dato(self):
        dato = self.cleaned_data["dato"]
        if dato.year != self.aar:
            raise forms.ValidationError(
                f"Datoen skal ligge i kontraktåret {self.aar}; ellers tæller den ikke med."
            )
        return dato


class MaalingForm(forms.Form):
    """A måling for the contract year ``aar``. Its date rule is the model's own
    (``Maaling.clean``: from 1 January of the year up to today; after the year, a final figure),
    checked on an unsaved måling so the message stands next to the field it names, or above the
    form for a field the form has not (``aar``; a ``ModelForm`` would raise ``ValueError`` there).
    The house's keys are checked again by the service, which knows the house."""

    noegle = forms.ChoiceField(label="Hvad er målt")
    vaerdi = forms.DecimalField(
        label="Værdi", max_digits=16, decimal_places=2, localize=True,
        help_text="Procent skrives som tal (52,5 for 52,5 %), beløb i hele kroner.",
    )
    dato = forms.DateField(
        label="Dato for målingen", widget=dato_widget(),
        help_text="En måling dateret efter 31. december (et endeligt tal) tæller kun for hele "
        "det afsluttede år, ikke for 1. halvår eller en statusdato.",
    )
    kilde = forms.CharField(
        label="Kilde", max_length=300,
        help_text="F.eks. Erhvervsstyrelsen, brugerevaluering 2025 (foreløbig).",
    )
    kommentar = forms.CharField(
        label="Kommentar", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, noegler: list[tuple[str, str]], aar: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["noegle"].choices = noegler
        self.aar = aar

    def clean(self):
        data = super().clean()
        if data.get("dato") is None:
            return data
        try:
            Maaling(aar=self.aar, **data).clean()
        except ValidationError as fejl:
            for felt, beskeder in fejl.message_dict.items():
                self.add_error(felt if felt in self.fields else None, beskeder)
        return data


class MilepaelForm(KontraktaarForm):
    """A milestone status during the year (dated in the contract year), or, with ``endelig``,
    the final assessment of the finished year: Opfyldt or Ikke opfyldt, dated 31 December or
    later up to today. The combinations are checked by ``MilepaelStatus.clean``, whose Danish
    messages land next to the fields."""

    status = forms.ChoiceField(label="Status", choices=MilepaelStatus.Status.choices)
    endelig = forms.BooleanField(
        label="Endelig vurdering af året", required=False,
        help_text="Når året er slut: Opfyldt eller Ikke opfyldt. Kun den endelige vurdering "
        "tæller for det afsluttede år; indtil den er givet, afventer milepælen.",
    )
    dato = forms.DateField(label="Dato", widget=dato_widget())
    fortaelling = forms.CharField(
        label="Beskrivelse", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Hvad er sket, og hvad mangler? Vises for KKR på målets side.",
    )

    def clean_dato(self):
        if self.cleaned_data.get("endelig"):
            # The final assessment is given after the year; MilepaelStatus.clean bounds it.
            return self.cleaned_data["dato"]
        return super().clean_dato()
