import math
import re
from datetime import timedelta

from django import forms
from django.utils import timezone

from truenorth.analysis.priorities import split_items
from truenorth.checkins import DEFAULT_OPEN_DAYS
from truenorth.checkins.actions import create_alignment_pulse, date_problems, reschedule
from truenorth.checkins.models import Kind, Question, Role, SourceKind
from truenorth.ids import ModelIdsField

SCALE = [(n, str(n)) for n in range(1, 6)]
# What 1 and 5 mean when the prompt does not say, as in "(1 = strongly disagree, 5 = …)".
SCALE_ENDS = ("not at all", "completely")
SCALE_ENDS_IN_PROMPT = re.compile(r"\s*\(1\s*=\s*([^,()]+),\s*5\s*=\s*([^()]+)\)\s*$")
PRIORITY_FIELDS = 3
# A required priorities question asks for one priority at least: no single box is required, so
# the question, not its last box, says what is missing.
AT_LEAST_ONE_PRIORITY = "Write at least one priority; the other boxes may stay empty."
# The other questions left empty, worded as the priorities one rather than "This field is
# required.", which names a field where the page asks a question.
ANSWER_NEEDED = "Write an answer; this question cannot be left empty."
NUMBER_NEEDED = "Choose a number from 1 to 5; this question cannot be left empty."
NOT_ON_THE_SCALE = "Choose a number from 1 to 5; %(value)s is not one of them."
# The time to answer shown at the top: about 30 seconds to pick a number on a scale, a minute
# to write a few words (a sentence, or three short priorities). Rounded up to whole minutes.
SECONDS_PER_ANSWER = {Kind.SCALE: 30, Kind.TEXT: 60}
OPTIONAL = "(optional)"
# The longest written answer, in characters. The box has no maxlength: a browser cuts a longer
# paste there without a word, so the page said "saved" over an answer it had shortened.
ANSWER_LIMIT = 5000
# The longest priority, one box's. No maxlength either, for the same reason.
PRIORITY_LIMIT = 300


def within_the_limit(text: str) -> None:
    """Refuses a written answer over ANSWER_LIMIT, counted as the page's counter counts it (a
    line break is one character, though a browser sends two)."""
    length = len(text.replace("\r\n", "\n"))
    if length > ANSWER_LIMIT:
        raise forms.ValidationError(
            f"This answer is {length:,} characters; the limit is {ANSWER_LIMIT:,}. "
            "Shorten it: nothing was saved.",
            code="max_length",
        )


def labelled(prompt: str, required: bool) -> str:
    """The prompt as shown: every question that may be left empty says so the same way."""
    if required or prompt.rstrip().lower().endswith(OPTIONAL):
        return prompt
    return f"{prompt.rstrip()} {OPTIONAL}"


def scale_wording(prompt: str) -> tuple[str, tuple[str, str]]:
    """The question without its "(1 = …, 5 = …)" and the words for its two ends."""
    ends = SCALE_ENDS_IN_PROMPT.search(prompt)
    if ends is None:
        return prompt, SCALE_ENDS
    return prompt[: ends.start()], (ends.group(1).strip(), ends.group(2).strip())


class PrioritiesWidget(forms.MultiWidget):
    """One short box per priority, named q<position>_0, _1, _2."""

    def __init__(self):
        box = {"autocomplete": "off"}
        super().__init__([forms.TextInput(attrs=box) for _ in range(PRIORITY_FIELDS)])

    def decompress(self, value: str | None) -> list[str]:
        """A saved answer back into its boxes: one a line, as saved since there are boxes;
        an answer written in one box before is split the way the analysis reads it."""
        items = split_items(value or "", limit=100)
        last = PRIORITY_FIELDS - 1
        kept = items[:last] + ["; ".join(items[last:])]  # split_items splits "; " again
        return kept + [""] * (PRIORITY_FIELDS - len(kept))

    def value_from_datadict(self, data, files, name):
        # A form opened before the boxes came (one box, named q<position>) still saves.
        if name in data and not any(f"{name}_{i}" in data for i in range(PRIORITY_FIELDS)):
            return [data[name], "", ""]
        return super().value_from_datadict(data, files, name)


