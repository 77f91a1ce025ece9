"""The admin is usable in Danish for every model: lists with search and filters open, forms open,
and a forløb shows its henvisninger inline. All of it as a member of the group Administrator who
is neither superuser nor staff: the role alone opens the admin (tests/kontrakt/test_admin_roller.py
holds who else may and may not)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

APPS = {"forloeb", "maal"}
MODELLER = [m for m in admin.site._registry if m._meta.app_label in APPS]


@pytest.fixture
def admin_klient(client, administrator):
    assert not administrator.is_staff and not administrator.is_superuser
    client.force_login(administrator)
    return client


@pytest.mark.parametrize("model", MODELLER, ids=lambda m: m.__name__)
def test_hver_model_har_en_liste_og_en_formular(admin_klient, kontrakt_2025, model):
    opts = model._meta
    liste = admin_klient.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), {"q": "a"}
    )
    assert liste.status_code == 200
    assert str(opts.verbose_name_plural).lower() in liste.content.decode().lower()
    ny = admin_klient.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert ny.status_code == 200


def test_forloeb_viser_henvisninger_inline_og_historik(admin_klient):
    forloeb = factories.forloeb(henvist_til=["Innovationsfonden"])
    side = admin_klient.get(reverse("admin:forloeb_forloeb_change", args=[forloeb.pk]))
    indhold = side.content.decode()
    assert "Henvisninger" in indhold
    assert "Innovationsfonden" in indhold
    historik = admin_klient.get(reverse("admin:forloeb_forloeb_history", args=[forloeb.pk]))
    assert historik.status_code == 200


def test_admin_taler_dansk(admin_klient):
    side = admin_klient.get(reverse("admin:index"))
    assert "Registreringer" in side.content.decode()
    assert "Kontrakter og mål" in side.content.decode()
    assert "Log ud" in side.content.decode()
