"""Writes of the portfolio structure: portfolios, programmes, and where projects sit."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError
from projects.models import Project

from ..models import Portfolio, PortfolioProject, Programme
from . import ranking


def _ensure_pmo(by) -> None:
    permissions.ensure(permissions.can_manage_portfolio(by))


def _path_of(portfolio: Portfolio) -> str:
    parent_path = portfolio.parent.path if portfolio.parent_id else "/"
    return f"{parent_path}{portfolio.pk}/"


@transaction.atomic
def portfolio_save(
    *, by, portfolio: Portfolio | None = None, version: int | None = None, **fields
) -> Portfolio:
    """Create or change a portfolio. Moving it under another parent moves its whole subtree
    (the tree paths below it are rewritten in one UPDATE), and its projects' rankings follow
    the criteria of their new top portfolio."""
    _ensure_pmo(by)
    old_path = old_top = None
    if portfolio is None:
        portfolio = Portfolio()
    else:
        current = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
        if version is not None and current.version != version:
            raise StaleVersionError(
                _("Someone else changed this portfolio since you opened it. Nothing was saved.")
            )
        portfolio.version = current.version + 1
        old_path, old_top = current.path, current.top_id
    for name, value in fields.items():
        setattr(portfolio, name, value)
    portfolio._history_user = by
    portfolio.full_clean(exclude=["path"])
    if portfolio.pk is None:
        portfolio.path = "/"
        portfolio.save()
    portfolio.path = _path_of(portfolio)
    portfolio.save()
    if old_path is not None and old_path != portfolio.path:
        Portfolio.objects.filter(path__startswith=old_path).exclude(pk=portfolio.pk).update(
            path=Concat(Value(portfolio.path), Substr("path", len(old_path) + 1))
        )
        if old_top != portfolio.top_id:
            moved = Project.objects.filter(
                portfolio_placement__portfolio__path__startswith=portfolio.path
            )
            ranking.rankings_follow_placements(moved, old_tops=[old_top])
    return portfolio


@transaction.atomic
def programme_save(*, by, programme: Programme | None = None, **fields) -> Programme:
    _ensure_pmo(by)
    programme = programme or Programme()
    moving = programme.pk is not None and fields.get("portfolio", programme.portfolio) != (
        programme.portfolio
    )
    if moving and programme.placements.exists():
        raise ValidationError(
            {"portfolio": _("Move the programme's projects first: they sit in its portfolio.")}
        )
    for name, value in fields.items():
        setattr(programme, name, value)
    programme._history_user = by
    programme.full_clean()
    programme.save()
    return programme


@transaction.atomic
def project_place(
    *,
    by,
    project: Project,
    portfolio: Portfolio,
    programme: Programme | None = None,
    risk_score: int | None = None,
) -> PortfolioProject:
    """Put a project in a portfolio (and a programme of it), or move it; its ranking follows
    the criteria of its new top portfolio."""
    _ensure_pmo(by)
    placement = PortfolioProject.objects.select_for_update().filter(
        project=project
    ).first() or PortfolioProject(project=project)
    old_top = placement.portfolio.top_id if placement.pk else None
    placement.portfolio, placement.programme, placement.risk_score = (
        portfolio,
        programme,
        risk_score,
    )
    placement._history_user = by
    placement.full_clean(exclude=["project"])
    placement.save()
    if old_top != portfolio.top_id:
        ranking.rankings_follow_placements(
            Project.objects.filter(pk=project.pk), old_tops=[old_top] if old_top else []
        )
    return placement
