"""A registrant saving while an import writes: the save waits for the import's transaction and
is saved; should the database stay busy past its limit (``DB_VENT_SEKUNDER``), the form comes
back with "Databasen er optaget lige nu – prøv igen om lidt", every field kept, answered 503,
and nothing is written. On SQLite and PostgreSQL.

The import is another thread: once the importer command itself with a year's 10,000 forløb
(the save is sent as soon as it writes them), otherwise a transaction that has written a batch of
companies and holds on as long as a test needs; the save is the test client's, in this thread.
SQLite lets one writer in at a time, so any write transaction makes the save wait. PostgreSQL
writers of different rows don't wait for each other at all (an import and a save never touch the
same rows), so there the thread also takes a lock on the table the save writes to: what makes
it wait is then the same as on SQLite, a lock held by another transaction.

SQLite's test database is in memory by default, where locks are shared-cache table locks that
fail at once whatever the busy timeout; this module alone runs on a file copy of it
(:func:`paa_fil`), so the rest of the suite keeps its speed.
"""

import io
import re
import sqlite3
import threading
import time
from html import unescape

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import OperationalError, connection, connections, transaction
from django.test import RequestFactory
from django.urls import reverse

from forloeb.models import AITjek, Forloeb, Virksomhed
from kontrakt import db
from kontrakt.middleware import OptagetMiddleware
from maal.models import Maaling
from rapporter.godkendelse import forklaring_gem
from rapporter.models import Forklaring, Godkendelse
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OPTAGET = "Databasen er optaget lige nu – prøv igen om lidt. Intet er gemt; dine indtastninger " \
          "står her stadig."
IMPORTERET = 500  # companies the "import" writes in its transaction


@pytest.fixture(scope="module", autouse=True)
def paa_fil(django_db_setup, django_db_blocker, tmp_path_factory):
    """On SQLite in memory: this module's tests on a file copy of the test database (the
    backup API), every thread with its own connection to it; the database in memory is kept
    open meanwhile and given back afterwards.

    The connection to memory is left as it is, with a settings copy that still names memory:
    a live server of the browser tests shares it with its request threads, which close it after
    each request (a no-op for memory). This thread gets a new connection to the file, so a late
    request there can never close a connection in use here."""
    hukommelse = connections["default"]
    if hukommelse.vendor != "sqlite" or not hukommelse.is_in_memory_db():
        yield
        return
    with django_db_blocker.unblock():
        hukommelse.ensure_connection()
        fil = tmp_path_factory.mktemp("samtidighed") / "test.sqlite3"
        kopi = sqlite3.connect(fil)
        hukommelse.connection.backup(kopi)
        kopi.close()
        indstillinger = hukommelse.settings_dict
        assert indstillinger is settings.DATABASES["default"]  # new threads' connections read it
        navn = indstillinger["NAME"]
        hukommelse.settings_dict = dict(indstillinger)  # still memory, whatever threads read
        indstillinger["NAME"] = str(fil)
        paa_filen = connections.create_connection("default")
        if hasattr(hukommelse, "_test_serialized_contents"):  # serialized_rollback reloads it
            paa_filen._test_serialized_contents = hukommelse._test_serialized_contents
        connections["default"] = paa_filen
    yield
    with django_db_blocker.unblock():
        connections["default"].close()
        indstillinger["NAME"] = navn
        hukommelse.settings_dict = indstillinger
        connections["default"] = hukommelse


@pytest.fixture
def kort_ventetid():
    """The database's wait cut to 1 second, for new connections and this thread's."""
    indstillinger = connections["default"].settings_dict["OPTIONS"]
    foer = dict(indstillinger)
    if connection.vendor == "sqlite":
        indstillinger["timeout"] = 1
    else:
        indstillinger["options"] = "-c lock_timeout=1000"
    connection.close()
    yield
    indstillinger.clear()
    indstillinger.update(foer)
    connection.close()


