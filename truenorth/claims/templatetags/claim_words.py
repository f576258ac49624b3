"""`{% nearest claim workspace %}`: a claim's "No match. Nearest: …" line on the claims page, its
title linked to the initiative, in the words the CSV export writes (Claim.nearest_note)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from truenorth.claims.models import NEAREST

register = template.Library()


@register.simple_tag
def nearest(claim, workspace) -> SafeString | str:
    if not claim.nearest_note:
        return ""
    title = claim.initiative_title
    if claim.initiative_id:
        url = reverse("initiative", args=[workspace.slug, claim.initiative_id])
        title = format_html('<a href="{}">{}</a>', url, title)
    return format_html(NEAREST, title=title, score=f"{claim.score:.0f}")
