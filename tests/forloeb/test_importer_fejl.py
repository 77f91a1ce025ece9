"""Bad input is answered, never crashed on: each case names sheet, row, column, value and what is
wrong in Danish, and nothing is written, not even the good rows beside it."""

import io
from datetime import date

import pytest
import time_machine
from django.test import override_settings

from forloeb.importer import importer
from forloeb.models import Aktoer, Forloeb, Henvisning, Virksomhed
from tests import factories
from tests.forloeb.test_importer import FORLOEB_OVERSKRIFT, VIRKSOMHED_OVERSKRIFT, antal, bog

GOD_VIRKSOMHED = ["10000017", "Nordisk Bageri ApS", "330", date(2010, 1, 1)]
GOD_FORLOEB = ["ESCRM-1", "10000017", "kort", date(2025, 1, 5), date(2025, 1, 20), "", "", ""]


def afvist(indhold: bytes, filnavn: str = "fil.xlsx", **kwargs):
    """Import ``indhold`` for real and check that it was refused with nothing written."""
    foer = antal()
    svar = importer(indhold, filnavn, **kwargs)
    assert not svar.ok and not svar.gemt
    assert antal() == foer
    return svar


def med_forloeb(*raekker, virksomheder=(GOD_VIRKSOMHED,)) -> bytes:
    return bog(Virksomheder=[VIRKSOMHED_OVERSKRIFT, *virksomheder],
               Forloeb=[FORLOEB_OVERSKRIFT, GOD_FORLOEB, *raekker])


@pytest.mark.django_db
@pytest.mark.parametrize("indhold, filnavn, besked", [
    (b"%PDF-1.7\n1 0 obj <<>> endobj", "rapport.xlsx", "Filen er en PDF"),
    (b"", "tom.xlsx", "Filen er tom."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "gammel.xls", "gamle Excel-format"),
    (b"PK\x03\x04 ikke en rigtig zip", "ødelagt.xlsx", "kan ikke åbnes som et Excel-regneark"),
    (b"Hej med dig", "noter.txt", "hverken et Excel-regneark (.xlsx) eller en CSV-fil"),
])
def test_a_file_that_is_not_a_workbook_is_answered(db, indhold, filnavn, besked):
    svar = afvist(indhold, filnavn)
    assert besked in str(svar.fejl[0])


@pytest.mark.django_db
def test_a_csv_with_the_wrong_separator_says_so(db):
    indhold = b"cvr\tnavn\tkommunekode\tstiftelsesdato\n10000017\tBo\t330\t2001-01-01\n"
    (fejl,) = afvist(indhold, "Virksomheder.csv").fejl
    assert "semikolon (;) eller komma (,)" in fejl.besked
    assert "tabulatortegn" in fejl.besked


@pytest.mark.django_db
def test_a_csv_in_the_wrong_encoding_says_so(db):
    indhold = "cvr;navn;kommunekode;stiftelsesdato\n10000017;Sjælland ApS;330;2001-01-01\n"
    (fejl,) = afvist(indhold.encode("cp1252"), "Virksomheder.csv").fejl
    assert "UTF-8" in fejl.besked and "CSV UTF-8" in fejl.besked


@pytest.mark.django_db
def test_a_csv_whose_name_is_no_sheet_says_how_to_name_it(db):
    (fejl,) = afvist(b"cvr;navn\n", "udtraek.csv").fejl
    assert "Forloeb.csv" in fejl.besked


@pytest.mark.django_db
def test_a_workbook_without_any_import_sheet_says_which_sheets_it_has(db):
    (fejl,) = afvist(bog(Ark1=[["a", "b"]])).fejl
    assert "ingen af importens ark" in fejl.besked and "Ark1" in fejl.besked


@pytest.mark.django_db
@override_settings(IMPORT_MAX_BYTES=1000)
def test_a_file_too_large_says_so_and_where_the_limit_is_set(db):
    (fejl,) = afvist(b"PK\x03\x04" + b"x" * 2000).fejl
    assert "importen tager højst" in fejl.besked
    assert "IMPORT_MAX_BYTES" in fejl.besked and "miljøvariablen" in fejl.besked


