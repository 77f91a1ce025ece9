"""Logging in, being locked out, changing one's password, and how long a login lasts.

django-axes counts failed logins per user name: the fifth wrong password locks the name for
AXES_COOLOFF_MINUTTER (30) minutes, with the same Danish message whether the user exists or
not, and even the right password is refused until the cool-off has passed or an administrator
has deleted the lockout in the admin.
"""

import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

KBH = ZoneInfo("Europe/Copenhagen")
NU = datetime(2025, 9, 1, 9, 0, tzinfo=KBH)
KODE = "hemmeligt-kodeord"  # the shared cast's password (tests/conftest.py)
LAAST = ("Kontoen er låst i 30 minutter efter 5 forkerte forsøg på at logge ind. Prøv igen "
         "senere, eller bed en administrator om at låse den op.")
FORKERT = ("Indtast venligst korrekt brugernavn og adgangskode. Bemærk at begge felter kan være "
           "versalfølsomme.")


def log_ind(client, brugernavn, kodeord):
    return client.post(reverse("login"), {"username": brugernavn, "password": kodeord})


def advarsler(svar) -> list[str]:
    """The text of the login page's alert boxes, as a user reads them."""
    html = svar.content.decode()
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", boks)).split())
            for boks in re.findall(r'<div class="fejlboks" role="alert">(.*?)</div>', html, re.S)]


def logget_ind_som(client):
    return client.session.get("_auth_user_id")


def fem_forkerte(client, brugernavn):
    return [log_ind(client, brugernavn, "forkert-kodeord") for _ in range(5)]


def test_four_wrong_passwords_say_wrong_the_fifth_locks_the_account(client, registrant):
    svar = fem_forkerte(client, "registrant")
    for forsoeg in svar[:4]:
        assert forsoeg.status_code == 200
        assert advarsler(forsoeg) == [FORKERT]
    assert svar[4].status_code == 429
    assert advarsler(svar[4]) == [LAAST]
    assert 'value="registrant"' in svar[4].content.decode()  # the form is still there
    assert logget_ind_som(client) is None


def test_the_right_password_is_refused_while_locked(client, registrant):
    fem_forkerte(client, "registrant")
    svar = log_ind(client, "registrant", KODE)
    assert svar.status_code == 429
    assert advarsler(svar) == [LAAST]
    assert logget_ind_som(client) is None


def test_an_unknown_user_name_gets_the_same_pages_so_nobody_learns_which_names_exist(
        client, registrant):
    kendt = fem_forkerte(client, "registrant")
    ukendt = fem_forkerte(client, "findes-ikke")
    for a, b in zip(kendt, ukendt, strict=True):
        assert (a.status_code, advarsler(a)) == (b.status_code, advarsler(b))
    assert advarsler(ukendt[4]) == [LAAST]


def test_the_lock_is_per_user_name_not_per_address(client, registrant, kkr_laeser):
    """A whole office shares one address behind its NAT: one locked name locks nobody else."""
    fem_forkerte(client, "registrant")
    svar = log_ind(client, "laeser", KODE)
    assert svar.status_code == 302 and svar["Location"] == reverse("forside")
    assert logget_ind_som(client) == str(kkr_laeser.pk)


def test_spaces_around_the_name_do_not_give_fresh_attempts(client, registrant):
    """The form strips the name before axes counts it, so ' registrant' is 'registrant'."""
    for navn in ("registrant", " registrant", "registrant ", "  registrant", "registrant  "):
        log_ind(client, navn, "forkert-kodeord")
    assert advarsler(log_ind(client, "registrant", KODE)) == [LAAST]


def test_a_good_login_forgets_earlier_slips(client, registrant):
    for _ in range(4):
        log_ind(client, "registrant", "forkert-kodeord")
    assert log_ind(client, "registrant", KODE).status_code == 302
    client.logout()
    for _ in range(4):
        assert log_ind(client, "registrant", "forkert-kodeord").status_code == 200
    assert log_ind(client, "registrant", KODE).status_code == 302


def test_after_the_cool_off_the_right_password_logs_in(client, registrant):
    with time_machine.travel(NU, tick=False) as tid:
        fem_forkerte(client, "registrant")
        tid.shift(timedelta(minutes=30, seconds=1))
        svar = log_ind(client, "registrant", KODE)
        assert svar.status_code == 302
        assert logget_ind_som(client) == str(registrant.pk)


def test_an_attempt_during_the_lockout_starts_the_30_minutes_again(client, registrant):
    """So '30 minutter' on the page is always true from the moment it is shown."""
    with time_machine.travel(NU, tick=False) as tid:
        fem_forkerte(client, "registrant")
        tid.shift(timedelta(minutes=20))
        assert log_ind(client, "registrant", KODE).status_code == 429
        tid.shift(timedelta(minutes=20))  # 40 after the lock, 20 after the last try
        assert log_ind(client, "registrant", KODE).status_code == 429
        tid.shift(timedelta(minutes=30, seconds=1))
        assert log_ind(client, "registrant", KODE).status_code == 302


