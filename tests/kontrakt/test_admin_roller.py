"""Who reaches the admin and what an administrator may do with users there.

Membership of the group Administrator alone (no ``is_staff``) opens the admin; an administrator
gives users the roles of ``TILDELBARE_ROLLER`` and nothing more; only a superuser makes
superusers. Registrant, KKR-læser and a user without a role get 403, anonymous and inactive
users go to the app's login page.
"""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from maal.models import Erhvervshus
from maal.roller import ADMINISTRATOR, KKR_LAESER, REGISTRANT, TILDELBARE_ROLLER

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_klient(client, administrator):
    client.force_login(administrator)
    return client


def _som(client, bruger):
    client.force_login(bruger)
    return client


def test_the_group_alone_opens_the_admin_with_contracts_registrations_and_users(admin_klient):
    side = admin_klient.get(reverse("admin:index"))
    assert side.status_code == 200
    indhold = side.content.decode()
    for afsnit in ("Kontrakter og mål", "Registreringer", "Brugere", "Grupper"):
        assert afsnit in indhold


def test_a_user_given_the_group_in_code_gets_in_at_once(client, udenforstaaende):
    client.force_login(udenforstaaende)
    assert client.get(reverse("admin:index")).status_code == 403
    udenforstaaende.groups.add(Group.objects.get(name=ADMINISTRATOR))
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("rolle", ["registrant", "kkr_laeser", "udenforstaaende"])
def test_other_roles_get_403_everywhere_in_the_admin(client, rolle, request):
    client.force_login(request.getfixturevalue(rolle))
    for url in (reverse("admin:index"), reverse("admin:maal_indikator_changelist"),
                reverse("admin:auth_user_changelist"), reverse("admin:login")):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("admin:maal_erhvervshus_add"), {"navn": "X"}).status_code == 403
    assert not Erhvervshus.objects.filter(navn="X").exists()


def test_a_registrant_with_is_staff_still_does_not_get_in(client, registrant):
    registrant.is_staff = True
    registrant.save()
    client.force_login(registrant)
    assert client.get(reverse("admin:index")).status_code == 403


def test_anonymous_and_inactive_users_go_to_the_apps_login_page(client, inaktiv):
    for url in (reverse("admin:index"), reverse("admin:maal_indikator_changelist")):
        svar = client.get(url)
        assert svar.status_code == 302
        assert svar["Location"] == f"/login/?next={url}"
    assert client.get(reverse("admin:login"))["Location"] == "/login/?next=/admin/"
    client.force_login(inaktiv)
    assert client.get(reverse("admin:index"))["Location"] == "/login/?next=/admin/"


def test_the_admin_login_sends_an_administrator_on_to_the_admin(admin_klient):
    svar = admin_klient.get(reverse("admin:login"))
    assert svar.status_code == 302 and svar["Location"] == reverse("admin:index")


def test_an_administrator_configures_an_erhvervshus(admin_klient):
    svar = admin_klient.post(reverse("admin:maal_erhvervshus_add"),
                             {"navn": "Erhvervshus Bornholm", "region": "1084"})
    assert svar.status_code == 302, svar.content.decode()[:2000]
    assert Erhvervshus.objects.get(navn="Erhvervshus Bornholm").region_id == "1084"


# --- Users and roles -------------------------------------------------------------------------


def _brugerdata(bruger, **aendret):
    data = {
        "username": bruger.username, "first_name": bruger.first_name, "last_name": "",
        "email": "", "is_active": "on", "groups": [g.pk for g in bruger.groups.all()],
        **HUSE_UAENDRET,
    }
    data.update(aendret)
    return data


# The houses' inline (MedlemskabInline) sent with no changes.
HUSE_UAENDRET = {"medlemskaber-TOTAL_FORMS": "0", "medlemskaber-INITIAL_FORMS": "0"}


