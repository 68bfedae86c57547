"""Every portfolio page costs the same number of queries at 3 and at 30 rows; every model of
the area is in the admin and its pages open."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portfolio.models import ScoreProposal
from portfolio.services import criteria, reviews, scenarios
from tests.portfolio.factories import placed_project, rank, score
from tests.resources.factories import ResourceRoleFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/portfolio/",
    "/portfolio/?period={period}&portfolio={top}",
    "/portfolio/portfolios/",
    "/portfolio/portfolios/{top}/",
    "/portfolio/programmes/{programme}/",
    "/portfolio/criteria/?portfolio={top}&period={period}",
    "/portfolio/criteria/pairwise/?portfolio={top}&period={period}",
    "/portfolio/projects/{own}/scores/",
    "/portfolio/proposals/",
    "/portfolio/ranking/?period={period}",
    "/portfolio/ranking/?period={period}&portfolio={top}&status=active&sort=-weighted_score",
    "/portfolio/ranking/sensitivity/?portfolio={top}&period={period}",
    "/portfolio/scenarios/",
    "/portfolio/scenarios/{scenario}/",
    "/portfolio/scenarios/{scenario}/candidates/",
    "/portfolio/scenarios/{scenario}/edit/",
    "/portfolio/scenarios/compare/?first={scenario}&second={second}",
    "/portfolio/reviews/",
    "/portfolio/reviews/{review}/",
    "/portfolio/costs/?sub_portfolios=on",
    "/projects/{own}/",
]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def grow(world, pmo, pm, count, project_type, department):
    """`count` more projects everywhere the pages list them: placed in the programme, scored,
    proposed, candidates of both scenarios, decided in the review and on the project."""
    projects = [
        placed_project(
            world["sub"], world["programme"], project_type=project_type, department=department
        )
        for _ in range(count)
    ]
    for number, project in enumerate(projects):
        score(project, world["value"], 1 + number % 5, pmo)
        ScoreProposal.objects.create(
            project=project, criterion=world["effort"], level=3, rationale="r", proposed_by=pm
        )
    rank(world["top"])
    for scenario in (world["scenario"], world["second"]):
        scenario.candidates.bulk_create(
            scenario.candidates.model(scenario=scenario, project=project) for project in projects
        )
        scenarios.scenario_solve(by=pmo, scenario=scenario)
    scenarios.scenario_frontier(by=pmo, scenario=world["scenario"], points=3)
    reviews.review_decisions_save(
        by=pmo, review=world["review"], decisions={p.pk: ("continue", "ok") for p in projects}
    )
    for number in range(count):
        criteria.score_set(
            by=pmo, project=world["project"], criterion=world["value"], level=1 + number % 5,
            rationale=f"Revision {number}",
        )  # fmt: skip


def test_every_page_costs_the_same_at_3_and_30_rows(
    client, pmo, pm, world, ids, project_type, department
):
    client.force_login(pmo)
    urls = [url.format(**ids) for url in PAGES]
    grow(world, pmo, pm, 3, project_type, department)
    few = {url: count_queries(client, url) for url in urls}
    grow(world, pmo, pm, 27, project_type, department)
    many = {url: count_queries(client, url) for url in urls}
    assert few == many
    assert max(many.values()) < 25, many


PORTFOLIO_MODELS = [model for model in admin.site._registry if model._meta.app_label == "portfolio"]


def test_every_model_of_the_area_is_in_the_admin():
    models = apps.get_app_config("portfolio").get_models()
    assert set(PORTFOLIO_MODELS) == {m for m in models if not m.__name__.startswith("Historical")}


@pytest.mark.parametrize("model", PORTFOLIO_MODELS, ids=lambda m: m._meta.model_name)
def test_every_admin_page_opens(client, pmo_admin, pmo, world, model, verified_login):
    scenarios.scenario_solve(by=pmo, scenario=world["scenario"])
    scenarios.scenario_commit(by=pmo, scenario=world["scenario"])
    reviews.review_decisions_save(
        by=pmo, review=world["review"], decisions={world["project"].pk: ("hold", "")}
    )
    criteria.judgements_save(
        by=pmo, portfolio=world["top"], period=world["value"].period,
        judgements={(world["value"].pk, world["effort"].pk): 3},
    )  # fmt: skip
    scenarios.scenario_save(
        by=pmo, scenario=world["second"], year_limits=[(2026, 1000)],
        role_limits=[(ResourceRoleFactory(), 100)],
        dependencies=[(world["project"], world["others_project"])],
    )  # fmt: skip
    verified_login(client, pmo_admin)
    opts = model._meta
    assert client.get(f"/admin/{opts.app_label}/{opts.model_name}/").status_code == 200
    first = model._default_manager.first()
    assert first is not None, opts.model_name
    change = client.get(f"/admin/{opts.app_label}/{opts.model_name}/{first.pk}/change/")
    assert change.status_code == 200
