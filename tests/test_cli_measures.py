import io
import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.utils import timezone

from truenorth.analysis.embed import DEFAULT_MODEL, model_path
from truenorth.analysis.measures import understanding_band
from truenorth.checkins.actions import create_alignment_pulse
from truenorth.checkins.imports import import_responses
from truenorth.cli import main


def test_compare_prints_the_score_and_the_relation(tmp_path):
    runner = CliRunner()
    same = runner.invoke(
        main, ["compare", "Close the books in three days", "Close the books in 3 days"]
    )
    assert same.exit_code == 0, same.output
    score, relation = same.output.split()[:2]
    assert float(score) > 80 and relation == "conveys"
    other = runner.invoke(main, ["compare", "Close the books in 3 days", "We close in 3 weeks"])
    assert other.output.split()[1] == "contradicts:"
    assert "the source says 3 days, this says 3 weeks" in other.output


def test_model_says_which_model_runs_and_where():
    result = CliRunner().invoke(main, ["model"])
    assert result.exit_code == 0, result.output
    lines = dict(line.split(":", 1) for line in result.output.splitlines() if ":" in line)
    assert lines["model"].strip() == f"{DEFAULT_MODEL}+int8"
    assert lines["engine"].strip() == "onnx"
    assert lines["runs on"].strip().startswith("the CPU (")


def test_compare_pairs_prints_a_score_per_line_and_the_relation_on_request(tmp_path):
    runner = CliRunner()
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(
        "A cat sleeps.\tA cat is sleeping.\n"
        "A cat sleeps.\tThe stock market fell.\n"
        "A man is playing a guitar.\tA man is not playing a guitar.\n"
    )
    scores = [
        float(s) for s in runner.invoke(main, ["compare", "--pairs", str(pairs)]).output.split()
    ]
    assert len(scores) == 3 and scores[0] > scores[1] + 40
    lines = runner.invoke(main, ["compare", "--pairs", str(pairs), "--relation"]).output
    rows = [line.split("\t") for line in lines.splitlines()]
    assert [float(r[0]) for r in rows] == scores
    assert [r[1] for r in rows] == ["conveys", "unrelated", "contradicts"]
    assert float(rows[2][2]) > float(rows[0][2])


def test_compare_refuses_a_malformed_pairs_file(tmp_path):
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("no tab here\n")
    result = CliRunner().invoke(main, ["compare", "--pairs", str(pairs)])
    assert result.exit_code == 1 and "line 1: expected two tab-separated texts" in result.output
    assert CliRunner().invoke(main, ["compare", "only one"]).exit_code == 2


@pytest.fixture
def pulse(workspace, users, strategy):
    now = timezone.now()
    checkin = create_alignment_pulse(
        workspace, "Pulse", now - timedelta(days=9), now - timedelta(days=1)
    )
    rows = [
        f"{role}@acme.test,,,Finance teams close their books in three days,"
        f"1. Faster close 2. Fewer manual touches,Faster close for customers,{4 + (i % 2)},"
        for i, role in enumerate(["owner", "editor", "member", "viewer"])
    ]
    rows.append(",sales,,An AI that replaces the accounts payable clerk,SOC 2,Quota,5,")
    header = "email,function,team,vision,priorities,purpose,direction,comment\n"
    import_responses(checkin, io.StringIO(header + "\n".join(rows) + "\n"))
    return checkin


def test_analyze_prints_the_report_as_json_with_the_threshold_applied(pulse):
    result = CliRunner().invoke(main, ["analyze", "--checkin", str(pulse.pk), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("{") :])
    assert report["respondents"] == 5
    vision = report["questions"][0]
    assert vision["fidelity"] > 50
    # Four engineers and one salesperson: both under 5, so neither is shown.
    assert vision["by"]["function"]["groups"] == []


def test_analyze_words_each_figure_as_the_page_does(pulse):
    """Not "direction.agree 0.8" beside "vision.fidelity 31.4": each figure by its name, in its
    unit, with what good looks like."""
    runner = CliRunner()
    as_json = runner.invoke(main, ["analyze", "--checkin", str(pulse.pk), "--json"]).output
    report = json.loads(as_json[as_json.index("{") :])
    printed = runner.invoke(main, ["analyze", "--checkin", str(pulse.pk)]).output
    fidelity = report["questions"][0]["fidelity"]
    assert (
        f"  Understand the vision: {fidelity:.0f} / 100 — "
        f"{understanding_band().words(fidelity)}; good is 60 or more\n"
    ) in printed
    agree = report["direction"]["agree"]
    assert (
        f"  Agree with the direction: {agree * 100:.0f}% — higher is better; no healthy range "
        "has been measured for it, so none is given\n"
    ) in printed
    readings = report["questions"][0]["effective_interpretations"]
    assert f"  Distinct readings of the vision: {readings:.1f} among 5 answers" in printed
    assert "vision.fidelity" not in printed and "direction.agree" not in printed


