"""The status pages KKR reads: the contract's figures for a period, a page per goal, the records
behind every figure, and the pages where an administrator enters målinger and milestones.

Every figure comes from ``rapporter.resultater``; the drill-down lists come from
``rapporter.selectors.indikator_poster``, the same filters the figures count with. The small
reads at the bottom fetch what the goal page shows beside the figures (entry history, evidence).
"""

import json
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import OperationalError, transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from forloeb import adgang
from forloeb.arbejdsbog import skriv_arbejdsbog
from forloeb.models import (
    AITjek,
    Aktivitet,
    Aktoer,
    Forloeb,
    Kommune,
    Programdeltagelse,
    Samarbejdsaftale,
    Virksomhed,
)
from kontrakt import dataversion, db
from kontrakt.svar import xlsx_svar
from maal.models import Indikator, Maal, Maaling, MilepaelStatus, Resultatkontrakt
from maal.models import maalbare_noegler as _maalbare_noegler
from maal.services import maaling_create, milepael_status_create

from . import diagrammer, kvalitet, selectors
from . import godkendelse as godkendelser
from .arter import ARTER, art
from .beregning import (
    STATUS_IKON,
    STATUS_TEKST,
    STATUS_TONE,
    MaaltVaerdi,
    MilepaelTal,
    gaeldende_milepael,
    indtastet_til,
    seneste_maaling,
    status_optaelling,
)
from .excel import rapport_arbejdsbog
from .forms import MaalingForm, MilepaelForm, PeriodeForm, dato_i_aaret
from .forms_godkendelse import ForklaringerForm, feltnavn
from .models import Forklaring, Godkendelse
from .resultater import indikator_resultater, rapport_for

POSTER_PR_SIDE = 50
# The drill-down's sheet in the registration workbook, and its columns on the page.
ARK = {
    Forloeb: "Forloeb", Virksomhed: "Virksomheder", AITjek: "AI-tjek", Aktivitet: "Aktiviteter",
    Programdeltagelse: "Programmer", Samarbejdsaftale: "Samarbejdsaftaler", Aktoer: "Aktoerer",
}
KOLONNER = {
    Forloeb: [("Forløb", "ekstern_id"), ("Type", "get_type_display"),
              ("Virksomhed", "virksomhed.navn"), ("CVR", "virksomhed.cvr"),
              ("Kommune", "virksomhed.kommune.navn"), ("Startdato", "startdato"),
              ("Slutdato", "slutdato"), ("Rådgiver", "raadgiver")],
    Virksomhed: [("CVR", "cvr"), ("Virksomhed", "navn"), ("Kommune", "kommune.navn"),
                 ("Stiftet", "stiftelsesdato")],
    AITjek: [("AI-tjek", "ekstern_id"), ("Virksomhed", "virksomhed.navn"),
             ("CVR", "virksomhed.cvr"), ("Dato", "dato"),
             ("Henvist af lokal erhvervsservice", "henvist_af_lokal_erhvervsservice")],
    Aktivitet: [("Aktivitet", "ekstern_id"), ("Type", "get_type_display"), ("Titel", "titel"),
                ("Dato", "dato")],
    Programdeltagelse: [("Virksomhed", "virksomhed.navn"), ("CVR", "virksomhed.cvr"),
                        ("Program", "get_program_display"), ("Status", "get_status_display"),
                        ("Dato", "dato")],
    Samarbejdsaftale: [("Klynge", "aktoer.navn"), ("Dato", "dato"),
                       ("Beskrivelse", "beskrivelse")],
    Aktoer: [("Aktør", "navn"), ("Type", "get_type_display")],
}
RELATIONER = {
    Forloeb: ["virksomhed__kommune"], Virksomhed: ["kommune"], AITjek: ["virksomhed"],
    Programdeltagelse: ["virksomhed"], Samarbejdsaftale: ["aktoer"],
}
se_status = permission_required("maal.se_status", raise_exception=True)


def _kontrakter(bruger):
    """The contracts of the user's houses (every house's for a superuser): ``?hus=`` offers
    only these, so a user reads and reports their own houses only."""
    return adgang.husets(Resultatkontrakt.objects.select_related("erhvervshus"), bruger,
                         "erhvervshus").order_by("-aar")


def _valg(request) -> PeriodeForm:
    return PeriodeForm(request.GET, kontrakter=dataversion.raekker(_kontrakter(request.user)),
                       idag=timezone.localdate())


