"""The upload page's dry run and import as background tasks (``forloeb.tasks``): the task stores
progress and the answer on its run, the run's page shows it waiting (with its place in the
queue), running and done, the JSON status the page's script polls, and who sees a run.

The test settings run tasks at once; the tests of a waiting run use django-tasks' DummyBackend,
which keeps an enqueued task without running it."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forloeb import tasks
from forloeb.models import Forloeb, Importkoersel
from forloeb.views_import import _gem_fil, status_data
from tests.forloeb.test_importer import FORLOEB_OVERSKRIFT, VIRKSOMHED_OVERSKRIFT, bog

UPLOAD = "/registrering/import/"
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def ventende(settings, tmp_path):
    settings.IMPORT_TMP_DIR = tmp_path / "import"
    return settings.IMPORT_TMP_DIR


def arbejdsbog(antal_forloeb=1) -> bytes:
    return bog(
        Virksomheder=[VIRKSOMHED_OVERSKRIFT, ["10000017", "Nordisk Bageri ApS", "330",
                                              date(2010, 1, 1)]],
        Forloeb=[FORLOEB_OVERSKRIFT, *(
            [f"ESCRM-{n}", "10000017", "kort", date(2025, 1, 5), date(2025, 1, 20), "", "", ""]
            for n in range(1, antal_forloeb + 1)
        )],
    )


def koersel(bruger, *, indhold=None, **felter) -> Importkoersel:
    token = _gem_fil(indhold if indhold is not None else arbejdsbog())
    return Importkoersel.objects.create(bruger=bruger, filnavn="crm.xlsx", token=token,
                                        **felter)


def status(client, run) -> dict:
    svar = client.get(reverse("importer:koersel_status", args=[run.pk]))
    assert svar.status_code == 200 and svar["Content-Type"] == "application/json"
    return svar.json()


# --- The task ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_task_runs_the_dry_run_and_keeps_progress_and_answer(administrator, kontrakt_2025):
    run = koersel(administrator, indhold=arbejdsbog(30))

    tasks.koer_import.call(run.pk)

    run.refresh_from_db()
    assert run.status == "faerdig" and run.startet and run.afsluttet >= run.startet
    svar = tasks.resultat_fra_json(run.resultat)
    assert svar.ok and not svar.gemt
    assert {o.ark: o.nye for o in svar.ark} == {"Virksomheder": 1, "Forloeb": 30}
    # The last progress of each sheet: every row read and checked.
    assert {a["ark"]: (a["laest"], a["kontrolleret"]) for a in run.fremskridt} == {
        "Virksomheder": (1, 1), "Forloeb": (30, 30)}
    assert not Forloeb.objects.exists()
    assert tasks.fil(run.token).is_file()  # waits for the confirmation


@pytest.mark.django_db
def test_the_import_task_writes_and_removes_its_file(administrator, kontrakt_2025):
    proeve = koersel(administrator, status="faerdig")
    run = Importkoersel.objects.create(bruger=administrator, filnavn="crm.xlsx",
                                       token=proeve.token, dry_run=False, proevekoersel=proeve)

    tasks.koer_import.call(run.pk)

    run.refresh_from_db()
    assert run.status == "faerdig" and tasks.resultat_fra_json(run.resultat).gemt
    assert Forloeb.objects.get().history.get().history_user == administrator
    assert not tasks.fil(run.token).exists()


@pytest.mark.django_db
def test_progress_is_written_at_most_every_half_second_not_per_row(administrator, monkeypatch):
    run = koersel(administrator)

    def langsom_import(indhold, filnavn, *, fremskridt, **kw):
        for n in range(1, 20_001):
            fremskridt("Forloeb", 20_000, n)
        return tasks.resultat_fra_json({"filnavn": filnavn, "ark": [], "fejl": [],
                                        "advarsler": [], "oversprungne_ark": []})

    monkeypatch.setattr(tasks, "importer", langsom_import)
    with CaptureQueriesContext(connection) as sql:
        tasks.koer_import.call(run.pk)
    opdateringer = [q for q in sql.captured_queries
                    if q["sql"].startswith("UPDATE") and "fremskridt" in q["sql"]]
    assert 1 <= len(opdateringer) <= 10  # 20,000 rows in well under a few seconds
    run.refresh_from_db()
    assert run.fremskridt == [{"ark": "Forloeb", "laest": 20_000, "kontrolleret": 20_000,
                               "aktuelt": True}]


@pytest.mark.django_db
def test_progress_keeps_the_order_met_and_marks_the_sheet_the_importer_is_at(administrator):
    run = koersel(administrator)
    fremskridt = tasks.Fremskridt(run.pk)
    fremskridt("Forloeb", 1000, 0)
    fremskridt("Virksomheder", 1000, 0)
    fremskridt("Forloeb", 2500, 1000)
    fremskridt.gem()
    run.refresh_from_db()
    assert run.fremskridt == [
        {"ark": "Forloeb", "laest": 2500, "kontrolleret": 1000, "aktuelt": True},
        {"ark": "Virksomheder", "laest": 1000, "kontrolleret": 0, "aktuelt": False},
    ]
    run.status = "koerer"
    assert "Kontrollerer Forløb." in status_data(run)["tekst"]


@pytest.mark.django_db
def test_a_crash_marks_the_run_failed_and_removes_the_file(administrator, monkeypatch):
    run = koersel(administrator)

    def fejler(*args, **kwargs):
        raise RuntimeError("disken er fuld")

    monkeypatch.setattr(tasks, "importer", fejler)
    with pytest.raises(RuntimeError):
        tasks.koer_import.call(run.pk)
    run.refresh_from_db()
    assert run.status == "fejlet" and "disken er fuld" in run.fejlbesked
    assert "intet er gemt" in run.fejlbesked
    assert not tasks.fil(run.token).exists()


@pytest.mark.django_db
def test_a_run_left_running_by_a_stopped_worker_is_marked_cut_off(administrator, kontrakt_2025):
    gammel = koersel(administrator, status="koerer")
    ny = koersel(administrator)

    tasks.koer_import.call(ny.pk)

    gammel.refresh_from_db()
    assert gammel.status == "fejlet" and "afbrudt" in gammel.fejlbesked
    assert Importkoersel.objects.get(pk=ny.pk).status == "faerdig"


@pytest.mark.django_db
def test_a_dry_run_finishing_after_a_newer_upload_keeps_no_file(administrator, kontrakt_2025):
    aeldre, nyere = koersel(administrator), koersel(administrator)
    tasks.koer_import.call(aeldre.pk)
    assert not tasks.fil(aeldre.token).exists()
    tasks.koer_import.call(nyere.pk)
    assert tasks.fil(nyere.token).is_file()


@pytest.mark.django_db
def test_a_task_run_twice_does_nothing_the_second_time(administrator, kontrakt_2025):
    run = koersel(administrator)
    tasks.koer_import.call(run.pk)
    afsluttet = Importkoersel.objects.get(pk=run.pk).afsluttet
    assert tasks.koer_import.call(run.pk) == "faerdig"
    assert Importkoersel.objects.get(pk=run.pk).afsluttet == afsluttet


# --- The run's page: waiting, running, done ----------------------------------------------------


@pytest.mark.django_db
def test_an_upload_while_another_import_runs_waits_and_says_its_place(
    client, administrator, django_user_model, settings, kontrakt_2025
):
    settings.TASKS = DUMMY
    anne = django_user_model.objects.create_user("anne", first_name="Anne", last_name="Hansen")
    koersel(anne, status="koerer", dry_run=False)
    client.force_login(administrator)

    svar = client.post(UPLOAD, {"fil": SimpleUploadedFile("crm.xlsx", arbejdsbog())},
                       follow=True)

    run = Importkoersel.objects.get(bruger=administrator)
    assert svar.redirect_chain == [(f"{UPLOAD}{run.pk}/", 302)]
    html = svar.content.decode()
    assert ("Der kører allerede en import; din starter, når den er færdig. Din er nummer 2 i "
            "køen.") in html
    assert "Før din: Anne Hansens import af crm.xlsx." in html
    assert 'role="status" aria-live="polite"' in html
    assert "<progress" in html and "Venter på at starte" in html
    # The script polls; without it the page reloads itself and offers a plain link.
    assert 'src="/static/js/import.js"' in html and "<script>" not in html
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in html
    assert f'href="{UPLOAD}{run.pk}/" id="import-opdater">Opdater</a>' in html
    assert status(client, run) | {"ark": None} == {
        "id": run.pk, "status": "venter", "aktiv": True, "plads": 2, "ark": None,
        "tekst": "Der kører allerede en import; din starter, når den er færdig. Din er nummer 2 "
                 "i køen.",
        "foran": "Anne Hansens import af crm.xlsx", "ingen_arbejder": False,
    }
    # The upload page points to the waiting run.
    side = client.get(UPLOAD).content.decode()
    assert "Din prøvekørsel af crm.xlsx" in side and f'href="{UPLOAD}{run.pk}/"' in side


@pytest.mark.django_db
def test_the_first_in_the_queue_starts_in_a_moment_and_hints_at_a_missing_worker(
    client, administrator
):
    run = koersel(administrator)
    client.force_login(administrator)
    data = status(client, run)
    assert data["plads"] == 1 and data["tekst"] == "Prøvekørslen af crm.xlsx starter om et øjeblik."
    assert not data["ingen_arbejder"]
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert status(client, run)["ingen_arbejder"]
        html = client.get(reverse("importer:koersel", args=[run.pk])).content.decode()
    assert "Kører baggrundsarbejderen?" in html and "python manage.py start" in html


@pytest.mark.django_db
def test_a_running_import_shows_rows_read_and_checked_per_sheet(client, administrator):
    # The sheets in the order the importer met them; it is at Forloeb now.
    run = koersel(administrator, status="koerer", fremskridt=[
        {"ark": "Forloeb", "laest": 3000, "kontrolleret": 1200, "aktuelt": True},
        {"ark": "Virksomheder", "laest": 12, "kontrolleret": 12, "aktuelt": False},
    ])
    client.force_login(administrator)

    html = client.get(reverse("importer:koersel", args=[run.pk])).content.decode()

    assert "Prøvekørslen af crm.xlsx kører. Kontrollerer Forløb." in html
    assert ('<progress class="import-bar" style="width: 100%" max="3000" value="1200" '
            'aria-label="Forløb: 1.200 af 3.000 rækker kontrolleret">') in html
    assert "12 af 12 rækker kontrolleret" in html
    assert status(client, run)["ark"][0] == {
        "ark": "Forløb", "laest": 3000, "kontrolleret": 1200,
        "tekst": "1.200 af 3.000 rækker kontrolleret"}
    # While a sheet is still being read, the bar has no value (indeterminate).
    run.fremskridt = [{"ark": "Forloeb", "laest": 5000, "kontrolleret": 0, "aktuelt": True}]
    run.save()
    html = client.get(reverse("importer:koersel", args=[run.pk])).content.decode()
    assert "Læser Forløb." in html and "5.000 rækker læst" in html
    assert '<progress class="import-bar" style="width: 100%" max="5000" aria-label' in html


@pytest.mark.django_db
def test_a_finished_run_shows_the_answer_and_no_longer_polls(client, administrator, kontrakt_2025):
    client.force_login(administrator)
    svar = client.post(UPLOAD, {"fil": SimpleUploadedFile("crm.xlsx", arbejdsbog())},
                       follow=True)
    html = svar.content.decode()
    assert "Prøvekørsel: crm.xlsx" in html and "Kontrollér tallene nedenfor" in html
    assert "import.js" not in html and "refresh" not in html and "<progress" not in html
    assert status(client, svar.context["koersel"])["aktiv"] is False


@pytest.mark.django_db
def test_a_failed_run_says_so(client, administrator):
    run = koersel(administrator, status="fejlet", fejlbesked="Importen stoppede med en uventet "
                  "fejl, og intet er gemt: RuntimeError('x').")
    client.force_login(administrator)
    html = client.get(reverse("importer:koersel", args=[run.pk])).content.decode()
    assert "Prøvekørslen af crm.xlsx mislykkedes. Importen stoppede med en uventet fejl" in html
    assert "import.js" not in html


@pytest.mark.django_db
def test_the_confirmation_queues_the_import_behind_a_running_one(
    client, administrator, django_user_model, kontrakt_2025, settings
):
    client.force_login(administrator)
    proeve = client.post(UPLOAD, {"fil": SimpleUploadedFile("crm.xlsx", arbejdsbog())},
                         follow=True).context["koersel"]
    settings.TASKS = DUMMY
    koersel(django_user_model.objects.create_user("bo"), status="koerer")

    svar = client.post(reverse("importer:bekraeft"), {"token": proeve.token}, follow=True)

    assert "Din er nummer 2 i køen." in svar.content.decode()
    run = svar.context["koersel"]
    assert not run.dry_run and run.proevekoersel == proeve
    # The same dry run cannot be confirmed twice.
    igen = client.post(reverse("importer:bekraeft"), {"token": proeve.token}, follow=True)
    assert "ikke gemt længere" in igen.content.decode()
    assert Importkoersel.objects.filter(dry_run=False).count() == 1


# --- Who sees a run ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_the_administrator_who_uploaded_sees_a_run(
    client, administrator, registrant, django_user_model
):
    from django.contrib.auth.models import Group

    anden = django_user_model.objects.create_user("anden")
    anden.groups.add(Group.objects.get(name="Administrator"))
    run = koersel(administrator)
    side = reverse("importer:koersel", args=[run.pk])
    json_ = reverse("importer:koersel_status", args=[run.pk])

    assert client.get(side).status_code == 302  # to the login page
    client.force_login(registrant)
    assert client.get(side).status_code == 403 and client.get(json_).status_code == 403
    client.force_login(anden)
    assert client.get(side).status_code == 404 and client.get(json_).status_code == 404
    client.force_login(administrator)
    assert client.get(side).status_code == 200 and client.get(json_).status_code == 200
    assert client.post(json_).status_code == 405


@pytest.mark.django_db
def test_another_users_dry_run_cannot_be_confirmed(client, administrator, django_user_model,
                                                   kontrakt_2025):
    from django.contrib.auth.models import Group

    anden = django_user_model.objects.create_user("anden")
    anden.groups.add(Group.objects.get(name="Administrator"))
    client.force_login(administrator)
    proeve = client.post(UPLOAD, {"fil": SimpleUploadedFile("crm.xlsx", arbejdsbog())},
                         follow=True).context["koersel"]
    client.force_login(anden)
    svar = client.post(reverse("importer:bekraeft"), {"token": proeve.token}, follow=True)
    assert "ikke gemt længere" in svar.content.decode()
    assert not Forloeb.objects.exists()


# --- manage.py start ---------------------------------------------------------------------------


def test_start_runs_the_worker_beside_runserver_and_stops_it(monkeypatch):
    from forloeb.management.commands import start

    kaldt = []

    class Arbejder:
        pid = 4242

        def __init__(self, args, **kwargs):
            kaldt.append(("worker", args[-2:], kwargs))
            self.signaler = []

        def poll(self):
            return None

        def send_signal(self, signal):
            kaldt.append(("signal", signal))

        def wait(self, timeout=None):
            kaldt.append(("wait", timeout))

    monkeypatch.delenv("RUN_MAIN", raising=False)
    monkeypatch.setattr(start.subprocess, "Popen", Arbejder)
    monkeypatch.setattr(start, "call_command",
                        lambda *a: kaldt.append(("server", a)) or (_ for _ in ()).throw(
                            KeyboardInterrupt))
    call_command("start", "127.0.0.1:8123")
    assert kaldt[0][:2] == ("worker", ["db_worker", "--no-reload"])
    assert kaldt[0][2] == {"start_new_session": True}
    assert kaldt[1] == ("server", ("runserver", "127.0.0.1:8123"))
    assert kaldt[2] == ("signal", start.signal.SIGTERM) and kaldt[3] == ("wait", 2)


def test_start_in_the_autoreloaders_child_runs_the_server_only(monkeypatch):
    from forloeb.management.commands import start

    kaldt = []
    monkeypatch.setenv("RUN_MAIN", "true")
    monkeypatch.setattr(start.subprocess, "Popen", lambda *a, **k: kaldt.append("worker"))
    monkeypatch.setattr(start, "call_command", lambda *a: kaldt.append(a))
    call_command("start")
    assert kaldt == [("runserver", "127.0.0.1:8000")]


@pytest.mark.django_db
def test_a_dry_run_replaced_or_confirmed_says_so_on_its_page(client, administrator,
                                                             kontrakt_2025):
    client.force_login(administrator)

    def upload():
        return client.post(UPLOAD, {"fil": SimpleUploadedFile("crm.xlsx", arbejdsbog())},
                           follow=True).context["koersel"]

    foerste, anden = upload(), upload()
    html = client.get(reverse("importer:koersel", args=[foerste.pk])).content.decode()
    assert "Filen fra prøvekørslen er ikke gemt længere" in html
    assert 'name="token"' not in html
    import_ = client.post(reverse("importer:bekraeft"), {"token": anden.token},
                          follow=True).context["koersel"]
    html = client.get(reverse("importer:koersel", args=[anden.pk])).content.decode()
    assert f'Prøvekørslen er bekræftet: <a href="{UPLOAD}{import_.pk}/">' in html
    assert 'name="token"' not in html


def test_the_answer_survives_json_with_its_counts_and_values_as_shown():
    from datetime import datetime

    from forloeb.importer import Fejl, Opgoerelse, Resultat

    svar = Resultat(
        filnavn="crm.xlsx",
        ark=[Opgoerelse("Forloeb", nye=1, aendrede=300,
                        aendringer=[f"ESCRM-{n}: raadgiver" for n in range(300)],
                        bemaerkninger=["række 3 er magen til række 2 og tælles én gang"])],
        fejl=[Fejl("Forkert dato.", ark="Forloeb", raekke=4, kolonne="slutdato",
                   vaerdi=datetime(2025, 3, 1))],
        advarsler=[], oversprungne_ark=["Noter"], antal_fejl=250,
    )
    igen = tasks.resultat_fra_json(tasks.resultat_til_json(svar))
    assert igen.antal_fejl == 250 and igen.flere_fejl == 249 and not igen.ok
    assert igen.fejl[0].vist_vaerdi == "01-03-2025" and str(igen.fejl[0]) == str(svar.fejl[0])
    (o,) = igen.ark
    assert (o.nye, o.aendrede, len(o.aendringer)) == (1, 300, tasks.VIST)
    assert o.bemaerkninger == svar.ark[0].bemaerkninger
    assert igen.oversprungne_ark == ["Noter"]