@pytest.mark.django_db
def test_a_misspelt_header_is_named_with_its_near_match_and_unknown_columns_are_warnings(db):
    overskrift = ["ekstern_id", "cvr", "type", "startdato", "slutdat0", "raadgiver", "emner",
                  "fyrtaarn", "Bemærkning"]
    svar = afvist(bog(Forloeb=[overskrift, GOD_FORLOEB + ["x"]]))
    (fejl,) = svar.fejl
    assert (fejl.ark, fejl.raekke, fejl.kolonne) == ("Forloeb", 1, "slutdato")
    assert fejl.besked == (
        "Kolonnen 'slutdato' mangler i overskriftsrækken. Overskriften 'slutdat0' ligner; er den "
        "stavet forkert?"
    )
    (advarsel,) = svar.advarsler
    assert advarsel.besked == "Kolonnen 'Bemærkning' kendes ikke og springes over."


@pytest.mark.django_db
def test_unknown_columns_alone_do_not_stop_the_import(db):
    svar = importer(bog(Virksomheder=[VIRKSOMHED_OVERSKRIFT + ["note"], GOD_VIRKSOMHED + ["x"]]),
                    "fil.xlsx")
    assert svar.gemt and Virksomhed.objects.count() == 1
    assert "'note' kendes ikke" in str(svar.advarsler[0])


