import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pmo_portal.models import Notification
from pmo_portal.notification_views import unread_notifications
from resources.models import Allocation, ResourceRequest, ResourceSkill
from resources.services import requests as services
from resources.urls import requests as request_urls
from tests.factories import DepartmentFactory, ProjectFactory
from tests.permission_matrix import (
    LOGIN,
    MANAGER_OR_PMO,
    PERSONAS,
    PMO_ONLY,
    POST_ONLY,
    READ,
    check_page,
    check_refused_post,
    refused,
    resolver_patterns,
)
from tests.resources.factories import (
    AllocationFactory,
    ResourceFactory,
    ResourceRoleFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
# url -> expected status of a GET per persona (same order as PERSONAS). {own} is a project
# managed by `pm`, {other} one managed by another project manager; {own_request} and
# {other_request} are open requests on them.
MATRIX = {
    "/resources/projects/{own}/requests/new/": MANAGER_OR_PMO,
    "/resources/projects/{other}/requests/new/": PMO_ONLY,
    "/resources/requests/": READ,
    "/resources/requests/{own_request}/": READ,
    "/resources/requests/{other_request}/": [LOGIN, 200, 404, 200, 200, 200],
    "/resources/requests/{own_request}/fulfil/": POST_ONLY,
    "/resources/requests/{own_request}/reject/": POST_ONLY,
    "/resources/requests/{own_request}/cancel/": POST_ONLY,
}

# Resolver patterns of resources/urls/requests.py and the matrix rows that cover them.
PATTERN_ROWS = {
    "resources/projects/<int:pk>/requests/new/": "/resources/projects/{own}/requests/new/",
    "resources/requests/": "/resources/requests/",
    "resources/requests/<int:pk>/": "/resources/requests/{own_request}/",
    "resources/requests/<int:pk>/fulfil/": "/resources/requests/{own_request}/fulfil/",
    "resources/requests/<int:pk>/reject/": "/resources/requests/{own_request}/reject/",
    "resources/requests/<int:pk>/cancel/": "/resources/requests/{own_request}/cancel/",
}


@pytest.fixture
def backend(db):
    return ResourceRoleFactory(name="Backend developer", name_zh_hans="后端开发")


@pytest.fixture
def django_skill(db):
    return SkillFactory(name="Django")


@pytest.fixture
def postgres_skill(db):
    return SkillFactory(name="PostgreSQL")


def person(name, role, department, *, hours=40, skills=()):
    """An active person of `role` with `hours` a week and [(skill, level)]."""
    resource = ResourceFactory(name=name, role=role, department=department, capacity=hours)
    for skill, level in skills:
        ResourceSkill.objects.create(resource=resource, skill=skill, level=level)
    return resource


def ask(project, by, role, **overrides) -> ResourceRequest:
    """An open request: 2 FTE of `role` for the first half of 2027, unless overridden."""
    fields = {
        "amount": Decimal(2), "unit": "fte", "start": D(2027, 1, 1), "end": D(2027, 6, 30),
        "note": "", "skills": [],
    }  # fmt: skip
    return services.request_create(project=project, by=by, role=role, **{**fields, **overrides})


def form_data(role, /, **overrides):
    data = {
        "role": role.pk, "amount": "2", "unit": "fte", "start": "2027-01-01",
        "end": "2027-06-30", "note": "Two developers for the order service.",
    }  # fmt: skip
    return {**data, **overrides}


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def personas(executive, pm, pmo, resource_manager, other_pm):
    return {
        "executive": executive, "pm": pm, "pmo": pmo, "resource_manager": resource_manager,
        "other_pm": other_pm,
    }  # fmt: skip


class TestPermissions:
    def test_every_request_page_is_in_the_matrix(self):
        patterns = set(resolver_patterns(request_urls.urlpatterns, "resources/"))
        assert patterns == set(PATTERN_ROWS)
        assert set(PATTERN_ROWS.values()) <= set(MATRIX)

    @pytest.mark.parametrize("url_template", list(MATRIX))
    @pytest.mark.parametrize("persona", PERSONAS)
    def test_each_persona_gets_the_expected_status(
        self, client, request, personas, project, others_project, backend, url_template, persona
    ):
        own_request = ask(project, personas["pm"], backend)
        other_request = ask(others_project, personas["other_pm"], backend)
        check_page(
            client, request, MATRIX, url_template, persona, own=project.pk,
            other=others_project.pk, own_request=own_request.pk, other_request=other_request.pk,
        )  # fmt: skip

    @pytest.mark.parametrize(("url_template", "persona"), refused(MATRIX))
    def test_a_persona_refused_a_page_is_refused_by_post_too(
        self, client, request, personas, project, others_project, backend, url_template, persona
    ):
        own_request = ask(project, personas["pm"], backend)
        other_request = ask(others_project, personas["other_pm"], backend)
        check_refused_post(
            client, request, MATRIX, url_template, persona, own=project.pk,
            other=others_project.pk, own_request=own_request.pk, other_request=other_request.pk,
        )  # fmt: skip

    # action -> (POST data, expected status per persona). The other project manager does not
    # see the request at all.
    ACTIONS = {
        "fulfil": (
            "booking=soft",
            {"executive": 403, "pm": 403, "other_pm": 404, "pmo": 302, "resource_manager": 302,
             "pmo_admin": 302},
        ),
        "reject": (
            "reason=Nobody+free",
            {"executive": 403, "pm": 403, "other_pm": 404, "pmo": 302, "resource_manager": 302,
             "pmo_admin": 302},
        ),
        "cancel": (
            "",
            {"executive": 403, "pm": 302, "other_pm": 404, "pmo": 302, "resource_manager": 403,
             "pmo_admin": 302},
        ),
    }  # fmt: skip

    @pytest.mark.parametrize("action", list(ACTIONS))
    @pytest.mark.parametrize(
        "persona", ["executive", "pm", "other_pm", "pmo", "resource_manager", "pmo_admin"]
    )
    def test_each_persona_may_take_only_its_actions(
        self, client, request, personas, project, backend, department, action, persona
    ):
        resource_request = ask(project, personas["pm"], backend, amount=Decimal(1))
        ada = person("Ada", backend, department)
        data, expected = self.ACTIONS[action]
        if action == "fulfil":
            data = f"{data}&people={ada.pk}"
        client.force_login(request.getfixturevalue(persona))
        response = client.post(
            f"/resources/requests/{resource_request.pk}/{action}/",
            data,
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == expected[persona]
        resource_request.refresh_from_db()
        if expected[persona] == 302:
            assert resource_request.status != ResourceRequest.Status.OPEN
        else:
            assert resource_request.status == ResourceRequest.Status.OPEN
            assert not Allocation.objects.exists()

    def test_read_only_roles_see_no_decision_forms(self, client, executive, pm, project, backend):
        resource_request = ask(project, pm, backend)
        client.force_login(executive)
        body = client.get(f"/resources/requests/{resource_request.pk}/").content.decode()
        for label in ("Book the chosen people", "Reject the request", "Cancel this request"):
            assert label not in body

    def test_the_requester_sees_cancel_but_not_the_decision(self, client, pm, project, backend):
        resource_request = ask(project, pm, backend)
        client.force_login(pm)
        body = client.get(f"/resources/requests/{resource_request.pk}/").content.decode()
        assert "Cancel this request" in body
        assert "Book the chosen people" not in body


class TestRequestJourney:
    def test_a_request_is_made_fulfilled_and_the_requester_told(
        self, client, pm, resource_manager, project, department, backend, django_skill,
        postgres_skill, mailoutbox, django_capture_on_commit_callbacks,
    ):  # fmt: skip
        expert = person("Ada Expert", backend, department,
                        skills=[(django_skill, 5), (postgres_skill, 4)])  # fmt: skip
        busy = person("Bo Busy", backend, department, skills=[(django_skill, 5)])
        novice = person("Cy Novice", backend, department, skills=[(django_skill, 1)])
        person("Di Nobackend", ResourceRoleFactory(name="Tester"), department)
        AllocationFactory(resource=busy, project=project, start=D(2027, 1, 1),
                          end=D(2027, 6, 30), hours_per_week=30)  # fmt: skip

        client.force_login(pm)
        assert client.get(f"/resources/projects/{project.pk}/requests/new/").status_code == 200
        response = client.post(
            f"/resources/projects/{project.pk}/requests/new/",
            form_data(backend, skills=[django_skill.pk, postgres_skill.pk]),
        )
        resource_request = ResourceRequest.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/resources/requests/{resource_request.pk}/"
        assert resource_request.requested_by == pm
        assert resource_request.hours_per_week == Decimal(80)
        assert set(resource_request.skills.all()) == {django_skill, postgres_skill}

        client.force_login(resource_manager)
        queue = client.get("/resources/requests/").content.decode()
        assert "Open resource requests" in queue
        assert "Backend developer" in queue and project.code in queue and "Li Wei" in queue
        assert Notification.objects.filter(user=resource_manager).count() == 1

        detail = client.get(f"/resources/requests/{resource_request.pk}/")
        ranked = [s.resource for s in detail.context["fulfil_form"].suggestions]
        assert ranked == [expert, busy, novice]
        body = detail.content.decode()
        assert body.index("Ada Expert") < body.index("Bo Busy") < body.index("Cy Novice")
        assert "Di Nobackend" not in body
        assert "Django (level 5), PostgreSQL (level 4)" in body
        suggestions = detail.context["fulfil_form"].suggestions
        assert suggestions[1].free_hours_per_week == Decimal("10.0")

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/resources/requests/{resource_request.pk}/fulfil/",
                {"people": [expert.pk, novice.pk], "booking": "hard"},
                follow=True,
            )
        assert "Request fulfilled: Ada Expert, Cy Novice booked on PRJ-00001." in messages_of(
            response
        )
        allocations = Allocation.objects.filter(request=resource_request).order_by("resource")
        assert [(a.resource, a.hours_per_week, a.booking) for a in allocations] == [
            (expert, Decimal("40.0"), "hard"), (novice, Decimal("40.0"), "hard"),
        ]  # fmt: skip
        assert all(
            (a.project, a.start, a.end) == (project, D(2027, 1, 1), D(2027, 6, 30))
            for a in allocations
        )
        resource_request.refresh_from_db()
        assert resource_request.status == ResourceRequest.Status.FULFILLED
        assert resource_request.decided_by == resource_manager
        body = response.content.decode()
        assert "People booked for this request" in body
        assert "Open → Fulfilled" in body
        assert body.count("<strong>Changed</strong>") == 1  # the decision; not the skills' save

        note = Notification.objects.get(user=pm)
        assert "fulfilled" in note.message and "Ada Expert" in note.message
        assert note.url == f"/resources/requests/{resource_request.pk}/"
        assert [m.to for m in mailoutbox] == [[pm.email]]
        assert "Ada Expert" in mailoutbox[0].body

        client.force_login(pm)
        page = client.get("/notifications/").content.decode()
        assert f'href="/resources/requests/{resource_request.pk}/"' in page
        assert "New" in page
        client.post("/notifications/read/")
        assert not Notification.objects.filter(user=pm, read_at__isnull=True).exists()

    def test_hours_left_blank_share_the_requested_hours(
        self, client, pm, resource_manager, project, department, backend
    ):
        resource_request = ask(project, pm, backend, amount=Decimal(30), unit="hours")
        ada, bob, cy = (person(n, backend, department) for n in ("Ada", "Bob", "Cy"))
        client.force_login(resource_manager)
        client.post(
            f"/resources/requests/{resource_request.pk}/fulfil/",
            {"people": [ada.pk, bob.pk, cy.pk], f"hours_{cy.pk}": "5", "booking": "soft"},
        )
        hours = dict(
            Allocation.objects.filter(request=resource_request).values_list(
                "resource__name", "hours_per_week"
            )
        )
        assert hours == {"Ada": Decimal(10), "Bob": Decimal(10), "Cy": Decimal(5)}

    def test_someone_beyond_the_suggestions_can_be_booked(
        self, client, pm, resource_manager, project, department, backend, django_skill
    ):
        resource_request = ask(project, pm, backend, skills=[django_skill])
        for number in range(10):
            person(f"Skilled {number}", backend, department, skills=[(django_skill, 3)])
        outsider = person("Zed Outsider", backend, department)
        client.force_login(resource_manager)
        detail = client.get(f"/resources/requests/{resource_request.pk}/")
        assert outsider not in [s.resource for s in detail.context["fulfil_form"].suggestions]
        assert f'<option value="{outsider.pk}">Zed Outsider</option>' in detail.content.decode()
        client.post(
            f"/resources/requests/{resource_request.pk}/fulfil/",
            {"other": outsider.pk, "other_hours": "16", "booking": "soft"},
        )
        allocation = Allocation.objects.get(request=resource_request)
        assert (allocation.resource, allocation.hours_per_week) == (outsider, Decimal(16))

    def test_booking_over_capacity_is_refused_then_confirmed(
        self, client, pm, resource_manager, project, department, backend
    ):
        resource_request = ask(project, pm, backend, amount=Decimal(1))
        ada = person("Ada", backend, department)
        AllocationFactory(resource=ada, project=project, start=D(2027, 3, 1),
                          end=D(2027, 3, 31), hours_per_week=20)  # fmt: skip
        client.force_login(resource_manager)
        url = f"/resources/requests/{resource_request.pk}/fulfil/"
        body = client.get(f"/resources/requests/{resource_request.pk}/").content.decode()
        assert "Book even where this goes over capacity" not in body

        response = client.post(url, {"people": [ada.pk], "booking": "soft"})
        assert response.status_code == 200
        body = response.content.decode()
        assert "This would book over capacity: Ada in 2027-03" in body
        assert "Book even where this goes over capacity" in body
        assert not Allocation.objects.filter(request=resource_request).exists()
        assert ResourceRequest.objects.get().status == ResourceRequest.Status.OPEN

        response = client.post(
            url, {"people": [ada.pk], "booking": "soft", "allow_overbooking": "on"}
        )
        assert response.status_code == 302
        assert Allocation.objects.get(request=resource_request).hours_per_week == Decimal(40)

    def test_a_rejection_needs_a_reason(
        self, client, pm, resource_manager, project, backend, django_capture_on_commit_callbacks
    ):
        resource_request = ask(project, pm, backend)
        client.force_login(resource_manager)
        url = f"/resources/requests/{resource_request.pk}/reject/"
        response = client.post(url, {"reason": "  "})
        assert response.status_code == 200
        assert response.context["reject_form"].errors["reason"] == [
            "Give the reason for the rejection."
        ]
        assert ResourceRequest.objects.get().status == ResourceRequest.Status.OPEN

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"reason": "Nobody free before July."}, follow=True)
        assert "Request rejected. The requester has been told why." in messages_of(response)
        resource_request.refresh_from_db()
        assert resource_request.status == ResourceRequest.Status.REJECTED
        assert resource_request.decision_reason == "Nobody free before July."
        assert "Nobody free before July." in Notification.objects.get(user=pm).message

    def test_the_requester_cancels_an_open_request(self, client, pm, project, backend):
        resource_request = ask(project, pm, backend)
        client.force_login(pm)
        response = client.post(f"/resources/requests/{resource_request.pk}/cancel/", follow=True)
        assert "Request cancelled." in messages_of(response)
        assert ResourceRequest.objects.get().status == ResourceRequest.Status.CANCELLED
        assert "Cancel this request" not in response.content.decode()

    def test_a_second_decision_is_refused_and_changes_nothing(
        self, client, pm, resource_manager, project, department, backend
    ):
        resource_request = ask(project, pm, backend)
        ada = person("Ada", backend, department)
        client.force_login(resource_manager)
        base = f"/resources/requests/{resource_request.pk}"
        client.post(f"{base}/reject/", {"reason": "Not this quarter."})
        response = client.post(f"{base}/fulfil/", {"people": [ada.pk]}, follow=True)
        assert "This request was decided already (Rejected). Nothing was changed." in (
            messages_of(response)
        )
        response = client.post(f"{base}/reject/", {"reason": "Again."}, follow=True)
        assert "decided already" in messages_of(response)[-1]
        client.force_login(pm)
        response = client.post(f"{base}/cancel/", follow=True)
        assert "decided already" in messages_of(response)[-1]
        resource_request.refresh_from_db()
        assert resource_request.status == ResourceRequest.Status.REJECTED
        assert resource_request.decision_reason == "Not this quarter."
        assert not Allocation.objects.exists()

    def test_a_decision_made_meanwhile_by_someone_else_wins(
        self, client, pm, resource_manager, project, backend, monkeypatch
    ):
        resource_request = ask(project, pm, backend)
        reject = services.request_reject

        def cancelled_just_before(**kwargs):
            services.request_cancel(request=kwargs["request"], by=pm)
            return reject(**kwargs)

        monkeypatch.setattr(services, "request_reject", cancelled_just_before)
        client.force_login(resource_manager)
        response = client.post(
            f"/resources/requests/{resource_request.pk}/reject/", {"reason": "No."}, follow=True
        )
        assert "decided already (Cancelled)" in messages_of(response)[-1]
        assert ResourceRequest.objects.get().decision_reason == ""


