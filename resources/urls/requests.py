from django.urls import path

from ..views import requests as views

urlpatterns = [
    path(
        "projects/<int:pk>/requests/new/", views.RequestCreateView.as_view(), name="request_create"
    ),
    path("requests/", views.RequestListView.as_view(), name="request_list"),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="request_detail"),
    path("requests/<int:pk>/fulfil/", views.request_fulfil, name="request_fulfil"),
    path("requests/<int:pk>/reject/", views.request_reject, name="request_reject"),
    path("requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
]
