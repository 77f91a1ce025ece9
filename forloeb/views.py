"""The registration screens: lists with filters and Excel export, the forms that create, change
and delete records, the company page and the front page of /registrering/.

Seven record kinds share the same list, export, edit and delete views; an :class:`Art` says what
differs (model, form, table, filters, service, workbook sheets). The forløb form, which also takes
the company and the henvisninger, has views of its own. Every view states what it requires: a
logged-in user (anonymous users go to the login page) with the model permission for the action;
anyone else gets 403.

Which records a user may change is ``forloeb.adgang``'s rule: a record the user may not change
(another registrant's, or one in an approved period) opens read-only, saying why, and a POST to
change or delete it gets that page back with 403. Every record's page shows its history.

A user sees the records of their own houses only (``adgang.husets``): the lists, exports, front
page counts and the company page's records; another house's record is not found (404). A new
record belongs to the user's house, or to the one they choose when they belong to several.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, ProtectedError, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import capfirst
from django_tables2 import RequestConfig

from kontrakt import dataversion, db
from kontrakt.svar import xlsx_svar

from . import adgang, filters, forms, laas, selectors, services, tables
from .arbejdsbog import skriv_arbejdsbog
from .models import (
    AITjek,
    Aktivitet,
    Forloeb,
    Henvisning,
    Programdeltagelse,
    Samarbejdsaftale,
    Virksomhed,
)
from .views_import import kan_importere

PR_SIDE = 50


@dataclass(frozen=True)
class Art:
    """One kind of registration and what its screens need to know about it."""

    slug: str  # URL names: forloeb:<slug>_liste, _opret, _ret, _slet, _eksport
    titel: str  # the list's heading
    bestemt: str  # "Forløbet": the subject of "… er gemt"
    model: type
    filterset: type
    tabel: type
    ark: Callable  # filtered queryset -> {IMPORTFORMAT sheet: queryset}
    form: type | None = None
    ret_form: type | None = None
    opret: Callable | None = None  # the service that creates one
    med_virksomhed: bool = False  # the company is picked (or created) on the same form
    noegle: str = "pk"  # the field that names one record in its URLs

    def tilladelse(self, handling: str) -> str:
        return f"forloeb.{handling}_{self.model._meta.model_name}"

    def url(self, handling: str, **kwargs) -> str:
        return reverse(f"forloeb:{self.slug}_{handling}", kwargs=kwargs or None)

    @property
    def liste_url(self) -> str:
        return self.url("liste")

    @property
    def eksport_url(self) -> str:
        return self.url("eksport")

    @property
    def opret_url(self) -> str:
        """The create page; henvisninger have none (they are entered on their forløb)."""
        return self.url("opret") if self.opret or self.slug == "forloeb" else ""

    @property
    def ental(self) -> str:
        return self.model._meta.verbose_name

    @property
    def ny_titel(self) -> str:
        """"Nyt forløb", "Ny aktivitet": Danish gender, by the kind."""
        nyt = self.slug in ("forloeb", "ai_tjek")
        return f"{'Nyt' if nyt else 'Ny'} {self.ental}"

    def instans_url(self, handling: str, instans) -> str:
        return self.url(handling, **{self.noegle: getattr(instans, self.noegle)})

    def side_url(self, instans) -> str:
        """Where a record is opened: a company's page, otherwise its edit form."""
        if self.slug == "virksomhed":
            return reverse("forloeb:virksomhed_side", args=[instans.cvr])
        return self.instans_url("ret", instans)


def _virksomheder(qs, felt="virksomhed"):
    """The companies of the records in ``qs``, so an exported sheet can be imported again."""
    return Virksomhed.objects.filter(pk__in=qs.values(felt))


