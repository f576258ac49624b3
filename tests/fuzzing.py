"""The hypothesis profiles of the fuzz tests: a fixed, derandomised budget in every run, and a
long exploring run with TRUENORTH_FUZZ=long (TRUENORTH_FUZZ_EXAMPLES examples, default 2000)."""

import os

from hypothesis import HealthCheck, settings


def fuzz_profile(name: str, ci_examples: int) -> settings:
    settings.register_profile(
        name,
        max_examples=ci_examples,
        deadline=None,
        derandomize=True,  # CI tries the same examples every run; the long run explores
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    settings.register_profile(
        f"{name}-long",
        max_examples=int(os.environ.get("TRUENORTH_FUZZ_EXAMPLES", "2000")),
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    long = os.environ.get("TRUENORTH_FUZZ") == "long"
    return settings.get_profile(f"{name}-long" if long else name)
