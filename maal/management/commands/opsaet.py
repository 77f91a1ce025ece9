"""Set up a working installation in one step: migrate, load the 2025 contract, demo data and a
first administrator. Safe to run again: nothing is duplicated and an existing admin is kept."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand

from maal.models import Resultatkontrakt
from maal.roller import ADMINISTRATOR


class Command(BaseCommand):
    help = "Migrerer, indlæser 2025-kontrakten og demodata og opretter en første administrator."

    def add_arguments(self, parser):
        parser.add_argument("--uden-demodata", action="store_true")
        parser.add_argument("--port", type=int, default=8000,
                            help="Porten, serveren skal køre på (standard: 8000); den står i "
                                 "login-adressen, som kommandoen skriver.")

    def handle(self, *args, uden_demodata=False, port=8000, **options):
        self.port = port
        call_command("migrate", interactive=False, verbosity=0)
        if not Resultatkontrakt.objects.filter(aar=2025).exists():
            call_command("loaddata", "kontrakt_2025", verbosity=0)
            self.stdout.write("Resultatkontrakten for 2025 er indlæst.")
        if not uden_demodata:
            call_command("demodata", aar=2025, stdout=self.stdout)
        self.opret_administrator()

    def opret_administrator(self):
        User = get_user_model()
        brugernavn = os.environ.get("ADMIN_USERNAME", "admin")
        valgt_kodeord = os.environ.get("ADMIN_PASSWORD")
        eksisterende = User.objects.filter(username=brugernavn).first()
        if eksisterende is not None:
            if valgt_kodeord:
                eksisterende.set_password(valgt_kodeord)
                eksisterende.save(update_fields=["password"])
                self.stdout.write(f"Administratoren '{brugernavn}' har fået kodeordet fra "
                                  "ADMIN_PASSWORD.")
            else:
                self.stdout.write(f"Administratoren '{brugernavn}' findes allerede; kodeordet er "
                                  "uændret (sæt ADMIN_PASSWORD for at give den et nyt).")
            return
        kodeord = valgt_kodeord or secrets.token_urlsafe(12)
        bruger = User.objects.create_superuser(
            username=brugernavn, password=kodeord, email="", first_name="Administrator"
        )
        bruger.groups.add(Group.objects.get(name=ADMINISTRATOR))
        self.stdout.write(self.style.SUCCESS(
            f"Administrator oprettet. Start appen med 'python manage.py start "
            f"127.0.0.1:{self.port}', og log ind på http://127.0.0.1:{self.port}/ med\n"
            f"  brugernavn: {brugernavn}\n  kodeord:    {kodeord}"
        ))
