"""What Larkspur's customers said over the last year: the demo's feedback.

Support tickets from Zendesk, reviews from the Xero, QuickBooks and NetSuite app stores, four
customer interviews split into their needs, and what sales and marketing heard in the field.
Written as customers write, not as product copy. What is planted, for the market level:

- themes the roadmap addresses: NetSuite sync at month end (RM-07, RM-08), approving on a
  phone (RM-14), chasing approvers (RM-13), the same correction every month (RM-02), duplicate
  payments (RM-05), paying from Larkspur (RM-16), faked bank details (RM-18), foreign currency
  (RM-10, RM-19), purchase-order matching (RM-04), Slack approvals (RM-11), Sage Intacct (RM-25);
- one theme nothing on the roadmap addresses: evidence for the auditors (who approved each
  invoice, when, changed by whom, in one export or an auditor's own login), from ten accounts,
  the three largest among them; the model matches some of its items to approval reminders or
  approval time, and the product manager has said "Not this" to each (reject_false_matches);
- psychological needs beside the functional ones: dreading month end, trusting that what is in
  the ERP is what was approved, never paying twice, that nothing gets lost, being seen; five
  from the interviews confirmed as such by the product manager (CONFIRMED_PSYCHOLOGICAL);
- an inbox's noise: praise (filed as praise, so no page counts it as an ask), questions, a
  vague complaint.

Accounts are the ones sales talks to (demo/claims.py), with a few smaller customers; an
account's value is its ARR, or the deal's for a prospect.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model

from truenorth.analysis.needs import addressing
from truenorth.demo.heard import by_local_part
from truenorth.embeddings.cache import cached_embedder
from truenorth.feedback import roadmap
from truenorth.feedback.models import FeedbackItem, Kind, NeedLink, Source, Value
from truenorth.workspaces.figures import bump
from truenorth.workspaces.models import Person, Workspace

PRODUCT_MANAGER = "pm"  # the demo login (content.LOGINS) who reads the themes page

# name: (segment, yearly value in dollars)
ACCOUNTS = {
    "Harbourline Logistics": ("Enterprise", 148_000),
    "Halvorsen Group": ("Enterprise", 140_000),  # prospect, on Sage Intacct
    "Tidewater Foods": ("Enterprise", 126_000),
    "Brightwater Hotels": ("Mid-market", 72_000),
    "Alder & Finch": ("Mid-market", 64_000),  # prospect, on Sage Intacct
    "Ridgeway Health Partners": ("Mid-market", 60_000),  # prospect, met at a conference
    "Fennick Construction": ("Mid-market", 58_000),
    "Pinebrook Clinics": ("Mid-market", 52_000),
    "Corvid Dental Group": ("Mid-market", 46_000),
    "Quillon Software": ("Mid-market", 38_000),
    "Oakhaven Property Management": ("Mid-market", 34_000),
    "Marlow Outdoor": ("SMB", 21_000),
    "Pinecrest Dental Group": ("SMB", 18_000),
    "Sable Ridge Wineries": ("SMB", 16_000),
    "Northgate Veterinary": ("SMB", 12_000),
    "Kestrel Print Co.": ("SMB", 9_600),
}


def _item(source, key, days_ago, account, kind, text, title="", **extra) -> dict:
    return {
        "source": source,
        "source_key": key,
        "days_ago": days_ago,
        "account": account,
        "kind": kind,
        "title": title,
        "text": text,
        **extra,
    }


def _ticket(number: int, days_ago: int, account: str, kind: str, subject: str, text: str):
    return _item(Source.ZENDESK, str(number), days_ago, account, kind, text, subject)


def _review(key: str, days_ago: int, rating: int, title: str, text: str, kind=Kind.NEED):
    # Reviewers sign with a first name at most: no account, no value.
    return _item(Source.APP_REVIEW, key, days_ago, "", kind, text, title, rating=rating)


def _interview(name: str, days_ago: int, account: str, who: str, by: str, needs: list):
    """One interview's notes, one item a need (or a (kind, text) pair: what an interviewee
    praised is no need), keyed as an imported interview file's."""
    said = [need if isinstance(need, tuple) else (Kind.NEED, need) for need in needs]
    return [
        _item(Source.INTERVIEW, f"{name}#{n}", days_ago, account, kind, text,
              f"Interview: {account}, {who}", by=by)
        for n, (kind, text) in enumerate(said, start=1)
    ]  # fmt: skip


