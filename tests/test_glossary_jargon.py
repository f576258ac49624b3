"""Jargon flagged by the vision and goal clarity panels links to the glossary's new-term form with
its name filled in; an acronym the glossary defines is no jargon, and the panel links its entry."""

from django.urls import reverse

from truenorth.glossary.models import Term

NEW = reverse("new_term", args=["acme"])


def term_url(term):
    return reverse("term", args=["acme", term.pk])


def jargon_vision(strategy):
    vision = strategy["vision"]
    vision.statement = "Every finance team closes its books in 3 days, lifting NRR and ARR."
    vision.save()
    return vision


def test_a_known_term_links_to_its_entry(client_for, workspace, strategy):
    jargon_vision(strategy)
    nrr = Term.objects.create(
        workspace=workspace, name="nrr", canonical_definition="Net revenue retention."
    )
    page = client_for("member").get(reverse("vision", args=["acme"])).content.decode()
    defined = page[page.index('class="clarity-explained"') :]
    assert f'<a class="glossary-link" href="{term_url(nrr)}">“NRR” in the glossary</a>' in defined
    # A member reads what was found; the advice on wording is for those who can edit it.
    assert (
        "Spell out" not in page
        and "ARR</span> <small>jargon</small> — not in the glossary." in page
    )
    page = client_for("editor").get(reverse("vision", args=["acme"])).content.decode()
    assert "Spell out NRR" not in page and "Spell out ARR" in page


def test_an_unknown_word_is_offered_to_editors_only(client_for, strategy):
    jargon_vision(strategy)
    page = client_for("editor").get(reverse("vision", args=["acme"])).content.decode()
    assert f'<a class="glossary-add" href="{NEW}?name=ARR">Add ARR to the glossary</a>' in page
    page = client_for("member").get(reverse("vision", args=["acme"])).content.decode()
    assert "glossary-add" not in page and "ARR" in page


def test_the_offer_opens_the_form_with_the_name_filled_in(client_for, strategy):
    page = client_for("editor").get(f"{NEW}?name=ARR").content.decode()
    assert 'value="ARR"' in page


def test_goal_clarity_links_jargon_too(client_for, workspace, strategy):
    goal = strategy["goals"][0]
    goal.metric = "KPIs per team"
    goal.save()
    kpi = Term.objects.create(workspace=workspace, name="KPI", canonical_definition="A key number.")
    page = client_for("editor").get(reverse("goals", args=["acme"])).content.decode()
    assert f'href="{term_url(kpi)}">“KPIs” in the glossary</a>' in page
    assert "Spell out KPI" not in page


def test_the_live_panel_links_while_typing(client_for, strategy):
    typed = {"statement": "Every finance team grows its NRR each year."}
    page = (
        client_for("editor").post(reverse("vision_clarity", args=["acme"]), typed).content.decode()
    )
    assert "Add NRR to the glossary" in page