def _ugyldig(request, valg):
    return render(request, "rapporter/ugyldig_periode.html", {"valg": valg}, status=400)


@login_required
@se_status
def status(request):
    """For H1 and helår of an approved period KKR sees the approved version (read from its
    snapshot, no recount); ``?aktuel=1`` shows today's figures beside it and what changed since,
    ``?version=N`` an older version."""
    valg = _valg(request)
    if not valg.is_valid():
        return _ugyldig(request, valg)
    valgt = _valgt_godkendelse(valg)  # an unknown ?version= is the period page's error
    if valg.errors:
        return _ugyldig(request, valg)

    def kontekst() -> dict:
        visning = _visning(valg, valgt)
        rapport = visning["rapport"]
        maal = list(valg.kontrakt.maal.all())
        return {
            "valg": valg, **visning,
            **_oversigt(maal, rapport.resultater, valg, visning["forklaringer"]),
            # Today's count: not part of what was approved, so the approved view leaves it out.
            "igangvaerende": None if visning["vist_godkendt"]
            else dataversion.antal(selectors.igangvaerende_forloeb(
                valg.valgt_periode, valg.kontrakt.erhvervshus_id)),
            # The downloads show what the page shows: today's figures where the page does.
            "aktuel_query": "&aktuel=1" if visning["godkendelse"]
            and not visning["vist_godkendt"] else "",
            "kan_godkende": valg.valgt_periode.navn in RAPPORTPERIODER
            and request.user.has_perm(godkendelser.GODKEND_RET),
            "datakvalitet": kvalitet.opsummering(valg.valgt_periode,
                                                  valg.kontrakt.erhvervshus_id)
            if request.user.has_perm("maal.se_datakvalitet") else [],
        }

    return render(request, "rapporter/status.html", {
        "valg": valg,
        "indhold": _indhold(request, valg, "rapporter/_status_indhold.html", kontekst),
    })


def _indhold(request, valg, skabelon: str, kontekst, *, gem: bool = True) -> str:
    """The page's content (``skabelon`` with ``kontekst()``), rendered; kept until a table it
    reads is written (found as it is rendered), per permissions, the user's contracts (what
    the period picker offers and the page may show), query string and day
    (:func:`kontrakt.dataversion.indhold`), so a second view of unchanged data costs a cache
    lookup, also another reader's of the same houses. Not kept for a page with a form of its
    own (``gem=False``: its CSRF token is the session's)."""
    if not gem:
        return mark_safe(render_to_string(skabelon, kontekst(), request=request))  # noqa: S308
    kontrakter = tuple(k.pk for k in valg.alle_kontrakter)
    return dataversion.indhold(request, skabelon, kontekst, dele=(valg.idag, kontrakter),
                               pr_bruger=False)


@login_required
@se_status
def status_json(request):
    valg = _valg(request)
    if not valg.is_valid():
        return _ugyldig(request, valg)
    data = godkendelser.rapport_json(  # the approved version, or today's with ?aktuel=1
        valg.kontrakt, valg.valgt_periode, aktuel=_vis_aktuel(request, valg), idag=valg.idag,
        beregnet=timezone.localtime(),
    )
    indhold = json.dumps(data, ensure_ascii=False, indent=2)
    svar = HttpResponse(indhold, content_type="application/json; charset=utf-8")
    svar["Content-Disposition"] = (
        f'attachment; filename="status-{valg.kontrakt.aar}-{valg.valgt_periode.navn}.json"'
    )
    return svar


def _vis_aktuel(request, valg) -> bool:
    """``?aktuel=1``: today's figures rather than the approved version."""
    return bool(valg.cleaned_data.get("aktuel", request.GET.get("aktuel") == "1"))


@login_required
@se_status
def rapport_xlsx(request):
    """The report workbook for the period chosen as on the status page."""
    valg = _valg(request)
    if not valg.is_valid():
        return _ugyldig(request, valg)
    rapport = godkendelser.rapport_til_visning(  # the approved version, or ?aktuel=1 today's
        valg.kontrakt, valg.valgt_periode, aktuel=_vis_aktuel(request, valg), idag=valg.idag,
        beregnet=timezone.now(),
    )
    navn = f"resultatkontrakt-{valg.kontrakt.aar}-{valg.valgt_periode.navn}.xlsx"
    return xlsx_svar(rapport_arbejdsbog(rapport), navn)


