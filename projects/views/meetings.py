"""Review meetings with their decisions and actions, and each person's list of things to do."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView
from django_filters.views import FilterView

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError
from pmo_portal.service_forms import add_service_error

from ..forms.meetings import ActionFormSet, ActionStatusForm, MeetingFilter, MeetingForm
from ..models import ActionItem, GateCondition, Meeting
from ..services import meetings as services

ACTIONS_PREFIX = "actions"
RECENTLY_DONE = datetime.timedelta(days=30)


def get_meeting_for_user(user, pk, action=permissions.VIEW) -> Meeting:
    """Fetch a meeting for anyone who reads projects; raise PermissionDenied when they may not
    change it."""
    permissions.ensure(permissions.can_view_projects(user))
    meeting = get_object_or_404(
        Meeting.objects.select_related("project", "gate_submission__phase__project", "created_by"),
        pk=pk,
    )
    if action == permissions.CHANGE:
        permissions.ensure(permissions.can_change_meeting(user, meeting))
    return meeting


class MeetingListView(FilterView):
    """Review meetings, newest first, with how many decisions and open actions each has."""

    filterset_class = MeetingFilter
    template_name = "projects/meetings/meeting_list.html"
    paginate_by = 25

    def get_queryset(self):
        permissions.ensure(permissions.can_view_projects(self.request.user))
        # Meta.ordering does not apply to grouped queries: order explicitly, newest first.
        return (
            Meeting.objects.select_related("project")
            .annotate(
                decision_count=Count("decisions", distinct=True),
                open_action_count=Count(
                    "actions", filter=Q(actions__status=ActionItem.Status.OPEN), distinct=True
                ),
            )
            .order_by("-held_on", "-pk")
        )

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "can_record": permissions.can_record_meetings(self.request.user),
        }


class MeetingDetailView(DetailView):
    """One meeting: who attended, the minutes, the decisions and who does what by when."""

    template_name = "projects/meetings/meeting_detail.html"
    context_object_name = "meeting"

    def get_object(self, queryset=None):
        return get_meeting_for_user(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        user, meeting = self.request.user, self.object
        actions = list(meeting.actions.select_related("owner"))
        for action in actions:
            action.can_update = permissions.can_update_action(user, action)
        return {
            **super().get_context_data(**kwargs),
            "attendees": meeting.attendees.order_by("first_name", "last_name", "username"),
            "decisions": meeting.decisions.all(),
            "actions": actions,
            "status_choices": ActionItem.Status.choices,
            "can_change": permissions.can_change_meeting(user, meeting),
        }


class MeetingFormMixin:
    """The meeting form with its rows of new actions, saved together or not at all."""

    model = Meeting
    form_class = MeetingForm
    template_name = "projects/meetings/meeting_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("actions_formset", ActionFormSet(prefix=ACTIONS_PREFIX))
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        formset = ActionFormSet(request.POST, prefix=ACTIONS_PREFIX)
        if all([form.is_valid(), formset.is_valid()]):
            try:
                meeting = self.save(form, formset)
            except StaleVersionError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                return HttpResponseRedirect(meeting.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, actions_formset=formset))


class MeetingCreateView(MeetingFormMixin, CreateView):
    def dispatch(self, request, *args, **kwargs):
        permissions.ensure(permissions.can_record_meetings(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"held_on": timezone.localdate(), "attendees": [self.request.user.pk]}

    def post(self, request, *args, **kwargs):
        self.object = None
        return super().post(request, *args, **kwargs)

    def save(self, form, formset) -> Meeting:
        meeting = services.meeting_create(
            by=self.request.user,
            attendees=form.cleaned_data["attendees"],
            decisions=form.cleaned_data["decisions"],
            actions=formset.action_inputs(),
            **form.service_fields(),
        )
        messages.success(self.request, _("Meeting recorded."))
        return meeting


class MeetingUpdateView(MeetingFormMixin, UpdateView):
    context_object_name = "meeting"

    def get_object(self, queryset=None):
        return get_meeting_for_user(self.request.user, self.kwargs["pk"], permissions.CHANGE)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "decisions": self.object.decisions.all(),
            "actions": self.object.actions.select_related("owner"),
        }

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def save(self, form, formset) -> Meeting:
        meeting = services.meeting_update(
            meeting=self.object,
            by=self.request.user,
            version=form.cleaned_data["version"] or 0,
            attendees=form.cleaned_data["attendees"],
            decisions=form.cleaned_data["decisions"],
            actions=formset.action_inputs(),
            **form.service_fields(),
        )
        messages.success(self.request, _("Meeting saved."))
        return meeting


@require_POST
def action_status(request, action_pk):
    """Report an action's progress; back to the page the form was on."""
    action = get_object_or_404(ActionItem.objects.select_related("meeting"), pk=action_pk)
    permissions.ensure(permissions.can_update_action(request.user, action))
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        action = services.action_item_set_status(
            action=action, by=request.user, status=form.cleaned_data["status"]
        )
        messages.success(
            request,
            _("“%(action)s” is now %(status)s.")
            % {"action": action.description, "status": action.get_status_display()},
        )
    else:
        messages.error(request, _("Choose a status. Nothing was changed."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(back)
    return redirect(action.meeting)


@dataclass
class ToDo:
    """An action item or a gate condition, as the person who owes it sees it."""

    kind: str
    description: str
    due_date: datetime.date
    is_overdue: bool
    source: str
    url: str
    done_at: datetime.datetime | None = None
    action: ActionItem | None = None
    condition: GateCondition | None = None


def _action_todo(action: ActionItem) -> ToDo:
    return ToDo(
        kind=_("Action"),
        description=action.description,
        due_date=action.due_date,
        is_overdue=action.is_overdue,
        source=action.meeting.title,
        url=action.meeting.get_absolute_url(),
        done_at=action.completed_at,
        action=action,
    )


def _condition_todo(condition: GateCondition) -> ToDo:
    phase = condition.decision.submission.phase
    return ToDo(
        kind=_("Gate condition"),
        description=condition.description,
        due_date=condition.due_date,
        is_overdue=condition.is_overdue,
        source=f"{phase.project.code} · {phase.gate_name}",
        url=reverse("projects:project_lifecycle", args=[phase.project_id]),
        done_at=condition.met_at,
        condition=condition,
    )


class MyActionsView(TemplateView):
    """Everything the user owes: open actions and gate conditions, overdue first, and what they
    finished in the last 30 days."""

    template_name = "projects/meetings/my_actions.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        permissions.ensure(permissions.can_view_projects(user))
        since = timezone.now() - RECENTLY_DONE
        actions = ActionItem.objects.filter(owner=user).select_related("meeting")
        conditions = GateCondition.objects.filter(owner=user).select_related(
            "decision__submission__phase__project"
        )
        open_items = [_action_todo(a) for a in actions.open()] + [
            _condition_todo(c) for c in conditions.filter(status=GateCondition.Status.OPEN)
        ]
        done_items = [
            _action_todo(a)
            for a in actions.filter(status=ActionItem.Status.DONE, completed_at__gte=since)
        ] + [
            _condition_todo(c)
            for c in conditions.filter(status=GateCondition.Status.MET, met_at__gte=since)
        ]
        open_items.sort(key=lambda item: (not item.is_overdue, item.due_date))
        done_items.sort(key=lambda item: item.done_at, reverse=True)
        return {
            **super().get_context_data(**kwargs),
            "open_items": open_items,
            "overdue_count": sum(item.is_overdue for item in open_items),
            "done_items": done_items,
            "status_choices": ActionItem.Status.choices,
        }
