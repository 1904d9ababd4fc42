"""The candidate registration form as a PDF (DESIGN §7, §9: `/candidates/<pk>/form.pdf`)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from candidates.models import Candidate
from candidates.pdf import registration_form_pdf
from config.pdf import pdf_response


@login_required
def candidate_form_pdf(request, pk):
    """The person's registration form (培养对象登记表), A4; another jurisdiction's person is a 404."""
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user), pk=pk)
    # Translators: the file name of a candidate's registration form, e.g. 培养对象登记表-张三.pdf
    filename = _("Registration form-%(name)s.pdf") % {"name": candidate.name}
    return pdf_response(registration_form_pdf(candidate=candidate, user=request.user), filename)
