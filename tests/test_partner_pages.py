"""What a partner reads on every page open to partners, its JSON, CSV and Markdown twins
included: no internal initiative, no goal, no decision that is not shared with them, no one's
email but their own. The pages come from the URL configuration (every view whose rule is
PARTNER_VISIBLE), so a page added later is swept too; tests/test_api_partner.py does the same for
the API."""

from datetime import date

from django.urls import reverse

from tests.test_every_page import PAGES, need_of, url_arguments
from truenorth.decisions.models import Decision
from truenorth.roadmap.models import SHARED_OUTSIDE, Visibility
from truenorth.workspaces.access import PARTNER_VISIBLE

PARTNER_PAGES = sorted(
    name for name, pattern in PAGES.items() if need_of(pattern) == PARTNER_VISIBLE
)


def test_a_partner_reads_nothing_internal_on_any_page_open_to_partners(
    workspace, strategy, users, team, client
):
    arguments = url_arguments(workspace, strategy, users, team, "partner")
    internal = strategy["initiatives"][Visibility.INTERNAL]
    # The record partners may read touches what they may not: it must not say so to them.
    shared = workspace.decisions.get(number=arguments["number"])
    shared.blocks.add(internal)
    shared.initiatives.add(internal)
    shared.goals.add(*strategy["goals"])
    unshared = Decision.objects.create(
        workspace=workspace,
        number=shared.number + 1,
        title="An internal question",
        question="Which?",
        raised_on=date(2026, 1, 2),
    )
    Decision.objects.filter(pk=shared.pk).update(supersedes=unshared)
    hidden = [i.title for i in workspace.initiatives.exclude(visibility__in=SHARED_OUTSIDE)]
    hidden += [goal.title for goal in strategy["goals"]] + [unshared.title]
    hidden += [p.email for p in workspace.people.exclude(email=users["partner"].email)]
    assert PARTNER_PAGES and internal.title in hidden

    client.force_login(users["partner"])
    read = 0
    for name in PARTNER_PAGES:
        converters = PAGES[name].pattern.converters
        kwargs = {"slug": workspace.slug} | {key: arguments[key] for key in converters}
        # Search for what is hidden, so the search pages have something to leak.
        query = {"q": "initiative"} if name.startswith("search") else {}
        response = client.get(reverse(name, kwargs=kwargs), query)
        assert response.status_code < 500, name
        if response.status_code != 200:
            continue  # POST only, or an object partners may not open (404)
        read += 1
        body = response.content.decode(errors="replace")
        assert [text for text in hidden if text in body] == [], name
    assert read >= len(PARTNER_PAGES) // 2  # the sweep read pages, not only refusals
