"""The demo tells one story: decision 9 says the ERP connection wizard ships after the retry
queue, so the wizard is due after it, and the decision links both; the first update's note
promises nothing that an earlier update did not say."""


def test_the_wizard_is_due_after_the_retry_queue_it_waits_for(db, built_demo):
    wizard = built_demo.initiatives.get(title="Self-serve ERP connection wizard")
    queue = built_demo.initiatives.get(title__contains="with a retry queue")
    assert wizard.target_date > queue.target_date
    decision = built_demo.decisions.get(title="ERP connection wizard waits for the retry queue")
    assert "ships after the retry queue" in decision.outcome
    assert set(decision.initiatives.all()) == {wizard, queue}


def test_the_first_update_speaks_of_no_earlier_one(db, built_demo):
    first = built_demo.updates.filter(published_at__isnull=False).order_by("number").first()
    assert first.number == 1
    assert "last month" not in first.partner_note and "last month" not in first.narrative
