"""History on every record kind (django-simple-history), named in Danish."""

from django.utils.text import format_lazy
from simple_history.models import HistoricalRecords


class Historik(HistoricalRecords):
    """``HistoricalRecords`` whose history tables read "historik for forløb", not "historical
    forløb", wherever Django shows their names."""

    def get_meta_options(self, model):
        if not self.user_set_verbose_name:
            self.user_set_verbose_name = format_lazy(
                "historik for {}", model._meta.verbose_name
            )
        if not self.user_set_verbose_name_plural:
            self.user_set_verbose_name_plural = format_lazy(
                "historik for {}", model._meta.verbose_name_plural
            )
        return super().get_meta_options(model)
