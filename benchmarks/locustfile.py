"""The users of ``benchmarks/last.py``: KKR readers and registrants with no think time.

Each logs in once (the right password only: django-axes locks a user name after wrong ones),
then repeats its tasks until the run's time is up or it has done ``LAST_MAKS_PR_BRUGER`` of
them. Pages are named by what they are, not by their query strings, so the statistics have one
row per page. Only 127.0.0.1 is ever asked: another host is refused before the first request.

The app runs with ``DEBUG=0``, so its session and CSRF cookies are marked ``Secure``; over the
benchmark's plain http a client would not send them back, so each user takes that mark off its
own copies after every answer (the app is told nothing: it runs as in production).
"""

import os
import random
from html.parser import HTMLParser
from itertools import count
from urllib.parse import urlparse

from locust import FastHttpUser, HttpUser, events, task
from locust.exception import StopUser

ADGANGSKODE = os.environ.get("LAST_ADGANGSKODE", "")
CVR = os.environ.get("LAST_CVR", "")
MAKS = int(os.environ.get("LAST_MAKS_PR_BRUGER", "2000"))
KUN_LAESNING = bool(os.environ.get("LAST_KUN_LAESNING"))
# locust's geventhttpclient client (FastHttpUser) takes a fraction of python-requests' CPU for a
# request, which on a machine shared with the app leaves the app more of it; "requests" is the
# default HttpUser, as the runs before session 4 were driven.
KLIENT = os.environ.get("LAST_KLIENT", "fast")
AAR = "aar=2025"
PERIODER = {"status H1": "periode=H1", "status helår": "periode=helaar",
            "status pr. dato": "periode=2025-09-30"}
DRILL = ["M7.korte", "M7.handlingsplaner", "M12.hovedstaden", "M10.henvist_handlingsplan"]
FILTRE = ["", "type=handlingsplan", "status=gennemfoert&fra=2025-01-01&til=2025-06-30",
          "kommune=259", "soeg=Virksomhed 12", "side=7", "region=1085&type=kort"]


@events.test_start.add_listener
def kun_lokalt(environment, **kwargs):
    if urlparse(environment.host or "").hostname != "127.0.0.1":
        raise SystemExit("The load benchmark only asks 127.0.0.1.")


class Felter(HTMLParser):
    """The fields a browser would send for the page's form: inputs with their values, checked
    boxes and radios, each select's chosen option, textareas."""

    def __init__(self):
        super().__init__()
        self.felter: dict[str, str] = {}
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        navn = a.get("name")
        if tag == "input" and navn and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.felter[navn] = a.get("value") or ""
        elif tag == "select" and navn:
            self._select = navn
            self.felter.setdefault(navn, "")
        elif tag == "option" and self._select and "selected" in a:
            self.felter[self._select] = a.get("value") or ""
        elif tag == "textarea" and navn:
            self.felter[navn] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def felter(html: str) -> dict[str, str]:
    parser = Felter()
    parser.feed(html)
    return parser.felter


class Bruger(FastHttpUser if KLIENT == "fast" else HttpUser):
    """Each simulated user logs in with an account of its own (``<prefix>_01``, ``_02`` …, as
    ``last.py`` creates them), as the people of a house do."""

    abstract = True
    prefix = ""
    _loebenumre: dict = {}

    def on_start(self):
        self.opgaver = 0
        nummer = Bruger._loebenumre.setdefault(self.prefix, count(1))
        self.brugernavn = f"{self.prefix}_{next(nummer):02d}"
        side = self.hent("/login/", "login (GET)")
        data = felter(side.text) | {"username": self.brugernavn, "password": ADGANGSKODE}
        with self.client.post("/login/", data=data, name="login (POST)", allow_redirects=False,
                              catch_response=True) as svar:
            if svar.status_code != 302:
                svar.failure(f"login gave {svar.status_code}")
        self.over_http()

    def over_http(self):
        # FastHttpSession.cookiejar or requests' cookies: both an http.cookiejar.CookieJar.
        for cookie in getattr(self.client, "cookiejar", None) or self.client.cookies:
            cookie.secure = False

    def hent(self, url, navn):
        """GET ``url``; anything but 200 (a redirect to the login page too) is an error."""
        with self.client.get(url, name=navn, allow_redirects=False, catch_response=True) as svar:
            if svar.status_code != 200:
                svar.failure(f"{svar.status_code}")
        self.over_http()
        return svar

    def tael(self):
        self.opgaver += 1
        if self.opgaver > MAKS:
            raise StopUser()

    def side(self, url, navn):
        self.hent(url, navn)


class KKRLaeser(Bruger):
    """Status pages, goal pages and a drill-down."""

    weight = 3
    prefix = "bench_laeser"

    @task(3)
    def status(self):
        self.tael()
        navn, periode = random.choice(list(PERIODER.items()))
        self.side(f"/status/?{AAR}&{periode}", navn)

    @task(3)
    def maal(self):
        self.tael()
        nummer = random.randint(1, 15)
        periode = random.choice(list(PERIODER.values()))
        self.side(f"/status/maal/{nummer}/?{AAR}&{periode}", "målside")

    @task(1)
    def drill(self):
        self.tael()
        noegle = random.choice(DRILL)
        self.side(f"/status/indikator/{noegle}/poster/?{AAR}&periode=helaar", "drill-down")


class Registrant(Bruger):
    """The forløb list with its filters, the status page, and an AI-tjek registered."""

    weight = 1
    prefix = "bench_registrant"

    @task(4)
    def liste(self):
        self.tael()
        filtre = random.choice(FILTRE)
        self.side(f"/registrering/forloeb/?{filtre}", "forløbsliste")

    @task(1)
    def status(self):
        self.tael()
        self.side(f"/status/?{AAR}&periode=helaar", "status helår")

    @task(1)
    def registrer(self):
        self.tael()
        side = self.hent("/registrering/ai-tjek/ny/", "AI-tjek (GET)")
        if KUN_LAESNING:  # last.py --kun-laesning: the form is read, nothing is saved
            return
        data = felter(side.text) | {
            "virksomhed-soeg": CVR, "dato": f"2025-{random.randint(1, 12):02d}-15",
        }
        with self.client.post("/registrering/ai-tjek/ny/", data=data, name="AI-tjek (POST)",
                              allow_redirects=False, catch_response=True) as svar:
            if svar.status_code != 302:
                svar.failure(f"{svar.status_code}: {svar.text[:200]}")
        self.over_http()
