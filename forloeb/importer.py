"""Import of the registration workbook (``IMPORTFORMAT.md``): read, validate, plan, apply.

:func:`importer` is the one entry point (the ``importer`` command and the upload page call it):

1. **Read** an ``.xlsx`` (sheets recognised by name, others skipped) or one CSV file for one sheet
   (``;`` or ``,``, UTF-8 with or without BOM). Headers are matched without regard to case, spaces
   or æ/ae spelling; a guidance row above the header (the template's) is skipped.
2. **Validate** every row in memory: codes, CVR, dates, references, duplicate keys, and each
   record's own ``full_clean`` (fields and ``clean()``) on the unsaved or changed instance. Existing
   records are loaded in bulk, a few queries per sheet, never one per row. A row with an unreadable
   cell is still checked on its other cells (references, duplicates, ``full_clean`` without the
   unreadable fields), so one pass names every error of the file; the answer lists them by sheet
   in the format's order, then by row and column.
3. **Plan**: each row is new, changed or unchanged, matched on ``ekstern_id`` or its natural key.
4. **Apply** (unless a dry run, and only without errors) in one transaction with ``bulk_create`` /
   ``bulk_update`` and simple_history's bulk history, so every new or changed record has a history
   entry by the importing user with the reason ``Import af <filnavn>``, m2m snapshots included.

Why not ``forloeb.services`` row by row: the services' ``full_clean`` checks uniqueness and
foreign keys with a query each, and history plus m2m take several more; 10,000 forløb with
companies and referrals took minutes that way. The checks are the same here, done in memory
(see ``benchmarks/importer.py`` for the figures).

Rows missing from the file are left alone: an import creates and updates, never deletes.
"""

import csv
import difflib
import functools
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import timezone, translation
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel, to_excel

from . import adgang, laas
from . import arbejdsbog as ab
from .models import (
    AITjek,
    Aktivitet,
    Aktoer,
    Forloeb,
    Henvisning,
    Kommune,
    Programdeltagelse,
    Samarbejdsaftale,
    Virksomhed,
)
from .validators import normaliser_cvr, valider_cvr

BATCH = 500
# Model fields named differently from their column, for placing a full_clean error.
KOLONNE_FOR_FELT = {
    "kommune": "kommunekode",
    "virksomhed": "cvr",
    "forloeb": "forloeb_ekstern_id",
    "kommuner": "kommunekoder",
}
HVEM_FELTER = ("oprettet_af", "indtastet_af")  # set to the importing user, never from the file
FELT_FOR_KOLONNE = {kolonne: felt for felt, kolonne in KOLONNE_FOR_FELT.items()}
DATOFORMATER = ("%Y-%m-%d", "%d-%m-%Y")
# A plain number in a date column is read as an Excel date serial (45700 is 12-02-2025) when it
# falls in these years; outside them it is more likely a year or a count typed in the wrong column.
SERIEL_AAR = (1950, 2100)
SERIEL_GRAENSER = (to_excel(date(SERIEL_AAR[0], 1, 1)), to_excel(date(SERIEL_AAR[1], 12, 31)))
# The columns other sheets refer to; a row that fails keeps its key here, so that a reference
# to it is not reported a second time as missing.
NOEGLEKOLONNE = {"Virksomheder": "cvr", "Forloeb": "ekstern_id", "Aktoerer": "navn"}


# simple_history keeps at most 100 characters of a reason; a reason given with the import keeps
# room for "Import: " before it, so the history still shows it came from an import.
AARSAG_MAKS = 90


def aarsag_for(filnavn: str, aarsag: str = "") -> str:
    """The history's reason: "Import af fil.xlsx", with the reason given after it ("Import af
    fil.xlsx: Rettet efter revision"); where both do not fit, the given reason wins."""
    fil = f"Import af {Path(filnavn).name}"
    if not aarsag:
        return fil[:100]
    samlet = f"{fil}: {aarsag}"
    return samlet if len(samlet) <= 100 else f"Import: {aarsag}"[:100]


def aarsag_fejl(aarsag: str) -> str | None:
    """Why a reason given with an import is refused, or None."""
    if len(aarsag) > AARSAG_MAKS:
        return f"Årsagen må højst være {AARSAG_MAKS} tegn (den er {len(aarsag)})."
    return None


def for_stor_besked(stoerrelse: int) -> str:
    graense = settings.IMPORT_MAX_BYTES
    return (
        f"Filen fylder {_mb(stoerrelse)} MB; importen tager højst {_mb(graense)} MB. Grænsen "
        "sættes i indstillingen IMPORT_MAX_BYTES (miljøvariablen IMPORT_MAX_BYTES)."
    )


def _mb(antal_bytes: int) -> str:
    return f"{antal_bytes / 1024 / 1024:.1f}".replace(".", ",")


# --- What the import answers -------------------------------------------------------------------


@dataclass(frozen=True)
class Fejl:
    """One problem, placed as a user finds it in Excel: sheet, row, column and value."""

    besked: str
    ark: str = ""
    raekke: int | None = None
    kolonne: str = ""
    vaerdi: object = None

    @property
    def vist_vaerdi(self) -> str:
        if self.vaerdi is None or self.vaerdi == "":
            return ""
        if isinstance(self.vaerdi, datetime):
            return self.vaerdi.strftime("%d-%m-%Y")
        return str(self.vaerdi)

    def __str__(self):
        sted = ", ".join(
            del_ for del_ in (
                self.ark,
                f"række {self.raekke}" if self.raekke else "",
                f"kolonne {self.kolonne}" if self.kolonne else "",
                f"værdi '{self.vist_vaerdi}'" if self.vist_vaerdi else "",
            ) if del_
        )
        return f"{sted}: {self.besked}" if sted else self.besked


def _placering(fejl: Fejl) -> tuple:
    """Where a problem stands in the file, for the answer's order: the file's own first, then
    by sheet in the format's order, by row and by column."""
    navn = ab.ARK_EFTER_NORMALISERET.get(ab.normaliser_overskrift(fejl.ark)) if fejl.ark else None
    if navn is None:
        return (-1 if not fejl.ark else len(ab.ARK_NAVNE), fejl.raekke or 0, 0)
    kolonner = ab.ARK[navn].overskrifter
    kolonne = kolonner.index(fejl.kolonne) if fejl.kolonne in kolonner else len(kolonner)
    return (ab.ARK_NAVNE.index(navn), fejl.raekke or 0, kolonne)


@dataclass
class Opgoerelse:
    """What a sheet would do (dry run) or did: new, changed and unchanged rows."""

    ark: str
    nye: int = 0
    aendrede: int = 0
    uaendrede: int = 0
    aendringer: list[str] = field(default_factory=list)
    bemaerkninger: list[str] = field(default_factory=list)

    @property
    def raekker(self) -> int:
        return self.nye + self.aendrede + self.uaendrede


@dataclass
class Resultat:
    filnavn: str
    ark: list[Opgoerelse]
    fejl: list[Fejl]
    advarsler: list[Fejl]
    oversprungne_ark: list[str]
    gemt: bool = False

    @property
    def ok(self) -> bool:
        return not self.fejl

    @property
    def noget_at_gemme(self) -> bool:
        return any(o.nye or o.aendrede for o in self.ark)

    def opgoerelse(self, ark: str) -> Opgoerelse | None:
        return next((o for o in self.ark if o.ark == ark), None)

    def tekst(self) -> str:
        """The answer as plain lines, for the command line."""
        linjer = [f"{self.filnavn}:"]
        for o in self.ark:
            linjer.append(
                f"  {o.ark}: {o.nye} nye, {o.aendrede} ændrede, {o.uaendrede} uændrede"
            )
            linjer += [f"    {b}" for b in o.bemaerkninger]
            linjer += [f"    ændret: {a}" for a in o.aendringer]
        if self.oversprungne_ark:
            linjer.append(f"  Sprunget over: {', '.join(self.oversprungne_ark)}")
        linjer += [f"  Advarsel – {a}" for a in self.advarsler]
        linjer += [f"  FEJL – {f}" for f in self.fejl]
        return "\n".join(linjer)


