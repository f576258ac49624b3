"""No group under the threshold is shown, nor recoverable from the total by subtraction."""

from hypothesis import given
from hypothesis import strategies as st

from truenorth.analysis.privacy import MIN_THRESHOLD, hidden_groups, suppress

organisations = st.dictionaries(
    st.text(alphabet="abcdefghij", min_size=1, max_size=3), st.integers(0, 40), max_size=12
)


@given(organisations, st.integers(0, 10))
def test_no_small_group_is_shown_or_recoverable(counts, threshold):
    effective = max(threshold, MIN_THRESHOLD)
    hidden = hidden_groups(counts, threshold)
    shown = {g: n for g, n in counts.items() if g not in hidden and n > 0}
    assert all(n >= effective for n in shown.values())
    if hidden and shown:
        # Subtraction from the total reveals the hidden groups' sum, never one group: at least
        # two groups share it, and it is itself at least the threshold.
        total = sum(counts.values())
        assert total - sum(shown.values()) >= effective
        assert len(hidden) >= 2


@given(organisations, st.integers(0, 10))
def test_suppress_shows_only_safe_rows(counts, threshold):
    rows = {g: {"n": n, "score": 50.0} for g, n in counts.items()}
    safe = suppress(rows, threshold)
    names = [row["name"] for row in safe["groups"]]
    assert set(names) == set(counts) - hidden_groups(counts, threshold)
    assert safe["hidden_n"] == sum(counts.values()) - sum(row["n"] for row in safe["groups"])
    assert [row["n"] for row in safe["groups"]] == sorted(
        (row["n"] for row in safe["groups"]), reverse=True
    )


@given(organisations)
def test_big_groups_alone_hide_nothing(counts):
    big = {g: n for g, n in counts.items() if n >= 5}
    assert hidden_groups(big, 5) == set()


def test_one_small_group_takes_the_next_smallest_with_it():
    assert hidden_groups({"sales": 6, "design": 3, "engineering": 14}, 5) == {"design", "sales"}


def test_the_threshold_is_never_below_three():
    assert hidden_groups({"a": 2, "b": 2, "c": 10}, 1) == {"a", "b"}
