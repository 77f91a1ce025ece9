"""Every database constraint of the contract models."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from maal.models import ByLand, Indikator, Maal, Maaling, MilepaelStatus, Resultatkontrakt

pytestmark = pytest.mark.django_db


def _afvist_af_databasen(opret):
    with pytest.raises(IntegrityError), transaction.atomic():
        opret()


def test_en_kontrakt_pr_hus_og_aar(kontrakt_2025):
    _afvist_af_databasen(
        lambda: Resultatkontrakt.objects.create(
            erhvervshus=kontrakt_2025.erhvervshus, aar=2025, modpart="KKR Sjælland"
        )
    )


def test_maalnummer_er_unikt_i_kontrakten(kontrakt_2025):
    _afvist_af_databasen(
        lambda: Maal.objects.create(
            kontrakt=kontrakt_2025, nummer=7, titel="Dublet", niveau="lokal", maal_tekst="x"
        )
    )


def test_indikatornoegle_er_unik_i_maalet_og_i_kontrakten(kontrakt_2025):
    maal7 = kontrakt_2025.maal.get(nummer=7)
    _afvist_af_databasen(
        lambda: Indikator.objects.create(maal=maal7, noegle="M7.korte", titel="x", art="antal")
    )
    maal8 = kontrakt_2025.maal.get(nummer=8)
    dublet = Indikator(maal=maal8, noegle="M7.korte", titel="x", art="antal",
                       parametre={"grundlag": "forloeb"})
    with pytest.raises(ValidationError) as fejl:
        dublet.full_clean()
    assert "findes allerede" in fejl.value.message_dict["noegle"][0]


def test_by_land_en_klassifikation_pr_kommune(kontrakt_2025):
    _afvist_af_databasen(
        lambda: ByLand.objects.create(kontrakt=kontrakt_2025, kommune_id="330", kategori="land")
    )


def test_ukendte_parametre_afvises_paa_dansk(kontrakt_2025):
    indikator = Indikator.objects.get(noegle="M7.korte")
    indikator.parametre = {"grundlag": "forloeb", "forloebstyper": ["lang"], "farve": "blaa"}
    with pytest.raises(ValidationError) as fejl:
        indikator.full_clean()
    beskeder = " ".join(fejl.value.message_dict["parametre"])
    assert "'farve' bruges ikke" in beskeder
    assert "'lang' er ikke en kendt værdi" in beskeder


def test_maaling_skal_have_en_kendt_noegle_og_et_kontraktaar(kontrakt_2025):
    hus = kontrakt_2025.erhvervshus
    ok = Maaling(erhvervshus=hus, noegle="M14.omsaetning", aar=2025, vaerdi=1,
                 dato=date(2025, 6, 1), kilde="Økonomisystem")
    ok.full_clean()
    with pytest.raises(ValidationError) as fejl:
        Maaling(erhvervshus=hus, noegle="M7.korte", aar=2025, vaerdi=1,
                dato=date(2025, 6, 1), kilde="x").full_clean()
    assert "ikke en målt størrelse" in fejl.value.message_dict["noegle"][0]
    # Issue 10: a year from 2015 on is kept without a contract for it (shown for comparison).
    Maaling(erhvervshus=hus, noegle="M3.nps", aar=2019, vaerdi=1, dato=date(2019, 6, 1),
            kilde="x").full_clean()
    with pytest.raises(ValidationError) as fejl:
        Maaling(erhvervshus=hus, noegle="M3.nps", aar=2014, vaerdi=1,
                dato=date(2014, 6, 1), kilde="x").full_clean()
    assert "Målinger tages fra 2015" in fejl.value.message_dict["aar"][0]


def test_milepaelsstatus_kun_paa_milepaele(kontrakt_2025):
    with pytest.raises(ValidationError):
        MilepaelStatus(indikator=Indikator.objects.get(noegle="M7.korte"), status="i_gang",
                       dato=date(2025, 1, 1), fortaelling="x").full_clean()


def test_et_filter_der_ikke_passer_til_grundlaget_afvises(kontrakt_2025):
    indikator = Indikator.objects.get(noegle="M9.ai_tjek")
    indikator.parametre = {"grundlag": "ai_tjek", "program": "smv_vaekstpilot"}
    with pytest.raises(ValidationError) as fejl:
        indikator.full_clean()
    assert fejl.value.message_dict["parametre"] == [
        "Parameteren 'program' kan ikke bruges med grundlaget 'ai_tjek'."
    ]