@login_required
@se_status
def maal_side(request, nummer):
    valg = _valg(request)
    if not valg.is_valid():
        return _ugyldig(request, valg)
    maal = get_object_or_404(valg.kontrakt.maal, nummer=nummer)
    godkendelse, versioner = _valgt_godkendelse(valg)
    if valg.errors:
        return _ugyldig(request, valg)

    def kontekst() -> dict:
        indikatorer = list(maal.indikatorer.all())
        resultater = indikator_resultater(valg.kontrakt, valg.valgt_periode, idag=valg.idag,
                                          kun=[i.noegle for i in indikatorer])
        paneler = _paneler(indikatorer, resultater, valg)
        taeller_forloeb = any(p["indikator"].parametre.get("grundlag")
                              in ("forloeb", "virksomheder") for p in paneler)
        if godkendelse is not None:  # the approved figure beside today's
            godkendte = {r.noegle: r
                         for r in godkendelser.godkendt_rapport(godkendelse).resultater}
            for panel in paneler:
                panel["godkendt"] = godkendte.get(panel["indikator"].noegle)
        return {
            "valg": valg, "maal": maal, "beregnet": timezone.localtime(),
            "godkendelse": godkendelse, "nyeste": versioner[0] if versioner else None,
            **_maal_forklaringer(request, maal, paneler, valg),
            "igangvaerende": taeller_forloeb
            and dataversion.antal(selectors.igangvaerende_forloeb(
                valg.valgt_periode, valg.kontrakt.erhvervshus_id)),
            "paneler": paneler, "har_figurer": any(p.get("figur") for p in paneler),
            "alle_maal": valg.kontrakt.maal.only("nummer", "titel", "kontrakt"),  # no N+1
            "kan_maale": request.user.has_perm("maal.add_maaling"),
            "kan_saette_milepael": request.user.has_perm("maal.add_milepaelstatus"),
        }

    # An administrator's page holds the explanations' form: not kept.
    return render(request, "rapporter/maal.html", {
        "valg": valg, "maal": maal,
        "indhold": _indhold(request, valg, "rapporter/_maal_indhold.html", kontekst,
                            gem=not request.user.has_perm(godkendelser.GODKEND_RET)),
    })


@login_required
@se_status
def poster(request, noegle):
    valg = _valg(request)
    if not valg.is_valid():
        return _ugyldig(request, valg)
    indikator = get_object_or_404(
        _indikatorer(valg.kontrakt).select_related("maal__kontrakt"), noegle=noegle,
    )
    del_ = request.GET.get("del", "taeller")
    if del_ not in art(indikator.art).dele:  # the kind says which parts open to records
        raise Http404("Indikatoren har ingen sådan del.")
    aktoertype = _aktoertype(request, indikator)
    if aktoertype:
        del_ = "taeller"
        qs = selectors.henviste_forloeb(indikator, valg.valgt_periode, aktoertype)
        qs = qs.select_related(*RELATIONER[Forloeb])
    else:
        qs = _poster(indikator, valg.valgt_periode, del_, request.GET.get("kommune"))
    if request.GET.get("format") == "xlsx":
        navn = f"{noegle}-{aktoertype or del_}-{valg.valgt_periode.navn}"
        return xlsx_svar(skriv_arbejdsbog({ARK[qs.model]: qs}), f"{navn}.xlsx")

    def kontekst() -> dict:
        side = Paginator(qs, POSTER_PR_SIDE).get_page(request.GET.get("side"))
        kommune = Kommune.objects.filter(kode=request.GET.get("kommune") or None).first()
        resultat = next(r for r in indikator_resultater(
            valg.kontrakt, valg.valgt_periode, idag=valg.idag, kun=[noegle])
            if r.noegle == noegle)
        return {
            "valg": valg, "indikator": indikator, "resultat": resultat, "del": del_,
            "side": side, "kolonner": KOLONNER[qs.model],
            "raekker": _raekker(side, KOLONNER[qs.model]), "dele": art(indikator.art).dele,
            "model_navn": qs.model._meta.verbose_name_plural,
            "kommune": kommune, "aktoertype": aktoertype,
            # The list shown, for its download and its pages.
            "liste_query": "&".join([valg.query, urlencode({
                "del": del_, **({"kommune": kommune.kode} if kommune else {}),
                **({"aktoertype": aktoertype} if aktoertype else {}),
            })]),
            "aktoertype_navn": _aktoertype_navn(indikator, aktoertype),
        }

    return render(request, "rapporter/poster.html", {
        "indikator": indikator,
        "indhold": _indhold(request, valg, "rapporter/_poster_indhold.html", kontekst),
    })


