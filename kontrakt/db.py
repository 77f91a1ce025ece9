"""A database too busy to write: recognised once, answered the same way by every form.

SQLite lets one writer in at a time; a form's save waits up to ``DB_VENT_SEKUNDER`` for an
import or another save to finish (its busy timeout), PostgreSQL as long for a lock (its
``lock_timeout``). Past that the write fails with an ``OperationalError``; :func:`optaget` tells
such a failure from a real one. Each form's save (``forloeb.views._gem``, ``rapporter.views._gem``,
``rapporter.views_godkendelse``) then shows :data:`OPTAGET` above the form with every field kept,
answered :data:`OPTAGET_STATUS`; anything that escapes a view anyway gets the page
``templates/503.html`` from ``kontrakt.middleware.OptagetMiddleware``. Nothing is written either
way: the transaction is rolled back.
"""

from django.db import OperationalError

OPTAGET = ("Databasen er optaget lige nu – prøv igen om lidt. Intet er gemt; dine indtastninger "
           "står her stadig.")
OPTAGET_STATUS = 503
PROEV_IGEN_SEKUNDER = 5  # the Retry-After of a busy answer

# SQLite's messages for a lock it gave up waiting for (the file, a shared-cache table, the
# schema); PostgreSQL's SQLSTATEs for a lock timeout, a serialization failure and a deadlock.
SQLITE_LAAST = ("database is locked", "database table is locked", "database schema is locked")
POSTGRES_OPTAGET = {"55P03", "40001", "40P01"}


def optaget(fejl: OperationalError) -> bool:
    """Whether ``fejl`` means "busy, try again" rather than a broken database or query."""
    if not isinstance(fejl, OperationalError):
        return False
    aarsag = fejl.__cause__ or fejl
    if getattr(aarsag, "sqlstate", None) in POSTGRES_OPTAGET:  # psycopg 3
        return True
    tekst = str(fejl).lower()
    return any(laast in tekst for laast in SQLITE_LAAST) or "lock timeout" in tekst
