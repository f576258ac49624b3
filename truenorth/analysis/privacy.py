"""The anonymity threshold: no group smaller than it is reported, nor recoverable by subtraction.

Hiding only the small groups is not enough when the total is shown: with one group hidden,
total − sum(shown) gives it back. So the hidden groups, taken together, must themselves be at
least the threshold and number at least two; the next smallest groups are hidden until they are
(complementary suppression, as statistical offices do it).
"""

from collections.abc import Mapping
from typing import Any

MIN_THRESHOLD = 3


def effective_threshold(threshold: int) -> int:
    return max(int(threshold), MIN_THRESHOLD)


def hidden_groups(counts: Mapping[str, int], threshold: int) -> set[str]:
    """The groups to hide so no group under the threshold can be seen or worked out."""
    threshold = effective_threshold(threshold)
    hidden = {g for g, n in counts.items() if 0 < n < threshold}
    if not hidden:
        return hidden
    shown = sorted((n, g) for g, n in counts.items() if g not in hidden and n > 0)
    while shown and (len(hidden) < 2 or sum(counts[g] for g in hidden) < threshold):
        hidden.add(shown.pop(0)[1])
    return hidden


def reportable(count: int, threshold: int) -> bool:
    """Whether a single figure drawn from `count` people may be shown at all."""
    return count >= effective_threshold(threshold)


def suppress(
    rows: Mapping[str, Mapping[str, Any]], threshold: int, count: str = "n"
) -> dict[str, Any]:
    """A breakdown {group: {"n": people, ...figures}} made safe to show.

    Returns the shown groups, largest first, as rows with their name, and how many groups and
    people were hidden (that sum is what subtraction from the total gives anyway).
    """
    hidden = hidden_groups({g: int(row[count]) for g, row in rows.items()}, threshold)
    shown = sorted((g for g in rows if g not in hidden), key=lambda g: (-int(rows[g][count]), g))
    return {
        "groups": [{"name": g, **rows[g]} for g in shown],
        "hidden_groups": len(hidden),
        "hidden_n": sum(int(rows[g][count]) for g in hidden),
    }
