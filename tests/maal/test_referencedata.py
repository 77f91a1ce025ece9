"""What ``migrate`` leaves behind and what the 2025 fixture holds."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum

from forloeb.models import Aktoer, Befolkning, Emne, Kommune
from maal.models import ByLand, Indikator, Maal

pytestmark = pytest.mark.django_db

KONTRAKT_MD = Path(__file__).resolve().parents[3] / "shared" / "KONTRAKT-2025.md"

# Every indicator of KONTRAKT-2025.md with its target (None: no target in the contract).
MAALTAL = {
    "M1.ivaerksaettere": 171, "M2.kendskabsgrad": 50, "M2.kendskab_tilbud": 55, "M3.nps": 70,
    "M4.henvisninger_anvendt": 50, "M5.omsaetning_vaekst": 10, "M5.beskaeftigelse_vaekst": 5,
    "M5.produktivitet_drift": 0, "M6.baeredygtighed": 70, "M7.korte": 880,
    "M7.handlingsplaner": 485, "M7.vaekstplaner": 315, "M7.laengere": 800, "M7.i_alt": 1680,
    "M8.by_land": 10, "M9.ai_tjek": 40, "M10.lokale_operatoerer": 17,
    "M10.henvist_handlingsplan": 70, "M10.henvist_vaekstplan": 80,
    "M11.rekrutteringsydelse": None, "M11.attraktive_arbejdspladser": 20,
    "M11.smv_vaekstpilot": 45, "M12.hovedstaden": 20, "M12.sjaelland_via_ehh": 20,
    "M13.samarbejde_ruc_kkr": None, "M13.klyngearrangementer": None,
    "M13.klyngesamarbejder": 3, "M14.gearing": Decimal("2.5"), "M14.geografisk_forankring": None,
    "M15.femern": None, "M15.biosolutions": None,
}


def test_migrate_giver_98_kommuner_og_17_i_region_sjaelland():
    assert Kommune.objects.count() == 98
    sjaelland = Kommune.objects.filter(region__navn="Region Sjælland")
    assert sjaelland.count() == 17
    assert Kommune.objects.get(kode="360").navn == "Lolland"
    assert Kommune.objects.get(kode="360").dst_kommunegruppe == Kommune.Kommunegruppe.LAND


def test_migrate_giver_befolkningen_i_region_sjaelland():
    total = Befolkning.objects.filter(kommune__region__navn="Region Sjælland").aggregate(
        total=Sum("indbyggere")
    )["total"]
    assert total == 849_857


def test_migrate_giver_de_17_lokale_operatoerer_og_referenceaktoerer():
    lokale = Aktoer.objects.filter(type=Aktoer.Type.LOKAL)
    assert lokale.count() == 17
    naestved = lokale.get(navn="Lokal erhvervsservice Næstved")
    assert list(naestved.kommuner.values_list("kode", flat=True)) == ["370"]
    assert Aktoer.objects.filter(type=Aktoer.Type.KLYNGE).count() >= 10
    assert Aktoer.objects.filter(navn__contains="RUC").exists()
    assert Aktoer.objects.filter(type=Aktoer.Type.STATSLIG, navn="Innovationsfonden").exists()
    assert Emne.objects.count() == 8


def test_kontraktens_noegler_i_testen_svarer_til_kontrakt_md():
    if not KONTRAKT_MD.exists():
        pytest.skip("KONTRAKT-2025.md ligger ikke ved siden af projektet")
    noegler = set(re.findall(r"^\| `(M\d+\.[a-z_]+)` \|", KONTRAKT_MD.read_text(), re.M))
    assert noegler == set(MAALTAL)


def test_fixturen_har_15_maal_og_alle_indikatorer_med_rette_maaltal(kontrakt_2025):
    assert Maal.objects.filter(kontrakt=kontrakt_2025).count() == 15
    nationale = Maal.objects.filter(kontrakt=kontrakt_2025, niveau="national")
    assert set(nationale.values_list("nummer", flat=True)) == {1, 2, 3, 4, 5, 6}
    indikatorer = {
        i.noegle: i for i in Indikator.objects.filter(maal__kontrakt=kontrakt_2025)
    }
    assert set(indikatorer) == set(MAALTAL)
    for noegle, maaltal in MAALTAL.items():
        forventet = None if maaltal is None else Decimal(maaltal)
        assert indikatorer[noegle].maalvaerdi == forventet, noegle
        assert indikatorer[noegle].maal.nummer == int(noegle[1:].split(".")[0])
    assert indikatorer["M8.by_land"].retning == "lte"
    assert indikatorer["M5.produktivitet_drift"].retning == "gt"
    assert indikatorer["M7.i_alt"].art == "antal"
    assert indikatorer["M14.gearing"].art == "forhold"
    assert indikatorer["M15.femern"].art == "milepael"


def test_fixturen_har_kontraktens_egen_ordlyd(kontrakt_2025):
    maal7 = Maal.objects.get(kontrakt=kontrakt_2025, nummer=7)
    assert maal7.titel == "Kvantitative mål vedr. virksomhedsforløb"
    assert "880 korte vejledningsforløb i 2025" in maal7.maal_tekst
    assert "brugerregistrering" in maal7.metode_tekst


def test_indikatorernes_parametre_er_gyldige(kontrakt_2025):
    for indikator in Indikator.objects.filter(maal__kontrakt=kontrakt_2025):
        indikator.full_clean()


def test_standard_by_land_er_kommunegruppe_5(kontrakt_2025):
    land = set(
        ByLand.objects.filter(kontrakt=kontrakt_2025, kategori="land").values_list(
            "kommune__navn", flat=True
        )
    )
    assert land == {"Odsherred", "Kalundborg", "Lolland", "Guldborgsund", "Vordingborg"}
    assert ByLand.objects.filter(kontrakt=kontrakt_2025).count() == 17
    assert kontrakt_2025.by_land_er_standard