ARTER = {
    art.slug: art
    for art in (
        Art("forloeb", "Forløb", "Forløbet", Forloeb, filters.ForloebFilter,
            tables.ForloebTabel,
            lambda qs: {"Virksomheder": _virksomheder(qs), "Forloeb": qs,
                        "Henvisninger": Henvisning.objects.filter(forloeb__in=qs.values("pk"))}),
        Art("virksomhed", "Virksomheder", "Virksomheden", Virksomhed, filters.VirksomhedFilter,
            tables.VirksomhedTabel, lambda qs: {"Virksomheder": qs},
            forms.VirksomhedForm, forms.VirksomhedRetForm, services.virksomhed_create,
            noegle="cvr"),
        Art("henvisning", "Henvisninger", "Henvisningen", Henvisning, filters.HenvisningFilter,
            tables.HenvisningTabel,
            lambda qs: {
                "Virksomheder": _virksomheder(qs, "forloeb__virksomhed"),
                "Forloeb": Forloeb.objects.filter(pk__in=qs.values("forloeb")),
                "Henvisninger": qs,
            }),
        Art("ai_tjek", "AI-tjek", "AI-tjekket", AITjek, filters.AITjekFilter,
            tables.AITjekTabel,
            lambda qs: {"Virksomheder": _virksomheder(qs), "AI-tjek": qs},
            forms.AITjekForm, forms.AITjekRetForm, services.ai_tjek_create, True),
        Art("aktivitet", "Aktiviteter", "Aktiviteten", Aktivitet, filters.AktivitetFilter,
            tables.AktivitetTabel, lambda qs: {"Aktiviteter": qs},
            forms.AktivitetForm, forms.AktivitetRetForm, services.aktivitet_create),
        Art("programdeltagelse", "Programdeltagelser", "Programdeltagelsen", Programdeltagelse,
            filters.ProgramdeltagelseFilter, tables.ProgramdeltagelseTabel,
            lambda qs: {"Virksomheder": _virksomheder(qs), "Programmer": qs},
            forms.ProgramdeltagelseForm, forms.ProgramdeltagelseRetForm,
            services.programdeltagelse_create, True),
        Art("samarbejdsaftale", "Samarbejdsaftaler", "Samarbejdsaftalen", Samarbejdsaftale,
            filters.SamarbejdsaftaleFilter, tables.SamarbejdsaftaleTabel,
            lambda qs: {"Samarbejdsaftaler": qs},
            forms.SamarbejdsaftaleForm, forms.SamarbejdsaftaleRetForm,
            services.samarbejdsaftale_create),
    )
}


def kraever(handling: str):
    """Login, then the model permission ``forloeb.<handling>_<model>`` of the view's ``art``."""

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def med_tilladelse(request, *args, art: Art, **kwargs):
            if not request.user.has_perm(art.tilladelse(handling)):
                raise PermissionDenied
            return view(request, *args, art=art, **kwargs)

        return med_tilladelse

    return decorator


# --- Front page and company ---------------------------------------------------------------------


@login_required
@permission_required("forloeb.view_forloeb", raise_exception=True)
def oversigt(request):
    if "soeg" in request.GET:
        return _find_virksomhed(request.GET["soeg"])
    tal = [(art, adgang.husets(art.model.objects.all(), request.user).aggregate(
        i_alt=Count("pk"), mine=Count("pk", filter=Q(oprettet_af=request.user)),
    )) for art in ARTER.values()]
    mine_igangvaerende = adgang.husets(Forloeb.objects.all(), request.user).filter(
        oprettet_af=request.user, slutdato__isnull=True
    ).count()
    return render(request, "forloeb/oversigt.html", {
        "tal": tal, "seneste": _seneste(request.user),
        "mine_igangvaerende": mine_igangvaerende, "kan_importere": kan_importere(request.user),
    })


@login_required
@permission_required("forloeb.view_virksomhed", raise_exception=True)
def virksomhed_side(request, cvr):
    virksomhed = get_object_or_404(Virksomhed.objects.select_related("kommune__region"), cvr=cvr)
    bruger = request.user
    return render(request, "forloeb/virksomhed.html", {
        "virksomhed": virksomhed,
        "forloeb": adgang.husets(virksomhed.forloeb.all(), bruger).prefetch_related(
            "emner", "henvisninger__aktoer"),
        "ai_tjek": adgang.husets(virksomhed.ai_tjek.all(), bruger),
        "programdeltagelser": adgang.husets(virksomhed.programdeltagelser.all(), bruger),
        "historik": selectors.virksomhed_historik(
            virksomhed, huse=None if adgang.ser_alle_huse(bruger)
            else bruger.medlemskaber.values("erhvervshus")),
    })


