"""The report workbook as a download: ``?aar=2025&periode=H1|helaar|YYYY-MM-DD``, the same
period choice as the status page, for users who may see the status (``maal.se_status``)."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils import timezone

from kontrakt.svar import xlsx_svar
from maal.models import Resultatkontrakt

from .excel import rapport_arbejdsbog
from .forms import PeriodeForm
from .resultater import rapport_for


@login_required
@permission_required("maal.se_status", raise_exception=True)
def rapport_xlsx(request):
    valg = PeriodeForm(
        request.GET, kontrakter=Resultatkontrakt.objects.select_related("erhvervshus"),
        idag=timezone.localdate(),
    )
    if not valg.is_valid():
        return render(request, "rapporter/ugyldig_periode.html", {"valg": valg}, status=400)
    rapport = rapport_for(
        valg.kontrakt, valg.valgt_periode, idag=valg.idag, beregnet=timezone.now()
    )
    navn = f"resultatkontrakt-{valg.kontrakt.aar}-{valg.valgt_periode.navn}.xlsx"
    return xlsx_svar(rapport_arbejdsbog(rapport), navn)
