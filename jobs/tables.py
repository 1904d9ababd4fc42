import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from config.tables import PortalTable
from jobs.models import Job


class JobTable(PortalTable):
    """A user's jobs, newest first; administrators, who see everyone's, see who asked too."""

    created_at = tables.DateTimeColumn(linkify=True, verbose_name=_("Asked at"), format="Y-m-d H:i")
    kind = tables.Column(verbose_name=_("Kind"))
    created_by = tables.Column(verbose_name=_("Asked by"))
    state = tables.Column(verbose_name=_("State"))
    progress = tables.TemplateColumn(
        "{{ record.done }} / {{ record.total }}", verbose_name=_("Progress"), orderable=False
    )
    finished_at = tables.DateTimeColumn(verbose_name=_("Finished at"), format="Y-m-d H:i", default="—")

    class Meta:
        model = Job
        fields = []
        sequence = ("created_at", "kind", "created_by", "state", "progress", "finished_at")
        empty_text = _("You have asked for no background job yet.")
