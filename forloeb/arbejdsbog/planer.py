"""Each sheet's step of the plan: find the record a row names by its key (``ark.noegle``), build
or change its model instance, and hand it to ``Import.planlaeg`` (the model's own rules, owners
and approved periods). A row with an error already is handed to ``Import.afvis`` instead, so its
other cells are still checked.

:data:`PLANER` lists them in the order they run: a sheet's rows may refer to records an earlier
sheet defines (an aktør from Aktoerer, a company from Virksomheder, a forløb from Forloeb).
"""

from ..models import (
    AITjek,
    Aktivitet,
    Aktoer,
    Forloeb,
    Henvisning,
    Programdeltagelse,
    Samarbejdsaftale,
    Virksomhed,
)
from .ark import HENVISNING_AKTOERTYPER, liste
from .svar import Fejl, kort
from .tjek import HUSETS_ARK, Import, Post, i_bidder, model_for, unik_besked, vis

AKTOERNAVN_FINDES = unik_besked(Aktoer, "aktoer_navn_unik_ci")


def aktoerer(imp: Import, ark: str, raekker) -> None:
    nu = imp.m2m_nu(Aktoer, "kommuner", [
        imp.aktoerer[r.v["navn"].casefold()] for r in raekker
        if r.v["navn"] and r.v["navn"].casefold() in imp.aktoerer
    ])
    sete = {}
    for r in imp.gennem(ark, raekker):
        navn, koder = r.v["navn"], r.v["kommunekoder"]
        afvist = [
            r.laeselig("navn") and imp.dublet(ark, r, "navn", navn.casefold(), sete,
                                              AKTOERNAVN_FINDES),
            imp.ukendte_kommuner(ark, r, "kommunekoder", koder),
        ]
        if r.ulaeselige or any(afvist):
            imp.fejlramt(ark, navn)
            imp.afvis(ark, r, Aktoer(navn=navn, type=r.v["type"]))
            continue
        aktoer = imp.aktoerer.get(navn.casefold())
        if aktoer is None:
            aktoer = Aktoer(navn=navn, type=r.v["type"])
            imp.aktoerer[navn.casefold()] = aktoer
            imp.planlaeg(ark, r, aktoer, ny=True, m2m={"kommuner": koder})
            continue
        felter, aendringer = imp.saet(aktoer, {"type": r.v["type"]})
        m2m = {}
        if set(koder) != nu[aktoer.pk]:
            m2m["kommuner"] = koder
            aendringer.append(f"kommunekoder → {liste(koder)}")
        imp.planlaeg(ark, r, aktoer, ny=False, felter=felter, m2m=m2m, noegle=navn,
                     aendringer=aendringer)


def virksomheder(imp: Import, ark: str, raekker) -> None:
    sete = {}
    for r in imp.gennem(ark, raekker):
        cvr = r.v["cvr"]
        afvist = [
            r.laeselig("cvr") and imp.dublet(ark, r, "cvr", cvr, sete),
            imp.ukendte_kommuner(ark, r, "kommunekode", [r.v["kommunekode"]]),
        ]
        vaerdier = {"navn": r.v["navn"], "kommune_id": r.v["kommunekode"],
                    "stiftelsesdato": r.v["stiftelsesdato"]}
        if r.ulaeselige or any(afvist):
            imp.fejlramt(ark, cvr)
            imp.afvis(ark, r, Virksomhed(cvr=cvr, **vaerdier), udelad=["kommune"])
            continue
        virksomhed = imp.virksomheder.get(cvr)
        if virksomhed is None:
            virksomhed = imp.virksomheder[cvr] = Virksomhed(cvr=cvr, **vaerdier)
            imp.planlaeg(ark, r, virksomhed, ny=True, udelad=["kommune"])
        else:
            felter, aendringer = imp.saet(virksomhed, vaerdier)
            imp.planlaeg(ark, r, virksomhed, ny=False, felter=felter, noegle=cvr,
                         udelad=["kommune"], aendringer=aendringer)


