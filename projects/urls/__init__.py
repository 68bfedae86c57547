"""URLs of the `projects` app: one module per concern, all in the `projects` namespace."""

from django.urls import include, path

app_name = "projects"

urlpatterns = [
    path("", include("projects.urls.register")),
]