def test_analyze_shows_nothing_below_the_threshold(pulse):
    pulse.workspace.anonymity_threshold = 6
    pulse.workspace.save()
    result = CliRunner().invoke(main, ["analyze", "--checkin", str(pulse.pk)])
    assert "fewer than the anonymity threshold of 6; nothing to show" in result.output
    assert "Finance teams" not in result.output


def test_analyze_names_an_unknown_checkin(db):
    result = CliRunner().invoke(main, ["analyze", "--checkin", "999"])
    assert result.exit_code == 1 and "no check-in number 999" in result.output


def test_analyze_publishes_nothing_while_open_unless_told_to_close(pulse):
    pulse.closes_at = timezone.now() + timedelta(days=3)
    pulse.save()
    result = CliRunner().invoke(main, ["analyze", "--checkin", str(pulse.pk)])
    assert result.exit_code == 1 and "results appear when it closes" in result.output
    assert "Use --close" in result.output
    closed = CliRunner().invoke(main, ["analyze", "--checkin", str(pulse.pk), "--close"])
    assert closed.exit_code == 0, closed.output
    assert (
        "Pulse: 5 people answered (groups under 5 people are never shown), scored by "
        "all-MiniLM-L6-v2+int8"
    ) in closed.output
    pulse.refresh_from_db()
    assert pulse.finalised_at is not None and not pulse.is_open()


def test_compare_runs_from_the_command_line(tmp_path):
    """As a person types it: a new process, Django not set up by a test runner."""
    env = {**os.environ, "TRUENORTH_DATA_DIR": str(tmp_path), "HF_HUB_OFFLINE": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [
        sys.executable,
        "-m",
        "truenorth.cli",
        "compare",
        "Close in 3 days",
        "Close in 3 days",
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[1] == "conveys"


def test_compare_on_a_model_without_a_contradiction_classifier_reads_the_score_alone(tmp_path):
    """A model of the server's own (a folder) has no relation classifier: the relation comes from
    the score's band and the numbers rule, and the output says the classifier is missing."""
    own_model = tmp_path / "our-own-model"
    own_model.symlink_to(model_path(DEFAULT_MODEL))
    env = {
        **os.environ,
        "TRUENORTH_DATA_DIR": str(tmp_path),
        "HF_HUB_OFFLINE": "1",
        "TRUENORTH_EMBEDDING_ENGINE": "sentence-transformers",
        "TRUENORTH_EMBEDDING_MODEL": str(own_model),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    compare = [sys.executable, "-m", "truenorth.cli", "compare"]
    same = subprocess.run(
        [*compare, "Close in 3 days", "Close in 3 days"], env=env, capture_output=True, text=True
    )
    assert same.returncode == 0, same.stderr
    assert same.stdout.split()[1] == "conveys"
    assert "no contradiction classifier" in same.stdout
    numbers = subprocess.run(
        [*compare, "Close in 3 days", "We close in 3 weeks"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert numbers.returncode == 0, numbers.stderr
    assert "contradicts: the source says 3 days, this says 3 weeks" in numbers.stdout


def test_compare_says_a_close_score_is_wording_when_the_relation_is_a_contradiction(tmp_path):
    """The destination against itself with its numbers swapped: words alike, facts opposite.
    The score's words must not say "the same meaning" on their own under "contradicts"."""
    destination = (
        "By the end of 2028, 80% of the invoices our customers receive are paid with no manual "
        "keying, and an AP team of three handles the volume that used to need eight."
    )
    swapped = destination.replace("three", "eight").replace("need eight", "need three")
    result = CliRunner().invoke(main, ["compare", destination, swapped])
    assert result.exit_code == 0, result.output
    first, second = result.output.splitlines()[:2]
    assert first.split()[1] == "contradicts:"
    assert float(first.split()[0]) >= 80  # the wording is close
    assert "the wording reads as" in second and "relation: contradicts" in second
    assert not second.strip().startswith("score: ")


def test_compare_says_when_the_second_text_may_deny_the_first():
    """Read as a check-in's report reads it ("May deny the vision"): the relation alone said
    "partly" of an answer keeping what the vision ends."""
    vision = (
        "Every supplier invoice a mid-market finance team receives goes from inbox to paid "
        "without anyone retyping it or chasing an approver."
    )
    keeps = "We should not automate invoices: the AP team must keep retyping each invoice by hand."
    said = CliRunner().invoke(main, ["compare", vision, keeps])
    assert said.exit_code == 0, said.output
    assert said.output.split()[1] == "partly"  # what the relation alone says of it
    assert "may deny it: it says what the first text negates" in said.output
    same = "Supplier invoices go from inbox to paid with nobody retyping them."
    assert "may deny" not in CliRunner().invoke(main, ["compare", vision, same]).output
