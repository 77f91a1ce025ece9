"""Own records and reasons (issue 8, items 2 and 3; the rule is ``forloeb.adgang``).

A registrant changes and deletes what they registered; another registrant's record opens
read-only saying who registered it, and a POST to it is refused (403, nothing changed). An
administrator changes any, with a reason when it is someone else's. Every delete needs a reason.
Companies are shared: anyone corrects one, with a reason when someone else registered it. The
import, run as a registrant, is held to the same rule row by row."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from forloeb import services
from forloeb.importer import importer
from forloeb.models import (
    AITjek,
    Aktivitet,
    Aktoer,
    Forloeb,
    Henvisning,
    Virksomhed,
)
from maal.models import Medlemskab
from maal.roller import ADMINISTRATOR, REGISTRANT
from tests import factories
from tests.factories import erhvervshus as sjaelland_hus
from tests.forloeb.test_importer import FORLOEB_OVERSKRIFT, bog
from tests.forloeb.test_views_forloeb import redigering

pytestmark = pytest.mark.django_db

TRE_MARTS = datetime(2025, 3, 3, 10, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
ANDENS = "Registreret af Anne Hansen 3. marts 2025"
KUN_EGNE = "du kan kun rette dine egne registreringer."


@pytest.fixture
def anne(django_user_model):
    bruger = django_user_model.objects.create_user(
        username="anne", password="hemmeligt-kodeord", first_name="Anne", last_name="Hansen")
    bruger.groups.add(Group.objects.get(name=REGISTRANT))
    Medlemskab.objects.create(bruger=bruger, erhvervshus=sjaelland_hus())
    return bruger


def registrer(slug, bruger):
    """One record of kind ``slug`` registered by ``bruger`` on 3 March 2025; its URL key and
    the edit form's data with one field changed."""
    with time_machine.travel(TRE_MARTS, tick=False):
        virksomhed = factories.virksomhed()
        if slug == "forloeb":
            post = factories.forloeb(virksomhed_=virksomhed, startdato=date(2025, 2, 1),
                                     henvist_til=["Innovationsfonden"], bruger=bruger)
            return post, post.pk, redigering(post, raadgiver="Ny Rådgiver")
        if slug == "virksomhed":
            post = services.virksomhed_create(
                cvr=factories.gyldigt_cvr(950), navn="Annes Firma ApS", kommune="330",
                stiftelsesdato=date(2001, 1, 1), bruger=bruger)
            return post, post.cvr, {"cvr": post.cvr, "navn": "Annes Firma A/S",
                                    "kommune": "330", "stiftelsesdato": "2001-01-01"}
        if slug == "ai_tjek":
            post = services.ai_tjek_create(erhvervshus=sjaelland_hus(),
                                           virksomhed=virksomhed, dato=date(2025, 3, 1),
                                           ekstern_id="AI-ANNE", bruger=bruger)
            return post, post.pk, {"virksomhed-soeg": virksomhed.cvr, "dato": "2025-03-02",
                                   "ekstern_id": "AI-ANNE"}
        if slug == "aktivitet":
            post = services.aktivitet_create(erhvervshus=sjaelland_hus(),
                                             type="event", dato=date(2025, 3, 1), titel="Møde",
                                             ekstern_id="A-ANNE", bruger=bruger)
            return post, post.pk, {"type": "event", "titel": "Morgenmøde", "dato": "2025-03-01",
                                   "fyrtaarn": "", "ekstern_id": "A-ANNE"}
        if slug == "programdeltagelse":
            post = services.programdeltagelse_create(erhvervshus=sjaelland_hus(),
                virksomhed=virksomhed, program="smv_vaekstpilot", status="ansoegt",
                dato=date(2025, 3, 1), bruger=bruger)
            return post, post.pk, {"virksomhed-soeg": virksomhed.cvr, "program": "smv_vaekstpilot",
                                   "status": "bevilget", "dato": "2025-03-01"}
        klynge = Aktoer.objects.get(navn="CLEAN")
        post = services.samarbejdsaftale_create(erhvervshus=sjaelland_hus(),
                                                aktoer=klynge, dato=date(2025, 3, 1),
                                                bruger=bruger)
        return post, post.pk, {"aktoer": klynge.pk, "dato": "2025-03-01",
                               "beskrivelse": "Aftale om fælles events"}