def _note(days_ago: int, account: str, by: str, kind: str, text: str, competitor: str = ""):
    """`by`: the salesperson or marketer who heard it, their email before the @."""
    return _item(Source.FIELD, "", days_ago, account, kind, text, by=by, competitor=competitor)


TICKETS = [
    _ticket(31184, 350, "Harbourline Logistics", Kind.PROBLEM, "Invoice stuck on Posting",
            "hi, the DSV bill has been stuck on 'Posting' since yesterday. netsuite shows "
            "nothing. can someone look asap, month end is friday"),
    _ticket(31307, 335, "Pinebrook Clinics", Kind.QUESTION, "Change forwarding address",
            "Where do I change the email address our suppliers send invoices to? We moved to a "
            "new domain."),
    _ticket(31452, 320, "Corvid Dental Group", Kind.PROBLEM, "We paid an invoice twice",
            "We just found out we paid Henry Schein twice in March. Same invoice number, once "
            "for Corvid North and once for Corvid South. How did Larkspur not catch this?? I "
            "need to know this can't happen again, my CFO is asking me the same."),
    _ticket(31690, 300, "Tidewater Foods", Kind.PROBLEM, "Bills posted to wrong subsidiary",
            "All our UK bills went to the parent subsidiary AGAIN. My accountant is re-coding "
            "~200 bills by hand. Third month in a row."),
    _ticket(31778, 290, "Fennick Construction", Kind.REQUEST, "approve from phone",
            "our site supers cant approve on their phones, page is tiny and the approve button "
            "is off the screen. they just text me 'ok' and i approve for them which kind of "
            "defeats the point"),
    _ticket(31960, 270, "Harbourline Logistics", Kind.PROBLEM, "Multi page invoices",
            "The freight invoices from DSV are 6-7 pages and you only read the total on page "
            "1, so we key every line ourselves. Is line item reading coming or not?"),
    _ticket(32115, 255, "Marlow Outdoor", Kind.PROBLEM, "EUR bills wrong in Xero",
            "bill from our italian supplier for EUR 4,200 lands in Xero at the wrong rate, not "
            "the invoice date rate. every EUR bill is off by a few $ and our bookkeeper fixes "
            "them one by one"),
    _ticket(32260, 240, "Brightwater Hotels", Kind.QUESTION, "Approvals per hotel",
            "Can we send invoices from each hotel to that hotel's GM first, and then to group "
            "finance when it's over $5k?"),
    _ticket(32401, 225, "Pinebrook Clinics", Kind.PROBLEM, "What does INVALID_KEY_OR_REF mean",
            "Got 'INVALID_KEY_OR_REF' on 14 bills overnight. What does it mean and how do I fix "
            "it? nobody here knows netsuite that well and I don't want to break something."),
    _ticket(32555, 210, "Quillon Software", Kind.PROBLEM, "Same correction every month",
            "Every month the AWS invoice comes in with the tax field empty and I fix it. Every. "
            "Month. Can it not remember?"),
    _ticket(32671, 196, "Harbourline Logistics", Kind.QUESTION, "Approval evidence for auditors",
            "Our external auditors picked 60 invoices from the year and want proof of who "
            "approved each one and when. The only way I found is opening each invoice and "
            "screenshotting the activity tab?? Is there an export of approvals somewhere? "
            "They want it by Friday."),
    _ticket(32790, 185, "Oakhaven Property Management", Kind.PROBLEM, "Invoices sitting for weeks",
            "Invoices sit with one of our regional managers for 2-3 weeks. We got a late fee "
            "from the power company again. Is there any way to remind people automatically?"),
    _ticket(32944, 170, "Tidewater Foods", Kind.PROBLEM, "Sync failing at month end",
            "Every month end around the 28th we get dozens of 'request limit exceeded' errors "
            "from NetSuite and someone has to retry them one by one. I stay late every close "
            "because of this."),
    _ticket(33058, 160, "Kestrel Print Co.", Kind.PROBLEM, "slow",
            "The app has been really slow lately and honestly kind of confusing since the "
            "update. Not sure what changed."),
    _ticket(33190, 150, "Pinebrook Clinics", Kind.REQUEST, "Paying from Larkspur",
            "After approving we download the NACHA file, upload it to the bank portal, then mark "
            "each bill paid in NetSuite. 3 systems for one payment. When can we just pay from "
            "Larkspur?"),
    _ticket(33312, 138, "Alder & Finch", Kind.REQUEST, "Report of all approvals",
            "For our SOX walkthrough I need every approval with approver, timestamp and amount "
            "for the quarter. The activity log only goes back 30 days on screen? Need an export "
            "the auditors will accept."),
    _ticket(33420, 125, "Northgate Veterinary", Kind.QUESTION, "Fake bank details email",
            "We got an email from a 'supplier' asking us to update their bank account. It was "
            "fake, luckily our bookkeeper phoned them first. Does Larkspur check bank details at "
            "all? This really scared us."),
    _ticket(33502, 118, "Corvid Dental Group", Kind.REQUEST, "GL coding every time",
            "Dental supplies ALWAYS go to 5100 and the practice's department. Why do I have to "
            "pick it every single time"),
    _ticket(33655, 104, "Pinebrook Clinics", Kind.PROBLEM, "No record of who changed amount",
            "Our auditor noticed an invoice amount was changed after it was approved and there is "
            "no record of who changed it or when. This is a big problem for us, we have to be "
            "able to show that."),
    _ticket(33733, 95, "Brightwater Hotels", Kind.PROBLEM, "Invoices missing?",
            "Sysco says we owe them 3 invoices from July. I can't find them anywhere in "
            "Larkspur. Did they never arrive or did they get lost? I need to know nothing is "
            "getting lost in there."),
    _ticket(33810, 88, "Quillon Software", Kind.QUESTION, "SOX audit prep",
            "we're preparing for our first SOX audit (IPO next year). we have to show every "
            "approval and every change to a vendor, with who did it. can larkspur export that "
            "or do we build it from screenshots"),
    _ticket(33901, 80, "Harbourline Logistics", Kind.PROBLEM, "Sync error explanation",
            "NetSuite rejected 9 bills last night with 'Invalid subsidiary reference'. Larkspur "
            "just shows the code. Had to open a ticket to learn it was a mapping I could have "
            "fixed myself in a minute."),
    _ticket(34066, 66, "Sable Ridge Wineries", Kind.QUESTION, "approve in slack?",
            "is there a way to approve invoices in slack? our winemaker never logs in"),
    _ticket(34180, 55, "Fennick Construction", Kind.PROBLEM, "Approver on vacation",
            "Our PM is on leave for 2 weeks and 40 invoices are stuck with him. Had to ask you "
            "guys to reassign them. There should be a backup approver or something"),
    _ticket(34315, 40, "Oakhaven Property Management", Kind.PRAISE, "Thanks!",
            "Just wanted to say thanks to Ahmed for fixing our sync issue in 10 minutes. Great "
            "support."),
    _ticket(34402, 30, "Tidewater Foods", Kind.PROBLEM, "Close week again",
            "It's close week and 23 bills failed to post overnight. This is the part I hate: I "
            "never know if what's in NetSuite matches what we approved until I check every one."),
    _ticket(34561, 18, "Marlow Outdoor", Kind.QUESTION, "1099s?",
            "do you guys do 1099s at year end? someone on your sales team said yes but I cant "
            "find it anywhere"),
    _ticket(34633, 6, "Pinecrest Dental Group", Kind.PROBLEM, "QuickBooks Desktop not syncing",
            "Web connector timed out again, nothing has synced since Tuesday."),
    _ticket(34670, 3, "Brightwater Hotels", Kind.PROBLEM, "Slack approve button expired",
            "Slack approve button says 'expired' on invoices older than 7 days. The GMs click it "
            "and nothing happens, then they think it's approved."),
]  # fmt: skip

