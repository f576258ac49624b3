"""Two closed Alignment pulses for the Larkspur demo, a quarter apart, with people's own answers.

Pure data, read by ``truenorth.demo.build``. Questions, in order: the vision in your own words;
the top three priorities; why your current work matters; "I believe this is the right
direction" (1-5); anything else (optional).

The current vision (``content.VISION_VERSIONS[-1]``): every supplier invoice a mid-market finance
team receives goes from inbox to paid without anyone retyping it or chasing an approver, so a
small AP team can close the month on time as the company grows. The goals, in rank order:
touchless rate to 70%, ERP (NetSuite) sync failures below 0.5%, approvals under 2 days, 30% of
customers on payments, go-live under 3 weeks.

What is planted in ``ANSWERS`` (latest pulse: 35 of the 41 people asked; the partner is never
asked and never answers):

- Coherent team: Workflow (Ines, Rosa, Sam, Aisha, Piotr; five people, so it clears an anonymity
  threshold of 5) restate the vision closely and name the same top three: touchless rate,
  NetSuite sync, approvals under 2 days.
- Divergent function: all five of sales (and the CRO, Grace) describe the vision as "AI that
  replaces the AP clerk", fully autonomous with no AP headcount: consistent among themselves,
  not what the vision says (it promises 70-80% touchless and a small team, not no team).
- Faux alignment: answer 5 on direction but restate something else: Lena (best OCR), Yusuf
  (connect to every ERP), Diego (enterprise-ready), Liam (all-in-one spend management), Chloé
  (AI-first finance platform), Grace and the sales team (AI replaces the AP clerk).
- Informed dissent: Marcus (Integrations) and Tanya (Customer Success) restate the vision
  accurately, answer 2, and say why in the comment (Integrations overloaded by deal work; small
  QuickBooks customers dropped without the trade-off being said).
- Shadow priority: "SOC 2 Type II" is named by 15 people (sales, Platform, support, CS and
  others) but is no official goal; the "Sage Intacct connector" for the Halvorsen deal is a
  second, smaller one (sales and Yusuf).
- Small groups: Design (3), Support (2 answered), Leadership (2 answered), finance (1) fall
  under an anonymity threshold of 5.
- Parts of the vision: Workflow restates where we are going and who gains what; Capture (Ben,
  Mei, Arjun, Lena, Chidi) restates where we are going and how progress is measured but never
  what customers gain (closing sooner, no late fees, an ERP they can trust); three of the five
  salespeople promise "100% of invoices" with no human touch, a different number from the
  destination's 80%, so sales contradicts the destination.
- Non-respondents: Tomás, Hana, Emily, Mateo, Owen and Julia.

``PREVIOUS_ANSWERS`` (a quarter earlier, 26 answers, when vision v2 was current) are vaguer and
more scattered: Workflow did not agree then, fewer people could name the same priorities, and
direction scores were lower; sales told the same AI story, and SOC 2 was already a shadow
priority. So the trend from the previous pulse to the latest one is better alignment overall,
with sales unmoved.
"""

DOMAIN = "larkspur.io"

PULSE = {
    "title": "Alignment pulse — Q4 2026",
    "opened_days_ago": 20,
    "closed_days_ago": 6,
    "anonymous": True,
}

PREVIOUS_PULSE = {
    "title": "Alignment pulse — Q3 2026",
    "opened_days_ago": 110,
    "closed_days_ago": 96,
    "anonymous": True,
}


def _answer(
    who: str, vision: str, priorities: str, why_my_work: str, direction: int, comment: str = ""
) -> dict:
    return {
        "email": f"{who}@{DOMAIN}",
        "vision": vision,
        "priorities": priorities,
        "why_my_work": why_my_work,
        "direction": direction,
        "comment": comment,
    }


