"""A check-in's report reads each answer's relation to the vision as its fidelity does: against
the parts and the vision's statement alike."""

from truenorth.analysis import fidelity
from truenorth.analysis.report import (
    STATEMENT,
    Question,
    Respondent,
    analyze_checkin,
    not_english_note,
    source_parts,
)

# The demo's vision statement with a time added: a different number is a contradiction whatever
# the classifier says (quantities.conflicts), so the test does not hang on its weights.
STATEMENT_TEXT = (
    "Every supplier invoice a mid-market finance team receives goes from inbox to paid within 2 "
    "days, without anyone retyping it, so a small AP team can close the month on time."
)
SLOWER = STATEMENT_TEXT.replace("2 days", "10 days")
PARTS = {
    "destination": "By the end of 2028, 80% of the invoices our customers receive are captured, "
    "coded, approved, posted to their ERP and paid with no manual keying, and an AP team of three "
    "handles the volume that used to need eight.",
    "user_benefit": "They close the month days sooner, pay every supplier on time without late "
    "fees, and trust that what is in the ERP is what was approved.",
    "horizon": "End of 2028",
}
RETYPED = (
    "Every supplier invoice a mid-market finance team receives will still be retyped and chased "
    "with an approver by hand, so the AP team must keep growing to close the month on time."
)
FAITHFUL = (
    "No more manual data entry or approval chasing for payables teams in mid-market companies: "
    "invoices go straight from the inbox to payment, and a small team closes the month on time "
    "no matter how fast the company grows."
)
TRANSLATIONS = [
    "Cada factura de proveedor que recibe un equipo financiero de tamaño medio pasa de la bandeja "
    "de entrada a pagada sin que nadie la vuelva a teclear ni persiga a un aprobador.",
    "Jede Lieferantenrechnung, die ein mittelständisches Finanzteam erhält, geht vom Posteingang "
    "bis zur Zahlung, ohne dass jemand sie abtippt oder einem Genehmiger hinterherläuft.",
    "Chaque facture fournisseur reçue par une équipe financière de taille moyenne passe de la "
    "boîte de réception au paiement sans ressaisie ni relance d'un approbateur.",
    "Ogni fattura fornitore ricevuta da un team finanziario di medie dimensioni passa dalla "
    "casella di posta al pagamento senza che nessuno la riscriva o insegua un approvatore.",
    "Każda faktura od dostawcy trafia ze skrzynki do zapłaty bez ręcznego przepisywania i bez "
    "ganiania osoby zatwierdzającej, aby mały zespół księgowy zamknął miesiąc na czas.",
]


def vision(answers: list[str]) -> Question:
    by_id = {f"p{i}": text for i, text in enumerate(answers)}
    return Question("q1", "Our vision, in your words?", "vision", STATEMENT_TEXT, by_id, PARTS)


def readings(embedder, answers: list[str]) -> list[fidelity.Reading]:
    parts = source_parts(vision(answers))
    return fidelity.read_all(answers, parts, embedder.encode, STATEMENT_TEXT)


def test_a_verbatim_copy_of_the_vision_conveys_it(embedder):
    (copy,) = readings(embedder, [STATEMENT_TEXT])
    assert copy.fidelity >= fidelity.UNDERSTANDS
    assert copy.summary is not None and copy.summary.name == "conveys"
    assert copy.relation == "conveys"


def test_a_contradiction_that_lowers_a_score_is_counted_as_one(embedder):
    """Contradicting the statement alone (not a part) cut a score to 0 while the shares said
    the answer conveyed the vision in part."""
    found = readings(embedder, [SLOWER, RETYPED, FAITHFUL, STATEMENT_TEXT])
    for reading in found:
        targets = [*reading.parts.values(), reading.summary]
        best = max(r.score for r in targets if r is not None)
        if reading.fidelity < best:  # a contradiction discounted it
            assert reading.relation == "contradicts"
        assert (reading.relation == "conveys") == (reading.fidelity >= fidelity.UNDERSTANDS)
    assert found[0].relation == "contradicts"
    assert found[0].summary is not None and found[0].summary.name == "contradicts"


def test_the_report_shows_the_statement_beside_the_parts_and_its_shares_agree(embedder):
    answers = [STATEMENT_TEXT] * 5 + [SLOWER] * 5 + [FAITHFUL] * 5 + TRANSLATIONS
    people = [Respondent(f"p{i}", {"function": "finance"}) for i in range(len(answers))]
    direction = {p.id: 5 for p in people}
    report = analyze_checkin(people, [vision(answers)], [], direction, 5, embedder)
    question = report["questions"][0]
    statement = [p for p in question["parts"] if p["key"] == STATEMENT]
    assert statement == [
        {"key": STATEMENT, "label": "the vision statement", "text": STATEMENT_TEXT}
    ]
    shares = question["part_coverage"][STATEMENT]
    assert shares["contradicts"] >= 5 / len(answers)  # the five that say 10 days
    assert question["relations"]["contradicts"] >= shares["contradicts"]
    # Every answer agrees with the direction: understanding and agreeing is conveying it.
    aligned = report["quadrant"]["counts"]["aligned"] / len(answers)
    assert question["relations"]["conveys"] == round(aligned, 3) >= 5 / len(answers)
    assert question["not_english"] == len(TRANSLATIONS)
    assert not_english_note(question) == (
        "5 answers look not to be in English: the model reads English only, so they count as not "
        "conveying the vision."
    )
