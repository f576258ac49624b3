"""Answers likely not written in English: the model reads English only."""

import pytest

from truenorth.analysis.language import likely_not_english

from .test_fidelity_report import FAITHFUL, RETYPED, TRANSLATIONS


@pytest.mark.parametrize("text", TRANSLATIONS)
def test_a_translation_of_the_vision_is_flagged(text):
    assert likely_not_english(text)


@pytest.mark.parametrize(
    "text",
    [
        FAITHFUL,
        RETYPED,
        "Invoices.",
        "Automation.",
        "Something about AI, I think?",
        "Honestly our vision is free pizza on Fridays and a ping-pong table in every office, lol.",
        "Sync invoices to NetSuite, Xero and QuickBooks without errors.",
        "Our café-style résumé of the plan: no rekeying, ever.",
    ],
)
def test_english_answers_short_or_long_are_not(text):
    assert not likely_not_english(text)
