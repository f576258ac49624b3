"""`{% claims_relying_on initiative as note %}`: on an initiative's archive confirmation, how many
claims to customers were matched to it and what they will read once it is archived
(claims.actions.archived_matches)."""

from django import template

from truenorth.claims.models import Claim

register = template.Library()


@register.simple_tag
def claims_relying_on(initiative) -> str:
    count = Claim.objects.filter(initiative=initiative, matched=True).count()
    if not count:
        return ""
    name = initiative.key or "it"
    said = "1 claim to a customer was" if count == 1 else f"{count} claims to customers were"
    they, them = ("it", "it") if count == 1 else ("they", "them")
    return (
        f"{said} matched to it; {they} will read “No such capability: its initiative {name} was "
        f"archived”, unless another initiative matches {them} better."
    )
