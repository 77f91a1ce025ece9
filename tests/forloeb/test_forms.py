"""The registration forms on their own: how the company field resolves what was typed, the
henvisning rows, and the choices the forms offer."""

from datetime import date

import pytest

from forloeb import services
from forloeb.forms import (
    AITjekForm,
    AktivitetForm,
    ForloebForm,
    ForloebFormularsaet,
    HenvisningFormSet,
    VirksomhedValgForm,
)
from forloeb.models import Aktoer
from tests import factories
from tests.factories import erhvervshus as sjaelland_hus

pytestmark = pytest.mark.django_db


def valg(soeg, **ny):
    form = VirksomhedValgForm({f"v-{k}": v for k, v in {"soeg": soeg, **ny}.items()}, prefix="v")
    form.is_valid()
    return form


def test_a_cvr_is_found_however_it_is_written():
    virksomhed = factories.virksomhed()
    cvr = virksomhed.cvr
    for skrevet in (cvr, f"DK{cvr}", f"{cvr[:4]} {cvr[4:]}", f"DK-{cvr[:2]}-{cvr[2:]}"):
        form = valg(skrevet)
        assert form.is_valid() and form.virksomhed == virksomhed, skrevet


def test_a_name_finds_the_one_company_it_fits():
    bageri = factories.virksomhed(navn="Bageriet ApS")
    factories.virksomhed(navn="Bageriet Nord ApS")
    assert valg("bageriet aps").virksomhed == bageri  # exact name wins over partial ones
    assert valg("nord").virksomhed.navn == "Bageriet Nord ApS"


@pytest.mark.parametrize("skrevet", ["øst", "ØST", "Øst", "østergaard smedje aps", "GRØN"])
def test_a_name_is_found_whatever_the_case_of_aeoeaa(skrevet):
    factories.virksomhed(navn="Østergaard Smedje ApS" if "GRØN" not in skrevet else "Grøn ApS")
    factories.virksomhed(navn="Vestergaard ApS")
    form = valg(skrevet)
    assert form.is_valid(), form.errors
    assert form.virksomhed.navn in ("Østergaard Smedje ApS", "Grøn ApS")


def test_an_ambiguous_or_unknown_name_says_what_to_do():
    a = factories.virksomhed(navn="Sol Tech ApS")
    factories.virksomhed(navn="Sol Food ApS")
    fejl = valg("sol").errors["soeg"][0]
    assert fejl.startswith("Flere virksomheder passer på »sol«: ")
    assert f"Sol Tech ApS ({a.cvr})" in fejl and fejl.endswith("Skriv CVR-nummeret.")
    assert valg("måne").errors["soeg"] == [
        "Ingen virksomhed hedder »måne«. Skriv CVR-nummeret for at oprette den."]


def test_a_new_cvr_needs_name_kommune_and_founding_date():
    cvr = factories.gyldigt_cvr(950)
    form = valg(cvr)
    assert set(form.errors) == {"navn", "kommune", "stiftelsesdato"}
    assert form.er_ny

    form = valg(cvr, navn=" Ny ApS ", kommune="259", stiftelsesdato="01-02-2024")
    assert form.is_valid() and form.virksomhed is None
    assert form.ny_virksomhed["cvr"] == cvr and form.ny_virksomhed["navn"] == "Ny ApS"
    assert form.ny_virksomhed["stiftelsesdato"] == date(2024, 2, 1)


def test_henvisning_rows_empty_rows_are_ignored_and_deleted_rows_listed():
    eifo = Aktoer.objects.get(navn="Eksportrådet")
    data = {"h-TOTAL_FORMS": "3", "h-INITIAL_FORMS": "1", "h-0-id": "7",
            "h-0-aktoer": "Eksportrådet", "h-0-dato": "2025-02-01", "h-0-DELETE": "on",
            "h-1-aktoer": "eksportrådet", "h-1-dato": ""}
    formset = HenvisningFormSet(data, prefix="h", initial=[
        {"id": 7, "aktoer": "Eksportrådet", "dato": date(2025, 2, 1)}])
    assert formset.is_valid(), formset.errors
    assert formset.henvisninger(date(2025, 1, 5)) == [(None, eifo, "", date(2025, 1, 5))]
    assert formset.slettede_id() == [7]


def test_the_forloeb_form_offers_short_types_topics_with_andet_last_and_no_lighthouse():
    form = ForloebForm()
    assert [t for _, t in form.fields["type"].choices] == [
        "Kort vejledningsforløb", "Handlingsplan", "Vækstplan", "Omstillingsplan"]
    emner = [e.kode for e in form.fields["emner"].queryset]
    assert emner[-1] == "andet" and len(emner) == 8
    assert form.fields["fyrtaarn"].choices[0] == ("", "Intet")


def test_aktivitet_choices_are_grouped_and_leave_out_private_advisers_not_chosen():
    privat = services.aktoer_create(navn="Revisor Hansen", type="privat")
    form = AktivitetForm()
    grupper = [(gruppe, aaben) for gruppe, _, aaben in form["kommuner"].grupper]
    assert grupper[0] == ("Region Sjælland", True) and ("Region Hovedstaden", False) in grupper
    assert form["partnere"].grupper[0][0] == "Lokal erhvervsservice"
    assert "Revisor Hansen" not in str(form["partnere"])

    aktivitet = services.aktivitet_create(erhvervshus=sjaelland_hus(),
                                          type="event", dato=date(2025, 3, 1), titel="Møde",
                                          partnere=[privat])
    assert "Revisor Hansen" in str(AktivitetForm(instance=aktivitet)["partnere"])


def test_the_error_summary_links_each_error_to_its_input():
    saet = ForloebFormularsaet(
        ForloebForm({"type": "", "startdato": "2025-03-01", "slutdato": "2025-02-01"}),
        VirksomhedValgForm({"virksomhed-soeg": ""}, prefix="virksomhed"),
        HenvisningFormSet({"henvisning-TOTAL_FORMS": "1", "henvisning-INITIAL_FORMS": "0",
                           "henvisning-0-dato": "2025-03-02"}, prefix="henvisning"),
    )
    assert not saet.is_valid()
    assert [(anker, label) for anker, label, _ in saet.fejl()] == [
        ("id_virksomhed-soeg", "Virksomhed"),
        ("id_type_0", "Type"),
        ("id_slutdato", "Slutdato"),
        ("id_henvisning-0-aktoer", "Henvisning 1: Aktør"),
    ]


@pytest.mark.parametrize("form_klasse, ejer", [(ForloebForm, "Forløbets"),
                                               (AITjekForm, "AI-tjekkets"),
                                               (AktivitetForm, "Aktivitetens")])
def test_the_records_an_import_matches_on_ekstern_id_take_an_optional_escrm_id(form_klasse, ejer):
    felt = form_klasse()["ekstern_id"]
    assert felt.label == "ESCRM-id" and not felt.field.required
    assert felt.help_text.startswith(f"{ejer} id i ESCRM")
