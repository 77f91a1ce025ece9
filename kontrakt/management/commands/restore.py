"""``python manage.py restore FIL [--ja]``: put a backup from ``backup`` back.

The database is replaced as a whole. An existing database is overwritten only with ``--ja``;
without it, and for a missing file, a file that is not a backup of this app, or a backup of the
other database kind, the command stops with a Danish message and exit code 2 and changes
nothing. How: ``kontrakt.management.sikkerhedskopi``.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from kontrakt.management import sikkerhedskopi as kopi


class Command(BaseCommand):
    help = "Lægger en sikkerhedskopi fra backup tilbage i databasen (erstatter den helt)."

    def add_arguments(self, parser):
        parser.add_argument("fil", metavar="FIL", help="Sikkerhedskopien fra backup.")
        parser.add_argument(
            "--ja", action="store_true", help="Overskriv den eksisterende database uden at spørge."
        )

    def handle(self, *args, fil, ja, **options):
        fra = Path(fil)
        if not fra.is_file():
            hvad = "er en mappe, ikke en fil" if fra.is_dir() else "findes ikke"
            raise kopi.fejl(f"Sikkerhedskopien {fra} {hvad}.")
        if kopi.er_sqlite():
            kilde, note = kopi.sqlite_kontroller(fra)
            try:
                self.tjek_overskriv(ja, kopi.sqlite_har_data())
                kopi.sqlite_restore(kilde)
            finally:
                kilde.close()
        else:
            kopi.pg_kontroller(fra)
            self.tjek_overskriv(ja, kopi.pg_har_data())
            kopi.pg_restore(fra)
            note = "Kør python manage.py migrate, hvis kopien er fra en ældre udgave af appen."
        self.stdout.write(f"{kopi.beskrivelse()} er gendannet fra {fra}.")
        if note:
            self.stdout.write(note)

    def tjek_overskriv(self, ja: bool, har_data: bool) -> None:
        if har_data and not ja:
            raise kopi.fejl(
                f"{kopi.beskrivelse()} findes og ville blive overskrevet af "
                "kopien. Tag evt. en sikkerhedskopi af den først (python manage.py backup), og "
                "kør så igen med --ja."
            )
