"""Writes on training (issue 9): courses, enrolments and their completion, and the monthly import of
online-learning hours. Callers import this module (`from mentoring.services import training`)."""

import datetime
import os
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import User
from candidates.choices import Status
from candidates.imports import ImportRefused, RowError
from candidates.models import Candidate, ImportBatch
from config.workflows import NotVisible, require_visible, save_with_history
from mentoring import online_import, online_preview, permissions
from mentoring.choices import CourseLevel
from mentoring.models import Course, Enrolment, OnlineLearning
from reports import rollups

# Courses ------------------------------------------------------------------------------------------


def course_problems(*, by: User, level: str, cohort: str) -> dict[str, str]:
    """What keeps `by` from saving a course of this level and cohort, by field (none: it may)."""
    problems = {}
    if level not in permissions.course_levels(by):
        problems["level"] = _("You cannot enter courses of this level.")
    if level == CourseLevel.UNIVERSITY and not cohort.strip():
        problems["cohort"] = _("Give the cohort of a university class, e.g. 头雁 2025.")
    return problems


@transaction.atomic
def course_save(*, by: User, course: Course) -> Course:
    """Save a new or changed course of a level `by` keeps, valid, with history (the portal and the admin)."""
    course.cohort = course.cohort.strip()
    problems = course_problems(by=by, level=course.level, cohort=course.cohort)
    if problems:
        raise ValidationError(problems)
    course.full_clean()
    save_with_history(course, by)
    return course


@transaction.atomic
def course_create(
    *,
    by: User,
    name: str,
    organiser: str,
    level: str,
    start_date: datetime.date,
    end_date: datetime.date,
    hours: Decimal,
    online: bool = False,
    cohort: str = "",
) -> Course:
    """Enter a course: the city any level, a county or a township its own."""
    if not permissions.can_keep_training(by):
        raise PermissionDenied
    course = Course(
        name=name.strip(),
        organiser=organiser.strip(),
        level=level,
        cohort=cohort,
        start_date=start_date,
        end_date=end_date,
        hours=hours,
        online=online,
        created_by=by,
    )
    return course_save(by=by, course=course)


# Enrolments ---------------------------------------------------------------------------------------


@transaction.atomic
def enrolment_create(*, by: User, course: Course, candidate: Candidate) -> Enrolment:
    """Enrol an active candidate of `by`'s jurisdiction in a course, once."""
    require_visible(Course, by, course)
    require_visible(Candidate, by, candidate)
    if not permissions.can_enrol(by, candidate):
        raise PermissionDenied
    if candidate.status != Status.ACTIVE:
        raise ValidationError(
            _("%(name)s is not a candidate in cultivation; only active candidates are enrolled.")
            % {"name": candidate.name}
        )
    already = ValidationError(
        _("%(name)s is already enrolled in %(course)s.") % {"name": candidate.name, "course": course.name}
    )
    if Enrolment.objects.filter(course=course, candidate=candidate).exists():
        raise already
    enrolment = Enrolment(course=course, candidate=candidate, enrolled_by=by)
    try:
        with transaction.atomic():
            save_with_history(enrolment, by)
    except IntegrityError:
        raise already from None  # someone enrolled the same person a moment ago
    return enrolment


@transaction.atomic
def enrolments_create(*, by: User, course: Course, candidates: list[Candidate]) -> list[Enrolment]:
    """Enrol several candidates in a course: all of them, or none if one cannot be enrolled."""
    return [enrolment_create(by=by, course=course, candidate=candidate) for candidate in candidates]