@pytest.mark.django_db
@pytest.mark.parametrize("ark, raekke, kolonne, vaerdi, besked", [
    ("Virksomheder", ["10000025", "X ApS", "999", date(2000, 1, 1)], "kommunekode", "999",
     "Ukendt kommunekode: 999."),
    ("Forloeb", ["E-2", "10000017", "vaekst", date(2025, 1, 5), None, "", "", ""], "type",
     "vaekst", "'vaekst' er ikke en kendt værdi for type. Brug en af: kort, handlingsplan, "
     "vaekstplan, omstillingsplan. Mente du 'vaekstplan'?"),
    ("Forloeb", ["E-2", "10000017", "kort", date(2025, 1, 5), None, "", "ai;robotter", ""],
     "emner", "ai;robotter", "'robotter' er ikke en kendt værdi for emner."),
    ("Forloeb", ["E-2", "10000017", "kort", date(2025, 1, 5), None, "", "", "Øresund"],
     "fyrtaarn", "Øresund", "'Øresund' er ikke en kendt værdi for fyrtaarn. Brug en af: femern, "
     "biosolutions."),
    ("Aktoerer", ["Ny aktør", "kommunal", ""], "type", "kommunal",
     "'kommunal' er ikke en kendt værdi for type."),
    ("Programmer", ["10000017", "vaekstpiloten", "bevilget", date(2025, 1, 5)], "program",
     "vaekstpiloten", "'vaekstpiloten' er ikke en kendt værdi for program."),
    ("Programmer", ["10000017", "smv_vaekstpilot", "godkendt", date(2025, 1, 5)], "status",
     "godkendt", "'godkendt' er ikke en kendt værdi for status. Brug en af: ansoegt, bevilget, "
     "afslag."),
    ("Henvisninger", ["ESCRM-1", "Ukendt Rådgiver", "konsulent", date(2025, 1, 6)],
     "aktoertype", "konsulent", "'konsulent' er ikke en kendt værdi for aktoertype. Brug en af: "
     "statslig, privat, lokal, anden."),
    ("Virksomheder", ["10000018", "X ApS", "330", date(2000, 1, 1)], "cvr", "10000018",
     "10000018 er ikke et gyldigt CVR-nummer (kontrolcifferet passer ikke)."),
    ("Virksomheder", ["1234", "X ApS", "330", date(2000, 1, 1)], "cvr", "1234",
     "Et CVR-nummer har 8 cifre."),
    ("Forloeb", ["E-2", "10000017", "kort", "i går", None, "", "", ""], "startdato", "i går",
     "Det er ikke en dato. Brug en Excel-dato eller skriv datoen som ÅÅÅÅ-MM-DD eller "
     "DD-MM-ÅÅÅÅ."),
    ("Forloeb", ["E-2", "10000017", "kort", "2025-02-30", None, "", "", ""], "startdato",
     "2025-02-30", "Det er ikke en dato."),
    ("Forloeb", ["E-2", "10000017", "kort", date(2025, 3, 5), date(2025, 3, 1), "", "", ""],
     "slutdato", "01-03-2025", "Slutdatoen kan ikke ligge før startdatoen."),
    ("Forloeb", ["ESCRM-1", "10000017", "kort", date(2025, 1, 5), None, "", "", ""],
     "ekstern_id", "ESCRM-1", "Rækken er en dublet: samme nøgle står allerede i række 2."),
    ("Forloeb", ["E-2", "10000025", "kort", date(2025, 1, 5), None, "", "", ""], "cvr",
     "10000025", "Virksomheden med CVR 10000025 står hverken i arket Virksomheder eller i appen."),
    ("Forloeb", ["E-2", "", "kort", date(2025, 1, 5), None, "", "", ""], "cvr", None,
     "Feltet skal udfyldes."),
    ("Henvisninger", ["ESCRM-404", "Innovationsfonden", "statslig", date(2025, 1, 6)],
     "forloeb_ekstern_id", "ESCRM-404",
     "Forløbet 'ESCRM-404' står hverken i arket Forloeb eller i appen."),
    ("Henvisninger", ["ESCRM-1", "Ukendt Rådgiver", "", date(2025, 1, 6)], "aktoertype", None,
     "Aktøren 'Ukendt Rådgiver' er ukendt og oprettes med rækkens aktoertype, som skal være en "
     "af: statslig, privat, lokal, anden."),
    ("Aktiviteter", ["A-1", "event", date(2025, 1, 6), "Møde", "BLOXHUBB", "", ""], "partnere",
     "BLOXHUBB", "Aktøren 'BLOXHUBB' findes ikke i appen og står ikke i arket Aktoerer. Mente du "
     "'BLOXHUB'?"),
    ("Samarbejdsaftaler", ["Innovationsfonden", date(2025, 1, 6), ""], "aktoer",
     "Innovationsfonden", "En samarbejdsaftale indgås med en erhvervsklynge (aktørtype klynge)."),
    ("AI-tjek", ["AI-1", "10000017", date(2025, 1, 6), "måske"], "henvist_af_lokal_erhvervsservice",
     "måske", "Skriv ja eller nej."),
    ("Maalinger", ["M3.nps", 2025, "meget", "ERST", date(2025, 6, 1), ""], "vaerdi", "meget",
     "Det er ikke et tal"),
    ("Maalinger", ["M99.gaet", 2025, 1, "ERST", date(2025, 6, 1), ""], "noegle", "M99.gaet",
     "'M99.gaet' er ikke en målt størrelse i kontrakten for 2025"),
    ("Virksomheder", ["10000025", "X ApS", "330", date(2999, 1, 1)], "stiftelsesdato",
     "01-01-2999", "Stiftelsesdatoen kan ikke ligge i fremtiden."),
])
def test_each_bad_value_is_named_with_sheet_row_column_and_value(kontrakt_2025, ark, raekke,
                                                                 kolonne, vaerdi, besked):
    from forloeb.arbejdsbog import ARK

    ark_raekker = {"Virksomheder": [VIRKSOMHED_OVERSKRIFT, GOD_VIRKSOMHED],
                   "Forloeb": [FORLOEB_OVERSKRIFT, GOD_FORLOEB]}
    ark_raekker.setdefault(ark, [ARK[ark].overskrifter]).append(raekke)
    svar = afvist(bog(**{navn.replace("-", "_"): r for navn, r in ark_raekker.items()}))
    (fejl,) = svar.fejl
    raekke_nr = len(ark_raekker[ark])
    assert (fejl.ark, fejl.raekke, fejl.kolonne) == (ark, raekke_nr, kolonne)
    assert fejl.vist_vaerdi == (vaerdi or "")
    assert besked in fejl.besked
    assert str(fejl).startswith(f"{ark}, række {raekke_nr}, kolonne {kolonne}")


