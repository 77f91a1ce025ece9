"""The registration workbook's writer: the layout of IMPORTFORMAT.md, real dates, lists, ja/nej,
formula-looking text kept as text, frozen headers, filters, widths, and the empty template."""

import io
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from forloeb import services
from forloeb.arbejdsbog import ARK_NAVNE, normaliser_overskrift, skriv_arbejdsbog, skriv_skabelon
from forloeb.models import AITjek, Aktoer, Forloeb, Henvisning, Virksomhed
from tests import factories
from tests.factories import erhvervshus as sjaelland_hus

# The headers exactly as IMPORTFORMAT.md names them.
OVERSKRIFTER = {
    "Virksomheder": ["cvr", "navn", "kommunekode", "stiftelsesdato"],
    "Forloeb": ["ekstern_id", "cvr", "type", "startdato", "slutdato", "raadgiver", "emner",
                "fyrtaarn"],
    "Aktoerer": ["navn", "type", "kommunekoder"],
    "Henvisninger": ["forloeb_ekstern_id", "aktoer", "aktoertype", "dato"],
    "AI-tjek": ["ekstern_id", "cvr", "dato", "henvist_af_lokal_erhvervsservice"],
    "Aktiviteter": ["ekstern_id", "type", "dato", "titel", "partnere", "kommunekoder", "fyrtaarn"],
    "Programmer": ["cvr", "program", "status", "dato"],
    "Samarbejdsaftaler": ["aktoer", "dato", "beskrivelse"],
    "Maalinger": ["noegle", "aar", "vaerdi", "kilde", "dato", "kommentar"],
}


def aaben(indhold: bytes):
    return load_workbook(io.BytesIO(indhold))


def tomme_ark():
    from tests.forloeb.test_importer import alle_ark

    return {navn: qs.none() for navn, qs in alle_ark().items()}


@pytest.mark.django_db
def test_every_sheet_has_the_headers_of_importformat_in_its_order():
    wb = aaben(skriv_arbejdsbog(tomme_ark()))
    assert wb.sheetnames == list(OVERSKRIFTER)
    for navn, overskrifter in OVERSKRIFTER.items():
        assert [c.value for c in wb[navn][1]] == overskrifter, navn


@pytest.mark.django_db
def test_rows_use_the_import_layout_with_real_dates_lists_and_ja_nej():
    virksomhed = factories.virksomhed(cvr="10000017", kommune="330",
                                      stiftelsesdato=date(2019, 5, 2))
    factories.forloeb(virksomhed_=virksomhed, ekstern_id="F-1", type="handlingsplan",
                      startdato=date(2025, 2, 1), emner=["eksport", "ai"],
                      henvist_til=["Innovationsfonden"])
    services.ai_tjek_create(erhvervshus=sjaelland_hus(),
                            virksomhed=virksomhed, dato=date(2025, 3, 3), ekstern_id="AI-1",
                            henvist_af_lokal_erhvervsservice=True)
    wb = aaben(skriv_arbejdsbog({
        "Virksomheder": Virksomhed.objects.all(), "Forloeb": Forloeb.objects.all(),
        "Henvisninger": Henvisning.objects.all(), "AI-tjek": AITjek.objects.all(),
    }))
    assert wb.sheetnames == ["Virksomheder", "Forloeb", "Henvisninger", "AI-tjek"]
    v = wb["Virksomheder"]
    assert [c.value for c in v[2]][:3] == ["10000017", virksomhed.navn, "330"]
    assert v["D2"].is_date and v["D2"].value.date() == date(2019, 5, 2)
    f = [c.value for c in wb["Forloeb"][2]]
    assert f[:3] == ["F-1", "10000017", "handlingsplan"]
    assert f[3].date() == date(2025, 2, 1) and wb["Forloeb"]["D2"].is_date
    assert f[4] is None  # igangværende: empty slutdato
    assert f[6] == "ai;eksport"
    assert [c.value for c in wb["Henvisninger"][2]][:3] == ["F-1", "Innovationsfonden",
                                                            "statslig"]
    assert wb["AI-tjek"]["D2"].value == "ja"


