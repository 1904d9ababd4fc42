from django.db import migrations


def forget_copied_names(apps, schema_editor):
    """A candidate's seat read its holder's name from a copy; the name is now read from the candidate."""
    CommitteeSeat = apps.get_model("villages", "CommitteeSeat")
    CommitteeSeat.objects.filter(candidate__isnull=False).update(holder_name="")


def copy_names_back(apps, schema_editor):
    CommitteeSeat = apps.get_model("villages", "CommitteeSeat")
    for seat in CommitteeSeat.objects.filter(candidate__isnull=False).select_related("candidate"):
        seat.holder_name = seat.candidate.name
        seat.save(update_fields=["holder_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("villages", "0002_historicalreserve_decided_by_historicalreserve_note_and_more"),
        ("candidates", "0007_import_preview"),
    ]

    operations = [migrations.RunPython(forget_copied_names, copy_names_back)]
