"""Form widgets for selects of many options.

Django renders each <option> through a template of its own, which made the settings page, with
its 600 time zones, heavier than most pages of the product. PlainSelect writes the same options
in Python. Every list that takes several choices says how to choose them (hint_several).
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


class PlainSelect(forms.Select):
    """A Select whose options, and option groups, are written in Python, not a template each."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        chosen = {str(v) for v in self.format_value(value)}
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html(
            '<select name="{}"{}>{}</select>', name, attributes, options(self.choices, chosen)
        )


# Under each list of several choices: a phone has no Ctrl key, and each tap there adds one.
CHOOSE_SEVERAL = (
    "Choose several: on a computer hold Ctrl (⌘ on a Mac) while you click; on a phone, tap each."
)


def hint_several(form: forms.BaseForm) -> None:
    """Say under each list of several choices of the form (a select with `multiple`, not the
    ticked boxes, which say it themselves) how to choose more than one: call it once its help
    texts are set."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.SelectMultiple) and not isinstance(
            widget, forms.CheckboxSelectMultiple
        ):
            field.help_text = f"{field.help_text} {CHOOSE_SEVERAL}".strip()


def options(choices, chosen: set[str]) -> SafeString:
    """<option>s for (value, label) choices; a label that is itself a list of choices makes an
    <optgroup> named by its value."""
    parts = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', value, options(label, chosen))
            )
        else:  # format_html for each of 600 options cost more than the escaping itself
            selected = " selected" if str(value) in chosen else ""
            value, label = conditional_escape(value), conditional_escape(label)
            parts.append(f'<option value="{value}"{selected}>{label}</option>')
    return mark_safe("".join(parts))  # every value and label is escaped
