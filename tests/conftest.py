import os

from hypothesis import HealthCheck, settings

# Derandomized: the same examples on every run and machine, so a failure in CI
# reproduces locally; a deadline would only measure the machine's load.
settings.register_profile(
    "ci", derandomize=True, deadline=None, max_examples=150,
    suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
