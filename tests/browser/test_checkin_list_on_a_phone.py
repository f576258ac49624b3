"""The check-ins list on a phone: the longest stages it can show (a round never to be published,
one closed without being sent) wrap inside their card, and the page never scrolls sideways."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.phone import table_reads_well
from tests.conftest import team_of
from tests.test_checkin_list_stages import REFUSED, answered_pulse
from truenorth.checkins.actions import create_alignment_pulse
from truenorth.checkins.measure import analyze
from truenorth.checkins.overlaps import WouldDisclose
from truenorth.workspaces.models import Function

pytestmark = pytest.mark.browser


def test_the_stages_that_promise_no_results_fit_a_phone(
    transactional_db, page, log_in_on_a_phone, users, workspace, output_dir
):
    tiger, _ = team_of(workspace, "Tiger", Function.SUPPORT, 3)
    sales, _ = team_of(workspace, "Sales", Function.SALES, 5)
    analyze(answered_pulse(workspace, "Sales pulse", [sales]))
    with pytest.raises(WouldDisclose):
        analyze(answered_pulse(workspace, "Tiger pulse", [tiger, sales]))
    opened = timezone.now() - timedelta(days=10)
    create_alignment_pulse(workspace, "Autumn pulse", opened, opened + timedelta(days=7))

    log_in_on_a_phone("editor", f"/w/{workspace.slug}/checkins/")
    page.screenshot(path=str(output_dir / "390.png"), full_page=True)
    stages = page.locator('#checkin-list td[data-label="Stage"]').all_inner_texts()
    assert REFUSED in stages and "Closed without being sent" in stages
    table_reads_well(page, "#checkin-list", "Stage")
