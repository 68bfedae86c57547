"""Every portfolio page, for every persona: PMO staff change, project managers propose scores,
everyone else reads."""

import pytest
from django.urls import URLPattern

from portfolio import urls as portfolio_urls
from portfolio.models import Portfolio, Scenario, ScoreProposal
from tests.permission_matrix import (
    PERSONAS,
    PMO_ONLY,
    POST_ONLY,
    READ,
    check_page,
    check_refused_post,
    refused,
)

pytestmark = pytest.mark.django_db

FRAME = "portfolio={top}&period={period}"
COMPARE = "/portfolio/scenarios/compare/?first={scenario}&second={second}"

# url -> expected status of a GET per persona (same order as PERSONAS). {own} is a project of
# `pm`, {other} one of another manager: both read its scores, only `pm` proposes on {own}.
MATRIX = {
    "/portfolio/": READ,
    "/portfolio/portfolios/": READ,
    "/portfolio/portfolios/new/": PMO_ONLY,
    "/portfolio/portfolios/{top}/": READ,
    "/portfolio/portfolios/{top}/edit/": PMO_ONLY,
    "/portfolio/programmes/new/": PMO_ONLY,
    "/portfolio/programmes/{programme}/": READ,
    "/portfolio/programmes/{programme}/edit/": PMO_ONLY,
    "/portfolio/projects/{own}/placement/": PMO_ONLY,
    f"/portfolio/criteria/?{FRAME}": READ,
    f"/portfolio/criteria/new/?{FRAME}": PMO_ONLY,
    "/portfolio/criteria/{criterion}/edit/": PMO_ONLY,
    "/portfolio/criteria/{criterion}/delete/": POST_ONLY,
    f"/portfolio/criteria/pairwise/?{FRAME}": READ,
    "/portfolio/criteria/pairwise/apply/": POST_ONLY,
    f"/portfolio/objectives/new/?{FRAME}": PMO_ONLY,
    "/portfolio/objectives/{objective}/edit/": PMO_ONLY,
    "/portfolio/projects/{own}/scores/": READ,
    "/portfolio/projects/{other}/scores/": READ,
    "/portfolio/proposals/": READ,
    "/portfolio/proposals/{proposal}/accept/": POST_ONLY,
    "/portfolio/ranking/": READ,
    f"/portfolio/ranking/sensitivity/?{FRAME}": READ,
    "/portfolio/scenarios/": READ,
    "/portfolio/scenarios/new/": PMO_ONLY,
    COMPARE: READ,
    "/portfolio/scenarios/{scenario}/": READ,
    "/portfolio/scenarios/{scenario}/edit/": PMO_ONLY,
    "/portfolio/scenarios/{scenario}/candidates/": PMO_ONLY,
    "/portfolio/scenarios/{scenario}/solve/": POST_ONLY,
    "/portfolio/scenarios/{scenario}/frontier/": POST_ONLY,
    "/portfolio/scenarios/{scenario}/copy/": POST_ONLY,
    "/portfolio/scenarios/{scenario}/commit/": POST_ONLY,
    "/portfolio/reviews/": READ,
    "/portfolio/reviews/new/": PMO_ONLY,
    "/portfolio/reviews/{review}/": READ,
    "/portfolio/reviews/{review}/edit/": PMO_ONLY,
    "/portfolio/costs/": READ,
}

