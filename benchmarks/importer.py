"""How fast the workbook import is at the size of a busy year.

Generates a workbook with N forløb (default 10,000), their companies (one per 1.25 forløb) and
about one henvisning per forløb, then on a fresh SQLite database times: the dry run, the import,
the same file again (nothing changes), a file with 10 % of the forløb changed, and the export of
everything back to a workbook. Prints the figures; changes nothing outside a temporary folder.

    .venv/bin/python benchmarks/importer.py [--forloeb 10000] [--tjenester 1000] [--fjendtlig]

For comparison it also writes ``--tjenester`` forløb (with company and henvisning) one by one
through ``forloeb.services`` and scales the time up to ``--forloeb``.

``--fjendtlig`` instead builds hostile workbooks by hand with zipfile (a 200 MB sheet XML in a
file under 20 MB, a 10 MB cell as a shared string and inline, both in one file, 1,000 sheets, a
2 GB zip bomb) and imports each in a fresh subprocess, printing how long the refusal took, the
peak memory of that process (``resource.getrusage``) and the start of the answer. Goal: each
refused in ≤ 5 s under 300 MB.
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
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
    parser.add_argument("--fjendtlig", action="store_true",
                        help="Mål afvisningen af fjendtlige filer (tid og hukommelse).")
    parser.add_argument("--barn", help=argparse.SUPPRESS)  # one hostile import, in a subprocess
    args = parser.parse_args()
    if args.barn:
        return barn(Path(args.barn))
    if args.fjendtlig:
        return fjendtlig()
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
    from maal.models import Resultatkontrakt

    rng, brugte = random.Random(2), set(Virksomhed.objects.values_list("cvr", flat=True))
    aktoer = Aktoer.objects.get(navn="Innovationsfonden")
    hus = Resultatkontrakt.objects.get(aar=2025).erhvervshus
    start = time.perf_counter()
    with transaction.atomic():
        for n in range(antal):
            virksomhed = services.virksomhed_create(
                cvr=cvr_nummer(rng, brugte), navn=f"Service {n}", kommune="330",
                stiftelsesdato=date(2000, 1, 1), aarsag="Benchmark",
            )
            services.forloeb_create(
                virksomhed=virksomhed, erhvervshus=hus, type="kort", startdato=date(2025, 2, 1),
                slutdato=date(2025, 3, 1), emner=["ai", "eksport"], ekstern_id=f"SVC-{n}",
                henvisninger=[{"aktoer": aktoer, "dato": date(2025, 2, 2)}], aarsag="Benchmark",
            )
    return time.perf_counter() - start


# --- Hostile files -----------------------------------------------------------------------------

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _skelet(zf: zipfile.ZipFile, navne: list[str], delte: bool) -> None:
    """The parts an .xlsx needs around its sheets: content types, relations, workbook."""
    typer = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(navne) + 1))
    zf.writestr("[Content_Types].xml", (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        f'officedocument.spreadsheetml.sheet.main+xml"/>{typer}</Types>'))
    zf.writestr("_rels/.rels", (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        f'2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'))
    ark = "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>'
                  for i, n in enumerate(navne, 1))
    zf.writestr("xl/workbook.xml", (
        f'<?xml version="1.0"?><workbook {NS} xmlns:r="{REL}"><sheets>{ark}</sheets></workbook>'))
    rels = "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" '
                   f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(navne) + 1))
    if delte:
        rels += (f'<Relationship Id="rId{len(navne) + 1}" Type="{REL}/sharedStrings" '
                 'Target="sharedStrings.xml"/>')
    zf.writestr("xl/_rels/workbook.xml.rels", (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        f'2006/relationships">{rels}</Relationships>'))


def _overskrift(kolonner: list[str]) -> bytes:
    celler = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{k}</t></is></c>'
                     for i, k in enumerate(kolonner))
    return f'<row r="1">{celler}</row>'.encode()


def _stor_xml(f, maal_bytes: int) -> int:
    """Forloeb rows until the sheet's XML is ``maal_bytes`` long; returns the rows written."""
    f.write(f'<?xml version="1.0"?><worksheet {NS}><sheetData>'.encode())
    f.write(_overskrift(["ekstern_id", "cvr", "type", "startdato", "slutdato", "raadgiver",
                         "emner", "fyrtaarn"]))
    skrevet, nr, bid = 0, 1, []
    while skrevet < maal_bytes:
        nr += 1
        raekke = (f'<row r="{nr}"><c r="A{nr}" t="inlineStr"><is><t>ESCRM-{nr:07d}</t></is></c>'
                  f'<c r="B{nr}" t="inlineStr"><is><t>10000017</t></is></c>'
                  f'<c r="C{nr}" t="inlineStr"><is><t>kort</t></is></c>'
                  f'<c r="D{nr}"><v>45700</v></c></row>').encode()
        bid.append(raekke)
        skrevet += len(raekke)
        if len(bid) == 5000:
            f.write(b"".join(bid))
            bid = []
    f.write(b"".join(bid) + b"</sheetData></worksheet>")
    return nr


def _tekst(antal_tegn: int, seed: int = 3) -> str:
    """Text that compresses about as badly as prose (random words), so the file stays large."""
    rng = random.Random(seed)
    ord_ = ["virksomhed", "forløb", "rådgivning", "vækst", "eksport", "klynge", "kommune",
            "henvisning", "digitalisering", "bæredygtighed", "innovation", "finansiering"]
    dele, laengde = [], 0
    while laengde < antal_tegn:
        del_ = f"{rng.choice(ord_)}{rng.randint(0, 99999)} "
        dele.append(del_)
        laengde += len(del_)
    return "".join(dele)[:antal_tegn]