@login_required
@se_status
def igangvaerende(request):
    """The forløb without a slutdato at the period's end: counted nowhere, shown apart."""
    valg = _valg(request)
    if not valg.is_valid():
        return _ugyldig(request, valg)
    qs = selectors.igangvaerende_forloeb(
            valg.valgt_periode, valg.kontrakt.erhvervshus_id).select_related(
        *RELATIONER[Forloeb]
    )
    if request.GET.get("format") == "xlsx":
        navn = f"igangvaerende-{valg.valgt_periode.navn}.xlsx"
        return xlsx_svar(skriv_arbejdsbog({"Forloeb": qs}), navn)
    side = Paginator(qs, POSTER_PR_SIDE).get_page(request.GET.get("side"))
    return render(request, "rapporter/igangvaerende.html", {
        "valg": valg, "side": side, "kolonner": KOLONNER[Forloeb],
        "raekker": _raekker(side, KOLONNER[Forloeb]),
    })


@login_required
@permission_required("maal.add_maaling", raise_exception=True)
def maaling_ny(request):
    valg = _valg(request)
    if not valg.is_valid():
        return _ugyldig(request, valg)
    kontrakt = valg.kontrakt
    noegler = _noegle_valg(kontrakt)
    form = MaalingForm(
        request.POST or None, noegler=noegler, aar=kontrakt.aar,
        initial={"noegle": request.GET.get("noegle"),
                 "dato": dato_i_aaret(kontrakt.aar, valg.idag)},
    )
    if form.is_valid() and (udfald := _gem(
        form, maaling_create, Maaling, laas=kontrakt.erhvervshus,
        erhvervshus=kontrakt.erhvervshus, aar=kontrakt.aar, bruger=request.user,
        **form.cleaned_data,
    )):
        messages.success(request, f"Målingen af {form.cleaned_data['noegle']} er {udfald}.")
        return redirect(_maal_url(kontrakt, form.cleaned_data["noegle"], request.GET))
    noegle = form["noegle"].value() or (noegler[0][0] if noegler else "")
    return render(request, "rapporter/maaling_form.html", {
        "valg": valg, "form": form, "noegle": noegle,
        "historik": _maalinger(kontrakt, [noegle], valg.valgt_periode, valg.idag)[noegle],
        "tilbage": _maal_url(kontrakt, noegle, request.GET),
    }, status=_status(form))


@login_required
@permission_required("maal.add_milepaelstatus", raise_exception=True)
def milepael_ny(request, noegle):
    valg = _valg(request)
    if not valg.is_valid():
        return _ugyldig(request, valg)
    indikator = get_object_or_404(_indikatorer(valg.kontrakt), noegle=noegle,
                                  art__in=[n for n, a in ARTER.items() if a.milepaele])
    historik = _milepaele([indikator], valg.valgt_periode, valg.idag)[indikator.pk]
    aaret_slut = valg.idag > date(valg.kontrakt.aar, 12, 31)  # time for the final assessment
    form = MilepaelForm(request.POST or None, aar=valg.kontrakt.aar, initial={
        "dato": valg.idag if aaret_slut else dato_i_aaret(valg.kontrakt.aar, valg.idag),
        "status": None if aaret_slut or not historik else historik[0].status,
        "endelig": aaret_slut,
    })
    if form.is_valid() and (udfald := _gem(
        form, milepael_status_create, MilepaelStatus, laas=indikator, indikator=indikator,
        bruger=request.user, **form.cleaned_data,
    )):
        messages.success(request, f"Status for {indikator.titel} er {udfald}.")
        return redirect(_maal_url(valg.kontrakt, noegle, request.GET))
    return render(request, "rapporter/milepael_form.html", {
        "valg": valg, "form": form, "indikator": indikator,
        "historik": historik,
        "tilbage": _maal_url(valg.kontrakt, noegle, request.GET),
    }, status=_status(form))


def status_overblik(idag, bruger=None) -> dict | None:
    """The summary strip for the latest contract of ``bruger``'s houses at today's default
    period (for the front page), or ``None`` when there is no contract yet."""
    valg = PeriodeForm({}, kontrakter=_kontrakter(bruger), idag=idag)
    if not valg.is_valid():
        return None
    resultater = indikator_resultater(valg.kontrakt, valg.valgt_periode, idag=idag)
    return {"valg": valg, **_oversigt([], resultater, valg)}


# --- Helpers of the views above ---------------------------------------------------------------