@pytest.mark.django_db
def test_one_bad_row_among_good_ones_writes_nothing_and_every_bad_row_is_listed(kontrakt_2025):
    svar = afvist(med_forloeb(
        ["E-2", "10000017", "kort", date(2025, 1, 5), None, "", "", ""],
        ["E-3", "10000017", "lang", date(2025, 1, 5), None, "", "", ""],
        ["E-4", "10000017", "kort", "31/01/2025", None, "", "", ""],
    ))
    assert [(f.raekke, f.kolonne) for f in svar.fejl] == [(4, "type"), (5, "startdato")]
    assert str(svar.fejl[1]) == (
        "Forloeb, række 5, kolonne startdato, værdi '31/01/2025': Det er ikke en dato. Brug en "
        "Excel-dato eller skriv datoen som ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ."
    )
    assert not Forloeb.objects.exists() and not Virksomhed.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_with_errors_still_counts_the_good_rows(kontrakt_2025):
    svar = importer(med_forloeb(["E-2", "10000017", "lang", date(2025, 1, 5), None, "", "", ""]),
                    "fil.xlsx", dry_run=True)
    assert len(svar.fejl) == 1
    assert svar.opgoerelse("Forloeb").nye == 1


@pytest.mark.django_db
def test_a_bad_company_row_is_not_reported_again_from_the_forloeb_that_use_it(kontrakt_2025):
    svar = afvist(med_forloeb(virksomheder=[["10000017", "X ApS", "330", "engang"]]))
    assert [(f.ark, f.kolonne) for f in svar.fejl] == [("Virksomheder", "stiftelsesdato")]


@pytest.mark.django_db
def test_a_duplicate_key_with_other_values_in_a_natural_key_sheet_is_an_error(kontrakt_2025):
    # Changed with issue 10: identical rows are a note (test_importer_politik.py); the same key
    # with other values is refused in the constraint's own words.
    factories.virksomhed(cvr="10000017")
    raekke = ["10000017", "smv_vaekstpilot", "ansoegt", date(2025, 1, 5)]
    svar = afvist(bog(Programmer=[["cvr", "program", "status", "dato"], raekke,
                                  [*raekke[:2], "bevilget", raekke[3]]]))
    assert svar.fejl[0].besked.startswith(
        "Virksomheden er allerede registreret i programmet den dato. I filen: samme nøgle står "
        "allerede i række 2.")
    assert svar.fejl[0].raekke == 3


@pytest.mark.django_db
def test_a_sheet_twice_under_two_spellings_is_an_error(db):
    svar = afvist(bog(Forloeb=[FORLOEB_OVERSKRIFT], **{"Forløb": [FORLOEB_OVERSKRIFT]}))
    assert "står to gange" in svar.fejl[0].besked


@pytest.mark.django_db
def test_a_sheet_without_a_header_row_is_an_error(db):
    svar = afvist(bog(Forloeb=[]))
    assert svar.fejl[0].ark == "Forloeb" and "ingen overskriftsrække" in svar.fejl[0].besked


@pytest.mark.django_db
def test_a_misspelt_sheet_name_is_a_warning_with_its_near_match(kontrakt_2025):
    svar = importer(bog(Forlob=[FORLOEB_OVERSKRIFT], Virksomheder=[VIRKSOMHED_OVERSKRIFT]),
                    "fil.xlsx")
    assert "Mente du 'Forloeb'?" in svar.advarsler[0].besked


@pytest.mark.django_db
def test_a_type_differing_from_a_known_aktoer_is_a_warning_not_a_change(kontrakt_2025):
    factories.forloeb(ekstern_id="F-1")
    svar = importer(bog(Henvisninger=[["forloeb_ekstern_id", "aktoer", "aktoertype", "dato"],
                                      ["F-1", "Innovationsfonden", "privat", date(2025, 2, 1)]]),
                    "fil.xlsx")
    assert svar.gemt
    assert "har typen 'statslig'" in svar.advarsler[0].besked


@pytest.mark.django_db
def test_a_header_error_is_not_followed_by_errors_on_the_rows_that_depend_on_the_sheet(
    kontrakt_2025
):
    overskrift = ["cvr", "navn", "kommune", "stiftelsesdato"]
    svar = afvist(bog(Virksomheder=[overskrift, GOD_VIRKSOMHED],
                      Forloeb=[FORLOEB_OVERSKRIFT, GOD_FORLOEB]))
    (fejl,) = svar.fejl
    assert fejl.besked == ("Kolonnen 'kommunekode' mangler i overskriftsrækken. Overskriften "
                           "'kommune' ligner; er den stavet forkert?")


# --- Every error of a row in one pass, in the file's order ---------------------------------------

