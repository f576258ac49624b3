"""A check-in whose results are published says when, and links to them (its own module: the
demo it is built on has logins named like the shared fixtures' ones)."""


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_published_results_say_when_and_link_to_them(db, analysed_demo, demo_client):
    checkin = analysed_demo.checkins.order_by("-opens_at").first()
    shown = page(
        demo_client(analysed_demo, "viewer"), f"/w/{analysed_demo.slug}/checkins/{checkin.pk}/"
    )
    assert 'class="analysis-done"' in shown and 'href="#results"' in shown
    assert 'id="results"' in shown and "data-poll" not in shown
