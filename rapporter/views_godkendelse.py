"""The end-of-period routine of an administrator: the explanations beside the figures on one page,
and the approval of H1 or helår that fixes what KKR is shown.

Both need ``maal.godkend_rapport`` (the role Administrator): the explanations are written by
those who answer for the period's approval, and the one permission keeps the two pages' doors
alike (the goal page's explanation form, too). Reads and writes go through
``rapporter.godkendelse``; the figures come from ``rapporter.resultater`` as on the status page.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from kontrakt import db

from . import godkendelse as godkendelser
from .beregning import STATUS_IKON, STATUS_TEKST, Periode
from .forms import PeriodeForm
from .forms_godkendelse import ForklaringerForm, GodkendForm, feltnavn
from .godkendelse import GODKEND_RET
from .resultater import indikator_resultater
from .views import RAPPORTPERIODER, _godkendelser, _kontrakter, _oversigt, _ugyldig


def _rapportperiode(request) -> PeriodeForm:
    """The period chosen as on the status page, H1 or helår only: without ``?periode=`` the
    half year during the contract year and the whole year after it; a status date is an error
    (it is neither explained nor approved)."""
    idag = timezone.localdate()
    valg = PeriodeForm(request.GET, kontrakter=_kontrakter(request.user), idag=idag)
    if not valg.is_valid():
        return valg
    aar = valg.kontrakt.aar
    if not request.GET.get("periode"):
        valg.valgt_periode = Periode.helaar(aar) if idag > date(aar, 12, 31) else Periode.h1(aar)
    elif valg.valgt_periode.navn not in RAPPORTPERIODER:
        valg.add_error("periode", "Vælg 1. halvår eller hele året: en status pr. dato bliver "
                                  "hverken forklaret eller godkendt.")
    return valg


@login_required
@permission_required(GODKEND_RET, raise_exception=True)
def forklaringer(request):
    """Every goal with its indicators' status and a field for its explanation, the indicators
    that keep the period from being approved marked; saves the texts that changed."""
    valg = _rapportperiode(request)
    if valg.errors:
        return _ugyldig(request, valg)
    kontrakt, periode = valg.kontrakt, valg.valgt_periode
    maal = list(kontrakt.maal.prefetch_related("indikatorer"))
    gemte = godkendelser.forklaringer(kontrakt, periode.navn)
    form = ForklaringerForm(request.POST or None, maal=maal, eksisterende=gemte)
    if request.method == "POST" and form.is_valid():
        antal = _gem_forklaringer(form, periode, request.user)
        if antal is not None:
            messages.success(request, _gemt_besked(antal, periode))
            return redirect(_tilbage(request, form, valg, maal))
    resultater = indikator_resultater(kontrakt, periode, idag=valg.idag)
    mangler = godkendelser.mangler(kontrakt, periode, resultater, idag=valg.idag)
    return render(request, "rapporter/forklaringer.html", {
        "valg": valg, "form": form, "mangler": _mangler_vist(mangler, valg),
        "grupper": _grupper(maal, form, resultater, mangler),
    }, status=db.OPTAGET_STATUS if getattr(form, "optaget", False)
        else 422 if form.errors else 200)


@login_required
@permission_required(GODKEND_RET, raise_exception=True)
def godkend(request):
    """The period's tally and what stands in the way, a comment, and the button that approves;
    refused with the list while anything is missing, and nothing saved."""
    valg = _rapportperiode(request)
    if valg.errors:
        return _ugyldig(request, valg)
    kontrakt, periode = valg.kontrakt, valg.valgt_periode
    seneste = godkendelser.seneste_godkendelse(kontrakt, periode.navn)
    form = GodkendForm(request.POST or None,
                       initial={"efter_version": seneste.version if seneste else 0})
    afvist = []
    optaget = False
    if request.method == "POST" and form.is_valid():
        try:
            ny = godkendelser.godkend(
                kontrakt=kontrakt, periode=periode.navn, bruger=request.user,
                kommentar=form.cleaned_data["kommentar"], idag=valg.idag,
                efter_version=form.cleaned_data["efter_version"],
            )
        except ValidationError as fejl:
            afvist = fejl.messages
        except godkendelser.AlleredeGodkendt as gjort:
            messages.success(request, f"{periode.titel} er allerede godkendt (version "
                                      f"{gjort.godkendelse.version} af "
                                      f"{gjort.godkendelse.godkendt_af_navn}).")
            return redirect(f"{reverse('rapporter:status')}?{valg.query}")
        except OperationalError as fejl:
            if not db.optaget(fejl):
                raise
            afvist, optaget = [db.OPTAGET], True
        else:
            messages.success(request, f"{periode.titel} er godkendt (version {ny.version}). "
                                      "KKR ser nu den godkendte version.")
            return redirect(f"{reverse('rapporter:status')}?{valg.query}")
    resultater = indikator_resultater(kontrakt, periode, idag=valg.idag)
    return render(request, "rapporter/godkend.html", {
        "valg": valg, "form": form, "afvist": afvist,
        "mangler": _mangler_vist(
            godkendelser.mangler(kontrakt, periode, resultater, idag=valg.idag), valg
        ),
        "versioner": _godkendelser(kontrakt, periode),
        **_oversigt([], resultater, valg),
    }, status=db.OPTAGET_STATUS if optaget else 422 if afvist else 200)


# --- Helpers ----------------------------------------------------------------------------------


class _Afvist(Exception):
    """A text was refused: undo the ones already saved in the same submit."""


def _gem_forklaringer(form, periode, bruger) -> int | None:
    """Save every changed text in one transaction; the number saved, or ``None`` when one was
    refused (its error lands on its field and nothing is saved)."""
    aendrede = form.aendrede()
    try:
        with transaction.atomic():
            for navn, maal, indikator, tekst in aendrede:
                try:
                    godkendelser.forklaring_gem(
                        maal=maal, indikator=indikator, periode=periode.navn, tekst=tekst,
                        bruger=bruger,
                    )
                except ValidationError as fejl:
                    form.add_error(navn, fejl.messages)
            if form.errors:
                raise _Afvist
    except _Afvist:
        return None
    except OperationalError as fejl:
        if not db.optaget(fejl):
            raise
        form.add_error(None, db.OPTAGET)
        form.optaget = True
        return None
    return len(aendrede)


def _gemt_besked(antal: int, periode) -> str:
    if antal == 0:
        return "Ingen forklaringer var ændret."
    hvad = "1 forklaring" if antal == 1 else f"{antal} forklaringer"
    return f"{hvad} til {periode.titel} er gemt."


def _tilbage(request, form, valg, maal) -> str:
    """The goal page the text was written on (``tilbage`` = its number), at the explanation
    written, else this page."""
    nummer = request.POST.get("tilbage", "")
    if nummer.isdigit() and int(nummer) in {m.nummer for m in maal}:
        sendt = [form.hvad[n] for n in form.sendt if n in form.hvad]
        anker = "forklaring"
        if len(sendt) == 1 and sendt[0][1] is not None:
            anker = "forklaring-" + sendt[0][1].noegle.replace(".", "-")
        return f"{reverse('rapporter:maal', args=[int(nummer)])}?{valg.query}#{anker}"
    return f"{reverse('rapporter:forklaringer')}?{valg.query}"


def _mangler_vist(mangler, valg) -> list[dict]:
    """Each thing missing with its status in words and the link that puts it right: the goal's
    explanation field, or the milestone's page for its final assessment."""
    forklaringer_url = f"{reverse('rapporter:forklaringer')}?{valg.query}"
    ud = []
    for m in mangler:
        endelig = "vurdering" in m.hvad  # "mangler den endelige vurdering"
        url = (f"{reverse('rapporter:milepael_ny', args=[m.noegle])}?{valg.query}" if endelig
               else f"{forklaringer_url}#id_{feltnavn(m.maal_nr)}")
        ud.append({"mangel": m, "url": url, "status_tekst": STATUS_TEKST.get(m.status, m.status),
                   "ikon": STATUS_IKON.get(m.status, "")})
    return ud


def _grupper(maal, form, resultater, mangler) -> list[dict]:
    """Per goal: its field, and per indicator its result, what it lacks and its own field."""
    efter_noegle = {r.noegle: r for r in resultater}
    mangel = {}
    for m in mangler:
        mangel.setdefault(m.noegle, []).append(m)
    grupper = []
    for m in maal:
        indikatorer = [{
            "indikator": i, "resultat": efter_noegle.get(i.noegle),
            "mangler": mangel.get(i.noegle, []), "felt": form[feltnavn(m.nummer, i.noegle)],
        } for i in m.indikatorer.all()]
        grupper.append({
            "maal": m, "felt": form[feltnavn(m.nummer)], "indikatorer": indikatorer,
            "mangler": [x for i in indikatorer for x in i["mangler"]],
            # Open the indicators' own fields where one is written or has an error.
            "aaben": any(i["felt"].value() or i["felt"].errors for i in indikatorer),
        })
    return grupper
