"""The demo workspace: Larkspur, accounts-payable automation for mid-market finance teams.

Pure data, read by ``truenorth.demo.build``. Dates are day offsets from the day the demo is
built (negative = in the past), so the demo never goes stale.

What is planted where, so a dashboard has something true to show (and tests can check it):

- Vision: three versions. v1 is buzzwords ("world-class", "seamless", "best-in-class") with no
  measure and no real user; v2 is plainer but still vague; v3 (current) names the destination,
  the measures, the user, the benefit, the business outcome and the horizon.
- Goals: five ranked goals. SOC 2 Type II and the Sage Intacct connector are deliberately not
  goals: they are the shadow priorities people name in the pulse (see ``pulse.py``).
- Initiatives: 26, every status covered (5 shipped, 6 in progress, 5 committed, 5 planned,
  4 exploring, 1 dropped). Two support no goal: RM-24 (SOC 2 Type II audit) and RM-25 (Sage
  Intacct connector). Integrations slips again and again: RM-07, RM-09 (shipped late), RM-20
  moved twice, RM-08 once, RM-10 demoted from committed to planned; RM-01, RM-02, RM-16 and
  RM-24 slipped once; RM-01 and RM-09 shipped after their target date. Visibility is mostly
  internal; RM-08, RM-09, RM-20, RM-21 and RM-22 are shared with partners; the shipped RM-01,
  RM-05, RM-11 and RM-12 are public.
- Work items: 206 from Linear (CAP, WF, DES), Jira (INT, PLAT) and GitHub (larkspur/...).
  152 are linked to an initiative, 10 straight to a goal, 44 to nothing: tech debt (Rails and
  Postgres upgrades, flaky tests), pet projects (Rust preprocessing rewrite, dark mode,
  confetti), one-off work sold in deals (Halvorsen's Sage Intacct export, Pinecrest's
  QuickBooks Desktop sync, Brightwater's bank file and approval PDF), internal tools, and four
  items filed without their epic that the link suggestions find. Integrations and Platform
  carry the most work that serves no goal. Jira and Linear items sit under an epic per
  initiative; three tracker mappings (two epics and a GitHub label) link RM-02 and RM-07.
"""

WORKSPACE = {"name": "Larkspur", "slug": "larkspur"}

DEMO_PASSWORD = "demo"

DOMAIN = "larkspur.io"

TEAMS = [
    {"name": "Leadership", "parent": None},
    {"name": "Product & Engineering", "parent": None},
    {"name": "Capture", "parent": "Product & Engineering"},
    {"name": "Workflow", "parent": "Product & Engineering"},
    {"name": "Integrations", "parent": "Product & Engineering"},
    {"name": "Platform", "parent": "Product & Engineering"},
    {"name": "Design", "parent": "Product & Engineering"},
    {"name": "Go-to-market", "parent": None},
    {"name": "Sales", "parent": "Go-to-market"},
    {"name": "Marketing", "parent": "Go-to-market"},
    {"name": "Customer", "parent": None},
    {"name": "Customer Success", "parent": "Customer"},
    {"name": "Support", "parent": "Customer"},
]


_PLAIN = str.maketrans({"á": "a", "é": "e", "č": "c", "'": None})


def _person(name: str, function: str, team: str | None, title: str, email: str = "") -> dict:
    if not email:
        first, last = name.split(" ", 1)
        local = f"{first}.{last.split()[-1]}".lower().translate(_PLAIN)
        email = f"{local}@{DOMAIN}"
    return {"name": name, "email": email, "function": function, "team": team, "title": title}


PEOPLE = [
    # Leadership
    _person("Maya Lindqvist", "leadership", "Leadership", "CEO and co-founder"),
    _person("Tomás Ribeiro", "leadership", "Leadership", "CTO and co-founder"),
    _person("Grace Adeyemi", "leadership", "Leadership", "Chief Revenue Officer"),
    _person("Helen Zhou", "finance", "Leadership", "Head of Finance"),
    # Product
    _person("Nadia Karimi", "product", "Product & Engineering", "VP Product"),
    _person("Ben Whitaker", "product", "Capture", "Senior Product Manager, Capture"),
    _person("Ines Duarte", "product", "Workflow", "Product Manager, Workflow & Payments"),
    _person("Kwame Mensah", "product", "Integrations", "Product Manager, Integrations"),
    # Design
    _person("Sofia Marchetti", "design", "Design", "Lead Product Designer"),
    _person("Jun Park", "design", "Design", "Product Designer"),
    _person("Ola Nowak", "design", "Design", "UX Researcher"),
    # Engineering: Capture
    _person("Mei Tanaka", "engineering", "Capture", "Engineering Manager, Capture"),
    _person("Arjun Mehta", "engineering", "Capture", "Staff Machine Learning Engineer"),
    _person("Lena Fischer", "engineering", "Capture", "Senior Software Engineer"),
    _person("Chidi Okonkwo", "engineering", "Capture", "Software Engineer"),
    # Engineering: Workflow
    _person("Rosa Delgado", "engineering", "Workflow", "Engineering Manager, Workflow"),
    _person("Sam Whitfield", "engineering", "Workflow", "Senior Software Engineer"),
    _person("Aisha Rahman", "engineering", "Workflow", "Software Engineer"),
    _person("Piotr Zielinski", "engineering", "Workflow", "Software Engineer"),
    # Engineering: Integrations
    _person("Marcus Bell", "engineering", "Integrations", "Staff Software Engineer"),
    _person("Yusuf Demir", "engineering", "Integrations", "Senior Software Engineer"),
    _person("Hana Kovač", "engineering", "Integrations", "Software Engineer"),
    # Engineering: Platform
    _person("Oliver Grant", "engineering", "Platform", "Engineering Manager, Platform"),
    _person("Fatima Zahra Benali", "engineering", "Platform", "Site Reliability Engineer"),
    _person("Diego Alvarez", "engineering", "Platform", "Senior Security Engineer"),
    # Sales
    _person("Natalie Brooks", "sales", "Sales", "Head of Mid-market Sales"),
    _person("Jake Morrison", "sales", "Sales", "Account Executive"),
    _person("Carlos Mendoza", "sales", "Sales", "Account Executive"),
    _person("Emeka Nwosu", "sales", "Sales", "Solutions Engineer"),
    _person("Lauren Hayes", "sales", "Sales", "Sales Development Representative"),
    # Marketing
    _person("Chloé Dubois", "marketing", "Marketing", "Head of Marketing"),
    _person("Raj Patel", "marketing", "Marketing", "Product Marketing Manager"),
    _person("Emily Sanders", "marketing", "Marketing", "Content Marketing Manager"),
    # Customer success
    _person("Tanya Ivanova", "customer_success", "Customer Success", "Director, Customer Success"),
    _person("Liam O'Connor", "customer_success", "Customer Success", "Customer Success Manager"),
    _person("Zanele Dlamini", "customer_success", "Customer Success", "Implementation Manager"),
    _person("Mateo Rossi", "customer_success", "Customer Success", "Customer Success Manager"),
    # Support
    _person("Keisha Thompson", "support", "Support", "Support Lead"),
    _person("Ahmed Hassan", "support", "Support", "Support Engineer"),
    _person("Julia Becker", "support", "Support", "Support Specialist"),
    # Operations
    _person("Owen Fletcher", "operations", "Go-to-market", "Revenue Operations Manager"),
    # The one outsider: an implementation partner who sees only what is shared with partners.
    _person(
        "Gareth Pryce",
        "partner",
        None,
        "Principal Consultant, Ledgerline Partners (NetSuite implementation partner)",
        "gareth.pryce@ledgerline.co",
    ),
]

LOGINS = [
    {"email": "nadia.karimi@" + DOMAIN, "username": "demo", "role": "owner"},
    {"email": "ines.duarte@" + DOMAIN, "username": "pm", "role": "editor"},
    {"email": "maya.lindqvist@" + DOMAIN, "username": "exec", "role": "viewer"},
    {"email": "aisha.rahman@" + DOMAIN, "username": "member", "role": "member"},
    {"email": "gareth.pryce@ledgerline.co", "username": "partner", "role": "partner"},
]

