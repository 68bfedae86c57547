"""A project manager sets up two-step sign-in from their settings, typing the key into their
app rather than scanning it, keeps the recovery codes shown once, logs out, and signs in again
with the password and then a code from the app, on a code page read in Chinese."""

import re
import time
from base64 import b32decode

import pytest
from axes.models import AccessAttempt
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def app_code(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed in from the page."""
    totp = TOTP(b32decode(secret.replace(" ", "")), step=30, t0=0, digits=6)
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


def test_two_step_sign_in_is_set_up_and_then_asked_at_sign_in(page, live_server, pm):
    base = live_server.url
    login(page, live_server, "pm")

    # From the settings to the set-up page: a QR code and the key in text.
    page.goto(f"{base}/accounts/settings/")
    page.get_by_role("link", name="Two-step sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-step sign-in")
    assert_accessible(page)
    page.get_by_role("link", name="Set up two-step sign-in").click()
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    assert_accessible(page)
    secret = page.locator("#secret-key").inner_text()

    # The code the app shows turns it on, and the recovery codes are shown once.
    page.get_by_label("Code from your app").fill(app_code(secret))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    expect(page.get_by_role("link", name="Download as a text file")).to_have_attribute(
        "download", "pmo-portal-recovery-codes.txt"
    )
    assert_accessible(page)
    page.get_by_role("link", name="I have kept my codes").click()
    expect(page.get_by_text("Recovery codes left")).to_be_visible()

    # Log out, then sign in: after the password, the code page.
    page.get_by_role("button", name=re.compile("Li Wei")).click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    login(page, live_server, "pm")
    expect(page).to_have_url(re.compile(r"/accounts/two-step/verify/"))
    assert_accessible(page)

    # The code page in Chinese; the code from the app takes the person home.
    page.get_by_role("button", name="Language").click()
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page).to_have_url(re.compile(r"/accounts/two-step/verify/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("两步登录")
    assert_accessible(page)
    # The next time step: the step used to turn it on cannot be used twice.
    page.get_by_label("应用中的验证码或恢复码").fill(app_code(secret, steps_ahead=1))
    page.get_by_role("button", name="继续").click()
    expect(page).to_have_url(f"{base}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_five_wrong_passwords_lock_the_name_and_log_out_everywhere_ends_the_session(
    page, live_server, pm
):
    base = live_server.url
    for _attempt in range(5):
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Username").fill("pm")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in locked")
    expect(page.get_by_text("Try again in 15 minutes")).to_be_visible()
    assert_accessible(page)

    # The right password from the same address is refused too, until the lock is lifted.
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("pm")
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in locked")
    AccessAttempt.objects.all().delete()  # what the admin's "Unlock" does

    login(page, live_server, "pm")
    page.goto(f"{base}/accounts/settings/")
    sessions = page.get_by_role("table")
    expect(sessions.get_by_text("This device")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Log out everywhere").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto(f"{base}/accounts/settings/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