class TestRequestForm:
    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"end": "2026-12-31"}, "end", "The end date cannot be before the start date."),
            ({"amount": "0"}, "amount", "Ask for more than zero."),
            ({"amount": "-1"}, "amount", "Ask for more than zero."),
            ({"amount": "many"}, "amount", "Enter a number."),
            ({"role": ""}, "role", "This field is required."),
            ({"start": ""}, "start", "This field is required."),
            ({"unit": "days"}, "unit", "Select a valid choice."),
        ],
    )
    def test_bad_input_is_refused_next_to_the_field_and_nothing_is_saved(
        self, client, pm, project, backend, overrides, field, message
    ):
        client.force_login(pm)
        response = client.post(
            f"/resources/projects/{project.pk}/requests/new/", form_data(backend, **overrides)
        )
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[field])
        assert "Nothing was saved" in response.content.decode()
        assert not ResourceRequest.objects.exists()
        assert not Notification.objects.exists()

    def test_a_project_manager_cannot_request_on_another_project_by_post(
        self, client, pm, others_project, backend
    ):
        client.force_login(pm)
        response = client.post(
            f"/resources/projects/{others_project.pk}/requests/new/", form_data(backend)
        )
        assert response.status_code == 403
        assert not ResourceRequest.objects.exists()


class TestFulfilForm:
    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({}, "Choose at least one person: tick a suggestion or pick someone else."),
            ({"people": ["{ada}"], "hours_{ada}": "0"}, "greater than or equal to 0.1"),
            ({"people": ["{ada}"], "hours_{ada}": "200"}, "less than or equal to 168"),
            ({"people": ["{tester}"]}, "Select a valid choice."),
            ({"other": "{tester}"}, "Select a valid choice."),
        ],
    )
    def test_bad_input_is_refused_and_nothing_is_booked(
        self, client, pm, resource_manager, project, department, backend, data, message
    ):
        resource_request = ask(project, pm, backend)
        ada = person("Ada", backend, department)
        tester = person("Tess", ResourceRoleFactory(name="Tester"), department)

        def filled(value):
            return value.format(ada=ada.pk, tester=tester.pk)

        post = {
            filled(key): [filled(v) for v in value] if isinstance(value, list) else filled(value)
            for key, value in data.items()
        }
        client.force_login(resource_manager)
        response = client.post(
            f"/resources/requests/{resource_request.pk}/fulfil/", {"booking": "soft", **post}
        )
        assert response.status_code == 200
        form = response.context["fulfil_form"]
        assert message in " ".join(str(e) for errors in form.errors.values() for e in errors)
        assert message.split(":")[0] in response.content.decode()
        assert not Allocation.objects.exists()
        assert ResourceRequest.objects.get().status == ResourceRequest.Status.OPEN

    def test_sharing_more_than_a_week_has_is_refused(
        self, client, pm, resource_manager, project, department, backend
    ):
        resource_request = ask(project, pm, backend, amount=Decimal(5))
        ada = person("Ada", backend, department)
        client.force_login(resource_manager)
        response = client.post(
            f"/resources/requests/{resource_request.pk}/fulfil/",
            {"people": [ada.pk], "booking": "soft"},
        )
        assert response.status_code == 200
        assert "200.0 hours per week each" in response.content.decode()
        assert not Allocation.objects.exists()