REVIEWS = [
    _review("xero-5521", 340, 4, "Saves hours",
            "Saves my team hours every week, capture is spot on for most suppliers. Docking a "
            "star because foreign currency bills still need fixing by hand.", Kind.PRAISE),
    _review("qbo-2290", 310, 2, "Approvals on mobile are painful",
            "Our managers are never at a desk. Approving on a phone means pinch zooming and "
            "hoping you hit the right button. Please make a real app."),
    _review("xero-5874", 280, 5, "Finally stopped retyping invoices",
            "Finally stopped retyping invoices!!", Kind.PRAISE),
    _review("suiteapp-118", 245, 2, "Unreliable at month end",
            "Works fine 25 days a month and then falls over exactly when we need it. Close week "
            "= babysitting failed postings. I dread the last day of the month."),
    _review("qbo-2417", 215, 3, "Good but I still check everything",
            "Capture is good, but I got burned by a duplicate payment once so I still check every "
            "single invoice. Would love to actually trust it."),
    _review("xero-6102", 190, 4, "Nice, approvals could be faster",
            "Easy to set up. Our approvers forget and invoices sit for days, would love "
            "automatic nudges."),
    _review("suiteapp-131", 160, 3, "Great capture, nothing for audit",
            "Capture and coding are great. But come audit time you're on your own, no way to "
            "pull the approval trail for a sample of invoices. We rebuilt it in Excel."),
    _review("qbo-2603", 120, 1, "meh", "confusing. support took 3 days", Kind.PROBLEM),
    _review("xero-6388", 95, 4, "It should learn",
            "Love it except I correct the same supplier every month. It should learn by now."),
    _review("suiteapp-149", 70, 5, "Line items finally",
            "Line item capture on our 10 page utility bills actually works now. Big time saver "
            "for coding.", Kind.PRAISE),
    _review("qbo-2788", 45, 4, "Would pay suppliers through it if...",
            "Would move all our supplier payments here if we could pay by card and get cashback "
            "like Tallybook does."),
    _review("xero-6710", 20, 5, "Slack approvals = game changer",
            "Our approvers never opened the app. Now they approve in Slack in 2 seconds, approval "
            "time went from a week to a day.", Kind.PRAISE),
    _review("suiteapp-163", 8, 2, "Setup took forever",
            "Took us 3 months to go live, mostly fighting NetSuite role permissions between your "
            "team and our admin."),
]  # fmt: skip