# Resolver patterns of the portfolio pages and the matrix rows that cover them.
PATTERN_ROWS = {
    "portfolio/": "/portfolio/",
    "portfolio/portfolios/": "/portfolio/portfolios/",
    "portfolio/portfolios/new/": "/portfolio/portfolios/new/",
    "portfolio/portfolios/<int:pk>/": "/portfolio/portfolios/{top}/",
    "portfolio/portfolios/<int:pk>/edit/": "/portfolio/portfolios/{top}/edit/",
    "portfolio/programmes/new/": "/portfolio/programmes/new/",
    "portfolio/programmes/<int:pk>/": "/portfolio/programmes/{programme}/",
    "portfolio/programmes/<int:pk>/edit/": "/portfolio/programmes/{programme}/edit/",
    "portfolio/projects/<int:pk>/placement/": "/portfolio/projects/{own}/placement/",
    "portfolio/criteria/": f"/portfolio/criteria/?{FRAME}",
    "portfolio/criteria/new/": f"/portfolio/criteria/new/?{FRAME}",
    "portfolio/criteria/<int:pk>/edit/": "/portfolio/criteria/{criterion}/edit/",
    "portfolio/criteria/<int:pk>/delete/": "/portfolio/criteria/{criterion}/delete/",
    "portfolio/criteria/pairwise/": f"/portfolio/criteria/pairwise/?{FRAME}",
    "portfolio/criteria/pairwise/apply/": "/portfolio/criteria/pairwise/apply/",
    "portfolio/objectives/new/": f"/portfolio/objectives/new/?{FRAME}",
    "portfolio/objectives/<int:pk>/edit/": "/portfolio/objectives/{objective}/edit/",
    "portfolio/projects/<int:pk>/scores/": "/portfolio/projects/{own}/scores/",
    "portfolio/proposals/": "/portfolio/proposals/",
    "portfolio/proposals/<int:pk>/<str:decision>/": "/portfolio/proposals/{proposal}/accept/",
    "portfolio/ranking/": "/portfolio/ranking/",
    "portfolio/ranking/sensitivity/": f"/portfolio/ranking/sensitivity/?{FRAME}",
    "portfolio/scenarios/": "/portfolio/scenarios/",
    "portfolio/scenarios/new/": "/portfolio/scenarios/new/",
    "portfolio/scenarios/compare/": COMPARE,
    "portfolio/scenarios/<int:pk>/": "/portfolio/scenarios/{scenario}/",
    "portfolio/scenarios/<int:pk>/edit/": "/portfolio/scenarios/{scenario}/edit/",
    "portfolio/scenarios/<int:pk>/candidates/": "/portfolio/scenarios/{scenario}/candidates/",
    "portfolio/scenarios/<int:pk>/solve/": "/portfolio/scenarios/{scenario}/solve/",
    "portfolio/scenarios/<int:pk>/frontier/": "/portfolio/scenarios/{scenario}/frontier/",
    "portfolio/scenarios/<int:pk>/copy/": "/portfolio/scenarios/{scenario}/copy/",
    "portfolio/scenarios/<int:pk>/commit/": "/portfolio/scenarios/{scenario}/commit/",
    "portfolio/reviews/": "/portfolio/reviews/",
    "portfolio/reviews/new/": "/portfolio/reviews/new/",
    "portfolio/reviews/<int:pk>/": "/portfolio/reviews/{review}/",
    "portfolio/reviews/<int:pk>/edit/": "/portfolio/reviews/{review}/edit/",
    "portfolio/costs/": "/portfolio/costs/",
}


def test_every_portfolio_page_is_in_the_matrix():
    patterns = {f"portfolio/{p.pattern}" for p in portfolio_urls.urlpatterns}
    assert patterns | {"portfolio/"} == set(PATTERN_ROWS)
    assert all(isinstance(p, URLPattern) for p in portfolio_urls.urlpatterns)
    assert set(PATTERN_ROWS.values()) <= set(MATRIX)


@pytest.mark.parametrize("url_template", list(MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_expected_status(client, request, ids, url_template, persona):
    check_page(client, request, MATRIX, url_template, persona, **ids)


@pytest.mark.parametrize(("url_template", "persona"), refused(MATRIX))
def test_a_persona_refused_a_page_is_refused_by_post_too(
    client, request, ids, url_template, persona
):
    check_refused_post(client, request, MATRIX, url_template, persona, **ids)


@pytest.mark.parametrize(("whose", "forms"), [("own", True), ("other", False)])
def test_a_project_manager_gets_score_forms_only_on_their_own_project(
    client, pm, ids, whose, forms
):
    client.force_login(pm)
    rows = client.get(f"/portfolio/projects/{ids[whose]}/scores/").context["rows"]
    assert rows and all((row["form"] is not None) is forms for row in rows)


POSTS = [
    "/portfolio/criteria/{criterion}/delete/",
    "/portfolio/criteria/pairwise/apply/",
    "/portfolio/proposals/{proposal}/accept/",
    "/portfolio/scenarios/{scenario}/solve/",
    "/portfolio/scenarios/{scenario}/frontier/",
    "/portfolio/scenarios/{scenario}/copy/",
    "/portfolio/scenarios/{scenario}/commit/",
    "/portfolio/portfolios/new/",
]


@pytest.mark.parametrize("persona", ["executive", "pm", "resource_manager"])
@pytest.mark.parametrize("url_template", POSTS)
def test_only_the_pmo_changes_anything_by_post(client, request, ids, world, persona, url_template):
    client.force_login(request.getfixturevalue(persona))
    data = {"portfolio": ids["top"], "period": ids["period"], "name": "Sneaky"}
    response = client.post(url_template.format(**ids), data)
    assert response.status_code == 403
    assert Scenario.objects.count() == 2
    assert Portfolio.objects.count() == 3
    assert ScoreProposal.objects.get().status == "pending"
    assert world["value"].__class__.objects.count() == 2


def test_readers_see_no_buttons_that_change_the_portfolio(client, executive, ids):
    client.force_login(executive)
    body = client.get(f"/portfolio/portfolios/{ids['top']}/").content.decode()
    assert "New sub-portfolio" not in body and "/edit/" not in body
    body = client.get(f"/portfolio/scenarios/{ids['scenario']}/").content.decode()
    assert "/solve/" not in body and "/commit/" not in body and "/edit/" not in body
