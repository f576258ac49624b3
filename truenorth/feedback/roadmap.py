"""The roadmap's side of customer feedback: the workspace's goals and initiatives as targets,
an editor's word on what addresses which need (NeedLink: accepted, the target addresses the
item whatever the model says; rejected, it never does), and each theme matched
(analysis.needs: how a need and a theme are judged addressed, and the theme's status)."""

import math
from collections import Counter, defaultdict

import numpy as np

from truenorth.analysis.embed import Encoder
from truenorth.analysis.needs import Target, addressing, theme_addressing
from truenorth.analysis.score import SAME_TOPIC, score_matrix
from truenorth.feedback.models import NeedLink
from truenorth.roadmap.models import Status
from truenorth.workspaces.models import Workspace

# Any score: an item's nearest targets, offered first when an editor links it by hand, are
# worth naming even when none is near enough to be a match.
NEAREST = float("-inf")
# Under this score an item is not even on a target's topic (20 is "different, same topic" on
# the human scale the score is calibrated on: analysis.score), so linking a whole theme to the
# target leaves it out unless an editor ticks it: a theme can mix needs, and one click must not
# link an auditor's request to approver reminders. Not chosen on any feedback.
FAR = SAME_TOPIC
# A score from NEARLY up to the match cut is nearly a match: at 30, halfway between "different,
# same topic" (20) and "share some details" (40, what a match is: analysis.matching), the score
# predicts a person's rating nearer a match than the topic alone; the best cut on STS dev was
# 33.0 (docs/analysis.md), inside the band, before it was rounded to 35. So a request scoring
# 30 to 35 may well ask for the target, and is said to be nearly a match, for a person to
# judge, never counted as one. Fixed from the scale, not chosen on any feedback.
NEARLY = 30.0
CLOSEST = 2  # targets named as nearest to a theme nothing addresses, or to an initiative no
# customer asks for: enough to judge by, few enough to read


def targets_of(workspace: Workspace) -> list[Target]:
    """The active initiatives (not dropped), then the goals, in a stable order."""
    initiatives = workspace.initiatives.exclude(status=Status.DROPPED).order_by("pk")
    goals = workspace.goals.order_by("rank", "pk")
    return [
        *(Target("initiative", i.pk, i.title, i.problem, i.status, i.key) for i in initiatives),
        *(Target("goal", g.pk, g.title, g.why, key=f"Goal {g.rank}") for g in goals),
    ]


def editors_word(item_ids: list[int], targets: list[Target]) -> dict[int, dict[int, bool]]:
    """Per item id, the targets (indices) an editor accepted (True) or rejected (False)."""
    index = {(t.kind, t.pk): n for n, t in enumerate(targets)}
    words: dict[int, dict[int, bool]] = defaultdict(dict)
    links = NeedLink.objects.filter(item_id__in=item_ids).values_list(
        "item_id", "initiative_id", "goal_id", "accepted"
    )
    for item_id, initiative_id, goal_id, accepted in links:
        key = ("initiative", initiative_id) if initiative_id else ("goal", goal_id)
        if key in index:  # a link to an initiative since dropped addresses nothing
            words[item_id][index[key]] = accepted
    return words


def with_editors_word(
    suggested: list[set[int]], item_ids: list[int], words: dict[int, dict[int, bool]]
) -> list[set[int]]:
    addressed = []
    for found, item_id in zip(suggested, item_ids, strict=True):
        said = words.get(item_id, {})
        accepted = {n for n, yes in said.items() if yes}
        rejected = {n for n, yes in said.items() if not yes}
        addressed.append((found | accepted) - rejected)
    return addressed


def match_themes(
    workspace: Workspace,
    item_ids: list[int],
    item_vectors: np.ndarray,
    themes: list[list[int]],
    encoder: Encoder,
) -> tuple[list[dict], list[Target], list[set[int]], np.ndarray]:
    """Each theme's status and addressing targets (themes are lists of item rows), the targets,
    per item row the targets that address it, and the (items × targets) scores."""
    targets = targets_of(workspace)
    words = editors_word(item_ids, targets)
    suggested = addressing(item_vectors, targets, encoder.encode)
    addressed = with_editors_word(suggested, item_ids, words)
    scores = unrejected_scores(item_vectors, targets, encoder, item_ids, words)
    found = []
    for members in themes:
        theme = theme_addressing(members, addressed, targets, words, item_ids)
        if theme["status"] == "unaddressed":
            theme.update(what_came_near(members, addressed, targets, scores))
        found.append(theme)
    return found, targets, addressed, scores


