"""The admin for contracts: a new year's or another house's contract is set up here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ByLand, Erhvervshus, Indikator, Maal, Maaling, MilepaelStatus, Resultatkontrakt


@admin.register(Erhvervshus)
class ErhvervshusAdmin(SimpleHistoryAdmin):
    list_display = ("navn", "region")


class MaalInline(admin.TabularInline):
    model = Maal
    extra = 0
    fields = ("nummer", "titel", "niveau")
    show_change_link = True


class ByLandInline(admin.TabularInline):
    model = ByLand
    extra = 0
    fields = ("kommune", "kategori")
    autocomplete_fields = ("kommune",)


@admin.register(Resultatkontrakt)
class ResultatkontraktAdmin(SimpleHistoryAdmin):
    list_display = ("erhvervshus", "aar", "modpart", "by_land_er_standard")
    list_filter = ("erhvervshus", "aar")
    inlines = [MaalInline, ByLandInline]


class IndikatorInline(admin.StackedInline):
    model = Indikator
    extra = 0
    fields = (
        ("noegle", "raekkefoelge"), "titel", ("art", "retning", "maalvaerdi", "enhed"),
        "datakilde", "regel", "parametre",
    )


@admin.register(Maal)
class MaalAdmin(SimpleHistoryAdmin):
    list_display = ("nummer", "titel", "niveau", "kontrakt")
    list_filter = ("kontrakt", "niveau")
    search_fields = ("titel", "maal_tekst")
    inlines = [IndikatorInline]


@admin.register(Indikator)
class IndikatorAdmin(SimpleHistoryAdmin):
    list_display = ("noegle", "titel", "art", "retning", "maalvaerdi", "enhed", "maal")
    list_filter = ("maal__kontrakt", "art")
    search_fields = ("noegle", "titel")


@admin.register(Maaling)
class MaalingAdmin(SimpleHistoryAdmin):
    list_display = ("noegle", "aar", "vaerdi", "dato", "kilde", "indtastet_af")
    list_filter = ("erhvervshus", "aar", "noegle")
    search_fields = ("noegle", "kilde", "kommentar")
    readonly_fields = ("indtastet", "indtastet_af")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.indtastet_af = request.user
        super().save_model(request, obj, form, change)


@admin.register(MilepaelStatus)
class MilepaelStatusAdmin(MaalingAdmin):
    list_display = ("indikator", "status", "dato", "indtastet_af")
    list_filter = ("indikator__maal__kontrakt", "status")
    search_fields = ("indikator__noegle", "fortaelling")


@admin.register(ByLand)
class ByLandAdmin(SimpleHistoryAdmin):
    list_display = ("kommune", "kategori", "kontrakt")
    list_filter = ("kontrakt", "kategori")
