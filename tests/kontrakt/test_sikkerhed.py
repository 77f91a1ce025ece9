"""Production settings and the headers every answer carries.

``check --deploy`` with the README's production environment reports no issues; HSTS and the
https redirect are on by default there and can be set from the environment; every page and
export says ``Cache-Control: private, no-store``; the Content-Security-Policy allows scripts
only from our own origin.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROD = Path(settings.BASE_DIR)


def _produktion(tmp_path, **ekstra) -> dict:
    """The README's production environment, with a SQLite file in tmp for DATABASE_URL."""
    miljoe = {k: v for k, v in os.environ.items()
              if not k.startswith(("DJANGO_", "SECURE_", "SESSION_", "AXES_"))}
    miljoe.update({
        "DJANGO_SETTINGS_MODULE": "kontrakt.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "maal.example.dk",
        "CSRF_TRUSTED_ORIGINS": "https://maal.example.dk",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **ekstra,
    })
    return miljoe


def _manage(miljoe, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROD, env=miljoe,
                          capture_output=True, text=True, timeout=120)


VAERDIER = ("SECURE_HSTS_SECONDS SECURE_HSTS_INCLUDE_SUBDOMAINS SECURE_HSTS_PRELOAD "
            "SECURE_SSL_REDIRECT SECURE_PROXY_SSL_HEADER SESSION_COOKIE_SECURE CSRF_COOKIE_SECURE "
            "SESSION_COOKIE_AGE SESSION_EXPIRE_AT_BROWSER_CLOSE AXES_FAILURE_LIMIT "
            "AXES_COOLOFF_TIME").split()


def _indstillinger(miljoe) -> dict:
    kode = ("import json; from django.conf import settings as s; "
            f"print(json.dumps({{n: str(getattr(s, n)) for n in {VAERDIER!r}}}))")
    svar = _manage(miljoe, "shell", "--no-imports", "-c", kode)
    assert svar.returncode == 0, svar.stderr
    return json.loads(svar.stdout)


def test_the_deploy_check_with_the_production_environment_finds_no_issues(tmp_path):
    svar = _manage(_produktion(tmp_path), "check", "--deploy")
    assert svar.returncode == 0, svar.stderr
    # The one silenced check is axes.W006 (lock by user name, not IP), a decision in settings.
    assert svar.stdout.strip() == "System check identified no issues (1 silenced)."
    assert svar.stderr == ""


def test_hsts_and_the_https_redirect_can_be_turned_off_and_the_check_then_says_so(tmp_path):
    svar = _manage(_produktion(tmp_path, SECURE_HSTS_SECONDS="0", SECURE_SSL_REDIRECT="0"),
                   "check", "--deploy")
    assert "security.W004" in svar.stderr and "security.W008" in svar.stderr


def test_production_defaults(tmp_path):
    assert _indstillinger(_produktion(tmp_path)) == {
        "SECURE_HSTS_SECONDS": str(365 * 24 * 60 * 60),
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "True",
        "SECURE_HSTS_PRELOAD": "True",
        "SECURE_SSL_REDIRECT": "True",
        "SECURE_PROXY_SSL_HEADER": "('HTTP_X_FORWARDED_PROTO', 'https')",
        "SESSION_COOKIE_SECURE": "True",
        "CSRF_COOKIE_SECURE": "True",
        "SESSION_COOKIE_AGE": str(12 * 60 * 60),
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": "True",
        "AXES_FAILURE_LIMIT": "5",
        "AXES_COOLOFF_TIME": "0:30:00",
    }


def test_each_variable_is_read_from_the_environment(tmp_path):
    vaerdier = _indstillinger(_produktion(
        tmp_path, SECURE_HSTS_SECONDS="3600", SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
        SECURE_HSTS_PRELOAD="0", SECURE_SSL_REDIRECT="0", SESSION_TIMER="8",
        SESSION_EXPIRE_AT_BROWSER_CLOSE="0", AXES_FAILURE_LIMIT="10",
        AXES_COOLOFF_MINUTTER="60",
    ))
    del vaerdier["SECURE_PROXY_SSL_HEADER"], vaerdier["SESSION_COOKIE_SECURE"]
    del vaerdier["CSRF_COOKIE_SECURE"]
    assert vaerdier == {
        "SECURE_HSTS_SECONDS": "3600",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "False",
        "SECURE_HSTS_PRELOAD": "False",
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_AGE": str(8 * 60 * 60),
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": "False",
        "AXES_FAILURE_LIMIT": "10",
        "AXES_COOLOFF_TIME": "1:00:00",
    }


