"""The PMO's standards pages: methodologies, the lifecycle template builder, the standards
library and the governance mode, over HTTP as the personas use them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import (
    GovernanceSettings,
    LifecycleTemplate,
    Methodology,
    Standard,
    StandardAttachment,
    TemplateChecklistItem,
    TemplatePhase,
)
from projects.services import lifecycle
from projects.services import standards as services
from tests.factories import MethodologyFactory, ProjectFactory, published_template
from tests.permission_matrix import (
    PERSONAS,
    PMO_ONLY,
    POST_ONLY,
    READ,
    check_page,
    check_refused_post,
    refused,
    resolver_patterns,
)

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def template(pmo):
    """A published lifecycle of four phases, two checklist items each; no project uses it."""
    return published_template(by=pmo)


@pytest.fixture
def in_use(template, project, pm):
    """The published template, with `pm`'s project started on it."""
    lifecycle.project_join_lifecycle(project=project, by=pm, template=template)
    return template


@pytest.fixture
def standard(pmo):
    return Standard.objects.create(
        title="Business case template",
        category=Standard.Category.DOCUMENT_TEMPLATE,
        version="2.1",
        owner=pmo,
        body="Why the project is worth doing.\n\nCosts and benefits, with their sources.",
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def phase_data(**overrides):
    data = {
        "name": "Discovery",
        "name_zh_hans": "探索",
        "description": "Find out what users need.",
        "typical_weeks": "3",
        "gate_name": "Discovery gate",
        "gate_approver": "pmo",
    }
    return {**data, **overrides}


def item_data(**overrides):
    data = {"title": "User research report", "kind": "deliverable", "mandatory": "on",
            "evidence": "file"}  # fmt: skip
    return {**data, **overrides}


def standard_data(owner, **overrides):
    data = {"title": "Risk management procedure", "category": "procedure", "version": "1.0",
            "owner": owner.pk, "body": "Identify.\nAssess.\nRespond."}  # fmt: skip
    return {**data, **overrides}


class TestBuildingALifecycle:
    def test_the_pmo_builds_and_publishes_a_lifecycle(self, client, pmo, standard):
        client.force_login(pmo)
        response = client.post(
            "/projects/methodologies/new/",
            {"name": "Agile", "name_zh_hans": "敏捷", "description": "Short iterations."},
        )
        assert response.status_code == 302
        agile = Methodology.objects.get(name="Agile")
        assert agile.history.first().history_user == pmo

        response = client.post(
            "/projects/lifecycles/new/",
            {"methodology": agile.pk, "name": "Scrum lifecycle", "description": "Sprints."},
        )
        template = LifecycleTemplate.objects.get(name="Scrum lifecycle")
        assert response["Location"] == f"/projects/lifecycles/{template.pk}/"
        assert (template.version, template.status) == (1, "draft")

        client.post(
            f"/projects/lifecycles/{template.pk}/phases/new/",
            phase_data(standards=[standard.pk]),
        )
        client.post(
            f"/projects/lifecycles/{template.pk}/phases/new/",
            phase_data(name="Delivery", gate_name="Release gate", gate_approver="sponsor"),
        )
        discovery, delivery = template.phases.order_by("order")
        assert (discovery.order, delivery.order) == (1, 2)
        assert list(discovery.standards.all()) == [standard]
        client.post(
            f"/projects/lifecycles/{template.pk}/phases/{discovery.pk}/items/new/", item_data()
        )
        client.post(
            f"/projects/lifecycles/{template.pk}/phases/{delivery.pk}/items/new/",
            item_data(title="Demo to the sponsor", kind="criterion", mandatory="",
                      evidence="none"),
        )  # fmt: skip
        item = delivery.checklist.get()
        assert (item.title, item.mandatory, item.evidence) == ("Demo to the sponsor", False, "none")

        body = client.get(f"/projects/lifecycles/{template.pk}/").content.decode()
        assert body.index("Discovery gate") < body.index("Release gate")
        for text in ["User research report", "Demo to the sponsor", "The project&#x27;s sponsor",
                     "Business case template (2.1)", "Publish"]:  # fmt: skip
            assert text in body

        response = client.post(f"/projects/lifecycles/{template.pk}/publish/", follow=True)
        template.refresh_from_db()
        assert template.status == "published"
        assert "new projects start on it" in " ".join(messages_of(response))
        assert agile.current_template() == template

    def test_the_list_shows_each_methodology_with_its_templates(
        self, client, executive, template, project, pm
    ):
        lifecycle.project_join_lifecycle(project=project, by=pm, template=template)
        MethodologyFactory(name="Agile", name_zh_hans="敏捷")
        client.force_login(executive)
        response = client.get("/projects/lifecycles/")
        body = response.content.decode()
        assert "Waterfall" in body and "Agile" in body
        assert "No lifecycle template yet." in body
        row = response.context["methodologies"][1].templates.all()[0]
        assert (row.name, row.version, row.phase_count, row.project_count) == (
            "Standard lifecycle", 1, 4, 1,
        )  # fmt: skip
        assert f'href="/projects/lifecycles/{template.pk}/"' in body
        assert "New lifecycle template" not in body

    def test_the_pmo_gets_the_buttons_to_create(self, client, pmo):
        client.force_login(pmo)
        body = client.get("/projects/lifecycles/").content.decode()
        assert "New methodology" in body and "New lifecycle template" in body

    def test_the_pmo_renames_a_methodology(self, client, pmo):
        methodology = MethodologyFactory()
        client.force_login(pmo)
        client.post(
            f"/projects/methodologies/{methodology.pk}/edit/",
            {"name": "Waterfall (stage-gate)", "name_zh_hans": "瀑布式", "description": ""},
        )
        methodology.refresh_from_db()
        assert methodology.name == "Waterfall (stage-gate)"

    def test_an_unused_template_is_edited_in_place(self, client, pmo, template):
        template.status = LifecycleTemplate.Status.DRAFT
        template.save()
        phase = template.phases.get(order=2)
        item = phase.checklist.get(order=1)
        client.force_login(pmo)
        base = f"/projects/lifecycles/{template.pk}/phases/{phase.pk}/"
        response = client.post(base + "edit/", phase_data(name="Plan", gate_name="Plan gate"))
        assert response["Location"] == f"/projects/lifecycles/{template.pk}/"
        client.post(base + f"items/{item.pk}/edit/", item_data(title="Project plan"))
        client.post(base + f"items/{phase.checklist.get(order=2).pk}/delete/")
        client.post(f"/projects/lifecycles/{template.pk}/phases/{template.phases.get(order=4).pk}"
                    "/delete/")  # fmt: skip
        phase.refresh_from_db()
        assert (phase.name, phase.gate_name) == ("Plan", "Plan gate")
        assert list(phase.checklist.values_list("title", flat=True)) == ["Project plan"]
        assert template.phases.count() == 3
        assert LifecycleTemplate.objects.count() == 1

    def test_publishing_without_phases_says_why(self, client, pmo):
        template = lifecycle.template_create(by=pmo, methodology=MethodologyFactory(), name="Empty")
        client.force_login(pmo)
        response = client.post(f"/projects/lifecycles/{template.pk}/publish/", follow=True)
        assert "Add at least one phase before publishing." in messages_of(response)
        template.refresh_from_db()
        assert template.status == "draft"

    def test_the_last_phase_cannot_be_deleted(self, client, pmo):
        template = published_template(by=pmo, phases=["Only"])
        client.force_login(pmo)
        phase = template.phases.get()
        response = client.post(
            f"/projects/lifecycles/{template.pk}/phases/{phase.pk}/delete/", follow=True
        )
        assert "A lifecycle needs at least one phase." in messages_of(response)
        assert template.phases.count() == 1

    def test_a_phase_of_another_template_is_not_found(self, client, pmo, template):
        other = published_template(by=pmo, methodology=MethodologyFactory(name="Agile"))
        client.force_login(pmo)
        response = client.get(
            f"/projects/lifecycles/{template.pk}/phases/{other.phases.first().pk}/edit/"
        )
        assert response.status_code == 404


class TestTemplatesInUse:
    def test_the_builder_warns_that_edits_make_a_new_version(self, client, pmo, in_use):
        client.force_login(pmo)
        body = client.get(f"/projects/lifecycles/{in_use.pk}/").content.decode()
        assert "1 project uses this version." in body
        assert "Your edits create version 2 as a draft." in body
        phase = in_use.phases.get(order=1)
        body = client.get(f"/projects/lifecycles/{in_use.pk}/phases/{phase.pk}/edit/")
        assert "your change will be made in a draft version" in body.content.decode()

    def test_editing_a_phase_makes_a_draft_and_goes_there(self, client, pmo, in_use, project):
        phase = in_use.phases.get(order=1)
        client.force_login(pmo)
        response = client.post(
            f"/projects/lifecycles/{in_use.pk}/phases/{phase.pk}/edit/",
            phase_data(name="Initiation", gate_name="Charter gate"),
            follow=True,
        )
        draft = LifecycleTemplate.objects.get(family=in_use.family, version=2)
        assert response.redirect_chain == [(f"/projects/lifecycles/{draft.pk}/", 302)]
        assert (
            "Projects use version 1, so the change was made in the draft version 2. "
            "Publish it when it is ready."
        ) in messages_of(response)
        assert draft.status == "draft"
        assert draft.phases.get(order=1).gate_name == "Charter gate"
        assert in_use.phases.get(order=1).gate_name == "Initiation gate"
        assert project.phases.get(order=1).gate_name == "Initiation gate"
        body = response.content.decode()
        assert f'href="/projects/lifecycles/{in_use.pk}/"' in body  # the family's history

    def test_item_changes_go_to_the_draft_too(self, client, pmo, in_use):
        phase = in_use.phases.get(order=1)
        item = phase.checklist.get(order=1)
        client.force_login(pmo)
        base = f"/projects/lifecycles/{in_use.pk}/phases/{phase.pk}/"
        client.post(base + f"items/{item.pk}/edit/", item_data(title="Signed charter"))
        response = client.post(base + "items/new/", item_data(title="Kick-off held"), follow=True)
        draft = LifecycleTemplate.objects.get(family=in_use.family, version=2)
        assert response.redirect_chain[-1][0] == f"/projects/lifecycles/{draft.pk}/"
        assert list(draft.phases.get(order=1).checklist.values_list("title", flat=True)) == [
            "Signed charter", "Initiation item 2", "Kick-off held",
        ]  # fmt: skip
        assert list(phase.checklist.values_list("title", flat=True)) == [
            "Initiation item 1", "Initiation item 2",
        ]  # fmt: skip
        # A further edit of the version in use goes to the same draft.
        body = client.get(f"/projects/lifecycles/{in_use.pk}/").content.decode()
        assert "Your edits go to the draft version 2." in body
        client.post(base + f"items/{item.pk}/delete/")
        assert LifecycleTemplate.objects.filter(family=in_use.family).count() == 2
        assert in_use.phases.get(order=1).checklist.count() == 2

    def test_deleting_a_phase_goes_to_the_draft(self, client, pmo, in_use):
        phase = in_use.phases.get(order=4)
        client.force_login(pmo)
        response = client.post(f"/projects/lifecycles/{in_use.pk}/phases/{phase.pk}/delete/")
        draft = LifecycleTemplate.objects.get(family=in_use.family, version=2)
        assert response["Location"] == f"/projects/lifecycles/{draft.pk}/"
        assert (draft.phases.count(), in_use.phases.count()) == (3, 4)

    def test_publishing_the_draft_retires_the_version_in_use(self, client, pmo, in_use, project):
        client.force_login(pmo)
        phase = in_use.phases.get(order=1)
        client.post(
            f"/projects/lifecycles/{in_use.pk}/phases/{phase.pk}/edit/",
            phase_data(name="Initiation", gate_name="Charter gate"),
        )
        draft = LifecycleTemplate.objects.get(family=in_use.family, version=2)
        client.post(f"/projects/lifecycles/{draft.pk}/publish/")
        in_use.refresh_from_db()
        assert in_use.status == "retired"
        project.refresh_from_db()
        assert project.lifecycle_template == in_use
        # A retired version stays as it is.
        response = client.post(
            f"/projects/lifecycles/{in_use.pk}/phases/{phase.pk}/edit/",
            phase_data(name="Again", gate_name="Again"),
            follow=True,
        )
        assert "is retired and stays as it is" in " ".join(messages_of(response))
        assert LifecycleTemplate.objects.filter(family=in_use.family).count() == 2
        assert "Add phase" not in response.content.decode()


class TestBadInput:
    def test_a_blank_gate_name_is_refused_next_to_the_gate(self, client, pmo, template):
        client.force_login(pmo)
        response = client.post(
            f"/projects/lifecycles/{template.pk}/phases/new/", phase_data(gate_name="  ")
        )
        assert response.status_code == 200
        assert response.context["form"].errors["gate_name"] == [
            "Every phase ends in a gate: give the gate a name."
        ]
        assert "Nothing was saved" in response.content.decode()
        assert template.phases.count() == 4

    def test_a_blank_gate_on_a_template_in_use_leaves_no_draft_behind(self, client, pmo, in_use):
        phase = in_use.phases.get(order=1)
        client.force_login(pmo)
        response = client.post(
            f"/projects/lifecycles/{in_use.pk}/phases/{phase.pk}/edit/", phase_data(gate_name="")
        )
        assert "gate_name" in response.context["form"].errors
        assert LifecycleTemplate.objects.filter(family=in_use.family).count() == 1

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"name": ""}, "name", "This field is required."),
            ({"typical_weeks": "-1"}, "typical_weeks", "greater than or equal to 0"),
            ({"gate_approver": "chairman"}, "gate_approver", "Select a valid choice."),
            ({"standards": ["999999"]}, "standards", "Select a valid choice."),
        ],
    )
    def test_bad_phase_input_is_refused(self, client, pmo, template, overrides, field, message):
        client.force_login(pmo)
        response = client.post(
            f"/projects/lifecycles/{template.pk}/phases/new/", phase_data(**overrides)
        )
        assert message in " ".join(response.context["form"].errors[field])
        assert template.phases.count() == 4

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"title": ""}, "title", "This field is required."),
            ({"title": "x" * 201}, "title", "at most 200 characters"),
            ({"evidence": "photo"}, "evidence", "Select a valid choice."),
        ],
    )
    def test_bad_item_input_is_refused(self, client, pmo, template, overrides, field, message):
        phase = template.phases.get(order=1)
        client.force_login(pmo)
        response = client.post(
            f"/projects/lifecycles/{template.pk}/phases/{phase.pk}/items/new/",
            item_data(**overrides),
        )
        assert message in " ".join(response.context["form"].errors[field])
        assert phase.checklist.count() == 2

    def test_a_methodology_name_is_unique(self, client, pmo):
        MethodologyFactory(name="Agile")
        client.force_login(pmo)
        response = client.post("/projects/methodologies/new/", {"name": "Agile"})
        assert response.context["form"].errors["name"]
        assert Methodology.objects.count() == 1

    def test_a_template_needs_a_methodology_and_a_name(self, client, pmo):
        client.force_login(pmo)
        response = client.post("/projects/lifecycles/new/", {"name": ""})
        assert set(response.context["form"].errors) == {"methodology", "name"}
        assert not LifecycleTemplate.objects.exists()

    def test_a_standard_needs_a_title(self, client, pmo):
        client.force_login(pmo)
        response = client.post("/projects/standards/new/", standard_data(pmo, title=""))
        assert response.context["form"].errors["title"] == ["This field is required."]
        assert not Standard.objects.exists()

    def test_a_file_over_20_mb_is_refused_with_its_size(self, client, pmo, standard):
        client.force_login(pmo)
        big = SimpleUploadedFile("manual.pdf", b"\0" * (20 * MB + 1))
        response = client.post(f"/projects/standards/{standard.pk}/attachments/", {"file": big})
        assert response.status_code == 200
        errors = [
            e.replace("\xa0", " ") for e in response.context["attachment_form"].errors["file"]
        ]
        assert errors == ["A file can be at most 20.0 MB; this one is larger (20.0 MB)."]
        assert "A file can be at most 20.0" in response.content.decode()
        assert not StandardAttachment.objects.exists()

    def test_a_file_of_exactly_20_mb_is_taken(self, client, pmo, standard):
        client.force_login(pmo)
        limit = SimpleUploadedFile("manual.pdf", b"\0" * (20 * MB))
        client.post(f"/projects/standards/{standard.pk}/attachments/", {"file": limit})
        assert standard.attachments.get().file.size == 20 * MB

    def test_an_upload_without_a_file_is_refused(self, client, pmo, standard):
        client.force_login(pmo)
        response = client.post(f"/projects/standards/{standard.pk}/attachments/", {})
        assert response.context["attachment_form"].errors["file"]

    def test_an_unknown_governance_mode_is_refused(self, client, pmo_admin):
        client.force_login(pmo_admin)
        response = client.post("/projects/governance/", {"mode": "anarchic"})
        assert "mode" in response.context["form"].errors
        assert GovernanceSettings.current().mode == "controlling"


