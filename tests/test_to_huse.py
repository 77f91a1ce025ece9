"""Two houses kept apart: a user of Erhvervshus Sjælland neither sees, counts nor exports
Erhvervshus Hovedstaden's records, and an import for one house leaves the other's alone."""

import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from forloeb.importer import importer
from forloeb.models import Forloeb
from maal.models import Indikator, Maal, Resultatkontrakt
from tests import factories
from tests.forloeb.test_importer import FORLOEB_OVERSKRIFT, bog

pytestmark = pytest.mark.django_db

MIDT_AARET = "2025-07-15 12:00+02:00"


@pytest.fixture
def to_huse(kontrakt_2025, hovedstaden):
    """Sjælland's 2025 contract and a small Hovedstaden contract counting korte forløb, one
    company with a forløb in each house, and one more forløb in Hovedstaden."""
    kontrakt = Resultatkontrakt.objects.create(erhvervshus=hovedstaden, aar=2025,
                                               modpart="KKR Hovedstaden")
    maal = Maal.objects.create(kontrakt=kontrakt, nummer=7, titel="Vejledning",
                               niveau="lokal", maal_tekst="Korte forløb")
    Indikator.objects.create(maal=maal, noegle="M7.korte", titel="Korte forløb", art="antal",
                             maalvaerdi=100, parametre={"grundlag": "forloeb",
                                                        "forloebstyper": ["kort"]})
    faelles = factories.virksomhed(navn="Fælles ApS")
    with time_machine.travel(date(2025, 7, 1)):
        s = factories.forloeb(virksomhed_=faelles, ekstern_id="S-1", slutdato=date(2025, 3, 1))
        h1 = factories.forloeb(virksomhed_=faelles, ekstern_id="H-1", slutdato=date(2025, 3, 1),
                               erhvervshus_=hovedstaden)
        factories.forloeb(ekstern_id="H-2", slutdato=date(2025, 4, 1), erhvervshus_=hovedstaden)
    return {"sjaelland": kontrakt_2025, "hovedstaden": kontrakt, "s": s, "h": h1,
            "faelles": faelles}


def test_a_registrant_sees_and_opens_only_their_houses_records(client, registrant, to_huse):
    client.force_login(registrant)
    liste = client.get(reverse("forloeb:forloeb_liste")).content.decode()
    assert "S-1" in liste and "H-1" not in liste and "H-2" not in liste
    soeg = client.get(reverse("forloeb:forloeb_liste"), {"soeg": "H-1"}).content.decode()
    assert reverse("forloeb:forloeb_ret", args=[to_huse["h"].pk]) not in soeg
    side = client.get(reverse("forloeb:virksomhed_side", args=[to_huse["faelles"].cvr]))
    assert "S-1" in side.content.decode() and "H-1" not in side.content.decode()
    assert client.get(reverse("forloeb:forloeb_ret", args=[to_huse["h"].pk])).status_code == 404
    assert client.get(reverse("forloeb:forloeb_ret", args=[to_huse["s"].pk])).status_code == 200


def test_the_list_export_holds_only_the_users_house(client, registrant, to_huse):
    client.force_login(registrant)
    svar = client.get(reverse("forloeb:forloeb_eksport"))
    ark = load_workbook(io.BytesIO(svar.content))["Forloeb"]
    ider = {r[0] for r in ark.iter_rows(min_row=2, values_only=True)}
    assert "S-1" in ider and not ider & {"H-1", "H-2"}


