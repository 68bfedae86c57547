import datetime

import pytest
from django.core.exceptions import ValidationError

from projects.models import Project
from projects.services import register as services

pytestmark = pytest.mark.django_db


def test_project_create_validates_and_records_who(pm, department, project_type):
    project = services.project_create(
        by=pm,
        tag_names=["cloud"],
        code="PRJ-00500",
        name="Cloud migration",
        manager=pm,
        department=department,
        project_type=project_type,
        planned_start=datetime.date(2027, 1, 1),
        planned_end=datetime.date(2027, 3, 1),
    )
    assert project.history.earliest().history_user == pm
    assert list(project.tags.values_list("name", flat=True)) == ["cloud"]


def test_project_create_saves_nothing_when_invalid(pm, department, project_type):
    with pytest.raises(ValidationError) as error:
        services.project_create(
            by=pm,
            code="PRJ-00500",
            name="Backwards",
            manager=pm,
            department=department,
            project_type=project_type,
            planned_start=datetime.date(2027, 3, 1),
            planned_end=datetime.date(2027, 1, 1),
        )
    assert "planned_end" in error.value.message_dict
    assert not Project.objects.filter(code="PRJ-00500").exists()


def test_project_update_bumps_the_version(project, pm):
    services.project_update(project=project, by=pm, version=1, name="Renamed")
    project.refresh_from_db()
    assert (project.name, project.version) == ("Renamed", 2)


def test_project_update_refuses_a_stale_version(project, pm):
    services.project_update(project=project, by=pm, version=1, name="First")
    with pytest.raises(services.StaleVersionError):
        services.project_update(project=project, by=pm, version=1, name="Second")
    project.refresh_from_db()
    assert project.name == "First"


def test_tag_changes_are_kept_in_the_history(project, pm):
    services.project_update(project=project, by=pm, version=1, tag_names=["cloud", "data"])
    latest = project.history.first()
    assert sorted(row.tag.name for row in latest.historicalproject_tags_set.all()) == [
        "cloud",
        "data",
    ]
