"""The audit trail page and its Excel export, for administrators (``maal.godkend_rapport``, the
permission of those who approve what KKR is shown): every change to every record kind, with who,
when, which fields from what to what, and why. The list is :func:`rapporter.revision.aendringer`.
"""

from datetime import datetime, time

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from openpyxl import Workbook

from forloeb import adgang
from forloeb.arbejdsbog import OVERSKRIFT_FONT, celle, som_bytes
from forloeb.filters import PeriodeForm
from forloeb.forms import dato_widget
from kontrakt.svar import xlsx_svar

from . import revision

PR_SIDE = 50
# The most changes one export writes: more would outlast a web worker's timeout (about 20 s at
# 50,000 on a small server), so a larger export is refused with a word on narrowing it.
EKSPORT_MAKS = 50_000
KOLONNER = ["Tidspunkt", "Bruger", "Posttype", "Post", "Handling", "Felter (fra → til)", "Årsag",
            "Berører en godkendt periode"]

kraever_administrator = permission_required("maal.godkend_rapport", raise_exception=True)


class BrugerValg(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class RevisionForm(PeriodeForm):
    """The filters. A "fra" after "til" is an error next to both (``PeriodeForm``), and an
    invalid filter is left out while the others apply, as in the lists."""

    bruger = BrugerValg(label="Bruger", required=False, empty_label="Alle",
                        queryset=get_user_model().objects.order_by("first_name", "username"))
    art = forms.ChoiceField(label="Posttype", required=False,
                            choices=lambda: [("", "Alle"), *revision.arter()])
    fra = forms.DateField(label="Ændret fra", required=False, widget=dato_widget())
    til = forms.DateField(label="Ændret til", required=False, widget=dato_widget())
    godkendt = forms.BooleanField(label="Berører en godkendt periode", required=False)
    importer = forms.BooleanField(label="Kun importer", required=False)

    def filtre(self) -> dict:
        """The keyword arguments of :func:`revision.aendringer` for the valid filters."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        fra, til, bruger = data.get("fra"), data.get("til"), data.get("bruger")
        zone = timezone.get_current_timezone()
        return {
            "fra": datetime.combine(fra, time.min, tzinfo=zone) if fra else None,
            "til": datetime.combine(til, time.max, tzinfo=zone) if til else None,
            "bruger_id": bruger.pk if bruger else None,
            "art": data.get("art") or None,
            "kun_godkendte": bool(data.get("godkendt")),
            "kun_importer": bool(data.get("importer")),
            "huse": getattr(self, "huse", None),
        }


def _form(data, bruger) -> RevisionForm:
    """The filters, for the records of ``bruger``'s houses (every house's for a superuser)."""
    form = RevisionForm(data)
    form.huse = None if adgang.ser_alle_huse(bruger) else sorted(adgang.brugerens_hus_id(bruger))
    if form.is_bound:
        form.is_valid()
    return form


@login_required
@kraever_administrator
def revision_side(request):
    form = _form(request.GET or None, request.user)
    side = Paginator(revision.Aendringsliste(**form.filtre()), PR_SIDE).get_page(
        request.GET.get("page"))
    return render(request, "rapporter/revision.html", {
        "form": form, "side": side,
        "sider": side.paginator.get_elided_page_range(side.number, on_each_side=2, on_ends=1),
    })


@login_required
@kraever_administrator
def revision_eksport(request):
    form = _form(request.GET, request.user)  # bound even without filters, so a refusal has a place
    if not form.errors and (i_alt := revision.antal(**form.filtre())) > EKSPORT_MAKS:
        form.add_error(None, f"Udtrækket har {i_alt:,} ændringer; eksporten tager højst "
                             f"{EKSPORT_MAKS:,} ad gangen. Afgræns med datoerne eller de andre "
                             "filtre.".replace(",", "."))
    if form.errors:
        side = Paginator([], PR_SIDE).get_page(1)
        return render(request, "rapporter/revision.html", {"form": form, "side": side},
                      status=400)
    navn = f"revisionsspor-{timezone.localdate():%Y-%m-%d}.xlsx"
    return xlsx_svar(revision_arbejdsbog(form.filtre()), navn)


def revision_raekke(aendring: revision.Aendring) -> list:
    """One change as the page and the export show it."""
    return [
        timezone.localtime(aendring.tidspunkt).strftime("%d-%m-%Y %H:%M"),
        aendring.bruger,
        aendring.art[:1].upper() + aendring.art[1:],
        aendring.objekt,
        aendring.handling,
        "\n".join(f"{felt}: {fra} → {til}" for felt, fra, til in aendring.felter),
        aendring.aarsag,
        "Ja" if aendring.berorer_godkendt else "Nej",
    ]


def revision_arbejdsbog(filtre: dict) -> bytes:
    """Every change the filters keep, newest first, one row each."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Revisionsspor")
    for kolonne, bredde in zip("ABCDEFGH", (17, 22, 20, 40, 10, 70, 40, 12), strict=True):
        ws.column_dimensions[kolonne].width = bredde
    ws.append([celle(ws, navn, font=OVERSKRIFT_FONT) for navn in KOLONNER])
    for aendring in revision.alle_aendringer(**filtre):
        tidspunkt = timezone.localtime(aendring.tidspunkt).replace(tzinfo=None)
        ws.append([celle(ws, tidspunkt, number_format="dd-mm-yyyy hh:mm"),
                   *(celle(ws, vaerdi) for vaerdi in revision_raekke(aendring)[1:])])
    return som_bytes(wb)