class TestRequestList:
    def test_the_queue_lists_open_requests_oldest_first(
        self, client, pm, other_pm, resource_manager, project, others_project, backend
    ):
        newer = ask(project, pm, backend, note="newer")
        older = ask(others_project, other_pm, backend, note="older")
        done = ask(project, pm, backend)
        services.request_cancel(request=done, by=pm)
        ResourceRequest.objects.filter(pk=older.pk).update(
            requested_at=timezone.now() - datetime.timedelta(days=5)
        )
        client.force_login(resource_manager)
        response = client.get("/resources/requests/")
        assert list(response.context["object_list"]) == [older, newer]
        response = client.get("/resources/requests/", {"status": ""})
        assert list(response.context["object_list"]) == [done, newer, older]

    def test_a_project_manager_sees_only_their_projects_requests(
        self, client, pm, other_pm, project, others_project, backend
    ):
        mine = ask(project, pm, backend)
        ask(others_project, other_pm, backend)
        client.force_login(pm)
        response = client.get("/resources/requests/")
        assert list(response.context["object_list"]) == [mine]
        assert "Resource requests" in response.content.decode()

    def test_it_filters_by_status_role_and_department(
        self, client, pm, pmo, resource_manager, project, backend
    ):
        operations = DepartmentFactory(code="OPS", name="Operations")
        elsewhere = ProjectFactory(department=operations, project_type=project.project_type)
        tester = ResourceRoleFactory(name="Tester")
        in_finance = ask(project, pm, backend)
        in_operations = ask(elsewhere, pmo, tester)
        rejected = ask(project, pm, tester)
        services.request_reject(request=rejected, by=resource_manager, reason="No.")
        client.force_login(resource_manager)

        def listed(**params):
            return set(client.get("/resources/requests/", params).context["object_list"])

        assert listed(department=operations.pk) == {in_operations}
        assert listed(role=backend.pk) == {in_finance}
        assert listed(status="rejected") == {rejected}
        assert listed(status="", role=tester.pk) == {in_operations, rejected}

    def test_it_pages_through_a_long_queue(self, client, pm, resource_manager, project, backend):
        for _ in range(30):
            ask(project, pm, backend)
        client.force_login(resource_manager)
        response = client.get("/resources/requests/", {"page": 2})
        assert len(response.context["object_list"]) == 5
        assert "Page 2 of 2" in response.content.decode()


