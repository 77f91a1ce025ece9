"""``python manage.py importer FILE [--dry-run]``: the registration workbook from the command line.

The same import as the upload page (``forloeb.importer.importer``): all or nothing, every error
listed with sheet, row, column and value, and a non-zero exit status when the file has errors.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from forloeb.importer import importer


class Command(BaseCommand):
    help = (
        "Indlæser registreringsarbejdsbogen (.xlsx) eller én CSV-fil for ét ark. Alt eller "
        "intet: én fejl, og intet gemmes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "fil", help="Arbejdsbogen (.xlsx) eller en CSV-fil (f.eks. Forloeb.csv)."
        )
        parser.add_argument(
            "--dry-run", action="store_true",
            help="Prøvekørsel: vis nye, ændrede, uændrede og fejl, men gem intet.",
        )
        parser.add_argument(
            "--ark", help="Arket en CSV-fil hører til, hvis filnavnet ikke siger det."
        )
        parser.add_argument("--bruger", help="Brugernavn, som historikken skriver ændringerne på.")
        parser.add_argument(
            "--erhvervshus", help="Erhvervshusets navn for arket Maalinger, hvis appen har flere."
        )

    def handle(self, *args, fil, dry_run, ark, bruger, erhvervshus, **options):
        sti = Path(fil)
        if not sti.is_file():
            raise CommandError(f"Filen {fil} findes ikke.")
        svar = importer(
            sti.read_bytes(), sti.name, bruger=self._bruger(bruger), dry_run=dry_run, ark=ark,
            erhvervshus=self._erhvervshus(erhvervshus),
        )
        self.stdout.write(svar.tekst())
        if not svar.ok:
            raise CommandError(f"{len(svar.fejl)} fejl; intet er gemt.")
        if dry_run:
            self.stdout.write("Prøvekørsel: intet er gemt.")
        else:
            self.stdout.write(self.style.SUCCESS("Importen er gemt."))

    def _bruger(self, brugernavn):
        if not brugernavn:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(brugernavn)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Brugeren '{brugernavn}' findes ikke.") from None

    def _erhvervshus(self, navn):
        if not navn:
            return None
        from maal.models import Erhvervshus

        try:
            return Erhvervshus.objects.get(navn=navn)
        except Erhvervshus.DoesNotExist:
            raise CommandError(f"Erhvervshuset '{navn}' findes ikke.") from None
