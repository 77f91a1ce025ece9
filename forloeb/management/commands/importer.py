"""``python manage.py importer FILE [--dry-run] [--bruger NAVN] [--erhvervshus NAVN]
[--aarsag TEKST]``: the registration workbook from the command line.

The same import as the upload page (``forloeb.importer.importer``): all or nothing, the first
200 errors listed with sheet, row, column and value and the count of all, and a non-zero exit
status when the file has errors. On a terminal a progress line shows the sheet being read and
checked.

Who the history names: ``--bruger``, else the app's user whose username is the login running the
command (an administrator on the server as ``jens`` is the app's ``jens``). Without either the
import is refused (exit code 2) rather than written by "ukendt bruger"; a dry run writes nothing
and needs no user.

The import runs with ``--bruger``'s rights (``forloeb.adgang``): a registrant changes only their
own records, and rows in an approved period need an administrator and ``--aarsag``; each row
refused is named.

An import is for one house: ``--erhvervshus``, which must be one of ``--bruger``'s, or the
user's only house (required when they belong to several). Its new records belong to that house;
a row naming another house's record is an error.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from forloeb.importer import aarsag_fejl, importer
from kontrakt.kommando import fejl, historikkens_bruger


class Command(BaseCommand):
    help = (
        "Indlæser registreringsarbejdsbogen (.xlsx) eller én CSV-fil for ét ark. Alt eller "
        "intet: én fejl, og intet gemmes. Historikken skriver ændringerne på --bruger eller, "
        "uden den, på appens bruger med samme brugernavn som dit login på maskinen; findes "
        "ingen af dem, afvises importen. En prøvekørsel kræver ingen bruger."
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
        parser.add_argument(
            "--bruger",
            help="Brugernavnet (i appen), som historikken skriver ændringerne på. Standard: "
            "appens bruger med samme navn som dit login på maskinen.",
        )
        parser.add_argument(
            "--aarsag", default="",
            help="Hvorfor importen ændrer registreringer i en godkendt periode (kræver en "
            "administrator som --bruger). Gemmes i historikken efter filens navn.",
        )
        parser.add_argument(
            "--erhvervshus",
            help="Erhvervshuset importen er for (navnet, f.eks. 'Erhvervshus Sjælland'). "
            "Påkrævet, når brugeren er medlem af flere huse; ellers brugerens eneste hus.",
        )

    def handle(self, *args, fil, dry_run, ark, bruger, erhvervshus, aarsag, **options):
        sti = Path(fil)
        if not sti.is_file():
            raise CommandError(f"Filen {fil} findes ikke.")
        if aarsag_fejl(aarsag):
            raise fejl(f"--aarsag: {aarsag_fejl(aarsag)}")
        hus = self._erhvervshus(erhvervshus)
        hvem = None
        if bruger or not dry_run:
            hvem = historikkens_bruger(bruger, handling="importen", intet="Intet er gemt.")
        svar = importer(
            sti.read_bytes(), sti.name, bruger=hvem, dry_run=dry_run, ark=ark, erhvervshus=hus,
            aarsag=aarsag, fremskridt=self._fremskridt if self.stderr.isatty() else None,
        )
        if self.stderr.isatty():
            self.stderr.write("\r\033[K", ending="")
        self.stdout.write(svar.tekst())
        if not svar.ok:
            raise CommandError(f"{svar.antal_fejl} fejl; intet er gemt.")
        if dry_run:
            self.stdout.write("Prøvekørsel: intet er gemt.")
        elif not svar.noget_at_gemme:
            self.stdout.write("Intet at importere: alle rækker findes allerede uændret.")
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Importen er gemt. Historikken viser ændringerne som foretaget af "
                f"{hvem.get_username()}."
            ))

    def _fremskridt(self, ark: str, laest: int, kontrolleret: int) -> None:
        """One line on a terminal, rewritten in place: the sheet and its rows read and checked."""
        tal = f"{laest:,} rækker læst".replace(",", ".")
        if kontrolleret:
            tal += f", {kontrolleret:,} kontrolleret".replace(",", ".")
        self.stderr.write(f"\r\033[K{ark}: {tal} …", ending="")
        self.stderr.flush()

    def _erhvervshus(self, navn):
        if not navn:
            return None
        from maal.models import Erhvervshus

        try:
            return Erhvervshus.objects.get(navn=navn)
        except Erhvervshus.DoesNotExist:
            raise fejl(f"Erhvervshuset '{navn}' findes ikke.") from None
