"""The demo's check-in figures as each engine scores the same answers.

Every check-in of the demo workspace (built afresh in a temporary data directory) is analysed
on each engine of the default model: ONNX Runtime int8 (the default), ONNX Runtime fp32 and
sentence-transformers fp32 (the same vectors as ONNX fp32). Each prints its headline figures
side by side, the ones a trend compares.

What it shows: int8 and fp32 are not one instrument. Each has its own curve and relation
classifier, and int8 a score projection that fp32 all-MiniLM-L6-v2 does not have
(calibration.py, relation.py), so the same answers read differently. That is why a GPU keeps
int8 (onnx_engine.OnnxEmbedder), and why a report records the model that scored it and a trend
never crosses a change of it.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/engine_figures.py
"""

import os
import tempfile
from datetime import date

from evaldata import MACHINE

ENGINES = ("onnx", "onnx-fp32", "sentence-transformers")


def demo_checkins() -> list:
    """The demo's check-ins, each with its analysis inputs and threshold."""
    os.environ["TRUENORTH_DATA_DIR"] = tempfile.mkdtemp()
    os.environ.pop("DATABASE_URL", None)
    from truenorth.cli import setup_django

    setup_django()  # the schema and the figures' cache table, as every command has them
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


if __name__ == "__main__":
    main()