def test_an_administrator_gives_only_their_own_houses(admin_klient, registrant, hovedstaden):
    from maal.models import Medlemskab
    from tests.factories import erhvervshus

    url = reverse("admin:auth_user_change", args=[registrant.pk])
    Medlemskab.objects.filter(bruger=registrant).delete()
    fremmed = admin_klient.post(url, _brugerdata(registrant, **{
        "medlemskaber-TOTAL_FORMS": "1", "medlemskaber-0-erhvervshus": hovedstaden.pk}))
    assert fremmed.status_code == 200
    assert "Marker en gyldig valgmulighed" in fremmed.content.decode()
    eget = admin_klient.post(url, _brugerdata(registrant, **{
        "medlemskaber-TOTAL_FORMS": "1", "medlemskaber-0-erhvervshus": erhvervshus().pk}))
    assert eget.status_code == 302
    assert [m.erhvervshus.navn for m in registrant.medlemskaber.all()] == ["Erhvervshus Sjælland"]


def test_the_group_choice_offers_exactly_the_assignable_roles(admin_klient, registrant):
    Group.objects.create(name="Hemmelig")
    form = admin_klient.get(
        reverse("admin:auth_user_change", args=[registrant.pk])
    ).context["adminform"].form
    assert sorted(g.name for g in form.fields["groups"].queryset) == sorted(TILDELBARE_ROLLER)
    for felt in ("is_superuser", "is_staff", "user_permissions"):
        assert felt not in form.fields


def test_an_administrator_gives_a_user_a_role(admin_klient, registrant):
    laeser = Group.objects.get(name=KKR_LAESER)
    svar = admin_klient.post(reverse("admin:auth_user_change", args=[registrant.pk]),
                             _brugerdata(registrant, groups=[laeser.pk]))
    assert svar.status_code == 302
    assert [g.name for g in registrant.groups.all()] == [KKR_LAESER]


def test_superuser_status_and_single_permissions_cannot_be_posted_past_the_form(
    admin_klient, registrant
):
    alle = Permission.objects.get(codename="delete_resultatkontrakt")
    svar = admin_klient.post(
        reverse("admin:auth_user_change", args=[registrant.pk]),
        _brugerdata(registrant, is_superuser="on", is_staff="on", user_permissions=[alle.pk]),
    )
    assert svar.status_code == 302
    registrant.refresh_from_db()
    assert not registrant.is_superuser and not registrant.is_staff
    assert not registrant.user_permissions.exists()


def test_a_group_outside_the_roles_is_refused_and_one_given_by_a_superuser_is_kept(
    admin_klient, registrant
):
    hemmelig = Group.objects.create(name="Hemmelig")
    svar = admin_klient.post(reverse("admin:auth_user_change", args=[registrant.pk]),
                             _brugerdata(registrant, groups=[hemmelig.pk]))
    assert svar.status_code == 200
    assert "Marker en gyldig valgmulighed" in svar.content.decode()
    assert [g.name for g in registrant.groups.all()] == [REGISTRANT]

    registrant.groups.add(hemmelig)  # given by a superuser
    laeser = Group.objects.get(name=KKR_LAESER)
    admin_klient.post(reverse("admin:auth_user_change", args=[registrant.pk]),
                      {**_brugerdata(registrant), "groups": [laeser.pk]})
    assert sorted(g.name for g in registrant.groups.all()) == ["Hemmelig", KKR_LAESER]


def test_an_administrator_adds_a_user(admin_klient):
    svar = admin_klient.post(reverse("admin:auth_user_add"), {
        "username": "ny", "usable_password": "true",
        "password1": "et-langt-kodeord-42", "password2": "et-langt-kodeord-42", **HUSE_UAENDRET,
    })
    assert svar.status_code == 302
    assert svar["Location"].startswith("/admin/auth/user/")


