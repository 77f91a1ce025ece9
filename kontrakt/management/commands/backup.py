"""``python manage.py backup [--til FIL]``: a consistent copy of the database while the app runs.

Without ``--til`` the copy goes to ``DATA_DIR/backup/kontrakt-<tidspunkt>.sqlite3`` (``.dump``
on PostgreSQL). A folder that does not exist, or a file that is already there, is refused with
a Danish message and exit code 2. How the copy is made: ``kontrakt.management.sikkerhedskopi``.
"""

from django.core.management.base import BaseCommand

from kontrakt.management import sikkerhedskopi as kopi


class Command(BaseCommand):
    help = "Skriver en sikkerhedskopi af databasen, mens appen kører."

    def add_arguments(self, parser):
        parser.add_argument(
            "--til", default="", metavar="FIL",
            help="Filen (eller mappen) at skrive til (standard: DATA_DIR/backup/).",
        )

    def handle(self, *args, til, **options):
        sti = kopi.maalfil(til)
        if kopi.er_sqlite():
            kopi.sqlite_backup(sti)
        else:
            kopi.pg_backup(sti)
        stoerrelse = sti.stat().st_size / (1024 * 1024)
        self.stdout.write(f"Sikkerhedskopien er skrevet til {sti} ({stoerrelse:.1f} MB).")
        self.stdout.write(f"Læg den tilbage med: python manage.py restore {sti}")
