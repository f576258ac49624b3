"""Every main page makes as many database queries for a large workspace as for a small one."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from truenorth.demo.content import DEMO_PASSWORD
from truenorth.demo.large import MAIN_PAGES, OWNER, SLUG, build_large, sizes


def query_counts(client, scale: float) -> dict[str, tuple[int, int]]:
    """Each page's queries with its figures computed afresh, then read from the cache."""
    workspace = build_large(scale)
    assert client.login(username=OWNER, password=DEMO_PASSWORD)  # building set the password
    cache.clear()
    checkin = workspace.checkins.get()
    counts = {}
    for name, path in MAIN_PAGES.items():
        url = f"/w/{SLUG}/{path.format(checkin=checkin.pk)}"
        with CaptureQueriesContext(connection) as fresh:
            assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as cached:
            client.get(url)
        counts[name] = (len(fresh), len(cached))
    return counts


def test_no_main_page_makes_more_queries_for_more_rows(db, client):
    small = query_counts(client, 0.01)
    large = query_counts(client, 0.04)
    assert sizes(0.04)["work_items"] == 4 * sizes(0.01)["work_items"]
    assert large == small, (small, large)
    assert max(cached for _, cached in large.values()) <= 12, large
