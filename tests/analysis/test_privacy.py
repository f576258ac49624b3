"""No group under the threshold is shown, nor recoverable from the total by subtraction."""

from hypothesis import given
from hypothesis import strategies as st

from truenorth.analysis.privacy import MIN_THRESHOLD, hidden_groups

organisations = st.dictionaries(
    st.text(alphabet="abcdefghij", min_size=1, max_size=3), st.integers(0, 40), max_size=12
)


@given(organisations, st.integers(0, 10))
def test_no_small_group_is_shown_or_recoverable(counts, threshold):
    effective = max(threshold, MIN_THRESHOLD)
    hidden = hidden_groups(counts, threshold)
    shown = {g: n for g, n in counts.items() if g not in hidden and n > 0}
    assert all(n >= effective for n in shown.values())
    if hidden:
        # What subtraction from the total reveals is the hidden groups' sum, never one group.
        assert len(hidden) >= 2 or len(shown) == 0
        assert sum(counts[g] for g in hidden) >= effective or len(shown) == 0


@given(organisations)
def test_big_groups_alone_hide_nothing(counts):
    big = {g: n for g, n in counts.items() if n >= 5}
    assert hidden_groups(big, 5) == set()


def test_one_small_group_takes_the_next_smallest_with_it():
    assert hidden_groups({"sales": 6, "design": 3, "engineering": 14}, 5) == {"design", "sales"}


def test_the_threshold_is_never_below_three():
    assert hidden_groups({"a": 2, "b": 2, "c": 10}, 1) == {"a", "b"}