def _gem(form, service, model, *, laas, **felter) -> str:
    """Call a write service in one transaction: "gemt", or "allerede gemt" when a ``model``
    record with exactly these values is there already (a second submit of the same form: a
    double click, a resent POST; an identical second måling or status would tell nothing new),
    or "" with the service's validation errors, or the database busy (``kontrakt.db``, answered
    503 with the input kept), on the form and nothing written. ``laas`` (the row the record
    belongs to) is locked first, so two submits at once are checked one after the other."""
    samme = {k: v for k, v in felter.items() if k not in ("bruger", "aarsag")}
    try:
        with transaction.atomic():
            type(laas).objects.select_for_update().filter(pk=laas.pk).first()
            if model.objects.filter(**samme).exists():
                return "allerede gemt"
            service(**felter)
    except ValidationError as fejl:
        for felt, beskeder in fejl.message_dict.items():
            form.add_error(felt if felt in form.fields else None, beskeder)
        return ""
    except OperationalError as fejl:
        if not db.optaget(fejl):
            raise
        form.add_error(None, db.OPTAGET)
        form.optaget = True
        return ""
    return "gemt"


def _status(form) -> int:
    """200 for a form shown or refused as before; 503 when the database was busy."""
    return db.OPTAGET_STATUS if getattr(form, "optaget", False) else 200




def _aktoertype(request, indikator) -> str:
    """``?aktoertype=`` on an andel of referrals: one row of the goal page's referral table (an
    aktør type, or ``i_alt``: the indicator's ``henvist_til_aktoertyper``)."""
    aktoertype = request.GET.get("aktoertype", "")
    if not aktoertype:
        return ""
    if not (indikator.parametre or {}).get("henvist_til_aktoertyper") or aktoertype not in (
        *Aktoer.Type.values, selectors.I_ALT
    ):
        raise Http404("Ukendt aktørtype.")
    return aktoertype


def _aktoertype_navn(indikator, aktoertype: str) -> str:
    if aktoertype == selectors.I_ALT:
        return selectors.aktoertyper_tekst(indikator.parametre["henvist_til_aktoertyper"])
    return dict(Aktoer.Type.choices).get(aktoertype, "").lower()


def _poster(indikator, periode, del_: str, kommune: str | None):
    """The records behind the figure (the engine's drill-down), for one kommune if asked."""
    qs = selectors.indikator_poster(indikator, periode, del_)
    if kommune and qs.model is Virksomhed:
        qs = qs.filter(kommune_id=kommune)
    elif kommune and qs.model is Forloeb:
        qs = qs.filter(virksomhed__kommune_id=kommune)
    return qs.select_related(*RELATIONER.get(qs.model, []))


def _raekker(side, kolonner):
    """The cells of each record on the page, following dotted attribute paths."""
    def vaerdi(obj, sti):
        for del_ in sti.split("."):
            obj = getattr(obj, del_, None) if obj is not None else None
        return obj() if callable(obj) else obj
    return [[vaerdi(obj, sti) for _, sti in kolonner] for obj in side.object_list]


def _oversigt(maal: list[Maal], resultater, valg, forklaringer: dict | None = None) -> dict:
    """Goals with their results and explanations (keyed as :func:`godkendelse.forklaringer`),
    national and local apart, and the summary strip's tally."""
    efter_maal = {}
    for resultat in resultater:
        efter_maal.setdefault(resultat.maal_nr, []).append(resultat)
    # Today's are Forklaring rows, the approved ones the snapshot's texts: shown as text.
    tekster = {k: getattr(f, "tekst", f) for k, f in (forklaringer or {}).items()}
    grupper = [{
        "maal": m, "resultater": efter_maal.get(m.nummer, []),
        "forklaring": tekster.get((m.nummer, None)),
        "indikator_forklaringer": [
            (r, tekster[(m.nummer, r.noegle)]) for r in efter_maal.get(m.nummer, [])
            if tekster.get((m.nummer, r.noegle))
        ],
    } for m in maal]
    afsluttet = valg.valgt_periode.helaar_afsluttet(valg.idag)
    indikatorer, milepaele = status_optaelling(resultater, afsluttet=afsluttet)
    return {
        "nationale": [g for g in grupper if g["maal"].niveau == Maal.Niveau.NATIONAL],
        "lokale": [g for g in grupper if g["maal"].niveau == Maal.Niveau.LOKAL],
        "opsummering": [_status_tal(s, antal) for s, antal in indikatorer],
        "milepaele": [_status_tal(s, antal) for s, antal in milepaele],
        "afsluttet": afsluttet,
    }