class PrioritiesField(forms.MultiValueField):
    """The top priorities, each in its own box, stored as one text with a priority a line:
    the analysis (analysis.priorities.split_items) reads each line as one priority, as it
    reads the numbered lists and bullets of answers written in one box."""

    widget = PrioritiesWidget

    def __init__(self, **kwargs):
        too_long = (
            f"A priority is at most {PRIORITY_LIMIT} characters; priority %(number)s is "
            "%(show_value)d. Shorten it: nothing was saved."
        )
        boxes = [
            forms.CharField(
                required=False,
                max_length=PRIORITY_LIMIT,
                error_messages={"max_length": too_long.replace("%(number)s", str(number))},
            )
            for number in range(1, PRIORITY_FIELDS + 1)
        ]
        messages = {"required": AT_LEAST_ONE_PRIORITY}
        super().__init__(boxes, require_all_fields=False, error_messages=messages, **kwargs)

    def clean(self, value):
        # A box of spaces is an empty box: stripped before the check for at least one priority,
        # or three spaces passed it and the answer saved with no priority in it.
        if isinstance(value, list | tuple):
            value = [text.strip() if isinstance(text, str) else text for text in value]
        return super().clean(value)

    def compress(self, data_list) -> str:
        return "\n".join(" ".join(text.split()) for text in data_list if text and text.strip())


