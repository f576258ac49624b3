"""Cold and warm analysis of a 10,000-answer check-in, on the default engine and on torch.

The answers are real sentences (STS Benchmark and SICK) spread over 10 functions and 40 teams;
each person answers the vision and the purpose questions and names priorities. Cold: an empty
embedding cache, on sentence-transformers fp32 (the reference) and on the default ONNX int8
engine. Warm: the default engine's cache after 100 people change their vision answer, so only
their new text is embedded and the rest (clustering, scoring) is recomputed.

Targets (issue #9): cold on the default engine <= 1/3 of cold on sentence-transformers; warm
<= 5 % of cold. `--engine onnx-fp32` measures that engine instead of the default (on a GPU
server, the one that runs on the GPU).

    .venv/bin/python benchmarks/warm_reanalysis.py [--engine onnx-fp32]
"""

import argparse
import random
import time
from datetime import date

from evaldata import MACHINE, sentences

from truenorth.analysis.embed import CachedEmbedder, MemoryCache, get_embedder
from truenorth.analysis.priorities import Goal
from truenorth.analysis.report import Question, Respondent, analyze_checkin

PEOPLE = 10_000
CHANGED = PEOPLE // 100
GOALS = [
    Goal(1, "Raise the touchless invoice rate to 70%", "Less manual typing", 1),
    Goal(2, "Make ERP sync reliable", "Failed syncs break the close", 2),
    Goal(3, "Cut approval time to two days", "Late approvals cost fees", 3),
]


def checkin(pool: list[str]):
    rng = random.Random(0)
    people = [
        Respondent(str(i), {"function": f"f{i % 10}", "team": f"t{i % 40}"}) for i in range(PEOPLE)
    ]
    vision = {p.id: pool[i] for i, p in enumerate(people)}
    purpose = {p.id: pool[PEOPLE + i] for i, p in enumerate(people)}
    priorities = {
        p.id: "; ".join(rng.sample(pool[2 * PEOPLE : 2 * PEOPLE + 300], 3)) for p in people
    }
    questions = [
        Question("q1", "Vision", "vision", "Every invoice from inbox to paid untouched.", vision),
        Question("q2", "Priorities", "priorities", "", priorities),
        Question("q3", "Purpose", "purpose", "", purpose),
    ]
    direction = {p.id: rng.randint(1, 5) for p in people}
    return people, questions, direction


def timed_analysis(embedder, people, questions, direction) -> float:
    started = time.perf_counter()
    analyze_checkin(people, questions, GOALS, direction, 5, embedder)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--engine", choices=("onnx", "onnx-fp32"), default="onnx")
    args = parser.parse_args()
    pool = sentences(2 * PEOPLE + 300 + CHANGED)
    people, questions, direction = checkin(pool)
    reference = CachedEmbedder(get_embedder(engine="sentence-transformers"), MemoryCache())
    reference.embedder.encode(["warm up"])  # load the model outside the timing, as below
    torch_cold = timed_analysis(reference, people, questions, direction)
    embedder = CachedEmbedder(get_embedder(engine=args.engine), MemoryCache())
    embedder.embedder.encode(["warm up"])
    cold = timed_analysis(embedder, people, questions, direction)
    fresh = pool[-CHANGED:]
    for person, text in zip(people[:CHANGED], fresh, strict=True):
        questions[0].answers[person.id] = text
    warm = timed_analysis(embedder, people, questions, direction)
    print(f"Analysis of a {PEOPLE}-answer check-in — {date.today()}, {MACHINE}")
    print(f"  cold, sentence-transformers fp32:   {torch_cold:7.1f} s")
    print(
        f"  cold, {embedder.model_name + ':':28} {cold:7.1f} s  ({cold / torch_cold:.2f} of torch's)"
    )
    print(f"  warm ({CHANGED} answers changed):         {warm:7.1f} s  ({warm / cold:.3f} of cold)")


if __name__ == "__main__":
    main()
