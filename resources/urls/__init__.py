"""URLs of the `resources` app: one module per concern, all in the `resources` namespace."""

from django.urls import include, path

app_name = "resources"

urlpatterns: list = [
]
