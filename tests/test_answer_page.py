"""The personal link's answer page: a labelled 1–5 scale, a box per priority saved as one answer
the analysis reads as before, the time it takes, and errors a screen reader hears."""

import html
import re
import zoneinfo
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import team_of
from truenorth.analysis.priorities import split_items
from truenorth.checkins.actions import create_alignment_pulse, issue_links
from truenorth.checkins.forms import AT_LEAST_ONE_PRIORITY, AnswerForm, scale_wording
from truenorth.checkins.models import Answer, Kind, Question, Response
from truenorth.workspaces.models import Function

ANSWERS = {
    "q1": "Finance teams close their books in three days.",
    "q2_0": "Faster close",
    "q2_1": "  Fewer   manual touches ",
    "q2_2": "SOC 2 for enterprise",
    "q3": "Sync reliability is what makes the close fast.",
    "q4": "4",
    "q5": "",
}


@pytest.fixture
def pulse(workspace, users):
    """Asked of the logins' four people and two more: at least the threshold, so that its
    results can be shown and the page says how (with fewer, it says none will be)."""
    team_of(workspace, "Crew", Function.ENGINEERING, 2)
    now = timezone.now()
    return create_alignment_pulse(
        workspace, "Q4 pulse", now - timedelta(days=1), now + timedelta(days=7)
    )


@pytest.fixture
def answer_page(pulse, client):
    """The answer page's address, opened as the page's script opens a personal link."""
    link = issue_links(pulse)[0]
    assert client.post("/c/open/", {"link": link.token}).status_code == 302
    return "/c/"


def priorities_answer() -> str:
    return Answer.objects.get(question__role="priorities").text


def test_it_saves_each_priority_on_its_own_line_as_the_analysis_reads_them(answer_page, client):
    response = client.post(answer_page, ANSWERS, follow=True)
    assert "your answers are saved" in response.content.decode()
    saved = priorities_answer()
    assert saved == "Faster close\nFewer manual touches\nSOC 2 for enterprise"
    assert split_items(saved) == ["Faster close", "Fewer manual touches", "SOC 2 for enterprise"]


def test_empty_boxes_are_left_out(answer_page, client):
    client.post(answer_page, {**ANSWERS, "q2_0": "", "q2_2": ""})
    assert priorities_answer() == "Fewer manual touches"


def test_a_form_opened_before_the_boxes_still_saves_its_one_box(answer_page, client):
    one_box = {k: v for k, v in ANSWERS.items() if not k.startswith("q2_")}
    client.post(answer_page, {**one_box, "q2": "1. Faster close 2. Sync"})
    assert priorities_answer() == "1. Faster close 2. Sync"


def test_an_answer_written_in_one_box_opens_in_the_three(answer_page, client):
    one_box = {k: v for k, v in ANSWERS.items() if not k.startswith("q2_")}
    client.post(answer_page, {**one_box, "q2": "1. Faster close 2. Sync 3. SOC 2 4. Pricing"})
    page = client.get(answer_page).content.decode()
    boxes = re.findall(r'name="q2_\d"[^>]*value="([^"]*)"', page)
    assert boxes == ["Faster close", "Sync", "SOC 2; Pricing"]  # the rest in the last box
    # Saved again unchanged, the analysis reads the same four priorities.
    assert split_items("\n".join(boxes)) == ["Faster close", "Sync", "SOC 2", "Pricing"]


def test_a_saved_answer_comes_back_in_its_boxes(answer_page, client):
    client.post(answer_page, ANSWERS)
    page = client.get(answer_page).content.decode()
    assert re.search(r'name="q2_1"[^>]*value="Fewer manual touches"', page)
    assert re.search(r'name="q2_2"[^>]*value="SOC 2 for enterprise"', page)


def test_each_number_of_the_scale_is_a_label_around_its_button(answer_page, client):
    page = client.get(answer_page).content.decode()
    scale = page[page.index('<fieldset class="field scale-question') :]
    scale = scale[: scale.index("</fieldset>")]
    assert "<legend>“I believe this is the right direction.”</legend>" in scale
    choices = re.findall(r'<label class="scale-choice" for="(\w+)">(.*?)</label>', scale, re.S)
    assert [re.search(r'value="(\d)"', inside).group(1) for _, inside in choices] == list("12345")
    assert all(f'id="{id_}"' in inside for id_, inside in choices)  # the button is inside
    assert "strongly disagree" in choices[0][1] and "strongly agree" in choices[4][1]


def test_the_ends_of_a_scale_default_when_its_prompt_does_not_name_them():
    assert scale_wording("How clear is the plan?") == (
        "How clear is the plan?",
        ("not at all", "completely"),
    )
    assert scale_wording("Confident? (1 = not at all, 5 = very)") == (
        "Confident?",
        ("not at all", "very"),
    )