VISION_VERSIONS = [
    {
        "days_ago": 540,
        "statement": (
            "To be the world-class, AI-powered accounts payable platform that delivers a "
            "seamless, best-in-class experience for finance teams everywhere."
        ),
        "destination": "Market leadership in AP automation.",
        "measures_of_progress": "Growth and customer delight.",
        "target_user": "Finance teams",
        "user_benefit": "A seamless, frictionless AP experience.",
        "business_outcome": "Category leadership.",
        "horizon": "The future",
    },
    {
        "days_ago": 330,
        "statement": (
            "Automate accounts payable for growing companies so their finance teams spend less "
            "time on invoices."
        ),
        "destination": "The go-to AP tool for growing companies on QuickBooks, Xero and NetSuite.",
        "measures_of_progress": "ARR and the number of invoices processed each month.",
        "target_user": "Finance teams at growing companies",
        "user_benefit": "Less time spent on invoices.",
        "business_outcome": "Reach $20M ARR.",
        "horizon": "2027",
    },
    {
        "days_ago": 75,
        "statement": (
            "Every supplier invoice a mid-market finance team receives goes from inbox to paid "
            "without anyone retyping it or chasing an approver, so a small AP team can close the "
            "month on time as the company grows."
        ),
        "destination": (
            "By the end of 2028, 80% of the invoices our customers receive are captured, coded, "
            "approved, posted to their ERP and paid with no manual keying, and an AP team of three "
            "handles the volume that used to need eight."
        ),
        "measures_of_progress": (
            "Touchless rate (share of invoices posted to the ERP with no human edit); median days "
            "from invoice received to final approval; share of postings that fail on the first "
            "attempt; share of active customers paying suppliers through Larkspur; days from "
            "signed contract to first invoice posted."
        ),
        "target_user": (
            "The AP specialist and the controller at a 200–2,000-person company on NetSuite, Xero "
            "or QuickBooks Online, handling 1,000–20,000 supplier invoices a month."
        ),
        "user_benefit": (
            "They close the month days sooner, pay every supplier on time without late fees, and "
            "trust that what is in the ERP is what was approved."
        ),
        "business_outcome": (
            "Net revenue retention above 115% from mid-market accounts, with payments revenue at "
            "a quarter of total revenue by 2028."
        ),
        "horizon": "End of 2028",
    },
]

GOALS = [
    {
        "rank": 1,
        "title": "Raise the touchless invoice rate from 41% to 70%",
        "why": (
            "Every invoice a person has to touch costs our customer about $9 and is where errors "
            "get into the ERP. The touchless rate is the number customers feel, and it is the "
            "first step of 'inbox to paid'."
        ),
        "why_now": (
            "Line-item extraction shipped and model v3 is in shadow mode, so the big gains are "
            "finally within reach; and the 2024 customer cohort, our largest, renews in Q1."
        ),
        "metric": "Share of invoices posted to the ERP with no human edit (rolling 30 days)",
        "target": "70% by 30 June 2027 (41% today)",
        "period": "2027-H1",
        "names": ["touchless", "touchless rate", "no-touch rate"],
    },
    {
        "rank": 2,
        "title": "Make ERP sync reliable enough to forget about, starting with NetSuite",
        "why": (
            "An invoice that fails to post is not touchless however well we captured it: a "
            "controller ends up reconciling by hand. NetSuite customers are our largest accounts."
        ),
        "why_now": (
            "Sync failures were 38% of support tickets last quarter, and four of our ten largest "
            "Q1 renewals run NetSuite."
        ),
        "metric": "Share of postings that fail on the first attempt, all ERPs",
        "target": "Below 0.5% by 31 December 2026 (4.2% today)",
        "period": "2026-H2",
        "names": ["ERP sync", "NetSuite sync", "NetSuite reliability", "sync failures"],
    },
    {
        "rank": 3,
        "title": "Cut approval time: median invoice fully approved in under 2 days",
        "why": (
            "Most approvers are not finance people and approve by email when they remember. Slow "
            "approvals mean late fees, missed early-payment discounts and a late close."
        ),
        "why_now": (
            "Slack and Teams approvals shipped and work; reminders and escalation are the rest of "
            "the job. Customers name late fees as their top complaint after retyping."
        ),
        "metric": "Median time from invoice received to final approval",
        "target": "Under 2 days by 30 June 2027 (6.5 days today)",
        "period": "2027-H1",
        "names": ["approvals", "approval time", "faster approvals"],
    },
    {
        "rank": 4,
        "title": "Get 30% of active customers paying suppliers through Larkspur",
        "why": (
            "Payments close the loop from inbox to paid for the customer and are how the "
            "business grows beyond subscription revenue."
        ),
        "why_now": (
            "Our banking partner is live for ACH; customers who pay through us renew at 97% "
            "against 88% for those who do not."
        ),
        "metric": "Share of active customers with a payment run in the last 30 days",
        "target": "30% by 30 June 2027 (12% today)",
        "period": "2027-H1",
        "names": ["payments", "payments attach", "payment runs"],
    },
    {
        "rank": 5,
        "title": "Get a new customer live in under 3 weeks",
        "why": (
            "Customers who post their first invoice within a month expand; the ones who take a "
            "quarter churn twice as often. Partner-led implementations take longest."
        ),
        "why_now": (
            "Median go-live is 63 days and rising as we sell into larger NetSuite accounts, and "
            "Ledgerline is about to take on a third of our implementations."
        ),
        "metric": "Median days from signed contract to first invoice posted to the ERP",
        "target": "Under 21 days by 30 June 2027 (63 today)",
        "period": "2027-H1",
        "names": ["go-live", "time to go-live", "implementations"],
    },
]

# Each goal's metric measured over time, by goal rank: (days ago, value), oldest first, the last
# being the "today" of its target sentence; and the target as (date, value). Draws its progress.
GOAL_MEASUREMENTS = {
    1: {"unit": "%", "readings": [(300, 33), (240, 35), (180, 36), (120, 38), (60, 40), (0, 41)],
        "target": ("2027-06-30", 70)},
    2: {"unit": "%", "readings": [(300, 6.1), (240, 5.8), (180, 5.9), (120, 5.0), (60, 4.6),
                                  (0, 4.2)],
        "target": ("2026-12-31", 0.5)},
    3: {"unit": "days", "readings": [(240, 8.0), (120, 7.2), (0, 6.5)],
        "target": ("2027-06-30", 2)},
    4: {"unit": "%", "readings": [(180, 9), (90, 11), (0, 12)], "target": ("2027-06-30", 30)},
    5: {"unit": "days", "readings": [(0, 63)], "target": ("2027-06-30", 21)},
}  # fmt: skip


def _status(days_ago: int, old: str, new: str) -> dict:
    return {"days_ago": days_ago, "field": "status", "old": old, "new": new}


def _moved(days_ago: int, old: int, new: int) -> dict:
    return {"days_ago": days_ago, "field": "target_date", "old": old, "new": new}


def _estimate(days_ago: int, old: float, new: float) -> dict:
    return {"days_ago": days_ago, "field": "estimate_weeks", "old": old, "new": new}


def _initiative(
    key,
    title,
    problem,
    goal_rank,
    team,
    status,
    visibility,
    estimate_weeks,
    target_days,
    actual_days=None,
    history=(),
    spent_weeks=None,
):
    return {
        "key": key,
        "title": title,
        "problem": problem,
        "goal_rank": goal_rank,
        "team": team,
        "status": status,
        "visibility": visibility,
        "estimate_weeks": estimate_weeks,
        "target_days": target_days,
        "actual_days": actual_days,
        "history": list(history),
        "spent_weeks": spent_weeks,
    }


