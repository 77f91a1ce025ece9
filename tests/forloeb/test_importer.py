"""The workbook import on good input: export then import changes nothing, the same file twice
changes nothing, a changed row updates its record with history by the importing user, and every
sheet's rows become the records they describe."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook

from forloeb import services
from forloeb.arbejdsbog import skriv_arbejdsbog, skriv_skabelon
from forloeb.importer import importer
from forloeb.models import (
    AITjek,
    Aktivitet,
    Aktoer,
    Forloeb,
    Henvisning,
    Programdeltagelse,
    Samarbejdsaftale,
    Virksomhed,
)
from tests import factories
from tests.factories import erhvervshus as sjaelland_hus

FORLOEB_OVERSKRIFT = ["ekstern_id", "cvr", "type", "startdato", "slutdato", "raadgiver", "emner",
                      "fyrtaarn"]
VIRKSOMHED_OVERSKRIFT = ["cvr", "navn", "kommunekode", "stiftelsesdato"]


def alle_ark() -> dict:
    """Every record of every kind, in the workbook's sheets."""
    from maal.models import Maaling

    return {
        "Virksomheder": Virksomhed.objects.all(), "Forloeb": Forloeb.objects.all(),
        "Aktoerer": Aktoer.objects.all(), "Henvisninger": Henvisning.objects.all(),
        "AI-tjek": AITjek.objects.all(), "Aktiviteter": Aktivitet.objects.all(),
        "Programmer": Programdeltagelse.objects.all(),
        "Samarbejdsaftaler": Samarbejdsaftale.objects.all(), "Maalinger": Maaling.objects.all(),
    }


def bog(**ark: list[list]) -> bytes:
    """A workbook from rows (header first); sheet names with spaces are given as AI_tjek."""
    wb = Workbook()
    wb.remove(wb.active)
    for navn, raekker in ark.items():
        ws = wb.create_sheet(navn.replace("_", "-"))
        for raekke in raekker:
            ws.append(raekke)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def antal() -> dict:
    """How many records of each kind, and history entries of the main ones: 'nothing written'
    means this does not move."""
    from maal.models import Maaling

    modeller = [Virksomhed, Forloeb, Aktoer, Henvisning, AITjek, Aktivitet, Programdeltagelse,
                Samarbejdsaftale, Maaling]
    return {
        **{m.__name__: m.objects.count() for m in modeller},
        **{f"historik_{m.__name__}": m.history.count() for m in modeller},
    }


def taelling(svar) -> dict:
    return {o.ark: (o.nye, o.aendrede, o.uaendrede) for o in svar.ark}


@pytest.fixture
def registreringer(kontrakt_2025):
    """One record of every kind, including names Excel would take for formulas."""
    from maal.services import maaling_create

    hyperlink = factories.virksomhed(cvr="10000017", navn='=HYPERLINK("http://x.example","Klik")',
                                     kommune="330", stiftelsesdato=date(2023, 4, 1))
    konsulent = factories.virksomhed(cvr="10000025", navn="+45 Consult", kommune="101")
    factories.forloeb(virksomhed_=hyperlink, ekstern_id="F-1", type="handlingsplan",
                      startdato=date(2025, 1, 10), slutdato=date(2025, 3, 1), raadgiver="Bo",
                      emner=["ai", "eksport"], fyrtaarn="femern",
                      henvist_til=["Innovationsfonden", "Eksportrådet"])
    factories.forloeb(virksomhed_=konsulent, ekstern_id="F-2", startdato=date(2025, 2, 1))
    services.ai_tjek_create(erhvervshus=sjaelland_hus(),
                            virksomhed=konsulent, dato=date(2025, 4, 1), ekstern_id="AI-1",
                            henvist_af_lokal_erhvervsservice=True)
    services.aktivitet_create(erhvervshus=sjaelland_hus(),
        type="faelles_aktivitet", dato=date(2025, 5, 1), titel="Fælles morgenmøde",
        partnere=[Aktoer.objects.get(navn="Lokal erhvervsservice Slagelse")],
        kommuner=["330", "340"], ekstern_id="A-1",
    )
    services.programdeltagelse_create(erhvervshus=sjaelland_hus(),
                                      virksomhed=hyperlink, program="smv_vaekstpilot",
                                      status="bevilget", dato=date(2025, 3, 15))
    services.samarbejdsaftale_create(erhvervshus=sjaelland_hus(),
                                     aktoer=Aktoer.objects.get(navn="BLOXHUB"),
                                     dato=date(2025, 2, 20), beskrivelse="Byggeri og by")
    maaling_create(erhvervshus=kontrakt_2025.erhvervshus, noegle="M3.nps", aar=2025,
                   vaerdi=Decimal("71.40"), dato=date(2025, 6, 1), kilde="ERST")
    return kontrakt_2025


