"""``backup`` and ``restore``: a restored backup gives the same JSON report; bad input is refused
with a Danish message and exit code 2, nothing changed.

On SQLite (the suite's in-memory test database) the copy is taken from and restored into
Django's own connection with SQLite's backup API. On PostgreSQL the same tests run pg_dump and
pg_restore against the test database; the tests about SQLite files are skipped there.
"""

import io
import sqlite3
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from forloeb.models import Forloeb
from tests import factories

pytestmark = pytest.mark.django_db

kun_sqlite = pytest.mark.skipif(
    "connection.vendor != 'sqlite'", reason="gælder SQLite-filer; PostgreSQL bruger pg_dump"
)
kun_postgresql = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="gælder pg_dump/pg_restore"
)
# A copy is taken of what is committed (pg_dump sees nothing else, and SQLite's backup would wait
# for the test's own open transaction), so these tests commit, and get the database back after.
i_databasen = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def fast_tid():
    with time_machine.travel(datetime(2025, 7, 15, 12, tzinfo=ZoneInfo("Europe/Copenhagen")),
                             tick=False):
        yield


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    return settings.DATA_DIR


def kor(*args) -> str:
    ud = io.StringIO()
    call_command(*args, stdout=ud)
    return ud.getvalue()


def afvist(*args) -> str:
    with pytest.raises(CommandError) as fejl:
        kor(*args)
    assert fejl.value.returncode == 2
    return str(fejl.value)


def rapport() -> str:
    return kor("rapport", "--aar", "2025", "--periode", "H1", "--format", "json")


@pytest.fixture
def registreringer(kontrakt_2025):
    """Forløb that move M7 in H1 2025: two short ones, a handlingsplan, one still running."""
    return [
        factories.forloeb(type="kort", startdato=date(2025, 2, 1), slutdato=date(2025, 3, 1)),
        factories.forloeb(type="kort", startdato=date(2025, 3, 1), slutdato=date(2025, 4, 1)),
        factories.forloeb(type="handlingsplan", startdato=date(2025, 1, 10),
                          slutdato=date(2025, 5, 1), henvist_til=["Innovationsfonden"]),
        factories.forloeb(type="kort", startdato=date(2025, 6, 1)),
    ]


@i_databasen
def test_a_restored_backup_gives_the_same_report(registreringer, tmp_path):
    foer = rapport()
    fil = tmp_path / "kopi.bak"
    assert f"Sikkerhedskopien er skrevet til {fil}" in kor("backup", "--til", str(fil))

    kort, _, plan, _ = registreringer
    Forloeb.objects.filter(pk=kort.pk).delete()
    Forloeb.objects.filter(pk=plan.pk).update(slutdato=None)
    factories.forloeb(type="vaekstplan", startdato=date(2025, 2, 2), slutdato=date(2025, 6, 1))
    assert rapport() != foer

    assert "er gendannet fra" in kor("restore", str(fil), "--ja")
    assert rapport() == foer
    assert Forloeb.objects.count() == 4


@i_databasen
def test_restore_over_an_existing_database_needs_ja(registreringer, tmp_path):
    fil = tmp_path / "kopi.bak"
    kor("backup", "--til", str(fil))
    Forloeb.objects.filter(pk=registreringer[0].pk).delete()
    besked = afvist("restore", str(fil))
    assert "findes og ville blive overskrevet" in besked and "--ja" in besked
    assert Forloeb.objects.count() == 3


@i_databasen
def test_without_til_the_backup_goes_to_data_dir_backup_with_a_timestamp(kontrakt_2025,
                                                                          data_dir):
    ud = kor("backup")
    endelse = "sqlite3" if connection.vendor == "sqlite" else "dump"
    fil = data_dir / "backup" / f"kontrakt-20250715-120000.{endelse}"
    assert f"Sikkerhedskopien er skrevet til {fil}" in ud
    assert fil.is_file() and fil.stat().st_size > 0
    assert [p.name for p in fil.parent.iterdir()] == [fil.name]  # no half-written file left