# fmt: off
INITIATIVES = [
    # Goal 1: touchless rate
    _initiative(
        "RM-01",
        "Line-item extraction for multi-page invoices",
        "We only read header fields, so any invoice that needs line-level coding is keyed by "
        "hand. Multi-page invoices from wholesalers and utilities are the worst: tables run over "
        "pages and totals never reconcile.",
        1, "Capture", "shipped", "public", 8, -60, -48,
        [_status(210, "planned", "committed"), _status(180, "committed", "in_progress"),
         _moved(95, -81, -60), _status(48, "in_progress", "shipped")], spent_weeks=10,
    ),
    _initiative(
        "RM-02",
        "Capture model v3: learn supplier layouts from corrections",
        "When a customer corrects a field we fix that invoice and learn nothing. The same "
        "supplier's next invoice needs the same correction, month after month.",
        1, "Capture", "in_progress", "internal", 12, 30,
        history=[_status(120, "planned", "committed"), _status(90, "committed", "in_progress"),
                 _moved(20, 9, 30), _estimate(20, 10, 12)], spent_weeks=9,
    ),
    _initiative(
        "RM-03",
        "Auto-code GL account, department and class from invoice history",
        "Even a perfectly captured invoice is touched if someone has to pick the GL account and "
        "department. For most suppliers the coding is the same every month.",
        1, "Capture", "committed", "internal", 6, 75,
        history=[_status(60, "planned", "committed")],
    ),
    _initiative(
        "RM-04",
        "Three-way matching against purchase orders and receipts",
        "Customers who raise POs in NetSuite still match invoices to POs and receipts in a "
        "spreadsheet, so PO-backed invoices are never touchless.",
        1, "Workflow", "planned", "internal", 10, 150,
        history=[_status(70, "exploring", "planned")],
    ),
    _initiative(
        "RM-05",
        "Duplicate invoice detection across entities",
        "Suppliers resend invoices and customers with several entities receive the same invoice "
        "twice. Duplicates get paid, and fear of that is why people check every invoice.",
        1, "Capture", "shipped", "public", 4, -110, -105,
        [_status(200, "planned", "committed"), _status(170, "committed", "in_progress"),
         _status(105, "in_progress", "shipped")], spent_weeks=4,
    ),
    _initiative(
        "RM-06",
        "Supplier portal for invoice submission",
        "A fifth of invoices arrive as photos or forwarded email chains. If suppliers uploaded "
        "them, and could check status themselves, AP would stop answering 'have you paid us?'.",
        1, "Design", "exploring", "internal", 10, 240,
    ),
    # Goal 2: ERP sync reliability
    _initiative(
        "RM-07",
        "NetSuite sync rewrite on SuiteTalk REST with a retry queue",
        "The SOAP-based sync fails on NetSuite's concurrency limits at month end, and a failed "
        "posting is retried by hand. 4.2% of postings fail on the first attempt.",
        2, "Integrations", "in_progress", "internal", 10, 45,
        history=[_status(160, "planned", "committed"), _status(130, "committed", "in_progress"),
                 _moved(60, -20, 10), _moved(18, 10, 45), _estimate(18, 7, 10)],
        spent_weeks=9,
    ),
    _initiative(
        "RM-08",
        "Sync error inbox: every failed posting explained, with a fix",
        "When a posting fails the controller sees a NetSuite error code and emails support. "
        "Most failures are mapping problems the customer could fix in a minute.",
        2, "Integrations", "committed", "partner", 5, 40,
        history=[_status(55, "planned", "committed"), _moved(25, 12, 40)], spent_weeks=1,
    ),
    _initiative(
        "RM-09",
        "NetSuite subsidiaries and custom segments mapping",
        "Larger NetSuite customers run several subsidiaries and custom segments. We posted "
        "everything to the parent, so their accountants re-coded every bill.",
        2, "Integrations", "shipped", "partner", 6, -60, -52,
        [_status(220, "planned", "committed"), _status(190, "committed", "in_progress"),
         _estimate(120, 4, 6), _moved(120, -90, -70), _moved(85, -70, -60),
         _status(52, "in_progress", "shipped")], spent_weeks=8,
    ),
    _initiative(
        "RM-10",
        "Xero multi-currency posting",
        "Xero customers with foreign suppliers post foreign-currency bills by hand because we "
        "convert to home currency at the wrong rate.",
        2, "Integrations", "planned", "internal", 4, 100,
        history=[_status(150, "planned", "committed"), _status(80, "committed", "planned"),
                 _moved(80, 30, 100)],
    ),
    # Goal 3: approval time
    _initiative(
        "RM-11",
        "Approve from Slack and Microsoft Teams",
        "Approvers are department heads who never open Larkspur. Approval emails get buried, "
        "and AP chases them in chat anyway.",
        # Shipped 28 days ago: inside the last full month on every day from the 1st to the
        # 28th, so the demo's monthly update (demo/updates.py) has something shipped.
        3, "Workflow", "shipped", "public", 5, -30, -28,
        [_status(150, "planned", "committed"), _status(110, "committed", "in_progress"),
         _status(28, "in_progress", "shipped")], spent_weeks=5.5,
    ),
    _initiative(
        "RM-12",
        "Approval rules by amount, entity and cost centre",
        "Every customer has an approval matrix in a spreadsheet and AP routes invoices by hand "
        "according to it.",
        3, "Workflow", "shipped", "public", 6, -150, -146,
        [_status(240, "committed", "in_progress"), _status(146, "in_progress", "shipped")],
        spent_weeks=5,
    ),
    _initiative(
        "RM-13",
        "Approver reminders and out-of-office escalation",
        "Half of all approval time is invoices waiting on one person who is busy or on leave. "
        "Nothing nudges them and nothing routes around them.",
        3, "Workflow", "in_progress", "internal", 4, 20,
        history=[_status(60, "planned", "committed"), _status(35, "committed", "in_progress")],
        spent_weeks=2,
    ),
    _initiative(
        "RM-14",
        "Mobile approvals for iOS and Android",
        "Field managers in construction and hospitality approve from their phones, and our "
        "approval page is unusable on one.",
        3, "Workflow", "planned", "internal", 12, 160,
        history=[_status(70, "exploring", "planned")],
    ),
    _initiative(
        "RM-15",
        "Approval cycle-time report for controllers",
        "Controllers know approvals are slow but cannot see where they get stuck, so they cannot "
        "fix their own process.",
        3, "Workflow", "committed", "internal", 3, 50,
        history=[_status(40, "planned", "committed")],
    ),
    # Goal 4: payments
    _initiative(
        "RM-16",
        "ACH payment runs through the banking partner",
        "After approval, customers export a payment file, upload it to their bank and mark bills "
        "paid in the ERP by hand. 'Inbox to paid' stops at 'approved'.",
        4, "Workflow", "in_progress", "internal", 10, 25,
        history=[_status(140, "planned", "committed"), _status(100, "committed", "in_progress"),
                 _moved(45, 5, 25)], spent_weeks=7,
    ),
    _initiative(
        "RM-17",
        "Virtual card payments with rebate share",
        "Many suppliers accept cards; paying them by virtual card earns the customer a rebate "
        "and earns us interchange.",
        4, "Workflow", "planned", "internal", 8, 170,
        history=[_status(75, "exploring", "planned")],
    ),
    _initiative(
        "RM-18",
        "Verify supplier bank details before the first payment",
        "Once we move money, a fraudulent 'please update our bank details' email becomes our "
        "loss. We cannot scale payments without verifying accounts.",
        4, "Platform", "committed", "internal", 5, 55,
        history=[_status(50, "planned", "committed")],
    ),
    _initiative(
        "RM-19",
        "International payments: SEPA and UK Faster Payments",
        "About a third of customers pay some suppliers in EUR or GBP and do it outside Larkspur.",
        4, "Workflow", "exploring", "internal", 14, 300,
    ),
    # Goal 5: time to go-live
    _initiative(
        "RM-20",
        "Self-serve ERP connection wizard",
        "Connecting an ERP takes a call with an implementation manager and often a second one "
        "with the customer's NetSuite admin to fix role permissions.",
        # Due a week after RM-07, whose retry queue it waits for (decision 9, demo/rituals.py).
        5, "Integrations", "in_progress", "partner", 6, 52,
        history=[_status(110, "planned", "committed"), _status(80, "committed", "in_progress"),
                 _moved(50, -5, 14), _moved(15, 14, 52), _estimate(15, 4, 6)], spent_weeks=5,
    ),
    _initiative(
        "RM-21",
        "Import vendor master and open bills on day one",
        "New customers re-create hundreds of suppliers by hand and run two systems for a month "
        "because open bills cannot be brought across.",
        5, "Integrations", "committed", "partner", 5, 70,
        history=[_status(45, "planned", "committed")],
    ),
    _initiative(
        "RM-22",
        "Partner implementation playbook and sandbox workspaces",
        "Ledgerline's implementations take 11 weeks against our 8 because every consultant "
        "works it out anew, and they have nowhere safe to try a configuration.",
        5, "Customer Success", "planned", "partner", 4, 120,
        history=[_status(65, "exploring", "planned")],
    ),
    _initiative(
        "RM-23",
        "Guided setup checklist in the product",
        "New admins do not know what to do after connecting the ERP, and wait for their "
        "implementation call to find out.",
        5, "Design", "exploring", "internal", 3, 130,
    ),
    # No goal
    _initiative(
        "RM-24",
        "SOC 2 Type II audit",
        "Larger prospects' security reviews ask for a Type II report; we have Type I.",
        None, "Platform", "in_progress", "internal", 16, 40,
        history=[_status(130, "planned", "committed"), _status(120, "committed", "in_progress"),
                 _moved(30, 10, 40)], spent_weeks=12,
    ),
    _initiative(
        "RM-25",
        "Sage Intacct connector",
        "Halvorsen Group, a large prospect, runs Sage Intacct; sales says more deals need it.",
        None, "Integrations", "exploring", "internal", 12, 200,
    ),
    _initiative(
        "RM-26",
        "Employee expense reimbursements",
        "Some customers asked to drop their expenses tool and reimburse employees through us.",
        4, "Workflow", "dropped", "internal", 16, 60,
        history=[_status(200, "exploring", "planned"), _status(90, "planned", "dropped")],
    ),
]
# fmt: on

# --- Work items ----------------------------------------------------------------------------
#
# Each group is one tracker and team working on one initiative (or goal, or nothing) between
# `opened` and `closed` days ago. Rows are (status, points, title), oldest first. Keys are
# numbered per tracker in creation order once every group is in.

_STATUS = {"D": "Done", "R": "In Review", "P": "In Progress", "T": "To Do"}
_TRACKERS = {
    "CAP": ("linear", "Capture", 141),
    "WF": ("linear", "Workflow", 312),
    "DES": ("linear", "Design", 38),
    "INT": ("jira", "Integrations", 1184),
    "PLAT": ("jira", "Platform", 617),
    "larkspur/api": ("github", "Platform", 2207),
    "larkspur/web": ("github", "Workflow", 1433),
    "larkspur/infra": ("github", "Platform", 96),
    "larkspur/netsuite-connector": ("github", "Integrations", 188),
}

