"""Serve plotly.js from the installed ``plotly`` package, so no copy is committed or fetched."""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_DIR = Path(plotly.__file__).parent / "package_data"
PLOTLY_FILE = "plotly.min.js"
PREFIX = "plotly"


class PlotlyFinder(BaseFinder):
    """Expose ``plotly/plotly.min.js`` to ``{% static %}``, collectstatic and whitenoise."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(PLOTLY_DIR))
        self.storage.prefix = PREFIX

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path == f"{PREFIX}/{PLOTLY_FILE}":
            match = str(PLOTLY_DIR / PLOTLY_FILE)
            return [match] if find_all else match
        # Not found: [] as Django's own finders answer, whatever find_all (None would be taken
        # for a match, and an unknown static address answered with a 500).
        return []

    def list(self, ignore_patterns):
        yield PLOTLY_FILE, self.storage
