from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MaalConfig(AppConfig):
    name = "maal"
    verbose_name = "Kontrakter og mål"

    def ready(self):
        from .roller import opret_roller

        # Permissions exist only after migrate has run, so roles are kept in step there.
        post_migrate.connect(opret_roller, sender=self)
