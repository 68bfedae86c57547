"""URLs of the `risks` app, in the `risks` namespace, under /risks/."""

from django.urls import path

from .views import configuration, issues, lessons, overview, register, simulation

app_name = "risks"

urlpatterns = [
    path("", register.RiskListView.as_view(), name="list"),
    path("new/", register.risk_create, name="create"),
    path("<int:pk>/", register.risk_detail, name="detail"),
    path("<int:pk>/edit/", register.risk_update, name="update"),
    path("<int:pk>/review/", register.risk_review, name="review"),
    path("<int:pk>/issue/", register.risk_raise_issue, name="raise_issue"),
    path("<int:pk>/responses/new/", register.response_form, name="response_create"),
    path(
        "<int:pk>/responses/<int:response_pk>/edit/",
        register.response_form,
        name="response_update",
    ),
    path("responses/<int:pk>/actions/new/", register.action_create, name="action_create"),
    path("actions/<int:pk>/edit/", register.action_update, name="action_update"),
    path("lesson-suggestions/", register.lesson_suggestions, name="lesson_suggestions"),
    path("heat-map/", overview.heat_map, name="heat_map"),
    path("roll-up/", overview.rollup, name="rollup"),
    path("exposure/", overview.exposure, name="exposure"),
    path("reviews/", overview.my_reviews, name="my_reviews"),
    path("projects/<int:pk>/simulation/", simulation.project_simulation, name="project_simulation"),
    path(
        "portfolios/<int:pk>/simulation/",
        simulation.portfolio_simulation,
        name="portfolio_simulation",
    ),
    path("projects/<int:pk>/contingency/", simulation.contingency_set, name="contingency_set"),
    path("issues/", issues.IssueListView.as_view(), name="issue_list"),
    path("issues/new/", issues.issue_create, name="issue_create"),
    path("issues/<int:pk>/", issues.issue_detail, name="issue_detail"),
    path("issues/<int:pk>/edit/", issues.issue_update, name="issue_update"),
    path("issues/<int:pk>/escalate/", issues.issue_escalate, name="issue_escalate"),
    path("lessons/", lessons.LessonListView.as_view(), name="lesson_list"),
    path("lessons/new/", lessons.lesson_create, name="lesson_create"),
    path("lessons/<int:pk>/", lessons.lesson_detail, name="lesson_detail"),
    path("lessons/<int:pk>/edit/", lessons.lesson_update, name="lesson_update"),
    path("settings/", configuration.settings_page, name="settings"),
    path("settings/categories/new/", configuration.category_form, name="category_create"),
    path("settings/categories/<int:pk>/edit/", configuration.category_form, name="category_update"),
]
