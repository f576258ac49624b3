"""What the themes page says of what the model did not match: an unaddressed theme says what it
was compared with and what came closest, an initiative no customer asks for names the request
nearest it, labels tell themes apart, and a theme's segments add up to its accounts."""

import re
from datetime import date

from django.utils.html import escape

from tests.test_feedback_themes import feedback, roadmap, theme_about  # noqa: F401
from truenorth.analysis.themes import Theme
from truenorth.feedback.actions import decide_theme
from truenorth.feedback.models import FeedbackItem
from truenorth.feedback.theme_views import status_words
from truenorth.feedback.themes import (
    ItemFacts,
    distinct_labels,
    label,
    segments_of,
    theme_figures,
)
from truenorth.roadmap.models import Initiative, Status


def sign_in_log(workspace) -> Initiative:
    """On the single sign-on theme's topic, under the match cut for each of its items (27 to
    30 of 100 with the model; a match needs 35)."""
    return Initiative.objects.create(
        workspace=workspace,
        key="RM-3",
        title="Audit log of every sign-in",
        problem="Security teams ask who logged in and when.",
        status=Status.PLANNED,
    )


def test_an_unaddressed_theme_names_what_came_closest_and_that_the_model_can_miss(
    client_for,
    workspace,
    feedback,  # noqa: F811
    roadmap,  # noqa: F811
):
    sign_in_log(workspace)
    found = theme_figures(workspace)
    login = theme_about(found, "login", feedback)
    assert login["status"] == "unaddressed" and login["items_addressed"] == 0
    [closest] = [t for t in login["closest"] if t["key"] == "RM-3"]
    assert 20 <= closest["score"] < 35
    assert closest["item"]["text"] in {row.text for row in feedback.values()}
    words = status_words(login, found["targets"])
    assert words.startswith("Unaddressed: none of its 3 items matched any of the 4 goals")
    assert "The model can miss a match" in words
    html = client_for("member").get("/w/acme/feedback/themes/").content.decode()
    assert "nothing on the roadmap addresses this" not in html
    assert escape("Closest, not a match: RM-3 Audit log of every sign-in (planned). Its") in html
    assert f"scores {closest['score']:g} of 100 against it; a match needs 35." in html


def test_a_theme_some_of_whose_items_match_does_not_say_nothing_addresses_it(
    client_for,
    workspace,
    feedback,  # noqa: F811
    roadmap,  # noqa: F811
):
    export = [feedback[f"export-{n}"].pk for n in range(5)]
    decide_theme(workspace, export[1:], roadmap["export"], accepted=False)
    decide_theme(workspace, export[:1], roadmap["export"], accepted=True)
    found = theme_figures(workspace)
    theme = theme_about(found, "export", feedback)
    assert theme["status"] == "unaddressed"  # one of five is no pattern
    assert [(t["key"], t["items"]) for t in theme["matching_some"]] == [("RM-1", 1)]
    assert status_words(theme, found["targets"]).startswith(
        "Unaddressed as a theme: of its 5 items, only 1 matches something on the roadmap"
    )
    html = client_for("member").get("/w/acme/feedback/themes/").content.decode()
    assert "Matches 1 of its 5 items: RM-1 Export the invoice register" in html
    # Rejected by an editor for the other four: never named as closest to them.
    assert "RM-1" not in [t["key"] for t in theme["closest"]]


def test_an_initiative_no_customer_asks_for_names_the_request_nearest_it(
    client_for,
    workspace,
    feedback,  # noqa: F811
    roadmap,  # noqa: F811
):
    sign_in_log(workspace)
    unsupported = {t["key"]: t for t in theme_figures(workspace)["market"]["unsupported"]}
    assert unsupported["RM-2"]["nearest"] is None  # carbon: no request on its topic
    near = unsupported["RM-3"]["nearest"]
    assert near["text"] in {row.text for row in feedback.values()} and 20 <= near["score"] < 35
    html = client_for("member").get("/w/acme/feedback/themes/").content.decode()
    [paragraph] = re.findall(r'<p id="unsupported">.*?</p>', html, re.DOTALL)
    assert "no customer&#x27;s request matched them (the model can miss a match" in paragraph
    assert f"closest, not a match: “{escape(near['text'])}”" in paragraph
    assert f"{near['score']:g} of 100; a match needs 35" in paragraph


def facts(n: int, title: str = "", text: str = "", account: str = "", segment: str = ""):
    return ItemFacts(
        n, title, text, account, segment, None, date(2026, 5, n + 1), "zendesk", "need", ""
    )


def test_a_label_has_no_word_that_is_the_start_of_another():
    for words, said in (
        (["eur", "eu", "payments"], "eur, payments"),
        (["approval", "app", "approval app", "slack"], "approval, slack"),
        (["notifications", "notification", "https", "alerts"], "notifications, alerts"),
    ):
        theme = Theme([0], centroid=None, words=words)  # type: ignore[arg-type]
        assert label(theme, set(), []) == said


def test_a_theme_with_no_word_of_its_own_is_labelled_by_its_nearest_items_words():
    items = [
        facts(0, text="Coding is the same every month for 80% of suppliers. Let it suggest."),
        facts(
            1, title="Bills posted to wrong subsidiary", text="All our UK bills went to the parent."
        ),
    ]
    only_finance = ["finance"]
    first = Theme([0], centroid=None, words=only_finance, quotes=[0])  # type: ignore[arg-type]
    second = Theme([1], centroid=None, words=only_finance, quotes=[1])  # type: ignore[arg-type]
    assert label(first, {"finance"}, items) == "“Coding is the same every month…”"
    assert label(second, {"finance"}, items) == "“Bills posted to wrong subsidiary”"


def test_no_two_themes_share_a_label():
    items = [facts(n, text=f"Words of item {n}") for n in range(3)]
    themes = [Theme([n], centroid=None, words=[], quotes=[n]) for n in range(3)]  # type: ignore[arg-type]
    cards = [
        {"number": 1, "label": "sync, bills", "terms": ["sync", "bills", "netsuite"]},
        {"number": 2, "label": "sync, bills", "terms": ["sync", "bills", "netsuite", "close"]},
        {"number": 3, "label": "sync, bills", "terms": ["sync", "bills"]},
    ]
    distinct_labels(cards, themes, items)
    assert [c["label"] for c in cards] == [
        "sync, bills",
        "sync, bills, netsuite",
        "sync, bills: “Words of item 2”",
    ]


def test_a_themes_segments_count_its_accounts_and_add_up_to_them():
    items = [
        facts(0, account="Globex", segment="Enterprise"),
        facts(1, account="globex ", segment=""),  # the same account, once
        facts(2, account="Initech", segment="SMB"),
        facts(3, account="Initech", segment="Mid-market"),  # its latest segment
        facts(4, account="Hooli"),
        facts(5, account=""),  # no account: an item, not an account
    ]
    assert segments_of(items) == {
        "segments": {"Enterprise": 1, "Mid-market": 1},
        "accounts_without_segment": 1,
    }


def test_the_page_says_what_the_segment_numbers_count(
    client_for,
    workspace,
    feedback,  # noqa: F811
):
    FeedbackItem.objects.filter(source_key__startswith="export").update(segment="SMB")
    FeedbackItem.objects.filter(source_key="export-4").update(segment="")
    html = client_for("member").get("/w/acme/feedback/themes/").content.decode()
    assert "its 4 accounts by segment: SMB 3, 1 with no segment" in html