AKTIVITET_OVERSKRIFT = ["ekstern_id", "type", "dato", "titel", "partnere", "kommunekoder",
                        "fyrtaarn"]


@pytest.mark.django_db
def test_a_row_with_an_unreadable_cell_is_still_checked_on_its_other_cells(kontrakt_2025):
    svar = afvist(bog(Aktiviteter=[
        AKTIVITET_OVERSKRIFT,
        ["A-1", "fest", date(2025, 3, 1), "Sommerfest", "BLOXHUB;Ukendt Partner ApS", "123", ""],
    ]))
    assert [(f.ark, f.raekke, f.kolonne, f.vist_vaerdi) for f in svar.fejl] == [
        ("Aktiviteter", 2, "type", "fest"),
        ("Aktiviteter", 2, "partnere", "BLOXHUB;Ukendt Partner ApS"),
        ("Aktiviteter", 2, "kommunekoder", "123"),
    ]
    assert svar.fejl[0].besked.startswith("'fest' er ikke en kendt værdi for type.")
    assert svar.fejl[1].besked.startswith(
        "Aktøren 'Ukendt Partner ApS' findes ikke i appen og står ikke i arket Aktoerer."
    )
    assert svar.fejl[2].besked.startswith("Ukendt kommunekode: 123.")


@pytest.mark.django_db
def test_a_csv_row_with_a_bad_date_still_has_its_kommunekode_checked(db):
    indhold = (b"cvr;navn;kommunekode;stiftelsesdato\n"
               b"10000017;Bo ApS;999;31/02/2001\n")
    svar = afvist(indhold, "Virksomheder.csv")
    assert [(f.raekke, f.kolonne, f.vist_vaerdi) for f in svar.fejl] == [
        (2, "kommunekode", "999"), (2, "stiftelsesdato", "31/02/2001"),
    ]
    assert svar.fejl[0].besked.startswith("Ukendt kommunekode: 999.")
    assert svar.fejl[1].besked.startswith("Det er ikke en dato.")


@pytest.mark.django_db
def test_the_records_own_validation_runs_on_the_readable_cells_of_a_bad_row(kontrakt_2025):
    svar = afvist(med_forloeb(
        ["E-2", "10000025", "lang", date(2025, 3, 5), date(2025, 3, 1), "", "ai;robotter", ""]
    ))
    assert [(f.raekke, f.kolonne) for f in svar.fejl] == [
        (3, "cvr"), (3, "type"), (3, "slutdato"), (3, "emner"),
    ]
    assert svar.fejl[2].besked == "Slutdatoen kan ikke ligge før startdatoen."


@pytest.mark.django_db
def test_a_duplicate_row_is_checked_on_its_other_cells_too(kontrakt_2025):
    svar = afvist(med_forloeb(
        ["ESCRM-1", "10000025", "kort", date(2025, 1, 5), None, "", "", ""]
    ))
    assert [(f.raekke, f.kolonne) for f in svar.fejl] == [(3, "ekstern_id"), (3, "cvr")]


@pytest.mark.django_db
def test_errors_are_listed_by_sheet_in_the_formats_order_then_row_then_column(kontrakt_2025):
    # Forloeb comes first in the file and its cell errors are read first; Virksomheder's
    # kommunekode is checked later, and Aktoerer later still.
    indhold = bog(
        Forloeb=[FORLOEB_OVERSKRIFT,
                 ["E-1", "10000017", "kort", "i morgen", None, "", "", ""],
                 ["E-2", "10000017", "lang", date(2025, 1, 5), None, "", "", "Øresund"]],
        Aktoerer=[["navn", "type", "kommunekoder"], ["Ny aktør", "kommunal", ""]],
        Virksomheder=[VIRKSOMHED_OVERSKRIFT, ["10000017", "Bo ApS", "999", date(2010, 1, 1)]],
    )
    svar = afvist(indhold)
    assert [(f.ark, f.raekke, f.kolonne) for f in svar.fejl] == [
        ("Virksomheder", 2, "kommunekode"),
        ("Forloeb", 2, "startdato"),
        ("Forloeb", 3, "type"),
        ("Forloeb", 3, "fyrtaarn"),
        ("Aktoerer", 2, "type"),
    ]