def test_the_time_to_answer_is_shown_from_the_questions(pulse, answer_page, client):
    # Four written answers at a minute each and one scale at half a minute: 4.5, shown as 5.
    assert "About 5 minutes · 5 questions" in client.get(answer_page).content.decode()
    questions = [Question(kind=Kind.SCALE, position=n) for n in (1, 2)]
    assert AnswerForm(questions=questions).minutes_to_answer() == 1


def test_missing_answers_are_listed_and_tied_to_their_questions(answer_page, client):
    blank = {**ANSWERS, "q2_0": "", "q2_1": "", "q2_2": "", "q4": ""}
    response = client.post(answer_page, blank)
    page = response.content.decode()
    assert response.status_code == 400 and Response.objects.count() == 0
    summary = page[page.index('role="alert"') : page.index("</div>", page.index('role="alert"'))]
    assert "2 answers need a look" in summary
    assert 'href="#id_q2-question"' in summary and 'href="#id_q4-question"' in summary
    assert 'id="id_q2-question" aria-describedby="id_q2_hint id_q2_error"' in page
    assert 'id="id_q4-question" aria-describedby="id_q4_error"' in page
    for name in ("q2", "q4"):
        assert f'<p class="error" id="id_{name}_error">' in page


def test_the_priorities_question_asks_for_at_least_one_and_says_so_once(answer_page, client):
    """No box alone is required: the question says one priority will do, and an answer with
    none is told so once, for the question, not as "This field is required." under its third
    box with all three marked."""
    hint = '<p class="hint" id="id_q2_hint">At least one priority, up to three'
    assert hint in client.get(answer_page).content.decode()
    blank = {**ANSWERS, "q2_0": "", "q2_1": "", "q2_2": ""}
    page = client.post(answer_page, blank).content.decode()
    question = page[
        page.index('id="id_q2-question"') : page.index(
            "</fieldset>", page.index('id="id_q2-question"')
        )
    ]
    assert question.count(AT_LEAST_ONE_PRIORITY) == 1 and "This field is required" not in page
    assert question.index(AT_LEAST_ONE_PRIORITY) < question.index("Priority 1")  # above the boxes
    assert re.findall(r'name="(q2_\d)"[^>]*aria-invalid', question) == ["q2_0"]
    assert Response.objects.count() == 0
    client.post(answer_page, {**blank, "q2_2": "Sync reliability"})  # any one box will do
    assert priorities_answer() == "Sync reliability"


def test_answers_sent_after_the_check_in_closed_are_shown_back_to_copy(pulse, answer_page, client):
    """A page left open while the check-in closed: what was typed is not lost on the way."""
    pulse.closes_at = timezone.now() - timedelta(minutes=1)
    pulse.save()
    response = client.post(answer_page, ANSWERS)
    page = response.content.decode()
    assert response.status_code == 409 and Response.objects.count() == 0
    closed = timezone.localtime(pulse.closes_at, zoneinfo.ZoneInfo(pulse.workspace.time_zone))
    assert f"were not saved: the check-in closed {closed:%-d %b %Y %H:%M}" in page
    shown = dict(
        re.findall(r'<textarea id="unsaved-(\w+)" rows="3" readonly>(.*?)</textarea>', page, re.S)
    )
    assert shown == {
        "q1": "Finance teams close their books in three days.",
        "q2": "Faster close\nFewer   manual touches\nSOC 2 for enterprise",
        "q3": "Sync reliability is what makes the close fast.",
        "q4": "4 (1 = strongly disagree, 5 = strongly agree)",
    }
    assert "No answers were saved" not in page
    assert "were not saved" not in client.get(answer_page).content.decode()  # nothing posted


def test_the_closing_reads_in_the_workspace_time_zone_and_names_it(pulse, answer_page, client):
    """A workspace in Los Angeles closes at 20:00 there: the page says so, not the UTC date of
    the next day, before and after saving, and once it has closed."""
    pulse.workspace.time_zone = "America/Los_Angeles"
    pulse.workspace.save()
    closes = timezone.now().replace(hour=4, minute=0, second=0, microsecond=0) + timedelta(days=3)
    pulse.closes_at = closes
    pulse.save()
    there = timezone.localtime(closes, zoneinfo.ZoneInfo("America/Los_Angeles"))
    expected = f"{there:%-d %b %Y} 20:00 (America/Los_Angeles time)"
    assert f"open until {expected}" in client.get(answer_page).content.decode()
    saved = client.post(answer_page, ANSWERS, follow=True).content.decode()
    assert f"You can change them until {expected}" in saved
    pulse.closes_at = timezone.now() - timedelta(minutes=1)
    pulse.save()
    closed = timezone.localtime(pulse.closes_at, zoneinfo.ZoneInfo("America/Los_Angeles"))
    page = client.get(answer_page).content.decode()
    assert f"closed {closed:%-d %b %Y %H:%M} (America/Los_Angeles time)" in page