ANSWERS = [
    # --- Workflow: the coherent team -------------------------------------------------------
    _answer(
        "ines.duarte",
        "Every invoice a mid-market finance team gets should go from inbox to paid without "
        "anyone retyping it or chasing approvers, so a small AP team can keep up as the "
        "company grows.",
        "1. Touchless rate to 70%\n2. NetSuite sync failures under 0.5%\n"
        "3. Median approval under 2 days",
        "I own approvals and payments. Approvals are where invoices sit for days, so cutting "
        "cycle time is the most direct way we get to 'inbox to paid' without the chasing.",
        4,
        "Payments attach is #4 but it takes a lot of my time. Would like us to say out loud "
        "that it's OK for it to trail the top three.",
    ),
    _answer(
        "rosa.delgado",
        "Invoices go from inbox to paid with nobody retyping them or chasing approvers. Small AP "
        "teams at mid-market companies close the month sooner and pay suppliers on time, without "
        "hiring as they grow.",
        "touchless 70%, NetSuite sync reliability, approvals in under 2 days",
        "Workflow owns approval routing and reminders. Every day an invoice waits for an "
        "approver is a day closer to a late fee for our customer.",
        5,
    ),
    _answer(
        "sam.whitfield",
        "Get invoices from the inbox to paid without retyping or chasing anyone, for mid-market "
        "AP teams on NetSuite/Xero/QBO, so they stop paying late fees and trust their ERP.",
        "1) touchless rate 2) sync reliability (NetSuite) 3) approval cycle time < 2 days",
        "I'm building escalation for when an approver is out of office. Stuck approvals are the "
        "biggest chunk of cycle time.",
        4,
        "Clearer than last quarter. The one-pager with the 5 goals helped.",
    ),
    _answer(
        "aisha.rahman",
        "No retyping invoices and no chasing approvers - inbox to paid for mid-market finance "
        "teams, so the AP team doesn't have to grow with the company.",
        "- touchless rate 70%\n- NetSuite sync\n- approvals under 2 days",
        "I'm on reminders and the Slack/Teams follow-ups. If approvers can act where they "
        "already are, invoices don't sit for a week.",
        5,
    ),
    _answer(
        "piotr.zielinski",
        "Invoices flow from inbox to paid automatically, without retyping or chasing approvers, "
        "so small AP teams at mid-size companies can scale.",
        "Touchless to 70%, reliable NetSuite sync, approvals < 2 days median",
        "approval cycle-time report - controllers can finally see where approvals get stuck, "
        "which is goal 3.",
        4,
        "would be nice to hear more about how payments fits in",
    ),
    # --- Capture -------------------------------------------------------------------------
    _answer(
        "ben.whitaker",
        "By 2028, 80% of invoices captured, coded and posted without anyone touching them; the "
        "touchless rate is how we measure it.",
        "1. touchless rate 41 -> 70%  2. NetSuite first-attempt posting  3. approvals under 2 days",
        "Capture is the front of the funnel for touchless. If extraction is wrong, everything "
        "downstream gets touched.",
        4,
        "I'd love sales to stop saying 'no humans needed'. Touchless is 70%, not 100%.",
    ),
    _answer(
        "arjun.mehta",
        "Make capture accurate enough that most invoices never get touched by a person between "
        "the inbox and the ERP.",
        "touchless rate, line-item accuracy, NetSuite sync",
        "Model v3 learns supplier layouts from corrections. Every correction we learn from is "
        "one fewer touch next month.",
        4,
        "Would be good to get labelled data back from CS faster.",
    ),
    _answer(
        "lena.fischer",
        "Have the most accurate invoice OCR on the market so we beat the competition on "
        "extraction.",
        "1. OCR accuracy 2. line items 3. SOC 2",
        "I'm on the Rust preprocessing pipeline, which will make extraction a lot faster.",
        5,
    ),
    _answer(
        "mei.tanaka",
        "Inbox to paid with no manual keying: capture, coding, approval and posting to the ERP "
        "all touchless, measured by the touchless rate and first-time posting.",
        "Touchless 70%, NetSuite sync, go-live under 3 weeks",
        "Capture accuracy is the biggest lever on the touchless rate; my team's roadmap is "
        "basically goal 1.",
        4,
        "We lose about a day a sprint to customer-specific requests that come in through sales. "
        "Not sure anyone tracks it.",
    ),
    _answer(
        "chidi.okonkwo",
        "Most invoices should be captured and posted without anyone keying them in; the "
        "touchless rate is how we know we are getting there.",
        "touchless rate, line-item accuracy, SOC 2",
        "I work on line-item extraction. Every line we read right is an invoice nobody has to "
        "fix by hand.",
        4,
    ),
    # --- Integrations --------------------------------------------------------------------
    _answer(
        "kwame.mensah",
        "Invoices get from inbox to paid with no retyping and no chasing, for mid-market teams. "
        "For us that means ERP sync has to be boring.",
        "1. NetSuite sync reliability 2. touchless 3. onboarding under 3 weeks (connection wizard)",
        "If posting to NetSuite fails, the invoice wasn't touchless no matter how good capture "
        "was. The sync rewrite is the floor everything else stands on.",
        3,
        "We've moved the sync rewrite date twice. Part of that is us, part is the "
        "Halvorsen/Intacct work that landed in the middle of the quarter.",
    ),
    _answer(
        "marcus.bell",
        "Any invoice a mid-market finance team receives should go from inbox to paid with "
        "nobody retyping it or chasing approvers, so a small AP team can keep up as the company "
        "grows.",
        "touchless 70%, NetSuite sync under 0.5% failures, approvals under 2 days",
        "I'm on the NetSuite sync rewrite. That's goal 2, and honestly the precondition for "
        "goal 1.",
        2,
        "I understand the vision and I like it. I don't believe the plan. Integrations is three "
        "engineers carrying goal 2, half of goal 5 and whatever connector sales sold this month "
        "(Intacct for Halvorsen). Our dates have slipped again and again. Take something off us "
        "or move the 0.5% target.",
    ),
    _answer(
        "yusuf.demir",
        "Connect Larkspur to every ERP our customers use so we can win any deal.",
        "Sage Intacct connector, NetSuite sync rewrite, SOC 2",
        "Halvorsen needs Intacct to sign and it's a big logo.",
        5,
    ),
    # --- Platform ------------------------------------------------------------------------
    _answer(
        "oliver.grant",
        "From inbox to paid without retyping, for mid-market finance teams. I think. Honestly "
        "Platform mostly hears about SOC 2.",
        "SOC 2 Type II, supplier bank verification, NetSuite sync",
        "SOC 2 Type II is blocking enterprise deals, and payments needs bank verification before "
        "we move real money.",
        4,
        "SOC 2 isn't on the goals list but it's eating most of my team. Is it a priority or not?",
    ),
    _answer(
        "fatima.benali",
        "Automate AP end to end for mid-market companies so their finance teams don't need to "
        "grow.",
        "1. SOC 2 type 2\n2. uptime during month-end close\n3. touchless",
        "Month-end is when everyone posts to their ERP at once. If we fall over then, nothing "
        "else matters.",
        4,
    ),
    _answer(
        "diego.alvarez",
        "Become enterprise-ready: SOC 2, SSO, audit logs, so we can sell to much bigger companies.",
        "SOC 2 Type II, SSO/SCIM, audit log export",
        "Every enterprise security questionnaire we fail costs a deal.",
        5,
    ),
    # --- Product -------------------------------------------------------------------------
    _answer(
        "nadia.karimi",
        "Every supplier invoice a mid-market finance team receives goes from inbox to paid "
        "without anyone retyping it or chasing an approver, so a small AP team can close on "
        "time as the company grows.",
        "1. Touchless rate 41% -> 70%\n2. NetSuite first-attempt failures below 0.5%\n"
        "3. Median approval under 2 days",
        "I'm accountable for the goals. My job this quarter is keeping the teams on them and "
        "saying no to everything else.",
        4,
        "A 4 because I know Integrations is overloaded and I haven't fixed that yet.",
    ),
    # --- Design (three people: under an anonymity threshold of 5) -------------------------
    _answer(
        "sofia.marchetti",
        "Help AP clerks and controllers at mid-sized companies get invoices paid without "
        "retyping or chasing people. Less busywork, faster close.",
        "touchless rate, the sync error inbox (making failures understandable), approvals",
        "I'm designing the sync error inbox. Right now a failed posting shows a NetSuite error "
        "code and the controller emails support.",
        4,
    ),
    _answer(
        "jun.park",
        "Making AP less painful for finance teams? Automating invoices end to end.",
        "1 touchless 2 approvals in slack 3 onboarding checklist",
        "Onboarding checklist, which should get new customers live faster.",
        3,
        "Design gets pulled between four squads, hard to go deep on anything.",
    ),
    _answer(
        "ola.nowak",
        "An AP specialist at a mid-market company shouldn't retype invoices or chase approvers. "
        "Invoices go from inbox to paid, and the team doesn't need to grow as volume grows.",
        "touchless rate, approval time, time to go-live",
        "I run the interviews with AP specialists; what I hear feeds the touchless and approval "
        "work directly.",
        4,
        "Customers keep asking about SOC 2 in interviews too, fwiw.",
    ),
    # --- Sales: a different vision, held consistently -----------------------------------
    _answer(
        "natalie.brooks",
        "AI that processes 100% of invoices with no human touch, so customers can run accounts "
        "payable without an AP clerk.",
        "SOC 2 Type II, Sage Intacct connector (Halvorsen), international payments",
        "I close the deals that pay for everything. Halvorsen alone is $140k ARR.",
        5,
        "We lose deals in security review. SOC 2 Type II has to be done by Q1.",
    ),
    _answer(
        "jake.morrison",
        "Larkspur is the AI AP clerk - customers don't need to hire AP staff, the AI does the "
        "invoice processing for them.",
        "1. SOC 2 2. Sage Intacct 3. virtual cards",
        "Hitting my number. Prospects love the AI story.",
        5,
    ),
    _answer(
        "carlos.mendoza",
        "Replace the AP clerk with AI. 100% touchless invoices, no headcount needed.",
        "soc2, intacct integration, more AI features for demos",
        "I sell it :)",
        5,
        "Need a roadmap I can show customers, the one we have is too vague",
    ),
    _answer(
        "emeka.nwosu",
        "Fully automated AP with AI: 100% of invoices captured, approved and paid with no manual "
        "keying, so a company needs no AP team. That's the pitch anyway.",
        "SOC 2 Type II; Sage Intacct connector; PO matching",
        "I run the demos and the security questionnaires. Half my week is questionnaires we "
        "can't answer with a yes.",
        4,
        "In demos we say the AI replaces your AP clerk; product keeps saying 70% touchless. "
        "Those aren't the same promise and customers notice during onboarding.",
    ),
    _answer(
        "lauren.hayes",
        "AI-powered AP automation that touches 100% of your invoices so you can replace your AP "
        "clerk and cut costs",
        "SOC 2, Intacct, payments",
        "I book meetings for the AEs, more pipeline = more revenue",
        5,
    ),
    # --- Leadership and finance ----------------------------------------------------------
    _answer(
        "maya.lindqvist",
        "Every invoice a mid-market finance team receives goes from inbox to paid without "
        "retyping or chasing approvers. A three-person AP team should handle what used to take "
        "eight.",
        "Touchless 70%, NetSuite reliability, payments attach",
        "Payments is how this becomes a big business; touchless is why customers stay.",
        5,
    ),
    _answer(
        "grace.adeyemi",
        "The AI platform that takes accounts payable off the finance team's plate: fully "
        "autonomous AP for mid-market now and enterprise next.",
        "1. SOC 2 Type II 2. Payments revenue 3. Intacct and more ERPs",
        "Pipeline is strong but we need SOC 2 and Intacct to convert the upmarket deals.",
        5,
        "Product needs to move faster on what the market is asking for.",
    ),
    _answer(
        "helen.zhou",
        "Let mid-market AP teams pay suppliers on time without adding people: invoices come in, "
        "get approved and get paid with no rekeying. We use it ourselves.",
        "touchless rate, payments attach (revenue), NetSuite sync",
        "I model payments revenue and watch burn. Payments attach is what changes our margin.",
        4,
        "I'd like the cost of the SOC 2 audit and the Halvorsen custom work tracked against "
        "something. Right now it isn't.",
    ),
    # --- Marketing -----------------------------------------------------------------------
    _answer(
        "chloe.dubois",
        "To be the AI-first finance automation platform for the modern CFO.",
        "Larkspur AI launch campaign, SOC 2 badge on the website, payments",
        "We're repositioning the brand around AI this quarter, with the Larkspur AI launch in "
        "January.",
        5,
    ),
    _answer(
        "raj.patel",
        "Inbox-to-paid AP for mid-market teams on NetSuite, Xero and QuickBooks: no retyping, "
        "no chasing approvers.",
        "touchless rate, NetSuite sync, payments attach",
        "I write launch messaging and the sales battlecards. Trying to get '70% touchless, not "
        "100%' into the deck.",
        4,
        "Sales and marketing tell a different story from product on 'AI'. I'm fixing the deck "
        "but leadership needs to say which story is true.",
    ),
    # --- Customer success ----------------------------------------------------------------
    _answer(
        "tanya.ivanova",
        "Every invoice goes from inbox to paid with no retyping and no chasing approvers, for "
        "mid-market finance teams on NetSuite, Xero and QuickBooks, so a small AP team can keep "
        "up with growth.",
        "touchless 70%, NetSuite sync, approvals under 2 days",
        "My team turns the vision into renewals. The NetSuite customers renewing in Q1 are the "
        "ones with the most sync pain.",
        2,
        "I get why we're going mid-market, but nobody has said what happens to our ~300 small "
        "QuickBooks customers. They're 40% of logos, nothing on the roadmap is for them, and "
        "their churn is up from 2% to 3.5% a month. Make that trade-off out loud, not by "
        "default.",
    ),
    _answer(
        "liam.oconnor",
        "All-in-one spend management: AP, cards and expenses, so finance teams only need one tool.",
        "SOC 2, expenses, NetSuite sync",
        "My accounts keep asking for expenses so they can drop Expensify.",
        5,
    ),
    _answer(
        "zanele.dlamini",
        "Take the manual work out of AP: invoices captured, approved, posted to the ERP and paid "
        "without retyping. For mid-sized finance teams.",
        "go-live under 3 weeks, NetSuite sync, touchless",
        "Implementations take 9 weeks, mostly waiting on ERP mapping and vendor imports. A "
        "day-one import would cut weeks.",
        4,
        "Partner-led implementations (Ledgerline) take longer than ours, would be good to "
        "understand why.",
    ),
    # --- Support -------------------------------------------------------------------------
    _answer(
        "keisha.thompson",
        "Fewer manual steps for AP teams, from getting the invoice to paying it.",
        "NetSuite sync errors!!, SOC 2, approvals",
        "38% of our tickets last quarter were sync failures. Every fix there gives my team hours "
        "back.",
        3,
        "we hear about releases from customers before we hear about them internally sometimes",
    ),
    _answer(
        "ahmed.hassan",
        "automate AP so customers dont have to type in invoices and can get them into "
        "netsuite/xero without errors",
        "1 sync reliability 2 touchless 3 soc2",
        "I triage sync failures and write the workarounds until engineering fixes them",
        4,
    ),
]

