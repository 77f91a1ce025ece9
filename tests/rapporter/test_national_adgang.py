"""The role National læser (KL, Erhvervsstyrelsen) against every URL of the project: the
national page and its workbooks, the front page (which sends them there), login, logout and
their own password; every other URL refuses them (403). Walks the same URL patterns, with the
same data and arguments, as ``tests/kontrakt/test_url_matrix.py``."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from maal.roller import NATIONAL_LAESER
from tests.kontrakt.test_url_matrix import (  # noqa: F401 (fixtures)
    FORVENTET,
    MOENSTRE,
    _argumenter,
    _kode,
    _svar,
    data,
    fast_tid,
)

pytestmark = pytest.mark.django_db

# (GET, POST) for the URLs a National læser may open, or whose method is refused before the
# permission; every other URL: 403 both ways.
TILLADT = {
    "forside": ("302", "302"),
    "login": ("200", "200"),
    "logout": ("405", "302"),
    "password_change": ("200", "200"),
    "password_change_done": ("200", "405"),
    "importer:bekraeft": ("405", "403"),  # POST only
    "importer:koersel": ("403", "405"),  # GET only: the method is refused first
    "importer:koersel_status": ("403", "405"),
    "rapporter:national": ("200", "200"),
    "rapporter:national_xlsx": ("200", "200"),
}
NAVNE = sorted(set(MOENSTRE) | {n for n in FORVENTET if n.startswith("admin:")})


@pytest.fixture
def national_laeser(django_user_model):
    bruger = django_user_model.objects.create_user(username="kl", password="hemmeligt-kodeord")
    bruger.groups.add(Group.objects.get(name=NATIONAL_LAESER))
    return bruger


@pytest.mark.parametrize("navn", NAVNE)
def test_a_national_reader_opens_the_national_page_and_nothing_else(navn, data,  # noqa: F811
                                                                   national_laeser):
    url = reverse(navn, kwargs=_argumenter(navn, data) or None)
    faktisk = tuple(_kode(*_svar(url, metode, national_laeser)) for metode in ("GET", "POST"))
    assert faktisk == TILLADT.get(navn, ("403", "403")), f"{navn} ({url})"