class TestNotifications:
    def test_the_user_sees_their_own_newest_first_with_the_unread_marked(
        self, client, pm, other_pm
    ):
        old = Notification.objects.create(user=pm, message="Older news", url="/projects/")
        Notification.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=1), read_at=timezone.now()
        )
        Notification.objects.create(user=pm, message="Fresh news", url="/resources/requests/")
        Notification.objects.create(user=other_pm, message="Not for you")
        client.force_login(pm)
        response = client.get("/notifications/")
        body = response.content.decode()
        assert [n.message for n in response.context["page_obj"]] == ["Fresh news", "Older news"]
        assert "Not for you" not in body
        assert body.count(">New</span>") == 1
        assert '<a href="/resources/requests/" class="fw-semibold">Fresh news</a>' in body
        assert '<a href="/projects/">Older news</a>' in body

    def test_a_link_elsewhere_is_not_followed(self, client, pm):
        Notification.objects.create(user=pm, message="Phish", url="https://evil.example/x")
        client.force_login(pm)
        body = client.get("/notifications/").content.decode()
        assert "Phish" in body and "evil.example" not in body

    def test_marking_all_read_touches_only_the_users_own(self, client, pm, other_pm):
        for user in (pm, pm, other_pm):
            Notification.objects.create(user=user, message="Hello")
        client.force_login(pm)
        response = client.post("/notifications/read/", follow=True)
        assert "All notifications marked as read." in messages_of(response)
        assert not Notification.objects.filter(user=pm, read_at__isnull=True).exists()
        assert Notification.objects.filter(user=other_pm, read_at__isnull=True).count() == 1
        assert ">New</span>" not in response.content.decode()

    def test_it_pages_through_many(self, client, pm):
        Notification.objects.bulk_create(
            Notification(user=pm, message=f"Note {n}") for n in range(30)
        )
        client.force_login(pm)
        response = client.get("/notifications/", {"page": 2})
        assert len(response.context["page_obj"]) == 5

    def test_the_unread_count_is_one_query_and_only_for_signed_in_users(self, pm, other_pm):
        Notification.objects.create(user=pm, message="Unread")
        Notification.objects.create(user=pm, message="Read", read_at=timezone.now())
        Notification.objects.create(user=other_pm, message="Someone else's")
        request = RequestFactory().get("/")
        request.user = pm
        with CaptureQueriesContext(connection) as queries:
            count = unread_notifications(request)["unread_notifications"]
            assert (count(), count()) == (1, 1)
        assert len(queries) == 1
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
        assert unread_notifications(request) == {}

    def test_the_user_menu_links_to_the_notifications(self, client, pm):
        client.force_login(pm)
        assert 'href="/notifications/"' in client.get("/").content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


class TestQueryCounts:
    def _requests(self, rows, pm, project, backend, skills):
        for number in range(rows):
            ask(project, pm, backend, skills=skills, note=f"Request {number}")

    @pytest.mark.parametrize("persona", ["resource_manager", "pm"])
    def test_the_request_list_does_not_grow_with_requests(
        self, client, personas, project, backend, django_skill, postgres_skill, persona
    ):
        counts = []
        for rows in (3, 30):
            ResourceRequest.objects.all().delete()
            self._requests(rows, personas["pm"], project, backend, [django_skill, postgres_skill])
            client.force_login(personas[persona])
            counts.append(_queries(client, "/resources/requests/"))
        assert counts[0] == counts[1]

    def test_the_notifications_do_not_grow_with_notifications(self, client, pm):
        counts = []
        client.force_login(pm)
        for rows in (3, 30):
            Notification.objects.all().delete()
            Notification.objects.bulk_create(
                Notification(user=pm, message=f"Note {n}", url="/") for n in range(rows)
            )
            counts.append(_queries(client, "/notifications/"))
        assert counts[0] == counts[1]
