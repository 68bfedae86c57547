"""The weighted score and rank of every project, kept up to date in ProjectRanking.

A project is scored on the criteria of its top portfolio for a period. Whenever a score, a
weight or a criterion's scale changes, or a project moves to another portfolio tree, the
frame (top portfolio, period) is ranked again as a whole: one query for the scores, the
weighted scores in Python with the pure scoring functions, and bulk writes of the rows that
changed.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import QuerySet

from projects.models import Project

from .. import scoring
from ..models import Criterion, Portfolio, PortfolioProject, ProjectRanking, Score

BATCH_SIZE = 1000
CENT = Decimal("0.01")


def scoring_criteria(criteria) -> list[scoring.Criterion]:
    """The criteria as the pure scoring functions take them, keyed by id."""
    return [
        scoring.Criterion(
            key=criterion.pk,
            weight=float(criterion.weight),
            benefit=criterion.is_benefit,
            scale_min=criterion.scale_min,
            scale_max=criterion.scale_max,
        )
        for criterion in criteria
    ]


def frame_criteria(portfolio: Portfolio, period: int) -> list[Criterion]:
    return list(Criterion.objects.filter(portfolio=portfolio, period=period).order_by("pk"))


def rankings_recompute(*, portfolio: Portfolio, period: int) -> int:
    """Score and rank every project placed in `portfolio`'s tree on its criteria for
    `period`; returns the number of projects ranked. Ties rank by project code."""
    criteria = frame_criteria(portfolio, period)
    placed = dict(
        PortfolioProject.objects.in_subtree(portfolio).values_list("project_id", "project__code")
    )
    stale = ProjectRanking.objects.filter(portfolio=portfolio, period=period)
    if not criteria:
        stale.delete()
        return 0
    stale.exclude(
        project__in=PortfolioProject.objects.in_subtree(portfolio).values("project")
    ).delete()

    levels: dict[int, dict[int, int]] = defaultdict(dict)
    for project_id, criterion_id, level in Score.objects.filter(
        criterion__in=criteria,
        project__in=PortfolioProject.objects.in_subtree(portfolio).values("project"),
    ).values_list("project_id", "criterion_id", "level"):
        levels[project_id][criterion_id] = level
    maths = scoring_criteria(criteria)
    scored = sorted(
        (
            (Decimal(str(scoring.weighted_score(levels.get(pk, {}), maths))).quantize(CENT),
             code, pk)
            for pk, code in placed.items()
        ),
        key=lambda row: (-row[0], row[1]),
    )  # fmt: skip

    existing = {
        row.project_id: row
        for row in ProjectRanking.objects.filter(project__in=list(placed), period=period)
    }
    new, changed = [], []
    for rank, (value, _code, project_id) in enumerate(scored, start=1):
        count = len(levels.get(project_id, {}))
        row = existing.get(project_id)
        if row is None:
            new.append(
                ProjectRanking(
                    project_id=project_id, portfolio=portfolio, period=period,
                    weighted_score=value, rank=rank, scored_criteria=count,
                )
            )  # fmt: skip
        elif (row.portfolio_id, row.weighted_score, row.rank, row.scored_criteria) != (
            portfolio.pk,
            value,
            rank,
            count,
        ):
            row.portfolio, row.weighted_score, row.rank, row.scored_criteria = (
                portfolio, value, rank, count,
            )  # fmt: skip
            changed.append(row)
    ProjectRanking.objects.bulk_create(new, batch_size=BATCH_SIZE)
    ProjectRanking.objects.bulk_update(
        changed, ["portfolio", "weighted_score", "rank", "scored_criteria"], batch_size=BATCH_SIZE
    )
    return len(scored)


def rankings_follow_placements(projects: QuerySet, *, old_tops: list[int]) -> None:
    """Rank again the frames that `projects` left (their former top portfolios) and joined."""
    tops = set(old_tops) | {
        int(path.strip("/").split("/")[0])
        for path in projects.values_list("portfolio_placement__portfolio__path", flat=True)
        if path
    }
    frames = (
        Criterion.objects.filter(portfolio__in=tops)
        .order_by("portfolio", "period")
        .values_list("portfolio", "period")
        .distinct()
    )
    portfolios = Portfolio.objects.in_bulk(tops)
    for portfolio_id, period in frames:
        rankings_recompute(portfolio=portfolios[portfolio_id], period=period)


def project_frames(project: Project) -> list[tuple[Portfolio, int]]:
    """The (top portfolio, period) frames the project is scored in."""
    placement = PortfolioProject.objects.filter(project=project).select_related("portfolio").first()
    if placement is None:
        return []
    top = Portfolio.objects.get(pk=placement.portfolio.top_id)
    periods = (
        Criterion.objects.filter(portfolio=top).order_by("period").values_list("period", flat=True)
    )
    return [(top, period) for period in sorted(set(periods))]
