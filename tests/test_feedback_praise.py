"""Praise is not an ask, with the real model: a theme, the market level, an update and an
initiative's page count what customers ask for without it, and the page quotes it apart. A
theme's label says nothing when its words are only the product's own, nor names the product, and
an update names what nothing addresses beside what addresses a theme."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from tests.test_feedback_themes import EXPORT, LOGIN, MOBILE, feedback, roadmap  # noqa: F401
from truenorth.feedback.actions import decide_theme
from truenorth.feedback.models import FeedbackItem, Kind
from truenorth.feedback.themes import VARIOUS, theme_figures
from truenorth.roadmap.models import Initiative, Status
from truenorth.strategy.models import Vision
from truenorth.updates import audiences
from truenorth.updates.facts import gather

PRAISE = [
    "Exporting the invoice list to Excel works great now, thank you!",
    "Love the new CSV export of our invoices, saves me an hour a week",
    "Thanks to your support team for fixing our export so fast",
]


def add(workspace, kind: str, texts: list[str], prefix: str) -> list[FeedbackItem]:
    today = timezone.localdate()
    return FeedbackItem.objects.bulk_create(
        FeedbackItem(
            workspace=workspace,
            source="field",
            source_key=f"{prefix}-{n}",
            kind=kind,
            text=text,
            account=f"{prefix}-{n}",
            received_on=today - timedelta(days=n),
        )
        for n, text in enumerate(texts)
    )


@pytest.fixture
def praise(workspace, feedback):  # noqa: F811
    return add(workspace, Kind.PRAISE, PRAISE, "praise")


def test_praise_is_in_no_theme_and_counts_as_no_demand(workspace, feedback, praise):  # noqa: F811
    found = theme_figures(workspace)
    themed = {i for theme in found["themes"] for i in theme["members"]}
    assert not themed & {item.pk for item in praise}
    assert all("praise" not in theme["kinds"] for theme in found["themes"])
    assert found["praise"] == 3 and found["in_no_theme"] == []
    assert found["items"] == 15  # every item is still counted as feedback
    assert found["market"]["demand"] == 11  # the asks' (theme, account) pairs alone


def test_an_initiative_praise_alone_matches_is_asked_for_by_no_customer(
    client_for,
    workspace,
    feedback,  # noqa: F811
    roadmap,  # noqa: F811
    praise,
):
    praised = Initiative.objects.create(
        workspace=workspace,
        key="RM-3",
        title="Fast replies from the support team",
        problem="Customers wait days for support to fix what breaks.",
        status=Status.PLANNED,
    )
    decide_theme(workspace, [item.pk for item in praise], praised, accepted=True)
    found = theme_figures(workspace)
    assert "RM-3" in [t["key"] for t in found["market"]["unsupported"]]
    page = client_for("viewer").get(f"/w/acme/roadmap/{praised.pk}/").content.decode()
    assert "No customer asks for what this addresses yet" in page
    assert "What customers praise" in page
    assert all(escape(text) in page for text in PRAISE)


def test_an_initiatives_page_quotes_praise_apart_from_the_asks(
    client_for,
    workspace,
    feedback,  # noqa: F811
    roadmap,  # noqa: F811
    praise,
):
    decide_theme(workspace, [item.pk for item in praise], roadmap["export"], accepted=True)
    page = client_for("viewer").get(f"/w/acme/roadmap/{roadmap['export'].pk}/").content.decode()
    asks, praised = page.split("What customers praise")
    assert "from 4 accounts" in asks  # the export theme's accounts, not the praise's
    assert not any(escape(text) in asks for text in PRAISE)
    assert any(escape(text) in praised for text in PRAISE)
    goals = client_for("viewer").get("/w/acme/goals/").content.decode()
    assert not any(escape(text) in goals for text in PRAISE)


def test_an_update_quotes_no_praise_as_an_ask(workspace, feedback, roadmap, praise):  # noqa: F811
    decide_theme(workspace, [item.pk for item in praise], roadmap["export"], accepted=True)
    today = timezone.localdate()
    facts = gather(workspace, today - timedelta(days=30), today, today)
    said = str(audiences.executives(facts))
    assert any(text in said for text in EXPORT)
    assert not any(text in said for text in PRAISE)


def test_a_theme_whose_only_words_are_the_products_own_reads_as_its_nearest_items(workspace):
    Vision.objects.create(
        workspace=workspace,
        number=1,
        statement="Automate accounts payable so finance teams spend less time on invoices.",
        destination="",
        measures_of_progress="",
        target_user="Finance teams",
        user_benefit="Less time on invoices.",
        business_outcome="",
        horizon="2028",
        created_at=timezone.now(),
    )
    add(workspace, Kind.NEED, LOGIN, "login")
    add(workspace, Kind.NEED, MOBILE, "mobile")
    add(
        workspace,
        Kind.NEED,
        [
            "Our finance people are not accountants, keep it simple",
            "The finance director wants one report a month",
            "I want managers to feel it is their budget, not finance chasing them",
        ],
        "finance",
    )
    themes = theme_figures(workspace)["themes"]
    labels = {t["label"] for t in themes}
    assert VARIOUS not in labels and len(labels) == len(themes)
    # Labelled by words of its own items, as every theme is, not "finance" or "various".
    for theme in themes:
        said = " ".join(q["text"] for q in theme["quotes"]).casefold()
        assert all(w in said for w in theme["label"].casefold().replace(",", " ").split())
    assert not any("finance" in label.casefold() for label in labels)


def test_an_update_names_what_nothing_addresses_beside_what_addresses_a_theme(
    workspace,
    feedback,  # noqa: F811
    roadmap,  # noqa: F811
):
    export = sorted(
        (row for key, row in feedback.items() if key.startswith("export")), key=lambda r: r.pk
    )
    decide_theme(workspace, [r.pk for r in export[:2]], roadmap["export"], accepted=True)
    for target in (roadmap["export"], roadmap["unasked"], roadmap["goal"]):
        decide_theme(workspace, [r.pk for r in export[2:]], target, accepted=False)
    today = timezone.localdate()
    facts = gather(workspace, today - timedelta(days=30), today, today)
    [theme] = [t for t in facts["customers"] if t["status"] == "committed"]
    assert theme["quote"]["id"] in {r.pk for r in export[:2]}
    assert theme["unmatched"]["items"] == 3
    assert theme["unmatched"]["quote"]["id"] in {r.pk for r in export[2:]}
    [line] = [
        line
        for section in audiences.executives(facts)
        for line in section.lines
        if "(committed)" in line.note
    ]
    # Its status rests on 2 of its 5 items: said as that many, not as the theme's.
    assert line.note.startswith(
        f"2 of its 5 items match {roadmap['export'].title} (committed); no initiative matches "
        "most of them."
    )
    assert "Committed:" not in line.note
    assert "Nothing addresses 3 of its 5 items, from 3 accounts" in line.note


def test_no_label_names_the_product_by_the_workspaces_name(workspace):
    """ "I can't find them anywhere in Larkspur" says where, not what: the demo's payments theme
    read "bank portal, larkspur"."""
    add(workspace, Kind.NEED, LOGIN, "login")
    add(workspace, Kind.NEED, [f"{text} in {workspace.name}" for text in MOBILE], "mobile")
    labels = [t["label"] for t in theme_figures(workspace)["themes"]]
    assert len(labels) == 2 and all(labels)
    assert not any(workspace.name.casefold() in label.casefold() for label in labels), labels