# (tracker, initiative, goal_rank, opened, closed, rows)
_GROUPS = [
    (
        "CAP",
        "RM-01",
        None,
        200,
        48,
        [
            ("D", 5, "Detect page boundaries and table continuation across multi-page PDFs"),
            ("D", 8, "Line-item table extraction: handle wrapped description cells"),
            ("D", 3, "Carry column headers over to continuation pages"),
            (
                "D",
                3,
                "Reconcile extracted line totals with the invoice subtotal and flag mismatches",
            ),
            ("D", 5, "Line-item review screen: edit rows inline with keyboard navigation"),
            ("D", 3, "Store line items on the invoice record and expose them in API v2"),
            ("D", 2, "Backfill line items for invoices received in the last 90 days"),
            ("D", 5, "Extraction eval set: 1,200 labelled multi-page invoices"),
            ("D", 2, "Fix: VAT lines extracted as line items on German invoices"),
        ],
    ),
    (
        "CAP",
        "RM-02",
        None,
        110,
        0,
        [
            ("D", 3, "Log every field correction with before and after values and supplier ID"),
            ("D", 5, "Supplier layout fingerprinting from first-page features"),
            ("D", 8, "Nightly fine-tune on the correction log"),
            ("D", 5, "Shadow-mode scoring of model v3 against v2 on live traffic"),
            ("R", 3, "Per-supplier confidence thresholds for auto-accept"),
            ("P", 2, "Rollout flag per workspace for model v3"),
            ("P", 3, "Fall back to v2 when the layout fingerprint is unknown"),
            ("T", 3, "Touchless rate by supplier before and after v3"),
            ("T", 2, "Drop learned layouts after 180 days without an invoice"),
            ("T", 3, "Credit notes that reuse the supplier's invoice layout"),
        ],
    ),
    (
        "larkspur/api",
        "RM-02",
        None,
        60,
        0,
        [
            ("D", None, "Include extraction model version in the invoice.captured webhook payload"),
        ],
    ),
    (
        "CAP",
        "RM-03",
        None,
        45,
        0,
        [
            ("D", 3, "Spike: predict GL account from supplier and description history (offline)"),
            ("P", 5, "Coding history store per supplier and entity"),
            ("T", 3, "Suggest department and class on the review screen with confidence"),
            ("T", 5, "Auto-apply coding above 95% confidence when the customer opts in"),
            ("T", 2, "Sync NetSuite class and location lists for coding suggestions"),
        ],
    ),
    (
        "WF",
        "RM-04",
        None,
        60,
        0,
        [
            ("D", 2, "Discovery: interview 8 NetSuite customers about PO matching tolerances"),
            ("T", 3, "Design doc: matching tolerances by amount and quantity"),
            ("T", 5, "Read purchase orders and item receipts from NetSuite"),
        ],
    ),
    (
        "CAP",
        "RM-05",
        None,
        190,
        105,
        [
            ("D", 5, "Fuzzy match on supplier, amount, date and invoice number to flag duplicates"),
            ("D", 3, "Check for duplicates across entities in multi-subsidiary workspaces"),
            ("D", 2, "Duplicate warning banner linking to the original invoice"),
            ("D", 2, "Override a duplicate flag with a required reason, written to the audit log"),
            ("D", 3, "Fewer false positives on recurring monthly invoices with the same amount"),
            ("D", 1, "Duplicate detection counts in the weekly capture report"),
        ],
    ),
    (
        "DES",
        "RM-06",
        None,
        40,
        0,
        [
            ("D", 2, "Research: how six suppliers send invoices to mid-market customers today"),
            ("T", 3, "Prototype a supplier upload page with invoice status lookup"),
        ],
    ),
    (
        "INT",
        "RM-07",
        None,
        150,
        0,
        [
            ("D", 3, "Spike: SuiteTalk REST vs SOAP for vendor bill creation"),
            ("D", 5, "Retry queue with exponential backoff for NetSuite 429 and 5xx responses"),
            ("D", 3, "Idempotency key on vendor bill create to stop duplicate postings"),
            ("D", 2, "Map SOAP fault codes to their REST equivalents"),
            ("D", 5, "Concurrency limit per NetSuite account to respect governance units"),
            ("R", 8, "Move vendor bill posting to REST behind a flag"),
            ("P", 5, "Move attachment upload to the REST file cabinet endpoint"),
            ("P", 5, "Shadow-post to sandbox accounts and diff the results against SOAP"),
            ("T", 8, "Move vendor and payment sync to REST"),
            ("T", 2, "Remove the SOAP client and WSDL cache"),
            ("T", 1, "Runbook: stuck sync jobs after the REST migration"),
            ("T", 3, "Load test month-end volume: 20,000 bills in 4 hours"),
        ],
    ),
    (
        "larkspur/netsuite-connector",
        "RM-07",
        None,
        90,
        0,
        [
            ("D", None, "Pin the SuiteTalk REST API version header"),
            ("P", None, "Log governance-limit response headers on every request"),
        ],
    ),
    (
        "INT",
        "RM-08",
        None,
        50,
        0,
        [
            ("D", 3, "Catalogue the 40 most frequent NetSuite posting errors of the last 6 months"),
            ("P", 5, "Plain-English explanation and suggested fix for each catalogued error"),
            ("T", 5, "Sync error inbox: group failed postings by cause"),
            ("T", 3, "Retry a failed posting from the inbox after fixing the mapping"),
            ("T", 2, "Daily digest of unresolved sync failures to the controller"),
            ("T", 1, "Link each failure type to its help-centre article"),
        ],
    ),
    (
        "DES",
        "RM-08",
        None,
        45,
        0,
        [
            ("D", 3, "Sync error inbox: wireframes for empty, one and hundreds of failures"),
            ("T", 2, "Usability test the sync error inbox with five controllers"),
        ],
    ),
    (
        "INT",
        "RM-09",
        None,
        220,
        52,
        [
            ("D", 3, "Read NetSuite subsidiaries and map each to a Larkspur entity"),
            ("D", 5, "Custom segments on vendor bill lines"),
            ("D", 3, "Mapping screen for custom segments"),
            ("D", 3, "Validate intercompany vendor bills before posting"),
            ("D", 2, "Fix: bill posted to the wrong subsidiary when a vendor belongs to several"),
            ("D", 2, "Skip inactive custom segment values instead of failing the posting"),
            ("D", 1, "Partner guide: configuring subsidiaries and segments"),
            ("D", 2, "Migrate existing single-subsidiary NetSuite workspaces"),
        ],
    ),
    (
        "larkspur/netsuite-connector",
        "RM-09",
        None,
        160,
        60,
        [
            ("D", None, "Custom segment fields on vendor bill line payloads"),
        ],
    ),
    (
        "INT",
        "RM-10",
        None,
        160,
        0,
        [
            ("D", 2, "Spike: Xero multi-currency bills and which exchange rate to use"),
            ("T", 5, "Post foreign-currency bills to Xero at the invoice's rate"),
            ("T", 2, "Show the home-currency amount on the approval screen"),
        ],
    ),
    (
        "WF",
        "RM-11",
        None,
        140,
        38,
        [
            ("D", 5, "Slack app: approve and reject buttons in a direct message"),
            ("D", 3, "Slack: invoice PDF preview and line items in the message"),
            ("D", 5, "Microsoft Teams adaptive card for approvals"),
            ("D", 2, "Link Slack and Teams users to Larkspur approvers by email"),
            ("D", 1, "Require a comment when rejecting from Slack"),
            ("D", 2, "Stale buttons: handle approvals already actioned elsewhere"),
            ("D", 2, "Slack Marketplace review and listing"),
            ("D", 3, "Teams admin consent flow for tenant-wide install"),
            ("D", 2, "Fix: Teams card fails for invoices with more than 50 lines"),
        ],
    ),
    (
        "WF",
        "RM-12",
        None,
        260,
        146,
        [
            ("D", 5, "Rule builder: amount thresholds with several approval steps"),
            ("D", 3, "Rules by entity and cost centre"),
            ("D", 3, "Re-evaluate rules when an invoice is edited, not only when it is created"),
            ("D", 3, "Rule simulator: show who an invoice would be routed to"),
            ("D", 2, "Import an approval matrix from CSV"),
            ("D", 2, "Audit trail of approval rule changes"),
            ("D", 1, "Fix: parallel approvers counted twice towards quorum"),
        ],
    ),
    (
        "WF",
        "RM-13",
        None,
        45,
        0,
        [
            ("D", 2, "Reminder schedule per workspace (default: after 24 hours, then daily)"),
            ("D", 3, "Read out-of-office status from Google Calendar and Outlook"),
            ("R", 3, "Escalate to the approver's manager after 3 days without action"),
            ("P", 5, "Delegate approvals while on leave, with start and end dates"),
            ("P", 2, "Reminder digest: one message per approver, not one per invoice"),
            ("T", 2, "Let controllers reassign a stuck approval in one click"),
            ("T", 1, "Track reminders sent and acted on"),
        ],
    ),
    (
        "larkspur/api",
        "RM-13",
        None,
        30,
        0,
        [
            ("T", None, "approval.escalated webhook event"),
        ],
    ),
    (
        "WF",
        "RM-14",
        None,
        55,
        0,
        [
            ("D", 2, "RFC: native apps or responsive web for mobile approvals"),
            ("T", 5, "Push notification service for approval requests"),
        ],
    ),
    (
        "WF",
        "RM-15",
        None,
        35,
        0,
        [
            (
                "D",
                1,
                "Define cycle-time events: received, submitted, each approval, final approval",
            ),
            ("P", 3, "Backfill cycle-time events from the audit log"),
            ("T", 5, "Controller report: median cycle time by approver and cost centre"),
            ("T", 1, "CSV export of the slowest approvals"),
        ],
    ),
    (
        "WF",
        "RM-16",
        None,
        130,
        0,
        [
            ("D", 5, "Banking partner sandbox: create an ACH credit transfer"),
            ("D", 5, "Payment run: pick approved bills due in the next N days"),
            ("D", 3, "Store supplier bank accounts encrypted with per-workspace keys"),
            ("D", 3, "Second approver required for payment runs above a threshold"),
            ("D", 3, "Mark bills paid in NetSuite and Xero after settlement"),
            ("R", 5, "Handle ACH returns (R01, R03) and reopen the bill"),
            ("P", 2, "Remittance advice email to suppliers"),
            ("P", 3, "Verify the funding account with micro-deposits"),
            ("T", 3, "Daily reconciliation of the partner's settlement report with payment runs"),
            ("T", 2, "Payment run limits per workspace, set by risk review"),
            ("T", 1, "Help article: running your first payment"),
        ],
    ),
    (
        "larkspur/api",
        "RM-16",
        None,
        70,
        0,
        [
            ("P", None, "payment_run.settled and payment.returned webhook events"),
        ],
    ),
    (
        "WF",
        "RM-17",
        None,
        70,
        0,
        [
            ("D", 2, "Spike: the banking partner's virtual card issuing API"),
            ("T", 3, "Find suppliers that accept cards from payment history"),
        ],
    ),
    (
        "PLAT",
        "RM-18",
        None,
        50,
        0,
        [
            ("D", 2, "Compare three bank account verification vendors on coverage and cost"),
            ("P", 5, "Verify account ownership when supplier bank details change"),
            ("T", 3, "Hold the first payment to a new bank account for 24 hours, with an alert"),
            ("T", 2, "Alert the controller when a bank detail change arrives by email"),
        ],
    ),
    (
        "WF",
        "RM-19",
        None,
        30,
        0,
        [
            ("D", 1, "Research: which customers pay EUR and GBP suppliers, and how today"),
        ],
    ),
    (
        "INT",
        "RM-20",
        None,
        100,
        0,
        [
            ("D", 3, "OAuth connection flow for Xero and QuickBooks Online"),
            ("D", 5, "NetSuite token-based auth setup, step by step"),
            ("D", 3, "Detect missing NetSuite role permissions and say which ones"),
            ("R", 5, "Map default expense accounts and tax codes automatically"),
            ("P", 3, "Test posting to the ERP sandbox as the wizard's last step"),
            ("T", 2, "Wizard analytics: where admins drop off"),
            ("T", 2, "Resume a half-finished connection"),
            ("T", 3, "Partner mode: connect on behalf of a customer"),
        ],
    ),
    (
        "larkspur/api",
        "RM-20",
        None,
        40,
        0,
        [
            ("D", None, "POST /v2/erp-connections/{id}/test endpoint"),
        ],
    ),
    (
        "INT",
        "RM-21",
        None,
        40,
        0,
        [
            ("D", 2, "Spike: pull open bills from a NetSuite saved search"),
            ("P", 5, "Import the vendor master with payment terms and default accounts"),
            ("T", 3, "Import open bills and mark them as in flight"),
            ("T", 3, "Dedupe vendors imported from the ERP against existing suppliers"),
            ("T", 2, "Import progress and error page"),
        ],
    ),
    (
        "PLAT",
        "RM-22",
        None,
        40,
        0,
        [
            ("T", 5, "Sandbox workspaces: copy a customer's configuration without its data"),
            ("T", 2, "Seed a sandbox with 50 sample invoices"),
        ],
    ),
    (
        "DES",
        "RM-23",
        None,
        35,
        0,
        [
            ("D", 2, "Map the first 14 days of three recent onboardings"),
            ("P", 3, "Checklist concept: six steps to the first posted invoice"),
        ],
    ),
    (
        "PLAT",
        "RM-24",
        None,
        140,
        0,
        [
            ("D", 2, "Engage the auditor and agree the Type II observation window"),
            ("D", 2, "Quarterly access reviews for production and AWS"),
            ("D", 3, "Enforce MFA for everyone in Google Workspace and GitHub"),
            ("D", 5, "Ship audit logs to a write-once S3 bucket"),
            ("D", 2, "Vendor risk register for our 24 subprocessors"),
            ("P", 3, "Change-management evidence collection in Vanta"),
            ("P", 1, "Background checks for everyone with production access"),
            ("T", 2, "Incident response tabletop exercise"),
            ("T", 5, "Customer-managed keys for database backups"),
            ("T", 3, "Pen test remediation: four medium findings"),
        ],
    ),
    (
        "larkspur/infra",
        "RM-24",
        None,
        120,
        100,
        [
            ("D", None, "Enable Dependabot on every repository and auto-merge patch updates"),
        ],
    ),
    (
        "INT",
        "RM-25",
        None,
        30,
        0,
        [
            ("D", 3, "Spike: Sage Intacct Web Services auth and bill creation"),
            ("T", 2, "Estimate a full Intacct connector (posting, vendors, dimensions)"),
        ],
    ),
    (
        "WF",
        "RM-26",
        None,
        230,
        95,
        [
            ("D", 3, "Spike: receipt capture from phone photos"),
            ("D", 2, "Expense report submission flow: first sketches"),
        ],
    ),
    # Linked straight to a goal: measurement and analysis work
    (
        "CAP",
        None,
        1,
        70,
        10,
        [
            ("D", 3, "Looker: touchless rate per workspace, rolling 30 days"),
            ("D", 2, "Investigate the 20 workspaces with the lowest touchless rate"),
        ],
    ),
    (
        "INT",
        None,
        2,
        65,
        5,
        [
            ("D", 2, "Alert when first-attempt posting failures pass 1% for any account"),
            ("P", 2, "Weekly report: posting failures by ERP and error type"),
        ],
    ),
    (
        "WF",
        None,
        3,
        70,
        20,
        [
            ("D", 2, "Send approval_requested and approval_completed events to Segment"),
            ("D", 1, "Baseline: median approval time per workspace in Q3"),
        ],
    ),
    (
        "WF",
        None,
        4,
        50,
        0,
        [
            ("D", 1, "Track payment run activation in product analytics"),
            ("T", 2, "In-app prompt to try payments for customers with over 200 bills a month"),
        ],
    ),
    (
        "PLAT",
        None,
        5,
        60,
        10,
        [
            (
                "D",
                3,
                "Days from contract signed to first posted invoice (HubSpot plus product data)",
            ),
        ],
    ),
    (
        "INT",
        None,
        5,
        55,
        0,
        [
            ("P", 2, "Onboarding funnel: connected, first invoice, first approval, first posting"),
        ],
    ),
    # Linked to nothing. Integrations: work sold in deals, and chores.
    (
        "INT",
        None,
        None,
        95,
        0,
        [
            (
                "D",
                8,
                "Pinecrest Dental Group: sync to QuickBooks Desktop through the Web Connector",
            ),
            ("D", 5, "Brightwater Foods: remittance files in their bank's BAI2 format"),
            (
                "D",
                3,
                "Fix QuickBooks Desktop connector timeout for Pinecrest (only customer on it)",
            ),
            ("D", 3, "Halvorsen Group: proof-of-concept Intacct bill posting for their demo"),
            ("R", 3, "Halvorsen: SFTP upload of the nightly export to their Intacct server"),
            ("P", 5, "Halvorsen: nightly CSV export of approved bills in Intacct import format"),
            ("T", 3, "Halvorsen: map their 14 Intacct dimensions to Larkspur custom fields"),
            ("T", 3, "Upgrade xero-node from 4.x to 9.x"),
            ("T", 1, "Remove the unused Sage 50 prototype"),
        ],
    ),
    # Capture: a pet project, a deal-specific template, chores.
    (
        "CAP",
        None,
        None,
        120,
        0,
        [
            ("D", 1, "Remove unused feature flags from the 2025 capture experiments"),
            ("D", 5, "Hack week: open-weights vision-language model for header fields"),
            ("D", 3, "Custom extraction templates for Brightwater's three largest suppliers"),
            ("D", 3, "Benchmark a Rust preprocessing pipeline against the Python one"),
            ("P", 8, "Rewrite PDF preprocessing (deskew, denoise) in Rust"),
            ("T", 3, "Upgrade PyTorch 2.1 to 2.5 in the extraction service"),
        ],
    ),
    # Workflow: a pet project, a deal-specific PDF, chores.
    (
        "WF",
        None,
        None,
        100,
        0,
        [
            ("D", 3, "Move approval emails from Mandrill templates to MJML"),
            ("D", 2, "Brightwater Foods: approval PDF with their logo and cost-centre footer"),
            ("D", 1, "Flaky test: ApprovalChain escalation depends on the wall clock"),
            ("P", 5, "Dark mode for the approval inbox"),
            ("T", 2, "Rename 'approval chain' to 'approval flow' across the codebase"),
        ],
    ),
    (
        "larkspur/web",
        None,
        None,
        90,
        0,
        [
            ("D", None, "Replace moment.js with date-fns"),
            ("D", None, "Confetti when the approval inbox reaches zero"),
            ("P", None, "Upgrade React 17 to 18 and fix strict-mode warnings"),
            ("T", None, "Storybook for the design system components"),
        ],
    ),
    # Platform: upgrades, internal tools, infrastructure chores.
    (
        "PLAT",
        None,
        None,
        150,
        0,
        [
            ("D", 8, "Move CI from CircleCI to GitHub Actions"),
            ("D", 5, "Internal admin: impersonate a customer user, with an audit trail"),
            ("D", 3, "Right-size the OCR worker instances to cut the AWS bill"),
            ("D", 2, "Grafana dashboard for Sidekiq queue latency"),
            ("D", 3, "Internal admin: bulk re-run stuck sync jobs (asked for by support)"),
            ("D", 1, "Deploy notifications to #eng-deploys with the changelog"),
            ("D", 5, "Spike: run the workers on Kubernetes"),
            ("P", 8, "Upgrade Rails 7.0 to 7.2"),
            ("T", 5, "Upgrade Postgres 13 to 16 on RDS"),
            ("T", 3, "Replace Sidekiq cron with a scheduled jobs table"),
            ("T", 2, "Terraform: import the hand-made S3 buckets into state"),
        ],
    ),
    (
        "larkspur/api",
        None,
        None,
        80,
        0,
        [
            ("D", None, "Seed script for a realistic sales demo workspace"),
            ("T", None, "Deprecate API v1 endpoints with Sunset headers"),
        ],
    ),
    (
        "larkspur/infra",
        None,
        None,
        60,
        0,
        [
            ("T", None, "Renovate config for Docker base images"),
        ],
    ),
    # Design: marketing's launch asks and housekeeping.
    (
        "DES",
        None,
        None,
        50,
        0,
        [
            ("D", 2, "Design system: rename colour tokens"),
            ("P", 3, "Marketing site illustrations for the 'Larkspur AI' launch"),
        ],
    ),
    # Filed without an epic: they serve a roadmap item, but nothing in the tracker says which.
    # The link suggestions find them.
    (
        "WF",
        None,
        None,
        40,
        0,
        [
            ("D", 3, "Approval rules: route by amount and cost centre"),
            ("T", 2, "Approver reminders: daily digest email of invoices waiting"),
        ],
    ),
    (
        "larkspur/web",
        None,
        None,
        30,
        0,
        [("T", None, "Push notification on iOS and Android when an invoice awaits approval")],
    ),
    ("INT", None, None, 25, 0, [("P", 3, "NetSuite sync: retry failed postings with backoff")]),
]