def forloeb(imp: Import, ark: str, raekker) -> None:
    nu = imp.m2m_nu(Forloeb, "emner", imp.forloeb.values())
    sete = {}
    for r in imp.gennem(ark, raekker):
        ekstern_id = r.v["ekstern_id"]
        dublet = r.laeselig("ekstern_id") and imp.dublet(ark, r, "ekstern_id", ekstern_id, sete)
        virksomhed = imp.virksomhed(ark, r)
        vaerdier = {key: r.v[key] for key in (
            "type", "startdato", "slutdato", "raadgiver", "fyrtaarn")}
        if r.ulaeselige or dublet or virksomhed is None:
            imp.fejlramt(ark, ekstern_id)
            imp.afvis(ark, r, Forloeb(ekstern_id=ekstern_id, **vaerdier), udelad=["virksomhed"])
            continue
        emner = r.v["emner"]
        post = imp.forloeb.get(ekstern_id)
        if post is None:
            post = imp.forloeb[ekstern_id] = Forloeb(
                ekstern_id=ekstern_id, virksomhed=virksomhed, **vaerdier
            )
            imp.planlaeg(ark, r, post, ny=True, m2m={"emner": emner}, udelad=["virksomhed"])
            continue
        felter, aendringer = imp.saet(post, vaerdier)
        imp.skift_virksomhed(post, virksomhed, felter, aendringer)
        m2m = {}
        if set(emner) != nu[post.pk]:
            m2m["emner"] = emner
            aendringer.append(f"emner → {liste(emner)}")
        imp.planlaeg(ark, r, post, ny=False, felter=felter, m2m=m2m, noegle=ekstern_id,
                     udelad=["virksomhed"], aendringer=aendringer)


def henvisninger(imp: Import, ark: str, raekker) -> None:
    findes = set()
    for bid in i_bidder(f.pk for f in imp.forloeb.values() if f.pk):
        findes.update(Henvisning.objects.filter(forloeb_id__in=bid).values_list(
            "forloeb_id", "aktoer_id", "dato"
        ))
    sete, nye_aktoerer = {}, []
    taget = unik_besked(Henvisning, "henvisning_unik")
    for r in imp.gennem(ark, raekker):
        post = _henvisningsforloeb(imp, ark, r)
        aktoer = _henvisningsaktoer(
            imp, ark, r, nye_aktoerer, opret=post is not None and not r.ulaeselige
        )
        dublet = post is not None and aktoer is not None and r.laeselig("dato") and (
            imp.dublet(ark, r, "dato", (post.ekstern_id, aktoer.navn.casefold(), r.v["dato"]),
                       sete, taget)
        )
        if r.ulaeselige or post is None or aktoer is None or dublet:
            imp.afvis(ark, r, Henvisning(dato=r.v["dato"]), udelad=["forloeb", "aktoer"])
            continue
        if (post.pk, aktoer.pk, r.v["dato"]) in findes:
            imp.opg(ark).uaendrede += 1
            continue
        henvisning = Henvisning(forloeb=post, aktoer=aktoer, dato=r.v["dato"])
        imp.planlaeg(ark, r, henvisning, ny=True, udelad=["forloeb", "aktoer"])
    if nye_aktoerer:
        imp.opg("Aktoerer").bemaerk(
            f"{len(nye_aktoerer)} nye aktører fra arket Henvisninger: "
            + ", ".join(kort(n) for n in nye_aktoerer[:20])
            + (" …" if len(nye_aktoerer) > 20 else "")
        )


def _henvisningsforloeb(imp: Import, ark: str, r):
    if not r.laeselig("forloeb_ekstern_id"):
        return None
    ekstern_id = r.v["forloeb_ekstern_id"]
    post = imp.forloeb.get(ekstern_id)
    if post is None and ekstern_id.casefold() not in imp.fejlramte["Forloeb"]:
        imp.fejl_i(ark, r, "forloeb_ekstern_id",
                   f"Forløbet '{kort(ekstern_id)}' står hverken i arket Forloeb eller i appen.")
    return post


def _henvisningsaktoer(imp: Import, ark: str, r, nye_aktoerer: list, *, opret: bool):
    """The referral's aktør; an unknown one is created with the row's aktoertype, but only
    when ``opret`` (the rest of the row is in order)."""
    if not r.laeselig("aktoer"):
        return None
    navn, type_ = r.v["aktoer"], r.v["aktoertype"]
    aktoer = imp.aktoerer.get(navn.casefold())
    if aktoer is not None:
        if type_ and type_ != aktoer.type:
            imp.advarsler.append(Fejl(
                f"Aktøren '{kort(aktoer.navn)}' har typen '{aktoer.type}'; rækkens '{type_}' "
                "bruges ikke. Ret typen i arket Aktoerer, hvis den er forkert.",
                ark=ark, raekke=r.nr, kolonne="aktoertype", vaerdi=type_,
            ))
        return aktoer
    if not r.laeselig("aktoertype"):
        return None  # the cell's error names the types already
    if type_ not in HENVISNING_AKTOERTYPER:
        imp.fejl_i(ark, r, "aktoertype",
                   f"Aktøren '{kort(navn)}' er ukendt og oprettes med rækkens aktoertype, som "
                   f"skal være en af: {', '.join(HENVISNING_AKTOERTYPER)}.")
        return None
    if not opret:
        return None
    aktoer = Aktoer(navn=navn, type=type_)
    if not imp.gyldig(ark, r, aktoer):
        return None
    imp.aktoerer[navn.casefold()] = aktoer
    imp.poster[Aktoer].append(Post(aktoer, ny=True))
    imp.opg("Aktoerer").nye += 1
    nye_aktoerer.append(navn)
    return aktoer