class TestNonPmoCannotWrite:
    """Every write, posted by those who only read standards, is refused and changes nothing."""

    @pytest.fixture
    def posts(self, template, standard):
        phase = template.phases.get(order=1)
        item = phase.checklist.first()
        base = f"/projects/lifecycles/{template.pk}/"
        return [
            ("/projects/methodologies/new/", {"name": "Sneaky"}),
            (f"/projects/methodologies/{template.methodology_id}/edit/", {"name": "Sneaky"}),
            (
                "/projects/lifecycles/new/",
                {"methodology": template.methodology_id, "name": "Sneaky"},
            ),  # fmt: skip
            (base + "phases/new/", phase_data(name="Sneaky")),
            (base + f"phases/{phase.pk}/edit/", phase_data(name="Sneaky")),
            (base + f"phases/{phase.pk}/delete/", {}),
            (base + f"phases/{phase.pk}/items/new/", item_data(title="Sneaky")),
            (base + f"phases/{phase.pk}/items/{item.pk}/edit/", item_data(title="Sneaky")),
            (base + f"phases/{phase.pk}/items/{item.pk}/delete/", {}),
            (base + "publish/", {}),
            ("/projects/standards/new/", {"title": "Sneaky"}),
            (f"/projects/standards/{standard.pk}/edit/", {"title": "Sneaky"}),
            (
                f"/projects/standards/{standard.pk}/attachments/",
                {"file": SimpleUploadedFile("x.txt", b"x")},
            ),  # fmt: skip
            ("/projects/governance/", {"mode": "supportive"}),
        ]

    @pytest.mark.parametrize("persona", ["pm", "executive", "resource_manager"])
    def test_readers_are_refused(self, client, request, posts, persona):
        client.force_login(request.getfixturevalue(persona))
        counts = snapshot()
        for url, data in posts:
            assert client.post(url, data).status_code == 403, url
        assert snapshot() == counts

    def test_a_pmo_analyst_cannot_set_the_governance_mode(self, client, pmo):
        client.force_login(pmo)
        assert client.post("/projects/governance/", {"mode": "supportive"}).status_code == 403
        assert GovernanceSettings.current().mode == "controlling"


