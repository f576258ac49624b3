import pytest

from truenorth.analysis.quadrant import UNDERSTANDS, place


@pytest.mark.parametrize(
    "fidelity, direction, expected",
    [
        (UNDERSTANDS + 10, 5, "aligned"),
        (UNDERSTANDS + 10, 2, "informed_dissent"),
        (UNDERSTANDS - 10, 4, "faux_alignment"),
        (UNDERSTANDS - 10, 1, "confused"),
        (UNDERSTANDS, 4, "aligned"),  # the cuts themselves count as understanding and agreeing
    ],
)
def test_it_places_people_in_the_four_corners(fidelity, direction, expected):
    assert place(fidelity, direction) == expected