# Tracker fields for traceability: Jira and Linear work sits under one epic per initiative;
# GitHub has no epics, so issues carry the initiative's key as a label. Chores and deal work carry
# labels a team would use; no mapping names those, so they show on the mappings page to pick from.
_LABELS = {
    "customer-request": ("Pinecrest", "Brightwater", "Halvorsen"),
    "tech-debt": ("Upgrade", "Remove", "Replace", "Rename", "Flaky", "Deprecate", "Renovate"),
}


def _epics() -> dict[tuple[str, str], str]:
    """An epic key for each (tracker, initiative), numbered below the tracker's first item."""
    epics: dict[tuple[str, str], str] = {}
    for tracker, initiative, *_ in _GROUPS:
        if initiative and _TRACKERS[tracker][0] != "github" and (tracker, initiative) not in epics:
            taken = sum(1 for t, _ in epics if t == tracker)
            epics[tracker, initiative] = f"{tracker}-{_TRACKERS[tracker][2] - 1 - taken}"
    return epics


_EPICS = _epics()


def _tracker_fields(tracker: str, initiative: str | None, title: str) -> dict:
    labels = [label for label, words in _LABELS.items() if any(w in title for w in words)]
    if initiative and _TRACKERS[tracker][0] == "github":
        labels.append(initiative)
    return {
        "project": tracker,
        "parent_key": _EPICS.get((tracker, initiative), ""),
        "labels": labels,
    }