INTERVIEWS = [
    *_interview("harbourline-ap-lead.md", 205, "Harbourline Logistics", "AP lead", "ola.nowak", [
        "Freight invoices are six pages of lines and each line goes to a different job code. Two "
        "people spend their Mondays keying them.",
        "When the auditors come I feel like I'm defending the system instead of my team's work. "
        "I want to press one button and hand them everything.",
        "The night before close I don't sleep well. If 30 bills didn't post, I find out at 7am "
        "from the controller.",
        "Approvers are ops managers, they live in Slack. If it's not in Slack it doesn't exist "
        "for them.",
        "I want to see where invoices get stuck, which approver and for how long, so I can show "
        "the CFO it isn't AP being slow.",
    ]),
    *_interview("tidewater-controller.md", 140, "Tidewater Foods", "controller", "ines.duarte", [
        "We pay forty-odd suppliers in the UK and Europe. Those payments happen outside "
        "Larkspur, on the bank portal, from a spreadsheet.",
        "Audit season is the worst three weeks of my year. I'm never sure the trail will hold "
        "up: the invoice, who coded it, who approved it, when it was paid, all in one place.",
        "I need to trust that what's in NetSuite is what was approved. Right now I reconcile it "
        "myself, because I don't.",
        "Our POs live in NetSuite and the matching is a spreadsheet. Anything with a PO is "
        "manual, and that's most of the food invoices.",
        "Coding is the same every month for 80% of suppliers. Let it suggest and I'll just "
        "check.",
    ]),
    *_interview("fennick-ap-and-pm.md", 78, "Fennick Construction",
                "AP specialist and a project manager", "ola.nowak", [
        "Site supers approve from the truck. If it isn't one tap on the phone it waits till "
        "Friday.",
        "Subs call me every day asking if they've been paid. Half my morning is 'have you paid "
        "us'. Let them look it up themselves.",
        "When a sub emails new bank details I get a knot in my stomach. I call them every time, "
        "but I'd love the system to tell me it's legit.",
        "Our auditors pull 40 invoices per job and want the approval on each one. I spend days "
        "printing.",
    ]),
    *_interview("corvid-finance-director.md", 32, "Corvid Dental Group", "finance director",
                "ben.whitaker", [
        (Kind.PRAISE, "Every practice gets the same supplier invoices. Since the duplicate "
         "check came in I've stopped waking up at night thinking we paid Henry Schein twice."),
        "Practice managers aren't finance people. They need to approve on their phone between "
        "patients.",
        "Our auditors sample invoices from every practice. I need to find each one with its "
        "approval, fast, without asking anyone.",
        "I want the practice managers to feel it's their budget, not finance chasing them. A "
        "nudge from the tool, not from me.",
    ]),
]  # fmt: skip