EJEDE = ["forloeb", "ai_tjek", "aktivitet", "programdeltagelse", "samarbejdsaftale"]


def ret_url(slug, noegle):
    return reverse(f"forloeb:{slug}_ret", args=[noegle])


def slet_url(slug, noegle):
    return reverse(f"forloeb:{slug}_slet", args=[noegle])


def uaendret(post):
    """The record as the database holds it, for 'nothing changed'."""
    model = type(post)
    return {f.attname: getattr(model.objects.get(pk=post.pk), f.attname)
            for f in model._meta.concrete_fields if f.attname != "opdateret"}


@pytest.mark.parametrize("slug", EJEDE)
def test_another_registrants_record_opens_read_only_saying_who_registered_it(
    logget_ind, anne, slug
):
    post, noegle, _ = registrer(slug, anne)
    svar = logget_ind.get(ret_url(slug, noegle))
    side = svar.content.decode()
    assert svar.status_code == 200
    assert ANDENS in side and "Kun til læsning" in side and KUN_EGNE in side
    assert ">Gem</button>" not in side and "Slet " not in side.split("Kun til læsning")[1]
    assert "disabled" in side
    assert 'id="historik-titel"' in side and "Anne Hansen" in side.split('id="historik-titel"')[1]


@pytest.mark.parametrize("slug", EJEDE)
def test_a_post_to_change_or_delete_another_registrants_record_is_refused(
    logget_ind, anne, slug
):
    post, noegle, data = registrer(slug, anne)
    foer = uaendret(post)
    svar = logget_ind.post(ret_url(slug, noegle), {**data, "aarsag": "Forsøg"})
    assert svar.status_code == 403 and KUN_EGNE in svar.content.decode()
    assert logget_ind.get(slet_url(slug, noegle)).status_code == 403
    svar = logget_ind.post(slet_url(slug, noegle), {"aarsag": "Forsøg"})
    assert svar.status_code == 403 and ANDENS in svar.content.decode()
    assert uaendret(post) == foer


@pytest.mark.parametrize("slug", EJEDE)
def test_a_registrant_changes_and_deletes_their_own_record(logget_ind, registrant, slug):
    post, noegle, data = registrer(slug, registrant)
    side = logget_ind.get(ret_url(slug, noegle)).content.decode()
    assert "Registreret af Registrant 3. marts 2025" in side and ">Gem</button>" in side
    assert "Kun til læsning" not in side and slet_url(slug, noegle) in side
    assert logget_ind.post(ret_url(slug, noegle), data).status_code == 302
    assert uaendret(post) != {}
    svar = logget_ind.post(slet_url(slug, noegle), {"aarsag": "Registreret to gange"})
    assert svar.status_code == 302
    assert not type(post).objects.filter(pk=post.pk).exists()
    slettet = type(post).history.get(id=post.pk, history_type="-")
    assert (slettet.history_user, slettet.history_change_reason) == (
        registrant, "Registreret to gange")


@pytest.mark.parametrize("slug", EJEDE)
def test_an_administrator_changes_anyones_record_with_a_reason(
    client, administrator, anne, slug
):
    post, noegle, data = registrer(slug, anne)
    client.force_login(administrator)
    side = client.get(ret_url(slug, noegle)).content.decode()
    assert ANDENS in side and "Kun til læsning" not in side
    assert "Årsag til ændringen (påkrævet)" in side

    foer = uaendret(post)
    svar = client.post(ret_url(slug, noegle), data)
    assert svar.status_code == 422 and "Skriv hvorfor du ændrer" in svar.content.decode()
    assert uaendret(post) == foer

    assert client.post(ret_url(slug, noegle), {**data, "aarsag": "Rettet efter aftale"}
                       ).status_code == 302
    post.refresh_from_db()
    assert post.history.first().history_change_reason == "Rettet efter aftale"
    assert post.history.first().history_user == administrator
    side = client.get(ret_url(slug, noegle)).content.decode()
    historik = side[side.index('id="historik-titel"'):]
    assert "<strong>Ændret</strong>" in historik and "<em>Rettet efter aftale</em>" in historik


