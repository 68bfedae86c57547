import pytest
from django.contrib import admin

from projects.services import lifecycle
from tests.factories import published_template

pytestmark = pytest.mark.django_db

PROJECT_MODELS = [model for model in admin.site._registry if model._meta.app_label == "projects"]


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m._meta.model_name)
def test_every_admin_page_of_the_register_opens(
    client, pmo_admin, pm, project, model, verified_login
):
    lifecycle.project_join_lifecycle(
        project=project, by=pm, template=published_template(by=pmo_admin)
    )
    verified_login(client, pmo_admin)
    opts = model._meta
    changelist = client.get(f"/admin/{opts.app_label}/{opts.model_name}/")
    assert changelist.status_code == 200
    first = model._default_manager.first()
    if first is not None:
        change = client.get(f"/admin/{opts.app_label}/{opts.model_name}/{first.pk}/change/")
        assert change.status_code == 200


def test_admin_is_closed_to_project_managers(client, pm):
    client.force_login(pm)
    response = client.get("/admin/projects/lifecycletemplate/")
    assert response.status_code == 302