@pytest.mark.django_db
def test_sheet_errors_follow_the_formats_sheet_order_whatever_the_files(db):
    svar = afvist(bog(Forloeb=[FORLOEB_OVERSKRIFT], **{"Forløb": [FORLOEB_OVERSKRIFT]},
                      Virksomheder=[]))
    assert [f.ark for f in svar.fejl] == ["Virksomheder", "Forløb"]


# --- Henvisninger's aktoertype ----------------------------------------------------------------

HENVISNING_OVERSKRIFT = ["forloeb_ekstern_id", "aktoer", "aktoertype", "dato"]


@pytest.mark.django_db
def test_an_unknown_aktoer_with_type_klynge_is_refused_naming_the_four_allowed_types(
    kontrakt_2025
):
    factories.forloeb(ekstern_id="F-1")
    svar = afvist(bog(Henvisninger=[HENVISNING_OVERSKRIFT,
                                    ["F-1", "Ny Klynge", "klynge", date(2025, 2, 1)]]))
    (fejl,) = svar.fejl
    assert fejl.besked == (
        "Aktøren 'Ny Klynge' er ukendt og oprettes med rækkens aktoertype, som skal være en af: "
        "statslig, privat, lokal, anden."
    )


@pytest.mark.django_db
def test_a_known_cluster_may_be_named_with_its_own_type_as_an_export_writes_it(kontrakt_2025):
    factories.forloeb(ekstern_id="F-1")
    svar = importer(bog(Henvisninger=[HENVISNING_OVERSKRIFT,
                                      ["F-1", "BLOXHUB", "klynge", date(2025, 2, 1)]]), "fil.xlsx")
    assert svar.gemt and not svar.advarsler
    assert Henvisning.objects.get().aktoer == Aktoer.objects.get(navn="BLOXHUB")


# --- Dates as Excel serial numbers --------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("seriel", [45700, 45700.0, 45700.5])
def test_a_plain_excel_serial_number_in_a_date_column_is_read_as_that_date(kontrakt_2025,
                                                                            seriel):
    svar = importer(med_forloeb(["E-2", "10000017", "kort", seriel, None, "", "", ""]),
                    "fil.xlsx")
    assert svar.gemt, svar.tekst()
    assert Forloeb.objects.get(ekstern_id="E-2").startdato == date(2025, 2, 12)


@pytest.mark.django_db
def test_a_number_formatted_date_cell_as_excel_saves_it_is_read_as_a_date(kontrakt_2025):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(med_forloeb(
        ["E-2", "10000017", "kort", date(2025, 2, 12), None, "", "", ""]
    )))
    wb["Forloeb"]["D3"].number_format = "0"  # the cell lost its date format: Excel shows 45700
    indhold = io.BytesIO()
    wb.save(indhold)
    svar = importer(indhold.getvalue(), "fil.xlsx")
    assert svar.gemt, svar.tekst()
    assert Forloeb.objects.get(ekstern_id="E-2").startdato == date(2025, 2, 12)


@pytest.mark.django_db
@pytest.mark.parametrize("tal", [2010, 0, -5, 99999999])
def test_a_number_outside_sane_excel_dates_is_an_error(kontrakt_2025, tal):
    svar = afvist(med_forloeb(["E-2", "10000017", "kort", tal, None, "", "", ""]))
    (fejl,) = svar.fejl
    assert (fejl.kolonne, fejl.vist_vaerdi) == ("startdato", str(tal))
    assert fejl.besked == (
        "Tallet er ikke en dato. Som Excel-dato skal et tal ligge mellem 18264 og 73415 (år "
        "1950–2100). Giv cellen datoformat, eller skriv datoen som ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ."
    )


# --- The model's own rules --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_slutdato_after_today_is_a_row_error(kontrakt_2025):
    with time_machine.travel(date(2025, 3, 1), tick=False):
        svar = afvist(med_forloeb(
            ["E-2", "10000017", "kort", date(2025, 2, 1), date(2025, 3, 2), "", "", ""]
        ))
    (fejl,) = svar.fejl
    assert (fejl.ark, fejl.raekke, fejl.kolonne, fejl.vist_vaerdi) == (
        "Forloeb", 3, "slutdato", "02-03-2025"
    )
    assert fejl.besked.startswith("Slutdatoen ligger i fremtiden.")