class AnswerForm(forms.Form):
    """One field per question of a check-in, named q<position>."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            name = f"q{question.position}"
            field = self.fields[name] = self.field_for(question)
            # The page says under a comment what becomes of it (checkins/answer.html), unless no
            # result of the check-in can be shown: then it has no hint to point to.
            field.is_comment = question.role == Role.COMMENT
            described_by = []
            if field.is_comment and not question.checkin.too_few_asked:
                described_by.append(f"id_{name}_hint")
            if getattr(field, "limit", None):  # the written answer's "Up to 5,000 characters"
                described_by.append(f"id_{name}_limit")
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)

    def full_clean(self):
        super().full_clean()
        # A refused answer's box (each button of a scale) is described by why, too: a screen
        # reader said "invalid" and read the limit, never the error under it.
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                said = attrs.get("aria-describedby", "").split()
                if f"id_{name}_error" not in said:
                    attrs["aria-describedby"] = " ".join([*said, f"id_{name}_error"])

    @staticmethod
    def field_for(question) -> forms.Field:
        if question.kind == Kind.SCALE:
            legend, ends = scale_wording(question.prompt)
            field = forms.TypedChoiceField(
                label=labelled(legend, question.required),
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                required=question.required,
                empty_value=None,
                error_messages={"required": NUMBER_NEEDED, "invalid_choice": NOT_ON_THE_SCALE},
            )
            field.scale_ends = ends
            return field
        if question.role == Role.PRIORITIES:
            label = labelled(question.prompt, question.required)
            return PrioritiesField(label=label, required=question.required)
        field = forms.CharField(
            label=labelled(question.prompt, question.required),
            required=question.required,
            validators=[within_the_limit],
            error_messages={"required": ANSWER_NEEDED},
            widget=forms.Textarea(attrs={"rows": 3, "data-limit": ANSWER_LIMIT}),
        )
        field.limit = ANSWER_LIMIT
        field.limit_words = f"Up to {ANSWER_LIMIT:,} characters."
        return field

    def answers(self) -> dict:
        return {q: self.cleaned_data[f"q{q.position}"] for q in self.questions}

    def minutes_to_answer(self) -> int:
        seconds = sum(SECONDS_PER_ANSWER.get(q.kind, 60) for q in self.questions)
        return max(1, math.ceil(seconds / 60))


# A moment to the minute, as the browser's date-and-time picker writes it.
MINUTE = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})


class CheckInForm(forms.Form):
    """A new Alignment pulse: title, audience, dates, anonymity. `create` makes it, once valid
    (the page and the API both)."""

    title = forms.CharField(max_length=200)
    opens_at = forms.DateTimeField(widget=MINUTE)
    closes_at = forms.DateTimeField(widget=MINUTE)
    anonymous = forms.BooleanField(
        required=False,
        initial=True,
        help_text="Answers are never tied to a name. Its links go only by email, so it needs a "
        "mail server; an attributed check-in's links can also be handed out without one.",
    )
    functions = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave functions and teams empty to ask everyone.",
    )
    teams = ModelIdsField(queryset=None, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        from truenorth.workspaces.models import Function

        self.workspace = workspace
        in_zone = f"In the workspace's time zone, {workspace.time_zone}."
        self.fields["opens_at"].help_text = self.fields["closes_at"].help_text = in_zone
        self.fields["functions"].choices = [c for c in Function.choices if c[0] != Function.PARTNER]
        self.fields["teams"].queryset = workspace.teams.filter(archived=False)
        if not self.is_bound:  # a new check-in opens now and runs a week, unless told otherwise
            now = timezone.now().replace(second=0, microsecond=0)
            self.initial.setdefault("opens_at", now)
            self.initial.setdefault("closes_at", now + timedelta(days=DEFAULT_OPEN_DAYS))

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at"):
            problems = date_problems(data["opens_at"], data["closes_at"], timezone.now())
            for field, problem in problems.items():
                self.add_error(field, problem)
        return data

    def create(self, by=None):
        """The pulse, made from the valid form (checkins.actions.create_alignment_pulse)."""
        data = self.cleaned_data
        return create_alignment_pulse(
            self.workspace,
            data["title"],
            data["opens_at"],
            data["closes_at"],
            data["anonymous"],
            by=by,
            functions=data["functions"],
            teams=data["teams"],
        )


class DatesForm(forms.Form):
    """A check-in's new dates (checkins.actions.reschedule says which may move). Its opening
    is shown, not asked, once it has opened."""

    opens_at = forms.DateTimeField(label="Opens", widget=MINUTE)
    closes_at = forms.DateTimeField(label="Closes", widget=MINUTE)

    def __init__(self, *args, checkin, **kwargs):
        super().__init__(*args, **kwargs)
        self.checkin = checkin
        self.initial = {"opens_at": checkin.opens_at, "closes_at": checkin.closes_at}
        in_zone = f"In the workspace's time zone, {checkin.workspace.time_zone}."
        self.fields["opens_at"].help_text = self.fields["closes_at"].help_text = in_zone
        self.fields["opens_at"].disabled = not checkin.opens_later()

    def save(self) -> bool:
        """Move the dates; False, with the reasons on the form, when they may not move so."""
        data = self.cleaned_data
        # A disabled field gives its initial value without its seconds: the stored one stays.
        kept = self.fields["opens_at"].disabled
        opens_at = self.checkin.opens_at if kept else data["opens_at"]
        try:
            reschedule(self.checkin, opens_at, data["closes_at"])
        except forms.ValidationError as refusal:
            self.add_error(None, refusal)
            return False
        return True


class QuestionForm(forms.ModelForm):
    """An editor's own question, optionally tied to a source its answers are compared with."""

    class Meta:
        model = Question
        fields = ["prompt", "kind", "required", "source_kind", "source_goal", "source_text"]
        widgets = {"prompt": forms.Textarea(attrs={"rows": 2}),
                   "source_text": forms.Textarea(attrs={"rows": 2})}  # fmt: skip
        labels = {"source_kind": "Compare answers with", "source_goal": "Goal",
                  "source_text": "Text"}  # fmt: skip

    def __init__(self, *args, checkin, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.checkin = checkin
        self.fields["source_goal"].queryset = checkin.workspace.goals.all()
        # A decision or an update is asked about only through its back-brief, which pins its parts.
        pinned = (SourceKind.DECISION, SourceKind.UPDATE)
        choices = self.fields["source_kind"].choices
        self.fields["source_kind"].choices = [c for c in choices if c[0] not in pinned]

    def clean(self):
        data = super().clean()
        source = data.get("source_kind")
        if source == SourceKind.GOAL and not data.get("source_goal"):
            self.add_error("source_goal", "Choose the goal answers are compared with.")
        if source == SourceKind.TEXT and not data.get("source_text", "").strip():
            self.add_error("source_text", "Write the text answers are compared with.")
        if data.get("kind") == Kind.SCALE and source != SourceKind.NONE:
            self.add_error("source_kind", "A 1–5 answer cannot be compared with a text.")
        return data