def test_the_history_on_a_records_page_says_what_changed_from_what_to_what(
    logget_ind, registrant
):
    post, noegle, data = registrer("ai_tjek", registrant)
    logget_ind.post(ret_url("ai_tjek", noegle), {**data, "aarsag": "Forkert dato"})
    side = logget_ind.get(ret_url("ai_tjek", noegle)).content.decode()
    historik = side[side.index('id="historik-titel"'):]
    assert "Dato: <del>01-03-2025</del> → <ins>02-03-2025</ins>" in historik
    assert "Registrant · <em>Forkert dato</em>" in historik
    assert "<strong>Oprettet</strong> AI-tjek AI-ANNE" in historik


def test_an_administrator_by_group_alone_is_an_administrator(client, django_user_model, anne):
    chef = django_user_model.objects.create_user(username="chef", password="x" * 12)
    chef.groups.add(Group.objects.get(name=ADMINISTRATOR))
    Medlemskab.objects.create(bruger=chef, erhvervshus=sjaelland_hus())  # of the record's house
    post, noegle, data = registrer("aktivitet", anne)
    client.force_login(chef)
    assert client.post(ret_url("aktivitet", noegle), {**data, "aarsag": "Titel rettet"}
                       ).status_code == 302
    assert Aktivitet.objects.get().titel == "Morgenmøde"


def test_a_record_without_an_owner_is_changed_by_administrators_only(
    client, registrant, administrator
):
    tjek = services.ai_tjek_create(erhvervshus=sjaelland_hus(),
                                   virksomhed=factories.virksomhed(), dato=date(2025, 3, 1),
                                   ekstern_id="AI-DEMO")  # demo data: no registrant
    data = {"virksomhed-soeg": tjek.virksomhed.cvr, "dato": "2025-03-02", "ekstern_id": "AI-DEMO"}
    client.force_login(registrant)
    side = client.get(ret_url("ai_tjek", tjek.pk)).content.decode()
    assert "Registreret uden kendt registrant" in side and "kun en administrator" in side
    assert client.post(ret_url("ai_tjek", tjek.pk), {**data, "aarsag": "x"}).status_code == 403
    client.force_login(administrator)
    assert client.post(ret_url("ai_tjek", tjek.pk), {**data, "aarsag": "Rettet"}
                       ).status_code == 302
    assert AITjek.objects.get().dato == date(2025, 3, 2)


def test_the_services_refuse_another_registrants_record(registrant, anne):
    post, _, _ = registrer("forloeb", anne)
    with pytest.raises(PermissionDenied, match="er registreret af Anne Hansen"):
        services.opdater(post, raadgiver="X", bruger=registrant, aarsag="Forsøg")
    with pytest.raises(PermissionDenied):
        services.slet(post, bruger=registrant, aarsag="Forsøg")
    assert Forloeb.objects.get().raadgiver != "X"


# --- Companies are shared ------------------------------------------------------------------------


def test_any_registrant_corrects_a_company_but_anothers_needs_a_reason(logget_ind, anne):
    virksomhed, cvr, data = registrer("virksomhed", anne)
    side = logget_ind.get(ret_url("virksomhed", cvr)).content.decode()
    assert ANDENS in side and "Kun til læsning" not in side
    assert "Årsag til ændringen (påkrævet)" in side

    svar = logget_ind.post(ret_url("virksomhed", cvr), data)
    assert svar.status_code == 422 and "Skriv hvorfor du ændrer virksomheden" in (
        svar.content.decode())
    assert Virksomhed.objects.get(cvr=cvr).navn == "Annes Firma ApS"

    svar = logget_ind.post(ret_url("virksomhed", cvr), {**data, "aarsag": "Ny selskabsform"})
    assert svar.status_code == 302
    virksomhed.refresh_from_db()
    assert virksomhed.navn == "Annes Firma A/S"
    assert virksomhed.history.first().history_change_reason == "Ny selskabsform"