def test_a_superuser_opens_read_only_and_cannot_be_changed(admin_klient, superbruger):
    aendr = reverse("admin:auth_user_change", args=[superbruger.pk])
    side = admin_klient.get(aendr)
    assert side.status_code == 200
    assert 'name="_save"' not in side.content.decode()
    svar = admin_klient.post(aendr, _brugerdata(superbruger, is_active=""))
    assert svar.status_code == 403
    kodeord = reverse("admin:auth_user_password_change", args=[superbruger.pk])
    assert admin_klient.get(kodeord).status_code == 403
    superbruger.refresh_from_db()
    assert superbruger.is_active and superbruger.is_superuser


def test_users_are_made_inactive_not_deleted(admin_klient, registrant):
    assert admin_klient.get(
        reverse("admin:auth_user_delete", args=[registrant.pk])
    ).status_code == 403


def test_the_groups_permissions_are_read_only_to_an_administrator(admin_klient):
    gruppe = Group.objects.get(name=REGISTRANT)
    antal = gruppe.permissions.count()
    aendr = reverse("admin:auth_group_change", args=[gruppe.pk])
    assert 'name="_save"' not in admin_klient.get(aendr).content.decode()
    alle = list(Permission.objects.values_list("pk", flat=True))
    assert admin_klient.post(aendr, {"name": REGISTRANT, "permissions": alle}).status_code == 403
    assert admin_klient.post(reverse("admin:auth_group_add"), {"name": "Ny"}).status_code == 403
    assert gruppe.permissions.count() == antal
    assert not Group.objects.filter(name="Ny").exists()


def test_only_a_superuser_makes_a_superuser(client, superbruger, administrator):
    client.force_login(superbruger)
    data = _brugerdata(administrator, is_superuser="on",
                       date_joined_0="01-01-2025", date_joined_1="08:00:00")
    svar = client.post(reverse("admin:auth_user_change", args=[administrator.pk]), data)
    assert svar.status_code == 302, svar.content.decode()[:3000]
    administrator.refresh_from_db()
    assert administrator.is_superuser


def test_an_administrator_unlocks_a_locked_account(admin_klient):
    laas = AccessAttempt.objects.create(
        username="registrant", ip_address="10.0.0.1", user_agent="test", http_accept="*/*",
        path_info="/login/", get_data="", post_data="", failures_since_start=5,
    )
    liste = admin_klient.get(reverse("admin:axes_accessattempt_changelist"))
    assert liste.status_code == 200 and "registrant" in liste.content.decode()
    svar = admin_klient.post(reverse("admin:axes_accessattempt_delete", args=[laas.pk]),
                             {"post": "yes"})
    assert svar.status_code == 302
    assert not AccessAttempt.objects.exists()


def test_an_administrator_unlocks_from_the_list_with_the_delete_action(admin_klient):
    laas = AccessAttempt.objects.create(
        username="registrant", ip_address="10.0.0.1", user_agent="test", http_accept="*/*",
        path_info="/login/", get_data="", post_data="", failures_since_start=5,
    )
    svar = admin_klient.post(reverse("admin:axes_accessattempt_changelist"), {
        "action": "delete_selected", "_selected_action": [laas.pk], "post": "yes",
    })
    assert svar.status_code == 302
    assert not AccessAttempt.objects.exists()


def test_the_header_links_to_the_admin_for_the_role_and_for_nobody_else(
    client, administrator, registrant, kkr_laeser
):
    link = f'href="{reverse("admin:index")}"'
    assert link in _som(client, administrator).get(reverse("forloeb:oversigt")).content.decode()
    for bruger in (registrant, kkr_laeser):
        assert link not in _som(client, bruger).get(reverse("rapporter:status") + "?aar=2025"
                                                   ).content.decode()


def test_after_migrate_the_administrator_holds_the_reports_permissions():
    """opret_roller runs after maal's migrations, before rapporter's permissions would exist."""
    from maal.roller import opret_roller

    Permission.objects.filter(content_type__app_label="rapporter").delete()
    opret_roller()
    admin = Group.objects.get(name=ADMINISTRATOR)
    assert admin.permissions.filter(codename="change_forklaring").exists()