RAPPORTPERIODER = tuple(godkendelser.PERIODER)  # "H1", "helaar": explained and approved


def _godkendelser(kontrakt, periode) -> list[Godkendelse]:
    """Every approved version of ``periode`` (H1 or helår), newest first, without the snapshots
    (one query; none for a status date, which is never approved)."""
    if periode.navn not in RAPPORTPERIODER:
        return []
    return godkendelser.godkendelser(kontrakt, periode.navn)


def _valgt_godkendelse(valg) -> tuple[Godkendelse | None, list[Godkendelse]]:
    """The approved version the page is about (``?version=N``, else the newest) and every
    version. An unknown version is an error on ``valg``: the caller shows the period page's
    error."""
    versioner = _godkendelser(valg.kontrakt, valg.valgt_periode)
    nummer = valg.cleaned_data.get("version")
    if nummer is None:
        return (versioner[0] if versioner else None), versioner
    valgt = next((g for g in versioner if g.version == nummer), None)
    if valgt is None and valg.valgt_periode.navn in RAPPORTPERIODER:
        valg.add_error("version",
                       f"{valg.valgt_periode.titel} har ingen godkendt version {nummer}.")
    elif valgt is None:
        valg.add_error("version", "Kun 1. halvår og hele året godkendes; en status pr. dato "
                                  "har ingen godkendte versioner.")
    return valgt, versioner


def _visning(valg, valgt: tuple) -> dict:
    """What the status page shows: the approved report of an approved H1 or helår (unless
    ``?aktuel=1``), else today's; beside today's, the figures that moved since the approval and
    the records changed since (:func:`godkendelse.flyttede_tal`, ``aendringer_siden``).
    ``valgt``: the approved version asked for and every version (:func:`_valgt_godkendelse`,
    which the caller has checked)."""
    godkendelse, versioner = valgt
    ud = {"godkendelse": godkendelse, "versioner": versioner,
          "nyeste": versioner[0] if versioner else None,
          "vist_godkendt": godkendelse is not None and not valg.cleaned_data["aktuel"],
          "flyttede": [], "aendringer": []}
    if ud["vist_godkendt"]:
        godkendt = godkendelser.godkendt_rapport(godkendelse)
        # The explanations as approved: the snapshot's texts, keyed as today's.
        return {**ud, "rapport": godkendt, "forklaringer": godkendt.forklaringer}
    rapport = rapport_for(
        valg.kontrakt, valg.valgt_periode, idag=valg.idag, beregnet=timezone.localtime()
    )
    ud.update(rapport=rapport, forklaringer=_dagens_forklaringer(valg))
    if godkendelse is not None:
        ud["flyttede"] = godkendelser.flyttede_tal(
            godkendelser.godkendt_rapport(godkendelse), rapport
        )
        ud["aendringer"] = godkendelser.aendringer_siden(godkendelse)
    return ud


def _dagens_forklaringer(valg) -> dict:
    """Today's explanations of the period shown: only H1 and helår are explained."""
    if valg.valgt_periode.navn not in RAPPORTPERIODER:
        return {}
    return godkendelser.forklaringer(valg.kontrakt, valg.valgt_periode.navn)


def _status_tal(status: str, antal: int) -> dict:
    return {"status": status, "antal": antal, "tekst": STATUS_TEKST[status],
            "ikon": STATUS_IKON[status], "tone": STATUS_TONE[status]}


