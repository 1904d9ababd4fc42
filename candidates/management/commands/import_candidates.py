from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from candidates import imports, permissions


class Command(BaseCommand):
    help = (
        "Import candidates from an .xlsx file in the import template's format (DESIGN §9), as the web "
        "import does: every row becomes a nomination (step 1) by USERNAME, or, if any row is wrong, "
        "nothing is imported and each error is printed as `row N, column: message` (exit status 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx file")
        parser.add_argument("--user", required=True, help="the township official who imports")
        parser.add_argument("--dry-run", action="store_true", help="check the file, import nothing")

    def handle(self, *args, file, user, dry_run, **options):
        by = User.objects.filter(username=user, is_active=True).first()
        if by is None:
            raise CommandError(_("There is no active user “%(username)s”.") % {"username": user})
        if not permissions.can_enter_candidates(by):
            raise CommandError(
                _("%(user)s is a %(role)s; only township officials import candidates.")
                % {"user": user, "role": by.get_role_display()}
            )
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("There is no file %(path)s.") % {"path": file})
        try:
            with path.open("rb") as handle:
                uploaded = File(handle, path.name)
                if dry_run:
                    check = imports.check_workbook(by=by, content=imports.read_upload(uploaded))
                    self._fail_on(check.errors)
                    for warning in check.warnings:
                        self.stdout.write(self._line(warning))
                    count = len(check.rows)
                else:
                    batch = imports.batch_store(by=by, uploaded_file=uploaded)
                    count = imports.candidates_import(by=by, batch=batch)
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from None
        except imports.ImportRefused as refused:
            self._fail_on(refused.errors)
        if dry_run:
            message = ngettext(
                "The file is correct: %(count)d person would be nominated. Nothing was imported (--dry-run).",
                "The file is correct: %(count)d people would be nominated. Nothing was imported (--dry-run).",
                count,
            )
        else:
            message = ngettext(
                "%(count)d person was imported and nominated (step 1).",
                "%(count)d people were imported and nominated (step 1).",
                count,
            )
        self.stdout.write(self.style.SUCCESS(message % {"count": count}))

    def _fail_on(self, errors):
        if not errors:
            return
        for error in errors:
            self.stdout.write(self._line(error))
        raise CommandError(
            ngettext(
                "%(count)d error; nothing was imported.",
                "%(count)d errors; nothing was imported.",
                len(errors),
            )
            % {"count": len(errors)}
        )

    @staticmethod
    def _line(error: imports.RowError) -> str:
        # The format is a stable interface (DESIGN §9): `row N, column: message`.
        if error.row is None:
            return error.message
        return f"row {error.row}, {error.column}: {error.message}"
