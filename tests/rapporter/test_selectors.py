"""The selectors: a constant number of queries, the chart series, by/land and population, the
referral shares, milestone evidence and indicators configured beyond the 2025 contract."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forloeb import services
from forloeb.models import Aktoer, Befolkning, Forloeb, Henvisning, Virksomhed
from maal.models import ByLand, Indikator, Resultatkontrakt
from rapporter.beregning import Periode
from rapporter.resultater import indikator_resultater
from rapporter.selectors import (
    henvisninger_efter_aktoertype,
    indikator_poster,
    kumulativ_udvikling,
    milepael_dokumentation,
    per_kommune,
)
from tests import factories as f
from tests.factories import erhvervshus as sjaelland_hus


def HUS():  # noqa: N802
    """Erhvervshus Sjælland's id, for records built without the services."""
    from tests.factories import erhvervshus

    return erhvervshus().pk

H1 = Periode.h1(2025)
HELAAR = Periode.helaar(2025)
IDAG = date(2025, 7, 15)


def indikator(kontrakt, noegle):
    return Indikator.objects.get(maal__kontrakt=kontrakt, noegle=noegle)


def resultat(kontrakt, noegle, periode=H1, idag=IDAG):
    return next(r for r in indikator_resultater(kontrakt, periode, idag=idag) if r.noegle == noegle)


# --- Queries do not grow with records -------------------------------------------------------


SLUT = {0: date(2025, 3, 1), 1: date(2025, 6, 30), 2: date(2025, 7, 1), 3: None}


def masse_forloeb(antal: int, start_nr: int) -> None:
    """Forløb number ``start_nr`` … ``start_nr + antal - 1`` made in bulk, each with its own
    company; number n ends by ``SLUT[n % 4]`` (in H1, on its last day, the day after,
    igangværende), and every other one has a henvisning to Innovationsfonden."""
    innovationsfonden = Aktoer.objects.get(navn="Innovationsfonden")
    numre = range(start_nr, start_nr + antal)
    kommuner = ["330", "306", "265", "101"]
    virksomheder = Virksomhed.objects.bulk_create(
        Virksomhed(cvr=f"{20000000 + n}", navn=f"Masse {n}", kommune_id=kommuner[n % 3],
                   stiftelsesdato=date(2023 - n % 5, 1, 1))
        for n in numre
    )
    typer = ["kort", "handlingsplan", "vaekstplan", "omstillingsplan", "kort"]
    forloeb = Forloeb.objects.bulk_create(
        Forloeb(erhvervshus_id=HUS(), ekstern_id=f"M-{n}", virksomhed=v, type=typer[n % 5],
                startdato=date(2025, 1, 1 + n % 28), slutdato=SLUT[n % 4])
        for n, v in zip(numre, virksomheder, strict=True)
    )
    Henvisning.objects.bulk_create(
        Henvisning(forloeb=fl, aktoer=innovationsfonden, dato=fl.startdato)
        for fl in forloeb[::2]
    )


def test_the_number_of_queries_does_not_grow_with_records(
    kontrakt_2025, django_assert_max_num_queries
):
    masse_forloeb(10, 0)
    kontrakt = Resultatkontrakt.objects.get(pk=kontrakt_2025.pk)  # nothing cached
    with CaptureQueriesContext(connection) as faa:
        smaa = indikator_resultater(kontrakt, H1, idag=IDAG)
    masse_forloeb(990, 10)
    kontrakt = Resultatkontrakt.objects.get(pk=kontrakt_2025.pk)
    with django_assert_max_num_queries(len(faa.captured_queries)):
        store = indikator_resultater(kontrakt, H1, idag=IDAG)
    # n % 4 in {0, 1} ends in H1: forløb 0, 1, 4, 5, 8, 9 of the first 10 = 6;
    # of all 1,000 exactly half = 500
    i_alt = {r.noegle: r.faktisk for r in smaa}["M7.i_alt"], {
        r.noegle: r.faktisk for r in store}["M7.i_alt"]
    assert i_alt == (6, 500)
    # one for the indicators, one per record model (forløb, with the by/land distribution,
    # AI-tjek, aktiviteter, programdeltagelser, samarbejdsaftaler), one for the house, two for
    # the by/land table and population, one each for dækning, målinger and milestones
    assert len(faa.captured_queries) == 12


# --- Chart series ---------------------------------------------------------------------------


