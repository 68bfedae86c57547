"""URLs of the `resources` app: one module per concern, all in the `resources` namespace."""

from django.urls import include, path

app_name = "resources"

urlpatterns: list = [
    path("", include("resources.urls.register")),
    path("", include("resources.urls.requests")),
    path("", include("resources.urls.planning")),
    path("", include("resources.urls.costs")),
]
