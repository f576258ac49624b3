"""A check-in's histograms on a 390 px phone: the labels under the axis stand apart. With a bar
a tenth of the chart wide for each empty range, "70–80", "80–90", "90–100" ran together
("70–8080–9090–10").

Screenshots: test-output/<this test>/histograms-390.png."""

import pytest

from tests.test_part_coverage_pages import published, report_data, vision_question

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# A closed check-in's 7 answers, all but none between 10 and 70: each empty range of 10 keeps
# its own bar (report.merge_bins), and four of them are a tenth of the chart wide.
FIDELITY = [
    {"from": 0, "to": 10, "n": 0},
    {"from": 10, "to": 70, "n": 7},
    {"from": 70, "to": 80, "n": 0},
    {"from": 80, "to": 90, "n": 0},
    {"from": 90, "to": 100, "n": 0},
]
DIRECTION = [{"from": 0.5, "to": 1.5, "n": 0}, {"from": 1.5, "to": 5.5, "n": 7}]

AXIS_LABELS = """() => [...document.querySelectorAll("svg[data-chart=histogram]")].map(
  (svg) => [...svg.querySelectorAll("text.axis")].map((text) => {
    const box = text.getBoundingClientRect();
    return {label: text.textContent, left: box.left, right: box.right};
  }))"""


def test_the_labels_under_a_histogram_do_not_overlap_on_a_phone(
    transactional_db, live_server, page, log_in, users, workspace, output_dir
):
    question = vision_question()
    question.update(n=7, fidelity_histogram=FIDELITY)
    data = report_data([question])
    data["direction"] = {"n": 7, "agree": 0.571, "mean": 3.71, "histogram": DIRECTION}
    checkin = published(workspace, data)
    page.set_viewport_size(PHONE)
    log_in("viewer", f"/w/{workspace.slug}/checkins/{checkin.pk}/")
    page.wait_for_url(f"**/checkins/{checkin.pk}/")
    page.locator(".headlines").screenshot(path=str(output_dir / "histograms-390.png"))
    page.locator("figure.histogram").first.screenshot(path=str(output_dir / "fidelity-390.png"))

    charts = page.evaluate(AXIS_LABELS)
    assert len(charts) == 2
    fidelity, direction = charts
    # Labelled at the bars' edges; "90" would meet "100", which says where the scale ends.
    assert [t["label"] for t in fidelity] == ["0", "10", "70", "80", "100"]
    assert [t["label"] for t in direction] == ["1", "2–5"]
    for labels in charts:
        for before, after in zip(labels, labels[1:], strict=False):
            assert after["left"] >= before["right"] + 2, (before, after)
        svg = page.locator("svg[data-chart=histogram]").first.bounding_box()
        assert all(svg["x"] <= t["left"] and t["right"] <= svg["x"] + svg["width"] for t in labels)
    # Every bar's range is still said whole, to a screen reader and on hover.
    label = page.locator("svg[data-chart=histogram]").first.get_attribute("aria-label")
    assert "70–80: 0; 80–90: 0; 90–100: 0" in label
