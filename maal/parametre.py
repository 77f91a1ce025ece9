"""The vocabulary of an indicator's ``parametre``: what records it counts.

Kept as data (a JSON object on the indicator) so that a new contract needs no code. This module
checks the words and their combinations, one :class:`Skema` per kind; the kind's module in
``rapporter/arter/`` gives them their meaning. The schemas live here, beside ``Indikator.Art``,
because the model validates its parameters on its own (the admin, the import, fixtures) and
``maal`` does not import ``rapporter``: a new kind needs its choice in ``Indikator.Art`` anyway.

Every parameter is honoured or refused (STYLE.md, rule 11):

- antal:     {"grundlag": "forloeb" | "virksomheder" | "ai_tjek" | "aktiviteter" |
              "programdeltagelser" | "samarbejdsaftaler", and filters:
              "forloebstyper": [...], "ivaerksaetter": true, "region": "1084",
              "aktivitetstype": "...", "program": "...", "programstatus": "...",
              "aktoertype": "klynge"}
- andel:     {"grundlag": "forloeb" | "virksomheder", "forloebstyper": [...],
              "henvist_til_aktoertyper": ["statslig", "privat"]}: of the forløb gennemført i P
              (or the companies with one), those with a henvisning to one of the types. Only
              forløb have henvisninger, so no other ``grundlag``.
- fordeling: {"grundlag": "virksomheder" | "forloeb", "kategori": "land" | "by"}: the guided
              companies (or the forløb) in the house's region in kommuner of the category,
              against the category's share of the population.
- daekning:  {"aktoertype": "lokal", "aktivitetstype": "faelles_aktivitet", "maal_alle": true}
- forhold:   {"taeller": "M14.omsaetning", "naevner": "M14.basistilskud"}
- maaling:   {}  (the entered values with the indicator's own key)
- milepael:  {"fyrtaarn": "femern"}  (optional: records tagged with it are shown as evidence)
"""

from dataclasses import dataclass, field

from forloeb.models import Aktivitet, Aktoer, Forloeb, Fyrtaarn, Programdeltagelse, Region

GRUNDLAG_ANTAL = {
    "forloeb", "virksomheder", "ai_tjek", "aktiviteter", "programdeltagelser", "samarbejdsaftaler",
}
MED_VIRKSOMHED = {"forloeb", "virksomheder", "ai_tjek", "programdeltagelser"}
# Which filters of an ``antal`` mean something for which ``grundlag``.
FILTRE_PR_GRUNDLAG = {
    "forloebstyper": {"forloeb", "virksomheder"},
    "ivaerksaetter": MED_VIRKSOMHED,
    "region": MED_VIRKSOMHED,
    "aktivitetstype": {"aktiviteter"},
    "program": {"programdeltagelser"},
    "programstatus": {"programdeltagelser"},
    "aktoertype": {"aktiviteter", "samarbejdsaftaler"},
}
KENDTE_VAERDIER = {
    "forloebstyper": set(Forloeb.Type.values),
    "henvist_til_aktoertyper": set(Aktoer.Type.values),
    "aktoertype": set(Aktoer.Type.values),
    "aktivitetstype": set(Aktivitet.Type.values),
    "program": set(Programdeltagelse.Program.values),
    "programstatus": set(Programdeltagelse.Status.values),
    "fyrtaarn": set(Fyrtaarn.values),
    "kategori": {"by", "land"},
}
# Parameters that take a list of values; every other one takes a single value.
LISTER = {"forloebstyper", "henvist_til_aktoertyper"}
SANDHEDSVAERDIER = {"ivaerksaetter", "maal_alle"}


@dataclass(frozen=True)
class Skema:
    """What one kind accepts: the parameters it reads, those it needs, the ``grundlag`` it can
    count on (with why the others are refused) and the filters that apply per ``grundlag``."""

    tilladte: frozenset[str] = frozenset()
    kraevede: frozenset[str] = frozenset()
    grundlag: frozenset[str] = frozenset()
    grundlag_grund: str = ""
    filtre_pr_grundlag: dict[str, set[str]] = field(default_factory=dict)