_NOTES = [
    _note(330, "Halvorsen Group", "natalie.brooks", Kind.REQUEST,
          "Needs a native Sage Intacct connector, won't consider a CSV export. 14 dimensions."),
    _note(300, "Alder & Finch", "lauren.hayes", Kind.OBJECTION,
          "CFO: 'no SOC 2 Type II, our security team won't even start the review.'"),
    _note(285, "Brightwater Hotels", "natalie.brooks", Kind.COMPARISON,
          "Also looking at Invoxa. Says Invoxa does 3-way PO matching out of the box, that's "
          "their main reason to look elsewhere.", "Invoxa"),
    _note(260, "Fennick Construction", "jake.morrison", Kind.REQUEST,
          "Mobile approvals for site supers, asked twice on the call."),
    _note(240, "Harbourline Logistics", "emeka.nwosu", Kind.REQUEST,
          "Wants approvals inside Slack. AP lead: 'our ops managers will never log into another "
          "tool'."),
    _note(220, "Tidewater Foods", "carlos.mendoza", Kind.REQUEST,
          "Pay UK/EU suppliers in GBP and EUR from Larkspur. Today they wire from the bank "
          "portal."),
    _note(205, "Quillon Software", "lauren.hayes", Kind.COMPARISON,
          "Moving off Tallybook. Tallybook gives them 1% cashback on card spend, asked if we "
          "match it.", "Tallybook"),
    _note(190, "Halvorsen Group", "natalie.brooks", Kind.OBJECTION,
          "Their internal audit lead asked how we evidence segregation of duties and give "
          "auditors the approval trail. We had no answer, she called it a blocker."),
    _note(175, "Pinebrook Clinics", "jake.morrison", Kind.OBJECTION,
          "Heard from a peer at another clinic group that Larkspur 'breaks every month end'. "
          "Worried about NetSuite sync, had to talk them down."),
    _note(160, "Ridgeway Health Partners", "chloe.dubois", Kind.COMPARISON,
          "At the AP & Finance Summit booth, 3 people said Invoxa 'has the auditors built in': "
          "an auditor login and an evidence export. Came up more than PO matching.", "Invoxa"),
    _note(150, "Tidewater Foods", "carlos.mendoza", Kind.REQUEST,
          "Controller asked if auditors can get their own read-only login limited to a date "
          "range. Today they email PDFs back and forth for two weeks every January."),
    _note(140, "Oakhaven Property Management", "raj.patel", Kind.QUESTION,
          "Webinar Q&A: do we read invoices that come through AppFolio?"),
    _note(125, "Marlow Outdoor", "natalie.brooks", Kind.REQUEST,
          "Xero multi-currency: their bookkeeper fixes every EUR bill. Reason they haven't rolled "
          "us out to the EU entity."),
    _note(110, "Alder & Finch", "natalie.brooks", Kind.OBJECTION,
          "'We run Sage Intacct and we're not moving to NetSuite.' No Intacct, no deal."),
    _note(100, "Brightwater Hotels", "emeka.nwosu", Kind.REQUEST,
          "Group finance wants a PDF pack per hotel per month, each invoice with its approval "
          "stamp, for the auditors. Their clerk prints them one by one today."),
    _note(85, "Fennick Construction", "jake.morrison", Kind.OBJECTION,
          "Go-live worries: their last tool took 4 months. Want their 600 vendors and open bills "
          "in on day one."),
    _note(70, "Corvid Dental Group", "carlos.mendoza", Kind.COMPARISON,
          "Invoxa showed them a mobile app with push approvals. We lost that part of the demo.",
          "Invoxa"),
    _note(60, "Quillon Software", "lauren.hayes", Kind.PRAISE,
          "Loved the approval rules demo. Head of Finance: 'this is exactly our spreadsheet'."),
    _note(45, "Sable Ridge Wineries", "emily.sanders", Kind.PRAISE,
          "Case study call: the owner said the best part is 'not lying awake wondering if a bill "
          "got paid twice'."),
    _note(33, "Ridgeway Health Partners", "raj.patel", Kind.COMPARISON,
          "Said Invoxa flags changed bank details and calls the vendor to confirm. Asked what we "
          "do.", "Invoxa"),
    _note(25, "Tidewater Foods", "carlos.mendoza", Kind.OBJECTION,
          "Renewal risk: controller says sync failures at close cost her a weekend every month. "
          "Wants a date for the fix in writing."),
    _note(12, "Pinebrook Clinics", "jake.morrison", Kind.REQUEST,
          "Wants ACH runs to go out straight after approval, asked for a date."),
    _note(5, "Oakhaven Property Management", "lauren.hayes", Kind.REQUEST,
          "Their new AP manager didn't know what to do after connecting QuickBooks and waited a "
          "week for the onboarding call. Wants a checklist in the app."),
]  # fmt: skip
FIELD_NOTES = [{**note, "source_key": f"note-{n}"} for n, note in enumerate(_NOTES, start=1)]

