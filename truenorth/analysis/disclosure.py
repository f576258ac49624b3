"""Disclosure auditing: which groups a check-in's report withholds so that no set of fewer than
`threshold` people can be worked out from everything it publishes, taken together.

The model is the one statistical offices use to audit linked tables. Every figure a report shows
is a sum over a group of respondents (a count, or a mean times the group's size), and the server
knows who is in each group, so an attacker who knows the organisation may know it too. Figures can
be added and subtracted: with "Squad A" = 5 engineers and 1 product manager and "engineering" = the
same 5 engineers, sum(Squad A) − sum(engineering) is the product manager's answer. A set S of
respondents is *disclosed* when its indicator vector is a linear combination of the indicator
vectors of the published groups, whatever the figure (direction, fidelity, a count of a quadrant
place): the same combination of any figure's sums gives S's sum.

Every vector in the span of the groups is constant on *atoms* — respondents who belong to exactly
the same published groups — so only unions of atoms can be disclosed, and only atoms smaller than
the threshold can be part of a small one. Whether such a union exists is a small mixed-integer
feasibility problem, solved exactly by HiGHS (through scipy):

    z_a ∈ {0, 1} for each atom a, y_g real for each group g,
    Σ_g y_g·[a ∈ g] = z_a for every atom,   1 ≤ Σ_a |a|·z_a ≤ threshold − 1.

When it has a solution, the smallest group with y_g ≠ 0 is withheld and the audit runs again;
a section's base (everyone who answered it) is withheld only when no breakdown group is involved,
and then the whole section goes with it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from truenorth.analysis.privacy import effective_threshold

Members = frozenset[str]
Key = tuple[str, ...]  # (section, "all") or (section, dimension, group name)


@dataclass(frozen=True)
class Group:
    """A set of respondents some published figure is computed over."""

    section: str  # e.g. "q1" (a question), "direction"; a withheld base withholds its section
    key: Key  # e.g. ("q1", "team", "Squad A")
    members: Members

    @property
    def is_base(self) -> bool:
        return self.key == (self.section, "all")


def withheld(groups: Sequence[Group], threshold: int) -> set[Key]:
    """The keys of the groups to withhold so that no set of 1 to threshold − 1 respondents is a
    linear combination of the rest (a withheld base withholds every group of its section)."""
    threshold = effective_threshold(threshold)
    hidden: set[Key] = set()
    _withhold(hidden, groups, [g for g in groups if 0 < len(g.members) < threshold])
    while True:
        shown = [g for g in groups if g.key not in hidden and g.members]
        found = find_disclosure([g.members for g in shown], threshold)
        if found is None:
            return hidden - shown_after_all(groups, hidden, threshold)
        _withhold(hidden, groups, [_to_withhold(shown, found.involved)])


def shown_after_all(groups: Sequence[Group], hidden: set[Key], threshold: int) -> set[Key]:
    """The withheld breakdown groups of at least the threshold that can be shown beside the
    rest, one at a time, and still give no one away. Several combinations can add up to the
    same small set, and the solver picks one: with everyone 10 = Workflow 5 + Capture 5 and
    product 2 = everyone − engineering 8, it may pick Workflow + Capture − engineering and
    withhold Capture, whose figures are everyone's less Workflow's anyway. Only a group whose
    section is shown, and never one under the threshold, is considered."""
    restorable: dict[Members, set[Key]] = {}
    for g in groups:
        section_shown = (g.section, "all") not in hidden
        if g.key in hidden and not g.is_base and section_shown and len(g.members) >= threshold:
            restorable.setdefault(g.members, set()).add(g.key)
    shown_again: set[Key] = set()
    for members in sorted(restorable, key=lambda m: (-len(m), sorted(m))):
        trial = hidden - shown_again - restorable[members]
        if find_disclosure([g.members for g in groups if g.key not in trial], threshold) is None:
            shown_again |= restorable[members]
    return shown_again


def withheld_among(
    audited: Sequence[Members], optional: Sequence[Members], threshold: int
) -> set[Members]:
    """Which `optional` sets to leave unpublished so that, beside the `audited` ones (a family
    that discloses nothing on its own), no set of 1 to threshold − 1 respondents is a linear
    combination of what is published. `optional` comes in the order to give up: the first set
    involved in a disclosure goes first."""
    threshold = effective_threshold(threshold)
    published = set(audited)  # an optional set equal to one of these adds nothing to withhold
    hidden: set[Members] = set()
    while True:
        shown = [s for s in optional if s not in hidden and s not in published]
        found = find_disclosure([*audited, *shown], threshold)
        if found is None:
            return hidden
        used = set(found.involved)
        involved = [s for s in shown if s in used]
        if not involved:  # cannot happen while `audited` discloses nothing; stay safe if it does
            return hidden | set(shown)
        hidden.add(involved[0])


@dataclass
class Disclosure:
    """A set of respondents whose sum the published groups give away, and the groups used."""

    members: Members
    involved: list[Members]  # the distinct member sets with a non-zero weight in the combination


def disclosure_using(
    published: Sequence[Members], added: Sequence[Members], threshold: int, tries: int = 50
) -> Disclosure | None:
    """A set of 1 to threshold − 1 people that `published` and `added` together give away and
    `published` alone does not, or None. What `published` gives away on its own is out already
    (sets published before this audit, or far apart in time), and refusing `added` for it would
    protect nobody. After `tries` such sets, the last one found is returned, to stay safe."""
    threshold = effective_threshold(threshold)
    known: list[Members] = []
    found = None
    for _ in range(tries):
        found = find_disclosure([*published, *added], threshold, known)
        if found is None or not in_span(found.members, published):
            return found
        known.append(found.members)
    return found


def in_span(target: Members, sets: Sequence[Members]) -> bool:
    """Whether the sum over `target` is a linear combination of the sums over `sets`."""
    sets = [s for s in sets if s]
    if not sets:
        return not target
    _, signatures = _atoms([*sets, target])
    incidence = np.zeros((len(sets) + 1, len(signatures)))
    for column, signature in enumerate(signatures):
        incidence[list(signature), column] = 1.0
    groups, wanted = incidence[:-1].T, incidence[-1]
    weights = np.linalg.lstsq(groups, wanted, rcond=None)[0]
    return bool(np.allclose(groups @ weights, wanted, atol=1e-7))


def find_disclosure(
    member_sets: Iterable[Members], threshold: int, excluding: Sequence[Members] = ()
) -> Disclosure | None:
    """A set of 1 to threshold − 1 respondents whose sum is a linear combination of the sums
    over `member_sets`, other than those `excluding`, or None when there is none (see the
    module's docstring)."""
    sets = list(dict.fromkeys(s for s in member_sets if s))
    if not sets:
        return None
    atoms, signatures = _atoms(sets)
    sizes = np.array([len(a) for a in atoms], dtype=float)
    n_sets, n_atoms = len(sets), len(atoms)
    incidence = np.zeros((n_sets, n_atoms))
    for column, signature in enumerate(signatures):
        incidence[list(signature), column] = 1.0
    # Unknowns: y (one weight per set), then z (one 0/1 per atom). Atoms at or above the
    # threshold can never be part of a small disclosed set, so their z is fixed at 0.
    equal = LinearConstraint(np.hstack([incidence.T, -np.eye(n_atoms)]), 0, 0)
    small = LinearConstraint(np.concatenate([np.zeros(n_sets), sizes])[None, :], 1, threshold - 1)
    constraints = [equal, small, *_not_again(atoms, excluding, n_sets)]
    upper = np.concatenate([np.full(n_sets, np.inf), (sizes < threshold).astype(float)])
    lower = np.concatenate([np.full(n_sets, -np.inf), np.zeros(n_atoms)])
    result = milp(
        c=np.concatenate([np.zeros(n_sets), sizes]),  # the smallest disclosed set first
        constraints=constraints,
        integrality=np.concatenate([np.zeros(n_sets), np.ones(n_atoms)]),
        bounds=Bounds(lower, upper),
    )
    if result.status != 0 or result.x is None:
        return None
    weights, chosen = result.x[:n_sets], result.x[n_sets:] > 0.5
    members = frozenset(
        m for atom, picked in zip(atoms, chosen, strict=True) if picked for m in atom
    )
    involved = [s for s, w in zip(sets, weights, strict=True) if abs(w) > 1e-7]
    return Disclosure(members, involved)


def _not_again(
    atoms: list[Members], excluding: Sequence[Members], n_sets: int
) -> list[LinearConstraint]:
    """One cut per set already found: its atoms may not all be picked and no other with them."""
    cuts = []
    for found in excluding:
        inside = np.array([1.0 if atom <= found else -1.0 for atom in atoms])
        row = np.concatenate([np.zeros(n_sets), inside])[None, :]
        cuts.append(LinearConstraint(row, -np.inf, float((inside > 0).sum()) - 1))
    return cuts


def _atoms(sets: list[Members]) -> tuple[list[Members], list[tuple[int, ...]]]:
    """Respondents grouped by the exact sets they belong to, and those sets' indices."""
    signature: dict[str, list[int]] = {}
    for index, members in enumerate(sets):
        for member in members:
            signature.setdefault(member, []).append(index)
    atoms: dict[tuple[int, ...], set[str]] = {}
    for member, indices in signature.items():
        atoms.setdefault(tuple(indices), set()).add(member)
    # In the order of their signatures, not of the respondents' ids: the solver's choice among
    # equally small disclosures then depends on the groups alone.
    ordered = sorted(atoms.items())
    return [frozenset(a) for _, a in ordered], [signature for signature, _ in ordered]


def _to_withhold(shown: list[Group], involved: list[Members]) -> Group:
    """The smallest group of the combination, preferring breakdown groups to a section's base."""
    candidates = [g for g in shown if g.members in set(involved)]
    return min(candidates, key=lambda g: (g.is_base, len(g.members), repr(g.key)))


def _withhold(hidden: set[Key], groups: Sequence[Group], chosen: Iterable[Group]) -> None:
    """Withhold the chosen groups, every group with the same members (withholding one of two
    identical groups withholds nothing) and, with a base, its whole section."""
    for group in chosen:
        same = [
            g for g in groups if g.members == group.members and (group.is_base or not g.is_base)
        ]
        for g in same:
            hidden.add(g.key)
            if g.is_base:
                hidden.update(other.key for other in groups if other.section == g.section)
