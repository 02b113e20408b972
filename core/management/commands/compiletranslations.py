"""Compile every gettext catalog of the project (.po → .mo) without GNU gettext.

Django's `compilemessages` shells out to `msgfmt`, which a fresh machine may not have; this
does the same job with polib, so `make run`, `make test` and CI behave alike everywhere. It
finds `locale/<lang>/LC_MESSAGES/*.po` under the project (the top-level `locale/` and each
app's), skipping virtual environments and hidden folders, and, like `msgfmt --check-format`,
refuses a translation that uses a placeholder its original does not have (it would raise a
KeyError when rendered). Fuzzy and untranslated entries are left out, as msgfmt does.

It lives in `core`, the bottom app every other app builds on, so it is always installed.
"""

import os
import re
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

SKIPPED_DIRS = {"node_modules", "staticfiles", "media", "site-packages", "__pycache__"}

# printf-style (%(name)s, %s, %d) and brace-style ({name}, {0}) placeholders.
PERCENT_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[#0\- +]*(?:\*|\d+)?(?:\.\d+)?[diouxXeEfFgGcrsa]")
BRACE_PLACEHOLDER = re.compile(r"(?<!\{)\{(\w*)[^{}]*\}(?!\})")


def find_catalogs(root: Path) -> list[Path]:
    """Every LC_MESSAGES/*.po below root, outside hidden folders and virtual environments."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        # Prune in place so os.walk never descends into them.
        dirnames[:] = sorted(
            name
            for name in dirnames
            if not name.startswith(".")
            and name not in SKIPPED_DIRS
            and not (Path(dirpath, name) / "pyvenv.cfg").exists()
        )
        here = Path(dirpath)
        if here.name == "LC_MESSAGES" and here.parent.parent.name == "locale":
            found.extend(here / name for name in sorted(filenames) if name.endswith(".po"))
    return found


def _placeholders(text: str, flags: list[str]) -> set[str]:
    names: set[str] = set()
    if "python-format" in flags:
        names |= {m.group(1) or "%" for m in PERCENT_PLACEHOLDER.finditer(text.replace("%%", ""))}
    if "python-brace-format" in flags:
        names |= {m.group(1) for m in BRACE_PLACEHOLDER.finditer(text)}
    return names


def format_errors(catalog: polib.POFile) -> list[str]:
    """Translations that use a placeholder their msgid does not provide."""
    errors = []
    for entry in catalog.translated_entries():
        allowed = _placeholders(entry.msgid, entry.flags) | _placeholders(
            entry.msgid_plural or "", entry.flags
        )
        translations = [entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values()
        for text in translations:
            unknown = _placeholders(text, entry.flags) - allowed
            if unknown:
                names = ", ".join(sorted(unknown))
                errors.append(f"line {entry.linenum}: {entry.msgid!r}: unknown placeholder {names}")
    return errors


class Command(BaseCommand):
    help = "Compile every locale/**/*.po of the project to .mo with polib (no GNU gettext needed)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--root",
            type=Path,
            default=None,
            help="Folder to search (default: the project folder, settings.BASE_DIR).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Recompile even when the .mo is up to date."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        root: Path = options["root"] or Path(settings.BASE_DIR)
        compiled = up_to_date = 0
        problems: list[str] = []
        for po_path in find_catalogs(root):
            mo_path = po_path.with_suffix(".mo")
            if (
                not options["force"]
                and mo_path.exists()
                and mo_path.stat().st_mtime >= po_path.stat().st_mtime
            ):
                up_to_date += 1
                continue
            try:
                catalog = polib.pofile(str(po_path), wrapwidth=0)
            except (OSError, ValueError) as exc:
                problems.append(f"{po_path}: {exc}")
                continue
            errors = format_errors(catalog)
            if errors:
                problems.extend(f"{po_path}: {error}" for error in errors)
                continue
            catalog.save_as_mofile(str(mo_path))
            compiled += 1
            if options["verbosity"] >= 2:
                self.stdout.write(f"compiled {po_path.relative_to(root)}")
        if problems:
            raise CommandError("Some catalogs could not be compiled:\n" + "\n".join(problems))
        self.stdout.write(f"Translations: {compiled} compiled, {up_to_date} already up to date.")
