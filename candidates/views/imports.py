"""The Excel import of nominations: upload, preview with every error, confirm (DESIGN §9)."""

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from candidates import imports, permissions
from candidates.forms.imports import ImportUploadForm
from candidates.models import ImportBatch
from reports.exports import XLSX
from villages.models import Village


def _require_importer(user):
    if not permissions.can_enter_candidates(user):
        raise PermissionDenied


@login_required
def import_upload(request):
    """The upload form with the template and instructions; a good file goes on to its preview."""
    _require_importer(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = imports.batch_store(by=request.user, uploaded_file=form.cleaned_data["file"])
        return redirect("candidates:import_preview", pk=batch.pk)
    return render(
        request,
        "candidates/import_upload.html",
        {"form": form, "columns": imports.column_help(), "max_bytes": settings.IMPORT_MAX_BYTES},
    )


@login_required
@require_GET
def import_template(request):
    """The .xlsx template, its example row in one of the user's own villages."""
    _require_importer(request.user)
    village = Village.objects.visible_to(request.user).order_by("pk").first()
    content = imports.template_workbook(
        example_village_code=village.pk if village else imports.EXAMPLE_VILLAGE_CODE
    )
    filename = _("candidate import template") + ".xlsx"
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=XLSX)


@login_required
def import_preview(request, pk):
    """GET: every error, or the nominations the file would create. POST: import them."""
    _require_importer(request.user)
    batch = get_object_or_404(
        ImportBatch.objects.visible_to(request.user).filter(kind=ImportBatch.Kind.CANDIDATES), pk=pk
    )
    context = {"batch": batch}
    if batch.state == ImportBatch.State.IMPORTED:
        return render(
            request,
            "candidates/import_preview.html",
            context | {"imported_message": imports.already_imported_message(batch)},
        )
    if request.method == "POST":
        try:
            count = imports.candidates_import(by=request.user, batch=batch)
        except imports.ImportRefused as refused:
            preview = imports.ImportPreview.of(imports.ImportCheck(errors=refused.errors))
        else:
            message = ngettext(
                "%(count)d person was imported and nominated (step 1).",
                "%(count)d people were imported and nominated (step 1).",
                count,
            )
            messages.success(request, message % {"count": count})
            return redirect("candidates:candidate_list")
    else:
        preview = imports.batch_preview(by=request.user, batch=batch)
    return render(
        request,
        "candidates/import_preview.html",
        context | {"check": preview, "errors": preview.errors, "rows": preview.rows},
    )