@pytest.mark.django_db
def test_export_then_import_changes_nothing(registreringer, administrator):
    foer = antal()
    svar = importer(skriv_arbejdsbog(alle_ark()), "eksport.xlsx", bruger=administrator)
    assert svar.ok, svar.tekst()
    assert not svar.advarsler
    assert taelling(svar) == {
        "Virksomheder": (0, 0, 2), "Forloeb": (0, 0, 2), "Aktoerer": (0, 0, Aktoer.objects.count()),
        "Henvisninger": (0, 0, 2), "AI-tjek": (0, 0, 1), "Aktiviteter": (0, 0, 1),
        "Programmer": (0, 0, 1), "Samarbejdsaftaler": (0, 0, 1), "Maalinger": (0, 0, 1),
    }
    assert antal() == foer


def oejebliksbillede() -> dict:
    """The registrations' values, without keys or timestamps."""
    from maal.models import Maaling

    return {
        "virksomheder": sorted(Virksomhed.objects.values_list("cvr", "navn", "kommune_id",
                                                              "stiftelsesdato")),
        "forloeb": sorted(Forloeb.objects.values_list(
            "ekstern_id", "virksomhed__cvr", "type", "startdato", "slutdato", "raadgiver",
            "fyrtaarn")),
        "emner": sorted(Forloeb.objects.values_list("ekstern_id", "emner__kode")),
        "henvisninger": sorted(Henvisning.objects.values_list("forloeb__ekstern_id",
                                                              "aktoer__navn", "dato")),
        "aktivitet": sorted(Aktivitet.objects.values_list("ekstern_id", "partnere__navn",
                                                          "kommuner__kode")),
        "maaling": list(Maaling.objects.values_list("noegle", "aar", "vaerdi", "kilde", "dato")),
    }


@pytest.mark.django_db
def test_export_imported_into_an_empty_database_recreates_the_records(registreringer,
                                                                       administrator):
    from maal.models import Maaling

    eksport = skriv_arbejdsbog(alle_ark())
    foer = oejebliksbillede()
    for model in (Henvisning, Forloeb, AITjek, Programdeltagelse, Aktivitet, Samarbejdsaftale,
                  Virksomhed, Maaling):
        model.objects.all().delete()

    svar = importer(eksport, "eksport.xlsx", bruger=administrator)

    assert svar.ok, svar.tekst()
    assert taelling(svar)["Forloeb"] == (2, 0, 0)
    assert taelling(svar)["Henvisninger"] == (2, 0, 0)
    efter = oejebliksbillede()
    assert efter == foer
    assert Virksomhed.objects.get(cvr="10000017").navn == '=HYPERLINK("http://x.example","Klik")'
    assert Virksomhed.objects.get(cvr="10000017").oprettet_af == administrator
    assert Maaling.objects.get().indtastet_af == administrator