def snapshot():
    return {
        model.__name__: list(model.objects.values())
        for model in (
            Methodology,
            LifecycleTemplate,
            TemplatePhase,
            TemplateChecklistItem,
            Standard,
            StandardAttachment,
            GovernanceSettings,
        )  # fmt: skip
    }


class TestStandardsLibrary:
    def test_the_pmo_adds_a_standard(self, client, pmo):
        client.force_login(pmo)
        response = client.post("/projects/standards/new/", standard_data(pmo))
        standard = Standard.objects.get()
        assert response["Location"] == f"/projects/standards/{standard.pk}/"
        assert (standard.title, standard.owner, standard.category) == (
            "Risk management procedure", pmo, "procedure",
        )  # fmt: skip
        assert standard.history.first().history_user == pmo

    def test_the_list_filters_by_category_and_searches_title_and_text(
        self, client, executive, standard, pmo
    ):
        Standard.objects.create(title="Gate review policy", category="policy", owner=pmo,
                                body="Every gate is reviewed by the PMO.")  # fmt: skip
        client.force_login(executive)
        body = client.get("/projects/standards/", {"category": "policy"}).content.decode()
        assert "Gate review policy" in body and "Business case template" not in body
        body = client.get("/projects/standards/", {"q": "benefits"}).content.decode()
        assert "Business case template" in body and "Gate review policy" not in body
        body = client.get("/projects/standards/", {"q": "GATE REVIEW"}).content.decode()
        assert "Gate review policy" in body
        assert "New standard" not in body

    def test_htmx_requests_get_only_the_results(self, client, executive, standard):
        client.force_login(executive)
        response = client.get("/projects/standards/", {"q": "case"}, headers={"HX-Request": "true"})
        body = response.content.decode()
        assert 'id="results"' in body and "<html" not in body

    def test_the_list_pages_and_keeps_the_filter(self, client, executive, pmo):
        Standard.objects.bulk_create(
            Standard(title=f"Policy {n:02d}", category="policy", owner=pmo) for n in range(30)
        )
        client.force_login(executive)
        response = client.get("/projects/standards/", {"category": "policy", "page": 2})
        assert len(response.context["object_list"]) == 5
        assert "category=policy&amp;page=1" in response.content.decode()

    def test_the_detail_shows_text_files_and_the_phases_using_it(
        self, client, pmo, executive, standard, template
    ):
        phase = template.phases.get(order=1)
        phase.standards.add(standard)
        client.force_login(pmo)
        upload = SimpleUploadedFile("business-case.docx", b"PK template")
        response = client.post(
            f"/projects/standards/{standard.pk}/attachments/", {"file": upload}, follow=True
        )
        attachment = standard.attachments.get()
        assert "File business-case.docx added." in messages_of(response)
        assert attachment.uploaded_by == pmo

        client.force_login(executive)
        body = client.get(f"/projects/standards/{standard.pk}/").content.decode()
        assert "<p>Why the project is worth doing.</p>" in body
        download = f"/projects/standards/{standard.pk}/attachments/{attachment.pk}/"
        assert f'href="{download}"' in body
        assert f'href="/projects/lifecycles/{template.pk}/"' in body
        assert "Initiation" in body
        assert "Upload" not in body
        response = client.get(download)
        assert b"".join(response.streaming_content) == b"PK template"
        assert response["Content-Disposition"] == 'attachment; filename="business-case.docx"'

    def test_a_file_of_another_standard_is_not_found(self, client, pmo, standard):
        other = Standard.objects.create(title="Other", category="policy", owner=pmo)
        attachment = services.standard_attachment_add(
            standard=other, by=pmo, file=SimpleUploadedFile("a.txt", b"a")
        )
        client.force_login(pmo)
        url = f"/projects/standards/{standard.pk}/attachments/{attachment.pk}/"
        assert client.get(url).status_code == 404

    def test_the_pmo_edits_a_standard(self, client, pmo, standard):
        client.force_login(pmo)
        form = client.get(f"/projects/standards/{standard.pk}/edit/").context["form"]
        data = standard_data(pmo, title="Business case", version="2.2",
                             updated_at=form["updated_at"].value())  # fmt: skip
        response = client.post(f"/projects/standards/{standard.pk}/edit/", data)
        assert response.status_code == 302
        standard.refresh_from_db()
        assert (standard.title, standard.version) == ("Business case", "2.2")

    def test_saving_over_a_newer_change_is_refused(self, client, pmo, pmo_admin, standard):
        client.force_login(pmo)
        form = client.get(f"/projects/standards/{standard.pk}/edit/").context["form"]
        stale = standard_data(pmo, title="Mine", updated_at=form["updated_at"].value())
        services.standard_update(
            standard=standard, by=pmo_admin, updated_at=standard.updated_at, title="Theirs"
        )
        response = client.post(f"/projects/standards/{standard.pk}/edit/", stale)
        assert response.status_code == 200
        assert "Someone else changed this standard" in response.content.decode()
        standard.refresh_from_db()
        assert standard.title == "Theirs"

    def test_an_edit_without_its_loaded_time_is_refused(self, client, pmo, standard):
        client.force_login(pmo)
        response = client.post(
            f"/projects/standards/{standard.pk}/edit/", standard_data(pmo, title="Blind")
        )
        assert "This form is out of date" in response.content.decode()
        standard.refresh_from_db()
        assert standard.title == "Business case template"


