"""Checking and planning: every row is checked with its model's own rules and becomes new,
changed or unchanged in the plan.

The rules are the models' (``full_clean``: field validators such as the CVR's modulus 11 and the
contract years, ``clean()`` such as a slutdato after its startdato, a måling dated in its year, a
samarbejdsaftale with a klynge) and ``forloeb.adgang``'s (owners, approved periods), called on
each unsaved or changed instance. What would cost a query per row is done in memory instead:

- **uniqueness** against the keys of the file and of the records loaded in bulk (a few queries
  per sheet), with the constraint's own ``violation_error_message`` as the text;
- **references** (a company, a forløb, an aktør, a kommune) against those loaded records.

So ``full_clean`` runs with ``validate_unique=False, validate_constraints=False`` and excludes
the relations checked in memory. The sheets' own steps are in :mod:`.planer`.

Nothing here writes, and nothing here runs inside a transaction: SQLite takes its write lock
when a transaction begins, so the plan is made first and :mod:`.skriv` writes it in one short one.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from .. import adgang, laas
from ..validators import normaliser_cvr
from .ark import ARK, ARK_NAVNE
from .celler import mente_du
from .laes import Raekke
from .svar import Fejl, Fejlliste, Opgoerelse, Resultat, kort

BATCH = 500
FREMSKRIDT_HVER = 1000
# Model fields named differently from their column, for placing a full_clean error.
KOLONNE_FOR_FELT = {
    "kommune": "kommunekode",
    "virksomhed": "cvr",
    "forloeb": "forloeb_ekstern_id",
    "kommuner": "kommunekoder",
}
HVEM_FELTER = ("oprettet_af", "indtastet_af")  # set to the importing user, never from the file
# Set to the import's house (``Import.hus``), never from the file.
HUS_FELTER = ("erhvervshus",)
# The sheets whose records belong to a house: an import with one of them is for a house.
HUSETS_ARK = ("Forloeb", "Henvisninger", "AI-tjek", "Aktiviteter", "Programmer",
              "Samarbejdsaftaler", "Maalinger")
FELT_FOR_KOLONNE = {kolonne: felt for felt, kolonne in KOLONNE_FOR_FELT.items()}


def i_bidder(vaerdier, stoerrelse=BATCH):
    vaerdier = list(vaerdier)
    for start in range(0, len(vaerdier), stoerrelse):
        yield vaerdier[start:start + stoerrelse]


def model_for(ark: str):
    # maal depends on forloeb, not the other way round; the import reaches it by name.
    return apps.get_model(ARK[ark].model)


def unik_besked(model, begraensning: str) -> str:
    """The text the model itself gives when a key is taken: the UniqueConstraint's
    ``violation_error_message``. (A row whose key the app knows updates that record; two rows
    of the file with one key are the clash the database would refuse.)"""
    return next(str(c.violation_error_message) for c in model._meta.constraints
                if c.name == begraensning)


@dataclass
class Post:
    """One record to write: new (unsaved) or existing with ``felter`` changed, and its m2m sets
    (objects or primary keys) where new or changed."""

    objekt: models.Model
    ny: bool
    felter: list[str] = field(default_factory=list)
    m2m: dict[str, list] = field(default_factory=dict)


class Brugere:
    """The app's users by pk, read in one query when an owner's name is first needed."""

    def __init__(self):
        self._alle = None

    def get(self, pk):
        if self._alle is None:
            from django.contrib.auth import get_user_model

            self._alle = get_user_model().objects.in_bulk()
        return self._alle.get(pk)


class Import:
    """One import's state: the rows read, the errors found, the plan."""

    def __init__(self, filnavn: str, *, erhvervshus=None, bruger=None, aarsag: str = "",
                 fremskridt=None):
        self.filnavn = Path(filnavn).name
        self.erhvervshus = erhvervshus
        self._hus, self._hus_afgjort = None, False
        self.dry_run = False
        self.hus_mangler = False  # the house could not be decided (one error says why)
        self.bruger = bruger
        self.aarsag = aarsag
        self.fremskridt = fremskridt
        self.ejere = Brugere()
        self.perioder: list[laas.LaastPeriode] = []
        self.foer: dict[tuple, object] = {}
        self.fejl = Fejlliste()
        self.advarsler = Fejlliste()
        self.oversprungne: list[str] = []
        self.raekker: dict[str, list[Raekke]] = {}
        self.titler: dict[str, str] = {}
        self.opgoerelser: dict[str, Opgoerelse] = {}
        self.poster: dict[type, list[Post]] = defaultdict(list)
        self.fejlramte: dict[str, set] = defaultdict(set)
        self.overskriftsfejl = False
        self.gemt = False

    def resultat(self) -> Resultat:
        orden = {navn: i for i, navn in enumerate(ARK_NAVNE)}
        return Resultat(
            filnavn=self.filnavn,
            ark=sorted(self.opgoerelser.values(), key=lambda o: orden[o.ark]),
            fejl=self.fejl.foerste(), antal_fejl=self.fejl.antal,
            advarsler=self.advarsler.foerste(), antal_advarsler=self.advarsler.antal,
            oversprungne_ark=self.oversprungne, gemt=self.gemt,
        )

    def fejl_i(self, ark: str, raekke: Raekke, kolonne: str, besked: str) -> None:
        self.fejl.append(Fejl(besked, ark=ark, raekke=raekke.nr, kolonne=kolonne,
                              vaerdi=raekke.raa.get(kolonne)))

    def fejlramt(self, ark: str, noegle: str | None) -> None:
        """Remember the key of a row that fails, so that the rows referring to it are not also
        reported as naming something missing."""
        if noegle:
            self.fejlramte[ark].add(
                normaliser_cvr(noegle) if ark == "Virksomheder" else " ".join(
                    noegle.split()).casefold()
            )

    def gennem(self, ark: str, raekker):
        """The rows of a sheet, telling the progress hook how far the check has come."""
        titel, i = self.titler.get(ark, ark), 0
        for i, raekke in enumerate(raekker, 1):
            yield raekke
            if self.fremskridt and i % FREMSKRIDT_HVER == 0:
                self.fremskridt(titel, len(raekker), i)
        if self.fremskridt:
            self.fremskridt(titel, len(raekker), len(raekker))

    # Loading what the rows refer to

    def vaerdier(self, ark: str, kolonne: str) -> set:
        return {r.v[kolonne] for r in self.raekker.get(ark, ()) if r.v.get(kolonne)}

    def hent_eksisterende(self) -> None:
        """Everything the rows refer to, loaded in bulk by the keys the file names."""
        from ..models import AITjek, Aktivitet, Aktoer, Forloeb, Kommune, Virksomhed

        self.kommuner = set(Kommune.objects.values_list("kode", flat=True))
        self.aktoerer = {a.navn.casefold(): a for a in Aktoer.objects.all()}
        cvr = set().union(*(self.vaerdier(ark, "cvr")
                            for ark in ("Virksomheder", "Forloeb", "AI-tjek", "Programmer")))
        self.virksomheder = self.hent(Virksomhed, "cvr", cvr)
        ekstern = self.vaerdier("Forloeb", "ekstern_id") | self.vaerdier(
            "Henvisninger", "forloeb_ekstern_id"
        )
        self.forloeb = self.hent(Forloeb, "ekstern_id", ekstern)
        self.ai_tjek = self.hent(AITjek, "ekstern_id", self.vaerdier("AI-tjek", "ekstern_id"))
        self.aktiviteter = self.hent(
            Aktivitet, "ekstern_id", self.vaerdier("Aktiviteter", "ekstern_id")
        )
        if self.bruger is not None:
            self.perioder = laas.laaste_perioder()
            # Each existing record's counting date before the file changes it.
            self.foer = {(type(o), o.pk): laas.taelledato(o) for samling in (
                self.forloeb, self.ai_tjek, self.aktiviteter) for o in samling.values()}

    @staticmethod
    def hent(model, noegle: str, vaerdier) -> dict:
        fundne = {}
        for bid in i_bidder(vaerdier):
            fundne.update((getattr(o, noegle), o) for o in model.objects.filter(
                **{f"{noegle}__in": bid}
            ))
        return fundne

    @staticmethod
    def m2m_nu(model, felt: str, objekter) -> dict[int, set]:
        """The current related keys of ``felt`` for each existing object."""
        m2m = model._meta.get_field(felt)
        kilde, maal = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
        nu = defaultdict(set)
        for bid in i_bidder(o.pk for o in objekter if o.pk):
            for a, b in m2m.remote_field.through.objects.filter(
                **{f"{kilde}__in": bid}
            ).values_list(kilde, maal):
                nu[a].add(b)
        return nu

    # The checks

    def opg(self, ark: str) -> Opgoerelse:
        return self.opgoerelser.setdefault(ark, Opgoerelse(ark))

    def dublet(self, ark: str, raekke: Raekke, kolonne: str, noegle, sete: dict,
               besked: str = "") -> bool:
        """A second row with a key seen before (and other values: identical rows were counted
        once when read) is an error, in the model's own words where it has them."""
        if noegle in sete:
            hvor = (f"samme nøgle står allerede i række {sete[noegle]}. De to rækker er ikke ens "
                    "i alle kolonner.")
            self.fejl_i(ark, raekke, kolonne, f"{besked} I filen: {hvor}" if besked
                        else f"Rækken er en dublet: {hvor}")
            return True
        sete[noegle] = raekke.nr
        return False

    def afvis(self, ark: str, raekke: Raekke, objekt, *, udelad=()) -> None:
        """A row that will not be written (it has an error already) still has its record's own
        validation run on the cells that could be read, so one pass names all its errors."""
        ulaeselige = {f for k in raekke.ulaeselige for f in (k, FELT_FOR_KOLONNE.get(k, k))}
        self.gyldig(ark, raekke, objekt, udelad=[*udelad, *ulaeselige])

    def gyldig(self, ark: str, raekke: Raekke, objekt, *, udelad=()) -> bool:
        """The record's own validation: fields and ``clean()``. Uniqueness and references are
        checked in memory against the file and the bulk-loaded records instead."""
        try:
            # Who registered a record is never read from the file; checking that user would
            # cost a query per row.
            objekt.full_clean(exclude=[*udelad, *HVEM_FELTER, *HUS_FELTER], validate_unique=False,
                              validate_constraints=False)
        except ValidationError as exc:
            for felt, beskeder in exc.message_dict.items():
                kolonne = KOLONNE_FOR_FELT.get(felt, felt)
                if kolonne not in raekke.raa:
                    kolonne = ""
                for besked in beskeder:
                    self.fejl_i(ark, raekke, kolonne, besked)
            return False
        return True

    def planlaeg(self, ark: str, raekke: Raekke, objekt, *, ny: bool, felter=(), m2m=None,
                 noegle="", udelad=(), aendringer=()) -> None:
        """Count the row and, if it is new or changed and valid, keep it for writing."""
        opg = self.opg(ark)
        if not self.i_huset(ark, raekke, objekt, ny=ny):
            return
        if not ny and not felter and not m2m:
            opg.uaendrede += 1
            return
        if not self.gyldig(ark, raekke, objekt, udelad=udelad):
            return
        if not self.tilladt(ark, raekke, objekt, ny=ny):
            return
        self.poster[type(objekt)].append(Post(objekt, ny, list(felter), dict(m2m or {})))
        if ny:
            opg.nye += 1
        else:
            opg.aendrede += 1
            opg.aendringer.append(f"{kort(noegle)}: {', '.join(aendringer)}")

    def i_huset(self, ark: str, raekke: Raekke, objekt, *, ny: bool) -> bool:
        """A new record gets the import's house; an existing one must be that house's (ESCRM's
        ids are national, so a row naming another house's record is an error, not a change of
        house)."""
        if adgang.hus_felt(type(objekt)) is None or self._hus is None:
            return True
        hus = adgang.hus_id(objekt)
        if hus is None and ny and objekt._meta.model_name != "henvisning":
            objekt.erhvervshus = self._hus
            return True
        if hus is None or hus == self._hus.pk:
            return True
        self.fejl_i(ark, raekke, "", f"{adgang.betegnelse(objekt)} hører til et andet "
                                     f"erhvervshus; importen er for {self._hus}.")
        return False

    def tilladt(self, ark: str, raekke: Raekke, objekt, *, ny: bool) -> bool:
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
        self.fejl_i(ark, raekke, kolonne if kolonne in raekke.raa else "", besked)
        return False

    @staticmethod
    def saet(objekt, vaerdier: dict) -> tuple[list[str], list[str]]:
        """Set the values that differ; return the changed field names and their descriptions."""
        felter, beskrivelser = [], []
        for attname, ny in vaerdier.items():
            gammel = getattr(objekt, attname)
            if gammel != ny:
                setattr(objekt, attname, ny)
                navn = objekt._meta.get_field(attname).name
                felter.append(navn)
                beskrivelser.append(
                    f"{KOLONNE_FOR_FELT.get(navn, navn)} {vis(gammel)} → {vis(ny)}"
                )
        return felter, beskrivelser

    @staticmethod
    def skift_virksomhed(objekt, virksomhed, felter: list, aendringer: list) -> None:
        """Move a forløb or AI-tjek to the row's company if it is another (or a new) one."""
        if virksomhed.pk is None or objekt.virksomhed_id != virksomhed.pk:
            objekt.virksomhed = virksomhed
            felter.append("virksomhed")
            aendringer.append(f"cvr → {virksomhed.cvr}")

    # References, against what was loaded and what the file defines

    def aktoer(self, ark: str, raekke: Raekke, kolonne: str, navn: str):
        aktoer = self.aktoerer.get(navn.casefold())
        if aktoer is None and navn.casefold() not in self.fejlramte["Aktoerer"]:
            self.fejl_i(ark, raekke, kolonne,
                        f"Aktøren '{kort(navn)}' findes ikke i appen og står ikke i arket "
                        "Aktoerer." + mente_du(navn, [a.navn for a in self.aktoerer.values()],
                                               cutoff=0.7))
        return aktoer

    def virksomhed(self, ark: str, raekke: Raekke):
        """The row's company; ``None`` when its CVR is unreadable (reported already) or unknown
        (reported here, unless the company's own row failed)."""
        if not raekke.laeselig("cvr"):
            return None
        cvr = raekke.v["cvr"]
        virksomhed = self.virksomheder.get(cvr)
        if virksomhed is None and cvr not in self.fejlramte["Virksomheder"]:
            self.fejl_i(ark, raekke, "cvr",
                        f"Virksomheden med CVR {cvr} står hverken i arket Virksomheder eller i "
                        "appen. Tilføj den i arket Virksomheder med kommunekode og "
                        "stiftelsesdato.")
        return virksomhed

    def ukendte_kommuner(self, ark: str, raekke: Raekke, kolonne: str, koder) -> bool:
        if not raekke.laeselig(kolonne):
            return False
        ukendte = [k for k in koder if k not in self.kommuner]
        if ukendte:
            self.fejl_i(ark, raekke, kolonne,
                        f"Ukendt kommunekode: {kort(', '.join(ukendte))}. En kommunekode har 3 "
                        "cifre, f.eks. 330 for Slagelse.")
        return bool(ukendte)

    def hus(self, ark: str | None = None):
        """The house the import is for, decided once: the one given (one of the user's), else
        the user's only house (without a user: none, and no house is checked). None, with one
        error, when a user's cannot be decided."""
        if not self._hus_afgjort:
            self._hus_afgjort = True
            self._hus = self._find_hus(ark)
        return self._hus

    def husets(self, qs):
        """``qs`` narrowed to the import's house (not narrowed when it has none: a dry run
        without a user)."""
        return qs.filter(erhvervshus=self._hus) if self._hus is not None else qs

    @staticmethod
    def eneste_hus():
        alle = apps.get_model("maal", "Erhvervshus").objects.all()
        huse = list(alle.filter(kontrakter__isnull=False).distinct()[:2]) or list(alle[:2])
        return huse[0] if len(huse) == 1 else None

    def maalingernes_hus(self, ark: str):
        """Without a user, the house målinger belong to: the only house with a contract (a
        måling needs its house's contract), else the app's only house."""
        alle = apps.get_model("maal", "Erhvervshus").objects.all()
        huse = list(alle.filter(kontrakter__isnull=False).distinct()[:2]) or list(alle[:2])
        if len(huse) == 1:
            return huse[0]
        self.fejl.append(Fejl(
            "Appen har ingen erhvervshuse; målinger kan ikke indlæses, før en kontrakt er "
            "oprettet." if not huse else
            "Appen har flere erhvervshuse; angiv hvilket målingerne hører til (--erhvervshus).",
            ark=ark,
        ))
        return None

    def _find_hus(self, ark):
        if self.erhvervshus is not None:
            if self.bruger is not None and not adgang.i_husene(self.bruger, self.erhvervshus.pk):
                self.fejl.append(Fejl(
                    f"{adgang.navn(self.bruger)} er ikke medlem af {self.erhvervshus} og kan ikke "
                    "importere for det hus.", ark=ark))
                self.hus_mangler = True
                return None
            return self.erhvervshus
        if self.bruger is None:
            # Without a user (a dry run, or code): the only house with a contract, else the
            # app's only house; with none of them no house is checked, and new records are
            # written only for a house given (``motor``).
            return self.eneste_hus()
        huse = (adgang.brugerens_huse(self.bruger) if self.bruger is not None
                else apps.get_model("maal", "Erhvervshus").objects.all())
        huse = list(huse[:2])
        if len(huse) == 1:
            return huse[0]
        if not huse:
            besked = (f"{adgang.navn(self.bruger)} er ikke medlem af noget erhvervshus; bed en "
                      "administrator om et medlemskab." if self.bruger is not None else
                      "Appen har ingen erhvervshuse; registreringer kan ikke indlæses, før et "
                      "hus er oprettet.")
        else:
            besked = ("Angiv, hvilket erhvervshus importen er for (--erhvervshus NAVN, på "
                      "importsiden feltet Erhvervshus).")
        self.fejl.append(Fejl(besked, ark=ark))
        self.hus_mangler = True
        return None


def vis(vaerdi) -> str:
    if vaerdi is None or vaerdi == "":
        return "(tom)"
    if isinstance(vaerdi, date):
        return vaerdi.isoformat()
    return kort(vaerdi)