def test_development_has_no_hsts_and_no_redirect(tmp_path):
    miljoe = _produktion(tmp_path, DEBUG="1")
    vaerdier = _indstillinger(miljoe)
    assert vaerdier["SECURE_HSTS_SECONDS"] == "0"
    assert vaerdier["SECURE_SSL_REDIRECT"] == "False"


def test_behind_the_proxy_https_is_known_and_http_is_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    svar = client.get("/login/")
    assert svar.status_code == 301 and svar["Location"] == "https://testserver/login/"
    svar = client.get("/login/", headers={"X-Forwarded-Proto": "https"})
    assert svar.status_code == 200
    assert svar["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


# --- Cache-Control -------------------------------------------------------------------------


def test_an_authenticated_page_is_never_stored(logget_ind):
    svar = logget_ind.get(reverse("forloeb:oversigt"))
    assert svar.status_code == 200
    assert svar["Cache-Control"] == "private, no-store"


def test_the_forloeb_export_is_never_stored(logget_ind):
    svar = logget_ind.get(reverse("forloeb:forloeb_eksport"))
    assert svar.status_code == 200
    assert svar["Content-Disposition"].startswith("attachment;")
    assert svar["Cache-Control"] == "private, no-store"


def test_the_json_report_is_never_stored(laeser_klient, kontrakt_2025):
    svar = laeser_klient.get(reverse("rapporter:json"), {"aar": 2025, "periode": "H1"})
    assert svar.status_code == 200
    assert svar["Cache-Control"] == "private, no-store"


def test_the_login_page_and_the_lockout_are_not_stored_either(client):
    svar = client.get(reverse("login"))
    assert {"private", "no-store"} <= {d.strip() for d in svar["Cache-Control"].split(",")}
    for _ in range(5):
        svar = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert svar.status_code == 429 and svar["Cache-Control"] == "private, no-store"


# --- Content-Security-Policy ---------------------------------------------------------------


def _politik(svar) -> dict[str, list[str]]:
    direktiver = (d.strip().split() for d in svar["Content-Security-Policy"].split(";"))
    return {d[0]: d[1:] for d in direktiver if d}


@pytest.mark.parametrize("sti", ["/login/", "/status/maal/7/", "/admin/"])
def test_scripts_only_from_our_own_origin(client, administrator, kontrakt_2025, sti):
    client.force_login(administrator)
    politik = _politik(client.get(sti))
    assert politik["default-src"] == ["'self'"]
    assert politik["script-src"] == ["'self'"]
    assert politik["object-src"] == ["'none'"]
    assert politik["frame-ancestors"] == ["'none'"]
    assert politik["base-uri"] == ["'self'"]
    assert politik["form-action"] == ["'self'"]
    # plotly.js adds <style> rules as it draws; styles alone may be inline.
    assert politik["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-eval'" not in " ".join(sum(politik.values(), []))


def test_the_templates_have_no_inline_script():
    """The policy forbids them; a <script> without src in a template would simply not run.
    json_script blocks (type application/json) are data, never run."""
    for fil in (ROD / "templates").rglob("*.html"):
        html = fil.read_text()
        for tag in (t for t in html.split("<script")[1:]):
            aabning = tag.split(">", 1)[0]
            assert "src=" in aabning, f"{fil}: inline <script{aabning}>"


@pytest.mark.parametrize("variabel, vaerdi, besked", [
    ("AXES_FAILURE_LIMIT", "0", "AXES_FAILURE_LIMIT skal være mindst 1"),
    ("AXES_COOLOFF_MINUTTER", "-5", "AXES_COOLOFF_MINUTTER mindst 0"),
    ("SESSION_TIMER", "0", "SESSION_TIMER skal være mindst 1 (timer)."),
])
def test_a_value_that_cannot_work_stops_the_app_with_a_danish_message(tmp_path, variabel,
                                                                        vaerdi, besked):
    svar = _manage(_produktion(tmp_path, **{variabel: vaerdi}), "check")
    assert svar.returncode != 0
    assert besked in svar.stderr
