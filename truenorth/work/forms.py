import codecs

from django import forms

from truenorth.ids import ModelIdsField
from truenorth.roadmap.models import Initiative, Status
from truenorth.tabular import column_names, encoding_problem
from truenorth.widgets import PlainSelect
from truenorth.work.imports import FIELDS
from truenorth.work.models import LinkSuggestion, Source, TrackerMapping, WorkItem
from truenorth.work.trackers import FORMAT_LIST, FORMAT_NAMES
from truenorth.workspaces.models import Team

MAX_UPLOAD_MB = 200
SNIFF_BYTES = 64 * 1024


def target_choices(workspace) -> list:
    """Initiatives and goals as grouped choices, valued "initiative:<id>" or "goal:<id>"; an
    initiative that serves no goal is marked so, since work linked to it stays orphan work."""
    initiatives = [initiative_choice(i) for i in workspace.initiatives.select_related("goal")]
    return [("Initiatives", initiatives), ("Goals", goal_choices(workspace))]


def goal_choices(workspace) -> list:
    return [(f"goal:{g.pk}", f"#{g.rank} {g.title}") for g in workspace.goals.all()]


def mapping_target_choices(workspace) -> list:
    """What a tracker mapping may serve: no dropped initiative (its work would serve nothing).
    An initiative without a goal stays offered, marked, since a mapping may well be set up
    before the goal is (traceability.md)."""
    initiatives = [
        initiative_choice(i)
        for i in workspace.initiatives.exclude(status=Status.DROPPED).select_related("goal")
    ]
    return [("Initiatives", initiatives), ("Goals", goal_choices(workspace))]


def initiative_choice(initiative) -> tuple[str, str]:
    marked = " (serves no goal)" if serves_no_goal(initiative) else ""
    return f"initiative:{initiative.pk}", f"{initiative.title}{marked}"


def serves_no_goal(target) -> bool:
    """An initiative without a goal, or whose goal is archived: open work linked to it is
    orphan work (a goal itself can only be chosen while it is active)."""
    if not isinstance(target, Initiative):
        return False
    return target.goal_id is None or target.goal.archived_at is not None


def parse_target(workspace, value: str):
    """The initiative or goal a choice value names (the value is one of target_choices)."""
    kind, pk = value.split(":")
    related = {"initiative": workspace.initiatives, "goal": workspace.goals}[kind]
    return related.get(pk=pk)


def target_value(obj) -> str:
    """The choice value of a mapping's or suggestion's target."""
    if obj.initiative_id:
        return f"initiative:{obj.initiative_id}"
    return f"goal:{obj.goal_id}" if obj.goal_id else ""


NO_TARGET = "— nothing (orphan work) —"


class LinkForm(forms.Form):
    """Pick what a work item serves: an initiative, a goal, or nothing."""

    target = forms.ChoiceField(required=False)

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.fields["target"].choices = [("", NO_TARGET), *target_choices(workspace)]

    def clean_target(self):
        value = self.cleaned_data["target"]
        return parse_target(self.workspace, value) if value else None


