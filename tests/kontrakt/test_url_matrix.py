"""Who gets what from every URL: one table, checked against the URL configuration itself.

The test walks every URL pattern the project defines (``get_resolver()``, recursively) and asks
each one, with GET and with POST (an empty body), as six callers: anonymous, a registrant, a
KKR-læser, an administrator (the group only, no ``is_staff``), an inactive user (an
administrator made inactive) and a logged-in user with no role. Each answer is held against
:data:`FORVENTET`. The admin is asked by sample: the rows whose name begins with ``admin:``.

A URL pattern without a row fails the test with its name, its route and what it answers now.
**Adding a URL? Add its row** (after checking that what it answers is what it should):

    "namespace:name":                    ("GET: six codes", "POST: six codes"),
    "forloeb:forloeb_slet":              ("  L 200 403 200   L 403", "  L 422 403 422   L 403"),

Each string holds six codes separated by spaces (any number: they are aligned under the
table's heading), one per caller in the order of :data:`ROLLER`:
ano(nym), reg(istrant), kkr(_laeser), adm(inistrator), ina(ktiv), ude(n_rolle).

A code is an HTTP status (``200``, ``400``, ``403``, ``404``, ``405`` …), or

- ``L``: 302 to the login page (``/login/?next=…``): "log in first";
- ``302``: a redirect anywhere else (after a POST, or a page that sends a role onwards).

The URL's arguments are filled from one set of test data (:func:`data`) by the argument's name:
``pk`` is the record of the URL's kind (the view's ``art``; a forløb otherwise), ``cvr`` that
record's company, ``nummer`` goal 7, ``noegle`` ``M7.korte``, and the admin's ``object_id`` the
first record of the model in the name. A URL that needs something else gives it in
:data:`ARGUMENTER`. Every request runs in a transaction that is rolled back, so a POST that
deletes or saves (as some do) changes nothing for the next caller. Time is 15 July 2025.
"""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from forloeb import services
from forloeb.models import (
    AITjek,
    Aktivitet,
    Aktoer,
    Forloeb,
    Henvisning,
    Importkoersel,
    Programdeltagelse,
    Samarbejdsaftale,
    Virksomhed,
)
from maal.roller import ADMINISTRATOR
from tests import factories
from tests.factories import erhvervshus as sjaelland_hus

pytestmark = pytest.mark.django_db

ROLLER = ("anonym", "registrant", "kkr_laeser", "administrator", "inaktiv", "uden_rolle")

