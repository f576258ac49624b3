"""`truenorth claims`: list, add, correct, delete and re-check what was said to customers, with
the same rules as the claims page and the API (the claim form validates; claims.actions saves
and checks against the roadmap).

It imports nothing from truenorth.cli at load time, since that module adds this group to itself.
"""

import sys

import click

from truenorth.cli_options import checked_day, refusals

workspace_option = click.option(
    "--workspace", "-w", "slug", help="Workspace slug (needed when there are several)."
)
VERDICTS = [
    "available",
    "committed",
    "over_promise",
    "said_early",
    "no_capability",
    "not_promised",
]
# The form's fields by the options that set them, so a refusal names what to change.
OPTIONS = {
    "text": "text",
    "account": "--account",
    "said_on": "--on",
    "said_by": "--by",
    "said_by_name": "--by",
    "source": "--source",
    "__all__": "claim",
}


@click.group()
def claims() -> None:
    """What was said to customers, each with the roadmap's verdict on it.

    \b
    Examples:
      truenorth claims list -w acme --verdict over_promise
      truenorth claims add "Slack approvals work today." --account Northwind --by ana@acme.test
      truenorth claims edit 12 --text "Slack approvals ship in March." -w acme
      truenorth claims delete 12 -w acme
      truenorth claims check -w acme
    """


def setup():
    from truenorth.cli import setup_django

    setup_django()


def find_claim(workspace, claim_id: int):
    claim = workspace.claims.filter(pk=claim_id).first()
    if claim is None:
        raise click.ClickException(f"there is no claim {claim_id}")
    return claim


@claims.command(name="list")
@click.option("--verdict", type=click.Choice(VERDICTS), help="Only claims with this verdict.")
@click.option("--account", help="Only claims to this account: its whole name, in any case.")
@click.option("--moved", is_flag=True, help="Only claims whose date the customer heard moved.")
@click.option("--moved-from", help="Only claims on an item whose date moved on or after this day.")
@click.option("--moved-to", help="… on or before this day (and said by it).")
@click.option("--shipped-from", help="Only claims on an item that shipped on or after this day.")
@click.option("--shipped-to", help="… on or before this day.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per claim, as the API.")
@workspace_option
def list_command(verdict, account, moved, as_json, slug, **periods):
    """List claims, latest said first: id, day, verdict, account and what was said.

    The period options are the claims page's: with --verdict committed --moved and an update's
    period, the claims whose date moved in it, as the executives' update counts them.

    Example: truenorth claims list -w acme --verdict committed --moved
    --moved-from 2026-11-01 --moved-to 2026-11-30
    """
    setup()
    from truenorth.api.claims import ClaimOut, claims_of
    from truenorth.claims.models import in_periods, narrowed, to_account
    from truenorth.cli import pick_workspace

    workspace = pick_workspace(slug)
    rows = narrowed(claims_of(workspace).order_by("-said_on", "-pk"), verdict or "", moved)
    if account is not None:
        rows = to_account(rows, account)
    periods = checked_periods(periods)
    rows = in_periods(rows, periods)
    if (verdict or moved or account is not None or periods) and not rows.exists():
        click.echo(nothing_found(workspace, verdict, account, moved, periods), err=True)
    for claim in rows.iterator():
        if as_json:
            click.echo(ClaimOut.from_orm(claim).model_dump_json())
            continue
        said = claim.verdict.replace("_", " ") or "not checked"
        moved = f" ({claim.moved_since_said})" if claim.moved_since_said else ""
        click.echo(
            f"{claim.pk:>5}  {claim.said_on}  {said:<13}  {claim.account}: {claim.text}{moved}"
        )


def checked_periods(periods: dict) -> dict:
    """The period options checked as the claims page's filter checks them (FilterForm): days,
    and no period that ends before it starts."""
    from truenorth.claims.forms import FilterForm

    form = FilterForm({name: value for name, value in periods.items() if value})
    if not form.is_valid():
        options = {name: f"--{name.replace('_', '-')}" for name in periods}
        raise click.BadParameter(refusals(form.errors, options))
    return {name: form.cleaned_data[name] for name in periods if form.cleaned_data[name]}


def nothing_found(workspace, verdict, account, moved=False, periods=None) -> str:
    """Why a filtered list is empty, naming the accounts a partial name may have meant."""
    from truenorth.claims.views import between

    wanted = []
    if account is not None:
        wanted.append(f"to the account {account!r}")
    if verdict:
        wanted.append(f"judged {verdict}")
    if moved:
        wanted.append("whose date moved since said")
    for name, what in (("moved", "whose date moved"), ("shipped", "that shipped")):
        start, end = (periods or {}).get(f"{name}_from"), (periods or {}).get(f"{name}_to")
        if start or end:
            wanted.append(f"on an item {what} {between(start, end)}")
    said = f"No claims {' and '.join(wanted)}."
    if account is None:
        return said
    near = workspace.claims.filter(account__icontains=" ".join(account.split()))
    names = sorted(set(near.values_list("account", flat=True)), key=str.casefold)
    if names:
        said += f" The filter takes an account's whole name, e.g. {', '.join(names[:5])}."
    return said


