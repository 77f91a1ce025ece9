"""The sheets of the registration workbook (``IMPORTFORMAT.md``), each described once: its
columns and how each cell is read (:class:`Kolonne`), the columns that make a row's key, the
model a row becomes, and how a record is laid out as a row for the export.

The rules a row must pass are its model's own (``full_clean``: fields, ``clean()``,
constraints), run by ``forloeb.arbejdsbog.tjek``; nothing here re-states them.
"""

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from ..models import Aktivitet, Aktoer, Emne, Forloeb, Fyrtaarn, Kommune, Programdeltagelse

LISTESKILLE = ";"
VEJLEDNINGSMAERKE = "Vejledning:"
VEJLEDNINGSARK = "Vejledning"

# Cell kinds, as the importer reads them (``forloeb.arbejdsbog.celler``). NAVN is text kept as
# a name is kept (``validators.normaliser_navn``: no outer spaces, inner whitespace one space).
TEKST, CVR, DATO, LISTE, JANEJ, KODE, TAL, HELTAL, KOMMUNE, KOMMUNER, NAVN = (
    "tekst", "cvr", "dato", "liste", "janej", "kode", "tal", "heltal", "kommune", "kommuner",
    "navn",
)


@dataclass(frozen=True)
class Kolonne:
    """A column of a sheet. ``koder`` are the codes the importer reads; ``vist`` the ones the
    format documents, named in messages and offered in the template's dropdown, where a column
    reads more than it documents (Henvisninger's aktoertype also reads an export's 'klynge')."""

    navn: str
    art: str = TEKST
    koder: tuple[str, ...] = ()
    paakraevet: bool = False
    vist: tuple[str, ...] = ()
    navne: bool = False  # a list of names, each kept as NAVN keeps it

    @property
    def tilladte(self) -> tuple[str, ...]:
        return self.vist or self.koder


@dataclass(frozen=True)
class Ark:
    """A sheet: its columns; the guidance line above its header in the template; how a record
    becomes a row (``raekke``, on a queryset ``forbered`` has prepared); the model a row
    becomes (``model``, "app.Model") and the columns of its key (``noegle``): two rows with the
    same key are one record, and a row whose key the app knows updates that record."""

    navn: str
    kolonner: tuple[Kolonne, ...]
    vejledning: str
    raekke: Callable
    forbered: Callable[[QuerySet], QuerySet]
    model: str = ""
    noegle: tuple[str, ...] = ()
    titel: str = ""  # how the screens name the sheet, where its name is ASCII-folded

    @property
    def vist_navn(self) -> str:
        """"Forløb" for the sheet named "Forloeb": the pages speak Danish, the workbook's sheet
        names stay as IMPORTFORMAT.md fixes them."""
        return self.titel or self.navn

    @property
    def overskrifter(self) -> list[str]:
        return [k.navn for k in self.kolonner]


def normaliser_overskrift(tekst) -> str:
    """'Ekstern ID', 'ekstern_id' and 'EKSTERN-ID' are one header; 'Forløb' is 'forloeb'."""
    tekst = str(tekst or "").strip().lower()
    for dansk, ascii_ in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        tekst = tekst.replace(dansk, ascii_)
    tekst = unicodedata.normalize("NFKD", tekst).encode("ascii", "ignore").decode()
    return "".join(c for c in tekst if c.isalnum())


def liste(vaerdier: Iterable[str]) -> str:
    return LISTESKILLE.join(sorted(vaerdier))


def ja_nej(vaerdi: bool) -> str:
    return "ja" if vaerdi else "nej"


# --- The nine sheets --------------------------------------------------------------------------

FORLOEBSTYPER = tuple(Forloeb.Type.values)
EMNER = ("baeredygtighed", "ai", "digitalisering", "eksport", "rekruttering", "finansiering",
         "innovation", "andet")
FYRTAARNE = tuple(Fyrtaarn.values)
AKTOERTYPER = tuple(Aktoer.Type.values)
HENVISNING_AKTOERTYPER = ("statslig", "privat", "lokal", "anden")