def ai_tjek(imp: Import, ark: str, raekker) -> None:
    sete = {}
    for r in imp.gennem(ark, raekker):
        ekstern_id = r.v["ekstern_id"]
        dublet = r.laeselig("ekstern_id") and imp.dublet(ark, r, "ekstern_id", ekstern_id, sete)
        virksomhed = imp.virksomhed(ark, r)
        vaerdier = {"dato": r.v["dato"], "henvist_af_lokal_erhvervsservice":
                    r.v["henvist_af_lokal_erhvervsservice"]}
        if r.ulaeselige or dublet or virksomhed is None:
            imp.afvis(ark, r, AITjek(ekstern_id=ekstern_id, **vaerdier), udelad=["virksomhed"])
            continue
        tjek = imp.ai_tjek.get(ekstern_id)
        if tjek is None:
            tjek = AITjek(ekstern_id=ekstern_id, virksomhed=virksomhed, **vaerdier)
            imp.planlaeg(ark, r, tjek, ny=True, udelad=["virksomhed"])
            continue
        felter, aendringer = imp.saet(tjek, vaerdier)
        imp.skift_virksomhed(tjek, virksomhed, felter, aendringer)
        imp.planlaeg(ark, r, tjek, ny=False, felter=felter, noegle=ekstern_id,
                     udelad=["virksomhed"], aendringer=aendringer)


def aktiviteter(imp: Import, ark: str, raekker) -> None:
    partnere_nu = imp.m2m_nu(Aktivitet, "partnere", imp.aktiviteter.values())
    kommuner_nu = imp.m2m_nu(Aktivitet, "kommuner", imp.aktiviteter.values())
    sete = {}
    for r in imp.gennem(ark, raekker):
        ekstern_id, koder = r.v["ekstern_id"], r.v["kommunekoder"]
        partnere = [imp.aktoer(ark, r, "partnere", navn) for navn in r.v["partnere"] or ()]
        afvist = [
            r.laeselig("ekstern_id") and imp.dublet(ark, r, "ekstern_id", ekstern_id, sete),
            imp.ukendte_kommuner(ark, r, "kommunekoder", koder),
            None in partnere,
        ]
        vaerdier = {key: r.v[key] for key in ("type", "dato", "titel", "fyrtaarn")}
        if r.ulaeselige or any(afvist):
            imp.afvis(ark, r, Aktivitet(ekstern_id=ekstern_id, **vaerdier))
            continue
        aktivitet = imp.aktiviteter.get(ekstern_id)
        if aktivitet is None:
            aktivitet = Aktivitet(ekstern_id=ekstern_id, **vaerdier)
            imp.planlaeg(ark, r, aktivitet, ny=True,
                         m2m={"partnere": partnere, "kommuner": koder})
            continue
        felter, aendringer = imp.saet(aktivitet, vaerdier)
        m2m = {}
        if any(p.pk is None for p in partnere) or {p.pk for p in partnere} != partnere_nu[
            aktivitet.pk
        ]:
            m2m["partnere"] = partnere
            aendringer.append(f"partnere → {liste(p.navn for p in partnere)}")
        if set(koder) != kommuner_nu[aktivitet.pk]:
            m2m["kommuner"] = koder
            aendringer.append(f"kommunekoder → {liste(koder)}")
        imp.planlaeg(ark, r, aktivitet, ny=False, felter=felter, m2m=m2m,
                     noegle=ekstern_id, aendringer=aendringer)


def programmer(imp: Import, ark: str, raekker) -> None:
    findes = {}
    for bid in i_bidder(v.pk for v in imp.virksomheder.values() if v.pk):
        for p in imp.husets(Programdeltagelse.objects.filter(virksomhed_id__in=bid)):
            findes[(p.virksomhed_id, p.program, p.dato)] = p
    sete = {}
    taget = unik_besked(Programdeltagelse, "programdeltagelse_unik_hus")
    for r in imp.gennem(ark, raekker):
        noegle = (r.v["cvr"], r.v["program"], r.v["dato"])
        dublet = r.laeselig("cvr", "program", "dato") and imp.dublet(
            ark, r, "dato", noegle, sete, taget)
        virksomhed = imp.virksomhed(ark, r)
        if r.ulaeselige or dublet or virksomhed is None:
            imp.afvis(ark, r, Programdeltagelse(
                program=r.v["program"], status=r.v["status"], dato=r.v["dato"]
            ), udelad=["virksomhed"])
            continue
        deltagelse = findes.get((virksomhed.pk, r.v["program"], r.v["dato"]))
        if deltagelse is None:
            deltagelse = Programdeltagelse(virksomhed=virksomhed, program=r.v["program"],
                                           status=r.v["status"], dato=r.v["dato"])
            imp.planlaeg(ark, r, deltagelse, ny=True, udelad=["virksomhed"])
            continue
        felter, aendringer = imp.saet(deltagelse, {"status": r.v["status"]})
        imp.planlaeg(ark, r, deltagelse, ny=False, felter=felter,
                     noegle=" ".join(map(vis, noegle)), udelad=["virksomhed"],
                     aendringer=aendringer)


