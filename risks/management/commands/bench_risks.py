"""`manage.py bench_risks`: how long the Monte Carlo simulation takes for 20,000 risks x 10,000
iterations, and its peak memory (the target is under 2 s, the memory bounded by the blocks).

The risks are the register's active threats when there are enough of them (e.g. after
`seed_demo --size large`), else made up with the spread of the demo's probabilities and impacts.
"""

import os
import resource
import time
import tracemalloc

import numpy as np
from django.core.management.base import BaseCommand

from risks import montecarlo
from risks.figures import exchange_rates, simulation_inputs
from risks.models import Risk

TARGET_SECONDS = 2.0


def made_up_risks(count: int, seed: int = 1) -> montecarlo.RiskInputs:
    rng = np.random.default_rng(seed)
    probability = rng.choice(
        [0.06, 0.2, 0.4, 0.62, 0.85], size=count, p=[0.15, 0.3, 0.3, 0.17, 0.08]
    )
    likely = rng.lognormal(mean=10, sigma=1.2, size=count)
    days = rng.integers(1, 90, size=count).astype(float)
    return montecarlo.RiskInputs(
        probability, likely * rng.uniform(0.3, 0.8, count), likely,
        likely * rng.uniform(1.5, 3.0, count), days * 0.4, days, days * 2.5,
        rng.random(count) < 0.67,
    )  # fmt: skip


class Command(BaseCommand):
    help = "Time the Monte Carlo simulation of 20,000 risks x 10,000 iterations."

    def add_arguments(self, parser):
        parser.add_argument("--risks", type=int, default=20_000)
        parser.add_argument("--iterations", type=int, default=montecarlo.ITERATIONS)
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--workers", type=int, default=None)
        parser.add_argument(
            "--made-up", action="store_true", help="Do not use the register's risks."
        )

    def handle(self, *args, risks, iterations, repeat, workers, made_up, **options):
        source = "made up"
        inputs = None
        if not made_up:
            register = Risk.objects.active().filter(kind=Risk.Kind.THREAT)
            if register.count() >= risks:
                inputs, _left_out = simulation_inputs(
                    register.filter(pk__in=register.order_by("pk").values("pk")[:risks]),
                    exchange_rates(),
                )
                source = "the register's active threats"
        if inputs is None:
            inputs = made_up_risks(risks)
        montecarlo.standard_quantile_rows()  # made once per process, not part of a run
        self.stdout.write(
            f"Simulating {len(inputs):,} risks ({source}) x {iterations:,} iterations, "
            f"{workers or min(montecarlo.STRIPES, os.cpu_count() or 1)} threads, "
            f"{os.cpu_count()} CPUs"
        )
        timings = []
        for run in range(repeat):
            started = time.perf_counter()
            result = montecarlo.simulate(inputs, iterations=iterations, seed=run + 1,
                                         workers=workers)  # fmt: skip
            timings.append(time.perf_counter() - started)
        tracemalloc.start()
        montecarlo.simulate(inputs, iterations=iterations, seed=1, workers=workers)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        cost = result.cost_percentiles()
        median = sorted(timings)[len(timings) // 2]
        self.stdout.write(
            f"Time per run: best {min(timings):.2f} s, median {median:.2f} s "
            f"(target < {TARGET_SECONDS:.0f} s)"
        )
        self.stdout.write(
            f"Peak memory during a run (tracemalloc): {peak / 2**20:.1f} MiB; "
            f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
        )
        self.stdout.write(
            "Cost P50 / P80 / P90: " + " / ".join(f"{cost[p]:,.0f}" for p in (50, 80, 90))
        )
        style = self.style.SUCCESS if min(timings) < TARGET_SECONDS else self.style.WARNING
        self.stdout.write(style("target met" if min(timings) < TARGET_SECONDS else "target missed"))
