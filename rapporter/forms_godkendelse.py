"""Forms of the end-of-period routine: the explanations beside the figures, and the approval.

The forms validate input only; the writes go through ``rapporter.godkendelse``.
"""

from __future__ import annotations

from django import forms

MAKS_TEGN = 4000


def feltnavn(maal_nr: int, noegle: str | None = None) -> str:
    """The form field of a goal's explanation (``maal-7``) or an indicator's
    (``indikator-M7-korte``: no dot, so the field's id is also a plain page anchor)."""
    if noegle is None:
        return f"maal-{maal_nr}"
    return "indikator-" + noegle.replace(".", "-")


class ForklaringerForm(forms.Form):
    """One text per goal and per indicator of a contract, for one period (H1 or helår).

    Only the fields that were sent count: the goal page sends the one text it shows, the
    explanations page sends them all; a field not sent keeps its text. An emptied field removes
    the explanation. :meth:`aendrede` gives the texts that differ from what is saved.
    """

    def __init__(self, data=None, *, maal, eksisterende: dict):
        """``maal``: the contract's goals, each with ``indikatorer`` prefetched; ``eksisterende``:
        the saved explanations keyed by (goal number, indicator key or None)."""
        self.gemte = {noegle: f.tekst for noegle, f in eksisterende.items()}
        self.sendt = set(data) if data is not None else set()
        self.hvad: dict[str, tuple] = {}
        felter = {}
        for m in maal:
            navn = feltnavn(m.nummer)
            self.hvad[navn] = (m, None)
            felter[navn] = self._felt(f"Forklaring til mål {m.nummer}")
            for indikator in m.indikatorer.all():
                navn = feltnavn(m.nummer, indikator.noegle)
                self.hvad[navn] = (m, indikator)
                felter[navn] = self._felt(f"Forklaring til {indikator.noegle}")
        if data is not None:
            # A field not sent keeps the saved text (on the page, too, if the form is shown again).
            data = {**{n: self._gemt(n) for n in felter}, **{k: data.get(k) for k in data}}
        super().__init__(data, initial={n: self._gemt(n) for n in felter})
        self.fields.update(felter)

    @staticmethod
    def _felt(label: str) -> forms.CharField:
        return forms.CharField(
            label=label, required=False, max_length=MAKS_TEGN,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def _gemt(self, navn: str) -> str:
        maal, indikator = self.hvad[navn]
        return self.gemte.get((maal.nummer, indikator.noegle if indikator else None), "")

    def aendrede(self) -> list[tuple[str, object, object, str]]:
        """(field, goal, indicator or None, new text) for each sent text that differs from the
        saved one, after ``is_valid()``."""
        ud = []
        for navn, (maal, indikator) in self.hvad.items():
            if navn not in self.sendt or navn not in self.cleaned_data:
                continue
            tekst = self.cleaned_data[navn].strip()
            if tekst != self._gemt(navn).strip():
                ud.append((navn, maal, indikator, tekst))
        return ud


class GodkendForm(forms.Form):
    # The newest version approved when the page was shown: a second submit of the same page
    # finds a newer one and makes none (rapporter.godkendelse.AlleredeGodkendt).
    efter_version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    kommentar = forms.CharField(
        label="Kommentar", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Vises for KKR sammen med godkendelsen, f.eks. hvad der er drøftet.",
    )