def samarbejdsaftaler(imp: Import, ark: str, raekker) -> None:
    """The klynge rule is ``Samarbejdsaftale.clean``'s, run on every row with a known aktør."""
    findes = {(s.aktoer_id, s.dato): s
              for s in imp.husets(Samarbejdsaftale.objects.all())}
    sete = {}
    taget = unik_besked(Samarbejdsaftale, "samarbejdsaftale_unik_hus")
    for r in imp.gennem(ark, raekker):
        aktoer = imp.aktoer(ark, r, "aktoer", r.v["aktoer"]) if r.laeselig("aktoer") else None
        dublet = aktoer is not None and r.laeselig("dato") and imp.dublet(
            ark, r, "dato", (aktoer.navn.casefold(), r.v["dato"]), sete, taget)
        aftale = findes.get((aktoer.pk, r.v["dato"])) if aktoer is not None else None
        if r.ulaeselige or aktoer is None or dublet:
            imp.afvis(ark, r, Samarbejdsaftale(aktoer=aktoer, dato=r.v["dato"],
                                               beskrivelse=r.v["beskrivelse"]),
                      udelad=["aktoer"])
            continue
        if aftale is None:
            aftale = Samarbejdsaftale(aktoer=aktoer, dato=r.v["dato"],
                                      beskrivelse=r.v["beskrivelse"])
            imp.planlaeg(ark, r, aftale, ny=True, udelad=["aktoer"])
            continue
        felter, aendringer = imp.saet(aftale, {"beskrivelse": r.v["beskrivelse"]})
        imp.planlaeg(ark, r, aftale, ny=False, felter=felter,
                     noegle=f"{aktoer.navn} {vis(r.v['dato'])}", udelad=["aktoer"],
                     aendringer=aendringer)


def maalinger(imp: Import, ark: str, raekker) -> None:
    """Målinger of any year from 2015 on (``Maaling.clean``: a key the house measures, dated
    from 1 January of its year up to today)."""
    Maaling = model_for(ark)
    hus = (imp.hus(ark) or imp.maalingernes_hus(ark)) if raekker else None
    if hus is None:
        return
    findes = {}
    for m in Maaling.objects.filter(erhvervshus=hus).order_by("id"):
        findes[(m.noegle, m.aar, m.dato)] = m  # where several share a key, the latest
    sete = {}
    for r in imp.gennem(ark, raekker):
        noegle = (r.v["noegle"], r.v["aar"], r.v["dato"])
        dublet = r.laeselig("noegle", "aar", "dato") and imp.dublet(ark, r, "dato", noegle, sete)
        vaerdier = {"vaerdi": r.v["vaerdi"], "kilde": r.v["kilde"],
                    "kommentar": r.v["kommentar"]}
        if r.ulaeselige or dublet:
            imp.afvis(ark, r, Maaling(erhvervshus=hus, noegle=r.v["noegle"], aar=r.v["aar"],
                                      dato=r.v["dato"], **vaerdier), udelad=["erhvervshus"])
            continue
        maaling = findes.get(noegle)
        if maaling is None:
            maaling = Maaling(erhvervshus=hus, noegle=r.v["noegle"], aar=r.v["aar"],
                              dato=r.v["dato"], **vaerdier)
            imp.planlaeg(ark, r, maaling, ny=True, udelad=["erhvervshus"])
            continue
        felter, aendringer = imp.saet(maaling, vaerdier)
        imp.planlaeg(ark, r, maaling, ny=False, felter=felter,
                     noegle=" ".join(map(vis, noegle)), udelad=["erhvervshus"],
                     aendringer=aendringer)


PLANER = (
    ("Aktoerer", aktoerer), ("Virksomheder", virksomheder), ("Forloeb", forloeb),
    ("Henvisninger", henvisninger), ("AI-tjek", ai_tjek), ("Aktiviteter", aktiviteter),
    ("Programmer", programmer), ("Samarbejdsaftaler", samarbejdsaftaler),
    ("Maalinger", maalinger),
)


def planlaeg(imp: Import) -> None:
    """Check and plan every sheet read, outside any transaction. A file with a sheet of a
    house's records is for one house (``Import.hus``); without one, nothing is checked."""
    if any(navn in imp.raekker for navn in HUSETS_ARK) and imp.hus() is None and imp.hus_mangler:
        return
    imp.hent_eksisterende()
    for navn, plan in PLANER:
        if navn in imp.raekker:
            plan(imp, navn, imp.raekker[navn])