def _find_virksomhed(soeg):
    """"Find virksomhed": an exact CVR opens the company's page, anything else the list's search."""
    virksomhed = selectors.virksomhed_med_cvr(soeg)
    if virksomhed is not None:
        return redirect("forloeb:virksomhed_side", virksomhed.cvr)
    return redirect(f"{reverse('forloeb:virksomhed_liste')}?{urlencode({'soeg': soeg})}")


@login_required
@permission_required("forloeb.view_virksomhed", raise_exception=True)
def virksomhed_soeg(request):
    """Companies matching ``q`` (CVR or name) as JSON, for the company field's suggestions."""
    q = request.GET.get("q", "").strip()
    alle = Virksomhed.objects.select_related("kommune")
    fundne = filters.VirksomhedFilter({"soeg": q}, alle).qs  # the list's own search
    return JsonResponse({"resultater": [
        {"cvr": v.cvr, "navn": v.navn, "kommune": v.kommune.navn,
         "stiftelsesdato": v.stiftelsesdato.strftime("%d-%m-%Y")}
        for v in (fundne[:10] if len(q) >= 2 else [])
    ]})


# --- Lists and export ---------------------------------------------------------------------------


@kraever("view")
def liste(request, art: Art):
    """The filters, and the count and table of the records that pass them; kept per data
    version (``kontrakt.dataversion``): rendered again only after a write to a table the list's
    query or its filters' choices read, per user (their houses, "Mine"), permissions and query
    string. django-tables2 spends most of a page's time on its cells."""

    @functools.cache  # built once, when the list's tables or its content are first needed
    def filtre():
        return art.filterset(request.GET or None,
                             adgang.husets(art.filterset.grundlag(), request.user),
                             request=request)

    def kontekst() -> dict:
        filterset = filtre()
        tabel = art.tabel(filterset.qs, order_by_field="sortering", page_field="side")
        RequestConfig(request, paginate={"per_page": PR_SIDE}).configure(tabel)
        return {"art": art, "filter": filterset, "tabel": tabel,
                "kan_oprette": request.user.has_perm(art.tilladelse("add"))}

    def laeser():  # the list's query and the querysets of the filters' choices
        filterset = filtre()
        return [filterset.qs, *(felt.queryset for felt in filterset.form.fields.values()
                                if hasattr(felt, "queryset"))]

    return render(request, "forloeb/liste.html", {
        "art": art,
        "indhold": dataversion.indhold(request, "forloeb/_liste_indhold.html", kontekst,
                                       querysets=laeser),
    })


@kraever("view")
def eksport(request, art: Art):
    filterset = art.filterset(request.GET or None,
                              adgang.husets(art.model.objects.all(), request.user),
                              request=request)
    navn = f"{art.slug}-{timezone.localdate():%Y-%m-%d}.xlsx"
    return xlsx_svar(skriv_arbejdsbog(art.ark(filterset.qs)), navn)


# --- Create, change, delete ---------------------------------------------------------------------


@kraever("add")
def opret(request, art: Art):
    data = request.POST if request.method == "POST" else None
    valg = _valg(request, data) if art.med_virksomhed else None
    saet = forms.Formularsaet(_opret_form(request, art.form(data)), valg)
    if data is not None and (gemt := _allerede_gemt(art, saet)):
        return _efter_gem(request, art, gemt, allerede=True)
    if data is not None and saet.is_valid():
        instans = _gem(saet, lambda: art.opret(
            **saet.felter(), **_hus(saet.form), **_virksomhed(valg, request.user),
            bruger=request.user,
            aarsag=saet.aarsag,
        ))
        if instans is not None:
            return _efter_gem(request, art, instans)
    if data is not None and (gemt := _allerede_gemt(art, saet)):
        return _efter_gem(request, art, gemt, allerede=True)
    return _formularside(request, art, saet)


