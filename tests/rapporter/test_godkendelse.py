"""Explanations and approval (rapporter.godkendelse): approval is refused naming each indicator
that lacks an explanation or a final assessment; the approved figures stay as approved after
later deletes, edits and imports; approving again makes version 2 and version 1 stays readable;
the approved report is rebuilt from its snapshot without a query; approved periods lock."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from forloeb import laas, services
from forloeb.models import Forloeb
from maal.models import Indikator
from maal.services import milepael_status_create
from rapporter.beregning import Periode
from rapporter.godkendelse import (
    flyttede_tal,
    forklaring_gem,
    forklaringer,
    godkend,
    godkendelser,
    godkendt_rapport,
    laaste_perioder,
    mangler,
    rapport_til_visning,
    seneste_godkendelse,
)
from rapporter.models import Forklaring, Godkendelse
from rapporter.resultater import indikator_resultater, rapport_for
from tests import factories as f

KBH = ZoneInfo("Europe/Copenhagen")
GODKENDT = datetime(2025, 8, 14, 10, 0, tzinfo=KBH)
IDAG = date(2025, 8, 14)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frossen_tid():
    with time_machine.travel(GODKENDT, tick=False):
        yield


@pytest.fixture
def anne(administrator):
    administrator.first_name, administrator.last_name = "Anne", "Hansen"
    administrator.save()
    return administrator


def forklar_alle(kontrakt, bruger, periode="H1"):
    for maal in kontrakt.maal.all():
        forklaring_gem(maal=maal, periode=periode, tekst=f"Mål {maal.nummer}: vi arbejder på det.",
                       bruger=bruger)


def korte(rapport):
    return next(r for r in rapport.resultater if r.noegle == "M7.korte")


# --- Explanations ---------------------------------------------------------------------------


def test_an_explanation_is_saved_changed_and_removed_with_its_history(kontrakt_2025, anne):
    maal7 = kontrakt_2025.maal.get(nummer=7)
    korte_ = Indikator.objects.get(noegle="M7.korte", maal=maal7)
    forklaring_gem(maal=maal7, periode="H1", tekst="Færre henvendelser i foråret.", bruger=anne)
    forklaring_gem(maal=maal7, indikator=korte_, periode="H1", tekst="Kampagne i august.",
                   bruger=anne)
    forklaring_gem(maal=maal7, periode="H1", tekst="Færre henvendelser end ventet.", bruger=anne)

    tekster = {k: v.tekst for k, v in forklaringer(kontrakt_2025, "H1").items()}
    assert tekster == {(7, None): "Færre henvendelser end ventet.",
                       (7, "M7.korte"): "Kampagne i august."}
    assert forklaringer(kontrakt_2025, "helaar") == {}

    assert forklaring_gem(maal=maal7, periode="H1", tekst="   ", bruger=anne) is None
    assert set(forklaringer(kontrakt_2025, "H1")) == {(7, "M7.korte")}
    historik = Forklaring.history.filter(maal=maal7, indikator=None).order_by("history_date")
    assert [(h.history_type, h.tekst, h.history_user) for h in historik] == [
        ("+", "Færre henvendelser i foråret.", anne),
        ("~", "Færre henvendelser end ventet.", anne),
        ("-", "Færre henvendelser end ventet.", anne),
    ]


def test_explanations_are_for_h1_and_helaar_and_the_goals_own_indicators(kontrakt_2025, anne):
    maal7 = kontrakt_2025.maal.get(nummer=7)
    with pytest.raises(ValidationError, match="H1 .* eller helaar"):
        forklaring_gem(maal=maal7, periode="2025-05-31", tekst="x", bruger=anne)
    fremmed = Indikator.objects.get(noegle="M9.ai_tjek")
    with pytest.raises(ValidationError, match="M9.ai_tjek hører ikke til mål 7"):
        forklaring_gem(maal=maal7, indikator=fremmed, periode="H1", tekst="x", bruger=anne)
    assert not Forklaring.objects.exists()


def test_only_an_administrator_writes_explanations(kontrakt_2025, registrant):
    with pytest.raises(PermissionDenied, match="Kun en administrator kan skrive forklaringer"):
        forklaring_gem(maal=kontrakt_2025.maal.get(nummer=7), periode="H1", tekst="x",
                       bruger=registrant)
    assert not Forklaring.objects.exists()


def test_forklaringer_is_one_query(kontrakt_2025, anne, django_assert_num_queries):
    forklar_alle(kontrakt_2025, anne)
    with django_assert_num_queries(1):
        assert len(forklaringer(kontrakt_2025, "H1")) == 15


# --- Refused ----------------------------------------------------------------------------------


def test_approval_is_refused_naming_each_indicator_without_an_explanation(kontrakt_2025, anne):
    maal7 = kontrakt_2025.maal.get(nummer=7)
    forklaring_gem(maal=maal7, periode="H1", tekst="Hele mål 7 er bagud.", bruger=anne)
    forklaring_gem(maal=kontrakt_2025.maal.get(nummer=9),
                   indikator=Indikator.objects.get(noegle="M9.ai_tjek"), periode="H1",
                   tekst="AI-tjek starter i efteråret.", bruger=anne)

    with pytest.raises(ValidationError) as fejl:
        godkend(kontrakt=kontrakt_2025, periode="H1", bruger=anne, idag=IDAG)

    assert fejl.value.messages == [
        "M1.ivaerksaettere (Bagud) mangler en forklaring",
        "M10.lokale_operatoerer (Bagud) mangler en forklaring",
        "M11.attraktive_arbejdspladser (Bagud) mangler en forklaring",
        "M11.smv_vaekstpilot (Bagud) mangler en forklaring",
        "M12.hovedstaden (Bagud) mangler en forklaring",
        "M13.klyngesamarbejder (Bagud) mangler en forklaring",
    ]
    assert not Godkendelse.objects.exists()


@time_machine.travel(datetime(2026, 1, 20, 12, 0, tzinfo=KBH), tick=False)
def test_a_finished_year_needs_every_milestones_final_assessment(kontrakt_2025, anne):
    idag = date(2026, 1, 20)
    forklar_alle(kontrakt_2025, anne, "helaar")
    for noegle in ("M11.rekrutteringsydelse", "M13.samarbejde_ruc_kkr", "M14.geografisk_forankring",
                   "M15.femern"):
        milepael_status_create(indikator=Indikator.objects.get(noegle=noegle), status="opfyldt",
                               dato=date(2025, 12, 31), fortaelling="Nået.", endelig=True,
                               bruger=anne)
    periode = Periode.helaar(2025)
    resultater = indikator_resultater(kontrakt_2025, periode, idag=idag)
    assert [m.tekst for m in mangler(kontrakt_2025, periode, resultater, idag=idag)] == [
        "M15.biosolutions (Afventer) mangler den endelige vurdering",
    ]
    with pytest.raises(ValidationError, match="M15.biosolutions"):
        godkend(kontrakt=kontrakt_2025, periode="helaar", bruger=anne, idag=idag)

    milepael_status_create(indikator=Indikator.objects.get(noegle="M15.biosolutions"),
                           status="ikke_opfyldt", dato=date(2026, 1, 10), endelig=True,
                           fortaelling="Partnerskabet faldt fra.", bruger=anne)
    g = godkend(kontrakt=kontrakt_2025, periode="helaar", bruger=anne, idag=idag)
    bio = next(r for r in godkendt_rapport(g).resultater if r.noegle == "M15.biosolutions")
    assert (bio.status, bio.detaljer["fortaelling"]) == ("ikke_opfyldt", "Partnerskabet faldt fra.")
    assert bio.detaljer["dato"] == date(2026, 1, 10)


def test_during_the_year_a_milestone_needs_no_final_assessment(kontrakt_2025, anne):
    forklar_alle(kontrakt_2025, anne)
    assert godkend(kontrakt=kontrakt_2025, periode="H1", bruger=anne, idag=IDAG).version == 1


@pytest.mark.parametrize("hvem", ["registrant", "kkr_laeser"])
def test_only_an_administrator_approves(kontrakt_2025, anne, hvem, request):
    forklar_alle(kontrakt_2025, anne)
    with pytest.raises(PermissionDenied, match="Kun en administrator"):
        godkend(kontrakt=kontrakt_2025, periode="H1", bruger=request.getfixturevalue(hvem),
                idag=IDAG)
    assert not Godkendelse.objects.exists()


def test_a_status_date_is_never_approved(kontrakt_2025, anne):
    with pytest.raises(ValidationError, match="Ukendt periode '2025-06-30'"):
        godkend(kontrakt=kontrakt_2025, periode="2025-06-30", bruger=anne, idag=IDAG)


# --- Approved ---------------------------------------------------------------------------------


@pytest.fixture
def h1_registreringer(kontrakt_2025):
    """Three korte forløb gennemført in H1 2025, one in a landkommune."""
    return [
        f.forloeb(ekstern_id=f"K{n}", type="kort", virksomhed_=f.virksomhed(kommune=kommune),
                  startdato=date(2025, 2, 1), slutdato=date(2025, n + 2, 10))
        for n, kommune in ((1, "330"), (2, "360"), (3, "265"))
    ]


def test_the_approval_stores_the_whole_result_as_it_stood(kontrakt_2025, anne,
                                                           h1_registreringer):
    forklar_alle(kontrakt_2025, anne)
    korte_ = Indikator.objects.get(noegle="M7.korte")
    forklaring_gem(maal=korte_.maal, indikator=korte_, periode="H1", tekst="Tre af 436.",
                   bruger=anne)
    milepael_status_create(indikator=Indikator.objects.get(noegle="M15.femern"), status="i_gang",
                           dato=date(2025, 5, 1), fortaelling="Aftale med Femern A/S.",
                           bruger=anne)
    live = rapport_for(kontrakt_2025, Periode.h1(2025), idag=IDAG, beregnet=GODKENDT)

    g = godkend(kontrakt=kontrakt_2025, periode="H1", bruger=anne, kommentar=" Godkendt i KKR. ",
                idag=IDAG)

    assert (g.version, g.godkendt_af, g.kommentar, g.tidspunkt) == (1, anne, "Godkendt i KKR.",
                                                                   GODKENDT)
    assert g.maerke == "Godkendt 14. august 2025 af Anne Hansen, version 1"
    assert g.history.get().history_user == anne
    godkendt = godkendt_rapport(Godkendelse.objects.get(pk=g.pk))
    assert godkendt.resultater == live.resultater  # every figure and status
    # ... and what the kinds keep beside the figure: per kommune, dates of milestones
    for da, nu in zip(godkendt.resultater, live.resultater, strict=True):
        assert da.detaljer == nu.detaljer, da.noegle
    femern = next(r for r in godkendt.resultater if r.noegle == "M15.femern")
    assert femern.detaljer["fortaelling"] == "Aftale med Femern A/S."
    assert femern.detaljer["dato"] == date(2025, 5, 1)
    assert godkendt.forklaring(7, "M7.korte") == "Tre af 436."
    assert godkendt.forklaring(7, "M7.i_alt") == "Mål 7: vi arbejder på det."
    assert godkendt.godkendt and godkendt.godkendelse_tekst == g.maerke
    som_json = godkendt.som_json()
    assert som_json["godkendelse"] == {
        "version": 1, "godkendt_af": "Anne Hansen", "tidspunkt": "2025-08-14T10:00:00+02:00",
        "kommentar": "Godkendt i KKR.", "tekst": g.maerke,
    }
    assert som_json["indikatorer"] == live.som_json()["indikatorer"]


def test_the_approved_report_is_rebuilt_from_the_snapshot_alone(kontrakt_2025, anne,
                                                                 h1_registreringer,
                                                                 django_assert_num_queries):
    forklar_alle(kontrakt_2025, anne)
    godkend(kontrakt=kontrakt_2025, periode="H1", bruger=anne, idag=IDAG)
    with django_assert_num_queries(1):
        g = seneste_godkendelse(kontrakt_2025, "H1")
    with django_assert_num_queries(0):
        assert korte(godkendt_rapport(g)).taeller == 3
    with django_assert_num_queries(1):
        rapport_til_visning(kontrakt_2025, Periode.h1(2025), aktuel=False, idag=IDAG,
                            beregnet=GODKENDT)


def importer_forloeb(tmp_path, administrator, *raekker):
    """An import of Forloeb.csv rows through the importer command, as an administrator with a
    reason (an approved period asks for both)."""
    from forloeb.management.commands.importer import Command

    sti = tmp_path / "Forloeb.csv"
    sti.write_text("ekstern_id;cvr;type;startdato;slutdato;raadgiver;emner;fyrtaarn\n"
                   + "".join(r + "\n" for r in raekker), encoding="utf-8")
    args = [str(sti), "--bruger", administrator.username]
    if "--aarsag" in Command().create_parser("manage.py", "importer").format_help():
        args += ["--aarsag", "Efterregistrering"]
    call_command("importer", *args, stdout=StringIO())


def test_approved_figures_stay_after_later_deletes_edits_and_imports(kontrakt_2025, anne,
                                                                     h1_registreringer,
                                                                     tmp_path):
    forklar_alle(kontrakt_2025, anne)
    godkend(kontrakt=kontrakt_2025, periode="H1", bruger=anne, idag=IDAG)

    with time_machine.travel(datetime(2025, 9, 1, 9, 0, tzinfo=KBH), tick=False):
        k1, k2, k3 = h1_registreringer
        services.slet(k1, bruger=anne, aarsag="Dublet")
        services.opdater(k2, bruger=anne, aarsag="Forkert type", type="handlingsplan")
        importer_forloeb(tmp_path, anne, f"K9;{k3.virksomhed.cvr};kort;01-03-2025;20-03-2025;;;",
                         f"K10;{k3.virksomhed.cvr};kort;01-03-2025;21-03-2025;;;")
        assert Forloeb.objects.filter(type="kort").count() == 3  # K3, K9, K10

        nu = rapport_til_visning(kontrakt_2025, Periode.h1(2025), aktuel=True,
                                 idag=date(2025, 9, 1), beregnet=datetime.now(KBH))
        vist = rapport_til_visning(kontrakt_2025, Periode.h1(2025), aktuel=False,
                                   idag=date(2025, 9, 1), beregnet=datetime.now(KBH))
    assert korte(vist).taeller == 3 and vist.godkendt
    assert (korte(nu).taeller, nu.aktuel, nu.godkendelse["version"]) == (3, True, 1)
    handlingsplaner = next(r for r in nu.resultater if r.noegle == "M7.handlingsplaner")
    assert handlingsplaner.taeller == 1
    flyttet = {da.noegle: (da.faktisk, nu_.faktisk) for da, nu_ in flyttede_tal(vist, nu)}
    assert flyttet["M7.handlingsplaner"] == (0, 1)
    assert "M7.korte" not in flyttet  # one deleted, one moved away, two imported: still 3
    assert nu.godkendelse_tekst == ("Dagens tal – godkendt version 1 er fra 14. august 2025 af "
                                    "Anne Hansen")


def test_approving_again_makes_version_2_and_version_1_stays_readable(kontrakt_2025, anne,
                                                                      h1_registreringer):
    forklar_alle(kontrakt_2025, anne)
    v1 = godkend(kontrakt=kontrakt_2025, periode="H1", bruger=anne, idag=IDAG)
    f.forloeb(ekstern_id="K4", type="kort", startdato=date(2025, 3, 1),
              slutdato=date(2025, 6, 1))
    v2 = godkend(kontrakt=kontrakt_2025, periode="H1", bruger=anne, kommentar="Rettet",
                 idag=IDAG, tidspunkt=datetime(2025, 8, 20, 9, 0, tzinfo=KBH))

    assert v2.version == 2 and seneste_godkendelse(kontrakt_2025, "H1") == v2
    assert [g.version for g in godkendelser(kontrakt_2025, "H1")] == [2, 1]
    assert korte(godkendt_rapport(Godkendelse.objects.get(pk=v1.pk))).taeller == 3
    assert korte(godkendt_rapport(v2)).taeller == 4
    assert v2.maerke == "Godkendt 20. august 2025 af Anne Hansen, version 2"
    assert seneste_godkendelse(kontrakt_2025, "helaar") is None


def test_an_explanation_written_after_the_approval_is_not_in_the_approved_version(
        kontrakt_2025, anne):
    forklar_alle(kontrakt_2025, anne)
    godkend(kontrakt=kontrakt_2025, periode="H1", bruger=anne, idag=IDAG)
    forklaring_gem(maal=kontrakt_2025.maal.get(nummer=7), periode="H1", tekst="Ny tekst.",
                   bruger=anne)
    vist = rapport_til_visning(kontrakt_2025, Periode.h1(2025), aktuel=False, idag=IDAG,
                               beregnet=GODKENDT)
    nu = rapport_til_visning(kontrakt_2025, Periode.h1(2025), aktuel=True, idag=IDAG,
                             beregnet=GODKENDT)
    assert vist.forklaring(7) == "Mål 7: vi arbejder på det."
    assert nu.forklaring(7) == "Ny tekst."


def test_a_status_date_and_a_period_never_approved_are_shown_live(kontrakt_2025, anne):
    forklar_alle(kontrakt_2025, anne)
    godkend(kontrakt=kontrakt_2025, periode="H1", bruger=anne, idag=IDAG)
    dato = rapport_til_visning(kontrakt_2025, Periode.pr_dato(date(2025, 6, 30)), aktuel=False,
                               idag=IDAG, beregnet=GODKENDT)
    helaar = rapport_til_visning(kontrakt_2025, Periode.helaar(2025), aktuel=False, idag=IDAG,
                                 beregnet=GODKENDT)
    for rapport in (dato, helaar):
        assert (rapport.godkendelse, rapport.aktuel, rapport.godkendelse_tekst) == (
            None, True, "Ikke godkendt")
    assert dato.forklaringer == {} and helaar.forklaringer == {}


# --- Locks ------------------------------------------------------------------------------------


def test_approved_periods_are_locked_with_their_reason(kontrakt_2025, anne,
                                                      django_assert_num_queries):
    assert laaste_perioder() == []
    forklar_alle(kontrakt_2025, anne)
    godkend(kontrakt=kontrakt_2025, periode="H1", bruger=anne, idag=IDAG)
    godkend(kontrakt=kontrakt_2025, periode="H1", bruger=anne, idag=IDAG,
            tidspunkt=datetime(2025, 8, 20, 9, 0, tzinfo=KBH))

    with django_assert_num_queries(1):
        perioder = laaste_perioder()
    assert [(p.fra, p.til, p.grund) for p in perioder] == [(
        date(2025, 1, 1), date(2025, 6, 30),
        "1. halvår 2025 er godkendt 20. august 2025 af Anne Hansen (version 2)",
    )]
    # registered at start-up: forloeb.laas asks it
    assert laas.laast([date(2025, 3, 1)]).grund.startswith("1. halvår 2025 er godkendt")
    assert laas.laast([date(2025, 7, 1)]) is None


def test_a_result_survives_its_snapshot_as_json_dates_decimals_and_dataclasses_included():
    import json
    from decimal import Decimal

    from rapporter.beregning import MaaltVaerdi, Resultat

    r = Resultat(
        noegle="M14.gearing", maal_nr=14, titel="Gearing", art="forhold", enhed="faktor",
        retning="gte", maalvaerdi=2.5, faktisk=2.7, forventet=None, opfyldelse=1.08,
        status="paa_sporet", detaljer={
            "taeller": {"vaerdi": Decimal("41250000.00"), "dato": date(2025, 10, 15)},
            "maalt": MaaltVaerdi(noegle="M3.nps", vaerdi=72.0, dato=date(2025, 5, 15), id=3),
            "par": (1, "to"), "beregnet": datetime(2025, 8, 14, 10, 0, tzinfo=KBH),
            "liste": [date(2025, 1, 1), None],
        }, indikator_id=42,
    )
    tilbage = Resultat.fra_snapshot(json.loads(json.dumps(r.til_snapshot())))
    assert tilbage == r and tilbage.detaljer == r.detaljer
    assert tilbage.detaljer["taeller"]["vaerdi"] == Decimal("41250000.00")
    # a field added to Resultat later keeps its default in an older snapshot
    gammel = r.til_snapshot()
    del gammel["indikator_id"]
    assert Resultat.fra_snapshot(gammel | {"udgaaet": 1}).indikator_id is None