def test_ones_own_company_is_corrected_without_a_reason(logget_ind, registrant):
    virksomhed, cvr, data = registrer("virksomhed", registrant)
    assert logget_ind.post(ret_url("virksomhed", cvr), data).status_code == 302
    assert Virksomhed.objects.get(cvr=cvr).navn == "Annes Firma A/S"


# --- Reasons -------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", [*EJEDE, "virksomhed"])
def test_a_delete_without_a_reason_is_refused_next_to_the_field(logget_ind, registrant, slug):
    post, noegle, _ = registrer(slug, registrant)
    side = logget_ind.get(slet_url(slug, noegle)).content.decode()
    assert "Årsag til sletningen (påkrævet)" in side
    svar = logget_ind.post(slet_url(slug, noegle), {"aarsag": "  "})
    side = svar.content.decode()
    assert svar.status_code == 422 and "Skriv hvorfor" in side and "slettes" in side
    assert type(post).objects.filter(pk=post.pk).exists()


def test_a_delete_with_an_empty_reason_leaves_the_h1_figures_as_they_were(
    kontrakt_2025, logget_ind, registrant
):
    """The issue's own case: deleting with an empty reason moved H1's M7.i_alt by one."""
    from rapporter.beregning import Periode
    from rapporter.resultater import indikator_resultater

    def m7_i_alt():
        resultater = indikator_resultater(kontrakt_2025, Periode.h1(2025), idag=date(2025, 8, 1))
        return next(r.faktisk for r in resultater if r.noegle == "M7.i_alt")

    forloeb = [factories.forloeb(startdato=date(2025, 2, 1), slutdato=date(2025, 3, 1),
                                 bruger=registrant) for _ in range(3)]
    foer = m7_i_alt()
    assert foer == 3
    svar = logget_ind.post(slet_url("forloeb", forloeb[0].pk), {"aarsag": ""})
    assert svar.status_code == 422
    with pytest.raises(ValidationError, match="Skriv hvorfor forløbet slettes"):
        services.slet(forloeb[1], bruger=registrant, aarsag="")
    with pytest.raises(ValidationError, match="Skriv hvorfor"):
        services.slet(forloeb[2], aarsag="")  # without a user too
    assert m7_i_alt() == foer and Forloeb.objects.count() == 3


def test_a_reason_longer_than_the_history_keeps_is_refused(registrant):
    post, _, _ = registrer("aktivitet", registrant)
    with pytest.raises(ValidationError, match="højst være 100 tegn"):
        services.opdater(post, titel="Ny", bruger=registrant, aarsag="x" * 101)


def test_removing_a_henvisning_from_ones_own_forloeb_needs_a_reason(logget_ind, registrant):
    forloeb, noegle, data = registrer("forloeb", registrant)
    data["henvisning-0-DELETE"] = "on"
    svar = logget_ind.post(ret_url("forloeb", noegle), data)
    assert svar.status_code == 422 and "Skriv hvorfor henvisningen slettes" in (
        svar.content.decode())
    assert forloeb.henvisninger.count() == 1
    svar = logget_ind.post(ret_url("forloeb", noegle), {**data, "aarsag": "Ikke henvist"})
    assert svar.status_code == 302 and forloeb.henvisninger.count() == 0
    assert Henvisning.history.get(history_type="-").history_change_reason == "Ikke henvist"


def test_maalinger_entered_by_an_administrator_are_untouched_by_ownership(
    kontrakt_2025, administrator
):
    from decimal import Decimal

    from maal.services import maaling_create

    maaling = maaling_create(erhvervshus=kontrakt_2025.erhvervshus, noegle="M3.nps", aar=2025,
                             vaerdi=Decimal("70"), dato=date(2025, 5, 1), kilde="ERST",
                             bruger=administrator)
    assert maaling.indtastet_af == administrator


# --- The import, run as a registrant ----------------------------------------------------------


