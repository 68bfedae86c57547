"""Settings for the test suite: the development configuration with quicker passwords."""

import os

os.environ.setdefault("DEBUG", "true")

from pmo_portal.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