@time_machine.travel(MIDT_AARET, tick=False)
def test_each_house_counts_its_own_records(client, kkr_laeser, laeser_hovedstaden, to_huse):
    client.force_login(kkr_laeser)
    doc = client.get(reverse("rapporter:json"), {"aar": 2025, "periode": "H1"}).json()
    korte = {p["noegle"]: p for p in doc["indikatorer"]}["M7.korte"]
    assert doc["kontrakt"]["erhvervshus"] == "Erhvervshus Sjælland" and korte["faktisk"] == 1
    # Sjælland's reader cannot choose Hovedstaden: ?hus= offers their houses only
    hus = to_huse["hovedstaden"].erhvervshus_id
    assert client.get(reverse("rapporter:json"),
                      {"hus": hus, "aar": 2025, "periode": "H1"}).status_code == 400
    client.force_login(laeser_hovedstaden)
    doc = client.get(reverse("rapporter:json"), {"aar": 2025, "periode": "H1"}).json()
    korte = {p["noegle"]: p for p in doc["indikatorer"]}["M7.korte"]
    assert doc["kontrakt"]["erhvervshus"] == "Erhvervshus Hovedstaden" and korte["faktisk"] == 2
    poster = client.get(reverse("rapporter:poster", args=["M7.korte"]),
                        {"aar": 2025, "periode": "H1"}).content.decode()
    assert "H-1" in poster and "H-2" in poster and "S-1" not in poster


@time_machine.travel(MIDT_AARET, tick=False)
def test_the_report_workbook_lists_only_the_houses_records(client, kkr_laeser, to_huse):
    client.force_login(kkr_laeser)
    svar = client.get(reverse("rapporter:xlsx"), {"aar": 2025, "periode": "H1"})
    ark = load_workbook(io.BytesIO(svar.content), read_only=True)["Forloeb"]
    ider = {r[0] for r in ark.iter_rows(min_row=2, values_only=True)}
    assert "S-1" in ider and not ider & {"H-1", "H-2"}


def test_an_import_for_one_house_leaves_the_other_alone(registrant, registrant_hovedstaden,
                                                        to_huse):
    cvr = to_huse["faelles"].cvr
    with time_machine.travel(date(2025, 7, 1)):
        svar = importer(bog(forloeb=[FORLOEB_OVERSKRIFT,
                                     ["N-1", cvr, "kort", date(2025, 5, 1), None, "", "", ""]]),
                        "crm.xlsx", bruger=registrant)
        assert svar.ok, svar.tekst()
        assert Forloeb.objects.get(ekstern_id="N-1").erhvervshus.navn == "Erhvervshus Sjælland"
        # Hovedstaden's record named in a Sjælland import is an error, and nothing changes
        anden = importer(bog(forloeb=[FORLOEB_OVERSKRIFT,
                                      ["H-1", cvr, "kort", date(2025, 2, 2), None, "", "", ""]]),
                         "crm.xlsx", bruger=registrant)
        assert not anden.ok and "andet erhvervshus" in anden.tekst()
        assert Forloeb.objects.get(ekstern_id="H-1").startdato == date(2025, 2, 1)
        # a registrant cannot import for a house they do not belong to
        fremmed = importer(bog(forloeb=[FORLOEB_OVERSKRIFT,
                                        ["N-2", cvr, "kort", date(2025, 5, 1), None, "", "", ""]]),
                           "crm.xlsx", bruger=registrant_hovedstaden,
                           erhvervshus=to_huse["sjaelland"].erhvervshus)
        assert not fremmed.ok and "ikke medlem" in fremmed.tekst()
        assert not Forloeb.objects.filter(ekstern_id="N-2").exists()


def test_the_adviser_filter_offers_only_the_users_houses_advisers(client, registrant, to_huse):
    to_huse["s"].raadgiver = "Sara Sjælland"
    to_huse["s"].save()
    to_huse["h"].raadgiver = "Henrik Hovedstaden"
    to_huse["h"].save()
    client.force_login(registrant)
    for navn in ("forloeb:forloeb_liste", "forloeb:henvisning_liste"):
        side = client.get(reverse(navn)).content.decode()
        assert '<option value="Sara Sjælland">' in side, navn
        assert "Henrik Hovedstaden" not in side, navn
    svar = client.get(reverse("forloeb:forloeb_liste"), {"raadgiver": "Sara Sjælland"})
    assert "S-1" in svar.content.decode()