@pytest.mark.django_db
def test_formula_looking_text_is_written_as_text_never_as_a_formula():
    farlige = ['=HYPERLINK("http://ondt.example","Klik")', "+45 Consult", "-Minus ApS",
               "@SUM(A1)"]
    for navn in farlige:
        factories.virksomhed(navn=navn)
    indhold = skriv_arbejdsbog({"Virksomheder": Virksomhed.objects.order_by("cvr")})
    ark_xml = zipfile.ZipFile(io.BytesIO(indhold)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in ark_xml and "<f " not in ark_xml
    ws = aaben(indhold)["Virksomheder"]
    celler = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=2) for r in range(2, 6)}
    assert set(celler) == set(farlige)
    for celle in celler.values():
        assert celle.data_type == "s"
        assert celle.quotePrefix is True


@pytest.mark.django_db
def test_header_is_frozen_filtered_and_columns_fitted():
    factories.virksomhed(navn="Et meget langt virksomhedsnavn til at prøve bredden ApS")
    ws = aaben(skriv_arbejdsbog({"Virksomheder": Virksomhed.objects.all()}))["Virksomheder"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:D2"
    assert ws.column_dimensions["B"].width >= len(
        "Et meget langt virksomhedsnavn til at prøve bredden ApS"
    )
    assert ws.column_dimensions["D"].width >= len("stiftelsesdato")
    assert ws["A1"].font.b


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_number_of_records(django_assert_max_num_queries):
    def eksport():
        return skriv_arbejdsbog({
            "Forloeb": Forloeb.objects.all(), "Henvisninger": Henvisning.objects.all(),
            "Aktoerer": Aktoer.objects.all(),
        })

    factories.forloeb(emner=["ai"], henvist_til=["Innovationsfonden"])
    with django_assert_max_num_queries(8):
        eksport()
    for _ in range(10):
        factories.forloeb(emner=["ai", "eksport"],
                          henvist_til=["Innovationsfonden", "Eksportrådet"])
    with django_assert_max_num_queries(8):
        eksport()


def test_an_unknown_sheet_name_is_refused():
    with pytest.raises(ValueError, match="Forløb"):
        skriv_arbejdsbog({"Forløb": Forloeb.objects.none()})


def test_template_has_a_guidance_sheet_and_a_guidance_row_above_each_header():
    wb = aaben(skriv_skabelon())
    assert wb.sheetnames == ["Vejledning", *ARK_NAVNE]
    assert "læses ikke" in " ".join(str(c.value) for r in wb["Vejledning"] for c in r if c.value)
    for navn, overskrifter in OVERSKRIFTER.items():
        ws = wb[navn]
        assert ws["A1"].value.startswith("Vejledning:")
        assert [c.value for c in ws[2]] == overskrifter
        assert ws.freeze_panes == "A3"
        assert ws.max_row == 2


@pytest.mark.parametrize("overskrift, normaliseret", [
    ("Ekstern ID", "eksternid"), ("ekstern_id", "eksternid"), ("Forløb", "forloeb"),
    ("AI-tjek", "aitjek"), ("Fyrtårn", "fyrtaarn"), (" Rådgiver ", "raadgiver"),
    ("KOMMUNEKODER", "kommunekoder"), ("Aktører", "aktoerer"), ("Målinger", "maalinger"),
])
def test_headers_are_matched_without_case_spaces_or_danish_letters(overskrift, normaliseret):
    assert normaliser_overskrift(overskrift) == normaliseret


@pytest.mark.django_db
def test_the_list_export_writes_formula_looking_names_as_text(client, registrant):
    from django.urls import reverse

    factories.virksomhed(navn='=HYPERLINK("http://ondt.example","Klik")')
    factories.virksomhed(navn="+45 Consult")
    client.force_login(registrant)
    svar = client.get(reverse("forloeb:virksomhed_eksport"))
    assert svar.status_code == 200
    celler = {c.value: c for c in aaben(svar.content)["Virksomheder"]["B"][1:]}
    for navn in ('=HYPERLINK("http://ondt.example","Klik")', "+45 Consult"):
        assert celler[navn].data_type == "s" and celler[navn].quotePrefix is True


# --- The template, ready to type into ---------------------------------------------------------


def test_template_columns_are_wide_enough_for_their_header_and_their_values():
    from forloeb.arbejdsbog import ARK

    wb = aaben(skriv_skabelon())
    for navn, ark in ARK.items():
        ws = wb[navn]
        for nr, kolonne in enumerate(ark.kolonner, 1):
            bredde = ws.column_dimensions[get_column_letter(nr)].width
            assert bredde >= len(kolonne.navn) + 2, (navn, kolonne.navn)
            assert bredde >= max(map(len, kolonne.tilladte), default=0) + 2, (navn, kolonne.navn)
            assert bredde >= 8, (navn, kolonne.navn)  # no longer the 6–7 of a bare header
    assert wb["Forloeb"].column_dimensions["G"].width >= 25  # emner: several codes with ;


def test_template_keeps_identifiers_as_text_and_shows_dates_the_danish_way():
    wb = aaben(skriv_skabelon())
    formater = {navn: {c.value: wb[navn].column_dimensions[c.column_letter].number_format
                       for c in wb[navn][2]} for navn in OVERSKRIFTER}
    for navn, kolonner in formater.items():
        for kolonne, fmt in kolonner.items():
            if kolonne in ("cvr", "kommunekode", "kommunekoder", "ekstern_id",
                           "forloeb_ekstern_id"):
                assert fmt == "@", (navn, kolonne)
            elif kolonne in ("stiftelsesdato", "startdato", "slutdato", "dato"):
                assert fmt == "dd-mm-yyyy", (navn, kolonne)
            else:
                assert fmt == "General", (navn, kolonne)


def test_template_offers_a_dropdown_on_every_code_column():
    wb = aaben(skriv_skabelon())
    lister = {
        navn: {str(dv.sqref): dv for dv in wb[navn].data_validations.dataValidation}
        for navn in OVERSKRIFTER
    }
    forventet = {
        "Forloeb": {"C3:C5000": "kort,handlingsplan,vaekstplan,omstillingsplan",
                    "H3:H5000": "femern,biosolutions"},
        "Aktoerer": {"B3:B5000": "statslig,privat,lokal,klynge,anden"},
        "Henvisninger": {"C3:C5000": "statslig,privat,lokal,anden"},
        "AI-tjek": {"D3:D5000": "ja,nej"},
        "Aktiviteter": {"B3:B5000": "faelles_aktivitet,klyngearrangement,event,andet",
                        "G3:G5000": "femern,biosolutions"},
        "Programmer": {"B3:B5000": "attraktive_arbejdspladser,smv_vaekstpilot",
                       "C3:C5000": "ansoegt,bevilget,afslag"},
        "Virksomheder": {}, "Samarbejdsaftaler": {}, "Maalinger": {},
    }
    for navn, omraader in forventet.items():
        assert {o: dv.formula1.strip('"') for o, dv in lister[navn].items()} == omraader, navn
        for dv in lister[navn].values():
            assert dv.type == "list" and dv.allow_blank and dv.showErrorMessage
            koder = dv.formula1.strip('"').replace(",", ", ")
            assert dv.error.endswith(f"skal være en af: {koder}.")


def test_template_has_no_rows_below_its_header_however_far_its_formats_reach():
    wb = aaben(skriv_skabelon())
    for navn in OVERSKRIFTER:
        assert wb[navn].max_row == 2


# --- Dates -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_dates_are_real_dates_shown_as_dd_mm_yyyy():
    virksomhed = factories.virksomhed(stiftelsesdato=date(2019, 5, 2))
    factories.forloeb(virksomhed_=virksomhed, startdato=date(2025, 2, 1),
                      slutdato=date(2025, 3, 4), henvist_til=["Innovationsfonden"])
    wb = aaben(skriv_arbejdsbog({
        "Virksomheder": Virksomhed.objects.all(), "Forloeb": Forloeb.objects.all(),
        "Henvisninger": Henvisning.objects.all(),
    }))
    for celle in (wb["Virksomheder"]["D2"], wb["Forloeb"]["D2"], wb["Forloeb"]["E2"],
                  wb["Henvisninger"]["D2"]):
        assert celle.is_date and celle.number_format == "dd-mm-yyyy", celle.coordinate
    assert wb["Forloeb"]["E2"].value.date() == date(2025, 3, 4)
