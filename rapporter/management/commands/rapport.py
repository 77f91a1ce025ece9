"""``python manage.py rapport --aar 2025 --periode H1 --format json [--aktuel] [-o FIL]``

Prints the machine-readable report of KONTRAKT-2025.md (or writes it, or the Excel workbook, to
a file). An approved period gives its newest approved version with ``"godkendelse"`` (who, when,
which version); ``--aktuel`` gives today's figures instead and, in JSON,
``"aendringer_siden_godkendelse"``: the records changed since the approval that touch the period
and the indicators whose figure moved. A period never approved, and a status date, is always
today's with ``"godkendelse": null``. The choice is ``rapporter.godkendelse``'s, as on the status
pages. A wrong year, period or format stops with a Danish message and exit code 2.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from rapporter.beregning import Periode
from rapporter.godkendelse import rapport_json, rapport_til_visning

from ._faelles import fejl, find_kontrakt

FORMATER = ("json", "xlsx")


def skriv(sti: str, indhold: bytes) -> None:
    mappe = Path(sti).parent
    if not mappe.is_dir():
        raise fejl(f"Mappen {mappe} findes ikke.")
    try:
        Path(sti).write_bytes(indhold)
    except OSError as exc:
        raise CommandError(f"Kan ikke skrive til {sti}: {exc.strerror}.") from None


class Command(BaseCommand):
    help = (
        "Skriver resultatkontraktens indikatorer for en periode som JSON eller Excel. En "
        "godkendt periode vises, som den blev godkendt (nyeste version); --aktuel viser dagens "
        "tal og, i JSON, hvad der er ændret siden godkendelsen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--aar", type=int, default=None, help="Kontraktåret, f.eks. 2025 (standard: nyeste)."
        )
        parser.add_argument(
            "--periode", default="H1", help="H1, helaar eller en dato (ÅÅÅÅ-MM-DD) i året."
        )
        parser.add_argument("--format", default="json", help="json eller xlsx.")
        parser.add_argument(
            "--erhvervshus", default="", help="Husets navn, når der er flere kontrakter for året."
        )
        parser.add_argument("-o", "--output", default="", help="Fil at skrive til (xlsx kræver).")
        parser.add_argument(
            "--aktuel", action="store_true",
            help="Dagens tal i stedet for den godkendte version; JSON får "
                 "aendringer_siden_godkendelse (poster ændret siden godkendelsen, der rører "
                 "perioden, og indikatorer, hvis tal har flyttet sig).",
        )

    def handle(self, *args, aar, periode, format, erhvervshus, output, aktuel, **options):
        if format not in FORMATER:
            raise fejl(f"Ukendt format '{format}'. Brug json eller xlsx.")
        if format == "xlsx" and not output:
            raise fejl("Excel-formatet skal skrives til en fil: angiv -o FIL.xlsx.")
        kontrakt = find_kontrakt(aar, erhvervshus)
        try:
            valgt = Periode.fra_tekst(kontrakt.aar, periode)
        except ValueError as exc:
            raise fejl(str(exc)) from None
        tid = {"aktuel": aktuel, "idag": timezone.localdate(), "beregnet": timezone.now()}
        if format == "xlsx":
            try:
                from rapporter.excel import rapport_arbejdsbog
            except ModuleNotFoundError as exc:
                if exc.name != "rapporter.excel":
                    raise
                raise CommandError(
                    "Excel-rapporten er ikke tilgængelig i denne version (rapporter.excel "
                    "mangler). Brug --format json.", returncode=1,
                ) from None
            skriv(output, rapport_arbejdsbog(rapport_til_visning(kontrakt, valgt, **tid)))
            self.stderr.write(f"Excel-rapporten er skrevet til {output}.")
            return
        tekst = json.dumps(rapport_json(kontrakt, valgt, **tid), ensure_ascii=False, indent=2)
        if output:
            skriv(output, (tekst + "\n").encode("utf-8"))
            self.stderr.write(f"Rapporten er skrevet til {output}.")
        else:
            self.stdout.write(tekst)
