"""What a report covers: portfolios, departments and projects, each optional.

An empty scope is the whole organisation. Portfolios count with their sub-portfolios and
departments with their sub-departments; several kinds together narrow one another (projects of
this portfolio in that department).
"""

import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from portfolio.models import Portfolio
from projects.models import Department, Project
from resources.costs import DepartmentTree
from risks.figures import in_portfolio
from risks.models import Risk


def _ids(values) -> tuple[int, ...]:
    return tuple(sorted({int(value) for value in values or ()}))


@dataclass(frozen=True)
class ReportScope:
    """The portfolios, departments and projects a report covers; empty means everything."""

    portfolio_ids: tuple[int, ...] = ()
    department_ids: tuple[int, ...] = ()
    project_ids: tuple[int, ...] = ()

    def __post_init__(self):
        for name in ("portfolio_ids", "department_ids", "project_ids"):
            object.__setattr__(self, name, _ids(getattr(self, name)))

    @property
    def is_everything(self) -> bool:
        return not (self.portfolio_ids or self.department_ids or self.project_ids)


def _check(kind: str, wanted: tuple[int, ...], found: set[int]) -> None:
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        raise ValueError(f"There is no {kind} {', '.join(missing)}.")


@dataclass
class ResolvedScope:
    """A scope with its portfolios and departments read (two queries at most): the querysets
    of the projects, risks and people it covers, and how the report names it."""

    scope: ReportScope
    portfolios: list[Portfolio]
    departments: list[Department]
    department_subtree: list[int]

    @classmethod
    def of(cls, scope: ReportScope) -> "ResolvedScope":
        """The scope read; ValueError when it names a portfolio, department or project that
        does not exist (a report of nothing would look like a report of everything)."""
        portfolios = list(Portfolio.objects.filter(pk__in=scope.portfolio_ids).order_by("path"))
        _check("portfolio", scope.portfolio_ids, {p.pk for p in portfolios})
        departments, subtree = [], []
        if scope.department_ids:
            tree = DepartmentTree.load()
            _check("department", scope.department_ids, set(tree.departments))
            departments = [tree.departments[pk] for pk in scope.department_ids]
            subtree = sorted({pk for d in departments for pk in tree.subtree(d.pk)})
        if scope.project_ids:
            found = Project.objects.filter(pk__in=scope.project_ids).values_list("pk", flat=True)
            _check("project", scope.project_ids, set(found))
        return cls(scope, portfolios, departments, subtree)

    def projects(self) -> QuerySet:
        projects = Project.objects.all()
        if self.scope.portfolio_ids:
            projects = projects.filter(
                reduce(
                    operator.or_,
                    (Q(portfolio_placement__portfolio__path__startswith=p.path)
                     for p in self.portfolios),
                    Q(pk__in=[]),
                )
            )  # fmt: skip
        if self.scope.department_ids:
            projects = projects.filter(department__in=self.department_subtree)
        if self.scope.project_ids:
            projects = projects.filter(pk__in=self.scope.project_ids)
        return projects

    def risks(self) -> QuerySet:
        """The risks of the projects in scope; with no project named, also the risks held at
        portfolio or programme level of the portfolios in scope (or of the whole
        organisation, enterprise risks included, when the scope is everything)."""
        risks = Risk.objects.all()
        if self.scope.project_ids:
            risks = risks.filter(project__in=self.scope.project_ids)
        if self.scope.department_ids:
            risks = risks.filter(project__department__in=self.department_subtree)
        if self.scope.portfolio_ids:
            risks = risks.filter(
                reduce(operator.or_, (in_portfolio(p) for p in self.portfolios), Q(pk__in=[]))
            )
        return risks

    @property
    def people_departments(self) -> list[int] | None:
        """The departments whose people the resource figures cover; None: everyone."""
        return self.department_subtree if self.scope.department_ids else None

    def label(self) -> str:
        """How the cover and the running header name the scope."""
        parts = []
        if self.portfolios:
            parts.append(", ".join(str(p) for p in self.portfolios))
        if self.departments:
            parts.append(", ".join(d.display_name for d in self.departments))
        if self.scope.project_ids:
            codes = list(
                Project.objects.filter(pk__in=self.scope.project_ids)
                .order_by("code")
                .values_list("code", flat=True)[:4]
            )
            more = len(self.scope.project_ids) - len(codes)
            parts.append(", ".join(codes) + (f" +{more}" if more > 0 else ""))
        return " · ".join(parts) if parts else _("Whole organisation")
