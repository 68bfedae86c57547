from django.urls import path

from ..views import lifecycle as views

urlpatterns = [
    path("<int:pk>/lifecycle/", views.project_lifecycle, name="project_lifecycle"),
    path("<int:pk>/lifecycle/join/", views.project_join_lifecycle, name="project_join_lifecycle"),
    path(
        "<int:pk>/checklist/<int:item_pk>/evidence/",
        views.checklist_evidence,
        name="checklist_evidence",
    ),
    path(
        "<int:pk>/checklist/<int:item_pk>/withdraw/",
        views.checklist_withdraw,
        name="checklist_withdraw",
    ),
    path(
        "<int:pk>/checklist/<int:item_pk>/file/",
        views.checklist_evidence_file,
        name="checklist_evidence_file",
    ),
    path("<int:pk>/phases/<int:phase_pk>/submit/", views.gate_submit, name="gate_submit"),
    path("gates/", views.gate_queue, name="gate_queue"),
    path("gates/<int:submission_pk>/decide/", views.gate_decide, name="gate_decide"),
    path("<int:pk>/advance/", views.phase_advance, name="phase_advance"),
    path("conditions/<int:condition_pk>/met/", views.condition_met, name="condition_met"),
    path("<int:pk>/milestones/new/", views.milestone_create, name="milestone_create"),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/edit/",
        views.milestone_update,
        name="milestone_update",
    ),
]
