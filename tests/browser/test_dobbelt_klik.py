"""A double click on "Gem" in a real browser: the page sends the form once, the button says it
is saving (aria-disabled, "Gemmer …", keeping the focus) while it waits, and one AI-tjek is
saved.

The form's POST is held at the browser's edge for a moment, so a later click surely comes
while the first is on its way, however fast the server is (Chromium itself merges the two
clicks of a quick double click into one submit; a click after the request has left it sends
again). While a navigation is pending,
Playwright inspects nothing on the page, so the page itself notes what its button showed
(sessionStorage, which the next page of the tab still has)."""

import json

import pytest
from playwright.sync_api import expect

from forloeb.models import AITjek
from tests import factories

from .conftest import log_ind

pytestmark = [
    pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NOTER_KNAPPEN = """() => {
  const knap = document.querySelector("button[value=liste]");
  new MutationObserver(() => sessionStorage.setItem("knap", JSON.stringify({
    "aria-disabled": knap.getAttribute("aria-disabled"), "tekst": knap.textContent,
    "fokus": document.activeElement === knap,
  }))).observe(knap, {attributes: true, childList: true, characterData: true, subtree: true});
}"""


@pytest.fixture
def side(side):
    yield side
    side.wait_for_load_state("networkidle")


def test_a_double_click_on_gem_saves_one_ai_tjek_and_shows_the_button_disabled(
    side, live_server, registrant
):
    virksomhed = factories.virksomhed(navn="Dobbeltklik Smedje ApS")
    log_ind(side, live_server, "registrant")
    side.goto(f"{live_server.url}/registrering/ai-tjek/ny/")
    side.get_by_role("combobox", name="Virksomhed").fill(virksomhed.cvr)
    side.get_by_label("Dato", exact=True).fill("2025-04-02")
    side.evaluate(NOTER_KNAPPEN)

    sendt = []
    side.route("**/registrering/ai-tjek/ny/",
               lambda route: sendt.append(route) if route.request.method == "POST"
               else route.continue_())
    gem = side.get_by_role("button", name="Gem", exact=True)
    boks = gem.bounding_box()
    gem.dblclick()
    side.wait_for_timeout(200)
    # A third click while the first is on its way: a browser would send the form again.
    side.mouse.click(boks["x"] + boks["width"] / 2, boks["y"] + boks["height"] / 2)
    side.wait_for_timeout(500)  # time enough for another submit to be sent, were it sent
    assert len(sendt) == 1
    sendt[0].continue_()

    expect(side.get_by_role("status").first).to_contain_text("AI-tjekket er gemt")
    assert len(sendt) == 1
    assert AITjek.objects.get().virksomhed == virksomhed
    knappen = json.loads(side.evaluate("() => sessionStorage.getItem('knap')"))
    assert knappen == {"aria-disabled": "true", "tekst": "Gemmer …", "fokus": True}