def _virksomhed(v):
    return (v.cvr, v.navn, v.kommune_id, v.stiftelsesdato)


def _forloeb(f):
    return (
        f.ekstern_id, f.virksomhed.cvr, f.type, f.startdato, f.slutdato, f.raadgiver,
        liste(e.kode for e in f.emner.all()), f.fyrtaarn,
    )


def _aktoer(a):
    return (a.navn, a.type, liste(k.kode for k in a.kommuner.all()))


def _henvisning(h):
    return (h.forloeb.ekstern_id, h.aktoer.navn, h.aktoer.type, h.dato)


def _ai_tjek(t):
    return (t.ekstern_id, t.virksomhed.cvr, t.dato, ja_nej(t.henvist_af_lokal_erhvervsservice))


def _aktivitet(a):
    return (
        a.ekstern_id, a.type, a.dato, a.titel, liste(p.navn for p in a.partnere.all()),
        liste(k.kode for k in a.kommuner.all()), a.fyrtaarn,
    )


def _programdeltagelse(p):
    return (p.virksomhed.cvr, p.program, p.status, p.dato)


def _samarbejdsaftale(s):
    return (s.aktoer.navn, s.dato, s.beskrivelse)


def _maaling(m):
    return (m.noegle, m.aar, m.vaerdi, m.kilde, m.dato, m.kommentar)


def _kun_koder(felt):
    return Prefetch(felt, queryset=Kommune.objects.only("kode"))


