"""``python manage.py rapport --aar 2025 --periode H1 --format json [-o FIL]``

Prints the machine-readable report of KONTRAKT-2025.md (or writes it, or the Excel workbook, to
a file). A wrong year, period or format stops with a Danish message and exit code 2.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from maal.models import Resultatkontrakt
from rapporter.beregning import Periode
from rapporter.resultater import rapport_for

FORMATER = ("json", "xlsx")


def fejl(besked: str) -> CommandError:
    return CommandError(besked, returncode=2)


def skriv(sti: str, indhold: bytes) -> None:
    mappe = Path(sti).parent
    if not mappe.is_dir():
        raise fejl(f"Mappen {mappe} findes ikke.")
    try:
        Path(sti).write_bytes(indhold)
    except OSError as exc:
        raise CommandError(f"Kan ikke skrive til {sti}: {exc.strerror}.") from None


class Command(BaseCommand):
    help = "Skriver resultatkontraktens indikatorer for en periode som JSON eller Excel."

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

    def handle(self, *args, aar, periode, format, erhvervshus, output, **options):
        if format not in FORMATER:
            raise fejl(f"Ukendt format '{format}'. Brug json eller xlsx.")
        if format == "xlsx" and not output:
            raise fejl("Excel-formatet skal skrives til en fil: angiv -o FIL.xlsx.")
        kontrakt = self.kontrakt(aar, erhvervshus)
        try:
            valgt = Periode.fra_tekst(kontrakt.aar, periode)
        except ValueError as exc:
            raise fejl(str(exc)) from None
        rapport = rapport_for(
            kontrakt, valgt, idag=timezone.localdate(), beregnet=timezone.now()
        )
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
            skriv(output, rapport_arbejdsbog(rapport))
            self.stderr.write(f"Excel-rapporten er skrevet til {output}.")
            return
        tekst = json.dumps(rapport.som_json(), ensure_ascii=False, indent=2)
        if output:
            skriv(output, (tekst + "\n").encode("utf-8"))
            self.stderr.write(f"Rapporten er skrevet til {output}.")
        else:
            self.stdout.write(tekst)

    def kontrakt(self, aar: int | None, erhvervshus: str) -> Resultatkontrakt:
        if aar is None:
            aar = Resultatkontrakt.objects.order_by("-aar").values_list("aar", flat=True).first()
            if aar is None:
                raise fejl("Der er endnu ingen resultatkontrakt. Indlæs den først, f.eks. "
                           "python manage.py loaddata kontrakt_2025.")
        kontrakter = Resultatkontrakt.objects.filter(aar=aar).select_related("erhvervshus")
        if erhvervshus:
            kontrakter = kontrakter.filter(erhvervshus__navn__iexact=erhvervshus.strip())
        kontrakter = list(kontrakter)
        if not kontrakter:
            hus = f" for {erhvervshus}" if erhvervshus else ""
            kendte = sorted(set(Resultatkontrakt.objects.values_list("aar", flat=True)))
            kendt = ", ".join(map(str, kendte)) or "ingen"
            raise fejl(f"Der er ingen resultatkontrakt{hus} for {aar} (kendte år: {kendt}).")
        if len(kontrakter) > 1:
            huse = ", ".join(k.erhvervshus.navn for k in kontrakter)
            raise fejl(f"Der er flere kontrakter for {aar} ({huse}): angiv --erhvervshus.")
        return kontrakter[0]
