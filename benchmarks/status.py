"""How fast the indicator engine and the status page are at N forløb, against a hand-written floor.

For each N (default 10,000 and 100,000) this builds a fresh SQLite database in a temporary
folder (migrate, the 2025 contract), bulk-creates N forløb with their companies, henvisninger,
AI-tjek, aktiviteter, programdeltagelser, samarbejdsaftaler, målinger and milestones in the
demo data's proportions (``maal/management/commands/demodata.py``, here through ``bulk_create``,
not the services), and prints:

- the time of ``indikator_resultater`` for H1 and helår (best of five, of three from 500,000
  forløb) and its queries,
- the status page's server time and queries (``rapporter:status``, as a KKR-læser),
- the floor: hand-written SQL computing the same counts (COUNT … FILTER, COUNT(DISTINCT …)),
  checked to give the same figures as the engine,
- an approved period (H1, approved once after the measurements above): the approval's own time,
  the approved report rebuilt from its snapshot (``godkendt_rapport``), and the status page and
  its JSON download of the approved version beside today's (``?aktuel=1``), with their queries,

first with SQLite's default 2 MB page cache, then as configured (the 64 MB page cache of
``kontrakt/settings.py``). ``--kun-konfigureret`` measures only as configured.

Each N runs in its own process so that Django is set up once per database.

    .venv/bin/python benchmarks/status.py [--n 10000 100000 1000000] [--kun-konfigureret]
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROD = Path(__file__).resolve().parent.parent
AAR = 2025
IDAG = date(AAR + 1, 1, 15)  # the year is over: helår is final, H1 is "during the year"
GENTAG = 5
BATCH = 20_000


def opsaet_django(mappe: Path) -> None:
    sys.path.insert(0, str(ROD))
    os.environ["DATABASE_URL"] = f"sqlite:///{mappe / 'status.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "kontrakt.settings"
    # DEBUG stays on (the default) so that the pages need no collectstatic; it adds only
    # microseconds per query, and the page makes few.
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    # The engine and the live page are measured computing, not read from the results cache.
    os.environ["RESULTATCACHE"] = "0"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("loaddata", "kontrakt_2025", verbosity=0)


# ---------------------------------------------------------------------------------------------
# Data in the demo's proportions, in bulk


def cvr(n: int) -> str:
    """A distinct 8-digit number per n (bulk_create skips validation; the figures ignore CVR)."""
    return f"{10_000_000 + n}"


def byg_data(antal: int, seed: int = 2025) -> dict:
    from forloeb.models import (
        AITjek,
        Aktivitet,
        Aktoer,
        Befolkning,
        Forloeb,
        Henvisning,
        Kommune,
        Programdeltagelse,
        Samarbejdsaftale,
        Virksomhed,
    )
    from maal.models import Indikator, Maaling, MilepaelStatus, Resultatkontrakt

    rng = random.Random(seed)
    kontrakt = Resultatkontrakt.objects.select_related("erhvervshus").get(aar=AAR)
    start, slut = date(AAR, 1, 1), date(AAR, 12, 31)
    hus_id = kontrakt.erhvervshus_id  # every record belongs to the contract's house

    def dato(fra=start, til=slut):
        return fra + timedelta(days=rng.randint(0, max((til - fra).days, 0)))

    befolkning = dict(Befolkning.objects.filter(kommune__region_id="1085").values_list(
        "kommune_id", "indbyggere"))
    egne, vaegte = list(befolkning), list(befolkning.values())
    hovedstaden = list(Kommune.objects.filter(region_id="1084").values_list("kode", flat=True))
    andre = list(Kommune.objects.exclude(region_id__in=["1084", "1085"]).values_list("kode",
                                                                                      flat=True))
    # companies: 0.82 per forløb; 3 % Hovedstaden, 1 % elsewhere; 16 % younger than 3 years
    n_virksomheder = int(antal * 0.82)
    virksomheder = []
    for n in range(n_virksomheder):
        terning = rng.random()
        kommune = (rng.choice(hovedstaden) if terning < 0.03 else rng.choice(andre)
                   if terning < 0.04 else rng.choices(egne, weights=vaegte)[0])
        stiftet = dato(date(AAR - 2, 3, 1), date(AAR, 6, 1)) if rng.random() < 0.16 else \
            dato(date(1960, 1, 1), date(AAR - 4, 1, 1))
        virksomheder.append(Virksomhed(cvr=cvr(n), navn=f"Virksomhed {n} ApS",
                                       kommune_id=kommune, stiftelsesdato=stiftet))
    Virksomhed.objects.bulk_create(virksomheder, batch_size=BATCH)
    virksomhed_ids = list(Virksomhed.objects.order_by("pk").values_list("pk", flat=True))

    ekstern = list(Aktoer.objects.filter(type="statslig").values_list("pk", flat=True))
    ekstern += [a.pk for a in Aktoer.objects.bulk_create(
        Aktoer(navn=f"Rådgiver {b} ApS", type="privat") for b in "ABCDEFGHIJ")]
    lokale = list(Aktoer.objects.filter(type="lokal").values_list("pk", flat=True))
    typer = [("kort", 0.52), ("handlingsplan", 0.29), ("vaekstplan", 0.15),
             ("omstillingsplan", 0.04)]
    varighed = {"kort": (1, 30), "handlingsplan": (20, 120), "vaekstplan": (30, 180),
                "omstillingsplan": (30, 180)}
    henvist = {"kort": 0.2, "handlingsplan": 0.74, "vaekstplan": 0.84, "omstillingsplan": 0.84}
    navne, vaegt = zip(*typer, strict=True)

    n_henvisninger = 0
    for fra in range(0, antal, BATCH):
        forloeb, planer = [], []
        for nr in range(fra, min(fra + BATCH, antal)):
            type_ = rng.choices(navne, weights=vaegt)[0]
            startdato = dato(date(AAR - 1, 11, 1), slut)
            slutdato = startdato + timedelta(days=rng.randint(*varighed[type_]))
            if slutdato > slut or rng.random() < 0.02:
                slutdato = None
            forloeb.append(Forloeb(
                ekstern_id=f"B-{nr:07d}", erhvervshus_id=hus_id,
                virksomhed_id=virksomhed_ids[nr % len(virksomhed_ids)],
                type=type_, startdato=startdato, slutdato=slutdato,
                fyrtaarn=rng.choices(["", "femern", "biosolutions"], weights=[94, 3, 3])[0],
            ))
            aktoerer = []
            if rng.random() < henvist[type_]:
                aktoerer += rng.sample(ekstern, rng.randint(1, 2))
            if rng.random() < 0.1:
                aktoerer.append(rng.choice(lokale))
            planer.append((startdato, slutdato or slut, aktoerer))
        Forloeb.objects.bulk_create(forloeb)
        henvisninger = [
            Henvisning(forloeb_id=fl.pk, aktoer_id=a, dato=dato(s, e))
            for fl, (s, e, aktoerer) in zip(forloeb, planer, strict=True) for a in aktoerer
        ]
        Henvisning.objects.bulk_create(henvisninger)
        n_henvisninger += len(henvisninger)

    skala = antal / 2100  # the demo's volume
    AITjek.objects.bulk_create(
        AITjek(ekstern_id=f"AI-{n}", erhvervshus_id=hus_id,
               virksomhed_id=rng.choice(virksomhed_ids), dato=dato())
        for n in range(max(int(46 * skala), 1))
    )
    klynger = list(Aktoer.objects.filter(type="klynge"))
    aktiviteter = []
    for runde in range(2):
        for pk in lokale[: len(lokale) - 2 * runde]:
            aktiviteter.append((Aktivitet(ekstern_id=f"FA-{runde}-{pk}", erhvervshus_id=hus_id,
                                          type="faelles_aktivitet",
                                          dato=dato(), titel="Virksomhedsdag"), [pk]))
    for n in range(9):
        aktiviteter.append((Aktivitet(ekstern_id=f"KA-{n}", erhvervshus_id=hus_id,
                                      type="klyngearrangement",
                                      dato=dato(), titel="Klyngemøde"), [rng.choice(klynger).pk]))
    Aktivitet.objects.bulk_create([a for a, _ in aktiviteter])
    Aktivitet.partnere.through.objects.bulk_create(
        Aktivitet.partnere.through(aktivitet_id=a.pk, aktoer_id=p)
        for a, partnere in aktiviteter for p in partnere
    )
    deltagelser = []
    for program, n in [("attraktive_arbejdspladser", 26), ("smv_vaekstpilot", 56)]:
        for v in rng.sample(virksomhed_ids, min(int(n * skala), len(virksomhed_ids))):
            deltagelser.append(Programdeltagelse(
                erhvervshus_id=hus_id, virksomhed_id=v, program=program, dato=dato(),
                status=rng.choices(["bevilget", "ansoegt", "afslag"], weights=[84, 8, 8])[0]))
    Programdeltagelse.objects.bulk_create(deltagelser, batch_size=BATCH)
    Samarbejdsaftale.objects.bulk_create(
        Samarbejdsaftale(aktoer=k, erhvervshus_id=hus_id, dato=dato())
        for k in rng.sample(klynger, 4))
    hus = kontrakt.erhvervshus
    Maaling.objects.bulk_create(
        Maaling(erhvervshus=hus, noegle=noegle, aar=AAR, vaerdi=Decimal(v), dato=date(AAR, m, 15),
                kilde="Benchmark")
        for noegle, v, m in [("M2.kendskabsgrad", "52", 6), ("M3.nps", "72", 5),
                             ("M14.omsaetning", "41250000", 10),
                             ("M14.basistilskud", "15300000", 10)]
    )
    milepaele = Indikator.objects.filter(maal__kontrakt=kontrakt, art="milepael")
    MilepaelStatus.objects.bulk_create(
        MilepaelStatus(indikator=i, status="i_gang", dato=date(AAR, 3, 1), fortaelling="I gang")
        for i in milepaele
    )
    return {"virksomheder": n_virksomheder, "henvisninger": n_henvisninger}


# ---------------------------------------------------------------------------------------------
# The floor: the same counts in hand-written SQL


# One pass over the forløb of the period, grouped by the company's kommune (distinct companies
# add up over kommuner, as each company has one); the same shape the engine uses, because it is
# the fastest hand-written form found: two separate passes cost more.
GULV_FORLOEB = """
SELECT
  v.kommune_id,
  COUNT(*) FILTER (WHERE f.type = 'kort'),
  COUNT(*) FILTER (WHERE f.type = 'handlingsplan'),
  COUNT(*) FILTER (WHERE f.type IN ('vaekstplan', 'omstillingsplan')),
  COUNT(*) FILTER (WHERE f.type <> 'kort'),
  COUNT(*),
  COUNT(DISTINCT f.virksomhed_id) FILTER (
    WHERE CAST(REPLACE(f.startdato, '-', '') AS INTEGER)
          < CAST(REPLACE(v.stiftelsesdato, '-', '') AS INTEGER) + 30000),
  COUNT(DISTINCT f.virksomhed_id) FILTER (
    WHERE v.kommune_id IN (SELECT kode FROM forloeb_kommune WHERE region_id = '1084')),
  COUNT(*) FILTER (WHERE f.type = 'handlingsplan' AND EXISTS (
    SELECT 1 FROM forloeb_henvisning h JOIN forloeb_aktoer a ON a.id = h.aktoer_id
    WHERE h.forloeb_id = f.id AND a.type IN ('statslig', 'privat'))),
  COUNT(*) FILTER (WHERE f.type IN ('vaekstplan', 'omstillingsplan') AND EXISTS (
    SELECT 1 FROM forloeb_henvisning h JOIN forloeb_aktoer a ON a.id = h.aktoer_id
    WHERE h.forloeb_id = f.id AND a.type IN ('statslig', 'privat'))),
  COUNT(DISTINCT f.virksomhed_id)
