"""Importing feedback on a page, as `truenorth import feedback` does: a support desk's export,
app-store reviews, interview notes (several files at once) or field notes; any bad row means
nothing is imported, and the page names every one."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from truenorth.feedback.formats import FIELDS, FORMATS
from truenorth.feedback.imports import import_feedback
from truenorth.feedback.tasks import refresh_themes
from truenorth.refusals import posted
from truenorth.tabular import ImportFailed, RowError, grouped
from truenorth.workspaces.access import WRITE, workspace_view
from truenorth.workspaces.background import DONE, FAILED, QUEUED, outcome, tell_queued

MAX_FILES = 200  # interview notes come a file each; a quarter's worth is well under this


class ManyFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """One file or several (interview notes): a list either way."""

    def clean(self, data, initial=None):
        one = super().clean
        return (
            [one(each, initial) for each in data]
            if isinstance(data, list | tuple)
            else [one(data, initial)]
        )


class ImportForm(forms.Form):
    file_format = forms.ChoiceField(label="Format", choices=list(FORMATS.items()))
    files = FilesField(
        label="File(s)",
        widget=ManyFiles,
        help_text="A CSV export; for interview notes, one Markdown file per interview.",
    )
    mapping = forms.CharField(
        label="Columns of your own",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="FIELD=COLUMN, one a line, e.g. account_value=ARR. Fields: " + ", ".join(FIELDS),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"At most {MAX_FILES} files at once.")
        return files

    def clean_mapping(self) -> dict[str, str]:
        mapping = {}
        for line in self.cleaned_data["mapping"].splitlines():
            if not line.strip():
                continue
            field, sep, column = line.partition("=")
            if not sep or not field.strip() or not column.strip():
                raise forms.ValidationError(f"{line.strip()!r} is not FIELD=COLUMN.")
            mapping[field.strip()] = column.strip()
        return mapping


@workspace_view(WRITE)
def import_page(request, membership):
    form = ImportForm(posted(request), request.FILES or None)
    if request.method != "POST":
        return render(request, "feedback/import.html", {"form": form})
    if not form.is_valid():
        return render(request, "feedback/import.html", {"form": form}, status=400)
    wanted = form.cleaned_data
    try:
        result = import_feedback(
            membership.workspace,
            [(upload.name, upload) for upload in wanted["files"]],
            wanted["file_format"],
            wanted["mapping"],
            by=request.user,
        )
    except ImportFailed as failure:
        return refused(request, form, failure.errors)
    messages.success(request, said(result))
    # The themes are grouped now, not in the request of whoever next opens a page showing them.
    warm_themes(request, membership.workspace)
    return redirect("feedback", membership.workspace.slug)


def warm_themes(request, workspace, say_done: bool = True) -> None:
    """Compute the themes after a change of the feedback: inline by default (this request
    waits for them), or queued for `truenorth worker`; the page says which (after one note,
    only what went wrong)."""
    state, found = outcome(refresh_themes.enqueue(workspace.pk))
    if state == DONE and "error" in found:
        messages.warning(request, f"The themes are not grouped yet: {found['error']}")
    elif not say_done and state != FAILED:
        return
    elif state == DONE:
        messages.info(request, f"Grouped {found['items']} items into {found['themes']} themes.")
    elif state == QUEUED:
        tell_queued(request, "Grouping the feedback into themes in the background.")
    else:
        messages.error(request, "Grouping the feedback into themes failed; the log says why.")


def refused(request, form, errors: list[RowError]):
    context = {"form": form, "errors": errors, "problems": grouped(errors)}
    return render(request, "feedback/import.html", context, status=400)


def said(result) -> str:
    parts = [f"{result.created} new", f"{result.updated} updated", f"{result.unchanged} unchanged"]
    skipped = f"; {result.skipped} rows with no words skipped" if result.skipped else ""
    if result.repeated:
        skipped += f"; {result.repeated} rows repeating an earlier row word for word skipped"
    return f"Imported {FORMATS[result.file_format]}: {', '.join(parts)}{skipped}."
