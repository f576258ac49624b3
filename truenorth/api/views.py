"""The account's API tokens page: list the login's tokens, make one (shown once), revoke one.
Outside any workspace, like the password pages: a token carries the login's role in each."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path

from truenorth.api import tokens as actions
from truenorth.api.models import ApiToken, Scope
from truenorth.refusals import login_required, post_only


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text="What it is for, e.g. “BI dashboard”.",
    )
    scope = forms.ChoiceField(
        choices=Scope.choices,
        initial=Scope.READ,
        widget=forms.RadioSelect,
        help_text="Writing also needs a role that may write (owner or editor).",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        writes, reads = actions.roles(user)
        scope = self.fields["scope"]
        if reads and not writes:  # a write token would read only: not offered
            scope.choices = [(Scope.READ, Scope.READ.label)]
            scope.help_text = (
                f"Read only: your role changes nothing in {', '.join(reads)}, so a token of "
                "yours can only read."
            )
            scope.error_messages["invalid_choice"] = scope.help_text
        elif reads:
            scope.help_text = (
                f"Writing works in {', '.join(writes)}; in {', '.join(reads)} a token of yours "
                "reads only, as your role there does."
            )

    expires_days = forms.TypedChoiceField(
        label="Expires",
        choices=[("", "Never"), *((str(d), f"In {d} days") for d in actions.EXPIRIES if d)],
        coerce=int,
        empty_value=None,
        required=False,
        initial="90",
    )


def tokens_page(request, form: TokenForm, status: int = 200):
    found = list(request.user.api_tokens.all())
    for token in found:
        token.can_do = actions.can_do(token)
    context = {"tokens": found, "form": form}
    return render(request, "api/tokens.html", context, status=status)


@login_required
def tokens(request):
    if request.method != "POST":
        return tokens_page(request, TokenForm(user=request.user))
    form = TokenForm(request.POST, user=request.user)
    if not form.is_valid():
        return tokens_page(request, form, status=400)
    row, token = actions.create(request.user, **form.cleaned_data)
    # Shown on this answer and never again: it is not stored, so no redirect could show it.
    context = {"row": row, "token": token, "can_do": actions.can_do(row)}
    return render(request, "api/token_created.html", context, status=201)


@post_only
@login_required
def revoke(request, token_id):
    token = get_object_or_404(request.user.api_tokens, pk=token_id)
    if request.POST.get("confirm") != "yes":  # the page asks first, under "Revoke…"
        messages.error(request, f"Confirm revoking “{token.name}” first.")
        return redirect("api_tokens")
    if actions.revoke(token):
        messages.success(request, f"Revoked “{token.name}”: it no longer works.")
    return redirect("api_tokens")


# Under /account/tokens/.
patterns = [
    path("", tokens, name="api_tokens"),
    path("<int:token_id>/revoke/", revoke, name="revoke_api_token"),
]