# fmt: off
FORVENTET: dict[str, tuple[str, str]] = {
    #                                                GET                        POST
    # URL name                             ano reg kkr adm ina ude    ano reg kkr adm ina ude
    # --- Root: front page, login, password
    # forside: a KKR-læser goes on to /status/
    "forside":                           ("  L 200 302 200   L 200", "  L 200 302 200   L 200"),
    "login":                             ("200 200 200 200 200 200", "200 200 200 200 200 200"),
    # logout: POST only, like Django's
    "logout":                            ("405 405 405 405 405 405", "302 302 302 302 302 302"),
    "password_change":                   ("  L 200 200 200   L 200", "  L 200 200 200   L 200"),
    "password_change_done":              ("  L 200 200 200   L 200", "  L 405 405 405   L 405"),
    # --- The workbook import (administrators)
    "importer:bekraeft":                 ("  L 405 405 405   L 405", "  L 403 403 302   L 403"),
    # a run's page and its JSON status: GET only, the administrator's own run (another's: 404)
    "importer:koersel":                  ("  L 403 403 200   L 403", "  L 405 405 405   L 405"),
    "importer:koersel_status":           ("  L 403 403 200   L 403", "  L 405 405 405   L 405"),
    "importer:skabelon":                 ("  L 200 403 200   L 403", "  L 200 403 200   L 403"),
    "importer:upload":                   ("  L 403 403 200   L 403", "  L 403 403 200   L 403"),
    # --- Registrations: lists, exports, forms, delete
    "forloeb:ai_tjek_eksport":           ("  L 200 403 200   L 403", "  L 200 403 200   L 403"),
    "forloeb:ai_tjek_liste":             ("  L 200 403 200   L 403", "  L 200 403 200   L 403"),
    "forloeb:ai_tjek_opret":             ("  L 200 403 200   L 403", "  L 422 403 422   L 403"),
    "forloeb:ai_tjek_ret":               ("  L 200 403 200   L 403", "  L 422 403 422   L 403"),
    "forloeb:ai_tjek_slet":              ("  L 200 403 200   L 403", "  L 422 403 422   L 403"),
    "forloeb:aktivitet_eksport":         ("  L 200 403 200   L 403", "  L 200 403 200   L 403"),
    "forloeb:aktivitet_liste":           ("  L 200 403 200   L 403", "  L 200 403 200   L 403"),
    "forloeb:aktivitet_opret":           ("  L 200 403 200   L 403", "  L 422 403 422   L 403"),
    "forloeb:aktivitet_ret":             ("  L 200 403 200   L 403", "  L 422 403 422   L 403"),
    "forloeb:aktivitet_slet":            ("  L 200 403 200   L 403", "  L 422 403 422   L 403"),
    "forloeb:forloeb_eksport":           ("  L 200 403 200   L 403", "  L 200 403 200   L 403"),
    "forloeb:forloeb_liste":             ("  L 200 403 200   L 403", "  L 200 403 200   L 403"),
    "forloeb:forloeb_opret":             ("  L 200 403 200   L 403", "  L 422 403 422   L 403"),
    "forloeb:forloeb_ret":               ("  L 200 403 200   L 403", "  L 422 403 422   L 403"),
    "forloeb:forloeb_slet":              ("  L 200 403 200   L 403", "  L 422 403 422   L 403"),
    "forloeb:henvisning_eksport":        ("  L 200 403 200   L 403", "  L 200 403 200   L 403"),
    "forloeb:henvisning_liste":          ("  L 200 403 200   L 403", "  L 200 403 200   L 403"),
    "forloeb:oversigt":                  ("  L 200 403 200   L 403", "  L 200 403 200   L 403"),
    "forloeb:programdeltagelse_eksport": ("  L 200 403 200   L 403", "  L 200 403 200   L 403"),
    "forloeb:programdeltagelse_liste":   ("  L 200 403 200   L 403", "  L 200 403 200   L 403"),
    "forloeb:programdeltagelse_opret":   ("  L 200 403 200   L 403", "  L 422 403 422   L 403"),
    "forloeb:programdeltagelse_ret":     ("  L 200 403 200   L 403", "  L 422 403 422   L 403"),
    "forloeb:programdeltagelse_slet":    ("  L 200 403 200   L 403", "  L 422 403 422   L 403"),
    "forloeb:samarbejdsaftale_eksport":  ("  L 200 403 200   L 403", "  L 200 403 200   L 403"),
    "forloeb:samarbejdsaftale_liste":    ("  L 200 403 200   L 403", "  L 200 403 200   L 403"),
    "forloeb:samarbejdsaftale_opret":    ("  L 200 403 200   L 403", "  L 422 403 422   L 403"),
    "forloeb:samarbejdsaftale_ret":      ("  L 200 403 200   L 403", "  L 422 403 422   L 403"),
    "forloeb:samarbejdsaftale_slet":     ("  L 200 403 200   L 403", "  L 422 403 422   L 403"),
    "forloeb:virksomhed_eksport":        ("  L 200 403 200   L 403", "  L 200 403 200   L 403"),
    "forloeb:virksomhed_liste":          ("  L 200 403 200   L 403", "  L 200 403 200   L 403"),
    "forloeb:virksomhed_opret":          ("  L 200 403 200   L 403", "  L 422 403 422   L 403"),
    "forloeb:virksomhed_ret":            ("  L 200 403 200   L 403", "  L 422 403 422   L 403"),
    "forloeb:virksomhed_side":           ("  L 200 403 200   L 403", "  L 200 403 200   L 403"),
    "forloeb:virksomhed_slet":           ("  L 200 403 200   L 403", "  L 422 403 422   L 403"),
    "forloeb:virksomhed_soeg":           ("  L 200 403 200   L 403", "  L 200 403 200   L 403"),
    # --- Status, reports, approval, audit, data quality
    # rapporter:datakvalitet: permission maal.se_datakvalitet
    "rapporter:datakvalitet":            ("  L 403 200 200   L 403", "  L 403 200 200   L 403"),
    "rapporter:forklaringer":            ("  L 403 403 200   L 403", "  L 403 403 200   L 403"),
    "rapporter:godkend":                 ("  L 403 403 200   L 403", "  L 403 403 200   L 403"),
    "rapporter:igangvaerende":           ("  L 200 200 200   L 403", "  L 200 200 200   L 403"),
    "rapporter:json":                    ("  L 200 200 200   L 403", "  L 200 200 200   L 403"),
    "rapporter:maal":                    ("  L 200 200 200   L 403", "  L 200 200 200   L 403"),
    "rapporter:maaling_ny":              ("  L 403 403 200   L 403", "  L 403 403 200   L 403"),
    "rapporter:milepael_ny":             ("  L 403 403 200   L 403", "  L 403 403 200   L 403"),
    # rapporter:national(_xlsx): permission maal.se_national (also the role National læser, which
    # sees nothing else: tests/rapporter/test_national_adgang.py)
    "rapporter:national":                ("  L 403 200 200   L 403", "  L 403 200 200   L 403"),
    "rapporter:national_xlsx":           ("  L 403 200 200   L 403", "  L 403 200 200   L 403"),
    "rapporter:poster":                  ("  L 200 200 200   L 403", "  L 200 200 200   L 403"),
    "rapporter:revision":                ("  L 403 403 200   L 403", "  L 403 403 200   L 403"),
    "rapporter:revision_eksport":        ("  L 403 403 200   L 403", "  L 403 403 200   L 403"),
    "rapporter:status":                  ("  L 200 200 200   L 403", "  L 200 200 200   L 403"),
    "rapporter:xlsx":                    ("  L 200 200 200   L 403", "  L 200 200 200   L 403"),
    # --- The admin, by sample (for Administrator; see kontrakt/admin.py)
    # admin:auth_group_change: groups are read-only
    "admin:auth_group_change":           ("  L 403 403 200   L 403", "  L 403 403 403   L 403"),
    "admin:auth_group_changelist":       ("  L 403 403 200   L 403", "  L 403 403 200   L 403"),
    # admin:auth_user_change: a superuser: read-only here
    "admin:auth_user_change":            ("  L 403 403 200   L 403", "  L 403 403 403   L 403"),
    "admin:auth_user_changelist":        ("  L 403 403 200   L 403", "  L 403 403 200   L 403"),
    # admin:auth_user_password_change: a superuser's
    "admin:auth_user_password_change":   ("  L 403 403 403   L 403", "  L 403 403 403   L 403"),
    "admin:axes_accessattempt_changelist":("  L 403 403 200   L 403", "  L 403 403 200   L 403"),
    "admin:forloeb_forloeb_change":      ("  L 403 403 200   L 403", "  L 403 403 200   L 403"),
    "admin:index":                       ("  L 403 403 200   L 403", "  L 403 403 200   L 403"),
    # admin:login: no login form of its own
    "admin:login":                       ("  L 403 403 302   L 403", "  L 403 403 302   L 403"),
    "admin:logout":                      ("  L 403 403 405   L 403", "  L 403 403 302   L 403"),
    "admin:maal_erhvervshus_add":        ("  L 403 403 200   L 403", "  L 403 403 200   L 403"),
    "admin:maal_indikator_change":       ("  L 403 403 200   L 403", "  L 403 403 200   L 403"),
    "admin:maal_indikator_changelist":   ("  L 403 403 200   L 403", "  L 403 403 200   L 403"),
    "admin:maal_resultatkontrakt_change":("  L 403 403 200   L 403", "  L 403 403 200   L 403"),
    "admin:maal_maaling_changelist":     ("  L 403 403 200   L 403", "  L 403 403 200   L 403"),
    "admin:password_change":             ("  L 403 403 200   L 403", "  L 403 403 200   L 403"),
}
# fmt: on

