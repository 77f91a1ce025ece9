"""plotly.js is served from the installed package (kontrakt.staticfinders), and an unknown
static file is not found rather than an error."""

from django.contrib.staticfiles import finders


def test_plotly_is_found_in_the_installed_package():
    assert finders.find("plotly/plotly.min.js").endswith("package_data/plotly.min.js")


def test_an_unknown_static_file_is_not_found():
    assert not finders.find("plotly.min.js")
    assert finders.find("findes-ikke.js", find_all=True) == []
