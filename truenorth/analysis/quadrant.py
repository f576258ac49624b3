"""Understanding × agreement (seed 004: agree on the goal, understand it the same way).

Understanding: the person's restatement of the vision scores at least UNDERSTANDS, the score that
best predicts a human STS rating of 3 or more ("roughly equivalent") on the STS Benchmark dev
split, rounded to 5 (benchmarks/choose_thresholds.py; accuracy 0.84). Agreement: 4 or 5 on
"I believe this is the right direction".
"""

UNDERSTANDS = 55.0
AGREES = 4

ALIGNED = "aligned"
INFORMED_DISSENT = "informed_dissent"  # understands, disagrees: talk
FAUX_ALIGNMENT = "faux_alignment"  # agrees, but understood something else: the dangerous one
CONFUSED = "confused"
PLACES = (ALIGNED, INFORMED_DISSENT, FAUX_ALIGNMENT, CONFUSED)


def place(fidelity: float, direction: int) -> str:
    understands, agrees = fidelity >= UNDERSTANDS, direction >= AGREES
    if understands:
        return ALIGNED if agrees else INFORMED_DISSENT
    return FAUX_ALIGNMENT if agrees else CONFUSED