def test_an_administrator_unlocks_the_account_in_the_admin(client, registrant, administrator):
    fem_forkerte(client, "registrant")
    laas = AccessAttempt.objects.get(username="registrant")

    admin = client.__class__()
    admin.force_login(administrator)
    liste = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert liste.status_code == 200
    html = liste.content.decode()
    assert "registrant" in html
    assert "Vælg loginforsøg, der skal vises" in html  # axes' own admin, in Danish
    assert '<td class="field-status">Låst</td>' in html
    assert "Slet valgte loginforsøg" in html
    svar = admin.post(reverse("admin:axes_accessattempt_changelist"), {
        "action": "delete_selected", "_selected_action": [laas.pk], "post": "yes",
    })
    assert svar.status_code == 302
    assert not AccessAttempt.objects.filter(username="registrant").exists()

    svar = log_ind(client, "registrant", KODE)
    assert svar.status_code == 302
    assert logget_ind_som(client) == str(registrant.pk)


def test_the_message_follows_the_configured_cool_off(client, registrant, settings):
    settings.AXES_COOLOFF_MINUTTER = 1
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    assert advarsler(fem_forkerte(client, "registrant")[4]) == [LAAST.replace("30 minutter",
                                                                              "1 minut")]


def test_without_a_cool_off_the_account_waits_for_an_administrator(client, registrant,
                                                                    settings):
    settings.AXES_COOLOFF_MINUTTER = 0
    settings.AXES_COOLOFF_TIME = None
    with time_machine.travel(NU, tick=False) as tid:
        fem_forkerte(client, "registrant")
        tid.shift(timedelta(days=2))
        svar = log_ind(client, "registrant", KODE)
    assert svar.status_code == 429
    assert advarsler(svar) == ["Kontoen er låst efter 5 forkerte forsøg på at logge ind. Bed "
                               "en administrator om at låse den op."]


# --- Password change ---------------------------------------------------------------------


def test_every_page_links_to_password_change(logget_ind):
    html = logget_ind.get(reverse("forside")).content.decode()
    assert f'<a class="knap-link" href="{reverse("password_change")}">Skift adgangskode</a>' in html


def test_password_change_page_asks_for_the_old_and_twice_the_new(logget_ind):
    svar = logget_ind.get(reverse("password_change"))
    assert svar.status_code == 200
    html = svar.content.decode()
    assert "<h1>Skift adgangskode</h1>" in html
    for etiket in ("Gammel adgangskode", "Ny adgangskode", "Bekræftelse af ny adgangskode"):
        assert etiket in html


def test_a_user_changes_their_password_and_stays_logged_in(logget_ind, registrant):
    svar = logget_ind.post(reverse("password_change"), {
        "old_password": KODE, "new_password1": "Ny-og-lang-2025!", "new_password2":
        "Ny-og-lang-2025!",
    })
    assert svar.status_code == 302 and svar["Location"] == reverse("password_change_done")
    side = logget_ind.get(svar["Location"])
    assert "<h1>Adgangskoden er skiftet</h1>" in side.content.decode()
    registrant.refresh_from_db()
    assert registrant.check_password("Ny-og-lang-2025!")
    assert logget_ind_som(logget_ind) == str(registrant.pk)


def test_a_wrong_old_password_is_an_error_next_to_the_field_and_nothing_changes(
        logget_ind, registrant):
    svar = logget_ind.post(reverse("password_change"), {
        "old_password": "ikke-det-gamle", "new_password1": "Ny-og-lang-2025!",
        "new_password2": "Ny-og-lang-2025!",
    })
    assert svar.status_code == 200
    html = svar.content.decode()
    assert "Adgangskoden er ikke skiftet. Ret det markerede." in html
    felt = re.search(r'<div class="felt har-fejl">\s*<label for="id_old_password">.*?</div>',
                     html, re.S)
    assert felt, "the old password's field is not marked"
    assert ('<p class="fejl" id="id_old_password_error">Din gamle adgangskode blev ikke '
            "indtastet korrekt. Indtast den venligst igen.</p>" in unescape(felt.group()))
    assert 'aria-describedby="id_old_password_error"' in felt.group()
    registrant.refresh_from_db()
    assert registrant.check_password(KODE)


def test_a_new_password_that_is_too_weak_is_refused_in_danish(logget_ind, registrant):
    svar = logget_ind.post(reverse("password_change"), {
        "old_password": KODE, "new_password1": "kort", "new_password2": "kort",
    })
    assert svar.status_code == 200
    assert "Denne adgangskode er for kort." in unescape(svar.content.decode())
    registrant.refresh_from_db()
    assert registrant.check_password(KODE)


def test_anonymous_users_are_sent_to_login_from_password_change(client):
    svar = client.get(reverse("password_change"))
    assert svar.status_code == 302 and svar["Location"].startswith("/login/?next=")


# --- Sessions ------------------------------------------------------------------------------


def test_a_login_lasts_12_hours_and_ends_with_the_browser():
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_the_session_cookie_is_forgotten_when_the_browser_closes(client, registrant):
    svar = log_ind(client, "registrant", KODE)
    cookie = svar.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie


def test_after_12_hours_the_user_must_log_in_again(client, registrant):
    with time_machine.travel(NU, tick=False) as tid:
        assert log_ind(client, "registrant", KODE).status_code == 302
        tid.shift(timedelta(hours=11, minutes=59))
        assert client.get(reverse("forside")).status_code == 200
        tid.shift(timedelta(minutes=2))
        svar = client.get(reverse("forside"))
    assert svar.status_code == 302 and svar["Location"] == "/login/?next=/"