# Set once by the product team: these epics and labels serve these initiatives. The build applies
# them, so the items they cover show "linked by a tracker mapping".
TRACKER_MAPPINGS = [
    {"field": "parent", "value": _EPICS["CAP", "RM-02"], "initiative": "RM-02"},
    {"field": "label", "value": "RM-02", "initiative": "RM-02"},
    {"field": "parent", "value": _EPICS["INT", "RM-07"], "initiative": "RM-07"},
]


def _work_items() -> list[dict]:
    items = []
    for tracker, initiative, goal_rank, opened, closed, rows in _GROUPS:
        source, team, _ = _TRACKERS[tracker]
        span = opened - closed
        for index, (status, points, title) in enumerate(rows):
            created = opened - span * index // (len(rows) + 1)
            resolved = None
            if status == "D":
                resolved = min(created, max(closed, 1, created - 3 - 2 * (points or 2)))
            items.append(
                {
                    "source": source,
                    "key": tracker,
                    "title": title,
                    "status": _STATUS[status],
                    "points": points,
                    "created_days_ago": created,
                    "resolved_days_ago": resolved,
                    "team": team,
                    "initiative": initiative,
                    "goal_rank": goal_rank,
                    **_tracker_fields(tracker, initiative, title),
                }
            )
    # Number each tracker's items in creation order, with gaps like a real tracker's.
    items.sort(key=lambda item: (item["key"], -item["created_days_ago"], item["title"]))
    numbers = {tracker: start for tracker, (_, _, start) in _TRACKERS.items()}
    for item in items:
        tracker = item["key"]
        numbers[tracker] += 1 + len(item["title"]) % 4
        separator = "#" if "/" in tracker else "-"
        item["key"] = f"{tracker}{separator}{numbers[tracker]}"
    return items


WORK_ITEMS = _work_items()


# "What did you hear?" (seed 002): a decision whose back-brief got the decision but mostly not
# its reason, one reading that reverses it, and the same question raised again weeks later.
_PAYOUTS_QUESTION = "Should we move supplier payouts from Paycore to a new payments provider?"
HEARD_DECISION = {
    "title": "Payments provider for supplier payouts",
    "question": _PAYOUTS_QUESTION,
    "context": "Paycore has carried our supplier payouts since launch.",
    "category": "vendor",
    "options": [
        {"name": "Move to Stripe Connect", "pros": "Reliable, half the fee", "cons": "Migration"},
        {"name": "Stay with Paycore", "pros": "No migration", "cons": "Outages, fees"},
        {"name": "Build on bank APIs", "pros": "No middleman", "cons": "A year of work"},
    ],
    "outcome": "We are moving supplier payouts from Paycore to Stripe Connect by the end of June.",
    "rationale": (
        "Paycore's outages left supplier payouts failing for three days last quarter, and its "
        "fee per payout is twice Stripe's at our volume."
    ),
    "consequences": (
        "The Workflow team spends six weeks on the migration, and customers see a new "
        "payment-run screen in July."
    ),
    "raised_days_ago": 150,
    "decided_days_ago": 135,
    "owner": "ines.duarte@" + DOMAIN,
    "deciders": ["nadia.karimi@" + DOMAIN, "tomas.ribeiro@" + DOMAIN],
}
# The back-brief: open for a week from the day after the decision, anonymous; before both
# Alignment pulses, which the demo's readers (and tests) take as its latest check-ins.
HEARD_BACK_BRIEF = {"opened_days_ago": 134}
HEARD_ANSWERS = [  # (who, what they heard)
    (
        "sam.whitfield",
        "We're moving payouts to Stripe Connect by June because Paycore keeps going down and "
        "costs twice as much per payout.",
    ),
    (
        "jake.morrison",
        "We're switching to Stripe so sales can say we run on a brand customers trust.",
    ),
    (
        "aisha.rahman",
        "Moving payouts to Stripe, mainly because Stripe has better developer docs and our "
        "engineers asked for it.",
    ),
    (
        "raj.patel",
        "Payouts go to Stripe Connect by the summer; I think it's so we can launch in the US.",
    ),
    (
        "liam.oconnor",
        "We're moving to Stripe because the contract with Paycore was about to expire.",
    ),
    (
        "keisha.thompson",
        "We're staying with Paycore for now; the migration was judged too risky this year.",
    ),
    (
        "zanele.dlamini",
        "We move to Stripe Connect because it lets us offer card payouts, which customers ask for.",
    ),
]
HEARD_INFORMED = [who for who, _ in HEARD_ANSWERS] + ["ahmed.hassan"]  # one did not answer
# Raised again: the same question in other words, still open.
HEARD_AGAIN = {
    "title": "Payments provider, again",
    "question": "Should we switch supplier payouts to a different payments provider?",
    "context": "Support asked again after last week's payout delays.",
    "category": "vendor",
    "raised_days_ago": 8,
    "owner": "keisha.thompson@" + DOMAIN,
}

