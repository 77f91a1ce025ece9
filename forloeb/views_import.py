"""The upload page for the registration workbook: upload, see the dry run, confirm, import.

Who may import: an administrator, i.e. a member of the Administrator group (or a superuser) who
also holds ``forloeb.add_forloeb``. An import creates and changes records of every kind at once
and names the importer in their history, so it is not a registrant's tool, although registrants
may add forløb one at a time. The empty template may be downloaded by anyone who sees forløb.

The dry run and the import run in the background (``forloeb.tasks``, django-tasks): the upload
saves the file in ``settings.IMPORT_TMP_DIR`` under a random token, records an
:class:`~forloeb.models.Importkoersel` and redirects to its page, which shows the queue, the rows
read and checked per sheet (``kontrakt/static/js/import.js`` polls the JSON status every second;
without JavaScript the page reloads itself) and then the answer. A dry run that found something
to save offers the confirmation, which posts the run's token back and starts the import as a
new run. No path ever comes from the client. A new upload deletes the waiting file of the user's
dry run it replaces, so a confirmation from an older tab is refused.

Each user sees their own runs; another's run answers 404. A run waiting behind another's says
whose import is ahead of it.

While a period is approved (``forloeb.laas``) the page asks for a reason too: rows in such a
period are imported only by an administrator with one (``forloeb.adgang``); it is kept on the
run until the confirmation.
"""

import re
import secrets
import time
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.views.decorators.http import require_GET, require_POST

from kontrakt.svar import xlsx_svar

from . import adgang, laas, tasks
from .arbejdsbog import ARK_NAVNE, skriv_skabelon
from .arbejdsbog.ark import vist_navn
from .importer import AARSAG_MAKS, for_stor_besked
from .models import Importkoersel

TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
LEVETID = 24 * 60 * 60
# A run still waiting after this long, with nothing before it, hints that no worker runs.
INGEN_ARBEJDER = timedelta(seconds=30)
GENINDLAES_SEKUNDER = 2  # the page without JavaScript reloads itself while the run is active
Status = Importkoersel.Status