# Arguments that the rule of the module docstring does not find.
ARGUMENTER = {
    "rapporter:milepael_ny": lambda d: {"noegle": "M11.rekrutteringsydelse"},
    "admin:auth_user_change": lambda d: {"object_id": d.superbruger.pk},
    "admin:auth_user_password_change": lambda d: {"id": d.superbruger.pk},
    "importer:koersel": lambda d: {"pk": _importkoersel(d).pk},
    "importer:koersel_status": lambda d: {"pk": _importkoersel(d).pk},
}


def _importkoersel(d):
    """A finished dry run of the administrator's (the upload page's background run)."""
    return Importkoersel.objects.create(bruger=d.brugere["administrator"], filnavn="crm.xlsx",
                                        token="x" * 32, status=Importkoersel.Status.FAERDIG)


# --- The URLs ----------------------------------------------------------------------------------


def _moenstre(resolver=None, praefiks="", ns=""):
    """(name, route, pattern) of every pattern outside the admin; None as name when it has none."""
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue  # asked by sample: the admin: rows of FORVENTET
            under = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from _moenstre(p, praefiks + str(p.pattern), under)
        elif isinstance(p, URLPattern):
            yield (f"{ns}{p.name}" if p.name else None), praefiks + str(p.pattern), p


MOENSTRE = {navn: (rute, p) for navn, rute, p in _moenstre() if navn}
UDEN_NAVN = [rute for navn, rute, _ in _moenstre() if navn is None]
NAVNE = sorted(set(MOENSTRE) | set(FORVENTET))


