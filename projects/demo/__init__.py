"""Demo data for `manage.py seed_demo`: the runner and the projects app's steps, in order."""

from . import register
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

DEMO_STEPS = register.DEMO_STEPS

__all__ = [
    "DEMO_LOGINS", "DEMO_PASSWORD", "DEMO_STEPS", "SIZES", "DemoContext", "DemoStep",
    "discover_demo_steps", "flush_demo_data", "seed_demo_data",
]  # fmt: skip
