"""The address django-axes records for a failed login: the client's behind ``PROXY_ANTAL``
trusted proxies (the N-th entry from the right of X-Forwarded-For), else REMOTE_ADDR."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.kontrakt.test_sikkerhed import _manage, _produktion

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the TLS proxy, as gunicorn sees it
KLIENT = "203.0.113.9"
FORFALSKET = "198.51.100.66"  # what a client may put in the header itself


def forkert_login(client, x_forwarded_for):
    client.post(reverse("login"), {"username": "registrant", "password": "forkert-kodeord"},
                REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": x_forwarded_for})
    return AccessAttempt.objects.get(username="registrant").ip_address


def test_behind_one_proxy_the_clients_address_is_recorded(client, registrant, settings):
    settings.PROXY_ANTAL = 1
    assert forkert_login(client, KLIENT) == KLIENT


def test_an_address_the_client_sent_itself_is_not_believed(client, registrant, settings):
    settings.PROXY_ANTAL = 1
    assert forkert_login(client, f"{FORFALSKET}, {KLIENT}") == KLIENT


def test_behind_two_proxies_the_address_the_outer_one_saw(client, registrant, settings):
    settings.PROXY_ANTAL = 2
    assert forkert_login(client, f"{FORFALSKET}, {KLIENT}, 10.0.0.1") == KLIENT


def test_without_proxies_the_header_is_ignored(client, registrant, settings):
    settings.PROXY_ANTAL = 0
    assert forkert_login(client, KLIENT) == PROXY


@pytest.mark.parametrize(("antal", "kaede"), [(2, KLIENT), (1, ""), (1, "ikke-en-adresse")])
def test_a_header_that_did_not_come_through_the_proxies_gives_remote_addr(client, registrant,
                                                                          settings, antal, kaede):
    settings.PROXY_ANTAL = antal
    assert forkert_login(client, kaede) == PROXY


def test_the_default_is_no_proxies(settings):
    assert settings.PROXY_ANTAL == 0
    assert settings.AXES_CLIENT_IP_CALLABLE == "kontrakt.proxy.klientens_ip"


def test_a_negative_number_of_proxies_is_refused_at_start(tmp_path):
    svar = _manage(_produktion(tmp_path, PROXY_ANTAL="-1"), "check")
    assert svar.returncode != 0
    assert "PROXY_ANTAL skal være 0 eller flere." in svar.stderr
