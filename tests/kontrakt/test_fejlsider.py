"""The error pages are in Danish, in the app's own layout, and say what to do next."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_a_page_the_user_may_not_open_says_so_in_danish(client, kkr_laeser):
    client.force_login(kkr_laeser)
    svar = client.get(reverse("forloeb:oversigt"))
    side = svar.content.decode()
    assert svar.status_code == 403
    assert '<html lang="da">' in side and "<title>Ingen adgang · Resultatkontrakt</title>" in side
    assert "Du har ikke adgang til siden" in side and "skriv til en administrator" in side
    assert "Laeser" in side and "Log ud" in side  # the usual header, with who is logged in
    assert "Forbidden" not in side


def test_an_unknown_address_says_so_in_danish(logget_ind):
    svar = logget_ind.get("/registrering/findes-ikke/")
    side = svar.content.decode()
    assert svar.status_code == 404
    assert "<h1 id=\"fejl-titel\">Siden findes ikke</h1>" in side
    assert "<code>/registrering/findes-ikke/</code>" in side
    assert "Not Found" not in side


def test_an_unknown_record_is_the_same_danish_404(logget_ind):
    svar = logget_ind.get(reverse("forloeb:virksomhed_side", args=["12345678"]))
    assert svar.status_code == 404 and "Siden findes ikke" in svar.content.decode()


def test_the_server_error_page_renders_in_danish_without_a_request_context():
    # Django renders 500.html with an empty context: no request, no user, no messages.
    svar = server_error(RequestFactory().get("/"))
    side = svar.content.decode()
    assert svar.status_code == 500
    assert '<html lang="da">' in side and "Der skete en fejl" in side
    assert 'href="/"' in side and "Log ud" not in side
    assert "Server Error" not in side
