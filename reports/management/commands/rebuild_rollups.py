"""Recompute every rollup of the dashboard from the records (nightly, and after bulk loads)."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reports import rollups


class Command(BaseCommand):
    help = _("Recompute the dashboard's rollups from the records.")

    def handle(self, *args, **options):
        started = time.monotonic()
        rows = rollups.rebuild()
        self.stdout.write(
            _("%(rows)d rollup rows rebuilt in %(seconds).1f s.")
            % {"rows": rows, "seconds": time.monotonic() - started}
        )