def fjendtlige_filer(mappe: Path) -> dict[str, Path]:
    """The hostile workbooks, written with zipfile (openpyxl would take minutes)."""
    filer = {}
    sti = filer["200 MB ark-XML (200.000+ rækker)"] = mappe / "stort_ark.xlsx"
    with zipfile.ZipFile(sti, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        _skelet(zf, ["Forloeb"], delte=False)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            _stor_xml(f, 200 * 1024 * 1024)
    celle = _tekst(10 * 1024 * 1024)
    sti = filer["10 MB celle (delt tekst)"] = mappe / "stor_celle_delt.xlsx"
    with zipfile.ZipFile(sti, "w", zipfile.ZIP_DEFLATED) as zf:
        _skelet(zf, ["Virksomheder"], delte=True)
        zf.writestr("xl/worksheets/sheet1.xml", (
            f'<?xml version="1.0"?><worksheet {NS}><sheetData>'
            + _overskrift(["cvr", "navn", "kommunekode", "stiftelsesdato"]).decode()
            + '<row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData></worksheet>'))
        zf.writestr("xl/sharedStrings.xml", (
            f'<?xml version="1.0"?><sst {NS} count="1" uniqueCount="1"><si><t>{celle}</t></si>'
            "</sst>"))
    sti = filer["10 MB celle (i arket)"] = mappe / "stor_celle_ark.xlsx"
    with zipfile.ZipFile(sti, "w", zipfile.ZIP_DEFLATED) as zf:
        _skelet(zf, ["Virksomheder"], delte=False)
        zf.writestr("xl/worksheets/sheet1.xml", (
            f'<?xml version="1.0"?><worksheet {NS}><sheetData>'
            + _overskrift(["cvr", "navn", "kommunekode", "stiftelsesdato"]).decode()
            + f'<row r="2"><c r="A2" t="inlineStr"><is><t>{celle}</t></is></c></row>'
            "</sheetData></worksheet>"))
    sti = filer["200 MB ark-XML og 10 MB celle i én fil"] = mappe / "begge.xlsx"
    with zipfile.ZipFile(sti, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        _skelet(zf, ["Virksomheder", "Forloeb"], delte=True)
        zf.writestr("xl/worksheets/sheet1.xml", (
            f'<?xml version="1.0"?><worksheet {NS}><sheetData>'
            + _overskrift(["cvr", "navn", "kommunekode", "stiftelsesdato"]).decode()
            + '<row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData></worksheet>'))
        with zf.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as f:
            _stor_xml(f, 200 * 1024 * 1024)
        zf.writestr("xl/sharedStrings.xml", (
            f'<?xml version="1.0"?><sst {NS} count="1" uniqueCount="1"><si><t>{celle}</t></si>'
            "</sst>"))
    sti = filer["1.000 ark"] = mappe / "mange_ark.xlsx"
    with zipfile.ZipFile(sti, "w", zipfile.ZIP_DEFLATED) as zf:
        navne = [f"Ark{n}" for n in range(1000)]
        _skelet(zf, navne, delte=False)
        for i in range(1, len(navne) + 1):
            zf.writestr(f"xl/worksheets/sheet{i}.xml",
                        f'<?xml version="1.0"?><worksheet {NS}><sheetData/></worksheet>')
    sti = filer["zip-bombe (2 GB udpakket)"] = mappe / "bombe.xlsx"
    with zipfile.ZipFile(sti, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        _skelet(zf, ["Forloeb"], delte=False)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            nul = b"<c/>" * (1 << 18)
            for _ in range(2048):  # 2,048 MB of "<c/>"
                f.write(nul)
    return filer


def fjendtlig() -> None:
    with tempfile.TemporaryDirectory() as mappe:
        start = time.perf_counter()
        filer = fjendtlige_filer(Path(mappe))
        print(f"{'fjendtlige filer bygget':<44} {time.perf_counter() - start:7.2f} s")
        for navn, sti in filer.items():
            ud = subprocess.run(
                [sys.executable, __file__, "--barn", str(sti)], capture_output=True, text=True,
                env={**os.environ, "DATABASE_URL": f"sqlite:///{Path(mappe) / 'tom.sqlite3'}",
                     "DJANGO_SETTINGS_MODULE": "kontrakt.settings", "LOG_LEVEL": "ERROR"},
                check=False,
            )
            if ud.returncode:
                print(f"{navn}: FEJLEDE\n{ud.stderr[-2000:]}")
                continue
            sekunder, mb, besked = ud.stdout.strip().split("\t", 2)
            print(f"{navn:<40} {sti.stat().st_size / 1024 / 1024:6.1f} MB fil  "
                  f"{float(sekunder):6.2f} s  {float(mb):6.0f} MB maks. RSS")
            print(f"    {besked[:150]}")


def barn(sti: Path) -> None:
    """One hostile import, measured in its own process: seconds, peak RSS, the answer."""
    sys.path.insert(0, str(ROD))
    import django

    django.setup()
    from forloeb.importer import importer

    indhold = sti.read_bytes()
    start = time.perf_counter()
    svar = importer(indhold, sti.name, dry_run=True)
    sekunder = time.perf_counter() - start
    maks_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    besked = svar.fejl[0].besked if svar.fejl else "IKKE AFVIST: " + svar.tekst()
    print(f"{sekunder:.3f}\t{maks_mb:.1f}\t{besked}")


if __name__ == "__main__":
    main()