@kraever("change")
def ret(request, art: Art, **noegle):
    instans = get_object_or_404(adgang.husets(art.model.objects.all(), request.user), **noegle)
    vurdering = adgang.vurder(request.user, instans)
    data = request.POST if request.method == "POST" and vurdering.tilladt else None
    valg = _valg(request, data, instans.virksomhed) if art.med_virksomhed else None
    saet = forms.Formularsaet(art.ret_form(data, instance=instans), valg)
    forms.kraev_aarsag(saet.form, instans, vurdering)
    if data is not None and saet.is_valid():
        felter, m2m = _uden_m2m(art, saet.felter())
        if _gem(saet, lambda: services.opdater(
            instans, bruger=request.user, aarsag=saet.aarsag, m2m=m2m,
            **felter, **_virksomhed(valg, request.user),
        )):
            return _efter_gem(request, art, instans)
    return _formularside(request, art, saet, instans, vurdering)


@kraever("delete")
def slet(request, art: Art, **noegle):
    instans = get_object_or_404(adgang.husets(art.model.objects.all(), request.user), **noegle)
    vurdering = adgang.vurder(request.user, instans, handling="slet")
    if not vurdering.tilladt:
        return render(request, "forloeb/slet.html", {
            "art": art, "instans": instans, "laest": vurdering.grund,
            "registreret_af": adgang.registreret_af(instans),
        }, status=403)
    form = forms.SletForm(request.POST if request.method == "POST" else None, instans=instans,
                          vurdering=vurdering)
    if request.method == "POST" and form.is_valid():
        try:
            services.slet(instans, bruger=request.user, aarsag=form.cleaned_data["aarsag"])
        except ProtectedError:
            form.add_error(None, f"{art.bestemt} har registreringer og kan ikke slettes. "
                                 "Slet eller flyt dem først.")
        except ValidationError as fejl:
            forms.Formularsaet(form).tilfoej_fejl(fejl)
        else:
            messages.success(request, f"{art.bestemt} er slettet: {instans}.")
            return redirect(art.url("liste"))
    return render(request, "forloeb/slet.html", {"art": art, "instans": instans, "form": form},
                  status=422 if form.is_bound else 200)


@login_required
@permission_required("forloeb.add_forloeb", raise_exception=True)
def forloeb_opret(request):
    data = request.POST if request.method == "POST" else None
    raadgiver = request.GET.get("raadgiver") or request.user.get_full_name()
    saet = forms.ForloebFormularsaet(
        _opret_form(request, forms.ForloebForm(data, initial={"raadgiver": raadgiver})),
        _valg(request, data),
        forms.HenvisningFormSet(data, prefix="henvisning"),
    )
    art = ARTER["forloeb"]
    # Before validation: the second submit of a saved forløb would be its own likely dublet.
    if data is not None and (gemt := _allerede_gemt(art, saet)):
        return _efter_gem(request, art, gemt, allerede=True, raadgiver=gemt.raadgiver)
    if data is not None and saet.is_valid():
        forloeb = _gem(saet, lambda: _gem_forloeb(saet, request.user))
        if forloeb is not None:
            return _efter_gem(request, art, forloeb, raadgiver=forloeb.raadgiver)
        if gemt := _allerede_gemt(art, saet):  # saved meanwhile by a simultaneous submit
            return _efter_gem(request, art, gemt, allerede=True, raadgiver=gemt.raadgiver)
    return _formularside(request, art, saet)