class TestGovernance:
    def test_everyone_reads_the_mode_and_what_each_means(self, client, executive):
        client.force_login(executive)
        response = client.get("/projects/governance/")
        body = response.content.decode()
        assert "Controlling: no phase is left without an approved gate" in body
        assert "only the PMO approves gates, even those a template gives to the sponsor" in body
        assert "Change the mode" not in body

    def test_the_pmo_admin_changes_the_mode(self, client, pmo_admin):
        client.force_login(pmo_admin)
        response = client.post("/projects/governance/", {"mode": "directive"}, follow=True)
        current = GovernanceSettings.current()
        assert current.mode == "directive"
        assert current.history.first().history_user == pmo_admin
        assert "The governance mode is now: Directive" in " ".join(messages_of(response))
        body = " ".join(response.content.decode().split())
        assert 'name="mode" value="directive" id="id_mode_2" required checked' in body


# Permission matrix ---------------------------------------------------------------------------
# In the shape of tests/permission_matrix.py: url -> status per persona, and the resolver
# patterns of these pages with the row covering each. {template}, {phase}, {item},
# {methodology}, {standard} and {attachment} are filled from the fixtures below.

MATRIX = {
    "/projects/lifecycles/": READ,
    "/projects/lifecycles/new/": PMO_ONLY,
    "/projects/lifecycles/{template}/": READ,
    "/projects/lifecycles/{template}/publish/": POST_ONLY,
    "/projects/lifecycles/{template}/phases/new/": PMO_ONLY,
    "/projects/lifecycles/{template}/phases/{phase}/edit/": PMO_ONLY,
    "/projects/lifecycles/{template}/phases/{phase}/delete/": POST_ONLY,
    "/projects/lifecycles/{template}/phases/{phase}/items/new/": PMO_ONLY,
    "/projects/lifecycles/{template}/phases/{phase}/items/{item}/edit/": PMO_ONLY,
    "/projects/lifecycles/{template}/phases/{phase}/items/{item}/delete/": POST_ONLY,
    "/projects/methodologies/new/": PMO_ONLY,
    "/projects/methodologies/{methodology}/edit/": PMO_ONLY,
    "/projects/standards/": READ,
    "/projects/standards/new/": PMO_ONLY,
    "/projects/standards/{standard}/": READ,
    "/projects/standards/{standard}/edit/": PMO_ONLY,
    "/projects/standards/{standard}/attachments/": POST_ONLY,
    "/projects/standards/{standard}/attachments/{attachment}/": READ,
    "/projects/governance/": READ,
}

