"""How fast the workbook import is at the size of a busy year.

Generates a workbook with N forløb (default 10,000), their companies (one per 1.25 forløb) and
about one henvisning per forløb, then on a fresh SQLite database times: the dry run, the import,
the same file again (nothing changes), a file with 10 % of the forløb changed, and the export of
everything back to a workbook. Prints the figures; changes nothing outside a temporary folder.

    .venv/bin/python benchmarks/importer.py [--forloeb 10000] [--tjenester 1000]

For comparison it also writes ``--tjenester`` forløb (with company and henvisning) one by one
through ``forloeb.services`` and scales the time up to ``--forloeb``.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROD = Path(__file__).resolve().parent.parent


def opsaet_django(mappe: Path) -> None:
    sys.path.insert(0, str(ROD))
    os.environ["DATABASE_URL"] = f"sqlite:///{mappe / 'benchmark.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "kontrakt.settings"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("loaddata", "kontrakt_2025", verbosity=0)


def cvr_nummer(rng: random.Random, brugte: set) -> str:
    while True:
        cifre = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(6)]
        rest = -sum(c * v for c, v in zip(cifre, [2, 7, 6, 5, 4, 3, 2], strict=True)) % 11
        cvr = "".join(map(str, cifre + [rest]))
        if rest < 10 and cvr not in brugte:
            brugte.add(cvr)
            return cvr


def arbejdsbog(antal: int, *, seed: int = 1, aendr: float = 0.0) -> bytes:
    """The registration workbook of ``antal`` forløb; ``aendr`` of them with a later slutdato."""
    from openpyxl import Workbook

    from forloeb.arbejdsbog import ARK, skriv_tabel, som_bytes
    from forloeb.models import Aktoer, Kommune

    rng = random.Random(seed)
    kommuner = list(Kommune.objects.filter(region_id="1085").values_list("kode", flat=True))
    aktoerer = list(Aktoer.objects.filter(type__in=["statslig", "privat"]).values_list(
        "navn", "type"))
    aktoerer += [(f"Privat rådgiver {n}", "privat") for n in range(40)]
    brugte = set()
    virksomheder = [
        (cvr_nummer(rng, brugte), f"Virksomhed {n} ApS", rng.choice(kommuner),
         date(1990, 1, 1) + timedelta(days=rng.randint(0, 12000)))
        for n in range(int(antal / 1.25))
    ]
    forloeb, henvisninger = [], []
    for n in range(antal):
        start = date(2025, 1, 1) + timedelta(days=rng.randint(0, 300))
        slut = start + timedelta(days=rng.randint(1, 60)) if rng.random() < 0.9 else None
        if slut and rng.random() < aendr:
            slut += timedelta(days=1)
        ekstern_id = f"ESCRM-{n:06d}"
        forloeb.append((
            ekstern_id, virksomheder[n % len(virksomheder)][0],
            rng.choice(["kort", "handlingsplan", "vaekstplan", "omstillingsplan"]), start, slut,
            "Anne Holm", ";".join(rng.sample(["ai", "eksport", "innovation"], 2)), None,
        ))
        for navn, type_ in rng.sample(aktoerer, rng.choice([0, 1, 1, 2])):
            henvisninger.append((ekstern_id, navn, type_, start))
    wb = Workbook(write_only=True)
    for navn, raekker in (("Virksomheder", virksomheder), ("Forloeb", forloeb),
                          ("Henvisninger", henvisninger)):
        skriv_tabel(wb.create_sheet(navn), ARK[navn].overskrifter, raekker)
    return som_bytes(wb)


def tid(navn: str, funktion):
    start = time.perf_counter()
    svar = funktion()
    sekunder = time.perf_counter() - start
    print(f"{navn:<44} {sekunder:7.2f} s")
    return svar


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forloeb", type=int, default=10_000)
    parser.add_argument(
        "--tjenester", type=int, default=1_000,
        help="Forløb at skrive én ad gangen gennem services til sammenligning (0: spring over).",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as mappe:
        opsaet_django(Path(mappe))
        from forloeb.arbejdsbog import skriv_arbejdsbog
        from forloeb.importer import importer
        from forloeb.models import Forloeb, Henvisning, Virksomhed

        fil = tid("generér arbejdsbog", lambda: arbejdsbog(args.forloeb))
        aendret = arbejdsbog(args.forloeb, aendr=0.1)
        print(f"{'filstørrelse':<44} {len(fil) / 1024 / 1024:7.2f} MB")
        for navn, kwargs, indhold in (
            ("prøvekørsel (dry run), tom database", {"dry_run": True}, fil),
            ("import, tom database", {}, fil),
            ("samme fil igen (intet ændres)", {}, fil),
            ("10 % af forløbene ændret", {}, aendret),
        ):
            svar = tid(navn, lambda kw=kwargs, ind=indhold: importer(ind, "benchmark.xlsx", **kw))
            assert svar.ok, svar.tekst()
            print("    " + "; ".join(
                f"{o.ark}: {o.nye} nye, {o.aendrede} ændrede, {o.uaendrede} uændrede"
                for o in svar.ark if o.ark != "Aktoerer"
            ))
        print(f"{'i databasen':<44} {Virksomhed.objects.count()} virksomheder, "
              f"{Forloeb.objects.count()} forløb, {Henvisning.objects.count()} henvisninger")
        eksport = tid("eksport af alt (skriv_arbejdsbog)", lambda: skriv_arbejdsbog({
            "Virksomheder": Virksomhed.objects.all(), "Forloeb": Forloeb.objects.all(),
            "Henvisninger": Henvisning.objects.all(),
        }))
        svar = tid("eksporten importeret igen", lambda: importer(eksport, "eksport.xlsx"))
        assert svar.ok and not svar.noget_at_gemme, svar.tekst()
        if args.tjenester:
            sekunder = tid(f"til sammenligning: {args.tjenester} forløb gennem services",
                           lambda: gennem_services(args.tjenester))
            print(f"{'    svarer til ' + str(args.forloeb) + ' forløb':<44} "
                  f"{sekunder * args.forloeb / args.tjenester:7.0f} s")


def gennem_services(antal: int) -> float:
    """The same kind of rows written one by one through forloeb.services, as a form would."""
    from django.db import transaction

    from forloeb import services
    from forloeb.models import Aktoer, Virksomhed

    rng, brugte = random.Random(2), set(Virksomhed.objects.values_list("cvr", flat=True))
    aktoer = Aktoer.objects.get(navn="Innovationsfonden")
    start = time.perf_counter()
    with transaction.atomic():
        for n in range(antal):
            virksomhed = services.virksomhed_create(
                cvr=cvr_nummer(rng, brugte), navn=f"Service {n}", kommune="330",
                stiftelsesdato=date(2000, 1, 1), aarsag="Benchmark",
            )
            services.forloeb_create(
                virksomhed=virksomhed, type="kort", startdato=date(2025, 2, 1),
                slutdato=date(2025, 3, 1), emner=["ai", "eksport"], ekstern_id=f"SVC-{n}",
                henvisninger=[{"aktoer": aktoer, "dato": date(2025, 2, 2)}], aarsag="Benchmark",
            )
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