def importer(
    indhold: bytes, filnavn: str, *, bruger=None, dry_run: bool = False, ark: str | None = None,
    erhvervshus=None, aarsag: str = "",
) -> Resultat:
    """Read, validate and (unless ``dry_run`` or on any error) apply a workbook or CSV file.

    Nothing is written when there is one error. ``ark`` names the sheet of a CSV file whose file
    name does not; ``erhvervshus`` the house målinger belong to when the app has several.
    ``bruger`` is who the history names and whose rights are checked (a dry run without one
    checks neither owners nor approved periods); ``aarsag`` the reason a change in an approved
    period needs, kept in the history after the file's name.
    """
    aarsag = " ".join(aarsag.split())
    with translation.override("da"):
        imp = _Import(filnavn, erhvervshus=erhvervshus, bruger=bruger, aarsag=aarsag)
        if aarsag_fejl(aarsag):
            imp.fejl.append(Fejl(aarsag_fejl(aarsag)))
            return imp.resultat()
        imp.laes(indhold, ark=ark)
        if not imp.raekker or imp.overskriftsfejl:
            # Without a readable file or header there are no rows to check against each other.
            return imp.resultat()
        if dry_run:
            imp.planlaeg()
            return imp.resultat()
        try:
            with transaction.atomic():
                imp.planlaeg()
                if not imp.fejl:
                    imp.skriv(bruger=bruger, aarsag=aarsag_for(filnavn, aarsag))
        except DatabaseError as exc:
            imp.fejl.append(Fejl(
                f"Databasen afviste importen, og intet er gemt ({exc}). Prøv igen; fortsætter "
                "fejlen, så kontakt en administrator."
            ))
            imp.gemt = False
        return imp.resultat()


# --- Reading -----------------------------------------------------------------------------------


class _FilFejl(Exception):
    pass


class _Ugyldig(Exception):
    pass


@dataclass
class _Raekke:
    """A data row: its cells as read (``raa``), as interpreted (``v``; ``None`` where a cell
    could not be read) and the columns whose cell could not be read."""

    nr: int
    raa: dict
    v: dict = field(default_factory=dict)
    ulaeselige: set = field(default_factory=set)

    def laeselig(self, *kolonner: str) -> bool:
        return not self.ulaeselige.intersection(kolonner)


@dataclass
class _RaaArk:
    navn: str
    titel: str
    raekker: list  # (row number, tuple of cells), header first


def _tom(vaerdi) -> bool:
    return vaerdi is None or (isinstance(vaerdi, str) and not vaerdi.strip())


def _er_vejledning(celler) -> bool:
    foerste = celler[0] if celler else None
    return isinstance(foerste, str) and ab.normaliser_overskrift(foerste).startswith(
        ab.normaliser_overskrift(ab.VEJLEDNINGSMAERKE)
    )


def _ikke_tomme(nummererede):
    return [(nr, tuple(celler)) for nr, celler in nummererede if not all(map(_tom, celler))]