def test_cumulative_counts_per_month_end_at_the_figure(kontrakt_2025):
    v = f.virksomhed()
    for eid, slut in [("K1", date(2025, 1, 1)), ("K2", date(2025, 1, 31)),
                      ("K3", date(2025, 3, 15)), ("K4", date(2025, 6, 30)),
                      ("K5", date(2025, 7, 1))]:
        f.forloeb(ekstern_id=eid, virksomhed_=v, startdato=date(2024, 12, 1), slutdato=slut)
    f.forloeb(ekstern_id="K6", virksomhed_=v, startdato=date(2025, 2, 1))  # igangværende
    serie = kumulativ_udvikling(indikator(kontrakt_2025, "M7.korte"), H1)
    assert [(p["dato"], p["antal"], p["kumuleret"]) for p in serie] == [
        (date(2025, 1, 31), 2, 2),
        (date(2025, 2, 28), 0, 2),
        (date(2025, 3, 31), 1, 3),
        (date(2025, 4, 30), 0, 3),
        (date(2025, 5, 31), 0, 3),
        (date(2025, 6, 30), 1, 4),
    ]
    assert serie[-1]["kumuleret"] == resultat(kontrakt_2025, "M7.korte").faktisk


def test_cumulative_counts_per_day_stop_today(kontrakt_2025):
    v = f.virksomhed()
    f.forloeb(ekstern_id="K1", virksomhed_=v, startdato=date(2024, 12, 1),
              slutdato=date(2025, 1, 2))
    f.forloeb(ekstern_id="K2", virksomhed_=v, startdato=date(2024, 12, 1),
              slutdato=date(2025, 1, 9))
    serie = kumulativ_udvikling(
        indikator(kontrakt_2025, "M7.i_alt"), HELAAR, interval="dag", idag=date(2025, 1, 5)
    )
    assert [p["dato"] for p in serie] == [date(2025, 1, d) for d in range(1, 6)]
    assert [p["kumuleret"] for p in serie] == [0, 1, 1, 1, 1]


def test_cumulative_distinct_companies_count_on_their_first_day(kontrakt_2025):
    kbh = f.virksomhed(kommune="101")
    for eid, slut in [("A", date(2025, 2, 10)), ("B", date(2025, 4, 10))]:
        f.forloeb(ekstern_id=eid, virksomhed_=kbh, startdato=date(2025, 1, 5), slutdato=slut)
    f.forloeb(ekstern_id="C", virksomhed_=f.virksomhed(kommune="147"),
              startdato=date(2025, 1, 5), slutdato=date(2025, 4, 20))
    serie = kumulativ_udvikling(indikator(kontrakt_2025, "M12.hovedstaden"), H1)
    # kbh counts in February only; Frederiksberg in April
    assert [p["antal"] for p in serie] == [0, 1, 0, 1, 0, 0]
    assert serie[-1]["kumuleret"] == resultat(kontrakt_2025, "M12.hovedstaden").faktisk == 2


def test_cumulative_series_only_for_counts(kontrakt_2025):
    with pytest.raises(ValueError, match="ikke et antal"):
        kumulativ_udvikling(indikator(kontrakt_2025, "M3.nps"), H1)


# --- By/land and population -----------------------------------------------------------------


def test_per_kommune_uses_the_contracts_table_and_the_latest_population(kontrakt_2025):
    f.forloeb(virksomhed_=f.virksomhed(kommune="330"), slutdato=date(2025, 3, 1))
    Befolkning.objects.create(kommune_id="330", dato=date(2025, 1, 1), indbyggere=80_000)
    Befolkning.objects.create(kommune_id="330", dato=date(2025, 7, 1), indbyggere=81_000)
    raekker = {k.kode: k for k in per_kommune(kontrakt_2025, H1)}
    assert len(raekker) == 17  # the kommuner of Region Sjælland
    assert raekker["330"].kategori == "by" and raekker["306"].kategori == "land"
    assert (raekker["330"].virksomheder, raekker["330"].befolkning) == (1, 80_000)
    assert raekker["306"].befolkning == 32_977  # only the 2023 figure
    assert {k.kode: k for k in per_kommune(kontrakt_2025, HELAAR)}["330"].befolkning == 81_000


