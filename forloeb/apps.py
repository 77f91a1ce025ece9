from django.apps import AppConfig
from django.db.backends.signals import connection_created


class ForloebConfig(AppConfig):
    name = "forloeb"
    verbose_name = "Registreringer"

    def ready(self):
        from .selectors import registrer_unicode_lower

        # Every SQLite connection learns a Unicode-aware lower() for searches on æ, ø and å.
        connection_created.connect(registrer_unicode_lower, dispatch_uid="forloeb_unicode_lower")
