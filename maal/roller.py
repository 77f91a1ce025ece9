"""The three roles of DESIGN.md as Django groups with permissions.

- Registrant: registers and corrects forløb and the other registrations.
- KKR-læser: reads status pages and downloads reports; changes nothing.
- Administrator: everything in the contract, the registrations and the reports.
"""

from django.contrib.auth.models import Group, Permission

REGISTRANT = "Registrant"
KKR_LAESER = "KKR-læser"
ADMINISTRATOR = "Administrator"

REGISTRERINGER = [
    "virksomhed", "forloeb", "henvisning", "aitjek", "aktivitet", "programdeltagelse",
    "samarbejdsaftale",
]


def _perms(app_label, models, actions):
    return Permission.objects.filter(
        content_type__app_label=app_label,
        codename__in=[f"{a}_{m}" for m in models for a in actions],
    )


def opret_roller(**kwargs):
    """Create or refresh the three groups; safe to run after every migrate."""
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
    laeser.permissions.set([*status])

    admin, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    admin.permissions.set(
        Permission.objects.filter(content_type__app_label__in=["forloeb", "maal", "rapporter"])
    )
