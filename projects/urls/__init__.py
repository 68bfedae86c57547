"""URLs of the `projects` app: one module per concern, all in the `projects` namespace."""

from django.urls import include, path

app_name = "projects"

urlpatterns = [
    path("", include("projects.urls.register")),
    path("", include("projects.urls.standards")),
    path("", include("projects.urls.lifecycle")),
    path("", include("projects.urls.compliance")),
    path("", include("projects.urls.changes")),
    path("", include("projects.urls.meetings")),
]
