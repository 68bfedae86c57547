from django.urls import path

from . import mfa_views, views_sessions

app_name = "accounts"

urlpatterns = [
    path("two-step/", mfa_views.two_step_manage, name="two_step_manage"),
    path("two-step/verify/", mfa_views.two_step_verify, name="two_step_verify"),
    path("two-step/enrol/", mfa_views.two_step_enrol, name="two_step_enrol"),
    path(
        "two-step/recovery-codes/",
        mfa_views.two_step_recovery_codes,
        name="two_step_recovery_codes",
    ),
    path(
        "two-step/recovery-codes/new/",
        mfa_views.two_step_recovery_codes_replace,
        name="two_step_recovery_codes_replace",
    ),
    path("two-step/remove/", mfa_views.two_step_remove, name="two_step_remove"),
    path("sign-in-policy/", mfa_views.sign_in_policy, name="sign_in_policy"),
    path(
        "sessions/sign-out-everywhere/",
        views_sessions.sign_out_everywhere,
        name="sign_out_everywhere",
    ),
]
