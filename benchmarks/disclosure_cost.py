"""What the joint disclosure audit hides, what the per-breakdown rule it replaced let out, and
what the audit costs in time, on the demo and on a generated 2,000-person check-in.

For each check-in, every group a figure is computed over (each section's respondents, and each
function and team within them) is put through two rules:

- before: the per-breakdown rule truenorth used until this audit (each dimension of each section
  on its own: groups under the threshold hidden, with the next smallest until the hidden ones
  hold at least the threshold; `truenorth.analysis.privacy.hidden_groups`);
- after: the joint audit (`truenorth.analysis.disclosure.withheld`).

The audit's time is compared, in the same run, with the step it adds to: embedding as many real
sentences (STS-B train, from shared/evaldata) as the check-in has free-text answers (three per
respondent), which is what publishing a check-in spends most of its time on.

"Recoverable" counts the respondents whose own value is a linear combination of the published
groups — an attacker who adds and subtracts published figures gets their answer exactly (the
check is independent of the audit: e_i lies in the row space of the published indicator matrix
iff the i-th row of its null space basis is zero). "Small sets" asks the audit's own question
(any set of 1 to threshold − 1 people) with `find_disclosure`.

    .venv/bin/python benchmarks/disclosure_cost.py
"""

import random
import time
from collections import Counter

import numpy as np
from evaldata import MACHINE, sts_pairs
from scipy.linalg import null_space
from scratch_database import fresh_database

from truenorth.analysis.disclosure import Group, find_disclosure, withheld
from truenorth.analysis.privacy import hidden_groups
from truenorth.analysis.report import (
    DIMENSIONS,
    Respondent,
    audit_groups,
    partition,
    section_bases,
)

THRESHOLD = 5
FUNCTIONS = ["engineering", "design", "product", "sales", "marketing", "customer_success"]
FUNCTIONS += ["support", "leadership", "operations", "finance"]


def per_breakdown_rule(groups: list[Group], people: dict[str, Respondent]) -> set:
    """The groups the earlier rule hid: each (section, dimension) on its own."""
    hidden = set()
    for group in groups:
        if group.is_base and len(group.members) < THRESHOLD:
            hidden.update(g.key for g in groups if g.section == group.section)
    for section in {g.section for g in groups}:
        for dimension in DIMENSIONS:
            counts = {g.key[2]: len(g.members) for g in groups if g.key[:2] == (section, dimension)}
            hidden.update((section, dimension, name) for name in hidden_groups(counts, THRESHOLD))
    return hidden


def recoverable(shown: list[Group]) -> int:
    """How many respondents' own values are linear combinations of the shown groups."""
    sets = list({g.members for g in shown})
    people = sorted(set().union(*sets))
    index = {p: i for i, p in enumerate(people)}
    matrix = np.zeros((len(sets), len(people)))
    for row, members in enumerate(sets):
        matrix[row, [index[m] for m in members]] = 1
    basis = null_space(matrix)
    if basis.size == 0:
        return len(people)
    return int(np.sum(np.abs(basis).max(axis=1) < 1e-9))


def measure(name: str, groups: list[Group], people: dict[str, Respondent]) -> float:
    started = time.perf_counter()
    before = per_breakdown_rule(groups, people)
    rule_time = time.perf_counter() - started
    started = time.perf_counter()
    after = withheld(groups, THRESHOLD)
    audit_time = time.perf_counter() - started
    breakdowns = [g for g in groups if not g.is_base and g.members]
    print(f"\n{name}: {len(people)} respondents, {len(breakdowns)} breakdown groups in all")
    for label, hidden in (("before (per breakdown)", before), ("after (joint audit)", after)):
        shown = [g for g in groups if g.key not in hidden and g.members]
        hidden_breakdowns = [g for g in breakdowns if g.key in hidden]
        small = find_disclosure([g.members for g in shown], THRESHOLD)
        print(
            f"  {label:24} breakdown groups hidden {len(hidden_breakdowns):4}"
            f" ({len(hidden_breakdowns) / len(breakdowns):.0%}),"
            f" sections withheld {sum(g.is_base for g in groups if g.key in hidden)},"
            f" people recoverable {recoverable(shown)},"
            f" smallest set worked out: {len(small.members) if small else 'none'}"
        )
    print(f"  time: per-breakdown rule {rule_time * 1000:.1f} ms, joint audit {audit_time:.2f} s")
    return audit_time


def embedding_time(count: int) -> float:
    """Seconds to embed `count` real sentences with the analysis's model (a cold cache)."""
    from truenorth.analysis.embed import Embedder

    embedder = Embedder()
    embedder.encode(["warm up"])
    sentences = list(dict.fromkeys(s for a, b, _ in sts_pairs("train") for s in (a, b)))[:count]
    started = time.perf_counter()
    embedder.encode(sentences)
    return time.perf_counter() - started


def demo_checkins() -> list[tuple[str, list[Group], dict[str, Respondent]]]:
    """The demo's two pulses, with their answers' groups as they are before publishing."""
    fresh_database()
    from truenorth.checkins.measure import analysis_inputs
    from truenorth.demo.build import build_demo

    found = []
    for checkin in build_demo(fresh=True).checkins.order_by("opens_at"):
        inputs = analysis_inputs(checkin)
        people = {r.id: r for r in inputs["respondents"]}
        found.append((f"demo: {checkin.title}", groups_of(inputs, people), people))
    return found


def groups_of(inputs: dict, people: dict[str, Respondent]) -> list[Group]:
    bases = section_bases(people, inputs["questions"], inputs["direction"], True)
    return audit_groups(bases, people)


def generated_checkin(size: int = 2000, seed: int = 7) -> tuple[list[Group], dict[str, Respondent]]:
    """An organisation of `size` people in teams of 3 to 15, each team mostly one function with
    a few people of others (as product squads are), 85 % answering; a few skip a question."""
    rng = random.Random(seed)
    people: dict[str, Respondent] = {}
    team = 0
    while len(people) < size:
        team += 1
        main = rng.choice(FUNCTIONS)
        for _ in range(rng.randint(3, 15)):
            function = main if rng.random() < 0.7 else rng.choice(FUNCTIONS)
            person = f"p{len(people)}"
            people[person] = Respondent(person, {"function": function, "team": f"Team {team}"})
    answering = [p for p in people if rng.random() < 0.85]
    skipping = {p for p in answering if rng.random() < 0.03}
    bases = {"vision": answering, "direction": answering}
    bases["purpose"] = [p for p in answering if p not in skipping]
    respondents = {p: people[p] for p in answering}
    return audit_groups(bases, respondents), respondents


def main() -> None:
    print(f"Disclosure audit, threshold {THRESHOLD}; {MACHINE}; {time.strftime('%Y-%m-%d')}")
    for name, groups, people in demo_checkins():
        measure(name, groups, people)
    groups, people = generated_checkin()
    sizes = Counter(len(m) for m in (partition(list(people), people, "team")).values())
    print(f"\ngenerated: {len(sizes)} team sizes, {sum(sizes.values())} teams")
    audit = measure("generated 2,000-person organisation", groups, people)
    embedding = embedding_time(3 * len(people))
    print(
        f"  embedding its {3 * len(people)} answers' worth of sentences: {embedding:.1f} s;"
        f" audit / embedding = {audit / embedding:.3f}"
    )


if __name__ == "__main__":
    main()
