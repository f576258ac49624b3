"""The small words around the overview's and the overruns' figures: what good looks like beside
each headline, and effort overruns that read alike."""

from truenorth.checkins.templatetags.measures import overrun_percent


def test_effort_overruns_read_alike():
    assert [overrun_percent(v) for v in (36.0, 14.3, -1.8, 0.0)] == [
        "+36.0%",
        "+14.3%",
        "−1.8%",
        "0.0%",
    ]


def test_the_overview_says_what_good_looks_like(db, demo_client, analysed_demo):
    html = demo_client(analysed_demo, "viewer").get(f"/w/{analysed_demo.slug}/").content.decode()
    cards = {
        name: html[html.rindex("<section", 0, html.index(f'id="headline-{name}"')) :].split(
            "</section>"
        )[0]
        for name in ("line-of-sight", "orphans", "slipped")
    }
    assert "Higher is better" in cards["line-of-sight"]
    assert "under 15% is healthy; 33% or more means the goals steer little" in cards["orphans"]
    assert 'class="headline warn"' in cards["orphans"]  # 28%: middling
    assert "no team or goal marked Pattern" in cards["slipped"]
    assert "(moved on " in html
    overruns = demo_client(analysed_demo, "viewer").get(
        f"/w/{analysed_demo.slug}/roadmap/overruns/"
    )
    page = overruns.content.decode()
    assert (
        'data-label="Initiatives late"' in page and 'data-label="Target dates moved later"' in page
    )
    assert "+36.0%" in page and "−1.8%" in page and "-1.8%" not in page
