"""Fill a contract year with realistic registrations, through the same services as the forms.

About the 2025 contract's volume: ~1,700 forløb gennemført spread over the year up to today,
companies over the kommuner roughly by population, with henvisninger, AI-tjek, aktiviteter,
programdeltagelser, samarbejdsaftaler, målinger and milestone statuses. The same seed gives the
same data; a second run finds the data there and changes nothing.

The whole year is drawn from the seed without looking at the clock; only then is it cut at
today (records dated after today are left out, forløb ending after today are igangværende), so
the same seed gives the same records on every day, and one day's data grows into the next's.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from forloeb import services
from forloeb.models import Aktoer, Befolkning, Emne, Forloeb, Kommune
from maal.models import Indikator, Resultatkontrakt
from maal.services import maaling_create, milepael_status_create

PREFIX = "DEMO"
AARSAG = "Demodata"
DEMOBRUGER = "demodata"  # who entered the demo målinger and milestones: "Indtastet af Demodata"
FORNAVNE = ["Nordisk", "Sjællandsk", "Grøn", "Dansk", "Vest", "Syd", "Øst", "Fjord", "Skov",
            "Hav", "Bakke", "Mark", "Sol", "Vind", "Strand", "Bro", "Mølle", "Kyst"]
EFTERNAVNE = ["Maskinfabrik", "Tømrer", "Bageri", "Rådgivning", "Solutions", "Food", "Biotek",
              "Logistik", "El-service", "Design", "Smedje", "Gartneri", "Software", "Transport",
              "Byg", "Consult", "Automation", "Emballage", "Brygger", "Tech"]
RAADGIVERE = ["Anne Holm", "Bo Madsen", "Camilla Riis", "Dorte Lund", "Erik Friis",
              "Frida Krogh", "Gustav Bech", "Hanne Vestergaard"]
# Share of forløb by type, close to the contract's own mix (880 / 485 / 315).
TYPER = [("kort", 0.52), ("handlingsplan", 0.29), ("vaekstplan", 0.15), ("omstillingsplan", 0.04)]
VARIGHED = {"kort": (1, 30), "handlingsplan": (20, 120), "vaekstplan": (30, 180),
            "omstillingsplan": (30, 180)}


def demobruger():
    """The named user the demo målinger and milestone statuses are entered by, so their
    "Indtastet af" says who; inactive and without a password, so nobody logs in as it."""
    bruger, ny = get_user_model().objects.get_or_create(
        username=DEMOBRUGER, defaults={"first_name": "Demodata", "is_active": False})
    if ny:
        bruger.set_unusable_password()
        bruger.save(update_fields=["password"])
    return bruger


def cvr_nummer(rng: random.Random) -> str:
    """A CVR that passes modulus 11 (weights 2,7,6,5,4,3,2,1)."""
    while True:
        cifre = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(6)]
        rest = -sum(c * v for c, v in zip(cifre, [2, 7, 6, 5, 4, 3, 2], strict=True)) % 11
        if rest < 10:
            return "".join(map(str, cifre + [rest]))


class Command(BaseCommand):
    help = "Opretter demodata for en kontrakts år (deterministisk for et givet frø)."

    def add_arguments(self, parser):
        parser.add_argument("--aar", type=int, default=2025)
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--forloeb", type=int, default=2100, help="Antal forløb i alt.")

    def handle(self, *args, aar, seed, forloeb, **options):
        # The demo is Erhvervshus Sjælland's (its records belong to the contract's house).
        kontrakter = Resultatkontrakt.objects.filter(aar=aar).select_related("erhvervshus")
        kontrakt = (kontrakter.filter(erhvervshus__navn="Erhvervshus Sjælland").first()
                    or kontrakter.first())
        if kontrakt is None:
            raise CommandError(
                f"Der er ingen resultatkontrakt for {aar}. Indlæs den først: "
                f"python manage.py loaddata kontrakt_{aar}"
            )
        if Forloeb.objects.filter(ekstern_id__startswith=f"{PREFIX}-{aar}-").exists():
            self.stdout.write(f"Demodata for {aar} findes allerede; intet ændret.")
            return
        with transaction.atomic():
            antal = Demo(kontrakt, random.Random(seed), timezone.localdate()).lav(forloeb)
        self.stdout.write(self.style.SUCCESS(f"Demodata for {aar} oprettet: {antal}"))


class Demo:
    def __init__(self, kontrakt, rng, idag):
        self.kontrakt = kontrakt
        self.aar = kontrakt.aar
        self.rng = rng
        self.start = date(self.aar, 1, 1)
        self.slut = date(self.aar, 12, 31)  # everything is drawn over the whole year …
        self.idag = min(self.slut, idag)  # … and cut here
        self.virksomheder = []

    def dato(self, fra=None, til=None):
        fra, til = fra or self.start, til or self.slut
        return fra + timedelta(days=self.rng.randint(0, max((til - fra).days, 0)))

    def lav(self, antal_forloeb: int) -> str:
        self.lav_virksomheder(int(antal_forloeb * 0.82))
        n_forloeb, n_henvisninger = self.lav_forloeb(antal_forloeb)
        n_ai = self.lav_ai_tjek(46)
        n_akt = self.lav_aktiviteter()
        n_prog = self.lav_programmer()
        n_aftaler = self.lav_samarbejdsaftaler()
        self.lav_maalinger_og_milepaele()
        return (
            f"{len(self.virksomheder)} virksomheder, {n_forloeb} forløb, "
            f"{n_henvisninger} henvisninger, {n_ai} AI-tjek, {n_akt} aktiviteter, "
            f"{n_prog} programdeltagelser, {n_aftaler} samarbejdsaftaler"
        )

    def lav_virksomheder(self, antal: int):
        region = self.kontrakt.erhvervshus.region
        befolkning = list(
            Befolkning.objects.filter(kommune__region=region)
            .order_by("kommune_id", "-dato")
            .distinct()
            .values_list("kommune_id", "indbyggere")
        )
        seneste = dict(reversed(befolkning))
        egne, vaegte = list(seneste), list(seneste.values())
        hovedstaden = list(Kommune.objects.filter(region_id="1084").values_list("kode", flat=True))
        andre = list(
            Kommune.objects.exclude(region_id__in=["1084", region.pk])
            .values_list("kode", flat=True)
        )
        brugte = set()
        for nr in range(antal):
            terning = self.rng.random()
            if terning < 0.03:
                kommune = self.rng.choice(hovedstaden)
            elif terning < 0.04:
                kommune = self.rng.choice(andre)
            else:
                kommune = self.rng.choices(egne, weights=vaegte)[0]
            ung = self.rng.random() < 0.16
            stiftet = self.dato(date(self.aar - 2, 3, 1), date(self.aar, 6, 1)) if ung else \
                self.dato(date(1960, 1, 1), date(self.aar - 4, 1, 1))
            stiftet = min(stiftet, self.idag)
            cvr = cvr_nummer(self.rng)
            while cvr in brugte:
                cvr = cvr_nummer(self.rng)
            brugte.add(cvr)
            navn = f"{self.rng.choice(FORNAVNE)} {self.rng.choice(EFTERNAVNE)} {nr + 1} ApS"
            self.virksomheder.append(
                services.virksomhed_create(
                    cvr=cvr, navn=navn, kommune=kommune, stiftelsesdato=stiftet, aarsag=AARSAG
                )
            )

    def lav_forloeb(self, antal: int):
        private = [f"Rådgiver {n} ApS" for n in "ABCDEFGHIJ"]
        # the shipped state actors, then the demo's own advisers: the same list on every run
        ekstern = list(Aktoer.objects.filter(type="statslig").order_by("navn"))
        for navn in private:
            obj = Aktoer.objects.filter(navn=navn).first() or services.aktoer_create(
                navn=navn, type="privat", aarsag=AARSAG
            )
            ekstern.append(obj)
        lokale = list(Aktoer.objects.filter(type="lokal"))
        emner = list(Emne.objects.all())
        typer, vaegte = zip(*TYPER, strict=True)
        n_forloeb = n_henvisninger = 0
        for nr in range(antal):
            virksomhed = self.virksomheder[nr % len(self.virksomheder)]
            type_ = self.rng.choices(typer, weights=vaegte)[0]
            kort, lang = VARIGHED[type_]
            startdato = self.dato(date(self.aar - 1, 11, 1), self.slut)
            slutdato = startdato + timedelta(days=self.rng.randint(kort, lang))
            if self.rng.random() < 0.02 or slutdato > self.slut:
                slutdato = None  # igangværende
            henvist = {"kort": 0.2, "handlingsplan": 0.74, "vaekstplan": 0.84,
                       "omstillingsplan": 0.84}[type_]
            henvisninger = []
            if self.rng.random() < henvist:
                for aktoer in self.rng.sample(ekstern, self.rng.randint(1, 2)):
                    henvisninger.append({"aktoer": aktoer, "dato": self.dato(startdato, slutdato)})
            if self.rng.random() < 0.1:
                henvisninger.append(
                    {"aktoer": self.rng.choice(lokale), "dato": self.dato(startdato, slutdato)}
                )
            fyrtaarn = self.rng.choices(["", "femern", "biosolutions"], weights=[94, 3, 3])[0]
            raadgiver = self.rng.choice(RAADGIVERE)
            forloebets_emner = self.rng.sample(emner, self.rng.randint(1, 3))
            if startdato > self.idag:
                continue  # not begun yet
            if slutdato is not None and slutdato > self.idag:
                slutdato = None
            henvisninger = [h for h in henvisninger if h["dato"] <= self.idag]
            services.forloeb_create(
                erhvervshus=self.kontrakt.erhvervshus,
                ekstern_id=f"{PREFIX}-{self.aar}-F{nr + 1:05d}",
                virksomhed=virksomhed,
                type=type_,
                startdato=startdato,
                slutdato=slutdato,
                raadgiver=raadgiver,
                emner=forloebets_emner,
                fyrtaarn=fyrtaarn,
                henvisninger=henvisninger,
                aarsag=AARSAG,
            )
            n_forloeb += 1
            n_henvisninger += len(henvisninger)
        return n_forloeb, n_henvisninger

    def lav_ai_tjek(self, antal: int) -> int:
        oprettet = 0
        for nr in range(antal):
            virksomhed, dato = self.rng.choice(self.virksomheder), self.dato()
            henvist = self.rng.random() < 0.4
            if dato > self.idag:
                continue
            services.ai_tjek_create(
                erhvervshus=self.kontrakt.erhvervshus,
                ekstern_id=f"{PREFIX}-{self.aar}-AI{nr + 1:04d}", virksomhed=virksomhed,
                dato=dato, henvist_af_lokal_erhvervsservice=henvist, aarsag=AARSAG,
            )
            oprettet += 1
        return oprettet

    def lav_aktiviteter(self) -> int:
        lokale = list(Aktoer.objects.filter(type="lokal").prefetch_related("kommuner"))
        klynger = list(Aktoer.objects.filter(type="klynge"))
        ruc = Aktoer.objects.filter(navn__startswith="Roskilde Universitet").first()
        nr = oprettet = 0

        def opret(dato, **felter):
            nonlocal oprettet
            if dato <= self.idag:
                services.aktivitet_create(
                erhvervshus=self.kontrakt.erhvervshus,
                    ekstern_id=f"{PREFIX}-{self.aar}-A{nr:04d}", dato=dato, aarsag=AARSAG,
                    **felter,
                )
                oprettet += 1

        # Joint activities: each local operator at least once, a couple left out until late.
        for runde in range(2):
            for operatoer in lokale[: len(lokale) - 2 * runde]:
                nr += 1
                sted = operatoer.navn.removeprefix("Lokal erhvervsservice ")
                opret(
                    self.dato(), type="faelles_aktivitet", titel=f"Virksomhedsdag i {sted}",
                    partnere=[operatoer], kommuner=list(operatoer.kommuner.all()),
                )
        for _ in range(9):
            nr += 1
            dato, klynge = self.dato(), self.rng.choice(klynger)
            opret(
                dato, type="klyngearrangement", titel="Klyngemøde for sjællandske SMV'er",
                partnere=[klynge] + ([ruc] if ruc else []),
                fyrtaarn=self.rng.choice(["", "biosolutions"]),
            )
        for titel, fyrtaarn in [("Femern-netværksmøde", "femern"), ("Biosolutions-morgenmøde",
                                "biosolutions"), ("Iværksætterdag", ""), ("AI-café", "")]:
            nr += 1
            opret(self.dato(), type="event", titel=titel, fyrtaarn=fyrtaarn)
        return oprettet

    def lav_programmer(self) -> int:
        antal = 0
        for program, n in [("attraktive_arbejdspladser", 26), ("smv_vaekstpilot", 56)]:
            for virksomhed in self.rng.sample(self.virksomheder, n):
                status = self.rng.choices(["bevilget", "ansoegt", "afslag"], weights=[84, 8, 8])[0]
                dato = self.dato()
                if dato > self.idag:
                    continue
                services.programdeltagelse_create(
                erhvervshus=self.kontrakt.erhvervshus,
                    virksomhed=virksomhed, program=program, status=status, dato=dato,
                    aarsag=AARSAG,
                )
                antal += 1
        return antal

    def lav_samarbejdsaftaler(self) -> int:
        klynger = self.rng.sample(list(Aktoer.objects.filter(type="klynge")), 4)
        aftaler = [(klynge, self.dato()) for klynge in klynger]
        for klynge, dato in aftaler:
            if dato <= self.idag:
                services.samarbejdsaftale_create(
                erhvervshus=self.kontrakt.erhvervshus,
                    aktoer=klynge, dato=dato, aarsag=AARSAG,
                    beskrivelse=f"Forpligtende samarbejde med {klynge.navn} om sjællandske "
                    "SMV'er.",
                )
        return sum(dato <= self.idag for _, dato in aftaler)

    def lav_maalinger_og_milepaele(self):
        hus = self.kontrakt.erhvervshus
        bruger = demobruger()
        vaerdier = [
            ("M2.kendskabsgrad", "52.0", 6, "Erhvervsstyrelsen, kendskabsmåling"),
            ("M2.kendskab_tilbud", "57.0", 6, "Erhvervsstyrelsen, kendskabsmåling"),
            ("M3.nps", "72", 5, "Erhvervsstyrelsen, brugerevaluering (foreløbig)"),
            ("M4.henvisninger_anvendt", "54.0", 9, "Erhvervsstyrelsen, brugerevaluering"),
            ("M6.baeredygtighed", "66.0", 9, "Erhvervsstyrelsen, brugerevaluering"),
            ("M12.sjaelland_via_ehh", "23", 10, "Erhvervshus Hovedstaden, opgørelse"),
            ("M14.omsaetning", "41250000", 10, "Erhvervshus Sjælland, økonomisystem"),
            ("M14.basistilskud", "15300000", 10, "Erhvervshus Sjælland, økonomisystem"),
        ]
        for noegle, vaerdi, maaned, kilde in vaerdier:
            dato = date(self.aar, maaned, 15)
            if dato <= self.idag:
                maaling_create(
                    erhvervshus=hus, noegle=noegle, aar=self.aar, vaerdi=Decimal(vaerdi),
                    dato=dato, kilde=kilde, bruger=bruger, aarsag=AARSAG,
                )
        milepaele = [
            ("M11.rekrutteringsydelse", "i_gang", 3, "Ydelsen er udviklet med tre kommuner og "
             "afprøves med lokal erhvervsservice."),
            ("M13.samarbejde_ruc_kkr", "i_gang", 4, "Fælles styregruppe med RUC og KKR nedsat."),
            ("M14.geografisk_forankring", "i_gang", 5, "Projekter har deltagere fra 15 af 17 "
             "kommuner."),
            ("M15.femern", "i_gang", 2, "Partner i forretningsudvikling for leverandører."),
            ("M15.biosolutions", "opfyldt", 6, "Vejledningsspor for biosolutions-iværksættere "
             "kører i alle kommuner."),
        ]
        for noegle, status, maaned, tekst in milepaele:
            if date(self.aar, maaned, 1) > self.idag:
                continue
            indikator = Indikator.objects.get(maal__kontrakt=self.kontrakt, noegle=noegle)
            milepael_status_create(
                indikator=indikator, status=status, dato=date(self.aar, maaned, 1),
                fortaelling=tekst, bruger=bruger, aarsag=AARSAG,
            )
