"""The PMO's standards pages: methodologies, the lifecycle template builder, the standards
library and the governance mode.

Everyone who reads the project register reads these pages; only the PMO changes standards and
templates, and only the PMO admin sets the governance mode. Writes go through the services;
a template some project uses is never changed in place: the service makes a new draft version,
and the pages then follow that draft.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView, View
from django_filters.views import FilterView

from pmo_portal import permissions
from pmo_portal.service_forms import ServiceFormMixin, add_service_error

from ..forms.standards import (
    GovernanceForm,
    MethodologyForm,
    StandardAttachmentForm,
    StandardFilter,
    StandardForm,
    TemplateChecklistItemForm,
    TemplateForm,
    TemplatePhaseForm,
)
from ..models import (
    GovernanceMode,
    GovernanceSettings,
    LifecycleTemplate,
    Methodology,
    Project,
    Standard,
    StandardAttachment,
    TemplateChecklistItem,
    TemplatePhase,
)
from ..services import lifecycle
from ..services import standards as services

FORM_TEMPLATE = "projects/standards/form.html"
STANDARDS_PAGE_SIZE = 25


def _count(model, foreign_key: str):
    """How many `model` rows point at the outer row, as a subquery (no join fan-out)."""
    rows = (
        model.objects.filter(**{foreign_key: OuterRef("pk")})
        .order_by()
        .values(foreign_key)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def templates_with_counts():
    return LifecycleTemplate.objects.annotate(
        phase_count=_count(TemplatePhase, "template"),
        project_count=_count(Project, "lifecycle_template"),
    )


class StandardsAccessMixin:
    """Reading needs the project register's view permission; `manage = True` views change
    standards and need `can_manage_standards`."""

    manage = False

    def check_access(self, user) -> None:
        permissions.ensure(permissions.can_view_projects(user))
        if self.manage:
            permissions.ensure(permissions.can_manage_standards(user))

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        self.check_access(request.user)
        return super().dispatch(request, *args, **kwargs)


class FormPageMixin:
    """The one form page of this area: a title, breadcrumbs and where Cancel goes."""

    template_name = FORM_TEMPLATE
    page_title = ""

    def get_crumbs(self) -> list[tuple[str, str]]:
        return [(_("Lifecycles"), reverse("projects:template_list"))]

    def get_cancel_url(self) -> str:
        return reverse("projects:template_list")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "page_title": self.page_title,
            "crumbs": self.get_crumbs(),
            "cancel_url": self.get_cancel_url(),
        }


# Methodologies and their lifecycle templates ---------------------------------------------


class TemplateListView(StandardsAccessMixin, ListView):
    """Every methodology with the versions of its lifecycle templates."""

    template_name = "projects/standards/template_list.html"
    context_object_name = "methodologies"

    def get_queryset(self):
        return Methodology.objects.order_by("name").prefetch_related(
            Prefetch("templates", queryset=templates_with_counts().order_by("name", "-version"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = permissions.can_manage_standards(self.request.user)
        return context


class MethodologyCreateView(StandardsAccessMixin, FormPageMixin, CreateView):
    manage = True
    model = Methodology
    form_class = MethodologyForm
    page_title = gettext_lazy("New methodology")

    def form_valid(self, form):
        try:
            methodology = services.methodology_create(by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Methodology %(name)s added.") % {"name": methodology})
        return redirect("projects:template_list")


class MethodologyUpdateView(StandardsAccessMixin, FormPageMixin, UpdateView):
    manage = True
    model = Methodology
    form_class = MethodologyForm
    page_title = gettext_lazy("Edit methodology")

    def form_valid(self, form):
        try:
            methodology = services.methodology_update(
                methodology=self.object, by=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Methodology %(name)s saved.") % {"name": methodology})
        return redirect("projects:template_list")


class TemplateCreateView(StandardsAccessMixin, FormPageMixin, CreateView):
    manage = True
    model = LifecycleTemplate
    form_class = TemplateForm
    page_title = gettext_lazy("New lifecycle template")

    def get_initial(self):
        return {"methodology": self.request.GET.get("methodology")}

    def form_valid(self, form):
        try:
            template = lifecycle.template_create(by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Lifecycle %(template)s created. Add its phases.") % {"template": template},
        )
        return redirect(template)


class TemplateDetailView(StandardsAccessMixin, DetailView):
    """The builder: a template's phases, gates and checklists, and its other versions."""

    template_name = "projects/standards/template_detail.html"
    context_object_name = "lifecycle"
    queryset = LifecycleTemplate.objects.select_related("methodology", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lifecycle_template = self.object
        versions = list(
            templates_with_counts().filter(family=lifecycle_template.family).order_by("-version")
        )
        this_version = next(v for v in versions if v.pk == lifecycle_template.pk)
        other_draft = next(
            (
                v
                for v in versions
                if v.status == LifecycleTemplate.Status.DRAFT and v.pk != lifecycle_template.pk
            ),
            None,
        )
        context.update(
            versions=versions,
            project_count=this_version.project_count,
            other_draft=other_draft,
            next_version=other_draft.version if other_draft else versions[0].version + 1,
            phases=lifecycle_template.phases.prefetch_related(
                "checklist", Prefetch("standards", queryset=Standard.objects.order_by("title"))
            ),
            can_edit=permissions.can_manage_standards(self.request.user)
            and lifecycle_template.status != LifecycleTemplate.Status.RETIRED,
        )
        return context


class TemplateEditMixin(StandardsAccessMixin, FormPageMixin):
    """A change to a template's phases or checklists, as the PMO. Loads the template (and the
    phase and item of the URL, which must belong to it); retired versions are not edited."""

    manage = True

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        self.check_access(request.user)
        self.lifecycle = get_object_or_404(
            LifecycleTemplate.objects.select_related("methodology"), pk=kwargs["pk"]
        )
        self.phase = None
        if "phase_pk" in kwargs:
            self.phase = get_object_or_404(
                TemplatePhase, pk=kwargs["phase_pk"], template=self.lifecycle
            )
        if self.lifecycle.status == LifecycleTemplate.Status.RETIRED:
            messages.error(
                request,
                _("Version %(version)s is retired and stays as it is. Edit the current version.")
                % {"version": self.lifecycle.version},
            )
            return redirect(self.lifecycle)
        return super().dispatch(request, *args, **kwargs)

    def get_crumbs(self):
        return [*super().get_crumbs(), (str(self.lifecycle), self.lifecycle.get_absolute_url())]

    def get_cancel_url(self):
        return self.lifecycle.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lifecycle"] = self.lifecycle
        context["in_use"] = self.lifecycle.is_in_use
        return context

    def edited(self, template_id: int, done: str):
        """Go to the version the change was made in, and say so when it is a new draft."""
        if template_id == self.lifecycle.pk:
            messages.success(self.request, done)
        else:
            draft = LifecycleTemplate.objects.get(pk=template_id)
            messages.info(
                self.request,
                _(
                    "Projects use version %(used)s, so the change was made in the draft "
                    "version %(draft)s. Publish it when it is ready."
                )
                % {"used": self.lifecycle.version, "draft": draft.version},
            )
        return redirect("projects:template_detail", template_id)


class TemplatePhaseCreateView(TemplateEditMixin, CreateView):
    form_class = TemplatePhaseForm
    page_title = gettext_lazy("New phase")

    def form_valid(self, form):
        try:
            phase = lifecycle.template_phase_save(
                template=self.lifecycle, by=self.request.user, **form.service_fields()
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return self.edited(phase.template_id, _("Phase %(name)s added.") % {"name": phase})


class TemplatePhaseUpdateView(TemplateEditMixin, UpdateView):
    form_class = TemplatePhaseForm
    page_title = gettext_lazy("Edit phase")

    def get_object(self, queryset=None):
        return self.phase

    def form_valid(self, form):
        try:
            phase = lifecycle.template_phase_save(
                template=self.lifecycle,
                by=self.request.user,
                # As stored: the form has already written its input onto self.object.
                phase=TemplatePhase.objects.get(pk=self.phase.pk),
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return self.edited(phase.template_id, _("Phase %(name)s saved.") % {"name": phase})


class TemplateItemCreateView(TemplateEditMixin, CreateView):
    form_class = TemplateChecklistItemForm
    page_title = gettext_lazy("New checklist item")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "phase": self.phase}

    def form_valid(self, form):
        try:
            item = lifecycle.template_checklist_item_save(
                template=self.lifecycle, by=self.request.user, phase=self.phase,
                **form.cleaned_data,
            )  # fmt: skip
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return self.edited(item.phase.template_id, _("Item %(title)s added.") % {"title": item})


class TemplateItemUpdateView(TemplateEditMixin, UpdateView):
    form_class = TemplateChecklistItemForm
    page_title = gettext_lazy("Edit checklist item")

    def get_object(self, queryset=None):
        return get_object_or_404(TemplateChecklistItem, pk=self.kwargs["item_pk"], phase=self.phase)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "phase": self.phase}

    def form_valid(self, form):
        try:
            item = lifecycle.template_checklist_item_save(
                template=self.lifecycle,
                by=self.request.user,
                phase=self.phase,
                # As stored: a new version finds its copy of the item by the stored title.
                item=TemplateChecklistItem.objects.get(pk=self.object.pk),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return self.edited(item.phase.template_id, _("Item %(title)s saved.") % {"title": item})


class TemplatePhaseDeleteView(TemplateEditMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            with transaction.atomic():
                target = lifecycle.template_editable(template=self.lifecycle, by=request.user)
                lifecycle.template_phase_delete(
                    template=self.lifecycle, by=request.user, phase=self.phase
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.lifecycle)
        return self.edited(target.pk, _("Phase %(name)s deleted.") % {"name": self.phase})


class TemplateItemDeleteView(TemplateEditMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        item = get_object_or_404(TemplateChecklistItem, pk=kwargs["item_pk"], phase=self.phase)
        with transaction.atomic():
            target = lifecycle.template_editable(template=self.lifecycle, by=request.user)
            lifecycle.template_checklist_item_delete(
                template=self.lifecycle, by=request.user, item=item
            )
        return self.edited(target.pk, _("Item %(title)s deleted.") % {"title": item})


@require_POST
def template_publish(request, pk):
    permissions.ensure(permissions.can_manage_standards(request.user))
    template = get_object_or_404(LifecycleTemplate, pk=pk)
    if template.status != LifecycleTemplate.Status.DRAFT:
        messages.error(request, _("Only a draft can be published."))
        return redirect(template)
    try:
        template = lifecycle.template_publish(template=template, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(template)
    messages.success(
        request,
        _("%(template)s is published: new projects start on it.") % {"template": template},
    )
    return redirect(template)


# The standards library -------------------------------------------------------------------


class StandardListView(StandardsAccessMixin, FilterView):
    """The standards library: filter by category, search the titles and texts."""

    filterset_class = StandardFilter
    template_name = "projects/standards/standard_list.html"
    paginate_by = STANDARDS_PAGE_SIZE

    def get_queryset(self):
        return Standard.objects.select_related("owner").annotate(
            attachment_count=_count(StandardAttachment, "standard")
        )

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return [f"{self.template_name}#results"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = permissions.can_manage_standards(self.request.user)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["filter_query"] = query.urlencode()
        return context


class StandardFormMixin(StandardsAccessMixin, FormPageMixin, ServiceFormMixin):
    manage = True
    model = Standard
    form_class = StandardForm
    multipart = False

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_crumbs(self):
        return [(_("Standards"), reverse("projects:standard_list"))]

    def get_cancel_url(self):
        return reverse("projects:standard_list")


class StandardCreateView(StandardFormMixin, CreateView):
    page_title = gettext_lazy("New standard")

    def form_valid(self, form):
        def save():
            standard = services.standard_create(by=self.request.user, **form.service_fields())
            messages.success(self.request, _("Standard %(title)s added.") % {"title": standard})
            return standard

        return self.save_with(form, save)


class StandardUpdateView(StandardFormMixin, UpdateView):
    page_title = gettext_lazy("Edit standard")

    def get_crumbs(self):
        return [*super().get_crumbs(), (str(self.object), self.object.get_absolute_url())]

    def get_cancel_url(self):
        return self.object.get_absolute_url()

    def form_valid(self, form):
        def save():
            standard = services.standard_update(
                standard=self.object,
                by=self.request.user,
                updated_at=form.cleaned_data["updated_at"],
                **form.service_fields(),
            )
            messages.success(self.request, _("Standard %(title)s saved.") % {"title": standard})
            return standard

        return self.save_with(form, save)


class StandardDetailView(StandardsAccessMixin, DetailView):
    """A standard's text, its files, and the template phases it applies to."""

    template_name = "projects/standards/standard_detail.html"
    context_object_name = "standard"
    queryset = Standard.objects.select_related("owner")

    def get_context_data(self, attachment_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        can_manage = permissions.can_manage_standards(self.request.user)
        context.update(
            attachments=self.object.attachments.select_related("uploaded_by"),
            phases=self.object.phases.select_related("template__methodology").order_by(
                "template__methodology__name", "template__name", "-template__version", "order"
            ),
            can_manage=can_manage,
            attachment_form=attachment_form or (StandardAttachmentForm() if can_manage else None),
        )
        return context


class StandardAttachmentAddView(StandardDetailView):
    """Upload a file to a standard; a refused file shows on the standard's page, next to the
    upload field."""

    manage = True
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = StandardAttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                attachment = services.standard_attachment_add(
                    standard=self.object, by=request.user, file=form.cleaned_data["file"]
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("File %(name)s added.") % {"name": attachment})
                return redirect(self.object)
        return self.render_to_response(self.get_context_data(attachment_form=form))


def standard_attachment_download(request, pk, attachment_pk):
    """Files are served through the portal, to those who may read the standards."""
    permissions.ensure(permissions.can_view_projects(request.user))
    attachment = get_object_or_404(StandardAttachment, pk=attachment_pk, standard_id=pk)
    try:
        file = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("This file is missing from the file store.")) from None
    return FileResponse(file, as_attachment=True, filename=str(attachment))


# Governance ------------------------------------------------------------------------------

MODE_EXPLANATIONS = {
    GovernanceMode.SUPPORTIVE: gettext_lazy(
        "The PMO advises. Gates and checklists guide projects, but a project manager may move "
        "a project to its next phase without an approved gate, giving a reason that is kept "
        "in the record. Missing mandatory items are reported, not enforced."
    ),
    GovernanceMode.CONTROLLING: gettext_lazy(
        "The PMO's standards are required. A gate can be submitted only when its mandatory "
        "items have their evidence, and a project leaves a phase only through an approved "
        "gate. The approver named by each gate (the PMO or the sponsor) decides it."
    ),
    GovernanceMode.DIRECTIVE: gettext_lazy(
        "The PMO directs. Everything of the controlling mode applies, and only the PMO "
        "approves gates, even those a template gives to the sponsor."
    ),
}


class GovernanceView(StandardsAccessMixin, FormView):
    """The governance mode, what each mode means, and (for the PMO admin) the switch."""

    template_name = "projects/standards/governance.html"
    form_class = GovernanceForm

    @cached_property
    def current(self) -> GovernanceSettings:
        return GovernanceSettings.current()

    def get_initial(self):
        return {"mode": self.current.mode}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            current=self.current,
            modes=[
                {"value": value, "label": label, "explanation": MODE_EXPLANATIONS[value]}
                for value, label in GovernanceMode.choices
            ],
            can_set=permissions.can_set_governance_mode(self.request.user),
        )
        return context

    def post(self, request, *args, **kwargs):
        permissions.ensure(permissions.can_set_governance_mode(request.user))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            current = services.governance_mode_set(
                by=self.request.user, mode=form.cleaned_data["mode"]
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The governance mode is now: %(mode)s") % {"mode": current.get_mode_display()},
        )
        return redirect("projects:governance")
