from django.db import migrations
from django.utils import timezone


def first_history_rows(apps, schema_editor):
    """The standards and holidays written by migrations have no history row yet: without one, the
    first change made in the admin would keep no before-state."""
    now = timezone.now()
    for name in ("SelectionStandard", "Holiday"):
        model = apps.get_model("candidates", name)
        history = apps.get_model("candidates", f"Historical{name}")
        recorded = history.objects.values("id")
        fields = [f.attname for f in model._meta.concrete_fields]
        history.objects.bulk_create(
            history(
                history_date=now,
                history_type="+",
                history_change_reason="",
                **{field: getattr(row, field) for field in fields},
            )
            for row in model.objects.exclude(id__in=recorded)
        )


class Migration(migrations.Migration):
    dependencies = [("candidates", "0007_import_preview")]

    operations = [migrations.RunPython(first_history_rows, migrations.RunPython.noop)]
