"""Backup and restore of the app's database, for the commands ``backup`` and ``restore``.

SQLite: SQLite's online backup API (``sqlite3.Connection.backup``) copies the database page by
page from Django's own connection, as one consistent snapshot even while the app writes (a
writer that commits during the copy makes SQLite start over). The copy is a single
self-contained file (journal mode DELETE, no ``-wal`` beside it). Restoring copies the file back
into the same connection with the same API, so the running app sees the restored data at its
next query; the database is replaced as a whole or not at all. Because it goes through the
connection and not the file, it works on the test suite's in-memory database too.

PostgreSQL: ``pg_dump -Fc`` and ``pg_restore --clean --if-exists --single-transaction`` with the
connection settings; without those programs the command says what to run instead.

Every refusal is a :class:`CommandError` with exit code 2 and nothing changed.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

SQLITE_HOVED = b"SQLite format 3\x00"
PG_HOVED = b"PGDMP"
# A copy of this app has Django's migrations table and the app's own core tables.
APPENS_TABELLER = {"django_migrations", "maal_resultatkontrakt", "forloeb_forloeb"}


def fejl(besked: str) -> CommandError:
    return CommandError(besked, returncode=2)


def er_sqlite() -> bool:
    return connection.vendor == "sqlite"


def standardfil() -> Path:
    """``DATA_DIR/backup/kontrakt-<timestamp>.<sqlite3|dump>``; the folder is made if missing."""
    mappe = Path(settings.DATA_DIR) / "backup"
    mappe.mkdir(parents=True, exist_ok=True)
    endelse = "sqlite3" if er_sqlite() else "dump"
    return mappe / f"kontrakt-{timezone.localtime():%Y%m%d-%H%M%S}.{endelse}"


def maalfil(til: str) -> Path:
    """Where ``backup --til`` writes: a file in an existing folder, never over another file."""
    if not til:
        sti = standardfil()
    else:
        sti = Path(til)
        if sti.is_dir():
            sti = sti / standardfil().name
    if not sti.parent.is_dir():
        raise fejl(f"Mappen {sti.parent} findes ikke. Opret den, eller vælg en anden med --til.")
    if sti.exists():
        raise fejl(f"Filen {sti} findes allerede. Vælg et andet navn med --til.")
    return sti


# --- SQLite -------------------------------------------------------------------------------------


def sqlite_backup(til: Path) -> None:
    """Copy the live database to ``til`` (written beside it first, then moved into place)."""
    connection.ensure_connection()
    if connection.in_atomic_block:
        # SQLite's backup waits for the connection's own open write transaction: forever.
        raise CommandError("Sikkerhedskopien kan ikke tages inde i en transaktion.")
    midlertidig = til.with_name(til.name + ".skrives")
    try:
        kopi = sqlite3.connect(midlertidig)
        try:
            connection.connection.backup(kopi)
            kopi.execute("PRAGMA journal_mode=DELETE")
            if kopi.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise CommandError(f"Kopien i {midlertidig} er ikke hel; prøv igen.")
        finally:
            kopi.close()
        os.replace(midlertidig, til)
    except OSError as exc:
        raise CommandError(f"Kan ikke skrive til {til}: {exc.strerror}.") from None
    finally:
        midlertidig.unlink(missing_ok=True)


def _tabeller(forbindelse) -> set[str]:
    return {r[0] for r in forbindelse.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _migreringer(forbindelse) -> set[tuple[str, str]]:
    return set(forbindelse.execute("SELECT app, name FROM django_migrations"))


def sqlite_kontroller(fra: Path) -> tuple[sqlite3.Connection, str]:
    """Open ``fra`` read-only if it is a whole SQLite copy of this app, else refuse.

    Returns the open connection and a note for after the restore ("" or a hint to migrate).
    """
    with fra.open("rb") as fil:
        hoved = fil.read(len(SQLITE_HOVED))
    if hoved.startswith(PG_HOVED):
        raise fejl(f"{fra} er en PostgreSQL-kopi (pg_dump); denne installation bruger SQLite.")
    if hoved != SQLITE_HOVED:
        raise fejl(f"{fra} er ikke en SQLite-database.")
    kilde = sqlite3.connect(f"{fra.resolve().as_uri()}?mode=ro", uri=True)
    try:
        if kilde.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise fejl(f"{fra} er beskadiget (PRAGMA quick_check fejler).")
        if not APPENS_TABELLER <= _tabeller(kilde):
            raise fejl(f"{fra} er en SQLite-database, men ikke en kopi af denne app "
                       "(den mangler appens tabeller).")
        return kilde, _efter_migreringer(_migreringer(kilde))
    except sqlite3.DatabaseError as exc:
        kilde.close()
        raise fejl(f"{fra} kan ikke læses som SQLite-database: {exc}.") from None
    except CommandError:
        kilde.close()
        raise


def _efter_migreringer(i_kopien: set[tuple[str, str]]) -> str:
    kendte = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    ukendte = {m for m in i_kopien if m[0] in {a for a, _ in kendte}} - kendte
    if ukendte:
        navne = ", ".join(f"{a}.{n}" for a, n in sorted(ukendte))
        raise fejl(f"Kopien er fra en nyere udgave af appen (migreringer, denne kode ikke "
                   f"kender: {navne}). Opdatér koden først.")
    if kendte - i_kopien:
        return "Kopien er fra en ældre udgave: kør python manage.py migrate bagefter."
    return ""


def sqlite_har_data() -> bool:
    connection.ensure_connection()
    return "django_migrations" in _tabeller(connection.connection)


def sqlite_restore(kilde: sqlite3.Connection) -> None:
    """Replace the live database with ``kilde``, as a whole, through Django's connection."""
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise CommandError("Gendannelsen kan ikke køre inde i en transaktion.")
    try:
        kilde.backup(connection.connection)
    except sqlite3.OperationalError as exc:  # another writer held the database past the timeout
        raise CommandError(f"Databasen kunne ikke gendannes ({exc}); den er uændret. "
                           "Prøv igen, evt. med appen stoppet.") from None


