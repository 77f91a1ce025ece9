"""The registration lists as django-tables2 tables. ``render_*`` methods only format: the rows,
their joins and counts come from the FilterSet's queryset (``forloeb.filters``)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst

DATO = "d-m-Y"
KORT_TYPE = {"kort": "Kort", "handlingsplan": "Handlingsplan", "vaekstplan": "Vækstplan",
             "omstillingsplan": "Omstillingsplan"}


ET_ORD = {"td": {"class": "ikke-ombryd"}}
TAL = {"td": {"class": "tal"}, "th": {"class": "tal"}}


def datokolonne(verbose_name, accessor=None, **kwargs):
    return tables.DateColumn(
        format=DATO, verbose_name=verbose_name, accessor=accessor, attrs=ET_ORD, **kwargs
    )


class VirksomhedKolonne(tables.Column):
    """The company's name, linked to its page (its whole history), with the CVR under it."""

    def __init__(self, accessor="virksomhed", **kwargs):
        super().__init__(verbose_name="Virksomhed", accessor=accessor,
                         order_by=(f"{accessor}__navn",), attrs={"td": {"class": "virksomhed"}},
                         **kwargs)

    def render(self, value):
        return format_html(
            '<a href="{}">{}</a><br><span class="daempet ikke-ombryd">CVR {}</span>',
            reverse("forloeb:virksomhed_side", args=[value.cvr]), value.navn, value.cvr,
        )


def navne(relateret):
    return ", ".join(str(obj) for obj in relateret.all())


class Tabel(tables.Table):
    """Danish texts, our own accessible template, 50 rows a page (set by the view)."""

    class Meta:
        template_name = "forloeb/tabel.html"
        empty_text = "Ingen registreringer passer på filtrene."
        attrs = {"class": "tabel"}

    @property
    def titel(self) -> str:
        """The table's caption: what it lists."""
        return capfirst(self.data.model._meta.verbose_name_plural)


class ForloebTabel(Tabel):
    ekstern_id = tables.Column(
        verbose_name="Id", linkify=("forloeb:forloeb_ret", {"pk": tables.A("pk")}), attrs=ET_ORD
    )
    virksomhed = VirksomhedKolonne()
    kommune = tables.Column(verbose_name="Kommune", accessor="virksomhed__kommune__navn")
    type = tables.Column(verbose_name="Type")
    startdato = datokolonne("Start")
    slutdato = datokolonne("Slut", empty_values=())
    raadgiver = tables.Column(verbose_name="Rådgiver")
    emner = tables.Column(verbose_name="Emner", orderable=False, empty_values=(),
                          attrs={"td": {"class": "smaa emner"}})
    antal_henvisninger = tables.Column(verbose_name="Henv.", attrs=TAL)

    class Meta(Tabel.Meta):
        fields = []

    def render_type(self, record):
        if record.fyrtaarn:
            return format_html('{} <span class="maerke">{}</span>', KORT_TYPE[record.type],
                               record.get_fyrtaarn_display())
        return KORT_TYPE[record.type]

    def render_slutdato(self, value):
        if value is None:
            return format_html('<span class="status {}">{}</span>', "status-i_gang", "Igangværende")
        return value.strftime("%d-%m-%Y")

    def render_emner(self, record):
        return navne(record.emner)


class VirksomhedTabel(Tabel):
    navn = tables.Column(
        verbose_name="Navn",
        linkify=lambda record: reverse("forloeb:virksomhed_side", args=[record.cvr]),
    )
    cvr = tables.Column(verbose_name="CVR", attrs=ET_ORD)
    kommune = tables.Column(verbose_name="Kommune", accessor="kommune__navn")
    region = tables.Column(verbose_name="Region", accessor="kommune__region__navn")
    stiftelsesdato = datokolonne("Stiftet")
    antal_forloeb = tables.Column(verbose_name="Forløb", attrs=TAL)

    class Meta(Tabel.Meta):
        fields = []


class HenvisningTabel(Tabel):
    dato = datokolonne("Dato")
    aktoer = tables.Column(verbose_name="Aktør", accessor="aktoer__navn")
    aktoertype = tables.Column(verbose_name="Aktørtype", accessor="aktoer__type")
    forloeb = tables.Column(
        verbose_name="Forløb", accessor="forloeb__ekstern_id",
        linkify=("forloeb:forloeb_ret", {"pk": tables.A("forloeb_id")}),
    )
    forloebstype = tables.Column(verbose_name="Forløbstype", accessor="forloeb__type")
    forloeb_slut = datokolonne("Forløb slut", accessor="forloeb__slutdato")
    virksomhed = VirksomhedKolonne("forloeb__virksomhed")

    class Meta(Tabel.Meta):
        fields = []

    def render_aktoertype(self, record):
        return record.aktoer.get_type_display()

    def render_forloebstype(self, record):
        return KORT_TYPE[record.forloeb.type]


class AITjekTabel(Tabel):
    ekstern_id = tables.Column(
        verbose_name="Id", linkify=("forloeb:ai_tjek_ret", {"pk": tables.A("pk")}), attrs=ET_ORD
    )
    dato = datokolonne("Dato")
    virksomhed = VirksomhedKolonne()
    kommune = tables.Column(verbose_name="Kommune", accessor="virksomhed__kommune__navn")
    henvist_af_lokal_erhvervsservice = tables.BooleanColumn(
        verbose_name="Henvist af lokal erhvervsservice", yesno="Ja,Nej"
    )

    class Meta(Tabel.Meta):
        fields = []


class AktivitetTabel(Tabel):
    titel = tables.Column(
        verbose_name="Titel", linkify=("forloeb:aktivitet_ret", {"pk": tables.A("pk")})
    )
    type = tables.Column(verbose_name="Type")
    dato = datokolonne("Dato")
    partnere = tables.Column(verbose_name="Partnere", orderable=False, empty_values=())
    kommuner = tables.Column(verbose_name="Kommuner", orderable=False, empty_values=())
    fyrtaarn = tables.Column(verbose_name="Fyrtårn")
    ekstern_id = tables.Column(verbose_name="Id", attrs=ET_ORD)

    class Meta(Tabel.Meta):
        fields = []

    def render_partnere(self, record):
        return navne(record.partnere)

    def render_kommuner(self, record):
        return navne(record.kommuner)


class ProgramdeltagelseTabel(Tabel):
    program = tables.Column(
        verbose_name="Program",
        linkify=("forloeb:programdeltagelse_ret", {"pk": tables.A("pk")}),
    )
    status = tables.Column(verbose_name="Status")
    dato = datokolonne("Dato")
    virksomhed = VirksomhedKolonne()
    kommune = tables.Column(verbose_name="Kommune", accessor="virksomhed__kommune__navn")

    class Meta(Tabel.Meta):
        fields = []


class SamarbejdsaftaleTabel(Tabel):
    aktoer = tables.Column(
        verbose_name="Klynge", accessor="aktoer__navn",
        linkify=("forloeb:samarbejdsaftale_ret", {"pk": tables.A("pk")}),
    )
    dato = datokolonne("Dato")
    beskrivelse = tables.Column(verbose_name="Beskrivelse", orderable=False)

    class Meta(Tabel.Meta):
        fields = []

    def render_beskrivelse(self, value):
        return value if len(value) <= 120 else value[:117] + "…"

