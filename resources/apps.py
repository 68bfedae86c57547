from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = _("Resources")

    def ready(self):
        from pmo_portal.figures import forget_figures
        from projects.models import Project

        from .models import Absence, Allocation, Capacity, Resource, ResourceRequest, ResourceSkill

        # What the cached capacity figures are made of (see pmo_portal/figures.py).
        def forget_capacity_figures(**_signal):
            forget_figures("resources")

        for model in (Absence, Allocation, Capacity, Project, Resource, ResourceRequest,
                      ResourceSkill):  # fmt: skip
            post_save.connect(
                forget_capacity_figures, sender=model, dispatch_uid=f"figures-{model}"
            )
            post_delete.connect(
                forget_capacity_figures, sender=model, dispatch_uid=f"figures-{model}-d"
            )
        m2m_changed.connect(
            forget_capacity_figures,
            sender=ResourceRequest.skills.through,
            dispatch_uid="figures-skills",
        )