class LinkTickedForm(forms.Form):
    """The work list's one link form: the ticked items, and the initiative or goal they all
    serve, or nothing (an editor's decision that they serve no goal). Nothing is a choice of
    its own, so pressing Link before choosing unlinks no one's work."""

    NOTHING = "nothing"

    ids = ModelIdsField(
        queryset=WorkItem.objects.none(), error_messages={"required": "Tick at least one item."}
    )
    target = forms.ChoiceField(
        error_messages={"required": "Choose what the ticked items serve."}, widget=PlainSelect
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.fields["ids"].queryset = workspace.work_items.all()
        self.fields["target"].choices = [
            ("", "Choose…"),
            (self.NOTHING, NO_TARGET),
            *target_choices(workspace),
        ]

    def clean_target(self):
        value = self.cleaned_data["target"]
        return None if value == self.NOTHING else parse_target(self.workspace, value)


class MappingForm(forms.Form):
    """Every item with this epic/parent, label or project serves this initiative or goal."""

    field = forms.ChoiceField(label="Tracker field", choices=TrackerMapping.Field.choices)
    value = forms.CharField(max_length=200, help_text="Exactly as the tracker writes it.")
    source = forms.ChoiceField(
        label="Tracker", required=False, choices=[("", "any tracker"), *Source.choices]
    )
    target = forms.ChoiceField(label="Serves")

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.fields["target"].choices = [("", "— pick one —"), *mapping_target_choices(workspace)]

    def clean_target(self):
        return parse_target(self.workspace, self.cleaned_data["target"])

    def clean(self):
        data = super().clean()
        taken = self.workspace.tracker_mappings.filter(
            source=data.get("source", ""), field=data.get("field"), value=data.get("value")
        )
        if "value" in data and taken.exists():
            raise forms.ValidationError(
                "That value is already mapped for this tracker; delete that mapping first."
            )
        return data


class DecideForm(forms.Form):
    """Accept or reject pending suggestions: those ticked, every item's best above a score, or
    all of one target's."""

    ACTIONS = {
        "accept": "Accept the ticked suggestions",
        "reject": "Reject the ticked suggestions",
        "accept_above": "Accept each item's best suggestion scoring at least",
        "accept_target": "Accept every suggestion for this target",
    }

    action = forms.ChoiceField(choices=list(ACTIONS.items()))
    ids = ModelIdsField(queryset=LinkSuggestion.objects.none(), required=False)
    min_score = forms.FloatField(min_value=0, max_value=100, required=False)
    target = forms.ChoiceField(required=False)

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.pending = LinkSuggestion.objects.filter(
            item__workspace=workspace, decision=LinkSuggestion.Decision.PENDING
        )
        self.fields["ids"].queryset = self.pending
        self.fields["target"].choices = [("", ""), *target_choices(workspace)]

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action in ("accept", "reject") and not data.get("ids"):
            raise forms.ValidationError("Tick at least one suggestion.")
        if action == "accept_above" and data.get("min_score") is None:
            self.add_error("min_score", "Give a score from 0 to 100.")
        if action == "accept_target" and not data.get("target"):
            self.add_error("target", "Pick the target whose suggestions to accept.")
        return data

    def chosen(self):
        """The pending suggestions the action applies to (for accept_above, each item's best
        at or above the score; accepting links an item once, so only its best counts)."""
        data = self.cleaned_data
        action = data["action"]
        if action in ("accept", "reject"):
            return data["ids"]
        if action == "accept_target":
            kind, pk = data["target"].split(":")
            return self.pending.filter(**{f"{kind}_id": pk})
        return self.pending.filter(score__gte=data["min_score"])


def is_utf8_text(head: bytes) -> bool:
    """Whether a file's first bytes are UTF-8 text: no NUL, and they decode, allowing for a
    character cut at the end of the sample (an incremental decoder waits for its rest)."""
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return b"\0" not in head


class ImportForm(forms.Form):
    """A tracker's export to import in the background; the file is checked here only for what
    can be told at once (size, text or not), the rows by the import itself."""

    FORMATS = list(FORMAT_NAMES.items())  # the words the import's advice names them by

    file = forms.FileField(help_text=f"CSV or JSON, UTF-8, up to {MAX_UPLOAD_MB} MB.")
    file_format = forms.ChoiceField(label=FORMAT_LIST, choices=FORMATS, initial="auto")
    project = forms.CharField(
        label="GitHub repository",
        required=False,
        max_length=200,
        help_text="GitHub JSON only: owner/repo, for issues that do not name theirs.",
    )
    columns = forms.CharField(
        label="Column names",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Other CSV only: one field=Column a line, e.g. title=Summary. Fields: "
        + ", ".join(FIELDS)
        + ".",
    )
    key_from_row = forms.BooleanField(
        label="The file has no key column (key the items row-1, row-2, …)", required=False
    )
    # The CLI's --source: an other CSV holding a tracker's keys updates that tracker's items.
    source = forms.ChoiceField(
        label="Keys from",
        required=False,
        choices=[("", "The format's tracker (an other CSV: csv)"), *Source.choices],
        help_text="Which tracker the keys belong to, e.g. Jira for a spreadsheet of Jira issues: "
        "its rows then update the items imported from Jira.",
    )
    team = forms.ModelChoiceField(
        label="Team for items the file does not place",
        queryset=Team.objects.none(),
        required=False,
        empty_label="No team",
        help_text="For rows whose team the file does not give (GitHub issues give none) or names "
        "as no team of this workspace (a Jira project name, a Linear team).",
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = workspace.teams.order_by("name")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(f"The file is larger than {MAX_UPLOAD_MB} MB.")
        upload.seek(0)
        head = upload.read(SNIFF_BYTES)
        upload.seek(0)
        if is_utf8_text(head):
            return upload
        _, why = encoding_problem(head) or (0, "it holds NUL bytes, as no text file does")
        raise forms.ValidationError(f"This is not a UTF-8 text file: {why}")

    def clean_columns(self) -> dict[str, str]:
        try:
            return column_names(self.cleaned_data["columns"], FIELDS)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        file_format = data.get("file_format")
        if (data.get("columns") or data.get("key_from_row")) and file_format not in ("csv", "auto"):
            self.add_error("columns", "Column names and row keys are for an other CSV only.")
        if data.get("project") and file_format not in ("github-json", "auto"):
            self.add_error("project", "A GitHub repository is for GitHub JSON only.")
        return data

    @staticmethod
    def initial_from(options: dict) -> dict:
        """The form as it was filled in for an earlier run of these options, for the file to be
        chosen again once corrected: what was typed (column names above all) is not typed twice."""
        mapping = options.get("mapping") or {}
        return {
            "file_format": options.get("format", "auto"),
            "project": options.get("project", ""),
            "columns": "\n".join(f"{field}={column}" for field, column in mapping.items()),
            "key_from_row": options.get("key_from_row", False),
            "source": options.get("source", ""),
            "team": options.get("team"),
        }

    def options(self) -> dict:
        """The run's options: what the import is called with."""
        data = self.cleaned_data
        file_format = data["file_format"]
        if file_format == "auto" and (data["columns"] or data["key_from_row"]):
            file_format = "csv"  # column names say it is a CSV of its own
        elif file_format == "auto" and data["project"]:
            file_format = "github-json"
        return {
            "format": file_format,
            "project": data["project"].strip(),
            "mapping": data["columns"],
            "key_from_row": data["key_from_row"],
            "source": data["source"],
            "team": data["team"].pk if data["team"] else None,
        }