# --- The callers and the data ------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fast_tid():
    with time_machine.travel(datetime(2025, 7, 15, 12, tzinfo=ZoneInfo("Europe/Copenhagen")),
                             tick=False):
        yield


@pytest.fixture
def data(kontrakt_2025, registrant, kkr_laeser, administrator, inaktiv, udenforstaaende,
         superbruger):
    """One record of each kind, registered by the registrant, and the six callers."""
    virksomhed = factories.virksomhed()
    klynge = Aktoer.objects.get(navn="CLEAN")
    records = {
        Forloeb: factories.forloeb(virksomhed_=virksomhed, slutdato=date(2025, 3, 1),
                                   henvist_til=["Innovationsfonden"], bruger=registrant),
        AITjek: services.ai_tjek_create(erhvervshus=sjaelland_hus(),
                                        virksomhed=virksomhed, dato=date(2025, 3, 1),
                                        bruger=registrant),
        Aktivitet: services.aktivitet_create(erhvervshus=sjaelland_hus(),
                                             type="event", dato=date(2025, 3, 1), titel="Møde",
                                             bruger=registrant),
        Programdeltagelse: services.programdeltagelse_create(erhvervshus=sjaelland_hus(),
            virksomhed=virksomhed, program="smv_vaekstpilot", status="bevilget",
            dato=date(2025, 3, 1), bruger=registrant),
        Samarbejdsaftale: services.samarbejdsaftale_create(erhvervshus=sjaelland_hus(),
                                                           aktoer=klynge, dato=date(2025, 3, 1),
                                                           bruger=registrant),
    }
    records[Virksomhed] = virksomhed
    records[Henvisning] = records[Forloeb].henvisninger.get()
    brugere = {"anonym": None, "registrant": registrant, "kkr_laeser": kkr_laeser,
               "administrator": administrator, "inaktiv": inaktiv, "uden_rolle": udenforstaaende}
    assert not administrator.is_staff and Group.objects.get(name=ADMINISTRATOR) in \
        administrator.groups.all()
    return SimpleNamespace(records=records, virksomhed=virksomhed, brugere=brugere,
                           superbruger=superbruger)


