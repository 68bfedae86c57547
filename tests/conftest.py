import os

import pytest

from pmo_portal.celery import app as celery_app
from tests.factories import DepartmentFactory, ProjectFactory, ProjectTypeFactory, UserFactory

# Tasks run in the test process; set on the app itself, configured before any settings fixture.
celery_app.conf.task_always_eager = True
celery_app.conf.task_eager_propagates = True


def pytest_collection_modifyitems(config, items):
    """Without PostgreSQL and Redis, their tests skip with the reason; in CI they must run."""
    if os.environ.get("REQUIRE_SERVICES"):
        return
    if not (
        os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")
    ):
        skip = pytest.mark.skip(
            reason="needs PostgreSQL and Redis: set DATABASE_URL and REDIS_URL (.ci/run does)"
        )
        for item in items:
            if "services" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def pmo(db):
    return UserFactory(username="pmo", first_name="Paula", last_name="Ortiz", roles=["pmo_analyst"])


@pytest.fixture
def pm(db):
    return UserFactory(username="pm", first_name="Li", last_name="Wei", roles=["project_manager"])


@pytest.fixture
def other_pm(db):
    return UserFactory(
        username="other_pm", first_name="Anna", last_name="Berg", roles=["project_manager"]
    )


@pytest.fixture
def executive(db):
    return UserFactory(username="exec", first_name="Chen", last_name="Jing", roles=["executive"])


@pytest.fixture
def resource_manager(db):
    return UserFactory(username="resource", roles=["resource_manager"])


@pytest.fixture
def pmo_admin(db):
    return UserFactory(username="admin", roles=["pmo_admin"], is_staff=True, is_superuser=True)


@pytest.fixture
def department(db):
    return DepartmentFactory(code="FIN", name="Finance", name_zh_hans="财务部")


@pytest.fixture
def project_type(db):
    return ProjectTypeFactory()


@pytest.fixture
def project(pm, department, project_type):
    """A project managed by `pm`."""
    return ProjectFactory(
        code="PRJ-00001", name="ERP upgrade", manager=pm, department=department,
        project_type=project_type,
    )  # fmt: skip


@pytest.fixture
def others_project(other_pm, department, project_type):
    """A project managed by someone other than `pm`."""
    return ProjectFactory(
        code="PRJ-00002", name="Warehouse automation", manager=other_pm, department=department,
        project_type=project_type,
    )  # fmt: skip
