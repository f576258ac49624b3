"""Counts of claims by verdict, for the claims pages and the alignment dashboard.

promise_summary(workspace) counts what was said: a claim said live before it shipped (verdict
said_early) was an over-promise when said, so it counts as one here, though the claims page's
over-promise tile, what is still wrong today, leaves it out. It returns:

    {
      "total": 42,                 # all claims
      "checked": 40,               # claims with a verdict
      "by_verdict": {"available": 20, "committed": 9, "over_promise": 7, "no_capability": 3},
                                   # as said: over_promise includes said_early
      "said_early": 1,             # of over_promise, said live before it shipped, shipped since
      "not_promised": 1,           # claims that say themselves they are not promised (honest);
                                   # counted in "checked", kept out of by_verdict's four
      "over_promise_share": 0.175, # over-promises as said / checked (None when nothing is checked)
      "unsupported_share": 0.275,  # (over-promises + no such capability) / checked (or None)
      "trend": [("2026-09", 12, 3), ...],  # per month said, oldest first: (month, claims,
                                            # over-promises as said)
      "accounts": [                # accounts with their counts, most over-promised first
        {"account": "Northwind", "claims": 5, "over_promise": 2, "no_capability": 1}, ...
      ],
      "committed_dates_moved": {"committed": 9, "moved": 3, "accounts": 2},
                                   # committed_dates_moved(claims)
    }

Claims are records of what was said to customers, attributed by design (they are not answers
to a check-in), so no anonymity threshold applies to them.
"""

from collections import Counter

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from truenorth.claims.models import DATE_MOVED_SINCE_SAID, Verdict
from truenorth.tabular import folded
from truenorth.workspaces.models import Workspace

# Over-promises as said: those still wrong today and those said live before they shipped.
OVER = Q(verdict__in=[Verdict.OVER_PROMISE, Verdict.SAID_EARLY])
NONE = Q(verdict=Verdict.NO_CAPABILITY)


def verdict_counts(claims) -> dict[str, int]:
    counts = dict(claims.exclude(verdict="").values_list("verdict").annotate(n=Count("id")))
    return {v.value: counts.get(v.value, 0) for v in Verdict}


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def promise_summary(workspace: Workspace) -> dict:
    claims = workspace.claims.all()
    by_verdict = verdict_counts(claims)
    checked = sum(by_verdict.values())
    not_promised = by_verdict.pop(Verdict.NOT_PROMISED.value)
    said_early = by_verdict.pop(Verdict.SAID_EARLY.value)
    by_verdict["over_promise"] += said_early
    over, unsupported = (
        by_verdict["over_promise"],
        by_verdict["over_promise"] + by_verdict["no_capability"],
    )
    months = (
        claims.annotate(month=TruncMonth("said_on"))
        .values("month")
        .annotate(n=Count("id"), over=Count("id", filter=OVER))
        .order_by("month")
    )
    return {
        "total": claims.count(),
        "checked": checked,
        "by_verdict": by_verdict,
        "said_early": said_early,
        "not_promised": not_promised,
        "over_promise_share": share(over, checked),
        "unsupported_share": share(unsupported, checked),
        "trend": [(m["month"].strftime("%Y-%m"), m["n"], m["over"]) for m in months],
        "accounts": per_account(claims),
        "committed_dates_moved": committed_dates_moved(claims),
    }


def committed_dates_moved(claims) -> dict[str, int]:
    """Of these committed claims, those whose customer was told a target date that has moved
    since (a later date, or none now), and to how many accounts (one whatever its case and
    spacing): {"committed": 5, "moved": 3, "accounts": 2}. What "good while the dates hold"
    rests on, for the claims page's tile, the summary and the executives' update."""
    committed = claims.filter(verdict=Verdict.COMMITTED)
    moved = list(committed.filter(DATE_MOVED_SINCE_SAID).values_list("account", flat=True))
    accounts = {folded(name) for name in moved}
    return {"committed": committed.count(), "moved": len(moved), "accounts": len(accounts)}


def per_account(claims) -> list[dict]:
    """Each account once, however its name is written ("Northwind Dental", "northwind dental"),
    shown as most of its claims spell it; the most over-promised first."""
    rows = (
        claims.values("account")
        .annotate(claims=Count("id"), over_promise=Count("id", filter=OVER))
        .annotate(no_capability=Count("id", filter=NONE))
        .order_by()
    )
    merged: dict[str, dict] = {}
    spellings: dict[str, Counter] = {}
    for row in rows:
        key = folded(row["account"])
        spellings.setdefault(key, Counter())[row["account"]] += row["claims"]
        total = merged.setdefault(key, {"claims": 0, "over_promise": 0, "no_capability": 0})
        for name in total:
            total[name] += row[name]
    accounts = [
        {"account": spellings[key].most_common(1)[0][0], **counts} for key, counts in merged.items()
    ]
    accounts.sort(key=lambda a: (-a["over_promise"], -a["no_capability"], a["account"]))
    return accounts
