"""URLs of the `reports` app (under /reports/); the dashboard is the portal's home page."""

from django.urls import path

from .views import dashboard, executive, metrics, status

app_name = "reports"

urlpatterns = [
    path("", status.StatusReportListView.as_view(), name="list"),
    path("<int:pk>/", status.report_detail, name="detail"),
    path("<int:pk>/edit/", status.report_update, name="update"),
    path("<int:pk>/submit/", status.report_submit, name="submit"),
    path("<int:pk>/review/", status.report_review, name="review"),
    path("projects/<int:pk>/", status.project_reports, name="project_reports"),
    path("projects/<int:pk>/new/", status.report_create, name="create"),
    path("projects/<int:pk>/schedule/", status.schedule_update, name="schedule"),
    path("projects/<int:pk>/closure/", status.closure_survey_record, name="closure_survey"),
    path("attention/", dashboard.attention_list, name="attention"),
    path("milestones/", dashboard.milestone_list, name="milestones"),
    path("effectiveness/", metrics.effectiveness, name="effectiveness"),
    path("effectiveness/targets/", metrics.targets_edit, name="targets"),
    path("thresholds/", metrics.thresholds_edit, name="thresholds"),
    path("executive/", executive.archive, name="executive_archive"),
    path("executive/runs/<int:pk>/download/", executive.run_download, name="run_download"),
    path("executive/subscriptions/", executive.subscription_list, name="subscription_list"),
    path("executive/subscriptions/new/", executive.subscription_create,
         name="subscription_create"),
    path("executive/subscriptions/<int:pk>/", executive.subscription_update,
         name="subscription_update"),
    path("executive/subscriptions/<int:pk>/delete/", executive.subscription_delete,
         name="subscription_delete"),
    path("executive/subscriptions/<int:pk>/preview/", executive.subscription_preview,
         name="subscription_preview"),
    path("executive/subscriptions/<int:pk>/send/", executive.subscription_send,
         name="subscription_send"),
]  # fmt: skip