def _laes_xlsx(indhold: bytes) -> tuple[list[_RaaArk], list[str]]:
    try:
        wb = load_workbook(io.BytesIO(indhold), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise _FilFejl(
            "Filen kan ikke åbnes som et Excel-regneark (.xlsx); den er beskadiget eller i et "
            "andet format. Gem den i Excel som 'Excel-projektmappe (*.xlsx)'."
        ) from exc
    ark, oversprungne = [], []
    try:
        for ws in wb.worksheets:
            navn = ab.ARK_EFTER_NORMALISERET.get(ab.normaliser_overskrift(ws.title))
            if navn is None:
                oversprungne.append(ws.title)
                continue
            raekker = _ikke_tomme(enumerate(ws.iter_rows(values_only=True), 1))
            ark.append(_RaaArk(navn, ws.title, raekker))
    finally:
        wb.close()
    return ark, oversprungne


def _csv_ark(filnavn: str, ark_navn: str | None) -> str:
    """The sheet a CSV file holds: the one its file name names, else the one chosen (the upload
    page's 'Ark' field, the command's --ark). Both, naming different sheets, is an error."""
    efter_navn = ab.ARK_EFTER_NORMALISERET.get(ab.normaliser_overskrift(Path(filnavn).stem))
    valgt = ab.ARK_EFTER_NORMALISERET.get(ab.normaliser_overskrift(ark_navn)) if ark_navn else None
    if ark_navn and valgt is None:
        raise _FilFejl(f"Arket '{ark_navn}' findes ikke. Arkene er: {', '.join(ab.ARK_NAVNE)}.")
    if efter_navn and valgt and efter_navn != valgt:
        raise _FilFejl(
            f"Filnavnet '{Path(filnavn).name}' siger arket {efter_navn}, men arket {valgt} er "
            "valgt. Vælg det samme ark, eller giv filen det valgte arks navn."
        )
    navn = efter_navn or valgt
    if navn is None:
        raise _FilFejl(
            f"Det kan ikke ses, hvilket ark CSV-filen '{Path(filnavn).name}' indeholder. Giv filen "
            "arkets navn (f.eks. Forloeb.csv), eller vælg arket: feltet 'Ark (CSV-fil)' på "
            f"importsiden, --ark på kommandolinjen. Arkene er: {', '.join(ab.ARK_NAVNE)}."
        )
    return navn


def _laes_csv(indhold: bytes, filnavn: str, ark_navn: str | None) -> _RaaArk:
    navn = _csv_ark(filnavn, ark_navn)
    try:
        tekst = indhold.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _FilFejl(
            "CSV-filen er ikke gemt med tegnsættet UTF-8 (æ, ø og å kan ikke læses). Gem den i "
            "Excel som 'CSV UTF-8 (kommasepareret) (*.csv)'."
        ) from exc
    if "\x00" in tekst:
        raise _FilFejl("CSV-filen indeholder binære tegn; er det en tekstfil i UTF-8?")
    linjer = [linje for linje in tekst.splitlines() if linje.strip()]
    if linjer and _er_vejledning([linjer[0]]):
        linjer = linjer[1:]
    if not linjer:
        raise _FilFejl("CSV-filen er tom; første linje skal være kolonneoverskrifterne.")
    forventede = {ab.normaliser_overskrift(k.navn) for k in ab.ARK[navn].kolonner}

    def traeffere(skille):
        felter = next(csv.reader([linjer[0]], delimiter=skille))
        return len(forventede & {ab.normaliser_overskrift(f) for f in felter})

    skille = max((";", ","), key=traeffere)
    if traeffere(skille) == 0:
        tab = " Filen ser ud til at være adskilt af tabulatortegn." if "\t" in linjer[0] else ""
        raise _FilFejl(
            f"Kolonneoverskrifterne i CSV-filen kan ikke læses: felterne skal være adskilt af "
            f"semikolon (;) eller komma (,).{tab} Første linje er: '{linjer[0][:120]}'."
        )
    try:
        raekker = list(csv.reader(io.StringIO(tekst), delimiter=skille))
    except csv.Error as exc:
        raise _FilFejl(f"CSV-filen kan ikke læses: {exc}.") from exc
    return _RaaArk(navn, Path(filnavn).name, _ikke_tomme(enumerate(raekker, 1)))


def _laes_fil(indhold: bytes, filnavn: str, ark_navn: str | None):
    if len(indhold) > settings.IMPORT_MAX_BYTES:
        raise _FilFejl(for_stor_besked(len(indhold)))
    if not indhold.strip():
        raise _FilFejl("Filen er tom.")
    if indhold.startswith(b"PK\x03\x04"):
        return _laes_xlsx(indhold)
    if indhold.startswith(b"%PDF"):
        raise _FilFejl("Filen er en PDF, ikke et Excel-regneark. Upload arbejdsbogen (.xlsx).")
    if indhold.startswith(b"\xd0\xcf\x11\xe0"):
        raise _FilFejl(
            "Filen er i det gamle Excel-format (.xls). Gem den i Excel som "
            "'Excel-projektmappe (*.xlsx)' og prøv igen."
        )
    if Path(filnavn).suffix.lower() == ".csv" or ark_navn:
        return [_laes_csv(indhold, filnavn, ark_navn)], []
    raise _FilFejl(
        f"Filen '{Path(filnavn).name}' er hverken et Excel-regneark (.xlsx) eller en CSV-fil "
        "(.csv)."
    )


# --- Cells -------------------------------------------------------------------------------------


def _tekst(raa) -> str:
    if raa is None:
        return ""
    if isinstance(raa, bool):
        return "ja" if raa else "nej"
    if isinstance(raa, float) and raa.is_integer():
        return str(int(raa))
    if isinstance(raa, datetime):
        return raa.date().isoformat() if raa.time() == datetime.min.time() else raa.isoformat()
    return str(raa).strip()


@functools.cache
def _kodekort(koder: tuple[str, ...]) -> dict[str, str]:
    return {ab.normaliser_overskrift(k): k for k in koder}


def _kode(kolonne: ab.Kolonne, tekst: str) -> str:
    if not tekst or tekst in kolonne.koder:
        return tekst
    fundet = _kodekort(kolonne.koder).get(ab.normaliser_overskrift(tekst))
    if fundet is None:
        raise _Ugyldig(
            f"'{tekst}' er ikke en kendt værdi for {kolonne.navn}. Brug en af: "
            f"{', '.join(kolonne.tilladte)}.{_mente_du(tekst, kolonne.tilladte)}"
        )
    return fundet


def _mente_du(tekst: str, muligheder, *, cutoff=0.6) -> str:
    forslag = difflib.get_close_matches(tekst, list(muligheder), n=1, cutoff=cutoff)
    return f" Mente du '{forslag[0]}'?" if forslag else ""


def _dato(raa) -> date | None:
    if isinstance(raa, datetime):
        return raa.date()
    if isinstance(raa, date):
        return raa
    if isinstance(raa, int | float) and not isinstance(raa, bool):
        return _seriel_dato(raa)
    tekst = _tekst(raa)
    if tekst == "":
        return None
    for fmt in DATOFORMATER:
        try:
            return datetime.strptime(tekst, fmt).date()
        except ValueError:
            continue
    raise _Ugyldig(
        "Det er ikke en dato. Brug en Excel-dato eller skriv datoen som ÅÅÅÅ-MM-DD eller "
        "DD-MM-ÅÅÅÅ."
    )


def _seriel_dato(tal: float) -> date:
    """A number in a date column: an Excel date whose cell lost its date format (the time of
    day, if any, is dropped)."""
    if not SERIEL_GRAENSER[0] <= tal <= SERIEL_GRAENSER[1]:
        raise _Ugyldig(
            f"Tallet er ikke en dato. Som Excel-dato skal et tal ligge mellem "
            f"{SERIEL_GRAENSER[0]:.0f} og {SERIEL_GRAENSER[1]:.0f} (år {SERIEL_AAR[0]}–"
            f"{SERIEL_AAR[1]}). Giv cellen datoformat, eller skriv datoen som ÅÅÅÅ-MM-DD eller "
            "DD-MM-ÅÅÅÅ."
        )
    return from_excel(tal).date()


def _tal(raa) -> Decimal | None:
    if isinstance(raa, bool):
        raise _Ugyldig("Det er ikke et tal.")
    if isinstance(raa, int | float | Decimal):
        return Decimal(str(raa))
    tekst = _tekst(raa).replace(" ", "").replace("\xa0", "")
    if not tekst:
        return None
    if "," in tekst:  # Danish: 1.234,5
        tekst = tekst.replace(".", "").replace(",", ".")
    try:
        return Decimal(tekst)
    except InvalidOperation:
        raise _Ugyldig("Det er ikke et tal (skriv f.eks. 71,4).") from None


def _heltal(raa) -> int | None:
    vaerdi = _tal(raa)
    if vaerdi is None:
        return None
    if vaerdi != vaerdi.to_integral_value():
        raise _Ugyldig("Det skal være et helt tal.")
    return int(vaerdi)


def _ja_nej(raa) -> bool:
    if isinstance(raa, bool):
        return raa
    tekst = _tekst(raa).lower()
    if tekst in ("", "nej", "n", "0"):
        return False
    if tekst in ("ja", "j", "1"):
        return True
    raise _Ugyldig("Skriv ja eller nej.")


def _liste(raa) -> list[str]:
    dele = (_tekst(del_) for del_ in _tekst(raa).split(ab.LISTESKILLE))
    return list(dict.fromkeys(d for d in dele if d))


def _cvr(raa) -> str:
    tekst = normaliser_cvr(_tekst(raa))
    if tekst:
        try:
            valider_cvr(tekst)
        except ValidationError as exc:
            raise _Ugyldig(" ".join(exc.messages)) from None
    return tekst


def _tolk(kolonne: ab.Kolonne, raa):
    art = kolonne.art
    if art == ab.CVR:
        vaerdi = _cvr(raa)
    elif art == ab.DATO:
        vaerdi = _dato(raa)
    elif art == ab.TAL:
        vaerdi = _tal(raa)
    elif art == ab.HELTAL:
        vaerdi = _heltal(raa)
    elif art == ab.JANEJ:
        vaerdi = _ja_nej(raa)
    elif art in (ab.LISTE, ab.KOMMUNER):
        vaerdi = _liste(raa)
        if kolonne.koder:
            vaerdi = list(dict.fromkeys(_kode(kolonne, v) for v in vaerdi))
    elif art == ab.KODE:
        vaerdi = _kode(kolonne, _tekst(raa))
    else:
        vaerdi = _tekst(raa)
    if kolonne.paakraevet and vaerdi in (None, "", []):
        raise _Ugyldig("Feltet skal udfyldes.")
    return vaerdi


def _i_bidder(vaerdier, stoerrelse=BATCH):
    vaerdier = list(vaerdier)
    for start in range(0, len(vaerdier), stoerrelse):
        yield vaerdier[start:start + stoerrelse]


# --- The plan ----------------------------------------------------------------------------------


@dataclass
class _Post:
    """One record to write: new (unsaved) or existing with ``felter`` changed, and its m2m sets
    (objects or primary keys) where new or changed."""

    objekt: models.Model
    ny: bool
    felter: list[str] = field(default_factory=list)
    m2m: dict[str, list] = field(default_factory=dict)


def _maaling_model():
    # maal depends on forloeb, not the other way round; the import reaches it by name.
    return apps.get_model("maal", "Maaling")


class _Brugere:
    """The app's users by pk, read in one query when an owner's name is first needed."""

    def __init__(self):
        self._alle = None

    def get(self, pk):
        if self._alle is None:
            from django.contrib.auth import get_user_model

            self._alle = get_user_model().objects.in_bulk()
        return self._alle.get(pk)


class _Import:
    def __init__(self, filnavn: str, *, erhvervshus=None, bruger=None, aarsag: str = ""):
        self.filnavn = Path(filnavn).name
        self.erhvervshus = erhvervshus
        self.bruger = bruger
        self.aarsag = aarsag
        self.ejere = _Brugere()
        self.perioder: list[laas.LaastPeriode] = []
        self.foer: dict[tuple, object] = {}
        self.fejl: list[Fejl] = []
        self.advarsler: list[Fejl] = []
        self.oversprungne: list[str] = []
        self.raekker: dict[str, list[_Raekke]] = {}
        self.opgoerelser: dict[str, Opgoerelse] = {}
        self.poster: dict[type, list[_Post]] = defaultdict(list)
        self.fejlramte: dict[str, set] = defaultdict(set)
        self.overskriftsfejl = False
        self.gemt = False

    def resultat(self) -> Resultat:
        orden = {navn: i for i, navn in enumerate(ab.ARK_NAVNE)}
        return Resultat(
            filnavn=self.filnavn,
            ark=sorted(self.opgoerelser.values(), key=lambda o: orden[o.ark]),
            fejl=sorted(self.fejl, key=_placering),
            advarsler=sorted(self.advarsler, key=_placering),
            oversprungne_ark=self.oversprungne, gemt=self.gemt,
        )

    # Reading

    def laes(self, indhold: bytes, *, ark: str | None = None) -> None:
        try:
            alle, self.oversprungne = _laes_fil(indhold, self.filnavn, ark)
        except _FilFejl as exc:
            self.fejl.append(Fejl(str(exc)))
            return
        if not alle:
            self.fejl.append(Fejl(
                "Filen har ingen af importens ark. Arkene hedder: " + ", ".join(ab.ARK_NAVNE)
                + "." + self._ark_forslag()
            ))
            return
        for oversprunget in self.oversprungne:
            forslag = difflib.get_close_matches(oversprunget, ab.ARK_NAVNE, n=1, cutoff=0.75)
            if forslag:
                self.advarsler.append(Fejl(
                    f"Arket '{oversprunget}' er ikke et af importens ark og springes over. "
                    f"Mente du '{forslag[0]}'?", ark=oversprunget,
                ))
        for raa in alle:
            if raa.navn in self.raekker:
                self.fejl.append(Fejl(
                    f"Arket {raa.navn} står to gange i filen (som '{raa.titel}').", ark=raa.titel
                ))
                continue
            self.opgoerelser[raa.navn] = Opgoerelse(raa.navn)
            self.raekker[raa.navn] = self._laes_ark(raa)

    def _ark_forslag(self) -> str:
        return (
            f" Filen har arkene: {', '.join(self.oversprungne)}." if self.oversprungne else ""
        )

    def _laes_ark(self, raa: _RaaArk) -> list[_Raekke]:
        ark = ab.ARK[raa.navn]
        raekker = list(raa.raekker)
        if raekker and _er_vejledning(raekker[0][1]):
            raekker = raekker[1:]
        if not raekker:
            self.overskriftsfejl = True
            self.fejl.append(Fejl(
                "Arket har ingen overskriftsrække. Første række skal være kolonnernes navne: "
                + ", ".join(ark.overskrifter) + ".", ark=raa.navn,
            ))
            return []
        (overskrift_nr, overskrifter), data = raekker[0], raekker[1:]
        placering = self._kolonner(ark, overskrift_nr, overskrifter)
        if placering is None:
            self.overskriftsfejl = True
            return []
        tolkede = []
        for nr, celler in data:
            raekke = _Raekke(nr, {navn: celler[i] if i < len(celler) else None
                                  for navn, i in placering.items()})
            for kolonne in ark.kolonner:
                try:
                    raekke.v[kolonne.navn] = _tolk(kolonne, raekke.raa[kolonne.navn])
                except _Ugyldig as exc:
                    self._fejl(raa.navn, raekke, kolonne.navn, str(exc))
                    raekke.v[kolonne.navn] = None
                    raekke.ulaeselige.add(kolonne.navn)
            if raekke.ulaeselige and raa.navn in NOEGLEKOLONNE:
                self._fejlramt(raa.navn, _tekst(raekke.raa[NOEGLEKOLONNE[raa.navn]]))
            # Rows with unreadable cells are planned too, for the errors in their other cells;
            # they are never written.
            tolkede.append(raekke)
        return tolkede

    def _fejlramt(self, ark: str, noegle: str | None) -> None:
        """Remember the key of a row that fails, so that the rows referring to it are not also
        reported as naming something missing."""
        if noegle:
            self.fejlramte[ark].add(
                normaliser_cvr(noegle) if ark == "Virksomheder" else noegle.casefold()
            )

    def _kolonner(self, ark: ab.Ark, nr: int, overskrifter) -> dict[str, int] | None:
        """Map each column to its index; report missing, duplicate and unknown headers."""
        forventede = {ab.normaliser_overskrift(navn): navn for navn in ark.overskrifter}
        placering, ukendte = {}, {}
        for i, overskrift in enumerate(overskrifter):
            if _tom(overskrift):
                continue
            navn = forventede.get(ab.normaliser_overskrift(overskrift))
            if navn is None:
                ukendte[ab.normaliser_overskrift(overskrift)] = str(overskrift).strip()
            elif navn in placering:
                self.fejl.append(Fejl(
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
                ab.normaliser_overskrift(navn), list(ukendte), n=1, cutoff=0.6
            )
            besked = f"Kolonnen '{navn}' mangler i overskriftsrækken."
            if forslag:
                brugte.add(forslag[0])
                besked += f" Overskriften '{ukendte[forslag[0]]}' ligner; er den stavet forkert?"
            self.fejl.append(Fejl(besked, ark=ark.navn, raekke=nr, kolonne=navn))
        for noegle, overskrift in ukendte.items():
            if noegle not in brugte:
                self.advarsler.append(Fejl(
                    f"Kolonnen '{overskrift}' kendes ikke og springes over.", ark=ark.navn,
                    raekke=nr, kolonne=overskrift,
                ))
        return placering if len(placering) == len(ark.overskrifter) else None

    def _fejl(self, ark: str, raekke: _Raekke, kolonne: str, besked: str) -> None:
        self.fejl.append(Fejl(besked, ark=ark, raekke=raekke.nr, kolonne=kolonne,
                              vaerdi=raekke.raa.get(kolonne)))

    # Planning

    def planlaeg(self) -> None:
        self._hent_eksisterende()
        if self.bruger is not None:
            self.perioder = laas.laaste_perioder()
            # Each existing record's counting date before the file changes it.
            self.foer = {(type(o), o.pk): laas.taelledato(o) for samling in (
                self.forloeb, self.ai_tjek, self.aktiviteter) for o in samling.values()}
        for navn, metode in (
            ("Aktoerer", self._aktoerer), ("Virksomheder", self._virksomheder),
            ("Forloeb", self._forloeb), ("Henvisninger", self._henvisninger),
            ("AI-tjek", self._ai_tjek), ("Aktiviteter", self._aktiviteter),
            ("Programmer", self._programmer), ("Samarbejdsaftaler", self._samarbejdsaftaler),
            ("Maalinger", self._maalinger),
        ):
            if navn in self.raekker:
                metode(navn, self.raekker[navn])

    def _vaerdier(self, ark: str, kolonne: str) -> set:
        return {r.v[kolonne] for r in self.raekker.get(ark, ()) if r.v.get(kolonne)}

    def _hent_eksisterende(self) -> None:
        """Everything the rows refer to, loaded in bulk by the keys the file names."""
        self.kommuner = set(Kommune.objects.values_list("kode", flat=True))
        self.aktoerer = {a.navn.casefold(): a for a in Aktoer.objects.all()}
        cvr = set().union(*(self._vaerdier(ark, "cvr")
                            for ark in ("Virksomheder", "Forloeb", "AI-tjek", "Programmer")))
        self.virksomheder = self._hent(Virksomhed, "cvr", cvr)
        ekstern = self._vaerdier("Forloeb", "ekstern_id") | self._vaerdier(
            "Henvisninger", "forloeb_ekstern_id"
        )
        self.forloeb = self._hent(Forloeb, "ekstern_id", ekstern)
        self.ai_tjek = self._hent(AITjek, "ekstern_id", self._vaerdier("AI-tjek", "ekstern_id"))
        self.aktiviteter = self._hent(
            Aktivitet, "ekstern_id", self._vaerdier("Aktiviteter", "ekstern_id")
        )

    @staticmethod
    def _hent(model, noegle: str, vaerdier) -> dict:
        fundne = {}
        for bid in _i_bidder(vaerdier):
            fundne.update((getattr(o, noegle), o) for o in model.objects.filter(
                **{f"{noegle}__in": bid}
            ))
        return fundne

    @staticmethod
    def _m2m_nu(model, felt: str, objekter) -> dict[int, set]:
        """The current related keys of ``felt`` for each existing object."""
        m2m = model._meta.get_field(felt)
        kilde, maal = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
        nu = defaultdict(set)
        for bid in _i_bidder(o.pk for o in objekter if o.pk):
            for a, b in m2m.remote_field.through.objects.filter(
                **{f"{kilde}__in": bid}
            ).values_list(kilde, maal):
                nu[a].add(b)
        return nu

    def _opg(self, ark: str) -> Opgoerelse:
        return self.opgoerelser.setdefault(ark, Opgoerelse(ark))

    def _dublet(self, ark: str, raekke: _Raekke, kolonne: str, noegle, sete: dict) -> bool:
        if noegle in sete:
            self._fejl(ark, raekke, kolonne,
                       f"Rækken er en dublet: samme nøgle står allerede i række {sete[noegle]}.")
            return True
        sete[noegle] = raekke.nr
        return False

    def _afvis(self, ark: str, raekke: _Raekke, objekt, *, udelad=()) -> None:
        """A row that will not be written (it has an error already) still has its record's own
        validation run on the cells that could be read, so one pass names all its errors."""
        ulaeselige = {f for k in raekke.ulaeselige for f in (k, FELT_FOR_KOLONNE.get(k, k))}
        self._gyldig(ark, raekke, objekt, udelad=[*udelad, *ulaeselige])

    def _gyldig(self, ark: str, raekke: _Raekke, objekt, *, udelad=()) -> bool:
        """The record's own validation: fields and ``clean()``. Uniqueness and references are
        checked in memory against the file and the bulk-loaded records instead."""
        try:
            # Who registered a record is never read from the file; checking that user would
            # cost a query per row.
            objekt.full_clean(exclude=[*udelad, *HVEM_FELTER], validate_unique=False,
                              validate_constraints=False)
        except ValidationError as exc:
            for felt, beskeder in exc.message_dict.items():
                kolonne = KOLONNE_FOR_FELT.get(felt, felt)
                if kolonne not in raekke.raa:
                    kolonne = ""
                for besked in beskeder:
                    self._fejl(ark, raekke, kolonne, besked)
            return False
        return True

    def _planlaeg(self, ark: str, raekke: _Raekke, objekt, *, ny: bool, felter=(),
                  m2m=None, noegle="", udelad=(), aendringer=()) -> None:
        """Count the row and, if it is new or changed and valid, keep it for writing."""
        opg = self._opg(ark)
        if not ny and not felter and not m2m:
            opg.uaendrede += 1
            return
        if not self._gyldig(ark, raekke, objekt, udelad=udelad):
            return
        if not self._tilladt(ark, raekke, objekt, ny=ny):
            return
        self.poster[type(objekt)].append(_Post(objekt, ny, list(felter), dict(m2m or {})))
        if ny:
            opg.nye += 1
        else:
            opg.aendrede += 1
            opg.aendringer.append(f"{noegle}: {', '.join(aendringer)}")

    def _tilladt(self, ark: str, raekke: _Raekke, objekt, *, ny: bool) -> bool:
        """``forloeb.adgang``'s rule for the importing user and this row: another's record, or
        one in an approved period without an administrator or without a reason given, is one
        error for the row."""
        if self.bruger is None:
            return True
        foer = () if ny else [self.foer.get((type(objekt), objekt.pk))]
        vurdering = adgang.vurder(self.bruger, objekt, handling="opret" if ny else "ret",
                                  foer=foer, perioder=self.perioder, ejere=self.ejere)
        besked = None
        if not vurdering.tilladt:
            besked = vurdering.grund
        elif vurdering.periode is not None and not self.aarsag:
            besked = (f"{vurdering.periode.grund}; en import, der ændrer registreringer i "
                      "perioden, kræver en årsag (--aarsag TEKST, på importsiden feltet Årsag).")
        if besked is None:
            return True
        model = objekt._meta.model_name
        kolonne = {"henvisning": "forloeb_ekstern_id", "forloeb": "slutdato"}.get(
            model, "dato") if vurdering.periode is not None else ""
        self._fejl(ark, raekke, kolonne if kolonne in raekke.raa else "", besked)
        return False

    @staticmethod
    def _saet(objekt, vaerdier: dict) -> tuple[list[str], list[str]]:
        """Set the values that differ; return the changed field names and their descriptions."""
        felter, beskrivelser = [], []
        for attname, ny in vaerdier.items():
            gammel = getattr(objekt, attname)
            if gammel != ny:
                setattr(objekt, attname, ny)
                navn = objekt._meta.get_field(attname).name
                felter.append(navn)
                beskrivelser.append(
                    f"{KOLONNE_FOR_FELT.get(navn, navn)} {_vis(gammel)} → {_vis(ny)}"
                )
        return felter, beskrivelser

    @staticmethod
    def _skift_virksomhed(objekt, virksomhed, felter: list, aendringer: list) -> None:
        """Move a forløb or AI-tjek to the row's company if it is another (or a new) one."""
        if virksomhed.pk is None or objekt.virksomhed_id != virksomhed.pk:
            objekt.virksomhed = virksomhed
            felter.append("virksomhed")
            aendringer.append(f"cvr → {virksomhed.cvr}")

    def _aktoer(self, ark: str, raekke: _Raekke, kolonne: str, navn: str):
        aktoer = self.aktoerer.get(navn.casefold())
        if aktoer is None and navn.casefold() not in self.fejlramte["Aktoerer"]:
            self._fejl(ark, raekke, kolonne,
                       f"Aktøren '{navn}' findes ikke i appen og står ikke i arket Aktoerer."
                       + _mente_du(navn, [a.navn for a in self.aktoerer.values()], cutoff=0.7))
        return aktoer

    def _virksomhed(self, ark: str, raekke: _Raekke):
        """The row's company; ``None`` when its CVR is unreadable (reported already) or unknown
        (reported here, unless the company's own row failed)."""
        if not raekke.laeselig("cvr"):
            return None
        cvr = raekke.v["cvr"]
        virksomhed = self.virksomheder.get(cvr)
        if virksomhed is None and cvr not in self.fejlramte["Virksomheder"]:
            self._fejl(ark, raekke, "cvr",
                       f"Virksomheden med CVR {cvr} står hverken i arket Virksomheder eller i "
                       "appen. Tilføj den i arket Virksomheder med kommunekode og "
                       "stiftelsesdato.")
        return virksomhed

    def _ukendte_kommuner(self, ark: str, raekke: _Raekke, kolonne: str, koder) -> bool:
        if not raekke.laeselig(kolonne):
            return False
        ukendte = [k for k in koder if k not in self.kommuner]
        if ukendte:
            self._fejl(ark, raekke, kolonne,
                       f"Ukendt kommunekode: {', '.join(ukendte)}. En kommunekode har 3 cifre, "
                       "f.eks. 330 for Slagelse.")
        return bool(ukendte)

    # One method per sheet. Each runs every check on every readable cell of a row before it
    # decides; a row with any error goes to _afvis (its record's own validation) and is not
    # planned.

    def _aktoerer(self, ark: str, raekker) -> None:
        nu = self._m2m_nu(Aktoer, "kommuner", [
            self.aktoerer[r.v["navn"].casefold()] for r in raekker
            if r.v["navn"] and r.v["navn"].casefold() in self.aktoerer
        ])
        sete = {}
        for r in raekker:
            navn, koder = r.v["navn"], r.v["kommunekoder"]
            afvist = [
                r.laeselig("navn") and self._dublet(ark, r, "navn", navn.casefold(), sete),
                self._ukendte_kommuner(ark, r, "kommunekoder", koder),
            ]
            if r.ulaeselige or any(afvist):
                self._fejlramt(ark, navn)
                self._afvis(ark, r, Aktoer(navn=navn, type=r.v["type"]))
                continue
            aktoer = self.aktoerer.get(navn.casefold())
            if aktoer is None:
                aktoer = Aktoer(navn=navn, type=r.v["type"])
                self.aktoerer[navn.casefold()] = aktoer
                self._planlaeg(ark, r, aktoer, ny=True, m2m={"kommuner": koder})
                continue
            felter, aendringer = self._saet(aktoer, {"type": r.v["type"]})
            m2m = {}
            if set(koder) != nu[aktoer.pk]:
                m2m["kommuner"] = koder
                aendringer.append(f"kommunekoder → {ab.liste(koder)}")
            self._planlaeg(ark, r, aktoer, ny=False, felter=felter, m2m=m2m, noegle=navn,
                           aendringer=aendringer)

    def _virksomheder(self, ark: str, raekker) -> None:
        sete = {}
        for r in raekker:
            cvr = r.v["cvr"]
            afvist = [
                r.laeselig("cvr") and self._dublet(ark, r, "cvr", cvr, sete),
                self._ukendte_kommuner(ark, r, "kommunekode", [r.v["kommunekode"]]),
            ]
            vaerdier = {"navn": r.v["navn"], "kommune_id": r.v["kommunekode"],
                        "stiftelsesdato": r.v["stiftelsesdato"]}
            if r.ulaeselige or any(afvist):
                self._fejlramt(ark, cvr)
                self._afvis(ark, r, Virksomhed(cvr=cvr, **vaerdier), udelad=["kommune"])
                continue
            virksomhed = self.virksomheder.get(cvr)
            if virksomhed is None:
                virksomhed = self.virksomheder[cvr] = Virksomhed(cvr=cvr, **vaerdier)
                self._planlaeg(ark, r, virksomhed, ny=True, udelad=["kommune"])
            else:
                felter, aendringer = self._saet(virksomhed, vaerdier)
                self._planlaeg(ark, r, virksomhed, ny=False, felter=felter, noegle=cvr,
                               udelad=["kommune"], aendringer=aendringer)

    def _forloeb(self, ark: str, raekker) -> None:
        nu = self._m2m_nu(Forloeb, "emner", self.forloeb.values())
        sete = {}
        for r in raekker:
            ekstern_id = r.v["ekstern_id"]
            dublet = r.laeselig("ekstern_id") and self._dublet(
                ark, r, "ekstern_id", ekstern_id, sete
            )
            virksomhed = self._virksomhed(ark, r)
            vaerdier = {key: r.v[key] for key in (
                "type", "startdato", "slutdato", "raadgiver", "fyrtaarn")}
            if r.ulaeselige or dublet or virksomhed is None:
                self._fejlramt(ark, ekstern_id)
                self._afvis(ark, r, Forloeb(ekstern_id=ekstern_id, **vaerdier),
                            udelad=["virksomhed"])
                continue
            emner = r.v["emner"]
            forloeb = self.forloeb.get(ekstern_id)
            if forloeb is None:
                forloeb = self.forloeb[ekstern_id] = Forloeb(
                    ekstern_id=ekstern_id, virksomhed=virksomhed, **vaerdier
                )
                self._planlaeg(ark, r, forloeb, ny=True, m2m={"emner": emner},
                               udelad=["virksomhed"])
                continue
            felter, aendringer = self._saet(forloeb, vaerdier)
            self._skift_virksomhed(forloeb, virksomhed, felter, aendringer)
            m2m = {}
            if set(emner) != nu[forloeb.pk]:
                m2m["emner"] = emner
                aendringer.append(f"emner → {ab.liste(emner)}")
            self._planlaeg(ark, r, forloeb, ny=False, felter=felter, m2m=m2m, noegle=ekstern_id,
                           udelad=["virksomhed"], aendringer=aendringer)

    def _henvisninger(self, ark: str, raekker) -> None:
        findes = set()
        for bid in _i_bidder(f.pk for f in self.forloeb.values() if f.pk):
            findes.update(Henvisning.objects.filter(forloeb_id__in=bid).values_list(
                "forloeb_id", "aktoer_id", "dato"
            ))
        sete, nye_aktoerer = {}, []
        for r in raekker:
            forloeb = self._henvisningsforloeb(ark, r)
            aktoer = self._henvisningsaktoer(
                ark, r, nye_aktoerer, opret=forloeb is not None and not r.ulaeselige
            )
            dublet = forloeb is not None and aktoer is not None and r.laeselig("dato") and (
                self._dublet(ark, r, "dato",
                             (forloeb.ekstern_id, aktoer.navn.casefold(), r.v["dato"]), sete)
            )
            if r.ulaeselige or forloeb is None or aktoer is None or dublet:
                self._afvis(ark, r, Henvisning(dato=r.v["dato"]), udelad=["forloeb", "aktoer"])
                continue
            if (forloeb.pk, aktoer.pk, r.v["dato"]) in findes:
                self._opg(ark).uaendrede += 1
                continue
            henvisning = Henvisning(forloeb=forloeb, aktoer=aktoer, dato=r.v["dato"])
            self._planlaeg(ark, r, henvisning, ny=True, udelad=["forloeb", "aktoer"])
        if nye_aktoerer:
            self._opg("Aktoerer").bemaerkninger.append(
                f"{len(nye_aktoerer)} nye aktører fra arket Henvisninger: "
                + ", ".join(nye_aktoerer[:20]) + (" …" if len(nye_aktoerer) > 20 else "")
            )

    def _henvisningsforloeb(self, ark: str, r: _Raekke):
        if not r.laeselig("forloeb_ekstern_id"):
            return None
        ekstern_id = r.v["forloeb_ekstern_id"]
        forloeb = self.forloeb.get(ekstern_id)
        if forloeb is None and ekstern_id.casefold() not in self.fejlramte["Forloeb"]:
            self._fejl(ark, r, "forloeb_ekstern_id",
                       f"Forløbet '{ekstern_id}' står hverken i arket Forloeb eller i appen.")
        return forloeb

    def _henvisningsaktoer(self, ark: str, r: _Raekke, nye_aktoerer: list, *, opret: bool):
        """The referral's aktør; an unknown one is created with the row's aktoertype, but only
        when ``opret`` (the rest of the row is in order)."""
        if not r.laeselig("aktoer"):
            return None
        navn, type_ = r.v["aktoer"], r.v["aktoertype"]
        aktoer = self.aktoerer.get(navn.casefold())
        if aktoer is not None:
            if type_ and type_ != aktoer.type:
                self.advarsler.append(Fejl(
                    f"Aktøren '{aktoer.navn}' har typen '{aktoer.type}'; rækkens '{type_}' bruges "
                    "ikke. Ret typen i arket Aktoerer, hvis den er forkert.",
                    ark=ark, raekke=r.nr, kolonne="aktoertype", vaerdi=type_,
                ))
            return aktoer
        if not r.laeselig("aktoertype"):
            return None  # the cell's error names the types already
        if type_ not in ab.HENVISNING_AKTOERTYPER:
            self._fejl(ark, r, "aktoertype",
                       f"Aktøren '{navn}' er ukendt og oprettes med rækkens aktoertype, som skal "
                       f"være en af: {', '.join(ab.HENVISNING_AKTOERTYPER)}.")
            return None
        if not opret:
            return None
        aktoer = Aktoer(navn=navn, type=type_)
        if not self._gyldig(ark, r, aktoer):
            return None
        self.aktoerer[navn.casefold()] = aktoer
        self.poster[Aktoer].append(_Post(aktoer, ny=True))
        self._opg("Aktoerer").nye += 1
        nye_aktoerer.append(navn)
        return aktoer

    def _ai_tjek(self, ark: str, raekker) -> None:
        sete = {}
        for r in raekker:
            ekstern_id = r.v["ekstern_id"]
            dublet = r.laeselig("ekstern_id") and self._dublet(
                ark, r, "ekstern_id", ekstern_id, sete
            )
            virksomhed = self._virksomhed(ark, r)
            vaerdier = {"dato": r.v["dato"], "henvist_af_lokal_erhvervsservice":
                        r.v["henvist_af_lokal_erhvervsservice"]}
            if r.ulaeselige or dublet or virksomhed is None:
                self._afvis(ark, r, AITjek(ekstern_id=ekstern_id, **vaerdier),
                            udelad=["virksomhed"])
                continue
            ai_tjek = self.ai_tjek.get(ekstern_id)
            if ai_tjek is None:
                ai_tjek = AITjek(ekstern_id=ekstern_id, virksomhed=virksomhed, **vaerdier)
                self._planlaeg(ark, r, ai_tjek, ny=True, udelad=["virksomhed"])
                continue
            felter, aendringer = self._saet(ai_tjek, vaerdier)
            self._skift_virksomhed(ai_tjek, virksomhed, felter, aendringer)
            self._planlaeg(ark, r, ai_tjek, ny=False, felter=felter, noegle=ekstern_id,
                           udelad=["virksomhed"], aendringer=aendringer)

    def _aktiviteter(self, ark: str, raekker) -> None:
        partnere_nu = self._m2m_nu(Aktivitet, "partnere", self.aktiviteter.values())
        kommuner_nu = self._m2m_nu(Aktivitet, "kommuner", self.aktiviteter.values())
        sete = {}
        for r in raekker:
            ekstern_id, koder = r.v["ekstern_id"], r.v["kommunekoder"]
            partnere = [self._aktoer(ark, r, "partnere", navn) for navn in r.v["partnere"] or ()]
            afvist = [
                r.laeselig("ekstern_id") and self._dublet(ark, r, "ekstern_id", ekstern_id, sete),
                self._ukendte_kommuner(ark, r, "kommunekoder", koder),
                None in partnere,
            ]
            vaerdier = {key: r.v[key] for key in ("type", "dato", "titel", "fyrtaarn")}
            if r.ulaeselige or any(afvist):
                self._afvis(ark, r, Aktivitet(ekstern_id=ekstern_id, **vaerdier))
                continue
            aktivitet = self.aktiviteter.get(ekstern_id)
            if aktivitet is None:
                aktivitet = Aktivitet(ekstern_id=ekstern_id, **vaerdier)
                self._planlaeg(ark, r, aktivitet, ny=True,
                               m2m={"partnere": partnere, "kommuner": koder})
                continue
            felter, aendringer = self._saet(aktivitet, vaerdier)
            m2m = {}
            if any(p.pk is None for p in partnere) or {p.pk for p in partnere} != partnere_nu[
                aktivitet.pk
            ]:
                m2m["partnere"] = partnere
                aendringer.append(f"partnere → {ab.liste(p.navn for p in partnere)}")
            if set(koder) != kommuner_nu[aktivitet.pk]:
                m2m["kommuner"] = koder
                aendringer.append(f"kommunekoder → {ab.liste(koder)}")
            self._planlaeg(ark, r, aktivitet, ny=False, felter=felter, m2m=m2m,
                           noegle=ekstern_id, aendringer=aendringer)

    def _programmer(self, ark: str, raekker) -> None:
        findes = {}
        for bid in _i_bidder(v.pk for v in self.virksomheder.values() if v.pk):
            for p in Programdeltagelse.objects.filter(virksomhed_id__in=bid):
                findes[(p.virksomhed_id, p.program, p.dato)] = p
        sete = {}
        for r in raekker:
            noegle = (r.v["cvr"], r.v["program"], r.v["dato"])
            dublet = r.laeselig("cvr", "program", "dato") and self._dublet(
                ark, r, "dato", noegle, sete
            )
            virksomhed = self._virksomhed(ark, r)
            if r.ulaeselige or dublet or virksomhed is None:
                self._afvis(ark, r, Programdeltagelse(
                    program=r.v["program"], status=r.v["status"], dato=r.v["dato"]
                ), udelad=["virksomhed"])
                continue
            deltagelse = findes.get((virksomhed.pk, r.v["program"], r.v["dato"]))
            if deltagelse is None:
                deltagelse = Programdeltagelse(virksomhed=virksomhed, program=r.v["program"],
                                               status=r.v["status"], dato=r.v["dato"])
                self._planlaeg(ark, r, deltagelse, ny=True, udelad=["virksomhed"])
                continue
            felter, aendringer = self._saet(deltagelse, {"status": r.v["status"]})
            self._planlaeg(ark, r, deltagelse, ny=False, felter=felter,
                           noegle=" ".join(map(_vis, noegle)), udelad=["virksomhed"],
                           aendringer=aendringer)

    def _samarbejdsaftaler(self, ark: str, raekker) -> None:
        findes = {(s.aktoer_id, s.dato): s for s in Samarbejdsaftale.objects.filter(
            aktoer__type=Aktoer.Type.KLYNGE
        )}
        sete = {}
        for r in raekker:
            aktoer = self._aktoer(ark, r, "aktoer", r.v["aktoer"]) if r.laeselig("aktoer") \
                else None
            afvist = aktoer is None or any([
                r.laeselig("dato") and self._dublet(
                    ark, r, "dato", (aktoer.navn.casefold(), r.v["dato"]), sete
                ),
                self._ikke_klynge(ark, r, aktoer),
            ])
            if r.ulaeselige or afvist:
                self._afvis(ark, r, Samarbejdsaftale(dato=r.v["dato"],
                                                     beskrivelse=r.v["beskrivelse"]),
                            udelad=["aktoer"])
                continue
            aftale = findes.get((aktoer.pk, r.v["dato"]))
            if aftale is None:
                aftale = Samarbejdsaftale(aktoer=aktoer, dato=r.v["dato"],
                                          beskrivelse=r.v["beskrivelse"])
                self._planlaeg(ark, r, aftale, ny=True, udelad=["aktoer"])
                continue
            felter, aendringer = self._saet(aftale, {"beskrivelse": r.v["beskrivelse"]})
            self._planlaeg(ark, r, aftale, ny=False, felter=felter,
                           noegle=f"{aktoer.navn} {_vis(r.v['dato'])}", udelad=["aktoer"],
                           aendringer=aendringer)

    def _ikke_klynge(self, ark: str, r: _Raekke, aktoer) -> bool:
        if aktoer.type == Aktoer.Type.KLYNGE:
            return False
        self._fejl(ark, r, "aktoer",
                   f"'{aktoer.navn}' er ikke en erhvervsklynge (aktørtype klynge), men "
                   f"'{aktoer.type}'. En samarbejdsaftale indgås med en klynge.")
        return True

    def _maalinger(self, ark: str, raekker) -> None:
        Maaling = _maaling_model()
        hus = self._erhvervshus(ark) if raekker else None
        if hus is None:
            return
        findes = {}
        for m in Maaling.objects.filter(erhvervshus=hus).order_by("id"):
            findes[(m.noegle, m.aar, m.dato)] = m  # where several share a key, the latest
        sete = {}
        for r in raekker:
            noegle = (r.v["noegle"], r.v["aar"], r.v["dato"])
            dublet = r.laeselig("noegle", "aar", "dato") and self._dublet(
                ark, r, "dato", noegle, sete
            )
            vaerdier = {"vaerdi": r.v["vaerdi"], "kilde": r.v["kilde"],
                        "kommentar": r.v["kommentar"]}
            if r.ulaeselige or dublet:
                self._afvis(ark, r, Maaling(erhvervshus=hus, noegle=r.v["noegle"], aar=r.v["aar"],
                                            dato=r.v["dato"], **vaerdier),
                            udelad=["erhvervshus"])
                continue
            maaling = findes.get(noegle)
            if maaling is None:
                maaling = Maaling(erhvervshus=hus, noegle=r.v["noegle"], aar=r.v["aar"],
                                  dato=r.v["dato"], **vaerdier)
                self._planlaeg(ark, r, maaling, ny=True, udelad=["erhvervshus"])
                continue
            felter, aendringer = self._saet(maaling, vaerdier)
            self._planlaeg(ark, r, maaling, ny=False, felter=felter,
                           noegle=" ".join(map(_vis, noegle)), udelad=["erhvervshus"],
                           aendringer=aendringer)

    def _erhvervshus(self, ark: str):
        if self.erhvervshus is not None:
            return self.erhvervshus
        huse = list(apps.get_model("maal", "Erhvervshus").objects.all()[:2])
        if len(huse) == 1:
            return huse[0]
        self.fejl.append(Fejl(
            "Appen har ingen erhvervshuse; målinger kan ikke indlæses, før en kontrakt er "
            "oprettet." if not huse else
            "Appen har flere erhvervshuse; angiv hvilket målingerne hører til (--erhvervshus).",
            ark=ark,
        ))
        return None

    # Writing

    def skriv(self, *, bruger, aarsag: str) -> None:
        """Write the plan in dependency order, with history by ``bruger`` for ``aarsag``."""
        nu = timezone.now()
        for model in (Aktoer, Virksomhed, Forloeb, Henvisning, AITjek, Aktivitet,
                      Programdeltagelse, Samarbejdsaftale, _maaling_model()):
            if self.poster.get(model):
                _skriv(model, self.poster[model], bruger=bruger, aarsag=aarsag, nu=nu)
        self.gemt = True


def _skriv(model, poster: list[_Post], *, bruger, aarsag: str, nu) -> None:
    nye = [p.objekt for p in poster if p.ny]
    aendrede = [p.objekt for p in poster if not p.ny]
    for objekt in nye:
        for hvem in HVEM_FELTER:
            if hasattr(objekt, f"{hvem}_id"):
                setattr(objekt, hvem, bruger)
    # bulk_create takes the keys of related records created just before (the plan holds them).
    model.objects.bulk_create(nye, batch_size=BATCH)
    if aendrede:
        felter = sorted({f for p in poster if not p.ny for f in p.felter})
        if hasattr(model, "opdateret"):
            for objekt in aendrede:
                objekt.opdateret = nu
            felter.append("opdateret")
        if felter:
            model.objects.bulk_update(aendrede, felter, batch_size=BATCH)
    for m2m in model._meta.many_to_many:
        _saet_m2m(m2m, [(p.objekt, p.m2m[m2m.name]) for p in poster if m2m.name in p.m2m])
    historik = model.history.bulk_history_create(
        nye, batch_size=BATCH, default_user=bruger, default_change_reason=aarsag,
        default_date=nu,
    ) + model.history.bulk_history_create(
        aendrede, batch_size=BATCH, update=True, default_user=bruger,
        default_change_reason=aarsag, default_date=nu,
    )
    _m2m_historik(model, historik)


def _m2m_noegler(m2m) -> tuple[str, str]:
    return f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"


def _saet_m2m(m2m, par: list) -> None:
    """Make each object's related set equal to the given objects or keys."""
    if not par:
        return
    through = m2m.remote_field.through
    kilde, maal = _m2m_noegler(m2m)
    nu = defaultdict(set)
    for bid in _i_bidder(o.pk for o, _ in par):
        for a, b in through.objects.filter(**{f"{kilde}__in": bid}).values_list(kilde, maal):
            nu[a].add(b)
    nye = []
    for objekt, relaterede in par:
        oenskede = {r.pk if isinstance(r, models.Model) else r for r in relaterede}
        fjern = nu[objekt.pk] - oenskede
        if fjern:
            through.objects.filter(**{kilde: objekt.pk, f"{maal}__in": fjern}).delete()
        nye += [through(**{kilde: objekt.pk, maal: r}) for r in oenskede - nu[objekt.pk]]
    through.objects.bulk_create(nye, batch_size=BATCH)


def _m2m_historik(model, historik: list) -> None:
    """The many-to-many snapshot of each new history entry, as simple_history records it."""
    historie_model = model.history.model
    for m2m in model._meta.many_to_many:
        if not hasattr(historie_model, m2m.name):
            continue
        snapshot_model = getattr(historie_model, m2m.name).model
        through = m2m.remote_field.through
        kilde, maal = _m2m_noegler(m2m)
        raekker = defaultdict(list)
        for bid in _i_bidder({h.id for h in historik}):
            for id_, a, b in through.objects.filter(**{f"{kilde}__in": bid}).values_list(
                "id", kilde, maal
            ):
                raekker[a].append((id_, b))
        snapshot_model.objects.bulk_create(
            [snapshot_model(history=h, id=id_, **{kilde: h.id, maal: b})
             for h in historik for id_, b in raekker[h.id]],
            batch_size=BATCH,
        )


def _vis(vaerdi) -> str:
    if vaerdi is None or vaerdi == "":
        return "(tom)"
    if isinstance(vaerdi, date):
        return vaerdi.isoformat()
    return str(vaerdi)