def test_the_page_is_as_long_whatever_the_answers_on_it(answer_page, client):
    """The page shows the answers saved: its size would be a fixed frame plus their length,
    and a log of sizes (or anyone watching the encrypted traffic) could match the visit to the
    answer of that length."""
    sizes = []
    for long in (1, 2_000):
        response = client.post(answer_page, {**ANSWERS, "q1": "x" * long}, follow=True)
        assert "your answers are saved" in response.content.decode()
        sizes += [len(response.content), len(client.get(answer_page).content)]
    assert len(set(sizes)) == 1 and sizes[0] % (32 * 1024) == 0
    assert "no-transform" in client.get(answer_page)["Cache-Control"]


def test_every_question_that_may_be_left_empty_says_so_the_same_way(pulse, client):
    """A glossary question may be left empty, as the comment may: both say "(optional)", the
    comment's prompt, which says so already, only once; a required question says nothing."""
    asked = "In your own words, what does “launch” mean in your work?"
    Question.objects.create(checkin=pulse, position=6, prompt=asked, required=False)
    link = issue_links(pulse)[0]
    client.post("/c/open/", {"link": link.token})
    page = client.get("/c/").content.decode()
    assert f'<label for="id_q6">{asked} (optional)</label>' in page
    assert '<label for="id_q5">Anything else you want to say? (optional)</label>' in page
    assert "(optional) (optional)" not in page
    assert page.count("(optional)") == 2


def test_the_comment_says_what_becomes_of_it(answer_page, client):
    page = client.get(answer_page).content.decode()
    assert re.search(r'<textarea name="q5"[^>]*aria-describedby="id_q5_hint id_q5_limit"', page)
    hint = page[page.index('id="id_q5_hint">') : page.index("</p>", page.index('id="id_q5_hint"'))]
    assert "those who read its results see the comments grouped by theme" in hint
    assert (
        "quoted, never with your name, only where at least 5 people wrote in the same way" in hint
    )


