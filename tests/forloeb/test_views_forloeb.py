"""The forløb form: a company found or created on the spot, henvisninger on the same form, every
validation message next to its field with the input kept, the duplicate warning, edit, delete."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from forloeb.models import Aktoer, Forloeb, Henvisning, Virksomhed
from tests import factories

pytestmark = pytest.mark.django_db

OPRET = reverse("forloeb:forloeb_opret")
NY_CVR = factories.gyldigt_cvr(900)
EIFO = "EIFO – Danmarks Eksport- og Investeringsfond"


def formdata(*, henvisninger=(), **felter):
    """A filled-in forløb form for a new company, as the browser posts it."""
    data = {
        "virksomhed-soeg": NY_CVR, "virksomhed-navn": "Bageriet Ørsted ApS",
        "virksomhed-kommune": "259", "virksomhed-stiftelsesdato": "2023-05-01",
        "type": "kort", "startdato": "2025-03-03", "slutdato": "2025-03-20",
        "raadgiver": "Anne Holm", "emner": ["ai", "eksport"], "fyrtaarn": "",
        "henvisning-TOTAL_FORMS": str(max(len(henvisninger), 1)),
        "henvisning-INITIAL_FORMS": "0", "henvisning-MIN_NUM_FORMS": "0",
        "henvisning-MAX_NUM_FORMS": "1000", "naeste": "liste",
    }
    for nr, henvisning in enumerate(henvisninger):
        data.update({f"henvisning-{nr}-{k}": v for k, v in henvisning.items()})
    data.update(felter)
    return data



def test_the_empty_form_offers_the_fields_a_raadgiver_needs(logget_ind, registrant):
    side = logget_ind.get(OPRET).content.decode()
    assert "<h1>Nyt forløb</h1>" in side
    for label in ("Virksomhed", "Kommune (hovedsæde)", "Stiftelsesdato", "Startdato", "Slutdato",
                  "Rådgiver", "Emner", "Fyrtårn", "Henvisninger", "Aktør", "Ny privat rådgiver"):
        assert label in side
    assert 'value="Registrant"' in side  # the rådgiver is the user, unless changed
    assert '<option value="Innovationsfonden">' in side  # aktører to pick from as you type
    assert ">Gem</button>" in side and ">Gem og opret ny</button>" in side


def test_a_forloeb_with_a_new_company_and_a_henvisning_is_saved(logget_ind, registrant):
    svar = logget_ind.post(OPRET, formdata(
        henvisninger=[{"aktoer": "innovationsfonden", "dato": "2025-03-10"}]
    ), follow=True)

    forloeb = Forloeb.objects.get()
    assert forloeb.virksomhed.cvr == NY_CVR
    assert forloeb.virksomhed.kommune_id == "259"
    assert forloeb.virksomhed.stiftelsesdato == date(2023, 5, 1)
    assert (forloeb.type, forloeb.startdato, forloeb.slutdato) == (
        "kort", date(2025, 3, 3), date(2025, 3, 20))
    assert sorted(forloeb.emner.values_list("kode", flat=True)) == ["ai", "eksport"]
    henvisning = forloeb.henvisninger.get()
    assert (henvisning.aktoer.navn, henvisning.dato) == ("Innovationsfonden", date(2025, 3, 10))
    assert forloeb.oprettet_af == registrant
    assert {h.history_user for h in forloeb.history.all()} == {registrant}
    ret = reverse("forloeb:forloeb_ret", args=[forloeb.pk])
    assert svar.redirect_chain[-1][0] == ret  # the new record's own page
    side = svar.content.decode()
    assert (f'Forløbet er gemt: <a href="{ret}">Kort vejledningsforløb {forloeb.ekstern_id}</a> '
            "for Bageriet Ørsted ApS.") in side


def test_an_existing_company_is_found_by_cvr_or_by_name(logget_ind):
    virksomhed = factories.virksomhed(navn="Køge Maskinfabrik A/S")
    logget_ind.post(OPRET, formdata(**{"virksomhed-soeg": virksomhed.cvr}))
    logget_ind.post(OPRET, formdata(**{"virksomhed-soeg": "køge maskin", "type": "handlingsplan"}))
    assert list(Forloeb.objects.values_list("virksomhed", flat=True)) == [virksomhed.pk] * 2
    assert Virksomhed.objects.count() == 1  # the new-company fields are ignored


def test_an_empty_henvisning_date_is_the_start_date(logget_ind):
    logget_ind.post(OPRET, formdata(henvisninger=[{"aktoer": EIFO, "dato": ""}]))
    assert Henvisning.objects.get().dato == date(2025, 3, 3)


def test_gem_og_opret_ny_opens_an_empty_form_for_the_same_raadgiver(logget_ind):
    svar = logget_ind.post(OPRET, formdata(naeste="ny", raadgiver="Bo Madsen"), follow=True)
    assert svar.redirect_chain[-1][0] == f"{OPRET}?raadgiver=Bo+Madsen"
    side = svar.content.decode()
    assert "Forløbet er gemt" in side
    assert 'value="Bo Madsen"' in side and NY_CVR not in side


def test_a_new_private_adviser_is_created_when_the_user_ticks_the_box(logget_ind, registrant):
    logget_ind.post(OPRET, formdata(henvisninger=[
        {"aktoer": "Revisor  Hansen", "dato": "2025-03-05", "ny_privat": "on"},
    ]))
    aktoer = Henvisning.objects.get().aktoer
    assert (aktoer.navn, aktoer.type, aktoer.oprettet_af) == (
        "Revisor Hansen", Aktoer.Type.PRIVAT, registrant)


def assert_fejl(svar, besked, felt_id, *bevaret):
    """The page says what is wrong next to the field, sums it up at the top, and keeps the input."""
    side = svar.content.decode()
    assert svar.status_code == 422
    assert 'role="alert"' in side and f'href="#{felt_id}"' in side
    assert side.count(besked) >= 2  # in the summary and next to the field
    assert f'id="{felt_id.removesuffix("_0")}_error"' in side
    for tekst in bevaret:
        assert tekst in side, tekst
    assert Forloeb.objects.count() == 0


@pytest.mark.parametrize("felter, besked, felt_id", [
    ({"virksomhed-soeg": "12345679"}, "kontrolcifferet passer ikke", "id_virksomhed-soeg"),
    ({"virksomhed-soeg": "1234567"}, "Et CVR-nummer har 8 cifre", "id_virksomhed-soeg"),
    ({"slutdato": "2025-02-01"}, "Slutdatoen kan ikke ligge før startdatoen", "id_slutdato"),
    ({"startdato": "2099-03-03", "slutdato": ""}, "ligger uden for kontraktårene",
     "id_startdato"),
    ({"startdato": "2010-03-03", "slutdato": ""}, "ligger uden for kontraktårene",
     "id_startdato"),
    ({"virksomhed-kommune": ""}, "Vælg den nye virksomheds kommune", "id_virksomhed-kommune"),
    ({"virksomhed-stiftelsesdato": ""}, "Angiv den nye virksomheds stiftelsesdato",
     "id_virksomhed-stiftelsesdato"),
    ({"virksomhed-stiftelsesdato": "2099-01-01"}, "kan ikke ligge i fremtiden",
     "id_virksomhed-stiftelsesdato"),
    ({"virksomhed-soeg": ""}, "Angiv virksomhedens CVR-nummer eller navn", "id_virksomhed-soeg"),
    ({"type": ""}, "Vælg forløbstypen", "id_type_0"),
])
def test_each_validation_error_is_shown_at_its_field_and_the_input_is_kept(
    logget_ind, felter, besked, felt_id
):
    svar = logget_ind.post(OPRET, formdata(**felter))
    assert_fejl(svar, besked, felt_id, "Bageriet Ørsted ApS", 'value="Anne Holm"')
    assert Virksomhed.objects.count() == 0


FREMTID = "Slutdatoen ligger i fremtiden. Lad den stå tom, til forløbet er gennemført."


@time_machine.travel(datetime(2025, 3, 10, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen")),
                     tick=False)
def test_a_slutdato_after_today_is_refused_next_to_the_field(logget_ind):
    side = logget_ind.get(OPRET).content.decode()
    assert 'name="slutdato" max="2025-03-10"' in side  # the date picker stops at today

    svar = logget_ind.post(OPRET, formdata(slutdato="2025-03-11"))
    assert_fejl(svar, FREMTID, "id_slutdato", 'value="2025-03-11"', "Bageriet Ørsted ApS")

    assert logget_ind.post(OPRET, formdata(slutdato="2025-03-10")).status_code == 302  # today
    assert Forloeb.objects.get().slutdato == date(2025, 3, 10)


@time_machine.travel(datetime(2025, 3, 10, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen")),
                     tick=False)
def test_an_edit_cannot_end_a_forloeb_ahead_of_time(logget_ind, registrant):
    forloeb = factories.forloeb(startdato=date(2025, 2, 1), bruger=registrant)
    url = reverse("forloeb:forloeb_ret", args=[forloeb.pk])
    svar = logget_ind.post(url, redigering(forloeb, slutdato="2025-04-30"))
    assert svar.status_code == 422
    assert svar.content.decode().count(FREMTID) == 2
    forloeb.refresh_from_db()
    assert forloeb.igangvaerende


def test_a_cvr_in_error_is_not_called_a_new_company_under_the_error(logget_ind):
    side = logget_ind.post(OPRET, formdata(**{"virksomhed-soeg": "12345678"})).content.decode()
    assert "kontrolcifferet passer ikke" in side
    status = side[side.index('id="id_virksomhed-soeg_valgt"'):]
    assert status.startswith('id="id_virksomhed-soeg_valgt" aria-live="polite"></p>')


def test_the_field_in_error_is_marked_for_assistive_technology(logget_ind):
    side = logget_ind.post(OPRET, formdata(slutdato="2025-02-01")).content.decode()
    felt = side[side.index('name="slutdato"') - 300:side.index('name="slutdato"') + 200]
    assert 'aria-invalid="true"' in felt
    assert 'aria-describedby="id_slutdato_helptext id_slutdato_error"' in felt
    assert 'value="2025-02-01"' in felt


def test_a_henvisning_without_an_aktoer_is_an_error(logget_ind):
    svar = logget_ind.post(OPRET, formdata(henvisninger=[{"aktoer": "", "dato": "2025-03-05"}]))
    assert_fejl(svar, "Angiv den aktør, virksomheden er henvist til", "id_henvisning-0-aktoer",
                'value="2025-03-05"')
    assert "Henvisning 1: Aktør" in svar.content.decode()


@pytest.mark.parametrize("skrevet, forslag", [("Innovationsfonde", "Innovationsfonden"),
                                              ("eifo", EIFO)])
def test_an_unknown_aktoer_is_not_created_without_the_box_and_a_near_name_is_suggested(
    logget_ind, skrevet, forslag
):
    svar = logget_ind.post(OPRET, formdata(henvisninger=[{"aktoer": skrevet}]))
    assert_fejl(svar, f"»{skrevet}« er ikke en kendt aktør", "id_henvisning-0-aktoer",
                f'value="{skrevet}"')
    assert f"Mente du »{forslag}«?" in svar.content.decode()
    assert not Aktoer.objects.filter(navn=skrevet).exists()


def test_the_same_henvisning_twice_is_an_error(logget_ind):
    to_gange = {"aktoer": "Eksportrådet", "dato": "2025-03-05"}
    svar = logget_ind.post(OPRET, formdata(henvisninger=[to_gange, to_gange]))
    assert svar.status_code == 422
    assert "Den samme henvisning (aktør og dato) står to gange" in svar.content.decode()


def test_a_likely_duplicate_is_a_warning_the_user_can_override(logget_ind):
    eksisterende = factories.forloeb(type="kort", startdato=date(2025, 3, 3))
    data = formdata(**{"virksomhed-soeg": eksisterende.virksomhed.cvr})

    svar = logget_ind.post(OPRET, data)
    side = svar.content.decode()
    assert svar.status_code == 422
    assert "Muligvis registreret før" in side
    assert eksisterende.ekstern_id in side
    assert "Gem alligevel" in side and 'name="gem_alligevel"' in side
    assert Forloeb.objects.count() == 1

    svar = logget_ind.post(OPRET, {**data, "gem_alligevel": "on"})
    assert svar.status_code == 302
    assert Forloeb.objects.count() == 2


def test_another_start_date_is_no_duplicate(logget_ind):
    eksisterende = factories.forloeb(type="kort", startdato=date(2025, 3, 4))
    svar = logget_ind.post(OPRET, formdata(**{"virksomhed-soeg": eksisterende.virksomhed.cvr}))
    assert svar.status_code == 302


def test_a_company_page_link_prefills_the_company(logget_ind):
    virksomhed = factories.virksomhed(navn="Stevns Kalk ApS")
    side = logget_ind.get(f"{OPRET}?cvr={virksomhed.cvr}").content.decode()
    assert f'value="{virksomhed.cvr}"' in side


# --- Edit and delete ---------------------------------------------------------------------------


def redigering(forloeb, **felter):
    """The edit form as loaded for ``forloeb``, with ``felter`` changed."""
    henvisninger = list(forloeb.henvisninger.select_related("aktoer"))
    data = formdata(henvisninger=[
        {"id": h.pk, "aktoer": h.aktoer.navn, "dato": h.dato.isoformat()} for h in henvisninger
    ], **{"virksomhed-soeg": forloeb.virksomhed.cvr, "virksomhed-navn": "",
          "virksomhed-kommune": "", "virksomhed-stiftelsesdato": "",
          "type": forloeb.type, "startdato": forloeb.startdato.isoformat(), "slutdato": "",
          "raadgiver": forloeb.raadgiver, "emner": []})
    data["henvisning-INITIAL_FORMS"] = str(len(henvisninger))
    data.update(felter)
    return data


def test_editing_changes_the_forloeb_and_its_henvisninger_with_the_reason_in_history(
    logget_ind, registrant
):
    forloeb = factories.forloeb(startdato=date(2025, 2, 1), henvist_til=[EIFO, "Eksportrådet"],
                                bruger=registrant)
    eifo, eksport = forloeb.henvisninger.order_by("aktoer__navn")
    url = reverse("forloeb:forloeb_ret", args=[forloeb.pk])
    side = logget_ind.get(url).content.decode()
    assert "<h1>Ret forløb</h1>" in side and f'value="{EIFO}"' in side and "Slet" in side

    data = redigering(forloeb, slutdato="2025-04-30", aarsag="Forløbet afsluttet")
    data["henvisning-TOTAL_FORMS"] = "3"
    nr = {h.pk: i for i, h in enumerate(forloeb.henvisninger.all())}
    data[f"henvisning-{nr[eksport.pk]}-DELETE"] = "on"
    data[f"henvisning-{nr[eifo.pk]}-dato"] = "2025-02-15"
    data.update({"henvisning-2-aktoer": "Innovationsfonden", "henvisning-2-dato": "2025-03-01"})
    svar = logget_ind.post(url, data)

    assert svar.status_code == 302
    forloeb.refresh_from_db()
    assert forloeb.slutdato == date(2025, 4, 30)
    assert sorted((h.aktoer.navn, h.dato) for h in forloeb.henvisninger.all()) == [
        (EIFO, date(2025, 2, 15)), ("Innovationsfonden", date(2025, 3, 1))]
    seneste = forloeb.history.first()
    assert (seneste.history_user, seneste.history_change_reason) == (
        registrant, "Forløbet afsluttet")
    slettet = Henvisning.history.get(id=eksport.pk, history_type="-")
    assert slettet.history_user == registrant


def test_an_edit_with_an_error_keeps_what_was_typed(logget_ind, registrant):
    forloeb = factories.forloeb(startdato=date(2025, 2, 1), bruger=registrant)
    url = reverse("forloeb:forloeb_ret", args=[forloeb.pk])
    svar = logget_ind.post(url, redigering(forloeb, slutdato="2025-01-01", raadgiver="Ny Navn"))
    assert svar.status_code == 422
    side = svar.content.decode()
    assert "Slutdatoen kan ikke ligge før startdatoen" in side and 'value="Ny Navn"' in side
    forloeb.refresh_from_db()
    assert forloeb.slutdato is None


def test_editing_is_no_duplicate_of_itself(logget_ind, registrant):
    forloeb = factories.forloeb(startdato=date(2025, 2, 1), bruger=registrant)
    url = reverse("forloeb:forloeb_ret", args=[forloeb.pk])
    assert logget_ind.post(url, redigering(forloeb, raadgiver="Bo")).status_code == 302


def test_delete_asks_first_then_deletes_and_keeps_it_in_history(logget_ind, registrant):
    forloeb = factories.forloeb(henvist_til=[EIFO], bruger=registrant)
    url = reverse("forloeb:forloeb_slet", args=[forloeb.pk])

    side = logget_ind.get(url).content.decode()
    assert "Slet forløb?" in side and forloeb.ekstern_id in side
    assert "Forløbets 1 henvisning slettes også" in side
    assert Forloeb.objects.filter(pk=forloeb.pk).exists()

    svar = logget_ind.post(url, {"aarsag": "Dobbeltregistreret"}, follow=True)
    assert "Forløbet er slettet" in svar.content.decode()
    assert not Forloeb.objects.filter(pk=forloeb.pk).exists()
    slettet = Forloeb.history.get(id=forloeb.pk, history_type="-")
    assert (slettet.history_user, slettet.history_change_reason) == (
        registrant, "Dobbeltregistreret")

    # The henvisning went with it, and the company's history says who deleted it and why.
    side = logget_ind.get(reverse("forloeb:virksomhed_side",
                                  args=[forloeb.virksomhed.cvr])).content.decode()
    assert (f"<strong>Slettet</strong> Henvisning til {EIFO} (01-02-2025) · Registrant · "
            "<em>Dobbeltregistreret</em>") in side


def test_the_escrm_id_is_kept_so_a_later_import_recognises_the_forloeb(logget_ind):
    logget_ind.post(OPRET, formdata(ekstern_id=" ESCRM-4711 "))
    forloeb = Forloeb.objects.get()
    assert forloeb.ekstern_id == "ESCRM-4711"

    svar = logget_ind.post(reverse("forloeb:forloeb_ret", args=[forloeb.pk]), formdata(
        ekstern_id="", **{"virksomhed-soeg": forloeb.virksomhed.cvr,
                          "henvisning-TOTAL_FORMS": "0"},
    ))
    assert svar.status_code == 302
    forloeb.refresh_from_db()
    assert forloeb.ekstern_id == "ESCRM-4711"  # an emptied field keeps the id it had


def test_without_an_escrm_id_the_app_gives_one(logget_ind):
    logget_ind.post(OPRET, formdata(ekstern_id=""))
    assert Forloeb.objects.get().ekstern_id.startswith("F-")


def test_an_escrm_id_already_in_use_is_refused_next_to_the_field(logget_ind):
    eksisterende = factories.forloeb(ekstern_id="ESCRM-1")
    svar = logget_ind.post(OPRET, formdata(ekstern_id="ESCRM-1"))
    side = svar.content.decode()
    assert svar.status_code == 422
    assert side.count("Et forløb med dette ESCRM-id er allerede registreret.") == 2
    assert 'id="id_ekstern_id_error"' in side
    assert Forloeb.objects.get() == eksisterende
