"""Each period's results kept per data version (kontrakt.dataversion): the same data answer from the
cache, and every kind of write (a service, the import's bulk write, a måling, an admin change)
makes the next page show the new figure."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from forloeb.arbejdsbog import skriv
from forloeb.models import AITjek
from kontrakt import dataversion
from maal import services as maal_services
from rapporter import resultater
from rapporter.beregning import Periode
from rapporter.resultater import indikator_resultater
from tests import factories

pytestmark = pytest.mark.django_db
IDAG = date(2025, 10, 1)
HELAAR = Periode("helaar", date(2025, 1, 1), date(2025, 12, 31))
H1 = Periode("H1", date(2025, 1, 1), date(2025, 6, 30))


@pytest.fixture(autouse=True)
def _med_cache(settings):
    settings.RESULTATCACHE = True


def figur(kontrakt, noegle, periode=HELAAR, idag=IDAG):
    return next(r for r in indikator_resultater(kontrakt, periode, idag=idag)
                if r.noegle == noegle).faktisk


def ai_tjek(dato=date(2025, 3, 1)):
    return factories.services.ai_tjek_create(
        virksomhed=factories.virksomhed(), dato=dato, erhvervshus=factories.erhvervshus(),
    )


@time_machine.travel(IDAG)
def test_the_second_status_page_for_the_same_data_makes_fewer_queries(laeser_klient,
                                                                      kontrakt_2025):
    ai_tjek()
    url = "/status/?aar=2025&periode=helaar"
    with CaptureQueriesContext(connection) as foerste:
        assert laeser_klient.get(url).status_code == 200
    with CaptureQueriesContext(connection) as anden:
        assert laeser_klient.get(url).status_code == 200
    assert len(anden) < len(foerste)


def test_a_write_through_a_service_shows_at_once(kontrakt_2025):
    assert figur(kontrakt_2025, "M9.ai_tjek") == 0
    ai_tjek()
    assert figur(kontrakt_2025, "M9.ai_tjek") == 1
    AITjek.objects.get().delete()
    assert figur(kontrakt_2025, "M9.ai_tjek") == 0


def test_the_imports_bulk_write_shows_at_once(kontrakt_2025):
    assert figur(kontrakt_2025, "M9.ai_tjek") == 0
    hus, virksomhed = factories.erhvervshus(), factories.virksomhed()
    with transaction.atomic():  # as the import's write step: bulk_create sends no post_save
        AITjek.objects.bulk_create([AITjek(ekstern_id="AI-X", virksomhed=virksomhed,
                                           erhvervshus=hus, dato=date(2025, 4, 1))])
        skriv.skrevet.send(sender=skriv.Import)  # what the write step does before it commits
        assert figur(kontrakt_2025, "M9.ai_tjek") == 1
    assert figur(kontrakt_2025, "M9.ai_tjek") == 1


def test_a_bulk_write_without_the_signal_would_be_stale(kontrakt_2025):
    """Why the import sends ``skrevet``: the cache cannot see a bulk write by itself."""
    hus, virksomhed = factories.erhvervshus(), factories.virksomhed()
    figur(kontrakt_2025, "M9.ai_tjek")
    AITjek.objects.bulk_create([AITjek(ekstern_id="AI-Y", virksomhed=virksomhed,
                                       erhvervshus=hus, dato=date(2025, 4, 1))])
    assert figur(kontrakt_2025, "M9.ai_tjek") == 0
    skriv.skrevet.send(sender=skriv.Import)
    assert figur(kontrakt_2025, "M9.ai_tjek") == 1


def test_a_maaling_shows_at_once(kontrakt_2025, administrator):
    assert figur(kontrakt_2025, "M3.nps") is None
    maal_services.maaling_create(
        erhvervshus=kontrakt_2025.erhvervshus, noegle="M3.nps", aar=2025, vaerdi=Decimal("71"),
        dato=date(2025, 5, 1), kilde="Måling", bruger=administrator,
    )
    assert figur(kontrakt_2025, "M3.nps") == Decimal("71")


def test_an_admin_change_of_a_target_shows_at_once(kontrakt_2025):
    from maal.models import Indikator

    foer = next(r for r in indikator_resultater(kontrakt_2025, HELAAR, idag=IDAG)
                if r.noegle == "M9.ai_tjek")
    indikator = Indikator.objects.get(maal__kontrakt=kontrakt_2025, noegle="M9.ai_tjek")
    indikator.maalvaerdi = indikator.maalvaerdi + 7
    indikator.save()  # what the admin's save does
    efter = next(r for r in indikator_resultater(kontrakt_2025, HELAAR, idag=IDAG)
                 if r.noegle == "M9.ai_tjek")
    assert efter.maalvaerdi == foer.maalvaerdi + 7


def test_the_key_separates_periods_days_and_houses(kontrakt_2025):
    ai_tjek(dato=date(2025, 8, 1))
    assert figur(kontrakt_2025, "M9.ai_tjek", HELAAR) == 1
    assert figur(kontrakt_2025, "M9.ai_tjek", H1) == 0
    noegler = {
        resultater.noegle(kontrakt_2025, HELAAR, IDAG),
        resultater.noegle(kontrakt_2025, H1, IDAG),
        resultater.noegle(kontrakt_2025, HELAAR, date(2025, 10, 2)),
    }
    assert len(noegler) == 3
    andet_hus = factories.erhvervshus("Erhvervshus Hovedstaden", region="1084")
    kontrakt_2025.erhvervshus_id = andet_hus.pk
    assert resultater.noegle(kontrakt_2025, HELAAR, IDAG) not in noegler


# --- A token per table: what a write cannot change stays kept --------------------------------


def _laeser(queries, tabel):
    return [q["sql"] for q in queries if f'"{tabel}"' in q["sql"]]


def test_an_ai_tjek_moves_its_count_and_leaves_the_forloeb_counts_kept(kontrakt_2025):
    forloeb = factories.forloeb(type="kort", startdato=date(2025, 2, 1),
                                slutdato=date(2025, 3, 1))
    assert figur(kontrakt_2025, "M7.korte") == 1
    assert figur(kontrakt_2025, "M9.ai_tjek") == 0
    factories.services.ai_tjek_create(  # a known company: a new one would move the forløb too
        virksomhed=forloeb.virksomhed, dato=date(2025, 3, 1), erhvervshus=forloeb.erhvervshus)
    with CaptureQueriesContext(connection) as q:
        assert figur(kontrakt_2025, "M9.ai_tjek") == 1
    assert _laeser(q, "forloeb_aitjek")  # counted again
    assert not _laeser(q, "forloeb_forloeb")  # the forløb counts came from the cache
    assert figur(kontrakt_2025, "M7.korte") == 1


def test_a_forloeb_written_moves_the_forloeb_counts(kontrakt_2025):
    assert figur(kontrakt_2025, "M7.korte") == 0
    factories.forloeb(type="kort", startdato=date(2025, 2, 1), slutdato=date(2025, 3, 1))
    assert figur(kontrakt_2025, "M7.korte") == 1


def test_the_tables_of_a_query_include_its_subqueries():
    from django.db.models import Exists, OuterRef

    from forloeb.models import Forloeb, Henvisning

    qs = Forloeb.objects.filter(Exists(Henvisning.objects.filter(forloeb=OuterRef("pk"))))
    assert dataversion.tabeller(qs) == {"forloeb_forloeb", "forloeb_henvisning"}
    assert dataversion.tabeller(Forloeb.objects.filter(pk__in=[])) == set()  # finds nothing


def test_history_rows_and_many_to_many_changes_give_their_tables_new_tokens():
    from forloeb.models import Emne

    forloeb = factories.forloeb()
    tabeller = {"forloeb_historicalforloeb", "forloeb_forloeb_emner"}
    foer = dataversion.versioner(tabeller)
    forloeb.raadgiver = "Ny Rådgiver"
    forloeb.save()
    efter_gem = dataversion.versioner(tabeller)
    assert dict(efter_gem[1])["forloeb_historicalforloeb"] != dict(foer[1])[
        "forloeb_historicalforloeb"]
    forloeb.emner.add(Emne.objects.create(kode="test", navn="Test"))
    assert dict(dataversion.versioner(tabeller)[1])["forloeb_forloeb_emner"] != dict(efter_gem[1])[
        "forloeb_forloeb_emner"]


def test_a_value_kept_by_husk_is_computed_again_only_after_a_write_to_its_tables():
    from forloeb.models import Forloeb

    kald = []

    def beregn():
        kald.append(1)
        return Forloeb.objects.count()

    qs = [Forloeb.objects.all()]
    assert dataversion.husk("antal_forloeb", (), qs, beregn) == 0
    ai_tjek()  # another table
    assert dataversion.husk("antal_forloeb", (), qs, beregn) == 0
    assert len(kald) == 1
    factories.forloeb()
    assert dataversion.husk("antal_forloeb", (), qs, beregn) == 1
    assert len(kald) == 2


def test_a_list_page_shows_a_new_record_at_once_and_is_kept_per_user(client, registrant,
                                                                     administrator):
    from django.urls import reverse

    url = reverse("forloeb:forloeb_liste")
    client.force_login(registrant)
    assert "L-1" not in client.get(url).content.decode()
    factories.forloeb(ekstern_id="L-1")
    assert "L-1" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as q:
        assert "L-1" in client.get(url).content.decode()
    assert not _laeser(q, "forloeb_forloeb")  # the count and the table came from the cache
    client.force_login(administrator)  # another user's page is their own
    with CaptureQueriesContext(connection) as q:
        assert "L-1" in client.get(url).content.decode()
    assert _laeser(q, "forloeb_forloeb")


def test_a_goal_pages_curve_shows_a_new_forloeb_at_once(laeser_klient, kontrakt_2025):
    url = "/status/maal/7/?aar=2025&periode=helaar"
    with time_machine.travel(IDAG):
        foer = laeser_klient.get(url).content.decode()
        factories.forloeb(type="kort", startdato=date(2025, 2, 1), slutdato=date(2025, 3, 1))
        efter = laeser_klient.get(url).content.decode()
    assert foer != efter


# --- The status and goal pages' content, kept for readers -------------------------------------


@time_machine.travel(IDAG)
def test_a_readers_second_status_page_comes_from_the_cache_and_an_explanation_shows_at_once(
        laeser_klient, kontrakt_2025, administrator):
    from rapporter import godkendelse

    url = "/status/?aar=2025&periode=H1"
    assert "Forklaret i dag" not in laeser_klient.get(url).content.decode()
    with CaptureQueriesContext(connection) as q:
        assert laeser_klient.get(url).status_code == 200
    assert not _laeser(q, "forloeb_forloeb") and not _laeser(q, "maal_indikator")
    godkendelse.forklaring_gem(maal=kontrakt_2025.maal.get(nummer=7), periode="H1",
                               tekst="Forklaret i dag", bruger=administrator)
    assert "Forklaret i dag" in laeser_klient.get(url).content.decode()


@time_machine.travel(IDAG)
def test_an_administrators_goal_page_with_its_form_is_rendered_each_time(client, administrator,
                                                                         kontrakt_2025):
    client.force_login(administrator)
    url = "/status/maal/7/?aar=2025&periode=H1"
    assert "csrfmiddlewaretoken" in client.get(url).content.decode()
    client.logout()
    client.force_login(administrator)  # a new session: a new CSRF secret
    with CaptureQueriesContext(connection) as q:
        side = client.get(url).content.decode()
    assert _laeser(q, "rapporter_forklaring")  # rendered again, with this session's token
    assert "csrfmiddlewaretoken" in side


@time_machine.travel(IDAG)
def test_readers_of_the_same_house_share_the_kept_page_and_another_house_does_not(
        client, kkr_laeser, django_user_model, laeser_hovedstaden, kontrakt_2025):
    from tests.conftest import KKR_LAESER, _bruger

    url = "/status/?aar=2025&periode=helaar"
    anden_laeser = _bruger(django_user_model, "laeser_to", KKR_LAESER)  # a membership: a write
    client.force_login(kkr_laeser)
    foerste = client.get(url).content.decode()
    client.force_login(anden_laeser)
    with CaptureQueriesContext(connection) as q:
        anden = client.get(url).content.decode()
    assert not _laeser(q, "maal_indikator")  # the first reader's page, from the cache
    assert anden.split("<main", 1)[1] == foerste.split("<main", 1)[1]
    client.force_login(laeser_hovedstaden)  # no contract of its own for 2025: not Sjælland's
    assert "Erhvervshus Sjælland" not in client.get(url).content.decode()


def test_workers_share_kept_values_in_files_and_migrate_gives_new_tokens(settings, tmp_path,
                                                                         kontrakt_2025):
    from django.core.cache import caches

    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(tmp_path)}}
    assert figur(kontrakt_2025, "M9.ai_tjek") == 0
    assert any(tmp_path.iterdir())  # written where another worker reads it
    caches["default"].close()
    with CaptureQueriesContext(connection) as q:
        assert figur(kontrakt_2025, "M9.ai_tjek") == 0
    assert not _laeser(q, "forloeb_aitjek")
    foer = dataversion.version()
    dataversion._migreret()  # what post_migrate runs
    assert dataversion.version()[0] != foer[0]
    with CaptureQueriesContext(connection) as q:
        figur(kontrakt_2025, "M9.ai_tjek")
    assert _laeser(q, "forloeb_aitjek")  # computed again after a migration


@time_machine.travel(IDAG)
def test_a_goal_page_outlives_a_write_it_does_not_read_and_not_one_it_does(laeser_klient,
                                                                           kontrakt_2025):
    forloeb = factories.forloeb(type="kort", startdato=date(2025, 2, 1),
                                slutdato=date(2025, 3, 1))
    maal7, maal9 = (f"/status/maal/{n}/?aar=2025&periode=helaar" for n in (7, 9))
    laeser_klient.get(maal7)
    foer9 = laeser_klient.get(maal9).content.decode()
    factories.services.ai_tjek_create(virksomhed=forloeb.virksomhed, dato=date(2025, 3, 1),
                                      erhvervshus=forloeb.erhvervshus)
    with CaptureQueriesContext(connection) as q:
        laeser_klient.get(maal7)
    assert not _laeser(q, "maal_indikator")  # Mål 7 counts no AI-tjek: its page is kept
    with CaptureQueriesContext(connection) as q:
        efter9 = laeser_klient.get(maal9).content.decode()
    assert _laeser(q, "forloeb_aitjek") and efter9 != foer9  # Mål 9 counts them


@time_machine.travel(IDAG)
def test_pages_that_differ_only_by_path_are_kept_apart(laeser_klient, kontrakt_2025):
    for url_a, url_b, a, b in [
        ("/status/maal/7/", "/status/maal/9/", "Mål 7:", "Mål 9:"),
        ("/status/indikator/M7.korte/poster/", "/status/indikator/M9.ai_tjek/poster/",
         "M7.korte", "M9.ai_tjek"),
    ]:
        foerste = laeser_klient.get(url_a, {"aar": 2025, "periode": "helaar"}).content.decode()
        anden = laeser_klient.get(url_b, {"aar": 2025, "periode": "helaar"}).content.decode()
        assert a in foerste and b in anden and b not in foerste.split("<main", 1)[1]


def test_a_renamed_user_shows_at_once_where_a_kept_page_names_them(laeser_klient, kontrakt_2025,
                                                                    administrator):
    """The goal page names who entered a måling; a login noting its time changes nothing."""
    administrator.first_name, administrator.last_name = "Anne", "Andersen"
    administrator.save()
    maal_services.maaling_create(
        erhvervshus=kontrakt_2025.erhvervshus, noegle="M3.nps", aar=2025, vaerdi=Decimal("71"),
        dato=date(2025, 5, 1), kilde="Måling", bruger=administrator,
    )
    url = "/status/maal/3/?aar=2025&periode=helaar"
    with time_machine.travel(IDAG):
        assert "Anne Andersen" in laeser_klient.get(url).content.decode()
        foer = dataversion.versioner()
        from django.contrib.auth.models import update_last_login
        update_last_login(None, administrator)
        assert dataversion.versioner() == foer
        administrator.last_name = "Berg"
        administrator.save()
        side = laeser_klient.get(url).content.decode()
    assert "Anne Berg" in side and "Anne Andersen" not in side


def test_all_indicators_kept_a_goal_at_a_time_are_those_computed_at_once(kontrakt_2025,
                                                                         settings):
    """With values kept, the status page's results are each goal's kept results (its goal
    page's): the same figures as the engine computing every indicator in one go."""
    from forloeb.models import Aktoer

    hus = factories.erhvervshus()
    for i, (type_, kommune) in enumerate([("kort", "330"), ("handlingsplan", "360"),
                                          ("vaekstplan", "265"), ("kort", "101")]):
        factories.forloeb(ekstern_id=f"F{i}", type=type_, startdato=date(2025, 1, 10),
                          slutdato=date(2025, 5, 1),
                          virksomhed_=factories.virksomhed(kommune=kommune),
                          henvist_til=["Innovationsfonden"] if i % 2 else ())
    ai_tjek()
    factories.services.samarbejdsaftale_create(
        erhvervshus=hus, aktoer=Aktoer.objects.get(navn="BLOXHUB"), dato=date(2025, 3, 1))
    maal_services.maaling_create(erhvervshus=hus, noegle="M3.nps", aar=2025,
                                 vaerdi=Decimal("71"), dato=date(2025, 5, 1), kilde="Måling")
    for periode in (H1, HELAAR):
        kept = indikator_resultater(kontrakt_2025, periode, idag=IDAG)
        settings.RESULTATCACHE = False
        at_once = indikator_resultater(kontrakt_2025, periode, idag=IDAG)
        settings.RESULTATCACHE = True
        assert [(r.noegle, r.faktisk, r.forventet, r.status) for r in kept] == \
               [(r.noegle, r.faktisk, r.forventet, r.status) for r in at_once]
        assert len(kept) == 31


def test_an_ai_tjek_computes_only_goal_9s_results_again(kontrakt_2025):
    """(For a company already registered: a new one changes the companies' table, which the
    forløb counts by kommune read.)"""
    virksomhed = factories.virksomhed()
    indikator_resultater(kontrakt_2025, HELAAR, idag=IDAG)
    factories.services.ai_tjek_create(virksomhed=virksomhed, dato=date(2025, 3, 1),
                                      erhvervshus=factories.erhvervshus())
    with CaptureQueriesContext(connection) as q:
        resultater_ = indikator_resultater(kontrakt_2025, HELAAR, idag=IDAG)
    assert next(r for r in resultater_ if r.noegle == "M9.ai_tjek").faktisk == 1
    assert _laeser(q, "forloeb_aitjek")
    # The other goals' results came from the cache: their målinger, milestones and by/land
    # table were not read again.
    assert not _laeser(q, "maal_maaling") and not _laeser(q, "maal_milepaelstatus")
    assert not _laeser(q, "maal_byland") and not _laeser(q, "forloeb_forloeb")
    assert not _laeser(q, "maal_indikator")  # the contract's indicators are kept too
