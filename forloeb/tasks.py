"""The upload page's dry run and import as background tasks (django-tasks, database backend).

The page saves the file in ``settings.IMPORT_TMP_DIR`` under a random token, records an
:class:`~forloeb.models.Importkoersel` and enqueues :func:`koer_import` with its id. The worker
(``manage.py db_worker``) runs the same ``forloeb.importer.importer`` as the command line, with a
progress hook that writes rows read and checked per sheet to the run at most every
:data:`INTERVAL` seconds (and at each new sheet), then the answer as JSON.

One at a time: the database backend hands tasks out oldest first and the app runs one worker,
so an import uploaded while another runs waits its turn; its place in the queue is counted from
the runs before it (:func:`plads_i_koeen`). A run still marked as running when the worker
starts a later one was cut off (the worker was stopped mid-import) and is marked failed.
"""

import json
import time
from dataclasses import asdict, fields
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django_tasks import task

from .importer import Fejl, Opgoerelse, Resultat, importer
from .models import Importkoersel

# At most this often (seconds) the worker writes a run's progress to the database.
INTERVAL = 0.5
# What a saved answer keeps at most of each sheet's changed rows (the page shows 200).
VIST = 200
AFBRUDT = ("Importen blev afbrudt, før den blev færdig (arbejderen stoppede). Intet er gemt, "
           "hvis den ikke var nået til at gemme; upload filen igen.")
AKTIVE = (Importkoersel.Status.VENTER, Importkoersel.Status.KOERER)


def mappe() -> Path:
    sti = Path(settings.IMPORT_TMP_DIR)
    sti.mkdir(mode=0o700, parents=True, exist_ok=True)
    return sti


def fil(token: str) -> Path:
    return mappe() / f"{token}.upload"


def plads_i_koeen(koersel: Importkoersel) -> int:
    """1 for the run next (or running), 2 when one is before it, …; 0 when it is done."""
    if koersel.status not in AKTIVE:
        return 0
    return Importkoersel.objects.filter(status__in=AKTIVE, pk__lt=koersel.pk).count() + 1


class Fremskridt:
    """The importer's ``fremskridt`` hook: rows read and checked per sheet, written to the run
    at most every INTERVAL seconds, and at once for a sheet not seen before."""

    def __init__(self, koersel_id: int):
        self.koersel_id = koersel_id
        self.ark: dict[str, dict] = {}
        self.aktuelt = ""
        self.sidst = 0.0

    def __call__(self, ark: str, laest: int, kontrolleret: int) -> None:
        ny = ark not in self.ark
        self.ark[ark] = {"ark": ark, "laest": laest, "kontrolleret": kontrolleret}
        self.aktuelt = ark
        if ny or time.monotonic() - self.sidst >= INTERVAL:
            self.gem()

    def som_json(self) -> list[dict]:
        """The sheets in the order met; the one the importer is at marked ``aktuelt``."""
        return [{**a, "aktuelt": a["ark"] == self.aktuelt} for a in self.ark.values()]

    def gem(self) -> None:
        self.sidst = time.monotonic()
        Importkoersel.objects.filter(pk=self.koersel_id).update(fremskridt=self.som_json())


@task()
def koer_import(koersel_id: int) -> str:
    """Run one dry run or import of the upload page; the answer is kept on the run."""
    koersel = Importkoersel.objects.select_related("bruger", "erhvervshus").get(pk=koersel_id)
    if koersel.status != Importkoersel.Status.VENTER:
        return koersel.status  # run already (a task enqueued twice)
    Importkoersel.objects.filter(
        status=Importkoersel.Status.KOERER, pk__lt=koersel.pk
    ).update(status=Importkoersel.Status.FEJLET, fejlbesked=AFBRUDT, afsluttet=timezone.now())
    koersel.status, koersel.startet = Importkoersel.Status.KOERER, timezone.now()
    koersel.save(update_fields=["status", "startet"])
    fremskridt = Fremskridt(koersel.pk)
    sti = fil(koersel.token)
    try:
        if not sti.is_file():
            raise FileNotFoundError("Filen fra uploaden er ikke gemt længere. Upload den igen.")
        svar = importer(
            sti.read_bytes(), koersel.filnavn, bruger=_bruger(koersel), dry_run=koersel.dry_run,
            ark=koersel.ark or None, erhvervshus=koersel.erhvervshus, aarsag=koersel.aarsag,
            fremskridt=fremskridt,
        )
    except BaseException as exc:
        sti.unlink(missing_ok=True)
        koersel.status, koersel.afsluttet = Importkoersel.Status.FEJLET, timezone.now()
        koersel.fejlbesked = str(exc) if isinstance(exc, FileNotFoundError) else (
            f"Importen stoppede med en uventet fejl, og intet er gemt: {exc!r}. Prøv igen; "
            "fortsætter fejlen, så kontakt en administrator."
        )
        koersel.fremskridt = fremskridt.som_json()
        koersel.save(update_fields=["status", "afsluttet", "fejlbesked", "fremskridt"])
        if isinstance(exc, FileNotFoundError):
            return koersel.status
        raise
    # The file waits for the confirmation only after a dry run that found something to save,
    # and that no newer upload of the same user's has replaced meanwhile.
    erstattet = Importkoersel.objects.filter(bruger=koersel.bruger_id, dry_run=True,
                                             pk__gt=koersel.pk).exists()
    if not (koersel.dry_run and svar.ok and svar.noget_at_gemme) or erstattet:
        sti.unlink(missing_ok=True)
    koersel.status, koersel.afsluttet = Importkoersel.Status.FAERDIG, timezone.now()
    koersel.resultat = resultat_til_json(svar)
    koersel.fremskridt = fremskridt.som_json()
    koersel.save(update_fields=["status", "afsluttet", "resultat", "fremskridt"])
    return koersel.status


def _bruger(koersel: Importkoersel):
    return get_user_model().objects.get(pk=koersel.bruger_id)


# --- The answer as JSON ------------------------------------------------------------------------


def _fejl_til_json(fejl: Fejl) -> dict:
    data = asdict(fejl)
    data["vaerdi"] = fejl.vist_vaerdi  # as the page shows it (a date as dd-mm-yyyy)
    return data


def resultat_til_json(svar: Resultat) -> dict:
    """The importer's answer as the run keeps it: every field of ``Resultat``, each sheet's
    changed rows cut at VIST, values of errors as shown."""
    data = {f.name: getattr(svar, f.name) for f in fields(svar)}
    data["ark"] = [{**asdict(o), "aendringer": o.aendringer[:VIST]} for o in svar.ark]
    data["fejl"] = [_fejl_til_json(f) for f in svar.fejl]
    data["advarsler"] = [_fejl_til_json(a) for a in svar.advarsler]
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str))


def _kendte(klasse, data: dict) -> dict:
    navne = {f.name for f in fields(klasse)}
    return {k: v for k, v in data.items() if k in navne}


def resultat_fra_json(data: dict | None) -> Resultat | None:
    if not data:
        return None
    data = _kendte(Resultat, data)
    data["ark"] = [Opgoerelse(**_kendte(Opgoerelse, o)) for o in data.get("ark", [])]
    data["fejl"] = [Fejl(**_kendte(Fejl, f)) for f in data.get("fejl", [])]
    data["advarsler"] = [Fejl(**_kendte(Fejl, a)) for a in data.get("advarsler", [])]
    return Resultat(**data)
