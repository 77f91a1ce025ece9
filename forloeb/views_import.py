"""The upload page for the registration workbook: upload, see the dry run, confirm, import.

Who may import: an administrator, i.e. a member of the Administrator group (or a superuser) who
also holds ``forloeb.add_forloeb``. An import creates and changes records of every kind at once
and names the importer in their history, so it is not a registrant's tool, although registrants
may add forløb one at a time. The empty template may be downloaded by anyone who sees forløb.

Between the dry run and the confirmation the file waits in ``settings.IMPORT_TMP_DIR`` under a
random token. The session holds the token, the file name and the chosen sheet; the browser only
echoes the token back so that a confirmation from an older tab is refused. No path ever comes from
the client. A new dry run deletes the file of the one it replaces.

While a period is approved (``forloeb.laas``) the page asks for a reason too: rows in such a
period are imported only by an administrator with one (``forloeb.adgang``), and it is kept with
the file in the session until the confirmation.

After a confirmed import the page redirects (POST/redirect/GET): the answer waits in the session
for the one page view that shows it, so reloading the page does not post the import again.
"""

import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kontrakt.svar import xlsx_svar

from . import adgang, laas
from .arbejdsbog import ARK_NAVNE, skriv_skabelon
from .importer import AARSAG_MAKS, Fejl, Opgoerelse, Resultat, for_stor_besked, importer

SESSION_NOEGLE = "import_fil"
SESSION_SVAR = "import_svar"
# What the answer shows at most of changed rows and warnings (the template's slices).
VIST = 200
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
LEVETID = 24 * 60 * 60


class UploadForm(forms.Form):
    fil = forms.FileField(
        label="Arbejdsbog (.xlsx) eller CSV-fil",
        help_text="En CSV-fil indeholder ét ark og hedder som arket, f.eks. Forloeb.csv.",
    )
    ark = forms.ChoiceField(
        label="Ark (CSV-fil)", required=False,
        choices=[("", "Efter filnavnet"), *((navn, navn) for navn in ARK_NAVNE)],
        help_text="Kun for en CSV-fil, hvis navn ikke er et arks, f.eks. udtraek.csv. En "
        "arbejdsbog (.xlsx) finder selv sine ark.",
    )

    def __init__(self, *args, laaste_perioder=(), **kwargs):
        super().__init__(*args, **kwargs)
        if laaste_perioder:
            perioder = "; ".join(p.grund for p in laaste_perioder)
            self.fields["aarsag"] = forms.CharField(
                label="Årsag", required=False, max_length=AARSAG_MAKS,
                help_text=f"Påkrævet, hvis filen ændrer registreringer i en godkendt periode "
                f"({perioder}). Gemmes i historikken efter filens navn.",
            )

    def clean_fil(self):
        fil = self.cleaned_data["fil"]
        if fil.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(for_stor_besked(fil.size))
        return fil


def kan_importere(bruger) -> bool:
    return bruger.has_perm("forloeb.add_forloeb") and adgang.er_administrator(bruger)


@login_required
def upload(request):
    if not kan_importere(request.user):
        raise PermissionDenied
    perioder = laas.laaste_perioder()
    form = UploadForm(request.POST or None, request.FILES or None, laaste_perioder=perioder)
    svar, token, aarsag = None, None, ""
    if request.method == "POST" and form.is_valid():
        _glem_proevekoersel(request)
        fil, ark = form.cleaned_data["fil"], form.cleaned_data["ark"] or None
        aarsag = form.cleaned_data.get("aarsag", "")
        indhold = fil.read()
        svar = importer(indhold, fil.name, bruger=request.user, dry_run=True, ark=ark,
                        aarsag=aarsag)
        if svar.ok and svar.noget_at_gemme:
            token = _gem_fil(indhold)
            request.session[SESSION_NOEGLE] = {"token": token, "filnavn": fil.name, "ark": ark,
                                               "aarsag": aarsag}
    elif request.method == "GET":
        svar = _fra_session(request.session.pop(SESSION_SVAR, None))
    if token is not None:
        form = UploadForm(laaste_perioder=perioder)
    return _side(request, form, svar, token, aarsag)


@login_required
@require_POST
def bekraeft(request):
    if not kan_importere(request.user):
        raise PermissionDenied
    gemt = request.session.get(SESSION_NOEGLE) or {}
    indhold = _hent_fil(gemt.get("token", ""))
    if indhold is None or request.POST.get("token") != gemt.get("token"):
        messages.error(request, "Filen fra prøvekørslen er ikke gemt længere. Upload den igen.")
        return redirect("importer:upload")
    svar = importer(indhold, gemt["filnavn"], bruger=request.user, ark=gemt.get("ark"),
                    aarsag=gemt.get("aarsag", ""))
    _glem_proevekoersel(request)
    if not svar.gemt:
        # Nothing was written (the records changed since the dry run): the errors show here.
        return _side(request, UploadForm(laaste_perioder=laas.laaste_perioder()), svar, None)
    messages.success(request, f"{svar.filnavn} er importeret.")
    request.session[SESSION_SVAR] = _til_session(svar)
    return redirect("importer:upload")


@login_required
@permission_required("forloeb.view_forloeb", raise_exception=True)
def skabelon(request):
    return xlsx_svar(skriv_skabelon(), "registreringer-skabelon.xlsx")


def _side(request, form, svar, token, aarsag=""):
    return render(request, "forloeb/import/upload.html", {
        "form": form, "svar": svar, "token": token, "aarsag": aarsag,
        "graense_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024),
    })


def _til_session(svar: Resultat) -> dict:
    """A saved import's answer as the session keeps it (JSON): what the page shows of it."""
    return {
        "filnavn": svar.filnavn,
        "ark": [{"ark": o.ark, "nye": o.nye, "aendrede": o.aendrede, "uaendrede": o.uaendrede,
                 "aendringer": o.aendringer[:VIST], "bemaerkninger": o.bemaerkninger}
                for o in svar.ark],
        "advarsler": [str(a) for a in svar.advarsler[:VIST]],
        "oversprungne_ark": svar.oversprungne_ark,
    }


def _fra_session(data: dict | None) -> Resultat | None:
    if not data:
        return None
    return Resultat(
        filnavn=data["filnavn"], ark=[Opgoerelse(**o) for o in data["ark"]], fejl=[],
        advarsler=[Fejl(a) for a in data["advarsler"]],
        oversprungne_ark=data["oversprungne_ark"], gemt=True,
    )


def _glem_proevekoersel(request) -> None:
    """Forget the waiting dry run, and delete its file."""
    gemt = request.session.pop(SESSION_NOEGLE, None) or {}
    _slet_fil(gemt.get("token", ""))


def _mappe() -> Path:
    mappe = Path(settings.IMPORT_TMP_DIR)
    mappe.mkdir(mode=0o700, parents=True, exist_ok=True)
    return mappe


def _gem_fil(indhold: bytes) -> str:
    """Keep the file under a new random token; files left by abandoned uploads are removed."""
    graense = time.time() - LEVETID
    for gammel in _mappe().glob("*.upload"):
        if gammel.stat().st_mtime < graense:
            gammel.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (_mappe() / f"{token}.upload").write_bytes(indhold)
    return token


def _hent_fil(token: str) -> bytes | None:
    sti = _mappe() / f"{token}.upload"
    if not TOKEN.match(token) or not sti.is_file():
        return None
    return sti.read_bytes()


def _slet_fil(token: str) -> None:
    if TOKEN.match(token):
        (_mappe() / f"{token}.upload").unlink(missing_ok=True)