def beskrivelse() -> str:
    """The database a restore would overwrite, for the messages (capitalised)."""
    navn = connection.settings_dict["NAME"]
    if er_sqlite():
        return ("Testdatabasen i hukommelsen" if "memory" in str(navn)
                else f"SQLite-databasen {navn}")
    return f"PostgreSQL-databasen {navn} på {connection.settings_dict.get('HOST') or 'localhost'}"


# --- PostgreSQL ---------------------------------------------------------------------------------


def _pg_parametre() -> tuple[list[str], dict[str, str]]:
    """Connection arguments (host, port, user, database) and the environment with the password."""
    s = connection.settings_dict
    argumenter = []
    for flag, noegle in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if s.get(noegle):
            argumenter += [flag, str(s[noegle])]
    miljoe = dict(os.environ)
    if s.get("PASSWORD"):
        miljoe["PGPASSWORD"] = s["PASSWORD"]
    return argumenter, miljoe


def _pg_kommando(program: str, *argumenter: str) -> list[str]:
    forbindelse, _ = _pg_parametre()
    return [program, *forbindelse, *argumenter]


def _vis(kommando: list[str]) -> str:
    tekst = " ".join(subprocess.list2cmdline([a]) for a in kommando)
    if connection.settings_dict.get("PASSWORD"):
        tekst = "PGPASSWORD='…' " + tekst
    return tekst


def _koer(kommando: list[str], vist: list[str] | None = None) -> subprocess.CompletedProcess:
    """Run a PostgreSQL client program; without it, say what to run (``vist``) by hand."""
    if shutil.which(kommando[0]) is None:
        raise fejl(f"{kommando[0]} findes ikke på denne maskine (PostgreSQL's klientprogrammer, "
                   "f.eks. apt-get install postgresql-client). Kør i stedet:\n  "
                   f"{_vis(vist or kommando)}")
    _, miljoe = _pg_parametre()
    return subprocess.run(kommando, env=miljoe, capture_output=True, text=True)


def pg_backup(til: Path) -> None:
    midlertidig = til.with_name(til.name + ".skrives")
    navn = connection.settings_dict["NAME"]
    kommando = _pg_kommando("pg_dump", "-Fc", "-f", str(midlertidig), navn)
    try:
        svar = _koer(kommando, vist=_pg_kommando("pg_dump", "-Fc", "-f", str(til), navn))
        if svar.returncode != 0:
            raise CommandError(f"pg_dump fejlede:\n{svar.stderr.strip()}")
        os.replace(midlertidig, til)
    finally:
        midlertidig.unlink(missing_ok=True)


def pg_kontroller(fra: Path) -> None:
    with fra.open("rb") as fil:
        hoved = fil.read(len(SQLITE_HOVED))
    if hoved == SQLITE_HOVED:
        raise fejl(f"{fra} er en SQLite-kopi; denne installation bruger PostgreSQL.")
    if not hoved.startswith(PG_HOVED):
        raise fejl(f"{fra} er ikke en kopi fra pg_dump -Fc.")
    if shutil.which("pg_restore") is None:
        return  # the listing needs pg_restore; _koer names what to run
    svar = _koer(["pg_restore", "-l", str(fra)])
    if svar.returncode != 0:
        raise fejl(f"{fra} kan ikke læses af pg_restore:\n{svar.stderr.strip()}")
    tabeller = set()
    for linje in svar.stdout.splitlines():  # "215; 1259 16390 TABLE public django_migrations …"
        ord_ = linje.split()
        if "TABLE" in ord_ and "DATA" not in ord_ and len(ord_) > ord_.index("TABLE") + 2:
            tabeller.add(ord_[ord_.index("TABLE") + 2])
    if not APPENS_TABELLER <= tabeller:
        raise fejl(f"{fra} er en PostgreSQL-kopi, men ikke af denne app "
                   "(den mangler appens tabeller).")


def pg_har_data() -> bool:
    with connection.cursor() as cursor:
        return "django_migrations" in connection.introspection.table_names(cursor)


def pg_restore(fra: Path) -> None:
    if connection.in_atomic_block:
        raise CommandError("Gendannelsen kan ikke køre inde i en transaktion.")
    connection.close()  # our own session must not hold locks on the tables being replaced
    kommando = _pg_kommando(
        "pg_restore", "--clean", "--if-exists", "--single-transaction", "--exit-on-error",
        "--no-owner", "-d", connection.settings_dict["NAME"], str(fra),
    )
    svar = _koer(kommando)
    if svar.returncode != 0:
        raise CommandError(f"pg_restore fejlede; databasen er uændret:\n{svar.stderr.strip()}")
