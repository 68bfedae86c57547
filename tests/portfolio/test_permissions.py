"""Every portfolio page, for every persona: PMO staff change, project managers propose scores,
everyone else reads."""

import pytest
from django.urls import URLPattern

from portfolio import urls as portfolio_urls
from portfolio.models import Portfolio, Scenario, ScoreProposal

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "executive", "pm", "pmo", "resource_manager"]
LOGIN = "login"
READ = [LOGIN, 200, 200, 200, 200]
PMO = [LOGIN, 403, 403, 200, 403]
POST_ONLY = [LOGIN, 405, 405, 405, 405]
FRAME = "portfolio={top}&period={period}"
COMPARE = "/portfolio/scenarios/compare/?first={scenario}&second={second}"

# url -> expected status of a GET per persona (same order as PERSONAS).
MATRIX = {
    "/portfolio/": READ,
    "/portfolio/portfolios/": READ,
    "/portfolio/portfolios/new/": PMO,
    "/portfolio/portfolios/{top}/": READ,
    "/portfolio/portfolios/{top}/edit/": PMO,
    "/portfolio/programmes/new/": PMO,
    "/portfolio/programmes/{programme}/": READ,
    "/portfolio/programmes/{programme}/edit/": PMO,
    "/portfolio/projects/{own}/placement/": PMO,
    f"/portfolio/criteria/?{FRAME}": READ,
    f"/portfolio/criteria/new/?{FRAME}": PMO,
    "/portfolio/criteria/{criterion}/edit/": PMO,
    "/portfolio/criteria/{criterion}/delete/": POST_ONLY,
    f"/portfolio/criteria/pairwise/?{FRAME}": READ,
    "/portfolio/criteria/pairwise/apply/": POST_ONLY,
    f"/portfolio/objectives/new/?{FRAME}": PMO,
    "/portfolio/objectives/{objective}/edit/": PMO,
    "/portfolio/projects/{own}/scores/": READ,
    "/portfolio/proposals/": READ,
    "/portfolio/proposals/{proposal}/accept/": POST_ONLY,
    "/portfolio/ranking/": READ,
    f"/portfolio/ranking/sensitivity/?{FRAME}": READ,
    "/portfolio/scenarios/": READ,
    "/portfolio/scenarios/new/": PMO,
    COMPARE: READ,
    "/portfolio/scenarios/{scenario}/": READ,
    "/portfolio/scenarios/{scenario}/edit/": PMO,
    "/portfolio/scenarios/{scenario}/candidates/": PMO,
    "/portfolio/scenarios/{scenario}/solve/": POST_ONLY,
    "/portfolio/scenarios/{scenario}/frontier/": POST_ONLY,
    "/portfolio/scenarios/{scenario}/copy/": POST_ONLY,
    "/portfolio/scenarios/{scenario}/commit/": POST_ONLY,
    "/portfolio/reviews/": READ,
    "/portfolio/reviews/new/": PMO,
    "/portfolio/reviews/{review}/": READ,
    "/portfolio/reviews/{review}/edit/": PMO,
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


@pytest.fixture
def users(executive, pm, pmo, resource_manager):
    return {"executive": executive, "pm": pm, "pmo": pmo, "resource_manager": resource_manager}


def test_every_portfolio_page_is_in_the_matrix():
    patterns = {f"portfolio/{p.pattern}" for p in portfolio_urls.urlpatterns}
    assert patterns | {"portfolio/"} == set(PATTERN_ROWS)
    assert all(isinstance(p, URLPattern) for p in portfolio_urls.urlpatterns)
    assert set(PATTERN_ROWS.values()) == set(MATRIX)


@pytest.mark.parametrize("url_template", list(MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_expected_status(client, users, ids, url_template, persona):
    if persona != "anonymous":
        client.force_login(users[persona])
    response = client.get(url_template.format(**ids))
    expected = MATRIX[url_template][PERSONAS.index(persona)]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == expected


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
def test_only_the_pmo_changes_anything_by_post(client, users, ids, world, persona, url_template):
    client.force_login(users[persona])
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
