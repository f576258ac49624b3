"""The demo's check-in figures as each engine scores the same answers.

Every check-in of the demo workspace (built afresh in a temporary data directory) is analysed
on each engine of the default model: ONNX Runtime int8 (the default), ONNX Runtime fp32 and
sentence-transformers fp32 (the same vectors as ONNX fp32). Each prints its headline figures
side by side, the ones a trend compares.

What it shows: int8 and fp32 are not one instrument. Each has its own score projection, curve
and relation classifier, fitted alike (calibration.py, relation.py), so the same answers read
nearly alike but not the same. That is why a GPU never changes the precision by itself
(onnx_engine.OnnxEmbedder), and why a report records the model that scored it and a trend never
crosses a change of it.

Then the same on single pairs: the 1,500 STS dev pairs scored by each fp32 engine, and how far
each score is from int8's, through fp32's own projection and, as the baseline in the same run,
on fp32's own cosine (as fp32 scored before it had a projection).

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/engine_figures.py
"""

from datetime import date

import numpy as np
from evaldata import MACHINE, sts_pairs
from scratch_database import fresh_database

ENGINES = ("onnx", "onnx-fp32", "sentence-transformers")


def demo_checkins() -> list:
    """The demo's check-ins, each with its analysis inputs and threshold."""
    fresh_database()
    from truenorth.checkins.measure import analysis_inputs
    from truenorth.demo.build import build_demo

    workspace = build_demo(fresh=True)
    return [
        (checkin.title, analysis_inputs(checkin), workspace.anonymity_threshold)
        for checkin in workspace.checkins.order_by("opens_at")
    ]


def main() -> None:
    from truenorth.analysis.embed import CachedEmbedder, MemoryCache, get_embedder
    from truenorth.analysis.measures import measure, report_value, shown
    from truenorth.analysis.report import analyze_checkin, headlines

    checkins = demo_checkins()
    print(f"Headline figures by engine, the demo's check-ins — {date.today()}, {MACHINE}")
    for title, inputs, threshold in checkins:
        figures = {}
        for engine in ENGINES:
            embedder = CachedEmbedder(get_embedder(engine=engine), MemoryCache())
            report = analyze_checkin(**inputs, threshold=threshold, embedder=embedder)
            figures[engine] = headlines(report)
        print(f"\n{title} ({len(inputs['respondents'])} people)")
        print(f"  {'figure':44s}" + "".join(f"{engine:>23s}" for engine in ENGINES))
        for key in dict.fromkeys(k for engine in ENGINES for k in figures[engine]):
            values = [figures[engine].get(key) for engine in ENGINES]
            cells = [
                "—" if value is None else shown(key, report_value(key, value)) for value in values
            ]
            print(f"  {measure(key).name[:44]:44s}" + "".join(f"{cell:>23s}" for cell in cells))
    print()
    score_differences()


def score_differences() -> None:
    from truenorth.analysis import calibration
    from truenorth.analysis.embed import get_embedder
    from truenorth.analysis.score import score_pairs

    pairs = [(a, b) for a, b, _ in sts_pairs("dev")]
    int8_scores = score_pairs(pairs, get_embedder(engine=ENGINES[0]))
    print(f"Score of the same pair, difference from {ENGINES[0]}: {len(pairs)} STS dev pairs")
    print(f"  {'engine':24s}{'scored':26s}{'mean':>7s}{'99th pct':>10s}{'largest':>9s}")
    for engine in ENGINES[1:]:
        embedder = get_embedder(engine=engine)
        through_projection = score_pairs(pairs, embedder)
        curves = calibration.SCORE_CURVES
        calibration.SCORE_CURVES = {k: v for k, v in curves.items() if k != embedder.model_name}
        on_own_cosine = score_pairs(pairs, embedder)
        calibration.SCORE_CURVES = curves
        for way, scores in (("through its projection", through_projection),
                            ("on its own cosine", on_own_cosine)):  # fmt: skip
            gaps = np.abs(scores - int8_scores)
            print(
                f"  {engine:24s}{way:26s}{gaps.mean():7.1f}"
                f"{np.percentile(gaps, 99):10.1f}{gaps.max():9.1f}"
            )


if __name__ == "__main__":
    main()
