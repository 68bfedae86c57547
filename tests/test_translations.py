"""The Simplified Chinese catalogue is complete: every string of the source, translated."""

import os
import shutil
import subprocess
import sys

import polib
import pytest
from django.conf import settings

CATALOGUE = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
SOURCES = ["manage.py", "pmo_portal", "accounts", "projects", "portfolio", "resources", "risks",
           "reports", "templates", "locale"]  # fmt: skip


def test_every_entry_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(CATALOGUE))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


def test_the_compiled_catalogue_matches_the_translations():
    def translations(catalogue):
        return {e.msgid: e.msgstr or e.msgstr_plural.get(0, "") for e in catalogue if e.msgid}

    compiled = translations(polib.mofile(str(COMPILED)))
    written = translations(polib.pofile(str(CATALOGUE)))
    assert compiled == written, "run `make messages` to compile the catalogue"


def test_the_catalogue_holds_every_string_of_the_source(tmp_path):
    """Extract the strings afresh from a copy of the source and compare with the catalogue."""
    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("xgettext (gettext) is needed to check the catalogue")
        pytest.skip("xgettext is not installed: apt-get install gettext")
    for name in SOURCES:
        source = settings.BASE_DIR / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    environment = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "pmo_portal.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location"],
        cwd=tmp_path,
        env=environment,
        check=True,
        capture_output=True,
        timeout=120,
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    committed = {entry.msgid for entry in polib.pofile(str(CATALOGUE))}
    missing = sorted(entry.msgid for entry in fresh if entry.msgid not in committed)
    assert missing == [], "run `make messages` and translate these strings"
