"""The finished-year rules of KONTRAKT-2025.md as pure functions (no database): a finished year
takes the latest måling of its year whatever its date, and a milepæl in a finished year is
``afventer`` until the administrator's final assessment."""

from datetime import date

from rapporter.beregning import (
    IndikatorDef,
    MaaltVaerdi,
    MilepaelTal,
    Periode,
    gaeldende_milepael,
    indtastet_til,
    resultat_maaling,
    resultat_milepael,
    seneste_maaling,
    status_optaelling,
)

H1 = Periode.h1(2025)
HELAAR = Periode.helaar(2025)
PR_31_DEC = Periode.pr_dato(date(2025, 12, 31))
I_AARET = date(2025, 12, 31)  # the last day of the year: not finished yet
EFTER = date(2026, 3, 1)

NPS = IndikatorDef(noegle="M3.nps", maal_nr=3, titel="NPS", art="maaling", enhed="point",
                   maalvaerdi=70.0, id=3)
FEMERN = IndikatorDef(noegle="M15.femern", maal_nr=15, titel="Femern", art="milepael",
                      enhed="status", id=15)
MAALINGER = [
    MaaltVaerdi("M3.nps", 66, date(2025, 5, 15), id=1),
    MaaltVaerdi("M3.nps", 74, date(2026, 2, 10), id=2),  # the final figure for 2025
]


def test_the_bound_is_the_period_end_except_for_a_finished_year():
    assert indtastet_til(H1, EFTER) == date(2025, 6, 30)
    assert indtastet_til(PR_31_DEC, EFTER) == date(2025, 12, 31)
    assert indtastet_til(HELAAR, I_AARET) == date(2025, 12, 31)
    assert indtastet_til(HELAAR, date(2026, 1, 1)) is None


def test_a_maaling_dated_after_the_year_counts_only_for_the_finished_year():
    def faktisk(periode, idag):
        valgt = seneste_maaling(MAALINGER, "M3.nps", indtastet_til(periode, idag))
        return resultat_maaling(NPS, valgt, periode, idag)

    assert (faktisk(HELAAR, EFTER).faktisk, faktisk(HELAAR, EFTER).status) == (74.0, "opfyldt")
    assert faktisk(H1, EFTER).faktisk == 66.0
    assert faktisk(PR_31_DEC, EFTER).faktisk == 66.0
    # helår seen on 31 December is still during the year
    assert faktisk(HELAAR, I_AARET).faktisk == 66.0
    # no bound: the latest of the year wins, ties by the later entry
    samme_dag = [*MAALINGER, MaaltVaerdi("M3.nps", 75, date(2026, 2, 10), id=3)]
    assert seneste_maaling(samme_dag, "M3.nps", None).vaerdi == 75


I_GANG = MilepaelTal("i_gang", date(2025, 4, 1), "Partner", id=1)
OPFYLDT_UNDERVEJS = MilepaelTal("opfyldt", date(2025, 11, 1), "Lanceret", id=2)
ENDELIG_IKKE = MilepaelTal("ikke_opfyldt", date(2026, 1, 20), "Nåede ikke", id=3, endelig=True)
ENDELIG_OPFYLDT = MilepaelTal("opfyldt", date(2026, 2, 5), "Revurderet", id=4, endelig=True)


def status(statusser, periode, idag):
    return resultat_milepael(FEMERN, statusser, periode, idag).status


def test_a_milepael_in_a_finished_year_waits_for_the_final_assessment():
    assert status([I_GANG], HELAAR, EFTER) == "afventer"
    # not even an "opfyldt" from during the year is carried over
    assert status([I_GANG, OPFYLDT_UNDERVEJS], HELAAR, EFTER) == "afventer"
    assert status([], HELAAR, EFTER) == "afventer"


def test_the_latest_final_assessment_counts_for_the_finished_year_whatever_its_date():
    assert status([I_GANG, ENDELIG_IKKE], HELAAR, EFTER) == "ikke_opfyldt"
    assert status([I_GANG, ENDELIG_IKKE, ENDELIG_OPFYLDT], HELAAR, EFTER) == "opfyldt"
    r = resultat_milepael(FEMERN, [I_GANG, ENDELIG_IKKE], HELAAR, EFTER)
    assert r.detaljer == {"dato": date(2026, 1, 20), "fortaelling": "Nåede ikke",
                          "endelig": True, "id": 3}
    # seen before that assessment was given, the finished year still waits
    assert gaeldende_milepael([I_GANG, ENDELIG_OPFYLDT], HELAAR, EFTER) == ENDELIG_OPFYLDT


def test_during_the_year_no_final_assessment_is_needed():
    alle = [I_GANG, OPFYLDT_UNDERVEJS, ENDELIG_IKKE]
    assert status(alle, H1, EFTER) == "i_gang"
    assert status(alle, PR_31_DEC, EFTER) == "opfyldt"
    assert status(alle, HELAAR, I_AARET) == "opfyldt"
    assert status([], H1, EFTER) == "ikke_startet"


def test_the_tally_counts_waiting_and_failed_milestones():
    resultater = [
        resultat_milepael(FEMERN, s, HELAAR, EFTER)
        for s in ([], [I_GANG], [ENDELIG_IKKE], [ENDELIG_OPFYLDT])
    ]
    assert status_optaelling(resultater, afsluttet=True)[1] == [
        ("opfyldt", 1), ("ikke_opfyldt", 1), ("afventer", 2),
    ]
