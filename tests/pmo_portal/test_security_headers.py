import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_pages_carry_a_nonce_based_content_security_policy(client, pm):
    client.force_login(pm)
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)


def test_pages_forbid_framing_and_sniffing(client):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


# In production (DEBUG off, HTTPS, whitenoise serving the collected files), every kind of
# response carries every header: pages, error pages and static files alike.
RESPONSES = ["login_page", "page", "not_found", "forbidden", "server_error", "static_file"]
EXPECTED_STATUS = {
    "login_page": 200, "page": 200, "not_found": 404, "forbidden": 403, "server_error": 500,
    "static_file": 200,
}  # fmt: skip


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """The headers and cookies a production process sends, as tests/pmo_portal/
    production_probe.py prints them."""
    folder = tmp_path_factory.mktemp("production")
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        and not key.startswith("PYTEST")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="pmo_portal.settings",
        DEBUG="false",
        SECRET_KEY="a-production-secret-key-that-is-long-and-random-0123456789abcdefXYZ",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        CELERY_BROKER_URL="memory://",
        REDIS_URL="",
    )
    result = subprocess.run(
        [sys.executable, "-m", "tests.pmo_portal.production_probe"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("PROBE-RESULT "))
    return json.loads(line.removeprefix("PROBE-RESULT "))


def test_each_kind_of_response_has_its_expected_status(production):
    for name in RESPONSES:
        assert production[name]["status"] == EXPECTED_STATUS[name], name
    assert "/static/css/portal." in production["static_file"]["url"]
    assert production["static_file"]["url"] != "/static/css/portal.css"


@pytest.mark.parametrize("name", RESPONSES)
def test_every_response_carries_every_security_header(production, name):
    headers = production[name]["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    features = dict(part.strip().split("=", 1) for part in headers["Permissions-Policy"].split(","))
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert features[feature] == "()", feature


def test_the_session_and_csrf_cookies_are_secure_and_out_of_scripts_reach(production):
    for cookie in ["session", "csrf"]:
        flags = production["cookies"][cookie]
        assert flags == {"secure": True, "httponly": True, "samesite": "Lax"}, cookie


def test_the_language_cookie_is_secure(production):
    assert production["cookies"]["language"]["secure"] is True


def test_the_csrf_token_reaches_htmx_from_the_page_not_the_cookie(client, pm):
    client.force_login(pm)
    page = client.get("/").content.decode()
    assert re.search(r"hx-headers='\{\"X-CSRFToken\": \"[^\"]+\"\}'", page)