@login_required
@permission_required("forloeb.change_forloeb", raise_exception=True)
def forloeb_ret(request, pk):
    forloeb = get_object_or_404(
        adgang.husets(Forloeb.objects.select_related("virksomhed"), request.user), pk=pk)
    vurdering = adgang.vurder(request.user, forloeb)
    data = request.POST if request.method == "POST" and vurdering.tilladt else None
    henvisninger = [{"id": h.pk, "aktoer": h.aktoer.navn, "dato": h.dato}
                    for h in forloeb.henvisninger.select_related("aktoer")]
    saet = forms.ForloebFormularsaet(
        forms.ForloebRetForm(data, instance=forloeb), _valg(request, data, forloeb.virksomhed),
        forms.HenvisningFormSet(data, prefix="henvisning", initial=henvisninger),
    )
    forms.kraev_aarsag(saet.form, forloeb, vurdering)
    if data is not None and saet.is_valid():
        if _gem(saet, lambda: _gem_forloeb(saet, request.user, forloeb)):
            return _efter_gem(request, ARTER["forloeb"], forloeb, raadgiver=forloeb.raadgiver)
    return _formularside(request, ARTER["forloeb"], saet, forloeb, vurdering)


# --- Helpers ------------------------------------------------------------------------------------


def _opret_form(request, form):
    """A create form for the user's house (a choice, when they belong to several), with a reason
    field for an administrator while a period is approved. A user of no house is refused."""
    if adgang.hus_felt(form._meta.model) is not None:  # a company belongs to no house
        forms.tilbyd_hus(form, request.user)
        if form.erhvervshus is None and "erhvervshus" not in form.fields:
            raise PermissionDenied(adgang.INTET_HUS)
    if adgang.er_administrator(request.user):
        forms.tilbyd_aarsag(form, laas.laaste_perioder())
    return form


def _hus(form) -> dict:
    """The house of a new record, when the form offered no choice: the user's only one."""
    if "erhvervshus" in form.fields or not hasattr(form, "erhvervshus"):
        return {}
    return {"erhvervshus": form.erhvervshus}


def _valg(request, data, virksomhed=None):
    initial = {"soeg": request.GET["cvr"]} if "cvr" in request.GET else None
    return forms.VirksomhedValgForm(data, prefix="virksomhed", virksomhed=virksomhed,
                                    initial=initial)


def _virksomhed(valg, bruger) -> dict:
    """The picked company, created first when it is new; nothing for records without one."""
    if valg is None:
        return {}
    if valg.virksomhed is None:
        valg.virksomhed = services.virksomhed_create(**valg.ny_virksomhed, bruger=bruger)
    return {"virksomhed": valg.virksomhed}


def _uden_m2m(art, felter):
    m2m_navne = {f.name for f in art.model._meta.many_to_many}
    m2m = {navn: felter.pop(navn) for navn in list(felter) if navn in m2m_navne}
    return felter, m2m


SAMTIDIG = ("Den samme registrering blev gemt samtidig af en anden indsendelse, så denne er "
            "ikke gemt. Se efter den i listen.")


def _gem(saet, gem):
    """Run ``gem`` (service calls) in one transaction; a ValidationError raised there shows on
    the form instead, and nothing is written. So does a database busy past its limit
    (``kontrakt.db``: the page is answered 503, every field kept) and a unique key taken by a
    simultaneous submit."""
    try:
        with transaction.atomic():
            return gem() or True
    except ValidationError as fejl:
        saet.tilfoej_fejl(fejl)
    except IntegrityError:
        saet.form.add_error(None, SAMTIDIG)
    except OperationalError as fejl:
        if not db.optaget(fejl):
            raise
        saet.form.add_error(None, db.OPTAGET)
        saet.optaget = True
    if saet.valg is not None and saet.valg.ny_virksomhed is not None:
        saet.valg.virksomhed = None  # it was rolled back with the rest
    return None


def _allerede_gemt(art, saet):
    """The record an earlier submit of this same form saved, or None: the one with the id the
    form was shown with (forløb, AI-tjek, aktivitet: ``forms.EscrmIdMixin``), or, after
    validation, the record whose unique key the form ran into when all else sent is the same
    (virksomhed, programdeltagelse, samarbejdsaftale: ``forms.dublet_fejl``)."""
    if indsendelse_id := getattr(saet.form, "indsendelse_id", ""):
        return art.model.objects.filter(ekstern_id=indsendelse_id,
                                        **_hus_filter(saet.form)).first()
    dublet = getattr(saet.form, "dublet", None)
    if dublet is not None and hasattr(saet.form, "cleaned_data") and saet.magen_til(dublet):
        return dublet
    return None


