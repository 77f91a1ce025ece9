"""The admin for registrations and reference data, in Danish, with history on every record."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AITjek,
    Aktivitet,
    Aktoer,
    Befolkning,
    Emne,
    Forloeb,
    Henvisning,
    Kommune,
    Programdeltagelse,
    Region,
    Samarbejdsaftale,
    Virksomhed,
)


class RegistreringAdmin(SimpleHistoryAdmin):
    """Sets ``oprettet_af`` on records made in the admin."""

    readonly_fields = ("oprettet", "opdateret", "oprettet_af")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.oprettet_af = request.user
        super().save_model(request, obj, form, change)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("kode", "navn")


@admin.register(Kommune)
class KommuneAdmin(SimpleHistoryAdmin):
    list_display = ("kode", "navn", "region", "dst_kommunegruppe")
    list_filter = ("region", "dst_kommunegruppe")
    search_fields = ("kode", "navn")


@admin.register(Befolkning)
class BefolkningAdmin(SimpleHistoryAdmin):
    list_display = ("kommune", "dato", "indbyggere", "kilde")
    list_filter = ("dato", "kommune__region")
    search_fields = ("kommune__navn",)
    autocomplete_fields = ("kommune",)


@admin.register(Emne)
class EmneAdmin(admin.ModelAdmin):
    list_display = ("kode", "navn")


@admin.register(Virksomhed)
class VirksomhedAdmin(RegistreringAdmin):
    list_display = ("navn", "cvr", "kommune", "stiftelsesdato")
    list_filter = ("kommune__region", "kommune")
    search_fields = ("navn", "cvr")
    autocomplete_fields = ("kommune",)


@admin.register(Aktoer)
class AktoerAdmin(RegistreringAdmin):
    list_display = ("navn", "type")
    list_filter = ("type",)
    search_fields = ("navn",)
    filter_horizontal = ("kommuner",)


class HenvisningInline(admin.TabularInline):
    model = Henvisning
    extra = 1
    autocomplete_fields = ("aktoer",)
    fields = ("aktoer", "dato")


@admin.register(Forloeb)
class ForloebAdmin(RegistreringAdmin):
    list_display = ("ekstern_id", "virksomhed", "type", "startdato", "slutdato", "raadgiver")
    list_filter = ("type", "slutdato", "fyrtaarn", "emner", "virksomhed__kommune__region")
    search_fields = ("ekstern_id", "virksomhed__navn", "virksomhed__cvr", "raadgiver")
    date_hierarchy = "startdato"
    autocomplete_fields = ("virksomhed",)
    filter_horizontal = ("emner",)
    inlines = [HenvisningInline]
    list_select_related = ("virksomhed",)


@admin.register(Henvisning)
class HenvisningAdmin(RegistreringAdmin):
    list_display = ("forloeb", "aktoer", "dato")
    list_filter = ("aktoer__type", "dato")
    search_fields = ("forloeb__ekstern_id", "aktoer__navn", "forloeb__virksomhed__cvr")
    autocomplete_fields = ("forloeb", "aktoer")
    list_select_related = ("forloeb", "aktoer")


@admin.register(AITjek)
class AITjekAdmin(RegistreringAdmin):
    list_display = ("ekstern_id", "virksomhed", "dato", "henvist_af_lokal_erhvervsservice")
    list_filter = ("dato", "henvist_af_lokal_erhvervsservice")
    search_fields = ("ekstern_id", "virksomhed__navn", "virksomhed__cvr")
    autocomplete_fields = ("virksomhed",)
    list_select_related = ("virksomhed",)


@admin.register(Aktivitet)
class AktivitetAdmin(RegistreringAdmin):
    list_display = ("titel", "type", "dato", "fyrtaarn")
    list_filter = ("type", "dato", "fyrtaarn")
    search_fields = ("titel", "ekstern_id")
    filter_horizontal = ("partnere", "kommuner")


@admin.register(Programdeltagelse)
class ProgramdeltagelseAdmin(RegistreringAdmin):
    list_display = ("virksomhed", "program", "status", "dato")
    list_filter = ("program", "status", "dato")
    search_fields = ("virksomhed__navn", "virksomhed__cvr")
    autocomplete_fields = ("virksomhed",)
    list_select_related = ("virksomhed",)


@admin.register(Samarbejdsaftale)
class SamarbejdsaftaleAdmin(RegistreringAdmin):
    list_display = ("aktoer", "dato", "beskrivelse")
    list_filter = ("dato",)
    search_fields = ("aktoer__navn", "beskrivelse")
    autocomplete_fields = ("aktoer",)
