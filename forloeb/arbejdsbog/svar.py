"""What an import answers: each sheet's count of new, changed and unchanged rows with its notes,
and the errors and warnings, each placed as a user finds it in Excel (sheet, row, column, value).

The answer is bounded whatever the file: it keeps the first :data:`MAKS_FEJL` errors in the
file's order and the count of all, and cuts every value shown at :data:`MAKS_VIST` characters.
"""

import heapq
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings

from .ark import ARK, ARK_EFTER_NORMALISERET, ARK_NAVNE, normaliser_overskrift, vist_navn

MAKS_FEJL = 200  # errors (and warnings, and notes per sheet) listed; the rest are counted
MAKS_VIST = 100  # characters of a value shown in a message

# simple_history keeps at most 100 characters of a reason; a reason given with the import keeps
# room for "Import: " before it, so the history still shows it came from an import.
AARSAG_MAKS = 90


def kort(vaerdi, maks: int = MAKS_VIST) -> str:
    """A value as a message shows it: at most ``maks`` characters, cut with an ellipsis."""
    tekst = str(vaerdi)
    return tekst if len(tekst) <= maks else tekst[: maks - 1] + "…"


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


@dataclass(frozen=True)
class Fejl:
    """One problem, placed as a user finds it in Excel: sheet, row, column and value."""

    besked: str
    ark: str = ""
    raekke: int | None = None
    kolonne: str = ""
    vaerdi: object = None

    @property
    def vist_ark(self) -> str:
        return vist_navn(self.ark)

    @property
    def vist_vaerdi(self) -> str:
        if self.vaerdi is None or self.vaerdi == "":
            return ""
        if isinstance(self.vaerdi, datetime):
            return self.vaerdi.strftime("%d-%m-%Y")
        return kort(self.vaerdi)

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


def placering(fejl: Fejl) -> tuple:
    """Where a problem stands in the file, for the answer's order: the file's own first, then
    by sheet in the format's order, by row and by column."""
    navn = ARK_EFTER_NORMALISERET.get(normaliser_overskrift(fejl.ark)) if fejl.ark else None
    if navn is None:
        return (-1 if not fejl.ark else len(ARK_NAVNE), fejl.raekke or 0, 0)
    kolonner = ARK[navn].overskrifter
    kolonne = kolonner.index(fejl.kolonne) if fejl.kolonne in kolonner else len(kolonner)
    return (ARK_NAVNE.index(navn), fejl.raekke or 0, kolonne)


class Fejlliste:
    """The first :data:`MAKS_FEJL` problems in the file's order, and how many there were: a file
    with an error in each of 200,000 rows costs no more memory than one with 200."""

    def __init__(self, maks: int = MAKS_FEJL):
        self.maks = maks
        self.antal = 0
        self._hob: list = []  # (negated placement, sequence, Fejl): the worst kept on top

    def append(self, fejl: Fejl) -> None:
        self.antal += 1
        noegle = tuple(-d for d in placering(fejl))
        post = (noegle, -self.antal, fejl)
        if len(self._hob) < self.maks:
            heapq.heappush(self._hob, post)
        elif post > self._hob[0]:
            heapq.heapreplace(self._hob, post)

    def __len__(self) -> int:
        return self.antal

    def __bool__(self) -> bool:
        return self.antal > 0

    def foerste(self) -> list[Fejl]:
        return [f for _, _, f in sorted(self._hob, reverse=True)]


@dataclass
class Opgoerelse:
    """What a sheet would do (dry run) or did: new, changed and unchanged rows, and notes (an
    exact duplicate row, aktører created from Henvisninger)."""

    ark: str
    nye: int = 0
    aendrede: int = 0
    uaendrede: int = 0
    aendringer: list[str] = field(default_factory=list)
    bemaerkninger: list[str] = field(default_factory=list)
    flere_bemaerkninger: int = 0

    @property
    def raekker(self) -> int:
        return self.nye + self.aendrede + self.uaendrede

    @property
    def vist_navn(self) -> str:
        return vist_navn(self.ark)

    def bemaerk(self, tekst: str) -> None:
        if len(self.bemaerkninger) < MAKS_FEJL:
            self.bemaerkninger.append(tekst)
        else:
            self.flere_bemaerkninger += 1

    @property
    def alle_bemaerkninger(self) -> list[str]:
        """The notes as shown: the first ones, then how many more."""
        if not self.flere_bemaerkninger:
            return self.bemaerkninger
        return [*self.bemaerkninger, f"… og {self.flere_bemaerkninger} bemærkninger mere."]


@dataclass
class Resultat:
    """The answer. ``fejl`` holds the first :data:`MAKS_FEJL` errors in the file's order and
    ``antal_fejl`` the count of all; ``advarsler`` likewise."""

    filnavn: str
    ark: list[Opgoerelse]
    fejl: list[Fejl]
    advarsler: list[Fejl]
    oversprungne_ark: list[str]
    gemt: bool = False
    antal_fejl: int = 0
    antal_advarsler: int = 0

    def __post_init__(self):
        self.antal_fejl = max(self.antal_fejl, len(self.fejl))
        self.antal_advarsler = max(self.antal_advarsler, len(self.advarsler))

    @property
    def ok(self) -> bool:
        return not self.antal_fejl

    @property
    def flere_fejl(self) -> int:
        """Errors not listed (beyond the first :data:`MAKS_FEJL`)."""
        return self.antal_fejl - len(self.fejl)

    @property
    def noget_at_gemme(self) -> bool:
        return any(o.nye or o.aendrede for o in self.ark)

    @property
    def bemaerkninger(self) -> list[tuple[str, str]]:
        """(sheet, note) of every sheet's notes, for the dry run's answer."""
        return [(o.vist_navn, b) for o in self.ark for b in o.alle_bemaerkninger]

    def opgoerelse(self, ark: str) -> Opgoerelse | None:
        return next((o for o in self.ark if o.ark == ark), None)

    def tekst(self) -> str:
        """The answer as plain lines, for the command line."""
        linjer = [f"{self.filnavn}:"]
        for o in self.ark:
            linjer.append(
                f"  {o.ark}: {o.nye} nye, {o.aendrede} ændrede, {o.uaendrede} uændrede"
            )
            linjer += [f"    {b}" for b in o.alle_bemaerkninger]
            linjer += [f"    ændret: {a}" for a in o.aendringer]
        if self.oversprungne_ark:
            linjer.append(f"  Sprunget over: {', '.join(self.oversprungne_ark)}")
        linjer += [f"  Advarsel – {a}" for a in self.advarsler]
        if self.antal_advarsler > len(self.advarsler):
            linjer.append(f"  … og {self.antal_advarsler - len(self.advarsler)} advarsler mere.")
        linjer += [f"  FEJL – {f}" for f in self.fejl]
        if self.flere_fejl:
            linjer.append(f"  … og {self.flere_fejl} fejl mere ({self.antal_fejl} i alt); de "
                          f"første {len(self.fejl)} er vist.")
        return "\n".join(linjer)
