"""Updates on the web: the list, a draft's page, each audience's version and its Markdown and
JSON twins, for every role of the demo. Partners read only the partners' version of a published
update; a draft, or another audience's version, does not exist for them. A module of its own:
the demo is built once for the module, outside the tests' transactions."""

import zoneinfo
from datetime import date
from html import escape

import pytest
from django.utils import timezone

from truenorth.roadmap.models import Status
from truenorth.updates import actions, audiences, rules
from truenorth.updates.forms import preset_period
from truenorth.updates.models import Audience

INTERNAL = ["owner", "editor", "member", "viewer"]
WRITERS = ["owner", "editor"]
READERS = ["member", "viewer"]


@pytest.fixture(scope="module")
def demo(built_demo):
    return built_demo


@pytest.fixture
def published(db, demo):
    return demo.updates.filter(published_at__isnull=False).latest("number")


@pytest.fixture
def draft(db, demo):
    return demo.updates.filter(published_at__isnull=True).latest("number")


def base(demo) -> str:
    return f"/w/{demo.slug}/updates"


def test_the_demo_has_a_published_update_and_a_draft(published, draft):
    assert published.is_published and published.facts
    assert not draft.is_published and draft.number != published.number


@pytest.mark.parametrize("role", [*INTERNAL, "partner"])
def test_it_lists_published_updates_to_everyone_and_drafts_to_editors(
    role, demo, demo_client, published, draft
):
    client = demo_client(demo, role)
    page = client.get(f"{base(demo)}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert published.title in html
    assert (f"/updates/{draft.number}/" in html) == (role in WRITERS)
    assert ('id="new-update-form"' in html) == (role in WRITERS)
    assert ">Updates</a>" in html  # in the menu, partners included once one is published
    data = client.get(f"{base(demo)}.json").json()
    numbers = {u["number"] for u in data["updates"]}
    assert published.number in numbers and (draft.number in numbers) == (role in WRITERS)
    versions = {v["audience"] for u in data["updates"] for v in u["versions"]}
    if role == "partner":
        assert versions == {"partners"}
        assert "/engineering/" not in html and f"/updates/{published.number}/partners/" in html
        assert all("page" not in u for u in data["updates"])  # the update's own page is internal
    else:
        assert versions == set(Audience.values)


@pytest.mark.parametrize("role", INTERNAL)
@pytest.mark.parametrize("audience", Audience.values)
def test_internal_members_read_every_version_of_a_published_update(
    role, audience, demo, demo_client, published
):
    client = demo_client(demo, role)
    url = f"{base(demo)}/{published.number}/{audience}"
    found = audiences.version(published, audience)
    page = client.get(f"{url}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert found.sections and all(s.heading in html for s in found.sections)
    assert ">Draft<" not in html
    text = client.get(f"{url}.md")
    assert text.status_code == 200 and text["Content-Type"].startswith("text/markdown")
    assert text["Content-Disposition"].startswith("inline")
    assert text.content.decode().lstrip("# ").startswith(found.title)
    data = client.get(f"{url}.json").json()
    assert data["title"] == found.title and data["published"] is True


def test_a_partner_reads_only_the_partners_version_of_a_published_update(
    demo, demo_client, published, draft
):
    client = demo_client(demo, "partner")
    url = f"{base(demo)}/{published.number}"
    for suffix in ("/", ".md", ".json"):
        assert client.get(f"{url}/partners{suffix}").status_code == 200
        for audience in Audience.values:
            if audience != "partners":
                assert client.get(f"{url}/{audience}{suffix}").status_code == 404
        assert client.get(f"{base(demo)}/{draft.number}/partners{suffix}").status_code == 404
    # The update's own page is internal: a partner who opens a published one's is sent to its
    # partners' version, and learns nothing of a draft's number.
    page, twin = client.get(f"{url}/"), client.get(f"{url}.json")
    assert (page.status_code, page["Location"]) == (302, f"{url}/partners/")
    assert (twin.status_code, twin["Location"]) == (302, f"{url}/partners.json")
    for number in (draft.number, 9999):
        assert client.get(f"{base(demo)}/{number}/").status_code == 404
        assert client.get(f"{base(demo)}/{number}.json").status_code == 404
    html = client.get(f"{url}/partners/").content.decode()
    assert published.narrative not in html or not published.narrative
    assert "/engineering/" not in html  # no tabs to the versions they may not read


@pytest.mark.parametrize("role", [*INTERNAL, "partner"])
def test_an_unknown_update_or_audience_is_not_found(role, demo, demo_client, published):
    client = demo_client(demo, role)
    assert client.get(f"{base(demo)}/{published.number}/board/").status_code == 404
    assert client.get(f"{base(demo)}/{published.number}/board.json").status_code == 404
    assert client.get(f"{base(demo)}/9999/partners/").status_code == 404


@pytest.mark.parametrize("role", READERS)
def test_a_reader_cannot_open_a_draft_or_change_one(role, demo, demo_client, draft):
    client = demo_client(demo, role)
    url = f"{base(demo)}/{draft.number}"
    assert client.get(f"{url}/").status_code == 404
    assert client.get(f"{url}.json").status_code == 404
    assert client.get(f"{url}/engineering/").status_code == 404
    assert client.get(f"{url}/engineering.md").status_code == 404
    for action in ("texts", "gather", "publish"):
        assert client.post(f"{url}/{action}/", {"narrative": "x"}).status_code == 403
    assert client.post(f"{base(demo)}/new/", {"period": "this_month"}).status_code == 403


@pytest.mark.parametrize("role", WRITERS)
def test_an_editor_works_on_a_draft(role, demo, demo_client, draft):
    client = demo_client(demo, role)
    url = f"{base(demo)}/{draft.number}"
    page = client.get(f"{url}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="texts-form"' in html and 'id="publish-confirm"' in html
    assert "Gather again" in html
    for problem in rules.problems(draft):  # said before the publish button
        assert problem in html
    assert html.index('id="publish"') > html.index('id="texts"')
    for label in Audience.labels:
        assert label in html  # a preview of each audience's version
    data = client.get(f"{url}.json").json()
    assert data["published"] is False and set(data["jargon"]) == set(Audience.values)
    preview = client.get(f"{url}/engineering/")
    assert preview.status_code == 200 and ">Draft<" in preview.content.decode()
    assert client.get(f"{url}/engineering.json").json()["published"] is False


def test_an_editor_saves_the_texts_and_gathers_again(demo, demo_client, draft):
    client = demo_client(demo, "editor")
    url = f"{base(demo)}/{draft.number}"
    said = {"narrative": "A quiet month: the close got faster.", "partner_note": "Thank you."}
    response = client.post(f"{url}/texts/", said)
    assert response.status_code == 302 and response["Location"].endswith(f"/{draft.number}/")
    draft.refresh_from_db()
    assert (draft.narrative, draft.partner_note) == (said["narrative"], said["partner_note"])
    assert said["narrative"] in client.get(f"{url}/engineering/").content.decode()
    partners = client.get(f"{url}/partners/").content.decode()
    assert said["partner_note"] in partners and said["narrative"] not in partners
    assert client.post(f"{url}/gather/").status_code == 302
    assert client.get(f"{url}/gather/").status_code == 405


def test_the_draft_page_flags_words_an_audience_may_not_know(demo, demo_client, draft):
    actions.save_texts(draft, "The ERP wizard is out; GL mapping is still open.", "")
    flagged = rules.jargon(draft, Audience.SALES)
    assert {"ERP", "GL"} <= {j["term"] for j in flagged}
    html = demo_client(demo, "editor").get(f"{base(demo)}/{draft.number}/").content.decode()
    assert 'id="jargon"' in html
    assert all(f'<span class="word">{j["term"]}</span>' in html for j in flagged)
    for known in (j for j in flagged if j["path"]):
        assert f'href="{known["path"]}"' in html  # a known term links to its glossary entry


def test_an_editor_deletes_a_draft_opened_by_mistake(demo, demo_client, draft, published):
    for role in READERS:
        reader = demo_client(demo, role)
        assert reader.post(f"{base(demo)}/{draft.number}/delete/").status_code == 403
    editor = demo_client(demo, "editor")
    assert 'id="delete-draft"' in editor.get(f"{base(demo)}/{draft.number}/").content.decode()
    page = editor.get(f"{base(demo)}/{published.number}/").content.decode()
    assert 'id="delete-draft"' not in page
    kept = editor.post(f"{base(demo)}/{published.number}/delete/")
    assert kept.status_code == 400 and "published: it stays" in kept.content.decode()
    gone = editor.post(f"{base(demo)}/{draft.number}/delete/", follow=True)
    assert f"Deleted the draft “{draft.title}”." in gone.content.decode()
    assert list(demo.updates.values_list("number", flat=True)) == [published.number]


def test_a_published_update_cannot_be_edited(demo, demo_client, published):
    client = demo_client(demo, "owner")
    url = f"{base(demo)}/{published.number}"
    before = published.narrative
    assert client.post(f"{url}/texts/", {"narrative": "Rewritten"}).status_code == 400
    published.refresh_from_db()
    assert published.narrative == before
    html = client.get(f"{url}/").content.decode()
    assert 'id="texts-form"' not in html and 'id="publish-confirm"' not in html


def test_publishing_a_promise_of_an_exploring_item_is_refused_with_the_problems(
    db, demo, demo_client
):
    exploring = demo.initiatives.filter(status=Status.EXPLORING).first()
    update = actions.open_draft(demo, date(2026, 11, 1), date(2026, 11, 30), "Promises")
    promise = f"Good news: {exploring.title} will ship by the end of next month."
    actions.save_texts(update, promise, "")
    problems = rules.problems(update)
    assert problems, "a narrative promising an exploring item breaks a rule"
    client = demo_client(demo, "editor")
    response = client.post(f"{base(demo)}/{update.number}/publish/")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="refused"' in html and all(p in html for p in problems)
    assert 'id="problems"' not in html  # the refusal lists them once
    update.refresh_from_db()
    assert not update.is_published


def test_publishing_from_the_page_publishes_the_texts_as_typed(db, demo, demo_client):
    exploring = demo.initiatives.filter(status=Status.EXPLORING).first()
    update = actions.open_draft(demo, date(2026, 11, 1), date(2026, 11, 30), "Promises")
    client = demo_client(demo, "editor")
    url = f"{base(demo)}/{update.number}"
    page = client.get(f"{url}/").content.decode()
    assert f'form="texts-form" formaction="{url}/publish/"' in page
    promise = f"Update: {exploring.title} will ship by the end of next month."
    refused = client.post(f"{url}/publish/", {"narrative": promise, "partner_note": ""})
    assert refused.status_code == 400
    assert escape(promise) in refused.content.decode()  # kept in its box, to fix
    update.refresh_from_db()
    assert not update.is_published and update.narrative != promise  # nothing written
    fixed = {"narrative": "A quiet month: the close got faster.", "partner_note": "Thanks."}
    assert client.post(f"{url}/publish/", fixed).status_code == 302
    update.refresh_from_db()
    assert update.is_published
    assert (update.narrative, update.partner_note) == (fixed["narrative"], "Thanks.")


def test_an_editor_opens_a_draft_for_a_preset_period(db, demo, demo_client):
    client = demo_client(demo, "editor")
    response = client.post(f"{base(demo)}/new/", {"period": "last_month", "title": ""})
    assert response.status_code == 302
    update = demo.updates.latest("number")
    assert response["Location"].endswith(f"/updates/{update.number}/")
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(demo.time_zone))
    start, end = preset_period("last_month", today)
    assert (update.period_start, update.period_end) == (start, end)
    assert not update.is_published


@pytest.mark.parametrize(
    "given",
    [
        {"period": "custom", "start": "2026-11-30", "end": "2026-11-01"},  # ends before it starts
        {"period": "custom", "start": "soon", "end": "2026-11-01"},  # not a date
        {"period": "custom", "start": "2026-11-01", "end": "2026-11-01", "title": "x" * 201},
        {"period": "custom", "start": "2026-11-01"},  # no end
        {"period": "fortnight"},
        {},
    ],
)
def test_bad_dates_give_the_form_again_with_a_message(given, db, demo, demo_client):
    client = demo_client(demo, "editor")
    before = demo.updates.count()
    response = client.post(f"{base(demo)}/new/", given)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="new-update-form"' in html and "No draft opened" in html
    assert "period:" not in html and "start:" not in html  # fields are named as the form shows
    as_json = client.post(f"{base(demo)}/new/", given, content_type="application/json")
    assert as_json.status_code == 400 and as_json.json()["error"]
    assert demo.updates.count() == before


def test_a_new_update_in_json(db, demo, demo_client):
    client = demo_client(demo, "owner")
    given = {"period": "custom", "start": "2026-10-01", "end": "2026-10-31", "title": "October"}
    response = client.post(f"{base(demo)}/new/", given, content_type="application/json")
    assert response.status_code == 201
    data = response.json()
    assert data["title"] == "October" and data["published"] is False
    assert (data["period_start"], data["period_end"]) == ("2026-10-01", "2026-10-31")
    assert (
        client.post(f"{base(demo)}/new/", "[1]", content_type="application/json").status_code == 400
    )
    assert (
        client.post(f"{base(demo)}/new/", "{", content_type="application/json").status_code == 400
    )
    assert client.get(f"{base(demo)}/new/").status_code == 405


@pytest.mark.parametrize(
    "preset, today, period",
    [
        ("last_month", date(2026, 1, 15), (date(2025, 12, 1), date(2025, 12, 31))),
        ("this_month", date(2026, 2, 10), (date(2026, 2, 1), date(2026, 2, 28))),
        ("this_month", date(2026, 12, 31), (date(2026, 12, 1), date(2026, 12, 31))),
        ("last_week", date(2026, 12, 2), (date(2026, 11, 23), date(2026, 11, 29))),  # a Wednesday
        ("last_week", date(2026, 11, 30), (date(2026, 11, 23), date(2026, 11, 29))),  # a Monday
    ],
)
def test_it_knows_the_preset_periods(preset, today, period):
    assert preset_period(preset, today) == period
