"""Profiles of the fuzzing suite: ``ci`` (the default, a few hundred cases per target, part of
every test run) and ``nightly`` (10,000 cases per target: ``pytest tests/fuzz
--hypothesis-profile=nightly``, or ``tox -e fuzz``)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,  # import time varies with the machine; speed is the benchmarks' business
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    "derandomize": False,
}
settings.register_profile("ci", max_examples=300, **_COMMON)
settings.register_profile("nightly", max_examples=10_000, **_COMMON)
settings.load_profile("ci")
