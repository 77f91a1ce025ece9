"""``python manage.py start [ADDRPORT]``: the development server and the background worker in one.

Starts ``db_worker`` (django-tasks-db: it runs the upload page's dry runs and imports, one at a
time) as a child process, then ``runserver`` in the foreground. Ctrl-C stops both: the server
at once, the worker after the import it may be running (Ctrl-C again stops that too; an import
cut off writes nothing, it is all or nothing). In production run the two as separate services
(README, Production).

runserver's autoreloader starts this command again in a child process (``RUN_MAIN=true``); only
the first process starts a worker.
"""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

VENT_SEKUNDER = 60


def adresse(addrport: str) -> str:
    """The address to open for ``addrport`` as runserver reads it: "8001", "0.0.0.0:8001",
    "[::1]:8001" or "localhost"; the login address the user is told, on the port in use."""
    vaert, _, port = addrport.rpartition(":") if ":" in addrport else ("", "", addrport)
    if not port.isdigit():  # a host alone: runserver's port
        vaert, port = addrport, "8000"
    if vaert in ("", "0", "0.0.0.0", "[::]"):  # every interface: this machine answers too
        vaert = "127.0.0.1"
    return f"http://{vaert}:{port}/"


class Command(BaseCommand):
    help = (
        "Starter udviklingsserveren (runserver) og baggrundsarbejderen (db_worker), som kører "
        "uploadsidens prøvekørsler og importer. Ctrl-C stopper begge."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000",
                            help="Adresse og port for runserver (standard: 127.0.0.1:8000).")

    def handle(self, *args, addrport, **options):
        if os.environ.get("RUN_MAIN") == "true":  # the autoreloader's child: the server only
            call_command("runserver", addrport)
            return
        arbejder = subprocess.Popen(
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker", "--no-reload"],
            # Its own process group: Ctrl-C in the terminal reaches the server, and this
            # command stops the worker once, gently, below.
            start_new_session=True,
        )
        self.stdout.write(f"Baggrundsarbejderen kører (proces {arbejder.pid}). Appen svarer på "
                          f"{adresse(addrport)}")
        try:
            call_command("runserver", addrport)
        except KeyboardInterrupt:
            pass
        finally:
            self._stop(arbejder)

    def _stop(self, arbejder) -> None:
        if arbejder.poll() is not None:
            return
        arbejder.send_signal(signal.SIGTERM)  # the worker finishes the task it runs, then stops
        try:
            arbejder.wait(timeout=2)
            return
        except subprocess.TimeoutExpired:
            self.stdout.write("Venter på, at baggrundsarbejderen gør sin import færdig "
                              "(Ctrl-C igen stopper den nu) …")
        try:
            arbejder.wait(timeout=VENT_SEKUNDER)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            arbejder.kill()
            arbejder.wait()