def test_a_refused_change_keeps_the_earlier_answers_and_what_was_typed(answer_page, client):
    """Reopened, emptied and saved: the page says the earlier answers stand (not "answered
    already" above "nothing was saved yet"), keeps what was typed, and starts at the summary."""
    client.post(answer_page, ANSWERS)
    changed = {**ANSWERS, "q1": "Books close in a day.", "q2_0": "", "q2_1": "", "q2_2": ""}
    response = client.post(answer_page, {**changed, "q4": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Your changes were not saved; your earlier answers stand. 2 answers need a look." in page
    assert "You have answered already" not in page and "Nothing was saved yet" not in page
    assert re.search(r'<textarea name="q1"[^>]*>\s*Books close in a day.</textarea>', page)
    assert 'id="answer-errors" tabindex="-1" autofocus>' in page
    assert priorities_answer() == "Faster close\nFewer manual touches\nSOC 2 for enterprise"
    assert Answer.objects.get(question__position=1).text == ANSWERS["q1"]


def test_asked_of_fewer_than_the_threshold_it_promises_no_result(workspace, users, client):
    """Two people asked can never be shown (no group below the threshold is): the page had
    promised groups of at least 5 and quotes."""
    team, _ = team_of(workspace, "Pair", Function.DESIGN, 2)
    now = timezone.now()
    small = create_alignment_pulse(
        workspace, "Pair pulse", now - timedelta(days=1), now + timedelta(days=7), teams=[team]
    )
    client.post("/c/open/", {"link": issue_links(small)[0].token})
    page = client.get("/c/").content.decode()
    assert (
        "Your answers are anonymous. Only 2 people were asked, and results are shown only for at "
        "least 5 people, with names or without, so no result of this check-in will be shown."
    ) in page
    assert "may be quoted" not in page and 'id="id_q5_hint"' not in page
    # The comment box points to no hint that is not there.
    assert 'aria-describedby="id_q5_hint"' not in page


def test_a_link_that_opens_nothing_does_not_forget_the_one_held(answer_page, client, pulse):
    """ "#content" posted as a link (the page's script had taken any hash for one) had thrown
    away the working link the browser held, and what was typed with it."""
    cut = f"{pulse.pk}.not-a-token"  # the start of one of its tokens, as far as can be told
    said = {"content": "not valid", "id_q1-question": "not valid", cut: "incomplete"}
    for wrong, why in said.items():
        refused = client.post("/c/open/", {"link": wrong})
        assert refused.status_code == 404
        page = refused.content.decode()
        assert f"This link is {why}" in page
        assert 'id="link-held">The link you opened before still works' in page
        assert "Q4 pulse" in client.get(answer_page).content.decode()  # still open
    client.cookies.clear()
    alone = client.post("/c/open/", {"link": "content"}).content.decode()
    assert "This link is not valid." in alone and "link-held" not in alone


def test_an_attributed_check_in_asked_of_too_few_says_so_in_its_words(workspace, users, client):
    team, _ = team_of(workspace, "Pair", Function.DESIGN, 2)
    now = timezone.now()
    small = create_alignment_pulse(
        workspace, "Pair pulse", now - timedelta(days=1), now + timedelta(days=7), anonymous=False,
        teams=[team],
    )  # fmt: skip
    client.post("/c/open/", {"link": issue_links(small)[0].token})
    page = client.get("/c/").content.decode()
    assert (
        "Your answers are attributed to you. Only 2 people were asked, and results are shown "
        "only for at least 5 people, with names or without, so no result of this check-in will "
        "be shown."
    ) in page


def test_a_priority_of_spaces_is_no_priority(answer_page, client):
    """Three spaces in a box passed "at least one priority": the page said saved, and the
    answer came back with no priority in it."""
    spaces = {**ANSWERS, "q2_0": "   ", "q2_1": "", "q2_2": " \t "}
    response = client.post(answer_page, spaces)
    assert response.status_code == 400 and Response.objects.count() == 0
    assert AT_LEAST_ONE_PRIORITY in response.content.decode()


def test_a_written_answer_shows_its_limit_and_no_maxlength_cuts_it(answer_page, client):
    page = client.get(answer_page).content.decode()
    box = re.search(r'<textarea name="q1"[^>]*>', page).group(0)
    assert "maxlength" not in box and 'aria-describedby="id_q1_limit"' in box
    assert '<p class="hint limit" id="id_q1_limit">Up to 5,000 characters.</p>' in page


def test_a_written_answer_over_the_limit_is_refused_in_plain_words_and_kept(answer_page, client):
    long = "word " * 1519 + "last"  # 7,599 characters
    response = client.post(answer_page, {**ANSWERS, "q1": long})
    page = html.unescape(response.content.decode())
    assert response.status_code == 400 and Response.objects.count() == 0
    said = "This answer is 7,599 characters; the limit is 5,000. Shorten it: nothing was saved."
    assert said in page and "Ensure this value" not in page
    assert long in page  # the typed text comes back to shorten
    # A line break counts once, as the counter counts it, though the browser sends two.
    client.post(answer_page, {**ANSWERS, "q1": "a\r\n" * 2500})
    assert Response.objects.count() == 1


def test_a_priority_over_its_limit_is_refused_in_plain_words_and_kept(answer_page, client):
    """The boxes had maxlength=300: a longer paste was cut without a word and saved."""
    page = client.get(answer_page).content.decode()
    assert "maxlength" not in re.search(r'<input type="text" name="q2_1"[^>]*>', page).group(0)
    long = ("Close the books faster " * 14).strip()  # 321 characters
    response = client.post(answer_page, {**ANSWERS, "q2_1": long})
    page = html.unescape(response.content.decode())
    assert response.status_code == 400 and Response.objects.count() == 0
    said = "A priority is at most 300 characters; priority 2 is 321. Shorten it: nothing was saved."
    assert said in page and long in page


def test_each_refused_answer_is_described_by_why(answer_page, client):
    """A screen reader heard "invalid" and the box's limit, never the error under it: every
    refused box, and each button of a refused scale, is described by its error too."""
    blank = {**ANSWERS, "q1": "", "q2_0": "", "q2_1": "", "q2_2": "", "q4": ""}
    page = client.post(answer_page, blank).content.decode()
    box = re.search(r'<textarea name="q1"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in box and 'aria-describedby="id_q1_limit id_q1_error"' in box
    buttons = re.findall(r'<input type="radio" name="q4"[^>]*>', page)
    assert len(buttons) == 5
    assert all('aria-describedby="id_q4_error"' in button for button in buttons)
    first = re.search(r'<input type="text" name="q2_0"[^>]*>', page).group(0)
    assert 'aria-describedby="id_q2_error"' in first
    for name in ("q1", "q2", "q4"):
        assert page.count(f'id="id_{name}_error"') == 1  # one element each describes
    # An answer given is described by its limit alone.
    assert 'aria-describedby="id_q3_limit"' in re.search(r'<textarea name="q3"[^>]*>', page)[0]


def test_an_empty_answer_is_asked_for_in_the_pages_words(answer_page, client):
    blank = {**ANSWERS, "q1": "", "q4": ""}
    page = html.unescape(client.post(answer_page, blank).content.decode())
    assert "This field is required" not in page
    said = '<p class="error" id="id_q1_error">Write an answer; this question cannot be left empty.'
    assert said in page
    assert page.count("Write an answer; this question cannot be left empty.") == 2  # list, box
    assert page.count("Choose a number from 1 to 5; this question cannot be left empty.") == 2
