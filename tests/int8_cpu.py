"""Demo figures that sit on a cut of the int8 engine, read on a CPU with VNNI: without it int8's
products are computed differently (docs/analysis.md, "int8 depends on the hardware"), and these
few figures move across their cut (42.5 reads 42.9; a claim falls under the match cut)."""

from pathlib import Path

import pytest

_FLAGS = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
WITH_VNNI = "vnni" in _FLAGS

read_with_vnni = pytest.mark.skipif(
    not WITH_VNNI, reason="a figure on a cut of int8, fixed as a CPU with VNNI reads it"
)
