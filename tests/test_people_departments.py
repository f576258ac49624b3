"""An HR export names its own departments ("R&D", "Revenue"); the import reads each as the
function it is mapped to, on the page ("Departments") and on the command line (--function).
Until 2026-12-07 every such row was refused and the file had to be edited by hand. Real
database, Django's test client, Click's runner."""

from html import unescape

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile

from truenorth.cli import main
from truenorth.workspaces.models import Person

HR = (
    "Full Name,Work Email,Department\n"
    "Ada Lovelace,ada@acme.test,R&D\n"
    "Grace Hopper,grace@acme.test,Revenue \n"
    "Linus Pauling,linus@acme.test,Support\n"
)
IMPORTED = ("ada@acme.test", "grace@acme.test", "linus@acme.test")


def functions(workspace) -> dict[str, str]:
    return dict(Person.objects.filter(workspace=workspace).values_list("email", "function"))


def upload(client, departments: str):
    file = SimpleUploadedFile("hr.csv", HR.encode(), content_type="text/csv")
    return client.post("/w/acme/people/import/", {"file": file, "departments": departments})


def test_the_page_reads_each_department_as_the_function_it_is_mapped_to(
    client_for, users, workspace
):
    client = client_for("editor")
    refused = unescape(upload(client, "").content.decode())
    assert "value 'R&D': not a function" in refused
    assert "or say which function it is under “Departments”" in refused
    assert not set(IMPORTED) & set(functions(workspace))
    response = upload(client, "R&D=engineering\n\n  revenue  =  Sales\n")
    assert response.status_code == 302, unescape(response.content.decode())
    imported = {email: functions(workspace).get(email) for email in IMPORTED}
    assert imported == {
        "ada@acme.test": "engineering",
        "grace@acme.test": "sales",
        "linus@acme.test": "support",  # a function already: no mapping needed
    }


@pytest.mark.parametrize(
    "departments, said",
    [
        ("R&D", "'R&D' is not Department=function."),
        ("R&D=wizards", "'R&D=wizards': 'wizards' is not a function; functions: engineering"),
    ],
)
def test_the_page_refuses_a_mapping_it_cannot_read_importing_nothing(
    client_for, users, workspace, departments, said
):
    before = functions(workspace)
    response = upload(client_for("editor"), departments)
    assert response.status_code == 400 and said in unescape(response.content.decode())
    assert functions(workspace) == before


def test_the_cli_maps_departments_with_function(workspace, tmp_path):
    path = tmp_path / "hr.csv"
    path.write_text(HR)
    args = ["people", "import", str(path), "-w", "acme"]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 1 and "--function 'DEPARTMENT=function'" in refused.output
    bad = CliRunner().invoke(main, [*args, "--function", "R&D"])
    assert bad.exit_code == 2 and "'R&D' is not Department=function." in bad.output
    done = CliRunner().invoke(
        main, [*args, "--function", "R&D=Engineering", "--function", "REVENUE=sales"]
    )
    assert done.exit_code == 0, done.output
    assert functions(workspace) == {
        "ada@acme.test": "engineering",
        "grace@acme.test": "sales",
        "linus@acme.test": "support",
    }
