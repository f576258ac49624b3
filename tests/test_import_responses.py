import io
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.utils import timezone

from truenorth.checkins.actions import create_alignment_pulse
from truenorth.checkins.imports import import_responses
from truenorth.checkins.models import Answer, Response
from truenorth.cli import main
from truenorth.work.imports import ImportFailed

HEADER = "email,function,team,vision,priorities,purpose,direction,comment"


@pytest.fixture
def pulse(workspace, users):
    now = timezone.now()
    return create_alignment_pulse(
        workspace, "Pulse", now - timedelta(days=9), now - timedelta(days=1)
    )


def csv_of(*rows):
    return io.StringIO("\n".join([HEADER, *rows]) + "\n")


def test_it_imports_answers_by_email_or_by_function(pulse):
    count = import_responses(
        pulse,
        csv_of(
            "member@acme.test,,,Close in three days,Faster close,Sync matters,5,",
            ",sales,Platform,Cheapest AP tool,Win deals,Quota,4,Love it",
        ),
    )
    assert count == 2
    assert sorted(Response.objects.values_list("function", "team")) == [
        ("engineering", "Platform"),
        ("sales", "Platform"),
    ]
    assert all(r.person is None for r in Response.objects.all())  # the pulse is anonymous
    assert Answer.objects.filter(value=5).count() == 1


def consecutive(ids):
    """Whether ids were handed out one after another, in the order rows were created."""
    return all(b == a + 1 for a, b in zip(ids, ids[1:], strict=False))


def test_anonymous_rows_keep_neither_their_order_nor_their_time(pulse):
    rows = [f",sales,Platform,a{n},b,c,4," for n in range(3)]
    import_responses(pulse, csv_of(*rows))
    responses = list(Response.objects.all())
    assert not consecutive([r.pk for r in responses])  # random, not the next numbers
    assert not consecutive(list(Answer.objects.values_list("pk", flat=True)))
    assert {r.submitted_at for r in responses} == {None}


def test_attributed_rows_keep_their_numbers_and_time(pulse):
    pulse.anonymous = False
    pulse.save()
    import_responses(pulse, csv_of("member@acme.test,,,a,b,c,4,", "owner@acme.test,,,a,b,c,4,"))
    first, second = Response.objects.order_by("pk")
    assert first.person.email == "member@acme.test" and second.pk == first.pk + 1
    response = first
    assert timezone.now() - response.submitted_at < timedelta(minutes=1)


@pytest.mark.parametrize(
    "row, message",
    [
        ("nobody@acme.test,,,a,b,c,3,", "no person with email 'nobody@acme.test'"),
        (",,,a,b,c,3,", "give an email, or a function (column 'function') and team"),
        (",R&D,,a,b,c,3,", "column 'function', value 'R&D': not a function; functions: "),
        (",wizardry,,a,b,c,3,", "customer success"),  # as people write it, not customer_success
        (",sales,Narnia,a,b,c,3,", "no team named 'Narnia'"),
        ("member@acme.test,,,a,b,c,7,", "direction must be a whole number from 1 to 5"),
        ("member@acme.test,,,,b,c,3,", "vision is required"),
    ],
)
def test_a_bad_row_imports_nothing(pulse, row, message):
    with pytest.raises(ImportFailed) as failure:
        import_responses(pulse, csv_of("viewer@acme.test,,,a,b,c,4,", row))
    assert len(failure.value.errors) == 1
    assert failure.value.errors[0].line == 3
    assert message in failure.value.errors[0].message
    assert Response.objects.count() == 0


def test_a_person_answers_once(pulse):
    with pytest.raises(ImportFailed, match="answered already on line 2"):
        import_responses(
            pulse, csv_of("viewer@acme.test,,,a,b,c,4,", "viewer@acme.test,,,a,b,c,4,")
        )


def test_the_cli_imports_and_reports(pulse, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(f"{HEADER}\nmember@acme.test,,,Close fast,Faster close,Sync,5,\n")
    result = CliRunner().invoke(
        main, ["import", "responses", str(good), "--checkin", str(pulse.pk)]
    )
    assert result.exit_code == 0, result.output
    assert "Imported 1 responses" in result.output
    result = CliRunner().invoke(main, ["import", "responses", str(good), "--checkin", "999"])
    assert result.exit_code == 1
    assert "no check-in number 999" in result.output
