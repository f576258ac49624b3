"""Customer themes at scale: what computing them costs for N real feedback items, against
encoding the N texts once.

The items are real texts from shared/evaldata, each once: the labelled Google Play reviews (their
`review` column), then GitHub issue titles, then Jira issue titles (8,444 in all), as feedback
items of the demo workspace (its goals, initiatives and vision are what the themes are matched
to; its own feedback is removed), from a few hundred accounts (ACCOUNTS, with a yearly value
each) over the last year. Everything runs on
a fresh SQLite database in a temporary directory. For each N:

- encode: the configured embedder encoding the N texts once (the model loaded beforehand): the
  least any grouping by meaning costs.
- cold: `feedback.themes.compute` with an empty vector cache (database and memory): a first
  import, every text embedded, then grouped, matched to the roadmap and tagged by kind of value.
- warm: `compute` again, every vector cached: what any later change of the feedback costs (the
  themes are computed again whole; only the texts never seen before are embedded).
- grouping: `analysis.themes.group_answers` alone on the same vectors.

After a change of the feedback no page waits for either: an import (page or CLI) and a saved or
deleted note compute the themes at once (feedback.tasks.refresh_themes), inline or in
`truenorth worker`, and the pages read the kept figures.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/feedback_scale.py                  # ~4 min
    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/feedback_scale.py --sizes 200 1000  # a look
"""

import argparse
import os
import random
import tempfile
import time
from datetime import timedelta
from decimal import Decimal

from evaldata import MACHINE, app_reviews, github_issues, jira_issues
from scratch_database import fresh_database

SIZES = (1_000, 5_000)  # and every text there is
ACCOUNTS = 300
SEGMENTS = ["Enterprise", "Mid-market", "SMB"]
WORTH = {"Enterprise": 120_000, "Mid-market": 30_000, "SMB": 4_000}  # a year, about


def real_texts() -> list[tuple[str, str]]:
    """(source, text): the reviews first, then issue titles, each text once."""
    found: dict[str, str] = {}
    for text, _ in app_reviews():
        found.setdefault(" ".join(text.split()), "app_review")
    for title, _ in github_issues() + jira_issues():
        found.setdefault(" ".join(title.split()), "zendesk")
    return [(source, text) for text, source in found.items() if text]


def load_items(workspace, texts: list[tuple[str, str]], seed: int = 0) -> None:
    """The workspace's feedback is exactly `texts`, from ACCOUNTS accounts over a year."""
    from django.utils import timezone

    from truenorth.feedback.models import FeedbackItem, Kind

    rng = random.Random(seed)
    today = timezone.localdate()
    accounts = [(f"Account {n:03d}", rng.choice(SEGMENTS)) for n in range(ACCOUNTS)]
    # A few accounts say much, most say little, as in any support desk (Zipf-like weights).
    said_by = rng.choices(accounts, [1 / (n + 1) ** 0.8 for n in range(ACCOUNTS)], k=len(texts))
    FeedbackItem.objects.filter(workspace=workspace).delete()
    rows = []
    for n, ((source, text), (account, segment)) in enumerate(zip(texts, said_by, strict=True)):
        rows.append(
            FeedbackItem(
                workspace=workspace,
                source=source,
                source_key=f"bench-{n}",
                kind=Kind.NEED if source == "app_review" else Kind.REQUEST,
                text=text,
                account=account,
                segment=segment,
                account_value=Decimal(WORTH[segment]),
                received_on=today - timedelta(days=rng.randrange(365)),
            )
        )
    FeedbackItem.objects.bulk_create(rows, batch_size=500)


def forget_vectors() -> None:
    """An empty vector cache: the database's and this process's."""
    from truenorth.embeddings import cache
    from truenorth.embeddings.models import Embedding

    Embedding.objects.all().delete()
    cache._recent.clear()


def timed(run):
    started = time.perf_counter()
    value = run()
    return time.perf_counter() - started, value


def measure(workspace, texts: list[tuple[str, str]]) -> dict:
    from truenorth.analysis import themes as grouping
    from truenorth.embeddings.cache import configured_embedder
    from truenorth.feedback import themes

    load_items(workspace, texts)
    words = [item.words for item in themes.items_of(workspace)]
    encode, vectors = timed(lambda: configured_embedder().encode(words))
    forget_vectors()
    cold, figures = timed(lambda: themes.compute(workspace))
    warm, again = timed(lambda: themes.compute(workspace))
    assert again["items"] == figures["items"] == len(texts)
    group, found = timed(
        lambda: grouping.group_answers(vectors, words, min_size=themes.MIN_THEME).themes
    )
    return {
        "items": len(texts),
        "encode": encode,
        "cold": cold,
        "warm": warm,
        "grouping": group,
        "themes": len(figures["themes"]),
        "accounts": figures["accounts"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", help="items (default: 1000 5000 all)")
    pool = real_texts()
    sizes = sorted(parser.parse_args().sizes or [*SIZES, len(pool)])
    if sizes[-1] > len(pool) or sizes[0] < 1:
        parser.error(f"sizes from 1 to {len(pool)}: there are {len(pool)} distinct texts")
    with tempfile.TemporaryDirectory() as data_dir:
        fresh_database(data_dir)
        from truenorth.demo.build import build_demo
        from truenorth.embeddings.cache import configured_embedder

        workspace = build_demo(fresh=True)
        configured_embedder().encode(["The model is loaded before anything is timed."])
        print(f"{MACHINE}; load average {os.getloadavg()[0]:.1f} before the first size")
        print(f"{configured_embedder().model_name}; {len(pool)} distinct real texts; seconds")
        print(
            f"{'items':>7} {'accounts':>8} {'themes':>6} {'encode':>8} {'cold':>8} "
            f"{'cold/enc':>8} {'warm':>8} {'warm/enc':>8} {'grouping':>8} {'group/enc':>9}"
        )
        for size in sizes:
            row = measure(workspace, pool[:size])
            encode = row["encode"]
            print(
                f"{row['items']:>7} {row['accounts']:>8} {row['themes']:>6} {encode:>8.1f} "
                f"{row['cold']:>8.1f} {row['cold'] / encode:>8.2f} {row['warm']:>8.1f} "
                f"{row['warm'] / encode:>8.2f} {row['grouping']:>8.2f} "
                f"{row['grouping'] / encode:>9.3f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
