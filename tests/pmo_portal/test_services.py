"""The real services of production: PostgreSQL and Redis (DATABASE_URL, REDIS_URL).

On a machine without them these tests are skipped with the reason; .ci/run requires them.
"""

import uuid

import pytest
from django.db import connection
from kombu import Connection

from pmo_portal.celery import app as celery_app

pytestmark = pytest.mark.services


@pytest.mark.django_db
def test_the_suite_runs_on_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert cursor.fetchone()[0]


def test_the_celery_broker_is_redis_and_carries_messages():
    assert celery_app.conf.broker_url.startswith("redis://")
    queue_name = f"pmo-portal-test-{uuid.uuid4().hex}"
    with Connection(celery_app.conf.broker_url, connect_timeout=5) as conn:
        queue = conn.SimpleQueue(queue_name)
        try:
            queue.put({"hello": "pmo"})
            message = queue.get(timeout=5)
            message.ack()
            assert message.payload == {"hello": "pmo"}
        finally:
            queue.queue.delete()
            queue.close()


@pytest.mark.django_db
def test_healthz_sees_postgresql_and_redis(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_the_database_refuses_a_negative_budget(project):
    from django.db import IntegrityError, transaction

    from projects.models import Project

    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(budget=-1)