class Import(threading.Thread):
    """Another transaction writing, as an import does: it writes a batch of companies, then
    holds its transaction (and on PostgreSQL a lock on ``tabel``) for ``sekunder`` or until
    :attr:`slip` is set, and commits."""

    def __init__(self, tabel: str, sekunder: float = 10):
        super().__init__(daemon=True)
        self.tabel, self.sekunder = tabel, sekunder
        self.klar, self.slip = threading.Event(), threading.Event()
        self.fejl = None

    def run(self):
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute(f"LOCK TABLE {self.tabel} IN EXCLUSIVE MODE")
                Virksomhed.objects.bulk_create(
                    Virksomhed(cvr=f"9{n:07d}", navn=f"Importeret {n}", kommune_id="330",
                               stiftelsesdato="2020-01-01")
                    for n in range(IMPORTERET)
                )
                self.klar.set()
                self.slip.wait(self.sekunder)
        except Exception as fejl:  # shown by the test that started it
            self.fejl = fejl
            self.klar.set()
        finally:
            connection.close()

    def __enter__(self):
        self.start()
        assert self.klar.wait(10) and self.fejl is None, self.fejl
        return self

    def __exit__(self, *_):
        self.slip.set()
        self.join(10)
        assert not self.is_alive() and self.fejl is None, self.fejl


def tekst(svar) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", svar.content.decode())).split())


def ai_tjek_data():
    return {"virksomhed-soeg": factories.virksomhed(navn="Travl Smedje ApS").cvr,
            "dato": "2025-04-02", "henvist_af_lokal_erhvervsservice": "on", "naeste": "liste"}


def test_a_save_during_an_import_waits_for_it_and_is_saved(logget_ind):
    data = ai_tjek_data()
    with Import("forloeb_aitjek", sekunder=2):
        start = time.monotonic()
        svar = logget_ind.post(reverse("forloeb:ai_tjek_opret"), data)
        ventet = time.monotonic() - start
    assert svar.status_code == 302, tekst(svar)
    assert 1 <= ventet < settings.DB_VENT_SEKUNDER  # it waited for the import, then saved
    tjek = AITjek.objects.get()
    assert (tjek.virksomhed.navn, tjek.henvist_af_lokal_erhvervsservice) == ("Travl Smedje ApS",
                                                                             True)
    assert Virksomhed.objects.filter(navn__startswith="Importeret").count() == IMPORTERET


STOR_IMPORT = 10_000  # forløb: a busy year's workbook (benchmarks/importer.py)


