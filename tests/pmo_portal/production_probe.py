"""Run by tests/pmo_portal/test_security_headers.py in a process of its own, with production
settings (DEBUG off): collects the static files with the manifest storage into STATIC_ROOT,
requests a page, a 404, a 403, a 500 and a static file over HTTPS through the whole middleware
stack, signs in, and prints the responses' headers and the cookies' flags as JSON."""

import json
import sys
import types

import django
from django.core.management import call_command


def _urlconf_with_a_failing_page():
    """The portal's URLs plus one that fails, to see the 500 page."""
    from django.urls import include, path

    def fail(request):
        raise RuntimeError("A failure to see the 500 page.")

    module = types.ModuleType("production_probe_urls")
    module.urlpatterns = [path("probe-failure/", fail), path("", include("pmo_portal.urls"))]
    sys.modules[module.__name__] = module
    return module.__name__


def _headers(response) -> dict:
    return {"status": response.status_code, "headers": dict(response.headers.items())}


def _cookie_flags(morsel) -> dict:
    return {
        "secure": bool(morsel["secure"]),
        "httponly": bool(morsel["httponly"]),
        "samesite": morsel["samesite"],
    }


def main() -> None:
    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.test import Client, override_settings

    user = get_user_model().objects.create_user("probe", password="probe-Pass-2027")
    user.groups.add(Group.objects.get(name="executive"))

    results = {}
    with override_settings(ROOT_URLCONF=_urlconf_with_a_failing_page()):
        client = Client(raise_request_exception=False)
        login_page = client.get("/accounts/login/", secure=True)
        results["login_page"] = _headers(login_page)
        csrf_cookie = login_page.cookies["csrftoken"]
        signed_in = client.post(
            "/accounts/login/", {"username": "probe", "password": "probe-Pass-2027"}, secure=True
        )
        results["sign_in"] = _headers(signed_in)
        session_cookie = signed_in.cookies["sessionid"]
        language = client.post("/accounts/language/", {"language": "en", "next": "/"}, secure=True)
        language_cookie = language.cookies["django_language"]
        results["page"] = _headers(client.get("/", secure=True))
        results["not_found"] = _headers(client.get("/no-such-page/", secure=True))
        results["forbidden"] = _headers(client.get("/risks/new/", secure=True))
        results["server_error"] = _headers(client.get("/probe-failure/", secure=True))
        static_url = staticfiles_storage.url("css/portal.css")
        results["static_file"] = {
            **_headers(client.get(static_url, secure=True)),
            "url": static_url,
        }
        results["cookies"] = {
            "session": _cookie_flags(session_cookie),
            "csrf": _cookie_flags(csrf_cookie),
            "language": _cookie_flags(language_cookie),
        }
    print("PROBE-RESULT " + json.dumps(results))


if __name__ == "__main__":
    main()
