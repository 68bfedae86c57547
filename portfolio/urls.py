"""URLs of the `portfolio` app, in the `portfolio` namespace (the dashboard, at /portfolio/
itself, is the root URL conf's "portfolio")."""

from django.urls import path

from .views import criteria, dashboard, ranking, reviews, scenarios, structure

app_name = "portfolio"

urlpatterns = [
    # Structure.
    path("portfolios/", structure.portfolio_tree, name="tree"),
    path("portfolios/new/", structure.PortfolioCreateView.as_view(), name="create"),
    path("portfolios/<int:pk>/", structure.portfolio_detail, name="detail"),
    path("portfolios/<int:pk>/edit/", structure.PortfolioUpdateView.as_view(), name="update"),
    path("programmes/new/", structure.ProgrammeCreateView.as_view(), name="programme_create"),
    path("programmes/<int:pk>/", structure.programme_detail, name="programme_detail"),
    path(
        "programmes/<int:pk>/edit/",
        structure.ProgrammeUpdateView.as_view(),
        name="programme_update",
    ),
    path("projects/<int:pk>/placement/", structure.project_placement, name="placement"),
    # Objectives, criteria, weights and scores.
    path("criteria/", criteria.criteria_page, name="criteria"),
    path("criteria/new/", criteria.criterion_edit, name="criterion_create"),
    path("criteria/<int:pk>/edit/", criteria.criterion_edit, name="criterion_update"),
    path("criteria/<int:pk>/delete/", criteria.criterion_delete, name="criterion_delete"),
    path("criteria/pairwise/", criteria.pairwise, name="pairwise"),
    path("criteria/pairwise/apply/", criteria.pairwise_apply, name="pairwise_apply"),
    path("objectives/new/", criteria.objective_edit, name="objective_create"),
    path("objectives/<int:pk>/edit/", criteria.objective_edit, name="objective_update"),
    path("projects/<int:pk>/scores/", criteria.project_scores, name="project_scores"),
    path("proposals/", criteria.proposal_list, name="proposal_list"),
    path(
        "proposals/<int:pk>/<str:decision>/",
        criteria.proposal_decide,
        name="proposal_decide",
    ),
    # Ranking.
    path("ranking/", ranking.RankingView.as_view(), name="ranking"),
    path("ranking/sensitivity/", ranking.sensitivity, name="sensitivity"),
    # Scenarios.
    path("scenarios/", scenarios.scenario_list, name="scenario_list"),
    path("scenarios/new/", scenarios.scenario_create, name="scenario_create"),
    path("scenarios/compare/", scenarios.scenario_compare, name="scenario_compare"),
    path("scenarios/<int:pk>/", scenarios.scenario_detail, name="scenario_detail"),
    path("scenarios/<int:pk>/edit/", scenarios.scenario_edit, name="scenario_update"),
    path(
        "scenarios/<int:pk>/candidates/",
        scenarios.scenario_candidates,
        name="scenario_candidates",
    ),
    path("scenarios/<int:pk>/solve/", scenarios.scenario_solve, name="scenario_solve"),
    path("scenarios/<int:pk>/frontier/", scenarios.scenario_frontier, name="scenario_frontier"),
    path("scenarios/<int:pk>/copy/", scenarios.scenario_copy, name="scenario_copy"),
    path("scenarios/<int:pk>/commit/", scenarios.scenario_commit, name="scenario_commit"),
    # Reviews and costs.
    path("reviews/", reviews.review_list, name="review_list"),
    path("reviews/new/", reviews.ReviewCreateView.as_view(), name="review_create"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review_detail"),
    path("reviews/<int:pk>/edit/", reviews.ReviewUpdateView.as_view(), name="review_update"),
    path("costs/", dashboard.cost_rollup, name="cost_rollup"),
]
