"""Small filters for showing measures: percentages, heatmap colours, chart coordinates."""

from django import template

from truenorth.analysis import measures
from truenorth.checkins import measure as checkin_measure

register = template.Library()


@register.filter
def percent(share) -> str:
    return "—" if share is None else f"{measures.rounded(share * 100):.0f}%"


@register.filter
def score(value) -> str:
    """A 0-100 score as a whole number, rounded as every page rounds it (measures.rounded)."""
    return "—" if value is None else f"{measures.rounded(float(value)):.0f}"


@register.simple_tag
def scale_in_words() -> str:
    return measures.scale_in_words()


@register.filter
def heat(value, scale: float = 100) -> str:
    """A background from red (low) through amber to green (high) for a value out of `scale`."""
    if value is None:
        return "background:#f1f2f4"
    hue = max(0.0, min(1.0, float(value) / float(scale))) * 120
    return f"background:hsl({hue:.0f} 65% 82%)"


@register.filter
def signed(change) -> str:
    """A change with its sign, written out in full: "+3", "-2.5", "-2911988", never "2.9e+06"."""
    if change is None:
        return ""
    digits = f"{change:f}".rstrip("0").rstrip(".") if isinstance(change, float) else f"{change}"
    return f"{'+' if change > 0 else ''}{digits}"


@register.filter
def overrun_percent(share) -> str:
    """An effort overrun in percent, always to one decimal and with a true minus sign: "+36.0%",
    "−1.8%", "0.0%", so figures side by side read alike."""
    if share is None:
        return ""
    return "0.0%" if round(share, 1) == 0 else f"{share:+.1f}%".replace("-", "−")


@register.filter
def bubble(count, total) -> float:
    """A circle's radius, its area in proportion to the share of people it stands for."""
    if not total:
        return 0.0
    return round(70 * (float(count) / float(total)) ** 0.5, 1)


@register.filter
def histogram_bars(bars, width: float = 300) -> list[dict]:
    """SVG geometry for a histogram whose bars may be of unequal width (merged so each holds
    at least the threshold): the area of a bar, not its height, is its number of people."""
    if not bars:
        return []
    low, high = bars[0]["from"], bars[-1]["to"]
    scale = width / (high - low)
    density = [b["n"] / (b["to"] - b["from"]) for b in bars]
    top = max(density) or 1
    return [
        {
            "x": round((b["from"] - low) * scale, 1),
            "w": round((b["to"] - b["from"]) * scale, 1),
            "h": round(80 * d / top, 1),
            "y": round(90 - 80 * d / top, 1),
            "n": b["n"],
            "label": bar_label(b["from"], b["to"]),
        }
        for b, d in zip(bars, density, strict=True)
    ]


@register.filter
def add_half(x, width) -> float:
    """The middle of a bar starting at x."""
    return round(float(x) + float(width) / 2, 1)


@register.filter
def histogram_ticks(bars, width: float = 300) -> list[dict]:
    """The axis under a histogram: a score's bars are marked at their edges and labelled there
    ("70", "80"), as "70–80" under a bar a tenth of the chart wide ran into its neighbours'
    ("70–8080–90"); the points of a 1–5 scale are labelled under their bars ("1", "2–5"). A
    label that would meet the one before it is left out, its mark kept (the last edge's label is
    kept over its neighbour's: it says where the scale ends); every bar's range stays whole in
    its title and in the chart's label."""
    drawn = histogram_bars(bars, width)
    if not drawn:
        return []
    if bars[0]["from"] % 1 == 0.5:
        ticks = [tick(b["x"] + b["w"] / 2, b["label"], width, mark=False) for b in drawn]
    else:
        edges = [(d["x"], b["from"]) for d, b in zip(drawn, bars, strict=True)]
        ticks = [tick(x, f"{edge:g}", width) for x, edge in [*edges, (width, bars[-1]["to"])]]
    labelled: list[dict] = []
    for t in ticks:
        while t["anchor"] == "end" and len(labelled) > 1 and meets(labelled[-1], t):
            labelled.pop()["label"] = ""
        if labelled and meets(labelled[-1], t):
            t["label"] = ""
        else:
            labelled.append(t)
    return ticks


# About how wide a digit of a histogram's 12-unit axis label is drawn (0.64 em in the page's
# sans-serif), in viewBox units, and the room left between two labels.
LABEL_CHAR, LABEL_GAP = 8.0, 3.0


def tick(x: float, label: str, width: float, mark: bool = True) -> dict:
    """A label at x, anchored so that it stays inside the chart, with the span it covers."""
    anchor = "start" if x <= 0 else "end" if x >= width else "middle"
    wide = len(label) * LABEL_CHAR
    left = {"start": x, "end": x - wide}.get(anchor, x - wide / 2)
    return {"x": x, "label": label, "anchor": anchor, "mark": mark, "span": (left, left + wide)}


def meets(before: dict, after: dict) -> bool:
    """Whether two labels, left to right, would come within LABEL_GAP of each other."""
    return after["span"][0] - before["span"][1] < LABEL_GAP


