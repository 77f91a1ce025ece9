from django.apps import AppConfig


class RapporterConfig(AppConfig):
    name = "rapporter"
    verbose_name = "Rapporter"

    def ready(self):
        # An approved period locks the records counted in it (forloeb.laas asks this source).
        from forloeb import laas

        from .godkendelse import laaste_perioder

        laas.registrer(laaste_perioder)

        # What is computed from the records is kept until a write to a table it reads; the
        # tokens are this app's model (kontrakt.dataversion).
        from kontrakt import dataversion

        dataversion.forbind()