@claims.command(name="add")
@click.argument("text")
@click.option("--account", required=True, help="The customer account it was said to.")
@click.option("--by", "said_by", help="Who said it: a person's email or name, or any name.")
@click.option(
    "--on",
    "said_on",
    callback=checked_day,
    help="The day it was said (default: today), e.g. 2026-03-01.",
)
@click.option("--source", default="", help="Sales call, deck, email, RFP answer…")
@workspace_option
def add_command(text, account, said_by, said_on, source, slug):
    """Record a claim and check it against the roadmap at once; print its verdict.

    Exits 1, saving nothing, when a value is refused; when no model can be loaded the claim is
    saved unchecked and the exit code is 1.

    Example: truenorth claims add "Slack approvals work today." --account Northwind -w acme
    """
    setup()
    from django.utils import timezone

    from truenorth.claims.models import Claim
    from truenorth.cli import pick_workspace

    workspace = pick_workspace(slug)
    values = {"text": text, "account": account, "source": source}
    values["said_on"] = said_on or timezone.localdate().isoformat()
    values.update(speaker(workspace, said_by or ""))
    save(workspace, Claim(workspace=workspace), values, "Recorded")


@claims.command(name="edit")
@click.argument("claim_id", type=int)
@click.option("--text", help="What was said.")
@click.option("--account", help="The customer account it was said to.")
@click.option("--by", "said_by", help="Who said it: a person's email or name, or any name.")
@click.option("--on", "said_on", callback=checked_day, help="The day it was said, e.g. 2026-03-01.")
@click.option("--source", help="Sales call, deck, email, RFP answer…")
@workspace_option
def edit_command(claim_id, text, account, said_by, said_on, source, slug):
    """Correct a claim (only the values given change); it is checked again, as on its page.

    Example: truenorth claims edit 12 --text "Slack approvals ship in March." -w acme
    """
    setup()
    from django.forms.models import model_to_dict

    from truenorth.claims.forms import ClaimForm
    from truenorth.cli import pick_workspace

    workspace = pick_workspace(slug)
    claim = find_claim(workspace, claim_id)
    given = {"text": text, "account": account, "said_on": said_on, "source": source}
    values = model_to_dict(claim, fields=ClaimForm.Meta.fields)
    values.update({name: value for name, value in given.items() if value is not None})
    if said_by is not None:
        values.update(speaker(workspace, said_by))
    save(workspace, claim, values, "Corrected")


def speaker(workspace, said_by: str) -> dict:
    """The form's said_by / said_by_name for an email or name, as the CSV import reads it."""
    from truenorth.claims.imports import People

    try:
        person, name = People(workspace).find(said_by.strip()) if said_by.strip() else (None, "")
    except ValueError as error:  # no such email, a name two people share, a partner
        raise click.ClickException(str(error)) from None
    return {"said_by": person.pk if person else None, "said_by_name": name}


def save(workspace, claim, values: dict, done: str) -> None:
    """Validate with the claim form, save and check; print the verdict or why not."""
    from truenorth.analysis.embed import ModelUnavailable
    from truenorth.claims.actions import save_claim
    from truenorth.claims.forms import ClaimForm

    form = ClaimForm(data=values, instance=claim, workspace=workspace)
    if not form.is_valid():
        raise click.ClickException(f"the claim was not saved: {refusals(form.errors, OPTIONS)}")
    try:
        save_claim(form.instance)
    except ModelUnavailable as error:
        click.echo(f"{done} claim {form.instance.pk}, but not checked: {error}", err=True)
        sys.exit(1)
    claim = form.instance
    click.echo(f"{done} claim {claim.pk}: {claim.verdict_evidence}. {claim.verdict_meaning}")


@claims.command(name="delete")
@click.argument("claim_id", type=int)
@workspace_option
def delete_command(claim_id, slug):
    """Delete a claim recorded by mistake (it cannot be brought back).

    Example: truenorth claims delete 12 -w acme
    """
    setup()
    from truenorth.claims.actions import delete_claim
    from truenorth.cli import pick_workspace

    claim = find_claim(pick_workspace(slug), claim_id)
    said = str(claim)
    delete_claim(claim)
    click.echo(f"Deleted claim {claim_id} ({said}).")


@claims.command(name="check")
@workspace_option
def check_command(slug):
    """Re-check every claim against the roadmap as it is now (after the roadmap changed), and
    count the verdicts.

    Example: truenorth claims check -w acme
    """
    setup()
    from truenorth.analysis.embed import ModelUnavailable
    from truenorth.claims.actions import recheck_all
    from truenorth.cli import echo_verdicts, pick_workspace

    workspace = pick_workspace(slug)
    try:
        recheck_all(workspace)
    except ModelUnavailable as error:
        raise click.ClickException(str(error)) from None
    echo_verdicts(list(workspace.claims.all()))
