"""The admin for contracts: a new year's or another house's contract is set up here (next
year's from this year's with the action *Kopiér til næste år*); and the users, who are given
their roles here.

An administrator who is not a superuser gives users the roles of
:data:`maal.roller.TILDELBARE_ROLLER` and nothing more: the user form shows them only *aktiv*
and those groups (no superuser status, no single permissions), a superuser opens read-only,
and the groups themselves are read-only to them (the role Administrator has only
``auth.view_group``). A superuser sees Django's whole user form.
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from simple_history.admin import SimpleHistoryAdmin

from rapporter.templatetags.tal import maaltal

from .models import (
    ByLand,
    Erhvervshus,
    Indikator,
    Maal,
    Maalandel,
    Maaling,
    Medlemskab,
    MilepaelStatus,
    Resultatkontrakt,
)
from .roller import TILDELBARE_ROLLER
from .services import KOPI_NOTE, kontrakt_kopier

Bruger = get_user_model()


@admin.register(Erhvervshus)
class ErhvervshusAdmin(SimpleHistoryAdmin):
    list_display = ("navn", "region")
    filter_horizontal = ("kommuner",)


@admin.register(Maalandel)
class MaalandelAdmin(SimpleHistoryAdmin):
    """Each house's share of a national target per year (Mål 1: its part of the 1.200
    iværksættere); the national page holds the house's figure against it."""

    list_display = ("erhvervshus", "aar", "noegle", "maalvaerdi", "kilde")
    list_filter = ("aar", "noegle", "erhvervshus")
    list_editable = ("maalvaerdi",)


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
    actions = ["kopier_til_naeste_aar"]

    @admin.action(description="Kopiér til næste år", permissions=["add"])
    def kopier_til_naeste_aar(self, request, queryset):
        """Each chosen contract copied to the year after it (``kontrakt_kopier``); one copy
        opens ready to edit. Another year is copied with ``manage.py kopier_kontrakt``."""
        kopier = []
        for kilde in queryset.select_related("erhvervshus").order_by("erhvervshus__navn", "aar"):
            try:
                kopi = kontrakt_kopier(kilde=kilde, aar=kilde.aar + 1, bruger=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                continue
            kopier.append(kopi)
            self.message_user(request, f"Resultatkontrakten for {kopi.aar} er oprettet for "
                              f"{kopi.erhvervshus} som kopi af {kilde.aar}.", messages.SUCCESS)
        if kopier:
            self.message_user(request, KOPI_NOTE, messages.WARNING)
        if len(kopier) == 1:
            return redirect("admin:maal_resultatkontrakt_change", kopier[0].pk)
        return None


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
    list_display = ("noegle", "titel", "art", "vist_maaltal", "maal")
    list_filter = ("maal__kontrakt", "art")
    search_fields = ("noegle", "titel")

    @admin.display(description="måltal", ordering="maalvaerdi")
    def vist_maaltal(self, indikator):
        """As the status page shows it: "≥ 171", "≥ 2,50", "≥ 70 %", not "171.00"."""
        return maaltal(indikator)


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


class MedlemskabInline(admin.TabularInline):
    """The houses a user belongs to: they see, register, import and report those houses'
    records only. An administrator gives and takes away only the houses they belong to
    themself (and sees only those rows); a superuser any."""

    model = Medlemskab
    fk_name = "bruger"
    extra = 0
    verbose_name = "erhvervshus"
    verbose_name_plural = "erhvervshuse (brugeren ser og registrerer kun deres registreringer)"

    def _egne_huse(self, request):
        return Erhvervshus.objects.filter(medlemskaber__bruger=request.user)

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("erhvervshus")
        return qs if request.user.is_superuser else qs.filter(
            erhvervshus__in=self._egne_huse(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "erhvervshus" and not request.user.is_superuser:
            kwargs["queryset"] = self._egne_huse(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class BrugerAdmin(UserAdmin):
    """Django's user admin, narrowed for administrators who are not superusers; the houses a
    user belongs to are given in the inline ``MedlemskabInline``."""

    inlines = [MedlemskabInline]

    list_display = ("username", "first_name", "last_name", "email", "roller", "is_active")
    list_filter = ("groups", "is_active", "is_superuser")
    ROLLE_FELTER = (
        (None, {"fields": ("username", "password")}),
        ("Personlige oplysninger", {"fields": ("first_name", "last_name", "email")}),
        ("Roller", {"fields": ("is_active", "groups")}),
        ("Vigtige datoer", {"fields": ("last_login", "date_joined")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="roller")
    def roller(self, bruger):
        return ", ".join(g.name for g in bruger.groups.all())

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return self.ROLLE_FELTER
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ("last_login", "date_joined")

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=TILDELBARE_ROLLER)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        # The form offers only the assignable roles; keep any other group a superuser gave.
        andre = [] if request.user.is_superuser else list(
            form.instance.groups.exclude(name__in=TILDELBARE_ROLLER)
        )
        super().save_related(request, form, formsets, change)
        form.instance.groups.add(*andre)


admin.site.unregister(Bruger)
admin.site.register(Bruger, BrugerAdmin)
