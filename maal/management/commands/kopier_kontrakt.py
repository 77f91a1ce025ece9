"""``python manage.py kopier_kontrakt --fra 2025 --til 2026 [--erhvervshus NAVN] [--bruger NAVN]``

Next year's contract in one step (``maal.services.kontrakt_kopier``): goals, indicators with
their parameters and targets, and the by/land table, copied into a new contract for ``--til``.
The targets are copied unchanged; the administrator edits them in the admin before the year
begins. Refused with a Danish message and exit code 2, nothing saved: a target year the house
already has, a source year it has not, an unknown house, several houses with a contract for
``--fra`` and no ``--erhvervshus``, an unknown user or one who may not add contracts.

Who the history names: ``--bruger``, else the app's user whose username is the login running the
command (as ``importer``); with neither, the copy is refused.
"""


from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand

from kontrakt.kommando import fejl, historikkens_bruger
from maal.models import Erhvervshus, Indikator, Resultatkontrakt
from maal.services import KOPI_NOTE, kontrakt_kopier


class Command(BaseCommand):
    help = (
        "Kopierer et års resultatkontrakt til et nyt år: mål, indikatorer med parametre og "
        "måltal og by/land-klassifikationen. Målværdierne kopieres uændret og rettes derefter i "
        "administrationen."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fra", type=int, required=True, help="Året der kopieres fra.")
        parser.add_argument("--til", type=int, required=True, help="Det nye kontraktår.")
        parser.add_argument(
            "--erhvervshus", default="",
            help="Husets navn; kræves, når flere huse har en kontrakt for --fra.",
        )
        parser.add_argument(
            "--bruger", default="",
            help="Brugernavnet (i appen), som historikken skriver kopien på; uden den appens "
                 "bruger med samme navn som dit login på maskinen.",
        )

    def handle(self, *args, fra, til, erhvervshus, bruger, **options):
        kilde = self._kilde(fra, erhvervshus)
        hvem = historikkens_bruger(bruger, handling="kopien", intet="Intet er kopieret.",
                                   ukendt_slut=" Intet er kopieret.")
        try:
            kopi = kontrakt_kopier(kilde=kilde, aar=til, bruger=hvem)
        except PermissionDenied as exc:
            raise fejl(f"{exc} Intet er kopieret.") from None
        except ValidationError as exc:
            raise fejl(" ".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Resultatkontrakten for {til} er oprettet for {kopi.erhvervshus} som kopi af "
            f"{fra}: {kopi.maal.count()} mål, "
            f"{Indikator.objects.filter(maal__kontrakt=kopi).count()} indikatorer og "
            f"{kopi.by_land.count()} kommuner i by/land-klassifikationen."
        ))
        self.stdout.write(KOPI_NOTE)
        steder = self._naevner_aaret(kopi, fra)
        if steder:
            self.stdout.write(f"Teksterne nævner stadig {fra}: {', '.join(steder)}.")

    def _naevner_aaret(self, kopi: Resultatkontrakt, aar: int) -> list[str]:
        """Where the copied texts still name the source year ("indledningen", "mål 7")."""
        steder = ["indledningen"] if str(aar) in kopi.indledning else []
        for maal in kopi.maal.order_by("nummer"):
            if any(str(aar) in t for t in (maal.titel, maal.beskrivelse, maal.maal_tekst,
                                            maal.metode_tekst)):
                steder.append(f"mål {maal.nummer}")
        steder += [
            f"{i.noegle} ({i._meta.get_field('regel').verbose_name})"
            for i in Indikator.objects.filter(maal__kontrakt=kopi, regel__contains=str(aar))
        ]
        return steder

    def _kilde(self, fra: int, erhvervshus: str) -> Resultatkontrakt:
        kontrakter = Resultatkontrakt.objects.filter(aar=fra).select_related("erhvervshus")
        if erhvervshus:
            hus = Erhvervshus.objects.filter(navn__iexact=erhvervshus.strip()).first()
            if hus is None:
                kendte = ", ".join(Erhvervshus.objects.values_list("navn", flat=True)) or "ingen"
                raise fejl(f"Ukendt erhvervshus '{erhvervshus}' (kendte: {kendte}).")
            kontrakter = kontrakter.filter(erhvervshus=hus)
        kontrakter = list(kontrakter)
        if not kontrakter:
            for_hus = f" for {erhvervshus.strip()}" if erhvervshus else ""
            kendte = sorted(set(Resultatkontrakt.objects.values_list("aar", flat=True)))
            kendt = ", ".join(map(str, kendte)) or "ingen"
            raise fejl(f"Der er ingen resultatkontrakt{for_hus} for {fra} at kopiere fra "
                       f"(kendte år: {kendt}).")
        if len(kontrakter) > 1:
            huse = ", ".join(k.erhvervshus.navn for k in kontrakter)
            raise fejl(f"Flere erhvervshuse har en kontrakt for {fra} ({huse}): angiv, hvilken "
                       f"der kopieres, med --erhvervshus.")
        return kontrakter[0]

