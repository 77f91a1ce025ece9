"""The shared cast: one user per role, plus the 2025 contract, so permission tests are one line.

The cast belongs to Erhvervshus Sjælland (the 2025 contract's house); ``hovedstaden`` and its
``registrant_hovedstaden`` and ``laeser_hovedstaden`` are a second house and its users."""

import os

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from maal.roller import ADMINISTRATOR, KKR_LAESER, REGISTRANT

# Django's live server under Playwright's sync API runs inside an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _tom_resultatcache(settings):
    """No kept results (kontrakt.dataversion) unless a test turns them on: tests build data with
    bulk_create, which sends no signal. Each test starts with an empty cache."""
    from django.core.cache import cache

    settings.RESULTATCACHE = False
    cache.clear()


def _bruger(django_user_model, brugernavn, gruppe=None, *, hus=None, **ekstra):
    """A user with a role, member of ``hus`` (Erhvervshus Sjælland unless told)."""
    from maal.models import Medlemskab

    from .factories import erhvervshus

    bruger = django_user_model.objects.create_user(
        username=brugernavn, password="hemmeligt-kodeord", first_name=brugernavn.title(), **ekstra
    )
    if gruppe:
        bruger.groups.add(Group.objects.get(name=gruppe))
    Medlemskab.objects.create(bruger=bruger, erhvervshus=hus or erhvervshus())
    return bruger


@pytest.fixture
def sjaelland(db):
    """Erhvervshus Sjælland, the shared cast's house."""
    from .factories import erhvervshus

    return erhvervshus()


@pytest.fixture
def hovedstaden(db):
    """A second house, Erhvervshus Hovedstaden (Region Hovedstaden)."""
    from .factories import erhvervshus

    return erhvervshus("Erhvervshus Hovedstaden", region="1084")


@pytest.fixture
def registrant_hovedstaden(django_user_model, hovedstaden):
    return _bruger(django_user_model, "registrant_hovedstaden", REGISTRANT, hus=hovedstaden)


@pytest.fixture
def laeser_hovedstaden(django_user_model, hovedstaden):
    return _bruger(django_user_model, "laeser_hovedstaden", KKR_LAESER, hus=hovedstaden)


@pytest.fixture
def registrant(django_user_model):
    return _bruger(django_user_model, "registrant", REGISTRANT)


@pytest.fixture
def kkr_laeser(django_user_model):
    return _bruger(django_user_model, "laeser", KKR_LAESER)


@pytest.fixture
def administrator(django_user_model):
    """Member of the group Administrator and nothing else (no is_staff): the role alone counts."""
    return _bruger(django_user_model, "administrator", ADMINISTRATOR)


@pytest.fixture
def udenforstaaende(django_user_model):
    """Logged in, but with no role."""
    return _bruger(django_user_model, "udenforstaaende")


@pytest.fixture
def inaktiv(django_user_model):
    """An administrator made inactive: no role counts any more."""
    return _bruger(django_user_model, "inaktiv", ADMINISTRATOR, is_active=False)


@pytest.fixture
def superbruger(django_user_model):
    return django_user_model.objects.create_superuser("chef", password="hemmeligt-kodeord")


@pytest.fixture
def kontrakt_2025(db):
    """The 2025 contract of Erhvervshus Sjælland, as shipped."""
    from maal.models import Resultatkontrakt

    call_command("loaddata", "kontrakt_2025", verbosity=0)
    return Resultatkontrakt.objects.get(aar=2025)


@pytest.fixture
def logget_ind(client, registrant):
    """The test client, logged in as the registrant."""
    client.force_login(registrant)
    return client


@pytest.fixture
def laeser_klient(client, kkr_laeser):
    """The test client, logged in as the KKR reader."""
    client.force_login(kkr_laeser)
    return client
