"""``python manage.py national_rapport --aar 2025 --periode helaar -o FIL.xlsx [--aktuel]
[--erhvervshus NAVN]``

The yearly report to KL and Erhvervsstyrelsen: the national workbook (an overview comparing the
houses on goals 1–6, then a sheet per house), or with ``--erhvervshus`` that house's workbook of
its national and local goals. The same files as the national page's downloads
(``rapporter.excel_national``); an approved period as approved, unless ``--aktuel``. A wrong
year, period, house or folder stops with a Danish message and exit code 2.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from rapporter import national
from rapporter.beregning import Periode
from rapporter.excel_national import hus_arbejdsbog, national_arbejdsbog
from rapporter.godkendelse import rapport_til_visning

from ._faelles import fejl, find_kontrakt
from .rapport import skriv


class Command(BaseCommand):
    help = ("Skriver den årlige afrapportering til KL og Erhvervsstyrelsen som Excel: det "
            "nationale overblik med et ark pr. erhvervshus, eller ét hus' arbejdsbog.")

    def add_arguments(self, parser):
        parser.add_argument("--aar", type=int, default=None,
                            help="Kontraktåret, f.eks. 2025 (standard: nyeste).")
        parser.add_argument("--periode", default="helaar",
                            help="H1, helaar eller en dato (ÅÅÅÅ-MM-DD) i året.")
        parser.add_argument("--erhvervshus", default="",
                            help="Kun dette hus' arbejdsbog (nationale og lokale mål).")
        parser.add_argument("-o", "--output", required=True, help="Excel-filen at skrive.")
        parser.add_argument("--aktuel", action="store_true",
                            help="Dagens tal i stedet for den godkendte version.")

    def handle(self, *args, aar, periode, erhvervshus, output, aktuel, **options):
        aarstal = national.kontraktaar()
        if not aarstal:
            raise fejl("Der er endnu ingen resultatkontrakt.")
        if aar is None:
            aar = aarstal[-1]
        if aar not in aarstal:
            raise fejl(f"Der er ingen resultatkontrakt for {aar} (kendte år: "
                       f"{', '.join(map(str, aarstal))}).")
        try:
            valgt = Periode.fra_tekst(aar, periode)
        except ValueError as exc:
            raise fejl(str(exc)) from None
        idag, nu = timezone.localdate(), timezone.now()
        if erhvervshus:
            kontrakt = find_kontrakt(aar, erhvervshus)
            indhold = hus_arbejdsbog(rapport_til_visning(
                kontrakt, valgt, aktuel=aktuel, idag=idag, beregnet=nu))
        else:
            indhold = national_arbejdsbog(
                national.oversigt(aar, valgt, idag=idag, beregnet=nu, aktuel=aktuel))
        skriv(output, indhold)
        self.stdout.write(f"Skrev {output} ({valgt.titel}).")
