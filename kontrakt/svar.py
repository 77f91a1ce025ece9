"""Responses the apps share."""

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_svar(indhold: bytes, filnavn: str) -> HttpResponse:
    """A workbook's bytes as a download named ``filnavn`` (with its ``.xlsx``)."""
    return HttpResponse(indhold, content_type=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{filnavn}"'
    })
