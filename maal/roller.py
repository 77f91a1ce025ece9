"""The roles of DESIGN.md as Django groups with permissions.

- Registrant: registers and corrects forløb and the other registrations.
- KKR-læser: reads status pages and downloads reports; changes nothing.
- National læser (KL, Erhvervsstyrelsen): reads the national overview of the houses
  (``/status/national/``) and its workbooks; no registrations, no house's status pages.
- Administrator: everything in the contract, the registrations and the reports; in the admin
  also the users, to give them the roles of :data:`TILDELBARE_ROLLER` (and only those).

A role is membership of its group and nothing else: the admin lets in the members of
*Administrator* (and superusers) whatever their ``is_staff`` says (``kontrakt.admin``), so no
flag has to be kept in step with the group. Only a superuser makes superusers, edits another
superuser, gives single permissions or changes what a group may do.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

REGISTRANT = "Registrant"
KKR_LAESER = "KKR-læser"
ADMINISTRATOR = "Administrator"
NATIONAL_LAESER = "National læser"

# The groups an administrator may give a user in the admin. A new role is added here (and given
# its permissions in opret_roller); nothing else needs to know the list.
TILDELBARE_ROLLER = (REGISTRANT, KKR_LAESER, NATIONAL_LAESER, ADMINISTRATOR)

REGISTRERINGER = [
    "virksomhed", "forloeb", "henvisning", "aitjek", "aktivitet", "programdeltagelse",
    "samarbejdsaftale",
]


def er_administrator(bruger) -> bool:
    """An active superuser or member of the group Administrator: who may open the admin."""
    if not bruger.is_active:
        return False
    return bruger.is_superuser or bruger.groups.filter(name=ADMINISTRATOR).exists()


def _perms(app_label, models, actions):
    return Permission.objects.filter(
        content_type__app_label=app_label,
        codename__in=[f"{a}_{m}" for m in models for a in actions],
    )


def _brugeradministration(using):
    """Users (no deleting: a user who leaves is made inactive, so the history keeps their name),
    the groups read-only, and unlocking accounts locked by django-axes when it is installed."""
    perms = [*_perms("auth", ["user"], ("view", "add", "change")),
             *_perms("auth", ["group"], ("view",))]
    if apps.is_installed("axes"):
        # Whatever the order of INSTALLED_APPS, make its permissions exist before they are given.
        create_permissions(apps.get_app_config("axes"), verbosity=0, using=using)
        perms += [*_perms("axes", ["accessattempt"], ("view", "delete")),
                  *_perms("axes", ["accesslog", "accessfailurelog"], ("view",))]
    return perms


def opret_roller(using="default", **kwargs):
    """Create or refresh the groups; safe to run after every migrate.

    Runs after maal's migrations, before the apps later in ``INSTALLED_APPS`` have had their
    permissions made, so it makes the permissions of every app it hands out first."""
    for app_label in ("forloeb", "maal", "rapporter"):
        create_permissions(apps.get_app_config(app_label), verbosity=0, using=using)
    laes = ("view",)
    alt = ("view", "add", "change", "delete")
    status = Permission.objects.filter(
        content_type__app_label="maal", codename__in=["se_status"]
    )

    registrant, _ = Group.objects.get_or_create(name=REGISTRANT)
    registrant.permissions.set(
        [
            *_perms("forloeb", REGISTRERINGER, alt),
            *_perms("forloeb", ["aktoer", "kommune", "emne"], laes),
            *_perms("forloeb", ["aktoer"], ("add",)),
            *status,
        ]
    )

    laeser, _ = Group.objects.get_or_create(name=KKR_LAESER)
    national = Permission.objects.filter(content_type__app_label="maal",
                                         codename__in=["se_national"])
    # A KKR reader also sees the national overview, read-only, their own house marked.
    laeser.permissions.set([*status, *national, *_perms("maal", ["datakvalitet"], ("se",))])

    national_laeser, _ = Group.objects.get_or_create(name=NATIONAL_LAESER)
    national_laeser.permissions.set(national)

    admin, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    admin.permissions.set([
        *Permission.objects.filter(content_type__app_label__in=["forloeb", "maal", "rapporter"]),
        *_brugeradministration(using),
    ])