ITEMS = TICKETS + REVIEWS + INTERVIEWS + FIELD_NOTES

# The product manager read the interviews and confirmed which needs are about how the product
# makes people feel, whatever the model suggests: an editor's word, as on the themes page.
CONFIRMED_PSYCHOLOGICAL = (
    "When the auditors come I feel like I'm defending the system",
    "The night before close I don't sleep well.",
    "Audit season is the worst three weeks of my year.",
    "I need to trust that what's in NetSuite is what was approved.",
    "When a sub emails new bank details I get a knot in my stomach.",
)


def confirmed_value(text: str) -> str:
    psychological = text.startswith(CONFIRMED_PSYCHOLOGICAL)
    return Value.PSYCHOLOGICAL if psychological else ""


def asks_for_audit_evidence(text: str) -> bool:
    """One of the planted unaddressed need's items: evidence for the auditors (not the SOC 2
    report RM-24 delivers)."""
    text = text.lower()
    return "audit" in text and "soc 2" not in text


def reject_false_matches(workspace: Workspace, items: list[FeedbackItem]) -> int:
    """The product manager's "Not this" on everything the model suggests for the auditors'
    requests: approval reminders and approval time are not an approval trail. Kept per item, as
    the themes page keeps it (NeedLink). Returns the number of links."""
    asking = [item for item in items if asks_for_audit_evidence(item.text)]
    embedder = cached_embedder()
    targets = roadmap.targets_of(workspace)
    suggested = addressing(
        embedder.encode([item.text for item in asking]), targets, embedder.encode
    )
    editor = get_user_model().objects.filter(username=PRODUCT_MANAGER).first()
    links = [
        NeedLink(
            item=item,
            accepted=False,
            decided_by=editor,
            **{f"{targets[n].kind}_id": targets[n].pk},  # initiative_id or goal_id
        )
        for item, found in zip(asking, suggested, strict=True)
        for n in sorted(found)
    ]
    NeedLink.objects.bulk_create(links)
    bump(workspace.pk)  # bulk writes send no signal: the kept themes are grouped afresh
    return len(links)


def build_feedback(
    workspace: Workspace, people: dict[str, Person], today: date
) -> list[FeedbackItem]:
    """Create the demo's feedback, dated back from today, and the product manager's word on
    what the model wrongly matches to the auditors' requests."""
    local = by_local_part(people)
    items = FeedbackItem.objects.bulk_create(
        FeedbackItem(
            workspace=workspace,
            source=item["source"],
            source_key=item["source_key"],
            kind=item["kind"],
            title=item["title"],
            text=item["text"],
            account=item["account"],
            segment=ACCOUNTS[item["account"]][0] if item["account"] else "",
            account_value=Decimal(ACCOUNTS[item["account"]][1]) if item["account"] else None,
            received_on=today - timedelta(days=item["days_ago"]),
            heard_by=local[item["by"]] if item.get("by") else None,
            competitor=item.get("competitor", ""),
            rating=item.get("rating"),
            value=confirmed_value(item["text"]),
        )
        for item in ITEMS
    )
    reject_false_matches(workspace, items)
    return items
