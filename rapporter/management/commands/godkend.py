"""``python manage.py godkend --aar 2025 --periode H1 --bruger NAVN [--kommentar TEKST]
[--forklaringer FIL.json] [--erhvervshus NAVN]``

Approves a half year or a whole year as the browser does (``rapporter.godkendelse.godkend``):
the period's whole result is stored as the next version. The explanations in the file (goal
numbers or indicator keys → texts) are saved first, as if written in the browser; an empty text
removes one. All or nothing: when anything is missing (an indicator ``bagud`` or
``ikke_opfyldt`` without an explanation, a milepæl of a finished year without its final
assessment) the command names each one, saves nothing and exits with code 2; so do an unknown
user, year, period or house and a file that is not a JSON object of texts.
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from maal.models import Indikator
from rapporter.godkendelse import GODKEND_RET, forklaring_gem, godkend, rapportperiode

from ._faelles import fejl, find_kontrakt

PERIODE_NAVNE = {"h1": "H1", "helaar": "helaar", "helår": "helaar"}


class Command(BaseCommand):
    help = (
        "Godkender 1. halvår (H1) eller hele året (helaar) for et erhvervshus og et år: "
        "periodens tal, status, forklaringer og milepæle gemmes som næste version, som KKR "
        "derefter ser. Afvises med en liste, så længe en indikator er bagud eller ikke opfyldt "
        "uden forklaring (på målet eller indikatoren), og efter årets udgang så længe en "
        "milepæl mangler den endelige vurdering. Kræver en bruger med rollen Administrator."
    )

    def add_arguments(self, parser):
        parser.add_argument("--aar", type=int, help="Kontraktåret, f.eks. 2025.")
        parser.add_argument("--periode", help="H1 (1. halvår) eller helaar (hele året).")
        parser.add_argument("--bruger", help="Brugernavnet (i appen) på den, der godkender.")
        parser.add_argument("--kommentar", default="", help="En kommentar til godkendelsen.")
        parser.add_argument(
            "--forklaringer", default="",
            help='En JSON-fil, der knytter målnumre eller indikatornøgler til forklaringer, '
                 'f.eks. {"7": "Færre henvendelser end ventet …", "M9.ai_tjek": "…"}. Gemmes '
                 'som skrevet i browseren før godkendelsen; en tom tekst fjerner forklaringen.',
        )
        parser.add_argument(
            "--erhvervshus", default="", help="Husets navn, når der er flere kontrakter for året."
        )

    def handle(self, *args, aar, periode, bruger, kommentar, forklaringer, erhvervshus,
               **options):
        if aar is None:
            raise fejl("Angiv året med --aar, f.eks. --aar 2025.")
        navn = PERIODE_NAVNE.get((periode or "").strip().lower())
        if navn is None:
            raise fejl(f"Ukendt periode '{periode or ''}'. Brug --periode H1 eller --periode "
                       "helaar; en status pr. dato kan ikke godkendes.")
        hvem = self.bruger(bruger)
        kontrakt = find_kontrakt(aar, erhvervshus)
        valgt = rapportperiode(kontrakt, navn)
        tekster = self.forklaringer(forklaringer, kontrakt) if forklaringer else []
        try:
            with transaction.atomic():
                for maal, indikator, tekst in tekster:
                    forklaring_gem(maal=maal, indikator=indikator, periode=navn, tekst=tekst,
                                   bruger=hvem)
                godkendelse = godkend(kontrakt=kontrakt, periode=navn, bruger=hvem,
                                      kommentar=kommentar, idag=timezone.localdate())
        except PermissionDenied as exc:
            raise fejl(str(exc)) from None
        except ValidationError as exc:
            gemt = " Ingen forklaringer er gemt." if tekster else ""
            raise fejl(
                f"{valgt.titel} kan ikke godkendes.{gemt} Det mangler:\n"
                + "".join(f"  {besked}\n" for besked in exc.messages)
                + "Skriv en forklaring på målet eller indikatoren i browseren eller i filen til "
                "--forklaringer (f.eks. {\"7\": \"…\"}), og godkend igen."
            ) from None
        if tekster:
            self.stdout.write(f"{len(tekster)} forklaring{'er' if len(tekster) != 1 else ''} "
                              "er gemt.")
        self.stdout.write(f"{valgt.titel} for {kontrakt.erhvervshus.navn} er godkendt: "
                          f"{godkendelse.maerke}.")

    def bruger(self, brugernavn: str | None):
        if not brugernavn:
            raise fejl("Angiv med --bruger, hvem der godkender (brugernavnet i appen).")
        bruger = get_user_model().objects.filter(username=brugernavn).first()
        if bruger is None:
            raise fejl(f"Brugeren '{brugernavn}' findes ikke.")
        if not bruger.is_active or not bruger.has_perm(GODKEND_RET):
            raise fejl(f"Brugeren '{brugernavn}' må ikke godkende rapporter; det kræver rollen "
                       "Administrator.")
        return bruger

    def forklaringer(self, fil: str, kontrakt) -> list[tuple]:
        """The file's explanations as (goal, indicator or None, text), every key checked
        against the contract before anything is saved."""
        sti = Path(fil)
        if not sti.is_file():
            raise fejl(f"Filen {fil} findes ikke.")
        try:
            data = json.loads(sti.read_text(encoding="utf-8-sig"))
        except UnicodeDecodeError:
            raise fejl(f"Filen {fil} er ikke UTF-8-tekst.") from None
        except json.JSONDecodeError as exc:
            raise fejl(f"Filen {fil} er ikke gyldig JSON (linje {exc.lineno}, kolonne "
                       f"{exc.colno}).") from None
        if not isinstance(data, dict):
            raise fejl(f'Filen {fil} skal være et JSON-objekt af målnumre eller '
                       f'indikatornøgler og tekster, f.eks. {{"7": "…", "M7.korte": "…"}}.')
        maal = {str(m.nummer): m for m in kontrakt.maal.all()}
        indikatorer = {i.noegle: i for i in Indikator.objects.filter(
            maal__kontrakt=kontrakt).select_related("maal")}
        ud, fejl_ = [], []
        for noegle, tekst in data.items():
            renset = noegle.strip()
            if not isinstance(tekst, str):
                fejl_.append(f"Forklaringen til '{noegle}' skal være en tekst.")
            elif renset in maal:
                ud.append((maal[renset], None, tekst))
            elif renset in indikatorer:
                ud.append((indikatorer[renset].maal, indikatorer[renset], tekst))
            else:
                fejl_.append(f"'{noegle}' er hverken et mål eller en indikator i kontrakten "
                             f"for {kontrakt.aar}.")
        if fejl_:
            raise fejl(f"Filen {fil} kan ikke bruges; intet er gemt:\n"
                       + "\n".join(f"  {besked}" for besked in fejl_)
                       + '\nBrug et målnummer (f.eks. "7") eller en indikatornøgle (f.eks. '
                       '"M7.korte").')
        return ud
