from django.urls import path

from . import views_sessions

urlpatterns = [
    path(
        "sessions/sign-out-everywhere/",
        views_sessions.sign_out_everywhere,
        name="sign_out_everywhere",
    ),
]