PREVIOUS_ANSWERS = [
    # Workflow did not agree a quarter ago.
    _answer(
        "ines.duarte",
        "Automate accounts payable for growing companies so finance teams spend less time on "
        "invoices.",
        "Launch payments, Slack approvals, NetSuite subsidiaries",
        "Payments is the big bet for the year and approvals feed it.",
        4,
    ),
    _answer(
        "rosa.delgado",
        "Automate AP for growing companies.",
        "approval rules, payments, expenses",
        "Approval rules are the most requested feature from customers.",
        3,
        "Hard to plan when expenses is on and off the roadmap every other week.",
    ),
    _answer(
        "sam.whitfield",
        "Honestly not sure. Something about AI and saving finance teams time?",
        "Slack approvals, payments, not sure about the third",
        "Slack approvals. Customers asked for it.",
        3,
    ),
    _answer(
        "aisha.rahman",
        "Make approvals easy for everyone, not just finance people",
        "1. approvals in Slack 2. mobile app 3. payments",
        "I'm building the Slack app so approvers don't have to log in.",
        4,
    ),
    # Capture
    _answer(
        "ben.whitaker",
        "Save finance teams time by automating invoice processing, starting with capture.",
        "line items, duplicate detection, payments",
        "Line items are the #1 reason invoices need a human.",
        4,
        "The vision says 'growing companies' - we sell to 20-person startups and 2,000-person "
        "groups, and they need very different things.",
    ),
    _answer(
        "arjun.mehta",
        "Best AI for invoices.",
        "line item extraction, model accuracy, hiring another ML engineer",
        "Extraction accuracy drives everything else.",
        4,
    ),
    _answer(
        "mei.tanaka",
        "Automate AP for growing companies so they spend less time on invoices. Pretty broad.",
        "line items, NetSuite subsidiaries, SOC 2",
        "Line-item extraction unblocks our bigger customers.",
        3,
        "We say yes to too many things.",
    ),
    # Integrations
    _answer(
        "kwame.mensah",
        "Automate AP end to end for growing companies on QuickBooks, Xero and NetSuite.",
        "NetSuite subsidiaries, Xero multi-currency, QuickBooks Desktop for Pinecrest",
        "Integrations is what makes us sticky; nobody rips out a tool that posts to their ERP.",
        3,
    ),
    _answer(
        "marcus.bell",
        "Help finance teams spend less time on invoices. That's not really a destination though.",
        "NetSuite, NetSuite, NetSuite",
        "The SOAP sync falls over at every month end and I'm the one who gets paged.",
        3,
        "'Less time on invoices' can justify anything, which is how we ended up building a "
        "QuickBooks Desktop connector for one customer.",
    ),
    # Platform
    _answer(
        "oliver.grant",
        "Be the AP platform for growing companies.",
        "SOC 2 Type II, CI migration, on-call load",
        "Keeping the lights on while everyone ships faster.",
        3,
    ),
    _answer(
        "diego.alvarez",
        "Move upmarket and win enterprise customers.",
        "SOC 2 Type II, SSO, pen test",
        "Security reviews are the bottleneck in big deals.",
        5,
    ),
    # Product
    _answer(
        "nadia.karimi",
        "Automate AP for growing companies so their finance teams spend less time on invoices. "
        "We're rewriting this; it doesn't say who or by when.",
        "1. Line items 2. Payments 3. NetSuite depth",
        "Getting the strategy written down properly this quarter.",
        3,
        "Expect a sharper vision and ranked goals before the next pulse.",
    ),
    # Design
    _answer(
        "sofia.marchetti",
        "Make AP software people don't hate.",
        "approvals, payments, design system",
        "Approval rules UI, which customers currently set up over a call with CS.",
        4,
    ),
    _answer(
        "jun.park",
        "not sure we have one written down? automate AP",
        "slack approvals, line items, ?",
        "Line-item review screen",
        3,
    ),
    # Sales: the same AI story as now.
    _answer(
        "natalie.brooks",
        "AI that does accounts payable for you, so you don't need an AP clerk.",
        "SOC 2, QuickBooks Desktop (Pinecrest), payments",
        "Closing Q3. Pinecrest only signs if we do QuickBooks Desktop.",
        5,
    ),
    _answer(
        "jake.morrison",
        "Replace manual AP with AI, no AP hire needed.",
        "SOC 2, payments, AI",
        "Quota.",
        5,
    ),
    _answer(
        "carlos.mendoza",
        "AI AP clerk for companies that don't want to hire one",
        "soc 2 / expenses / payments",
        "selling",
        4,
    ),
    _answer(
        "emeka.nwosu",
        "AI-driven AP automation that removes the need for AP staff.",
        "SOC 2 Type II, NetSuite subsidiaries, expenses",
        "Demos and security questionnaires.",
        4,
    ),
    _answer(
        "lauren.hayes",
        "AI that replaces your AP clerk",
        "SOC 2, payments, AI",
        "booking meetings",
        5,
    ),
    # Leadership and finance
    _answer(
        "maya.lindqvist",
        "Automate AP for growing companies, then own the payment.",
        "Payments, SOC 2, line items",
        "Raising the Series B on the payments story.",
        4,
    ),
    _answer(
        "grace.adeyemi",
        "Autonomous AP powered by AI, for every size of company.",
        "SOC 2 Type II, payments, expenses",
        "Revenue.",
        5,
    ),
    _answer(
        "helen.zhou",
        "Spend less time on invoices. We use it for our own AP.",
        "payments, SOC 2, cost control",
        "Budgeting for the payments launch.",
        3,
    ),
    # Marketing
    _answer(
        "chloe.dubois",
        "The AI-first AP platform for modern finance teams.",
        "brand refresh, AI messaging, G2 reviews",
        "Pipeline generation.",
        5,
    ),
    # Customer success and support
    _answer(
        "tanya.ivanova",
        "Automate AP for growing companies. I'd struggle to say more than that.",
        "NetSuite sync, expenses, onboarding time",
        "Renewals. Sync problems are the top reason accounts go red.",
        3,
        "Every team seems to have a different top priority.",
    ),
    _answer(
        "liam.oconnor",
        "One place for all company spend.",
        "expenses, SOC 2, payments",
        "Keeping my accounts happy.",
        5,
    ),
    _answer(
        "keisha.thompson",
        "automating invoices",
        "sync errors, SOC 2, duplicate detection",
        "Support volume from sync failures is crushing us.",
        3,
    ),
]
