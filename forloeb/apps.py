from django.apps import AppConfig


class ForloebConfig(AppConfig):
    name = "forloeb"
    verbose_name = "Registreringer"