@transaction.atomic
def enrolment_complete(*, by: User, enrolment: Enrolment, completed_on: datetime.date) -> Enrolment:
    """Record (or correct) the day a candidate completed a course: not before its start, not in the future."""
    require_visible(Enrolment, by, enrolment)
    enrolment = (
        Enrolment.objects.select_for_update().select_related("course", "candidate").get(pk=enrolment.pk)
    )
    if not permissions.can_enrol(by, enrolment.candidate):
        raise PermissionDenied
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("The completion cannot be in the future.")})
    if completed_on < enrolment.course.start_date:
        raise ValidationError(
            {
                "completed_on": _("The course started on %(start)s; it cannot be completed before.")
                % {"start": enrolment.course.start_date.isoformat()}
            }
        )
    enrolment.completed_on = completed_on
    save_with_history(enrolment, by)
    return enrolment


# Online learning ----------------------------------------------------------------------------------


@transaction.atomic
def online_learning_batch_store(*, by: User, uploaded_file) -> ImportBatch:
    """Keep an uploaded file of online-learning hours, checked, with its preview until it is confirmed."""
    # A file that is not an .xlsx or CSV within the size limit raises ValidationError: nothing is kept.
    if not permissions.can_import_online_learning(by):
        raise PermissionDenied
    content = online_import.read_hours_upload(uploaded_file)
    check = online_import.check_hours_file(by=by, content=content)
    filename = os.path.basename(uploaded_file.name or "")[
        : ImportBatch._meta.get_field("filename").max_length
    ]
    return ImportBatch.objects.create(
        uploaded_by=by,
        kind=ImportBatch.Kind.ONLINE_LEARNING,
        filename=filename,
        content=content,
        preview=online_preview.HoursPreview.of(check).as_json(),
    )


@transaction.atomic
def online_learning_import(*, by: User, batch: ImportBatch) -> int:
    """Write the hours of a stored file, or nothing if any row is wrong; returns how many rows it wrote."""
    # A month already imported for a person is replaced. The batch is locked, so two clicks import once;
    # the file is checked again under the lock, against the database as it is now, and every row is
    # written with its history row.
    if not permissions.can_import_online_learning(by):
        raise PermissionDenied
    require_visible(ImportBatch, by, batch)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not online_preview.is_hours_batch(batch):
        raise NotVisible
    if batch.state == ImportBatch.State.IMPORTED:
        raise ImportRefused([RowError(None, "", online_preview.already_imported_message(batch))])
    check = online_import.check_hours_file(by=by, content=bytes(batch.content))
    if not check.ok:
        raise ImportRefused(check.errors)
    existing = {}
    months = sorted({row.month for row in check.rows})
    people = sorted({row.candidate.pk for row in check.rows})
    for start in range(0, len(people), online_import.CHUNK):
        chunk = people[start : start + online_import.CHUNK]
        for record in OnlineLearning.objects.select_for_update().filter(
            candidate_id__in=chunk, month__in=months
        ):
            existing[(record.candidate_id, record.month)] = record
    new, changed = [], []
    for row in check.rows:
        record = existing.get((row.candidate.pk, row.month))
        if record is None:
            new.append(
                OnlineLearning(candidate=row.candidate, month=row.month, hours=row.hours, imported_by=by)
            )
        else:
            record.hours, record.imported_by = row.hours, by
            changed.append(record)
    try:
        with transaction.atomic():
            bulk_create_with_history(new, OnlineLearning, batch_size=online_import.CHUNK, default_user=by)
            bulk_update_with_history(
                changed,
                OnlineLearning,
                ["hours", "imported_by"],
                batch_size=online_import.CHUNK,
                default_user=by,
            )
            # Bulk writes send no signals: the dashboard's rollups of these people's villages are recounted.
            rollups.refresh({row.candidate.village_id for row in check.rows})
    except IntegrityError:
        message = _(
            "While the file was being imported, someone imported hours for the same people and months. "
            "Nothing was imported; check the file again."
        )
        raise ImportRefused([RowError(None, "", message)]) from None
    batch.state = ImportBatch.State.IMPORTED
    batch.imported_at = timezone.now()
    batch.rows = len(check.rows)
    batch.save(update_fields=["state", "imported_at", "rows"])
    return len(check.rows)