def shown_score(score: float) -> float:
    """A score to one decimal, rounded down: 34.95 is no match, and must not read as 35.0."""
    return math.floor(float(score) * 10) / 10


def unrejected_scores(
    item_vectors: np.ndarray,
    targets: list[Target],
    encoder: Encoder,
    item_ids: list[int],
    words: dict[int, dict[int, bool]],
) -> np.ndarray:
    """(items × targets) scores, less those an editor said do not address the item: a target
    rejected for an item is never named as near it."""
    if not targets or len(item_vectors) == 0:
        return np.zeros((len(item_vectors), len(targets)))
    scores = scores_against(item_vectors, targets, encoder)
    for row, item_id in enumerate(item_ids):
        for n, accepted in words.get(item_id, {}).items():
            if not accepted:
                scores[row, n] = -np.inf
    return scores


def what_came_near(
    members: list[int], addressed: list[set[int]], targets: list[Target], scores: np.ndarray
) -> dict:
    """For a theme no target addresses as a whole: the targets that match some of its items
    (too few to make a pattern), and the CLOSEST targets that match none, by the score of the
    theme's item nearest each, so a reader can judge a match the model may have missed."""
    counts = Counter(n for m in members for n in addressed[m])
    matching = [
        {**targets[n].as_dict(), "items": count}
        for n, count in sorted(counts.items(), key=lambda c: (-c[1], c[0]))
    ]
    best = scores[members].max(axis=0) if len(members) and len(targets) else np.zeros(0)
    rows = scores[members].argmax(axis=0) if len(best) else np.zeros(0, dtype=int)
    near = [n for n in np.argsort(-best, kind="stable") if n not in counts and best[n] >= FAR]
    return {
        "matching_some": matching,
        "closest": [
            {
                **targets[n].as_dict(),
                "score": shown_score(best[n]),
                "nearly": bool(best[n] >= NEARLY),
                "row": members[rows[n]],
            }
            for n in near[:CLOSEST]
        ],
    }


def target_of(workspace: Workspace, chosen) -> Target:
    """A goal or an active initiative of the workspace, as the matcher sees it."""
    kind = "initiative" if chosen._meta.model_name == "initiative" else "goal"
    return next(t for t in targets_of(workspace) if (t.kind, t.pk) == (kind, chosen.pk))


def scores_against(item_vectors: np.ndarray, targets: list[Target], encoder: Encoder) -> np.ndarray:
    """(items × targets) scores, 0-100: each target on the better of its two texts, as the
    matcher reads it (analysis.needs.addressing)."""
    text_vectors = encoder.encode([text for target in targets for text in target.texts])
    scores = score_matrix(item_vectors, text_vectors)
    return scores.reshape(len(item_vectors), len(targets), 2).max(axis=2)


def item_matches(workspace: Workspace, item_id: int, words: str, encoder: Encoder) -> dict:
    """What addresses one item, as its themes count it: the targets an editor linked it to and
    those the model suggests (less those an editor said do not address it); those an editor
    unlinked; and the other targets, the nearest to its words apart (nearest first), to link it
    to by hand."""
    targets = targets_of(workspace)
    vector = encoder.encode([words])
    closeness = scores_against(vector, targets, encoder)[0] if targets else []
    [suggested] = addressing(vector, targets, encoder.encode)
    [nearest] = addressing(vector, targets, encoder.encode, cut=NEAREST)
    said = editors_word([item_id], targets).get(item_id, {})
    [addressed] = with_editors_word([suggested], [item_id], {item_id: said})
    rejected = {n for n, yes in said.items() if not yes}
    rest = [n for n in range(len(targets)) if n not in addressed]
    return {
        "addressed_by": [
            {**targets[n].as_dict(), "accepted": said.get(n) is True} for n in sorted(addressed)
        ],
        "not_addressed_by": [targets[n].as_dict() for n in sorted(rejected)],
        "nearest": [
            targets[n].as_dict() for n in sorted(rest, key=lambda n: -closeness[n]) if n in nearest
        ],
        "others": [targets[n].as_dict() for n in rest if n not in nearest],
    }