# --- The glossary (demo/glossary.py): the words Larkspur uses and what each function means ---
# "customer" is read three ways (seed 002): finance bills it, sales sells to it, support helps it.
# The divergence measure misses that one (docs/glossary.md: definitions sharing a topic read as
# alike); "active user" shows the flag, finance's paid seat against support's ticket opener.
GLOSSARY = [
    {
        "name": "customer",
        "owner": "nadia.karimi@" + DOMAIN,
        "canonical": (
            "A company with a paid Larkspur subscription: its finance team uses Larkspur to "
            "capture, approve and pay supplier invoices."
        ),
        "related": ["account", "churn", "active user"],
        "functions": {
            "finance": "The legal entity that pays our invoice: who pays the bill, one billing "
            "account however many subsidiaries it runs.",
            "sales": "The person who decides to buy and signs the order form, usually the CFO or "
            "the controller.",
            "support": "The AP clerks we help day to day: whoever opens a ticket because an "
            "invoice did not capture or a payment run failed.",
            "customer_success": "The finance team we onboard and renew: the controller and their "
            "AP staff together.",
            "product": "The AP team that uses Larkspur every month to approve and pay invoices.",
        },
    },
    {
        "name": "account",
        "owner": "owen.fletcher@" + DOMAIN,
        "canonical": (
            "A customer's billing relationship with Larkspur: one contract and one invoice, "
            "covering any number of entities."
        ),
        "related": ["customer"],
        "functions": {
            "finance": "A billing account in the ledger, one per invoice address.",
            "sales": "A company in the CRM that we are selling to, whether or not it has bought.",
            "engineering": "A login: one user's credentials and settings in a workspace.",
        },
    },
    {
        "name": "active user",
        "owner": "nadia.karimi@" + DOMAIN,
        "canonical": (
            "Someone who captured, approved or paid at least one invoice in Larkspur in the "
            "last 30 days."
        ),
        "related": ["customer"],
        "functions": {
            "product": "Did one of the core actions (capture, approve, pay) in the last 30 days.",
            "marketing": "Anyone who logged in during the month.",
            "finance": "A paid seat, whether or not it is used.",
            "support": "Whoever we help day to day: someone who opened a ticket with us this month.",
        },
    },
    {
        "name": "churn",
        "owner": "tanya.ivanova@" + DOMAIN,
        "canonical": (
            "Customers whose subscription ended in the period, as a share of the customers at "
            "its start."
        ),
        "related": ["customer"],
        "functions": {
            "finance": "Annual recurring revenue lost in the period, downgrades included.",
            "customer_success": "A customer who has told us they will not renew.",
        },
    },
    {
        "name": "launch",
        "owner": "raj.patel@" + DOMAIN,
        "canonical": (
            "The day a capability is on for every customer it is meant for, with its help pages "
            "written and support trained."
        ),
        "related": [],
        "functions": {
            "engineering": "The feature flag is on in production.",
            "marketing": "The announcement goes out: blog post, customer email and release notes.",
            "sales": "The day we may sell it and put it in a contract.",
        },
    },
]


# The decision log (decisions app): one decision blocked for weeks, one drawing more questions
# than objections (unclear, seed 003), one superseded by a later one, one decided in two days,
# one that people understand and disagree with. Comments are sorted by the comment classifier
# after the build (cli.build_and_analyze_demo); "commits" marks a disagree-and-commit.
def _comment(who: str, text: str, commits: bool = False) -> dict:
    return {"author": f"{who}@{DOMAIN}", "text": text, "commits": commits}


DECISIONS = [
    {
        "title": "Flat fee for virtual card payments",
        "question": "How do we charge for virtual card payments?",
        "context": "Virtual cards launch next quarter; finance needs a price before contracts.",
        "category": "pricing",
        "options": [
            {"name": "Flat fee per payment", "pros": "Easy to explain", "cons": "Leaves rebate"},
            {"name": "Share the card rebate", "pros": "Customers earn", "cons": "Harder to model"},
        ],
        "outcome": "A flat fee of 0.5% per virtual card payment.",
        "rationale": "Sales can quote it without a spreadsheet.",
        "consequences": "We keep the whole rebate; customers see a fee.",
        "owner": "helen.zhou",
        "deciders": ["helen.zhou", "grace.adeyemi"],
        "raised_days_ago": 150,
        "decided_days_ago": 131,
        "blocks": [],
        "initiatives": ["RM-17"],
        "goal_ranks": [4],
        "comments": [
            _comment("natalie.brooks", "Great, a flat fee is easy to sell."),
            _comment(
                "liam.oconnor", "Customers will ask why they pay a fee when cards earn us money."
            ),
        ],
    },
    {
        "title": "Share virtual card rebates with customers",
        "question": "How do we charge for virtual card payments, now that rebates are known?",
        "context": "The card partner's rebate turned out to be 1.2%: a fee on top looks greedy.",
        "category": "pricing",
        "options": [
            {"name": "Keep the flat fee", "pros": "Already quoted", "cons": "Loses deals"},
            {
                "name": "Share half the rebate",
                "pros": "Customers earn from paying",
                "cons": "Less margin",
            },
        ],
        "outcome": "No fee on virtual card payments; customers get half of the card rebate.",
        "rationale": (
            "Paying suppliers by card should earn customers money: that is what moves them off "
            "cheques, which is the payments goal."
        ),
        "consequences": "Lower margin per payment; finance reports the rebate share monthly.",
        "owner": "ines.duarte",
        "deciders": ["helen.zhou", "nadia.karimi"],
        "raised_days_ago": 60,
        "decided_days_ago": 41,
        "supersedes": 0,  # index in this list
        "shared_with_partners": True,
        "blocks": [],
        "initiatives": ["RM-17"],
        "goal_ranks": [4],
        "comments": [
            _comment("natalie.brooks", "This makes the pitch much stronger, thank you."),
            _comment("helen.zhou", "I'd rather have kept some fee, but I'm on board.", True),
            _comment(
                "mateo.rossi", "Does the rebate share apply to contracts signed under the flat fee?"
            ),
        ],
    },
    {
        "title": "Approver reminders by email and Slack",
        "question": "Do approver reminders go out by email only, or by Slack too?",
        "context": "Most overdue approvals belong to people who live in Slack.",
        "category": "product",
        "options": [
            {"name": "Email only", "pros": "Simple", "cons": "Ignored"},
            {"name": "Email and Slack", "pros": "Seen", "cons": "Needs the Slack app"},
        ],
        "outcome": "Reminders go by Slack where the approver connected it, otherwise by email.",
        "rationale": "The Slack app already exists for approvals; reminders are where it pays off.",
        "consequences": "Customers without Slack see no change.",
        "owner": "ines.duarte",
        "deciders": ["ines.duarte"],
        "raised_days_ago": 14,
        "decided_days_ago": 12,
        "shared_with_partners": True,
        "blocks": [],
        "initiatives": ["RM-13", "RM-11"],
        "goal_ranks": [3],
        "comments": [
            _comment("keisha.thompson", "Good call, fewer tickets asking why nobody approved."),
            _comment("jun.park", "Makes sense to me, I'll design the Slack message."),
        ],
    },
    {
        "title": "Who owns GL mapping for multi-subsidiary customers",
        "question": "Do subsidiaries map their own GL accounts, or does the parent's finance team?",
        "context": (
            "NetSuite customers with several subsidiaries map custom segments differently. The "
            "subsidiaries mapping shipped with the parent's mapping for everyone; the sync "
            "rewrite cannot settle how it posts each subsidiary's bills until we know whose "
            "mapping wins."
        ),
        "category": "product",
        "options": [
            {
                "name": "Parent maps for everyone",
                "pros": "One truth",
                "cons": "Slow for subsidiaries",
            },
            {"name": "Each subsidiary maps its own", "pros": "Local control", "cons": "Drift"},
        ],
        "owner": "kwame.mensah",
        "deciders": ["kwame.mensah", "nadia.karimi"],
        "raised_days_ago": 47,
        "blocks": ["RM-07"],
        "initiatives": ["RM-09", "RM-07"],
        "goal_ranks": [2],
        "comments": [
            _comment(
                "yusuf.demir",
                "We can't finish posting to subsidiaries in the sync rewrite until this is settled.",
            ),
            _comment(
                "zanele.dlamini",
                "I disagree with letting subsidiaries map their own: every audit I've seen with that setup was painful.",
            ),
            _comment(
                "marcus.bell",
                "Parent-only mapping will not work for Brightwater, their subsidiaries use different charts of accounts.",
            ),
        ],
    },
    {
        "title": "Mobile approvals: native apps or one cross-platform app",
        "question": "Do we build mobile approvals as native iOS and Android apps or one cross-platform app?",
        "context": "Approvers want to approve from their phone; we have one mobile engineer.",
        "category": "architecture",
        "options": [
            {"name": "Native apps", "pros": "Best feel", "cons": "Two codebases"},
            {"name": "Cross-platform", "pros": "One codebase", "cons": "Offline harder"},
        ],
        "owner": "rosa.delgado",
        "deciders": ["rosa.delgado", "tomas.ribeiro"],
        "raised_days_ago": 26,
        "blocks": ["RM-14"],
        "initiatives": ["RM-14"],
        "goal_ranks": [3],
        "comments": [
            _comment(
                "piotr.zielinski",
                "What does cross-platform mean here, React Native or a web app in a wrapper?",
            ),
            _comment(
                "sofia.marchetti",
                "Is this only about approvals, or will invoice capture move to the phone too?",
            ),
            _comment(
                "carlos.mendoza", "Who is deciding this, and by when? Customers keep asking me."
            ),
            _comment("aisha.rahman", "I don't understand whether offline approvals are in scope."),
            _comment(
                "lena.fischer",
                "Native apps for one engineer is a mistake, we can't maintain two codebases.",
            ),
        ],
    },
    {
        "title": "Move Xero multi-currency to next half",
        "question": "Do we build Xero multi-currency posting this half?",
        "context": "NetSuite reliability is the second goal; the Integrations team cannot do both.",
        "category": "roadmap",
        "options": [
            {"name": "Build it now", "pros": "Two deals waiting", "cons": "NetSuite slips"},
            {"name": "Next half", "pros": "NetSuite first", "cons": "Deals may wait"},
        ],
        "outcome": "Xero multi-currency moves to next half; NetSuite reliability comes first.",
        "rationale": "Failed NetSuite postings cost every NetSuite customer; multi-currency two prospects.",
        "consequences": "Two Xero deals slip a quarter; sales tells them this week.",
        "owner": "kwame.mensah",
        "deciders": ["nadia.karimi", "kwame.mensah"],
        "raised_days_ago": 80,
        "decided_days_ago": 58,
        "blocks": [],
        "initiatives": ["RM-10", "RM-07"],
        "goal_ranks": [2],
        "comments": [
            _comment(
                "jake.morrison",
                "I disagree: those two deals are worth more than a quarter of sync fixes.",
            ),
            _comment("carlos.mendoza", "We will lose the Harbour deal over this, I'm against it."),
            _comment("grace.adeyemi", "Not my choice, but I'll back it with the customers.", True),
            _comment("yusuf.demir", "Agreed, NetSuite first is right."),
        ],
    },
]
# A decision taken back, with why (decisions.actions.reverse). Built after the rest of the demo
# (demo/decisions.build_reversed), so every other decision keeps its number.
REVERSED_DECISION = {
    "title": "Charge for approvals from Slack as an add-on",
    "question": "Are approvals from Slack and Teams part of every plan, or a paid add-on?",
    "context": "Approve from Slack ships this quarter; finance asked whether it should earn money.",
    "category": "pricing",
    "options": [
        {"name": "Paid add-on", "pros": "New revenue", "cons": "Fewer approvers use it"},
        {"name": "In every plan", "pros": "Approval time falls", "cons": "No revenue"},
    ],
    "outcome": "Approvals from Slack and Teams are an add-on at $2 per approver a month.",
    "rationale": "Large customers asked for it first and can pay for it.",
    "owner": "helen.zhou",
    "deciders": ["helen.zhou", "ines.duarte"],
    "raised_days_ago": 110,
    "decided_days_ago": 95,
    "reversed_days_ago": 30,
    "reversed_because": (
        "Three of the five pilot customers would not pay for it, so their approvers kept "
        "approving late by email, and approval time is the third goal. Approvals from Slack and "
        "Teams now come with every plan."
    ),
    "blocks": [],
    "initiatives": ["RM-11"],
    "goal_ranks": [3],
    "comments": [
        _comment("liam.oconnor", "Customers keep asking why approving from Slack costs extra."),
        _comment("natalie.brooks", "Good call to drop it, the add-on was stalling two renewals."),
    ],
}


