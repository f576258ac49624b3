import re
from decimal import Decimal

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.text import capfirst

from truenorth.analysis.priorities import plain
from truenorth.charts import day, number
from truenorth.days import implausible
from truenorth.sending import in_quotes
from truenorth.strategy.models import Goal, GoalMeasurement, Vision
from truenorth.strategy.targets import (
    PARTS_OF_A_YEAR,
    Target,
    half_or_quarter,
    period_end,
    unit_kind,
    written_number,
    written_value,
)

# Enough for any real vision or goal; a pasted novel is refused, not published as a 600 KB page.
MAX_FIELD_CHARS = 5000


def limit_text_fields(form: forms.BaseForm) -> None:
    """Give every text field without a length limit of its own MAX_FIELD_CHARS."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and field.max_length is None:
            field.max_length = MAX_FIELD_CHARS
            field.validators.append(MaxLengthValidator(MAX_FIELD_CHARS))
            field.widget.attrs["maxlength"] = str(MAX_FIELD_CHARS)


class VisionForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_text_fields(self)

    class Meta:
        model = Vision
        fields = ["statement", *Vision.PARTS]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in [
                "statement",
                "destination",
                "measures_of_progress",
                "user_benefit",
                "business_outcome",
            ]
        }


class NamesField(forms.CharField):
    """A list of names, typed on one line separated by commas."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value) -> list[str]:
        names = (name.strip() for name in super().to_python(value).split(","))
        return list(dict.fromkeys(name for name in names if name))


