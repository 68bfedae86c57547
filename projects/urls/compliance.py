from django.urls import path

from ..views import compliance as views

urlpatterns = [
    path("compliance/", views.ComplianceView.as_view(), name="compliance"),
]
