"""Every database constraint of the registrations holds, both in the database and through
full_clean (which is what forms and the import see)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from forloeb import services
from forloeb.models import (
    AITjek,
    Aktivitet,
    Aktoer,
    Befolkning,
    Forloeb,
    Henvisning,
    Programdeltagelse,
    Samarbejdsaftale,
    Virksomhed,
)
from tests import factories
from tests.factories import erhvervshus as sjaelland_hus


def HUS():  # noqa: N802
    """Erhvervshus Sjælland's id, for records built without the services."""
    from tests.factories import erhvervshus

    return erhvervshus().pk

pytestmark = pytest.mark.django_db


def _afvist_af_databasen(opret):
    with pytest.raises(IntegrityError), transaction.atomic():
        opret()


def test_slutdato_foer_startdato_afvises_af_databasen_og_af_validering():
    virksomhed = factories.virksomhed()
    _afvist_af_databasen(
        lambda: Forloeb.objects.create(erhvervshus_id=HUS(),
            ekstern_id="X1", virksomhed=virksomhed, type="kort",
            startdato=date(2025, 3, 2), slutdato=date(2025, 3, 1),
        )
    )
    with pytest.raises(ValidationError) as fejl:
        factories.forloeb(virksomhed_=virksomhed, startdato=date(2025, 3, 2),
                          slutdato=date(2025, 3, 1))
    assert fejl.value.message_dict["slutdato"] == ["Slutdatoen kan ikke ligge før startdatoen."]


def test_slutdato_samme_dag_som_start_og_igangvaerende_er_tilladt():
    factories.forloeb(startdato=date(2025, 3, 1), slutdato=date(2025, 3, 1))
    factories.forloeb(startdato=date(2025, 3, 1), slutdato=None)
    assert Forloeb.objects.count() == 2


def test_cvr_er_unikt():
    factories.virksomhed(cvr="13585628")
    _afvist_af_databasen(
        lambda: Virksomhed.objects.create(
            cvr="13585628", navn="Dublet", kommune_id="330", stiftelsesdato=date(2001, 1, 1)
        )
    )
    with pytest.raises(ValidationError) as fejl:
        factories.virksomhed(cvr="13585628")
    assert "cvr" in fejl.value.message_dict


def test_ugyldigt_cvr_kan_ikke_gemmes_gennem_services():
    with pytest.raises(ValidationError) as fejl:
        factories.virksomhed(cvr="13585627")
    assert "kontrolcifferet" in fejl.value.message_dict["cvr"][0]


def test_virksomhed_kraever_kommune_og_stiftelsesdato():
    with pytest.raises(ValidationError) as fejl:
        Virksomhed(cvr="13585628", navn="Uden").full_clean()
    assert {"kommune", "stiftelsesdato"} <= set(fejl.value.message_dict)


@pytest.mark.parametrize("model", [Forloeb, AITjek, Aktivitet])
def test_ekstern_id_er_unikt(model):
    virksomhed = factories.virksomhed()
    felter = {
        Forloeb: {"virksomhed": virksomhed, "type": "kort", "startdato": date(2025, 1, 2)},
        AITjek: {"virksomhed": virksomhed, "dato": date(2025, 1, 2)},
        Aktivitet: {"type": "event", "dato": date(2025, 1, 2), "titel": "Møde"},
    }[model]
    model.objects.create(ekstern_id="SAMME", erhvervshus_id=HUS(), **felter)
    _afvist_af_databasen(lambda: model.objects.create(ekstern_id="SAMME", erhvervshus_id=HUS(),
                                                                          **felter))


def test_samme_henvisning_kan_ikke_registreres_to_gange():
    forloeb = factories.forloeb(henvist_til=["Innovationsfonden"])
    aktoer = Aktoer.objects.get(navn="Innovationsfonden")
    _afvist_af_databasen(
        lambda: Henvisning.objects.create(forloeb=forloeb, aktoer=aktoer, dato=forloeb.startdato)
    )
    with pytest.raises(ValidationError) as fejl:
        services.henvisning_create(forloeb=forloeb, aktoer=aktoer, dato=forloeb.startdato)
    assert "allerede registreret" in str(fejl.value)


def test_programdeltagelse_er_unik_pr_virksomhed_program_og_dato():
    virksomhed = factories.virksomhed()
    data = {"virksomhed": virksomhed, "program": "smv_vaekstpilot", "dato": date(2025, 4, 1)}
    services.programdeltagelse_create(erhvervshus=sjaelland_hus(), status="bevilget", **data)
    _afvist_af_databasen(lambda: Programdeltagelse.objects.create(erhvervshus_id=HUS(),
                                                                  status="afslag", **data))


def test_samarbejdsaftale_er_unik_og_kun_med_klynger():
    klynge = Aktoer.objects.get(navn="MADE")
    services.samarbejdsaftale_create(erhvervshus=sjaelland_hus(),
                                     aktoer=klynge, dato=date(2025, 5, 1))
    _afvist_af_databasen(
        lambda: Samarbejdsaftale.objects.create(erhvervshus_id=HUS(),
                                                aktoer=klynge, dato=date(2025, 5, 1))
    )
    with pytest.raises(ValidationError) as fejl:
        services.samarbejdsaftale_create(erhvervshus=sjaelland_hus(),
            aktoer=Aktoer.objects.get(navn="Innovationsfonden"), dato=date(2025, 5, 1)
        )
    assert "erhvervsklynge" in fejl.value.message_dict["aktoer"][0]


def test_befolkning_er_unik_pr_kommune_og_dato():
    _afvist_af_databasen(
        lambda: Befolkning.objects.create(kommune_id="330", dato=date(2023, 1, 1), indbyggere=1)
    )


def test_aktoernavn_er_unikt():
    _afvist_af_databasen(lambda: Aktoer.objects.create(navn="MADE", type="klynge"))


def test_virksomhed_med_forloeb_kan_ikke_slettes():
    forloeb = factories.forloeb()
    with pytest.raises(ProtectedError):
        forloeb.virksomhed.delete()


@pytest.mark.parametrize("dato", [date(2014, 12, 31), date(2099, 1, 1)])
def test_datoer_langt_uden_for_kontraktaarene_afvises(dato):
    with pytest.raises(ValidationError) as fejl:
        factories.forloeb(startdato=dato)
    assert "uden for kontraktårene" in fejl.value.message_dict["startdato"][0]
