"""What a screen reader calls the links and buttons of the list pages: a row's action names its
row ("Archive Customer", never thirteen "Archive"), and a table that scrolls inside its box is a
region named for it, as the box takes the keyboard's focus."""

from datetime import date
from html.parser import HTMLParser

import pytest

from truenorth.rituals.models import CalendarFeed


@pytest.fixture
def demo(analysed_demo):
    return analysed_demo


class Controls(HTMLParser):
    """The links and buttons inside <main>, each as (its name, where it leads), and the
    attributes of each box a table scrolls in (div.table-wrap, div.scroll)."""

    def __init__(self):
        super().__init__()
        self.in_main = False
        self.open: list[list] = []  # the links and buttons being read: tag, label, words, target
        self.hidden_depth = 0  # inside aria-hidden="true", nothing is read
        self.tags: list[bool] = []  # per open element: whether it hid what is inside
        self.form: list = []
        self.found: list[tuple[str, str]] = []
        self.boxes: list[dict] = []
        self.in_chart = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "main":
            self.in_main = True
        if not self.in_main or tag in ("input", "br", "img", "meta", "link"):
            if self.in_main and tag == "input" and a.get("type") == "hidden":
                self.form.append((a.get("name"), a.get("value")))
            return
        hides = a.get("aria-hidden") == "true"
        self.tags.append(hides)
        self.hidden_depth += hides
        if tag == "form":
            self.form = [a.get("action")]
        if tag == "details" and "chart-data" in a.get("class", ""):
            self.in_chart = True  # a chart's figures (charts.py), not the page's list
        boxed = set(a.get("class", "").split()) & {"table-wrap", "scroll"}
        if tag == "div" and boxed and not self.in_chart:
            self.boxes.append(a)
        if tag in ("a", "button"):
            target = a.get("href") if tag == "a" else (*self.form, a.get("name"), a.get("value"))
            self.open.append([tag, a.get("aria-label"), [], target])

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        if not self.in_main or not self.tags:
            return
        self.hidden_depth -= self.tags.pop()
        if tag == "details":
            self.in_chart = False
        if tag in ("a", "button") and self.open:
            kind, label, words, target = self.open.pop()
            name = label or " ".join("".join(words).split())
            self.found.append((f"{kind} “{name}”", str(target)))
            for outer in self.open:
                outer[2].append(name)

    def handle_data(self, data):
        if not self.hidden_depth:
            for control in self.open:
                control[2].append(data)


def read(demo_client, demo, path: str) -> Controls:
    response = demo_client(demo, "owner").get(f"/w/{demo.slug}/{path}")
    assert response.status_code == 200, path
    controls = Controls()
    controls.feed(response.content.decode())
    return controls


def names(controls: Controls) -> set[str]:
    return {name for name, _ in controls.found}


def same_name_elsewhere(controls: Controls) -> list[str]:
    """The names given to two controls that do different things: which of them is meant can
    only be told by the row around it, which a list of links or buttons does not read out."""
    leads: dict[str, set[str]] = {}
    for name, target in controls.found:
        leads.setdefault(name, set()).add(target)
    return sorted(f"{name} ×{len(targets)}" for name, targets in leads.items() if len(targets) > 1)


def test_each_teams_archive_button_names_its_team(db, demo_client, demo):
    team = demo.teams.first()
    team.archived = True
    team.save()
    controls = read(demo_client, demo, "teams/")
    assert same_name_elsewhere(controls) == []
    for other in demo.teams.exclude(pk=team.pk):
        assert f"button “Archive {other.name}”" in names(controls)
        assert f"a “Edit {other.name}”" in names(controls)
    assert f"button “Bring back {team.name}”" in names(controls)


def test_each_persons_edit_link_names_them(db, demo_client, demo):
    controls = read(demo_client, demo, "people/?status=all")
    assert same_name_elsewhere(controls) == []
    for person in demo.people.order_by("name")[:100]:
        assert f"a “Edit {person.name}”" in names(controls)


def test_each_quote_and_theme_button_names_what_it_is_for(db, demo_client, demo):
    controls = read(demo_client, demo, "feedback/themes/")
    assert same_name_elsewhere(controls) == []
    items = [name for name in names(controls) if name.startswith("a “item ")]
    assert len(items) > 10, items
    themes = demo_client(demo, "owner").get(f"/w/{demo.slug}/feedback/themes.json").json()
    quote = themes["themes"][0]["quotes"][0]
    said = date.fromisoformat(quote["received_on"])
    named = f"a “item {quote['id']} from {quote['account']}, {said.day} {said:%b %Y}”"
    assert named in names(controls)
    for name in ("Not this", "Link…", "how it feels", "what it does"):
        assert sum(shown.startswith(f"button “{name} (") for shown in names(controls)) > 1, name
    assert "button “how it feels (goal 1, “" in " ".join(names(controls))


def test_each_calendar_feeds_revoke_button_names_the_feed(db, demo_client, demo):
    person = demo.people.first()
    CalendarFeed.issue(demo, person)
    CalendarFeed.issue(demo)
    controls = read(demo_client, demo, "rituals/calendar/")
    assert same_name_elsewhere(controls) == []
    revoke = sorted(name for name in names(controls) if name.startswith("button “Revoke"))
    assert [name.split(",")[0] for name in revoke] == [
        f"button “Revoke the feed for {person.name}",
        "button “Revoke the feed for The whole workspace",
    ]


@pytest.mark.parametrize(
    "path, label",
    [
        ("teams/", "Teams"),
        ("people/", "People"),
        ("people/import/", "Columns recognised"),
        ("decisions/", "Decisions"),
        ("rituals/", "Rituals"),
        ("rituals/1/", "Recent sessions"),
        ("feedback/", "Feedback"),
        ("claims/", "Claims"),
        ("work/", "Work items"),
    ],
)
def test_a_table_that_scrolls_in_its_box_is_a_region_named_for_it(
    db, demo_client, demo, path, label
):
    boxes = read(demo_client, demo, path).boxes
    assert boxes, path
    for box in boxes:
        assert (box.get("role"), box.get("tabindex")) == ("region", "0"), box
    assert [box["aria-label"] for box in boxes] == [label]
