"""Forms a screen reader can follow: every id a field points at (its error, its help) is on the
page, a group of tick boxes is named by a legend rather than a label pointing at nothing, and a
refused form opens with its problems, each a link to its field."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.test_every_page import PAGES, url_arguments
from truenorth.decisions.models import Decision
from truenorth.glossary.models import Term

REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls")


class Page(HTMLParser):
    """The ids a page holds, what points at an id, and where its tick boxes sit."""

    def __init__(self, text: str):
        super().__init__()
        self.ids: set[str] = set()
        self.pointers: list[tuple[str, str]] = []  # (what points, the id it names)
        self.open: list[tuple[str, dict]] = []
        self.boxes: list[tuple[str, bool]] = []  # (name, inside a fieldset)
        self.legends: int = 0
        self.problem_links: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in REFERENCES:
            for target in attrs.get(name, "").split():
                self.pointers.append((f"<{tag} {name}>", target))
        if tag == "label" and "for" in attrs:
            self.pointers.append(("<label for>", attrs["for"]))
        if tag == "a" and attrs.get("href", "").startswith("#") and self.inside("form-problems"):
            self.problem_links.append(attrs["href"][1:])
            self.pointers.append(("a problem's link", attrs["href"][1:]))
        if tag == "input" and attrs.get("type") in ("checkbox", "radio") and attrs.get("name"):
            in_fieldset = any(tag == "fieldset" for tag, _ in self.open)
            self.boxes.append((attrs["name"], in_fieldset))
        if tag == "legend":
            self.legends += 1
        if tag not in ("input", "br", "img", "meta", "link", "hr", "col", "source", "wbr"):
            self.open.append((tag, attrs))

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                return

    def inside(self, css_class: str) -> bool:
        return any(css_class in attrs.get("class", "").split() for _, attrs in self.open)

    def groups_outside_a_fieldset(self) -> set[str]:
        """The names of several boxes (a group) not inside a fieldset; a lone tick box of its
        own name ("Anonymous") is named well enough by its label."""
        names = [name for name, _ in self.boxes]
        return {name for name, inside in self.boxes if not inside and names.count(name) > 1}

    def unresolved(self) -> list[tuple[str, str]]:
        return [(what, target) for what, target in self.pointers if target not in self.ids]


def read(response) -> Page:
    return Page(response.content.decode())


def is_html(response) -> bool:
    return response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("name", PAGES)
def test_every_page_and_every_refused_form_points_only_at_ids_it_has(
    name, workspace, strategy, users, team, client
):
    """Each workspace page as its owner sees it, and as it comes back when its form is sent
    empty (most refuse it): Django points a field at <id>_error and <id>_helptext, so the page
    must hold them, and no label may point at nothing."""
    pattern = PAGES[name]
    arguments = url_arguments(workspace, strategy, users, team, "owner")
    kwargs = {"slug": "acme"} | {key: arguments[key] for key in pattern.pattern.converters}
    url = reverse(name, kwargs=kwargs)
    client.force_login(users["owner"])
    for response in (client.get(url), client.post(url)):
        if response.status_code in (200, 400) and is_html(response):
            page = read(response)
            assert page.unresolved() == [], (response.request["REQUEST_METHOD"], url)


@pytest.fixture
def term(workspace):
    return Term.objects.create(workspace=workspace, name="customer", canonical_definition="Pays.")


@pytest.fixture
def decision(workspace):
    today = timezone.localdate()
    return Decision.objects.create(
        workspace=workspace, number=3, title="Ledger", question="Which?", raised_on=today
    )


def refused(client_for, workspace, term, decision) -> dict:
    """Forms sent wrong as their users send them: each refused page, by what was refused."""
    opens = timezone.localtime() + timedelta(days=7)
    backwards = {
        "title": "Pulse",
        "opens_at": opens.strftime("%Y-%m-%d %H:%M"),
        "closes_at": (opens - timedelta(days=3)).strftime("%Y-%m-%d %H:%M"),
    }
    owner = client_for("owner")  # one client, logged in as each in turn
    pages = {"closes before it opens": owner.post("/w/acme/checkins/new/", backwards)}
    pages["an empty ritual"] = owner.post("/w/acme/rituals/new/", {})
    pages["an empty goal"] = owner.post("/w/acme/goals/new/", {})
    pages["an empty vision"] = owner.post("/w/acme/vision/edit/", {})
    pages["a person without a name"] = owner.post("/w/acme/people/new/", {"email": "no"})
    pages["an empty question"] = owner.post(f"/w/acme/glossary/{term.pk}/ask/", {"where": "own"})
    pages["an empty decision"] = owner.post("/w/acme/decisions/new/", {})
    pages["a decision decided too early"] = owner.post(
        f"/w/acme/decisions/{decision.number}/decide/",
        {"decided_on": "2001-01-01", "outcome": "Per entity."},
    )
    pages["an empty comment"] = client_for("member").post(
        f"/w/acme/decisions/{decision.number}/comments/", {}
    )
    owner.logout()
    pages["a wrong password"] = owner.post("/login/", {"username": "owner", "password": "no"})
    return pages


def test_a_refused_form_opens_with_its_problems_each_linked_to_its_field(
    client_for, workspace, users, strategy, term, decision
):
    pages = refused(client_for, workspace, term, decision)
    for what, response in pages.items():
        assert response.status_code in (200, 400), what
        page = read(response)
        text = response.content.decode()
        assert page.unresolved() == [], what
        assert text.count('role="alert" tabindex="-1" autofocus') == 1, what
        assert 'aria-invalid="true"' not in text or page.problem_links, what
    checkin = read(pages["closes before it opens"])
    assert "id_closes_at" in checkin.problem_links and "id_closes_at_error" in checkin.ids
    comment = pages["an empty comment"].content.decode()
    assert 'aria-describedby="id_text_error"' in comment and 'id="id_text_error"' in comment
    early = pages["a decision decided too early"].content.decode()
    assert "Not done: fix what is marked below" in early
    assert "A decision cannot be made before it was raised" in early


@pytest.mark.parametrize("page_of", ["checkins/new/", "rituals/new/", "glossary/{term}/ask/"])
def test_each_group_of_tick_boxes_is_a_fieldset_named_by_its_legend(
    page_of, client_for, workspace, users, strategy, term
):
    response = client_for("owner").get(f"/w/acme/{page_of.format(term=term.pk)}")
    text = response.content.decode()
    page = read(response)
    assert response.status_code == 200
    assert 'for=""' not in text
    assert page.groups_outside_a_fieldset() == set()
    assert page.legends >= 1
    for legend in ("Functions", "Teams"):
        assert f"<legend>{legend}" in text, legend


def test_a_wrong_password_is_said_at_the_top_and_focused(client, users):
    response = client.post("/login/", {"username": "owner", "password": PASSWORD + "x"})
    summary = response.content.decode().split('class="message error form-problems"')[1]
    said = summary.split("</div>")[0]
    assert "Not logged in: fix what is marked below" in said
    assert "No login has that email or username with that password." in said
