"""Understanding × agreement (seed 004: agree on the goal, understand it the same way).

Understanding: the person's restatement of the vision has a fidelity of at least UNDERSTANDS
(fidelity.py: more likely than not it conveys a part of the vision and contradicts none), so an
answer that agrees but contradicts the vision is faux alignment, however close its words are.
Agreement: 4 or 5 on "I believe this is the right direction".
"""

from truenorth.analysis.fidelity import UNDERSTANDS

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