PATTERN_ROWS = {
    "projects/lifecycles/": "/projects/lifecycles/",
    "projects/lifecycles/new/": "/projects/lifecycles/new/",
    "projects/lifecycles/<int:pk>/": "/projects/lifecycles/{template}/",
    "projects/lifecycles/<int:pk>/publish/": "/projects/lifecycles/{template}/publish/",
    "projects/lifecycles/<int:pk>/phases/new/": "/projects/lifecycles/{template}/phases/new/",
    "projects/lifecycles/<int:pk>/phases/<int:phase_pk>/edit/":
        "/projects/lifecycles/{template}/phases/{phase}/edit/",
    "projects/lifecycles/<int:pk>/phases/<int:phase_pk>/delete/":
        "/projects/lifecycles/{template}/phases/{phase}/delete/",
    "projects/lifecycles/<int:pk>/phases/<int:phase_pk>/items/new/":
        "/projects/lifecycles/{template}/phases/{phase}/items/new/",
    "projects/lifecycles/<int:pk>/phases/<int:phase_pk>/items/<int:item_pk>/edit/":
        "/projects/lifecycles/{template}/phases/{phase}/items/{item}/edit/",
    "projects/lifecycles/<int:pk>/phases/<int:phase_pk>/items/<int:item_pk>/delete/":
        "/projects/lifecycles/{template}/phases/{phase}/items/{item}/delete/",
    "projects/methodologies/new/": "/projects/methodologies/new/",
    "projects/methodologies/<int:pk>/edit/": "/projects/methodologies/{methodology}/edit/",
    "projects/standards/": "/projects/standards/",
    "projects/standards/new/": "/projects/standards/new/",
    "projects/standards/<int:pk>/": "/projects/standards/{standard}/",
    "projects/standards/<int:pk>/edit/": "/projects/standards/{standard}/edit/",
    "projects/standards/<int:pk>/attachments/": "/projects/standards/{standard}/attachments/",
    "projects/standards/<int:pk>/attachments/<int:attachment_pk>/":
        "/projects/standards/{standard}/attachments/{attachment}/",
    "projects/governance/": "/projects/governance/",
}  # fmt: skip