SKEMAER: dict[str, Skema] = {
    "antal": Skema(
        tilladte=frozenset({"grundlag", *FILTRE_PR_GRUNDLAG}),
        kraevede=frozenset({"grundlag"}),
        grundlag=frozenset(GRUNDLAG_ANTAL),
        filtre_pr_grundlag=FILTRE_PR_GRUNDLAG,
    ),
    "andel": Skema(
        tilladte=frozenset({"grundlag", "forloebstyper", "henvist_til_aktoertyper"}),
        kraevede=frozenset({"grundlag", "henvist_til_aktoertyper"}),
        grundlag=frozenset({"forloeb", "virksomheder"}),
        grundlag_grund="en andel tæller henvisninger, og kun forløb har henvisninger",
    ),
    "fordeling": Skema(
        tilladte=frozenset({"grundlag", "kategori"}),
        kraevede=frozenset({"grundlag", "kategori"}),
        grundlag=frozenset({"virksomheder", "forloeb"}),
        grundlag_grund="fordelingen opgøres på de vejledte virksomheders kommune",
    ),
    "daekning": Skema(
        tilladte=frozenset({"aktoertype", "aktivitetstype", "maal_alle"}),
        kraevede=frozenset({"aktoertype", "aktivitetstype"}),
    ),
    "forhold": Skema(
        tilladte=frozenset({"taeller", "naevner"}), kraevede=frozenset({"taeller", "naevner"}),
    ),
    "maaling": Skema(),
    "milepael": Skema(tilladte=frozenset({"fyrtaarn"})),
}


def valider_parametre(art: str, parametre: dict) -> list[str]:
    """Return the Danish error messages for ``parametre`` of an indicator of kind ``art``."""
    if not isinstance(parametre, dict):
        return ["Parametre skal være et JSON-objekt, f.eks. {\"grundlag\": \"forloeb\"}."]
    skema = SKEMAER.get(art, Skema())
    fejl = []
    for noegle in sorted(set(parametre) - skema.tilladte):
        fejl.append(f"Parameteren '{noegle}' bruges ikke af indikatorer af arten '{art}'.")
    for noegle in sorted(skema.kraevede - set(parametre)):
        fejl.append(f"Parameteren '{noegle}' skal angives for arten '{art}'.")
    grundlag = parametre.get("grundlag")
    if "grundlag" in parametre and "grundlag" in skema.tilladte:
        if not isinstance(grundlag, str) or grundlag not in skema.grundlag:
            grund = f": {skema.grundlag_grund}" if skema.grundlag_grund else ""
            fejl.append(
                f"Grundlaget '{grundlag}' kan ikke bruges for arten '{art}'{grund}. "
                f"Brug {_eller(sorted(skema.grundlag))}."
            )
        else:
            for noegle in sorted(set(parametre) & set(skema.filtre_pr_grundlag)):
                if grundlag not in skema.filtre_pr_grundlag[noegle]:
                    fejl.append(
                        f"Parameteren '{noegle}' kan ikke bruges med grundlaget '{grundlag}'."
                    )
    for noegle in sorted(set(parametre) & skema.tilladte):
        fejl.extend(_vaerdifejl(noegle, parametre[noegle]))
    return fejl


def _eller(ord_: list[str]) -> str:
    """'a', 'b' eller 'c'."""
    citeret = [f"'{o}'" for o in ord_]
    return " eller ".join([", ".join(citeret[:-1]), citeret[-1]] if len(citeret) > 1 else citeret)


def _vaerdifejl(noegle: str, vaerdi) -> list[str]:
    """The value's form (list, single value, true/false) and, where the words are fixed, that
    each is known."""
    if noegle in LISTER:
        if not isinstance(vaerdi, list) or not vaerdi:
            return [f"'{noegle}' skal være en liste med mindst én værdi, "
                    f"f.eks. [\"{sorted(KENDTE_VAERDIER[noegle])[0]}\"]."]
        vaerdier = vaerdi
    elif noegle in SANDHEDSVAERDIER:
        if not isinstance(vaerdi, bool):
            return [f"'{noegle}' skal være true eller false."]
        return []
    elif isinstance(vaerdi, list | dict):
        return [f"'{noegle}' skal være én værdi, ikke en liste."]
    else:
        vaerdier = [vaerdi]
    if noegle == "region":  # the regions are reference data, read when the indicator is saved
        if not Region.objects.filter(kode=str(vaerdi)).exists():
            kendte_regioner = ", ".join(Region.objects.values_list("kode", flat=True))
            return [f"'{vaerdi}' er ikke en kendt regionskode (kendte: {kendte_regioner})."]
        return []
    kendte = KENDTE_VAERDIER.get(noegle)
    if kendte is None:
        return []
    return [
        f"'{v}' er ikke en kendt værdi for '{noegle}' (kendte: {', '.join(sorted(kendte))})."
        for v in vaerdier if v not in kendte
    ]
