from truenorth.analysis.cluster import interpretations
from truenorth.analysis.coherence import effective_interpretations, mean_pairwise_score

CLOSE = [
    "Invoices should flow from the inbox to paid without anyone typing them in.",
    "No more retyping invoices: they go from inbox to payment on their own.",
    "Get every invoice from the inbox to paid with no manual data entry.",
]
AI = [
    "An AI that replaces the accounts payable clerk entirely.",
    "Artificial intelligence replacing the accounts payable clerk, so no clerk is needed.",
]


def test_five_answers_with_two_readings_give_two_groups(embedder):
    texts = CLOSE + AI
    groups = interpretations(embedder.encode(texts), texts)
    assert sorted(g.size for g in groups) == [2, 3]
    assert set(groups[0].members) == {0, 1, 2}
    assert len(groups[0].quotes) == 3 and groups[0].words


def test_one_answer_is_one_group_and_none_is_none(embedder):
    assert [g.size for g in interpretations(embedder.encode(AI[:1]), AI[:1])] == [1]
    assert interpretations(embedder.encode([]), []) == []


def test_answers_that_agree_are_more_coherent_than_answers_that_do_not(embedder):
    agreeing = mean_pairwise_score(embedder.encode(CLOSE))
    mixed = mean_pairwise_score(embedder.encode(CLOSE[:1] + AI))
    assert agreeing > mixed


def test_effective_interpretations():
    assert effective_interpretations([10]) == 1
    assert round(effective_interpretations([1, 1, 1, 1, 1]), 6) == 5
    assert 1 < effective_interpretations([8, 1, 1]) < 3
    assert effective_interpretations([]) == 0