def test_a_backup_into_a_folder_that_does_not_exist_is_refused(db, tmp_path):
    besked = afvist("backup", "--til", str(tmp_path / "findes-ikke" / "kopi.bak"))
    assert besked == (f"Mappen {tmp_path / 'findes-ikke'} findes ikke. Opret den, eller vælg en "
                      "anden med --til.")
    assert not (tmp_path / "findes-ikke").exists()


def test_a_backup_never_overwrites_a_file(db, tmp_path):
    fil = tmp_path / "kopi.bak"
    fil.write_text("tidligere kopi")
    assert "findes allerede" in afvist("backup", "--til", str(fil))
    assert fil.read_text() == "tidligere kopi"


def test_restore_of_a_missing_file_or_a_folder_is_refused(registreringer, tmp_path):
    assert afvist("restore", str(tmp_path / "ingen.bak"), "--ja") == (
        f"Sikkerhedskopien {tmp_path / 'ingen.bak'} findes ikke.")
    assert "er en mappe" in afvist("restore", str(tmp_path), "--ja")
    assert Forloeb.objects.count() == 4


def test_a_file_that_is_no_backup_is_refused(registreringer, tmp_path):
    fil = tmp_path / "noter.txt"
    fil.write_text("ikke en database")
    besked = afvist("restore", str(fil), "--ja")
    assert besked in (f"{fil} er ikke en SQLite-database.",
                      f"{fil} er ikke en kopi fra pg_dump -Fc.")
    assert Forloeb.objects.count() == 4


@kun_sqlite
def test_a_sqlite_database_of_another_app_is_refused(registreringer, tmp_path):
    fil = tmp_path / "andet.sqlite3"
    with sqlite3.connect(fil) as anden:
        anden.execute("CREATE TABLE django_migrations (app, name)")
    besked = afvist("restore", str(fil), "--ja")
    assert besked == (f"{fil} er en SQLite-database, men ikke en kopi af denne app (den mangler "
                      "appens tabeller).")
    assert Forloeb.objects.count() == 4


@kun_sqlite
@i_databasen
def test_a_backup_from_a_newer_version_is_refused(registreringer, tmp_path):
    fil = tmp_path / "kopi.bak"
    kor("backup", "--til", str(fil))
    with sqlite3.connect(fil) as kopi:
        kopi.execute("INSERT INTO django_migrations (app, name, applied) "
                     "VALUES ('maal', '9999_fremtid', '2030-01-01')")
    assert "nyere udgave af appen" in afvist("restore", str(fil), "--ja")


@kun_sqlite
@i_databasen
def test_the_sqlite_backup_is_one_self_contained_file(registreringer, tmp_path):
    fil = tmp_path / "kopi.sqlite3"
    kor("backup", "--til", str(fil))
    with sqlite3.connect(fil) as kopi:
        assert kopi.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert kopi.execute("SELECT count(*) FROM forloeb_forloeb").fetchone()[0] == 4


@kun_postgresql
def test_without_pg_dump_the_command_says_what_to_run(db, tmp_path, monkeypatch):
    from kontrakt.management import sikkerhedskopi

    monkeypatch.setattr(sikkerhedskopi.shutil, "which", lambda navn: None)
    fil = tmp_path / "kopi.dump"
    besked = afvist("backup", "--til", str(fil))
    assert "pg_dump findes ikke på denne maskine" in besked
    assert f"pg_dump -h 127.0.0.1 -p 5432 -U postgres -Fc -f {fil} test_maal_" in besked
    assert not fil.exists()


@kun_sqlite
def test_a_backup_inside_an_open_transaction_is_refused_instead_of_waiting(db, tmp_path):
    with pytest.raises(CommandError, match="kan ikke tages inde i en transaktion"):
        kor("backup", "--til", str(tmp_path / "kopi.sqlite3"))
    assert not (tmp_path / "kopi.sqlite3").exists()
