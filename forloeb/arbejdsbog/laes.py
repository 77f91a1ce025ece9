"""Reading the file, bounded: an ``.xlsx`` (sheets recognised by name, others skipped) or one
CSV file for one sheet (``;`` or ``,``, UTF-8 with or without BOM).

The limits (settings ``IMPORT_MAX_BYTES``, ``IMPORT_MAX_ARK``, ``IMPORT_MAX_RAEKKER``,
``IMPORT_MAX_CELLE``) are checked while the file is read, so a hostile file is refused in
seconds with little memory:

1. the zip's table: the number of sheets, and the sizes its entries declare (a zip entry never
   inflates past its declared size, so they bound what is read);
2. each sheet's XML and the shared strings, streamed a megabyte at a time before openpyxl sees
   them: the rows a sheet holds, and any text run far longer than a cell may be;
3. openpyxl in read-only mode, row by row: the exact row count and each cell's length.

Headers are matched without regard to case, spaces or æ/ae spelling; a guidance row above the
header (the template's) is skipped. A row identical in every column to an earlier row of the
same sheet is counted once, with a note.
"""

import csv
import difflib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .ark import (
    ARK,
    ARK_EFTER_NORMALISERET,
    ARK_NAVNE,
    VEJLEDNINGSMAERKE,
    Ark,
    normaliser_overskrift,
)
from .celler import Ugyldig, som_tekst, tolk
from .svar import Fejl, Opgoerelse, for_stor_besked, kort

BID = 1 << 20  # bytes of XML inflated at a time
# The sheets and shared strings may declare at most this many times the largest file accepted:
# a workbook's XML compresses some 5-15 times; a zip bomb thousands.
MAKS_UDPAKNING = 40
# An XML text of more than this many bytes per allowed character is surely over the cell limit
# (one character is at most 10 bytes, as "&#1114111;"); shorter ones are measured exactly.
BYTES_PR_TEGN = 10
FREMSKRIDT_HVER = 1000  # rows between two calls of the progress hook
MAKS_KOLONNER = max(len(ark.kolonner) for ark in ARK.values())


class FilFejl(Exception):
    """The file as a whole cannot be read or is over a limit; the message says so in Danish."""


@dataclass
class Raekke:
    """A data row: its cells as read (``raa``), as interpreted (``v``; ``None`` where a cell
    could not be read) and the columns whose cell could not be read."""

    nr: int
    raa: dict
    v: dict = field(default_factory=dict)
    ulaeselige: set = field(default_factory=set)

    def laeselig(self, *kolonner: str) -> bool:
        return not self.ulaeselige.intersection(kolonner)


@dataclass
class RaaArk:
    navn: str  # the format's name
    titel: str  # the sheet's name as the user reads it (the file's name for a CSV file)
    raekker: list  # (row number, tuple of cells), header first


def _tom(vaerdi) -> bool:
    return vaerdi is None or (isinstance(vaerdi, str) and not vaerdi.strip())


def er_vejledning(celler) -> bool:
    foerste = celler[0] if celler else None
    return isinstance(foerste, str) and normaliser_overskrift(foerste).startswith(
        normaliser_overskrift(VEJLEDNINGSMAERKE)
    )


def _graense(navn: str) -> int:
    return getattr(settings, navn)


def _tal(n: float) -> str:
    return f"{n:,.0f}".replace(",", ".")


def _for_mange_raekker(titel: str) -> FilFejl:
    graense = _tal(_graense("IMPORT_MAX_RAEKKER"))
    return FilFejl(
        f"Arket '{kort(titel)}' har over {graense} rækker; importen tager højst {graense} "
        "rækker pr. ark (indstillingen IMPORT_MAX_RAEKKER). Del filen op, og importér delene "
        "hver for sig."
    )


def _for_lang_celle(sted: str, laengde: int | None = None) -> FilFejl:
    maalt = f" har {_tal(laengde)} tegn;" if laengde else " er for lang;"
    return FilFejl(
        f"{sted}{maalt} en celle må højst have {_tal(_graense('IMPORT_MAX_CELLE'))} tegn "
        "(Excels egen grænse, indstillingen IMPORT_MAX_CELLE). Intet er læst."
    )