def test_every_standards_page_is_in_the_matrix():
    import projects.urls.standards

    patterns = set(resolver_patterns(projects.urls.standards.urlpatterns, "projects/"))
    assert patterns == set(PATTERN_ROWS)
    assert set(PATTERN_ROWS.values()) == set(MATRIX)
    assert reverse("projects:template_list") == "/projects/lifecycles/"


@pytest.fixture
def matrix_objects(pmo, template, standard):
    phase = template.phases.get(order=1)
    attachment = services.standard_attachment_add(
        standard=standard, by=pmo, file=SimpleUploadedFile("guide.txt", b"guide")
    )
    return {
        "template": template.pk, "phase": phase.pk, "item": phase.checklist.first().pk,
        "methodology": template.methodology_id, "standard": standard.pk,
        "attachment": attachment.pk,
    }  # fmt: skip


@pytest.mark.parametrize("url_template", list(MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_expected_status(
    client, request, matrix_objects, url_template, persona
):
    check_page(client, request, MATRIX, url_template, persona, **matrix_objects)


@pytest.mark.parametrize(("url_template", "persona"), refused(MATRIX))
def test_a_persona_refused_a_page_is_refused_by_post_too(
    client, request, matrix_objects, url_template, persona
):
    check_refused_post(client, request, MATRIX, url_template, persona, **matrix_objects)


# Query counts ------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


class TestQueryCounts:
    """The same number of queries at 3 and at 30 rows: pinned, so an N+1 fails here."""

    @pytest.mark.parametrize("rows", [3, 30])
    def test_template_list(self, client, pmo, department, project_type, rows):
        for number in range(rows):
            methodology = MethodologyFactory(name=f"Methodology {number}")
            template = lifecycle.template_create(by=pmo, methodology=methodology, name="Life")
            TemplatePhase.objects.create(template=template, order=1, name="Only", gate_name="G")
            ProjectFactory(department=department, project_type=project_type,
                           lifecycle_template=template)  # fmt: skip
        client.force_login(pmo)
        assert count_queries(client, "/projects/lifecycles/") == 6

    @pytest.mark.parametrize("rows", [3, 30])
    def test_template_detail(self, client, pmo, standard, rows):
        template = lifecycle.template_create(by=pmo, methodology=MethodologyFactory(), name="L")
        for order in range(1, rows + 1):
            phase = TemplatePhase.objects.create(
                template=template, order=order, name=f"Phase {order}", gate_name=f"Gate {order}"
            )
            phase.standards.add(standard)
            TemplateChecklistItem.objects.bulk_create(
                TemplateChecklistItem(phase=phase, order=n, title=f"Item {n}") for n in range(2)
            )
        client.force_login(pmo)
        assert count_queries(client, f"/projects/lifecycles/{template.pk}/") == 9

    @pytest.mark.parametrize("rows", [3, 30])
    def test_standard_list(self, client, executive, pmo, rows):
        for number in range(rows):
            standard = Standard.objects.create(title=f"Standard {number}", category="policy",
                                               owner=pmo)  # fmt: skip
            StandardAttachment.objects.create(standard=standard, file="standards/x.pdf",
                                              uploaded_by=pmo)  # fmt: skip
        client.force_login(executive)
        assert count_queries(client, "/projects/standards/") == 6