def test_by_land_follows_the_contracts_table_and_falls_back_to_the_default(kontrakt_2025):
    for kode, slut in [("306", date(2025, 2, 1)), ("330", date(2025, 3, 1)),
                       ("265", date(2025, 4, 1)), ("265", date(2025, 5, 1))]:
        f.forloeb(virksomhed_=f.virksomhed(kommune=kode), slutdato=slut)
    # land: Odsherred 1 of 4 companies = 25.0 % against 26.7 % → deviation 1.7
    assert resultat(kontrakt_2025, "M8.by_land").faktisk == 1.7
    # an administrator classifies Slagelse as land: 2 of 4 = 50.0 %; population
    # (227,172 + 79,728) / 849,857 = 36.11 % → 36.1; deviation 13.9
    ByLand.objects.filter(kontrakt=kontrakt_2025, kommune_id="330").update(kategori="land")
    r = resultat(kontrakt_2025, "M8.by_land")
    assert (r.detaljer["andel_land"], r.detaljer["befolkningsandel_land"], r.faktisk) == (
        50.0, 36.1, 13.9
    )
    # a kommune missing from the table uses the default (Slagelse: gruppe 3 → by) again
    ByLand.objects.filter(kontrakt=kontrakt_2025, kommune_id="330").delete()
    assert resultat(kontrakt_2025, "M8.by_land").faktisk == 1.7


# --- Referral shares ------------------------------------------------------------------------


def test_referral_shares_by_aktoer_type(kontrakt_2025):
    v = f.virksomhed()
    privat = services.aktoer_create(navn="Rådgiver Test ApS", type="privat")
    f.forloeb(virksomhed_=v, type="handlingsplan", slutdato=date(2025, 3, 1),
              henvist_til=["Innovationsfonden", "Lokal erhvervsservice Slagelse"])
    fl = f.forloeb(virksomhed_=v, type="handlingsplan", slutdato=date(2025, 3, 1))
    services.henvisning_create(forloeb=fl, aktoer=privat, dato=date(2025, 2, 1))
    f.forloeb(virksomhed_=v, type="handlingsplan", slutdato=date(2025, 4, 1))
    f.forloeb(virksomhed_=v, type="kort", slutdato=date(2025, 4, 1),
              henvist_til=["Eksportrådet"])
    f.forloeb(virksomhed_=v, type="handlingsplan", slutdato=None, henvist_til=["Eksportrådet"])
    raekker = {
        r["aktoertype"]: r for r in henvisninger_efter_aktoertype(H1, ["statslig", "privat"])
    }
    # 4 forløb gennemført; statslig in 2 (handlingsplan + kort) = 50.0 %, privat 1 = 25.0 %,
    # lokal 1 = 25.0 %, i alt (the indicator's types: statslig or privat) 3 = 75.0 %
    assert {k: (r["forloeb"], r["andel"]) for k, r in raekker.items()} == {
        "statslig": (2, 50.0), "privat": (1, 25.0), "lokal": (1, 25.0), "klynge": (0, 0.0),
        "anden": (0, 0.0), "i_alt": (3, 75.0),
    }
    assert raekker["i_alt"]["naevner"] == 4 and not raekker["lokal"]["i_maalet"]
    assert raekker["i_alt"]["navn"] == "I alt: statslig erhvervsfremme eller privat rådgiver"
    kun_hp = {r["aktoertype"]: r for r in henvisninger_efter_aktoertype(
        H1, ["statslig", "privat"], forloebstyper=["handlingsplan"])}
    # handlingsplaner: 3; i alt 2 = 66.7 % (the figure of M10.henvist_handlingsplan)
    assert (kun_hp["i_alt"]["forloeb"], kun_hp["i_alt"]["andel"]) == (2, 66.7)
    assert resultat(kontrakt_2025, "M10.henvist_handlingsplan").faktisk == 66.7


# --- Milestone evidence ---------------------------------------------------------------------


def test_milestone_evidence_is_tagged_records_of_the_period(kontrakt_2025):
    v = f.virksomhed()
    f.forloeb(ekstern_id="F1", virksomhed_=v, fyrtaarn="femern", startdato=date(2025, 2, 1))
    f.forloeb(ekstern_id="F2", virksomhed_=v, fyrtaarn="femern", startdato=date(2024, 9, 1),
              slutdato=date(2024, 12, 1))  # finished before H1
    f.forloeb(ekstern_id="F3", virksomhed_=v, fyrtaarn="biosolutions", startdato=date(2025, 2, 1))
    services.aktivitet_create(erhvervshus=sjaelland_hus(),
                              type="event", dato=date(2025, 5, 1), titel="Femern-dag",
                              fyrtaarn="femern", ekstern_id="A1")
    services.aktivitet_create(erhvervshus=sjaelland_hus(),
                              type="event", dato=date(2025, 8, 1), titel="Femern-dag 2",
                              fyrtaarn="femern", ekstern_id="A2")
    bevis = milepael_dokumentation(indikator(kontrakt_2025, "M15.femern"), H1)
    assert [fl.ekstern_id for fl in bevis["forloeb"]] == ["F1"]
    assert [a.ekstern_id for a in bevis["aktiviteter"]] == ["A1"]
    uden = milepael_dokumentation(indikator(kontrakt_2025, "M11.rekrutteringsydelse"), H1)
    assert not uden["forloeb"].exists() and not uden["aktiviteter"].exists()


