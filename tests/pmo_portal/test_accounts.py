import pytest
from django.conf import settings
from django.http import HttpRequest

from pmo_portal.models import UserSettings

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get("/projects/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/projects/"


def test_a_user_logs_in_and_lands_on_the_home_page(client, pm):
    response = client.post("/accounts/login/", {"username": "pm", "password": "demo"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_wrong_password_is_refused_with_a_message(client, pm):
    response = client.post("/accounts/login/", {"username": "pm", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_switching_language_is_remembered_for_the_user(client, executive):
    client.force_login(executive)
    response = client.post("/accounts/language/", {"language": "zh-hans", "next": "/projects/"})
    assert response.status_code == 302
    assert response["Location"] == "/projects/"
    assert UserSettings.objects.get(user=executive).language == "zh-hans"
    page = client.get("/projects/")
    assert '<html lang="zh-hans">' in page.content.decode()


def test_the_remembered_language_comes_back_at_the_next_login(client, executive):
    UserSettings.objects.create(user=executive, language="zh-hans")
    response = client.post("/accounts/login/", {"username": "exec", "password": "demo"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"


def test_an_unknown_language_is_refused(client, executive):
    client.force_login(executive)
    client.post("/accounts/language/", {"language": "xx"})
    assert not UserSettings.objects.filter(user=executive).exists()


def test_language_switch_does_not_redirect_off_site(client, executive):
    client.force_login(executive)
    response = client.post(
        "/accounts/language/", {"language": "en", "next": "https://evil.example.com/"}
    )
    assert response["Location"] == "/"


def test_an_executive_changes_their_own_settings(client, executive):
    client.force_login(executive)
    response = client.post("/accounts/settings/", {"language": "zh-hans"})
    assert response.status_code == 302
    assert UserSettings.objects.get(user=executive).language == "zh-hans"


def test_settings_form_refuses_bad_input(client, executive):
    client.force_login(executive)
    response = client.post("/accounts/settings/", {"language": "klingon"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert UserSettings.objects.get(user=executive).language == "en"


def test_password_change_refuses_a_wrong_old_password(client, pm):
    client.force_login(pm)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "nope",
            "new_password1": "S3cure-pass!x",
            "new_password2": "S3cure-pass!x",
        },
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()


def test_the_navigation_shows_admin_only_to_staff(client, pm, pmo_admin):
    client.force_login(pm)
    assert 'href="/admin/"' not in client.get("/").content.decode()
    client.force_login(pmo_admin)
    assert 'href="/admin/"' in client.get("/").content.decode()


def test_roles_are_groups_with_permissions(django_user_model):
    from django.contrib.auth.models import Group

    names = set(Group.objects.values_list("name", flat=True))
    assert names >= {"pmo_admin", "pmo_analyst", "project_manager", "resource_manager", "executive"}
    executive = Group.objects.get(name="executive")
    # Executives read; what they change is their own: settings and report subscriptions.
    changes = executive.permissions.exclude(codename__startswith="view_")
    assert list(changes.values_list("codename", flat=True)) == ["add_reportsubscription"]


def test_switching_language_returns_to_the_page_as_it_was(client, executive):
    """The page's address may carry filters pushed by htmx after it loaded."""
    client.force_login(executive)
    response = client.post(
        "/accounts/language/",
        {"language": "zh-hans"},
        headers={"Referer": "http://testserver/projects/?q=ERP&status=active"},
    )
    assert response["Location"] == "http://testserver/projects/?q=ERP&status=active"


def test_password_reset_sends_a_link_that_sets_a_new_password(client, pm, mailoutbox):
    import re

    response = client.post("/accounts/password_reset/", {"email": pm.email})
    assert response.status_code == 302
    link = re.search(r"/accounts/reset/\S+/\S+/", mailoutbox[0].body).group(0)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Better-pass-2027", "new_password2": "Better-pass-2027"},
    )
    assert response.status_code == 302
    assert client.login(request=HttpRequest(), username="pm", password="Better-pass-2027")


def test_password_reset_refuses_mismatched_passwords(client, pm, mailoutbox):
    import re

    client.post("/accounts/password_reset/", {"email": pm.email})
    link = re.search(r"/accounts/reset/\S+/\S+/", mailoutbox[0].body).group(0)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Better-pass-2027", "new_password2": "Other-pass-2027"},
    )
    assert response.status_code == 200
    assert "The two password fields didn" in response.content.decode()
    assert client.login(request=HttpRequest(), username="pm", password="demo")
