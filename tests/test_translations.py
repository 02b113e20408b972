"""`compiletranslations` turns every project catalog into a working .mo without GNU gettext."""

import gettext
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

PO_HEADER = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

"""


def write_po(root: Path, relative: str, body: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True)
    path.write_text(PO_HEADER + body, encoding="utf-8")
    return path


def translations(po_path: Path) -> gettext.GNUTranslations:
    with po_path.with_suffix(".mo").open("rb") as mo:
        return gettext.GNUTranslations(mo)


def test_compiletranslations_compiles_project_and_app_catalogs(tmp_path):
    top = write_po(
        tmp_path,
        "locale/he/LC_MESSAGES/django.po",
        'msgid "Stores"\nmsgstr "חנויות"\n',
    )
    app = write_po(
        tmp_path,
        "shop/locale/he/LC_MESSAGES/django.po",
        'msgid "%(count)s pair"\nmsgid_plural "%(count)s pairs"\n'
        'msgstr[0] "זוג %(count)s"\nmsgstr[1] "%(count)s זוגות"\n',
    )

    call_command("compiletranslations", root=tmp_path, verbosity=0)

    assert translations(top).gettext("Stores") == "חנויות"
    assert translations(app).ngettext("%(count)s pair", "%(count)s pairs", 3) == "%(count)s זוגות"


def test_compiletranslations_leaves_out_fuzzy_and_untranslated_entries(tmp_path):
    po = write_po(
        tmp_path,
        "locale/he/LC_MESSAGES/django.po",
        '#, fuzzy\nmsgid "Size"\nmsgstr "מידה?"\n\nmsgid "Price"\nmsgstr ""\n',
    )

    call_command("compiletranslations", root=tmp_path, verbosity=0)

    catalog = translations(po)
    assert catalog.gettext("Size") == "Size"
    assert catalog.gettext("Price") == "Price"


def test_compiletranslations_skips_virtual_environments(tmp_path):
    write_po(tmp_path, "venv/lib/pkg/locale/he/LC_MESSAGES/django.po", 'msgid "a"\nmsgstr "b"\n')
    (tmp_path / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    write_po(tmp_path, ".venv/pkg/locale/he/LC_MESSAGES/django.po", 'msgid "a"\nmsgstr "b"\n')

    call_command("compiletranslations", root=tmp_path, verbosity=0)

    assert not list(tmp_path.rglob("*.mo"))


def test_compiletranslations_refuses_a_placeholder_the_original_lacks(tmp_path):
    write_po(
        tmp_path,
        "locale/he/LC_MESSAGES/django.po",
        '#, python-format\nmsgid "Held until %(time)s"\nmsgstr "שמור עד %(hour)s"\n',
    )

    with pytest.raises(CommandError, match="unknown placeholder hour"):
        call_command("compiletranslations", root=tmp_path, verbosity=0)
    assert not list(tmp_path.rglob("*.mo"))


def test_compiletranslations_recompiles_only_changed_catalogs(tmp_path, capsys):
    po = write_po(tmp_path, "locale/he/LC_MESSAGES/django.po", 'msgid "Home"\nmsgstr "בית"\n')
    call_command("compiletranslations", root=tmp_path)
    call_command("compiletranslations", root=tmp_path)
    assert "0 compiled, 1 already up to date" in capsys.readouterr().out

    po.write_text(PO_HEADER + 'msgid "Home"\nmsgstr "דף הבית"\n', encoding="utf-8")
    call_command("compiletranslations", root=tmp_path, force=True)

    assert translations(po).gettext("Home") == "דף הבית"