class GoalForm(forms.ModelForm):
    """A goal's fields, and the target value its pace is judged against: the one typed under
    "Target value", else the one its target states when that is a number alone ("120",
    "≤ 0.5 %", "from 600 to 60"), dated "Target date", else the end of its period. Saving
    records it (strategy.actions) when the goal is new, when its target or period changed, when
    a value or date is typed, or when none is recorded yet: a target value recorded on the card
    since stays through edits of the rest."""

    names = NamesField(
        required=False,
        help_text=(
            "The short names and synonyms people use for this goal, separated by commas, e.g. "
            "“payments, supplier payments”. A priority written as one of them names this goal."
        ),
    )
    target_value = forms.CharField(
        required=False,
        max_length=40,
        help_text=(
            "The number the pace is judged against, with its unit: “120”, “0.5%”, “3 days”. "
            "Leave it empty when the target above is a number alone (“120”, “≤ 0.5%”, “from "
            "600 to 60”): it is read from there."
        ),
    )
    target_on = forms.DateField(
        required=False,
        label="Target date",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=(
            "The day the target value is for. Leave it empty for the end of the period: "
            "30 Jun 2027 for 2027-H1 or Q2 2027, 31 Dec 2027 for 2027."
        ),
    )
    field_order = [
        *["title", "why", "why_now", "metric", "target", "period"],
        *["target_value", "target_on", "names"],
    ]

    class Meta:
        model = Goal
        fields = ["title", "why", "why_now", "metric", "target", "period", "names"]
        widgets = {
            "why": forms.Textarea(attrs={"rows": 3}),
            "why_now": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_period(self) -> str:
        period = self.cleaned_data["period"]
        written = half_or_quarter(period)
        if written:
            _year, part, number = written
            parts = PARTS_OF_A_YEAR[part]
            if not 1 <= number <= parts:
                name = "halves" if parts == 2 else "quarters"
                raise forms.ValidationError(f"A year has {parts} {name}: {part}1 to {part}{parts}.")
        return period

    def __init__(self, *args, workspace=None, **kwargs):
        super().__init__(*args, **kwargs)
        limit_text_fields(self)
        self.workspace = workspace
        self.new_target: Target | None = None  # what saving records, once valid
        # The words as saved, read before the form writes what was typed over them.
        self.saved_words = (self.instance.target, self.instance.period)
        self.recorded = self.recorded_target()
        if self.recorded:
            now = self.recorded
            said = f"{number(now.value, now.unit)} by {day(now.measured_on)}"
            self.fields["target_value"].help_text += f" Recorded now: {said}."

    def recorded_target(self) -> GoalMeasurement | None:
        """The goal's target value as its pace judges against it (the latest-dated)."""
        if not self.instance.pk:
            return None
        return self.instance.measurements.filter(is_target=True).order_by("measured_on").last()

    def clean(self) -> dict:
        data = super().clean()
        if "target" in data and "period" in data:  # neither refused
            value = self.value_to_record(data)
            if value is not None and self.sets_target(data):
                self.new_target = self.dated(value, data)
        return data

    def value_to_record(self, data: dict) -> Target | None:
        """The value typed, else the one the target's words state; None, with the reason on
        its field, where a value typed is no number or not the one the words state."""
        typed, words = data.get("target_value", ""), written_value(data["target"])
        if not typed:
            if words is None and data.get("target_on"):
                self.add_error(
                    "target_value",
                    f"Give the value the target date is for: none could be read from the target "
                    f"“{data['target']}”, which is more than a number alone.",
                )
            return words
        value = written_value(typed)
        if value is None:
            self.add_error(
                "target_value",
                "Write a number, with its unit if it has one: “120”, “0.5%”, “3 days”.",
            )
        elif words and not same_value(words, value):
            self.add_error(
                "target_value",
                f"The target says {exactly(words.value, words.unit)}: give the same value here, or "
                "leave this empty to take it from there.",
            )
        else:
            return value
        return None

    def sets_target(self, data: dict) -> bool:
        """Whether saving records the target value (see the class's docstring)."""
        typed = data.get("target_value") or data.get("target_on")
        changed = self.saved_words != (data["target"], data["period"])
        return bool(typed or changed or not self.instance.pk or self.recorded is None)

    def dated(self, value: Target, data: dict) -> Target | None:
        """The value by its day, held to the measurement form's checks; None where no day is
        known (the card then says what is missing) or the value is refused."""
        on = data.get("target_on") or period_end(data["period"])
        if on is None:
            if data.get("target_value"):
                self.add_error(
                    "target_on",
                    f"Give the day the target value is for: the period “{data['period']}” does "
                    "not say when it ends.",
                )
            return None
        if why := implausible(on, timezone.localdate()):
            self.add_error("target_on" if data.get("target_on") else "period", why)
            return None
        goal_unit = measured_in(self.instance.measurements.all()) if self.instance.pk else ""
        unit = value.unit or goal_unit
        field = "target_value" if data.get("target_value") else "target"
        why = in_goal_unit(value.value, unit, goal_unit) or implausible_value(value.value, unit)
        if why:
            self.add_error(field, why)
            return None
        return Target(value.value, unit, on)

    def clean_names(self) -> list[str]:
        """A name that another goal already has is refused: a priority written as it could not
        say which goal it means (names compare as analysis.priorities.plain does)."""
        names = self.cleaned_data["names"]
        if self.workspace is None:
            return names
        others = self.workspace.goals.exclude(pk=self.instance.pk)
        taken = {plain(name): goal for goal in others for name in goal.names} | {"": None}
        for name in names:
            if goal := taken.get(plain(name)):  # "" (no letter in it) names no goal
                raise forms.ValidationError(
                    f"“{name}” already names goal {goal.rank}, {in_quotes(goal.title)}: a "
                    "priority written as it could not say which of the two it means."
                )
        return names


def same_value(one: Target, other: Target) -> bool:
    """Whether two values are the same, in the same unit where both say one."""
    units = {unit_kind(one.unit), unit_kind(other.unit)} - {""}
    return one.value == other.value and len(units) <= 1


class WrittenNumberField(forms.FloatField):
    def to_python(self, value):
        return super().to_python(written_number(value) if isinstance(value, str) else value)


# Units a value cannot go below zero in: a share, a length of time, a count of things. A unit
# not listed (money, a score such as NPS, degrees) may be negative.
NEVER_NEGATIVE = re.compile(
    r"%|percent|per ?cent"
    r"|(seconds?|secs?|s|minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|wks?|months?|years?|yrs?)"
    r"|count|#|items?|people|persons?|users?|customers?|accounts?|tickets?|invoices?|employees?",
    re.IGNORECASE,
)


def cannot_be_negative(unit: str) -> bool:
    return bool(NEVER_NEGATIVE.fullmatch(unit.strip()))


# Beyond these a value is a typo (a misplaced decimal point, a pasted id), not a reading: one of
# 1e308 made the pace read "at this pace 0%". A million million holds any revenue or count of
# events; a tenfold growth is 1,000%; no goal measures a length of time over a century.
MAX_VALUE = 10**12
MAX_PERCENT = 1000
MAX_YEARS = 100
# A reading more than this many times the goal's target is a slip of the keyboard, whatever the
# unit: a fixed cap cannot know that "3 days" and "€3,000,000" live in different ranges.
MAX_TIMES_TARGET = 1000

# Lengths of time, in days: the units a value may be converted between, since a week is always
# 7 days. A month or a year is not a fixed number of days, so those are never converted.
DAYS_IN = {"second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7}
YEARS_IN = {"month": 1 / 12, "year": 1} | {name: days / 365.25 for name, days in DAYS_IN.items()}


def implausible_value(value: float, unit: str, target: float | None = None) -> str | None:
    """Why a value in `unit` is more likely a typo than a reading, or None; `target` is the
    goal's target value when the value is a reading."""
    if value < 0 and cannot_be_negative(unit):
        return f"A value in {unit} cannot be below zero."
    kind = unit_kind(unit)
    if kind == "%" and value > MAX_PERCENT:
        said = capfirst(exactly(value, "%"))
        return f"{said} is more than {MAX_PERCENT:,}%: is the decimal point misplaced?"
    if abs(value) > MAX_VALUE:  # before the years: 1e308 days is not written out in 309 digits
        said = capfirst(exactly(value, ""))
        return f"{said} is beyond ±{MAX_VALUE:,}: is the value mistyped?"
    if kind in YEARS_IN and value * YEARS_IN[kind] > MAX_YEARS:
        longest = MAX_YEARS / YEARS_IN[kind]
        return (
            f"{number(value, unit)} is more than {MAX_YEARS} years ({number(longest, unit)}): "
            "is the value mistyped?"
        )
    if target and abs(value) > MAX_TIMES_TARGET * abs(target):
        return (
            f"{number(value, unit)} is more than {MAX_TIMES_TARGET:,} times the goal's target "
            f"({exactly(target, unit)}): is the value mistyped?"
        )
    return None


def exactly(value: float, unit: str) -> str:
    """A value with every digit it was given ("0.03%"), where charts.number would round it, in
    thousands as people write it ("1,500,000%", never "1.5e+06%"); past 18 digits, how many it
    has ("a number of 309 digits"), since nobody reads them one by one."""
    if abs(value) >= 10**18:
        return f"a number of {len(f'{abs(value):.0f}'):,} digits"
    written = f"{Decimal(f'{value:.15g}'):,f}"
    return f"{written} {unit}" if unit[:1].isalpha() else written + unit


def in_goal_unit(value: float, unit: str, goal_unit: str) -> str | None:
    """Why a value in `unit` cannot be recorded on a goal measured in `goal_unit`, or None. A
    value is never relabelled: 2.5 weeks stored as "2.5 days" would read as met."""
    if not goal_unit or unit_kind(unit) == unit_kind(goal_unit):
        return None
    said = f"This goal is measured in {goal_unit}, not {unit}"
    if unit_kind(unit) in DAYS_IN and unit_kind(goal_unit) in DAYS_IN:
        converted = value * DAYS_IN[unit_kind(unit)] / DAYS_IN[unit_kind(goal_unit)]
        converted = float(f"{converted:.6g}")  # 2.5 days are 0.357143 weeks, not 0.3571428571
        return f"{said}: record {exactly(value, unit)} as {exactly(converted, goal_unit)}."
    return f"{said}: record the value in {goal_unit}."


def measured_in(measurements) -> str:
    """The unit a goal is measured in so far: its latest-dated measurement's that has one ("" when
    none has). A value typed without a unit is in it; one in another unit is refused."""
    with_unit = [m for m in measurements if m.unit]
    return max(with_unit, key=lambda m: m.measured_on).unit if with_unit else ""


class GoalMeasurementForm(forms.ModelForm):
    """A value of the goal's metric on a day, or its target; a second one for the same day
    replaces the first (a correction, not a second reading). The value may be written as people
    write numbers (written_number); one written with "%" is in %."""

    value = WrittenNumberField()

    class Meta:
        model = GoalMeasurement
        fields = ["measured_on", "value", "unit", "is_target"]
        labels = {"measured_on": "On", "is_target": "This is the target"}
        widgets = {"measured_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, goal: Goal, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal = goal

    def validate_unique(self) -> None:
        pass  # save() replaces the day's value rather than refusing it

    def clean_unit(self) -> str:
        unit = self.cleaned_data["unit"].strip()
        if not str(self.data.get("value", "")).strip().endswith("%"):
            return unit
        if unit not in ("", "%"):
            raise forms.ValidationError(f"The value is written in %, and the unit says “{unit}”.")
        return "%"

    def clean(self):
        data = super().clean()
        day, today = data.get("measured_on"), timezone.localdate()
        if day and not data.get("is_target") and day > today:
            self.add_error(
                "measured_on",
                "A value is measured on a day that has come; a later day is for the target.",
            )
        elif why := implausible(day, today):
            self.add_error("measured_on", why)
        # A value typed without its unit is in the unit the goal is measured in so far, and is
        # stored in it; a value in another unit is refused, never relabelled.
        goal_unit = self.goal_unit()
        unit = data["unit"] = data.get("unit") or goal_unit
        value = data.get("value")
        if value is None:
            return data
        if why := in_goal_unit(value, unit, goal_unit):
            self.add_error("unit", why)
        elif why := implausible_value(
            value, unit, None if data.get("is_target") else self.target()
        ):
            self.add_error("value", why)
        return data

    def goal_unit(self) -> str:
        return measured_in(self.goal.measurements.all())

    def target(self) -> float | None:
        """The goal's target value, as its pace judges against it (the latest-dated)."""
        latest = self.goal.measurements.filter(is_target=True).order_by("-measured_on").first()
        return latest.value if latest else None

    def save(self, commit: bool = True) -> GoalMeasurement:
        data = self.cleaned_data
        measurement, _ = GoalMeasurement.objects.update_or_create(
            goal=self.goal,
            measured_on=data["measured_on"],
            is_target=data["is_target"],
            defaults={"value": data["value"], "unit": data["unit"]},
        )
        return measurement