def _paneler(indikatorer: list[Indikator], resultater, valg) -> list[dict]:
    """One panel per indicator of the goal: its result, last year's at the same point, the
    projection, its chart and the tables beside it."""
    efter_noegle = {r.noegle: r for r in resultater}
    sidste_aar = _sidste_aar(valg, [i.noegle for i in indikatorer])
    periode, idag = valg.valgt_periode, valg.idag
    noegler = [n for i in indikatorer for n in _maalte_noegler(i)]
    maalinger = _maalinger(valg.kontrakt, noegler, periode, idag)
    milepaele = _milepaele([i for i in indikatorer if art(i.art).milepaele], periode, idag)
    paneler = []
    for indikator in indikatorer:
        resultat = efter_noegle[indikator.noegle]
        panel = {
            "indikator": indikator, "resultat": resultat, "art": art(indikator.art),
            "sidste_aar": sidste_aar["resultater"].get(indikator.noegle),
            "sidste_aar_titel": sidste_aar["titel"], "sidste_aar_query": sidste_aar["query"],
            "fremskrevet": diagrammer.fremskrivning(resultat, periode, idag),
            "maalinger": [(n, maalinger[n]) for n in _maalte_noegler(indikator)],
            "milepaele": milepaele.get(indikator.pk, []),
            "figur_id": "figur-" + indikator.noegle.replace(".", "-"),
        }
        panel["taeller_naevner_etiket"] = panel["art"].taeller_naevner_etiket(resultat)
        panel["ekstra_noegletal"] = panel["art"].ekstra_noegletal(resultat)
        panel.update(panel["art"].figur({
            "indikator": indikator, "resultat": resultat, "periode": periode, "idag": idag,
            "fremskrevet": panel["fremskrevet"], "aar": valg.kontrakt.aar,
            "forrige": sidste_aar["indikatorer"].get(indikator.noegle),
            "forrige_periode": sidste_aar["periode"],
        }))
        if panel["art"].milepaele and indikator.parametre.get("fyrtaarn"):
            panel["dokumentation"] = _dokumentation(indikator, periode)
        paneler.append(panel)
    return paneler


def _maal_forklaringer(request, maal, paneler, valg) -> dict:
    """The goal's explanations for the period shown (H1 or helår) with their history, on the
    goal and on each panel, and for an administrator the form that writes them."""
    if valg.valgt_periode.navn not in RAPPORTPERIODER:
        return {"forklares": False}
    navn = valg.valgt_periode.navn
    gemte = {noegle: f for noegle, f in godkendelser.forklaringer(valg.kontrakt, navn).items()
             if noegle[0] == maal.nummer}
    historik = {}
    for h in (Forklaring.history.filter(maal_id=maal.pk, periode=navn)
              .select_related("history_user", "opdateret_af").order_by("-history_date")):
        historik.setdefault(h.indikator_id, []).append(h)
    kan_forklare = request.user.has_perm(godkendelser.GODKEND_RET)
    form = ForklaringerForm(maal=[maal], eksisterende=gemte) if kan_forklare else None
    for panel in paneler:
        indikator = panel["indikator"]
        panel["forklaring"] = gemte.get((maal.nummer, indikator.noegle))
        panel["forklaring_historik"] = historik.get(indikator.pk, [])
        panel["forklaring_felt"] = form and form[feltnavn(maal.nummer, indikator.noegle)]
        panel["forklaring_anker"] = "forklaring-" + indikator.noegle.replace(".", "-")
    return {
        "forklares": True, "kan_forklare": kan_forklare,
        "forklaring": gemte.get((maal.nummer, None)), "forklaring_historik": historik.get(None, []),
        "forklaring_felt": form and form[feltnavn(maal.nummer)],
    }


def _sidste_aar(valg, noegler=None) -> dict:
    """Last year's contract of the same house, its results at the same point of the year (of
    the indicators ``noegler``, or all)."""
    forrige = Resultatkontrakt.objects.filter(
        erhvervshus=valg.kontrakt.erhvervshus, aar=valg.kontrakt.aar - 1
    ).first()
    if forrige is None:
        return {"resultater": {}, "indikatorer": {}, "periode": None, "titel": "", "query": ""}
    periode = diagrammer.samme_tid_sidste_aar(valg.valgt_periode)
    resultater = indikator_resultater(forrige, periode, idag=valg.idag, kun=noegler)
    return {
        "resultater": {r.noegle: r for r in resultater},
        "indikatorer": {i.noegle: i for i in _indikatorer(forrige)},
        "periode": periode,
        "titel": f"Sidste år: {periode.titel}",
        "query": urlencode({"aar": forrige.aar, "periode": periode.navn}),
    }


def _maal_url(kontrakt, noegle: str, query) -> str:
    """The goal page that shows ``noegle`` (a forhold's figures show on the forhold's goal)."""
    indikator = _indikatorer(kontrakt).filter(
        Q(noegle=noegle) | Q(parametre__taeller=noegle) | Q(parametre__naevner=noegle)
    ).select_related("maal").first()
    nummer = indikator.maal.nummer if indikator else 1
    params = {k: query[k] for k in ("aar", "periode") if query.get(k)}
    url = reverse("rapporter:maal", args=[nummer])
    return f"{url}?{urlencode(params)}" if params else url


# --- Reads for the goal page's tables ---------------------------------------------------------


def _indikatorer(kontrakt):
    return Indikator.objects.filter(maal__kontrakt=kontrakt)