def _argumenter(navn: str, d) -> dict:
    if navn in ARGUMENTER:
        return ARGUMENTER[navn](d)
    if navn.startswith("admin:"):
        return _admin_argumenter(navn, d)
    _, p = MOENSTRE[navn]
    art = p.default_args.get("art")
    instans = d.records[art.model] if art else d.records[Forloeb]
    kendte = {"pk": instans.pk, "cvr": d.virksomhed.cvr, "nummer": 7, "noegle": "M7.korte"}
    ukendte = set(p.pattern.regex.groupindex) - set(kendte)
    if ukendte:
        pytest.fail(f"{navn}: argumentet {', '.join(sorted(ukendte))} kan testen ikke udfylde; "
                    "giv det i ARGUMENTER.")
    return {arg: kendte[arg] for arg in p.pattern.regex.groupindex}


def _admin_argumenter(navn: str, d) -> dict:
    """``admin:<app>_<model>_<view>``: the first record of that model for ``object_id``."""
    for model in apps.get_models():
        praefiks = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if navn.startswith(praefiks) and navn[len(praefiks):] in ("change", "delete", "history"):
            return {"object_id": model._default_manager.order_by("pk").first().pk}
    return {}


def _svar(url: str, metode: str, bruger) -> tuple[int, str]:
    """(status, Location) for one request, in a transaction rolled back after it."""
    klient = Client(raise_request_exception=False)
    with transaction.atomic():
        if bruger is not None:
            klient.force_login(bruger)
        svar = klient.get(url) if metode == "GET" else klient.post(url, {})
        transaction.set_rollback(True)
    return svar.status_code, svar.get("Location", "")


def _kode(status: int, sted: str) -> str:
    if status == 302:
        return "L" if sted.startswith("/login/?next=") else "302"
    return str(status)


def _raekke(url: str, d) -> tuple[str, str]:
    return tuple(
        " ".join(_kode(*_svar(url, metode, d.brugere[rolle])) for rolle in ROLLER)
        for metode in ("GET", "POST")
    )


def _som_raekke(navn: str, koder: tuple[str, str]) -> str:
    """The table's own layout, ready to paste."""
    get, post = (" ".join(f"{k:>3}" for k in side.split()) for side in koder)
    return f'    {f""""{navn}":""":<37}("{get}", "{post}"),'


# --- The tests ---------------------------------------------------------------------------------


def test_every_url_pattern_has_a_name():
    assert not UDEN_NAVN, f"URL-mønstre uden navn (giv dem name=…): {UDEN_NAVN}"


@pytest.mark.parametrize("navn", NAVNE)
def test_who_gets_what(navn, data):
    url = None
    if navn in MOENSTRE or navn.startswith("admin:"):
        try:
            url = reverse(navn, kwargs=_argumenter(navn, data) or None)
        except NoReverseMatch:
            pass
    if url is None:
        pytest.fail(f"FORVENTET har en række for {navn!r}, men ingen URL hedder det (længere).")
    faktisk = _raekke(url, data)
    rigtig = _som_raekke(navn, faktisk)
    if navn not in FORVENTET:
        pytest.fail(f"{navn} ({url}) har ingen række i FORVENTET. Den svarer nu (kontrollér, at "
                    f"det er rigtigt, før du tilføjer den):\n{rigtig}")
    forventet = tuple(" ".join(koder.split()) for koder in FORVENTET[navn])
    assert faktisk == forventet, (
        f"{navn} ({url}) svarer ikke som FORVENTET siger.\n"
        f"  kolonner:  {' '.join(ROLLER)}\n  forventet: {forventet}\n  faktisk:   {faktisk}\n"
        f"Rækken, som den svarer nu:\n{rigtig}"
    )