# Two busier months of the log, three decisions each, so the decision speed page's line has
# months it rests on (speed.FEWEST_DECISIONS_A_MONTH): in the summer's planning each took three
# to five weeks; by the autumn they took days. Each is dated by its month, counted back from the
# demo's month, and its day there, so each month keeps its three whatever day the demo is built;
# the later month's last is at least five weeks back, before the published update's period.
def _routine(title, question, options, owner, category, goals, decided_in, took_days, outcome, why):
    return {
        "title": title,
        "question": question,
        "context": "",
        "category": category,
        "options": [{"name": name, "pros": pros, "cons": cons} for name, pros, cons in options],
        "outcome": outcome,
        "rationale": why,
        "owner": owner,
        "deciders": [owner, "nadia.karimi"],
        "decided_in": decided_in,  # (months back, day of that month)
        "took_days": took_days,
        "blocks": [],
        "initiatives": [],
        "goal_ranks": goals,
        "comments": [],
    }


ROUTINE_DECISIONS = [
    _routine(
        "Keep the CSV invoice import",
        "Do we retire the CSV invoice import now that email capture covers it?",
        [("Retire it", "One way in", "Month-end batches"), ("Keep it", "No churn", "Two ways in")],
        "ben.whitaker",
        "product",
        [1],
        (4, 6),
        33,
        "The CSV import stays for existing customers; new customers start on email capture.",
        "Eleven customers still send their month-end batch as CSV; forcing them off it now "
        "would cost more touchless invoices than it saves.",
    ),
    _routine(
        "Default approval rule for new customers",
        "Which approval rule does a new customer start with?",
        [("One approver", "Fast", "Auditors object"), ("Two above 5,000", "Common", "Slower")],
        "ines.duarte",
        "product",
        [5],
        (4, 14),
        24,
        "Two approvers above 5,000 in the customer's currency, one below.",
        "It matches what most customers set up by hand in their first month.",
    ),
    _routine(
        "EU customers' data stays in Frankfurt",
        "Where do EU customers' invoices and payments data live?",
        [
            ("Frankfurt", "Contract term met", "Second region"),
            ("US only", "One region", "Lost deals"),
        ],
        "oliver.grant",
        "architecture",
        [],
        (4, 21),
        36,
        "EU customers are hosted in Frankfurt from their first day; nothing is copied to the US.",
        "Three EU prospects made it a contract term, and moving a tenant later is weeks of work.",
    ),
    _routine(
        "Retrain the capture model weekly",
        "How often do we retrain the capture model on customers' corrections?",
        [("Monthly", "Cheap", "Slow to learn"), ("Weekly, gated", "Learns fast", "More releases")],
        "arjun.mehta",
        "architecture",
        [1],
        (2, 5),
        6,
        "Weekly, released only when it beats the current model on the held-out invoices.",
        "Corrections from last week's new suppliers should help this week's invoices.",
    ),
    _routine(
        "Support hours over month-end close",
        "Do we staff support later in the last days of each month?",
        [
            ("Usual hours", "No rota", "Close fails at night"),
            ("Late at close", "Help when needed", "Rota"),
        ],
        "keisha.thompson",
        "operations",
        [2],
        (2, 13),
        4,
        "Support is staffed until 22:00 CET on the last three working days of each month.",
        "Most failed postings are found during close, in the evening.",
    ),
    _routine(
        "Notice before the v1 API is switched off",
        "How much notice do customers get before the v1 API is switched off?",
        [
            ("Three months", "Sooner", "Partners miss it"),
            ("Six months", "Partners can plan", "Longer"),
        ],
        "kwame.mensah",
        "roadmap",
        [2],
        (2, 22),
        8,
        "Six months' notice by email to every account with a v1 key, then v1 is switched off.",
        "Two ERP partners build on v1 and plan their releases half a year ahead.",
    ),
]

# Asked in a check-in: "In your own words, what does “customer” mean in your work?" Sales (5) and
# engineering (6) clear the anonymity threshold of 5; support (3) and customer success (4) do not,
# so their answers stay hidden together once the results are published.
GLOSSARY_CHECKIN = {
    "title": "What we mean by “customer”",
    "term": "customer",
    "opened_days_ago": 45,
    "closed_days_ago": 38,
    "answers": [
        ("natalie.brooks", "The CFO or controller who signs the order form."),
        ("jake.morrison", "Whoever has the budget and says yes to buying Larkspur."),
        (
            "carlos.mendoza",
            "The economic buyer: usually the head of finance at a mid-market company.",
        ),
        ("emeka.nwosu", "The company evaluating us, led by the person who will sign."),
        ("lauren.hayes", "A finance leader I book a first meeting with."),
        ("mei.tanaka", "A tenant: one organisation's data and users in our system."),
        ("arjun.mehta", "The organisation whose invoices our models read."),
        ("lena.fischer", "A workspace in production with at least one user."),
        ("sam.whitfield", "The AP team using the approval flows we build."),
        ("marcus.bell", "A company whose ERP we sync with."),
        ("oliver.grant", "A tenant we keep up and running."),
        ("keisha.thompson", "The AP clerk on the other end of the ticket."),
        ("ahmed.hassan", "Whoever writes in when a payment run fails."),
        ("julia.becker", "The people we help every day with their invoices."),
        ("tanya.ivanova", "The finance team we renew each year."),
        ("liam.oconnor", "The controller I meet every quarter for a business review."),
        ("zanele.dlamini", "The team we onboard in their first ninety days."),
        ("mateo.rossi", "An account with a renewal date and a health score."),
    ],
}
