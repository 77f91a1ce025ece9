"""The vocabulary of an indicator's ``parametre``: what records it counts.

Kept as data (a JSON object on the indicator) so that a new contract needs no code. This module
only checks that the words are known; ``rapporter.selectors`` gives them their meaning.

- antal:     {"grundlag": "forloeb" | "virksomheder" | "ai_tjek" | "aktiviteter" |
              "programdeltagelser" | "samarbejdsaftaler", and filters:
              "forloebstyper": [...], "ivaerksaetter": true, "region": "1084",
              "aktivitetstype": "...", "program": "...", "programstatus": "...",
              "aktoertype": "klynge"}
- andel:     {"grundlag": "forloeb", "forloebstyper": [...],
              "henvist_til_aktoertyper": ["statslig", "privat"]}
- fordeling: {"grundlag": "virksomheder", "kategori": "land"}  (the house's region)
- daekning:  {"aktoertype": "lokal", "aktivitetstype": "faelles_aktivitet", "maal_alle": true}
- forhold:   {"taeller": "M14.omsaetning", "naevner": "M14.basistilskud"}
- maaling:   {}  (the entered values with the indicator's own key)
- milepael:  {"fyrtaarn": "femern"}  (optional: records tagged with it are shown as evidence)
"""

from forloeb.models import Aktivitet, Aktoer, Forloeb, Fyrtaarn, Programdeltagelse

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
TILLADTE = {
    "antal": {
        "grundlag", "forloebstyper", "ivaerksaetter", "region", "aktivitetstype", "program",
        "programstatus", "aktoertype",
    },
    "andel": {"grundlag", "forloebstyper", "henvist_til_aktoertyper"},
    "fordeling": {"grundlag", "kategori"},
    "daekning": {"aktoertype", "aktivitetstype", "maal_alle"},
    "forhold": {"taeller", "naevner"},
    "maaling": set(),
    "milepael": {"fyrtaarn"},
}
KRAEVEDE = {
    "antal": {"grundlag"},
    "andel": {"grundlag", "henvist_til_aktoertyper"},
    "fordeling": {"grundlag", "kategori"},
    "daekning": {"aktoertype", "aktivitetstype"},
    "forhold": {"taeller", "naevner"},
}
KENDTE_VAERDIER = {
    "grundlag": GRUNDLAG_ANTAL,
    "forloebstyper": set(Forloeb.Type.values),
    "henvist_til_aktoertyper": set(Aktoer.Type.values),
    "aktoertype": set(Aktoer.Type.values),
    "aktivitetstype": set(Aktivitet.Type.values),
    "program": set(Programdeltagelse.Program.values),
    "programstatus": set(Programdeltagelse.Status.values),
    "fyrtaarn": set(Fyrtaarn.values),
    "kategori": {"by", "land"},
}


def valider_parametre(art: str, parametre: dict) -> list[str]:
    """Return the Danish error messages for ``parametre`` of an indicator of kind ``art``."""
    if not isinstance(parametre, dict):
        return ["Parametre skal være et JSON-objekt, f.eks. {\"grundlag\": \"forloeb\"}."]
    fejl = []
    tilladte = TILLADTE.get(art, set())
    for noegle in sorted(set(parametre) - tilladte):
        fejl.append(f"Parameteren '{noegle}' bruges ikke af indikatorer af arten '{art}'.")
    for noegle in sorted(KRAEVEDE.get(art, set()) - set(parametre)):
        fejl.append(f"Parameteren '{noegle}' skal angives for arten '{art}'.")
    grundlag = parametre.get("grundlag")
    if art == "antal" and grundlag in GRUNDLAG_ANTAL:
        for noegle in sorted(set(parametre) & set(FILTRE_PR_GRUNDLAG)):
            if grundlag not in FILTRE_PR_GRUNDLAG[noegle]:
                fejl.append(f"Parameteren '{noegle}' kan ikke bruges med grundlaget '{grundlag}'.")
    for noegle, kendte in KENDTE_VAERDIER.items():
        if noegle not in parametre or noegle not in tilladte:
            continue
        vaerdier = parametre[noegle]
        vaerdier = vaerdier if isinstance(vaerdier, list) else [vaerdier]
        for vaerdi in vaerdier:
            if vaerdi not in kendte:
                fejl.append(
                    f"'{vaerdi}' er ikke en kendt værdi for '{noegle}' "
                    f"(kendte: {', '.join(sorted(kendte))})."
                )
    return fejl
