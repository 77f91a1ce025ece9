"""The chart builders: plain figure dicts from results and selector rows (no database)."""

import json
from datetime import date, timedelta

from rapporter.beregning import Periode, Resultat
from rapporter.diagrammer import (
    by_land_figur,
    fremskrivning,
    henvisning_figur,
    samme_tid_sidste_aar,
    udvikling_figur,
)


def resultat(**felter) -> Resultat:
    standard = dict(
        noegle="M7.korte", maal_nr=7, titel="Korte", art="antal", enhed="antal", retning="gte",
        maalvaerdi=880.0, faktisk=90.0, forventet=217.0, opfyldelse=0.102, status="bagud",
        taeller=90,
    )
    return Resultat(**{**standard, **felter})


def raekker(fra: date, til: date, pr_dag: int = 1) -> list[dict]:
    dage = (til - fra).days + 1
    return [{"dato": fra + timedelta(days=n), "antal": pr_dag, "kumuleret": (n + 1) * pr_dag}
            for n in range(dage)]


def spor(figur: dict, navn: str) -> dict:
    return next(s for s in figur["data"] if s.get("name") == navn)


# --- Projection -------------------------------------------------------------------------------


def test_projection_carries_the_pace_so_far_to_year_end():
    pr_31_marts = Periode.pr_dato(date(2025, 3, 31))  # 90 days
    assert fremskrivning(resultat(faktisk=90.0), pr_31_marts, date(2025, 4, 2)) == 365
    assert fremskrivning(resultat(faktisk=100.0), pr_31_marts, date(2025, 4, 2)) == 406  # 405.6


def test_projection_counts_only_the_days_that_have_passed():
    # H1 seen on 31 May: 151 days, not 181
    assert fremskrivning(resultat(faktisk=151.0), Periode.h1(2025), date(2025, 5, 31)) == 365


def test_projection_in_a_leap_year():
    h1 = Periode.h1(2024)  # 182 days of 366
    assert fremskrivning(resultat(faktisk=91.0), h1, date(2024, 8, 1)) == 183


def test_no_projection_for_shares_a_finished_year_or_before_the_year():
    assert fremskrivning(resultat(art="andel"), Periode.h1(2025), date(2025, 7, 1)) is None
    assert fremskrivning(resultat(), Periode.helaar(2025), date(2026, 1, 2)) is None
    assert fremskrivning(resultat(), Periode.h1(2025), date(2024, 12, 1)) is None
    assert fremskrivning(resultat(faktisk=None), Periode.h1(2025), date(2025, 7, 1)) is None


def test_the_same_point_last_year():
    assert samme_tid_sidste_aar(Periode.h1(2025)) == Periode.h1(2024)
    assert samme_tid_sidste_aar(Periode.helaar(2025)) == Periode.helaar(2024)
    assert samme_tid_sidste_aar(Periode.pr_dato(date(2025, 9, 30))) == Periode.pr_dato(
        date(2024, 9, 30))
    assert samme_tid_sidste_aar(Periode.pr_dato(date(2024, 2, 29))) == Periode.pr_dato(
        date(2023, 2, 28))


# --- The cumulative chart -------------------------------------------------------------------


def test_cumulative_chart_against_the_pro_rata_line():
    periode = Periode.pr_dato(date(2025, 3, 31))
    figur = udvikling_figur(resultat(), raekker(date(2025, 1, 1), date(2025, 3, 31)), periode,
                            date(2025, 4, 2))
    faktisk = spor(figur, "Faktisk (kumuleret)")
    assert (faktisk["x"][0], faktisk["y"][0]) == ("2025-01-01", 0)
    assert (faktisk["x"][-1], faktisk["y"][-1]) == ("2025-03-31", 90)
    assert faktisk["line"]["shape"] == "hv"
    pro_rata = spor(figur, "Måltal fordelt jævnt over året")
    # from 0 at the end of 31 Dec 2024: on 31 March it reads 880 × 90 / 365 = 217.0, the
    # contract's pro rata with both ends counted
    assert pro_rata["x"] == ["2024-12-31", "2025-12-31"] and pro_rata["y"] == [0, 880]
    assert spor(figur, "Forventet (pro rata)")["y"] == [217]
    assert figur["layout"]["xaxis"]["range"] == ["2025-01-01", "2025-12-31"]
    assert figur["layout"]["shapes"][0]["x0"] == "2025-03-31"
    assert figur["layout"]["annotations"][0]["text"] == "31. mar."
    json.dumps(figur)  # only plain values: the template hands it to json_script


