"""One settings module, read from the environment.

Defaults run offline on a SQLite file in ``data/``; production sets ``DEBUG=0``, ``SECRET_KEY``,
``ALLOWED_HOSTS`` and usually ``DATABASE_URL``.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    vaerdi = os.environ.get(name, "1" if default else "0")
    return vaerdi.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY skal sættes, når DEBUG=0.")
    SECRET_KEY = "kun-til-lokal-udvikling-ikke-i-drift"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "kontrakt.apps.AdminConfig",  # django.contrib.admin with the role-based site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "kontrakt",
    "forloeb",
    "maal",
    "rapporter",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "kontrakt.middleware.PrivatCacheMiddleware",
    "kontrakt.middleware.OptagetMiddleware",  # a write that found the database busy: 503
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kontrakt.urls"
WSGI_APPLICATION = "kontrakt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "data"))
if not os.environ.get("DATABASE_URL"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # the embedded default works on a fresh checkout
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 60),
    )
}
# How long a write waits for the database (an import, another save) before the form says "prøv
# igen om lidt" with the input kept (kontrakt/db.py): SQLite's busy timeout, PostgreSQL's
# lock_timeout.
DB_VENT_SEKUNDER = envint("DB_VENT_SEKUNDER", 20)
if DB_VENT_SEKUNDER < 1:
    raise RuntimeError("DB_VENT_SEKUNDER skal være mindst 1 (sekunder).")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets KKR read a status page while a registrant saves; busy_timeout avoids "locked".
    # A 64 MB page cache (default 2 MB) keeps a year's forløb in memory between the status
    # page's queries: a third off its time at 100,000 forløb (benchmarks/status.py).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA cache_size=-65536;",
        "transaction_mode": "IMMEDIATE",
        "timeout": DB_VENT_SEKUNDER,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL writers of different rows don't wait for each other; one that waits for a lock
    # (a row or a table another transaction holds) gives up after the same time. No
    # statement_timeout: a long report query or an import is slow, not stuck.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = (
        DATABASES["default"]["OPTIONS"].get("options", "")
        + f" -c lock_timeout={DB_VENT_SEKUNDER * 1000}"
    ).strip()
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "forside"
LOGOUT_REDIRECT_URL = "login"

# django-axes counts failed logins per user name (not per IP: a whole office shares one address
# behind its NAT) and refuses even the right password while the name is locked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with each request's user and permissions kept per data version.
    "kontrakt.brugere.Backend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
# 0: locked until an administrator unlocks it in the admin.
AXES_COOLOFF_MINUTTER = envint("AXES_COOLOFF_MINUTTER", 30)
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_MINUTTER < 0:
    raise RuntimeError("AXES_FAILURE_LIMIT skal være mindst 1 og AXES_COOLOFF_MINUTTER mindst 0.")
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTTER) if AXES_COOLOFF_MINUTTER else None
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True  # a good login forgets earlier slips
AXES_LOCKOUT_CALLABLE = "kontrakt.login.laast_svar"
# The proxies in front of gunicorn that append to X-Forwarded-For (README, Production); the
# address axes records is the one the outermost of them was reached from. 0: REMOTE_ADDR.
PROXY_ANTAL = envint("PROXY_ANTAL", 0)
if PROXY_ANTAL < 0:
    raise RuntimeError("PROXY_ANTAL skal være 0 eller flere.")
AXES_CLIENT_IP_CALLABLE = "kontrakt.proxy.klientens_ip"
# axes.W006 asks for the IP address in the lockout; by name alone is the decision above (and
# nothing here can be rotated by a client: no user agent, no cookie in the key).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# A session ends when the browser closes, and at the latest SESSION_TIMER hours after login.
SESSION_COOKIE_AGE = envint("SESSION_TIMER", 12) * 60 * 60
if SESSION_COOKIE_AGE < 1:
    raise RuntimeError("SESSION_TIMER skal være mindst 1 (timer).")
SESSION_EXPIRE_AT_BROWSER_CLOSE = envbool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
# Sessions are read from the cache (CACHES below) and written through to the database: one
# query less on every page, and a session survives an evicted cache entry.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["kontrakt.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "kontrakt.staticfinders.PlotlyFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
# The largest workbook the import accepts, in bytes (environment variable IMPORT_MAX_BYTES).
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", 20 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES
# The import refuses, while it reads, a cell over IMPORT_MAX_CELLE characters (Excel's own
# limit), a sheet over IMPORT_MAX_RAEKKER rows and a workbook over IMPORT_MAX_ARK sheets.
IMPORT_MAX_CELLE = envint("IMPORT_MAX_CELLE", 32_767)
IMPORT_MAX_RAEKKER = envint("IMPORT_MAX_RAEKKER", 200_000)
IMPORT_MAX_ARK = envint("IMPORT_MAX_ARK", 20)
# Where an uploaded workbook waits between its dry run and the confirmation (IMPORT_TMP_DIR).
IMPORT_TMP_DIR = Path(
    os.environ.get("IMPORT_TMP_DIR") or Path(tempfile.gettempdir()) / "kontrakt-import"
)

# Background tasks (django-tasks with its database backend, django-tasks-db): the upload page's
# dry run and import. `manage.py db_worker` runs them (`manage.py start` starts it beside
# runserver); one worker, so imports run one at a time in the order they were uploaded.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# What is computed from the records (results, counts, charts, page contents) kept per data
# version (kontrakt.dataversion). The tables' tokens are read from the database on every
# request, so no worker shows a value another's write has changed. By default in each process's
# own memory; with CACHE_MAPPE (a folder, best on a RAM disk such as /dev/shm) in files that
# every gunicorn worker shares, so after a write one worker computes a value for all. At most
# CACHE_MAX_ENTRIES values (a page's content is about 30 KB, a period's results 60 KB).
RESULTATCACHE = envbool("RESULTATCACHE", True)
CACHE_MAPPE = os.environ.get("CACHE_MAPPE", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache" if CACHE_MAPPE
        else "django.core.cache.backends.locmem.LocMemCache",
        **({"LOCATION": CACHE_MAPPE} if CACHE_MAPPE else {}),
        "OPTIONS": {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", 1000)},
    }
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/semantic.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "tabel"}

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# The TLS-terminating proxy in front of gunicorn (README, Production) must set X-Forwarded-Proto,
# overwriting whatever a client sent; that is how Django knows a request came over https.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)

# Scripts only from our own static files: the templates have no inline script, and the charts'
# data travel as json_script blocks, which are never run. plotly.js adds its own <style> rules as
# it draws, hence 'unsafe-inline' for styles alone; its "download as PNG" draws the chart through
# a blob: image.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Data quality (rapporter/kvalitet.py, /status/datakvalitet/): the thresholds of its flags.
DATAKVALITET_SEN_REGISTRERING_DAGE = envint("DATAKVALITET_SEN_REGISTRERING_DAGE", 60)
DATAKVALITET_SEN_HENVISNING_DAGE = envint("DATAKVALITET_SEN_HENVISNING_DAGE", 30)
DATAKVALITET_AENDRINGER_PR_TIME = envint("DATAKVALITET_AENDRINGER_PR_TIME", 50)