# --- The zip, before openpyxl opens it ---------------------------------------------------------


def _arknavne(zf: zipfile.ZipFile) -> dict[str, str]:
    """The zip entry of each sheet and the sheet's name, from workbook.xml and its rels (both
    small; a hostile size is refused by the caller's declared-size check first)."""
    try:
        bog = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return {}
    maal = {m.group(1): m.group(2) for m in re.finditer(
        r'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
    maal |= {m.group(2): m.group(1) for m in re.finditer(
        r'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)}
    navne = {}
    for m in re.finditer(r"<(?:\w+:)?sheet\b([^>]*)/?>", bog):
        navn = re.search(r'\bname="([^"]*)"', m.group(1))
        rid = re.search(r'\br:id="([^"]*)"', m.group(1))
        if navn and rid and rid.group(1) in maal:
            sti = maal[rid.group(1)].lstrip("/")
            sti = sti if sti.startswith("xl/") else str(PurePosixPath("xl") / sti)
            navne[sti] = navn.group(1)
    return navne


def kontroller_zip(indhold: bytes) -> None:
    """Refuse, before openpyxl reads anything, a workbook over the limits; see the module."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(indhold))
        poster = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # openpyxl reports a damaged file in its own words
    ark = [p for p in poster if p.filename.startswith("xl/worksheets/")
           and p.filename.endswith(".xml") and "/_rels/" not in p.filename]
    navne = _arknavne(zf) if len(ark) > _graense("IMPORT_MAX_ARK") else {}
    _kontroller_antal([navne.get(p.filename, p.filename) for p in ark])
    xml = [*ark, *(p for p in poster if p.filename in ("xl/sharedStrings.xml",
                                                        "xl/workbook.xml",
                                                        "xl/_rels/workbook.xml.rels"))]
    udpakket = sum(p.file_size for p in xml)
    if udpakket > MAKS_UDPAKNING * settings.IMPORT_MAX_BYTES:
        raise FilFejl(
            f"Filen pakker ud til {_tal(udpakket / 1024 / 1024)} MB; importen læser højst "
            f"{_tal(MAKS_UDPAKNING * settings.IMPORT_MAX_BYTES / 1024 / 1024)} MB. Er det en "
            "almindelig Excel-fil?"
        )
    navne = navne or _arknavne(zf)
    # Every sheet, the skipped ones too: openpyxl reads each sheet's XML up to its <dimension>
    # when it opens the workbook, and to its end where there is none.
    for post in ark:
        _gennemse(zf, post, navne.get(post.filename, PurePosixPath(post.filename).stem),
                  raekker=True)
    for post in poster:
        if post.filename == "xl/sharedStrings.xml":
            _gennemse(zf, post, "En tekst i filen", raekker=False)


# The sheets the app writes beside the import's in its own workbooks (the template's guidance,
# the report workbook's overview and goal sheets): skipped unopened, and not counted.
EGNE_ARK = re.compile(r"^(Vejledning|Oversigt|Mål \d{1,3})$")


def _kontroller_antal(titler: list[str]) -> None:
    """More than IMPORT_MAX_ARK sheets is refused, leaving out the app's own (:data:`EGNE_ARK`):
    the report workbook, with 15 goal sheets beside the nine record sheets, imports again."""
    antal = sum(1 for titel in titler if not EGNE_ARK.match(titel))
    if antal > _graense("IMPORT_MAX_ARK"):
        raise FilFejl(
            f"Filen har {antal} ark; importen tager højst {_graense('IMPORT_MAX_ARK')} "
            "(indstillingen IMPORT_MAX_ARK). Slet de ark, der ikke skal importeres."
        )


def _gennemse(zf: zipfile.ZipFile, post: zipfile.ZipInfo, titel: str, *, raekker: bool):
    """Stream one XML entry: refuse more rows than allowed (with room for the template's
    guidance row and the header) and a text run surely over the cell limit."""
    maks_raekker = _graense("IMPORT_MAX_RAEKKER") + 2
    # Cells: twice the widest sheet's columns in every row allowed (room for unknown columns),
    # so that a sheet of few rows but thousands of columns is not handed to openpyxl either.
    maks_celler = maks_raekker * 2 * MAKS_KOLONNER
    maks_bytes = BYTES_PR_TEGN * _graense("IMPORT_MAX_CELLE")
    lang = re.compile(rb"[^<]{%d,}" % (maks_bytes + 1))
    antal, celler, loeb, hale = 0, 0, 0, b""
    sted = f"En celle i arket '{kort(titel)}'" if raekker else titel
    try:
        with zf.open(post) as xml:
            while bid := xml.read(BID):
                if raekker:
                    # A tag split between two bites is found on the last bite's tail (three
                    # bytes: too short to hold one already counted).
                    med_hale = hale + bid
                    antal += med_hale.count(b"<row")
                    celler += (med_hale.count(b"<c ") + med_hale.count(b"<c>")
                               + med_hale.count(b"<c/"))
                    hale = bid[-3:]
                    if antal > maks_raekker:
                        raise _for_mange_raekker(titel)
                    if celler > maks_celler:
                        raise FilFejl(
                            f"Arket '{kort(titel)}' har over {_tal(maks_celler)} celler; det er "
                            "flere, end importens ark kan have (indstillingen IMPORT_MAX_RAEKKER "
                            "gange kolonnerne).")
                foerste = bid.find(b"<")
                if foerste < 0:
                    loeb += len(bid)
                else:
                    loeb += foerste
                    if loeb > maks_bytes or lang.search(bid, foerste):
                        raise _for_lang_celle(sted)
                    loeb = len(bid) - bid.rfind(b"<") - 1
                if loeb > maks_bytes:
                    raise _for_lang_celle(sted)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError):
        return  # damaged: openpyxl says so


# --- Reading ------------------------------------------------------------------------------------


def _ikke_tomme(nummererede, titel: str, fremskridt):
    """The non-empty rows, counted and measured as they stream past."""
    maks_raekker = _graense("IMPORT_MAX_RAEKKER") + 2
    maks_celle = _graense("IMPORT_MAX_CELLE")
    ud = []
    for nr, celler in nummererede:
        if nr > maks_raekker:
            raise _for_mange_raekker(titel)
        for i, celle in enumerate(celler):
            if isinstance(celle, str) and len(celle) > maks_celle:
                raise _for_lang_celle(
                    f"Arket '{kort(titel)}', række {nr}, kolonne {get_column_letter(i + 1)}",
                    len(celle),
                )
        if not all(map(_tom, celler)):
            ud.append((nr, tuple(celler)))
        if fremskridt and nr % FREMSKRIDT_HVER == 0:
            fremskridt(titel, len(ud), 0)
    return ud


def _laes_xlsx(indhold: bytes, fremskridt) -> tuple[list[RaaArk], list[str]]:
    kontroller_zip(indhold)
    try:
        wb = load_workbook(io.BytesIO(indhold), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise FilFejl(
            "Filen kan ikke åbnes som et Excel-regneark (.xlsx); den er beskadiget eller i et "
            "andet format. Gem den i Excel som 'Excel-projektmappe (*.xlsx)'."
        ) from exc
    ark, oversprungne = [], []
    try:
        _kontroller_antal(wb.sheetnames)
        for ws in wb.worksheets:
            navn = ARK_EFTER_NORMALISERET.get(normaliser_overskrift(ws.title))
            if navn is None:
                oversprungne.append(ws.title)
                continue
            raekker = _ikke_tomme(enumerate(ws.iter_rows(values_only=True), 1), ws.title,
                                  fremskridt)
            ark.append(RaaArk(navn, ws.title, raekker))
    finally:
        wb.close()
    return ark, oversprungne


def _csv_ark(filnavn: str, ark_navn: str | None) -> str:
    """The sheet a CSV file holds: the one its file name names, else the one chosen (the upload
    page's 'Ark' field, the command's --ark). Both, naming different sheets, is an error."""
    efter_navn = ARK_EFTER_NORMALISERET.get(normaliser_overskrift(Path(filnavn).stem))
    valgt = ARK_EFTER_NORMALISERET.get(normaliser_overskrift(ark_navn)) if ark_navn else None
    if ark_navn and valgt is None:
        raise FilFejl(f"Arket '{kort(ark_navn)}' findes ikke. Arkene er: {', '.join(ARK_NAVNE)}.")
    if efter_navn and valgt and efter_navn != valgt:
        raise FilFejl(
            f"Filnavnet '{Path(filnavn).name}' siger arket {efter_navn}, men arket {valgt} er "
            "valgt. Vælg det samme ark, eller giv filen det valgte arks navn."
        )
    navn = efter_navn or valgt
    if navn is None:
        raise FilFejl(
            f"Det kan ikke ses, hvilket ark CSV-filen '{Path(filnavn).name}' indeholder. Giv filen "
            "arkets navn (f.eks. Forloeb.csv), eller vælg arket: feltet 'Ark (CSV-fil)' på "
            f"importsiden, --ark på kommandolinjen. Arkene er: {', '.join(ARK_NAVNE)}."
        )
    return navn


def _laes_csv(indhold: bytes, filnavn: str, ark_navn: str | None, fremskridt) -> RaaArk:
    navn = _csv_ark(filnavn, ark_navn)
    try:
        tekst = indhold.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FilFejl(
            "CSV-filen er ikke gemt med tegnsættet UTF-8 (æ, ø og å kan ikke læses). Gem den i "
            "Excel som 'CSV UTF-8 (kommasepareret) (*.csv)'."
        ) from exc
    if "\x00" in tekst:
        raise FilFejl("CSV-filen indeholder binære tegn; er det en tekstfil i UTF-8?")
    linjer = (linje for linje in tekst.splitlines() if linje.strip())
    foerste = next(linjer, None)
    if foerste is not None and er_vejledning([foerste]):
        foerste = next(linjer, None)
    if foerste is None:
        raise FilFejl("CSV-filen er tom; første linje skal være kolonneoverskrifterne.")
    forventede = {normaliser_overskrift(k.navn) for k in ARK[navn].kolonner}

    def traeffere(skille):
        felter = next(csv.reader([foerste[:10_000]], delimiter=skille))
        return len(forventede & {normaliser_overskrift(f) for f in felter})

    skille = max((";", ","), key=traeffere)
    if traeffere(skille) == 0:
        tab = " Filen ser ud til at være adskilt af tabulatortegn." if "\t" in foerste else ""
        raise FilFejl(
            f"Kolonneoverskrifterne i CSV-filen kan ikke læses: felterne skal være adskilt af "
            f"semikolon (;) eller komma (,).{tab} Første linje er: '{kort(foerste)}'."
        )
    titel = Path(filnavn).name
    try:
        raekker = _ikke_tomme(enumerate(csv.reader(io.StringIO(tekst), delimiter=skille), 1),
                              titel, fremskridt)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _for_lang_celle(f"En celle i CSV-filen '{kort(titel)}'") from exc
        raise FilFejl(f"CSV-filen kan ikke læses: {exc}.") from exc
    return RaaArk(navn, titel, raekker)


def laes_fil(indhold: bytes, filnavn: str, ark_navn: str | None, fremskridt=None):
    """(sheets read, names of the sheets skipped); :class:`FilFejl` for a file refused whole."""
    if len(indhold) > settings.IMPORT_MAX_BYTES:
        raise FilFejl(for_stor_besked(len(indhold)))
    if not indhold.strip():
        raise FilFejl("Filen er tom.")
    if indhold.startswith(b"PK\x03\x04"):
        return _laes_xlsx(indhold, fremskridt)
    if indhold.startswith(b"%PDF"):
        raise FilFejl("Filen er en PDF, ikke et Excel-regneark. Upload arbejdsbogen (.xlsx).")
    if indhold.startswith(b"\xd0\xcf\x11\xe0"):
        raise FilFejl(
            "Filen er i det gamle Excel-format (.xls). Gem den i Excel som "
            "'Excel-projektmappe (*.xlsx)' og prøv igen."
        )
    if Path(filnavn).suffix.lower() == ".csv" or ark_navn:
        return [_laes_csv(indhold, filnavn, ark_navn, fremskridt)], []
    raise FilFejl(
        f"Filen '{kort(Path(filnavn).name)}' er hverken et Excel-regneark (.xlsx) eller en "
        "CSV-fil (.csv)."
    )


# --- A sheet's rows ------------------------------------------------------------------------------


def kolonner(imp, ark: Ark, nr: int, overskrifter) -> dict[str, int] | None:
    """Map each column to its index; report missing, duplicate and unknown headers."""
    forventede = {normaliser_overskrift(navn): navn for navn in ark.overskrifter}
    placering, ukendte = {}, {}
    for i, overskrift in enumerate(overskrifter):
        if _tom(overskrift):
            continue
        navn = forventede.get(normaliser_overskrift(overskrift))
        if navn is None:
            ukendte[normaliser_overskrift(overskrift)] = kort(str(overskrift).strip())
        elif navn in placering:
            imp.fejl.append(Fejl(
                f"Kolonnen {navn} står to gange i overskriftsrækken.", ark=ark.navn,
                raekke=nr, kolonne=navn,
            ))
        else:
            placering[navn] = i
    brugte = set()
    for navn in ark.overskrifter:
        if navn in placering:
            continue
        forslag = difflib.get_close_matches(
            normaliser_overskrift(navn), [u for u in ukendte if len(u) < 200], n=1, cutoff=0.6
        )
        besked = f"Kolonnen '{navn}' mangler i overskriftsrækken."
        if forslag:
            brugte.add(forslag[0])
            besked += f" Overskriften '{ukendte[forslag[0]]}' ligner; er den stavet forkert?"
        imp.fejl.append(Fejl(besked, ark=ark.navn, raekke=nr, kolonne=navn))
    for noegle, overskrift in ukendte.items():
        if noegle not in brugte:
            imp.advarsler.append(Fejl(
                f"Kolonnen '{overskrift}' kendes ikke og springes over.", ark=ark.navn,
                raekke=nr, kolonne=overskrift,
            ))
    return placering if len(placering) == len(ark.overskrifter) else None


def laes_ark(imp, raa: RaaArk) -> list[Raekke]:
    """The sheet's data rows, each cell read by its column's kind. An unreadable cell is an
    error on its row, whose other cells are still read (and checked) so that one pass names
    every error. A row identical to an earlier one is counted once, with a note."""
    ark = ARK[raa.navn]
    raekker = list(raa.raekker)
    if raekker and er_vejledning(raekker[0][1]):
        raekker = raekker[1:]
    if not raekker:
        imp.overskriftsfejl = True
        imp.fejl.append(Fejl(
            "Arket har ingen overskriftsrække. Første række skal være kolonnernes navne: "
            + ", ".join(ark.overskrifter) + ".", ark=raa.navn,
        ))
        return []
    (overskrift_nr, overskrifter), data = raekker[0], raekker[1:]
    placering = kolonner(imp, ark, overskrift_nr, overskrifter)
    if placering is None:
        imp.overskriftsfejl = True
        return []
    opgoerelse: Opgoerelse = imp.opgoerelser[raa.navn]
    sete: dict[tuple, int] = {}
    tolkede = []
    for nr, celler in data:
        raekke = Raekke(nr, {navn: celler[i] if i < len(celler) else None
                             for navn, i in placering.items()})
        ens = tuple(som_tekst(raekke.raa[k]) for k in ark.overskrifter)
        if ens in sete:
            opgoerelse.bemaerk(f"række {nr} er magen til række {sete[ens]} og tælles én gang")
            continue
        sete[ens] = nr
        for kolonne in ark.kolonner:
            try:
                raekke.v[kolonne.navn] = tolk(kolonne, raekke.raa[kolonne.navn])
            except Ugyldig as exc:
                imp.fejl_i(raa.navn, raekke, kolonne.navn, str(exc))
                raekke.v[kolonne.navn] = None
                raekke.ulaeselige.add(kolonne.navn)
        if raekke.ulaeselige and len(ark.noegle) == 1:
            imp.fejlramt(raa.navn, som_tekst(raekke.raa[ark.noegle[0]]))
        # Rows with unreadable cells are planned too, for the errors in their other cells;
        # they are never written.
        tolkede.append(raekke)
    return tolkede
