from django.apps import AppConfig


class RapporterConfig(AppConfig):
    name = "rapporter"
    verbose_name = "Rapporter"

    def ready(self):
        # An approved period locks the records counted in it (forloeb.laas asks this source).
        from forloeb import laas

        from .godkendelse import laaste_perioder

        laas.registrer(laaste_perioder)

        # Each period's results are kept until a write changes the data (rapporter.cache).
        from . import cache

        cache.forbind()
