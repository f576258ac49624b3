"""The joint audit's own cases: what it finds and what it withholds."""

from truenorth.analysis.disclosure import Group, disclosure_using, find_disclosure, withheld


def people(prefix, n):
    return frozenset(f"{prefix}{i}" for i in range(n))


def section(name, base, **breakdowns):
    groups = [Group(name, (name, "all"), base)]
    for dimension, named in breakdowns.items():
        groups += [Group(name, (name, dimension, g), members) for g, members in named.items()]
    return groups


ENGINEERS, PM, SALES = people("e", 5), frozenset({"pm"}), people("s", 6)
EVERYONE = ENGINEERS | PM | SALES


def test_it_finds_one_person_between_two_groups():
    found = find_disclosure([ENGINEERS | PM, ENGINEERS, EVERYONE], 5)
    assert found is not None and found.members == PM


def test_it_finds_nothing_in_one_partition_of_big_groups():
    assert find_disclosure([EVERYONE, ENGINEERS | PM, SALES], 5) is None


def test_sets_of_the_threshold_or_more_are_not_disclosures():
    assert find_disclosure([ENGINEERS | SALES, SALES], 5) is None


def test_squad_a_and_engineering_are_never_shown_together():
    groups = section(
        "direction",
        EVERYONE,
        function={"engineering": ENGINEERS, "product": PM, "sales": SALES},
        team={"Squad A": ENGINEERS | PM, "Deals": SALES},
    )
    hidden = withheld(groups, 5)
    shown = [g.members for g in groups if g.key not in hidden]
    assert ("direction", "function", "product") in hidden
    assert find_disclosure(shown, 5) is None
    assert ("direction", "all") not in hidden  # the headline survives


def test_a_section_answered_by_one_more_person_is_withheld_whole():
    groups = section("vision", ENGINEERS | SALES) + section("direction", EVERYONE)
    assert withheld(groups, 5) == {("vision", "all")}


def test_identical_groups_are_withheld_together():
    groups = section(
        "q1",
        EVERYONE,
        function={"sales": SALES, "engineering": ENGINEERS, "product": PM},
        team={"Deals": SALES, "Squad A": ENGINEERS | PM},
    )
    hidden = withheld(groups, 5)
    # sales and Deals have the same members: withholding one alone would withhold nothing.
    assert find_disclosure([g.members for g in groups if g.key not in hidden], 5) is None
    sales_keys = {("q1", "function", "sales"), ("q1", "team", "Deals")}
    assert sales_keys <= hidden or not sales_keys & hidden


def test_the_threshold_is_never_below_three():
    groups = section(
        "q1", people("a", 4) | {"x"}, team={"A": people("a", 4), "X": frozenset({"x"})}
    )
    assert ("q1", "team", "X") in withheld(groups, 1)


PLATFORM, CS, SUPPORT, MARKETING = people("p", 3), people("c", 4), people("u", 3), people("m", 6)


def test_three_audiences_add_up_to_twice_a_small_team():
    """Platform+Sales + Platform+CS+Support − Sales+CS+Support = 2 × Platform."""
    published = [PLATFORM | SALES, SALES | CS | SUPPORT]
    found = disclosure_using(published, [PLATFORM | CS | SUPPORT], 5)
    assert found is not None and found.members == PLATFORM


def test_what_the_published_give_away_alone_is_not_laid_on_the_next():
    """Platform+Sales and Sales, published far apart in time, give Platform away on their own:
    a check-in of Marketing published beside them adds nothing to it, one of Platform+CS does."""
    published = [PLATFORM | SALES, SALES]
    assert find_disclosure(published, 5) is not None
    assert disclosure_using(published, [MARKETING], 5) is None
    assert disclosure_using(published, [MARKETING, MARKETING | SALES], 5) is None
    found = disclosure_using(published, [PLATFORM | CS], 5)
    assert found is not None and found.members == CS


WORKFLOW = people("w", 4) | {"pm1"}
CAPTURE = people("c", 4) | {"pm2"}


def test_a_group_whose_figures_are_everyone_less_the_shown_ones_is_shown():
    """Two teams of 5 and two functions, product 2 across them: everyone − engineering gives
    product away, and the solver could as well take Workflow + Capture − engineering and
    withhold Capture, whose figures are everyone's less Workflow's anyway (check-in 6 of a
    tester's walk: "1 smaller group (5 people) not shown")."""
    engineering = (WORKFLOW | CAPTURE) - {"pm1", "pm2"}
    groups = section(
        "q1",
        WORKFLOW | CAPTURE,
        function={"engineering": engineering, "product": frozenset({"pm1", "pm2"})},
        team={"Workflow": WORKFLOW, "Capture": CAPTURE},
    )
    hidden = withheld(groups, 5)
    assert hidden == {("q1", "function", "engineering"), ("q1", "function", "product")}
    assert find_disclosure([g.members for g in groups if g.key not in hidden], 5) is None