def forloeb_raekke(post, **felter):
    raekke = {"ekstern_id": post.ekstern_id, "cvr": post.virksomhed.cvr, "type": post.type,
              "startdato": post.startdato, "slutdato": post.slutdato, "raadgiver": post.raadgiver,
              "emner": "", "fyrtaarn": "", **felter}
    return [raekke[k] for k in FORLOEB_OVERSKRIFT]


def test_an_import_as_a_registrant_refuses_another_registrants_record_naming_the_row(
    registrant, anne
):
    annes, _, _ = registrer("forloeb", anne)
    mit, _, _ = registrer("forloeb", registrant)
    fil = bog(Forloeb=[FORLOEB_OVERSKRIFT, forloeb_raekke(mit, raadgiver="Mig"),
                       forloeb_raekke(annes, raadgiver="Mig")],
              Henvisninger=[["forloeb_ekstern_id", "aktoer", "aktoertype", "dato"],
                            [annes.ekstern_id, "Eksportrådet", "", date(2025, 2, 2)]])
    svar = importer(fil, "mine.xlsx", bruger=registrant)
    assert not svar.gemt
    fejl = [(f.ark, f.raekke, f.besked) for f in svar.fejl]
    assert fejl == [
        ("Forloeb", 3, f"Forløbet {annes.ekstern_id} er registreret af Anne Hansen; {KUN_EGNE}"),
        ("Henvisninger", 2, f"Henvisningen på forløbet {annes.ekstern_id} er registreret af "
                            f"Anne Hansen; {KUN_EGNE}"),
    ]
    assert not Forloeb.objects.filter(raadgiver="Mig").exists()  # all or nothing

    # Only their own: imported, with the file in the history.
    svar = importer(bog(Forloeb=[FORLOEB_OVERSKRIFT, forloeb_raekke(mit, raadgiver="Mig")]),
                    "mine.xlsx", bruger=registrant)
    assert svar.gemt
    mit.refresh_from_db()
    assert mit.raadgiver == "Mig" and mit.history.first().history_change_reason == (
        "Import af mine.xlsx")


def test_an_import_as_an_administrator_changes_anyones_record(administrator, anne):
    annes, _, _ = registrer("forloeb", anne)
    svar = importer(bog(Forloeb=[FORLOEB_OVERSKRIFT, forloeb_raekke(annes, raadgiver="Adm")]),
                    "rettelser.xlsx", bruger=administrator)
    assert svar.gemt and Forloeb.objects.get().raadgiver == "Adm"


def test_the_command_as_a_registrant_names_the_refused_row(tmp_path, registrant, anne):
    annes, _, _ = registrer("forloeb", anne)
    sti = tmp_path / "mine.xlsx"
    sti.write_bytes(bog(Forloeb=[FORLOEB_OVERSKRIFT, forloeb_raekke(annes, raadgiver="Mig")]))
    ud = StringIO()
    with pytest.raises(CommandError, match="1 fejl; intet er gemt"):
        call_command("importer", str(sti), "--bruger", "registrant", stdout=ud)
    assert (f"Forloeb, række 2: Forløbet {annes.ekstern_id} er registreret af Anne Hansen"
            in ud.getvalue())


def test_the_import_reads_the_owners_once_not_per_row(registrant, anne):
    """Owners are preloaded: refusing 15 rows costs the same queries as refusing 3."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def sporgsmaal(poster):
        fil = bog(Forloeb=[FORLOEB_OVERSKRIFT, *(forloeb_raekke(f, raadgiver="Mig")
                                                 for f in poster)])
        bruger = type(registrant).objects.get(pk=registrant.pk)  # nothing cached on it
        with CaptureQueriesContext(connection) as forespoergsler:
            svar = importer(fil, "mine.xlsx", bruger=bruger, dry_run=True)
        assert len(svar.fejl) == len(poster)
        return len(forespoergsler)

    annes = [registrer("forloeb", anne)[0] for _ in range(15)]
    assert sporgsmaal(annes[:3]) == sporgsmaal(annes)
