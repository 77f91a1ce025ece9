"""Explanations and approval: what the house writes beside the figures, and what KKR was shown.

- **Explanations** (:func:`forklaring_gem`, :func:`forklaringer`): an administrator's short text
  for a goal, or one of its indicators, in H1 or helår. Written through ``forloeb.services`` so
  the history keeps every version with who wrote it; an empty text removes it.
- **Approval** (:func:`godkend`): refused while :func:`mangler` lists anything (an indicator
  ``bagud`` or ``ikke_opfyldt`` without an explanation on itself or its goal; in a finished year a
  milepæl without the final assessment). It stores the period's whole result as it stands,
  every :class:`Resultat` (``Resultat.til_snapshot``), the explanations and so the milestone
  narratives in each milepæl's ``detaljer``, as the next version. Only a user with
  ``maal.godkend_rapport`` approves; the service checks it, whoever calls.
- **What is shown** (:func:`rapport_til_visning`, :func:`rapport_json`): the one rule for every
  page, workbook and JSON report: an approved period shows its newest approved version, rebuilt
  from the snapshot alone (:func:`godkendt_rapport`, no recount, no query), unless today's
  figures are asked for (``aktuel``); a status date is never approved and always live.
- **Since the approval** (:func:`aendringer_siden`, :func:`flyttede_tal`): the records changed
  since then that touch the period (from the audit trail, ``rapporter.revision``) and the
  indicators whose figure or status moved.
- **Locks** (:func:`laaste_perioder`): every approved period, for ``forloeb.laas``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, is_dataclass, replace
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from forloeb import services
from forloeb.laas import LaastPeriode
from kontrakt import dataversion
from maal.models import Resultatkontrakt

from .beregning import STATUS_TEKST, Periode, Resultat, Status, json_tal
from .models import Forklaring, Godkendelse, dansk_dato
from .resultater import Rapport, rapport_for

GODKEND_RET = "maal.godkend_rapport"
PERIODER = {"H1": Periode.h1, "helaar": Periode.helaar}
# The statuses an explanation must stand beside before a period is approved.
FORKLARES = (Status.BAGUD, Status.IKKE_OPFYLDT)
MANGLER_FORKLARING = "mangler en forklaring"
MANGLER_VURDERING = "mangler den endelige vurdering"
SNAPSHOT_FORMAT = 1


def _tjek_periode(periode: str) -> None:
    if periode not in PERIODER:
        raise ValidationError(
            {"periode": f"Ukendt periode '{periode}'. Forklaringer og godkendelser gælder "
                        "H1 (1. halvår) eller helaar (hele året)."}
        )


def rapportperiode(kontrakt, periode: str) -> Periode:
    """The :class:`Periode` of "H1" or "helaar" in the contract's year; ``ValidationError``
    for anything else (a status date is never explained or approved)."""
    _tjek_periode(periode)
    return PERIODER[periode](kontrakt.aar)


def brugernavn(bruger) -> str:
    return (bruger.get_full_name() or bruger.get_username()).strip()


# ---------------------------------------------------------------------------------------------
# Explanations


def forklaring_gem(*, maal, indikator=None, periode: str, tekst: str, bruger) -> Forklaring | None:
    """Write (or, with an empty text, remove) the explanation of a goal or one of its indicators
    for ``periode`` ("H1" or "helaar"); the history keeps every version with who wrote it.
    Only those who approve write them (``maal.godkend_rapport``): ``PermissionDenied`` else."""
    if bruger is None or not bruger.is_active or not bruger.has_perm(GODKEND_RET):
        raise PermissionDenied("Kun en administrator kan skrive forklaringer.")
    _tjek_periode(periode)
    if indikator is not None and indikator.maal_id != maal.pk:
        raise ValidationError(
            {"indikator": f"{indikator.noegle} hører ikke til mål {maal.nummer}."}
        )
    tekst = (tekst or "").replace("\r\n", "\n").strip()
    eksisterende = Forklaring.objects.filter(
        maal=maal, indikator=indikator, periode=periode
    ).first()
    if not tekst:
        if eksisterende is not None:
            services.slet(eksisterende, bruger=bruger, aarsag="Forklaringen er fjernet.")
        return None
    if eksisterende is not None and eksisterende.tekst == tekst:
        return eksisterende  # nothing changed: no new version in the history
    forklaring = eksisterende or Forklaring(maal=maal, indikator=indikator, periode=periode)
    forklaring.tekst = tekst
    forklaring.opdateret_af = bruger
    return services.gem(forklaring, bruger=bruger)


def forklaringer(kontrakt, periode: str) -> dict[tuple[int, str | None], Forklaring]:
    """The explanations of ``kontrakt`` for ``periode``, keyed by (goal number, indicator key or
    None for the goal's own); one query."""
    raekker = Forklaring.objects.filter(maal__kontrakt=kontrakt, periode=periode).select_related(
        "maal", "indikator", "opdateret_af"
    )
    return {(f.maal.nummer, f.indikator.noegle if f.indikator_id else None): f for f in raekker}


# ---------------------------------------------------------------------------------------------
# Approval


@dataclass(frozen=True)
class Mangel:
    """Why a period can't be approved yet: one indicator and what it lacks."""

    noegle: str
    maal_nr: int
    titel: str
    status: str
    hvad: str  # "mangler en forklaring" | "mangler den endelige vurdering"

    @property
    def tekst(self) -> str:
        """"M7.korte (Bagud) mangler en forklaring"."""
        return f"{self.noegle} ({STATUS_TEKST[self.status]}) {self.hvad}"


def mangler(kontrakt, periode: Periode, resultater: list[Resultat], *, idag: date) -> list[Mangel]:
    """What stands in the way of approval: every indicator ``bagud`` or ``ikke_opfyldt`` without
    an explanation on its goal or itself, and (helår after 31 December) every milepæl without
    its final assessment (any status but ``opfyldt`` or ``ikke_opfyldt``, i.e. ``afventer``)."""
    tekster = forklaringer(kontrakt, periode.navn) if periode.navn in PERIODER else {}
    afsluttet = periode.helaar_afsluttet(idag)
    ud = []
    for r in resultater:
        if afsluttet and r.art == "milepael" and r.status not in (Status.OPFYLDT,
                                                                  Status.IKKE_OPFYLDT):
            ud.append(Mangel(r.noegle, r.maal_nr, r.titel, r.status, MANGLER_VURDERING))
        if r.status in FORKLARES and (r.maal_nr, None) not in tekster \
                and (r.maal_nr, r.noegle) not in tekster:
            ud.append(Mangel(r.noegle, r.maal_nr, r.titel, r.status, MANGLER_FORKLARING))
    return ud


class AlleredeGodkendt(Exception):
    """The period got a new approved version after the page that asks to approve it was shown
    (its second submit: a double click, a resent POST; or another administrator's): the
    newest version is ``godkendelse``, and no other is made."""

    def __init__(self, godkendelse: Godkendelse):
        super().__init__(f"Allerede godkendt som version {godkendelse.version}.")
        self.godkendelse = godkendelse


def godkend(*, kontrakt, periode: str, bruger, kommentar: str = "", idag: date,
            tidspunkt: datetime | None = None, efter_version: int | None = None) -> Godkendelse:
    """Approve ``periode`` ("H1" or "helaar") of ``kontrakt``: store its whole result as it
    stands as the next version. Raises ``ValidationError`` listing :func:`mangler` when any
    ("M7.korte (Bagud) mangler en forklaring"), and ``PermissionDenied`` for a user without
    ``maal.godkend_rapport``. ``efter_version``: the newest version (0 for none) the approving
    page showed; when there is a newer one now, :class:`AlleredeGodkendt`."""
    if bruger is None or not bruger.is_active or not bruger.has_perm(GODKEND_RET):
        raise PermissionDenied("Kun en administrator kan godkende en rapport.")
    valgt = rapportperiode(kontrakt, periode)
    tidspunkt = tidspunkt or timezone.now()
    with transaction.atomic():
        # One approval of a contract at a time, so two cannot take the same version number.
        Resultatkontrakt.objects.select_for_update().filter(pk=kontrakt.pk).first()
        seneste = seneste_godkendelse(kontrakt, periode)
        if efter_version is not None and seneste is not None and seneste.version > efter_version:
            raise AlleredeGodkendt(seneste)
        rapport = rapport_for(kontrakt, valgt, idag=idag, beregnet=tidspunkt)
        huller = mangler(kontrakt, valgt, rapport.resultater, idag=idag)
        if huller:
            raise ValidationError([m.tekst for m in huller])
        version = (Godkendelse.objects.filter(kontrakt=kontrakt, periode=periode)
                   .aggregate(Max("version"))["version__max"] or 0) + 1
        godkendelse = Godkendelse(
            kontrakt=kontrakt, periode=periode, version=version, godkendt_af=bruger,
            godkendt_af_navn=brugernavn(bruger), tidspunkt=tidspunkt,
            kommentar=(kommentar or "").strip(),
            indhold=_snapshot(rapport, forklaringer(kontrakt, periode), idag),
        )
        return services.gem(godkendelse, bruger=bruger, aarsag=f"Godkendt som version {version}.")


def _snapshot(rapport: Rapport, tekster: dict, idag: date) -> dict:
    """Everything the approved report shows, as plain JSON: the status page, the workbook's
    figures and the JSON report are rebuilt from it alone (:func:`godkendt_rapport`)."""
    return {
        "format": SNAPSHOT_FORMAT,
        "kontrakt": {"navn": rapport.kontrakt_navn, "erhvervshus": rapport.erhvervshus,
                     "aar": rapport.aar, "modpart": rapport.modpart},
        "periode": {"navn": rapport.periode.navn, "fra": rapport.periode.fra.isoformat(),
                    "til": rapport.periode.til.isoformat()},
        "idag": idag.isoformat(),
        "beregnet": rapport.beregnet.isoformat(),
        # Each milepæl's detaljer hold the narrative that counted (dato, fortaelling).
        "resultater": [r.til_snapshot() for r in rapport.resultater],
        "forklaringer": [
            {"maal_nr": maal_nr, "noegle": noegle, "tekst": f.tekst,
             "opdateret": f.opdateret.isoformat() if f.opdateret else None,
             "opdateret_af": brugernavn(f.opdateret_af) if f.opdateret_af else ""}
            for (maal_nr, noegle), f in tekster.items()
        ],
    }


def seneste_godkendelse(kontrakt, periode: str) -> Godkendelse | None:
    """The newest version approved for ``periode``, or None."""
    return Godkendelse.objects.filter(kontrakt=kontrakt, periode=periode).order_by(
        "-version"
    ).first()


def godkendelser(kontrakt, periode: str) -> list[Godkendelse]:
    """Every version approved for ``periode``, newest first, without their snapshots (open
    one with :func:`godkendt_rapport` after fetching it whole)."""
    return dataversion.raekker(Godkendelse.objects.filter(kontrakt=kontrakt, periode=periode)
                               .order_by("-version").defer("indhold"))


def godkendt_rapport(godkendelse: Godkendelse) -> Rapport:
    """The report exactly as approved, rebuilt from the stored snapshot (no recount, no query
    when ``godkendelse`` was fetched whole)."""
    indhold = godkendelse.indhold
    kontrakt, periode = indhold["kontrakt"], indhold["periode"]
    return Rapport(
        kontrakt_navn=kontrakt["navn"], erhvervshus=kontrakt["erhvervshus"],
        aar=kontrakt["aar"], modpart=kontrakt["modpart"],
        periode=Periode(periode["navn"], date.fromisoformat(periode["fra"]),
                        date.fromisoformat(periode["til"])),
        beregnet=datetime.fromisoformat(indhold["beregnet"]),
        resultater=[Resultat.fra_snapshot(r) for r in indhold["resultater"]],
        godkendelse=godkendelse.som_json(), aktuel=False,
        forklaringer={(f["maal_nr"], f["noegle"]): f["tekst"] for f in indhold["forklaringer"]},
    )


# ---------------------------------------------------------------------------------------------
# What is shown: the approved version by default, today's on request


def _visning(kontrakt, periode: Periode, *, aktuel: bool, idag: date, beregnet: datetime
             ) -> tuple[Rapport, Godkendelse | None]:
    if periode.navn not in PERIODER:  # a status date: never approved, always today's
        return rapport_for(kontrakt, periode, idag=idag, beregnet=beregnet), None
    godkendelse = seneste_godkendelse(kontrakt, periode.navn)
    if godkendelse is not None and not aktuel:
        return godkendt_rapport(godkendelse), godkendelse
    rapport = rapport_for(kontrakt, periode, idag=idag, beregnet=beregnet)
    tekster = {noegle: f.tekst for noegle, f in forklaringer(kontrakt, periode.navn).items()}
    return replace(
        rapport, godkendelse=godkendelse and godkendelse.som_json(), aktuel=True,
        forklaringer=tekster,
    ), godkendelse


def rapport_til_visning(kontrakt, periode: Periode, *, aktuel: bool, idag: date,
                        beregnet: datetime) -> Rapport:
    """The report every page, workbook and JSON report shows: the newest approved version of an
    approved H1 or helår (from its snapshot), or with ``aktuel`` (and for a period never
    approved, or a status date) today's figures with today's explanations."""
    return _visning(kontrakt, periode, aktuel=aktuel, idag=idag, beregnet=beregnet)[0]


def rapport_json(kontrakt, periode: Periode, *, aktuel: bool, idag: date,
                 beregnet: datetime) -> dict:
    """The JSON report of KONTRAKT-2025.md as :func:`rapport_til_visning` chooses it; with
    ``aktuel`` it adds ``aendringer_siden_godkendelse`` (``null`` when never approved)."""
    rapport, godkendelse = _visning(
        kontrakt, periode, aktuel=aktuel, idag=idag, beregnet=beregnet
    )
    data = rapport.som_json()
    if aktuel:
        data["aendringer_siden_godkendelse"] = (
            None if godkendelse is None else aendringer_som_json(godkendelse, rapport)
        )
    return data


# ---------------------------------------------------------------------------------------------
# Since the approval


def aendringer_siden(godkendelse: Godkendelse) -> list:
    """The records created, changed or deleted since ``godkendelse`` that touch its period
    (``rapporter.revision.Aendring``: who, when, which fields, reason, link), newest first.
    Kinds without a counting date (målinger, milestones, explanations) touch no period here;
    what they move shows in :func:`flyttede_tal`."""
    from . import revision  # the audit trail reads every history; only asked for here

    periode = rapportperiode(godkendelse.kontrakt, godkendelse.periode)
    return list(revision.aendringer(fra=godkendelse.tidspunkt, periode=(periode.fra, periode.til)))


def flyttede_tal(godkendt: Rapport, aktuel: Rapport) -> list[tuple[Resultat, Resultat]]:
    """Each indicator whose figure or status today differs from the approved: (approved,
    today's), in the report's order. An indicator in only one of them is left out."""
    godkendte = {r.noegle: r for r in godkendt.resultater}
    par = []
    for nu in aktuel.resultater:
        da = godkendte.get(nu.noegle)
        if da is not None and (da.faktisk != nu.faktisk or da.status != nu.status):
            par.append((da, nu))
    return par


def aendringer_som_json(godkendelse: Godkendelse, aktuel: Rapport) -> dict:
    """``aendringer_siden_godkendelse`` of the JSON report: the records changed since the
    approval that touch the period, and per indicator whose figure moved the approved figure
    beside today's."""
    return {
        "version": godkendelse.version,
        "poster": [_aendring_json(a) for a in aendringer_siden(godkendelse)],
        "indikatorer": [
            {"noegle": da.noegle, "maal_nr": da.maal_nr, "titel": da.titel,
             "godkendt": {"faktisk": json_tal(da.faktisk), "status": da.status},
             "aktuel": {"faktisk": json_tal(nu.faktisk), "status": nu.status}}
            for da, nu in flyttede_tal(godkendt_rapport(godkendelse), aktuel)
        ],
    }


def _aendring_json(aendring) -> dict:
    if hasattr(aendring, "som_json"):
        return aendring.som_json()
    felter = asdict(aendring) if is_dataclass(aendring) else dict(vars(aendring))
    return {k: _json_vaerdi(v) for k, v in felter.items() if not k.startswith("_")}


def _json_vaerdi(vaerdi):
    if isinstance(vaerdi, datetime):
        return timezone.localtime(vaerdi).isoformat() if timezone.is_aware(vaerdi) \
            else vaerdi.isoformat()
    if isinstance(vaerdi, date):
        return vaerdi.isoformat()
    if isinstance(vaerdi, dict):
        return {str(k): _json_vaerdi(v) for k, v in vaerdi.items()}
    if isinstance(vaerdi, list | tuple):
        return [_json_vaerdi(v) for v in vaerdi]
    if vaerdi is None or isinstance(vaerdi, bool | int | float | str):
        return vaerdi
    return str(vaerdi)


# ---------------------------------------------------------------------------------------------
# Locks


def laaste_perioder() -> list[LaastPeriode]:
    """Every approved period, for ``forloeb.laas`` (registered in ``RapporterConfig.ready``);
    one query, without the snapshots. The reason names the newest version; a period locks the
    records of the approved contract's house only."""
    raekker = Godkendelse.objects.order_by("kontrakt_id", "periode", "-version").values(
        "kontrakt_id", "kontrakt__aar", "periode", "version", "godkendt_af_navn", "tidspunkt",
        "kontrakt__erhvervshus_id",
    )
    set_, ud = set(), []
    for r in raekker:
        if (r["kontrakt_id"], r["periode"]) in set_:
            continue
        set_.add((r["kontrakt_id"], r["periode"]))
        periode = PERIODER[r["periode"]](r["kontrakt__aar"])
        ud.append(LaastPeriode(
            fra=periode.fra, til=periode.til,
            grund=(f"{periode.titel} er godkendt {dansk_dato(r['tidspunkt'])} af "
                   f"{r['godkendt_af_navn']} (version {r['version']})"),
            erhvervshus_id=r["kontrakt__erhvervshus_id"],
        ))
    return ud

