"""The PMO's standards pages: methodologies, lifecycle templates, the standards library and the
governance mode."""

from django.urls import path

from ..views import standards as views

PHASE = "lifecycles/<int:pk>/phases/<int:phase_pk>/"
ITEM = PHASE + "items/<int:item_pk>/"

urlpatterns = [
    path("lifecycles/", views.TemplateListView.as_view(), name="template_list"),
    path("lifecycles/new/", views.TemplateCreateView.as_view(), name="template_create"),
    path("lifecycles/<int:pk>/", views.TemplateDetailView.as_view(), name="template_detail"),
    path("lifecycles/<int:pk>/publish/", views.template_publish, name="template_publish"),
    path(
        "lifecycles/<int:pk>/phases/new/",
        views.TemplatePhaseCreateView.as_view(),
        name="template_phase_create",
    ),
    path(PHASE + "edit/", views.TemplatePhaseUpdateView.as_view(), name="template_phase_update"),
    path(PHASE + "delete/", views.TemplatePhaseDeleteView.as_view(), name="template_phase_delete"),
    path(PHASE + "items/new/", views.TemplateItemCreateView.as_view(), name="template_item_create"),
    path(ITEM + "edit/", views.TemplateItemUpdateView.as_view(), name="template_item_update"),
    path(ITEM + "delete/", views.TemplateItemDeleteView.as_view(), name="template_item_delete"),
    path("methodologies/new/", views.MethodologyCreateView.as_view(), name="methodology_create"),
    path(
        "methodologies/<int:pk>/edit/",
        views.MethodologyUpdateView.as_view(),
        name="methodology_update",
    ),
    path("standards/", views.StandardListView.as_view(), name="standard_list"),
    path("standards/new/", views.StandardCreateView.as_view(), name="standard_create"),
    path("standards/<int:pk>/", views.StandardDetailView.as_view(), name="standard_detail"),
    path("standards/<int:pk>/edit/", views.StandardUpdateView.as_view(), name="standard_update"),
    path(
        "standards/<int:pk>/attachments/",
        views.StandardAttachmentAddView.as_view(),
        name="standard_attachment_add",
    ),
    path(
        "standards/<int:pk>/attachments/<int:attachment_pk>/",
        views.standard_attachment_download,
        name="standard_attachment_download",
    ),
    path("governance/", views.GovernanceView.as_view(), name="governance"),
]
