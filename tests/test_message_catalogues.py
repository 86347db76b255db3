"""The German message catalogues: every .po file compiles under `msgfmt --check` (which Django's
`compilemessages` runs as well), and the plural forms read as German."""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

SKIPPED_FOLDERS = {".venv", "node_modules", ".git"}
CATALOGUES = sorted(
    path.relative_to(settings.BASE_DIR)
    for path in Path(settings.BASE_DIR).rglob("*.po")
    if not SKIPPED_FOLDERS & set(path.relative_to(settings.BASE_DIR).parts)
)


def test_the_project_has_its_catalogues():
    assert Path("locale/de/LC_MESSAGES/django.po") in CATALOGUES
    assert Path("events/locale/de/LC_MESSAGES/django.po") in CATALOGUES


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs msgfmt (Debian package gettext)")
@pytest.mark.parametrize("catalogue", CATALOGUES, ids=str)
def test_catalogue_passes_msgfmt_check(catalogue):
    result = subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(catalogue)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("minutes", "sentence"),
    [
        (1, "ist die Anmeldung für 1 Minute pausiert."),
        (15, "ist die Anmeldung für 15 Minuten pausiert."),
    ],
)
def test_the_login_lock_page_counts_minutes_in_german(db, minutes, sentence):
    request = RequestFactory().get("/admin/login/")

    with translation.override("de"):
        page = render_to_string("errors/login_locked.html", {"minutes": minutes}, request=request)

    assert sentence in page
    assert "Bitte versuchen Sie es später noch einmal." in page


def test_a_message_means_the_same_in_every_catalogue():
    """Django merges the apps' catalogues and the first one wins, so a msgid translated one way in
    one app and another way in the next shows the wrong word somewhere ("Place" as "Ort" in a
    column of queue numbers). A word with two meanings gets a context (pgettext) per meaning."""
    translations: dict[object, dict[str, str]] = {}
    for catalogue in CATALOGUES:
        with open(Path(catalogue).with_suffix(".mo"), "rb") as compiled:
            for key, text in gettext.GNUTranslations(compiled)._catalog.items():
                if key:
                    translations.setdefault(key, {})[str(catalogue)] = text
    clashes = {key: found for key, found in translations.items() if len(set(found.values())) > 1}
    assert not clashes, "\n".join(f"{key!r}: {found}" for key, found in clashes.items())
