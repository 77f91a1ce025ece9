"""The import is bounded (issue 10, "Bounded"): a cell over IMPORT_MAX_CELLE characters, a sheet
over IMPORT_MAX_RAEKKER rows and a file over IMPORT_MAX_ARK sheets are refused while the file is
read, before openpyxl where the zip already tells; the answer lists the first 200 errors with the
count and cuts values at 100 characters."""

import io
import zipfile
from datetime import date

import pytest

from forloeb.arbejdsbog import laes
from forloeb.importer import MAKS_FEJL, importer
from tests.forloeb.test_importer import FORLOEB_OVERSKRIFT, VIRKSOMHED_OVERSKRIFT, antal, bog

VIRKSOMHED = ["10000017", "Grænse ApS", "330", date(2001, 1, 1)]


def forloeb_raekker(n: int) -> list[list]:
    return [[f"E-{i}", "10000017", "kort", date(2025, 2, 1), None, "", "", ""] for i in range(n)]


def refuseret(indhold: bytes, filnavn: str = "fil.xlsx") -> str:
    foer = antal()
    svar = importer(indhold, filnavn)
    assert not svar.ok and not svar.gemt
    assert antal() == foer
    (fejl,) = svar.fejl
    return fejl.besked


def haandlavet(ark: dict[str, bytes], delte: list[str] = ()) -> bytes:
    """An .xlsx written by hand with zipfile: sheets as raw XML (the way a hostile file is)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats'
            '-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>' + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for i in range(1, len(ark) + 1)) + "</Types>"))
        zf.writestr("_rels/.rels", (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"))
        zf.writestr("xl/workbook.xml", (
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets>' + "".join(
                f'<sheet name="{navn}" sheetId="{i}" r:id="rId{i}"/>'
                for i, navn in enumerate(ark, 1)) + "</sheets></workbook>"))
        zf.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships">' + "".join(
                f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
                f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(ark) + 1)) + "</Relationships>"))
        for i, xml in enumerate(ark.values(), 1):
            zf.writestr(f"xl/worksheets/sheet{i}.xml", xml)
        if delte:
            zf.writestr("xl/sharedStrings.xml", (
                '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                '2006/main">' + "".join(f"<si><t>{t}</t></si>" for t in delte) + "</sst>"))
    return buffer.getvalue()


def ark_xml(raekker: int) -> bytes:
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x{n}</t></is></c></row>'
                   for n in range(1, raekker + 1))
    return ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>').encode()


@pytest.fixture
def uden_openpyxl(monkeypatch):
    """Fail the test if openpyxl is asked to open the file: the zip alone must refuse it."""
    def aldrig(*args, **kwargs):
        raise AssertionError("openpyxl åbnede filen")
    monkeypatch.setattr(laes, "load_workbook", aldrig)


@pytest.mark.django_db
def test_a_cell_over_the_limit_is_refused_naming_where(settings):
    settings.IMPORT_MAX_CELLE = 15
    besked = refuseret(bog(Virksomheder=[VIRKSOMHED_OVERSKRIFT,
                                         ["10000017", "Et navn på sytten", "330", "2001-01-01"]]))
    assert besked.startswith("Arket 'Virksomheder', række 2, kolonne B har 17 tegn")
    assert "højst have 15 tegn" in besked and "IMPORT_MAX_CELLE" in besked


@pytest.mark.django_db
def test_a_cell_far_over_the_limit_is_refused_before_openpyxl(settings, uden_openpyxl):
    settings.IMPORT_MAX_CELLE = 10
    fil = haandlavet({"Virksomheder": ark_xml(2)}, delte=["x" * 101])
    assert "En tekst i filen er for lang" in refuseret(fil)


@pytest.mark.django_db
def test_a_sheet_over_the_row_limit_is_refused(settings):
    settings.IMPORT_MAX_RAEKKER = 3
    besked = refuseret(bog(Virksomheder=[VIRKSOMHED_OVERSKRIFT, VIRKSOMHED],
                           Forloeb=[FORLOEB_OVERSKRIFT, *forloeb_raekker(6)]))
    assert "Arket 'Forloeb' har over 3 rækker" in besked and "IMPORT_MAX_RAEKKER" in besked


@pytest.mark.django_db
def test_a_sheet_far_over_the_row_limit_is_refused_from_the_streamed_xml(settings,
                                                                          uden_openpyxl):
    settings.IMPORT_MAX_RAEKKER = 100
    assert "Arket 'Forloeb' har over 100 rækker" in refuseret(
        haandlavet({"Virksomheder": ark_xml(2), "Forloeb": ark_xml(150)}))


@pytest.mark.django_db
def test_the_row_limit_leaves_room_for_the_guidance_row_and_the_header(settings):
    settings.IMPORT_MAX_RAEKKER = 3
    svar = importer(bog(Virksomheder=[VIRKSOMHED_OVERSKRIFT, VIRKSOMHED],
                        Forloeb=[FORLOEB_OVERSKRIFT, *forloeb_raekker(3)]), "fil.xlsx",
                    dry_run=True)
    assert svar.ok, svar.tekst()


@pytest.mark.django_db
def test_a_csv_file_over_the_limits_is_refused(settings):
    settings.IMPORT_MAX_RAEKKER = 2
    linjer = ["cvr;navn;kommunekode;stiftelsesdato"] + [
        f"1000001{n};Firma {n};330;2001-01-01" for n in range(5)]
    assert "har over 2 rækker" in refuseret("\n".join(linjer).encode(), "Virksomheder.csv")
    settings.IMPORT_MAX_RAEKKER = 200_000
    settings.IMPORT_MAX_CELLE = 15
    linjer[1] = "10000017;Firma med et langt navn;330;2001-01-01"
    assert "række 2, kolonne B har 23 tegn" in refuseret("\n".join(linjer[:2]).encode(),
                                                         "Virksomheder.csv")


@pytest.mark.django_db
def test_a_file_over_the_sheet_limit_is_refused_before_openpyxl(settings, uden_openpyxl):
    settings.IMPORT_MAX_ARK = 2
    besked = refuseret(haandlavet({f"Ark{n}": ark_xml(1) for n in range(3)}))
    assert besked.startswith("Filen har 3 ark; importen tager højst 2")


@pytest.mark.django_db
def test_the_apps_own_overview_and_goal_sheets_do_not_count(settings):
    settings.IMPORT_MAX_ARK = 2
    ark = {"Oversigt": [["x"]], "Mål 1": [["x"]], "Mål 2": [["x"]],
           "Virksomheder": [VIRKSOMHED_OVERSKRIFT, VIRKSOMHED]}
    assert importer(bog(**ark), "rapport.xlsx", dry_run=True).ok


@pytest.mark.django_db
def test_a_zip_that_unpacks_to_far_more_than_a_workbook_is_refused(settings, uden_openpyxl):
    settings.IMPORT_MAX_BYTES = 2000  # so 80 kB of XML is too much
    fil = haandlavet({"Virksomheder": ark_xml(1) + b" " * 100_000})
    assert "Filen pakker ud til" in refuseret(fil)


@pytest.mark.django_db
def test_the_answer_lists_the_first_200_errors_and_counts_all(tmp_path):
    raekker = [[f"E-{i}", "10000017", "lang", date(2025, 2, 1), None, "", "", ""]
               for i in range(250)]
    svar = importer(bog(Virksomheder=[VIRKSOMHED_OVERSKRIFT, VIRKSOMHED],
                        Forloeb=[FORLOEB_OVERSKRIFT, *raekker]), "mange.xlsx")
    assert (len(svar.fejl), svar.antal_fejl, svar.flere_fejl) == (MAKS_FEJL, 250, 50)
    assert [f.raekke for f in svar.fejl] == list(range(2, 202))  # the file's first, in order
    assert "… og 50 fejl mere (250 i alt); de første 200 er vist." in svar.tekst()


@pytest.mark.django_db
def test_values_in_messages_are_cut_at_100_characters():
    lang = "x" * 500
    svar = importer(bog(Virksomheder=[VIRKSOMHED_OVERSKRIFT, VIRKSOMHED],
                        Forloeb=[FORLOEB_OVERSKRIFT,
                                 ["E-1", "10000017", lang, date(2025, 2, 1), None, "", "", ""]]),
                    "lang.xlsx")
    (fejl,) = svar.fejl
    assert len(fejl.vist_vaerdi) == 100 and fejl.vist_vaerdi.endswith("…")
    assert lang not in fejl.besked and f"'{'x' * 99}…' er ikke en kendt værdi" in fejl.besked


@pytest.mark.django_db
def test_a_sheet_of_few_rows_but_thousands_of_cells_is_refused_before_openpyxl(settings,
                                                                            uden_openpyxl):
    settings.IMPORT_MAX_RAEKKER = 5
    celler = "".join(f'<c r="A{n}"><v>1</v></c>' for n in range(500))
    xml = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
           f'spreadsheetml/2006/main"><sheetData><row r="1">{celler}</row></sheetData>'
           "</worksheet>").encode()
    assert "celler; det er flere, end importens ark kan have" in refuseret(
        haandlavet({"Forloeb": xml}))