@pytest.mark.django_db
def test_the_same_file_twice_changes_nothing_the_second_time(kontrakt_2025, administrator):
    fil = bog(
        Virksomheder=[VIRKSOMHED_OVERSKRIFT, ["10000017", "Nordisk Bageri ApS", "330",
                                              date(2010, 1, 1)]],
        Forloeb=[FORLOEB_OVERSKRIFT, ["ESCRM-1", "10000017", "kort", date(2025, 1, 5),
                                      date(2025, 1, 20), "Anne", "ai;eksport", ""]],
        Henvisninger=[["forloeb_ekstern_id", "aktoer", "aktoertype", "dato"],
                      ["ESCRM-1", "Revisor Hansen ApS", "privat", date(2025, 1, 10)]],
    )
    foerste = importer(fil, "crm.xlsx", bruger=administrator)
    assert taelling(foerste)["Forloeb"] == (1, 0, 0)
    efter_foerste = antal()

    anden = importer(fil, "crm.xlsx", bruger=administrator)

    assert anden.ok and not anden.noget_at_gemme
    assert taelling(anden)["Virksomheder"] == (0, 0, 1)
    assert taelling(anden)["Forloeb"] == (0, 0, 1)
    assert taelling(anden)["Henvisninger"] == (0, 0, 1)
    assert antal() == efter_foerste


@pytest.mark.django_db
def test_a_changed_row_updates_its_record_and_history_names_the_import_and_user(
    kontrakt_2025, administrator
):
    virksomhed = factories.virksomhed(cvr="10000017")
    forloeb = factories.forloeb(virksomhed_=virksomhed, ekstern_id="ESCRM-7", type="vaekstplan",
                                startdato=date(2025, 1, 5), emner=["ai"])
    fil = bog(Forloeb=[FORLOEB_OVERSKRIFT, ["ESCRM-7", "10000017", "vaekstplan",
                                            date(2025, 1, 5), date(2025, 6, 30), "",
                                            "ai;innovation", ""]])

    proeve = importer(fil, "H1.xlsx", bruger=administrator, dry_run=True)
    assert taelling(proeve)["Forloeb"] == (0, 1, 0)
    assert "slutdato (tom) → 2025-06-30" in proeve.opgoerelse("Forloeb").aendringer[0]
    forloeb.refresh_from_db()
    assert forloeb.slutdato is None  # a dry run writes nothing

    svar = importer(fil, "H1.xlsx", bruger=administrator)

    assert svar.gemt
    forloeb.refresh_from_db()
    assert forloeb.slutdato == date(2025, 6, 30)
    assert sorted(forloeb.emner.values_list("kode", flat=True)) == ["ai", "innovation"]
    seneste = forloeb.history.first()
    assert seneste.history_type == "~"
    assert seneste.history_user == administrator
    assert seneste.history_change_reason == "Import af H1.xlsx"
    assert sorted(e.emne_id for e in seneste.emner.all()) == ["ai", "innovation"]
    aendring = seneste.diff_against(seneste.prev_record)
    assert {c.field for c in aendring.changes} >= {"slutdato", "emner"}


@pytest.mark.django_db
def test_new_records_get_a_creation_entry_by_the_importer(kontrakt_2025, administrator):
    fil = bog(
        Virksomheder=[VIRKSOMHED_OVERSKRIFT, ["10000017", "Nordisk Bageri ApS", "330",
                                              date(2010, 1, 1)]],
        Forloeb=[FORLOEB_OVERSKRIFT, ["ESCRM-1", "10000017", "kort", date(2025, 1, 5), None,
                                      None, "ai", None]],
    )
    importer(fil, "crm.xlsx", bruger=administrator)
    forloeb = Forloeb.objects.get(ekstern_id="ESCRM-1")
    (oprettet,) = forloeb.history.all()
    assert (oprettet.history_type, oprettet.history_user, oprettet.history_change_reason) == (
        "+", administrator, "Import af crm.xlsx"
    )
    assert [e.emne_id for e in oprettet.emner.all()] == ["ai"]
    assert forloeb.oprettet_af == administrator


