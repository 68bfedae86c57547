import os

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from pmo_portal.celery import app as celery_app
from risks.models import RiskCategory
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


def replay_data_migrations(app_label: str) -> None:
    """Run the data migrations of an app again, each on the models as they were then."""
    loader = MigrationLoader(connection)
    for key in loader.graph.forwards_plan((app_label, loader.graph.leaf_nodes(app_label)[0][1])):
        if key[0] != app_label:
            continue
        migration = loader.graph.nodes[key]
        code = [op.code for op in migration.operations if isinstance(op, RunPython)]
        if code:
            apps = loader.project_state(key, at_end=False).apps
            with connection.schema_editor() as schema_editor:
                for function in code:
                    function(apps, schema_editor)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Figures cached by one test must not answer for another test's data."""
    cache.clear()


@pytest.fixture(autouse=True)
def _roles_in_transactional_tests(request):
    """A transactional test (the browser's live server needs one) starts from an emptied
    database: the flush after the previous test removed the roles and the risk configuration
    (scales, matrix, categories) the data migrations made. Put them back before any persona
    or risk fixture needs them."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker and marker.kwargs.get("transaction")) or (
        "live_server" in request.fixturenames
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        if not Group.objects.exists():
            replay_data_migrations("pmo_portal")
            replay_data_migrations("accounts")
        if not RiskCategory.objects.exists():
            replay_data_migrations("risks")


def _verified_login(client, user):
    """Sign `user` in as having given a code from their authenticator app, as Django admin asks
    of staff: the user gets a confirmed app device and the session says it was used."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def verified_login(db):
    """`verified_login(client, user)`: sign in past the second step (see _verified_login)."""
    return _verified_login


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