def bar_label(low: float, high: float) -> str:
    """ "20–40" for a range of scores; "1–3" or "4" for bars over the points of a 1–5 scale,
    whose edges fall halfway between the points."""
    if low % 1 == 0.5:
        first, last = int(low + 0.5), int(high - 0.5)
        return str(first) if first == last else f"{first}–{last}"
    return f"{low:g}–{high:g}"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


# A report's headline figures by key ("vision.fidelity"), in the registry's words and formats.


def page_value(key: str, value) -> float | None:
    """A report's figure in the unit a page shows; None for a figure the report lacks (a
    template gives '' for a missing key)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return measures.report_value(key, value)


@register.filter
def measure_name(key) -> str:
    return measures.measure(str(key)).name


@register.filter
def measure_meaning(key) -> str:
    return measures.measure(str(key)).meaning


@register.filter
def figure(value, key) -> str:
    """A report's raw figure (a share as a fraction) as a page shows it: "46 / 100", "47%"."""
    return measures.shown(key, page_value(key, value))


@register.filter
def figure_change(change, key) -> str:
    return measures.shown_change(key, page_value(key, change))


@register.filter
def figure_verdict(change, key) -> str:
    """'better' or 'worse' by whether up is good for the measure; '' for no change that shows."""
    return measures.verdict(key, page_value(key, change))


@register.filter
def figure_in_words(value, key) -> str:
    return measures.in_words(key, page_value(key, value))


@register.filter
def readings_in_words(question, key) -> str:
    """A question's distinct readings in a sentence, read against its number of answers: "7.0
    among 7 answers: each answer a reading of its own — lower is better; …"."""
    value = page_value(key, question.get("effective_interpretations"))
    return measures.in_words(key, value, question.get("n"))


@register.filter
def label(name) -> str:
    return str(name).replace("_", " ").capitalize()


@register.filter
def unscored_shown(themes) -> int:
    """The themes, and readings of a theme read more than one way, shown on the page with no
    score: the groups the audit withheld that a reader sees (one it withheld may be a reading
    the page does not list, the whole of its theme)."""
    count = 0
    for theme in themes.get("groups", []):
        count += theme.get("fidelity") is None
        readings = theme.get("readings", {}).get("groups", [])
        if len(readings) > 1:
            count += sum(reading.get("fidelity") is None for reading in readings)
    return count


@register.filter
def phrases(terms) -> list[str]:
    """Distinctive words as a reader reads them: a word or pair within a longer one shown is
    left out, and pairs that overlap are joined, so "soc", "soc type", "type", "type ii", "ii"
    read "soc type ii" rather than "soc soc type type type ii ii". In the order of the best term
    each phrase holds."""
    shown: list[tuple[int, list[str]]] = []
    for rank, term in sorted(enumerate(terms or []), key=lambda t: -len(t[1].split())):
        words = term.split()
        for i, (best, phrase) in enumerate(shown):
            joined = (
                within(words, phrase) or overlapping(phrase, words) or overlapping(words, phrase)
            )
            if joined:
                shown[i] = (min(best, rank), joined)
                break
        else:
            shown.append((rank, words))
    return [" ".join(words) for _, words in sorted(shown)]


def within(words: list[str], phrase: list[str]) -> list[str] | None:
    """The phrase, where the words are in it as they stand."""
    n = len(words)
    return phrase if any(phrase[i : i + n] == words for i in range(len(phrase) - n + 1)) else None


def overlapping(first: list[str], then: list[str]) -> list[str] | None:
    """The two as one, where the first ends with the word the other starts with."""
    return first + then[1:] if len(then) > 1 and first[-1] == then[0] else None


@register.filter
def may_deny_shown(question) -> bool:
    """Whether the page shows a reading of the question that may deny its source, for the
    "may deny" figure to point to: where none is shared by the threshold, none is quoted, and a
    link to "the readings" led to nothing to read."""
    themes = (question.get("themes") or {}).get("groups", [])
    groups = [*themes, *(question.get("interpretations") or {}).get("groups", [])]
    readings = [g for t in themes for g in (t.get("readings") or {}).get("groups", [])]
    return any(g.get("may_deny") or g.get("quotes_may_deny") for g in [*groups, *readings])


@register.filter
def quotes_shown(question) -> bool:
    """Whether the page quotes an answer to the question, for "read the quotes below" to point
    to."""
    return checkin_measure.quotes_shown(question)


@register.filter
def group_label(name, dimension) -> str:
    """A function or team as the page's table names it ("Engineering", "No function given")."""
    return checkin_measure.group_names(str(name), str(dimension))[0]


@register.filter
def functions_unnamed(report) -> bool:
    """Whether a theme or interpretation of the report counts answers "from functions not named
    here", for its "why" to lead to the sentence that says why."""
    for question in report.get("questions", []):
        themes = (question.get("themes") or {}).get("groups", [])
        groups = [*themes, *(question.get("interpretations") or {}).get("groups", [])]
        if any(g.get("other_functions") for g in groups):
            return True
    return False


@register.filter
def shadow_label(shadow) -> str:
    return checkin_measure.shadow_label(shadow)
