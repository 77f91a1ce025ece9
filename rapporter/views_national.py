"""The national page: the houses compared on goals 1–6, and the yearly report to KL and
Erhvervsstyrelsen as workbooks (``rapporter.national``, ``rapporter.excel_national``).

Who may open it: ``maal.se_national``: the role *National læser* (KL, Erhvervsstyrelsen), which
sees nothing else, KKR-læsere (their own house marked) and administrators.
"""

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils import timezone

from kontrakt.svar import xlsx_svar
from maal.models import Erhvervshus, Resultatkontrakt

from . import national
from .beregning import Periode
from .excel_national import hus_arbejdsbog, national_arbejdsbog
from .forms import standard_periode
from .godkendelse import rapport_til_visning

se_national = permission_required("maal.se_national", raise_exception=True)


class NationalForm(forms.Form):
    """``?aar=2025&periode=H1|helaar|YYYY-MM-DD&aktuel=1&hus=3``, all optional: the newest year
    any house has a contract for, and today's status date in it (a finished year: helår)."""

    aar = forms.IntegerField(label="År", required=False)
    periode = forms.CharField(label="Periode", required=False, max_length=20)
    aktuel = forms.BooleanField(label="Dagens tal", required=False)
    hus = forms.IntegerField(label="Erhvervshus", required=False)

    # The page compares every house: the period picker (rapporter/_periodevaelger.html) offers
    # no house and keeps none in its links.
    huse = ()
    hus_query = ""

    def __init__(self, data, *, idag):
        super().__init__({k: data.get(k, "") for k in ("aar", "periode", "aktuel", "hus")})
        self.idag = idag
        self.aarstal = national.kontraktaar()
        self.valgt_periode = None

    def clean_aar(self):
        aar = self.cleaned_data["aar"]
        if aar is None:
            if not self.aarstal:
                raise forms.ValidationError("Der er endnu ingen resultatkontrakt.")
            return self.aarstal[-1]
        if aar not in self.aarstal:
            kendte = ", ".join(map(str, self.aarstal)) or "ingen"
            raise forms.ValidationError(
                f"Der er ingen resultatkontrakt for {aar} (kontraktår: {kendte}).")
        return aar

    def clean(self):
        data = super().clean()
        aar = data.get("aar")
        if aar is None:
            return data
        tekst = (data.get("periode") or "").strip()
        try:
            self.valgt_periode = (Periode.fra_tekst(aar, tekst) if tekst
                                  else standard_periode(aar, self.idag))
        except ValueError as fejl:
            self.add_error("periode", str(fejl))
        return data

    @property
    def query(self) -> str:
        if self.valgt_periode is None:
            return ""
        aktuel = "&aktuel=1" if self.cleaned_data.get("aktuel") else ""
        return f"aar={self.cleaned_data['aar']}&periode={self.valgt_periode.navn}{aktuel}"


def _valg(request):
    valg = NationalForm(request.GET, idag=timezone.localdate())
    if not valg.is_valid() or valg.valgt_periode is None:
        return valg, render(request, "rapporter/national.html", {"valg": valg},
                            status=400)
    return valg, None


def _egne_huse(bruger) -> set[int]:
    """The houses the user is a member of (``maal.Medlemskab``), marked on the page."""
    return set(bruger.medlemskaber.values_list("erhvervshus_id", flat=True))


@login_required
@se_national
def national_side(request):
    valg, fejl = _valg(request)
    if fejl:
        return fejl
    data = valg.cleaned_data
    oversigt = national.oversigt(
        data["aar"], valg.valgt_periode, idag=valg.idag, beregnet=timezone.localtime(),
        aktuel=bool(data.get("aktuel")), egne_huse=_egne_huse(request.user),
    )
    return render(request, "rapporter/national.html", {
        "valg": valg, "oversigt": oversigt, "andel_kilde": national.ANDEL_KILDE,
        "nationalt_i_alt": national.NATIONALT_MAAL_I_ALT,
        "afsluttet": valg.valgt_periode.helaar_afsluttet(valg.idag),
    })


@login_required
@se_national
def national_xlsx(request):
    """The national workbook (overview and a sheet per house); with ``?hus=`` that house's
    report workbook for the year, its national and local goals (no registrations)."""
    valg, fejl = _valg(request)
    if fejl:
        return fejl
    data = valg.cleaned_data
    aktuel = bool(data.get("aktuel"))
    periode = valg.valgt_periode
    if data.get("hus"):
        kontrakt = Resultatkontrakt.objects.select_related("erhvervshus").filter(
            erhvervshus_id=data["hus"], aar=data["aar"]).first()
        if kontrakt is None:
            valg.add_error("hus", f"Erhvervshuset har ingen resultatkontrakt for {data['aar']}.")
            return render(request, "rapporter/national.html", {"valg": valg},
                          status=400)
        rapport = rapport_til_visning(kontrakt, periode, aktuel=aktuel, idag=valg.idag,
                                      beregnet=timezone.now())
        navn = _filnavn(kontrakt.erhvervshus, data["aar"], periode)
        return xlsx_svar(hus_arbejdsbog(rapport), navn)
    oversigt = national.oversigt(data["aar"], periode, idag=valg.idag,
                                 beregnet=timezone.now(), aktuel=aktuel)
    return xlsx_svar(national_arbejdsbog(oversigt),
                     f"nationalt-overblik-{data['aar']}-{periode.navn}.xlsx")


def _filnavn(hus: Erhvervshus, aar: int, periode: Periode) -> str:
    kort = hus.navn.removeprefix("Erhvervshus ").lower()
    kort = kort.translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", " ": "-"}))
    return f"resultatkontrakt-{kort}-{aar}-{periode.navn}.xlsx"
