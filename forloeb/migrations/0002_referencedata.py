"""Reference data present right after ``migrate``: regions, the 98 kommuner, population of Region
Sjælland, the topics of a forløb and the reference aktører. Read from ``forloeb/data/*.csv``."""

import csv
from datetime import date
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
BEFOLKNING_KILDE = "Danmarks Statistik, BY1, 1. januar 2023"

EMNER = [
    ("baeredygtighed", "Bæredygtighed"),
    ("ai", "Kunstig intelligens"),
    ("digitalisering", "Digitalisering"),
    ("eksport", "Eksport"),
    ("rekruttering", "Rekruttering og fastholdelse"),
    ("finansiering", "Finansiering"),
    ("innovation", "Innovation"),
    ("andet", "Andet"),
]


def _csv(name):
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def indlaes(apps, schema_editor):
    Region = apps.get_model("forloeb", "Region")
    Kommune = apps.get_model("forloeb", "Kommune")
    Befolkning = apps.get_model("forloeb", "Befolkning")
    Emne = apps.get_model("forloeb", "Emne")
    Aktoer = apps.get_model("forloeb", "Aktoer")

    for row in _csv("kommuner.csv"):
        region, _ = Region.objects.update_or_create(
            kode=row["regionskode"], defaults={"navn": row["region"]}
        )
        Kommune.objects.update_or_create(
            kode=row["kode"],
            defaults={
                "navn": row["navn"],
                "region": region,
                "dst_kommunegruppe": int(row["dst_kommunegruppe_kode"]),
            },
        )
    for row in _csv("befolkning.csv"):
        Befolkning.objects.update_or_create(
            kommune_id=row["kode"],
            dato=date.fromisoformat(row["dato"]),
            defaults={"indbyggere": int(row["indbyggere"]), "kilde": BEFOLKNING_KILDE},
        )
    for kode, navn in EMNER:
        Emne.objects.update_or_create(kode=kode, defaults={"navn": navn})
    for row in _csv("aktoerer.csv"):
        aktoer, _ = Aktoer.objects.update_or_create(
            navn=row["navn"], defaults={"type": row["type"]}
        )
        koder = [k for k in row["kommunekoder"].split(";") if k]
        aktoer.kommuner.set(koder)


class Migration(migrations.Migration):
    dependencies = [("forloeb", "0001_initial")]

    operations = [migrations.RunPython(indlaes, migrations.RunPython.noop)]
