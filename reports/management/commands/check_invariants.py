from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reports import invariants


class Command(BaseCommand):
    help = (
        "Check what must hold of the records (reports.invariants): steps in order, step 6 after its "
        "notice, one current mentor per active candidate, every figure equal to a recount. Exits 1 on a "
        "violation."
    )

    def handle(self, *args, **options):
        found = invariants.violations()
        for name, violations in found.items():
            self.stdout.write(
                ngettext("%(check)s: %(count)d violation", "%(check)s: %(count)d violations", len(violations))
                % {"check": name, "count": len(violations)}
            )
            for line in violations[:20]:
                self.stdout.write(f"  {line}")
        if any(found.values()):
            raise CommandError(_("Some records break the rules above; the lines under each rule name them."))