def _hus_filter(form) -> dict:
    hus = forms.formens_hus(form)
    return {"erhvervshus": hus} if hus is not None else {}


def _gem_forloeb(saet, bruger, forloeb=None):
    felter, m2m = _uden_m2m(ARTER["forloeb"], saet.felter())
    if forloeb is None:
        felter = {**_hus(saet.form), **felter}
    return services.forloeb_gem(
        forloeb=forloeb,
        virksomhed=_virksomhed(saet.valg, bruger)["virksomhed"],
        henvisninger=saet.henvisninger.henvisninger(felter["startdato"]),
        slettede_henvisninger=saet.henvisninger.slettede_id() if forloeb else (),
        emner=m2m["emner"],
        bruger=bruger,
        aarsag=saet.aarsag,
        **felter,
    )


def _efter_gem(request, art, instans, allerede=False, **naeste):
    """"… er gemt" with a link to the record, then the record's own page, where the user sees
    what was saved (a list sorted by start date would hide it among the others), or (Gem og opret
    ny) a new form; "… er allerede gemt" for a second submit of the same form (``allerede``)."""
    virksomhed = getattr(instans, "virksomhed", None)
    # A programdeltagelse names its company already.
    hvem = f" for {virksomhed.navn}" if virksomhed and str(virksomhed) not in str(instans) else ""
    messages.success(request, format_html(
        '{} er {}gemt: <a href="{}">{}</a>{}.', art.bestemt, "allerede " if allerede else "",
        art.side_url(instans), instans, hvem,
    ))
    if request.POST.get("naeste") == "ny":
        return redirect(f"{art.url('opret')}?{urlencode(naeste)}" if naeste else art.url("opret"))
    return redirect(art.side_url(instans))


def _formularside(request, art, saet, instans=None, vurdering=None):
    """The create or edit page; a record the user may not change (``vurdering``) is shown
    read-only with why, and a POST to it is answered 403."""
    skabelon = "forloeb/forloeb_form.html" if art.slug == "forloeb" else "forloeb/form.html"
    ekstra = {}
    if art.slug == "forloeb":
        ekstra = {"aktoerer": sorted(a.navn for a in saet.henvisninger.aktoerer.values()),
                  "raadgivere": filters.raadgivere(request.user)}
    status = db.OPTAGET_STATUS if saet.optaget else 422 if saet.is_bound else 200
    if instans is not None:
        laest = not vurdering.tilladt
        ekstra.update(registreret_af=adgang.registreret_af(instans),
                      historik=selectors.historik(instans),
                      laest=vurdering.grund if laest else "")
        if laest:
            saet.skrivebeskyt()
            status = 403 if request.method == "POST" else 200
        if not laest and request.user.has_perm(art.tilladelse("delete")):
            ekstra["slet_url"] = art.instans_url("slet", instans)
    return render(request, skabelon, {
        "art": art, "saet": saet, "form": saet.form, "valg": saet.valg, "instans": instans,
        "titel": (f"Ret {art.ental}" if not ekstra.get("laest") else capfirst(art.ental))
        if instans else art.ny_titel, **ekstra,
    }, status=status)


def _seneste(bruger, antal=10):
    """The user's latest registrations of every kind, newest first."""
    poster = []
    for art in ARTER.values():
        if art.slug == "henvisning":
            continue  # entered with, and shown as, their forløb
        seneste = adgang.husets(art.filterset.grundlag(), bruger).filter(
            oprettet_af=bruger).order_by("-oprettet")
        poster += [(obj.oprettet, art, obj, art.side_url(obj)) for obj in seneste[:antal]]
    return sorted(poster, key=lambda p: p[0], reverse=True)[:antal]