ARK: dict[str, Ark] = {
    ark.navn: ark
    for ark in (
        Ark(
            "Virksomheder",
            (Kolonne("cvr", CVR, paakraevet=True), Kolonne("navn", paakraevet=True),
             Kolonne("kommunekode", KOMMUNE, paakraevet=True), Kolonne("stiftelsesdato", DATO,
                                                                     paakraevet=True)),
            "Én række pr. virksomhed. CVR med 8 cifre, kommunekode med 3 cifre (hovedsædet), "
            "stiftelsesdato som dato.",
            _virksomhed,
            lambda qs: qs,
            "forloeb.Virksomhed", ("cvr",),
        ),
        Ark(
            "Forloeb",
            (Kolonne("ekstern_id", paakraevet=True), Kolonne("cvr", CVR, paakraevet=True),
             Kolonne("type", KODE, FORLOEBSTYPER, paakraevet=True),
             Kolonne("startdato", DATO, paakraevet=True), Kolonne("slutdato", DATO),
             Kolonne("raadgiver"), Kolonne("emner", LISTE, EMNER),
             Kolonne("fyrtaarn", KODE, FYRTAARNE)),
            "type: kort, handlingsplan, vaekstplan eller omstillingsplan. Tom slutdato = "
            "igangværende. emner adskilt af ; (baeredygtighed;ai;…). fyrtaarn: tom, femern "
            "eller biosolutions.",
            _forloeb,
            lambda qs: qs.select_related("virksomhed").prefetch_related(
                Prefetch("emner", queryset=Emne.objects.only("kode"))
            ),
            "forloeb.Forloeb", ("ekstern_id",), titel="Forløb",
        ),
        Ark(
            "Aktoerer",
            (Kolonne("navn", NAVN, paakraevet=True),
             Kolonne("type", KODE, AKTOERTYPER, paakraevet=True),
             Kolonne("kommunekoder", KOMMUNER)),
            "type: statslig, privat, lokal, klynge eller anden. kommunekoder adskilt af ; "
            "(for lokal: de kommuner, aktøren betjener).",
            _aktoer,
            lambda qs: qs.prefetch_related(_kun_koder("kommuner")),
            "forloeb.Aktoer", ("navn",), titel="Aktører",
        ),
        Ark(
            "Henvisninger",
            (Kolonne("forloeb_ekstern_id", paakraevet=True),
             Kolonne("aktoer", NAVN, paakraevet=True),
             Kolonne("aktoertype", KODE, AKTOERTYPER, vist=HENVISNING_AKTOERTYPER),
             Kolonne("dato", DATO, paakraevet=True)),
            "Forløbets ekstern_id, aktørens navn og henvisningens dato. En ukendt aktør "
            "oprettes med aktoertype (statslig, privat, lokal eller anden).",
            _henvisning,
            lambda qs: qs.select_related("forloeb", "aktoer").only(
                "dato", "forloeb__ekstern_id", "aktoer__navn", "aktoer__type"
            ),
            "forloeb.Henvisning", ("forloeb_ekstern_id", "aktoer", "dato"),
        ),
        Ark(
            "AI-tjek",
            (Kolonne("ekstern_id", paakraevet=True), Kolonne("cvr", CVR, paakraevet=True),
             Kolonne("dato", DATO, paakraevet=True),
             Kolonne("henvist_af_lokal_erhvervsservice", JANEJ)),
            "henvist_af_lokal_erhvervsservice: ja eller nej.",
            _ai_tjek,
            lambda qs: qs.select_related("virksomhed"),
            "forloeb.AITjek", ("ekstern_id",),
        ),
        Ark(
            "Aktiviteter",
            (Kolonne("ekstern_id", paakraevet=True),
             Kolonne("type", KODE, tuple(Aktivitet.Type.values), paakraevet=True),
             Kolonne("dato", DATO, paakraevet=True), Kolonne("titel", paakraevet=True),
             Kolonne("partnere", LISTE, navne=True), Kolonne("kommunekoder", KOMMUNER),
             Kolonne("fyrtaarn", KODE, FYRTAARNE)),
            "type: faelles_aktivitet, klyngearrangement, event eller andet. partnere: aktørnavne "
            "adskilt af ;. kommunekoder adskilt af ;.",
            _aktivitet,
            lambda qs: qs.prefetch_related(
                Prefetch("partnere", queryset=Aktoer.objects.only("navn")), _kun_koder("kommuner")
            ),
            "forloeb.Aktivitet", ("ekstern_id",),
        ),
        Ark(
            "Programmer",
            (Kolonne("cvr", CVR, paakraevet=True),
             Kolonne("program", KODE, tuple(Programdeltagelse.Program.values), paakraevet=True),
             Kolonne("status", KODE, tuple(Programdeltagelse.Status.values), paakraevet=True),
             Kolonne("dato", DATO, paakraevet=True)),
            "program: attraktive_arbejdspladser eller smv_vaekstpilot. status: ansoegt, "
            "bevilget eller afslag.",
            _programdeltagelse,
            lambda qs: qs.select_related("virksomhed"),
            "forloeb.Programdeltagelse", ("cvr", "program", "dato"),
        ),
        Ark(
            "Samarbejdsaftaler",
            (Kolonne("aktoer", NAVN, paakraevet=True), Kolonne("dato", DATO, paakraevet=True),
             Kolonne("beskrivelse")),
            "aktoer: en erhvervsklynge (aktørtype klynge), som appen kender eller arket "
            "Aktoerer opretter.",
            _samarbejdsaftale,
            lambda qs: qs.select_related("aktoer"),
            "forloeb.Samarbejdsaftale", ("aktoer", "dato"),
        ),
        Ark(
            "Maalinger",
            (Kolonne("noegle", paakraevet=True), Kolonne("aar", HELTAL, paakraevet=True),
             Kolonne("vaerdi", TAL, paakraevet=True), Kolonne("kilde", paakraevet=True),
             Kolonne("dato", DATO, paakraevet=True), Kolonne("kommentar")),
            "noegle: en indikatornøgle, f.eks. M3.nps eller M14.omsaetning. vaerdi som tal "
            "(procent som 71,4). kilde: ERST, DST, Erhvervshus Hovedstaden, økonomisystemet …",
            _maaling,
            lambda qs: qs,
            "maal.Maaling", ("noegle", "aar", "dato"), titel="Målinger",
        ),
    )
}
ARK_NAVNE = tuple(ARK)


def vist_navn(navn: str) -> str:
    """A sheet's name as the pages show it (:attr:`Ark.vist_navn`); any other name as it is."""
    return ARK[navn].vist_navn if navn in ARK else navn


ARK_EFTER_NORMALISERET = {normaliser_overskrift(navn): navn for navn in ARK_NAVNE}