class UploadForm(forms.Form):
    fil = forms.FileField(
        label="Arbejdsbog (.xlsx) eller CSV-fil",
        help_text="En CSV-fil indeholder ét ark og hedder som arket, f.eks. Forloeb.csv.",
    )
    ark = forms.ChoiceField(
        label="Ark (CSV-fil)", required=False,
        choices=[("", "Efter filnavnet"), *((navn, vist_navn(navn)) for navn in ARK_NAVNE)],
        help_text="Kun for en CSV-fil, hvis navn ikke er et arks, f.eks. udtraek.csv. En "
        "arbejdsbog (.xlsx) finder selv sine ark.",
    )

    def __init__(self, *args, laaste_perioder=(), bruger=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The house the import is for: a choice among the user's houses when they have several.
        huse = adgang.brugerens_huse(bruger)
        alle = list(huse[:2])
        self.hus = alle[0] if len(alle) == 1 else None
        self.uden_hus = not alle
        if len(alle) > 1:
            self.fields["erhvervshus"] = forms.ModelChoiceField(
                queryset=huse, label="Erhvervshus", empty_label="Vælg hus",
                help_text="Det erhvervshus importen er for; filens nye registreringer hører "
                "til det.",
                error_messages={"required": "Vælg det erhvervshus, importen er for.",
                                "invalid_choice": "Vælg et af dine erhvervshuse."},
            )
        if laaste_perioder:
            perioder = "; ".join(p.grund for p in laaste_perioder)
            self.fields["aarsag"] = forms.CharField(
                label="Årsag", required=False, max_length=AARSAG_MAKS,
                help_text=f"Påkrævet, hvis filen ændrer registreringer i en godkendt periode "
                f"({perioder}). Gemmes i historikken efter filens navn.",
            )

    def clean(self):
        data = super().clean()
        if self.uden_hus:
            raise forms.ValidationError(adgang.INTET_HUS)
        data["erhvervshus"] = data.get("erhvervshus") or self.hus
        return data

    def clean_fil(self):
        fil = self.cleaned_data["fil"]
        if fil.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(for_stor_besked(fil.size))
        return fil


def kan_importere(bruger) -> bool:
    return bruger.has_perm("forloeb.add_forloeb") and adgang.er_administrator(bruger)


def _kun_importoerer(request) -> None:
    if not kan_importere(request.user):
        raise PermissionDenied


@login_required
def upload(request):
    _kun_importoerer(request)
    form = UploadForm(request.POST or None, request.FILES or None,
                      laaste_perioder=laas.laaste_perioder(), bruger=request.user)
    if request.method == "POST" and form.is_valid():
        _glem_proevekoersler(request.user)
        fil = form.cleaned_data["fil"]
        with transaction.atomic():  # the run and its task, or neither (no run waits forever)
            koersel = Importkoersel.objects.create(
                bruger=request.user, erhvervshus=form.cleaned_data["erhvervshus"],
                filnavn=fil.name[:255], token=_gem_fil(fil.read()),
                ark=form.cleaned_data["ark"] or "", aarsag=form.cleaned_data.get("aarsag", ""),
                dry_run=True,
            )
            tasks.koer_import.enqueue(koersel.pk)
        return redirect("importer:koersel", pk=koersel.pk)
    aktiv = Importkoersel.objects.filter(bruger=request.user, status__in=tasks.AKTIVE).first()
    return render(request, "forloeb/import/upload.html", {
        "form": form, "aktiv": aktiv,
        "graense_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024),
    })


@login_required
@require_POST
def bekraeft(request):
    """Start the import of a finished dry run whose file still waits, as a new run."""
    _kun_importoerer(request)
    token = request.POST.get("token", "")
    proeve = Importkoersel.objects.filter(
        bruger=request.user, dry_run=True, status=Status.FAERDIG, token=token,
        importen__isnull=True,
    ).first() if TOKEN.match(token) else None
    svar = tasks.resultat_fra_json(proeve.resultat) if proeve else None
    if proeve is None or not tasks.fil(token).is_file() or not (svar.ok and svar.noget_at_gemme):
        messages.error(request, "Filen fra prøvekørslen er ikke gemt længere. Upload den igen.")
        return redirect("importer:upload")
    with transaction.atomic():
        koersel = Importkoersel.objects.create(
            bruger=request.user, erhvervshus_id=proeve.erhvervshus_id, filnavn=proeve.filnavn,
            token=proeve.token, ark=proeve.ark,
            aarsag=proeve.aarsag, dry_run=False, proevekoersel=proeve,
        )
        tasks.koer_import.enqueue(koersel.pk)
    return redirect("importer:koersel", pk=koersel.pk)


@login_required
@require_GET
def koersel(request, pk):
    """A run's page: the queue or the progress while it is active, then the answer."""
    _kun_importoerer(request)
    run = _egen(request, pk)
    svar = tasks.resultat_fra_json(run.resultat)
    kan_bekraefte = bool(
        run.dry_run and svar and svar.ok and svar.noget_at_gemme
        and not hasattr(run, "importen") and TOKEN.match(run.token)
        and tasks.fil(run.token).is_file()
    )
    return render(request, "forloeb/import/koersel.html", {
        "koersel": run, "svar": svar, "kan_bekraefte": kan_bekraefte,
        "importen": getattr(run, "importen", None) if run.dry_run else None,
        "status": status_data(run), "genindlaes": GENINDLAES_SEKUNDER,
    })


@login_required
@require_GET
def koersel_status(request, pk):
    """The run's state as JSON, for import.js."""
    _kun_importoerer(request)
    return JsonResponse(status_data(_egen(request, pk)))


@login_required
@permission_required("forloeb.view_forloeb", raise_exception=True)
def skabelon(request):
    return xlsx_svar(skriv_skabelon(), "registreringer-skabelon.xlsx")


def _egen(request, pk) -> Importkoersel:
    run = Importkoersel.objects.select_related("proevekoersel").filter(
        pk=pk, bruger=request.user).first()
    if run is None:
        raise Http404("Ingen sådan importkørsel.")
    return run


def _tal(n: int) -> str:
    return number_format(n, force_grouping=True)


def status_data(run: Importkoersel) -> dict:
    """What the page and its script show of a run: the state in words and each sheet's rows."""
    plads = tasks.plads_i_koeen(run)
    art = "Prøvekørslen" if run.dry_run else "Importen"
    foran = None
    if run.status == Status.VENTER and plads > 1:
        foran = Importkoersel.objects.filter(status__in=tasks.AKTIVE, pk__lt=run.pk).order_by(
            "pk").select_related("bruger").first()
        tekst = (f"Der kører allerede en import; din starter, når den er færdig. Din er nummer "
                 f"{plads} i køen.")
    elif run.status == Status.VENTER:
        tekst = f"{art} af {run.filnavn} starter om et øjeblik."
    elif run.status == Status.KOERER:
        tekst = f"{art} af {run.filnavn} kører."
        aktuelt = next((a for a in run.fremskridt or [] if a.get("aktuelt")), None)
        if aktuelt:
            tekst += (f" Kontrollerer {vist_navn(aktuelt['ark'])}." if aktuelt["kontrolleret"]
                      else f" Læser {vist_navn(aktuelt['ark'])}.")
    elif run.status == Status.FAERDIG:
        tekst = f"{art} af {run.filnavn} er færdig."
    else:
        tekst = f"{art} af {run.filnavn} mislykkedes. {run.fejlbesked}"
    ark = []
    for a in run.fremskridt or []:
        laest, kontrolleret = a["laest"], a["kontrolleret"]
        ark.append({
            "ark": vist_navn(a["ark"]), "laest": laest, "kontrolleret": kontrolleret,
            "tekst": f"{_tal(kontrolleret)} af {_tal(laest)} rækker kontrolleret" if kontrolleret
            else f"{_tal(laest)} rækker læst",
        })
    ingen_arbejder = (run.status == Status.VENTER and plads == 1
                      and timezone.now() - run.oprettet > INGEN_ARBEJDER)
    return {
        "id": run.pk, "status": run.status, "aktiv": run.status in tasks.AKTIVE,
        "plads": plads, "tekst": tekst, "ark": ark,
        "foran": (f"{foran.bruger.get_full_name() or foran.bruger.get_username()}s "
                  f"{'prøvekørsel' if foran.dry_run else 'import'} af {foran.filnavn}")
        if foran else "",
        "ingen_arbejder": ingen_arbejder,
    }


def _glem_proevekoersler(bruger) -> None:
    """Delete the waiting files of the user's dry runs not confirmed: a new upload replaces
    them (and an older tab's confirmation is then refused)."""
    for token in Importkoersel.objects.filter(
        bruger=bruger, dry_run=True, status=Status.FAERDIG, importen__isnull=True
    ).values_list("token", flat=True):
        if TOKEN.match(token):
            tasks.fil(token).unlink(missing_ok=True)


def _gem_fil(indhold: bytes) -> str:
    """Keep the file under a new random token; files left by abandoned uploads are removed."""
    graense = time.time() - LEVETID
    for gammel in tasks.mappe().glob("*.upload"):
        if gammel.stat().st_mtime < graense:
            gammel.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    tasks.fil(token).write_bytes(indhold)
    return token
