from django.core.management.base import BaseCommand, CommandError

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
            self.stdout.write(f"{name}: {len(violations)} violation(s)")
            for line in violations[:20]:
                self.stdout.write(f"  {line}")
        if any(found.values()):
            raise CommandError("Some records break the rules above.")
