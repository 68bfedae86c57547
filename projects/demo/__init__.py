"""Demo data for `manage.py seed_demo`: the runner and the projects app's steps, in order.

The register comes first (people, reference data, projects); the project standards and their
governance follow (standards and lifecycles, each project's phases and gates, baselines and
change requests, milestones, review meetings).
"""

from . import changes, lifecycles, meetings, register, standards
from .register import DEMO_LOGINS
from .runner import (
    DEMO_PASSWORD,
    SIZES,
    DemoContext,
    DemoStep,
    discover_demo_steps,
    flush_demo_data,
    seed_demo_data,
)

DEMO_STEPS = [
    *register.DEMO_STEPS,
    *standards.DEMO_STEPS,
    *lifecycles.DEMO_STEPS,
    *changes.DEMO_STEPS,
    *meetings.DEMO_STEPS,
]

__all__ = [
    "DEMO_LOGINS", "DEMO_PASSWORD", "DEMO_STEPS", "SIZES", "DemoContext", "DemoStep",
    "discover_demo_steps", "flush_demo_data", "seed_demo_data",
]  # fmt: skip
