"""Budget against actual cost: per project, the import of actual costs, per department."""

from django.urls import path

from ..views import costs as views

urlpatterns = [
    path("projects/<int:pk>/costs/", views.ProjectCostsView.as_view(), name="project_costs"),
    path("costs/", views.CostRollupView.as_view(), name="cost_rollup"),
    path("costs/import/", views.CostImportView.as_view(), name="cost_import"),
    path("costs/import/example.csv", views.cost_import_example, name="cost_import_example"),
    path(
        "costs/departments/<int:pk>/",
        views.DepartmentCostsView.as_view(),
        name="department_costs",
    ),
]