@pytest.mark.django_db
def test_headers_and_sheet_names_match_without_case_spaces_or_danish_spelling(kontrakt_2025):
    factories.virksomhed(cvr="10000017")
    fil = bog(**{"Forløb": [
        ["Ekstern ID", "CVR", "Type", "Start dato", "SLUTDATO", "Rådgiver", "Emner", "Fyrtårn"],
        ["ESCRM-1", "DK 1000 0017", "Kort", "05-01-2025", "2025-01-20", "Anne", "AI; Eksport",
         "Femern"],
    ]})
    svar = importer(fil, "crm.xlsx")
    assert svar.ok, svar.tekst()
    forloeb = Forloeb.objects.get(ekstern_id="ESCRM-1")
    assert (forloeb.type, forloeb.startdato, forloeb.slutdato, forloeb.fyrtaarn) == (
        "kort", date(2025, 1, 5), date(2025, 1, 20), "femern"
    )
    assert sorted(forloeb.emner.values_list("kode", flat=True)) == ["ai", "eksport"]


@pytest.mark.django_db
@pytest.mark.parametrize("skille, bom", [(";", True), (",", False), (";", False)])
def test_a_csv_file_is_one_sheet_named_by_its_file_name(kontrakt_2025, skille, bom):
    linjer = [skille.join(VIRKSOMHED_OVERSKRIFT),
              skille.join(["10000017", '"Sjællandsk Smedje, Sorø ApS"', "340", "01-02-2003"])]
    indhold = ("\ufeff" if bom else "") + "\r\n".join(linjer) + "\r\n"
    svar = importer(indhold.encode("utf-8"), "virksomheder.csv")
    assert svar.ok, svar.tekst()
    virksomhed = Virksomhed.objects.get(cvr="10000017")
    assert (virksomhed.navn, virksomhed.kommune_id, virksomhed.stiftelsesdato) == (
        "Sjællandsk Smedje, Sorø ApS", "340", date(2003, 2, 1)
    )


@pytest.mark.django_db
def test_a_csv_file_may_name_its_sheet_by_option(kontrakt_2025):
    indhold = "cvr;navn;kommunekode;stiftelsesdato\n10000017;Bo ApS;330;2001-01-01\n"
    svar = importer(indhold.encode(), "udtraek-2025.csv", ark="Virksomheder")
    assert svar.ok and Virksomhed.objects.filter(cvr="10000017").exists()


@pytest.mark.django_db
def test_an_unknown_aktoer_in_henvisninger_is_created_with_the_rows_type(kontrakt_2025):
    forloeb = factories.forloeb(ekstern_id="F-1")
    fil = bog(Henvisninger=[
        ["forloeb_ekstern_id", "aktoer", "aktoertype", "dato"],
        ["F-1", "Revisor Hansen ApS", "privat", date(2025, 2, 3)],
        ["F-1", "innovationsfonden", "", date(2025, 2, 4)],
    ])
    svar = importer(fil, "henvisninger.xlsx")
    assert svar.ok, svar.tekst()
    assert taelling(svar)["Aktoerer"] == (1, 0, 0)
    assert "Revisor Hansen ApS" in svar.opgoerelse("Aktoerer").bemaerkninger[0]
    assert Aktoer.objects.get(navn="Revisor Hansen ApS").type == "privat"
    assert sorted(forloeb.henvisninger.values_list("aktoer__navn", flat=True)) == [
        "Innovationsfonden", "Revisor Hansen ApS"
    ]