# --- The vocabulary beyond 2025 -------------------------------------------------------------


def ny_indikator(kontrakt, noegle, art, parametre, maalvaerdi=None):
    return Indikator.objects.create(
        maal=kontrakt.maal.get(nummer=13), noegle=noegle, titel=noegle, art=art,
        parametre=parametre, maalvaerdi=None if maalvaerdi is None else Decimal(maalvaerdi),
        raekkefoelge=99,
    )


def test_forloeb_filtered_by_region_and_ivaerksaetter(kontrakt_2025):
    ny_indikator(kontrakt_2025, "M13.unge_i_hovedstaden", "antal",
                 {"grundlag": "forloeb", "region": "1084", "ivaerksaetter": True,
                  "forloebstyper": ["kort"]})
    ung_kbh = f.virksomhed(kommune="101", stiftelsesdato=date(2024, 1, 1))
    f.forloeb(virksomhed_=ung_kbh, slutdato=date(2025, 3, 1))
    f.forloeb(virksomhed_=ung_kbh, slutdato=date(2025, 4, 1))  # forløb, not companies: 2
    f.forloeb(virksomhed_=ung_kbh, type="vaekstplan", slutdato=date(2025, 4, 1))
    f.forloeb(virksomhed_=f.virksomhed(kommune="101"), slutdato=date(2025, 4, 1))  # old
    f.forloeb(virksomhed_=f.virksomhed(kommune="330", stiftelsesdato=date(2024, 1, 1)),
              slutdato=date(2025, 4, 1))  # young but in Sjælland
    r = resultat(kontrakt_2025, "M13.unge_i_hovedstaden")
    assert (r.faktisk, r.status) == (2.0, "uden_maaltal")
    assert indikator_poster(indikator(kontrakt_2025, "M13.unge_i_hovedstaden"), H1).count() == 2


def test_activities_with_a_partner_of_a_type(kontrakt_2025):
    ny_indikator(kontrakt_2025, "M13.med_klynge", "antal",
                 {"grundlag": "aktiviteter", "aktivitetstype": "event", "aktoertype": "klynge"})
    bloxhub, greve = Aktoer.objects.get(navn="BLOXHUB"), Aktoer.objects.get(
        navn="Lokal erhvervsservice Greve")
    services.aktivitet_create(erhvervshus=sjaelland_hus(),
                              type="event", dato=date(2025, 3, 1), titel="E1",
                              partnere=[bloxhub, greve])
    services.aktivitet_create(erhvervshus=sjaelland_hus(),
                              type="event", dato=date(2025, 3, 1), titel="E2", partnere=[greve])
    services.aktivitet_create(erhvervshus=sjaelland_hus(),
                              type="klyngearrangement", dato=date(2025, 3, 1), titel="K1",
                              partnere=[bloxhub])
    # E1 only: an event with a cluster among its partners, counted once
    assert resultat(kontrakt_2025, "M13.med_klynge").faktisk == 1.0


def test_a_filter_that_does_not_fit_the_grundlag_is_refused(kontrakt_2025):
    ny_indikator(kontrakt_2025, "M13.forkert", "antal", {"grundlag": "ai_tjek", "program":
                                                         "smv_vaekstpilot"})
    with pytest.raises(ValueError, match="'program' kan ikke bruges med grundlaget 'ai_tjek'"):
        indikator_resultater(kontrakt_2025, H1, idag=IDAG)


def test_drill_down_refuses_a_part_the_indicator_does_not_have(kontrakt_2025):
    with pytest.raises(ValueError, match="har ingen nævner"):
        indikator_poster(indikator(kontrakt_2025, "M7.korte"), H1, "naevner")
    with pytest.raises(ValueError, match="Ukendt del"):
        indikator_poster(indikator(kontrakt_2025, "M7.korte"), H1, "alt")
