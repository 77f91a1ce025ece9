"""Each request's user and permissions kept per data version (kontrakt.brugere): a page read
twice asks nothing about the user the second time, and every change to who may do what (a
role taken away, a group's permissions, an account closed, a new password) counts on the very
next request."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maal.roller import KKR_LAESER

pytestmark = pytest.mark.django_db
STATUS = "/status/?aar=2025&periode=H1"


@pytest.fixture(autouse=True)
def _med_cache(settings):
    settings.RESULTATCACHE = True


@pytest.fixture
def logget_ind(client, kkr_laeser, kontrakt_2025):
    """The KKR reader logged in through the login page, as a browser does."""
    svar = client.post("/login/", {"username": "laeser", "password": "hemmeligt-kodeord"})
    assert svar.status_code == 302
    assert client.get(STATUS).status_code == 200
    return client


def brugerforespoergsler(q) -> list[str]:
    return [x["sql"] for x in q.captured_queries if '"auth_' in x["sql"]]


def test_the_second_page_reads_nothing_of_the_user(logget_ind):
    with CaptureQueriesContext(connection) as q:
        assert logget_ind.get(STATUS).status_code == 200
    assert brugerforespoergsler(q) == []


def test_a_role_taken_away_counts_on_the_next_request(logget_ind, kkr_laeser):
    kkr_laeser.groups.remove(Group.objects.get(name=KKR_LAESER))
    assert logget_ind.get(STATUS).status_code == 403


def test_a_groups_permission_taken_away_counts_on_the_next_request(logget_ind):
    gruppe = Group.objects.get(name=KKR_LAESER)
    gruppe.permissions.remove(Permission.objects.get(codename="se_status"))
    assert logget_ind.get(STATUS).status_code == 403


def test_a_closed_account_is_logged_out_on_the_next_request(logget_ind, kkr_laeser):
    kkr_laeser.is_active = False
    kkr_laeser.save()
    svar = logget_ind.get(STATUS)
    assert svar.status_code == 302 and svar.url.startswith("/login/")


def test_a_new_password_set_elsewhere_ends_the_session(logget_ind, kkr_laeser):
    kkr_laeser.set_password("et-helt-andet-kodeord")
    kkr_laeser.save()
    svar = logget_ind.get(STATUS)
    assert svar.status_code == 302 and svar.url.startswith("/login/")


def test_a_login_noting_its_time_keeps_the_kept_user(logget_ind, client):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import update_last_login

    update_last_login(None, get_user_model().objects.get(username="laeser"))
    with CaptureQueriesContext(connection) as q:
        assert logget_ind.get(STATUS).status_code == 200
    assert brugerforespoergsler(q) == []