def _maalte_noegler(indikator) -> list[str]:
    """The keys of the entered values an indicator shows (its kind says: a måling's own, a
    forhold's two)."""
    return art(indikator.art).maalte_noegler(indikator.noegle, indikator.parametre or {})


def _noegle_valg(kontrakt) -> list[tuple[str, str]]:
    """The keys a måling may carry in this contract, labelled with what they measure."""
    kendte = _maalbare_noegler(kontrakt.erhvervshus_id, kontrakt.aar)
    etiketter = {}
    for i in _indikatorer(kontrakt).only("noegle", "titel", "art", "parametre"):
        for noegle in _maalte_noegler(i):
            if noegle == i.noegle:
                etiketter[noegle] = f"{noegle}: {i.titel}"
            else:
                # What the part is part of, in words: "nævner i M14.gearing" alone says little.
                del_ = "tæller" if noegle == i.parametre.get("taeller") else "nævner"
                titel = i.titel[:1].lower() + i.titel[1:] if i.titel[1:2].islower() else i.titel
                etiketter[noegle] = f"{noegle}: {del_} i {titel} ({i.noegle})"
    return [(n, etiketter.get(n, n)) for n in sorted(kendte, key=_noegle_orden)]


def _noegle_orden(noegle: str):
    nummer, _, rest = noegle.partition(".")
    return (int(nummer.lstrip("M") or 0) if nummer.lstrip("M").isdigit() else 99, rest)


def _maalinger(kontrakt, noegler: list[str], periode, idag) -> dict[str, list]:
    """Every måling of the keys for the contract's year, newest first, the one that counts in
    ``periode`` marked ``taeller_med`` (chosen by the engine's rule) and those beyond the
    period's bound ``efter_perioden``."""
    raekker = list(
        Maaling.objects.filter(erhvervshus=kontrakt.erhvervshus, aar=kontrakt.aar,
                               noegle__in=noegler).select_related("indtastet_af")
    )
    til = indtastet_til(periode, idag)
    ud = {}
    for noegle in noegler:
        egne = [m for m in raekker if m.noegle == noegle]
        valgt = seneste_maaling(
            [MaaltVaerdi(noegle=m.noegle, vaerdi=float(m.vaerdi), dato=m.dato, id=m.pk)
             for m in egne], noegle, til,
        )
        for m in egne:
            m.taeller_med = valgt is not None and m.pk == valgt.id
            m.efter_perioden = til is not None and m.dato > til
        ud[noegle] = egne
    # Last year's figure beside this year's (the latest of its year, as a finished year counts
    # it), whether or not there is a contract for last year (issue 10).
    for m in Maaling.objects.filter(erhvervshus=kontrakt.erhvervshus, aar=kontrakt.aar - 1,
                                    noegle__in=noegler).select_related("indtastet_af").order_by(
                                        "noegle", "-dato", "-id"):
        if not any(getattr(n, "sidste_aar", False) for n in ud[m.noegle]):
            m.taeller_med, m.efter_perioden, m.sidste_aar = False, False, True
            ud[m.noegle].append(m)
    return ud


def _milepaele(indikatorer, periode, idag) -> dict[int, list]:
    """Every status of the milestones, newest first, the one that counts in ``periode`` marked
    ``taeller_med`` and those dated after the period's end ``efter_perioden``."""
    raekker = list(
        MilepaelStatus.objects.filter(indikator__in=indikatorer).select_related("indtastet_af")
    )
    ud = {}
    for indikator in indikatorer:
        egne = [s for s in raekker if s.indikator_id == indikator.pk]
        valgt = gaeldende_milepael(
            [MilepaelTal(status=s.status, dato=s.dato, id=s.pk, endelig=s.endelig)
             for s in egne], periode, idag,
        )
        for s in egne:
            s.taeller_med = valgt is not None and s.pk == valgt.id
            s.efter_perioden = s.dato > periode.til
        ud[indikator.pk] = egne
    return ud


def _dokumentation(indikator, periode, hoejst: int = 10) -> dict:
    """The first tagged forløb and aktiviteter beside a milestone, with how many there are."""
    poster = selectors.milepael_dokumentation(indikator, periode)
    return {
        "forloeb": list(poster["forloeb"][:hoejst]), "forloeb_antal": poster["forloeb"].count(),
        "aktiviteter": list(poster["aktiviteter"][:hoejst]),
        "aktiviteter_antal": poster["aktiviteter"].count(),
    }
