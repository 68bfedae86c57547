"""Demo data for resources and budgets, run by `manage.py seed_demo` after the projects' steps.

- reference data (people.py): roles and skills in English and Chinese, utilisation targets;
- resources: people in the departments with skills, cost rates, capacity and absences, linked to
  the demo logins and project managers, and equipment, facilities and licences (people.py);
  their bookings on projects (allocations.py), planned against their free hours so that about
  one person in twenty is over-allocated; resource requests (requests.py);
- budgets (costs.py): budget lines and actual costs of every project.

Everything is built in memory and written in bulk, a few queries per table whatever the size.
"""

import random

from projects.demo.runner import DemoContext, DemoStep

from ..models import (
    Absence,
    Allocation,
    Capacity,
    Resource,
    ResourceRequest,
    ResourceRole,
    ResourceSkill,
    Skill,
)
from . import costs, people
from .allocations import plan_allocations, planning_timeline
from .bulk import BATCH_SIZE, delete_all
from .names import ROLES
from .people import Staffing, plan_people, save_people
from .requests import plan_requests, save_requests


def seed_resources(context: DemoContext, rng: random.Random) -> None:
    """People and other resources, their bookings and the requests behind some of them."""
    # Each part draws from its own generator, so a change in one leaves the others alike.
    people_rng, bookings_rng, requests_rng = (random.Random(rng.getrandbits(64)) for _ in "abc")
    timeline = planning_timeline(context.today)
    staffing = Staffing(context.departments)
    staff, others = plan_people(context, people_rng, timeline, staffing)
    save_people(context, staff + others)

    planner = plan_allocations(context, bookings_rng, timeline, staff, others, staffing.division_of)
    role_rows = ResourceRole.objects.in_bulk(field_name="name")
    roles = {key: role_rows[name] for key, name, *_rest in ROLES}
    skills = Skill.objects.in_bulk(field_name="name")
    requests = plan_requests(context, requests_rng, planner, staffing, roles, skills)
    save_requests(context, requests)

    # A hundred thousand bookings and more: written without history records, which would
    # double the time and say only that the demo made them.
    allocations = [allocation for allocation, _member, _project in planner.bookings]
    Allocation.objects.bulk_create(allocations, batch_size=BATCH_SIZE)
    context.summary["allocations"] = len(allocations)


def flush_resources() -> None:
    delete_all(
        ResourceRequest.history.model.skills.model,
        ResourceRequest.history.model,
        Allocation.history.model,
        Allocation,
        ResourceRequest.skills.through,
        ResourceRequest,
        Absence.history.model,
        Absence,
        Capacity.history.model,
        Capacity,
        ResourceSkill,
        Resource.history.model,
        Resource,
    )


DEMO_STEPS = [
    DemoStep("resource reference data", people.seed_reference_data, people.flush_reference_data),
    DemoStep("resources", seed_resources, flush_resources),
    DemoStep("budgets", costs.seed_budgets, costs.flush_budgets),
]
