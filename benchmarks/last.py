"""The app under a whole house's load: gunicorn on PostgreSQL, 20 users with no think time.

What it does, in order, and undoes whatever happens:

1. drops and creates a scratch PostgreSQL database (``bench_last`` on 127.0.0.1:5432, user
   postgres, trust authentication), migrates it and loads the 2025 contract;
2. fills it with a year at ten times the contract's volume (17,000 forløb with their companies,
   henvisninger, AI-tjek, aktiviteter, programdeltagelser, samarbejdsaftaler, målinger and
   milestones, in the demo data's proportions, in bulk: ``benchmarks/status.py``'s ``byg_data``)
   and creates an account for each simulated user (40 KKR-læsere, 40 registranter, one
   administrator) with a known password;
3. starts the app with gunicorn (``--workers 3``, sync workers; ``--workers``/``--threads``
   vary it) as in production: ``DEBUG=0``, a
   ``SECRET_KEY``, collected static files, the kept values shared in files on a RAM disk
   (``CACHE_MAPPE`` under /dev/shm); only plain http differs (``SECURE_SSL_REDIRECT=0``,
   no HSTS), as the proxy that terminates TLS is not part of the benchmark;
4. drives it from a second process with locust (``benchmarks/locustfile.py``, its FastHttpUser
   client, light on the CPU it shares with the app; ``--klient requests``: HttpUser):
   headless, bounded in time (``--tid``) and in requests per user, only to 127.0.0.1, 20
   users started at once and no think time. Each logs in once, then a KKR reader reads the
   status pages (H1, helår, a status date), the goal pages and a drill-down; a registrant the
   forløb list with its filters and registers AI-tjek through the form (GET, then POST of its
   fields and CSRF token);
5. prints requests per second, p50/p95/p99 per page and the errors, and writes them to
   ``benchmarks/README.md`` (the section between the markers, with date, machine, load average
   and settings; ``--etiket`` names the run, e.g. "før" / "efter");
6. stops gunicorn and drops the database, also on an error or Ctrl-C.

    .venv/bin/python benchmarks/last.py [--etiket efter] [--tid 60] [--brugere 20] [--port 8765]
"""

import argparse
import csv
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROD = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
README = Path(__file__).resolve().parent / "README.md"
DATABASE = "bench_last"
SERVER = "postgresql://postgres@127.0.0.1:5432"
ADGANGSKODE = "Belastning-2025!"  # the benchmark's users; the database is dropped afterwards
# One account per simulated user, as in a house: nobody shares another's kept pages.
KONTI_PR_ROLLE = 40
BRUGERE = {
    **{f"bench_laeser_{n:02d}": "KKR-læser" for n in range(1, KONTI_PR_ROLLE + 1)},
    **{f"bench_registrant_{n:02d}": "Registrant" for n in range(1, KONTI_PR_ROLLE + 1)},
    "bench_admin": "Administrator",
}
FORLOEB = 17_000  # ten times the contract's volume of a year
MARKER_START = "<!-- last:start -->"
MARKER_SLUT = "<!-- last:slut -->"


def psql(sql: str, database: str = "postgres") -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/{database}", autocommit=True) as forbindelse:
        forbindelse.execute(sql)


def miljoe() -> dict:
    return os.environ | {
        "DATABASE_URL": f"{SERVER}/{DATABASE}",
        "DJANGO_SETTINGS_MODULE": "kontrakt.settings",
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "0",
        "SECURE_HSTS_PRELOAD": "0",
        "LOG_LEVEL": "ERROR",
    }


def manage(*args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROD, env=miljoe(), check=True)


# ---------------------------------------------------------------------------------------------
# Step 2, in a child process with Django set up on the scratch database


