"""Lessons learned: the searchable knowledge base, recording and editing lessons."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError
from pmo_portal.service_forms import add_service_error
from projects.models import Project

from ..filters import LessonFilter
from ..forms import LessonForm
from ..models import Lesson
from ..services.lessons import full_text_available, lesson_save
from ..tables import LessonTable
from .common import CHANGE, get_lesson_for_user


class LessonListView(SingleTableMixin, FilterView):
    """The knowledge base: search by full text, filter by category, project and occasion."""

    model = Lesson
    filterset_class = LessonFilter
    table_class = LessonTable
    template_name = "risks/lesson_list.html"
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        permissions.ensure(permissions.can_view_lessons(self.request.user))
        return Lesson.objects.visible_to(self.request.user).for_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_record"] = user.has_perm("risks.change_lesson") or (
            user.has_perm("risks.add_lesson") and permissions.can_manage_projects(user)
        )
        context["full_text"] = full_text_available()
        return context


def _projects(user):
    projects = Project.objects.all()
    if not user.has_perm("risks.change_lesson"):
        projects = projects.editable_by(user)
    return projects.only("pk", "code", "name").order_by("code")


def lesson_create(request):
    """Record a lesson; from a project's page or a gate review, the project and phase are set."""
    user = request.user
    permissions.ensure(permissions.can_view_lessons(user))
    permissions.ensure(
        user.has_perm("risks.change_lesson")
        or (user.has_perm("risks.add_lesson") and permissions.can_manage_projects(user))
    )
    initial = {}
    project = None
    if request.GET.get("project", "").isdigit():
        project = Project.objects.filter(pk=request.GET["project"]).first()
        initial["project"] = project.pk if project else None
    if request.GET.get("phase", "").isdigit():
        initial["phase"] = int(request.GET["phase"])
    if request.GET.get("source") in Lesson.Source.values:
        initial["source"] = request.GET["source"]
    posted_project = request.POST.get("project")
    if posted_project and posted_project.isdigit():
        project = Project.objects.filter(pk=posted_project).first()
    form = LessonForm(request.POST or None, projects=_projects(user), project=project,
                      initial=initial)  # fmt: skip
    if not user.has_perm("risks.change_lesson"):
        form.fields["project"].required = True
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            lesson = lesson_save(by=user, project=fields.pop("project"), **fields)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Lesson recorded."))
            return redirect(lesson)
    return render(request, "risks/lesson_form.html", {"form": form, "lesson": None})


def lesson_detail(request, pk):
    lesson = get_lesson_for_user(request.user, pk)
    return render(
        request,
        "risks/lesson_detail.html",
        {"lesson": lesson, "can_change": permissions.can_change_lesson(request.user, lesson)},
    )


def lesson_update(request, pk):
    lesson = get_lesson_for_user(request.user, pk, CHANGE)
    projects = _projects(request.user) | Project.objects.filter(pk=lesson.project_id)
    form = LessonForm(request.POST or None, instance=lesson, projects=projects)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            saved = lesson_save(
                by=request.user, lesson=lesson, version=form.cleaned_data["version"] or 0,
                **fields,
            )  # fmt: skip
        except StaleVersionError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Lesson saved."))
            return redirect(saved)
    return render(request, "risks/lesson_form.html", {"form": form, "lesson": lesson})
