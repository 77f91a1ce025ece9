from django.apps import AppConfig


class KontraktConfig(AppConfig):
    name = "kontrakt"
    verbose_name = "Fælles"