def test_a_save_during_a_real_import_of_a_years_forloeb_waits_and_is_saved(
    logget_ind, administrator, tmp_path,
):
    """The importer command with 10,000 forløb in another thread; the registrant saves as soon
    as the import has begun writing its forløb (its write transaction holds the lock then)."""
    from benchmarks.importer import arbejdsbog

    fil = tmp_path / "aaret.xlsx"
    fil.write_bytes(arbejdsbog(STOR_IMPORT))
    data = ai_tjek_data()
    skriver, udfald = threading.Event(), {}

    def vagt(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and '"forloeb_forloeb"' in sql:
            skriver.set()
        return execute(sql, params, many, context)

    def importer():
        try:
            with connection.execute_wrapper(vagt):
                call_command("importer", str(fil), bruger=administrator.username,
                             stdout=io.StringIO())
        except BaseException as fejl:  # noqa: BLE001 - shown below
            udfald["fejl"] = fejl
        finally:
            skriver.set()
            connection.close()

    traad = threading.Thread(target=importer, daemon=True)
    traad.start()
    assert skriver.wait(120)
    start = time.monotonic()
    svar = logget_ind.post(reverse("forloeb:ai_tjek_opret"), data)
    ventet = time.monotonic() - start
    traad.join(120)
    assert "fejl" not in udfald, udfald.get("fejl")
    assert svar.status_code == 302, tekst(svar)
    assert ventet < settings.DB_VENT_SEKUNDER
    assert AITjek.objects.count() == 1
    assert Forloeb.objects.count() == STOR_IMPORT


def test_busy_past_the_limit_the_registration_form_comes_back_with_everything_kept(
    logget_ind, kort_ventetid,
):
    data = {**ai_tjek_data(), "ekstern_id": "ESCRM-4711"}
    with Import("forloeb_aitjek"):
        svar = logget_ind.post(reverse("forloeb:ai_tjek_opret"), data)
    side = svar.content.decode()
    assert svar.status_code == 503
    assert OPTAGET in tekst(svar) and 'role="alert"' in side
    assert f'value="{data["virksomhed-soeg"]}"' in side
    assert 'value="2025-04-02"' in side and 'value="ESCRM-4711"' in side
    assert re.search(r'<input type="checkbox" name="henvist_af_lokal_erhvervsservice"[^>]* checked',
                     side)
    assert not AITjek.objects.exists()


def test_busy_past_the_limit_a_new_company_on_the_form_is_not_half_saved(logget_ind,
                                                                         kort_ventetid):
    cvr = factories.gyldigt_cvr(971)
    data = {"virksomhed-soeg": cvr, "virksomhed-navn": "Ny Smedje", "virksomhed-kommune": "330",
            "virksomhed-stiftelsesdato": "2024-01-15", "dato": "2025-04-02"}
    with Import("forloeb_virksomhed"):
        svar = logget_ind.post(reverse("forloeb:ai_tjek_opret"), data)
    assert svar.status_code == 503 and OPTAGET in tekst(svar)
    assert 'value="Ny Smedje"' in svar.content.decode()
    assert not Virksomhed.objects.filter(cvr=cvr).exists() and not AITjek.objects.exists()


@pytest.fixture
def admin_klient(client, administrator, kontrakt_2025):
    client.force_login(administrator)
    return client


def test_busy_past_the_limit_a_maaling_comes_back_kept(admin_klient, kort_ventetid):
    with Import("maal_maaling"):
        svar = admin_klient.post("/status/maaling/ny/?aar=2025&periode=H1", {
            "noegle": "M3.nps", "vaerdi": "68,5", "dato": "2025-05-01", "kilde": "ERST, endelig"})
    assert svar.status_code == 503 and OPTAGET in tekst(svar)
    side = svar.content.decode()
    assert 'value="68,5"' in side and 'value="ERST, endelig"' in side
    assert not Maaling.objects.exists()


def test_busy_past_the_limit_explanations_come_back_kept(admin_klient, kort_ventetid):
    with Import("rapporter_forklaring"):
        svar = admin_klient.post("/status/forklaringer/?aar=2025&periode=H1",
                                 {"maal-7": "Korte forløb registreres efter sommerferien."})
    assert svar.status_code == 503 and OPTAGET in tekst(svar)
    assert "Korte forløb registreres efter sommerferien." in svar.content.decode()
    assert not Forklaring.objects.exists()


def test_busy_past_the_limit_an_approval_is_not_made(admin_klient, kontrakt_2025,
                                                      administrator, kort_ventetid):
    for maal in kontrakt_2025.maal.all():
        forklaring_gem(maal=maal, periode="H1", tekst="Status.", bruger=administrator)
    with Import("rapporter_godkendelse"):
        svar = admin_klient.post("/status/godkend/?aar=2025&periode=H1",
                                 {"kommentar": "Drøftet på KKR-mødet.", "efter_version": "0"})
    assert svar.status_code == 503 and OPTAGET in tekst(svar)
    assert "Drøftet på KKR-mødet." in svar.content.decode()
    assert not Godkendelse.objects.exists()


# --- The one rule and the fallback ----------------------------------------------------------------


class PsycopgFejl(Exception):
    def __init__(self, sqlstate):
        self.sqlstate = sqlstate


def psycopg(sqlstate, tekst="fejl"):
    fejl = OperationalError(tekst)
    fejl.__cause__ = PsycopgFejl(sqlstate)
    return fejl


@pytest.mark.parametrize("fejl, er_optaget", [
    (OperationalError("database is locked"), True),
    (OperationalError("database table is locked: forloeb_aitjek"), True),
    (psycopg("55P03", "canceling statement due to lock timeout"), True),
    (psycopg("40001", "could not serialize access"), True),
    (psycopg("40P01", "deadlock detected"), True),
    (OperationalError("no such table: forloeb_aitjek"), False),
    (psycopg("08006", "connection failure"), False),
    (ValueError("database is locked"), False),
])
def test_busy_is_told_from_a_real_failure(fejl, er_optaget):
    assert db.optaget(fejl) is er_optaget


def test_a_busy_write_escaping_a_view_is_the_danish_503_page(rf: RequestFactory):
    request = rf.post("/registrering/ai-tjek/ny/")
    request.user = AnonymousUser()
    middleware = OptagetMiddleware(lambda r: None)
    svar = middleware.process_exception(request, OperationalError("database is locked"))
    assert svar.status_code == 503 and svar["Retry-After"] == "5"
    side = tekst(svar)
    assert "Databasen er optaget" in side and "Intet er gemt." in side
    assert "Prøv igen om lidt" in side
    assert middleware.process_exception(request, OperationalError("no such table: x")) is None
    assert middleware.process_exception(request, ValueError("database is locked")) is None