def fyld() -> None:
    """The year's data (bulk) and the users; run as ``last.py --fyld`` by :func:`main`."""
    sys.path[:0] = [str(ROD), str(Path(__file__).resolve().parent)]
    import django

    django.setup()
    from django.apps import apps
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User
    from status import byg_data
    from stdnum.dk import cvr

    from forloeb import services
    from maal.models import Resultatkontrakt

    start = time.perf_counter()
    hus = Resultatkontrakt.objects.get(aar=2025).erhvervshus
    # Houses: the records belong to the contract's house and the users to it, where the models
    # have houses. byg_data builds records without one; here the house is their default.
    for model in apps.get_app_config("forloeb").get_models():
        for felt in model._meta.fields:
            if felt.name == "erhvervshus" and not model.__name__.startswith("Historical"):
                felt.default = hus.pk
    tal = byg_data(FORLOEB)
    kode = make_password(ADGANGSKODE)  # hashed once: 81 accounts with one password
    for navn, gruppe in BRUGERE.items():
        bruger = User.objects.create(username=navn, password=kode, first_name="Bench",
                                     last_name=gruppe)
        bruger.groups.add(Group.objects.get(name=gruppe))
        if hasattr(bruger, "medlemskaber"):
            bruger.medlemskaber.create(erhvervshus=hus)
    # The registrants' AI-tjek need a company with a valid CVR (the bulk ones skip validation).
    nummer = next(f"{n:08d}" for n in range(39_000_000, 39_001_000) if cvr.is_valid(f"{n:08d}"))
    services.virksomhed_create(cvr=nummer, navn="Belastning ApS", kommune="259",
                               stiftelsesdato=date(2010, 1, 1),
                               bruger=User.objects.get(username="bench_admin"))
    Path(os.environ["LAST_CVR_FIL"]).write_text(nummer)
    print(f"Data: {FORLOEB:,} forløb, {tal['virksomheder']:,} virksomheder, "
          f"{tal['henvisninger']:,} henvisninger på {time.perf_counter() - start:.0f} s")


# ---------------------------------------------------------------------------------------------
# Steps 3 to 5


def vent_paa_port(port: int, sekunder: float = 60) -> None:
    slut = time.monotonic() + sekunder
    while time.monotonic() < slut:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn svarede ikke på port {port}")


def kør_locust(args, mappe: Path, cvr_nummer: str) -> Path:
    prefix = mappe / "last"
    subprocess.run([
        str(BIN / "locust"), "-f", str(Path(__file__).resolve().parent / "locustfile.py"),
        "--headless", "-u", str(args.brugere), "-r", str(args.brugere), "-t", f"{args.tid}s",
        "--host", f"http://127.0.0.1:{args.port}", "--csv", str(prefix), "--only-summary",
        "--stop-timeout", "10", "--loglevel", "WARNING",
    ], cwd=ROD, env=os.environ | {"LAST_ADGANGSKODE": ADGANGSKODE, "LAST_CVR": cvr_nummer,
                                  "LAST_MAKS_PR_BRUGER": str(args.maks),
                                  "LAST_KUN_LAESNING": "1" if args.kun_laesning else "",
                                  "LAST_KLIENT": args.klient},
        check=False)
    return prefix.with_name("last_stats.csv")


LAESNING = "; registrants read only (no AI-tjek registered)"
OPVARMNING = 15  # seconds: the 20 logins hash their passwords (PBKDF2) in these


def jaevn_takt(fil: Path) -> float | None:
    """Requests per second after the first :data:`OPVARMNING` seconds (locust's per-second
    history): the rate once everyone is logged in."""
    with fil.open(newline="") as f:
        raekker = [(int(r["Timestamp"]), int(r["Total Request Count"]))
                   for r in csv.DictReader(f) if r["Name"] == "Aggregated"]
    if len(raekker) < 2:
        return None
    start = raekker[0][0] + OPVARMNING
    efter = [r for r in raekker if r[0] >= start]
    if len(efter) < 2 or efter[-1][0] == efter[0][0]:
        return None
    return (efter[-1][1] - efter[0][1]) / (efter[-1][0] - efter[0][0])


def læs_tal(fil: Path) -> list[dict]:
    with fil.open(newline="") as f:
        return [{
            "navn": r["Name"], "antal": int(r["Request Count"]), "fejl": int(r["Failure Count"]),
            "rps": float(r["Requests/s"]), "p50": r["50%"], "p95": r["95%"], "p99": r["99%"],
        } for r in csv.DictReader(f)]


