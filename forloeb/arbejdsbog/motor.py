"""The import's one engine: read with limits → check with the models' own rules → plan → write
in one short transaction. :func:`importer` is the entry point (``forloeb.importer.importer``);
the ``importer`` command, the upload page and the background task call it.
"""

import difflib
from collections.abc import Callable

from django.db import DatabaseError
from django.utils import translation

from .. import adgang
from .ark import ARK_NAVNE
from .laes import FilFejl, laes_ark, laes_fil
from .planer import planlaeg
from .skriv import skriv
from .svar import Fejl, Opgoerelse, Resultat, aarsag_fejl, aarsag_for
from .tjek import Import

Fremskridt = Callable[[str, int, int], None]


def importer(
    indhold: bytes, filnavn: str, *, bruger=None, dry_run: bool = False, ark: str | None = None,
    erhvervshus=None, aarsag: str = "", fremskridt: Fremskridt | None = None,
) -> Resultat:
    """Read, check and (unless ``dry_run`` or on any error) write a workbook or CSV file.

    Nothing is written when there is one error. ``ark`` names the sheet of a CSV file whose file
    name does not; ``erhvervshus`` the house målinger belong to when the app has several.
    ``bruger`` is who the history names and whose rights are checked (a dry run without one
    checks neither owners nor approved periods); ``aarsag`` the reason a change in an approved
    period needs, kept in the history after the file's name.

    ``fremskridt``, if given, is called as it goes with (the sheet's name as the user reads it,
    rows read, rows checked): every 1,000 rows while a sheet is read (checked 0) and checked,
    and once when a sheet's check is done (read == checked).
    """
    aarsag = " ".join(aarsag.split())
    with translation.override("da"):
        imp = Import(filnavn, erhvervshus=erhvervshus, bruger=bruger, aarsag=aarsag,
                     fremskridt=fremskridt)
        imp.dry_run = dry_run
        if aarsag_fejl(aarsag):
            imp.fejl.append(Fejl(aarsag_fejl(aarsag)))
            return imp.resultat()
        _laes(imp, indhold, ark=ark)
        if not imp.raekker or imp.overskriftsfejl:
            # Without a readable file or header there are no rows to check against each other.
            return imp.resultat()
        planlaeg(imp)  # outside any transaction: SQLite's write lock waits for the writing
        if not dry_run and not imp.fejl and imp.hus() is None and any(
                post.ny and adgang.hus_felt(model) == "erhvervshus"
                for model, poster in imp.poster.items() for post in poster):
            imp.fejl.append(Fejl("Angiv, hvilket erhvervshus importen er for (--erhvervshus "
                                 "NAVN); intet er gemt."))
        if dry_run or imp.fejl:
            return imp.resultat()
        try:
            skriv(imp, bruger=bruger, aarsag=aarsag_for(filnavn, aarsag))
        except DatabaseError as exc:
            imp.fejl.append(Fejl(
                f"Databasen afviste importen, og intet er gemt ({exc}). Prøv igen; fortsætter "
                "fejlen, så kontakt en administrator."
            ))
            imp.gemt = False
        return imp.resultat()


def _laes(imp: Import, indhold: bytes, *, ark: str | None) -> None:
    try:
        alle, imp.oversprungne = laes_fil(indhold, imp.filnavn, ark, imp.fremskridt)
    except FilFejl as exc:
        imp.fejl.append(Fejl(str(exc)))
        return
    if not alle:
        andre = f" Filen har arkene: {', '.join(imp.oversprungne)}." if imp.oversprungne else ""
        imp.fejl.append(Fejl(
            "Filen har ingen af importens ark. Arkene hedder: " + ", ".join(ARK_NAVNE) + "."
            + andre
        ))
        return
    for oversprunget in imp.oversprungne:
        forslag = difflib.get_close_matches(oversprunget, ARK_NAVNE, n=1, cutoff=0.75)
        if forslag:
            imp.advarsler.append(Fejl(
                f"Arket '{oversprunget}' er ikke et af importens ark og springes over. "
                f"Mente du '{forslag[0]}'?", ark=oversprunget,
            ))
    for raa in alle:
        if raa.navn in imp.raekker:
            imp.fejl.append(Fejl(
                f"Arket {raa.navn} står to gange i filen (som '{raa.titel}').", ark=raa.titel
            ))
            continue
        imp.opgoerelser[raa.navn] = Opgoerelse(raa.navn)
        imp.titler[raa.navn] = raa.titel
        imp.raekker[raa.navn] = laes_ark(imp, raa)
