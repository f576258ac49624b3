"""What Larkspur's sales and customer success people told customers: the demo's claims.

Written as people note them after a call. Some name what has shipped, some what is committed,
some read the roadmap's plans as promises, and a few promise things nobody is building.
"""

from datetime import date, timedelta

from truenorth.claims.actions import check_claims
from truenorth.claims.models import Claim
from truenorth.demo.content import DOMAIN
from truenorth.workspaces.models import Person, Workspace


def _claim(days_ago: int, account: str, by: str, source: str, text: str) -> dict:
    """`by`: a Larkspur person's email before the @, or the name of someone outside it."""
    return {"days_ago": days_ago, "account": account, "by": by, "source": source, "text": text}


CLAIMS = [
    _claim(
        150,
        "Harbourline Logistics",
        "jake.morrison",
        "sales call",
        "Told their AP lead we read every line item on multi-page invoices, not just the "
        "header, so freight bills get coded per line.",
    ),
    _claim(
        140,
        "Harbourline Logistics",
        "emeka.nwosu",
        "demo",
        "Showed approvers approving invoices straight from a Slack message without logging "
        "in to Larkspur.",
    ),
    _claim(
        131,
        "Corvid Dental Group",
        "carlos.mendoza",
        "sales call",
        "Said we catch duplicate invoices even when the same supplier bills two of their entities.",
    ),
    _claim(
        120,
        "Corvid Dental Group",
        "carlos.mendoza",
        "email",
        "Promised their approvers can approve invoices from their phones in a native iOS and "
        "Android app.",
    ),
    _claim(
        112,
        "Brightwater Hotels",
        "natalie.brooks",
        "deck",
        "Deck slide: match invoices to purchase orders and goods receipts automatically, "
        "three-way matching included.",
    ),
    _claim(
        104,
        "Brightwater Hotels",
        "natalie.brooks",
        "sales call",
        "Told their controller that GL account and department will be coded automatically "
        "from their invoice history from next quarter.",
    ),
    _claim(
        97,
        "Fennick Construction",
        "jake.morrison",
        "sales call",
        "Said suppliers can upload invoices and check payment status themselves in a "
        "supplier portal.",
    ),
    _claim(
        90,
        "Fennick Construction",
        "lauren.hayes",
        "discovery call",
        "Told them we reimburse employee expenses as well, so they can drop their expenses tool.",
    ),
    _claim(
        81,
        "Tidewater Foods",
        "emeka.nwosu",
        "RFP answer",
        "RFP: invoices are posted to the right NetSuite subsidiary and custom segments today.",
    ),
    _claim(
        74,
        "Tidewater Foods",
        "carlos.mendoza",
        "sales call",
        "Promised they can pay their UK and EU suppliers in GBP and EUR through Larkspur "
        "this year.",
    ),
    _claim(
        66,
        "Alder & Finch",
        "natalie.brooks",
        "sales call",
        "Said we connect to Sage Intacct, so they will not need to move to NetSuite.",
    ),
    _claim(
        58,
        "Alder & Finch",
        "grace.adeyemi",
        "executive meeting",
        "Told their CFO our SOC 2 Type II report will be ready before their security "
        "review closes.",
    ),
    _claim(
        49,
        "Pinebrook Clinics",
        "jake.morrison",
        "sales call",
        "Promised that ACH payment runs go out through our banking partner right after "
        "approval, no bank file uploads.",
    ),
    _claim(
        41,
        "Pinebrook Clinics",
        "liam.oconnor",
        "renewal call",
        "Told them failed NetSuite postings will show up in an inbox that explains each "
        "error and how to fix it.",
    ),
    _claim(
        35,
        "Quillon Software",
        "lauren.hayes",
        "email",
        "Said paying suppliers by virtual card earns them a cashback rebate with us.",
    ),
    _claim(
        28,
        "Quillon Software",
        "emeka.nwosu",
        "demo",
        "Walked through approval rules by amount, entity and cost centre that route each "
        "invoice automatically.",
    ),
    _claim(
        21,
        "Marlow Outdoor",
        "carlos.mendoza",
        "sales call",
        "Told them we file their 1099 forms for contractors at year end.",
    ),
    _claim(
        15,
        "Marlow Outdoor",
        "natalie.brooks",
        "sales call",
        "Said their Xero bills in foreign currencies are posted at the right exchange rate.",
    ),
    _claim(
        9,
        "Harbourline Logistics",
        "tanya.ivanova",
        "QBR",
        "Promised their open bills and vendor master will be imported on day one of the migration.",
    ),
    _claim(
        4,
        "Sable Ridge Wineries",
        "Dana Whitcombe (reseller)",
        "partner call",
        "Told them our machine learning learns each supplier's layout from their "
        "corrections, so the same fix is never needed twice.",
    ),
]


def build_claims(workspace: Workspace, today: date) -> list[Claim]:
    """Create the demo's claims and check them against the roadmap (loads the model)."""
    people = {p.email: p for p in Person.objects.filter(workspace=workspace)}
    claims = Claim.objects.bulk_create(
        Claim(
            workspace=workspace,
            said_on=today - timedelta(days=c["days_ago"]),
            account=c["account"],
            said_by=people.get(f"{c['by']}@{DOMAIN}"),
            said_by_name="" if f"{c['by']}@{DOMAIN}" in people else c["by"],
            text=c["text"],
            source=c["source"],
        )
        for c in CLAIMS
    )
    check_claims(workspace, claims)
    return claims