def test_the_expectation_is_drawn_at_the_periods_end_not_today():
    # H1 seen on 1 May: the expectation 436.4 belongs to 30 June
    figur = udvikling_figur(resultat(forventet=436.4), raekker(date(2025, 1, 1),
                            date(2025, 4, 30)), Periode.h1(2025), date(2025, 5, 1))
    forventet = spor(figur, "Forventet (pro rata)")
    assert (forventet["x"], forventet["y"]) == (["2025-06-30"], [436.4])


def test_no_projection_once_the_year_is_over():
    # H1 2025 seen in 2026: the year's end is known, there is nothing to project
    assert fremskrivning(resultat(faktisk=400.0), Periode.h1(2025), date(2026, 1, 5)) is None


def test_cumulative_chart_with_projection_and_last_year():
    periode = Periode.pr_dato(date(2025, 3, 31))
    sidste_aar = raekker(date(2024, 1, 1), date(2024, 3, 31), pr_dag=2)
    figur = udvikling_figur(resultat(), raekker(date(2025, 1, 1), date(2025, 3, 31)), periode,
                            date(2025, 4, 2), fremskrevet=365, sidste_aar=sidste_aar)
    fremskrevet = spor(figur, "Fremskrevet til årets udgang")
    assert fremskrevet["x"] == ["2025-03-31", "2025-12-31"] and fremskrevet["y"] == [90, 365]
    assert fremskrevet["line"]["dash"] == "dash"
    forrige = spor(figur, "2024 (samme dato)")
    assert forrige["x"][1] == "2025-01-01" and forrige["x"][-1] == "2025-03-31"
    assert "2025-02-29" not in forrige["x"] and "2025-03-01" in forrige["x"]  # 29/2 → 1/3
    assert forrige["y"][-1] == 182


def test_the_actual_line_reaches_today_without_records_on_the_last_days():
    periode = Periode.pr_dato(date(2025, 3, 31))
    figur = udvikling_figur(resultat(faktisk=3.0), raekker(date(2025, 1, 1), date(2025, 1, 3)),
                            periode, date(2025, 4, 2))
    faktisk = spor(figur, "Faktisk (kumuleret)")
    assert (faktisk["x"][-1], faktisk["y"][-1]) == ("2025-03-31", 3)


def test_a_count_without_target_has_no_pro_rata_line():
    figur = udvikling_figur(resultat(maalvaerdi=None, forventet=None), [], Periode.h1(2025),
                            date(2025, 7, 1))
    assert [s["name"] for s in figur["data"]] == ["Faktisk (kumuleret)"]


# --- By/land and referrals ----------------------------------------------------------------


def test_by_land_chart_holds_the_share_against_the_population_and_the_allowed_band():
    m8 = resultat(noegle="M8.by_land", art="fordeling", enhed="procentpoint", retning="lte",
                  maalvaerdi=10.0, faktisk=3.2, detaljer={
                      "kategori": "land", "andel_land": 38.1, "befolkningsandel_land": 41.3})
    figur = by_land_figur(m8)
    bjaelker = figur["data"][0]
    assert bjaelker["x"] == [38.1, 41.3]
    assert bjaelker["text"] == ["38,1 %", "41,3 %"]
    baand = figur["layout"]["shapes"][0]
    assert (baand["x0"], baand["x1"]) == (31.3, 51.3)
    assert figur["layout"]["title"]["text"] == "Landkommuner"


def test_referral_chart_puts_the_indicator_first_with_the_target_line():
    m10 = resultat(noegle="M10.henvist_handlingsplan", art="andel", enhed="procent",
                   maalvaerdi=70.0, faktisk=73.6)
    figur = henvisning_figur(m10, [
        {"aktoertype": "statslig", "navn": "Statslig erhvervsfremme", "andel": 49.1},
        {"aktoertype": "privat", "navn": "Privat rådgiver", "andel": 45.2},
    ], i_alt="I alt: statslig erhvervsfremme eller privat rådgiver")
    bjaelker = figur["data"][0]
    assert bjaelker["y"] == ["I alt: statslig erhvervsfremme eller privat rådgiver",
                             "Statslig erhvervsfremme", "Privat rådgiver"]
    assert bjaelker["x"] == [73.6, 49.1, 45.2]
    assert bjaelker["text"][0] == "73,6 %"
    assert figur["layout"]["shapes"][0]["x0"] == 70
    assert figur["layout"]["annotations"][0]["text"] == "Mål 70 %"
