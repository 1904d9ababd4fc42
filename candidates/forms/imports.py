from django import forms
from django.utils.translation import gettext_lazy as _

from candidates import imports
from config.forms import PortalForm


class ImportUploadForm(PortalForm):
    """The spreadsheet to import; refused here if it is not an .xlsx within the size limit."""

    file = forms.FileField(
        label=_("Spreadsheet (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        imports.read_upload(uploaded)
        return uploaded