def tabel(raekker: list[dict]) -> str:
    linjer = ["| side | forespørgsler | fejl | req/s | p50 ms | p95 ms | p99 ms |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for r in raekker:
        navn = "**i alt**" if r["navn"] == "Aggregated" else r["navn"]
        linjer.append(f"| {navn} | {r['antal']} | {r['fejl']} | {r['rps']:.1f} | {r['p50']} | "
                      f"{r['p95']} | {r['p99']} |")
    return "\n".join(linjer)


def skriv_readme(etiket: str, args, raekker: list[dict], belastning: tuple,
                 takt: float | None) -> None:
    cpu = next((linje.split(":", 1)[1].strip() for linje in
                Path("/proc/cpuinfo").read_text().splitlines() if linje.startswith("model name")),
               platform.processor())
    afsnit = (
        f"### {etiket}: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}; load "
        f"average before the run {belastning[0]:.2f} / {belastning[1]:.2f} / {belastning[2]:.2f}"
        f" (1/5/15 min). PostgreSQL on 127.0.0.1, gunicorn --workers {args.workers}"
        f"{f' --threads {args.threads}' if args.threads > 1 else ''}, DEBUG=0; locust "
        f"{args.brugere} users ({'FastHttpUser' if args.klient == 'fast' else 'HttpUser'}), "
        f"no think time, {args.tid} s, at most {args.maks} tasks per user; "
        f"{FORLOEB} forløb{LAESNING if args.kun_laesning else ''}."
        f"\n\n{tabel(raekker)}\n\n"
        f"After the first {OPVARMNING} s (the logins): "
        f"{'–' if takt is None else f'{takt:.1f}'} req/s.\n"
    )
    tekst = README.read_text() if README.exists() else ""
    if MARKER_START not in tekst:
        tekst += f"\n## Runs\n\n{MARKER_START}\n{MARKER_SLUT}\n"
    for_, rest = tekst.split(MARKER_SLUT, 1)
    README.write_text(f"{for_}{afsnit}\n{MARKER_SLUT}{rest}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--etiket", default="Run", help="the run's heading in the README")
    parser.add_argument("--tid", type=int, default=60, help="seconds of load")
    parser.add_argument("--brugere", type=int, default=20)
    parser.add_argument("--maks", type=int, default=2000, help="most tasks per user")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn's worker processes")
    parser.add_argument("--klient", choices=("fast", "requests"), default="fast",
                        help="locust's HTTP client: FastHttpUser (geventhttpclient, light on the "
                             "CPU the app shares) or HttpUser (python-requests)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker (more than 1: gunicorn's gthread workers, "
                             "which keep connections open)")
    parser.add_argument("--ingen-readme", action="store_true")
    parser.add_argument("--kun-laesning", action="store_true",
                        help="registrants read the form instead of saving it: no writes")
    parser.add_argument("--behold", action="store_true",
                        help="build the database, leave it (no load, no drop) and stop; for "
                             "profiling single pages against it")
    parser.add_argument("--fyld", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fyld:
        fyld()
        return 0

    gunicorn = cache_mappe = None
    with tempfile.TemporaryDirectory(prefix="last-") as mappe:
        mappe = Path(mappe)
        try:
            psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            psql(f"CREATE DATABASE {DATABASE}")
            manage("migrate", "-v", "0")
            manage("loaddata", "kontrakt_2025", "-v", "0")
            subprocess.run([str(BIN / "python"), __file__, "--fyld"], cwd=ROD, check=True,
                           env=miljoe() | {"LAST_CVR_FIL": str(mappe / "cvr")})
            psql("ANALYZE", DATABASE)  # the planner's statistics, as autovacuum would make them
            manage("collectstatic", "--noinput", "-v", "0")
            if args.behold:
                print(f"Database {DATABASE} is left for profiling; DATABASE_URL={SERVER}/"
                      f"{DATABASE}; drop it with: DROP DATABASE {DATABASE}")
                return 0
            # The workers share their kept values in files on a RAM disk, as the README's
            # production set-up has it (CACHE_MAPPE).
            delt = Path("/dev/shm") if Path("/dev/shm").is_dir() else mappe
            cache_mappe = Path(tempfile.mkdtemp(prefix="last-cache-", dir=delt))
            gunicorn = subprocess.Popen(
                [str(BIN / "gunicorn"), "kontrakt.wsgi", "--bind", f"127.0.0.1:{args.port}",
                 "--workers", str(args.workers), "--threads", str(args.threads),
                 "--log-level", "warning"], cwd=ROD,
                env=miljoe() | {"CACHE_MAPPE": str(cache_mappe)},
            )
            vent_paa_port(args.port)
            belastning = os.getloadavg()
            print(f"Load average before the run: {belastning[0]:.2f} {belastning[1]:.2f} "
                  f"{belastning[2]:.2f}")
            tal = kør_locust(args, mappe, (mappe / "cvr").read_text())
            raekker = læs_tal(tal)
            takt = jaevn_takt(tal.with_name("last_stats_history.csv"))
            print(tabel(raekker))
            print(f"After the first {OPVARMNING} s (the logins): "
                  f"{'–' if takt is None else f'{takt:.1f}'} req/s")
            if not args.ingen_readme:
                skriv_readme(args.etiket, args, raekker, belastning, takt)
            return 1 if any(r["fejl"] for r in raekker) else 0
        finally:
            if gunicorn is not None:
                gunicorn.send_signal(signal.SIGTERM)
                try:
                    gunicorn.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    gunicorn.kill()
            if cache_mappe is not None:
                shutil.rmtree(cache_mappe, ignore_errors=True)
            if not args.behold:
                psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


if __name__ == "__main__":
    sys.exit(main())
