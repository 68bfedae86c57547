"""Portfolios nest (never below themselves), programmes belong to one, projects are placed;
counts, budget and status roll up every subtree."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portfolio.figures import subtree_figures, tree_figures
from portfolio.models import Portfolio, PortfolioProject, ProjectRanking
from portfolio.services import structure
from projects.models import ExchangeRate, Project
from tests.portfolio.factories import (
    PortfolioFactory,
    ProgrammeFactory,
    criterion,
    placed_project,
    rank,
    score,
)

pytestmark = pytest.mark.django_db


class TestTheTree:
    def test_a_portfolio_is_created_with_its_path_below_its_parent(self, pmo):
        top = structure.portfolio_save(by=pmo, name="Digital")
        child = structure.portfolio_save(by=pmo, name="Customer", parent=top)
        assert top.path == f"/{top.pk}/"
        assert child.path == f"/{top.pk}/{child.pk}/"
        assert list(Portfolio.objects.subtree(top)) == [top, child]

    def test_it_refuses_to_put_a_portfolio_below_its_own_sub_portfolio(self, pmo):
        top = structure.portfolio_save(by=pmo, name="Digital")
        child = structure.portfolio_save(by=pmo, name="Customer", parent=top)
        with pytest.raises(ValidationError) as error:
            structure.portfolio_save(
                by=pmo, portfolio=Portfolio.objects.get(pk=top.pk), parent=child
            )
        assert "parent" in error.value.message_dict
        assert Portfolio.objects.get(pk=top.pk).parent is None

    def test_the_database_refuses_a_portfolio_that_is_its_own_parent(self, pmo):
        top = structure.portfolio_save(by=pmo, name="Digital")
        with pytest.raises(IntegrityError), transaction.atomic():
            Portfolio.objects.filter(pk=top.pk).update(parent=top)

    def test_moving_a_portfolio_moves_its_subtree_and_its_projects_rankings(self, pmo):
        first = structure.portfolio_save(by=pmo, name="First")
        second = structure.portfolio_save(by=pmo, name="Second")
        middle = structure.portfolio_save(by=pmo, name="Middle", parent=first)
        leaf = structure.portfolio_save(by=pmo, name="Leaf", parent=middle)
        project = placed_project(leaf)
        score(project, criterion(second, "Value"), 5, pmo)
        rank(second)
        assert not ProjectRanking.objects.filter(project=project).exists()

        structure.portfolio_save(
            by=pmo, portfolio=Portfolio.objects.get(pk=middle.pk), parent=second,
            version=middle.version,
        )  # fmt: skip

        leaf.refresh_from_db()
        assert leaf.path == f"/{second.pk}/{middle.pk}/{leaf.pk}/"
        ranking = ProjectRanking.objects.get(project=project)
        assert (ranking.portfolio, ranking.weighted_score, ranking.rank) == (
            second, Decimal("100.00"), 1,
        )  # fmt: skip

    def test_a_stale_form_is_refused(self, pmo):
        top = structure.portfolio_save(by=pmo, name="Digital")
        structure.portfolio_save(by=pmo, portfolio=top, name="Digital 2")
        from pmo_portal.errors import StaleVersionError

        with pytest.raises(StaleVersionError):
            structure.portfolio_save(
                by=pmo, portfolio=Portfolio.objects.get(pk=top.pk), version=1, name="Old"
            )
        assert Portfolio.objects.get(pk=top.pk).name == "Digital 2"


class TestPlacement:
    def test_a_programme_of_another_portfolio_is_refused(self, pmo, project):
        first, second = PortfolioFactory(), PortfolioFactory()
        programme = ProgrammeFactory(portfolio=second)
        with pytest.raises(ValidationError) as error:
            structure.project_place(by=pmo, project=project, portfolio=first, programme=programme)
        assert "programme" in error.value.message_dict
        assert not PortfolioProject.objects.exists()

    def test_placing_a_project_ranks_it_in_its_new_tree(self, pmo, project):
        first, second = PortfolioFactory(), PortfolioFactory()
        value = criterion(first, "Value")
        score(project, value, 3, pmo)
        structure.project_place(by=pmo, project=project, portfolio=first, risk_score=4)
        assert ProjectRanking.objects.get(project=project).weighted_score == Decimal("50.00")
        structure.project_place(by=pmo, project=project, portfolio=second)
        assert not ProjectRanking.objects.filter(project=project).exists()
        assert PortfolioProject.objects.get(project=project).history.count() == 2

    def test_only_the_pmo_places_projects(self, pm, project):
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            structure.project_place(by=pm, project=project, portfolio=PortfolioFactory())


class TestRollUps:
    @pytest.fixture
    def tree(self, project_type, department):
        ExchangeRate.objects.create(currency="USD", rate=Decimal("7"))
        top = PortfolioFactory(name="Top")
        child = PortfolioFactory(name="Child", parent=top)
        grandchild = PortfolioFactory(name="Grandchild", parent=child)
        other = PortfolioFactory(name="Other")
        common = {"project_type": project_type, "department": department}
        placed_project(top, budget=Decimal(100), **common)
        placed_project(child, budget=Decimal(10), currency="USD", status="proposed", **common)
        placed_project(grandchild, budget=Decimal(1), currency="EUR", **common)
        placed_project(other, budget=Decimal(5), **common)
        return top, child, grandchild, other

    def test_a_subtree_adds_up_its_projects_in_the_reporting_currency(self, tree):
        top, child, _grandchild, _other = tree
        figures = subtree_figures(top, Project.objects.all())
        assert figures.project_count == 3
        assert figures.budget == Decimal(170)  # 100 + 10 USD at 7; EUR has no rate
        assert figures.unconverted == 1
        assert figures.by_status == {"active": 2, "proposed": 1}
        assert subtree_figures(child, Project.objects.all()).project_count == 2

    def test_the_tree_lists_every_portfolio_in_reading_order_with_its_subtree(
        self, tree, django_assert_num_queries
    ):
        with django_assert_num_queries(2):
            rows = tree_figures(Project.objects.all())
        assert [(r.portfolio.name, r.depth, r.project_count) for r in rows] == [
            ("Other", 0, 1), ("Top", 0, 3), ("Child", 1, 2), ("Grandchild", 2, 1),
        ]  # fmt: skip


class TestStructurePages:
    def test_the_pmo_creates_a_sub_portfolio_through_the_form(self, client, pmo):
        top = PortfolioFactory(name="Digital")
        client.force_login(pmo)
        response = client.post(
            "/portfolio/portfolios/new/", {"name": "Customer", "parent": top.pk, "manager": ""}
        )
        child = Portfolio.objects.get(name="Customer")
        assert (
            response.status_code == 302
            and response["Location"] == f"/portfolio/portfolios/{child.pk}/"
        )
        assert child.path == f"{top.path}{child.pk}/"

    def test_a_form_without_a_name_saves_nothing(self, client, pmo):
        client.force_login(pmo)
        response = client.post("/portfolio/portfolios/new/", {"name": "", "parent": ""})
        assert response.status_code == 200
        assert "This field is required." in response.content.decode()
        assert not Portfolio.objects.exists()

    def test_the_edit_form_does_not_offer_the_portfolio_s_own_subtree_as_parent(self, client, pmo):
        top = PortfolioFactory(name="Digital")
        child = PortfolioFactory(name="Customer", parent=top)
        client.force_login(pmo)
        choices = (
            client.get(f"/portfolio/portfolios/{top.pk}/edit/")
            .context["form"]
            .fields["parent"]
            .queryset
        )
        assert top not in choices and child not in choices

    def test_a_stale_edit_form_is_refused_with_a_message(self, client, pmo):
        top = PortfolioFactory(name="Digital")
        client.force_login(pmo)
        structure.portfolio_save(by=pmo, portfolio=top, name="Digital 2")
        response = client.post(
            f"/portfolio/portfolios/{top.pk}/edit/", {"name": "Mine", "version": 1}
        )
        assert "Someone else changed this portfolio" in response.content.decode()
        assert Portfolio.objects.get(pk=top.pk).name == "Digital 2"

    def test_placing_with_a_mismatched_programme_shows_the_error(self, client, pmo, project):
        first, second = PortfolioFactory(), PortfolioFactory()
        programme = ProgrammeFactory(portfolio=second)
        client.force_login(pmo)
        response = client.post(
            f"/portfolio/projects/{project.pk}/placement/",
            {"portfolio": first.pk, "programme": programme.pk, "risk_score": "3"},
        )
        assert "The programme belongs to another portfolio." in response.content.decode()
        assert not PortfolioProject.objects.exists()

    def test_the_project_page_shows_its_portfolio_score_and_decisions(self, client, pm, world):
        client.force_login(pm)
        body = client.get(f"/projects/{world['project'].pk}/").content.decode()
        assert "Customer" in body and "Omnichannel" in body
        assert "100.00 / 100" in body and "rank 1" in body

    def test_a_project_in_no_portfolio_says_so(self, client, pm, project):
        client.force_login(pm)
        body = client.get(f"/projects/{project.pk}/").content.decode()
        assert "This project is in no portfolio yet." in body

    def test_the_portfolio_page_pages_through_its_subtree_s_projects(
        self, client, executive, world, project_type, department
    ):
        for _ in range(30):
            placed_project(world["sub"], project_type=project_type, department=department)
        client.force_login(executive)
        response = client.get(f"/portfolio/portfolios/{world['top'].pk}/?page=2")
        assert response.context["page_obj"].paginator.count == 32
        assert len(response.context["page_obj"].object_list) == 7