@pytest.mark.django_db
def test_aktoerer_defined_in_the_file_can_be_named_by_the_other_sheets(kontrakt_2025):
    fil = bog(
        Aktoerer=[["navn", "type", "kommunekoder"],
                  ["Sjællands Erhvervsservice", "lokal", "330;340"],
                  ["Ny Klynge", "klynge", ""]],
        Aktiviteter=[["ekstern_id", "type", "dato", "titel", "partnere", "kommunekoder",
                      "fyrtaarn"],
                     ["A-9", "faelles_aktivitet", date(2025, 3, 3), "Møde",
                      "Sjællands Erhvervsservice;BLOXHUB", "330", ""]],
        Samarbejdsaftaler=[["aktoer", "dato", "beskrivelse"], ["Ny Klynge", date(2025, 3, 4), ""]],
    )
    svar = importer(fil, "aktoerer.xlsx")
    assert svar.ok, svar.tekst()
    lokal = Aktoer.objects.get(navn="Sjællands Erhvervsservice")
    assert sorted(lokal.kommuner.values_list("kode", flat=True)) == ["330", "340"]
    aktivitet = Aktivitet.objects.get(ekstern_id="A-9")
    assert sorted(aktivitet.partnere.values_list("navn", flat=True)) == [
        "BLOXHUB", "Sjællands Erhvervsservice"
    ]
    assert Samarbejdsaftale.objects.get().aktoer.navn == "Ny Klynge"


@pytest.mark.django_db
def test_programmer_and_maalinger_are_matched_on_their_natural_keys(registreringer):
    from maal.models import Maaling

    fil = bog(
        Programmer=[["cvr", "program", "status", "dato"],
                    ["10000017", "smv_vaekstpilot", "afslag", date(2025, 3, 15)],
                    ["10000017", "attraktive_arbejdspladser", "ansoegt", date(2025, 3, 15)]],
        Maalinger=[["noegle", "aar", "vaerdi", "kilde", "dato", "kommentar"],
                   ["M3.nps", 2025, "72,5", "ERST", date(2025, 6, 1), "Endelig"],
                   ["M14.omsaetning", 2025, 12500000, "Økonomisystemet", date(2025, 6, 30), ""]],
    )
    svar = importer(fil, "h1.xlsx")
    assert svar.ok, svar.tekst()
    assert taelling(svar)["Programmer"] == (1, 1, 0)
    assert taelling(svar)["Maalinger"] == (1, 1, 0)
    assert Programdeltagelse.objects.get(program="smv_vaekstpilot").status == "afslag"
    nps = Maaling.objects.get(noegle="M3.nps")
    assert (nps.vaerdi, nps.kommentar) == (Decimal("72.5"), "Endelig")
    assert Maaling.objects.get(noegle="M14.omsaetning").vaerdi == Decimal("12500000")


@pytest.mark.django_db
def test_the_empty_template_imports_unchanged_without_errors(kontrakt_2025):
    foer = antal()
    svar = importer(skriv_skabelon(), "registreringer-skabelon.xlsx")
    assert svar.ok and not svar.advarsler, svar.tekst()
    assert [o.ark for o in svar.ark] == list(alle_ark())
    assert all(o.raekker == 0 for o in svar.ark)
    assert svar.oversprungne_ark == ["Vejledning"]
    assert antal() == foer


@pytest.mark.django_db
def test_a_filled_in_template_imports_below_its_guidance_row(kontrakt_2025):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(skriv_skabelon()))
    wb["Virksomheder"].append(["10000017", "Skabelon ApS", "330", date(2000, 1, 1)])
    buffer = io.BytesIO()
    wb.save(buffer)
    svar = importer(buffer.getvalue(), "udfyldt.xlsx")
    assert svar.ok, svar.tekst()
    assert taelling(svar)["Virksomheder"] == (1, 0, 0)


@pytest.mark.django_db
def test_a_long_file_name_fits_the_historys_reason(kontrakt_2025, administrator):
    fil = bog(Virksomheder=[VIRKSOMHED_OVERSKRIFT, ["10000017", "Bo ApS", "330",
                                                    date(2001, 1, 1)]])
    svar = importer(fil, "eksport-" + "x" * 120 + ".xlsx", bruger=administrator)
    assert svar.gemt
    aarsag = Virksomhed.objects.get().history.get().history_change_reason
    assert aarsag.startswith("Import af eksport-xxx") and len(aarsag) == 100
