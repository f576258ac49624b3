"""Comments on a decision are sorted by the classifier when saved; their author or an editor may
correct the kind. The real model sorts them."""

from datetime import date

import pytest

from truenorth.decisions import actions
from truenorth.decisions.models import Comment, Decision, Kind, KindBy

URL = "/w/acme/decisions/1/comments/"


@pytest.fixture
def decision(workspace):
    return actions.add_decision(
        Decision(
            workspace=workspace,
            title="Drop the free tier",
            question="Do we keep a free tier?",
            raised_on=date(2026, 1, 5),
        )
    )


def comment_as(client, text):
    assert client.post(URL, {"text": text}).status_code == 302
    return Comment.objects.latest("id")


def test_a_saved_comment_is_sorted_by_the_model(client_for, decision):
    client = client_for("member")
    question = comment_as(client, "I don't understand whether existing free accounts are affected.")
    objection = comment_as(client, "This is a mistake, the free tier brings us most of our leads.")
    assert (question.kind, question.kind_by) == (Kind.QUESTION, KindBy.MODEL)
    assert objection.kind == Kind.OBJECTION and 0 < objection.kind_confidence <= 1
    data = client.get("/w/acme/decisions/1.json").json()
    assert [c["kind_by"] for c in data["comments"]] == ["model", "model"]
    assert all(0 < c["kind_confidence"] <= 1 for c in data["comments"])


def test_the_author_corrects_the_kind(client_for, decision):
    client = client_for("member")
    comment = comment_as(client, "Why didn't we do this a year ago?")
    page = client.get("/w/acme/decisions/1/").content.decode()
    assert f'action="{URL}{comment.pk}/kind/"' in page
    assert client.post(f"{URL}{comment.pk}/kind/", {"kind": "support"}).status_code == 302
    comment.refresh_from_db()
    assert (comment.kind, comment.kind_by, comment.kind_confidence) == ("support", "person", None)
    assert "(set by a person)" in client.get("/w/acme/decisions/1/").content.decode()


def test_an_editor_may_correct_it_and_another_reader_may_not(client_for, decision):
    comment = comment_as(client_for("member"), "Agreed, the trial converts better.")
    viewer = client_for("viewer")
    assert viewer.post(f"{URL}{comment.pk}/kind/", {"kind": "objection"}).status_code == 403
    assert f"{URL}{comment.pk}/kind/" not in viewer.get("/w/acme/decisions/1/").content.decode()
    editor = client_for("editor")
    assert editor.post(f"{URL}{comment.pk}/kind/", {"kind": "objection"}).status_code == 302
    assert Comment.objects.get(pk=comment.pk).kind == "objection"


def test_a_bad_correction_is_refused(client_for, decision):
    editor = client_for("editor")
    comment = comment_as(editor, "Which plans does this touch?")
    assert editor.post(f"{URL}{comment.pk}/kind/", {"kind": "maybe"}).status_code == 400
    assert editor.post(f"{URL}{comment.pk}/kind/", {}).status_code == 400
    assert editor.post(f"{URL}999/kind/", {"kind": "support"}).status_code == 404
    assert editor.get(f"{URL}{comment.pk}/kind/").status_code == 405
    assert client_for("partner").post(
        f"{URL}{comment.pk}/kind/", {"kind": "support"}
    ).status_code in (403, 404)
    assert Comment.objects.get(pk=comment.pk).kind_by == "model"


def test_unsorted_comments_are_sorted_in_one_go_and_a_person_s_kind_is_kept(decision):
    Comment.objects.create(decision=decision, text="Who approved the trial length?")
    Comment.objects.create(decision=decision, text="Bad idea.", kind="support", kind_by="person")
    assert actions.sort_unsorted(decision.comments.all()) == 1
    kinds = list(decision.comments.values_list("kind", "kind_by"))
    assert kinds == [("question", "model"), ("support", "person")]
    assert actions.sort_unsorted(decision.comments.all()) == 0


def test_sorting_in_one_go_reads_a_stated_stance_by_its_words(decision):
    Comment.objects.create(decision=decision, text="+1, this is overdue.")
    Comment.objects.create(decision=decision, text="I object: support will be swamped.")
    assert actions.sort_unsorted(decision.comments.all()) == 2
    kinds = list(decision.comments.values_list("kind", "kind_by", "kind_confidence"))
    assert kinds == [("support", "words", None), ("objection", "words", None)]


def test_disagree_and_commit_is_the_author_s_objection(client_for, decision):
    client = client_for("member")
    text = "I'd rather have kept some fee, but I'm on board."  # reads as support to the model
    assert client.post(URL, {"text": text, "disagree_and_commit": "on"}).status_code == 302
    comment = Comment.objects.latest("id")
    assert (comment.kind, comment.kind_by) == ("objection", "person")
    Comment.objects.create(decision=decision, text=text, disagree_and_commit=True)
    assert actions.sort_unsorted(decision.comments.all()) == 1
    assert set(decision.comments.values_list("kind", flat=True)) == {"objection"}


def test_the_demo_comments_are_sorted_and_one_decision_reads_as_unclear(
    db, analysed_demo, demo_client
):
    comments = Comment.objects.filter(decision__workspace=analysed_demo)
    assert comments.exists() and not comments.filter(kind=Kind.UNSORTED).exists()
    assert comments.filter(kind_by=KindBy.MODEL).count() > comments.count() / 2
    assert not comments.filter(disagree_and_commit=True).exclude(kind=Kind.OBJECTION).exists()
    unclear = [
        d
        for d in analysed_demo.decisions.all()
        if d.comments.filter(kind=Kind.QUESTION).count()
        > d.comments.filter(kind=Kind.OBJECTION).count()
        >= 1
    ]
    assert unclear, "a decision with more questions than objections"
    page = demo_client(analysed_demo, "viewer").get(
        f"/w/{analysed_demo.slug}/decisions/{unclear[0].number}/"
    )
    assert "the decision reads as unclear" in page.content.decode()