FROM forloeb_forloeb f
JOIN forloeb_virksomhed v ON v.id = f.virksomhed_id
WHERE f.slutdato BETWEEN %s AND %s
GROUP BY v.kommune_id
"""
GULV_SMAA = [
    "SELECT COUNT(*) FROM forloeb_aitjek WHERE dato BETWEEN %s AND %s",
    """SELECT COUNT(*) FROM forloeb_aktivitet
       WHERE type = 'klyngearrangement' AND dato BETWEEN %s AND %s""",
    """SELECT COUNT(DISTINCT virksomhed_id) FILTER (WHERE program = 'attraktive_arbejdspladser'),
              COUNT(DISTINCT virksomhed_id) FILTER (WHERE program = 'smv_vaekstpilot')
       FROM forloeb_programdeltagelse WHERE status = 'bevilget' AND dato BETWEEN %s AND %s""",
    """SELECT COUNT(DISTINCT s.aktoer_id) FROM forloeb_samarbejdsaftale s
       JOIN forloeb_aktoer a ON a.id = s.aktoer_id
       WHERE a.type = 'klynge' AND s.dato BETWEEN %s AND %s""",
    """SELECT COUNT(DISTINCT p.aktoer_id) FROM forloeb_aktivitet_partnere p
       JOIN forloeb_aktivitet x ON x.id = p.aktivitet_id
       JOIN forloeb_aktoer a ON a.id = p.aktoer_id
       WHERE x.type = 'faelles_aktivitet' AND a.type = 'lokal' AND x.dato BETWEEN %s AND %s""",
]


def gulv(fra: date, til: date) -> dict:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(GULV_FORLOEB, [fra, til])
        grupper = c.fetchall()
        c.execute("SELECT kode FROM forloeb_kommune WHERE region_id = '1085'")
        sjaelland = {kode for (kode,) in c.fetchall()}
        smaa = []
        for sql in GULV_SMAA:
            c.execute(sql, [fra, til])
            smaa.append(c.fetchone())
    noegler = ["M7.korte", "M7.handlingsplaner", "M7.vaekstplaner", "M7.laengere", "M7.i_alt",
               "M1.ivaerksaettere", "M12.hovedstaden", "M10.henvist_handlingsplan",
               "M10.henvist_vaekstplan"]
    tal = {noegle: sum(g[i + 1] for g in grupper) for i, noegle in enumerate(noegler)}
    tal.update({
        "M9.ai_tjek": smaa[0][0], "M13.klyngearrangementer": smaa[1][0],
        "M11.attraktive_arbejdspladser": smaa[2][0], "M11.smv_vaekstpilot": smaa[2][1],
        "M13.klyngesamarbejder": smaa[3][0], "M10.lokale_operatoerer": smaa[4][0],
        "M8.virksomheder": sum(g[-1] for g in grupper if g[0] in sjaelland),
    })
    return tal


def motor_tal(resultater) -> dict:
    tal = {r.noegle: r.taeller for r in resultater if r.taeller is not None}
    tal["M8.virksomheder"] = next(r.naevner for r in resultater if r.noegle == "M8.by_land")
    return tal


# ---------------------------------------------------------------------------------------------
# Timing


def bedst(funktion):
    tider, svar = [], None
    for _ in range(GENTAG):
        t0 = time.perf_counter()
        svar = funktion()
        tider.append(time.perf_counter() - t0)
    return min(tider), statistics.median(tider), svar


def ms(sekunder: float) -> str:
    return f"{sekunder * 1000:8.1f} ms"


class Taeller:
    """A database execute wrapper that counts the queries run (``connection.queries`` is reset
    by every request and capped at 9,000 entries, so it cannot be trusted here)."""

    def __init__(self):
        self.antal = 0

    def __call__(self, execute, sql, params, many, context):
        self.antal += 1
        return execute(sql, params, many, context)


# The page cache the settings give every connection, and SQLite's default, for comparison.
STOR_CACHE = "PRAGMA cache_size = -65536"
LILLE_CACHE = "PRAGMA cache_size = -2000"


def maal_en(antal: int, *, sammenlign_cache: bool) -> None:
    global GENTAG
    if antal >= 500_000:
        GENTAG = 3  # each run takes seconds; three keep the whole under ten minutes
    mappe = Path(tempfile.mkdtemp(prefix="status-benchmark-"))
    t0 = time.perf_counter()
    opsaet_django(mappe)
    from django.db import connection, reset_queries

    oprettet = byg_data(antal)
    reset_queries()  # DEBUG keeps a log of the queries; the bulk load filled it
    print(f"\n== {antal:,} forløb ({oprettet['virksomheder']:,} virksomheder, "
          f"{oprettet['henvisninger']:,} henvisninger); database built in "
          f"{time.perf_counter() - t0:.1f} s ({mappe})")
    if sammenlign_cache:
        with connection.cursor() as c:
            c.execute(LILLE_CACHE)
        maal_runde("with SQLite's default 2 MB page cache (PRAGMA cache_size = -2000)")
        with connection.cursor() as c:
            c.execute(STOR_CACHE)
    maal_runde("as configured: migrated indexes, 64 MB page cache (kontrakt/settings.py)")
    maal_godkendt()


def maal_runde(etiket: str) -> None:
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from maal.models import Resultatkontrakt
    from maal.roller import KKR_LAESER
    from rapporter.beregning import Periode
    from rapporter.resultater import indikator_resultater

    print(f"  -- {etiket}")
    kontrakt = Resultatkontrakt.objects.select_related("erhvervshus").get(aar=AAR)
    for periode in (Periode.h1(AAR), Periode.helaar(AAR)):
        forespoergsler = Taeller()
        with connection.execute_wrapper(forespoergsler):
            indikator_resultater(kontrakt, periode, idag=IDAG)
        b_motor, m_motor, resultater = bedst(
            lambda p=periode: indikator_resultater(kontrakt, p, idag=IDAG))
        b_gulv, m_gulv, tal = bedst(lambda p=periode: gulv(p.fra, p.til))
        motor = motor_tal(resultater)
        afvig = {k: (v, motor.get(k)) for k, v in tal.items() if motor.get(k) != v}
        print(f"  {periode.navn:7s} indikator_resultater: best {ms(b_motor)}  median "
              f"{ms(m_motor)}  ({forespoergsler.antal} queries, 31 indicators)")
        print(f"  {periode.navn:7s} hand-written SQL floor: best {ms(b_gulv)}  median "
              f"{ms(m_gulv)}  → engine / floor = {b_motor / b_gulv:.2f}×")
        print(f"          figures equal to the floor's: {'yes' if not afvig else afvig}")

    try:
        url = reverse("rapporter:status")
    except NoReverseMatch:
        print("  status page: not available")
        return
    bruger = User.objects.filter(username="benchmark-laeser").first()
    if bruger is None:
        bruger = User.objects.create_user("benchmark-laeser", password="x")
        bruger.groups.add(Group.objects.get(name=KKR_LAESER))
        bruger.medlemskaber.get_or_create(erhvervshus_id=kontrakt.erhvervshus_id)
    klient = Client()
    klient.force_login(bruger)
    for parametre in ({"aar": AAR, "periode": "H1"}, {"aar": AAR, "periode": "helaar"}):
        svar = klient.get(url, parametre)
        if svar.status_code != 200:
            print(f"  status page {parametre}: HTTP {svar.status_code}")
            continue
        taelt = Taeller()
        with connection.execute_wrapper(taelt):
            klient.get(url, parametre)
        b_side, m_side, _ = bedst(lambda p=parametre: klient.get(url, p))
        print(f"  status page {url}?periode={parametre['periode']}: best {ms(b_side)}  "
              f"median {ms(m_side)}  ({taelt.antal} queries)")


def maal_godkendt() -> None:
    """H1 approved: the approved version is read from the snapshot, so its page makes the same
    few queries whatever the volume; today's page beside it counts as before."""
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from maal.models import Resultatkontrakt
    from maal.roller import ADMINISTRATOR, KKR_LAESER
    from rapporter.beregning import Periode
    from rapporter.godkendelse import (
        forklaring_gem,
        godkend,
        godkendt_rapport,
        rapport_til_visning,
        seneste_godkendelse,
    )

    print("  -- an approved period (H1), as configured")
    kontrakt = Resultatkontrakt.objects.select_related("erhvervshus").get(aar=AAR)
    admin = User.objects.create_user("benchmark-admin", password="x", first_name="Benchmark")
    admin.groups.add(Group.objects.get(name=ADMINISTRATOR))
    admin.medlemskaber.get_or_create(erhvervshus_id=kontrakt.erhvervshus_id)
    for maal in kontrakt.maal.all():
        forklaring_gem(maal=maal, periode="H1", tekst="Benchmark.", bruger=admin)
    t0 = time.perf_counter()
    godkendelse = godkend(kontrakt=kontrakt, periode="H1", bruger=admin, idag=IDAG)
    print(f"  godkend (count, check, store version {godkendelse.version}): "
          f"{ms(time.perf_counter() - t0)}  (snapshot {len(str(godkendelse.indhold)):,} chars)")

    def fra_snapshot():
        return godkendt_rapport(seneste_godkendelse(kontrakt, "H1"))

    def visning():
        return rapport_til_visning(kontrakt, Periode.h1(AAR), aktuel=False, idag=IDAG,
                                   beregnet=godkendelse.tidspunkt)

    for navn, funktion in (("seneste_godkendelse + godkendt_rapport", fra_snapshot),
                           ("rapport_til_visning (approved)", visning)):
        taelt = Taeller()
        with connection.execute_wrapper(taelt):
            funktion()
        b, m, _ = bedst(funktion)
        print(f"  {navn}: best {ms(b)}  median {ms(m)}  ({taelt.antal} queries)")

    laeser, _ = User.objects.get_or_create(username="benchmark-laeser")
    laeser.groups.add(Group.objects.get(name=KKR_LAESER))
    laeser.medlemskaber.get_or_create(erhvervshus_id=kontrakt.erhvervshus_id)
    klient = Client()
    klient.force_login(laeser)
    for navn in ("rapporter:status", "rapporter:json"):
        url = reverse(navn)
        for parametre in ({"aar": AAR, "periode": "H1"},
                          {"aar": AAR, "periode": "H1", "aktuel": "1"}):
            svar = klient.get(url, parametre)
            if svar.status_code != 200:
                print(f"  {url} {parametre}: HTTP {svar.status_code}")
                continue
            taelt = Taeller()
            with connection.execute_wrapper(taelt):
                klient.get(url, parametre)
            b, m, _ = bedst(lambda u=url, p=parametre: klient.get(u, p))
            hvad = "today's (?aktuel=1)" if "aktuel" in parametre else "approved"
            print(f"  {url}?periode=H1 {hvad:20s}: best {ms(b)}  median {ms(m)}  "
                  f"({taelt.antal} queries)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--kun-konfigureret", action="store_true",
        help="Measure only as configured, not first with SQLite's default page cache.",
    )
    parser.add_argument("--enkelt", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.enkelt:
        maal_en(args.enkelt, sammenlign_cache=not args.kun_konfigureret)
        return
    for antal in args.n:
        kommando = [sys.executable, __file__, "--enkelt", str(antal)]
        ekstra = ["--kun-konfigureret"] if args.kun_konfigureret else []
        subprocess.run(kommando + ekstra, check=True)


if __name__ == "__main__":
    main()
